"""The tests' fake Bot API, served on loopback for the benchmarks.

Served here rather than with `tests.fake_bot_api.serve`, whose listening socket is
made with `socket.socket()`: its protocol number is 0, so asyncio does not switch
Nagle's algorithm off on the connections, and every answer waits ~40 ms for a
delayed ACK. A socket made with IPPROTO_TCP gets TCP_NODELAY as any server's does.

`python -m benchmarks.fakeserver` serves one in its own process and prints its URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
from collections.abc import AsyncIterator, Generator

import uvicorn
from starlette.types import ASGIApp

from tests.fake_bot_api import FakeBotAPI


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield  # leave the benchmark's signal handling alone


@contextlib.asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 at a free port for the `async with`; yields its base URL."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as sock:
        sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(app, lifespan="off", log_config=None, access_log=False)
        server = _Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if task.done():
                await task
                raise RuntimeError("the fake Bot API did not start")
            await asyncio.sleep(0.01)
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            await task


@contextlib.asynccontextmanager
async def running_fake() -> AsyncIterator[FakeBotAPI]:
    """A fresh FakeBotAPI served on loopback; its `url` is set."""
    fake = FakeBotAPI()
    async with serve(fake.app) as url:
        fake.url = url
        try:
            yield fake
        finally:
            await fake.close()


async def _main() -> None:
    async with running_fake() as fake:
        print(fake.url, flush=True)
        await asyncio.to_thread(sys.stdin.read)  # until the parent closes our stdin


if __name__ == "__main__":
    asyncio.run(_main())
