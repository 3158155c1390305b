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
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from bot.answering.ngrams import CharRanker

NAME = "examples"  # the blobs' name in facts.db
FOLLOW_NAME = "follow_ups"
_Floats = npt.NDArray[np.float64]
_K = TypeVar("_K", bound=Hashable)


class _Answered:
    """Which intents answer each of a ranker's texts (none: the articles do not)."""

    def __init__(self, owners: Sequence[Collection[int]], intents: int) -> None:
        self.intents = intents
        pairs = [(n, i) for n, found in enumerate(owners) for i in sorted(found)]
        self.text = np.array([n for n, _ in pairs], dtype=np.intp)  # each (text, intent)
        self.intent = np.array([i for _, i in pairs], dtype=np.intp)
        self.none = np.array([not found for found in owners], dtype=bool)

    @staticmethod
    def kept(asked: Iterable[tuple[_K, int | None]]) -> tuple[list[_K], list[frozenset[int]]]:
        """Each text of `asked` ((text, intent answering it or None) pairs, a text that
        several intents answer once for each) once, with all the intents answering it."""
        owners: dict[_K, set[int]] = {}
        for text, n in asked:
            found = owners.setdefault(text, set())
            if n is not None:
                found.add(n)
        return list(owners), [frozenset(found) for found in owners.values()]

    def best(self, cosines: _Floats) -> _Floats:
        """Each intent's highest cosine among the texts it answers."""
        best = np.zeros(self.intents)
        np.maximum.at(best, self.intent, cosines[self.text])
        return best

    def meta(self, **more: object) -> bytes:
        """The stored form, with `more` beside the intents answering each text."""
        owners: list[list[int]] = [[] for _ in range(len(self.none))]
        for n, i in zip(self.text.tolist(), self.intent.tolist(), strict=True):
            owners[n].append(i)
        data = {"intents": self.intents, "owners": owners, **more}
        return json.dumps(data, separators=(",", ":")).encode()

    @staticmethod
    def read(
        blobs: Mapping[str, bytes], name: str, intents: int, texts: int
    ) -> tuple[list[list[int]], dict[str, Any]]:
        """The owners stored under `name` for `texts` texts and `intents` intents, and
        the rest of what was stored with them; ValueError when they do not fit."""
        what = name.replace("_", "-")
        meta: dict[str, Any] = json.loads(blobs[f"{name}.owners"])
        if meta["intents"] != intents:
            raise ValueError(f"the {what} are for {meta['intents']} intents, not {intents}")
        owners = [[int(i) for i in found] for found in meta["owners"]]
        if len(owners) != texts:
            raise ValueError(f"the {what} do not hold together")
        return owners, meta


class Examples:
    """Labelled questions, each answered by some intents or by none."""

    def __init__(self, ranker: CharRanker, owners: Sequence[Collection[int]], intents: int) -> None:
        """`ranker` scores each question on its own (its owner is its position);
        `owners` are the intents that answer each question."""
        self._ranker = ranker
        self._answered = _Answered(owners, intents)
        answered = self._answered
        self._texts_of = [answered.text[answered.intent == i] for i in range(intents)]

    @classmethod
    def of(cls, questions: Sequence[tuple[int | None, Sequence[str]]], intents: int) -> Examples:
        """`questions` are (intent position or None when no intent answers it, words as
        the word matcher prepares them) pairs; a question that several intents answer
        comes once for each, and is kept once with all of them."""
        texts, owners = _Answered.kept((tuple(words), n) for n, words in questions)
        return cls(CharRanker.build(list(enumerate(texts)), len(texts)), owners, intents)

    def scores(self, words: Sequence[str]) -> Seen:
        """How close `words` come to the labelled questions (see `Seen`)."""
        cosines = self._ranker.scores(words)
        none = self._answered.none
        refused = float(cosines[none].max(initial=0.0))
        best = self._answered.best(cosines).tolist()
        return Seen(best, refused, np.where(none, 0.0, cosines), self._texts_of)

    def blobs(self) -> dict[str, bytes]:
        return {**self._ranker.blobs(NAME), f"{NAME}.owners": self._answered.meta()}

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes], intents: int) -> Examples:
        """The examples stored in `blobs`, for `intents` intents; KeyError or ValueError
        when they hold none that fit."""
        ranker = CharRanker.from_blobs(blobs, NAME)
        owners, _ = _Answered.read(blobs, NAME, intents, ranker.intents)
        return cls(ranker, owners, intents)


