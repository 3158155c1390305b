"""Training the follow-up reading at build time, from labelled conversations.

Every turn after the first is read alone and as a follow-up on the intent the
conversation was answered last (`context.py`); a logistic model over
`FOLLOW_FEATURES` learns which reading to trust. scikit-learn is imported here
only at build time, as in `training.py`.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import replace

from bot.answering.context import Best, follow_features
from bot.answering.decision import Candidate, Decision
from bot.answering.question import Question
from bot.answering.responder import answered, best, ranked
from bot.evaluation.labelled import Item
from bot.evaluation.training import Held
from bot.models import Intent


def train_follow(
    decision: Decision,
    held: Held,
    intents: Sequence[Intent],
    conversations: Sequence[Sequence[Item]],
) -> Decision:
    """`decision` with the follow-up model learned from labelled conversations, each
    read by its fold's matcher (`training.remember`).

    Every turn after the first is read alone and as a follow-up on the intent the
    conversation was answered last; where exactly one reading gives the right outcome
    (the right answer for a fact, no answer for an out-of-scope question), that
    reading is the label. Without such turns, `decision` is returned unchanged (the
    likelier reading wins).
    """
    by_id = {i.id: i for i in intents}
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    for turns in conversations:
        context: str | None = None
        for n, item in enumerate(turns):
            answering = {intents[k].id for k in held.judge.answering(item)}
            question = Question.prepare(item.question)
            # The bars (answer, "which of these?") alone and as a follow-up.
            alone_bars = decision.bars(False, question.whole)
            together_bars = decision.bars(True, question.whole)
            bars = alone_bars[0], together_bars[0]
            alone = _likeliest(decision, held.evidence(turns, question))
            together = None
            if n and context is not None and alone is not None:
                follow_up = question.about(by_id[context])
                together = _likeliest(decision, held.evidence(turns, follow_up))
                ok = [
                    r is not None and _outcome_right(item, answering, reading_bars, r)
                    for r, reading_bars in ((alone, alone_bars), (together, together_bars))
                ]
                # Where neither reading is answered the responder takes the one
                # further past its "which of these?" bar; the model learns the rest.
                if together is not None and ok[0] != ok[1] and answered(alone, together, bars):
                    rows.append(follow_features(question.asking, alone, together, bars))
                    labels.append(int(ok[1]))
            for reading in (together, alone):
                if (
                    reading is not None
                    and reading[0] is not None
                    and reading[1] >= (bars[1] if reading is together else bars[0])
                    and (item.kind != "fact" or reading[0] in answering)
                ):
                    context = reading[0]
                    break
    if len(set(labels)) < 2:
        return decision
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=5000).fit(rows, labels)
    return replace(
        decision,
        follow=tuple(round(float(w), 6) for w in model.coef_[0]),
        follow_bias=round(float(model.intercept_[0]), 6),
    )


def _likeliest(decision: Decision, found: Sequence[Candidate] | None) -> Best | None:
    """The likeliest candidate as the responder ranks them, or None for small talk."""
    return None if found is None else best(ranked(decision, found))


def _outcome_right(
    item: Item, answering: Set[str], bars: tuple[float, float], reading: Best
) -> bool:
    """Whether the reading gets `item` the right outcome at its `bars` (answer, "which
    of these?"): a fact answered right (by one of the intents `answering` it), or a
    question the articles don't answer refused (not offered as "which of these?")."""
    answer, clarify = bars
    if item.kind == "fact":
        return reading[1] >= answer and reading[0] in answering
    return reading[1] < clarify
