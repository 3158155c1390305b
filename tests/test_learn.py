"""What `policybot learn` and the feedback report are made of: proposals from signals,
phrasings added to intents.yaml as new lines only, the y/n/q review, the reviewed file,
putting intents.yaml back when the rebuild fails, and the report's sections."""

from __future__ import annotations

import asyncio
import difflib
import io
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.errors import InputError
from bot.feedback.log import DOWN, NONE_CHOSEN, UP, FeedbackLog, Signal
from bot.feedback.proposals import Proposal, propose
from bot.feedback.report import groups, report
from bot.knowledge import intents, phrasings, seeds
from bot.learning import apply, read_reviewed, review, write_reviewed
from bot.models import Intent, Kind, Lang
from tests.bots import HASH_KEY

EN, VI = Lang.EN, Lang.VI


def tap(question: str, intent: str, lang: Lang = EN) -> Signal:
    return Signal(question, lang, Kind.CLARIFY, intent)


def vote(question: str, intent: str, given: int, note: str | None = None) -> Signal:
    return Signal(question, EN, Kind.ANSWER, intent, given, note)


@pytest.fixture(scope="module")
def known() -> tuple[Intent, ...]:
    """The intents of the repo's intents.yaml, as the build reads them."""
    found = seeds.read_seeds(PROJECT_ROOT / "seeds")
    articles = seeds.read_sources(PROJECT_ROOT / "seeds", found)
    return tuple(intents.read_intents(PROJECT_ROOT / "intents.yaml", found, articles).intents)


REWORDED = "who runs UNDP in vietnam"
PROPOSAL_CASES = [
    pytest.param(
        [tap(REWORDED, "ramla_khalidi")], [("ramla_khalidi", "en", REWORDED, 1, 0)], id="tap"
    ),
    pytest.param(
        [vote(REWORDED, "ramla_khalidi", UP), tap(REWORDED + "?", "ramla_khalidi")],
        [("ramla_khalidi", "en", REWORDED, 1, 1)],
        id="thumbs-up-and-tap-folded-alike",
    ),
    pytest.param(
        [tap("Ai đứng đầu UNDP tại Việt Nam?", "ramla_khalidi", VI)],
        [("ramla_khalidi", "vi", "Ai đứng đầu UNDP tại Việt Nam?", 1, 0)],
        id="vietnamese",
    ),
    pytest.param([tap("what was decision 749 about", "decision_749")], [], id="already-a-phrasing"),
    pytest.param(
        [tap("What did Decision No. 749 approve?", "programme_approval")],
        [],
        id="a-phrasing-of-another-intent",
    ),
    pytest.param([tap("ranking", "egov_ranking_target_2030")], [], id="language-untold"),
    pytest.param([tap(REWORDED, NONE_CHOSEN)], [], id="none-of-these"),
    pytest.param([vote(REWORDED, "ramla_khalidi", DOWN)], [], id="thumbs-down"),
    pytest.param(
        [tap(REWORDED, "ramla_khalidi"), vote(REWORDED, "ramla_khalidi", DOWN)],
        [],
        id="tapped-then-disliked",
    ),
    pytest.param(
        [tap(REWORDED, "ramla_khalidi"), tap(REWORDED, "undp_role")], [], id="tie-between-intents"
    ),
    pytest.param(
        [tap(REWORDED, "ramla_khalidi"), tap(REWORDED, "undp_role"), tap(REWORDED, "undp_role")],
        [("undp_role", "en", REWORDED, 2, 0)],
        id="majority",
    ),
    pytest.param([tap(REWORDED, "no_such_intent")], [], id="unknown-intent"),
    pytest.param(
        [Signal("who issued it?", EN, Kind.ANSWER, "decision_749", UP, None, True)],
        [],
        id="follow-up",
    ),
    pytest.param([tap("who " * 60 + "runs UNDP", "ramla_khalidi")], [], id="too-long"),
]


@pytest.mark.parametrize(("signals", "expected"), PROPOSAL_CASES)
def test_proposals(
    known: tuple[Intent, ...], signals: list[Signal], expected: list[tuple[object, ...]]
) -> None:
    found = propose(signals, known)
    assert [(p.intent, p.lang, p.phrasing, p.taps, p.ups) for p in found] == expected


def test_a_rejected_proposal_is_not_proposed_again(known: tuple[Intent, ...]) -> None:
    signals = [tap(REWORDED, "ramla_khalidi")]
    assert propose(signals, known, {("who runs undp in vietnam", "ramla_khalidi")}) == []