@dataclass(frozen=True, slots=True)
class Seen:
    """A question's closeness to the labelled questions: `best`, each intent's closest
    question it answers (in intent order); `refused`, the closest one no intent answers."""

    best: list[float]
    refused: float
    _answered: npt.NDArray[np.float64]  # each question's cosine, 0 where nothing answers it
    _texts_of: Sequence[npt.NDArray[np.intp]]  # the questions each intent answers

    @property
    def likeliest(self) -> int | None:
        """The intent that answers the closest labelled question, if any."""
        return _likeliest(self.best)

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
        self._answered = _Answered(owners, intents)
        asked = list(zip(topics, owners, strict=True))
        self._stayed = np.array([t in found for t, found in asked], dtype=bool)
        self._moved = np.array([bool(found) and t not in found for t, found in asked], dtype=bool)

    @classmethod
    def of(cls, asked: Sequence[tuple[int, int | None, Sequence[str]]], intents: int) -> FollowUps:
        """`asked` are (topic, intent position or None when no intent answers it, words
        as the word matcher prepares them) triples; a follow-up that several intents
        answer comes once for each, and is kept once per topic with all of them."""
        keys, owners = _Answered.kept(((topic, tuple(words)), n) for topic, n, words in asked)
        ranker = CharRanker.build([(k, words) for k, (_, words) in enumerate(keys)], len(keys))
        return cls(ranker, owners, [t for t, _ in keys], intents)

    def scores(self, words: Sequence[str], topic: int, kin: npt.NDArray[np.bool_]) -> Followed:
        """How close `words`, asked right after an answer of intent `topic`, come to
        the labelled follow-ups (see `Followed`); `kin` tells the intents that cite an
        article `topic` cites."""
        cosines = self._ranker.scores(words)
        answered = self._answered
        return Followed(
            answered.best(np.where(self._topics == topic, cosines, 0.0)).tolist(),
            answered.best(np.where(kin[self._topics], cosines, 0.0)).tolist(),
            topic,
            float(cosines[self._stayed].max(initial=0.0)),
            float(cosines[self._moved].max(initial=0.0)),
            float(cosines[answered.none].max(initial=0.0)),
        )

    def blobs(self) -> dict[str, bytes]:
        meta = self._answered.meta(topics=self._topics.tolist())
        return {**self._ranker.blobs(FOLLOW_NAME), f"{FOLLOW_NAME}.owners": meta}

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes], intents: int) -> FollowUps:
        """The follow-ups stored in `blobs`, for `intents` intents; KeyError or
        ValueError when they hold none that fit."""
        ranker = CharRanker.from_blobs(blobs, FOLLOW_NAME)
        owners, meta = _Answered.read(blobs, FOLLOW_NAME, intents, ranker.intents)
        topics = [int(t) for t in meta["topics"]]
        if len(topics) != len(owners):
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
        return _likeliest(self.best)

    def of(self, intent: int) -> tuple[float, float, float, float, float]:
        """The evidence for answering with `intent`: its closest follow-up after this
        topic, and by how much it beats the closest one other intents answered there;
        its closest after a topic from the same article; the closest one that went the
        same way (stayed on the topic's intent, or moved to another); and the closest
        one that nothing answered."""
        way = self.stayed if intent == self.topic else self.moved
        rival = max((v for n, v in enumerate(self.best) if n != intent), default=0.0)
        return self.best[intent], self.best[intent] - rival, self.near[intent], way, self.refused


def _likeliest(best: list[float]) -> int | None:
    """The intent (in intent order) of the highest of `best`, if it is above 0."""
    top = max(range(len(best)), key=best.__getitem__, default=None)
    return top if top is not None and best[top] > 0 else None
