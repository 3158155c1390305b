"""Training the decision at build time, from labelled question sets.

Every labelled question is run through both rankers; each of its top candidates
becomes one row of features (`decision.features`), labelled 1 when answering with
that candidate is right. A gradient-boosted tree ensemble (scikit-learn's
histogram-based one, which bins each feature once and so fits in about a second
where the exact one took several) learns the probability of "right" from the rows;
a second one learns it from the later turns of labelled
conversations read as follow-ups, whose evidence looks different (few words of
their own, the topic's words lent by the answer before). Each question's candidates
are also predicted by trees that did not see it (4-fold cross-validation grouped
by conversation, the folds that also leave its question out of the examples), and those
predictions choose the operating points (`operating.py`).

Deterministic: fixed seeds (the features a split may choose from are drawn with one),
no sampling of rows and no early stopping, so the same inputs give the same
facts.db, however many processes read the labelled questions or threads fit.
scikit-learn is imported here only, at build time.
"""

from __future__ import annotations

import multiprocessing
import os
import zlib
from collections import Counter
from collections.abc import Sequence

from bot.answering.decision import FEATURES, FOLLOWING, Candidate, Decision
from bot.answering.evidence import evidence
from bot.answering.examples import Examples, FollowUps
from bot.answering.matcher import Matcher
from bot.answering.question import Question
from bot.answering.trees import Tree
from bot.evaluation.labelled import Item, Judge
from bot.evaluation.operating import Sample, operating_points
from bot.models import Intent

FOLDS = 4
TREES = 160
DEPTH = 4
LEAVES = 2**DEPTH
RATE = 0.09
FEATURE_SHARE = 0.4  # each split is chosen among this share of the features, drawn by SEED
LEAST_LEAF = 20  # rows a leaf may hold, at least
# L2 penalty on a leaf's value: with LEAST_LEAF, it keeps a leaf of a few rows the trees
# are already sure of from taking an extreme value that decides alone against all else.
L2 = 1.0
SEED = 0
UNRELATED = 4  # one out-of-scope question in this many is also read as a follow-up
LEXICON_C = 0.3  # L2 strength of the word model: few questions per word
LONE_SHARE = 8  # a word in the phrasings of one intent in this many is no question alone


def fold_of(turns: Sequence[Item]) -> int:
    """The cross-validation fold of a labelled conversation, from its first question:
    the same question falls in the same fold in every set."""
    return zlib.crc32(turns[0].question.encode() if turns else b"") % FOLDS


class Held:
    """For each fold, the matcher whose examples leave that fold's conversations out
    (`remember`), reading each question once however often training asks; and which
    intents answer each labelled question (`judge`)."""

    def __init__(self, matchers: Sequence[Matcher], judge: Judge) -> None:
        self._matchers = tuple(matchers)
        self.judge = judge
        self._read: dict[tuple[int, Question], list[Candidate] | None] = {}

    @property
    def read(self) -> dict[tuple[int, Question], list[Candidate] | None]:
        """The evidence read so far, by fold and question."""
        return self._read

    def learn(self, read: dict[tuple[int, Question], list[Candidate] | None]) -> None:
        """Keep evidence read elsewhere (another process) by the same matchers."""
        self._read.update(read)

    def evidence(self, turns: Sequence[Item], question: Question) -> list[Candidate] | None:
        """`evidence` for `question`, asked in `turns`, from the matcher of its fold."""
        key = (fold_of(turns), question)
        if key not in self._read:
            self._read[key] = evidence(self._matchers[key[0]], question)
        return self._read[key]


def remember(
    matcher: Matcher, intents: Sequence[Intent], conversations: Sequence[Sequence[Item]]
) -> tuple[Matcher, Held]:
    """`matcher` with the opening questions of `conversations` and the intents'
    phrasings as its examples (`examples.py`), and the later turns as its follow-ups,
    each on the intent that answers the turn before; and for each fold, with the
    phrasings and the questions of the other folds only."""
    opening: list[tuple[int, int | None, list[str]]] = []
    following: list[tuple[int, int, int | None, list[str]]] = []
    judge = Judge(intents)
    for turns in conversations:
        fold = fold_of(turns)
        topic: int | None = None
        for n, item in enumerate(turns):
            words = matcher.words(Question.prepare(item.question).asking)
            answering = judge.answering(item)
            # Out of scope, or chatter: nothing answers it.
            kept: list[int | None] = [*answering] if item.kind == "fact" else [None]
            if n == 0:
                opening.extend((fold, k, words) for k in kept)
            elif item.kind == "smalltalk":
                continue  # chatter leaves the conversation's topic as it was (`samples`)
            elif topic is not None:
                following.extend((fold, topic, k, words) for k in kept)
            topic = answering[0] if answering else None

    # The curated phrasings are questions whose intent is known too, in every fold
    # (`policybot learn` adds the questions users tapped).
    opening.extend(
        (FOLDS, n, matcher.words(Question.prepare(text).asking))
        for n, intent in enumerate(intents)
        for text in intent.phrasings
    )

    def of(leaving: int | None) -> Matcher:
        return matcher.remembering(
            Examples.of([(n, w) for f, n, w in opening if f != leaving], len(intents)),
            FollowUps.of([(t, n, w) for f, t, n, w in following if f != leaving], len(intents)),
        )

    return of(None), Held([of(f) for f in range(FOLDS)], judge)


