"""Text normalisation shared by the build, the matcher and language detection.

Questions and phrasings go through the same `fold`, so a question typed without
Vietnamese accents matches a phrasing written with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

# đ/Đ are letters of their own in Unicode, not d plus a mark: NFKD leaves them alone.
# "%" is read as the word, so "20%" in a quote meets "percent" (or "share") in a question.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "D", "ß": "ss", "ı": "i", "%": " percent "})
THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")  # "50,000", "50.000"
MONTHS = tuple(
    "January February March April May June July August September October November December".split()
)
_NOT_WORD = re.compile(r"[^0-9a-z.]+|(?<![0-9])\.|\.(?![0-9])")
_SPACES = re.compile(r"\s+")
combining = lru_cache(maxsize=None)(unicodedata.combining)

# Characters that only Vietnamese among the bot's two languages uses.
_VIETNAMESE_LETTERS = frozenset(
    "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)


def word_list(package: str, name: str) -> tuple[str, ...]:
    """The words of `words/<name>.txt` in `package`, in order: words separated by spaces
    or lines, "#" starting a comment. Word lists are data, shipped in the wheel beside the
    code that reads them, and read once, when that module is imported."""
    return tuple(word for line in word_lines(package, name) for word in line)


def word_lines(package: str, name: str) -> tuple[tuple[str, ...], ...]:
    """The words of `words/<name>.txt` line by line, as `word_list` reads them, for a
    list whose lines group words (the names of one place); lines without words left out."""
    text = resources.files(package).joinpath("words", f"{name}.txt").read_text("utf-8")
    lines = (tuple(line.partition("#")[0].split()) for line in text.splitlines())
    return tuple(line for line in lines if line)


EN_STOPWORDS = frozenset(word_list("bot", "en_stopwords"))
VI_STOPWORDS = frozenset(word_list("bot", "vi_stopwords"))
STOPWORDS = EN_STOPWORDS | VI_STOPWORDS


@lru_cache(maxsize=8192)  # one reply folds its question several times, in several modules
def fold(text: str) -> str:
    """Lower-case, strip accents (đ→d), drop thousands separators; keep letters, digits, decimals.

    "Quyết định 749/QĐ-TTg" → "quyet dinh 749 qd ttg"; "50,000" and "50.000" → "50000".
    """
    text = text.translate(_LETTER_MAP)
    if not text.isascii():  # the common English question skips the Unicode work
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not combining(c))
    text = THOUSANDS.sub("", text.lower())
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """The folded words of `text`."""
    return fold(text).split()


def content_tokens(text: str) -> list[str]:
    """Folded words without English or Vietnamese function words; all words if none remain."""
    words = tokens(text)
    content = [w for w in words if w not in STOPWORDS]
    return content or words


def is_number(token: str) -> bool:
    return any(c.isdigit() for c in token)


# Frequent Vietnamese syllables typed without marks, minus those English uses as well.
VIETNAMESE_SYLLABLES = frozenset(word_list("bot", "vietnamese_syllables"))
# What a Vietnamese syllable can look like once its marks are gone: onset, then rhyme.
# An English word that could not be one ("what", "growth") is evidence of English.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:a|ac|ach|ai|am|an|ang|anh|ao|ap|at|au|ay|e|ec|ech|em|en|eng|enh|eo|ep|et|eu"
    r"|i|ia|ich|iec|iem|ien|ieng|iep|iet|ieu|im|in|inh|ip|it|iu"
    r"|o|oa|oac|oach|oai|oam|oan|oang|oanh|oao|oap|oat|oay|oc|oe|oen|oeo|oet|oi|om|on|ong"
    r"|ooc|oong|op|ot|u|ua|uan|uang|uanh|uat|uay|uc|ue|uen|uenh|uet|ueu|ui|um|un|ung|uoc|uoi"
    r"|uom|uon|uong|uop|uot|uou|up|ut|uu|uy|uya|uych|uyen|uyet|uynh|uyt|uyu"
    r"|y|yen|yet|yeu)"
)
# English function words no Vietnamese syllable looks like ("what", "is", "does"; not
# "the", "to" or "can", which unaccented Vietnamese writes too).
_ENGLISH_WORDS = frozenset(w for w in EN_STOPWORDS if not _SYLLABLE.fullmatch(w))
_LETTERS = re.compile(r"[^\W\d_]+")
# How many English function words, and other words that cannot be Vietnamese, one
# Vietnamese syllable outweighs: English questions about Vietnam are full of
# Vietnamese names, Vietnamese ones of English names and acronyms.
_FUNCTION_WEIGHT = 2.0
_FOREIGN_WEIGHT = 0.5
_FOREIGN_ENOUGH = 2  # foreign words that make a question English without function words


def language_of(text: str) -> str | None:
    """'vi' or 'en' for the language `text` is written in, None when no word tells.

    Vietnamese letters decide at once. Without them, frequent Vietnamese syllables
    count for Vietnamese; English function words, and words no Vietnamese syllable
    looks like, for English. Acronyms (UNDP, PAPI, AI) and numbers tell nothing.
    """
    lowered = unicodedata.normalize("NFC", text.lower())
    if any(c in _VIETNAMESE_LETTERS for c in lowered):
        return "vi"
    vietnamese = function = foreign = 0
    for word in _LETTERS.findall(text):
        if len(word) > 1 and word.isupper():
            continue
        folded = fold(word)
        if folded in VIETNAMESE_SYLLABLES:
            vietnamese += 1
        elif folded in _ENGLISH_WORDS:
            function += 1
        elif folded.isalpha() and not _SYLLABLE.fullmatch(folded):
            foreign += 1
    if vietnamese and vietnamese > _FUNCTION_WEIGHT * function + _FOREIGN_WEIGHT * foreign:
        return "vi"
    if function or foreign >= _FOREIGN_ENOUGH:
        return "en"
    return None


_ABBREVIATIONS = ("Dr.", "Ms.", "Mr.", "Mrs.", "No.", "St.", "e.g.", "i.e.", "vs.", "Prof.")
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9À-Ỹ])")


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences without rewriting any of them."""
    parts: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        sentence = paragraph[start : m.end()].strip()
        if sentence.endswith(_ABBREVIATIONS):
            continue
        parts.append(sentence)
        start = m.end()
    parts.append(paragraph[start:].strip())
    return [p for p in parts if p]


