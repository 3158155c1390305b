"""facts.db's schema and its atomic build.

`build` writes a temporary file and renames it over the old one, so a failed build
leaves the previous database untouched; the same inputs give the same rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import aiosqlite

from bot.knowledge import derived
from bot.models import Article, Intent, Passage, Topic
from bot.text import fold

SCHEMA_VERSION = "5"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE prepared (name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE articles (
    seed TEXT PRIMARY KEY, title TEXT NOT NULL, title_supplied INTEGER NOT NULL,
    publisher TEXT, published TEXT, place TEXT, note TEXT, covers TEXT NOT NULL,
    printed TEXT);
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
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        a.printed,
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
