"""The decision: answer, clarify, fall back or chat, returned as a `Reply` value.

A wrong answer with a citation is the worst outcome, so the bar for answering is
high and the middle band asks instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.answering import messages, smalltalk
from bot.answering.matcher import Matcher
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
from bot.text import content_tokens, language_of, tokens

MAX_QUESTION = 1000  # characters looked at; Telegram allows 4096, questions are short
MAX_SUGGESTIONS = 3
POINTER_MIN_WORDS = 2


class PassageSearch(Protocol):
    """The full-text search the fallback uses to point at a close sentence."""

    async def search(self, words: Sequence[str], limit: int = 3) -> list[tuple[Passage, float]]: ...


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Scores (0–100) that separate the outcomes; chosen with `policybot eval`."""

    answer: float = 76.0
    clarify: float = 50.0
    margin: float = 0.0
    coverage: float = 0.8
    lag: float = 6.0

    def outcome(self, matches: Sequence[Match]) -> tuple[Kind, list[Match]]:
        """The kind of reply ranked `matches` call for, with the intents it involves.

        Only an intent that knows most of the question's words may answer: a
        question that mentions something the intent never does (who *won*, how
        many *reactors*) is not answered by it. Among those, the best must score
        high, lead the next by the margin, and not trail the overall best by more
        than `lag` (a much closer intent that lacks one word still means doubt).
        """
        top = matches[0] if matches else None
        if top is None or top.score < self.clarify:
            return Kind.FALLBACK, []
        known = [m for m in matches if m.coverage >= self.coverage]
        if known:
            best = known[0]
            runner_up = known[1].score if len(known) > 1 else 0.0
            if (
                best.score >= self.answer
                and best.score - runner_up >= self.margin
                and top.score - best.score <= self.lag
            ):
                return Kind.ANSWER, [best]
        close = [
            m
            for m in matches[:MAX_SUGGESTIONS]
            if m.score >= self.clarify and top.score - m.score < 2 * self.margin + 10
        ]
        return Kind.CLARIFY, close


class Responder:
    """Turns a question into a `Reply`; the one place answers are decided."""

    def __init__(
        self,
        knowledge: Knowledge,
        matcher: Matcher,
        search: PassageSearch,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.matcher = matcher
        self.search = search
        self.thresholds = thresholds or Thresholds()
        self.intents = {i.id: i for i in knowledge.intents}
        self._by_topic: dict[str, list[Intent]] = {}
        for intent in knowledge.intents:
            self._by_topic.setdefault(intent.topic, []).append(intent)

    @staticmethod
    def language(question: str, hint: Lang | None = None) -> Lang:
        """The language the question is written in, with or without Vietnamese marks; for a
        question no word of which tells ("749?", "PAPI"), `hint` (the front end's guess:
        the user's chosen or Telegram language, else the conversation's last), else English."""
        told = language_of(question)
        return Lang(told) if told else hint or Lang.EN

    def rank(self, question: str) -> list[Match] | None:
        """Ranked intents for `question`, or None when it is plainly small talk."""
        text = question[:MAX_QUESTION]
        return None if smalltalk.classify(text) is not None else self.matcher.rank(text)

    @staticmethod
    def outcome(
        question: str, matches: list[Match] | None, limits: Thresholds
    ) -> tuple[Kind, list[Match], Chat | None]:
        """The decision for a ranked question: its kind, the intents involved, the chat."""
        text = question[:MAX_QUESTION]
        if matches is None:
            return Kind.SMALLTALK, [], smalltalk.classify(text)
        kind, involved = limits.outcome(matches)
        # A short "thanks, that helps" that fits no intent is chatter, not a question.
        if kind is not Kind.ANSWER and (chat := smalltalk.mentions(text)) is not None:
            return Kind.SMALLTALK, [], chat
        return kind, involved, None

    async def reply(self, question: str, hint: Lang | None = None) -> Reply:
        lang = self.language(question[:MAX_QUESTION], hint)
        matches = self.rank(question)
        kind, involved, chat = self.outcome(question, matches, self.thresholds)
        if kind is Kind.SMALLTALK:
            return self.chat(question, lang, chat)
        if kind is Kind.ANSWER:
            return self.answer(involved[0].intent_id, question, lang, involved[0].score)
        if kind is Kind.CLARIFY:
            return Reply(
                question,
                Kind.CLARIFY,
                lang,
                confidence=involved[0].score,
                intent_id=involved[0].intent_id,
                suggestions=tuple(
                    self.suggestion(self.intents[m.intent_id], lang) for m in involved
                ),
            )
        return await self.fallback(question, lang, matches[0] if matches else None)

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

    async def fallback(self, question: str, lang: Lang, top: Match | None) -> Reply:
        return Reply(
            question,
            Kind.FALLBACK,
            lang,
            confidence=top.score if top else 0.0,
            pointer=await self.pointer(question),
        )

    async def pointer(self, question: str) -> Citation | None:
        """A sentence sharing enough words with the question to be worth showing, if any."""
        words = list(dict.fromkeys(content_tokens(question)))
        for passage, _ in await self.search.search(words):
            shared = set(words) & set(tokens(passage.text))
            if len(shared) >= POINTER_MIN_WORDS and 2 * len(shared) >= len(words):
                return Citation(passage.text, self.knowledge.articles[passage.seed])
        return None
