"""Updates received but not yet handled, and the ids of recent ones, in the state database.

What makes the bot at-least-once across crashes: an update is stored here before it is
acknowledged to Telegram (which then forgets it), and marked handled once the handlers
are done with it. After a crash, `pending` gives what was stored but not handled, to be
handled first. A handled update keeps its id (its JSON is dropped), so that Telegram
redelivering it, even after a restart, is recognised: `receive` says False. The ids of
the last `remember` updates received are kept, as many as any redelivery needs.

A table beside the question log (bot/state.py), in the same file, with its own
connection. Each statement commits on its own as it ends: one trip to SQLite's thread
per update and step, and once `receive` has returned, the update survives kill -9.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.connection import Database
from bot.errors import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS updates (
    seq INTEGER PRIMARY KEY,  -- order of arrival
    update_id INTEGER NOT NULL UNIQUE,
    body TEXT  -- the update's JSON while it is not handled; NULL once it is
);
CREATE INDEX IF NOT EXISTS updates_pending ON updates(seq) WHERE body IS NOT NULL;
"""
REMEMBERED = 10_000  # update ids kept for recognising redeliveries
PRUNE_EVERY = 1_000  # updates received between two prunings


@dataclass(frozen=True, slots=True)
class Stored:
    """An update received but not handled: its id and its JSON as received."""

    update_id: int
    body: str


class Inbox(Database):
    """Use as `async with Inbox(path) as inbox:`; every method raises StoreError on failure."""

    name = "state database"

    def __init__(self, path: Path, remember: int = REMEMBERED) -> None:
        super().__init__(path)
        self.remember = remember
        self._unpruned = 0

    async def __aenter__(self) -> Inbox:
        await self._open_writable(_SCHEMA, autocommit=True)
        await self.prune()
        return self

    async def receive(self, update_id: int, body: str) -> bool:
        """Store an update; True once it is on disk, False when its id is already known."""
        cursor = await self._run(
            "INSERT INTO updates (update_id, body) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (update_id, body),
        )
        if cursor.rowcount != 1:
            return False
        self._unpruned += 1
        if self._unpruned >= PRUNE_EVERY:
            await self.prune()
        return True

    async def handled(self, update_id: int) -> None:
        """Mark an update handled: its JSON goes, its id stays for a while."""
        await self._run("UPDATE updates SET body = NULL WHERE update_id = ?", (update_id,))

    async def pending(self) -> list[Stored]:
        """The updates received but not handled, in the order they came."""
        try:
            rows = await self.db.execute_fetchall(
                "SELECT update_id, body FROM updates WHERE body IS NOT NULL ORDER BY seq"
            )
        except sqlite3.Error as exc:
            raise StoreError(f"the {self.name} cannot be read ({exc})") from exc
        return [Stored(int(i), str(b)) for i, b in rows]

    async def prune(self) -> int:
        """Forget handled ids older than the last `remember` received; returns how many."""
        self._unpruned = 0
        cursor = await self._run(
            "DELETE FROM updates WHERE body IS NULL AND seq <= (SELECT max(seq) FROM updates) - ?",
            (self.remember,),
        )
        return cursor.rowcount

    async def _run(self, sql: str, params: tuple[object, ...]) -> aiosqlite.Cursor:
        try:
            return await self.db.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"the {self.name} cannot be written ({exc})") from exc
