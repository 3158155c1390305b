"""The learned decision: how likely each candidate intent is to answer the question right.

Two rankers give evidence about each candidate: the word matcher (similarity,
coverage, precision, numbers and places, the kind of answer asked for) and the character
n-gram ranker (`ngrams.py`). `features` turns that evidence into one row of
numbers, plus one learned from words: a logistic regression over the question's
words that the candidate does not cover ("budget", "replaced", "population" left
uncovered tell of a near miss whatever the topic). A small gradient-boosted tree
ensemble, trained by `policybot build` on
the labelled question sets and stored in facts.db, turns the row into the
probability that answering with the candidate is right.

The trees are evaluated here, with NumPy, so the running bot never imports
scikit-learn; the build checks that this gives the same numbers as scikit-learn.
The thresholds on the probability come from cross-validation at build time, where
a false answer costs several missed ones.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answering.context import FOLLOW_FEATURES
from bot.answering.trees import Forest, Tree
from bot.models import Match

FEATURES = (
    "score",
    "coverage",
    "similarity",
    "precision",
    "unknown",
    "numbers",
    "elsewhere",  # the question names a place the candidate is not about (places.py)
    "unfit",
    "unfit_other",  # another question in the message asks what the candidate cannot give
    "restated",  # asked for a figure, the message states all its answer line's figures
    "margin",
    "rank",
    "chars",
    "chars_rank",
    "chars_margin",
    "agree",
    "example",  # the closest labelled question the candidate answers (examples.py)
    "example_margin",  # that, less the closest one only other intents answer
    "example_refused",  # the closest labelled question no intent answers, less "example"
    "words",
    "whole",
    "specific",
    "vietnamese",
    "own",  # coverage of the asking clause's own words
    "follow",  # the question is read as a follow-up on the chat's last answer
    "same",  # the candidate is that answer's intent
    "kin",  # the candidate cites an article that answer cites
    "follow_example",  # the closest labelled follow-up on that answer the candidate answers
    "follow_margin",  # that, less the closest one on that answer other intents answer
    "follow_near",  # the closest follow-up on an answer from the same article
    "follow_way",  # the closest follow-up on any answer that stayed on it, or moved away
    "follow_refused",  # the closest labelled follow-up nothing answers
    "lexical",  # added by `Decision.probabilities` from the candidate's words
)
FOLLOWING = FEATURES.index("follow")
WHOLE = FEATURES.index("whole")
# The labelled follow-ups' evidence (`follow_example` to `follow_refused`) of a message
# read on its own.
NOT_FOLLOWED = (0.0,) * (FEATURES.index("lexical") - FEATURES.index("follow_example"))
CANDIDATES = 3  # intents from the top of the word ranking that the decision weighs


@dataclass(frozen=True, slots=True)
class Candidate:
    """An intent proposed for a question, with its evidence: all features but the
    lexical one, and the words that feature is learned from."""

    match: Match
    row: tuple[float, ...]
    words: tuple[str, ...]


def words_of(match: Match) -> tuple[str, ...]:
    """The words the lexical feature weighs: those of the question the candidate
    does not cover."""
    return match.uncovered


def features(
    match: Match,
    rank: int,
    matches: Sequence[Match],
    chars: dict[str, float],
    examples: tuple[float, float, float],
    *,
    words: int,
    whole: bool,
    specific: bool,
    vietnamese: bool,
    context: tuple[bool, bool, bool] = (False, False, False),
    followed: tuple[float, ...] = NOT_FOLLOWED,
) -> tuple[float, ...]:
    """One candidate's evidence as numbers, in the order of FEATURES.

    `chars` maps intent ids to the character ranker's scores (all intents);
    `examples` are the candidate's closest labelled question, the closest one that
    only other intents answer, and the closest one no intent answers (`examples.py`);
    `words` is the number of content words of the asking clause; `whole` whether the
    clause is the whole message; `specific` whether a particular kind of answer is
    asked for (a sum, a date, a count…); `context` whether the question is read as a
    follow-up, whether the candidate is the intent it follows, and whether the two
    cite a common article; `followed`, for a follow-up, the labelled follow-ups'
    evidence (`examples.Followed.of`).
    """
    others = [m.score for m in matches if m is not match]
    own = chars.get(match.intent_id, 0.0)
    rivals = [v for k, v in chars.items() if k != match.intent_id]
    best_rival = max(rivals, default=0.0)
    example, rival, refused = examples
    return (
        match.score,
        match.coverage,
        match.similarity / 100,
        match.precision,
        match.unknown,
        float(match.numbers),
        float(match.elsewhere),
        float(bool(match.unfit)),
        float(match.unfit_other),
        float(match.restated),
        match.score - max(others, default=0.0),
        float(rank),
        own,
        float(min(sum(1 for v in rivals if v > own), 5)),
        own - best_rival,
        float(rank == 0 and own >= best_rival),
        example,
        example - rival,
        refused - example,
        math.log1p(words),
        float(whole),
        float(specific),
        float(vietnamese),
        match.own,
        *(float(flag) for flag in context),
        *followed,
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """The trained model and its operating points."""

    base: float  # the log-odds every prediction starts from
    rate: float  # the learning rate each tree's output is scaled by
    trees: tuple[Tree, ...]
    answer: float  # answer when the best candidate's probability reaches this
    option: float  # a candidate this likely is offered in "which of these?"
    clarify: float  # ask "which of these?" only when the best reaches this
    # `answer` for a longer message read by the clause that asks (Question.whole):
    # its evidence is weaker than a plain question's, and so is the bar that pays.
    clause_answer: float
    lexicon: dict[str, float] = field(default_factory=dict)  # word weights, see words_of
    lexicon_bias: float = 0.0
    follow: tuple[float, ...] = ()  # logistic weights over FOLLOW_FEATURES
    follow_bias: float = 0.0
    # The trees for questions read as follow-ups, learned from those readings alone.
    follow_trees: tuple[Tree, ...] = ()
    follow_base: float = 0.0
    follow_answer: float = 1.0  # `answer` for a question read as a follow-up
    follow_clarify: float = 1.0  # `clarify` for a question read as a follow-up
    forest: Forest = field(init=False, repr=False, compare=False)
    follow_forest: Forest = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "forest", Forest(self.trees))
        object.__setattr__(self, "follow_forest", Forest(self.follow_trees))

    def bars(self, following: bool, whole: bool) -> tuple[float, float]:
        """The probabilities of the best candidate from which it is answered, and from
        which "which of these?" is asked, for a question read alone or as a follow-up,
        read whole or by the clause that asks."""
        if following and self.follow_trees:
            return self.follow_answer, self.follow_clarify
        return self.answer if whole else self.clause_answer, self.clarify

    def follows(self, row: Sequence[float]) -> bool:
        """Whether a message is better read as a follow-up (see context.py)."""
        if not self.follow:
            return row[1] > row[0]  # untrained: the likelier reading
        raw = self.follow_bias + sum(w * x for w, x in zip(self.follow, row, strict=True))
        return raw > 0

    def lexical(self, words: Sequence[str]) -> float:
        """The word model's log-odds that the candidate is right."""
        get = self.lexicon.get
        return self.lexicon_bias + sum(get(w, 0.0) for w in words)

    def probabilities(self, candidates: Sequence[Candidate]) -> list[float]:
        """Each candidate's probability of being the right answer, in order."""
        if not candidates:
            return []
        return self.probabilities_of([[*c.row, self.lexical(c.words)] for c in candidates])

    def probabilities_of(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """The probability for each full feature row (FEATURES, the lexical one last);
        the rows of one question are all read alone or all read as a follow-up."""
        if self.follow_trees and rows and rows[0][FOLLOWING]:
            base, sums = self.follow_base, self.follow_forest.sums(rows)
        else:
            base, sums = self.base, self.forest.sums(rows)
        return [1.0 / (1.0 + math.exp(-(base + self.rate * total))) for total in sums]

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": FEATURES,
                "base": self.base,
                "rate": self.rate,
                "answer": self.answer,
                "option": self.option,
                "clarify": self.clarify,
                "clause_answer": self.clause_answer,
                "lexicon_bias": self.lexicon_bias,
                "lexicon": self.lexicon,
                "follow": self.follow,
                "follow_bias": self.follow_bias,
                "trees": _trees_json(self.trees),
                "follow_base": self.follow_base,
                "follow_answer": self.follow_answer,
                "follow_clarify": self.follow_clarify,
                "follow_trees": _trees_json(self.follow_trees),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Decision:
        """The decision stored in facts.db; ValueError if it was trained on other features."""
        data = json.loads(text)
        if tuple(data["features"]) != FEATURES or len(data["follow"]) not in (
            0,
            len(FOLLOW_FEATURES),
        ):
            raise ValueError("the stored decision was trained on other features")
        return cls(
            base=float(data["base"]),
            rate=float(data["rate"]),
            trees=_trees_of(data["trees"]),
            follow_trees=_trees_of(data["follow_trees"]),
            follow_base=float(data["follow_base"]),
            follow_answer=float(data["follow_answer"]),
            follow_clarify=float(data["follow_clarify"]),
            answer=float(data["answer"]),
            option=float(data["option"]),
            clarify=float(data["clarify"]),
            clause_answer=float(data["clause_answer"]),
            lexicon={str(k): float(v) for k, v in data["lexicon"].items()},
            lexicon_bias=float(data["lexicon_bias"]),
            follow=tuple(float(w) for w in data["follow"]),
            follow_bias=float(data["follow_bias"]),
        )


def _trees_json(trees: Sequence[Tree]) -> list[list[tuple[float, ...] | tuple[int, ...]]]:
    return [[t.feature, t.threshold, t.left, t.right, t.value] for t in trees]


def _trees_of(data: list[list[list[float]]]) -> tuple[Tree, ...]:
    return tuple(
        Tree(tuple(map(int, f)), tuple(t), tuple(map(int, left)), tuple(map(int, right)), tuple(v))
        for f, t, left, right, v in data
    )
