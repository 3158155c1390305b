"""The candidate intents for a question and the evidence the decision weighs.

The word matcher ranks the intents; for the first `CANDIDATES` of them, the
character ranker's scores, the closest labelled questions (`examples.py`), what
kind of answer is asked for, the message's length and language and, for a
follow-up reading, how the candidate relates to the intent followed and the closest
labelled follow-ups (`examples.FollowUps`) become one row of features each
(`decision.features`); a long message is compared with the labelled questions both
by its asking clause and as a whole. The intent that answers the closest labelled
question, and for a follow-up reading the one that answered the closest labelled
follow-up on the same answer, are weighed too. The responder and the build's
training read questions through this one function.
"""

from __future__ import annotations

from bot.answering import smalltalk
from bot.answering.asks import Asks, asks
from bot.answering.decision import CANDIDATES, NOT_FOLLOWED, Candidate, features, words_of
from bot.answering.matcher import Matcher
from bot.answering.question import Question
from bot.models import Lang

RANKED = 5  # intents the word matcher returns; the decision weighs the first CANDIDATES


def evidence(matcher: Matcher, question: Question) -> list[Candidate] | None:
    """The candidate intents for `question` with their evidence (see decision.py), or
    None when the message is plain small talk."""
    if smalltalk.classify(question.text) is not None:
        return None
    words = matcher.words(question.asking)
    position = matcher.position
    followed = question.following
    asked = (
        matcher.follow_ups.scores(words, position[followed], matcher.kin[position[followed]])
        if followed
        else None
    )
    scores, seen = matcher.closeness(words)
    if not question.whole:
        # A long message may come closer to a labelled question as a whole than by
        # the clause that asks ("… I read UNDP thinks the literacy gap is a problem.
        # Where is it worst?").
        whole = matcher.seen(matcher.words(question.text))
        if max(whole.best, default=0.0) > max(seen.best, default=0.0):
            seen = whole
    # The intent that answers the closest labelled question is weighed too, however
    # the word matcher ranks it, and for a follow-up the one that answered the closest
    # labelled follow-up on the same topic.
    likeliest = {seen.likeliest, asked.likeliest if asked is not None else None}
    recalled = {matcher.intents[n].id for n in likeliest if n is not None}
    if not question.whole and followed is None:
        # The clause taken for the question may be the wrong one ("When exactly did it
        # take place?"): the intent the whole message fits best is weighed too.
        recalled.update(matcher.fits_whole(question))
    matches = matcher.rank(question, limit=RANKED, also=recalled)
    if not matches:
        return []
    chars = {i.id: v for i, v in zip(matcher.intents, scores, strict=True)}
    specific = asks(question.asking) is not Asks.ANYTHING
    vietnamese = question.lang is Lang.VI
    cited = matcher.articles.get(followed, frozenset()) if followed else frozenset()
    weighed = [*matches[:CANDIDATES], *(m for m in matches[CANDIDATES:] if m.intent_id in recalled)]
    return [
        Candidate(
            m,
            features(
                m,
                n,
                matches,
                chars,
                (
                    seen.best[position[m.intent_id]],
                    seen.rival(position[m.intent_id]),
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
                followed=asked.of(position[m.intent_id]) if asked else NOT_FOLLOWED,
            ),
            words_of(m),
        )
        for n, m in enumerate(weighed)
    ]
