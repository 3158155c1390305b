"""The rankers' index stored in facts.db ranks exactly as one prepared afresh."""

from __future__ import annotations

import numpy as np

from bot.answering.examples import FOLLOW_NAME, NAME
from bot.answering.index import Prepared
from bot.answering.matcher import Matcher
from bot.answering.question import Question
from bot.evaluation.labelled import load_items
from bot.knowledge.store import Store
from tests.conftest import DATA, FACTS_DB


async def test_the_stored_index_ranks_as_one_prepared_afresh() -> None:
    async with Store(FACTS_DB) as store:
        knowledge = await store.knowledge()
        blobs = await store.prepared()
    stored = Prepared.from_blobs(blobs, len(knowledge.intents))
    fresh = Prepared.of(knowledge.intents, knowledge.synonyms, knowledge.articles)
    # What the build stores, byte for byte, but for the labelled examples and
    # follow-ups it adds once trained (test_examples.py).
    assert _without_examples(fresh.blobs()) == _without_examples(blobs)
    read, made = (Matcher(knowledge.intents, knowledge.synonyms, p) for p in (stored, fresh))
    questions = [item.question for item in load_items(DATA / "fresh3.yaml")]
    assert len(questions) > 200
    for text in questions:
        question = Question.prepare(text)
        assert read.rank(question) == made.rank(question), text
        words = read.words(question.asking)
        assert np.array_equal(read.chars.scores(words), made.chars.scores(words)), text


async def test_the_character_ranker_finds_a_misspelt_question() -> None:
    async with Store(FACTS_DB) as store:
        knowledge = await store.knowledge()
        blobs = await store.prepared()
    prepared = Prepared.from_blobs(blobs, len(knowledge.intents))
    matcher = Matcher(knowledge.intents, knowledge.synonyms, prepared)
    scores = matcher.chars.scores(matcher.words("how many IT profesionals does vietnam hav"))
    best = knowledge.intents[int(np.argmax(scores))]
    assert "1.15 million" in best.answer
    assert 0.3 < float(scores.max()) <= 1.0


def _without_examples(blobs: dict[str, bytes]) -> dict[str, bytes]:
    return {name: b for name, b in blobs.items() if name.split(".")[0] not in (NAME, FOLLOW_NAME)}
