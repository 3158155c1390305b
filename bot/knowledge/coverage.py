"""What the articles state that no intent cites yet: `policybot coverage`.

For a maintainer adding an article: every sentence (passage) of it that states a figure,
a date or year, or a name (a capitalised name of two words or more, a document number)
and that no intent's quote contains is listed, with what it states and its line in the
seed file, so that what is left to cover is there to read rather than to hunt for.
A heuristic, by design: it reads the sentence's surface, not its meaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.knowledge.seeds import Seed, passages
from bot.models import Intent, Passage
from bot.text import STOPWORDS

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_WORD = r"[A-Z][\w’'-]*"
# Checked in this order; a later pattern never takes text an earlier one took.
_STATEMENTS = [
    # "Resolution No 52-NQ/TW", "Decision No 749/QD-TTg", "Resolution 57"
    re.compile(
        r"\b(?:Resolution|Decision|Decree|Directive|Circular|Law)(?: No\.?)? \d[\w/-]*"
        r"|\b\d+[-/][A-Z][A-Za-z]*(?:[-/][A-Z][A-Za-z]*)+"
    ),
    # "September 2019", "20–22 October 2020", "December 9, 2019", "March 10", "2030"
    re.compile(
        rf"\b(?:\d{{1,2}}(?:\s?[–-]\s?\d{{1,2}})? )?{_MONTH}(?: \d{{1,2}},?)? (?:19|20)\d\d\b"
        rf"|\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:\s?[–-]\s?\d{{1,2}})? {_MONTH}\b"
        r"|\b(?:19|20)\d\d\b"
    ),
    # "30 percent", "US$1.5 billion", "17.5–18.8%", "86th", "50"; not "5G" nor "COVID-19"
    re.compile(
        r"(?:US\$|\$|€)?(?<![\w/-])\d[\d,.]*(?:\s?[–-]\s?\d[\d,.]*)?"
        r"(?:(?:st|nd|rd|th)\b|\s?(?:%|percent|per cent|million|billion|trillion|thousand)\b|%)?"
        r"(?![\w-])"
    ),
    # "Prime Minister Nguyen Xuan Phuc", "Ministry of Information and Communications"
    re.compile(rf"\b{_WORD}(?:(?: (?:of|and|for|the|de))* {_WORD})+"),
]
_POSSESSIVE = re.compile(r"[’']s$")


@dataclass(frozen=True, slots=True)
class Uncited:
    """A sentence no intent cites, where it is, and the figures, dates and names it states."""

    passage: Passage
    line: int  # 1-based, in the seed file
    states: tuple[str, ...]


def statements(sentence: str) -> tuple[str, ...]:
    """The figures, dates or years and names `sentence` states, in reading order."""
    taken: list[tuple[int, int]] = []
    for pattern in _STATEMENTS:
        for m in pattern.finditer(sentence):
            start, end = m.span()
            if pattern is _STATEMENTS[-1]:
                start, end = _name_span(sentence, start, end)
            if end > start and all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
    return tuple(_POSSESSIVE.sub("", sentence[s:e].rstrip(".,")) for s, e in sorted(taken))


def _name_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The name without the function words a sentence starts with ("The", "In", "Under"):
    an empty span when fewer than two words remain."""
    words = sentence[start:end].split(" ")
    while words and words[0].lower() in STOPWORDS:
        start += len(words.pop(0)) + 1
    return (start, end) if len(words) >= 2 else (start, start)


@dataclass(frozen=True, slots=True)
class Coverage:
    """One article: how many sentences it has, and those left to cover."""

    seed: str
    sentences: int
    uncited: tuple[Uncited, ...]


def coverage(seeds: Mapping[str, Seed], intents: Iterable[Intent]) -> list[Coverage]:
    """For every seed, in order, each sentence that states something and that no quote
    of an intent contains (or is contained in, for a quote shorter than its sentence)."""
    quotes: dict[str, list[str]] = {}
    for intent in intents:
        for fact in intent.facts:
            quotes.setdefault(fact.seed, []).append(fact.quote)
    found: list[Coverage] = []
    for name, seed in seeds.items():
        cited = quotes.get(name, [])
        sentences = passages(seed)
        left: list[Uncited] = []
        for passage in sentences:
            text = passage.text
            if any(text in quote or quote in text for quote in cited):
                continue
            if said := statements(text):
                line = seed.raw.count("\n", 0, max(seed.raw.find(text), 0)) + 1
                left.append(Uncited(passage, line, said))
        found.append(Coverage(name, len(sentences), tuple(left)))
    return found
