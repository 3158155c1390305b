"""Recognising greetings, thanks, help requests and goodbyes, in English and Vietnamese.

A message is small talk only when every word in it belongs to one kind of chatter
(plus filler such as "bot" or "you"), so "hello, what is Decision 749?" is a question;
or when it asks what the bot can do and its other words are chatter or function
words ("what kind of questions can you answer?"), however an intent scores it.
A longer message that no intent answers may still be chatter: one that asks what the
bot can do (`asks_help`), or, for the responder to judge, a thank-you or greeting that
asks nothing and is about no topic (`marked`).
"""

from __future__ import annotations

import re

from bot.models import Chat
from bot.text import STOPWORDS, tokens, word_list


def _words(name: str) -> frozenset[str]:
    return frozenset(word_list("bot.answering", f"smalltalk/{name}"))


# The words of each kind are in words/smalltalk/: `<kind>.txt` its vocabulary,
# `<kind>.required.txt` the words one of which it needs, `<kind>.markers.txt` the words
# that mark it even among other words ("thanks, that's helpful").
_FILLER = _words("filler")
# Checked in this order: the first kind whose words cover the message wins.
_KINDS = tuple(
    (kind, _words(kind))
    for kind in (Chat.THANKS, Chat.GOODBYE, Chat.HELP, Chat.IDENTITY, Chat.GREETING)
)
_CHATTER = frozenset().union(*(vocabulary for _, vocabulary in _KINDS))
_REQUIRED = {kind: _words(f"{kind}.required") for kind in (Chat.HELP, Chat.IDENTITY)}
_MARKERS = tuple(
    (kind, _words(f"{kind}.markers"))
    for kind in (Chat.THANKS, Chat.GOODBYE, Chat.HELP, Chat.GREETING)
)


def mentions(text: str) -> Chat | None:
    """The chatter marked in a short message that matched no question, if any."""
    words = tokens(text)
    if not words or len(words) > 8:
        return None
    return marked(words)


def marked(words: list[str]) -> Chat | None:
    """The first kind of chatter whose markers `words` hold, if any."""
    for kind, markers in _MARKERS:
        if any(w in markers for w in words):
            return kind
    return None


# Asking what the bot can do, in a longer message ("before I start, could you tell me
# what you can help with?", "bạn có thể giúp được những gì?", "bạn là ai và trả lời
# được những chủ đề gì?"), accent-folded.
_ASKS_HELP = re.compile(
    r"\bwhat (?:\w+ ){0,3}(?:you can|can you|you re able to|are you able to|you are able to)"
    r" (?:\w+ )?(?:do|help|answer)\b|"
    r"\bwhat (?:kinds?|sorts?|types?) of (?:questions|things|topics) (?:\w+ ){0,3}(?:you|bot)\b|"
    r"\b(?:ban|bot|em) (?:la ai (?:va )?)?(?:co the )?(?:giup|lam|tra loi) (?:duoc )?(?:\w+ ){0,3}"
    r"(?:gi|(?:chu de|cau hoi|van de|linh vuc) nao)\b|"
    r"\bhoi (?:ban )?(?:duoc )?(?:nhung )?(?:kieu )?(?:chu de|cau hoi) nao\b"
)


def asks_help(text: str) -> bool:
    """Whether a message asks what the bot can do."""
    return bool(_ASKS_HELP.search(" ".join(tokens(text))))


def asks_only_help(text: str) -> bool:
    """Whether a message asks what the bot can do and nothing else: its other words
    are chatter or function words ("hi! what kind of questions can you answer?"), not
    a topic ("what can you tell me about 5G?")."""
    said = " ".join(tokens(text))
    found = _ASKS_HELP.search(said)
    if found is None:
        return False
    rest = f"{said[: found.start()]} {said[found.end() :]}".split()
    return all(w in _CHATTER or w in _FILLER or w in STOPWORDS for w in rest)


def classify(text: str) -> Chat | None:
    """The kind of small talk `text` is, `Chat.EMPTY` for no words, or None for a question.

    A greeting may lead another kind ("good morning bot, who are you?"): then the
    message is that other kind.
    """
    whole = _classify(text)
    if whole is not None:
        return whole
    if asks_only_help(text):
        return Chat.HELP
    parts = [p for p in _PARTS.split(text) if tokens(p)]
    kinds = [_classify(p) for p in parts]
    if len(parts) < 2 or None in kinds or Chat.EMPTY in kinds:
        return None
    others = [k for k in kinds if k is not Chat.GREETING]
    return others[-1] if others else Chat.GREETING


_PARTS = re.compile(r"[,.!?;:\n]+")


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
