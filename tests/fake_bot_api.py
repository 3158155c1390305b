"""A fake Telegram Bot API for end-to-end tests, and helpers to serve ASGI apps on loopback.

`FakeBotAPI.app` answers `POST /bot<token>/<method>` as the real Bot API does, records
every call, and answers 400 to whatever the real one would reject (the rules are in
bot_api_rules.py). Updates fed with `feed` are handed out by a long-polling `getUpdates`.

Faults, as Telegram has them: `fail_next` scripts the next answers of one method,
`chaos` answers a random share of all calls 429 or 500, and `redeliver` hands an update
out again although the bot has confirmed it. As Telegram does, an update is handed out
again and again until it is confirmed (a getUpdates offset past it, or for a webhook,
see webhook_sender.py, a 2xx answer); `handed` counts how often each one went out.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from tests.bot_api_rules import (
    SECRET_TOKEN,
    START_PARAMETER,
    Rejected,
    check_commands,
    check_inline_results,
    check_markup,
    check_text,
)

Json = dict[str, Any]

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmn"
BOT: Json = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Policy",
    "username": "policy_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
# Parameters Telegram takes as plain strings; every other value arrives JSON-encoded.
_STRINGS = frozenset(
    "text query title description secret_token url callback_query_id inline_query_id"
    " language_code parse_mode message_text caption next_offset ip_address".split()
)


def _decode(key: str, value: str) -> Any:
    if key in _STRINGS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


@dataclass
class Call:
    """One request the bot made; `status` is what the fake answered (200: carried out)."""

    method: str
    params: Json
    result: Any = None
    status: int = 200
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Fault:
    """An answer instead of the real one: an error, or (status 200) a malformed result."""

    status: int
    description: str = ""
    retry_after: int | None = None
    result: Any = None


TOO_MANY = Fault(429, "Too Many Requests: retry after 1", retry_after=1)
SERVER_ERROR = Fault(500, "Internal Server Error")
BAD_GATEWAY = Fault(502, "Bad Gateway")
GARBAGE = Fault(200, result={"message_id": "not a message"})  # PTB fails to parse it


def bad_request(description: str) -> Fault:
    return Fault(400, f"Bad Request: {description}")


@dataclass
class Chaos:
    """Answers a random share of calls (all but getUpdates) 429 or 500, reproducibly."""

    too_many: float = 0.05
    server_error: float = 0.02
    seed: int = 20240601
    skip: frozenset[str] = frozenset({"getUpdates"})
    _random: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def pick(self, method: str) -> Fault | None:
        if method in self.skip:
            return None
        roll = self._random.random()
        if roll < self.too_many:
            return TOO_MANY
        if roll < self.too_many + self.server_error:
            return SERVER_ERROR
        return None


@dataclass
class FakeBotAPI:
    """The fake server's state: feed updates in, read `calls` out."""

    url: str = ""  # where it is served, set by whoever serves it
    calls: list[Call] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    webhook: Json = field(default_factory=dict)
    # Tests set `gate` to hold sendMessage answers until they release it.
    gate: asyncio.Event | None = None
    fail_next: dict[str, list[Fault]] = field(default_factory=dict)
    chaos: Chaos | None = None
    handed: Counter[int] = field(default_factory=Counter)  # update id -> times handed out
    _updates: list[Json] = field(default_factory=list)
    _fed: dict[int, Json] = field(default_factory=dict)
    _again: list[Json] = field(default_factory=list)
    _chats: dict[int, Json] = field(default_factory=dict)
    _answered: set[str] = field(default_factory=set)
    # What each message shows now (text, buttons): an edit to the same is refused.
    _shown: dict[tuple[object, object], tuple[object, object]] = field(default_factory=dict)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _closing: bool = False
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["POST"])])

    # What tests use -----------------------------------------------------------

    async def feed(self, update: Json) -> int:
        """Queue one update (without update_id) for getUpdates; returns its update_id."""
        update_id = next(self._ids)
        self.remember_chats(update)
        self._fed[update_id] = {"update_id": update_id, **update}
        self._updates.append(self._fed[update_id])
        await self._notify()
        return update_id

    async def redeliver(self, update_id: int) -> None:
        """Hand update `update_id` out again, with the first getUpdates after the bot has
        confirmed it (as Telegram redelivers: never before the update itself)."""
        self._again.append(self._fed[update_id])
        await self._notify()

    def remember_chats(self, update: Json) -> None:
        for value in update.values():
            message = value.get("message", value) if isinstance(value, dict) else None
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                self._chats[message["chat"]["id"]] = message["chat"]

    def of(self, method: str, since: int = 0) -> list[Call]:
        """Every call of `method`, those answered with an error included."""
        return [c for c in self.calls[since:] if c.method == method]

    def done(self, method: str, since: int = 0) -> list[Call]:
        """The calls of `method` that were carried out."""
        return [c for c in self.of(method, since) if c.status == 200]

    async def wait(
        self, method: str, count: int = 1, since: int = 0, timeout: float = 5.0
    ) -> list[Call]:
        """The calls of `method` after index `since`, once there are at least `count`."""

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.of(method, since)) >= count)

        try:
            await asyncio.wait_for(enough(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"expected {count} {method} call(s), got {[c.method for c in self.calls[since:]]}"
            ) from None
        return self.of(method, since)

    async def pending(self, offset: int, limit: int, timeout: float) -> list[Json]:
        """What getUpdates answers: confirm every update before `offset`, then wait up to
        `timeout` seconds for the next `limit` unconfirmed ones."""
        return await self._get_updates({"offset": offset, "limit": limit, "timeout": timeout})

    async def close(self) -> None:
        """Wake every waiting getUpdates so that the server can stop at once."""
        self._closing = True
        await self._notify()

    # The server ---------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params = await self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        await self._notify()
        handler = self._handlers().get(method)
        if handler is None:
            call.status = 404
            return _error(404, "Not Found: method not found")
        fault = self._fault(method)
        if fault is not None:
            call.status = fault.status if fault.status != 200 else 0  # 0: not carried out
            if fault.status == 200:
                return JSONResponse({"ok": True, "result": fault.result})
            return _error(fault.status, fault.description, fault.retry_after)
        try:
            call.result = await handler(params)
        except Rejected as exc:
            self.rejected.append((method, str(exc)))
            call.status = 400
            return _error(400, f"Bad Request: {exc}")
        return JSONResponse({"ok": True, "result": call.result})

    def _fault(self, method: str) -> Fault | None:
        scripted = self.fail_next.get(method)
        if scripted:
            fault = scripted.pop(0)
            if not scripted:
                del self.fail_next[method]
            return fault
        return self.chaos.pick(method) if self.chaos else None

    @staticmethod
    async def _params(request: Request) -> Json:
        body = (await request.body()).decode()
        if request.headers.get("content-type", "").startswith("application/json"):
            # As the Bot API server does: a string value reads as that form parameter
            # would, any other value is taken as it is.
            given = json.loads(body or "{}")
            return {k: _decode(k, v) if isinstance(v, str) else v for k, v in given.items()}
        pairs = parse_qsl(request.url.query) + parse_qsl(body)
        return {k: _decode(k, v) for k, v in pairs}

    def _handlers(self) -> dict[str, Callable[[Json], Awaitable[Any]]]:
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "close": self._true,
            "logOut": self._true,
        }

    async def _true(self, params: Json) -> bool:
        return True

    async def _get_me(self, params: Json) -> Json:
        return BOT

    async def _get_updates(self, params: Json) -> list[Json]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]

        def again() -> list[Json]:
            return [u for u in self._again if u["update_id"] < offset]

        if not self._updates and not again() and not self._closing:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(float(params.get("timeout") or 0)), self._changed:
                    await self._changed.wait_for(
                        lambda: bool(self._updates or again()) or self._closing
                    )
        # Redeliveries go first: PTB confirms up to the last id of a batch.
        repeated = again()
        self._again = [u for u in self._again if u not in repeated]
        handed = repeated + self._updates[: max(0, limit - len(repeated))]
        self.handed.update(u["update_id"] for u in handed)
        return handed

    def _message(self, params: Json, text: str) -> Json:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise Rejected("chat not found")
        message: Json = {
            "message_id": params.get("message_id") or 10_000 + next(self._ids),
            "date": int(time.time()),
            "chat": self._chats.get(chat_id, {"id": chat_id, "type": "private"}),
            "from": BOT,
            "text": text,
        }
        if (params.get("reply_markup") or {}).get("inline_keyboard"):
            # As Telegram: a message shows only an inline keyboard, never a ForceReply.
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _send_message(self, params: Json) -> Json:
        text = check_text(params.get("text"), params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        if self.gate is not None:
            await self.gate.wait()
        message = self._message(params, text)
        self._shown[params.get("chat_id"), message["message_id"]] = self._content(params)
        return message

    @staticmethod
    def _content(params: Json) -> tuple[object, object]:
        return params.get("text"), params.get("reply_markup")

    async def _edit_message_text(self, params: Json) -> Json:
        text = check_text(params.get("text"), params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        if not params.get("message_id"):
            raise Rejected("message to edit not found")
        key = (params.get("chat_id"), params.get("message_id"))
        if self._shown.get(key) == self._content(params):
            raise Rejected(
                "message is not modified: specified new message content and reply markup are"
                " exactly the same as a current content and reply markup of the message"
            )
        self._shown[key] = self._content(params)
        return self._message(params, text)

    async def _edit_message_reply_markup(self, params: Json) -> Json:
        markup = params.get("reply_markup")
        if markup is not None and not markup.get("inline_keyboard"):
            raise Rejected("only an inline keyboard can replace an inline keyboard")
        check_markup(markup)
        if not params.get("message_id"):
            raise Rejected("message to edit not found")
        return self._message(params, "")

    async def _answer_callback_query(self, params: Json) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if not query_id or query_id in self._answered:
            raise Rejected("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text", ""))) > 200:
            raise Rejected("MESSAGE_TOO_LONG")
        self._answered.add(query_id)
        return True

    async def _answer_inline_query(self, params: Json) -> bool:
        check_inline_results(params.get("results"))
        button = params.get("button")
        if button is not None and not START_PARAMETER.match(button.get("start_parameter", "")):
            raise Rejected("START_PARAM_INVALID")
        return True

    async def _set_my_commands(self, params: Json) -> bool:
        check_commands(params.get("commands"))
        return True

    async def _set_webhook(self, params: Json) -> bool:
        url, secret = str(params.get("url", "")), params.get("secret_token")
        if not url.startswith("https://"):
            raise Rejected("bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not SECRET_TOKEN.match(str(secret)):
            raise Rejected("bad webhook: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret}
        return True

    async def _delete_webhook(self, params: Json) -> bool:
        self.webhook = {}
        return True

    async def _get_webhook_info(self, params: Json) -> Json:
        url = self.webhook.get("url", "")
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}


def _error(status: int, description: str, retry_after: int | None = None) -> JSONResponse:
    body: Json = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=status)


# Serving ASGI apps on loopback ----------------------------------------------------


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield  # leave the test runner's signal handlers alone


@contextlib.asynccontextmanager
async def serve(app: ASGIApp, lifespan: Literal["on", "off"] = "off") -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 at a free port for the `async with`; yields its base URL."""
    # IPPROTO_TCP: asyncio only sets TCP_NODELAY on sockets it knows are TCP; without it
    # Nagle's algorithm adds ~40 ms to every Bot API call.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as sock:
        sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(
            app, lifespan=lifespan, log_config=None, access_log=False, timeout_graceful_shutdown=2
        )
        server = _Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if task.done():
                await task
                raise RuntimeError("the test server did not start")
            await asyncio.sleep(0.01)
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            await task


@contextlib.asynccontextmanager
async def running_fake(strict: bool = True) -> AsyncIterator[FakeBotAPI]:
    """A FakeBotAPI served on loopback; when `strict`, fails if the bot sent anything invalid."""
    fake = FakeBotAPI()
    async with serve(fake.app) as url:
        fake.url = url
        try:
            yield fake
        finally:
            await fake.close()
    assert not strict or fake.rejected == [], f"the Bot API would have rejected: {fake.rejected}"
