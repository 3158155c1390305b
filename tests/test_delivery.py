"""`Delivery` on its own: which failures it retries, how long it waits, what it paces.

The Bot API call is a script that fails as told and then succeeds; PTB raises the
same exceptions from its HTTP layer (the end-to-end tests in test_reliability.py
go through it).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import httpx
import pytest
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.config import Secret, Settings
from bot.telegram_bot.application import application_builder
from bot.telegram_bot.delivery import Delivery, Rejected, Result
from tests.fake_bot_api import BAD_GATEWAY, SERVER_ERROR, TOKEN, FakeBotAPI, Fault
from tests.updates import USER_EN


class Script:
    """A Bot API call that raises `failures` one per attempt, then succeeds."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.attempts: list[float] = []

    async def __call__(self, *args: Any, **kwargs: Any) -> Result:
        self.attempts.append(asyncio.get_running_loop().time())
        if self.failures:
            raise self.failures.pop(0)
        return {"message_id": len(self.attempts)}


async def call(
    delivery: Delivery, script: Script, chat: int | None = 1, endpoint: str = "sendMessage"
) -> Result:
    data: dict[str, Any] = {} if chat is None else {"chat_id": chat, "text": "hi"}
    return await delivery.process_request(script, (), {}, endpoint, data, None)


def quick(**changes: Any) -> Delivery:
    return Delivery(**{"per_chat_interval": 0.0, "backoff": 0.01, **changes})


def wait(seconds: float) -> RetryAfter:
    return RetryAfter(timedelta(seconds=seconds))


def after(exc: NetworkError, cause: Exception) -> NetworkError:
    exc.__cause__ = cause  # as PTB's HTTPXRequest raises them: `raise TimedOut from err`
    return exc


@pytest.mark.parametrize(
    "failures",
    [
        [wait(0.1)],
        [NetworkError("Internal Server Error")],
        [NetworkError("Bad Gateway"), NetworkError("cannot connect to the Bot API: refused")],
        [TimedOut("Pool timeout"), wait(0.1), NetworkError("Service Unavailable")],
    ],
    ids=["429", "500", "502-reset", "timeout-429-503"],
)
async def test_transient_failures_are_retried_until_the_call_goes_through(
    failures: list[Exception], caplog: pytest.LogCaptureFixture
) -> None:
    script = Script(*failures)
    assert await call(quick(), script) == {"message_id": len(failures) + 1}
    assert len(script.attempts) == len(failures) + 1
    # AIORateLimiter logs a 429 it gives up on as an error; here nobody gave up.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "failure",
    [BadRequest("chat not found"), Forbidden("bot was blocked by the user"), InvalidToken()],
    ids=["400", "403", "401"],
)
async def test_refusals_a_retry_cannot_fix_are_raised_at_once(failure: Exception) -> None:
    script = Script(failure)
    with pytest.raises(type(failure)):
        await call(quick(), script)
    assert len(script.attempts) == 1


async def test_network_retries_are_bounded() -> None:
    script = Script(*[NetworkError("Internal Server Error")] * 4)
    with pytest.raises(NetworkError):
        await call(quick(network_retries=2), script)
    assert len(script.attempts) == 3


async def test_backoff_grows() -> None:
    script = Script(*[NetworkError("Internal Server Error")] * 3)
    await call(quick(backoff=0.05), script)
    gaps = [b - a for a, b in zip(script.attempts, script.attempts[1:], strict=False)]
    # 0.05, 0.1, 0.2 seconds, each with jitter down to half
    assert gaps[0] >= 0.024 and gaps[1] >= 0.049 and gaps[2] >= 0.099


@pytest.mark.parametrize(
    ("failures", "options"),
    [([wait(0.01)] * 3, {"flood_retries": 2}), ([wait(120)], {})],
    ids=["too-many-429s", "too-long-a-wait"],
)
async def test_flood_waits_are_bounded(failures: list[Exception], options: dict[str, Any]) -> None:
    script = Script(*failures)
    with pytest.raises(RetryAfter):
        await call(quick(**options), script)


async def test_a_429_holds_its_chat_only() -> None:
    delivery = quick()
    held, later, other = Script(wait(0.3)), Script(), Script()
    loop = asyncio.get_running_loop()
    start = loop.time()
    first = asyncio.create_task(call(delivery, held, chat=1))
    await asyncio.sleep(0.05)  # chat 1 is now waiting out its 429
    await asyncio.gather(call(delivery, later, chat=1), call(delivery, other, chat=2))
    await first
    assert other.attempts[0] - start < 0.1
    assert held.attempts[1] - start >= 0.3
    assert later.attempts[0] - start >= 0.3  # Telegram asked for quiet in that chat


async def test_a_429_without_a_chat_is_waited_out_too() -> None:
    script = Script(wait(0.2))
    await call(quick(), script, chat=None, endpoint="answerCallbackQuery")
    assert script.attempts[1] - script.attempts[0] >= 0.2


