"""Training the decision at build time, from labelled question sets.

Every labelled question is run through both rankers; each of its top candidates
becomes one row of features (`decision.features`), labelled 1 when answering with
that candidate is right. A gradient-boosted tree ensemble learns the probability
of "right" from the rows; a second one learns it from the later turns of labelled
conversations read as follow-ups, whose evidence looks different (few words of
their own, the topic's words lent by the answer before). Each question's candidates
are also predicted by trees that did not see it (5-fold cross-validation grouped
by question), and those predictions choose the operating points (`operating.py`).

Deterministic: fixed seeds, no sampling, so the same inputs give the same facts.db.
scikit-learn is imported here only, at build time.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answering.decision import FEATURES, FOLLOWING, Decision
from bot.answering.evidence import evidence
from bot.answering.matcher import Matcher
from bot.answering.question import Question
from bot.answering.trees import Tree
from bot.evaluation.labelled import Item, right
from bot.evaluation.operating import Sample, operating_points
from bot.models import Intent

FOLDS = 5
TREES = 150
DEPTH = 3
RATE = 0.05
SEED = 0
UNRELATED = 4  # one out-of-scope question in this many is also read as a follow-up
LEXICON_C = 0.3  # L2 strength of the word model: few questions per word


def samples(
    matcher: Matcher, intents: Sequence[Intent], conversations: Sequence[Sequence[Item]]
) -> list[Sample]:
    """Every labelled question read alone; a conversation's later turns also read as
    follow-ups on the intent that answers the turn before, and one out-of-scope single
    question in `UNRELATED` as a follow-up on an unrelated intent, so the decision learns
    how much to trust a follow-up reading too."""
    by_id = {i.id: i for i in intents}
    found = []
    unrelated = 0
    for turns in conversations:
        topic: Intent | None = None
        for item in turns:
            if item.kind == "smalltalk":
                continue
            question = Question.prepare(item.question)
            readings = [question]
            if topic is not None:
                readings.append(question.about(topic))
            elif len(turns) == 1 and item.kind == "fallback":
                # Asked right after an answer on some other subject (a fixed pick, so the
                # build stays reproducible), it still has no answer.
                unrelated += 1
                if unrelated % UNRELATED == 0:
                    readings.append(question.about(intents[unrelated * 7 % len(intents)]))
            for n, reading in enumerate(readings):
                candidates = evidence(matcher, reading) or []
                found.append(
                    Sample(
                        item.kind,
                        tuple(candidates),
                        tuple(right(item, by_id[c.match.intent_id]) for c in candidates),
                        opening=n == 0 and topic is None,
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
    alone = [s for s in found if not s.following]
    if not any(any(s.right) for s in alone) or all(all(s.right) for s in alone):
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
    # It learns from readings alone: a follow-up's uncovered words include its topic's.
    following = np.array([c.row[FOLLOWING] > 0 for c in candidates])
    lexical = np.zeros(len(candidates))
    for fit, test in folds:
        vectorizer, model_ = lexicon(fit[~following[fit]].tolist())
        lexical[test] = model_.decision_function(vectorizer.transform([words[n] for n in test]))
    rows = np.column_stack([np.array([c.row for c in candidates]), lexical])

    def model() -> GradientBoostingClassifier:
        return GradientBoostingClassifier(
            n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE, random_state=SEED
        )

    # Questions read alone and questions read as follow-ups get trees of their own,
    # each learned from its kind of reading only, and a bar of their own.
    held_out = np.full(len(rows), 0.5)
    for part in (~following, following):
        for all_fit, all_test in folds:
            fit, test = all_fit[part[all_fit]], all_test[part[all_test]]
            if len(test) and len(set(labels[fit])) == 2:
                held_out[test] = model().fit(rows[fit], labels[fit]).predict_proba(rows[test])[:, 1]
    bars = operating_points(found, held_out.tolist())

    fitted = model().fit(rows[~following], labels[~following])
    prior = fitted.init_.class_prior_  # the log-odds of "right" before any tree
    followed = (
        model().fit(rows[following], labels[following])
        if len(set(labels[following])) == 2
        else None
    )
    follow_prior = followed.init_.class_prior_ if followed else prior
    vectorizer, words_model = lexicon(np.flatnonzero(~following).tolist())
    weights = dict(zip(vectorizer.get_feature_names_out(), words_model.coef_[0], strict=True))
    decision = Decision(
        base=float(np.log(prior[1] / prior[0])),
        rate=RATE,
        trees=tuple(_tree(e[0].tree_) for e in fitted.estimators_),
        answer=bars.answer,
        option=bars.option,
        clarify=bars.clarify,
        lexicon={str(w): round(float(v), 6) for w, v in sorted(weights.items()) if abs(v) >= 1e-4},
        lexicon_bias=round(float(words_model.intercept_[0]), 6),
        follow_trees=tuple(_tree(e[0].tree_) for e in followed.estimators_) if followed else (),
        follow_base=float(np.log(follow_prior[1] / follow_prior[0])),
        follow_answer=bars.follow_answer,
        follow_clarify=bars.follow_clarify,
    )
    for part, trained in ((~following, fitted), (following, followed)):
        if trained is None or not part.any():
            continue
        ours = np.array(decision.probabilities_of(rows[part].tolist()))
        if not np.allclose(ours, trained.predict_proba(rows[part])[:, 1], atol=1e-9):
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
