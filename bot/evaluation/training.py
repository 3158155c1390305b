"""Training the decision at build time, from labelled question sets.

Every labelled question is run through both rankers; each of its top candidates
becomes one row of features (`decision.features`), labelled 1 when answering with
that candidate is right. A gradient-boosted tree ensemble learns the probability
of "right" from the rows. Its operating points come from 5-fold cross-validation
grouped by question, so they are chosen on predictions for questions the model
did not see:

- `answer`: the probability at which answering costs least, counting a false
  answer (a fact answered wrong, or an out-of-scope question answered at all) as
  `FALSE_ANSWER_COST` missed ones;
- `option` / `clarify`: the lowest probability that earns a place in "which of
  these?", chosen to put the right intent among the options as often as possible
  while asking out-of-scope questions "which of these?" rarely.

Deterministic: fixed seeds, no sampling, so the same inputs give the same facts.db.
scikit-learn is imported here only, at build time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.answering.context import follow_features
from bot.answering.decision import FEATURES, Candidate, Decision, Tree
from bot.answering.matcher import Matcher
from bot.answering.question import Question
from bot.answering.responder import evidence
from bot.evaluation.labelled import Item, right
from bot.models import Intent

FALSE_ANSWER_COST = 3
FOLDS = 5
TREES = 150
DEPTH = 3
RATE = 0.05
SEED = 0
LEXICON_C = 0.3  # L2 strength of the word model: few questions per word
GRID = tuple(round(0.05 + 0.01 * n, 2) for n in range(91))  # 0.05 … 0.95
OPTION_GRID = (0.005, 0.01, 0.02, 0.05, 0.1)


@dataclass(frozen=True, slots=True)
class Sample:
    """One labelled question: its candidates and which of them are right."""

    kind: str
    candidates: tuple[Candidate, ...]
    right: tuple[bool, ...]


def samples(
    matcher: Matcher, intents: Sequence[Intent], conversations: Sequence[Sequence[Item]]
) -> list[Sample]:
    """Every labelled question read alone; a conversation's later turns also read as
    follow-ups on the intent that answers the turn before, so the decision learns
    how much to trust a follow-up reading too."""
    by_id = {i.id: i for i in intents}
    found = []
    for turns in conversations:
        topic: Intent | None = None
        for item in turns:
            if item.kind == "smalltalk":
                continue
            question = Question.prepare(item.question)
            readings = [question] if topic is None else [question, question.about(topic.label)]
            for reading in readings:
                candidates = evidence(matcher, reading) or []
                found.append(
                    Sample(
                        item.kind,
                        tuple(candidates),
                        tuple(right(item, by_id[c.match.intent_id]) for c in candidates),
                    )
                )
            topic = next((i for i in intents if right(item, i)), None)
    return found


def untrained() -> Decision:
    """For a knowledge folder without labelled sets (a new project, a test fixture):
    answer when the word matcher's score reaches 76, as the hand-set rule did."""
    score = FEATURES.index("score")
    stump = Tree((score, -1, -1), (76.0, 0.0, 0.0), (1, -1, -1), (2, -1, -1), (0.0, -4.0, 4.0))
    return Decision(base=0.0, rate=1.0, trees=(stump,), answer=0.5, option=0.5, clarify=0.5)


def train(
    matcher: Matcher, intents: Sequence[Intent], conversations: Sequence[Sequence[Item]]
) -> Decision:
    """The decision learned from labelled `conversations` (a question set's items are
    conversations of one turn); `untrained()` when they hold no answerable fact."""
    found = [s for s in samples(matcher, intents, conversations) if s.candidates]
    if not any(any(s.right) for s in found) or all(all(s.right) for s in found):
        return untrained()
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    candidates = [c for s in found for c in s.candidates]
    labels = np.array([ok for s in found for ok in s.right], dtype=int)
    groups = np.array([n for n, s in enumerate(found) for _ in s.candidates])
    folds = list(GroupKFold(n_splits=FOLDS).split(candidates, labels, groups))
    words = [list(c.words) for c in candidates]

    def lexicon(fit: Sequence[int]) -> tuple[CountVectorizer, LogisticRegression]:
        vectorizer = CountVectorizer(binary=True, analyzer=lambda ws: ws, min_df=2)
        counts = vectorizer.fit_transform([words[n] for n in fit])
        return vectorizer, LogisticRegression(C=LEXICON_C, max_iter=5000).fit(
            counts, labels[list(fit)]
        )

    # The lexical feature of each row comes from a word model that did not see its
    # question, so the trees learn how far to trust it on new questions.
    lexical = np.zeros(len(candidates))
    for fit, test in folds:
        vectorizer, model_ = lexicon(fit.tolist())
        lexical[test] = model_.decision_function(vectorizer.transform([words[n] for n in test]))
    rows = np.column_stack([np.array([c.row for c in candidates]), lexical])

    def model() -> GradientBoostingClassifier:
        return GradientBoostingClassifier(
            n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE, random_state=SEED
        )

    held_out = np.zeros(len(rows))
    for fit, test in folds:
        held_out[test] = model().fit(rows[fit], labels[fit]).predict_proba(rows[test])[:, 1]
    per_question = _split(held_out.tolist(), found)
    answer = min(GRID, key=lambda t: (_answer_cost(found, per_question, t), -t))
    clarify, option = max(
        ((c, o) for c in GRID if c < answer for o in OPTION_GRID),
        key=lambda co: (_option_gain(found, per_question, answer, *co), co),
    )

    fitted = model().fit(rows, labels)
    prior = fitted.init_.class_prior_  # the log-odds of "right" before any tree
    vectorizer, words_model = lexicon(range(len(candidates)))
    weights = dict(zip(vectorizer.get_feature_names_out(), words_model.coef_[0], strict=True))
    decision = Decision(
        base=float(np.log(prior[1] / prior[0])),
        rate=RATE,
        trees=tuple(_tree(e[0].tree_) for e in fitted.estimators_),
        answer=answer,
        option=option,
        clarify=clarify,
        lexicon={str(w): round(float(v), 6) for w, v in sorted(weights.items()) if abs(v) >= 1e-4},
        lexicon_bias=round(float(words_model.intercept_[0]), 6),
    )
    ours = np.array([decision.probability_of(r) for r in rows.tolist()])
    if not np.allclose(ours, fitted.predict_proba(rows)[:, 1], atol=1e-9):
        raise RuntimeError("the stored trees do not reproduce scikit-learn's predictions")
    return decision


