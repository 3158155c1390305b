"""The candidate intents for a question and the evidence the decision weighs.

The word matcher ranks the intents; for the first `CANDIDATES` of them, the
character ranker's scores, the closest labelled questions (`examples.py`), what
kind of answer is asked for, the message's length and language and, for a
follow-up reading, how the candidate relates to the intent followed become one row
of features each (`decision.features`). The responder and the build's training
read questions through this one function.
"""

from __future__ import annotations

from bot.answering import smalltalk
from bot.answering.asks import Asks, asks
from bot.answering.decision import CANDIDATES, Candidate, features, words_of
from bot.answering.matcher import Matcher
from bot.answering.question import Question
from bot.models import Lang

RANKED = 5  # intents the word matcher returns; the decision weighs the first CANDIDATES


def evidence(matcher: Matcher, question: Question) -> list[Candidate] | None:
    """The candidate intents for `question` with their evidence (see decision.py), or
    None when the message is plain small talk."""
    if smalltalk.classify(question.text) is not None:
        return None
    matches = matcher.rank(question, limit=RANKED)
    if not matches:
        return []
    words = matcher.words(question.asking)
    scores = matcher.chars.scores(words)
    chars = {i.id: float(v) for i, v in zip(matcher.intents, scores, strict=True)}
    seen = matcher.examples.scores(words)
    specific = asks(question.asking) is not Asks.ANYTHING
    vietnamese = question.lang is Lang.VI
    followed = question.following
    cited = matcher.articles.get(followed, frozenset()) if followed else frozenset()
    return [
        Candidate(
            m,
            features(
                m,
                n,
                matches,
                chars,
                (
                    seen.best[matcher.position[m.intent_id]],
                    seen.rival(matcher.position[m.intent_id]),
                    seen.refused,
                ),
                words=len(words),
                whole=question.whole,
                specific=specific,
                vietnamese=vietnamese,
                context=(
                    followed is not None,
                    m.intent_id == followed,
                    not cited.isdisjoint(matcher.articles[m.intent_id]),
                ),
            ),
            words_of(m),
        )
        for n, m in enumerate(matches[:CANDIDATES])
    ]
