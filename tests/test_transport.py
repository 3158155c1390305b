"""The bot's HTTP client (bot/transport.py) against real sockets on loopback.

Each test runs a small HTTP server that answers as scripted, byte for byte, and talks
to it through a real PTB `Bot` whose requests go through `Transport`.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.transport import AnswerLost, Transport
from tests.fake_bot_api import TOKEN

SENT = {"message_id": 7, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"}
OK = json.dumps({"ok": True, "result": SENT}).encode()


@dataclass
class Request:
    line: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    url: str
    requests: list[Request] = field(default_factory=list)
    connections: int = 0
    closed_by_client: int = 0


Answer = Callable[[Request, asyncio.StreamWriter], Awaitable[bool]]  # True: keep serving


def framed(body: bytes = OK, *, headers: str = "", status: str = "200 OK") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{headers}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def replying(*answers: bytes, close: bool = False) -> Answer:
    """Answer with each of `answers` in turn (the last one from then on)."""
    queue = list(answers)

    async def answer(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(queue.pop(0) if len(queue) > 1 else queue[0])
        await writer.drain()
        return not close

    return answer


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    line = await reader.readline()
    if not line:
        return None
    headers: dict[str, str] = {}
    while (header := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = header.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return Request(line.decode().strip(), headers, body)


@asynccontextmanager
async def serving(answer: Answer, tls: ssl.SSLContext | None = None) -> AsyncIterator[Server]:
    server = Server("")
    tasks: set[asyncio.Task[None]] = set()

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.connections += 1
        try:
            while (request := await _read_request(reader)) is not None:
                server.requests.append(request)
                if not await answer(request, writer):
                    break
            else:
                server.closed_by_client += 1
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def start(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(client(reader, writer))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    listener = await asyncio.start_server(start, "127.0.0.1", 0, ssl=tls)
    port = listener.sockets[0].getsockname()[1]
    server.url = f"{'https' if tls else 'http'}://{'localhost' if tls else '127.0.0.1'}:{port}"
    async with listener:
        try:
            yield server
        finally:
            for task in tasks:
                task.cancel()


@asynccontextmanager
async def bot_at(url: str, transport: Transport | None = None) -> AsyncIterator[Bot]:
    """A PTB bot whose calls go through `transport` (a default one if not given)."""
    transport = transport or Transport()
    bot = Bot(TOKEN, base_url=f"{url}/bot", request=transport, get_updates_request=Transport())
    async with transport:
        yield bot


async def test_calls_share_one_kept_alive_connection_and_send_json() -> None:
    async with serving(replying(framed())) as server, bot_at(server.url) as bot:
        for n in range(20):
            sent = await bot.send_message(5, f"answer {n} — đã trả lời", parse_mode="HTML")
            assert sent.message_id == 7
    assert server.connections == 1
    assert len(server.requests) == 20
    first = server.requests[0]
    assert first.line == f"POST /bot{TOKEN}/sendMessage HTTP/1.1"
    assert first.headers["content-type"] == "application/json"
    assert first.headers["host"] == server.url.removeprefix("http://")
    # Values as PTB encodes them for a form; the Bot API reads JSON strings the same way.
    assert json.loads(first.body) == {
        "chat_id": "5",
        "text": "answer 0 — đã trả lời",
        "parse_mode": "HTML",
    }


async def test_a_chunked_answer_is_put_back_together() -> None:
    half = len(OK) // 2
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{half:x}\r\n".encode()
        + OK[:half]
        + f"\r\n{len(OK) - half:x};ext=1\r\n".encode()
        + OK[half:]
        + b"\r\n0\r\n\r\n"
    )
    async with serving(replying(chunked)) as server, bot_at(server.url) as bot:
        assert (await bot.send_message(5, "hi")).text == "hi"
        assert (await bot.send_message(5, "hi")).text == "hi"
    assert server.connections == 1  # the chunked body was read exactly to its end


async def test_an_answer_ending_with_the_connection_is_read_whole_and_not_reused() -> None:
    until_close = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + OK
    async with serving(replying(until_close, close=True)) as server, bot_at(server.url) as bot:
        for _ in range(3):
            assert (await bot.send_message(5, "hi")).message_id == 7
    assert server.connections == 3


@pytest.mark.parametrize("header", ["close", "Close, x-other"])
async def test_connection_close_is_honoured(header: str) -> None:
    closing = framed(headers=f"Connection: {header}\r\n")
    async with serving(replying(closing, close=True)) as server, bot_at(server.url) as bot:
        await bot.send_message(5, "hi")
        await bot.send_message(5, "hi")
    assert server.connections == 2


async def test_a_connection_the_server_closed_while_idle_is_not_used() -> None:
    async with serving(replying(framed(), close=True)) as server, bot_at(server.url) as bot:
        await bot.send_message(5, "hi")
        await asyncio.sleep(0.05)  # the server's FIN arrives
        await bot.send_message(5, "hi")
    assert (server.connections, len(server.requests)) == (2, 2)


async def test_telegram_errors_come_through_as_ptb_raises_them() -> None:
    refused = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    answer = framed(json.dumps(refused).encode(), status="400 Bad Request")
    async with serving(replying(answer)) as server, bot_at(server.url) as bot:
        for _ in range(2):
            with pytest.raises(BadRequest, match="Chat not found"):
                await bot.send_message(5, "hi")
    assert server.connections == 1


async def test_no_answer_at_all_is_a_lost_answer() -> None:
    async def hang_up(request: Request, writer: asyncio.StreamWriter) -> bool:
        return False

    async with serving(hang_up) as server, bot_at(server.url) as bot:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(5, "hi")
    assert isinstance(raised.value.__cause__, AnswerLost)
    assert len(server.requests) == 1  # not repeated here: retries are delivery.py's


async def test_a_garbled_answer_is_a_network_error() -> None:
    async with serving(replying(b"SMTP ready\r\n\r\n")) as server, bot_at(server.url) as bot:
        with pytest.raises(NetworkError, match="no whole answer"):
            await bot.send_message(5, "hi")


async def test_a_late_answer_times_out_and_its_connection_is_dropped() -> None:
    calls = 0

    async def slow_first(request: Request, writer: asyncio.StreamWriter) -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            await asyncio.sleep(1)
        writer.write(framed())
        await writer.drain()
        return True

    transport = Transport(read_timeout=0.1)
    async with serving(slow_first) as server, bot_at(server.url, transport) as bot:
        with pytest.raises(TimedOut) as raised:
            await bot.send_message(5, "hi")
        assert isinstance(raised.value.__cause__, AnswerLost)  # it may have been carried out
        assert (await bot.send_message(5, "hi")).message_id == 7
    assert server.connections == 2


async def test_a_refused_connection_was_never_sent() -> None:
    async with serving(replying(framed())) as server:
        url = server.url
    async with bot_at(url) as bot:  # the server has gone: nothing listens on its port
        with pytest.raises(NetworkError, match="cannot connect") as raised:
            await bot.send_message(5, "hi")
    assert not isinstance(raised.value.__cause__, AnswerLost)


async def test_a_full_pool_times_out_without_sending() -> None:
    release = asyncio.Event()

    async def held(request: Request, writer: asyncio.StreamWriter) -> bool:
        await release.wait()
        writer.write(framed())
        await writer.drain()
        return True

    transport = Transport(pool_size=1, pool_timeout=0.05)
    async with serving(held) as server, bot_at(server.url, transport) as bot:
        first = asyncio.ensure_future(bot.send_message(5, "first"))
        await asyncio.sleep(0.05)
        with pytest.raises(TimedOut, match="Pool timeout"):
            await bot.send_message(5, "second")
        release.set()
        assert (await first).message_id == 7
    assert len(server.requests) == 1


async def test_uploads_are_refused_before_anything_is_sent() -> None:
    async with serving(replying(framed())) as server, bot_at(server.url) as bot:
        with pytest.raises(NetworkError, match="does not upload"):
            await bot.send_document(5, InputFile(b"data", filename="a.txt"))
    assert server.requests == []


async def test_a_shut_down_transport_closes_its_connections() -> None:
    async with serving(replying(framed())) as server:
        transport = Transport()
        async with bot_at(server.url, transport) as bot:
            await bot.send_message(5, "hi")
        with pytest.raises(NetworkError, match="not initialized"):
            await bot.send_message(5, "hi")
        await asyncio.sleep(0.05)
        assert (server.connections, server.closed_by_client) == (1, 1)


async def test_interim_answers_are_skipped() -> None:
    answer = b"HTTP/1.1 100 Continue\r\n\r\n" + framed()
    async with serving(replying(answer)) as server, bot_at(server.url) as bot:
        assert (await bot.send_message(5, "hi")).message_id == 7
        assert (await bot.send_message(5, "hi")).message_id == 7
    assert server.connections == 1


async def test_a_body_sent_in_parts_until_close_is_read_whole() -> None:
    async def in_two_parts(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.0 200 OK\r\n\r\n" + OK[:10])
        await writer.drain()
        await asyncio.sleep(0.1)
        writer.write(OK[10:])
        return False

    async with serving(in_two_parts) as server, bot_at(server.url) as bot:
        assert (await bot.send_message(5, "hi")).message_id == 7


@pytest.mark.parametrize("length", ["+5", "0x10", "1_0", "-1", ""])
async def test_a_malformed_length_is_a_network_error(length: str) -> None:
    answer = f"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n".encode() + OK
    async with serving(replying(answer)) as server, bot_at(server.url) as bot:
        with pytest.raises(NetworkError, match="malformed length"):
            await bot.send_message(5, "hi")


async def test_no_content_is_an_empty_body_at_once() -> None:
    async with serving(replying(b"HTTP/1.1 204 No Content\r\n\r\n")) as server:
        transport = Transport(read_timeout=5)
        async with transport:
            answer = await asyncio.wait_for(
                transport.do_request(f"{server.url}/bot{TOKEN}/getMe", "POST"), 1
            )
    assert answer == (204, b"")


async def test_an_echoing_server_gets_no_part_of_the_token_into_errors() -> None:
    """A wrong TELEGRAM_API_URL may point at something that echoes the request back."""

    async def echo(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(f"{request.line}\r\n0x{TOKEN}; x\r\n\r\n".encode())
        return True

    async with serving(echo) as server, bot_at(server.url) as bot:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(5, "hi")
    secret = TOKEN.partition(":")[2]
    text = f"{raised.value} {raised.value.__cause__!r}"
    assert TOKEN.partition(":")[0] not in text and secret[:8] not in text


async def test_a_server_that_never_finishes_tls_times_out_connecting() -> None:
    held: list[asyncio.StreamWriter] = []

    def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # accepts the connection, then never says a word

    listener = await asyncio.start_server(mute, "127.0.0.1", 0)
    url = f"https://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
    async with listener, bot_at(url, Transport(connect_timeout=0.2)) as bot:
        with pytest.raises(TimedOut, match="connecting") as raised:
            await asyncio.wait_for(bot.send_message(5, "hi"), 5)
        for writer in held:
            writer.close()
    assert held and not isinstance(raised.value.__cause__, AnswerLost)


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A server context with a self-signed certificate for localhost, which clients trust."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
    subprocess.run(
        [*command.split(), "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # read by ssl.create_default_context
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def test_https_with_certificate_checks(certificate: ssl.SSLContext) -> None:
    async with serving(replying(framed()), tls=certificate) as server, bot_at(server.url) as bot:
        for _ in range(3):
            assert (await bot.send_message(5, "hi")).message_id == 7
    assert server.connections == 1


async def test_https_refuses_a_certificate_it_cannot_trust(
    certificate: ssl.SSLContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")
    async with serving(replying(framed()), tls=certificate) as server, bot_at(server.url) as bot:
        with pytest.raises(NetworkError, match="certificate"):
            await bot.send_message(5, "hi")
    assert server.requests == []
