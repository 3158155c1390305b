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

import json
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

SIZES = (3, 4, 5)

_Floats = npt.NDArray[np.float64]
_Array = npt.NDArray[Any]
_CHUNK = 1 << 16  # postings weighed at a time


def word_grams(word: str) -> tuple[str, ...]:
    """The character n-grams of one word, padded with a space each side."""
    padded = f" {word} "
    return tuple(
        padded[i : i + size] for size in SIZES for i in range(max(1, len(padded) - size + 1))
    )


def _compact(numbers: Sequence[int]) -> _Array:
    """`numbers` (none negative) in the smallest unsigned type that holds them all."""
    return np.array(numbers, dtype=np.min_scalar_type(max(numbers, default=0)))


def _weights(
    count: _Array, texts: _Array, size: int, idf: _Floats, starts: _Array
) -> npt.NDArray[np.float32]:
    """Each posting's weight: sublinear term frequency times its n-gram's IDF, each
    text's vector (of `size` texts) scaled to length 1. Single precision, worked out
    a slice at a time, so that start-up holds no second copy of all the postings."""
    weights = np.empty(len(count), dtype=np.float32)
    norms = np.zeros(size)
    for at in range(0, len(count), _CHUNK):
        part = slice(at, at + _CHUNK)
        gram = np.searchsorted(starts, np.arange(at, min(at + _CHUNK, len(count))), "right") - 1
        chunk = np.log(count[part], dtype=np.float32)
        chunk += 1.0
        chunk *= idf[gram]
        weights[part] = chunk
        norms += np.bincount(texts[part], weights=chunk * chunk, minlength=len(norms))
    scale = (1.0 / np.sqrt(norms)).astype(np.float32)
    for at in range(0, len(count), _CHUNK):
        weights[at : at + _CHUNK] *= scale[texts[at : at + _CHUNK]]
    return weights


def grams(words: Iterable[str]) -> Counter[str]:
    """The character n-grams of `words`, with their counts."""
    return Counter(g for word in words for g in word_grams(word))


