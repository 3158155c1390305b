"""The writable state database: a log of what people ask, the report on it, and the
language each user chose with /lang.

Kept apart from facts.db (which is read-only at run time); the same file holds the
inbox of updates (bot/inbox.py). WAL mode; `record`
returns once its row is committed, so a crash loses at most the rows being written.
Users appear only as a keyed hash (HMAC-SHA256 with HASH_KEY), in the log and in the
chosen languages alike: the hash is as good a key for looking a choice up as the
Telegram id, and a copy of the database names nobody. The text of a question is kept
only when the bot could not answer it (fallback or clarify), for maintainers to see
what is missing. Log rows older than the retention limit are deleted; a chosen
language stays until the user chooses again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.connection import Database
from bot.errors import StoreError
from bot.models import Kind, Lang, Reply

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT,
    lang TEXT NOT NULL,
    kind TEXT NOT NULL,
    intent TEXT,
    score REAL NOT NULL,
    text TEXT
);
CREATE INDEX IF NOT EXISTS questions_at ON questions(at);
CREATE TABLE IF NOT EXISTS languages (
    user TEXT PRIMARY KEY,
    lang TEXT NOT NULL,
    at TEXT NOT NULL
);
"""
_INSERT = (
    "INSERT INTO questions (at, user, lang, kind, intent, score, text) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_Row = tuple[str, str | None, str, str, str | None, float, str | None]
_KEPT_TEXT = {Kind.FALLBACK.value, Kind.CLARIFY.value}
MAX_TEXT = 500
NONE_OF_THESE = "none"  # the outcome logged when "None of these" is tapped


@dataclass(frozen=True, slots=True)
class Report:
    """What maintainers need to see: unanswered questions and answer rates."""

    total: int
    by_kind: dict[str, int]
    unanswered: list[tuple[str, int]]
    clarified: list[tuple[str, int]]
    by_lang: list[tuple[str, int, int]]  # language, answered, asked
    by_day: list[tuple[str, int, int]]  # day, answered, asked

    def text(self, lang: Lang = Lang.EN) -> str:
        """The report for a maintainer reading `lang` (`policybot report`, /stats)."""
        say = _REPORT[lang]

        def rate(answered: int, asked: int) -> str:
            return say["rate"].format(share=f"{100 * answered / asked:.0f}%", asked=asked)

        none = say["none"]
        lines = [say["logged"].format(total=self.total)]
        if self.total:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.by_kind.items()))
            lines.append(f"{say['by_outcome']}: {kinds}")
        langs = "; ".join(f"{code} {rate(a, n)}" for code, a, n in self.by_lang if n)
        lines.append(f"{say['by_lang']}: {langs or none}")
        lines.append(f"{say['by_day']}:")
        lines += [f"  {day}  {rate(a, n)}" for day, a, n in self.by_day if n] or [f"  {none}"]
        lines.append(f"{say['unanswered']}:")
        lines += [f"  {n}× {q}" for q, n in self.unanswered] or [f"  {none}"]
        lines.append(f"{say['clarified']}:")
        lines += [f"  {n}× {q}" for q, n in self.clarified] or [f"  {none}"]
        return "\n".join(lines)


# The report's labels: it is read by maintainers and admins, in English or Vietnamese.
_REPORT = {
    Lang.EN: {
        "logged": "{total} questions logged",
        "rate": "{share} of {asked}",
        "none": "none",
        "by_outcome": "by outcome",
        "by_lang": "answered, by language",
        "by_day": "answered, by day",
        "unanswered": "most frequent unanswered",
        "clarified": "most frequent clarified",
    },
    Lang.VI: {
        "logged": "{total} câu hỏi đã ghi",
        "rate": "{share} của {asked}",
        "none": "không có",
        "by_outcome": "theo kết quả",
        "by_lang": "được trả lời, theo ngôn ngữ",
        "by_day": "được trả lời, theo ngày",
        "unanswered": "chưa trả lời được, thường gặp nhất",
        "clarified": 'phải hỏi lại "ý bạn là câu nào?", thường gặp nhất',
    },
}


