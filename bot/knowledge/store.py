"""The only SQL: facts.db's schema, its atomic build, and read-only queries.

facts.db is a build artefact: `build` writes a temporary file and renames it over
the old one, so a failed build leaves the previous database untouched. At run
time the database is opened read-only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

import aiosqlite

from bot.connection import Database
from bot.errors import StoreError
from bot.knowledge import derived, fulltext
from bot.models import Article, Fact, Intent, Knowledge, Passage, Topic
from bot.text import fold

SCHEMA_VERSION = "4"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE prepared (name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE articles (
    seed TEXT PRIMARY KEY, title TEXT NOT NULL, title_supplied INTEGER NOT NULL,
    publisher TEXT, published TEXT, place TEXT, note TEXT, covers TEXT NOT NULL);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY, seed TEXT NOT NULL REFERENCES articles(seed),
    position INTEGER NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL);
CREATE VIRTUAL TABLE passages_fts USING fts5(
    folded, content='passages', content_rowid='id', tokenize='unicode61');
CREATE TABLE topics (id TEXT PRIMARY KEY, position INTEGER NOT NULL,
    en TEXT NOT NULL, vi TEXT NOT NULL);
CREATE TABLE intents (id TEXT PRIMARY KEY, position INTEGER NOT NULL,
    topic TEXT NOT NULL REFERENCES topics(id), answer TEXT NOT NULL,
    answer_vi TEXT NOT NULL);
CREATE TABLE phrasings (intent_id TEXT NOT NULL REFERENCES intents(id),
    position INTEGER NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL,
    PRIMARY KEY (intent_id, position));
CREATE TABLE synonyms (canonical TEXT NOT NULL, variant TEXT PRIMARY KEY,
    position INTEGER NOT NULL);
CREATE TABLE facts (intent_id TEXT NOT NULL REFERENCES intents(id),
    position INTEGER NOT NULL, seed TEXT NOT NULL REFERENCES articles(seed),
    quote TEXT NOT NULL, PRIMARY KEY (intent_id, position));
"""


async def build(
    target: Path,
    *,
    articles: Iterable[Article],
    passages: Iterable[Passage],
    topics: Sequence[Topic],
    intents: Sequence[Intent],
    synonyms: dict[str, tuple[str, ...]],
    decision: str,
    prepared: Mapping[str, bytes],
) -> None:
    """Write a complete facts.db to `target` atomically; the same inputs give the same rows.

    `decision` is the trained decision as JSON text, `prepared` the rankers' index as
    named blobs, both stored as they are."""
    by_seed = {a.seed: a for a in articles}
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        async with aiosqlite.connect(tmp) as db:
            await db.executescript(_SCHEMA)
            await db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            await db.execute("INSERT INTO meta VALUES ('decision', ?)", (decision,))
            await db.executemany("INSERT INTO prepared VALUES (?, ?)", sorted(prepared.items()))
            await db.executemany(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        a.seed,
                        a.title,
                        int(a.title_supplied),
                        a.publisher,
                        a.published.isoformat() if a.published else None,
                        a.place,
                        a.note,
                        a.covers,
                    )
                    for a in by_seed.values()
                ],
            )
            await db.executemany(
                "INSERT INTO passages (seed, position, text, folded) VALUES (?, ?, ?, ?)",
                [(p.seed, p.position, p.text, fold(p.text)) for p in passages],
            )
            await db.execute("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')")
            await db.executemany(
                "INSERT INTO topics VALUES (?, ?, ?, ?)",
                [(t.id, n, t.en, t.vi) for n, t in enumerate(topics)],
            )
            await db.executemany(
                "INSERT INTO intents VALUES (?, ?, ?, ?, ?)",
                [(i.id, n, i.topic, i.answer, i.answer_vi) for n, i in enumerate(intents)],
            )
            await db.executemany(
                "INSERT INTO phrasings VALUES (?, ?, ?, ?, ?)",
                [
                    (i.id, n, lang, text, fold(text))
                    for i in intents
                    for n, (lang, text) in enumerate(
                        [("en", t) for t in i.en] + [("vi", t) for t in i.vi]
                    )
                ],
            )
            await db.executemany(
                "INSERT INTO synonyms VALUES (?, ?, ?)",
                [
                    (canonical, variant, n)
                    for n, (canonical, variant) in enumerate(
                        (c, v) for c, vs in synonyms.items() for v in vs
                    )
                ],
            )
            await db.executemany(
                "INSERT INTO facts VALUES (?, ?, ?, ?)",
                [(i.id, n, f.seed, f.quote) for i in intents for n, f in enumerate(i.facts)],
            )
            await derived.write(db, by_seed, intents)
            await db.commit()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


