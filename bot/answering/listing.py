"""Pages of /search hits and /timeline events, and one event with its quote, in a
`screens.Style` (Telegram HTML or console text).

A search hit is the verbatim sentence with the search words marked and its source
line; a timeline line is the event's date and a short label, its quote and source a
tap (or a number) away. A page is one message: five hits of at most a few hundred
characters each, or ten one-line events, stay far below Telegram's 4,096.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from bot.answering import chronology, messages, render
from bot.answering.chronology import Selection, Timeline
from bot.answering.screens import HTML, Style
from bot.answering.search import PAGE_SIZE, Results
from bot.models import Citation, Event, Lang
from bot.text import fold

LABEL_LIMIT = 90  # characters of a timeline line's label
_WORD = re.compile(r"[^\W_]+")


def marked(text: str, phrases: Collection[str], style: Style) -> str:
    """`text` escaped, with every run of words whose folded form is one of the folded
    `phrases` marked, e.g. "e-government" for the phrase "e government"."""
    spans = [(m.start(), m.end(), fold(m.group()).split()) for m in _WORD.finditer(text)]
    words = [(start, end, word) for start, end, folded in spans for word in folded]
    wanted = [p.split() for p in phrases]
    ranges: list[tuple[int, int]] = []
    for at in range(len(words)):
        for phrase in wanted:
            if [w for _, _, w in words[at : at + len(phrase)]] == phrase:
                ranges.append((words[at][0], words[at + len(phrase) - 1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        # Overlapping, or apart by spaces only: one mark ("**nuclear power plant**").
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out: list[str] = []
    done = 0
    for start, end in merged:
        out += [style.esc(text[done:start]), style.mark(style.esc(text[start:end]))]
        done = end
    out.append(style.esc(text[done:]))
    return "".join(out)


def _source(citation: Citation, lang: Lang, style: Style) -> str:
    line = render.source_line(citation, lang)
    if style is HTML:
        return style.italic(style.esc(f"{messages.text('source', lang)}: {line}"))
    return f"— {line}"


def search_page(results: Results, lang: Lang, style: Style) -> str:
    """A page of hits, numbered across pages, each with its source line."""
    head = messages.text("search_head", lang).format(words=results.query.words, page=results.number)
    parts = [style.bold(style.esc(head))]
    if not results.every:
        parts.append(style.esc(messages.text("search_some", lang)))
    first = (results.number - 1) * PAGE_SIZE + 1
    for n, hit in enumerate(results.hits, first):
        sentence = marked(hit.quote, results.query.phrases, style)
        parts.append(f"{n}. {sentence}\n{_source(hit, lang, style)}")
    return "\n\n".join(parts)


def nothing_found(words: str, lang: Lang, style: Style) -> str:
    return style.esc(messages.text("search_none", lang).format(words=words))


def timeline_page(
    timeline: Timeline, selection: Selection, number: int, lang: Lang, style: Style
) -> str:
    """Page `number` of `selection`: one line an event, numbered across pages."""
    head = messages.text("timeline_head", lang).format(page=number, pages=selection.pages)
    lines = [style.bold(style.esc(head))]
    first = (number - 1) * chronology.PAGE_SIZE + 1
    for n, (_, event) in enumerate(selection.page(number), first):
        label = timeline.short_label(event, lang, LABEL_LIMIT)
        when = style.bold(style.esc(timeline.when(event, lang)))
        lines.append(f"{n}. {when} · {style.esc(label)}")
    return "\n".join(lines)


def no_events(words: str, topic_ids: Sequence[str], lang: Lang, style: Style) -> str:
    text = messages.text("timeline_none", lang).format(words=words, topics=", ".join(topic_ids))
    return style.esc(text)


def event(timeline: Timeline, item: Event, lang: Lang, style: Style) -> str:
    """One event: its date and answer line, then the verbatim quote and its source."""
    head = style.bold(style.esc(f"{timeline.when(item, lang)} · {timeline.label(item, lang)}"))
    citation = Citation(item.quote, timeline.articles[item.seed])
    quote = (
        render.quote_html(citation, lang) if style is HTML else render.quote_plain(citation, lang)
    )
    return f"{head}\n\n{quote}"
