"""The second ranker: character n-grams, which cope with typos and missing accents alone.

Every phrasing, answer line and quote of an intent becomes a TF-IDF vector of the
character 3- to 5-grams of its words (padded with spaces, like scikit-learn's
`TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)`), on the words as the
word matcher prepares them (folded, synonyms replaced, function words dropped).
A question's score for an intent is its highest cosine with any of the intent's
texts. "workrs" and "workers" share most of their n-grams, so this ranker needs
no spelling correction, and its errors differ from the word matcher's: where the
two agree, an answer is much more likely right.

N-grams found in more than a tenth of the texts (and in more than `COMMON_LEAST`)
are left out, as `TfidfVectorizer(max_df=...)` leaves them out: "igi" and "tio"
tell intents apart hardly at all, yet they were half the postings a question about
"digital transformation" summed, and most of its reply time.

Written here rather than taken from scikit-learn because the running bot must not
import scikit-learn and SciPy (about 0.5 s and 40 MB at start-up); NumPy does the
one sparse product a question needs, and finds a question's n-grams among the
known ones by binary search in a sorted array (no dict of tens of thousands of
strings held for the bot's life).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

SIZES = (3, 4, 5)
COMMON_SHARE = 0.1  # an n-gram in more than this share of the texts is left out...
COMMON_LEAST = 100  # ...when it is in more than this many: small indexes keep them all

_Floats = npt.NDArray[np.float64]
_Array = npt.NDArray[Any]
_CHUNK = 1 << 16  # postings weighed at a time


def word_grams(word: str) -> tuple[str, ...]:
    """The character n-grams of one word, padded with a space each side."""
    padded = f" {word} "
    return tuple(
        padded[i : i + size] for size in SIZES for i in range(max(1, len(padded) - size + 1))
    )


def _compact(numbers: _Array) -> _Array:
    """`numbers` (none negative) in the smallest unsigned type that holds them all."""
    return numbers.astype(np.min_scalar_type(int(numbers.max(initial=0))))


def _weights(
    count: _Array, texts: _Array, size: int, idf: _Floats, starts: _Array
) -> tuple[npt.NDArray[np.float16], _Floats]:
    """Each posting's weight, its sublinear term frequency times its n-gram's IDF, in
    half precision (three significant digits are plenty for a cosine, and the largest
    index holds a million postings); and what scales each text's vector (of `size`
    texts) to length 1. Worked out a slice at a time, so that start-up holds no
    second copy of all the postings."""
    weights = np.empty(len(count), dtype=np.float16)
    norms = np.zeros(size)
    for at in range(0, len(count), _CHUNK):
        part = slice(at, at + _CHUNK)
        gram = np.searchsorted(starts, np.arange(at, min(at + _CHUNK, len(count))), "right") - 1
        chunk = np.log(count[part], dtype=np.float32)
        chunk += 1.0
        chunk *= idf[gram]
        weights[part] = chunk
        chunk = weights[part].astype(np.float32)  # the length of the vector as stored
        norms += np.bincount(texts[part], weights=chunk * chunk, minlength=len(norms))
    # A text made only of common n-grams has none left: it scores 0.
    lengths = np.sqrt(norms)
    scales: _Floats = np.divide(1.0, lengths, out=np.zeros_like(lengths), where=lengths > 0)
    return weights, scales


def grams(words: Iterable[str]) -> Counter[str]:
    """The character n-grams of `words`, with their counts."""
    return Counter(g for word in words for g in word_grams(word))


class CharRanker:
    """Cosine similarity of character n-grams between a question and each intent.

    Built once from the knowledge (`build`, at `policybot build`) and stored in
    facts.db as a few compact arrays (`blobs`, `from_blobs`): the n-grams, sorted, as
    fixed-width strings NumPy reads in place, and for each n-gram the texts it occurs
    in and how often. The weights follow at start-up in milliseconds.
    """

    def __init__(
        self,
        grams: _Array,
        ids: _Array,
        postings: Mapping[str, _Array],
        intents: int,
        common: Iterable[str] = (),
    ) -> None:
        """`grams` are the n-grams, a NumPy unicode array in sorted order, and `ids`
        the id of each. `postings` holds, n-gram after n-gram in id order, the texts it
        occurs in ("text", texts numbered in intent order) and how often ("count");
        how many texts each n-gram occurs in ("spread"); and whose each text is
        ("owner"). The `common` n-grams were left out, and a question's are ignored."""
        self._common = frozenset(common)
        self._grams = grams
        self._ids = ids
        self._postings = dict(postings)
        spread = postings["spread"].astype(np.int64)
        self._texts = postings["text"]
        self._owner = postings["owner"].astype(np.int64)
        total = len(self._owner) + 1
        idf = np.log(total / (spread + 1.0)) + 1.0
        self._unseen_idf = math.log(total) + 1.0
        starts = np.concatenate(([0], np.cumsum(spread)))
        self._weights, self._scales = _weights(
            postings["count"], self._texts, len(self._owner), idf, starts
        )
        self._starts = starts
        self._idf = idf
        # Each intent's texts are consecutive: where each run of one owner starts.
        self._first = np.flatnonzero(np.diff(self._owner, prepend=-1))
        self._intents = intents

    @property
    def intents(self) -> int:
        """How many owners the texts have (intents, for the knowledge's ranker)."""
        return self._intents

    @classmethod
    def build(
        cls, texts: Sequence[tuple[int, Sequence[str]]], intents: int, most: int | None = None
    ) -> CharRanker:
        """`texts` are (intent position, words) pairs: each phrasing, answer line and
        quote as the word matcher prepares it (folded, synonyms replaced). An n-gram in
        more than `most` texts is left out (by default, see `COMMON_SHARE`)."""
        if most is None:
            most = max(COMMON_LEAST, int(COMMON_SHARE * len(texts)))
        texts = sorted(texts, key=lambda text: text[0])  # each intent's texts together
        ids: dict[str, int] = {}
        flat: list[int] = []  # every text's n-gram ids, one text after another
        lengths: list[int] = []
        # Each of the knowledge's few thousand words recurs in many texts: its n-grams
        # are found once, as ids.
        known: dict[str, tuple[int, ...]] = {}
        for _, words in texts:
            before = len(flat)
            for word in words:
                if (of_word := known.get(word)) is None:
                    of_word = tuple(ids.setdefault(g, len(ids)) for g in word_grams(word))
                    known[word] = of_word
                flat.extend(of_word)
            lengths.append(len(flat) - before)
        # Each (n-gram, text) pair once with its count, n-gram after n-gram in id order
        # and the texts in order within each.
        width = max(len(texts), 1)
        text_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        pairs, counts = np.unique(
            np.array(flat, dtype=np.int64) * width + text_of, return_counts=True
        )
        if any("\0" in g for g in ids):
            raise ValueError("a word holds NUL, which NumPy's strings drop at their end")
        # `word_grams` makes none longer than the longest size: all are stored that wide.
        in_id_order = np.array(list(ids), dtype=f"<U{max(SIZES)}")
        gram = pairs // width
        spread = np.bincount(gram, minlength=len(ids))
        kept = spread <= most
        # The postings of the kept n-grams stay in order: numbered anew in the order of
        # their old ids, they need no renumbering.
        held = kept[gram]
        postings = {
            "text": _compact(pairs[held] % width),
            "count": _compact(counts[held]),
            "spread": _compact(spread[kept]),
            "owner": _compact(np.array([n for n, _ in texts], dtype=np.int64)),
        }
        order = np.argsort(in_id_order[kept], kind="stable")
        common = sorted(in_id_order[~kept].tolist())
        return cls(in_id_order[kept][order], _compact(order), postings, intents, common)

    def blobs(self, name: str = "chars") -> dict[str, bytes]:
        """The index as blobs named after `name`: each array's bytes, the n-grams
        sorted (fixed-width UTF-32) and their ids in that order among them."""
        arrays = {"grams": self._grams, "ids": self._ids, **self._postings}
        kinds = {part: a.dtype.str for part, a in arrays.items()}
        meta = kinds | {"intents": self._intents, "common": sorted(self._common)}
        return {
            name: json.dumps(meta, sort_keys=True).encode(),
            **{f"{name}.{part}": a.tobytes() for part, a in arrays.items()},
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
        kind = np.dtype(meta["grams"])
        if kind != np.dtype(f"<U{max(SIZES)}") or np.dtype(meta["ids"]).kind != "u":
            raise ValueError(f"the n-grams are not stored {max(SIZES)} characters wide, with ids")
        grams = np.frombuffer(blobs[f"{name}.grams"], dtype=kind)
        ids = np.frombuffer(blobs[f"{name}.ids"], dtype=np.dtype(meta["ids"]))
        if (
            not len(postings["text"]) == len(postings["count"]) == int(postings["spread"].sum())
            or not len(postings["spread"]) == len(grams) == len(ids)
            or not bool(np.all(grams[1:] > grams[:-1]))  # sorted, each once
            or not np.array_equal(np.sort(ids), np.arange(len(ids)))  # each id once
            or int(postings["text"].max(initial=0)) >= max(len(postings["owner"]), 1)
        ):
            raise ValueError("the n-gram index does not hold together")
        common = meta["common"]
        if not isinstance(common, list) or not all(isinstance(g, str) for g in common):
            raise ValueError("the common n-grams are not a list of strings")
        return cls(grams, ids, postings, int(meta["intents"]), common)

    def _find(self, grams: Sequence[str]) -> tuple[npt.NDArray[np.bool_], _Array]:
        """Which of `grams` (from `word_grams`, none longer than the stored ones are
        wide) the index holds, and the id of each (any number where not held): one
        binary search for them all."""
        wanted = np.array(grams, dtype=self._grams.dtype)
        at = np.searchsorted(self._grams, wanted)
        # Past the last n-gram, `at` is clipped to it, which then differs from the one wanted.
        found = self._grams.take(at, mode="clip") == wanted
        if "\0" in "".join(grams):  # NumPy drops trailing NULs; no n-gram holds one
            found &= np.array(["\0" not in g for g in grams], dtype=bool)
        return found, self._ids.take(at, mode="clip").astype(np.intp)

    def scores(self, words: Sequence[str]) -> _Floats:
        """Each intent's best cosine (0–1) with the question's words, in intent order."""
        best = np.zeros(self._intents)
        counts = grams(words)
        for gram in self._common.intersection(counts):
            del counts[gram]
        if not counts or not len(self._grams):
            return best
        found, ids = self._find(list(counts))
        tf = np.fromiter(map(math.log, counts.values()), np.float64, len(counts)) + 1.0
        query = tf * np.where(found, self._idf.take(ids), self._unseen_idf)
        # A running sum, one n-gram after another (not NumPy's pairwise `sum`).
        norm = float(np.cumsum(query * query)[-1])
        known = ids[found]
        if len(known):
            starts, stops = self._starts[known], self._starts[known + 1]
            # The postings of every known n-gram, one run after another: slices are
            # copied whole, far cheaper than gathering them posting by posting.
            spans = list(zip(starts.tolist(), stops.tolist(), strict=True))
            # In the types `bincount` works in: it would convert anything else first.
            weights = np.concatenate([self._weights[a:b] for a, b in spans]).astype(np.float64)
            weights *= np.repeat(query[found], stops - starts)
            texts = np.concatenate([self._texts[a:b] for a, b in spans]).astype(np.intp)
            summed = np.bincount(texts, weights=weights, minlength=len(self._owner))
            per_text: _Floats = summed * self._scales / math.sqrt(norm)
            if len(self._first) == len(self._owner):  # one text each (the examples)
                best[self._owner] = per_text
            else:
                best[self._owner[self._first]] = np.maximum.reduceat(per_text, self._first)
        return best