async def test_one_chat_gets_a_message_per_interval_other_chats_at_once() -> None:
    delivery = Delivery(per_chat_interval=0.2)
    same = [Script() for _ in range(3)]
    other = Script()
    start = asyncio.get_running_loop().time()
    await asyncio.gather(*(call(delivery, s, chat=7) for s in same), call(delivery, other, chat=8))
    times = [s.attempts[0] - start for s in same]
    assert times[0] < 0.05 and times[1] >= 0.19 and times[2] >= 0.39
    assert other.attempts[0] - start < 0.05


async def test_the_overall_limit_still_holds() -> None:
    delivery = Delivery(per_chat_interval=0.0, overall_rate=10)
    scripts = [Script() for _ in range(15)]
    start = asyncio.get_running_loop().time()
    await asyncio.gather(*(call(delivery, s, chat=n) for n, s in enumerate(scripts)))
    # 10 at once (the bucket), then 10 a second: the last 5 take about half a second.
    assert max(s.attempts[0] for s in scripts) - start >= 0.4


@pytest.mark.parametrize(
    ("cause", "doubt"),
    [
        (httpx.ReadTimeout("waiting for the answer"), True),
        (httpx.RemoteProtocolError("closed before answering"), True),
        (httpx.ConnectTimeout("connecting"), False),
        (httpx.ConnectError("refused"), False),
    ],
    ids=["read-timeout", "closed-mid-answer", "connect-timeout", "refused"],
)
async def test_a_retry_that_may_duplicate_says_so(
    cause: Exception, doubt: bool, caplog: pytest.LogCaptureFixture
) -> None:
    script = Script(after(TimedOut(), cause))
    await call(quick(), script)
    assert len(script.attempts) == 2  # at-least-once: retried either way
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert ("may arrive twice" in warning) is doubt


# Through PTB's HTTP client, as the bot makes its calls --------------------------------

CANNOT_SUCCEED = [
    pytest.param("fake", Fault(413, "Request Entity Too Large"), "hi", id="413-upload-refused"),
    pytest.param("fake", Fault(405, "Method Not Allowed"), "hi", id="405"),
    pytest.param("fake", Fault(499), "hi", id="499-unnamed"),
    pytest.param("fake", None, "a\ud800b", id="text-that-cannot-be-encoded"),
    pytest.param("https://[::1/bot", None, "hi", id="malformed-url"),
    pytest.param("http://127.0.0.1:99999/bot", None, "hi", id="port-out-of-range"),
    pytest.param("http:///bot", None, "hi", id="no-host"),
]
CAN_SUCCEED = [
    pytest.param("fake", SERVER_ERROR, id="500"),
    pytest.param("http://127.0.0.1:1/bot", None, id="connection-refused"),
    pytest.param("fake", Fault(408, "Request Timeout"), id="408"),
    pytest.param("fake", Fault(429, "Too Many Requests"), id="429-without-retry-after"),
    pytest.param("fake", BAD_GATEWAY, id="502"),
]


async def send(
    api: FakeBotAPI, where: str, fault: Fault | None, text: str, caplog: pytest.LogCaptureFixture
) -> tuple[BaseException | None, int, int]:
    """Send `text` through the bot's own client to `where` (the fake answering `fault`
    first); what was raised, how many sendMessage calls reached the fake, and how many
    retries Delivery logged."""
    url = f"{api.url}/bot" if where == "fake" else where
    delivery = quick()
    app = application_builder(Settings(token=Secret(TOKEN), api_url=url), delivery).build()
    if fault is not None:
        api.fail_next["sendMessage"] = [fault]
    raised: BaseException | None = None
    await delivery.initialize()
    try:
        await app.bot.send_message(USER_EN["id"], text)
    except TelegramError as exc:
        raised = exc
    finally:
        await delivery.shutdown()
        await app.bot.request.shutdown()
    retries = [r for r in caplog.records if "; retry " in r.getMessage()]
    return raised, len(api.of("sendMessage")), len(retries)


@pytest.mark.parametrize(("where", "fault", "text"), CANNOT_SUCCEED)
async def test_a_call_that_cannot_succeed_is_made_once(
    api: FakeBotAPI, caplog: pytest.LogCaptureFixture, where: str, fault: Fault | None, text: str
) -> None:
    raised, calls, retries = await send(api, where, fault, text, caplog)
    assert raised is not None and retries == 0
    assert calls == (1 if fault else 0)
    if fault is not None:
        assert isinstance(raised, Rejected) and f"({fault.status})" in str(raised)


@pytest.mark.parametrize(("where", "fault"), CAN_SUCCEED)
async def test_a_call_that_may_succeed_later_is_retried(
    api: FakeBotAPI, caplog: pytest.LogCaptureFixture, where: str, fault: Fault | None
) -> None:
    raised, calls, retries = await send(api, where, fault, "hi", caplog)
    if where == "fake":
        assert (raised, calls, retries) == (None, 2, 1)
    else:  # nothing listens there: retried as often as allowed
        assert isinstance(raised, NetworkError) and retries == quick().network_retries
