"""The bot's buttons: what each inline keyboard holds, and the callback data behind it.

Callback data is `<action><lang>:<key>`, e.g. `aen:decision_749`, at most 64 bytes as
Telegram requires. The language rides along so that a Vietnamese question's
buttons answer in Vietnamese whoever taps them. Keys are the intent and topic ids
themselves while they fit, so buttons keep working across restarts and rebuilds of
facts.db; a longer id is replaced by a short digest of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.answering import messages, render
from bot.answering.responder import Responder
from bot.models import Lang, Suggestion

CALLBACK_LIMIT = 64  # bytes, Telegram's limit for callback_data
_PREFIX = len("aen:")
LABEL_LIMIT = 60  # characters; clients cut longer button texts off anyway
MAX_BUTTONS = 100  # per keyboard, Telegram's limit


class Action(StrEnum):
    ANSWER = "a"  # answer one intent
    EXAMPLE = "q"  # ask one of the example questions from /start
    TOPIC = "t"  # list one topic's questions
    TOPICS = "T"  # list all topics
    LANG = "l"  # speak this language from now on (/lang)
    NONE = "n"  # none of the questions "which of these?" offered


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Tap:
    """A decoded button press: `key` is an intent id, a topic id or an example's index."""

    action: Action
    lang: Lang
    key: str


def short_key(ident: str, room: int = CALLBACK_LIMIT - _PREFIX) -> str:
    """`ident` if it fits in `room` bytes (callback data after the prefix), else a
    16-character digest."""
    if len(ident.encode()) <= room:
        return ident
    return hashlib.blake2b(ident.encode(), digest_size=8).hexdigest()


def label(text: str) -> str:
    """`text` shortened at a word boundary to fit on a button."""
    return render.shorten(text, LABEL_LIMIT)


def examples(lang: Lang) -> list[str]:
    """The example questions offered by /start, in `lang`."""
    return messages.text("examples", lang).split("\n")


class Buttons:
    """Builds the keyboards for one knowledge base and decodes the data they carry."""

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        knowledge = responder.knowledge
        self._intents = {short_key(i.id): i.id for i in knowledge.intents}
        self._topics = {short_key(t.id): t for t in knowledge.topics}

    @staticmethod
    def _data(action: Action, lang: Lang, key: str = "") -> str:
        return f"{action.value}{lang.value}:{key}"

    def answers(self, suggestions: Iterable[Suggestion], lang: Lang) -> Keyboard:
        """One button per suggested intent, one per row: labels are whole questions."""
        return tuple(
            (Button(label(s.label), self._data(Action.ANSWER, lang, short_key(s.intent_id))),)
            for s in suggestions
        )

    def clarify(self, suggestions: Iterable[Suggestion], lang: Lang) -> Keyboard:
        """ "Which of these?": the suggested questions, then "None of these"."""
        none = (Button(messages.text("none_of_these", lang), self._data(Action.NONE, lang)),)
        return (*self.answers(suggestions, lang), none)

    def examples(self, lang: Lang) -> Keyboard:
        return tuple(
            (Button(label(q), self._data(Action.EXAMPLE, lang, str(n))),)
            for n, q in enumerate(examples(lang))
        )

    def topics(self, lang: Lang) -> Keyboard:
        return tuple(
            (Button(label(t.vi if lang is Lang.VI else t.en), self._data(Action.TOPIC, lang, key)),)
            for key, t in self._topics.items()
        )

    def languages(self) -> Keyboard:
        """/lang: one button per language, each labelled in its own language."""
        return (
            tuple(
                Button(messages.LANGUAGE_NAMES[lang], self._data(Action.LANG, lang))
                for lang in Lang
            ),
        )

    def topic(self, topic_id: str, lang: Lang) -> Keyboard:
        """The questions of one topic, then a button back to all topics."""
        intents = [i for i in self.responder.knowledge.intents if i.topic == topic_id]
        del intents[MAX_BUTTONS - 1 :]
        questions = self.answers((self.responder.suggestion(i, lang) for i in intents), lang)
        back = (Button(messages.text("back", lang), self._data(Action.TOPICS, lang)),)
        return (*questions, back)

    def topic_name(self, topic_id: str, lang: Lang) -> str:
        topic = self._topics[short_key(topic_id)]
        return topic.vi if lang is Lang.VI else topic.en

    def decode(self, data: str) -> Tap | None:
        """The press `data` stands for, or None when it is malformed or out of date."""
        head, sep, key = data.partition(":")
        if not sep or len(head) != 3:
            return None
        try:
            action, lang = Action(head[0]), Lang(head[1:])
        except ValueError:
            return None
        if action is Action.ANSWER:
            intent_id = self._intents.get(key)
            return Tap(action, lang, intent_id) if intent_id else None
        if action is Action.TOPIC:
            topic = self._topics.get(key)
            return Tap(action, lang, topic.id) if topic else None
        if action is Action.EXAMPLE:
            # Only the keys `examples` gives out: "01", "²" or "١" are digits to isdigit()
            # (and some to int()), but no button of ours carries them.
            ok = key in {str(n) for n in range(len(examples(lang)))}
            return Tap(action, lang, key) if ok else None
        return None if key else Tap(action, lang, "")