class CharRanker:
    """Cosine similarity of character n-grams between a question and each intent.

    Built once from the knowledge (`build`, at `policybot build`) and stored in
    facts.db as a few compact arrays (`blobs`, `from_blobs`): for each n-gram, the
    texts it occurs in and how often. The weights follow at start-up in milliseconds.
    """

    def __init__(self, grams: Sequence[str], postings: Mapping[str, _Array], intents: int) -> None:
        """`grams` are the n-grams in id order. `postings` holds, n-gram after n-gram,
        the texts it occurs in ("text", texts numbered in intent order) and how often
        ("count"); how many texts each n-gram occurs in ("spread"); and whose each text
        is ("owner")."""
        self._grams = tuple(grams)
        self._ids = dict(zip(self._grams, range(len(self._grams)), strict=True))
        self._postings = dict(postings)
        spread = postings["spread"].astype(np.int64)
        self._texts = postings["text"]
        self._owner = postings["owner"].astype(np.int64)
        total = len(self._owner) + 1
        idf = np.log(total / (spread + 1.0)) + 1.0
        self._unseen_idf = math.log(total) + 1.0
        starts = np.concatenate(([0], np.cumsum(spread)))
        self._weights = _weights(postings["count"], self._texts, len(self._owner), idf, starts)
        # Read one at a time for each n-gram of a question: plain arrays are quicker.
        self._start_of = array("q", starts.tolist())
        self._idf_of = array("d", idf.tolist())
        # Each intent's texts are consecutive: where each run of one owner starts.
        self._first = np.flatnonzero(np.diff(self._owner, prepend=-1))
        self._intents = intents

    @property
    def intents(self) -> int:
        """How many owners the texts have (intents, for the knowledge's ranker)."""
        return self._intents

    @classmethod
    def build(cls, texts: Sequence[tuple[int, Sequence[str]]], intents: int) -> CharRanker:
        """`texts` are (intent position, words) pairs: each phrasing, answer line and
        quote as the word matcher prepares it (folded, synonyms replaced)."""
        texts = sorted(texts, key=lambda text: text[0])  # each intent's texts together
        ids: dict[str, int] = {}
        occurs: list[list[tuple[int, int]]] = []  # per n-gram: (text, count)
        # Each of the knowledge's few thousand words recurs in many texts: its n-grams
        # are found once, as ids.
        known: dict[str, tuple[int, ...]] = {}
        for n, (_, words) in enumerate(texts):
            found: Counter[int] = Counter()
            for word in words:
                if (of_word := known.get(word)) is None:
                    of_word = tuple(ids.setdefault(g, len(ids)) for g in word_grams(word))
                    known[word] = of_word
                found.update(of_word)
            occurs.extend([] for _ in range(len(ids) - len(occurs)))
            for gram, count in found.items():
                occurs[gram].append((n, count))
        postings = {
            "text": _compact([text for o in occurs for text, _ in o]),
            "count": _compact([count for o in occurs for _, count in o]),
            "spread": _compact([len(o) for o in occurs]),
            "owner": _compact([n for n, _ in texts]),
        }
        return cls(list(ids), postings, intents)

    def blobs(self, name: str = "chars") -> dict[str, bytes]:
        """The index as blobs named after `name`: the n-grams in id order, then each
        array's bytes."""
        kinds = {part: a.dtype.str for part, a in self._postings.items()}
        return {
            name: json.dumps(kinds | {"intents": self._intents}, sort_keys=True).encode(),
            f"{name}.grams": "\0".join(self._grams).encode(),
            **{f"{name}.{part}": a.tobytes() for part, a in self._postings.items()},
        }

    @classmethod
    def from_blobs(cls, blobs: Mapping[str, bytes], name: str = "chars") -> CharRanker:
        """The index stored under `name` in `blobs`; KeyError or ValueError when they
        do not hold one."""
        meta = json.loads(blobs[name])
        postings = {
            part: np.frombuffer(blobs[f"{name}.{part}"], dtype=np.dtype(meta[part]))
            for part in ("text", "count", "spread", "owner")
        }
        text = blobs[f"{name}.grams"].decode()
        grams = text.split("\0") if text else []
        if (
            not len(postings["text"]) == len(postings["count"]) == int(postings["spread"].sum())
            or len(postings["spread"]) != len(grams)
            or int(postings["text"].max(initial=0)) >= max(len(postings["owner"]), 1)
        ):
            raise ValueError("the n-gram index does not hold together")
        return cls(grams, postings, int(meta["intents"]))

    def scores(self, words: Sequence[str]) -> _Floats:
        """Each intent's best cosine (0–1) with the question's words, in intent order."""
        best = np.zeros(self._intents)
        counts = grams(words)
        if not counts:
            return best
        spans: list[slice] = []  # the postings of each known n-gram
        query: list[float] = []
        norm = 0.0
        for g, c in counts.items():
            at = self._ids.get(g)
            idf = self._unseen_idf if at is None else self._idf_of[at]
            weight = (1.0 + math.log(c)) * idf
            norm += weight * weight
            if at is not None:
                spans.append(slice(self._start_of[at], self._start_of[at + 1]))
                query.append(weight)
        if spans:
            # The postings of every known n-gram, one run after another: slices are
            # copied whole, far cheaper than gathering them posting by posting.
            weights = np.concatenate([self._weights[s] for s in spans])
            weights *= np.repeat(
                np.array(query, dtype=np.float32), [s.stop - s.start for s in spans]
            )
            texts = np.concatenate([self._texts[s] for s in spans])
            summed = np.bincount(texts, weights=weights, minlength=len(self._owner))
            per_text: _Floats = summed / math.sqrt(norm)
            if len(self._first) == len(self._owner):  # one text each (the examples)
                best[self._owner] = per_text
            else:
                best[self._owner[self._first]] = np.maximum.reduceat(per_text, self._first)
        return best
