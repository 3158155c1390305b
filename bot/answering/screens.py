"""The bot's fixed screens, for every front end: /start, /help, /about, /sources, /topics.

Each is built once here, in a `Style`: `HTML` for Telegram (every text escaped) or
`PLAIN` for the console, so both say exactly the same. The buttons or numbered
lists that go with them belong to the front ends.
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.answering import messages, render
from bot.models import Article, Citation, Lang
from bot.text import fold

COMMANDS = ("start", "help", "topics", "sources", "about", "search", "timeline", "lang")


def _same(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Style:
    """How a screen marks its text up: escaping, emphasis, asides, and search words."""

    esc: Callable[[str], str]
    bold: Callable[[str], str]
    italic: Callable[[str], str]
    mark: Callable[[str], str]  # a search word found in a sentence


HTML = Style(
    _html.escape, lambda s: f"<b>{s}</b>", lambda s: f"<i>{s}</i>", lambda s: f"<b>{s}</b>"
)
# In the terminal, a search word found is marked **like this**, as Markdown would.
PLAIN = Style(_same, _same, _same, lambda s: f"**{s}**")


def command_descriptions(lang: Lang, commands: Sequence[str] = COMMANDS) -> list[tuple[str, str]]:
    """Each command with what it does, for /help and the command menu."""
    return [(c, messages.text(f"cmd_{c}", lang)) for c in commands]


def start(lang: Lang, count: int, style: Style) -> str:
    return style.esc(messages.text("start", lang, count))


def help(lang: Lang, style: Style, commands: Sequence[str] = COMMANDS) -> str:
    """How to ask, then the command list."""
    listed = "\n".join(f"/{c} — {text}" for c, text in command_descriptions(lang, commands))
    head = f"{messages.text('help', lang)}\n\n{messages.text('commands', lang)}"
    return style.esc(f"{head}\n{listed}")


def about(lang: Lang, count: int, style: Style) -> str:
    """What the bot is, what it is not, and what it covers."""
    keys = ("identity", "about", "coverage")
    return style.esc("\n\n".join(messages.text(k, lang, count) for k in keys))


def sources(articles: Sequence[Article], lang: Lang, style: Style) -> list[str]:
    """Each article's title, publisher and date, and what it covers, as paragraphs."""
    parts = [style.esc(messages.text("sources", lang, len(articles)))]
    for n, article in enumerate(articles, 1):
        # source_line only reads the citation's article.
        line = render.source_line(Citation("", article), lang)
        parts.append(
            f"{style.bold(f'{n}.')} {style.esc(line)}\n{style.italic(style.esc(article.covers))}"
        )
    return parts


def topics(lang: Lang, style: Style) -> str:
    return style.esc(messages.text("topics", lang))


def topic(name: str, lang: Lang, style: Style) -> str:
    return f"{style.bold(style.esc(name))}\n{style.esc(messages.text('topic_questions', lang))}"


# What `/lang …` may say: either language's name in either language, or its code.
_LANGUAGE_WORDS = {
    Lang.EN: frozenset({"en", "english", "eng", "tieng anh", "anh"}),
    Lang.VI: frozenset({"vi", "vietnamese", "tieng viet", "viet", "vn"}),
}


def language_named(words: str) -> Lang | None:
    """The language `/lang words` names ("vi", "English", "tiếng Việt"), or None."""
    said = fold(words)
    return next((lang for lang, names in _LANGUAGE_WORDS.items() if said in names), None)
