"""The places a text names: other countries, and Vietnamese cities and provinces.

"What share of people in Thailand use the internet?" comes close to the intent on
Vietnam's internet users in every word but one, and that word makes it a near miss:
the articles give no figure for Thailand. Like a figure the intent does not give
(`Match.numbers`), a place the question names that the intent's words, its article's
dateline and its title never name (`Match.elsewhere`) is never answered. The places
are a word list (words/places.txt), each with its names in English and Vietnamese;
a place's first name stands for it.
"""

from __future__ import annotations

import re

from bot.text import word_lines

_NAMES = {
    name.replace("_", " "): names[0]
    for names in word_lines("bot.answering", "places")
    for name in names
}
# Longer names first, so that "south korea" is read before "korea".
_NAMED = re.compile(
    r"\b(?:" + "|".join(re.escape(n) for n in sorted(_NAMES, key=len, reverse=True)) + r")\b"
)


def places(folded: str) -> frozenset[str]:
    """The places folded text names, each by its first name in the list."""
    return frozenset(_NAMES[found] for found in _NAMED.findall(folded))
