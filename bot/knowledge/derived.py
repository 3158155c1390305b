"""What the build derives beyond the sentences and intents: which lines of a page are
related-news teasers, and the timeline; their tables in facts.db and reading them back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import aiosqlite

from bot.knowledge import timeline
from bot.models import Article, Event, Intent

SCHEMA = """
CREATE TABLE related_news (seed TEXT NOT NULL REFERENCES articles(seed),
    position INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (seed, position));
CREATE TABLE timeline (position INTEGER PRIMARY KEY, year INTEGER NOT NULL,
    month INTEGER NOT NULL, day INTEGER NOT NULL, said TEXT NOT NULL,
    intent_id TEXT NOT NULL REFERENCES intents(id), seed TEXT NOT NULL REFERENCES articles(seed),
    quote TEXT NOT NULL);
"""


async def write(
    db: aiosqlite.Connection, articles: Mapping[str, Article], intents: Sequence[Intent]
) -> None:
    """Create the tables and write the related-news lines and the checked timeline."""
    await db.executescript(SCHEMA)
    await db.executemany(
        "INSERT INTO related_news VALUES (?, ?, ?)",
        [(a.seed, n, text) for a in articles.values() for n, text in enumerate(a.related_news)],
    )
    await db.executemany(
        "INSERT INTO timeline VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (n, e.year, e.month, e.day, e.said, e.intent_id, e.seed, e.quote)
            for n, e in enumerate(timeline.events(intents, articles))
        ],
    )


async def related_news(db: aiosqlite.Connection) -> dict[str, tuple[str, ...]]:
    """Each seed's related-news lines, in reading order."""
    found: dict[str, tuple[str, ...]] = {}
    for seed, text in await db.execute_fetchall(
        "SELECT seed, text FROM related_news ORDER BY seed, position"
    ):
        found[seed] = (*found.get(seed, ()), text)
    return found


async def events(db: aiosqlite.Connection) -> tuple[Event, ...]:
    """The timeline, in date order."""
    rows = await db.execute_fetchall(
        "SELECT year, month, day, said, intent_id, seed, quote FROM timeline ORDER BY position"
    )
    return tuple(Event(*row) for row in rows)
