"""A message prepared once: its text, the clause that asks, folded, and its language.

Every reader of a question (small talk, the matcher, the character ranker, the
decision, the pointer search) reads this value instead of cutting, folding or
splitting the text again.

People wrap questions in greetings, context and thanks ("hi, I'm a student
writing a report on… which countries were those exactly? thanks!"). Matched as a
whole, such a message dilutes the question with words no intent knows. `asking`
is the sentence or clause most likely to carry the question: one that ends in a
question mark or opens with a question word, and is not itself chatter or
self-introduction. A clause that goes on from the one before it ("…, and which
ministry put it out?"), has too few words of its own ("Where is it worst?") or
names its subject by a pronoun ("How many consultations had it done?") is read with
the one before it, and so on while what is read still leans back. The whole text
stays available as weaker evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.models import Intent, Lang
from bot.text import STOPWORDS, fold, language_of

MAX_QUESTION = 1000  # characters looked at; Telegram allows 4096, questions are short
LONG_MESSAGE = 14  # words: shorter messages are taken whole

# Sentence ends, and the line breaks people type between sentences.
_CLAUSES = re.compile(
    r"(?<=[?!.;])\s+|\n+|(?<=[,:])\s+"
    r"(?=(?:so |and |but )?(?:what|which|how|when|who|where|why|is|are|does|did|do|can|could)\b)",
    re.IGNORECASE,
)
_GOING_ON = frozenset("and also or plus but".split())
LEANING = 3  # content words an asking clause needs to stand alone
_PRONOUNS = frozenset("it its they them their he him his she her".split())
_QUESTION_WORDS = frozenset(
    """what which how when who whom whose where why is are does did do can could will would
    should has have was were gi nao sao ai dau bao nhieu khong chua may""".split()
)
_WH = frozenset("what which how when who whom whose where why".split())
_VI_ASKING = re.compile(r"\b(?:la gi|bao nhieu|khi nao|o dau|the nao|tai sao|vi sao|nhung gi|ai)\b")
# A Vietnamese part of a question may ask "which …" ("với cơ quan nào"); alone, "hôm nào"
# ("some day") in a thank-you asks nothing.
_VI_PART_ASKING = re.compile(rf"{_VI_ASKING.pattern}|\b\w+ nao\b")
_PUNCTUATION = re.compile(r"[.!;,:\n]+")
# Clauses that introduce the asker or thank: context, not the question.
_CONTEXT = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|thanks?|thank you|cheers|"
    r"i am|i m|im|we are|we re|my name|i work|as a|"
    r"xin chao|chao|cam on|toi la|minh la|em la|toi dang|minh dang|em dang)\b"
)
_ASKING_OPENERS = re.compile(
    r"^(?:(?:could|can|would) you (?:please )?(?:tell|let) (?:me|us)(?: know)?|"
    r"i(?: d| would) like to know|i (?:want|wanted|need) to know|do you know|"
    r"(?:please )?tell me|i wonder(?:ed)?|i was wondering|"
    r"cho (?:toi|minh|em) hoi|xin hoi|(?:ban|bot) cho (?:toi|minh|em) biet)\s*"
)

# Where an asking clause may go on to ask a second thing (on folded text).
_CONJUNCTIONS = "and|or|also|plus|va|con"
_SECOND = re.compile(rf"\b(?:{_CONJUNCTIONS})\b")
_GOING_ON_START = re.compile(rf"^(?:{_CONJUNCTIONS})\s+")
_QUESTION_END = re.compile(r"\?+")
_SENTENCES = re.compile(r"(?<=[?!.])\s+|\n+")
_WH_START = re.compile(
    r"(?:in |by |for |at |from |to )?(?:what|which|who|whom|when|where|why|how|is|are|does|did|"
    r"do|can|could|will|would|should|has|have|was|were)\b"
)

# Words that announce a question without being part of it ("new topic: what is VietNEST?").
_LEADER = re.compile(
    r"^\s*(?:(?:a |one |and |ok |okay )?(?:different|separate|another|other|new|unrelated)"
    r" (?:question|topic|thing|one)|by the way|btw|"
    r"(?:một |mot )?(?:câu hỏi|cau hoi) (?:khác|khac)|(?:chuyện|chuyen) (?:khác|khac)|"
    r"(?:hỏi|hoi) (?:thêm|them))\s*[:,.\-\u2013\u2014]+\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Question:
    """One incoming message, prepared for every reader."""

    received: str  # exactly as received
    text: str  # cut to MAX_QUESTION characters
    asking: str  # the clause that asks; `text` itself when short
    folded: str  # fold(asking)
    lang: Lang  # the language the message is written in
    topic: str = ""  # in a conversation, what was answered last (see context.py)
    following: str | None = None  # that intent's id, when read as a follow-up on it
    # The message's other questions, folded: sentences ending in a question mark
    # outside the asking clause ("…rank? Did he mention the ranking?").
    others: tuple[str, ...] = ()

    @classmethod
    def prepare(cls, text: str, hint: Lang | None = None) -> Question:
        """`hint` is the language to assume when the words do not tell (the user's)."""
        cut = text[:MAX_QUESTION]
        asking = asking_clause(cut)
        if (leader := _LEADER.match(asking)) and leader.end() < len(asking):
            asking = asking[leader.end() :]
        told = language_of(cut)
        lang = Lang(told) if told else hint or Lang.EN
        others = tuple(
            fold(s)
            for s in _SENTENCES.split(cut)
            if s.rstrip().endswith("?") and s.strip() not in asking
        )
        return cls(text, cut, asking, fold(asking), lang, others=others)

    def about(self, intent: Intent) -> Question:
        """This question read as a follow-up on `intent`: its question and answer line
        are the topic the message leans on."""
        return replace(self, topic=f"{intent.label} {intent.answer}", following=intent.id)

    @property
    def asks(self) -> bool:
        """Whether the message plainly asks something: a question mark, a sentence or
        clause opening with a question word or an asking phrase, or a Vietnamese
        question phrase."""
        if "?" in self.text:
            return True
        for clause in _PUNCTUATION.split(self.text):
            folded = fold(clause)
            words = folded.split()
            if words and (
                words[0] in _WH
                or _ASKING_OPENERS.match(folded)
                or (self.lang is Lang.VI and _VI_ASKING.search(folded))
            ):
                return True
        return False

    @property
    def whole(self) -> bool:
        """Whether the asking clause is the whole message."""
        return self.asking == self.text

    def parts(self) -> tuple[Question, ...]:
        """The two things the asking clause asks, each as a question read against the
        whole message ("where will the first nuclear plant be built, and when should it
        run?"); none when it asks one thing. A part that leans on the other ("when
        should it run?") takes the other's content words for its topic: they weigh as
        a follow-up's topic does, less than its own words. Only the second part can
        lean on the first by a pronoun ("where will Vietnam build its first plant"
        names its subject)."""
        asked = [s for s in _SENTENCES.split(self.text) if s.rstrip().endswith("?")]
        found = _two_parts(" ".join(asked) if len(asked) == 2 else self.asking)
        if not found:
            return ()
        subjects = [" ".join(w for w in p.split() if w not in STOPWORDS) for p in found]
        return tuple(
            replace(
                self,
                asking=part,
                folded=part,
                topic=subjects[1 - n] if _leans(part, n) else "",
                others=(),
            )
            for n, part in enumerate(found)
        )


def _two_parts(asking: str) -> list[str]:
    """The asking clause, folded, cut where it goes on to ask a second thing: a second
    question ("…built? And when…"), or "and", "or", "và", "còn" before a question word
    ("…, and in how many provinces…") or, in Vietnamese, between two clauses that each
    hold a question phrase ("…xây ở đâu và vận hành khi nào"). Empty for one thing."""
    questions = [q for q in (fold(s) for s in _QUESTION_END.split(asking)) if q]
    if len(questions) == 2:
        return [_GOING_ON_START.sub("", q) for q in questions]
    if len(questions) != 1:
        return []
    folded = questions[0]
    for cut in _SECOND.finditer(folded):
        before, after = folded[: cut.start()].strip(), folded[cut.end() :].strip()
        if not before or not after:
            continue
        english = _WH_START.match(after)
        vietnamese = _VI_PART_ASKING.search(before) and _VI_PART_ASKING.search(after)
        if english or vietnamese:
            return [] if _asks_again(after) else [before, after]
    return []


def _asks_again(after: str) -> bool:
    """Whether what follows a cut asks two things itself (three in all: left whole)."""
    return any(_WH_START.match(after[c.end() :].strip()) for c in _SECOND.finditer(after))


def _leans(part: str, position: int) -> bool:
    """Whether the first (0) or second (1) of two things asked needs the other for its
    subject."""
    return _too_few_words(part.split()) or (position == 1 and _refers_back(part))


def asking_clause(text: str) -> str:
    """The sentence or clause of `text` that carries its question."""
    if len(text.split()) < LONG_MESSAGE:
        return text
    clauses = [c.strip() for c in _CLAUSES.split(text) if c and c.strip()]
    best, best_score, at = text, 0.0, -1
    for position, clause in enumerate(clauses):
        folded = fold(clause)
        words = folded.split()
        if not words:
            continue
        score = 0.0
        if clause.rstrip().endswith("?"):
            score += 2
        if words[0] in _QUESTION_WORDS or _ASKING_OPENERS.match(folded):
            score += 1.5
        elif any(w in _QUESTION_WORDS for w in words):
            score += 0.5
        if _CONTEXT.match(folded):
            score -= 2
        if len(words) < 3:
            score -= 1
        score += position * 0.01  # the question usually follows the context
        if score > best_score:
            best, best_score, at = clause, score, position
    # Read with the clause before as long as what is read leans on it ("… when the
    # portal was inaugurated, and where that was reported. Could you help?").
    start = at
    while (
        start > 0
        and (_leans_back(" ".join(clauses[start : at + 1])) or (start == at and _refers_back(best)))
        and not _CONTEXT.match(fold(clauses[start - 1]))
    ):
        start -= 1
    return " ".join(clauses[start : at + 1]) if at >= 0 else best


def _refers_back(clause: str) -> bool:
    """Whether a clause names what it asks about with a pronoun ("what were they?",
    "where will it be built?"): what it stands for is said before."""
    return not _PRONOUNS.isdisjoint(fold(clause).split())


def _leans_back(clause: str) -> bool:
    """Whether an asking clause leans on the one before it: it goes on from it ("and
    which ministry put it out?") or asks with too few words of its own to stand alone
    ("where is it worst?", "could you give me both figures?")."""
    words = fold(clause).split()
    return words[0] in _GOING_ON or _too_few_words(words)


def _too_few_words(words: list[str]) -> bool:
    """Whether folded `words` hold too few content words to ask anything alone."""
    return sum(w not in STOPWORDS for w in words) < LEANING
