"""What kind of answer a question asks for, and whether a text can supply it.

"How many reactors…?" needs a quantity and "When was … issued?" a time; an intent
whose answer and quotes hold neither cannot answer such a question, however
similar its words. This keeps near misses about a known subject from being
answered with a fact about something else.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.text import fold


class Asks(StrEnum):
    QUANTITY = "quantity"
    TIME = "time"
    ANYTHING = "anything"


_QUANTITY_Q = re.compile(
    r"\b(?:how (?:many|much|big|large|long|fast|far|high|often)|what (?:percentage|share|"
    r"proportion|number|amount)|bao nhieu|(?:co|thu) may|ty le|phan tram)\b"
)
_TIME_Q = re.compile(
    r"\b(?:when|what year|which year|what date|by when|since when|khi nao|nam nao|bao gio|"
    r"luc nao|ngay nao|thang nao|thoi gian nao)\b"
)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve twenty thirty fifty "
    "hundred hundreds thousand thousands million millions billion billions dozens half "
    "quarter quarters three-quarters double doubled twice percent"
).split()
# Numbers that name or date something rather than count it.
_NOT_QUANTITIES = re.compile(
    r"\b(?:resolution|decision|no\.?|level|" + "|".join(_MONTHS) + r")\s+\d+[\w/-]*"
)
_NUMBER = re.compile(r"\d[\d,.]*")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_QUANTITY_WORD = re.compile(r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b|%|\d(?:st|nd|rd|th)\b")
_TIME_A = re.compile(
    r"\b(?:1[89]\d\d|20\d\d|" + "|".join(_MONTHS) + r"|pandemic|covid|year|years|annual|"
    r"yearly|decade|today|currently|now|since|initially|last)\b"
)


def asks(question: str) -> Asks:
    """The kind of answer `question` asks for."""
    folded = fold(question)
    if _TIME_Q.search(folded):
        return Asks.TIME
    if _QUANTITY_Q.search(folded):
        return Asks.QUANTITY
    return Asks.ANYTHING


def supplies(text: str) -> frozenset[Asks]:
    """The kinds of answer `text` (an answer line and its quotes) can give."""
    lowered = text.lower()
    kinds = {Asks.ANYTHING}
    counted = _NOT_QUANTITIES.sub(" ", lowered)
    numbers = (n.rstrip(".,") for n in _NUMBER.findall(counted))
    if _QUANTITY_WORD.search(counted) or any(not _YEAR.match(n) for n in numbers):
        kinds.add(Asks.QUANTITY)
    if _TIME_A.search(lowered):
        kinds.add(Asks.TIME)
    return frozenset(kinds)
