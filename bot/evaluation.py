"""Scoring the bot on a labelled question file, with a sweep of thresholds.

The file has the format of the public question set: items with `q`, `kind`
(fact, fallback or smalltalk), `sources` (seed files) and `must_contain`.
Like `rasa test nlu`, the report gives in-scope accuracy, the out-of-scope
refusal rate, the confusions, and how both move with the thresholds.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from bot.answering import render
from bot.answering.responder import Responder, Thresholds
from bot.errors import InputError
from bot.knowledge import yamlfile
from bot.models import Kind, Lang, Match
from bot.text import fold


@dataclass(frozen=True, slots=True)
class Item:
    question: str
    kind: str
    sources: tuple[str, ...]
    must_contain: tuple[str, ...]
    conflict: bool


@dataclass(frozen=True, slots=True)
class Tally:
    facts: int = 0
    facts_ok: int = 0
    refusals: int = 0
    refusals_ok: int = 0
    chats: int = 0
    chats_ok: int = 0

    def line(self) -> str:
        return (
            f"facts {self.facts_ok}/{self.facts} ({_pct(self.facts_ok, self.facts)}), "
            f"out-of-scope refused {self.refusals_ok}/{self.refusals} "
            f"({_pct(self.refusals_ok, self.refusals)}), "
            f"smalltalk {self.chats_ok}/{self.chats}"
        )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def load_items(path: Path) -> list[Item]:
    data = yamlfile.load(path)
    if not isinstance(data, list):
        raise InputError(str(path), None, "expected a list of questions")
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
            )
        )
    return items


class Evaluation:
    """Runs labelled questions through the responder's matcher and decision."""

    def __init__(self, responder: Responder, items: list[Item]) -> None:
        self.responder = responder
        self.items = items
        self._answer_text: dict[str, tuple[str, frozenset[str]]] = {}

    def answer_of(self, intent_id: str) -> tuple[str, frozenset[str]]:
        """Folded reply text and cited seeds of an intent's answer."""
        if intent_id not in self._answer_text:
            reply = self.responder.answer(intent_id, "", Lang.EN)
            seeds = frozenset(c.article.seed for c in reply.citations)
            self._answer_text[intent_id] = (fold(render.plain(reply)), seeds)
        return self._answer_text[intent_id]

    def correct(self, item: Item, kind: Kind, intent_id: str | None) -> bool:
        if item.kind == "smalltalk":
            return kind is Kind.SMALLTALK
        if item.kind == "fallback":
            return kind is not Kind.ANSWER
        if kind is not Kind.ANSWER or intent_id is None:
            return False
        text, seeds = self.answer_of(intent_id)
        wanted = set(item.sources)
        cites = wanted <= seeds if item.conflict else bool(wanted & seeds)
        return cites and all(fold(m) in text for m in item.must_contain)

    def ranked(self) -> list[tuple[Item, list[Match] | None]]:
        """Matches per item; None for messages the responder treats as small talk."""
        return [(item, self.responder.rank(item.question)) for item in self.items]

    def tally(
        self, ranked: list[tuple[Item, list[Match] | None]], limits: Thresholds
    ) -> tuple[Tally, list[str]]:
        counts: Counter[str] = Counter()
        misses: list[str] = []
        for item, matches in ranked:
            kind, involved, _ = self.responder.outcome(item.question, matches, limits)
            intent_id = involved[0].intent_id if involved else None
            ok = self.correct(item, kind, intent_id)
            counts[item.kind] += 1
            counts[item.kind + "_ok"] += ok
            if not ok:
                top = f"{matches[0].intent_id} {matches[0].score}" if matches else "-"
                misses.append(f"{item.kind:9} → {kind.value:9} top={top:40} {item.question}")
        tally = Tally(
            counts["fact"],
            counts["fact_ok"],
            counts["fallback"],
            counts["fallback_ok"],
            counts["smalltalk"],
            counts["smalltalk_ok"],
        )
        return tally, misses

    def report(self, sweep: bool = True) -> str:
        ranked = self.ranked()
        current = self.responder.thresholds
        tally, misses = self.tally(ranked, current)
        lines = [
            f"thresholds: answer {current.answer}, clarify {current.clarify},"
            f" margin {current.margin}, coverage {current.coverage}",
            tally.line(),
            "",
            f"confusions ({len(misses)}): expected → got, best intent and score",
            *misses,
        ]
        if sweep:
            lines += [
                "",
                "sweep: answer margin coverage | facts refused | cost (a false answer = 5)",
            ]
            rows = []
            for answer, margin, coverage in itertools.product(
                range(50, 86, 2), (0, 1, 2, 4, 6), (0.0, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)
            ):
                limits = replace(current, answer=answer, margin=margin, coverage=coverage)
                t, _ = self.tally(ranked, limits)
                cost = (t.facts - t.facts_ok) + 5 * (t.refusals - t.refusals_ok)
                rows.append((cost, answer, margin, coverage, t))
            rows.sort(key=lambda r: (r[0], -r[1], -r[3]))
            for cost, answer, margin, coverage, t in rows[:15]:
                lines.append(
                    f"  {answer:5} {margin:6} {coverage:8} | {t.facts_ok}/{t.facts}"
                    f" {t.refusals_ok}/{t.refusals} | {cost}"
                )
        return "\n".join(lines)