class Synonyms:
    """Replaces each variant phrase (folded, whole words) by its canonical word.

    Applied to questions and phrasings alike, so "companies" and "firms", or
    "Viet Nam" and "VN", count as the same word when matching.
    """

    def __init__(self, groups: Mapping[str, Sequence[str]]) -> None:
        self._canonical: dict[tuple[str, ...], str] = {}
        for canonical, variants in groups.items():
            for variant in variants:
                if words := tuple(fold(variant).split()):
                    self._canonical[words] = fold(canonical)
        self._starts = frozenset(words[0] for words in self._canonical)
        self._longest = max(map(len, self._canonical), default=0)

    def apply(self, folded: str) -> str:
        words = folded.split()
        if self._starts.isdisjoint(words):
            return folded
        found: list[str] = []
        at = 0
        while at < len(words):
            canonical, size = self._variant_at(words, at)
            found.append(canonical)
            at += size
        return " ".join(found)

    def _variant_at(self, words: list[str], at: int) -> tuple[str, int]:
        """The canonical word for the longest variant starting at `words[at]` and the
        number of words it covers, or that word itself: "ho chi minh city" wins over
        "ho chi minh"."""
        if words[at] in self._starts:
            for size in range(min(self._longest, len(words) - at), 0, -1):
                canonical = self._canonical.get(tuple(words[at : at + size]))
                if canonical is not None:
                    return canonical, size
        return words[at], 1
