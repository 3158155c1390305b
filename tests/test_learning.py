"""`policybot learn` end to end: taps recorded in a real state database, accepted at
the prompt, written into a copy of the knowledge, rebuilt, and the rebuilt bot measured.

Slow (a rebuild trains the decision, about 45 s): run with `pytest -m slow`. The repo's
own intents.yaml and facts.db are never touched: everything happens in a copy.
"""

from __future__ import annotations

import asyncio
import difflib
import hashlib
import io
import shutil
import sys
from pathlib import Path

import pytest

from bot.cli import main, open_responder
from bot.config import PROJECT_ROOT
from bot.evaluation.labelled import load_items
from bot.evaluation.report import Evaluation
from bot.feedback.log import FeedbackLog
from bot.feedback.proposals import propose
from bot.knowledge import intents, seeds
from bot.models import Kind
from tests.bots import HASH_KEY

# Reworded questions that the committed bot answers with "which of these?", each with
# the option a user would tap.
TAPPED = [
    ("how fast should broadband be", "internet_speed_100mbps_2025"),
    ("digital government index rank", "egov_ranking_2022"),
    ("what about cybersecurity", "cyber_security_top_30"),
    ("broadband and 5G", "broadband_rollout_digitizing_infrastructure"),
    ("fibre connections", "smartphone_per_person_fibre_per_household"),
    ("tell me about the ICT industry", "ict_industry_total_revenue"),
]
REJECTED = "tell me about the ICT industry"  # said n
MAX_MOVED_DOWN = 5  # of the 291 labelled questions (see the test)
LABELLED = [
    PROJECT_ROOT / "tests" / "data" / "questions.yaml",
    PROJECT_ROOT.parent / "shared" / "eval" / "dev_questions.yaml",  # where it is present
]


def copy_knowledge(root: Path) -> Path:
    """What `policybot build` reads, copied under `root`."""
    shutil.copytree(PROJECT_ROOT / "seeds", root / "seeds")
    shutil.copy(PROJECT_ROOT / "intents.yaml", root / "intents.yaml")
    shutil.copytree(PROJECT_ROOT / "tests" / "data", root / "tests" / "data")
    return root


async def record_taps(state: Path, facts_db: Path) -> None:
    """Each question asked, answered "which of these?", and the option tapped."""
    async with open_responder(facts_db) as responder, FeedbackLog(state, HASH_KEY) as log:
        for question, intent in TAPPED:
            reply = await responder.reply(question)
            assert reply.kind is Kind.CLARIFY, question
            assert intent in [s.intent_id for s in reply.suggestions], question
            token = log.new_token()
            await log.offered(token, reply, 1001)
            assert await log.chose(token, intent)


async def outcomes(facts_db: Path) -> dict[str, tuple[str, str | None]]:
    """The kind and intent of the reply to every tapped question."""
    async with open_responder(facts_db) as responder:
        replies = [await responder.reply(q) for q, _ in TAPPED]
    return {r.question: (r.kind.value, r.intent_id) for r in replies}


FIRST_TIME, ONE_TAP, MISSED, FALSE = 2, 1, 0, -1


