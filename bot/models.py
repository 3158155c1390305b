"""Frozen values passed between modules.

`Intent` cannot exist without a fact and `Reply` cannot be an answer without a
citation: both checks live in `__post_init__`, so no code path can build an
unsourced answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    """What a reply does; the values are the JSON contract's `kind`."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"
    SMALLTALK = "smalltalk"


class Lang(StrEnum):
    EN = "en"
    VI = "vi"


@dataclass(frozen=True, slots=True)
class Article:
    """One seed article and what it plainly shows about itself."""

    seed: str
    title: str
    title_supplied: bool
    publisher: str | None
    published: date | None
    place: str | None
    note: str | None
    covers: str
    # The lines of the page that are teasers of other news, not part of the article
    # (sources.yaml `related_news`), as cleaned text.
    related_news: tuple[str, ...] = ()
    # The date as the article prints it ("Dec 18, 2003"), when its text shows it.
    printed: str | None = None

    def is_related_news(self, quote: str) -> bool:
        """Whether `quote` comes from one of the page's related-news teasers."""
        return bool(quote) and any(quote in line for line in self.related_news)


@dataclass(frozen=True, slots=True)
class Passage:
    """One cleaned sentence of an article, in reading order."""

    seed: str
    position: int
    text: str


@dataclass(frozen=True, slots=True)
class Fact:
    """A verbatim quote from one seed article."""

    seed: str
    quote: str


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    en: str
    vi: str


@dataclass(frozen=True, slots=True)
class Intent:
    """One thing people ask about: its phrasings, answer line (in both languages) and facts."""

    id: str
    topic: str
    answer: str
    answer_vi: str
    en: tuple[str, ...]
    vi: tuple[str, ...]
    facts: tuple[Fact, ...]

    def __post_init__(self) -> None:
        if not self.facts:
            raise ValueError(f"intent {self.id!r} has no facts")

    @property
    def phrasings(self) -> tuple[str, ...]:
        return self.en + self.vi

    def answer_in(self, lang: Lang) -> str:
        """The answer line in `lang`; its quotes stay in English either way."""
        return self.answer_vi if lang is Lang.VI else self.answer

    @property
    def label(self) -> str:
        """The short question shown on buttons and in clarify lists."""
        return self.en[0]


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event or target an article states: the date as the quote supports it
    (`month` and `day` 0 when the quote gives only the year or month), the words that
    say it (`said`: "September 2019", "2030", "last year"), and the intent citing the
    quote, whose answer line labels the event."""

    year: int
    month: int
    day: int
    said: str
    intent_id: str
    seed: str
    quote: str


@dataclass(frozen=True, slots=True)
class Citation:
    """A fact together with the article it comes from."""

    quote: str
    article: Article


@dataclass(frozen=True, slots=True)
class Match:
    """An intent's score (0–100) for a question, and the evidence behind it.

    `coverage` is the share of the question's words (by weight) the intent knows;
    `similarity` and `precision` compare the question with the intent's closest
    phrasing; `unknown` is the weight of the heaviest question word the intent never
    uses; `numbers` says a number in the question is not in the intent; `elsewhere`
    that the question names a place the intent is not about (places.py); `unfit`
    that the intent cannot supply the kind of answer asked for (a sum, a date…).
    """

    intent_id: str
    score: float
    coverage: float = 1.0
    similarity: float = 0.0
    precision: float = 0.0
    unknown: float = 0.0
    numbers: bool = False
    elsewhere: bool = False
    unfit: str = ""
    unfit_other: bool = False
    restated: bool = False
    uncovered: tuple[str, ...] = ()  # the question's words the intent never uses
    own: float = 1.0  # coverage of the asking clause's own words (not a follow-up's topic)


@dataclass(frozen=True, slots=True)
class Suggestion:
    intent_id: str
    label: str


class Chat(StrEnum):
    """The kinds of small talk the bot answers."""

    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"
    GOODBYE = "goodbye"
    IDENTITY = "identity"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Reply:
    """The core's whole decision about one question; front ends only render it."""

    question: str
    kind: Kind
    lang: Lang
    confidence: float = 0.0
    intent_id: str | None = None
    answer: str = ""  # the answer line in `lang`, or the small-talk reply
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    related: tuple[Suggestion, ...] = ()
    pointer: Citation | None = None
    chat: Chat | None = None
    missing: str | None = None  # for a near miss: the kind of answer the articles lack
    follow_up: bool = False  # read as a follow-up on the chat's context

    def __post_init__(self) -> None:
        if self.kind is Kind.ANSWER and not (self.citations and self.intent_id and self.answer):
            raise ValueError("an answer needs an intent, an answer line and at least one citation")
        if self.kind is Kind.SMALLTALK and self.chat is None:
            raise ValueError("small talk needs its chat kind")


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything the bot answers from, loaded once from facts.db."""

    articles: dict[str, Article]
    topics: tuple[Topic, ...]
    intents: tuple[Intent, ...]
    synonyms: dict[str, tuple[str, ...]]
    timeline: tuple[Event, ...] = ()  # in date order
