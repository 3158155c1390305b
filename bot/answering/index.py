"""What the rankers prepare from the knowledge, once, at `policybot build`.

Every phrasing, answer line and quote is folded, its synonyms replaced and its
function words dropped; the spelling list for typo correction, what each intent
can supply (`asks.supplies`) and the character n-gram index follow from them.
That takes about half a second and 30 MB at its peak, so the build does it and
stores the result in facts.db (`blobs`), and start-up only reads it back
(`from_blobs`). The stored words are exactly what `Prepared.of` gives, so an index
read back ranks exactly as one prepared afresh; a test checks it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.answering.asks import Asks, only_compared, supplies
from bot.answering.examples import Examples, FollowUps
from bot.answering.ngrams import CharRanker
from bot.answering.places import places
from bot.models import Article, Intent
from bot.text import STOPWORDS, Synonyms, content_tokens, fold

Words = tuple[str, ...]
# Figures and years: "5g", "4ir" and "100mbps" are words, not numbers.
FIGURE = re.compile(r"\d+(?:\.\d+)?")


def named(articles: Sequence[Article]) -> frozenset[str]:
    """The figures `articles` are known by: the date each was published ("the 2020 ITU
    article", "the press release of 12/2003") and the figures of its title ("ITU Virtual
    Digital World 2020"). Naming them tells which article is meant, not a figure asked
    about."""
    found: set[str] = set()
    for article in articles:
        if (day := article.published) is not None:
            found.update(str(part) for part in (day.year, day.month, day.day))
        found.update(FIGURE.findall(article.title))
    return frozenset(found)


def _places(intent: Intent, articles: Mapping[str, Article]) -> frozenset[str]:
    """The places `intent` is about: those its phrasings, answer lines and quotes name,
    and the dateline and title of each article it cites."""
    cited = [articles[s] for s in dict.fromkeys(f.seed for f in intent.facts) if s in articles]
    texts = [
        *intent.phrasings,
        intent.answer,
        intent.answer_vi,
        *(f.quote for f in intent.facts),
        *(f"{a.place or ''} {a.title}" for a in cited),
    ]
    return places(fold(" ".join(texts)))


def without_pronoun_it(folded: str) -> str:
    """`folded` without "it" where it is the pronoun, not IT the industry: at the end,
    or before a function word ("who issued it?", "what is it about"). "IT workers"
    keeps it, for the synonyms to read as ICT."""
    words = folded.split()
    if "it" not in words:
        return folded
    kept = [
        w
        for n, w in enumerate(words)
        if w != "it" or (n + 1 < len(words) and words[n + 1] not in STOPWORDS)
    ]
    return " ".join(kept)


def content_words(folded: str, synonyms: Synonyms) -> list[str]:
    """The words of folded text that the rankers compare: synonyms replaced by their
    canonical word, function words dropped."""
    return content_tokens(synonyms.apply(without_pronoun_it(folded)))


@dataclass(frozen=True, slots=True)
class Prepared:
    """The knowledge as the rankers read it, intent by intent in knowledge order."""

    phrasings: tuple[tuple[Words, ...], ...]  # each phrasing's words
    others: tuple[tuple[Words, ...], ...]  # the answer line's words, then each quote's
    spelling: frozenset[str]  # every word as written anywhere, before synonyms
    supplies: tuple[frozenset[Asks], ...]
    chars: CharRanker
    compared: tuple[frozenset[str], ...]  # years named only as a comparison's base
    named: tuple[frozenset[str], ...]  # the figures the intent's articles are known by
    # The places the intent's texts, its articles' datelines and titles name (places.py).
    places: tuple[frozenset[str], ...]
    examples: Examples  # the labelled questions the decision learned from
    follow_ups: FollowUps  # and the labelled follow-ups

    @classmethod
    def of(
        cls,
        intents: Sequence[Intent],
        synonyms: Mapping[str, Sequence[str]],
        articles: Mapping[str, Article] | None = None,
    ) -> Prepared:
        """The index of `intents`; `articles` (by seed) tell the figures they are known by
        and the places their datelines and titles name."""
        replace = Synonyms(synonyms)
        articles = articles or {}
        spelling = {w for variants in synonyms.values() for v in variants for w in fold(v).split()}
        phrasings: list[tuple[Words, ...]] = []
        others: list[tuple[Words, ...]] = []
        for intent in intents:
            # Folded once: the spelling list and the words both start from it.
            folded = [fold(t) for t in intent.phrasings]
            rest = [fold(t) for t in (intent.answer, *(f.quote for f in intent.facts))]
            for text in (*folded, *rest):
                spelling.update(text.split())
            phrasings.append(tuple(tuple(content_words(t, replace)) for t in folded))
            others.append(tuple(tuple(content_words(t, replace)) for t in rest))
        texts = [
            (n, words)
            for n, (said, other) in enumerate(zip(phrasings, others, strict=True))
            for words in (*said, *other)
        ]
        return cls(
            tuple(phrasings),
            tuple(others),
            frozenset(spelling),
            tuple(supplies(i.answer, [f.quote for f in i.facts]) for i in intents),
            CharRanker.build(texts, len(intents)),
            tuple(only_compared([i.answer, *(f.quote for f in i.facts)]) for i in intents),
            tuple(
                named(
                    [articles[s] for s in dict.fromkeys(f.seed for f in i.facts) if s in articles]
                )
                for i in intents
            ),
            tuple(_places(i, articles) for i in intents),
            Examples.of([], len(intents)),
            FollowUps.of([], len(intents)),
        )

    def blobs(self) -> dict[str, bytes]:
        """The index as named blobs for facts.db; the same knowledge gives the same bytes."""
        words = {
            "phrasings": self.phrasings,
            "others": self.others,
            "spelling": sorted(self.spelling),
            "supplies": [sorted(a.value for a in kinds) for kinds in self.supplies],
            "compared": [sorted(years) for years in self.compared],
            "named": [sorted(figures) for figures in self.named],
            "places": [sorted(named) for named in self.places],
        }
        text = json.dumps(words, ensure_ascii=False, separators=(",", ":"))
        return {
            "words": text.encode(),
            **self.chars.blobs(),
            **self.examples.blobs(),
            **self.follow_ups.blobs(),
        }

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes], intents: int) -> Prepared:
        """The index `blobs` stored, for `intents` intents; ValueError, KeyError or
        TypeError when it is not one (for the caller to name the file and the fix)."""
        words = json.loads(blobs["words"])
        phrasings = tuple(tuple(tuple(p) for p in ps) for ps in words["phrasings"])
        others = tuple(tuple(tuple(o) for o in os) for os in words["others"])
        kinds = tuple(frozenset(Asks(a) for a in ks) for ks in words["supplies"])
        compared = tuple(frozenset(str(y) for y in ys) for ys in words["compared"])
        known = tuple(frozenset(str(f) for f in fs) for fs in words["named"])
        where = tuple(frozenset(str(p) for p in ps) for ps in words["places"])
        if (
            not len(phrasings)
            == len(others)
            == len(kinds)
            == len(compared)
            == len(known)
            == len(where)
            == intents
        ):
            raise ValueError(f"the index is for {len(phrasings)} intents, not {intents}")
        spelling = frozenset(words["spelling"])
        chars = CharRanker.from_blobs(blobs)
        return cls(
            phrasings,
            others,
            spelling,
            kinds,
            chars,
            compared,
            known,
            where,
            Examples.from_blobs(blobs, intents),
            FollowUps.from_blobs(blobs, intents),
        )
