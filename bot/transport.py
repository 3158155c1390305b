"""The bot's HTTP client for the Bot API: PTB's `BaseRequest` on asyncio streams.

PTB's default client (httpx) spends about 1 ms of CPU on every call; this one about
0.1 ms, which is most of what lets one core handle 1,000 updates a second. It does
what a bot needs from the Bot API and no more: HTTP/1.1 over TCP or TLS, keep-alive
connections reused across calls, POST with the parameters as JSON (no file uploads),
answers with a Content-Length or chunked body. No proxies and no HTTP/2.

Timeouts are PTB's: to connect (TLS included), to send the request, and for the whole
answer to come back. Errors are PTB's too: `TimedOut` for a timeout, `NetworkError` for
a refused or dropped connection or a garbled answer. When the request had gone out
before the failure, the error's cause is `AnswerLost`: Telegram may have carried the
call out (see delivery.py).
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

MAX_HEADER_LINES = 100
MAX_LINE = 64 * 1024  # bytes in a status, header or chunk-size line
MAX_BODY = 64 * 1024 * 1024  # bytes; the largest Bot API answers are a few MB


class AnswerLost(Exception):
    """The request went out, but its answer did not come back whole."""


@dataclass(frozen=True, slots=True)
class _Origin:
    scheme: str
    host: str
    port: int
    authority: str  # host[:port], for the Host header


@dataclass(frozen=True, slots=True)
class _Target:
    origin: _Origin
    path: str  # with the query, if any


@lru_cache(maxsize=64)
def _target(url: str) -> _Target:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NetworkError("the Bot API URL must start with http:// or https://")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    authority = parts.netloc.rpartition("@")[2]  # never the credentials, if any
    return _Target(_Origin(parts.scheme, parts.hostname, port, authority), path)


@dataclass(frozen=True, slots=True)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    def close(self) -> None:
        self.writer.close()


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    keep_alive: bool


class Transport(BaseRequest):
    """A keep-alive HTTP/1.1 client for PTB: pass it to `ApplicationBuilder.request`.

    At most `pool_size` calls are under way at once; a call that waits longer than the
    pool timeout for its turn fails with `TimedOut` without being sent.
    """

    def __init__(
        self,
        pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._turns = asyncio.Semaphore(pool_size)
        self._idle: dict[_Origin, list[_Connection]] = {}
        self._open = False
        self._tls: ssl.SSLContext | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        self._open = True

    async def shutdown(self) -> None:
        self._open = False
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    async def do_request(  # noqa: PLR0917 - BaseRequest's signature
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if not self._open:
            raise RuntimeError("this Transport is not initialized")
        if request_data is not None and request_data.contains_files:
            raise NetworkError("this bot's HTTP client does not upload files")
        target = _target(url)
        # JSON, which the Bot API reads as it reads a form, costs far less to encode.
        body = request_data.json_payload if request_data else b""
        head = (
            f"{method} {target.path} HTTP/1.1\r\n"
            f"Host: {target.origin.authority}\r\n"
            f"User-Agent: {self.USER_AGENT}\r\n"
            "Accept: application/json\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        timeouts = (
            _given(read_timeout, self._read_timeout),
            _given(write_timeout, self._write_timeout),
            _given(connect_timeout, self._connect_timeout),
        )
        try:
            async with asyncio.timeout(_given(pool_timeout, self._pool_timeout)):
                await self._turns.acquire()
        except TimeoutError as exc:
            raise TimedOut(
                "Pool timeout: every connection is busy. The request was *not* sent."
            ) from exc
        try:
            return await self._exchange(target.origin, head + body, *timeouts)
        finally:
            self._turns.release()

    async def _exchange(
        self,
        origin: _Origin,
        request: bytes,
        read_timeout: float | None,
        write_timeout: float | None,
        connect_timeout: float | None,
    ) -> tuple[int, bytes]:
        connection = self._take_idle(origin)
        loop = asyncio.get_running_loop()
        doing = "connecting" if connection is None else "sending"
        keep = False
        try:
            # One timer for the whole exchange, moved on at each step.
            first = connect_timeout if connection is None else write_timeout
            async with asyncio.timeout_at(_deadline(loop.time(), first)) as timer:
                if connection is None:
                    connection = await self._connect(origin)
                    doing = "sending"
                    timer.reschedule(_deadline(loop.time(), write_timeout))
                await _send(connection, request)
                doing = "waiting for the answer"
                timer.reschedule(_deadline(loop.time(), read_timeout))
                answer = await _read_answer(connection)
            keep = answer.keep_alive
            return answer.status, answer.body
        except TimeoutError as exc:
            # A write that timed out may have gone out in part or whole: counted as sent.
            lost = exc if connection is None else AnswerLost(doing)
            raise TimedOut(f"Timed out {doing}") from lost
        finally:
            if connection is not None:
                if keep and self._open:
                    self._idle.setdefault(origin, []).append(connection)
                else:
                    connection.close()

    def _take_idle(self, origin: _Origin) -> _Connection | None:
        """A kept-alive connection to `origin` that the server has not closed meanwhile.

        A server that says something on an idle connection before closing it (a 408,
        say) has that read as the next call's answer: the call then fails and is retried
        on a new connection, which is safe, as the server never read the request.
        """
        idle = self._idle.get(origin)
        while idle:
            connection = idle.pop()
            if not connection.reader.at_eof() and not connection.writer.is_closing():
                return connection
            connection.close()
        return None

    async def _connect(self, origin: _Origin) -> _Connection:
        tls: ssl.SSLContext | None = None
        if origin.scheme == "https":
            if self._tls is None:
                self._tls = ssl.create_default_context()
            tls = self._tls
        try:
            reader, writer = await asyncio.open_connection(
                origin.host, origin.port, ssl=tls, limit=MAX_LINE
            )
        except OSError as exc:
            raise NetworkError(f"cannot connect to the Bot API: {exc}") from exc
        return _Connection(reader, writer)


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _deadline(now: float, seconds: float | None) -> float | None:
    return None if seconds is None else now + seconds


async def _send(connection: _Connection, request: bytes) -> None:
    try:
        connection.writer.write(request)
        await connection.writer.drain()
    except OSError as exc:  # a request cut short is not carried out
        raise NetworkError(f"connection lost while sending: {exc}") from exc


async def _read_answer(connection: _Connection) -> _Answer:
    """One HTTP/1.1 response from `connection`, interim (1xx) ones skipped.

    Error messages never quote what the server sent: a server that echoes the request
    would put the token, which is in every path, into them.
    """
    reader = connection.reader
    try:
        version, status, headers = await _head(reader)
        while 100 <= status < 200:
            version, status, headers = await _head(reader)
        if status in (204, 304):
            body = b""
        elif "chunked" in _tokens(headers.get("transfer-encoding", "")):
            body = await _chunked(reader)
        elif "content-length" in headers:
            body = await reader.readexactly(_size(headers["content-length"], 10))
        else:  # the body runs until the server closes the connection
            return _Answer(status, await _until_closed(reader), keep_alive=False)
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
        raise NetworkError(f"no whole answer from the Bot API: {exc}") from AnswerLost(repr(exc))
    connection_tokens = _tokens(headers.get("connection", ""))
    keep_alive = "close" not in connection_tokens and (
        version == "HTTP/1.1" or "keep-alive" in connection_tokens
    )
    return _Answer(status, body, keep_alive)


async def _head(reader: asyncio.StreamReader) -> tuple[str, int, dict[str, str]]:
    """The status line and headers of a response."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise
        raise ValueError("the Bot API closed the connection without answering") from None
    status_line, *lines = head[:-4].split(b"\r\n")
    if len(lines) > MAX_HEADER_LINES:
        raise ValueError("too many header lines")
    version, _, rest = status_line.decode("latin-1").partition(" ")
    status = rest[:3]
    if not version.startswith("HTTP/1.") or not (status.isascii() and status.isdigit()):
        raise ValueError("the answer is not HTTP/1")
    headers: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise ValueError("a header line without a colon")
        headers[name.strip().lower()] = value.strip()
    return version, int(status), headers


