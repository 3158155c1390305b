"""The timeline: built from the quotes, every date proved by its quote, filtered and paged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.answering import listing, screens
from bot.answering.chronology import PAGE_SIZE, Timeline
from bot.answering.responder import Responder
from bot.errors import InputError
from bot.knowledge import timeline
from bot.models import Article, Event, Lang

DATED = Article("a.txt", "A", False, None, date(2020, 10, 15), None, None, "x")
UNDATED = replace(DATED, published=None)


async def test_every_event_is_dated_by_its_own_quote(responder: Responder) -> None:
    events = responder.knowledge.timeline
    articles = responder.knowledge.articles
    for event in events:
        assert event.said in event.quote
        assert timeline.supported(event, articles[event.seed]), event
        cited = {f.quote for f in responder.intents[event.intent_id].facts}
        assert event.quote in cited  # verbatim: the intent's own quote


async def test_at_least_25_events_from_all_five_articles_in_date_order(
    responder: Responder,
) -> None:
    events = responder.knowledge.timeline
    assert len(events) >= 25
    assert {e.seed for e in events} == set(responder.knowledge.articles)
    keys = [(e.year, e.month, e.day) for e in events]
    assert keys == sorted(keys)
    # The milestones the policy unfolded through.
    said = {(e.year, e.month, e.intent_id) for e in events}
    assert (2019, 9, "resolution_52") in said
    assert any(e.year == 2030 and e.intent_id == "programme_approval" for e in events)


@pytest.mark.parametrize(
    ("quote", "article", "expected"),
    [
        ("Issued in September 2019 on policies.", UNDATED, [(2019, 9, 0)]),
        ("Opened on December 9, 2019, it grew.", UNDATED, [(2019, 12, 9)]),
        ("Opened on 9 December 2019.", UNDATED, [(2019, 12, 9)]),
        (
            "Targets by 2025 and 2030, from 2021.",
            UNDATED,
            [(2025, 0, 0), (2030, 0, 0), (2021, 0, 0)],
        ),
        ("Last year, 500 conferences were held.", DATED, [(2019, 0, 0)]),
        ("Leaders met online this year.", DATED, [(2020, 0, 0)]),
        ("The next year will tell.", DATED, [(2021, 0, 0)]),
        ("Last year, 500 conferences were held.", UNDATED, []),  # no printed date: no year
        ("About 12,030 firms and 2030.5 units, COVID-19.", UNDATED, []),
        ("Innovation Day falls on October 1.", UNDATED, []),  # no year given
    ],
    ids=[
        "month",
        "us-date",
        "uk-date",
        "years",
        "last-year",
        "this-year",
        "next-year",
        "relative-undated",
        "not-years",
        "no-year",
    ],
)
def test_dates_are_read_only_from_what_the_quote_says(
    quote: str, article: Article, expected: list[tuple[int, int, int]]
) -> None:
    assert [d[:3] for d in timeline.dates(quote, article)] == expected


@pytest.mark.parametrize(
    ("event", "article"),
    [
        (Event(2021, 0, 0, "2020", "i", "a.txt", "In 2020 it began."), UNDATED),
        (Event(2019, 0, 0, "last year", "i", "a.txt", "It began last year."), UNDATED),
        (Event(2018, 0, 0, "last year", "i", "a.txt", "It began last year."), DATED),
        (Event(2019, 10, 0, "September 2019", "i", "a.txt", "In September 2019."), UNDATED),
        (Event(2019, 0, 0, "2019", "i", "a.txt", "Something else."), UNDATED),
    ],
    ids=["wrong-year", "relative-undated", "relative-wrong", "wrong-month", "not-in-quote"],
)
def test_the_check_refuses_a_date_the_quote_does_not_support(
    event: Event, article: Article
) -> None:
    assert not timeline.supported(event, article)
    with pytest.raises(InputError, match="does not say"):
        timeline.check(event, article)


async def test_filters_by_year_topic_and_words(responder: Responder) -> None:
    line = Timeline(responder.knowledge)
    every = line.select("")
    assert len(every.items) == len(responder.knowledge.timeline)
    year = line.select("2025")
    assert year.items and all(e.year == 2025 for _, e in year.items)
    egov = line.select("egov")
    assert egov.items and all(line.intent(e).topic == "egov" for _, e in egov.items)
    nuclear = line.select("nuclear")
    assert nuclear.items and all("nuclear" in e.quote.lower() for _, e in nuclear.items)
    assert line.select("Hạt nhân").filter == "hat nhan"
    assert not line.select("blah").items
    assert len(line.select("x " * 100).filter.encode()) <= 40


@pytest.mark.parametrize("lang", list(Lang))
async def test_pages_are_one_line_an_event_and_short(responder: Responder, lang: Lang) -> None:
    line = Timeline(responder.knowledge)
    selection = line.select("")
    assert selection.pages == -(-len(selection.items) // PAGE_SIZE)
    for number in range(1, selection.pages + 1):
        page = listing.timeline_page(line, selection, number, lang, screens.HTML)
        lines = page.split("\n")
        assert len(lines) == 1 + len(selection.page(number))
        assert len(page) < 4096
        assert lines[1].startswith(f"{(number - 1) * PAGE_SIZE + 1}. <b>")
    undated = next(e for e in selection.items if e[1].month == 9)[1]
    card = listing.event(line, undated, lang, screens.PLAIN)
    assert undated.quote in card
    assert ("September 2019" if lang is Lang.EN else "tháng 9/2019") in card
    assert ("date not printed" if lang is Lang.EN else "không ghi ngày") in card