class Store(Database):
    """A read-only connection to facts.db; use as `async with Store(path) as store:`."""

    name = "facts database"

    async def __aenter__(self) -> Store:
        if not self.path.is_file():
            raise StoreError(
                f"{self.path}: facts database not found; run `policybot build` or set FACTS_DB"
            )
        try:
            db = await self._connect("ro")
            rows = await db.execute_fetchall("SELECT value FROM meta WHERE key = 'schema_version'")
        except sqlite3.Error as exc:
            await self.close()
            raise StoreError(
                f"{self.path}: not a usable facts database ({exc}); run `policybot build`"
            ) from exc
        version = next(iter(rows), (None,))[0]
        if version != SCHEMA_VERSION:
            await self.close()
            raise StoreError(
                f"{self.path}: schema version {version!r}, expected {SCHEMA_VERSION!r};"
                " run `policybot build`"
            )
        return self

    async def knowledge(self) -> Knowledge:
        """Load articles, topics, intents, phrasings and facts in one pass."""
        try:
            return await self._knowledge()
        except sqlite3.Error as exc:
            raise StoreError(
                f"{self.path}: cannot read the facts database ({exc}); run `policybot build`"
            ) from exc

    async def _knowledge(self) -> Knowledge:
        db = self.db
        related = await derived.related_news(db)
        articles = {
            r[0]: Article(
                r[0],
                r[1],
                bool(r[2]),
                r[3],
                date.fromisoformat(r[4]) if r[4] else None,
                r[5],
                r[6],
                r[7],
                related.get(r[0], ()),
            )
            for r in await db.execute_fetchall(
                "SELECT seed, title, title_supplied, publisher, published, place, note, covers"
                " FROM articles ORDER BY seed"
            )
        }
        topics = tuple(
            Topic(*r)
            for r in await db.execute_fetchall("SELECT id, en, vi FROM topics ORDER BY position")
        )
        phrasings: dict[str, dict[str, list[str]]] = {}
        for intent_id, lang, text in await db.execute_fetchall(
            "SELECT intent_id, lang, text FROM phrasings ORDER BY intent_id, position"
        ):
            phrasings.setdefault(intent_id, {"en": [], "vi": []})[lang].append(text)
        facts: dict[str, list[Fact]] = {}
        for intent_id, seed, quote in await db.execute_fetchall(
            "SELECT intent_id, seed, quote FROM facts ORDER BY intent_id, position"
        ):
            facts.setdefault(intent_id, []).append(Fact(seed, quote))
        intents = tuple(
            Intent(
                id=r[0],
                topic=r[1],
                answer=r[2],
                answer_vi=r[3],
                en=tuple(phrasings.get(r[0], {}).get("en", [])),
                vi=tuple(phrasings.get(r[0], {}).get("vi", [])),
                facts=tuple(facts.get(r[0], [])),
            )
            for r in await db.execute_fetchall(
                "SELECT id, topic, answer, answer_vi FROM intents ORDER BY position"
            )
        )
        synonyms: dict[str, tuple[str, ...]] = {}
        for canonical, variant in await db.execute_fetchall(
            "SELECT canonical, variant FROM synonyms ORDER BY position"
        ):
            synonyms[canonical] = (*synonyms.get(canonical, ()), variant)
        return Knowledge(articles, topics, intents, synonyms, await derived.events(db))

    async def decision(self) -> str:
        """The trained decision, as the JSON text the build stored."""
        try:
            rows = await self.db.execute_fetchall("SELECT value FROM meta WHERE key = 'decision'")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot read the facts database ({exc})") from exc
        for (value,) in rows:
            return str(value)
        raise StoreError(f"{self.path}: no trained decision; run `policybot build`")

    async def prepared(self) -> dict[str, bytes]:
        """The rankers' index, as the named blobs the build stored."""
        try:
            rows = await self.db.execute_fetchall("SELECT name, data FROM prepared")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot read the facts database ({exc})") from exc
        return {str(name): bytes(data) for name, data in rows}

    async def search(self, words: Sequence[str], limit: int = 3) -> list[tuple[Passage, float]]:
        """Passages matching any of the folded `words`, best first, with their bm25 rank."""
        terms = [w for w in words if w.replace(".", "").isalnum()]
        if not terms:
            return []
        query = " OR ".join(f'"{w}"' for w in terms)
        try:
            rows = await self.db.execute_fetchall(
                "SELECT p.seed, p.position, p.text, bm25(passages_fts) AS rank"
                " FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid"
                " WHERE passages_fts MATCH ? ORDER BY rank, p.id LIMIT ?",
                (query, limit),
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: full-text search failed ({exc})") from exc
        return [(Passage(r[0], r[1], r[2]), float(r[3])) for r in rows]

    async def sentences(
        self, groups: Sequence[Sequence[str]], every: bool, offset: int, limit: int
    ) -> list[Passage]:
        """/search: sentences holding a phrase of every group (or of any), best first."""
        return await fulltext.sentences(
            self.db, self.path, groups, every=every, offset=offset, limit=limit
        )

    async def dump(self) -> list[str]:
        """Every row as SQL text, for comparing two builds."""
        return [line async for line in self.db.iterdump()]
