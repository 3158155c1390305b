"""Correcting a misspelt word towards the words the knowledge uses."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.text import STOPWORDS, is_number

TYPO_CUTOFF = 78  # rapidfuzz ratio needed to correct an unknown word
TYPO_MIN_LENGTH = 4


class Spelling:
    """The known words (every word as written anywhere in the knowledge, and the
    function words), by first letter; `correct` is cached per word."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(words) | STOPWORDS
        self._by_letter: dict[str, list[str]] = {}
        for word in sorted(self._words):
            if not is_number(word):
                self._by_letter.setdefault(word[0], []).append(word)
        self.correct = lru_cache(maxsize=4096)(self._correct)

    def _correct(self, word: str) -> str | None:
        """The known word a misspelt `word` most likely is (`word` itself when known),
        or None."""
        if word in self._words:
            return word
        if len(word) < TYPO_MIN_LENGTH or is_number(word):
            return None
        # Typos rarely touch the first letter; holding it fixed avoids "enrolled" → "rolled".
        candidates = self._by_letter.get(word[0], [])
        best = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        return best[0] if best else None
