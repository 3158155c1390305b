"""The webhook's way in: a 4xx and one log line for anything but a valid update carrying
the exact secret; never a 5xx or a traceback, and never a forged update answered.

The table of known-bad requests and the property tests, which post arbitrary bodies
and headers, reach the app through httpx.ASGITransport (which passes header bytes on
as given, stricter than any real server), lifespan running, the bot answering to the
fake Bot API; what only a real server shows (the secret checked before the body is
read, content types as sent over HTTP) goes to the app served by uvicorn on loopback.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.cli import open_responder
from bot.inbox import Inbox
from bot.telegram_bot import web
from bot.telegram_bot.bodies import MAX_BODY, MAX_DEPTH
from bot.telegram_bot.web import SECRET_HEADER, create_app
from tests.bot_api_rules import visible_text
from tests.bots import FACTS_DB, WEBHOOK_PATH, WEBHOOK_SECRET, quick_delivery, webhook_settings
from tests.fake_bot_api import FakeBotAPI, Json, running_fake
from tests.updates import USER_EN, message, numbered, private

JSON_TYPE = "application/json"
QUICK, THOROUGH = 1_000, 10_000  # examples per property: default run, `-m slow`
T = TypeVar("T")


def refusals(caplog: pytest.LogCaptureFixture, since: int = 0) -> list[logging.LogRecord]:
    return [r for r in caplog.records[since:] if r.name == web.log.name]


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def nested(depth: int) -> object:
    """Lists `depth` deep."""
    inner: object = 1
    for _ in range(depth):
        inner = [inner]
    return inner


def about(**changes: Any) -> Json:
    """A valid /about update from USER_EN, with `changes` to its message."""
    update = numbered(message("/about"))
    update["message"].update(changes)
    return update


# The app, lifespan running, reached through ASGITransport ------------------------------


@dataclass
class Door:
    """The webhook app, lifespan running, reached through ASGITransport on its own loop."""

    loop: asyncio.AbstractEventLoop
    api: FakeBotAPI
    client: httpx.AsyncClient

    def post(self, body: bytes, headers: list[tuple[bytes, bytes]]) -> httpx.Response:
        request = self.client.post(WEBHOOK_PATH, content=body, headers=headers)
        return self.loop.run_until_complete(request)

    def replies(self, expected: list[int], since: int, pause: float = 0.3) -> list[int]:
        """The chats of the messages sent after call `since`, once each of `expected` got
        one, and after `pause`: time for any reply that should not come."""

        async def settle() -> list[int]:
            async with asyncio.timeout(30):
                while not set(expected) <= set(chats()):
                    await asyncio.sleep(0.05)
            await asyncio.sleep(pause)
            return chats()

        def chats() -> list[int]:
            return [c.params["chat_id"] for c in self.api.of("sendMessage", since)]

        return self.loop.run_until_complete(settle())


@pytest.fixture(scope="module")
def door(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Door]:
    loop = asyncio.new_event_loop()
    stack = AsyncExitStack()

    async def open_door() -> Door:
        api = await stack.enter_async_context(running_fake())
        responder = await stack.enter_async_context(open_responder(FACTS_DB))
        delivery = quick_delivery(overall_rate=10_000, group_rate=10_000)
        # USER_EN is an admin here, so that the tables' follow-ups, all from USER_EN,
        # never reach the flood limit.
        settings = webhook_settings(api, admin_ids=frozenset({USER_EN["id"]}))
        inbox = Inbox(tmp_path_factory.mktemp("state") / "questions.db")
        await stack.enter_async_context(inbox)
        app = create_app(settings, responder, None, delivery, inbox=inbox)
        await stack.enter_async_context(app.router.lifespan_context(app))
        transport = httpx.ASGITransport(app=app)
        client = httpx.AsyncClient(transport=transport, base_url="https://policybot.example")
        await stack.enter_async_context(client)
        return Door(loop, api, client)

    yield loop.run_until_complete(open_door())
    loop.run_until_complete(stack.aclose())
    loop.close()


# Known-bad requests ---------------------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000


@dataclass(frozen=True)
class Bad:
    body: bytes
    status: int = 400
    content_type: str | None = JSON_TYPE
    says: str = ""  # in the log line


def encoded(value: object, encoding: str = "utf-8") -> bytes:
    return json.dumps(value).encode(encoding)


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(Bad(b"{not json"), id="not-json"),
        pytest.param(Bad(b""), id="empty"),
        pytest.param(Bad(b"[1, 2]"), id="not-an-object"),
        pytest.param(Bad(b"{}"), id="no-update-id"),
        pytest.param(Bad(b'{"update_id": "x", "message": 5}'), id="id-a-string"),
        pytest.param(Bad(b'{"update_id": NaN}'), id="id-nan"),
        pytest.param(Bad(b'{"update_id": -Infinity}'), id="id-infinity"),
        pytest.param(
            Bad(encoded(about(x=float("nan"))), says="not UTF-8 JSON"), id="nan-elsewhere"
        ),
        pytest.param(Bad(b'{"update_id": 1e400}'), id="id-overflowing-float"),
        pytest.param(Bad(b'{"update_id": true}'), id="id-a-bool"),
        pytest.param(Bad(b'{"update_id": 7.0}'), id="id-a-float"),
        pytest.param(Bad(b'{"update_id": -1}'), id="id-negative"),
        pytest.param(Bad(b'{"update_id": 9223372036854775808}'), id="id-past-2^63"),
        pytest.param(Bad(b'{"update_id": 1' + b"0" * 5000 + b"}"), id="id-5000-digits"),
        pytest.param(Bad(b'{"update_id": 5, "message": 5}'), id="message-a-number"),
        pytest.param(Bad(b'{"update_id": 5, "message": {}}'), id="message-empty"),
        pytest.param(Bad(encoded(about(date="x"))), id="date-a-string"),
        pytest.param(Bad(encoded(about(chat=[1]))), id="chat-a-list"),
        pytest.param(Bad(encoded(about(chat={"id": [1], "type": "private"}))), id="chat-id-a-list"),
        pytest.param(
            Bad(encoded(about(chat={"id": True, "type": "private"}))), id="chat-id-a-bool"
        ),
        pytest.param(
            Bad(encoded(about(**{"from": {**USER_EN, "id": "1"}}))), id="user-id-a-string"
        ),
        pytest.param(Bad(b'{"update_id": 5}', says="not exactly one of"), id="no-kind"),
        pytest.param(
            Bad(encoded({**about(), "edited_message": about()["message"]}), says="exactly one"),
            id="two-kinds",
        ),
        pytest.param(
            Bad(encoded({"update_id": 5, "channel_post": about()["message"]})), id="other-kind"
        ),
        pytest.param(Bad(encoded(about(chat=None)), says="message.chat is not"), id="chat-null"),
        pytest.param(Bad(encoded(about(text=749)), says="message.text is not"), id="text-a-number"),
        pytest.param(
            Bad(encoded(about(entities=[{"type": "bold", "offset": "0", "length": 1}]))),
            id="entity-offset-a-string",
        ),
        pytest.param(
            Bad(encoded(about(chat={"id": 2**63, "type": "private"}))), id="chat-id-past-2^63"
        ),
        pytest.param(
            Bad(encoded({"update_id": 5, "callback_query": {"id": "1", "data": "Ten:"}})),
            id="tap-from-nobody",
        ),
        pytest.param(Bad(encoded(about(photo=5)), says="(TypeError)"), id="photo-a-number"),
        pytest.param(Bad(encoded(about(sticker="x")), says="(AttributeError)"), id="sticker-text"),
        pytest.param(Bad(DEEP, says="nested too deep"), id="nested-100000-deep"),
        pytest.param(
            Bad(encoded(about(x=nested(MAX_DEPTH - 1))), says=f"nested deeper than {MAX_DEPTH}"),
            id="nested-past-the-limit",
        ),
        pytest.param(Bad(b'{"update_id": 1, "x": "\xff"}'), id="not-utf-8"),
        pytest.param(Bad(encoded(about(), "utf-16")), id="utf-16"),
        pytest.param(Bad(b"\xef\xbb\xbf" + encoded(about())), id="bom"),
        pytest.param(Bad(b" " * (MAX_BODY + 1), 413), id="over-the-limit"),
        pytest.param(Bad(encoded(about()), 415, "text/xml"), id="text-xml"),
        pytest.param(Bad(encoded(about()), 415, "text/plain"), id="text-plain"),
        pytest.param(Bad(encoded(about()), 415, "application/jsonx"), id="jsonx"),
        pytest.param(Bad(encoded(about()), 415, None), id="no-content-type"),
    ],
)
def test_a_request_that_is_not_an_update_gets_a_4xx_and_one_log_line(
    door: Door, caplog: pytest.LogCaptureFixture, bad: Bad
) -> None:
    secret = (SECRET_HEADER.encode(), WEBHOOK_SECRET.encode())
    typed = [(b"content-type", bad.content_type.encode())] if bad.content_type else []
    since = len(door.api.calls)
    assert door.post(bad.body, [secret, *typed]).status_code == bad.status
    [line] = refusals(caplog)
    assert f"refused with {bad.status}: " in line.getMessage() and bad.says in line.getMessage()
    # The same chat next: one chat's updates are handled in order, so an answer to the
    # refused body would have come first.
    json_type = (b"content-type", JSON_TYPE.encode())
    assert door.post(encoded(about()), [secret, json_type]).status_code == 200
    assert door.replies([USER_EN["id"]], since, pause=0) == [USER_EN["id"]]
    [sent] = door.api.of("sendMessage", since)
    assert "no advice" in visible_text(sent.params["text"])
    assert tracebacks(caplog) == []


@pytest.mark.parametrize(
    "content_type",
    [JSON_TYPE, "application/json; charset=utf-8", "Application/JSON", "application/json ;x=y"],
)
async def test_json_is_taken_whatever_the_spelling_of_its_type(
    server: httpx.AsyncClient, api: FakeBotAPI, content_type: str
) -> None:
    headers = {SECRET_HEADER: WEBHOOK_SECRET, "content-type": content_type}
    response = await server.post(WEBHOOK_PATH, content=json.dumps(about()), headers=headers)
    assert response.status_code == 200
    await api.wait("sendMessage")


async def test_a_deep_update_within_the_limit_is_taken(
    server: httpx.AsyncClient, api: FakeBotAPI
) -> None:
    body = about(x=nested(MAX_DEPTH - 2))  # within the update and its message
    headers = {SECRET_HEADER: WEBHOOK_SECRET}
    assert (await server.post(WEBHOOK_PATH, json=body, headers=headers)).status_code == 200
    await api.wait("sendMessage")


@pytest.mark.parametrize(
    ("secret", "answer"),
    [(None, b"HTTP/1.1 403"), (WEBHOOK_SECRET, None)],
    ids=["without-the-secret-403-at-once", "with-it-the-body-is-awaited"],
)
async def test_the_secret_is_checked_before_the_body_is_read(
    server: httpx.AsyncClient, secret: str | None, answer: bytes | None
) -> None:
    """Headers announcing a megabyte, and no body: the server must answer without it."""
    url = server.base_url
    reader, writer = await asyncio.open_connection(url.host, url.port)
    head = [
        f"POST {WEBHOOK_PATH} HTTP/1.1",
        f"Host: {url.host}",
        "Content-Type: application/json",
        f"Content-Length: {MAX_BODY}",
    ]
    if secret is not None:
        head.append(f"{SECRET_HEADER}: {secret}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    try:
        status = await asyncio.wait_for(reader.readline(), 1.0)
    except TimeoutError:
        status = None
    finally:
        writer.close()
    assert (status[:12] if status else None) == answer


# Arbitrary requests: properties ---------------------------------------------------------


# Far from the small numbers hypothesis likes: its updates, when valid, are answered too.
_users = itertools.count(10**12)  # a fresh user each time: no flood limit is reached
_update_ids = itertools.count(10**15)  # not taken by the guard for a redelivery


def valid_update(message_id: int) -> tuple[Json, int]:
    """A valid /about update from a user not seen before; and that user's id.

    The message id varies only so that hypothesis, which never repeats a test case,
    keeps drawing valid updates."""
    user = {**USER_EN, "id": next(_users)}
    update = {"update_id": next(_update_ids), **message("/about", user=user, chat=private(user))}
    update["message"]["message_id"] = message_id
    return update, user["id"]


MESSAGE_IDS = st.integers(1, 2**31 - 1)


LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
JSON = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
IDS = st.integers() | LEAF
CHAT = st.fixed_dictionaries(
    {"id": IDS, "type": st.sampled_from(["private", "group", "supergroup", "channel"]) | LEAF}
)
USER = st.fixed_dictionaries({"id": IDS, "is_bot": LEAF, "first_name": LEAF})
MESSAGE = st.fixed_dictionaries(
    {"message_id": IDS, "date": IDS, "chat": CHAT | JSON},
    optional={"from": USER | JSON, "text": LEAF, "entities": JSON, "reply_to_message": JSON},
)
UPDATE_SHAPED = st.fixed_dictionaries(
    {"update_id": IDS},
    optional={"message": MESSAGE | JSON, "edited_message": MESSAGE, "callback_query": JSON},
)


def mostly(
    usual: st.SearchStrategy[T], other: st.SearchStrategy[T], times: int = 3
) -> st.SearchStrategy[T]:
    """A draw from `usual` about `times` times in `times + 1`, else from `other`."""
    return st.sampled_from([usual] * times + [other]).flatmap(lambda chosen: chosen)


BODIES = st.one_of(
    st.binary(max_size=200),
    JSON.map(lambda v: json.dumps(v).encode()),
    UPDATE_SHAPED.map(lambda v: json.dumps(v).encode()),
    UPDATE_SHAPED.map(lambda v: json.dumps(v).encode("utf-16")),
    st.integers(1, 20_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(0, 2 * MAX_DEPTH).map(lambda n: encoded({"update_id": 1, "x": nested(n)})),
    st.integers(MAX_BODY - 2, MAX_BODY + 2).map(lambda n: b" " * n),
)
OTHER_TYPES = st.binary(max_size=40) | st.sampled_from(
    [
        None,  # no Content-Type at all
        b"application/json; charset=utf-8",
        b"APPLICATION/JSON",
        b"text/xml",
        b"application/x-www-form-urlencoded",
        b"multipart/form-data",
        b"",
    ]
)
CONTENT_TYPES = mostly(st.just(JSON_TYPE.encode()), OTHER_TYPES)
LENGTHS = mostly(  # a Content-Length header besides the one httpx sets, true or not
    st.none(), st.integers(0, 2 * MAX_BODY).map(lambda n: str(n).encode()) | st.binary(max_size=8)
)


def _taken(content_type: bytes | None) -> bool:
    media = (content_type or b"").decode("latin-1").partition(";")[0]
    return media.strip().lower() == JSON_TYPE


def _refused_once(caplog: pytest.LogCaptureFixture, since: int, status: int) -> bool:
    lines = refusals(caplog, since)
    return len(lines) == 1 and f"refused with {status}" in lines[0].getMessage()


@pytest.mark.parametrize(
    "examples", [QUICK, pytest.param(THOROUGH, marks=pytest.mark.slow)], ids=["quick", "slow"]
)
def test_any_body_gets_a_4xx_and_one_log_line_unless_it_is_an_update(
    door: Door, caplog: pytest.LogCaptureFixture, examples: int
) -> None:
    since_calls = len(door.api.calls)
    answered: list[int] = []

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        body=mostly(BODIES, st.builds(valid_update, MESSAGE_IDS)),
        content_type=CONTENT_TYPES,
        length=LENGTHS,
    )
    def check(
        body: bytes | tuple[Json, int], content_type: bytes | None, length: bytes | None
    ) -> None:
        headers = [(SECRET_HEADER.encode(), WEBHOOK_SECRET.encode())]
        headers += [(b"content-type", content_type)] if content_type is not None else []
        headers += [(b"content-length", length)] if length is not None else []
        valid = isinstance(body, tuple)
        raw = json.dumps(body[0]).encode() if isinstance(body, tuple) else body
        since = len(caplog.records)
        status = door.post(raw, headers).status_code
        event(f"answered {status}")  # shown by --hypothesis-show-statistics
        if status == 200:
            assert _taken(content_type)
            data = json.loads(raw)  # what was taken is JSON, an object, with a proper id
            assert type(data["update_id"]) is int and data["update_id"] >= 0
            assert not refusals(caplog, since)
        else:
            assert 400 <= status < 500 and _refused_once(caplog, since, status), status
            assert not (valid and _taken(content_type) and length is None)
        if valid and status == 200:
            answered.append(body[1])

    check()
    door.replies(answered, since_calls)
    assert tracebacks(caplog) == []  # nor did any update taken trip a handler up


NEAR_MISSES = st.one_of(
    st.none(),
    st.binary(max_size=300),
    st.tuples(st.integers(0, len(WEBHOOK_SECRET)), st.binary(min_size=1, max_size=2)).map(
        lambda c: WEBHOOK_SECRET.encode()[: c[0]] + c[1] + WEBHOOK_SECRET.encode()[c[0] + 1 :]
    ),
    st.integers(0, len(WEBHOOK_SECRET) - 1).map(lambda n: WEBHOOK_SECRET.encode()[:n]),
    st.sampled_from([b" ", b"\t", b"x", b"\x00", b"%00"]).flatmap(
        lambda pad: st.sampled_from([pad + WEBHOOK_SECRET.encode(), WEBHOOK_SECRET.encode() + pad])
    ),
    st.sampled_from([WEBHOOK_SECRET.upper().encode(), WEBHOOK_SECRET.lower().encode()]),
)
HEADER_NAMES = st.sampled_from(
    [SECRET_HEADER.encode(), SECRET_HEADER.lower().encode(), SECRET_HEADER.upper().encode()]
)


@pytest.mark.parametrize(
    "examples", [QUICK, pytest.param(THOROUGH, marks=pytest.mark.slow)], ids=["quick", "slow"]
)
def test_no_update_without_the_exact_secret_is_ever_answered(
    door: Door, caplog: pytest.LogCaptureFixture, examples: int
) -> None:
    since_calls = len(door.api.calls)
    taken: list[int] = []
    forged: list[int] = []

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        secret=mostly(NEAR_MISSES, st.just(WEBHOOK_SECRET.encode()), times=2),
        name=HEADER_NAMES,
        content_type=CONTENT_TYPES,
        junk=st.booleans(),
        message_id=MESSAGE_IDS,
    )
    def check(
        secret: bytes | None, name: bytes, content_type: bytes | None, junk: bool, message_id: int
    ) -> None:
        update, user = valid_update(message_id)
        body = b"{not json" if junk else json.dumps(update).encode()
        headers = [(name, secret)] if secret is not None else []
        headers += [(b"content-type", content_type)] if content_type is not None else []
        since = len(caplog.records)
        status = door.post(body, headers).status_code
        event(f"answered {status}")
        if secret != WEBHOOK_SECRET.encode():
            assert status == 403 and _refused_once(caplog, since, 403)
            forged.append(user)
        elif not junk and _taken(content_type):
            assert status == 200
            taken.append(user)
        else:
            assert status in (400, 415) and _refused_once(caplog, since, status)

    check()
    replied = door.replies(taken, since_calls)
    assert sorted(replied) == sorted(taken) and not set(replied) & set(forged)
    assert tracebacks(caplog) == []
