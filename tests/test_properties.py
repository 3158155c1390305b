"""Property-based tests: any text a user can send gets a valid reply, never an exception."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answering import render
from bot.answering.decision import Decision
from bot.answering.matcher import Matcher
from bot.answering.responder import Responder
from bot.knowledge.store import Store
from bot.models import Kind, Lang
from tests.conftest import FACTS_DB

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
MESSAGES = st.one_of(
    NASTY, st.text(ANY_CHAR, max_size=300), st.text(ANY_CHAR, min_size=3000, max_size=4096)
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
    if reply.kind is Kind.ANSWER:
        assert reply.citations
    chunks = render.html(reply)
    assert chunks
    for chunk in chunks:
        assert chunk.strip()
        assert render.utf16_len(chunk) <= render.TELEGRAM_LIMIT
        checker = TagChecker()
        checker.feed(chunk)
        checker.close()
        assert not checker.open
    assert render.plain(reply).strip()
    assert json.loads(render.json_line(reply))["question"] == text


@given(st.lists(st.text(ANY_CHAR, max_size=5000), max_size=6))
def test_chunks_never_exceed_the_limit_or_cut_an_entity(paragraphs: list[str]) -> None:
    import html

    escaped = [html.escape(p) for p in paragraphs]
    chunks = render.chunk(escaped)
    for chunk in chunks:
        assert render.utf16_len(chunk) <= render.CHUNK_LIMIT
        checker = TagChecker()
        checker.feed(chunk)
    joined = "".join(chunks).replace("\n", "").replace(" ", "")
    assert joined == "".join(escaped).replace("\n", "").replace(" ", "")
