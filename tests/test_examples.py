"""The labelled examples the build stores: what they remember, and how they are read back."""

from __future__ import annotations

import pytest

from bot.answering.examples import Examples
from bot.answering.index import Prepared
from bot.answering.matcher import Matcher
from bot.answering.question import Question
from bot.evaluation.labelled import load_items, right
from bot.knowledge.store import Store
from tests.conftest import DATA, FACTS_DB


async def _matcher() -> Matcher:
    async with Store(FACTS_DB) as store:
        knowledge = await store.knowledge()
        blobs = await store.prepared()
    return Matcher(
        knowledge.intents, knowledge.synonyms, Prepared.from_blobs(blobs, len(knowledge.intents))
    )


async def test_a_question_the_decision_learned_from_is_remembered_with_what_answers_it() -> None:
    matcher = await _matcher()
    items = load_items(DATA / "fresh3.yaml")
    facts = [i for i in items if i.kind == "fact"][:40]
    refused = [i for i in items if i.kind == "fallback"][:20]
    assert len(facts) == 40 and len(refused) == 20
    for item in facts:
        seen = matcher.examples.scores(matcher.words(Question.prepare(item.question).asking))
        answering = [n for n, intent in enumerate(matcher.intents) if right(item, intent)]
        if answering:  # a fact no intent answers is not remembered
            assert max(seen.best[n] for n in answering) == pytest.approx(1.0), item.question
            # The intents answering the same question are no rivals of each other.
            assert all(seen.rival(n) < 1.0 - 1e-9 for n in answering), item.question
    for item in refused:
        seen = matcher.examples.scores(matcher.words(Question.prepare(item.question).asking))
        assert seen.refused == pytest.approx(1.0), item.question


async def test_a_question_never_labelled_is_only_close_to_the_examples() -> None:
    matcher = await _matcher()
    seen = matcher.examples.scores(matcher.words("how many IT profesionals does vietnam hav"))
    best = max(range(len(seen.best)), key=seen.best.__getitem__)
    assert "1.15 million" in matcher.intents[best].answer
    assert 0.3 < seen.best[best] < 1.0 and seen.refused < seen.best[best]
    assert seen.rival(best) < seen.best[best]


def test_examples_read_back_from_their_blobs_score_the_same() -> None:
    examples = Examples.of(
        [
            (0, ["digital", "economy"]),
            (1, ["digital", "economy"]),
            (1, ["population"]),
            (None, ["visa"]),
        ],
        2,
    )
    back = Examples.from_blobs(examples.blobs(), 2)
    for words in (["digital", "economi"], ["visas"], ["population", "economy"], []):
        ours, theirs = examples.scores(words), back.scores(words)
        assert (ours.best, ours.refused) == (theirs.best, theirs.refused)
        assert [ours.rival(n) for n in (0, 1)] == [theirs.rival(n) for n in (0, 1)]
    visa = examples.scores(["visa"])
    assert visa.best == [0.0, 0.0] and visa.refused == pytest.approx(1.0)
    # Both answer "digital economy": neither is the other's rival for it; "population"
    # is intent 1's alone, so it is intent 0's rival, and none is intent 1's.
    economy = examples.scores(["digital", "economy"])
    assert economy.best == pytest.approx([1.0, 1.0])
    assert economy.rival(0) < 0.5 and economy.rival(1) == 0.0
    with pytest.raises(ValueError, match="for 2 intents, not 3"):
        Examples.from_blobs(examples.blobs(), 3)


def test_no_examples_score_nothing_and_survive_a_round_trip() -> None:
    empty = Examples.from_blobs(Examples.of([], 3).blobs(), 3).scores(["digital", "economy"])
    assert (empty.best, empty.refused, empty.rival(0)) == ([0.0, 0.0, 0.0], 0.0, 0.0)
