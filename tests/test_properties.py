"""Property-based tests: any text a user can send gets a valid reply, never an exception;
no chunk of a reply cuts an HTML entity; any button data decodes or is refused."""

from __future__ import annotations

import asyncio
import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answering import render
from bot.answering.decision import Decision
from bot.answering.matcher import Matcher
from bot.answering.responder import Responder
from bot.evaluation.labelled import load_items
from bot.knowledge.store import Store
from bot.models import Lang
from bot.telegram_bot.keyboards import Buttons, Keyboard
from tests.conftest import DATA, FACTS_DB

ALLOWED_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "strong", "em"}

# Every character class, lone surrogates (as JSON escapes deliver them) included.
ANY_CHAR = st.characters(exclude_categories=())
NASTY = st.sampled_from(
    [
        "",
        "   \t\n ",
        "\u200d\u200b\ufeff",
        "👩‍👩‍👧‍👦" * 50,
        "مرحبا بالعالم",
        "\x00\x07\x1b[31m",
        "\ud800",
        "<script>alert(1)</script> & <b>",
        "*bold* _it_ [x](http://y) `code`",
        "'; DROP TABLE intents; --",
        "a" * 4096,
        "Decision 749 " * 300,
        "x" * 100_000,
    ]
)
# Real questions too, as asked and with noise around them, so that answers and their
# citations are drawn as often as refusals.
QUESTIONS = st.sampled_from([i.question for i in load_items(DATA / "questions.yaml")])
MESSAGES = st.one_of(
    NASTY,
    st.text(ANY_CHAR, max_size=300),
    st.text(ANY_CHAR, min_size=3000, max_size=4096),
    QUESTIONS,
    st.tuples(st.text(ANY_CHAR, max_size=20), QUESTIONS, st.text(ANY_CHAR, max_size=20)).map(
        "".join
    ),
)


class TagChecker(HTMLParser):
    """Fails on tags Telegram rejects and on unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED_TAGS, tag
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"unopened </{tag}>"
        assert self.open.pop() == tag


@pytest.fixture(scope="module")
def pipeline() -> Iterator[tuple[asyncio.AbstractEventLoop, Responder]]:
    loop = asyncio.new_event_loop()
    store = Store(FACTS_DB)
    loop.run_until_complete(store.__aenter__())
    knowledge = loop.run_until_complete(store.knowledge())
    decision = Decision.from_json(loop.run_until_complete(store.decision()))
    matcher = Matcher(knowledge.intents, knowledge.synonyms)
    yield loop, Responder(knowledge, matcher, store, decision)
    loop.run_until_complete(store.close())
    loop.close()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=MESSAGES, hint=st.sampled_from([None, Lang.EN, Lang.VI]))
def test_any_message_gets_a_valid_reply(
    pipeline: tuple[asyncio.AbstractEventLoop, Responder], text: str, hint: Lang | None
) -> None:
    loop, responder = pipeline
    reply = loop.run_until_complete(responder.reply(text, hint))
    chunks = render.html(reply)
    assert chunks
    if reply.citations:  # the source comes last, whatever the length of the reply
        assert html.escape(render.source_line(reply.citations[-1], reply.lang)) in chunks[-1]
    for chunk in chunks:
        assert chunk.strip()
        assert render.utf16_len(chunk) <= render.TELEGRAM_LIMIT
        checker = TagChecker()
        checker.feed(chunk)
        checker.close()
        assert not checker.open
    assert render.plain(reply).strip()
    assert json.loads(render.json_line(reply))["question"] == text


# Text as html.escape leaves it: every & starts one of the entities it writes.
ESCAPED = re.compile(r"(?:[^&]|&(?:amp|lt|gt|quot|#x27);)*", re.DOTALL)
# Words longer than the limit whose characters that escape to entities start a few
# units short of it: the cut lands inside an entity unless the chunker steps back.
ENTITY_HEAVY = st.tuples(
    st.sampled_from(["a", "é", "😀"]),
    st.integers(0, 12),
    st.text(st.sampled_from("a&<>\"'😀"), min_size=1, max_size=300),
).map(lambda w: w[0] * ((render.CHUNK_LIMIT - w[1]) // render.utf16_len(w[0])) + w[2])


def check_chunks(paragraphs: list[str]) -> None:
    escaped = [html.escape(p) for p in paragraphs]
    chunks = render.chunk(escaped)
    for chunk in chunks:
        assert render.utf16_len(chunk) <= render.CHUNK_LIMIT
        assert ESCAPED.fullmatch(chunk), f"an entity cut at {chunk[:12]!r}…{chunk[-12:]!r}"
        checker = TagChecker()
        checker.feed(chunk)
    joined = "".join(chunks).replace("\n", "").replace(" ", "")
    assert joined == "".join(escaped).replace("\n", "").replace(" ", "")


@given(st.lists(st.text(ANY_CHAR, max_size=5000) | ENTITY_HEAVY, max_size=6))
def test_chunks_never_exceed_the_limit_or_cut_an_entity(paragraphs: list[str]) -> None:
    check_chunks(paragraphs)


@pytest.mark.parametrize(
    "paragraph",
    [
        pytest.param("a" * 3998 + "&" + "a" * 100, id="amp-across-the-limit"),
        pytest.param("a" * 3997 + "<" + "a" * 100, id="lt-across-the-limit"),
        pytest.param("😀" * 1999 + "'" + "a" * 100, id="after-surrogate-pairs"),
        pytest.param("a" * 3996 + '"' * 3, id="quotes-at-the-limit"),
        pytest.param("&" * 2000, id="entities-only"),
    ],
)
def test_a_long_word_is_never_cut_inside_an_entity(paragraph: str) -> None:
    check_chunks([paragraph])


# Well-formed heads with keys of digits of every script, and other near misses.
NUMERALS = st.characters(categories=["Nd", "No", "Nl"]) | st.sampled_from("0123456789 -+_")
HEADS = st.tuples(st.sampled_from("aqtTx"), st.sampled_from(["en", "vi", "fr"]))
BUTTON_DATA = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.tuples(HEADS, st.text(NUMERALS, max_size=4)).map(lambda h: f"{h[0][0]}{h[0][1]}:{h[1]}"),
)


@pytest.fixture(scope="module")
def issued(pipeline: tuple[asyncio.AbstractEventLoop, Responder]) -> tuple[Buttons, set[str]]:
    """The bot's buttons, and the data of every button they can ever put on a keyboard."""
    responder = pipeline[1]
    buttons = Buttons(responder)
    keyboards: list[Keyboard] = []
    for lang in Lang:
        suggestions = [responder.suggestion(i, lang) for i in responder.knowledge.intents]
        keyboards += [
            buttons.examples(lang),
            buttons.topics(lang),
            buttons.answers(suggestions, lang),
        ]
        keyboards += [buttons.topic(t.id, lang) for t in responder.knowledge.topics]
    return buttons, {b.data for keyboard in keyboards for row in keyboard for b in row}


@given(st.data())
def test_only_the_data_of_buttons_the_bot_gives_out_decodes(
    issued: tuple[Buttons, set[str]], data: st.DataObject
) -> None:
    buttons, given_out = issued
    real = st.sampled_from(sorted(given_out))
    near = st.tuples(real, st.integers(-3, 3), st.text(NUMERALS, max_size=2)).map(
        lambda r: r[0][: len(r[0]) + r[1]] + r[2] if r[1] < 0 else r[0] + r[2]
    )
    pressed = data.draw(st.one_of(BUTTON_DATA, real, near))
    assert (buttons.decode(pressed) is not None) is (pressed in given_out)
