"""The labelled questions the build learned from, as a third ranker.

The build keeps every labelled question that was asked first (a single question,
or a conversation's opening turn) with what answers it: the intents that answer
it right, or nothing when the articles do not answer it. A new question's closest
labelled questions, by the cosine of character n-grams that `ngrams.py` computes,
tell which intent people meant when they asked in such words, and whether people
asking like that were asking for something the articles do not give ("who signed
Resolution 52?" is close to other questions about a signer no article names).

The decision weighs these scores with the rest of the evidence; it learns how far
to trust them from questions the examples did not include (see
`bot/evaluation/training.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.answering.ngrams import CharRanker

NAME = "examples"  # the blobs' name in facts.db


class Examples:
    """Labelled questions, each owned by an intent that answers it or by no intent."""

    def __init__(self, ranker: CharRanker, intents: int) -> None:
        self._ranker = ranker
        self._intents = intents

    @classmethod
    def of(cls, questions: Sequence[tuple[int | None, Sequence[str]]], intents: int) -> Examples:
        """`questions` are (intent position or None when no intent answers it, words as
        the word matcher prepares them) pairs; a question that several intents answer
        comes once for each."""
        owned = [(intents if n is None else n, words) for n, words in questions]
        return cls(CharRanker.build(owned, intents + 1), intents)

    def scores(self, words: Sequence[str]) -> tuple[list[float], float]:
        """Each intent's best cosine (0–1) with a question it answers, in intent order,
        and the best cosine with a question no intent answers."""
        best = self._ranker.scores(words).tolist()
        return best[: self._intents], best[self._intents]

    def blobs(self) -> dict[str, bytes]:
        return self._ranker.blobs(NAME)

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes], intents: int) -> Examples:
        """The examples stored in `blobs`, for `intents` intents; KeyError or ValueError
        when they hold none that fit."""
        ranker = CharRanker.from_blobs(blobs, NAME)
        if ranker.intents != intents + 1:
            raise ValueError(f"the examples are for {ranker.intents - 1} intents, not {intents}")
        return cls(ranker, intents)
