"""The way in: which updates reach the handlers, and in what order.

- `ChatOrder` processes updates from different chats concurrently (one slow chat,
  paced or waiting out a 429, holds up nobody else) and updates from one chat in the
  order they came, so that replies keep the order of the questions.
- `Guard` drops a user who sends far more than a person types: past `limit` messages in
  `window` seconds the user gets one notice and is then ignored until `window` seconds
  have passed (the ignored messages do not count). Admins are exempt in their own chat:
  they are trusted, and the people most likely to test the bot in bursts.
- `privileged` (and `AdminChat`, the same as a handler filter) decides where admin
  rights hold: only in an admin's own private chat with the bot.

The flood counts live in memory, bounded, per process: a second replica or a restart
starts afresh, which is why one process serves one token (README, "Deploying").
Redelivered updates never get this far: the intake drops them, remembering ids in the
state database (intake.py).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from telegram import Message, MessageEntity, Update, User
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor, filters

FLOOD_LIMIT = 20  # messages a user may send...
FLOOD_WINDOW = 60.0  # ...in this many seconds
_UNBOUNDED = 1 << 30


class Verdict(Enum):
    PASS = "pass"
    NOTICE = "notice"  # the user just went over the limit: tell them, once
    IGNORE = "ignore"  # the user is over the limit and has been told


@dataclass
class _Tally:
    times: deque[float] = field(default_factory=deque)
    quiet_until: float = 0.0


class FloodLimit:
    """Counts each user's messages in a sliding window; pure, with an injectable clock."""

    def __init__(
        self,
        limit: int = FLOOD_LIMIT,
        window: float = FLOOD_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._users: OrderedDict[int, _Tally] = OrderedDict()  # least recently seen first

    def __len__(self) -> int:
        """How many users are being counted."""
        return len(self._users)

    def check(self, user_id: int) -> Verdict:
        """Count one message from `user_id` and say what to do with it."""
        now = self.clock()
        self._forget_idle(now)
        tally = self._users.setdefault(user_id, _Tally())
        self._users.move_to_end(user_id)
        if now < tally.quiet_until:
            return Verdict.IGNORE
        while tally.times and tally.times[0] <= now - self.window:
            tally.times.popleft()
        if len(tally.times) >= self.limit:
            tally.times.clear()
            tally.quiet_until = now + self.window
            return Verdict.NOTICE
        tally.times.append(now)
        return Verdict.PASS

    def _forget_idle(self, now: float) -> None:
        """Drop users not seen for a whole window: nothing of theirs still counts."""
        while self._users:
            tally = next(iter(self._users.values()))
            if tally.quiet_until > now or (tally.times and tally.times[-1] > now - self.window):
                return
            self._users.popitem(last=False)


class Guard:
    """Decides, before any handler runs, whether an update is answered at all."""

    def __init__(
        self,
        admins: frozenset[int] = frozenset(),
        flood: FloodLimit | None = None,
    ) -> None:
        self.admins = admins
        self.flood = flood if flood is not None else FloodLimit()

    def admit(self, update: Update, me: User) -> Verdict:
        """The verdict on `update` for the bot `me` (`Bot.bot`, known once initialised)."""
        user = update.effective_user
        if user is None or privileged(update, self.admins) or not _counts(update, me):
            return Verdict.PASS
        return self.flood.check(user.id)


def privileged(update: Update, admins: frozenset[int]) -> bool:
    """Whether `update` comes from one of `admins` in their own private chat with the bot,
    whose id is theirs: the only place admin rights hold. In a group others read along,
    and a private chat whose id is not the sender's cannot come from Telegram."""
    user, chat = update.effective_user, update.effective_chat
    return (
        user is not None
        and chat is not None
        and user.id in admins
        and chat.type == ChatType.PRIVATE
        and chat.id == user.id
    )


class AdminChat(filters.UpdateFilter):
    """A handler filter passing only `privileged` updates."""

    __slots__ = ("admins",)

    def __init__(self, admins: frozenset[int]) -> None:
        super().__init__(name="AdminChat")
        self.admins = admins

    def filter(self, update: Update) -> bool:
        return privileged(update, self.admins)


def _counts(update: Update, me: User) -> bool:
    """Whether the update is something the bot answers, and so counts towards the limit.

    Inline queries do not: clients send one per keystroke, and they post nothing in a
    chat. Group chatter not meant for the bot does not either.
    """
    if update.callback_query is not None:
        return True
    message = update.message or update.edited_message
    if message is None:
        return False
    return addressed(message, me) or _command(message, me)


def addressed(message: Message, me: User) -> bool:
    """In groups, only messages that mention the bot or reply to it are meant for it."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == me.id:
        return True
    kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    entities = {**message.parse_entities(kinds), **message.parse_caption_entities(kinds)}
    mention = f"@{me.username}".casefold()
    return any(
        (e.user is not None and e.user.id == me.id) or text.casefold() == mention
        for e, text in entities.items()
    )


def _command(message: Message, me: User) -> bool:
    """A /command for this bot: `/help` or `/help@this_bot`, not `/help@other_bot`."""
    text = message.text or ""
    if not text.startswith("/"):
        return False
    _, at, name = text.split(maxsplit=1)[0].partition("@")
    return not at or name.casefold() == (me.username or "").casefold()


class ChatOrder(BaseUpdateProcessor):
    """Up to `max_concurrent` updates at a time, but one chat's updates in order; `done`,
    when given, is awaited with each update once its handlers have finished."""

    def __init__(
        self, max_concurrent: int, done: Callable[[object], Awaitable[None]] | None = None
    ) -> None:
        # PTB's own bound would hold a slot while an update waits for its chat, so a
        # user with many updates in hand could block everyone; it is lifted out of the
        # way and the bound applied below, once it is the chat's turn.
        super().__init__(max_concurrent_updates=_UNBOUNDED)
        self._slots = asyncio.Semaphore(max_concurrent)
        self._queues: dict[int, tuple[asyncio.Lock, int]] = {}  # chat -> (lock, waiting)
        self._done = done

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        async with self._turn(_chat_key(update)), self._slots:
            await coroutine  # PTB's process_update: handlers' errors go to the error handler
        if self._done is not None:
            await self._done(update)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @asynccontextmanager
    async def _turn(self, chat: int | None) -> AsyncIterator[None]:
        if chat is None:
            yield
            return
        lock, waiting = self._queues.get(chat) or (asyncio.Lock(), 0)
        self._queues[chat] = (lock, waiting + 1)
        try:
            async with lock:  # asyncio.Lock wakes its waiters first come, first served
                yield
        finally:
            lock, waiting = self._queues[chat]
            if waiting == 1:
                del self._queues[chat]  # bounded: only chats with updates in hand
            else:
                self._queues[chat] = (lock, waiting - 1)


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    chat, user = update.effective_chat, update.effective_user
    return chat.id if chat else user.id if user else None
