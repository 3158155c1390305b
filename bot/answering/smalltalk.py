"""Recognising greetings, thanks, help requests and goodbyes, in English and Vietnamese.

A message is small talk only when every word in it belongs to one kind of chatter
(plus filler such as "bot" or "you"), so "hello, what is Decision 749?" is a question.
"""

from __future__ import annotations

import re

from bot.models import Chat
from bot.text import tokens

_FILLER = frozenset(
    """bot policybot you u ban em anh chi oi a nhe nha there everyone all so very much
    lot lots again and the my friend dear ad admin please pls me i toi minh to this vay
    the nhe day""".split()
)

# Checked in this order: the first kind whose words cover the message wins.
_KINDS: tuple[tuple[Chat, frozenset[str]], ...] = (
    (
        Chat.THANKS,
        frozenset(
            "thanks thank thx ty tks cheers appreciate appreciated cam on great awesome cool nice"
            " ok okay good perfect helpful".split()
        ),
    ),
    (Chat.GOODBYE, frozenset("bye goodbye cya see later tam biet hen gap lai night".split())),
    (
        Chat.HELP,
        frozenset(
            "help start menu commands command how use what can do huong dan giup tro giup lam gi"
            " duoc nhung su dung cach co the biet know cover topics topic".split()
        ),
    ),
    (
        Chat.IDENTITY,
        frozenset(
            "who are what is la ai gi human robot real person or bot made make created create"
            " built build developed tao ra".split()
        ),
    ),
    (
        Chat.GREETING,
        frozenset(
            "hi hello hey hiya yo hola greetings morning afternoon evening good day chao xin alo"
            " nice meet buoi sang trua chieu toi"
            " helo hallo howdy sup whats up how are doing khoe khong test testing hmm hm lol haha"
            " hehe".split()
        ),
    ),
)
_REQUIRED: dict[Chat, frozenset[str]] = {
    Chat.HELP: frozenset(
        "help start menu commands use do huong dan giup cach lam biet know cover".split()
    ),
    Chat.IDENTITY: frozenset("who ai human robot bot are made created built tao".split()),
}


_PARTS = re.compile(r"[,.!?;:\n]+")

# Words that mark chatter even among other words ("thanks, that's helpful").
_MARKERS: tuple[tuple[Chat, frozenset[str]], ...] = (
    (Chat.THANKS, frozenset("thanks thank thx cam".split())),
    (Chat.GOODBYE, frozenset("bye goodbye biet".split())),
    (Chat.HELP, frozenset("help giup huong".split())),
    (Chat.GREETING, frozenset("hi hello hey chao".split())),
)


def mentions(text: str) -> Chat | None:
    """The chatter marked in a short message that matched no question, if any."""
    words = tokens(text)
    if not words or len(words) > 8:
        return None
    for kind, markers in _MARKERS:
        if any(w in markers for w in words):
            return kind
    return None


def classify(text: str) -> Chat | None:
    """The kind of small talk `text` is, `Chat.EMPTY` for no words, or None for a question.

    A greeting may lead another kind ("good morning bot, who are you?"): then the
    message is that other kind.
    """
    whole = _classify(text)
    if whole is not None:
        return whole
    parts = [p for p in _PARTS.split(text) if tokens(p)]
    kinds = [_classify(p) for p in parts]
    if len(parts) < 2 or None in kinds or Chat.EMPTY in kinds:
        return None
    others = [k for k in kinds if k is not Chat.GREETING]
    return others[-1] if others else Chat.GREETING


def _classify(text: str) -> Chat | None:
    words = tokens(text)
    if not words:
        return Chat.EMPTY
    if len(words) > 8:
        return None
    for kind, vocabulary in _KINDS:
        own = [w for w in words if w in vocabulary]
        if not own or not all(w in vocabulary or w in _FILLER for w in words):
            continue
        required = _REQUIRED.get(kind)
        if required is None or any(w in required for w in own):
            return kind
    return None
