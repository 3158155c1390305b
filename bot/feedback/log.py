"""The feedback table of the state database: one row per reply that carried buttons.

A Telegram answer carries 👍/👎 and a "which of these?" its options; each such reply is
a row keyed by a random token that its buttons' callback data holds, so a tap finds
its question (callback data cannot hold the text) across restarts. The row keeps the
question's text, its language, the intent answered (or, after "which of these?", the
one tapped, or `none`), the vote (+1, -1; the last tap counts) and the note left after a
👎. Users appear only as the keyed hash the question log uses (nothing without
HASH_KEY). The 👎 prompt is found again by a keyed hash of its chat and message id
(with a key made at start-up when there is no HASH_KEY, so a note then has to come
before a restart). Rows older than the retention limit are deleted at opening.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.connection import Database
from bot.models import Kind, Lang, Reply

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    token TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT,
    lang TEXT NOT NULL,
    kind TEXT NOT NULL,
    intent TEXT,
    question TEXT NOT NULL,
    follow_up INTEGER NOT NULL DEFAULT 0,
    vote INTEGER,
    note TEXT,
    prompt TEXT
);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback(at);
CREATE INDEX IF NOT EXISTS feedback_prompt ON feedback(prompt);
CREATE TABLE IF NOT EXISTS rejected (
    question TEXT NOT NULL,
    intent TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (question, intent)
);
"""
TOKEN_LENGTH = 8  # characters of URL-safe base64: 48 random bits
MAX_TEXT = 500  # characters kept of a question or a note
NONE_CHOSEN = "none"  # the intent of a "which of these?" answered with "None of these"
UP, DOWN = 1, -1


@dataclass(frozen=True, slots=True)
class Signal:
    """One reply's feedback: what was asked, what the bot did, what the user said."""

    question: str
    lang: Lang
    kind: Kind  # ANSWER (with its vote) or CLARIFY (with the intent tapped)
    intent: str | None
    vote: int | None = None
    note: str | None = None
    follow_up: bool = False  # read against the chat's last answer ("who issued it?")


@dataclass(frozen=True, slots=True)
class Voted:
    """An answer's feedback before a vote: its vote, and whether a note was asked for."""

    vote: int | None
    prompted: bool


def _now(at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).isoformat(timespec="seconds")


def _clean(text: str) -> str:
    # Telegram may pass on lone surrogates, which SQLite cannot store.
    return text[:MAX_TEXT].encode("utf-8", "replace").decode("utf-8")


class FeedbackLog(Database):
    """Feedback on replies; use as `async with FeedbackLog(path, key) as feedback:`."""

    name = "state database"

    def __init__(self, path: Path, hash_key: str | None, retention_days: int = 90) -> None:
        super().__init__(path)
        self._key = hash_key.encode() if hash_key else None
        self._prompt_key = self._key or secrets.token_bytes(32)
        self.retention = timedelta(days=retention_days)
        self._lock = asyncio.Lock()  # one write at a time

    async def __aenter__(self) -> FeedbackLog:
        await self._open_writable(_SCHEMA)
        cutoff = _now(datetime.now(UTC) - self.retention)
        await self.db.execute("DELETE FROM feedback WHERE at < ?", (cutoff,))
        await self.db.commit()
        return self

    @staticmethod
    def new_token() -> str:
        """A fresh token for one reply's buttons."""
        return secrets.token_urlsafe(6)

    def _hash(self, key: bytes | None, value: str) -> str | None:
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32] if key else None

    async def _write(self, sql: str, row: tuple[object, ...]) -> int:
        async with self._lock:
            db = self.db  # StoreError when closed
            try:
                cursor = await db.execute(sql, row)
                await db.commit()
            except Exception:
                with contextlib.suppress(Exception):
                    await db.rollback()
                raise
            return cursor.rowcount

    async def offered(
        self, token: str, reply: Reply, user_id: int | None, at: datetime | None = None
    ) -> None:
        """Keep the reply that carries the buttons of `token` (an answer or a clarify)."""
        user = self._hash(self._key, str(user_id)) if user_id is not None else None
        intent = reply.intent_id if reply.kind is Kind.ANSWER else None
        await self._write(
            "INSERT OR REPLACE INTO feedback"
            " (token, at, user, lang, kind, intent, question, follow_up)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                token,
                _now(at),
                user,
                reply.lang.value,
                reply.kind.value,
                intent,
                _clean(reply.question),
                int(reply.follow_up),
            ),
        )

    async def vote(self, token: str, vote: int) -> Voted | None:
        """Record 👍 (UP) or 👎 (DOWN) on an answer, replacing an earlier vote; returns what
        was there before, or None when the answer is unknown (pruned, or from before
        feedback was kept)."""
        rows = await self.db.execute_fetchall(
            "SELECT vote, prompt FROM feedback WHERE token = ? AND kind = ?",
            (token, Kind.ANSWER.value),
        )
        before = next((Voted(v, p is not None) for v, p in rows), None)
        if before is not None:
            await self._write("UPDATE feedback SET vote = ? WHERE token = ?", (vote, token))
        return before

    async def chose(self, token: str, intent_id: str) -> bool:
        """Record the option tapped after "which of these?" (or NONE_CHOSEN)."""
        return bool(
            await self._write(
                "UPDATE feedback SET intent = ? WHERE token = ? AND kind = ?",
                (intent_id, token, Kind.CLARIFY.value),
            )
        )

    async def question(self, token: str) -> tuple[str, Lang] | None:
        """The question (and its language) of the reply with `token`, if known."""
        rows = await self.db.execute_fetchall(
            "SELECT question, lang FROM feedback WHERE token = ?", (token,)
        )
        return next(((str(q), Lang(lang)) for q, lang in rows), None)

    async def prompted(self, token: str, chat_id: int, message_id: int) -> None:
        """Remember that message `message_id` in `chat_id` asked for a note on `token`."""
        key = self._hash(self._prompt_key, f"{chat_id}:{message_id}")
        await self._write("UPDATE feedback SET prompt = ? WHERE token = ?", (key, token))

    async def note(self, chat_id: int, prompt_id: int, text: str) -> bool:
        """Keep `text` as the note asked for by message `prompt_id`; False when no prompt
        of ours was that message (then `text` is a question like any other)."""
        key = self._hash(self._prompt_key, f"{chat_id}:{prompt_id}")
        return bool(
            await self._write(
                "UPDATE feedback SET note = ? WHERE prompt = ?", (_clean(text.strip()), key)
            )
        )

    async def signals(self) -> list[Signal]:
        """Every reply that received feedback: a vote, a note or a tapped option."""
        rows = await self.db.execute_fetchall(
            "SELECT question, lang, kind, intent, vote, note, follow_up FROM feedback"
            " WHERE vote IS NOT NULL OR note IS NOT NULL OR (kind = ? AND intent IS NOT NULL)"
            " ORDER BY at, rowid",
            (Kind.CLARIFY.value,),
        )
        return [
            Signal(str(q), Lang(lang), Kind(kind), i, v, n, bool(f))
            for q, lang, kind, i, v, n, f in rows
        ]

    async def reject(self, question: str, intent_id: str) -> None:
        """Remember that a maintainer rejected `question` (folded) as a phrasing of `intent_id`."""
        await self._write(
            "INSERT OR IGNORE INTO rejected (question, intent, at) VALUES (?, ?, ?)",
            (question, intent_id, _now()),
        )

    async def rejected(self) -> set[tuple[str, str]]:
        rows = await self.db.execute_fetchall("SELECT question, intent FROM rejected")
        return {(str(q), str(i)) for q, i in rows}
