"""The decision's operating points, chosen on held-out predictions at build time.

`train` (training.py) predicts every labelled question with trees that did not see
it; here those predictions choose, for questions asked first and for follow-up
readings each:

- the answer bar: the probability at which answering costs least, counting a false
  answer (a fact answered wrong, or an out-of-scope question answered at all) as
  `FALSE_ANSWER_COST` missed ones, among the bars that leave `REFUSED` of the
  out-of-scope questions unanswered (the cost is flat near its least, so without
  this floor the bar could drift with the data into refusing too few). A question
  asked first has two: one for a message read whole, one for a longer message read
  by the clause that asks, whose probabilities run lower for the same accuracy
  (greetings and context around the question weaken its evidence);
- the "which of these?" bar and the option bar: the lowest probabilities that earn a
  place in "which of these?", chosen to put the right intent among the options as
  often as possible while asking out-of-scope questions rarely.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.answering.decision import FOLLOWING, WHOLE, Candidate

FALSE_ANSWER_COST = 5  # a false answer costs this many missed ones
REFUSED = 0.95  # the least share of out-of-scope questions an answer bar leaves unanswered
GRID = tuple(round(0.05 + 0.01 * n, 2) for n in range(91))  # 0.05 … 0.95
SMOOTHING = 3  # bars of the grid on either side whose costs an answer bar is judged with
OPTION_GRID = (0.005, 0.01, 0.02, 0.05, 0.1)
# What asking "which of these?" costs, in facts whose right intent it offers: asked of
# an out-of-scope question (not answered, but without a plain "the articles don't
# say"), and of a fact whose right intent is not among the options. A question the
# articles answer that gets no answer and no option is the costlier miss.
OFFERED_OUT_OF_SCOPE = 1 / 3
OFFERED_IN_VAIN = 0.25


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

    @property
    def whole(self) -> bool:
        """Whether the question is read whole, not by the clause that asks."""
        return not self.candidates or bool(self.candidates[0].row[WHOLE])


@dataclass(frozen=True, slots=True)
class Bars:
    """The operating points `Decision` keeps."""

    answer: float
    clarify: float
    option: float
    follow_answer: float
    follow_clarify: float
    clause_answer: float  # `answer` for a longer message read by the clause that asks


def operating_points(found: Sequence[Sample], held_out: list[float]) -> Bars:
    """The bars for `found`, whose candidates' held-out probabilities are `held_out`,
    in order."""
    scored = list(zip(found, _split(held_out, found), strict=True))
    opening = [(s, p) for s, p in scored if s.opening]
    followed_up = [(s, p) for s, p in scored if s.following]
    answer = _bar([(s, p) for s, p in opening if s.whole])
    clause_answer = _bar([(s, p) for s, p in opening if not s.whole])
    follow_answer = _bar(followed_up)

    def opening_bar(sample: Sample) -> float:
        return answer if sample.whole else clause_answer

    clarify, option = max(
        (
            (gain, c, o)
            for o in OPTION_GRID
            for c, gain in _option_gains(opening, opening_bar, o, min(answer, clause_answer))
        ),
    )[1:]
    follow_clarify = max(
        (gain, c)
        for c, gain in _option_gains(followed_up, lambda _: follow_answer, option, follow_answer)
    )[1]
    return Bars(answer, clarify, option, follow_answer, follow_clarify, clause_answer)


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
    those that leave at least `REFUSED` of the out-of-scope ones unanswered.

    Answered at bar t are the questions whose best probability reaches t; each costs
    1 when it is a fact not answered right and `FALSE_ANSWER_COST` when answered
    wrong, so the cost at each bar is a sum over the questions sorted by it. The cost
    is flat and ragged near its least (a question more or less moves it by a few), so
    each bar is judged by its mean cost over the bars `SMOOTHING` on either side: the
    middle of the low stretch, not wherever its deepest notch happens to fall."""
    outside = sorted(max(p) for s, p in scored if s.kind != "fact")
    kept = [t for t in GRID if bisect_left(outside, t) >= REFUSED * len(outside)]
    facts = sum(s.kind == "fact" for s, _ in scored)
    ranked = []  # each question's best probability, whether a fact, whether right
    for s, p in scored:
        n = _best(p)
        ranked.append((p[n], s.kind == "fact", s.right[n]))
    ranked.sort()
    bests = [b for b, _, _ in ranked]
    # From each position on: the facts answered right, less the cost of wrong answers.
    saved = [0]
    for _, fact, right in reversed(ranked):
        saved.append(saved[-1] + (1 if fact and right else 0 if right else -FALSE_ANSWER_COST))
    saved.reverse()
    costs = [facts - saved[bisect_left(bests, t)] for t in GRID]
    smoothed = {}
    for n, t in enumerate(GRID):
        near = costs[max(0, n - SMOOTHING) : n + SMOOTHING + 1]
        smoothed[t] = sum(near) / len(near)
    return min(kept or GRID[-1:], key=lambda t: (smoothed[t], -t))


def _option_gains(
    scored: Sequence[tuple[Sample, list[float]]],
    answer: Callable[[Sample], float],
    option: float,
    below: float,
) -> list[tuple[float, int]]:
    """For each "which of these?" bar of the grid under `below`, with this `option`
    bar: the facts not answered (at each one's `answer` bar) whose right intent is
    offered, less what asking "which of these?" costs for the out-of-scope questions
    and the facts asked it in vain, in twelfths (whole numbers, so that ties are
    exact)."""
    best: list[float] = []
    value: list[int] = []
    for s, p in scored:
        if max(p) >= answer(s):
            continue
        offered = [n for n in range(len(p)) if p[n] >= option]
        if len(offered) < 2:
            continue
        best.append(max(p))
        if s.kind != "fact":
            value.append(-round(12 * OFFERED_OUT_OF_SCOPE))
        elif any(s.right[n] for n in offered):
            value.append(12)
        else:
            value.append(-round(12 * OFFERED_IN_VAIN))
    # Sorted by best probability: a bar's gain is the sum over a suffix.
    order = sorted(range(len(best)), key=best.__getitem__)
    ranked = [best[n] for n in order]
    suffix = [0]
    for n in reversed(order):
        suffix.append(suffix[-1] + value[n])
    suffix.reverse()
    return [(c, suffix[bisect_left(ranked, c)]) for c in GRID if c < below]