class QuestionLog(Database):
    """Append-only log of questions; use as `async with QuestionLog(...) as log:`."""

    name = "state database"

    def __init__(self, path: Path, hash_key: str | None, retention_days: int = 90) -> None:
        super().__init__(path)
        self._key = hash_key.encode() if hash_key else None
        self.retention = timedelta(days=retention_days)
        self._lock = asyncio.Lock()  # one write at a time; `close` waits for the last
        self._closing = False
        # Every chosen language, read once at opening: looked up on every message.
        self._languages: dict[str, Lang] = {}

    async def __aenter__(self) -> QuestionLog:
        await self._open_writable(_SCHEMA)
        await self.prune()
        rows = await self.db.execute_fetchall("SELECT user, lang FROM languages")
        valid = {lang.value for lang in Lang}
        self._languages = {str(u): Lang(v) for u, v in rows if v in valid}
        return self

    def user_hash(self, user_id: int | None) -> str | None:
        """A keyed hash of the user id, or None without a key (then nobody is identified)."""
        if user_id is None or self._key is None:
            return None
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    def language(self, user_id: int) -> Lang | None:
        """The language the user chose with /lang, if any (and if users can be identified)."""
        user = self.user_hash(user_id)
        return self._languages.get(user) if user else None

    async def choose_language(self, user_id: int, lang: Lang, at: datetime | None = None) -> bool:
        """Remember the user's choice; returns once committed, or False without HASH_KEY."""
        user = self.user_hash(user_id)
        if user is None:
            return False
        when = (at or datetime.now(UTC)).isoformat(timespec="seconds")
        await self._write(
            "INSERT INTO languages (user, lang, at) VALUES (?, ?, ?) ON CONFLICT(user)"
            " DO UPDATE SET lang = excluded.lang, at = excluded.at",
            (user, lang.value, when),
        )
        self._languages[user] = lang
        return True

    async def record(self, reply: Reply, user_id: int | None, at: datetime | None = None) -> None:
        """Log one reply; returns once it is committed."""
        kind = reply.kind.value
        # Telegram may pass on lone surrogates, which SQLite cannot store.
        text = reply.question[:MAX_TEXT].encode("utf-8", "replace").decode("utf-8")
        row: _Row = (
            (at or datetime.now(UTC)).isoformat(timespec="seconds"),
            self.user_hash(user_id),
            reply.lang.value,
            kind,
            reply.intent_id,
            reply.confidence,
            text if kind in _KEPT_TEXT else None,
        )
        await self._write(_INSERT, row)

    async def record_none(self, user_id: int | None, lang: Lang) -> None:
        """Log that the user answered "which of these?" with "None of these"."""
        row: _Row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            self.user_hash(user_id),
            lang.value,
            NONE_OF_THESE,
            None,
            0.0,
            None,
        )
        await self._write(_INSERT, row)

    async def _write(self, sql: str, row: tuple[object, ...]) -> None:
        """Run one statement and commit it, one write at a time."""
        if self._closing:
            raise StoreError(f"the {self.name} is closing")
        async with self._lock:
            if self._db is None:
                raise StoreError(f"the {self.name} is closed")
            try:
                await self.db.execute(sql, row)
                await self.db.commit()
            except Exception:
                with contextlib.suppress(Exception):
                    await self.db.rollback()
                raise

    async def close(self) -> None:
        """Take no more rows, finish the one being written, then close."""
        self._closing = True
        async with self._lock:
            await super().close()

    async def prune(self, now: datetime | None = None) -> int:
        """Delete rows older than the retention limit; returns how many went."""
        cutoff = ((now or datetime.now(UTC)) - self.retention).isoformat(timespec="seconds")
        cursor = await self.db.execute("DELETE FROM questions WHERE at < ?", (cutoff,))
        await self.db.commit()
        return cursor.rowcount

    async def texts(self, kind: Kind, limit: int = 2000) -> list[str]:
        """The text of the last `limit` logged questions with the outcome `kind` (kept
        for fallback and clarify only), newest first."""
        rows = await self.db.execute_fetchall(
            "SELECT text FROM questions WHERE kind = ? AND text IS NOT NULL"
            " ORDER BY id DESC LIMIT ?",
            (kind.value, limit),
        )
        return [str(t) for (t,) in rows]

    async def report(self, limit: int = 10) -> Report:
        db = self.db
        rows = await db.execute_fetchall("SELECT kind, COUNT(*) FROM questions GROUP BY kind")
        by_kind = {str(k): int(n) for k, n in rows}

        async def frequent(kind: str) -> list[tuple[str, int]]:
            rows = await db.execute_fetchall(
                "SELECT text, COUNT(*) AS n FROM questions WHERE kind = ? AND text IS NOT NULL"
                " GROUP BY lower(trim(text)) ORDER BY n DESC, text LIMIT ?",
                (kind, limit),
            )
            return [(str(t), int(n)) for t, n in rows]

        async def rates(column: str) -> list[tuple[str, int, int]]:
            # `column` is one of the two expressions below, never user input.
            rows = await db.execute_fetchall(
                f"SELECT {column} AS g, SUM(kind = 'answer'), COUNT(*) FROM questions"
                " WHERE kind != 'smalltalk' GROUP BY g ORDER BY g"
            )
            return [(str(g), int(a), int(n)) for g, a, n in rows]

        return Report(
            total=sum(by_kind.values()),
            by_kind=by_kind,
            unanswered=await frequent(Kind.FALLBACK.value),
            clarified=await frequent(Kind.CLARIFY.value),
            by_lang=await rates("lang"),
            by_day=await rates("substr(at, 1, 10)"),
        )