def _tree(tree: object) -> Tree:
    t = tree
    return Tree(
        tuple(int(f) for f in t.feature),  # type: ignore[attr-defined]
        tuple(float(x) for x in t.threshold),  # type: ignore[attr-defined]
        tuple(int(x) for x in t.children_left),  # type: ignore[attr-defined]
        tuple(int(x) for x in t.children_right),  # type: ignore[attr-defined]
        tuple(float(v[0][0]) for v in t.value),  # type: ignore[attr-defined]
    )


def _split(flat: list[float], found: Sequence[Sample]) -> list[list[float]]:
    out, at = [], 0
    for s in found:
        out.append(flat[at : at + len(s.candidates)])
        at += len(s.candidates)
    return out


def _best(probabilities: list[float]) -> int:
    return max(range(len(probabilities)), key=lambda n: probabilities[n])


def _answer_cost(found: Sequence[Sample], per_question: list[list[float]], at: float) -> int:
    cost = 0
    for s, p in zip(found, per_question, strict=True):
        best = _best(p)
        answered = p[best] >= at
        if s.kind == "fact" and not (answered and s.right[best]):
            cost += 1
        if answered and not s.right[best]:
            cost += FALSE_ANSWER_COST
    return cost


def _option_gain(
    found: Sequence[Sample],
    per_question: list[list[float]],
    answer: float,
    clarify: float,
    option: float,
) -> float:
    """Facts not answered whose right intent is offered, less half the out-of-scope
    questions and a quarter of the facts asked "which of these?" in vain."""
    gain = 0.0
    for s, p in zip(found, per_question, strict=True):
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


def train_follow(
    decision: Decision,
    matcher: Matcher,
    intents: Sequence[Intent],
    conversations: Sequence[Sequence[Item]],
) -> Decision:
    """`decision` with the follow-up model learned from labelled conversations.

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
            question = Question.prepare(item.question)
            alone = _likeliest(decision, matcher, question)
            together = None
            if n and context is not None and alone is not None:
                together = _likeliest(decision, matcher, question.about(by_id[context].label))
                ok = [
                    r is not None and _outcome_right(item, by_id, decision, r)
                    for r in (alone, together)
                ]
                if together is not None and ok[0] != ok[1]:
                    rows.append(
                        follow_features(
                            question.asking, alone[1], together[1], alone[0], together[0]
                        )
                    )
                    labels.append(int(ok[1]))
            for reading in (together, alone):
                if (
                    reading is not None
                    and reading[1] >= decision.answer
                    and (item.kind != "fact" or right(item, by_id[reading[0]]))
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


def _likeliest(
    decision: Decision, matcher: Matcher, question: Question
) -> tuple[str, float] | None:
    """The likeliest candidate's intent and probability, or None for small talk."""
    found = evidence(matcher, question)
    if found is None:
        return None
    scored = [(c.match.intent_id, decision.probability(c)) for c in found]
    return max(scored, key=lambda s: s[1], default=("", 0.0))


def _outcome_right(
    item: Item, by_id: dict[str, Intent], decision: Decision, reading: tuple[str, float]
) -> bool:
    answered = reading[1] >= decision.answer and reading[0] in by_id
    if item.kind == "fact":
        return answered and right(item, by_id[reading[0]])
    return not answered
