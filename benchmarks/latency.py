"""Reply latency of the core, and the bare rapidfuzz floor, at one scale of knowledge.

Ours: `responder.reply(question)` then `render.html(reply)`, per question, after a
warm-up pass: the whole core (normalise, match, decide, fetch facts, render).

The floor: `process.extractOne(text, table, scorer=fuzz.ratio)`, where `text` is the
question as the matcher prepares it (folded, synonyms replaced, words sorted; made
before the clock starts) and `table` the matcher's own prepared phrasings. The table
is a fresh copy, contiguous in memory: the best case for a linear scan. extractOne
stops at the first phrasing that scores 100, so where one matches the question's
words exactly it is far cheaper than a search for the best few; the *scan* is that
search done bare, `process.extract(text, table, scorer=fuzz.ratio, limit=CANDIDATES)`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.answering import render
from bot.answering.matcher import CANDIDATES
from bot.cli import open_responder


@dataclass(frozen=True, slots=True)
class Latency:
    """One scale's figures; times in milliseconds."""

    intents: int
    phrasings: int
    load_s: float  # facts.db opened, knowledge loaded, matcher built
    ours: tuple[float, float, float]  # p50, p99, max
    floor: tuple[float, float, float]
    scan: tuple[float, float, float]

    @property
    def ratio_p50(self) -> float:
        return self.ours[0] / self.floor[0]

    @property
    def ratio_p99(self) -> float:
        return self.ours[1] / self.floor[1]

    @property
    def scan_ratio_p50(self) -> float:
        return self.ours[0] / self.scan[0]


def percentiles(samples: Sequence[float]) -> tuple[float, float, float]:
    """p50, p99 and max (nearest rank) of `samples`."""
    ordered = sorted(samples)
    last = len(ordered) - 1

    def rank(p: float) -> float:
        return ordered[min(last, round(p * last))]

    return rank(0.5), rank(0.99), ordered[-1]


async def measure(facts_db: Path, questions: Sequence[str], repeats: int) -> Latency:
    """Time every question `repeats` times, ours and the floor, over `facts_db`."""
    start = time.perf_counter()
    async with open_responder(facts_db) as responder:
        load = time.perf_counter() - start
        matcher = responder.matcher
        table = [p.encode().decode() for p in matcher.table]
        texts = [matcher.query(q).text for q in questions]
        for question in questions:  # warm-up: caches, lazy imports, branch predictors
            render.html(await responder.reply(question))
        ours: list[float] = []
        floor: list[float] = []
        scan: list[float] = []
        clock = time.perf_counter_ns
        for _ in range(repeats):
            for question in questions:
                began = clock()
                render.html(await responder.reply(question))
                ours.append((clock() - began) / 1e6)
            for text in texts:
                if text:
                    began = clock()
                    process.extractOne(text, table, scorer=fuzz.ratio)
                    floor.append((clock() - began) / 1e6)
                    began = clock()
                    process.extract(text, table, scorer=fuzz.ratio, limit=CANDIDATES)
                    scan.append((clock() - began) / 1e6)
        return Latency(
            intents=len(matcher.intents),
            phrasings=len(table),
            load_s=load,
            ours=percentiles(ours),
            floor=percentiles(floor),
            scan=percentiles(scan),
        )
