"""The character ranker finds a question's n-grams in its sorted array as a dict would,
and will not read an index whose n-grams and ids do not hold together."""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest

from bot.answering.ngrams import CharRanker, grams

TEXTS = [(0, ["digital", "economy"]), (0, ["growth"]), (1, ["population"]), (2, ["a", "zz"])]


def _reference(
    texts: list[tuple[int, list[str]]], words: list[str], intents: int, most: int = 100
) -> list[float]:
    """Each intent's best cosine, from dicts of n-gram counts, without the n-grams in
    more than `most` texts."""
    counted = [grams(w) for _, w in texts]
    spread = Counter(g for c in counted for g in c)
    total = len(texts) + 1

    def vector(counts: Counter[str]) -> dict[str, float]:
        idf = {g: math.log(total / (spread[g] + 1)) + 1 for g in counts if spread[g] <= most}
        v = {g: (1 + math.log(c)) * idf[g] for g, c in counts.items() if g in idf}
        length = math.sqrt(sum(x * x for x in v.values()))
        return {g: x / length for g, x in v.items()}

    question = vector(grams(words))
    best = [0.0] * intents
    for (owner, _), counts in zip(texts, counted, strict=True):
        text = vector(counts)
        best[owner] = max(best[owner], sum(x * text.get(g, 0.0) for g, x in question.items()))
    return best


@pytest.mark.parametrize(
    "words",
    [
        ["digital", "economi"],
        ["population", "growth"],
        ["a"],
        ["zzz", "aaa"],  # n-grams before the first and after the last stored one
        ["unknown"],
        ["digital\0"],  # NumPy would read " digital\0" as " digital"
        [],
    ],
)
def test_scores_are_those_of_a_dict_of_n_grams(words: list[str]) -> None:
    ranker = CharRanker.build(TEXTS, 3)
    back = CharRanker.from_blobs(ranker.blobs())
    expected = _reference(TEXTS, words, 3)
    # The weights are stored in half precision: three significant digits.
    assert ranker.scores(words).tolist() == pytest.approx(expected, rel=1e-3, abs=1e-6)
    assert np.array_equal(back.scores(words), ranker.scores(words))


@pytest.mark.parametrize("words", [["digital", "economy"], ["digital"], ["a"], ["growth"]])
def test_n_grams_in_more_texts_than_the_most_are_left_out(words: list[str]) -> None:
    texts = [*TEXTS, (1, ["digital"]), (2, ["economic", "growth"])]
    ranker = CharRanker.build(texts, 3, most=1)
    back = CharRanker.from_blobs(ranker.blobs())
    expected = _reference(texts, words, 3, most=1)
    assert ranker.scores(words).tolist() == pytest.approx(expected, rel=1e-3, abs=1e-6)
    assert np.array_equal(back.scores(words), ranker.scores(words))
    assert ranker.scores(words).tolist() != pytest.approx(_reference(texts, words, 3))


def test_an_empty_index_scores_nothing() -> None:
    back = CharRanker.from_blobs(CharRanker.build([], 2).blobs())
    assert back.scores(["digital"]).tolist() == [0.0, 0.0]


def test_a_word_holding_nul_is_refused_at_the_build() -> None:
    with pytest.raises(ValueError, match="NUL"):
        CharRanker.build([(0, ["ab\0"])], 1)


def _swapped(blobs: dict[str, bytes], part: str, first: int, second: int) -> dict[str, bytes]:
    """`blobs` with two entries of the array `part` swapped."""
    kind = np.dtype(json.loads(blobs["chars"])[part])
    array = np.frombuffer(blobs[f"chars.{part}"], dtype=kind).copy()
    array[[first, second]] = array[[second, first]]
    return {**blobs, f"chars.{part}": array.tobytes()}


def test_an_index_that_does_not_hold_together_is_refused() -> None:
    blobs = CharRanker.build(TEXTS, 3).blobs()
    meta = json.loads(blobs["chars"])
    ids = np.frombuffer(blobs["chars.ids"], dtype=np.dtype(meta["ids"]))
    broken = [
        _swapped(blobs, "grams", 0, 1),  # no longer sorted
        {**blobs, "chars.grams": blobs["chars.grams"][:-20]},  # one n-gram fewer
        {**blobs, "chars.ids": (ids - ids.min() + 1).astype(ids.dtype).tobytes()},  # 1 to n
        {**blobs, "chars.ids": np.zeros_like(ids).tobytes()},  # one id for all
        {**blobs, "chars.grams": blobs["chars.grams"][:-1]},  # not whole characters
        {**blobs, "chars": json.dumps(meta | {"grams": "<U4"}).encode()},
    ]
    for blob in broken:
        with pytest.raises(ValueError):
            CharRanker.from_blobs(blob)
