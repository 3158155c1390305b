"""Adding phrasings to intents.yaml by inserting lines, so nothing else in it changes.

`policybot learn` writes the phrasings a maintainer accepted. A YAML round-trip (PyYAML,
or ruamel.yaml, which keeps comments) re-emits the whole file: long answer lines get
re-wrapped, quoting and list indentation may change, and the diff a maintainer reviews
is no longer only the new phrasings. Instead each phrasing becomes one new line after
the last item of its intent's `en:` or `vi:` list (at that item's indentation, double-
quoted as JSON writes strings, which YAML reads the same), found by the line numbers the
loader records (yamlfile.py). The result is parsed again and must equal the old data
plus the additions, or nothing is written. Writes are atomic (a temporary file renamed).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.errors import InputError
from bot.knowledge import yamlfile

_ITEM = re.compile(r"^(\s*)- ")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _item_end(lines: list[str], start: int, column: int) -> int:
    """The index after the list item starting at `start` (its dash at `column`): its
    continuation lines are indented further."""
    end = start + 1
    while end < len(lines) and lines[end].strip() and _indent(lines[end]) > column:
        end += 1
    return end


def add(path: Path, additions: Iterable[tuple[str, str, str]]) -> str:
    """The text of intents.yaml at `path` with each (intent id, "en" or "vi", phrasing)
    added at the end of that list; raises InputError when an intent or list is missing
    or the list is not written one item a line."""
    where = str(path)
    data = yamlfile.load(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    entries = {e.get("id"): e for e in data.get("intents", []) if isinstance(e, dict)}
    inserts: dict[int, list[str]] = {}
    expected: Any = yaml.safe_load("".join(lines))
    wanted = {e["id"]: e for e in expected["intents"]}
    for intent_id, lang, phrasing in additions:
        entry = entries.get(intent_id)
        items = entry.get(lang) if entry is not None else None
        if entry is None or not isinstance(items, list) or not items:
            raise InputError(where, None, f"intent {intent_id!r} has no '{lang}' list; add it")
        start = (yamlfile.line_of(items[-1]) or 0) - 1
        item = _ITEM.match(lines[start]) if 0 <= start < len(lines) else None
        if item is None:
            raise InputError(
                where,
                start + 1,
                f"the '{lang}' list of {intent_id!r} is not one item a line;"
                " write it as '- phrasing' lines",
            )
        column = len(item.group(1))
        end = _item_end(lines, start, column)
        text = json.dumps(" ".join(phrasing.split()), ensure_ascii=False)
        inserts.setdefault(end, []).append(f"{' ' * column}- {text}\n")
        wanted[intent_id][lang].append(" ".join(phrasing.split()))
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for end in sorted(inserts, reverse=True):
        lines[end:end] = inserts[end]
    result = "".join(lines)
    if yaml.safe_load(result) != expected:
        raise InputError(
            where,
            None,
            "adding the phrasings would change more than the lists;"
            " check the file's layout by hand",
        )
    return result


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text`: written to a temporary file beside it, then renamed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
