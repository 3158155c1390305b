"""Ranking intents for a question: pure, synchronous, built once at start-up.

Two pieces of evidence are combined, both on accent-folded words with function
words removed:

- *similarity*: rapidfuzz's `token_sort_ratio` between the question and each
  phrasing (word order does not matter, but unlike `token_set_ratio` or `WRatio`
  a one-word question does not score 100 against every phrasing containing it);
- *coverage*: the share of the question's words, weighted by rarity (IDF), that
  the intent knows from its phrasings, answer and quotes. A question about
  something the articles never mention ("Thailand", "visa", "2018") keeps a
  low coverage however similar its wording.

Numbers are strong evidence: a number in the question that the intent never
mentions caps the score. Words the index does not know are corrected to the
closest known word first, so typos still match.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
from rapidfuzz import fuzz, process

from bot.answering import asks
from bot.answering.examples import Examples, FollowUps, Seen
from bot.answering.index import FIGURE, Prepared, content_words
from bot.answering.places import places
from bot.answering.question import Question
from bot.answering.spelling import Spelling
from bot.models import Intent, Match
from bot.text import Synonyms, fold

# Weights and limits chosen with `policybot eval` on tests/data/questions.yaml.
SIMILARITY_WEIGHT = 0.4
COVERAGE_WEIGHT = 0.35
PRECISION_WEIGHT = 0.25
UNKNOWN_WEIGHT = 1.5  # an unknown word weighs this many times the rarest known word
CANDIDATES = 10  # phrasings kept from the similarity pass
_CLOSE_KEPT = 8  # questions whose `closeness` is kept
CONTEXT_WEIGHT = 0.5  # a known word from around the asking clause weighs half as much
NUMBER_MISMATCH_CAP = 45.0
# The kinds of answer told by a figure: an amount, a sum, a year or a date.
_FIGURES_ASKED = frozenset(
    (asks.Asks.QUANTITY, asks.Asks.COUNT, asks.Asks.MONEY, asks.Asks.TIME, asks.Asks.DAY)
)
UNFIT_COVERAGE = 0.5  # coverage kept by an intent that cannot supply what is asked


# Small counts as the articles spell them ("2 national databases" against "two
# national databases"). Vietnamese number words fold onto other words ("hai", "nam").
_SPELLED = {
    str(n): word
    for n, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), start=1
    )
}


_T = TypeVar("_T")


def _kept(cache: dict[tuple[str, ...], _T], key: tuple[str, ...], work: Callable[[], _T]) -> _T:
    """`work()`, kept in `cache` under `key`; the cache holds the last `_CLOSE_KEPT`."""
    if (found := cache.get(key)) is None:
        if len(cache) >= _CLOSE_KEPT:
            cache.clear()
        found = cache[key] = work()
    return found


@dataclass(frozen=True, slots=True)
class Query:
    """A question reduced to the words the matcher compares, each with its weight."""

    words: tuple[str, ...]  # of the asking clause, then known words of the rest
    weights: dict[str, float]
    text: str  # the asking clause's words sorted: `fuzz.ratio` on it is `token_sort_ratio`
    asked: tuple[str, ...]  # the asking clause's own words


class Matcher:
    """Ranks intents for questions; construct once, call `rank` per question."""

    def __init__(
        self,
        intents: Sequence[Intent],
        synonyms: Mapping[str, Sequence[str]] | None = None,
        prepared: Prepared | None = None,
    ) -> None:
        """`prepared` is the index the build stored for these intents and synonyms;
        without it, the matcher prepares its own (as the build does)."""
        self.intents = tuple(intents)
        self.position = {intent.id: n for n, intent in enumerate(self.intents)}
        self.synonyms = Synonyms(synonyms or {})
        prepared = prepared or Prepared.of(self.intents, synonyms or {})
        self._phrasings: list[str] = []
        phrasing_words: list[frozenset[str]] = []
        self._owner: list[int] = []
        self._first: list[int] = []
        self._vocab: list[frozenset[str]] = []
        self._supplies = prepared.supplies
        self._compared = prepared.compared
        self._named = prepared.named
        self._places = prepared.places
        # The figures of each intent's answer line.
        self._figures = [
            frozenset(w for w in others[0] if FIGURE.fullmatch(w)) if others else frozenset()
            for others in prepared.others
        ]
        self._quotes = {i.id: frozenset(f.quote for f in i.facts) for i in self.intents}
        self.articles = {i.id: frozenset(f.seed for f in i.facts) for i in self.intents}
        # For each intent, the intents that cite an article it cites.
        self.kin = [
            np.array(
                [not self.articles[i.id].isdisjoint(self.articles[j.id]) for j in self.intents]
            )
            for i in self.intents
        ]
        self._by_word: dict[str, list[int]] = {}
        for n, (said, others) in enumerate(zip(prepared.phrasings, prepared.others, strict=True)):
            self._first.append(len(self._phrasings))
            for tokens in said:
                # Sorted once here, so each question costs a plain ratio per phrasing.
                self._phrasings.append(" ".join(sorted(tokens)))
                phrasing_words.append(frozenset(tokens))
                self._owner.append(n)
            words = frozenset(w for tokens in (*said, *others) for w in tokens)
            self._vocab.append(words)
            for word in words:
                self._by_word.setdefault(word, []).append(n)
        total = len(self.intents) + 1
        self._idf = {w: math.log(total / (len(ns) + 1)) + 1.0 for w, ns in self._by_word.items()}
        self._unknown_idf = UNKNOWN_WEIGHT * (math.log(total) + 1.0)
        # Typos are corrected towards every word as written anywhere in the knowledge,
        # before synonyms, so "workrs" finds "workers" (a synonym variant).
        self.correct = Spelling(prepared.spelling).correct
        self._rare_limit = max(3, len(self.intents) // 50)
        self._ends = [
            first + len(i.phrasings) for first, i in zip(self._first, self.intents, strict=True)
        ]
        # For `precisions`: the phrasings that say each word, and the share of its
        # phrasing's total weight each word is.
        said_by: dict[str, list[int]] = {}
        for pos, ws in enumerate(phrasing_words):
            for w in ws:
                said_by.setdefault(w, []).append(pos)
        self._said_by = {w: np.array(at, dtype=np.intp) for w, at in said_by.items()}
        # Sums in a fixed order (a set's order changes from run to run), so that the same
        # question gets the same floats in every process and the build is reproducible.
        weight = np.array([sum(self._idf[w] for w in sorted(ws)) for ws in phrasing_words])
        self._phrasing_share = np.divide(1.0, weight, out=np.zeros_like(weight), where=weight > 0)
        self._silent = np.array([e == f for f, e in zip(self._first, self._ends, strict=True)])
        # Where each intent's phrasings start, kept inside the list for `reduceat`.
        self._runs = np.minimum(self._first, max(len(self._phrasings) - 1, 0))
        self.chars = prepared.chars
        self.examples = prepared.examples
        self.follow_ups = prepared.follow_ups
        self._chars_kept: dict[tuple[str, ...], list[float]] = {}
        self._seen_kept: dict[tuple[str, ...], Seen] = {}
        self._whole_kept: dict[tuple[str, ...], tuple[str, ...]] = {}

    def remembering(self, examples: Examples, follow_ups: FollowUps) -> Matcher:
        """This matcher with other labelled examples (the build's cross-validation)."""
        other = copy.copy(self)
        other.examples = examples
        other.follow_ups = follow_ups
        other._chars_kept, other._seen_kept, other._whole_kept = {}, {}, {}
        return other

    def closeness(self, words: Sequence[str]) -> tuple[list[float], Seen]:
        """The character ranker's score of each intent (in intent order) and the
        closeness to the labelled questions, for `words`. The last few of each are
        kept: a message after an answer is read twice, alone and as a follow-up."""
        key = tuple(words)
        scores = _kept(self._chars_kept, key, lambda: self.chars.scores(words).tolist())
        return scores, self.seen(words)

    def fits_whole(self, question: Question) -> tuple[str, ...]:
        """The intent the whole text of a message read by its asking clause fits best
        (none when no intent fits). Kept like `closeness`: a message asking two things
        is read whole and by each part, against the same whole text."""
        whole = replace(question, asking=question.text, folded=fold(question.text))
        return _kept(
            self._whole_kept,
            (question.text, question.topic),
            lambda: tuple(m.intent_id for m in self.rank(whole, limit=1)),
        )

    def seen(self, words: Sequence[str]) -> Seen:
        """The closeness of `words` to the labelled questions alone (kept as above)."""
        return _kept(self._seen_kept, tuple(words), lambda: self.examples.scores(words))

    def words(self, text: str) -> list[str]:
        """Content words of `text` with synonyms replaced by their canonical word."""
        return self._words(fold(text))

    def _words(self, folded: str) -> list[str]:
        return content_words(folded, self.synonyms)

    def query(self, question: Question | str) -> Query:
        """The words to compare: those of the asking clause and, at a lower weight, the
        words that some intent knows of the rest of a long message and of the topic of
        a follow-up. A follow-up's topic words also take part in the similarity."""
        if isinstance(question, str):
            question = Question.prepare(question)
        words = self._corrected(question.folded)
        weights = {w: self._idf.get(w, self._unknown_idf) for w in words}
        context: list[str] = []
        around = "" if question.whole else fold(question.text)
        topic = self._corrected(fold(question.topic)) if question.topic else []
        if any(FIGURE.fullmatch(w) for w in words):  # "and in 2025?": the new year replaces
            topic = [w for w in topic if not FIGURE.fullmatch(w)]
        for word in [*self._corrected(around), *topic]:
            if word not in weights and word in self._idf:
                weights[word] = CONTEXT_WEIGHT * self._idf[word]
                context.append(word)
        similar = [*words, *(w for w in context if w in topic)]
        return Query((*words, *context), weights, " ".join(sorted(similar)), tuple(words))

    def _corrected(self, folded: str) -> list[str]:
        return self.words(" ".join(self.correct(word) or word for word in folded.split()))

    def coverage(self, query: Query, index: int) -> float:
        """The IDF-weighted share of the question's words the intent knows."""
        weights = query.weights
        total = sum(weights.values())
        vocab = self._vocab[index]
        return sum(v for w, v in weights.items() if w in vocab) / total if total else 0.0

    def precisions(self, query: Query) -> list[float]:
        """For each intent (in order), how much of its closest phrasing the question
        says (IDF-weighted)."""
        said = np.zeros(len(self._phrasings))
        for word, weight in query.weights.items():
            if (at := self._said_by.get(word)) is not None:
                said[at] += weight
        said *= self._phrasing_share
        if not len(said):
            return [0.0] * len(self.intents)
        best = np.maximum.reduceat(said, self._runs)
        best[self._silent] = 0.0  # an intent without phrasings
        return [float(p) for p in best]

    def rank(
        self, question: Question | str, limit: int = 5, also: Collection[str] = ()
    ) -> list[Match]:
        """The best-scoring intents for `question`, highest first (scores 0–100); the
        intents in `also` are scored too and kept even below the first `limit`."""
        if isinstance(question, str):
            question = Question.prepare(question)
        query = self.query(question)
        if not query.words:
            return []
        similarity: dict[int, float] = {}
        for _, score, pos in process.extract(
            query.text, self._phrasings, scorer=fuzz.ratio, limit=CANDIDATES
        ):
            owner = self._owner[pos]
            similarity[owner] = max(similarity.get(owner, 0.0), score)
        for intent_id in also:
            similarity.setdefault(self.position[intent_id], 0.0)
        for word in query.words:
            postings = self._by_word.get(word, ())
            if len(postings) <= self._rare_limit:
                for owner in postings:
                    similarity.setdefault(owner, 0.0)
        # Figures and years only: "5g", "4ir" and "100mbps" are words, not numbers.
        numbers = [w for w in query.asked if FIGURE.fullmatch(w)]
        # A year the question compares with is not asked about ("growth since 2015").
        compared = asks.compared_years(question.asking) if numbers else frozenset()
        wanted = asks.asked(question.asking)
        also_asked = {kind for other in question.others for kind in asks.asked(other)}
        # A question for a figure, and the figures the message states anywhere in it.
        figure = not _FIGURES_ASKED.isdisjoint(wanted)
        stated = (
            {w for w in self._words(fold(question.text)) if FIGURE.fullmatch(w)}
            if figure
            else set()
        )
        where = places(question.folded)
        total = sum(query.weights.values())
        asked = {w: query.weights[w] for w in query.asked}
        asked_total = sum(asked.values())
        scored: list[Match] = []
        precisions = self.precisions(query)
        for index, found in similarity.items():
            sim = found or self._similarity(query, index)
            coverage = self.coverage(query, index)
            supplied = self._supplies[index]
            unfit = next((kind for kind in wanted if kind not in supplied), None)
            if unfit:
                coverage *= UNFIT_COVERAGE
            precision = precisions[index]
            score = (
                SIMILARITY_WEIGHT * sim
                + COVERAGE_WEIGHT * 100 * coverage
                + PRECISION_WEIGHT * 100 * precision
            )
            vocab = self._vocab[index]
            # A year the intent names only as a comparison's base has no figure of its own;
            # the year or title figure of its article only tells which article is meant.
            named = self._named[index]
            mismatch = any(
                (n not in vocab and _SPELLED.get(n) not in vocab and n not in named)
                or (n in self._compared[index] and n not in compared)
                for n in numbers
            )
            if mismatch:
                score = min(score, NUMBER_MISMATCH_CAP)
            own = sum(v for w, v in asked.items() if w in vocab) / asked_total if asked else 0.0
            unknown = max((w for k, w in query.weights.items() if k not in vocab), default=0.0)
            scored.append(
                Match(
                    self.intents[index].id,
                    round(score, 1),
                    round(coverage, 3),
                    similarity=sim,
                    precision=precision,
                    unknown=unknown / total if total else 0.0,
                    numbers=mismatch,
                    elsewhere=not where <= self._places[index],
                    unfit=unfit.value if unfit else "",
                    unfit_other=not also_asked <= supplied,
                    restated=figure and self._figures[index] <= stated,
                    uncovered=tuple(w for w in query.words if w not in vocab),
                    own=own,
                )
            )
        scored.sort(key=lambda m: (-m.score, m.intent_id))
        ranked = self._distinct(self._break_tie(question.asking, scored))
        return ranked[:limit] + [m for m in ranked[limit:] if m.intent_id in also]

    def _break_tie(self, question: str, ranked: list[Match]) -> list[Match]:
        """Order intents tied at the top by their closest phrasing in full wording.

        Function words are dropped for scoring, so "Who is Jordan Ryan?" and "What did
        Jordan Ryan say?" reduce to the same words; the words dropped decide between them.
        """
        tied = [m for m in ranked if m.score == ranked[0].score] if ranked else []
        if len(tied) < 2:
            return ranked
        asked = fold(question)
        by_id = {i.id: i for i in self.intents}

        def closeness(match: Match) -> float:
            return max(fuzz.ratio(asked, fold(p)) for p in by_id[match.intent_id].phrasings)

        return sorted(tied, key=closeness, reverse=True) + ranked[len(tied) :]

    @property
    def table(self) -> list[str]:
        """The prepared phrasings the similarity pass compares with: folded, synonyms
        replaced, words sorted. Benchmarks scan the same list for their floor."""
        return self._phrasings

    def _distinct(self, ranked: list[Match]) -> list[Match]:
        """Drop intents whose sentences better-ranked intents already cite.

        Such intents answer with the same evidence, so they are not rivals for the
        margin test, nor useful as separate clarify options.
        """
        seen: set[str] = set()
        kept: list[Match] = []
        for match in ranked:
            quotes = self._quotes[match.intent_id]
            if not quotes <= seen:
                kept.append(match)
            seen |= quotes
        return kept

    def _similarity(self, query: Query, index: int) -> float:
        text = query.text
        return max(
            fuzz.ratio(text, p) for p in self._phrasings[self._first[index] : self._ends[index]]
        )
