"""New phrasings proposed from feedback, for `policybot learn`.

Two signals say that a question people asked means an intent: an option tapped after
"which of these?" (the question → the intent chosen), and a 👍 on an answer. A question
becomes a proposed phrasing of that intent unless, once folded, it already is a
phrasing of any intent (intents.yaml allows a phrasing in one intent only, so the build
would refuse it), a maintainer rejected it for that intent before, someone gave the
same answer a 👎, its language cannot be told (it goes under `en:` or `vi:`), people
tapped different intents for it equally often, or it was read as a follow-up ("who
issued it?" means Decision 749 only after an answer about it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from bot.feedback.log import DOWN, NONE_CHOSEN, UP, Signal
from bot.models import Intent, Kind
from bot.text import fold, language_of

MAX_PHRASING = 200  # characters: a longer message is a story, not a way of asking


@dataclass(frozen=True, slots=True)
class Proposal:
    """A question to add to `intent`'s `lang` phrasings, and the evidence for it."""

    intent: str
    lang: str  # "en" or "vi"
    phrasing: str
    taps: int = 0
    ups: int = 0

    @property
    def evidence(self) -> str:
        said = [f"{self.taps} tap{'s' * (self.taps != 1)}"] if self.taps else []
        said += [f"{self.ups} 👍"] if self.ups else []
        return ", ".join(said)


def _support(signal: Signal) -> str | None:
    """The intent `signal` says its question means, if it says one (a follow-up such
    as "who issued it?" means it only after the chat's last answer)."""
    if signal.follow_up:
        return None
    if signal.kind is Kind.CLARIFY and signal.intent and signal.intent != NONE_CHOSEN:
        return signal.intent
    if signal.kind is Kind.ANSWER and signal.vote == UP:
        return signal.intent
    return None


def propose(
    signals: Iterable[Signal],
    intents: Iterable[Intent],
    rejected: AbstractSet[tuple[str, str]] = frozenset(),
) -> list[Proposal]:
    """The phrasings `signals` support, in the order of intents.yaml, then by question."""
    order: dict[str, int] = {}
    known: set[str] = set()
    for n, intent in enumerate(intents):
        order[intent.id] = n
        known.update(fold(p) for p in intent.phrasings)
    taps: Counter[tuple[str, str]] = Counter()
    ups: Counter[tuple[str, str]] = Counter()
    disliked: set[tuple[str, str]] = set()
    shown: dict[str, str] = {}
    for signal in signals:
        text = " ".join(signal.question.split())
        key = fold(text)
        if signal.kind is Kind.ANSWER and signal.vote == DOWN and signal.intent:
            disliked.add((key, signal.intent))
        meant = _support(signal)
        if meant is None or meant not in order or not key or len(text) > MAX_PHRASING:
            continue
        shown.setdefault(key, text)
        (taps if signal.kind is Kind.CLARIFY else ups)[key, meant] += 1
    proposals = []
    for key, text in shown.items():
        if key in known:
            continue
        weight = Counter({i: taps[k, i] + ups[k, i] for k, i in taps | ups if k == key})
        (best, n), *rest = weight.most_common()
        lang = language_of(text)
        if (rest and rest[0][1] == n) or lang is None:
            continue
        if (key, best) in rejected or (key, best) in disliked:
            continue
        proposals.append(Proposal(best, lang, text, taps[key, best], ups[key, best]))
    return sorted(proposals, key=lambda p: (order[p.intent], p.lang, p.phrasing))
