"""Reading the seed articles and sources.yaml, and cleaning articles into passages.

Cleaning only ever drops text (page furniture, captions, decorative symbols), so
every passage is a verbatim substring of its seed file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.errors import InputError
from bot.knowledge import yamlfile
from bot.models import Article, Passage
from bot.text import MONTHS, sentences

SOURCES_FILE = "sources.yaml"

# Whole lines that are page furniture or captions rather than article text.
_CAPTION = re.compile(r"^\|\s*(.*?)\s*\|$")  # photo captions and pull quotes in a table cell
# A press release's contact details: not article text, but quotable (`quotable_lines`).
_CONTACT = re.compile(r"^Contact information\s*(.*)$")
# A closing sentence announcing a link whose address the page did not keep.
_DANGLING_LINK = re.compile(r"(?:^|(?<=[.!?]))\s*[^.!?]*\b(?:accessed|available|found) at:?$")
_FURNITURE = [
    _CAPTION,
    re.compile(r"\(Photo: [^)]*\)$"),  # "... (Photo: VNA)" captions
    re.compile(r"^Source$"),
    re.compile(r"^Comment \(\d+\)$"),
    _CONTACT,
    re.compile(
        r"^(?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})(?: \|.*)?$"
    ),  # datelines: the date lives in sources.yaml
]


@dataclass(frozen=True, slots=True)
class Seed:
    """A seed file's raw text and the lines cleaning kept."""

    name: str
    raw: str
    lines: tuple[str, ...]


def _is_decoration(char: str) -> bool:
    # Emoji and mathematical "fancy letters" (𝕴) live outside the Basic Multilingual Plane.
    return ord(char) > 0xFFFF or unicodedata.category(char) in {"So", "Sk", "Co"}


def clean_line(line: str) -> str | None:
    """The line without leading decorative symbols, or None when the whole line is furniture."""
    text = line.strip()
    while text and _is_decoration(text[0]):
        text = text[1:].lstrip()
    text = _DANGLING_LINK.sub("", text)
    if not text or any(p.search(text) for p in _FURNITURE):
        return None
    return text


def read_seed(path: Path) -> Seed:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), None, f"cannot read seed article: {exc}") from exc
    kept = (clean_line(line) for line in raw.splitlines())
    return Seed(path.name, raw, tuple(line for line in kept if line))


def quotable_lines(seed: Seed) -> list[str]:
    """The cleaned lines plus caption texts and contact details: a caption may back a
    fact (who is pictured), contact details one on whom to call."""
    raw = [line.strip() for line in seed.raw.splitlines()]
    asides = (p.match(line) for line in raw for p in (_CAPTION, _CONTACT))
    return [*seed.lines, *(m.group(1) for m in asides if m and m.group(1))]


def passages(seed: Seed) -> list[Passage]:
    """Every sentence of the cleaned article, numbered in reading order."""
    found = [s for line in seed.lines for s in sentences(line)]
    return [Passage(seed.name, n, text) for n, text in enumerate(found)]


def read_seeds(folder: Path) -> dict[str, Seed]:
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError(str(folder), None, "no seed articles (*.txt) here; add the articles")
    return {p.name: read_seed(p) for p in files}


def _text(entry: dict[str, object], key: str, path: str, required: bool) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            path, yamlfile.line_of(entry), f"'{key}' must be a non-empty string; add it"
        )
    return value.strip()


def _related_news(entry: dict[str, object], seed: Seed, where: str) -> tuple[str, ...]:
    """The cleaned lines `related_news` names by their first words, each exactly one line."""
    given = entry.get("related_news") or []
    if not isinstance(given, list):
        raise InputError(
            where, yamlfile.line_of(entry), "'related_news' must be a list of first words"
        )
    found: list[str] = []
    for start in given:
        line = yamlfile.line_of(start) or yamlfile.line_of(entry)
        if not isinstance(start, str) or not start.strip():
            raise InputError(where, line, "a related_news entry must be a passage's first words")
        lines = [text for text in seed.lines if text.startswith(start.strip())]
        if len(lines) != 1:
            problem = "starts no line" if not lines else f"starts {len(lines)} lines"
            raise InputError(
                where,
                line,
                f"related_news {start.strip()!r} {problem} of {seed.name}; copy the first"
                " words of exactly one passage",
            )
        found.append(lines[0])
    return tuple(found)


def _printed(day: date, raw: str) -> str | None:
    """`day` as the article's text prints it ("Dec 18, 2003", "October 15, 2020",
    "18 December 2003"), or None when the text does not show it."""
    month = MONTHS[day.month - 1]
    names = [month, month[:3], f"{month[:3]}."]
    shown = [
        *(f"{name} {day.day}, {day.year}" for name in names),
        *(f"{day.day} {name} {day.year}" for name in names),
    ]
    found = [(raw.find(s), s) for s in shown if s in raw]
    return min(found)[1] if found else None


def read_sources(folder: Path, seeds: dict[str, Seed]) -> dict[str, Article]:
    """Parse sources.yaml; every seed needs exactly one entry and every entry a seed."""
    path = folder / SOURCES_FILE
    where = str(path)
    data = yamlfile.load(path)
    if not isinstance(data, dict):
        raise InputError(where, None, "expected a mapping of seed file name → metadata")
    articles: dict[str, Article] = {}
    for name, entry in data.items():
        line = yamlfile.line_of(name)
        if name not in seeds:
            raise InputError(where, line, f"unknown seed {name!r}; it is not in {folder}")
        if not isinstance(entry, dict):
            raise InputError(where, line, f"{name}: expected a mapping of title, publisher, date…")
        published = _text(entry, "date", where, required=False)
        try:
            day = date.fromisoformat(published) if published else None
        except ValueError as exc:
            raise InputError(
                where, yamlfile.line_of(entry), f"{name}: date {published!r} is not YYYY-MM-DD"
            ) from exc
        supplied = entry.get("title_supplied", False)
        if not isinstance(supplied, bool):
            raise InputError(where, yamlfile.line_of(entry), "'title_supplied' must be true/false")
        printed = _printed(day, seeds[name].raw) if day else None
        articles[name] = Article(
            seed=name,
            title=_text(entry, "title", where, required=True) or "",
            title_supplied=supplied,
            publisher=_text(entry, "publisher", where, required=False),
            published=day,
            place=_text(entry, "place", where, required=False),
            note=_text(entry, "note", where, required=False),
            covers=_text(entry, "covers", where, required=True) or "",
            related_news=_related_news(entry, seeds[name], where),
            printed=printed,
        )
    missing = sorted(set(seeds) - set(articles))
    if missing:
        raise InputError(where, None, f"no entry for {', '.join(missing)}; add one per seed")
    return dict(sorted(articles.items()))
