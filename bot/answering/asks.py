"""What kind of answer a question asks for, and whether a text can supply it.

"How many reactors…?" needs a quantity and "When was … issued?" a time; an intent
whose answer and quotes hold neither cannot answer such a question, however
similar its words. Likewise "How much money did USAID give?" needs a sum in a
currency, and a question for a web address or phone number needs one. This
keeps near misses about a known subject from being answered with a fact about
something else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from bot.text import MONTHS, fold, word_list


class Asks(StrEnum):
    QUANTITY = "quantity"
    COUNT = "count"  # how many things, which a share or a rank does not tell
    TIME = "time"
    DAY = "day"  # on which day: a year alone does not tell
    PRESENT = "present"  # how things stand now, which a target for the future does not tell
    NAMES = "names"  # a list of named places, countries or bodies
    MINISTRY = "ministry"  # which ministry: one named, "many ministries" does not tell
    MONEY = "money"  # a sum of money, which a count or a share does not tell
    CONTACT = "contact"  # a web address, e-mail or phone number
    SAID = "said"  # what someone said: a quote reporting speech, not a description of them
    SIGNER = "signer"  # who signed or approved a document, which who issued it does not tell
    ANYTHING = "anything"


_QUANTITY_Q = re.compile(
    r"\b(?:how (?:many|much|big|large|long|fast|far|high|often)|what (?:percentage|share|"
    r"proportion|number|amount)|(?:number|count) of|bao nhieu|(?:co|thu) may|ty le|phan tram)\b"
    r"|\b(?:number|count)$"
)
# A share answers "how many people…" too, so counts of people are not asked as counts.
_COUNT_Q = re.compile(
    r"\b(?:how many|co bao nhieu(?! phan tram)|so luong)\b"
    r"(?! (?:people|users|citizens|residents|vietnamese|respondents|nguoi)\b)"
)
_TIME_Q = re.compile(
    r"\b(?:when|what year|which year|by when|since when|khi nao|nam nao|bao gio|"
    r"luc nao|thang nao|thoi gian nao|thang may|nam may)\b"
)
_DAY_Q = re.compile(
    r"\b(?:(?:what|which) (?:exact )?(?:date|day)s?|exact date|date of|ngay nao|ngay bao nhieu|"
    r"ngay may)\b"
)
# Month names: a number after one dates something rather than counts it, and an answer
# naming one can tell "when".
_MONTHS = tuple(m.lower() for m in MONTHS)
_NUMBER_WORDS = word_list("bot.answering", "number_words")
# A month's name, in full or cut to three letters ("Dec 18").
_MONTH = "(?:" + "|".join(f"{m[:3]}(?:{m[3:]})?" for m in _MONTHS) + r")\b\.?"
# Numbers that name or date something rather than count it.
_NOT_QUANTITIES = re.compile(
    r"\b(?:resolution|decision|no\.?|level|" + _MONTH + r")\s+\d+[\w/-]*|\bcovid-19\b"
)
_NUMBER = re.compile(r"\d[\d,.]*")
# Shares and ranks: "17.5–18.8%", "20 percent", "86th".
_NOT_COUNTS = re.compile(
    r"(?:\d[\d,.]*(?:\s*[–-]\s*\d[\d,.]*)?\s*)?(?:%|\bper ?cent\b)|\d+(?:st|nd|rd|th)\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_QUANTITY_WORD = re.compile(r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b|%|\d(?:st|nd|rd|th)\b")
_TIME_A = re.compile(
    r"\b(?:1[89]\d\d|20\d\d|" + "|".join(_MONTHS) + r"|pandemic|covid|year|years|annual|"
    r"yearly|decade|today|currently|now|since|initially|last)\b"
)

# A day of a month: "18 December 2003", "Dec 18", "October 15", "15/10/2020", "ngày 15".
_DAY_A = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)? (?:of )?" + _MONTH + r"|\b" + _MONTH + r" \d{1,2}\b|"
    r"\b\d{1,2}/\d{1,2}\b|\bngay \d{1,2}\b"
)

_CONTACT_Q = re.compile(
    r"\b(?:(?:web ?site|web|internet|e ?mail) address|url|e ?mail|phone (?:number|no)|"
    r"telephone|fax|hotline|contact|so dien thoai|dia chi (?:web|trang|email|e mail))\b"
)
_MONEY_Q = re.compile(
    r"\b(?:how much (?:money|funding|funds?|capital)|how much (?:does|did|do|will|would|has|"
    r"have|is|was|are|were)\b.*\b(?:cost|costs|costing|give|gave|given|invest|invested|pay|"
    r"paid|donate|donated|fund|funded|worth|budget|price)|bao nhieu tien|"
    r"what (?:does|did|do|will|would) .*\bcost|(?:what|which) (?:is|was|were|are) the "
    r"(?:total |overall |annual )?(?:budget|cost|price|funding)|(?:budget|cost|price) of|"
    r"(?:kinh phi|ngan sach|chi phi|tong von|von dau tu)\b.*\bbao nhieu|"
    r"bao nhieu (?:(?:ty|ti|trieu|nghin|ngan) )?(?:dong|usd|do la|euro)|bao nhieu (?:ty|ti)\b)\b"
)
_SAID_Q = re.compile(
    r"\bwhat (?:did|does|do|has|have) [\w\s.'-]{2,60}? (?:say|said|tell|told|think|stress|"
    r"emphasi[sz]e|note|comment|argue)\b|\bwhat (?:was|were|is) [\w\s.'-]{2,60}? (?:saying|"
    r"quoted)\b|\b(?:noi gi|noi sao|phat bieu gi|nhan dinh gi|cho rang gi)\b"
)
_SIGNER_Q = re.compile(
    r"\b(?:who|which \w+(?: \w+)?) (?:\w+ ){0,2}signed\b|\bsigned (?:it )?by (?:whom|who)\b|"
    r"\bsignatory\b|"
    r"\b(?:ai|nguoi) (?:da |dung ra )?ky\b|\bky boi ai\b|\bai phe duyet\b"
)
_MINISTRY_Q = re.compile(r"\b(?:which|what) ministry\b|\bbo nao\b")
_PRESENT_Q = re.compile(
    r"\b(?:currently|(?<!from )now|today|at present|nowadays|so far|already|hien nay|"
    r"hien tai|bay gio|da dat)\b"
)
_GROUPS = (
    "provinces|cities|countries|nations|ministries|localities|companies|firms|universities|"
    "members|speakers|partners"
)
_VI_GROUPS = "tinh|thanh pho|nuoc|quoc gia|bo|dia phuong|cong ty|doanh nghiep"
# "Name the provinces", "list all the countries", "the names of the ministries"; "list the
# pillars" asks for the pillars whatever they are called, not for a list of names.
_NAMES_Q = re.compile(
    r"\b(?:which(?: \w+)? (?:" + _GROUPS + r")|what (?:" + _GROUPS + r")|"
    r"(?:(?:name|list)(?: all)?(?: the)?|names of(?: all)?(?: the)?)(?: \w+)? (?:" + _GROUPS + r")|"
    r"nhung (?:" + _VI_GROUPS + r") nao|la nhung)\b"
)
# The first pattern that matches decides: the more specific kinds come first.
_ASKED = (
    (_CONTACT_Q, Asks.CONTACT),
    (_MONEY_Q, Asks.MONEY),
    (_SAID_Q, Asks.SAID),
    (_SIGNER_Q, Asks.SIGNER),
    (_MINISTRY_Q, Asks.MINISTRY),
    (_NAMES_Q, Asks.NAMES),
    (_PRESENT_Q, Asks.PRESENT),
    (_DAY_Q, Asks.DAY),
    (_TIME_Q, Asks.TIME),
    (_COUNT_Q, Asks.COUNT),
    (_QUANTITY_Q, Asks.QUANTITY),
)


def asks(question: str) -> Asks:
    """The kind of answer `question` asks for: the most specific, if several."""
    return asked(question)[0]


def asked(question: str) -> tuple[Asks, ...]:
    """Every kind of answer `question` asks for, the most specific first: "how many data
    centres are there today?" asks for a count and for how things stand now."""
    folded = fold(question)
    return tuple(kind for pattern, kind in _ASKED if pattern.search(folded)) or (Asks.ANYTHING,)


