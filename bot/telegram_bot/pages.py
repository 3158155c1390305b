"""The bot's fixed screens as Telegram HTML: /start, /help, /about, /sources, topic menus.

Every text comes from `messages` and is escaped here; the buttons that go with
them come from `keyboards`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.answering import messages, render
from bot.models import Article, Citation, Lang
from bot.text import fold

COMMANDS = ("start", "help", "topics", "sources", "about", "lang")


def command_descriptions(lang: Lang) -> list[tuple[str, str]]:
    """Each command with what it does, for /help and the command menu."""
    return [(c, messages.text(f"cmd_{c}", lang)) for c in COMMANDS]


def start(lang: Lang, count: int) -> str:
    return escape(messages.text("start", lang, count))


def help(lang: Lang) -> str:
    """How to ask, then the command list."""
    commands = "\n".join(f"/{c} — {text}" for c, text in command_descriptions(lang))
    return escape(f"{messages.text('help', lang)}\n\n{messages.text('commands', lang)}\n{commands}")


def about(lang: Lang, count: int) -> str:
    """What the bot is, what it is not, and what it covers."""
    keys = ("identity", "about", "coverage")
    return escape("\n\n".join(messages.text(k, lang, count) for k in keys))


def sources(articles: Sequence[Article], lang: Lang) -> list[str]:
    """Each article's title, publisher and date, and what it covers, as message parts."""
    parts = [escape(messages.text("sources", lang, len(articles)))]
    for n, article in enumerate(articles, 1):
        # source_line only reads the citation's article.
        line = render.source_line(Citation("", article), lang)
        parts.append(f"<b>{n}.</b> {escape(line)}\n<i>{escape(article.covers)}</i>")
    return render.chunk(parts)


def topics(lang: Lang) -> str:
    return escape(messages.text("topics", lang))


def topic(name: str, lang: Lang) -> str:
    return f"<b>{escape(name)}</b>\n{escape(messages.text('topic_questions', lang))}"


def stats(report: str) -> list[str]:
    """The question log's report (plain text) for admins: escaped, line by line, in parts."""
    parts: list[str] = []
    current = ""
    for line in report.split("\n"):
        # render.chunk cuts only a line too long for one message, at whitespace.
        for piece in render.chunk([escape(line)]):
            candidate = f"{current}\n{piece}" if current else piece
            if render.utf16_len(candidate) <= render.CHUNK_LIMIT:
                current = candidate
            else:
                parts.append(current)
                current = piece
    if current.strip():
        parts.append(current)
    return parts


# What `/lang …` may say: either language's name in either language, or its code.
_LANGUAGE_WORDS = {
    Lang.EN: frozenset({"en", "english", "eng", "tieng anh", "anh"}),
    Lang.VI: frozenset({"vi", "vietnamese", "tieng viet", "viet", "vn"}),
}


def language_named(words: str) -> Lang | None:
    """The language `/lang words` names ("vi", "English", "tiếng Việt"), or None."""
    said = fold(words)
    return next((lang for lang, names in _LANGUAGE_WORDS.items() if said in names), None)


def text(key: str, lang: Lang) -> str:
    """Any other fixed text, escaped."""
    return escape(messages.text(key, lang))
