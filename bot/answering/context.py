"""Conversation context: what a chat was answered last, so a follow-up can lean on it.

"And in 2025?" after the 2030 targets, "who issued it?" after Decision 749, "còn
năm 2030 thì sao?" after the 2022 ranking: alone, such messages say too little.
The context of a chat is the intent answered last (also one picked from "which
of these?" or a related-question button, and, until the user picks, the likeliest
option of a "which of these?"), kept for `LIFETIME` seconds and at most `TURNS`
follow-ups. "None of these" drops it. No question text is kept, only the intent's id.

A message is read both alone and as a follow-up on the context's intent (its
question and answer line join the message as weak evidence, see `Question.about`
and `Matcher.query`), and a follow-up reading is weighed by trees of its own
(`decision.py`). Which reading wins is learned from labelled conversations
(`follow_features` below, weighed by `Decision.follows`), so a self-contained
question right after another is still answered on its own.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.models import Kind, Reply
from bot.text import tokens, word_list

LIFETIME = 600.0  # seconds a context lasts
TURNS = 3  # follow-ups answered on one chain of context

FOLLOW_FEATURES = (
    "alone",
    "together",
    "gain",
    "words",
    "same",
    "pointing",
    "alone_clears",  # the reading alone reaches its answer bar
    "together_clears",  # the follow-up reading reaches its own
    "alone_own",  # how much of the message's own words the best intent alone knows
    "together_own",  # and the best intent as a follow-up
)
# A reading's best candidate: its intent (None without one), probability and how much
# of the message's own words it knows (`Match.own`).
Best = tuple[str | None, float, float]
_POINTING = frozenset(word_list("bot.answering", "pointing"))


@dataclass(frozen=True, slots=True)
class Context:
    """What one chat was answered last."""

    intent_id: str
    at: float  # seconds since the epoch
    turns: int = 0  # follow-ups answered since the chain began

    def alive(self, now: float) -> bool:
        return now - self.at <= LIFETIME and self.turns < TURNS


def after(reply: Reply, previous: Context | None, now: float) -> Context | None:
    """The chat's context once `reply` has been sent: its intent if it answered or
    asked "which of these?" (the likeliest option, until the user picks one)."""
    offered = reply.kind in (Kind.ANSWER, Kind.CLARIFY)
    return leaving(reply.intent_id if offered else None, reply.follow_up, previous, now)


def leaving(
    intent_id: str | None, follow_up: bool, previous: Context | None, now: float
) -> Context | None:
    """The context after a reply about `intent_id` (None: no intent), read as a
    follow-up on `previous` or not."""
    if intent_id is not None:
        turns = previous.turns + 1 if follow_up and previous is not None else 0
        return Context(intent_id, now, turns)
    return previous if previous is not None and previous.alive(now) else None


def picked(intent_id: str, now: float) -> Context:
    """The context after the user tapped an intent (a "which of these?" option or a
    related question)."""
    return Context(intent_id, now)


def follow_features(
    text: str, alone: Best, together: Best, bars: tuple[float, float]
) -> tuple[float, ...]:
    """Evidence on reading `text` as a follow-up, in the order of FOLLOW_FEATURES: the
    best candidate alone and as a follow-up (their probabilities, whether they are the
    same intent, whether each reaches its answer bar, `bars` alone then as a follow-up,
    and how much of the message's own words each knows), the message's length and
    whether it points back."""
    words = tokens(text)
    return (
        alone[1],
        together[1],
        together[1] - alone[1],
        math.log1p(len(words)),
        float(alone[0] is not None and alone[0] == together[0]),
        float(any(w in _POINTING for w in words)),
        float(alone[1] >= bars[0]),
        float(together[1] >= bars[1]),
        alone[2],
        together[2],
    )


class Conversations:
    """Contexts kept in memory, per chat id: the console and `ask --json`."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._contexts: dict[str, Context] = {}

    def get(self, chat: str) -> Context | None:
        context = self._contexts.get(chat)
        return context if context is not None and context.alive(self._clock()) else None

    def update(self, chat: str, reply: Reply) -> None:
        context = after(reply, self.get(chat), self._clock())
        if context is None:
            self._contexts.pop(chat, None)
        else:
            self._contexts[chat] = context

    def pick(self, chat: str, intent_id: str) -> None:
        self._contexts[chat] = picked(intent_id, self._clock())

    def forget(self, chat: str) -> None:
        """The user said none of the options was what they meant."""
        self._contexts.pop(chat, None)
