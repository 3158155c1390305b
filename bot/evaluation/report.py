"""Scoring the bot on a labelled question set, per language, with a threshold sweep.

Like `rasa test nlu`, the report gives the rates that matter and the confusions:
facts answered right first time, facts answered or with a right option in
"which of these?" (within one tap), false answers (a fact answered wrong, or an
out-of-scope question answered at all), and out-of-scope questions refused; then
how they move with the answer threshold.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from bot.answering import render
from bot.answering.context import Context, leaving
from bot.answering.question import Question
from bot.answering.responder import Outcome, Responder, Weighed
from bot.evaluation.labelled import Item, answers, language
from bot.evaluation.operating import FALSE_ANSWER_COST
from bot.models import Kind, Lang

GROUPS = ("all", "en", "vi", "vi-plain")
SWEEP = tuple(round(0.30 + 0.05 * n, 2) for n in range(14))


@dataclass(frozen=True, slots=True)
class Tally:
    facts: int = 0
    first_time: int = 0
    one_tap: int = 0
    false_answers: int = 0
    refusals: int = 0
    refused: int = 0
    chats: int = 0
    chats_ok: int = 0

    def line(self) -> str:
        return (
            f"facts {self.facts}: first time {_pct(self.first_time, self.facts)},"
            f" within one tap {_pct(self.one_tap, self.facts)};"
            f" out-of-scope {self.refusals}: refused {_pct(self.refused, self.refusals)};"
            f" false answers {self.false_answers}"
            f" ({_pct(self.false_answers, self.facts)} of facts);"
            f" smalltalk {self.chats_ok}/{self.chats}"
        )

    @property
    def cost(self) -> int:
        return (self.facts - self.first_time) + FALSE_ANSWER_COST * self.false_answers


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else "n/a"


class Evaluation:
    """Runs labelled questions through the responder's rankers and decision."""

    def __init__(self, responder: Responder, conversations: list[list[Item]]) -> None:
        """`conversations`: a question set's items are conversations of one turn."""
        self.responder = responder
        self.conversations = conversations
        self._shown: dict[str, str] = {}

    def right(self, item: Item, *intent_ids: str) -> bool:
        """Whether answering `item` with these intents (one, or one for each of two
        things asked) is right, judged on the answer as shown."""
        for intent_id in intent_ids:
            if intent_id not in self._shown:
                reply = self.responder.answer(intent_id, "", Lang.EN)
                self._shown[intent_id] = render.plain(reply)
        intents = [self.responder.intents[i] for i in intent_ids]
        return answers(item, intents, "\n".join(self._shown[i] for i in intent_ids))

    def weighed(self) -> list[tuple[Item, Question, list[Weighed] | None]]:
        """Every item read as the bot reads it. In a conversation set only the turns
        after the first are judged, each read with the context the earlier turns left."""
        out = []
        for turns in self.conversations:
            context: Context | None = None
            for n, item in enumerate(turns):
                question, weighed = self.responder.read(Question.prepare(item.question), context)
                if n or len(turns) == 1:
                    out.append((item, question, weighed))
                outcome = self.responder.outcome(question, weighed)
                offered = outcome.kind in (Kind.ANSWER, Kind.CLARIFY)
                intent_id = outcome.involved[0].match.intent_id if offered else None
                context = leaving(intent_id, bool(question.topic), context, float(n))
        return out

    def tally(
        self, weighed: list[tuple[Item, Question, list[Weighed] | None]], group: str = "all"
    ) -> tuple[Tally, list[str]]:
        counts: Counter[str] = Counter()
        misses: list[str] = []
        for item, question, candidates in weighed:
            if group != "all" and language(item) != group:
                continue
            outcome = self.responder.outcome(question, candidates)
            ok = self._count(counts, item, outcome)
            if not ok:
                top = candidates[0] if candidates else None
                best = f"{top.match.intent_id} p={top.probability:.2f}" if top else "-"
                misses.append(f"{item.kind:9} → {outcome.kind.value:9} {best:45} {item.question}")
        tally = Tally(**{f: counts[f] for f in Tally.__dataclass_fields__})
        return tally, misses

    def _count(self, counts: Counter[str], item: Item, outcome: Outcome) -> bool:
        ids = [w.match.intent_id for w in outcome.involved]
        answered = outcome.kind is Kind.ANSWER
        if item.kind == "smalltalk":
            counts["chats"] += 1
            counts["chats_ok"] += outcome.kind is Kind.SMALLTALK
            return outcome.kind is Kind.SMALLTALK
        if item.kind == "fallback":
            counts["refusals"] += 1
            counts["refused"] += not answered
            counts["false_answers"] += answered
            return not answered
        counts["facts"] += 1
        first = answered and self.right(item, *ids)
        counts["first_time"] += first
        counts["one_tap"] += first or (
            outcome.kind is Kind.CLARIFY and any(self.right(item, i) for i in ids)
        )
        counts["false_answers"] += answered and not first
        return first

    def report(self, sweep: bool = True) -> str:
        weighed = self.weighed()
        decision = self.responder.decision
        _, misses = self.tally(weighed)
        answer, clarify = decision.bars(False, True)
        follow_answer, follow_clarify = decision.bars(True, True)
        lines = [
            f"decision: answer at p >= {answer} (a longer message read by the clause that"
            f" asks: {decision.clause_answer}), options at p >= {decision.option},"
            f" which-of-these when the best has p >= {clarify}; read as a follow-up,"
            f" answer at p >= {follow_answer}, which-of-these from p >= {follow_clarify}",
        ]
        for group in GROUPS:
            t, _ = self.tally(weighed, group)
            if t.facts or t.refusals or t.chats:
                lines.append(f"{group:8} {t.line()}")
        lines += ["", f"misses ({len(misses)}): expected → got, best candidate", *misses]
        if sweep:
            lines += [
                "",
                "sweep: answer threshold for questions read alone"
                " | first time, refused, false answers | cost",
            ]
            for answer in SWEEP:
                self.responder.decision = replace(decision, answer=answer)
                t, _ = self.tally(weighed)
                lines.append(
                    f"  {answer:.2f} | {t.first_time}/{t.facts} {t.refused}/{t.refusals}"
                    f" {t.false_answers} | {t.cost}"
                )
            self.responder.decision = decision
        return "\n".join(lines)