def lone_words(matcher: Matcher, intents: Sequence[Intent]) -> list[list[Item]]:
    """A word that the phrasings of many intents share ("Vietnam", "digital"), sent
    alone, asks for nothing in particular: each becomes a labelled question that
    nothing answers, as conversations of one turn."""
    shared: Counter[str] = Counter()
    for intent in intents:
        shared.update({w for text in intent.phrasings for w in matcher.words(text)})
    return [
        [Item(word, "fallback", (), (), conflict=False)]
        for word, count in sorted(shared.items())
        if count * LONE_SHARE >= len(intents)
    ]


def samples(
    held: Held, intents: Sequence[Intent], conversations: Sequence[Sequence[Item]]
) -> list[Sample]:
    """Every labelled question read alone; a conversation's later turns also read as
    follow-ups on the intent that answers the turn before, and one out-of-scope single
    question in `UNRELATED` as a follow-up on an unrelated intent, so the decision learns
    how much to trust a follow-up reading too. Each conversation is read by the matcher
    of its fold, whose examples do not include it.

    Reading is most of the build's work, and Python's: where the system can fork,
    the conversations are shared out among processes, one per core, and what each
    read joins `held` (the same samples, in the same order, as one process reads)."""
    workers = min(os.cpu_count() or 1, len(conversations) // _SHARE)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _samples(held, intents, conversations)
    # Small shares, handed out as processes come free: some conversations are long.
    before = [0]
    for turns in conversations:
        before.append(before[-1] + _unrelated(turns))
    shares = [
        (start, start + _SHARE, before[start]) for start in range(0, len(conversations), _SHARE)
    ]
    _FORKED.append((held, intents, conversations))
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_part, shares, chunksize=1)
    finally:
        _FORKED.clear()
    for _, read in parts:
        held.learn(dict(read))
    return [s for found, _ in parts for s in found]


_SHARE = 100  # conversations worth a process of their own
# What `samples` hands to the processes it forks (they inherit it).
_FORKED: list[tuple[Held, Sequence[Intent], Sequence[Sequence[Item]]]] = []


def _part(
    share: tuple[int, int, int],
) -> tuple[list[Sample], list[tuple[tuple[int, Question], list[Candidate] | None]]]:
    """In a forked process: the samples of a share of the conversations (from, to and
    how many single out-of-scope questions come before), and the evidence read."""
    held, intents, conversations = _FORKED[0]
    start, stop, unrelated = share
    read = len(held.read)
    found = _samples(held, intents, conversations[start:stop], unrelated)
    return found, list(held.read.items())[read:]


def _unrelated(turns: Sequence[Item]) -> bool:
    """Whether `turns` is a single out-of-scope question (some are also read as a
    follow-up on an unrelated answer, see `samples`)."""
    return len(turns) == 1 and turns[0].kind == "fallback"


def _samples(
    held: Held,
    intents: Sequence[Intent],
    conversations: Sequence[Sequence[Item]],
    unrelated: int = 0,
) -> list[Sample]:
    """`samples`, of conversations after `unrelated` single out-of-scope questions."""
    position = {i.id: n for n, i in enumerate(intents)}
    found = []
    for turns in conversations:
        fold = fold_of(turns)
        topic: Intent | None = None
        for item in turns:
            answering = held.judge.answering(item)
            question = Question.prepare(item.question)
            readings = [question]
            if item.kind == "smalltalk":
                # Chatter that the small-talk rules miss is not answered either; it
                # leaves the conversation's topic as it was.
                chatter = tuple(held.evidence(turns, question) or ())
                found.append(Sample(item.kind, chatter, (False,) * len(chatter), fold=fold))
                continue
            if topic is not None:
                readings.append(question.about(topic))
            elif _unrelated(turns):
                # Asked right after an answer on some other subject (a fixed pick, so the
                # build stays reproducible), it still has no answer.
                unrelated += 1
                if unrelated % UNRELATED == 0:
                    readings.append(question.about(intents[unrelated * 7 % len(intents)]))
            for n, reading in enumerate(readings):
                candidates = held.evidence(turns, reading) or []
                found.append(
                    Sample(
                        item.kind,
                        tuple(candidates),
                        tuple(position[c.match.intent_id] in answering for c in candidates),
                        opening=n == 0 and topic is None,
                        fold=fold,
                    )
                )
            topic = intents[answering[0]] if answering else None
    return found


