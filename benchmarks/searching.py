"""/search latency at one scale of knowledge: the query prepared, one page of sentences
fetched from the FTS5 index, and rendered as Telegram HTML, per search, after a
warm-up pass. Only the store and the knowledge are opened: /search needs no matcher.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.latency import percentiles
from bot.answering import listing, screens
from bot.answering.search import Search
from bot.knowledge.store import Store
from bot.models import Lang

# English and Vietnamese, with and without accents, rare and common words, a second
# page, and words no sentence holds (then some of them, then none).
SEARCHES: tuple[tuple[str, int], ...] = (
    ("e-government 2030", 1),
    ("digital", 1),
    ("digital transformation", 2),
    ("Vietnam", 3),
    ("nuclear power plant", 1),
    ("semiconductor chips 2027", 1),
    ("chính phủ điện tử", 1),
    ("chinh phu dien tu", 2),
    ("doanh nghiệp công nghệ số", 1),
    ("Hà Nội", 1),
    ("Nguyen Xuan Phuc", 1),
    ("PAPI 2022", 1),
    ("nuclear xyzzy", 1),
    ("xyzzy plugh", 1),
    ("what is the", 1),
)


async def measure(
    facts_db: Path, searches: Sequence[tuple[str, int]], repeats: int
) -> tuple[float, float, float]:
    """p50, p99 and max in milliseconds of each search (words, page) over `facts_db`."""
    async with Store(facts_db) as store:
        search = Search(store, await store.knowledge())

        async def once(words: str, number: int) -> None:
            results = await search.page(search.query(words), number)
            if results.hits:
                listing.search_page(results, Lang.EN, screens.HTML)
            else:
                listing.nothing_found(results.query.words, Lang.EN, screens.HTML)

        for words, number in searches:  # warm-up: the page cache, prepared statements
            await once(words, number)
        times: list[float] = []
        clock = time.perf_counter_ns
        for _ in range(repeats):
            for words, number in searches:
                began = clock()
                await once(words, number)
                times.append((clock() - began) / 1e6)
    return percentiles(times)
