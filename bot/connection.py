"""An aiosqlite connection with a visible lifetime, shared by facts.db and the state database.

The path becomes an SQLite URI through `Path.as_uri()`, so a `#`, `?` or `%` in a
folder name is part of the file name, never a URI fragment or parameter.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType

import aiosqlite

from bot.errors import StoreError


def sqlite_uri(path: Path, mode: str) -> str:
    """The `file:` URI of `path` opened in `mode` (`ro` or `rwc`)."""
    return f"{path.resolve().as_uri()}?mode={mode}"


class Database:
    """An aiosqlite connection: opened by `async with` in a subclass, closed by `close()`."""

    name = "database"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: aiosqlite.Connection | None = None

    async def _connect(self, mode: str, autocommit: bool = False) -> aiosqlite.Connection:
        # isolation_level=None: each statement is its own transaction, committed as it ends.
        level = None if autocommit else ""
        self._db = await aiosqlite.connect(
            sqlite_uri(self.path, mode), uri=True, isolation_level=level
        )
        return self._db

    async def _open_writable(self, schema: str, autocommit: bool = False) -> None:
        """Open the state database for writing, creating it and its folder, in WAL mode.

        WAL with synchronous=NORMAL: a commit survives the process being killed (the
        crash that matters here); a power cut may take back the last few.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = await self._connect("rwc", autocommit)
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA synchronous=NORMAL")
            await db.executescript(schema)
            await db.commit()
        except (OSError, sqlite3.Error) as exc:
            await self.close()
            raise StoreError(
                f"{self.path}: cannot open the {self.name} ({exc}); set STATE_DB to a writable file"
            ) from exc

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError(f"the {self.name} is not open")
        return self._db
