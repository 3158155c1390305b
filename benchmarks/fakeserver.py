"""A lean fake Bot API for throughput runs: HTTP/1.1 keep-alive on asyncio streams.

The tests' fake (tests/fake_bot_api.py) checks every call against the Bot API's rules
through Starlette and uvicorn, which costs more CPU per call than the bot itself; when
it shares the bot's core, that cost would be counted as the bot's. This one answers as
the Bot API does (sendMessage returns the message it made, reply markup included;
other methods `true`) and checks nothing: the tests judge, the benchmark measures.

`python -m benchmarks.fakeserver` serves in its own process: it prints its URL, serves
until its standard input closes, then prints its call counts as JSON.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl

from tests.fake_bot_api import BOT

Json = dict[str, Any]


class LeanBotAPI:
    """Answers Bot API calls; `calls` counts them by method."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._ids = itertools.count(10_000)

    def answer(self, method: str, params: Json) -> Any:
        self.calls[method] += 1
        if method == "getMe":
            return BOT
        if method == "sendMessage":
            message: Json = {
                "message_id": next(self._ids),
                "date": 0,
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT,
                "text": params["text"],
            }
            if markup := params.get("reply_markup"):
                message["reply_markup"] = json.loads(markup)
            return message
        return True

    async def serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                lines = head.split(b"\r\n")
                length = 0
                form = False
                for header in lines[1:]:
                    name, _, value = header.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                    elif name.lower() == b"content-type":
                        form = b"x-www-form-urlencoded" in value
                body = await reader.readexactly(length) if length else b""
                method = lines[0].split(b" ", 2)[1].rsplit(b"/", 1)[-1].decode()
                # PTB's httpx client posts a form; nested values are JSON text in it.
                params = dict(parse_qsl(body.decode())) if form else json.loads(body or b"{}")
                result = self.answer(method, params)
                payload = json.dumps({"ok": True, "result": result}).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + str(len(payload)).encode()
                    + b"\r\n\r\n"
                    + payload
                )
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def lean_fake() -> AsyncIterator[tuple[LeanBotAPI, str]]:
    """A lean fake listening on loopback, with its URL, for the `async with`."""
    api = LeanBotAPI()
    connections: set[asyncio.Task[None]] = set()

    def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(api.serve_connection(reader, writer))
        connections.add(task)
        task.add_done_callback(connections.discard)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    async with server:
        try:
            yield api, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        finally:
            for task in connections:
                task.cancel()


async def _main() -> None:
    async with lean_fake() as (api, url):
        print(url, flush=True)
        await asyncio.to_thread(sys.stdin.read)  # until the parent closes our stdin
        print(json.dumps(api.calls), flush=True)


if __name__ == "__main__":
    asyncio.run(_main())
