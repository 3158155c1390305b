"""Turning a question into a `Reply`: answer, "which of these?", "I don't know" or chat.

The word matcher and the character ranker propose candidates; the learned
decision (`decision.py`) gives each the probability that answering with it is
right. The best answers when that probability clears the bar set at build time;
otherwise several plausible candidates become a "which of these?" (never a
single option, which would only restate the question), and anything else is an
honest "the articles don't say", naming what is missing when the question asked
for something specific that the closest topic does not give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot.answering import messages, smalltalk
from bot.answering.context import Best, Context, follow_features
from bot.answering.decision import Candidate, Decision
from bot.answering.evidence import evidence
from bot.answering.matcher import UNFIT_COVERAGE, Matcher
from bot.answering.question import Question
from bot.answering.search import SentenceIndex
from bot.models import (
    Chat,
    Citation,
    Intent,
    Kind,
    Knowledge,
    Lang,
    Match,
    Passage,
    Reply,
    Suggestion,
)
from bot.text import content_tokens, is_number, tokens

MAX_SUGGESTIONS = 3
POINTER_MIN_WORDS = 2
ON_TOPIC = 0.6  # coverage from which a refusal names what the closest intent lacks
CERTAIN = 0.99  # probabilities from which candidates count as equally likely
TIED = 2  # decimals of a probability that tell candidates apart: 0.967 and 0.9669 tie


class PassageSearch(SentenceIndex, Protocol):
    """The full-text search the fallback uses to point at a close sentence (and /search,
    through `SentenceIndex`)."""

    async def search(self, words: Sequence[str], limit: int = 3) -> list[tuple[Passage, float]]: ...


@dataclass(frozen=True, slots=True)
class Weighed:
    """A candidate intent with its evidence and the decision's probability."""

    match: Match
    probability: float


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to reply: the kind, the intents involved (best first), the chat, what is missing."""

    kind: Kind
    involved: tuple[Weighed, ...] = ()
    chat: Chat | None = None
    missing: str | None = None


def _not_given(match: Match) -> bool:
    """Whether the question names a figure, year or place the intent does not give."""
    return match.numbers or match.elsewhere


def _on_topic(match: Match) -> bool:
    """Whether the question is about the intent's subject (it knows most of the
    question's words, before the penalty for lacking what is asked)."""
    known = match.coverage / UNFIT_COVERAGE if match.unfit else match.coverage
    return known >= ON_TOPIC


