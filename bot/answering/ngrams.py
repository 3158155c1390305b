"""The second ranker: character n-grams, which cope with typos and missing accents alone.

Every phrasing, answer line and quote of an intent becomes a TF-IDF vector of the
character 3- to 5-grams of its words (padded with spaces, like scikit-learn's
`TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)`), on the words as the
word matcher prepares them (folded, synonyms replaced, function words dropped).
A question's score for an intent is its highest cosine with any of the intent's
texts. "workrs" and "workers" share most of their n-grams, so this ranker needs
no spelling correction, and its errors differ from the word matcher's: where the
two agree, an answer is much more likely right.

Written here rather than taken from scikit-learn because the running bot must not
import scikit-learn and SciPy (about 0.5 s and 40 MB at start-up); NumPy does the
one sparse product a question needs.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

SIZES = (3, 4, 5)

_Floats = npt.NDArray[np.float64]


def word_grams(word: str) -> tuple[str, ...]:
    """The character n-grams of one word, padded with a space each side."""
    padded = f" {word} "
    return tuple(
        padded[i : i + size] for size in SIZES for i in range(max(1, len(padded) - size + 1))
    )


def grams(words: Iterable[str]) -> Counter[str]:
    """The character n-grams of `words`, with their counts."""
    return Counter(g for word in words for g in word_grams(word))


class CharRanker:
    """Cosine similarity of character n-grams between a question and each intent."""

    def __init__(self, texts: Sequence[tuple[int, Sequence[str]]], intents: int) -> None:
        """`texts` are (intent position, words) pairs: each phrasing, answer line and
        quote as the word matcher prepares it (folded, synonyms replaced)."""
        self._ids: dict[str, int] = {}
        # Compact arrays, not lists: a list of ints costs seven times the memory, and
        # start-up's peak is the bot's peak.
        ids = array("l")
        counts = array("l")
        sizes = array("l")
        owner = array("l")
        # Each of the knowledge's few thousand words recurs in many texts: its n-grams
        # are found once, as ids, for the build only.
        known: dict[str, tuple[int, ...]] = {}
        for n, words in texts:
            found: Counter[int] = Counter()
            for word in words:
                if (of_word := known.get(word)) is None:
                    of_word = tuple(
                        self._ids.setdefault(g, len(self._ids)) for g in word_grams(word)
                    )
                    known[word] = of_word
                found.update(of_word)
            ids.extend(found.keys())
            counts.extend(found.values())
            sizes.append(len(found))
            owner.append(n)
        del known
        gram = np.frombuffer(ids, dtype=np.int_).astype(np.int64)
        text_of = np.repeat(np.arange(len(owner), dtype=np.int64), np.frombuffer(sizes, np.int_))
        del ids, sizes
        total = len(owner) + 1
        self._idf = np.log(total / (np.bincount(gram, minlength=len(self._ids)) + 1.0)) + 1.0
        self._unseen_idf = math.log(total) + 1.0
        weight = (1.0 + np.log(np.frombuffer(counts, np.int_).astype(np.float64))) * self._idf[gram]
        weight /= np.sqrt(np.bincount(text_of, weights=weight * weight))[text_of]
        order = np.argsort(gram, kind="stable")
        self._texts = text_of[order].astype(np.int32)  # fewer texts than 2**31
        self._weights = weight[order]
        del text_of, weight, order
        per_gram = np.bincount(gram, minlength=len(self._ids))
        self._starts = np.concatenate(([0], np.cumsum(per_gram)))
        self._owner = np.frombuffer(owner, np.int_).astype(np.int64)
        self._intents = intents

    def scores(self, words: Sequence[str]) -> _Floats:
        """Each intent's best cosine (0–1) with the question's words, in intent order."""
        best = np.zeros(self._intents)
        counts = grams(words)
        if not counts:
            return best
        known: list[int] = []
        query: list[float] = []
        norm = 0.0
        for g, c in counts.items():
            at = self._ids.get(g)
            idf = self._unseen_idf if at is None else float(self._idf[at])
            weight = (1.0 + math.log(c)) * idf
            norm += weight * weight
            if at is not None:
                known.append(at)
                query.append(weight)
        if known:
            starts = self._starts[known]
            ends = self._starts[np.array(known) + 1]
            at_text = np.concatenate(
                [np.arange(a, b) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
            )
            scale = np.repeat(np.array(query) / math.sqrt(norm), ends - starts)
            per_text = np.bincount(
                self._texts[at_text],
                weights=self._weights[at_text] * scale,
                minlength=len(self._owner),
            )
            np.maximum.at(best, self._owner, per_text)
        return best