async def graded(facts_db: Path) -> tuple[dict[str, int], list[str]]:
    """Every labelled question graded as the evaluation counts it (a fact: FIRST_TIME,
    ONE_TAP, MISSED or FALSE when answered wrong; out of scope: FIRST_TIME when not
    answered, FALSE when answered; small talk: FIRST_TIME when handled right), and each
    set's figures."""
    grades: dict[str, int] = {}
    figures = []
    async with open_responder(facts_db) as responder:
        for path in (p for p in LABELLED if p.is_file()):
            evaluation = Evaluation(responder, [[item] for item in load_items(path)])
            weighed = evaluation.weighed()
            figures.append(f"{path.name}: {evaluation.tally(weighed)[0].line()}")
            for item, question, candidates in weighed:
                outcome = responder.outcome(question, candidates)
                ids = [w.match.intent_id for w in outcome.involved]
                if item.kind == "fallback":
                    grade = FALSE if outcome.kind is Kind.ANSWER else FIRST_TIME
                elif item.kind == "smalltalk":
                    grade = FIRST_TIME if outcome.kind is Kind.SMALLTALK else MISSED
                elif outcome.kind is Kind.ANSWER:
                    grade = FIRST_TIME if evaluation.right(item, ids[0]) else FALSE
                elif outcome.kind is Kind.CLARIFY and any(evaluation.right(item, i) for i in ids):
                    grade = ONE_TAP
                else:
                    grade = MISSED
                grades[f"{path.name}: {item.question}"] = grade
    return grades, figures


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_learned_phrasings_are_answered_first_time_and_nothing_gets_worse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = {p: digest(p) for p in (PROJECT_ROOT / "intents.yaml", PROJECT_ROOT / "facts.db")}
    root = copy_knowledge(tmp_path / "knowledge")
    state, rebuilt = tmp_path / "state.db", root / "facts.db"
    asyncio.run(record_taps(state, PROJECT_ROOT / "facts.db"))
    before_grades, figures_before = asyncio.run(graded(PROJECT_ROOT / "facts.db"))

    async def proposed() -> list[str]:
        found = seeds.read_seeds(root / "seeds")
        articles = seeds.read_sources(root / "seeds", found)
        curated = intents.read_intents(root / "intents.yaml", found, articles)
        async with FeedbackLog(state, HASH_KEY) as log:
            return [p.phrasing for p in propose(await log.signals(), curated.intents)]

    order = asyncio.run(proposed())
    assert sorted(order) == sorted(q for q, _ in TAPPED)
    answers = "".join("n\n" if q == REJECTED else "y\n" for q in order)
    monkeypatch.setenv("STATE_DB", str(state))
    monkeypatch.setenv("HASH_KEY", HASH_KEY)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    before = (root / "intents.yaml").read_text(encoding="utf-8")
    assert main(["learn", "--root", str(root), "--output", str(rebuilt)]) == 0
    out = capsys.readouterr().out
    assert out.count("add this phrasing? [y]es, [n]o, [q]uit:") == len(TAPPED)
    assert f"added {len(TAPPED) - 1} phrasings" in out

    # The diff of intents.yaml is the accepted phrasings, one added line each.
    after = (root / "intents.yaml").read_text(encoding="utf-8")
    changes = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    accepted = [q for q, _ in TAPPED if q != REJECTED]
    assert all(line.startswith("+") for line in changes) and len(changes) == len(accepted)
    assert {line.split("- ", 1)[1].strip('"') for line in changes} == set(accepted)

    # The rebuilt bot answers every accepted question first time, with the tapped intent.
    replies = asyncio.run(outcomes(rebuilt))
    for question, intent in TAPPED:
        if question != REJECTED:
            assert replies[question] == ("answer", intent), question
    after_grades, figures_after = asyncio.run(graded(rebuilt))
    with capsys.disabled():  # the figures, for whoever runs it
        print("\n".join(["", "before:", *figures_before, "after:", *figures_after]))
    # No labelled question becomes a false answer or an out-of-scope one answered.
    # Retraining the decision may move a few borderline ones from an answer to "which
    # of these?" with the right option, or to a refusal (none of questions.yaml's 155
    # facts when this was written): reported, and bounded here.
    worse = {q: (before_grades[q], g) for q, g in after_grades.items() if g < before_grades[q]}
    with capsys.disabled():
        print("moved down (before, after):", sorted(worse.items()))
    assert all(now != FALSE for _, now in worse.values()), worse
    assert len(worse) <= MAX_MOVED_DOWN, worse

    # The rejected proposal is not proposed again; the repo's own knowledge is untouched.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["learn", "--root", str(root), "--output", str(rebuilt)]) == 0
    assert "nothing to learn" in capsys.readouterr().out
    assert {p: digest(p) for p in repo} == repo
