"""The bot's fixed screens as Telegram HTML: /start, /help, /about, /sources, topic menus.

Each is built in `answering.screens` (the console shows the same in plain text) and
cut into message parts here; the buttons that go with them come from `keyboards`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.answering import messages, render, screens
from bot.models import Article, Lang

COMMANDS = screens.COMMANDS


def command_descriptions(lang: Lang) -> list[tuple[str, str]]:
    """Each command with what it does, for the command menu."""
    return screens.command_descriptions(lang)


def start(lang: Lang, count: int) -> str:
    return screens.start(lang, count, screens.HTML)


def help(lang: Lang) -> str:
    return screens.help(lang, screens.HTML)


def about(lang: Lang, count: int) -> str:
    return screens.about(lang, count, screens.HTML)


def sources(articles: Sequence[Article], lang: Lang) -> list[str]:
    """The /sources screen in message parts."""
    return render.chunk(screens.sources(articles, lang, screens.HTML))


def topics(lang: Lang) -> str:
    return screens.topics(lang, screens.HTML)


def topic(name: str, lang: Lang) -> str:
    return screens.topic(name, lang, screens.HTML)


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


language_named = screens.language_named


def text(key: str, lang: Lang) -> str:
    """Any other fixed text, escaped."""
    return escape(messages.text(key, lang))
