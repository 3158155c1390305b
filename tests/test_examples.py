"""The labelled examples and follow-ups the build stores: what they remember, and how they
are read back."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bot.answering.examples import Examples, FollowUps
from bot.answering.index import Prepared
from bot.answering.matcher import Matcher
from bot.answering.question import Question
from bot.evaluation.labelled import load_conversations, load_items, right
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


def test_follow_ups_are_close_only_on_their_own_topic_and_its_articles() -> None:
    kin = np.array([[True, True, False], [True, True, False], [False, False, True]])
    asked = FollowUps.of(
        [
            (0, 0, ["signed"]),  # after intent 0, answered by intent 0 itself
            (1, 2, ["signed"]),  # after intent 1, by intent 2
            (0, None, ["2015"]),  # after intent 0, by nothing
        ],
        3,
    )
    back = FollowUps.from_blobs(asked.blobs(), 3)
    for follows in (asked, back):
        after_0 = follows.scores(["signed"], 0, kin[0])
        assert after_0.best == pytest.approx([1.0, 0.0, 0.0])
        assert after_0.likeliest == 0
        assert after_0.near == pytest.approx([1.0, 0.0, 1.0])  # intent 1 shares an article
        example, margin, near, way, refused = after_0.of(0)
        assert (example, margin, near, way) == pytest.approx((1.0, 1.0, 1.0, 1.0))
        assert refused == 0.0
        assert after_0.of(2)[2:4] == pytest.approx((1.0, 1.0))  # moved, as after intent 1
        after_2 = follows.scores(["signed"], 2, kin[2])
        assert after_2.best == [0.0, 0.0, 0.0] and after_2.likeliest is None
        assert after_2.near == [0.0, 0.0, 0.0]
        assert follows.scores(["2015"], 0, kin[0]).refused == pytest.approx(1.0)
    with pytest.raises(ValueError, match="for 3 intents, not 4"):
        FollowUps.from_blobs(asked.blobs(), 4)
    empty = FollowUps.from_blobs(FollowUps.of([], 3).blobs(), 3).scores(["signed"], 0, kin[0])
    assert (empty.best, empty.stayed, empty.moved, empty.refused) == ([0.0] * 3, 0.0, 0.0, 0.0)


async def test_a_labelled_follow_up_is_remembered_on_its_topic() -> None:
    matcher = await _matcher()
    remembered = 0
    for turns in load_conversations(DATA / "conv_train.yaml"):
        for before, item in itertools.pairwise(turns):
            topic = next((n for n, i in enumerate(matcher.intents) if right(before, i)), None)
            answering = [n for n, i in enumerate(matcher.intents) if right(item, i)]
            if topic is None or not answering or item.kind != "fact":
                continue
            words = matcher.words(Question.prepare(item.question).asking)
            asked = matcher.follow_ups.scores(words, topic, matcher.kin[topic])
            assert max(asked.best[n] for n in answering) == pytest.approx(1.0), item.question
            remembered += 1
    assert remembered > 50
