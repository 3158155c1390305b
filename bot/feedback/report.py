"""The feedback sections of `policybot report` and /stats, in plain text for maintainers.

Per intent, the answers most often 👎 with the notes left; the questions whose "which
of these?" ended in a tap (question → chosen intent); "None of these"; and the
unanswered questions grouped by similarity, so that ten ways of asking one missing
thing read as one line. Questions are grouped by their folded text; similar ones by
rapidfuzz's `token_sort_ratio` against each group's first (most frequent) question.
Grouping a thousand distinct questions takes about 30 ms (2 cores); the question log
hands over its last 2,000 unanswered ones (bot/state.py, `texts`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.feedback.log import DOWN, NONE_CHOSEN, UP, Signal
from bot.models import Kind, Lang
from bot.text import fold

SIMILAR = 70  # token_sort_ratio at which two unanswered questions count as one group
NOTE_LIMIT = 120  # characters of a question or note shown in the report


@dataclass(frozen=True, slots=True)
class Disliked:
    """One intent's votes, and the questions (with notes) behind its 👎."""

    intent: str
    down: int
    up: int
    examples: tuple[tuple[str, str | None], ...]  # question, note


@dataclass(frozen=True, slots=True)
class FeedbackReport:
    votes: tuple[int, int, int]  # 👍, 👎, notes
    disliked: tuple[Disliked, ...]
    taps: tuple[tuple[str, str, int], ...]  # question, chosen intent, how often
    none: tuple[tuple[str, int], ...]  # question, how often
    unanswered: tuple[tuple[str, int, tuple[str, ...]], ...]  # first, how many, others

    def text(self, limit: int = 10, lang: Lang = Lang.EN) -> str:
        """The feedback sections for a maintainer reading `lang`."""
        say = _LABELS[lang]
        none = f"  {say['none']}"
        up, down, notes = self.votes
        lines = [say["votes"].format(up=up, down=down, notes=notes), say["disliked"]]
        for d in self.disliked[:limit]:
            lines.append(f"  {d.intent}: {d.down} 👎, {d.up} 👍")
            for question, note in d.examples:
                said = f"  ({say['looking']}: {_short(note)})" if note else ""
                lines.append(f"    {_short(question)}{said}")
        if not self.disliked:
            lines.append(none)
        lines.append(say["taps"])
        lines += [f"  {n}× {_short(q)} → {i}" for q, i, n in self.taps[:limit]] or [none]
        lines.append(f"{say['none_of_these']}: {sum(n for _, n in self.none)}")
        lines += [f"  {n}× {_short(q)}" for q, n in self.none[:limit]]
        lines.append(say["grouped"])
        for first, n, others in self.unanswered[:limit]:
            similar = "; ".join(_short(o) for o in others[:3])
            also = f"  ({say['also']}: {similar})" if others else ""
            lines.append(f"  {n}× {_short(first)}{also}")
        if not self.unanswered:
            lines.append(none)
        return "\n".join(lines)


# The sections' labels: read by maintainers and admins, in English or Vietnamese.
_LABELS = {
    Lang.EN: {
        "votes": "feedback: {up} 👍, {down} 👎, {notes} notes",
        "disliked": "answers most often 👎, by intent:",
        "looking": "looking for",
        "none": "none",
        "taps": '"which of these?" ended in a tap (question → chosen intent):',
        "none_of_these": '"None of these"',
        "grouped": "unanswered, grouped by similarity:",
        "also": "also",
    },
    Lang.VI: {
        "votes": "phản hồi: {up} 👍, {down} 👎, {notes} ghi chú",
        "disliked": "câu trả lời bị 👎 nhiều nhất, theo ý định:",
        "looking": "đang tìm",
        "none": "không có",
        "taps": '"ý bạn là câu nào?" kết thúc bằng một lựa chọn (câu hỏi → ý định được chọn):',
        "none_of_these": '"Không câu nào"',
        "grouped": "chưa trả lời được, gộp theo độ giống nhau:",
        "also": "cùng nhóm",
    },
}


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 1] + "…"


def _frequent(texts: list[str]) -> list[tuple[str, int]]:
    """Each distinct question (folded) with how often, the most frequent first; the form
    shown is the first seen."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text in texts:
        key = fold(text) or text.strip()
        counts[key] += 1
        shown.setdefault(key, text.strip())
    return [(shown[k], n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def groups(texts: list[str]) -> list[tuple[str, int, tuple[str, ...]]]:
    """`texts` in groups of similar questions, the largest first: each group's most
    frequent question, the group's size, and its other questions.

    Each question, most frequent first, starts a group unless an earlier group's first
    question is similar; the similarities come from one `process.cdist` (C++, all
    cores), so a thousand distinct questions take milliseconds, not a second.
    """
    distinct = _frequent(texts)
    # token_sort_ratio is `ratio` on the words sorted: sorted once here, not per pair.
    words = [" ".join(sorted(fold(t).split())) for t, _ in distinct]
    scores = process.cdist(words, words, scorer=fuzz.ratio, score_cutoff=SIMILAR, workers=-1)
    leader = [-1] * len(distinct)
    found: list[list[int]] = []
    for i in range(len(distinct)):
        if leader[i] >= 0:
            continue
        members = [j for j in scores[i].nonzero()[0].tolist() if j >= i and leader[j] < 0]
        for j in members:
            leader[j] = len(found)
        found.append(members or [i])
    ranked = sorted(found, key=lambda g: -sum(distinct[j][1] for j in g))
    return [
        (distinct[g[0]][0], sum(distinct[j][1] for j in g), tuple(distinct[j][0] for j in g[1:]))
        for g in ranked
    ]


def report(signals: list[Signal], unanswered: list[str], examples: int = 3) -> FeedbackReport:
    """The feedback report from every signal and the unanswered questions' texts."""
    answers = [s for s in signals if s.kind is Kind.ANSWER and s.intent]
    per_intent: dict[str, list[Signal]] = defaultdict(list)
    for s in answers:
        per_intent[str(s.intent)].append(s)
    disliked = [
        Disliked(
            intent,
            sum(s.vote == DOWN for s in given),
            sum(s.vote == UP for s in given),
            tuple((s.question, s.note) for s in reversed(given) if s.vote == DOWN)[:examples],
        )
        for intent, given in per_intent.items()
    ]
    disliked = sorted((d for d in disliked if d.down), key=lambda d: (-d.down, d.up, d.intent))
    tapped = [s for s in signals if s.kind is Kind.CLARIFY and s.intent]
    taps: Counter[tuple[str, str]] = Counter()
    shown: dict[tuple[str, str], str] = {}
    for s in tapped:
        if s.intent != NONE_CHOSEN:
            key = (fold(s.question), str(s.intent))
            taps[key] += 1
            shown.setdefault(key, s.question)
    return FeedbackReport(
        votes=(
            sum(s.vote == UP for s in answers),
            sum(s.vote == DOWN for s in answers),
            sum(bool(s.note) for s in signals),
        ),
        disliked=tuple(disliked),
        taps=tuple(
            (shown[k], k[1], n) for k, n in sorted(taps.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        none=tuple(_frequent([s.question for s in tapped if s.intent == NONE_CHOSEN])),
        unanswered=tuple(groups(unanswered)),
    )