# Two or more capitalised names in a row: "Ukraine, Kenya, and Brazil", "Hanoi and Ho Chi Minh".
_NAMES_A = re.compile(r"\b[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*(?:,? and |, )[A-Z][\w’'-]+")
# One body's name is no list of names: "Ministry of Information and Communications",
# "US Trade and Development Agency".
_BODY = re.compile(
    r"\b(?:Ministr(?:y|ies)|Minister|Department|Committee|Institute|Academy) of "
    r"[A-Z][\w’'-]+ and [A-Z][\w’'-]+|"
    r"\b[A-Z][\w’'-]+ and [A-Z][\w’'-]+ (?:Agency|Programme|Program|Fund|Bank|Association)\b"
)
_MONEY_A = re.compile(r"\$|€|£|\b(?:usd|vnd|dong|đồng|dollars?|euros?)\b")
_CONTACT_A = re.compile(r"https?://|\bwww\.|\S@\S|\b(?:tel|fax)\b")
# "Ministry of Health", or an initialism: MPT, MIC, MoIT.
_MINISTRY_A = re.compile(r"\bMinistr(?:y|ies) of\b|\bM[A-Zo][A-Z]{1,3}\b")
_SAID_A = re.compile(
    r"\b(?:said|says|say|stated|states|noted|notes|stressed|emphasi[sz]ed|highlighted|told|"
    r"added|according to|asserted|affirmed|underlined|underscored|remarked|explained|"
    r"believes?|called|urged|pointed out|shared)\b|[\"“”]"
)
_SIGNER_A = re.compile(r"\b(?:signed|signing|signature|approv(?:al|ed|es|e))\b")
# How things stand: "there are currently…", "…had been conducted by the end of 2023".
_NOW_A = re.compile(r"\b(?:currently|current|now|today|as of|(?:had|has|have) been)\b")
_TARGET_A = re.compile(
    r"\b(?:target|targets|aim|aims|goal|goals|expects?|plans?|ambitions?|is to|are to|will|"
    r"would|should|proposed|by (?:the end of )?20\d\d)\b"
)