def untrained() -> Decision:
    """For a knowledge folder without labelled sets (a new project, a test fixture):
    answer when the word matcher's score reaches 76, as the hand-set rule did."""
    score = FEATURES.index("score")
    stump = Tree((score, -1, -1), (76.0, 0.0, 0.0), (1, -1, -1), (2, -1, -1), (0.0, -4.0, 4.0))
    return Decision(
        base=0.0, rate=1.0, trees=(stump,), answer=0.5, option=0.5, clarify=0.5, clause_answer=0.5
    )


def train(
    held: Held, intents: Sequence[Intent], conversations: Sequence[Sequence[Item]]
) -> Decision:
    """The decision learned from labelled `conversations` (a question set's items are
    conversations of one turn), each read by its fold's matcher (`remember`);
    `untrained()` when they hold no answerable fact."""
    found = [s for s in samples(held, intents, conversations) if s.candidates]
    alone = [s for s in found if not s.following]
    if not any(any(s.right) for s in alone) or all(all(s.right) for s in alone):
        return untrained()
    import numpy as np
    import numpy.typing as npt
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    candidates = [c for s in found for c in s.candidates]
    labels = np.array([ok for s in found for ok in s.right], dtype=int)
    fold_rows = np.array([s.fold for s in found for _ in s.candidates])
    # The examples' folds: no row is predicted by trees or words that saw its question.
    folds = [(np.flatnonzero(fold_rows != f), np.flatnonzero(fold_rows == f)) for f in range(FOLDS)]
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

    def boost(part: npt.NDArray[np.intp]) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=TREES,
            max_depth=DEPTH,
            max_leaf_nodes=LEAVES,
            min_samples_leaf=LEAST_LEAF,
            l2_regularization=L2,
            learning_rate=RATE,
            random_state=SEED,
            max_features=FEATURE_SHARE,
            early_stopping=False,
        ).fit(rows[part], labels[part])

    # Questions read alone and questions read as follow-ups get trees of their own,
    # each learned from its kind of reading only, and a bar of their own.
    held_out = np.full(len(rows), 0.5)
    tested = []
    for part in (~following, following):
        for all_fit, all_test in folds:
            fit_rows, test = all_fit[part[all_fit]], all_test[part[all_test]]
            if len(test) and len(set(labels[fit_rows])) == 2:
                tested.append((fit_rows, test))
    final = [np.flatnonzero(~following)]
    if len(set(labels[following])) == 2:
        final.append(np.flatnonzero(following))
    # Each fit uses the machine's cores itself, and its result depends on its rows and
    # seed alone.
    fitted_all = [boost(part) for part in [*final, *(f for f, _ in tested)]]
    for (_, test), trained in zip(tested, fitted_all[len(final) :], strict=True):
        held_out[test] = trained.predict_proba(rows[test])[:, 1]
    bars = operating_points(found, held_out.tolist())

    fitted = fitted_all[0]
    followed = fitted_all[1] if len(final) == 2 else None
    vectorizer, words_model = lexicon(np.flatnonzero(~following).tolist())
    weights = dict(zip(vectorizer.get_feature_names_out(), words_model.coef_[0], strict=True))
    decision = Decision(
        base=_base(fitted),
        rate=1.0,  # the trees' leaves hold their values already scaled by RATE
        trees=_trees(fitted),
        answer=bars.answer,
        option=bars.option,
        clarify=bars.clarify,
        clause_answer=bars.clause_answer,
        lexicon={str(w): round(float(v), 6) for w, v in sorted(weights.items()) if abs(v) >= 1e-4},
        lexicon_bias=round(float(words_model.intercept_[0]), 6),
        follow_trees=_trees(followed) if followed else (),
        follow_base=_base(followed or fitted),
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


def _base(model: object) -> float:
    """The log-odds of "right" a fitted ensemble starts from, before any tree."""
    return float(model._baseline_prediction.ravel()[0])  # type: ignore[attr-defined]


def _trees(model: object) -> tuple[Tree, ...]:
    """A fitted ensemble's trees as node arrays (`trees.Tree`). scikit-learn keeps them
    in a private attribute; `train` checks that the arrays give its predictions."""
    found = []
    for (predictor,) in model._predictors:  # type: ignore[attr-defined]
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        found.append(
            Tree(
                tuple(
                    -1 if at_leaf else int(f)
                    for f, at_leaf in zip(nodes["feature_idx"], leaf, strict=True)
                ),
                tuple(float(x) for x in nodes["num_threshold"]),
                tuple(int(x) for x in nodes["left"]),
                tuple(int(x) for x in nodes["right"]),
                tuple(float(v) for v in nodes["value"]),
            )
        )
    return tuple(found)
