"""Where each Telegram chat's conversation context is kept, so a restart keeps it too.

A context is what one chat (one user within a group) was answered last: an intent id,
when, and how many follow-ups it has carried (bot/answering/context.py decides what
they mean). It lives in the state database beside the question log and holds no
question text. Chats are keyed by a keyed hash of chat and user (HMAC-SHA256 with
HASH_KEY), like users in the question log; without HASH_KEY contexts are kept in
memory only. Rows older than `lifetime` seconds are deleted as new ones are written.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from bot.connection import Database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS contexts (
    chat TEXT PRIMARY KEY,
    intent TEXT NOT NULL,
    at REAL NOT NULL,
    turns INTEGER NOT NULL
);
"""
Row = tuple[str, float, int]  # intent id, seconds since the epoch, follow-ups carried


class ChatContexts(Database):
    """Contexts per chat; use as `async with ChatContexts(path, key) as contexts:`."""

    name = "state database"

    def __init__(self, path: Path, hash_key: str | None, lifetime: float) -> None:
        super().__init__(path)
        self._key = hash_key.encode() if hash_key else None
        self.lifetime = lifetime
        self._memory: dict[str, Row] = {}  # without a key: kept for this process only

    @classmethod
    def in_memory(cls, lifetime: float) -> ChatContexts:
        """Contexts kept for this process only (no state database, no file opened)."""
        return cls(Path(), None, lifetime)

    async def __aenter__(self) -> ChatContexts:
        if self._key is not None:
            await self._open_writable(_SCHEMA)
        return self

    def key(self, chat_id: int, user_id: int | None) -> str:
        """The chat's key: a keyed hash when users may be identified, else plain ids."""
        ids = f"{chat_id}:{user_id if user_id is not None else ''}"
        if self._key is None:
            return ids
        return hmac.new(self._key, ids.encode(), hashlib.sha256).hexdigest()[:32]

    async def get(self, chat: str, now: float) -> Row | None:
        if self._key is None:
            row = self._memory.get(chat)
        else:
            rows = await self.db.execute_fetchall(
                "SELECT intent, at, turns FROM contexts WHERE chat = ?", (chat,)
            )
            row = next(((str(i), float(a), int(t)) for i, a, t in rows), None)
        return row if row is not None and now - row[1] <= self.lifetime else None

    async def put(self, chat: str, row: Row | None) -> None:
        """Keep `row` as the chat's context, or forget the chat's context for None."""
        if self._key is None:
            if row is None:
                self._memory.pop(chat, None)
            else:
                self._memory[chat] = row
            return
        db = self.db
        if row is None:
            await db.execute("DELETE FROM contexts WHERE chat = ?", (chat,))
        else:
            await db.execute(
                "INSERT INTO contexts (chat, intent, at, turns) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(chat) DO UPDATE SET intent = excluded.intent, at = excluded.at,"
                " turns = excluded.turns",
                (chat, *row),
            )
            await db.execute("DELETE FROM contexts WHERE at < ?", (row[1] - self.lifetime,))
        await db.commit()
