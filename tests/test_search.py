"""/search: folding as the index does, synonyms across languages, marks, pages, limits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answering import listing, screens
from bot.answering.responder import Responder
from bot.answering.search import PAGE_SIZE, WORDS_LIMIT, Search
from bot.config import PROJECT_ROOT
from bot.knowledge.store import Store
from bot.models import Lang
from bot.telegram_bot.keyboards import CALLBACK_LIMIT

SEEDS = PROJECT_ROOT / "seeds"
FACTS_DB = PROJECT_ROOT / "facts.db"


@pytest.fixture
def search(responder: Responder) -> Search:
    return Search(responder.search, responder.knowledge)


@pytest.mark.parametrize(
    "spellings",
    [
        ("chính phủ điện tử", "chinh phu dien tu", "CHÍNH PHỦ ĐIỆN TỬ", "e-government"),
        ("Hà Nội", "ha noi", "HA NOI"),
        ("bán dẫn", "ban dan", "semiconductors"),
        ("Nguyễn Xuân Phúc", "nguyen xuan phuc"),
    ],
    ids=["vi-egov", "place", "vi-chips", "name"],
)
async def test_with_or_without_diacritics_the_same_sentences(
    search: Search, spellings: tuple[str, ...]
) -> None:
    pages = [await search.page(search.query(words)) for words in spellings]
    first = [hit.quote for hit in pages[0].hits]
    assert first and pages[0].every
    for page in pages[1:]:
        assert [hit.quote for hit in page.hits] == first


async def test_hits_are_verbatim_sentences_with_the_words_marked(search: Search) -> None:
    results = await search.page(search.query("nuclear power plant"))
    assert results.hits and results.every
    for hit in results.hits:
        assert hit.quote in (SEEDS / hit.article.seed).read_text(encoding="utf-8")
    html = listing.search_page(results, Lang.EN, screens.HTML)
    assert "<b>nuclear power plant</b>" in html
    plain = listing.search_page(results, Lang.EN, screens.PLAIN)
    assert "**nuclear power plant**" in plain
    # Without its marks, each hit reads exactly as the article does.
    assert all(hit.quote in plain.replace("**", "") for hit in results.hits)


@pytest.mark.parametrize(
    ("text", "phrases", "expected"),
    [
        ("the e-Government portal", {"e government"}, "the **e-Government** portal"),
        ("Hà Nội and Hanoi", {"ha noi", "hanoi"}, "**Hà Nội** and **Hanoi**"),
        ("AT&T <b> 2030", {"2030"}, "AT&amp;T &lt;b&gt; <b>2030</b>"),
        (
            "digital government, digital economy",
            {"digital", "digital government"},
            "**digital government**, **digital** economy",
        ),
    ],
    ids=["hyphen", "accents", "escaped", "overlap"],
)
def test_marks(text: str, phrases: set[str], expected: str) -> None:
    style = screens.HTML if "<b>" in expected else screens.PLAIN
    assert listing.marked(text, phrases, style) == expected


async def test_pages_follow_on_without_repeats(search: Search) -> None:
    query = search.query("digital")
    seen: list[str] = []
    number = 1
    while True:
        results = await search.page(query, number)
        assert len(results.hits) <= PAGE_SIZE
        seen += [hit.quote for hit in results.hits]
        if not results.more:
            break
        assert len(results.hits) == PAGE_SIZE
        number += 1
    assert number > 2
    assert len(seen) == len(set(seen))


async def test_some_words_when_no_sentence_holds_all(search: Search) -> None:
    results = await search.page(search.query("nuclear xyzzy"))
    assert results.hits and not results.every
    assert "No sentence holds all" in listing.search_page(results, Lang.EN, screens.PLAIN)
    assert not (await search.page(search.query("xyzzy plugh"))).hits


@pytest.mark.parametrize(
    ("words", "kept"),
    [
        ("what is the digital economy", "digital economy"),
        ("what is the", "what is the"),  # only function words: all of them
        ("???", ""),
        ("", ""),
    ],
    ids=["content", "only-function-words", "punctuation", "empty"],
)
def test_function_words_go_unless_nothing_else_is_left(
    search: Search, words: str, kept: str
) -> None:
    assert search.query(words).words == kept


def test_a_long_query_is_cut_before_the_search_so_it_fits_a_button(search: Search) -> None:
    words = "Thủ tướng Nguyễn Xuân Phúc phê duyệt chương trình chuyển đổi số quốc gia " * 3
    query = search.query(words)
    assert query.words and len(query.words.encode()) <= WORDS_LIMIT
    assert search.query(query.words) == query  # every page is the same search
    assert len(f"?svi:999:{query.words}".encode()) <= CALLBACK_LIMIT


async def test_the_longest_page_fits_one_message(search: Search, responder: Responder) -> None:
    results = await search.page(search.query("vietnam"))
    longest = sorted((p for a in responder.knowledge.articles for p in _sentences(a)), key=len)[
        -PAGE_SIZE:
    ]
    assert results.hits
    worst = type(results)(
        results.query,
        999,
        tuple(type(results.hits[0])(text, results.hits[0].article) for text in longest),
        True,
        False,
    )
    for lang in Lang:
        assert len(listing.search_page(worst, lang, screens.HTML)) < 4000


def _sentences(seed: str) -> list[str]:
    from bot.knowledge.seeds import passages, read_seed

    return [p.text for p in passages(read_seed(SEEDS / seed))]


@pytest.fixture(scope="module")
def searching() -> Iterator[tuple[asyncio.AbstractEventLoop, Search]]:
    loop = asyncio.new_event_loop()
    store = Store(FACTS_DB)
    loop.run_until_complete(store.__aenter__())
    yield loop, Search(store, loop.run_until_complete(store.knowledge()))
    loop.run_until_complete(store.close())
    loop.close()


# FTS5's own syntax among the words: none of it may reach the index as syntax.
WORDS = st.lists(
    st.text(max_size=12)
    | st.sampled_from(['"', "*", "NEAR(", "OR", "AND", "NOT", "-", "^", ":", "(", "digital"]),
    max_size=8,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(words=WORDS, number=st.integers(1, 4), lang=st.sampled_from(list(Lang)))
def test_any_words_get_a_valid_page(
    searching: tuple[asyncio.AbstractEventLoop, Search], words: str, number: int, lang: Lang
) -> None:
    loop, search = searching
    query = search.query(words)
    assert len(query.words.encode()) <= WORDS_LIMIT
    results = loop.run_until_complete(search.page(query, number))
    page = listing.search_page(results, lang, screens.HTML)
    assert len(page) < 4000
    for hit in results.hits:
        assert hit.quote in (SEEDS / hit.article.seed).read_text(encoding="utf-8")
