"""How the bot's calls reach the Bot API: within Telegram's flood limits, through its faults.

Every call except getUpdates (which PTB's updater retries itself) passes through
`Delivery`, the application's rate limiter:

- Limits, kept by design: AIORateLimiter holds the overall 30 calls/s and 20/min per
  group; `Delivery` adds the ~1 message/s per chat that AIORateLimiter lacks. The first
  message to a chat goes at once; the next one waits its turn.
- 429 (`RetryAfter`): wait the time Telegram gives, then retry. Only that chat waits
  (AIORateLimiter would halt every chat), since the limits above keep the bot under
  Telegram's global limit.
- 5xx, dropped connections and timeouts (`NetworkError`, `TimedOut`): bounded retries
  with exponential backoff and jitter.
- Anything else is raised at once, as a retry cannot help: `BadRequest`, `Forbidden`,
  any other 4xx but 408 and 429 (`Rejected`, e.g. 413 for an upload too large), and
  requests that never left because they are malformed. PTB raises the last kind as
  `NetworkError` too (a URL httpx cannot parse or connect to, parameters that cannot be
  encoded); the exception it wraps tells them apart from network faults.

PTB asks rate limiters to leave exceptions other than RetryAfter alone; retrying network
faults here instead is deliberate, so that every handler gets the same guarantee.

The trade-off: a call whose request went out but whose answer never came (a read
timeout, a connection dropped mid-answer) may have been carried out, and the Bot API has
no idempotency key to ask. Such calls are retried too: at-least-once. A question is then
at worst answered twice with the same text, never silently not at all; the retry is
logged as a possible duplicate. Calls that never left (connection refused, pool
timeout) and calls Telegram refused (429, 5xx) are always safe to repeat.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable, Coroutine
from datetime import timedelta
from http import HTTPStatus
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, BaseRateLimiter
from telegram.request import HTTPXRequest

Result = bool | dict[str, Any] | list[dict[str, Any]]
Call = Callable[..., Coroutine[Any, Any, Result]]

PER_CHAT_INTERVAL = 1.0  # seconds between messages to one chat
OVERALL_RATE = 30  # calls per second, all chats together
GROUP_RATE = 20  # messages per minute to one group

log = logging.getLogger(__name__)


class Rejected(TelegramError):
    """A 4xx answer PTB has no exception of its own for (it raises NetworkError)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{description} ({status})")
        self.status = status