async def _header_lines(reader: asyncio.StreamReader) -> list[bytes]:
    lines: list[bytes] = []
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        lines.append(line)
        if len(lines) > MAX_HEADER_LINES:
            raise ValueError("too many header lines")
    return lines


def _tokens(value: str) -> set[str]:
    """The comma-separated tokens of a header such as Connection, lower-cased."""
    return {token.strip().lower() for token in value.split(",")}


_DIGITS = {10: frozenset("0123456789"), 16: frozenset("0123456789abcdefABCDEF")}


def _size(text: str, base: int) -> int:
    """A body or chunk length: plain digits only (no sign, no `0x`), at most MAX_BODY."""
    digits = text.strip()
    if not digits or not set(digits) <= _DIGITS[base]:
        raise ValueError("a malformed length")
    size = int(digits, base)
    if size > MAX_BODY:
        raise ValueError("an answer too long")
    return size


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while size := _size((await reader.readline()).split(b";", 1)[0].decode("latin-1"), 16):
        total += size
        if total > MAX_BODY:
            raise ValueError("an answer too long")
        parts.append(await reader.readexactly(size))
        if await reader.readexactly(2) != b"\r\n":
            raise ValueError("a chunk not followed by CRLF")
    await _header_lines(reader)  # trailers, if any, end with an empty line
    return b"".join(parts)


async def _until_closed(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while part := await reader.read(MAX_LINE):
        total += len(part)
        if total > MAX_BODY:
            raise ValueError("an answer too long")
        parts.append(part)
    return b"".join(parts)
