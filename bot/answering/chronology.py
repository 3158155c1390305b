"""/timeline: the dated events and targets the build found, filtered and paged.

`/timeline` lists them all, `/timeline 2025` one year, `/timeline egov` one topic (its
id or its name's words, in either language), and any other words the events whose
quote or answer line holds them all, folded as questions are. Each event is labelled
with the answer line of the intent citing its quote, in the reader's language, and
keeps its place in the whole timeline (`index`), which is what a button carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering import messages, render
from bot.models import Event, Intent, Knowledge, Lang
from bot.text import content_tokens, fold

PAGE_SIZE = 10
FILTER_LIMIT = 40  # bytes of a folded filter kept (it rides in callback data)


@dataclass(frozen=True, slots=True)
class Selection:
    """The events a filter picks, as (index in the whole timeline, event)."""

    filter: str  # folded: "" for all, a year, a topic id or words
    items: tuple[tuple[int, Event], ...]

    def page(self, number: int) -> tuple[tuple[int, Event], ...]:
        start = (number - 1) * PAGE_SIZE
        return self.items[start : start + PAGE_SIZE]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.items) // PAGE_SIZE))


class Timeline:
    """One knowledge base's timeline: filters, labels and dates for display."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.events = knowledge.timeline
        self.articles = knowledge.articles
        self.intents = {i.id: i for i in knowledge.intents}
        self.topics = {t.id: t for t in knowledge.topics}
        self._haystacks = [self._haystack(e) for e in self.events]

    def _haystack(self, event: Event) -> frozenset[str]:
        intent = self.intents[event.intent_id]
        topic = self.topics[intent.topic]
        texts = (event.quote, intent.answer, intent.answer_vi, topic.en, topic.vi, topic.id)
        return frozenset(word for text in texts for word in fold(text).split())

    def select(self, words: str) -> Selection:
        """The events `words` asks for (see the module docstring)."""
        said = fold(words)
        cut = said.encode()[:FILTER_LIMIT].decode(errors="ignore")
        said = cut if cut == said or " " not in cut else cut.rsplit(" ", 1)[0]
        numbered = list(enumerate(self.events))
        if not said:
            return Selection("", tuple(numbered))
        if said.isdigit() and len(said) == 4:
            return Selection(said, tuple((n, e) for n, e in numbered if e.year == int(said)))
        if said in self.topics:
            picked = [(n, e) for n, e in numbered if self.intent(e).topic == said]
            return Selection(said, tuple(picked))
        wanted = set(content_tokens(said))
        picked = [(n, e) for n, e in numbered if wanted <= self._haystacks[n]]
        return Selection(said, tuple(picked))

    def intent(self, event: Event) -> Intent:
        return self.intents[event.intent_id]

    def label(self, event: Event, lang: Lang) -> str:
        """What happened or is planned: the citing intent's answer line in `lang`."""
        return self.intent(event).answer_in(lang)

    def short_label(self, event: Event, lang: Lang, limit: int) -> str:
        """The label in at most about `limit` characters, around the event's date. When the
        answer line does not name that date, the quote's own words around it, quoted
        ("“…and full nationwide 5G coverage by 2030.”"), so no line shows a date its
        words do not."""
        text = self.label(event, lang)
        if str(event.year) not in text and event.said.lower() not in text.lower():
            return f"“{_around(event.quote, event.quote.find(event.said), limit - 2)}”"
        return _around(text, text.find(str(event.year)), limit)

    @staticmethod
    def when(event: Event, lang: Lang) -> str:
        """The event's date as precisely as its quote gives it."""
        return messages.event_date(event.year, event.month, event.day, lang)


def _around(text: str, at: int, limit: int) -> str:
    """`text` cut at words to about `limit` characters, keeping the words at `at`."""
    if len(text) <= limit or at < limit - 10:
        return render.shorten(text, limit)
    start = text.rfind(" ", 0, max(0, at - limit // 2)) + 1
    return "…" + render.shorten(text[start:], limit - 1)
