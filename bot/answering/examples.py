"""The labelled questions the build learned from, as a third ranker.

The build keeps every labelled question that was asked first (a single question,
or a conversation's opening turn) with what answers it: the intents that answer
it right, or nothing when the articles do not answer it; and every intent's
phrasings, with their intent (so a phrasing `policybot learn` adds counts here
too). A new question's closest labelled questions, by the cosine of character
n-grams that `ngrams.py` computes, tell which intent people meant when they asked
in such words, and whether people asking like that were asking for something the
articles do not give ("who signed Resolution 52?" is close to other questions
about a signer no article names).

The later turns of the labelled conversations are kept apart (`FollowUps`), each
with the intent answered just before it: a follow-up says little alone, but what
people meant by such words after such an answer says more.

The decision weighs these scores with the rest of the evidence; it learns how far
to trust them from questions the examples did not include (see
`bot/evaluation/training.py`).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.answering.ngrams import CharRanker

NAME = "examples"  # the blobs' name in facts.db
FOLLOW_NAME = "follow_ups"
_Ids = npt.NDArray[np.intp]


def _pairs(owners: Sequence[Collection[int]]) -> tuple[_Ids, _Ids]:
    """Every (question, intent answering it) pair of `owners`, as two arrays."""
    pairs = [(n, i) for n, found in enumerate(owners) for i in sorted(found)]
    return (
        np.array([n for n, _ in pairs], dtype=np.intp),
        np.array([i for _, i in pairs], dtype=np.intp),
    )


def _owners(texts: _Ids, intents: _Ids, count: int) -> list[list[int]]:
    """The intents answering each of `count` questions, from their pairs (`_pairs`)."""
    owners: list[list[int]] = [[] for _ in range(count)]
    for n, i in zip(texts.tolist(), intents.tolist(), strict=True):
        owners[n].append(i)
    return owners


class Examples:
    """Labelled questions, each answered by some intents or by none."""

    def __init__(self, ranker: CharRanker, owners: Sequence[Collection[int]], intents: int) -> None:
        """`ranker` scores each question on its own (its owner is its position);
        `owners` are the intents that answer each question."""
        self._ranker = ranker
        self._intents = intents
        self._pair_text, self._pair_intent = _pairs(owners)
        self._none = np.array([not found for found in owners], dtype=bool)
        self._texts_of = [self._pair_text[self._pair_intent == i] for i in range(intents)]

    @classmethod
    def of(cls, questions: Sequence[tuple[int | None, Sequence[str]]], intents: int) -> Examples:
        """`questions` are (intent position or None when no intent answers it, words as
        the word matcher prepares them) pairs; a question that several intents answer
        comes once for each, and is kept once with all of them."""
        owners: dict[tuple[str, ...], set[int]] = {}
        for n, words in questions:
            found = owners.setdefault(tuple(words), set())
            if n is not None:
                found.add(n)
        texts = list(owners)
        ranker = CharRanker.build(list(enumerate(texts)), len(texts))
        return cls(ranker, [frozenset(owners[t]) for t in texts], intents)

    def scores(self, words: Sequence[str]) -> Seen:
        """How close `words` come to the labelled questions (see `Seen`)."""
        cosines = self._ranker.scores(words)
        best = np.zeros(self._intents)
        np.maximum.at(best, self._pair_intent, cosines[self._pair_text])
        refused = float(cosines[self._none].max(initial=0.0))
        return Seen(best.tolist(), refused, np.where(self._none, 0.0, cosines), self._texts_of)

    def blobs(self) -> dict[str, bytes]:
        meta = json.dumps(
            {
                "intents": self._intents,
                "owners": _owners(self._pair_text, self._pair_intent, len(self._none)),
            },
            separators=(",", ":"),
        )
        return {**self._ranker.blobs(NAME), f"{NAME}.owners": meta.encode()}

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes], intents: int) -> Examples:
        """The examples stored in `blobs`, for `intents` intents; KeyError or ValueError
        when they hold none that fit."""
        ranker = CharRanker.from_blobs(blobs, NAME)
        meta = json.loads(blobs[f"{NAME}.owners"])
        if meta["intents"] != intents:
            raise ValueError(f"the examples are for {meta['intents']} intents, not {intents}")
        owners = [[int(i) for i in found] for found in meta["owners"]]
        if len(owners) != ranker.intents:
            raise ValueError("the examples do not hold together")
        return cls(ranker, owners, intents)


@dataclass(frozen=True, slots=True)
class Seen:
    """A question's closeness to the labelled questions: `best`, each intent's closest
    question it answers (in intent order); `refused`, the closest one no intent answers."""

    best: list[float]
    refused: float
    _answered: npt.NDArray[np.float64]  # each question's cosine, 0 where nothing answers it
    _texts_of: Sequence[npt.NDArray[np.intp]]  # the questions each intent answers

    def rival(self, intent: int) -> float:
        """The closest labelled question that other intents answer and `intent` does
        not (one it answers with others is no rival, nor one nothing answers)."""
        others = self._answered.copy()
        others[self._texts_of[intent]] = 0.0
        return float(others.max(initial=0.0))


class FollowUps:
    """Labelled follow-ups: questions asked right after an answer (their topic, the
    intent of that answer), each answered by some intents or by none.

    A follow-up says little alone; what people meant by such words after such an
    answer says more. "who signed it?" after Decision 749 was answered by the
    decision's own intent; "and in 2015?" after the ICT industry's revenue by none.
    """

    def __init__(
        self,
        ranker: CharRanker,
        owners: Sequence[Collection[int]],
        topics: Sequence[int],
        intents: int,
    ) -> None:
        """`ranker` scores each follow-up on its own (its owner is its position);
        `owners` are the intents that answer each, `topics` the intent each followed."""
        self._ranker = ranker
        self._topics = np.array(topics, dtype=np.intp)
        self._intents = intents
        self._pair_text, self._pair_intent = _pairs(owners)
        asked = list(zip(topics, owners, strict=True))
        self._stayed = np.array([t in found for t, found in asked], dtype=bool)
        self._moved = np.array([bool(found) and t not in found for t, found in asked], dtype=bool)
        self._none = np.array([not found for found in owners], dtype=bool)

    @classmethod
    def of(cls, asked: Sequence[tuple[int, int | None, Sequence[str]]], intents: int) -> FollowUps:
        """`asked` are (topic, intent position or None when no intent answers it, words
        as the word matcher prepares them) triples; a follow-up that several intents
        answer comes once for each, and is kept once per topic with all of them."""
        owners: dict[tuple[int, tuple[str, ...]], set[int]] = {}
        for topic, n, words in asked:
            found = owners.setdefault((topic, tuple(words)), set())
            if n is not None:
                found.add(n)
        keys = list(owners)
        ranker = CharRanker.build([(k, words) for k, (_, words) in enumerate(keys)], len(keys))
        return cls(ranker, [frozenset(owners[k]) for k in keys], [t for t, _ in keys], intents)

    def scores(self, words: Sequence[str], topic: int, kin: npt.NDArray[np.bool_]) -> Followed:
        """How close `words`, asked right after an answer of intent `topic`, come to
        the labelled follow-ups (see `Followed`); `kin` tells the intents that cite an
        article `topic` cites."""
        cosines = self._ranker.scores(words)
        here = np.where(self._topics == topic, cosines, 0.0)
        best = np.zeros(self._intents)
        np.maximum.at(best, self._pair_intent, here[self._pair_text])
        near = np.where(kin[self._topics], cosines, 0.0)
        best_near = np.zeros(self._intents)
        np.maximum.at(best_near, self._pair_intent, near[self._pair_text])
        return Followed(
            best.tolist(),
            best_near.tolist(),
            topic,
            float(cosines[self._stayed].max(initial=0.0)),
            float(cosines[self._moved].max(initial=0.0)),
            float(cosines[self._none].max(initial=0.0)),
        )

    def blobs(self) -> dict[str, bytes]:
        meta = json.dumps(
            {
                "intents": self._intents,
                "owners": _owners(self._pair_text, self._pair_intent, len(self._none)),
                "topics": self._topics.tolist(),
            },
            separators=(",", ":"),
        )
        return {**self._ranker.blobs(FOLLOW_NAME), f"{FOLLOW_NAME}.owners": meta.encode()}

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes], intents: int) -> FollowUps:
        """The follow-ups stored in `blobs`, for `intents` intents; KeyError or
        ValueError when they hold none that fit."""
        ranker = CharRanker.from_blobs(blobs, FOLLOW_NAME)
        meta = json.loads(blobs[f"{FOLLOW_NAME}.owners"])
        if meta["intents"] != intents:
            raise ValueError(f"the follow-ups are for {meta['intents']} intents, not {intents}")
        owners = [[int(i) for i in found] for found in meta["owners"]]
        topics = [int(t) for t in meta["topics"]]
        if not len(owners) == len(topics) == ranker.intents:
            raise ValueError("the follow-ups do not hold together")
        return cls(ranker, owners, topics, intents)


@dataclass(frozen=True, slots=True)
class Followed:
    """A follow-up's closeness to the labelled ones: `best`, each intent's closest
    follow-up it answered after the same topic (in intent order); `near`, the same
    after any topic that shares an article with it; `stayed`, the closest one (after
    any topic) that its topic's own intent answered; `moved`, the closest one another
    intent answered; `refused`, the closest one nothing answered."""

    best: list[float]
    near: list[float]
    topic: int
    stayed: float
    moved: float
    refused: float

    @property
    def likeliest(self) -> int | None:
        """The intent that answered the closest follow-up after this topic, if any."""
        top = max(range(len(self.best)), key=self.best.__getitem__, default=None)
        return top if top is not None and self.best[top] > 0 else None

    def of(self, intent: int) -> tuple[float, float, float, float, float]:
        """The evidence for answering with `intent`: its closest follow-up after this
        topic, and by how much it beats the closest one other intents answered there;
        its closest after a topic from the same article; the closest one that went the
        same way (stayed on the topic's intent, or moved to another); and the closest
        one that nothing answered."""
        way = self.stayed if intent == self.topic else self.moved
        rival = max((v for n, v in enumerate(self.best) if n != intent), default=0.0)
        return self.best[intent], self.best[intent] - rival, self.near[intent], way, self.refused
