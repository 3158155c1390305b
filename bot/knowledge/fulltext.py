"""Searching the articles' sentences for /search: FTS5 over the accent-folded text.

A query is groups of folded phrases: a sentence matches a group when it holds any of
its phrases (a word and its synonyms), and the query when it matches every group, or
any group when `every` is false. bm25 ranks the matches, best first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import aiosqlite

from bot.errors import StoreError
from bot.models import Passage


def expression(groups: Sequence[Sequence[str]], every: bool) -> str:
    """The FTS5 MATCH expression for `groups`; phrases hold folded words only."""
    ors = ["(" + " OR ".join(f'"{phrase}"' for phrase in group) + ")" for group in groups if group]
    return (" AND " if every else " OR ").join(ors)


async def sentences(
    db: aiosqlite.Connection,
    path: Path,
    groups: Sequence[Sequence[str]],
    *,
    every: bool,
    offset: int,
    limit: int,
) -> list[Passage]:
    """Up to `limit` matching sentences, best first, after skipping `offset`."""
    if not any(groups):
        return []
    try:
        rows = await db.execute_fetchall(
            "SELECT p.seed, p.position, p.text FROM passages_fts"
            " JOIN passages p ON p.id = passages_fts.rowid"
            " WHERE passages_fts MATCH ? ORDER BY bm25(passages_fts), p.id LIMIT ? OFFSET ?",
            (expression(groups, every), limit, offset),
        )
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: full-text search failed ({exc})") from exc
    return [Passage(*row) for row in rows]
