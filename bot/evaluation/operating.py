"""The decision's operating points, chosen on held-out predictions at build time.

`train` (training.py) predicts every labelled question with trees that did not see
it; here those predictions choose, for questions asked first and for follow-up
readings each:

- the answer bar: the probability at which answering costs least, counting a false
  answer (a fact answered wrong, or an out-of-scope question answered at all) as
  `FALSE_ANSWER_COST` missed ones, among the bars that leave `REFUSED` of the
  out-of-scope questions unanswered (the cost is flat near its least, so without
  this floor the bar could drift with the data into refusing too few);
- the "which of these?" bar and the option bar: the lowest probabilities that earn a
  place in "which of these?", chosen to put the right intent among the options as
  often as possible while asking out-of-scope questions rarely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.decision import FOLLOWING, Candidate

FALSE_ANSWER_COST = 3
REFUSED = 0.95  # the least share of out-of-scope questions an answer bar leaves unanswered
GRID = tuple(round(0.05 + 0.01 * n, 2) for n in range(91))  # 0.05 … 0.95
OPTION_GRID = (0.005, 0.01, 0.02, 0.05, 0.1)


@dataclass(frozen=True, slots=True)
class Sample:
    """One labelled question: its candidates and which of them are right."""

    kind: str
    candidates: tuple[Candidate, ...]
    right: tuple[bool, ...]
    opening: bool = True  # asked with no conversation before it
    fold: int = 0  # its conversation's cross-validation fold

    @property
    def following(self) -> bool:
        """Whether the question is read as a follow-up (and not alone)."""
        return bool(self.candidates and self.candidates[0].row[FOLLOWING])


@dataclass(frozen=True, slots=True)
class Bars:
    """The operating points `Decision` keeps."""

    answer: float
    clarify: float
    option: float
    follow_answer: float
    follow_clarify: float


def operating_points(found: Sequence[Sample], held_out: list[float]) -> Bars:
    """The bars for `found`, whose candidates' held-out probabilities are `held_out`,
    in order."""
    scored = list(zip(found, _split(held_out, found), strict=True))
    opening = [(s, p) for s, p in scored if s.opening]
    followed_up = [(s, p) for s, p in scored if s.following]
    answer, follow_answer = _bar(opening), _bar(followed_up)
    clarify, option = max(
        ((c, o) for c in GRID if c < answer for o in OPTION_GRID),
        key=lambda co: (_option_gain(opening, answer, *co), co),
    )
    follow_clarify = max(
        (c for c in GRID if c < follow_answer),
        key=lambda c: (_option_gain(followed_up, follow_answer, c, option), c),
    )
    return Bars(answer, clarify, option, follow_answer, follow_clarify)


def _split(flat: list[float], found: Sequence[Sample]) -> list[list[float]]:
    out, at = [], 0
    for s in found:
        out.append(flat[at : at + len(s.candidates)])
        at += len(s.candidates)
    return out


def _best(probabilities: list[float]) -> int:
    return max(range(len(probabilities)), key=lambda n: probabilities[n])


def _bar(scored: Sequence[tuple[Sample, list[float]]]) -> float:
    """The answer bar that costs least on these questions (the higher on a tie), among
    those that leave at least `REFUSED` of the out-of-scope ones unanswered."""
    best = [p[_best(p)] for s, p in scored if s.kind != "fact"]
    kept = [t for t in GRID if sum(b < t for b in best) >= REFUSED * len(best)]
    return min(kept or GRID[-1:], key=lambda t: (_answer_cost(scored, t), -t))


def _answer_cost(scored: Sequence[tuple[Sample, list[float]]], at: float) -> int:
    cost = 0
    for s, p in scored:
        best = _best(p)
        answered = p[best] >= at
        if s.kind == "fact" and not (answered and s.right[best]):
            cost += 1
        if answered and not s.right[best]:
            cost += FALSE_ANSWER_COST
    return cost


def _option_gain(
    scored: Sequence[tuple[Sample, list[float]]], answer: float, clarify: float, option: float
) -> float:
    """Facts not answered whose right intent is offered, less half the out-of-scope
    questions and a quarter of the facts asked "which of these?" in vain."""
    gain = 0.0
    for s, p in scored:
        if max(p) >= answer or max(p) < clarify:
            continue
        offered = [n for n in range(len(p)) if p[n] >= option]
        if len(offered) < 2:
            continue
        if s.kind != "fact":
            gain -= 0.5
        elif any(s.right[n] for n in offered):
            gain += 1
        else:
            gain -= 0.25
    return gain
