"""The length-bounded search returns exactly what a full rapidfuzz scan returns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from bot.matcher import CANDIDATES, Matcher
from bot.nearest import Nearest
from bot.store import Store
from tests.conftest import FACTS_DB

# A small alphabet: many equal scores, so ties must go to the earlier text as in rapidfuzz.
WORDS = st.text(alphabet="abc ", max_size=14)


def full_scan(texts: list[str], text: str, limit: int) -> list[tuple[float, int]]:
    return [
        (score, pos)
        for _, score, pos in process.extract(text, texts, scorer=fuzz.ratio, limit=limit)
    ]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(WORDS, max_size=60),
    text=WORDS.filter(bool),
    limit=st.sampled_from([1, 3, 10, 40]),
    group_size=st.sampled_from([1, 2, 7, 1024]),
)
def test_search_is_a_full_scan(texts: list[str], text: str, limit: int, group_size: int) -> None:
    index = Nearest(texts, group_size)
    assert index.texts == texts
    assert index.search(text, limit) == full_scan(texts, text, limit)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("decision 749", id="short"),
        pytest.param("digital transformation national programme approved", id="long"),
        pytest.param("thailand visa tourists", id="out-of-scope"),
        pytest.param("x", id="one-letter"),
    ],
)
async def test_search_on_the_real_table(question: str) -> None:
    """The committed phrasings, split into many groups so that whole groups are skipped."""
    async with Store(FACTS_DB) as store:
        knowledge = await store.knowledge()
    matcher = Matcher(knowledge.intents, knowledge.synonyms)
    table = list(matcher.table)
    text = matcher.query(question).text
    index = Nearest(table, group_size=64)
    assert index.search(text, CANDIDATES) == full_scan(table, text, CANDIDATES)
