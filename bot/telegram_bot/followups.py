"""Follow-up questions in Telegram: each chat's context, kept across restarts.

A private chat has one conversation; in a group each user has their own, so two
people asking at once do not lean on each other's answers. The contexts live in the
state database (bot/conversations.py) when the bot has one and HASH_KEY is set,
else in memory; failing to keep one is a warning, never a missing reply (the next
question is then read on its own).
"""

from __future__ import annotations

import logging
import time

from telegram import Chat, User

from bot.answering.context import LIFETIME, Context, after, picked
from bot.conversations import ChatContexts
from bot.models import Reply

log = logging.getLogger(__name__)


class Followups:
    """What each chat was answered last, kept by `store` (in memory when not given)."""

    def __init__(self, store: ChatContexts | None = None) -> None:
        self.store = store if store is not None else ChatContexts.in_memory(LIFETIME)

    def key(self, chat: Chat, user: User | None) -> str:
        user_id = user.id if user is not None and chat.type != Chat.PRIVATE else None
        return self.store.key(chat.id, user_id)

    async def context(self, chat: Chat, user: User | None) -> Context | None:
        """The chat's context while it lasts: for `LIFETIME` seconds and at most
        `TURNS` follow-ups, as in the console and `ask --json`."""
        now = time.time()
        try:
            row = await self.store.get(self.key(chat, user), now)
        except Exception as exc:  # locked, closed, disk gone: read the question on its own
            log.warning("could not read a conversation's context: %r", exc)
            return None
        context = Context(*row) if row is not None else None
        return context if context is not None and context.alive(now) else None

    async def answered(
        self, chat: Chat, user: User | None, reply: Reply, previous: Context | None
    ) -> None:
        await self._keep(chat, user, after(reply, previous, time.time()))

    async def chosen(self, chat: Chat, user: User | None, intent_id: str) -> None:
        """The user tapped an intent: a "which of these?" option or a related question."""
        await self._keep(chat, user, picked(intent_id, time.time()))

    async def dropped(self, chat: Chat, user: User | None) -> None:
        """The user tapped "None of these": the likeliest option is not the topic."""
        await self._keep(chat, user, None)

    async def _keep(self, chat: Chat, user: User | None, context: Context | None) -> None:
        row = (context.intent_id, context.at, context.turns) if context is not None else None
        try:
            await self.store.put(self.key(chat, user), row)
        except Exception as exc:  # the reply went out; only the follow-up reading is lost
            log.warning("could not keep a conversation's context: %r", exc)