class Responder:
    """Turns a question into a `Reply`; the one place answers are decided."""

    def __init__(
        self, knowledge: Knowledge, matcher: Matcher, search: PassageSearch, decision: Decision
    ) -> None:
        self.knowledge = knowledge
        self.matcher = matcher
        self.search = search
        self.decision = decision
        self.intents = {i.id: i for i in knowledge.intents}
        self._by_topic: dict[str, list[Intent]] = {}
        for intent in knowledge.intents:
            self._by_topic.setdefault(intent.topic, []).append(intent)

    def weigh(self, question: Question) -> list[Weighed] | None:
        """The candidates for `question`, likeliest first, or None for plain small talk."""
        found = evidence(self.matcher, question)
        return None if found is None else ranked(self.decision, found)

    def read(
        self, question: Question, context: Context | None
    ) -> tuple[Question, list[Weighed] | None]:
        """The question as it is best read, alone or as a follow-up on `context`, with
        its weighed candidates."""
        alone = self.weigh(question)
        topic = self.intents.get(context.intent_id) if context is not None else None
        if alone is None or topic is None:
            return question, alone
        follow_up = question.about(topic)
        together = self.weigh(follow_up) or []
        if self._follows(question, alone, together):
            return follow_up, together
        return question, alone

    def _follows(self, question: Question, alone: list[Weighed], together: list[Weighed]) -> bool:
        """Whether the follow-up reading (`together`) wins over the reading alone."""
        # The answer bars of the reading alone and of the follow-up reading.
        alone_bars = self.decision.bars(False, question.whole)
        together_bars = self.decision.bars(True, question.whole)
        bars = alone_bars[0], together_bars[0]
        if alone and together and alone[0].match.intent_id == together[0].match.intent_id:
            # Both readings pick the same intent: the one surer of it by its bar wins.
            return alone[0].probability - bars[0] <= together[0].probability - bars[1]
        if alone and alone[0].probability >= bars[0] and alone[0].match.own > best(together)[2]:
            # Answered on its own words, more of which the answer knows than the
            # follow-up reading's best does: a new question, not a follow-up.
            return False
        if not answered(best(alone), best(together), bars):
            # Neither reading is answered: the one further past its "which of these?"
            # bar offers the likelier options.
            return best(together)[1] - together_bars[1] > best(alone)[1] - alone_bars[1]
        row = follow_features(question.asking, best(alone), best(together), bars)
        return self.decision.follows(row)

    def outcome(self, question: Question, weighed: list[Weighed] | None) -> Outcome:
        """The decision for weighed candidates."""
        if weighed is None:
            return Outcome(Kind.SMALLTALK, chat=smalltalk.classify(question.text))
        if (shaped := self._by_shape(question)) is not None:
            return shaped
        answer, clarify = self.decision.bars(question.following is not None, question.whole)
        best = weighed[0] if weighed else None
        # A figure, year or place asked about that the intent does not give is never
        # answered.
        if best is not None and best.probability >= answer and not _not_given(best.match):
            return Outcome(Kind.ANSWER, (best,))
        # A short "thanks, that helps" that fits no intent is chatter, not a question;
        # so is a longer message asking what the bot can do.
        chat = smalltalk.mentions(question.text)
        if chat is not None or smalltalk.asks_help(question.text):
            return Outcome(Kind.SMALLTALK, chat=chat or Chat.HELP)
        options = tuple(w for w in weighed if w.probability >= self.decision.option)
        if best is not None and best.probability >= clarify and len(options) > 1:
            return Outcome(Kind.CLARIFY, options[:MAX_SUGGESTIONS])
        return _unanswered(question, weighed)

    def _by_shape(self, question: Question) -> Outcome | None:
        """The outcome a message's shape decides: a longer one whose asking clause only
        asks what the bot can do ("I'm new to the topic… what kind of things can you help
        me with?"), or one asking two things that are each answered on their own."""
        if not question.whole and smalltalk.asks_only_help(question.asking):
            return Outcome(Kind.SMALLTALK, chat=Chat.HELP)
        if (both := self._both(question)) is not None:
            return Outcome(Kind.ANSWER, both)
        return None

    def _both(self, question: Question) -> tuple[Weighed, ...] | None:
        """For a message read alone that asks two things (`Question.parts`), the intents
        answering them when each thing is answered on its own: one intent when both
        are answered by the same one, else the two. Of two different intents, one may
        fall short of its answer bar if it clears the "which of these?" bar: alone it
        would be offered, and beside a sure answer to the other thing it is the likely
        reading of the second."""
        if question.following is not None:
            return None
        found: list[Weighed] = []
        short = 0  # parts whose best falls short of their answer bar
        for part in question.parts():
            weighed = self.weigh(part)
            top = weighed[0] if weighed else None
            if top is None or _not_given(top.match):
                return None
            answer, clarify = self.decision.bars(False, part.whole)
            if top.probability < answer:
                if top.probability < clarify:
                    return None
                short += 1
            if not found or found[0].match.intent_id != top.match.intent_id:
                found.append(top)
        if short and (short > 1 or len(found) < 2):
            return None
        return tuple(found) or None

    async def reply(
        self, text: str, hint: Lang | None = None, context: Context | None = None
    ) -> Reply:
        """The reply to `text`; `hint` is the user's language, `context` what the chat
        was answered last (the caller keeps it, see context.py)."""
        question, weighed = self.read(Question.prepare(text, hint), context)
        lang = question.lang
        outcome = self.outcome(question, weighed)
        involved = outcome.involved
        if outcome.kind is Kind.SMALLTALK:
            return self.chat(question.received, lang, outcome.chat)
        if outcome.kind is Kind.ANSWER:
            best = involved[0]
            reply = self.answer(
                best.match.intent_id, question.received, lang, round(100 * best.probability, 1)
            )
            for also in involved[1:]:  # the second of two things asked
                more = self.answer(also.match.intent_id, question.received, lang)
                reply = replace(
                    reply,
                    answer=f"{reply.answer}\n\n{more.answer}",
                    citations=tuple(dict.fromkeys((*reply.citations, *more.citations))),
                )
            return replace(reply, follow_up=bool(question.topic))
        if outcome.kind is Kind.CLARIFY:
            return Reply(
                question.received,
                Kind.CLARIFY,
                lang,
                confidence=round(100 * involved[0].probability, 1),
                intent_id=involved[0].match.intent_id,
                suggestions=tuple(
                    self.suggestion(self.intents[w.match.intent_id], lang) for w in involved
                ),
                follow_up=bool(question.topic),
            )
        return await self.fallback(question, outcome)

    def chat(self, question: str, lang: Lang, chat: Chat | None) -> Reply:
        """The reply to small talk, saying how many articles the bot answers from."""
        chat = chat or Chat.EMPTY
        count = len(self.knowledge.articles)
        text = messages.chat_text(chat, lang, count)
        return Reply(question, Kind.SMALLTALK, lang, answer=text, chat=chat)

    def answer(self, intent_id: str, question: str, lang: Lang, score: float = 100.0) -> Reply:
        """The answer of one intent, e.g. after a clarify choice; KeyError if unknown."""
        intent = self.intents[intent_id]
        citations = tuple(Citation(f.quote, self.knowledge.articles[f.seed]) for f in intent.facts)
        return Reply(
            question,
            Kind.ANSWER,
            lang,
            confidence=score,
            intent_id=intent.id,
            answer=intent.answer_in(lang),
            citations=citations,
            related=self.related(intent, lang),
        )

    def suggestion(self, intent: Intent, lang: Lang) -> Suggestion:
        label = intent.vi[0] if lang is Lang.VI else intent.label
        return Suggestion(intent.id, label)

    def related(self, intent: Intent, lang: Lang) -> tuple[Suggestion, ...]:
        """The intents that follow this one in its topic, wrapping round."""
        group = self._by_topic[intent.topic]
        start = group.index(intent)
        others = [*group[start + 1 :], *group[:start]][:MAX_SUGGESTIONS]
        return tuple(self.suggestion(i, lang) for i in others)

    async def fallback(self, question: Question, outcome: Outcome) -> Reply:
        best = outcome.involved[0] if outcome.involved else None
        confidence = round(100 * best.probability, 1) if best else 0.0
        pointer: Citation | None
        if outcome.missing is not None and best is not None:
            # What the closest topic does say, shown as a pointer, never as an answer.
            fact = self.intents[best.match.intent_id].facts[0]
            pointer = Citation(fact.quote, self.knowledge.articles[fact.seed])
        else:
            pointer = await self.pointer(question)
        return Reply(
            question.received,
            Kind.FALLBACK,
            question.lang,
            confidence=confidence,
            pointer=pointer,
            missing=outcome.missing,
        )

    async def pointer(self, question: Question) -> Citation | None:
        """A sentence sharing enough words with the question to be worth showing, if any."""
        words = list(dict.fromkeys(content_tokens(question.asking)))
        for passage, _ in await self.search.search(words):
            shared = set(words) & set(tokens(passage.text))
            if len(shared) >= POINTER_MIN_WORDS and 2 * len(shared) >= len(words):
                return Citation(passage.text, self.knowledge.articles[passage.seed])
        return None


