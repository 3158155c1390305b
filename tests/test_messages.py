"""Fixed texts: every one in both languages, and the article count taken from the knowledge."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.answering import messages, render
from bot.answering.responder import Responder
from bot.models import Kind, Lang
from bot.telegram_bot import pages

PLACEHOLDER = re.compile(r"\{\w+\}")
# A count of articles written into a text instead of taken from the knowledge.
FIXED_COUNT = re.compile(r"\b(five|5|năm|Năm)\b (news )?(articles|bài)", re.IGNORECASE)


@pytest.mark.parametrize("key", sorted(messages.TEXTS))
def test_every_fixed_text_is_in_both_languages(key: str) -> None:
    texts = messages.TEXTS[key]
    assert set(texts) == set(Lang)
    assert all(texts[lang].strip() for lang in Lang)
    assert texts[Lang.EN] != texts[Lang.VI]
    assert set(PLACEHOLDER.findall(texts[Lang.EN])) == set(PLACEHOLDER.findall(texts[Lang.VI]))
    assert not any(FIXED_COUNT.search(texts[lang]) for lang in Lang)


@pytest.mark.parametrize(
    ("count", "lang", "said"),
    [
        pytest.param(5, Lang.EN, "five", id="five"),
        pytest.param(5, Lang.VI, "năm", id="nam"),
        pytest.param(3, Lang.VI, "ba", id="ba"),
        pytest.param(1, Lang.EN, "one", id="one"),
        pytest.param(12, Lang.EN, "12", id="figures-past-ten"),
    ],
)
def test_count_words(count: int, lang: Lang, said: str) -> None:
    assert messages.count_words(count, lang) == said


def test_a_text_that_needs_the_count_refuses_to_go_without() -> None:
    with pytest.raises(ValueError, match="number of articles"):
        messages.text("start", Lang.EN)
    assert "{count}" not in messages.text("start", Lang.EN, 5)


@pytest.mark.parametrize(
    ("question", "lang", "said"),
    [
        pytest.param("who are you?", Lang.EN, "three news articles", id="en"),
        pytest.param("bạn là ai?", Lang.VI, "ba bài báo", id="vi"),
    ],
)
async def test_the_count_comes_from_the_knowledge(
    responder: Responder, question: str, lang: Lang, said: str
) -> None:
    three = dict(list(responder.knowledge.articles.items())[:3])
    smaller = Responder(
        replace(responder.knowledge, articles=three),
        responder.matcher,
        responder.search,
        responder.decision,
    )
    identity = await smaller.reply(question)
    assert identity.kind is Kind.SMALLTALK
    assert said in render.plain(identity)
    assert said in pages.about(lang, 3)
    assert said in pages.start(lang, 3)
    [head, *_] = pages.sources(list(three.values()), lang)
    assert messages.count_words(3, lang) in head