def test_phrasings_are_added_as_new_lines_and_nothing_else_changes(tmp_path: Path) -> None:
    path = tmp_path / "intents.yaml"
    shutil.copy(PROJECT_ROOT / "intents.yaml", path)
    before = path.read_text(encoding="utf-8")
    added = [
        ("ramla_khalidi", "en", 'who runs UNDP in vietnam: the "resident rep" #1?'),
        ("ramla_khalidi", "vi", "Ai đứng đầu UNDP tại Việt Nam?"),
        ("decision_749", "en", "what's 749 - the decision - about"),
    ]
    phrasings.write_atomically(path, phrasings.add(path, added))
    after = path.read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(diff) == len(added) and all(line.startswith("+") for line in diff)
    data = {e["id"]: e for e in yaml.safe_load(after)["intents"]}
    for intent_id, lang, text in added:
        assert data[intent_id][lang][-1] == text


MULTILINE = """\
# a comment that stays
intents:
- id: one
  en:
  - first
  - a long phrasing
    folded onto a second line
  # a comment after the list
  vi: [một, hai]
"""


def test_a_multi_line_last_item_is_followed_not_split(tmp_path: Path) -> None:
    path = tmp_path / "intents.yaml"
    path.write_text(MULTILINE, encoding="utf-8")
    text = phrasings.add(path, [("one", "en", "third")])
    assert text == MULTILINE.replace("second line\n", 'second line\n  - "third"\n')


@pytest.mark.parametrize(
    ("addition", "problem"),
    [
        (("two", "en", "x"), "intent 'two' has no 'en' list"),
        (("one", "vi", "x"), "is not one item a line"),
    ],
    ids=["unknown-intent", "flow-list"],
)
def test_a_list_that_cannot_take_a_line_is_refused(
    tmp_path: Path, addition: tuple[str, str, str], problem: str
) -> None:
    path = tmp_path / "intents.yaml"
    path.write_text(MULTILINE, encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        phrasings.add(path, [addition])
    assert path.read_text(encoding="utf-8") == MULTILINE


PROPOSALS = [
    Proposal("ramla_khalidi", "en", REWORDED, taps=2),
    Proposal("decision_749", "en", "what's 749 about", ups=1),
    Proposal("undp_role", "en", "what does UNDP do here", taps=1, ups=1),
]


@pytest.mark.parametrize(
    ("typed", "accepted", "rejected"),
    [
        ("y\nn\ny\n", [0, 2], [1]),
        ("Y\nyes\nNo\n", [0, 1], [2]),
        ("n\nq\n", [], [0]),
        ("maybe\ny\n\nn\ny\n", [0, 2], [1]),  # anything else asks again
        ("y\n", [0], []),  # end of input: stop as for q
    ],
    ids=["y-n-y", "words", "quit", "unclear-asks-again", "end-of-input"],
)
def test_review_asks_about_each_proposal(
    typed: str, accepted: list[int], rejected: list[int]
) -> None:
    out = io.StringIO()
    yes, no = review(PROPOSALS, io.StringIO(typed), out)
    assert yes == [PROPOSALS[n] for n in accepted]
    assert no == [PROPOSALS[n] for n in rejected]
    assert f"ramla_khalidi (en, 2 taps): {REWORDED}" in out.getvalue()
    if "maybe" in typed:
        assert out.getvalue().count("please answer y, n or q") == 2


def test_the_reviewed_file_round_trips(tmp_path: Path, known: tuple[Intent, ...]) -> None:
    path = tmp_path / "proposals.yaml"
    write_reviewed(path, PROPOSALS)
    assert "policybot learn --accept-all" in path.read_text(encoding="utf-8")
    by_id = {i.id: i for i in known}
    assert [(p.intent, p.lang, p.phrasing) for p in read_reviewed(path, by_id)] == [
        (p.intent, p.lang, p.phrasing) for p in PROPOSALS
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- intent: nope\n  lang: en\n  phrasing: x\n", ":1: no intent 'nope'"),
        ("- intent: decision_749\n  lang: fr\n  phrasing: x\n", ":1: lang 'fr'"),
        (
            "- intent: decision_749\n  lang: en\n  phrasing: x\n- intent: decision_749\n"
            "  lang: en\n  phrasing: ' '\n",
            ":4: the phrasing is empty",
        ),
        ("intent: decision_749\n", "expected a list"),
    ],
    ids=["unknown-intent", "unknown-lang", "empty-phrasing", "not-a-list"],
)
def test_a_broken_reviewed_file_names_file_and_line(
    tmp_path: Path, known: tuple[Intent, ...], text: str, problem: str
) -> None:
    path = tmp_path / "proposals.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        read_reviewed(path, {i.id: i for i in known})


