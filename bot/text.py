"""Text normalisation shared by the build, the matcher and language detection.

Questions and phrasings go through the same `fold`, so a question typed without
Vietnamese accents matches a phrasing written with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

# đ/Đ are letters of their own in Unicode, not d plus a mark: NFKD leaves them alone.
# "%" is read as the word, so "20%" in a quote meets "percent" (or "share") in a question.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "D", "ß": "ss", "ı": "i", "%": " percent "})
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")
_NOT_WORD = re.compile(r"[^0-9a-z.]+|(?<![0-9])\.|\.(?![0-9])")
_SPACES = re.compile(r"\s+")
combining = lru_cache(maxsize=None)(unicodedata.combining)

# Characters that only Vietnamese among the bot's two languages uses.
_VIETNAMESE_LETTERS = frozenset(
    "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)

EN_STOPWORDS = frozenset(
    """a about after all also am an and any are as at be been being by can could did do
    does doing for from get give got had has have how i if in into is it its me my of on
    or our please say says should some tell than that the their them then there these
    they this those to us was we were what whats when where which who whom whose why
    will with would you your know show explain info information much many does mean
    meaning vs s want wants wanted done made happen happened exist exists actually
    really currently already exactly total number amount like kind sort type regarding according
    describe described mentioned article articles reported anything something ever just
    still yet been hello hi hey thanks thank chao xin
    roughly approximately approx around nearly almost under besides beside within among
    amongst via toward towards upon across throughout onto whether supposed meant
    see sees saw seen play plays played playing hear heard hope hopes hoping well wonder
    wondering recently lately basically generally overall specifically particularly mainly
    mostly usually typically
    wat waht wht hw u ur abt pls plz mr mrs ms""".split()
)

VI_STOPWORDS = frozenset(
    """a ai bao bi boi cac cai chi cho co cua da dang day de den do duoc gi ha hay hoi khi
    khong la lam luc ma may minh mot nao nay ne nhieu nhu nhung noi o oi ra roi sao se
    the thi tho tren trong tu va ve vi voi vay xin cho biet hoac nhe theo muon vao dieu
    nguoi thu nam nhat dang ke cho ay kia nhi coi nhac ong""".split()
)

STOPWORDS = EN_STOPWORDS | VI_STOPWORDS
_VI_MARKERS = frozenset(
    """la gi bao nhieu nao khi cua nhung duoc khong co trong cac mot chuyen doi so viet""".split()
)


@lru_cache(maxsize=8192)  # one reply folds its question several times, in several modules
def fold(text: str) -> str:
    """Lower-case, strip accents (đ→d), drop thousands separators; keep letters, digits, decimals.

    "Quyết định 749/QĐ-TTg" → "quyet dinh 749 qd ttg"; "50,000" and "50.000" → "50000".
    """
    text = text.translate(_LETTER_MAP)
    if not text.isascii():  # the common English question skips the Unicode work
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not combining(c))
    text = _THOUSANDS.sub("", text.lower())
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


def looks_vietnamese(text: str) -> bool:
    """True for Vietnamese text, with or without its diacritics."""
    lowered = unicodedata.normalize("NFC", text.lower())
    if any(c in _VIETNAMESE_LETTERS for c in lowered):
        return True
    words = tokens(text)
    hits = sum(1 for w in words if w in _VI_MARKERS)
    return hits >= 2 and hits * 3 >= len(words)


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