def supplies(answer: str, quotes: Sequence[str] = ()) -> frozenset[Asks]:
    """The kinds of answer an intent (its answer line and quotes) can give.

    A present-state question is only answered by an answer line that is not a
    target or plan ("80 percent are to have e-payment accounts" says nothing about
    today), unless the citations say how things stand now ("there are currently…").
    """
    kinds = {Asks.ANYTHING}
    text = " ".join([answer, *quotes])
    lowered = text.lower()
    if _NAMES_A.search(_BODY.sub("", text)):
        kinds.add(Asks.NAMES)
    if not _TARGET_A.search(answer.lower()) or _NOW_A.search(lowered):
        kinds.add(Asks.PRESENT)
    counted = _NOT_QUANTITIES.sub(" ", lowered)
    if _quantity(counted):
        kinds.add(Asks.QUANTITY)
    if _quantity(_NOT_COUNTS.sub(" ", counted)):
        kinds.add(Asks.COUNT)
    if _TIME_A.search(lowered):
        kinds.add(Asks.TIME)
    if _DAY_A.search(fold(text)):
        kinds.add(Asks.DAY)
    if _MINISTRY_A.search(text):
        kinds.add(Asks.MINISTRY)
    if _MONEY_A.search(lowered):
        kinds.add(Asks.MONEY)
    if _CONTACT_A.search(lowered):
        kinds.add(Asks.CONTACT)
    if _SAID_A.search(" ".join(quotes).lower()):
        kinds.add(Asks.SAID)
    if _SIGNER_A.search(lowered):
        kinds.add(Asks.SIGNER)
    return frozenset(kinds)


def _quantity(text: str) -> bool:
    """Whether `text` states an amount: a number word, or a number that is not a year."""
    numbers = (n.rstrip(".,") for n in _NUMBER.findall(text))
    return bool(_QUANTITY_WORD.search(text)) or any(not _YEAR.fullmatch(n) for n in numbers)


# A year after "compared to", "compare with", "vs", "than", "since", "so (sánh) với", "kể từ"
# (folded) is the base of a comparison: "more than double compared to 2015" gives no figure
# for 2015 ("no later than 2027" is a deadline, not a comparison).
_COMPARED = re.compile(
    r"\b(?:compar(?:e|ed|es|ing) (?:to|with)|in comparison (?:to|with)|relative to|vs|versus"
    r"|(?<!later )(?<!earlier )than(?: in)?|since|so (?:sanh )?voi(?: nam)?|ke tu(?: nam)?)"
    r" ((?:19|20)\d\d)\b"
)


def compared_years(text: str) -> frozenset[str]:
    """The years `text` names as the base of a comparison."""
    return frozenset(m.group(1) for m in _COMPARED.finditer(fold(text)))


def only_compared(texts: Sequence[str]) -> frozenset[str]:
    """The years `texts` (an intent's answer line and quotes) name only as the base of a
    comparison, never as the year of a figure or an event of their own."""
    based: set[str] = set()
    stated: set[str] = set()
    for text in texts:
        folded = fold(text)
        spans = {m.start(1) for m in _COMPARED.finditer(folded)}
        for year in _YEAR.finditer(folded):
            (based if year.start() in spans else stated).add(year.group())
    return frozenset(based - stated)
