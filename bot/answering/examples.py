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

The decision weighs these scores with the rest of the evidence; it learns how far
to trust them from questions the examples did not include (see
`bot/evaluation/training.py`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.answering.ngrams import CharRanker

NAME = "examples"  # the blobs' name in facts.db


class Examples:
    """Labelled questions, each answered by some intents or by none."""

    def __init__(self, ranker: CharRanker, owners: Sequence[frozenset[int]], intents: int) -> None:
        """`ranker` scores each question on its own (its owner is its position);
        `owners` are the intents that answer each question."""
        self._ranker = ranker
        self._owners = tuple(owners)
        self._intents = intents
        pairs = [(n, i) for n, found in enumerate(self._owners) for i in sorted(found)]
        self._pair_text = np.array([n for n, _ in pairs], dtype=np.intp)
        self._pair_intent = np.array([i for _, i in pairs], dtype=np.intp)
        self._none = np.array([not found for found in self._owners], dtype=bool)
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
                "owners": [sorted(found) for found in self._owners],
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
        owners = [frozenset(int(i) for i in found) for found in meta["owners"]]
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
