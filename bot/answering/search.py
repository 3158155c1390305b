"""/search: a few words in, a page of the articles' sentences out, best first.

The words are folded as the index is (no case, no accents, đ as d), so "chính phủ",
"chinh phu" and "CHINH PHU" are the same search; function words go unless nothing
else is left. A word or phrase that intents.yaml lists as a synonym stands for its
whole group ("chính phủ điện tử" finds "e-government"), which is how Vietnamese words
find the English articles. A sentence must hold every group; when none holds them
all, those holding any come instead, and the page says so.

A search is carried by its folded words (`Query.words`), kept short enough to ride in
a button's callback data: a longer query is cut at a word, before the search, so every
page of it is the same search.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.models import Citation, Knowledge, Passage
from bot.text import STOPWORDS, fold

PAGE_SIZE = 5
WORDS_LIMIT = 48  # bytes of folded words a query keeps (ASCII: one byte a character)


class SentenceIndex(Protocol):
    """The full-text index of the articles' sentences (knowledge.store.Store)."""

    async def sentences(
        self, groups: Sequence[Sequence[str]], every: bool, offset: int, limit: int
    ) -> list[Passage]: ...


@dataclass(frozen=True, slots=True)
class Query:
    """What is searched for: the folded words kept, and the phrases each stands for."""

    words: str
    groups: tuple[tuple[str, ...], ...]

    @property
    def phrases(self) -> frozenset[str]:
        return frozenset(p for group in self.groups for p in group)


@dataclass(frozen=True, slots=True)
class Results:
    """One page of a search: its hits as citations, and whether more follow."""

    query: Query
    number: int  # 1-based
    hits: tuple[Citation, ...]
    more: bool
    every: bool  # False: no sentence holds every word, these hold some


class Search:
    """Searches one knowledge base's sentences through `index`."""

    def __init__(self, index: SentenceIndex, knowledge: Knowledge) -> None:
        self.index = index
        self.articles = knowledge.articles
        self.groups = _synonym_groups(knowledge.synonyms)
        self.longest = max((len(k) for k in self.groups), default=1)

    def query(self, text: str) -> Query:
        """`text` as a search: folded, function words dropped, synonyms grouped, cut short."""
        words = fold(text).split()
        found: list[tuple[str, tuple[str, ...]]] = []  # the words said, what they stand for
        at = 0
        while at < len(words):
            size, group = self._phrase_at(words, at)
            said = " ".join(words[at : at + size])
            at += size
            if group is None:
                group = (said,)
                if said in STOPWORDS:
                    found.append(("", group))  # kept only if nothing else is
                    continue
            found.append((said, group))
        kept = [(s, g) for s, g in found if s] or [(g[0], g) for _, g in found]
        shown: list[str] = []
        groups: list[tuple[str, ...]] = []
        for said, group in kept:
            if len(" ".join([*shown, said]).encode()) > WORDS_LIMIT:
                break
            shown.append(said)
            if group not in groups:
                groups.append(group)
        return Query(" ".join(shown), tuple(groups))

    def _phrase_at(self, words: list[str], at: int) -> tuple[int, tuple[str, ...] | None]:
        """The longest synonym phrase starting at `words[at]`: its length and group."""
        for size in range(min(self.longest, len(words) - at), 0, -1):
            group = self.groups.get(tuple(words[at : at + size]))
            if group is not None:
                return size, group
        return 1, None

    async def page(self, query: Query, number: int = 1) -> Results:
        """Page `number` (from 1) of `query`'s sentences, best first."""
        number = max(1, number)
        every = bool(await self.index.sentences(query.groups, True, 0, 1))
        found = await self.index.sentences(
            query.groups, every or len(query.groups) < 2, (number - 1) * PAGE_SIZE, PAGE_SIZE + 1
        )
        hits = tuple(Citation(p.text, self.articles[p.seed]) for p in found[:PAGE_SIZE])
        return Results(query, number, hits, len(found) > PAGE_SIZE, every)


def _synonym_groups(
    synonyms: Mapping[str, Sequence[str]],
) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each folded synonym phrase (canonical or variant) → every phrase of its group."""
    groups: dict[tuple[str, ...], tuple[str, ...]] = {}
    for canonical, variants in synonyms.items():
        phrases = tuple(dict.fromkeys(f for f in map(fold, [canonical, *variants]) if f))
        for phrase in phrases:
            groups.setdefault(tuple(phrase.split()), phrases)
    return groups
