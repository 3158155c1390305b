"""The timeline: every dated event and target the intents' verbatim quotes state.

A date is taken only from the words of a quote: a full date ("December 9, 2019"), a
month ("September 2019"), a year ("by 2030"), or "last year", "this year", "next year"
read against the article's own date, and only when sources.yaml gives that date (a
page that prints none dates nothing relative). `check` proves every event's date from
its quote again, independently of how it was found; the build runs it and refuses an
event it cannot prove.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.errors import InputError
from bot.models import Article, Event, Intent

MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTH = "|".join(MONTHS)
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH}) (?P<d1>\d{{1,2}}), (?P<y1>{_YEAR})"  # December 9, 2019
    rf"|(?P<d2>\d{{1,2}}) (?P<m2>{_MONTH}) (?P<y2>{_YEAR})"  # 9 December 2019
    rf"|(?P<m3>{_MONTH}) (?P<y3>{_YEAR})"  # September 2019
    rf"|(?<!\d)(?<!\d[.,])(?P<y4>{_YEAR})(?!\d|[.,]\d)"  # 2030, not 12,030 or 2030.5
    r"|(?P<rel>last|this|next) year)\b",
    re.IGNORECASE,
)
RELATIVE = {"last": -1, "this": 0, "next": 1}


def dates(quote: str, article: Article) -> list[tuple[int, int, int, str]]:
    """(year, month, day, the words saying it) for every date `quote` states."""
    found: list[tuple[int, int, int, str]] = []
    for m in _DATE.finditer(quote):
        said = m.group()
        if m["rel"]:
            if article.published is None:
                continue  # relative to a date the page does not print: no date at all
            found.append((article.published.year + RELATIVE[m["rel"].lower()], 0, 0, said))
            continue
        year = int(m["y1"] or m["y2"] or m["y3"] or m["y4"])
        month_name = m["m1"] or m["m2"] or m["m3"]
        month = MONTHS.index(month_name.capitalize()) + 1 if month_name else 0
        found.append((year, month, int(m["d1"] or m["d2"] or 0), said))
    return found


def events(intents: Iterable[Intent], articles: Mapping[str, Article]) -> tuple[Event, ...]:
    """Every date of every quote, in date order, each one checked: once per intent and
    date (from the intent's first quote giving it), and once per quote (with the first
    intent citing it)."""
    found: dict[tuple[str, str, int, int, int], Event] = {}
    dated: set[tuple[str, int, int, int]] = set()
    for intent in intents:
        for fact in intent.facts:
            for year, month, day, said in dates(fact.quote, articles[fact.seed]):
                key = (fact.seed, fact.quote, year, month, day)
                if (intent.id, year, month, day) in dated or key in found:
                    continue
                dated.add((intent.id, year, month, day))
                found[key] = Event(year, month, day, said, intent.id, fact.seed, fact.quote)
    ordered = sorted(found.values(), key=lambda e: (e.year, e.month, e.day, e.seed, e.quote))
    for event in ordered:
        check(event, articles[event.seed])
    return tuple(ordered)


def supported(event: Event, article: Article) -> bool:
    """Whether the quote itself says the event's date: its words are in the quote and
    name that year (and month and day), or a relative phrase counts from the article's
    printed date."""
    said = event.said
    if said not in event.quote:
        return False
    relative = said.lower().removesuffix(" year")
    if relative in RELATIVE:
        return (
            article.published is not None
            and event.year == article.published.year + RELATIVE[relative]
            and event.month == event.day == 0
        )
    words = said.replace(",", " ").split()
    month_ok = event.month == 0 or MONTHS[event.month - 1].lower() in said.lower()
    return str(event.year) in words and month_ok and (event.day == 0 or str(event.day) in words)


def check(event: Event, article: Article) -> None:
    """Refuse an event its quote does not date, naming the seed and the fix."""
    if not supported(event, article):
        raise InputError(
            article.seed,
            None,
            f"the timeline dates {event.said!r} as {event.year}-{event.month:02d}-"
            f"{event.day:02d}, which its quote does not say; fix the date reading in"
            " bot/knowledge/timeline.py",
        )
