"""Reading facts.db: the read-only queries the running bot makes.

facts.db is a build artefact (schema.py writes it); at run time it is opened
read-only, and a database of another schema version is refused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from bot.connection import Database
from bot.errors import StoreError
from bot.knowledge import derived, fulltext
from bot.knowledge.schema import SCHEMA_VERSION
from bot.models import Article, Fact, Intent, Knowledge, Passage, Topic


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
                r[8],
            )
            for r in await db.execute_fetchall(
                "SELECT seed, title, title_supplied, publisher, published, place, note, covers,"
                " printed FROM articles ORDER BY seed"
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
