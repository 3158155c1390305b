"""Labelled question sets: reading them, and telling whether an intent answers an item right.

A set has the format of the public question set (`../shared/eval/README.md`):
items with `q`, `lang`, `kind` (fact, fallback or smalltalk), `sources` (seed
files), `must_contain` and `conflict`. A fact is answered right by an intent
whose answer line and quotes contain every `must_contain` string (accents and
case ignored) and that cites one of the `sources` (all of them for a conflict).
A number is found only as a whole number, or as the leading group of one written
with thousands separators: "30" is not in "2030" nor "500" in "50,000", but "13" is
in "13,000".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InputError
from bot.knowledge import yamlfile
from bot.models import Intent
from bot.text import THOUSANDS, fold, language_of


@dataclass(frozen=True, slots=True)
class Item:
    question: str
    kind: str
    sources: tuple[str, ...]
    must_contain: tuple[str, ...]
    conflict: bool
    lang: str = "en"


def load_items(path: Path) -> list[Item]:
    """A question set; for a conversation set, every turn as a question of its own."""
    return [item for turns in load_conversations(path) for item in turns]


def load_conversations(path: Path) -> list[list[Item]]:
    """A set's conversations, each a list of turns; a question set's items are
    conversations of one turn."""
    data = yamlfile.load(path)
    if not isinstance(data, list):
        raise InputError(str(path), None, "expected a list of questions or conversations")
    found = []
    for entry in data:
        turns = entry.get("turns") if isinstance(entry, dict) else None
        if isinstance(turns, list):
            found.append(_items(path, turns))
        else:
            found.append(_items(path, [entry]))
    return found


def _items(path: Path, data: list[object]) -> list[Item]:
    items = []
    for entry in data:
        if not isinstance(entry, dict) or entry.get("kind") not in {
            "fact",
            "fallback",
            "smalltalk",
        }:
            raise InputError(
                str(path),
                yamlfile.line_of(entry),
                "each item needs q and kind (fact/fallback/smalltalk)",
            )
        items.append(
            Item(
                question=str(entry.get("q", "")),
                kind=entry["kind"],
                sources=tuple(entry.get("sources") or ()),
                must_contain=tuple(str(m) for m in entry.get("must_contain") or ()),
                conflict=bool(entry.get("conflict", False)),
                lang=str(entry.get("lang") or language_of(str(entry.get("q", ""))) or "en"),
            )
        )
    return items


def right(item: Item, intent: Intent, text: str | None = None) -> bool:
    """Whether answering `item` with `intent` is right; `text` is the answer as shown
    (the answer line and quotes by default)."""
    return answers(item, (intent,), text)


def answers(item: Item, intents: Sequence[Intent], text: str | None = None) -> bool:
    """Whether answering `item` with `intents` together (a message asking two things)
    is right: together they cite what it needs and show every string it must."""
    shown = _folded(text or " ".join(_shown(i) for i in intents))
    return (
        item.kind == "fact"
        and _cites(item, frozenset(f.seed for i in intents for f in i.facts))
        and all(_wanted(m).search(shown) for m in item.must_contain)
    )


def _shown(intent: Intent) -> str:
    return " ".join([intent.answer, *(f.quote for f in intent.facts)])


def _folded(text: str) -> str:
    """`text` folded with the groups of a number kept apart ("50,000" → "50 000")."""
    return fold(THOUSANDS.sub(" ", text))


def _wanted(string: str) -> re.Pattern[str]:
    """Where a `must_contain` string is found in `_folded` text: not inside a longer number."""
    return re.compile(rf"(?<!\d){re.escape(_folded(string))}(?!\d)")


def _cites(item: Item, cited: frozenset[str]) -> bool:
    """Whether an intent citing the seeds `cited` cites what `item` needs: one of its
    sources, or all of them for a conflict."""
    wanted = set(item.sources)
    return wanted <= cited if item.conflict else bool(wanted & cited)


class Judge:
    """Which intents answer a labelled item right (`right`): training asks it of every
    labelled question and every intent, and the same sources and strings recur, so
    which intents cite the sources and which show each string are found once."""

    def __init__(self, intents: Sequence[Intent]) -> None:
        self._cited = [frozenset(f.seed for f in i.facts) for i in intents]
        self._shown = [_folded(_shown(i)) for i in intents]
        self._citing: dict[tuple[tuple[str, ...], bool], frozenset[int]] = {}
        self._showing: dict[str, frozenset[int]] = {}

    def answering(self, item: Item) -> tuple[int, ...]:
        """The positions of the intents that answer `item` right, in order."""
        if item.kind != "fact":
            return ()
        key = (item.sources, item.conflict)
        if (found := self._citing.get(key)) is None:
            found = self._citing[key] = frozenset(
                n for n, cited in enumerate(self._cited) if _cites(item, cited)
            )
        for wanted in item.must_contain:
            if (showing := self._showing.get(wanted)) is None:
                pattern = _wanted(wanted)
                showing = self._showing[wanted] = frozenset(
                    n for n, shown in enumerate(self._shown) if pattern.search(shown)
                )
            found &= showing
        return tuple(sorted(found))


def language(item: Item) -> str:
    """`en`, `vi` (with diacritics) or `vi-plain` (Vietnamese typed without them)."""
    if item.lang != "vi":
        return "en"
    return "vi-plain" if item.question.isascii() else "vi"
