"""Related-news teasers: marked in sources.yaml, validated, and named in every citation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answering import listing, render, screens
from bot.answering.chronology import Timeline
from bot.answering.responder import Responder
from bot.answering.search import Search
from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.models import Kind, Lang

VNA = "004_3f1a04d0d831d797.txt"
NOTE = {
    Lang.EN: "(related-news item on the VNA page, not part of the article)",
    Lang.VI: "(tin liên quan trên trang VNA, không thuộc bài báo)",
}
TEASERS = ("data centre", "nuclear power", "semiconductor", "Innovation Day", "VietNEST")


async def test_the_teasers_at_the_end_of_the_vna_page_are_marked(responder: Responder) -> None:
    vna = responder.knowledge.articles[VNA]
    assert len(vna.related_news) == 22
    for topic in TEASERS:
        assert any(topic in line for line in vna.related_news), topic
    # The article itself is not a teaser: its own last sentence, nor any other article.
    assert not vna.is_related_news("Truong said businesses that have a vision")
    assert not vna.is_related_news("")
    others = [a for seed, a in responder.knowledge.articles.items() if seed != VNA]
    assert all(not a.related_news for a in others)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("When will Vietnam's first nuclear power plant be operational?", Lang.EN),
        ("Khi nào nhà máy điện hạt nhân đầu tiên của Việt Nam đi vào hoạt động?", Lang.VI),
    ],
    ids=["en", "vi"],
)
async def test_an_answer_from_a_teaser_says_so(
    responder: Responder, question: str, lang: Lang
) -> None:
    reply = await responder.reply(question)
    assert reply.kind is Kind.ANSWER and reply.lang is lang
    assert NOTE[lang] in render.plain(reply)
    assert NOTE[lang] in "".join(render.html(reply))
    [source] = render.as_json(reply)["sources"]
    assert source["related_news"] is True
    assert set(source) == {"seed", "title", "publisher", "date", "quote", "related_news"}


async def test_an_answer_from_the_article_itself_does_not(responder: Responder) -> None:
    reply = await responder.reply("What is Resolution 52?")
    assert reply.kind is Kind.ANSWER
    assert "related-news" not in render.plain(reply)
    assert all(s["related_news"] is False for s in render.as_json(reply)["sources"])
    listed = screens.sources(list(responder.knowledge.articles.values()), Lang.EN, screens.PLAIN)
    assert NOTE[Lang.EN] not in "".join(listed)  # an article's own line is no teaser


@pytest.mark.parametrize("lang", list(Lang))
async def test_search_hits_and_timeline_events_from_teasers_say_so(
    responder: Responder, lang: Lang
) -> None:
    search = Search(responder.search, responder.knowledge)
    results = await search.page(search.query("nuclear power"))
    page = listing.search_page(results, lang, screens.PLAIN)
    assert results.hits
    for hit in results.hits:
        assert hit.article.is_related_news(hit.quote)
    assert page.count(NOTE[lang]) == len(results.hits)
    line = Timeline(responder.knowledge)
    for _, event in line.select("").items:
        card = listing.event(line, event, lang, screens.HTML)
        teaser = responder.knowledge.articles[event.seed].is_related_news(event.quote)
        assert (NOTE[lang] in card) is teaser
    assert any(
        responder.knowledge.articles[e.seed].is_related_news(e.quote)
        for e in responder.knowledge.timeline
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('"Nothing starts with this"', "starts no line of 004_3f1a04d0d831d797.txt"),
        ('"Vietnam"', "lines of 004_3f1a04d0d831d797.txt"),
        ("42", "must be a passage's first words"),
    ],
    ids=["no-line", "several-lines", "not-text"],
)
def test_a_bad_related_news_entry_is_one_line_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, message: str
) -> None:
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(PROJECT_ROOT / "intents.yaml", tmp_path / "intents.yaml")
    sources = tmp_path / "seeds" / "sources.yaml"
    text = sources.read_text("utf-8")
    sources.write_text(text.rstrip("\n") + f"\n    - {entry}\n", "utf-8")
    line = len(text.rstrip("\n").splitlines()) + 1
    if not entry.startswith('"'):  # not text: no line of its own, the entry's is named
        line = text.splitlines().index(f"{VNA}:") + 2
    assert main(["check", "--root", str(tmp_path)]) == 2
    [err] = capsys.readouterr().err.strip().splitlines()
    assert f"{sources}:{line}: " in err
    assert message in err