def _unanswered(question: Question, weighed: list[Weighed]) -> Outcome:
    """The outcome for a message neither answered nor asked "which of these?" about: a
    near miss, chatter, or a plain "I don't know"."""
    # Whether it is a near miss is judged on the intent whose words fit best (a
    # candidate recalled from the labelled questions may be likelier yet off topic).
    near = max(weighed, key=lambda w: w.match.score, default=None)
    if near is not None and (near.match.unfit or _not_given(near.match)) and _on_topic(near.match):
        missing = near.match.unfit or ("number" if near.match.numbers else "place")
        return Outcome(Kind.FALLBACK, (near,), missing=missing)
    # A long thank-you, greeting or farewell: it asks nothing, names no figure and is
    # about no topic.
    words = tokens(question.text)
    chatter = not question.asks and not any(map(is_number, words))
    if chatter and not any(_on_topic(w.match) for w in weighed):
        chat = smalltalk.marked(words)
        if chat is not None:
            return Outcome(Kind.SMALLTALK, chat=chat)
    return Outcome(Kind.FALLBACK, tuple(weighed[:1]))


def ranked(decision: Decision, found: Sequence[Candidate]) -> list[Weighed]:
    """`found` weighed by `decision`, likeliest first."""
    chances = decision.probabilities(found)
    weighed = [Weighed(c.match, p) for c, p in zip(found, chances, strict=True)]
    # Beyond CERTAIN the decision no longer tells candidates apart (several intents
    # answering the same labelled questions all come close to 1), nor below it by
    # less than a hundredth: the word matcher's order decides.
    return sorted(weighed, key=lambda w: -min(round(w.probability, TIED), CERTAIN))


def best(weighed: list[Weighed]) -> Best:
    """The likeliest candidate's intent, probability and coverage of the message's own
    words; no intent if there is no candidate."""
    if not weighed:
        return None, 0.0, 0.0
    return weighed[0].match.intent_id, weighed[0].probability, weighed[0].match.own


def answered(alone: Best, together: Best, bars: tuple[float, float]) -> bool:
    """Whether a message's reading alone or as a follow-up reaches its answer bar,
    `bars` alone then as a follow-up."""
    return alone[1] >= bars[0] or together[1] >= bars[1]