class BotAPIRequest(HTTPXRequest):
    """PTB's HTTP client, raising `Rejected` for a 4xx answer that PTB would raise as a
    NetworkError, which reads as a fault worth retrying. 400, 401, 403, 404 and 409 have
    PTB's own exceptions; 408 and 429 (without retry_after) do invite a retry."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, payload = await super().do_request(*args, **kwargs)
        if 400 <= status < 500 and status not in _PTB_OWN_OR_RETRYABLE:
            raise Rejected(status, _description(status, payload))
        return status, payload


_PTB_OWN_OR_RETRYABLE = frozenset({400, 401, 403, 404, 408, 409, 429})


def _description(status: int, payload: bytes) -> str:
    """Telegram's words for a refusal, or the status's name when the answer has none."""
    try:
        description = json.loads(payload).get("description")
    except (ValueError, AttributeError):
        description = None
    if isinstance(description, str):
        return description
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status the standard does not name
        return "Client Error"


class _Refused(Exception):
    """A RetryAfter carried past AIORateLimiter, which would log it as an error and halt
    every chat; `Delivery` waits for the one chat concerned instead."""

    def __init__(self, error: RetryAfter) -> None:
        super().__init__(str(error))
        self.error = error


class Delivery(BaseRateLimiter[int]):
    """The rate limiter for `ApplicationBuilder.rate_limiter`: limits, pacing and retries.

    Defaults are Telegram's limits; tests lower the pacing or raise the rates to drive
    load through quickly. `rate_limit_args` from callers are ignored.
    """

    def __init__(
        self,
        *,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        overall_rate: float = OVERALL_RATE,
        group_rate: float = GROUP_RATE,
        network_retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        flood_retries: int = 5,
        max_retry_after: float = 60.0,
    ) -> None:
        self.per_chat_interval = per_chat_interval
        self.network_retries = network_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.flood_retries = flood_retries
        self.max_retry_after = max_retry_after
        # max_retries=0: a 429 comes straight back here (as _Refused, see there).
        self._limits = AIORateLimiter(
            overall_max_rate=overall_rate, group_max_rate=group_rate, max_retries=0
        )
        self._turns: dict[int | str, float] = {}  # chat -> when its next message may go
        self._prune_at = 1024

    async def initialize(self) -> None:
        await self._limits.initialize()

    async def shutdown(self) -> None:
        await self._limits.shutdown()

    async def process_request(  # noqa: PLR0917 - BaseRateLimiter's signature
        self,
        callback: Call,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Make the call once it is the chat's turn; retry it as the module docstring says."""
        chat = _chat_of(data)

        async def attempt(*call_args: Any, **call_kwargs: Any) -> Result:
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter as exc:
                raise _Refused(exc) from exc

        refusals = failures = 0
        while True:
            await self._take_turn(chat)
            try:
                return await self._limits.process_request(
                    attempt, args, kwargs, endpoint, data, None
                )
            except _Refused as refused:
                wait = _seconds(refused.error.retry_after)
                refusals += 1
                if refusals > self.flood_retries or wait > self.max_retry_after:
                    raise refused.error from None
                log.info("%s: flood limit, retrying in %.1f s", endpoint, wait)
                if chat is None:
                    await asyncio.sleep(wait)
                else:  # the next _take_turn waits, and so does every other call to this chat
                    self._hold(chat, wait)
            except NetworkError as exc:
                failures += 1
                if not _transient(exc) or failures > self.network_retries:
                    raise
                delay = min(self.max_backoff, self.backoff * 2 ** (failures - 1))
                delay *= random.uniform(0.5, 1.0)  # jitter: retries from many chats spread out
                doubt = " (it may arrive twice)" if _maybe_done(exc) else ""
                log.warning(
                    "%s failed (%s); retry %d in %.1f s%s", endpoint, exc, failures, delay, doubt
                )
                await asyncio.sleep(delay)

    async def _take_turn(self, chat: int | str | None) -> None:
        """Wait until `chat` may get its next message, and book the slot after it."""
        if chat is None:
            return
        now = asyncio.get_running_loop().time()
        at = max(now, self._turns.get(chat, now))
        self._turns[chat] = at + self.per_chat_interval
        if len(self._turns) > self._prune_at:
            self._turns = {c: t for c, t in self._turns.items() if t > now}
            self._prune_at = max(1024, 2 * len(self._turns))
        if at > now:
            await asyncio.sleep(at - now)

    def _hold(self, chat: int | str, seconds: float) -> None:
        """Nothing goes to `chat` for `seconds`, as Telegram asked."""
        until = asyncio.get_running_loop().time() + seconds
        self._turns[chat] = max(self._turns.get(chat, until), until)


def _chat_of(data: dict[str, Any]) -> int | str | None:
    chat = data.get("chat_id")
    if isinstance(chat, str) and chat.lstrip("-").isdigit():
        return int(chat)
    return chat if isinstance(chat, int | str) else None


def _seconds(retry_after: int | float | timedelta) -> float:
    # PTB gives an int now and a timedelta with PTB_TIMEDELTA=true (its future default).
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


# httpx failures of a request that could not be sent as it stands: no retry makes it valid.
_MALFORMED = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


def _transient(exc: NetworkError) -> bool:
    """Whether a retry may succeed: a 5xx, 408 or 429 answer (no cause, or a TelegramError
    for an answer that was not JSON), a timeout, a connection refused or dropped. Not a
    BadRequest, nor a request that never left: PTB wraps whatever else fails in its HTTP
    client (InvalidURL, a parameter that cannot be encoded) as a NetworkError too."""
    if isinstance(exc, BadRequest):
        return False
    cause = exc.__cause__
    if cause is None or isinstance(cause, TelegramError):
        return True
    return isinstance(cause, httpx.TransportError) and not isinstance(cause, _MALFORMED)


# httpx failures that happen only after the whole request went out: Telegram may have
# carried it out although no answer came back.
_AFTER_SENDING = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


def _maybe_done(exc: BaseException) -> bool:
    """Whether the failed request had reached Telegram (and may have been carried out)."""
    cause = exc.__cause__
    while cause is not None:
        if isinstance(cause, _AFTER_SENDING):
            return True
        cause = cause.__cause__
    return False
