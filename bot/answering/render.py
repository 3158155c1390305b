"""Turning a `Reply` into what people read: plain text, Telegram HTML chunks, JSON.

Every interpolated value in HTML is escaped; chunks stay under Telegram's 4096
limit (counted in UTF-16 code units, as Telegram does) with the citation last.
"""

from __future__ import annotations

import html as _html
import json
from collections.abc import Callable
from typing import Any

from bot.answering import messages
from bot.models import Citation, Kind, Lang, Reply

TELEGRAM_LIMIT = 4096
CHUNK_LIMIT = 4000  # a margin under TELEGRAM_LIMIT


def source_line(citation: Citation, lang: Lang) -> str:
    """'Title, Publisher, as reported on 15 October 2020' in the reader's language."""
    article = citation.article
    title = article.title
    if article.title_supplied:
        title = f"{title} ({messages.text('supplied_title', lang)})"
    publisher = article.publisher or messages.text("no_publisher", lang)
    shown = messages.format_date(article.published, lang, article.printed)
    line = f"{title}, {publisher}, {shown}"
    if article.is_related_news(citation.quote):
        line = f"{line} ({messages.related_news(article.publisher, lang)})"
    return line


def _paragraphs(
    reply: Reply,
    quote: Callable[[Citation], str],
    esc: Callable[[str], str],
    bold: Callable[[str], str],
) -> list[str]:
    lang = reply.lang
    if reply.kind is Kind.SMALLTALK:
        return [esc(reply.answer)]
    if reply.kind is Kind.ANSWER:
        return [bold(esc(reply.answer)), *(quote(c) for c in reply.citations)]
    if reply.kind is Kind.CLARIFY:
        options = "\n".join(
            [
                *(f"{n}. {esc(s.label)}" for n, s in enumerate(reply.suggestions, 1)),
                f"0. {esc(messages.text('none_of_these', lang))}",
            ]
        )
        return [
            esc(messages.text("clarify", lang)),
            options,
            esc(messages.text("clarify_hint", lang)),
        ]
    if reply.missing is not None and reply.pointer is not None:
        return [
            esc(messages.text(f"missing_{reply.missing}", lang)),
            esc(messages.text("missing_pointer", lang)) + "\n" + quote(reply.pointer),
        ]
    parts = [esc(messages.text("fallback", lang)), esc(messages.text("coverage", lang))]
    if reply.pointer is not None:
        parts.append(esc(messages.text("pointer", lang)) + "\n" + quote(reply.pointer))
    return parts


def quote_plain(citation: Citation, lang: Lang) -> str:
    """A verbatim quote and its source line, as console text."""
    return f"“{citation.quote}”\n— {source_line(citation, lang)}"


def quote_html(citation: Citation, lang: Lang) -> str:
    """A verbatim quote in a blockquote and its source line, as Telegram HTML."""
    src = f"{messages.text('source', lang)}: {source_line(citation, lang)}"
    return f"<blockquote>{_html.escape(citation.quote)}</blockquote>\n<i>{_html.escape(src)}</i>"


def plain(reply: Reply) -> str:
    """The reply as console text (also the JSON contract's `text`)."""

    def quote(c: Citation) -> str:
        return quote_plain(c, reply.lang)

    return "\n\n".join(_paragraphs(reply, quote, lambda s: s, lambda s: s))


def html(reply: Reply) -> list[str]:
    """The reply as Telegram HTML messages, each under the limit, citation in the last."""

    def quote(c: Citation) -> str:
        return quote_html(c, reply.lang)

    paragraphs = _paragraphs(reply, quote, _html.escape, lambda s: f"<b>{s}</b>")
    return chunk(paragraphs)


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with "…" if cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit - 1].rstrip(" ,;:") + "…"


def utf16_len(text: str) -> int:
    # surrogatepass: a lone surrogate (sent as a JSON escape) still counts as one unit
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def chunk(paragraphs: list[str], limit: int = CHUNK_LIMIT) -> list[str]:
    """Join paragraphs into messages of at most `limit` UTF-16 units, never splitting a tag.

    A paragraph longer than the limit (only possible for plain escaped text) is cut
    at whitespace, or hard-cut between entities when a word is longer than the limit.
    """
    pieces: list[str] = []
    for paragraph in paragraphs:
        pieces.extend(
            _split_long(paragraph, limit) if utf16_len(paragraph) > limit else [paragraph]
        )
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n\n{piece}" if current else piece
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks or [""]


def _split_long(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    while utf16_len(text) > limit:
        cut = _safe_cut(text, limit)
        space = text.rfind(" ", 0, cut)
        if space > cut // 2:
            cut = space
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _safe_cut(text: str, limit: int) -> int:
    """The largest index within `limit` UTF-16 units that is not inside an HTML entity."""
    units = 0
    cut = 0
    for n, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            break
        cut = n + 1
    amp = text.rfind("&", 0, cut)
    if amp != -1 and text.find(";", amp, cut) == -1:
        cut = amp
    return cut


def as_json(reply: Reply) -> dict[str, Any]:
    """The JSON ask contract (see the README): one object per question."""
    cited = list(reply.citations)
    if reply.pointer is not None:
        cited.append(reply.pointer)
    return {
        "question": reply.question,
        "kind": reply.kind.value,
        "intent": reply.intent_id if reply.kind in (Kind.ANSWER, Kind.CLARIFY) else None,
        "confidence": reply.confidence,
        "text": plain(reply),
        "sources": [
            {
                "seed": c.article.seed,
                "title": c.article.title,
                "publisher": c.article.publisher,
                "date": c.article.published.isoformat() if c.article.published else None,
                "quote": c.quote,
                # An extra field: the quote is a teaser of other news on the page.
                "related_news": c.article.is_related_news(c.quote),
            }
            for c in cited
        ],
        "suggestions": [s.label for s in reply.suggestions],
        "lang": reply.lang.value,
    }


def json_line(reply: Reply) -> str:
    return json.dumps(as_json(reply), ensure_ascii=False)