async def test_a_failed_rebuild_puts_intents_yaml_back(tmp_path: Path) -> None:
    path = tmp_path / "intents.yaml"
    shutil.copy(PROJECT_ROOT / "intents.yaml", path)
    before = path.read_bytes()
    seen: list[bytes] = []

    async def refuse() -> None:
        seen.append(path.read_bytes())
        raise InputError(str(path), 3, "refused; fix it")

    with pytest.raises(InputError):
        await apply(path, PROPOSALS[:1], refuse)
    assert seen and seen[0] != before  # the rebuild read the new phrasings...
    assert path.read_bytes() == before  # ...and the file is as it was
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


async def record(state: Path, signals: list[tuple[str, str]]) -> None:
    """Taps recorded as the bot records them: the reply kept, then the option tapped."""
    from bot.models import Reply

    async with FeedbackLog(state, HASH_KEY) as log:
        for question, intent in signals:
            token = log.new_token()
            await log.offered(token, Reply(question, Kind.CLARIFY, EN), 1001)
            await log.chose(token, intent)


def test_learn_at_the_prompt_rejects_and_quits_without_touching_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "seeds", root / "seeds")
    shutil.copy(PROJECT_ROOT / "intents.yaml", root / "intents.yaml")
    before = (root / "intents.yaml").read_bytes()
    state = tmp_path / "state.db"
    asyncio.run(record(state, [(REWORDED, "ramla_khalidi"), ("what's 749 about", "decision_749")]))
    monkeypatch.setenv("STATE_DB", str(state))
    monkeypatch.setenv("HASH_KEY", HASH_KEY)
    learn = ["learn", "--root", str(root), "--output", str(root / "facts.db")]

    monkeypatch.setattr(sys, "stdin", io.StringIO("n\nq\n"))
    assert main(learn) == 0
    out = capsys.readouterr().out
    assert out.count("add this phrasing?") == 2
    assert "intents.yaml is unchanged" in out

    # The rejected one is not proposed again; the other is, until it is decided.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(learn) == 0
    out = capsys.readouterr().out
    assert out.count("add this phrasing?") == 1
    assert "decision_749 (en, 1 tap): what's 749 about" in out
    assert (root / "intents.yaml").read_bytes() == before
    assert not (root / "facts.db").exists()

    assert main([*learn, "--write", str(tmp_path / "p.yaml")]) == 0
    assert "wrote 1 proposed phrasings" in capsys.readouterr().out


def test_similar_unanswered_questions_are_grouped() -> None:
    texts = [
        "Thailand visa rules for tourists",
        "visa rules for Thailand tourists?",
        "thailand visa rules for tourists",
        "what is the weather in Hanoi",
        "Weather in Hanoi today",
        "bitcoin price",
    ]
    assert groups(texts) == [
        ("Thailand visa rules for tourists", 3, ("visa rules for Thailand tourists?",)),
        ("Weather in Hanoi today", 2, ("what is the weather in Hanoi",)),
        ("bitcoin price", 1, ()),
    ]


def test_the_report_names_votes_notes_taps_and_none() -> None:
    signals = [
        vote("What is Decision 749?", "decision_749", DOWN, "the date it was signed"),
        vote("what's 749", "decision_749", DOWN),
        vote(REWORDED, "ramla_khalidi", UP),
        vote("who is hung", "nguyen_manh_hung", DOWN, "x" * 500),
        tap("ranking", "egov_ranking_target_2030"),
        tap("Ranking?", "egov_ranking_target_2030"),
        tap("tech firms", NONE_CHOSEN),
    ]
    text = report(signals, ["bitcoin price"]).text()
    assert "feedback: 1 👍, 3 👎, 2 notes" in text
    lines = text.splitlines()
    first = lines.index("  decision_749: 2 👎, 0 👍")
    assert lines[first + 2] == "    What is Decision 749?  (looking for: the date it was signed)"
    assert "  nguyen_manh_hung: 1 👎, 0 👍" in lines
    assert max(len(line) for line in lines) < 160  # long notes are cut
    assert "  2× ranking → egov_ranking_target_2030" in lines
    assert '"None of these": 1' in lines and "  1× tech firms" in lines
    assert "  1× bitcoin price" in lines
    empty = report([], []).text()
    assert empty.count("  none") == 3
