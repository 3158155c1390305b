"""The command line as users run it: the JSON ask contract, one-shot ask, the console."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answering.responder import Responder
from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.console import Console
from tests.bots import ask_json
from tests.conftest import FACTS_DB

QUESTIONS = [
    "What is Decision 749?",
    "how many digital tech companies are there in vietnam",
    "Việt Nam có bao nhiêu chuyên gia CNTT?",
    "who won the 2018 world cup",
    "hello",
    "",
    "<b>&amp; ' OR 1=1; --",
    "x" * 5000,
]


def test_json_contract() -> None:
    replies = ask_json(QUESTIONS)
    assert len(replies) == len(QUESTIONS)
    for question, reply in zip(QUESTIONS, replies, strict=True):
        assert set(reply) == {
            "question",
            "kind",
            "intent",
            "confidence",
            "text",
            "sources",
            "suggestions",
            "lang",
        }
        assert reply["lang"] in {"en", "vi"}
        assert reply["question"] == question
        assert reply["kind"] in {"answer", "clarify", "fallback", "smalltalk"}
        assert isinstance(reply["text"], str)
        assert reply["text"].strip()
        assert isinstance(reply["confidence"], int | float)
        assert 0 <= reply["confidence"] <= 100
        assert isinstance(reply["sources"], list)
        assert isinstance(reply["suggestions"], list)
        if reply["kind"] == "answer":
            assert reply["sources"]
            assert reply["intent"]
        for source in reply["sources"]:
            assert isinstance(source, dict)
            assert {"seed", "title", "publisher", "date", "quote"} <= set(source)
            seed = (PROJECT_ROOT / "seeds" / str(source["seed"])).read_text("utf-8")
            assert str(source["quote"]) in seed
    assert replies[0]["kind"] == "answer"
    assert replies[0]["intent"] == "decision_749"
    cited = replies[1]["sources"]
    assert isinstance(cited, list)
    assert {s["seed"] for s in cited} == {"003_032d86b4abb629af.txt", "004_3f1a04d0d831d797.txt"}
    assert replies[3]["kind"] != "answer"
    assert replies[4]["kind"] == "smalltalk"


def test_json_survives_bytes_that_are_not_utf8() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input=b"\xff\xfe broken\nWhat is Decision 749?\n",
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=True,
    )
    replies = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["kind"] for r in replies][1] == "answer"
    assert len(replies) == 2


def test_json_handles_thousands_of_lines_in_one_process() -> None:
    lines = [QUESTIONS[n % 5] for n in range(3000)]
    replies = ask_json(lines)
    assert [r["question"] for r in replies] == lines


def test_one_shot_ask(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "What", "is", "Decision", "749?"]) == 0
    out = capsys.readouterr().out
    assert "749/QD-TTg" in out
    assert "Institutional revolution driving digital transformation in Vietnam" in out


def test_missing_database_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FACTS_DB", "/nonexistent/facts.db")
    assert main(["ask", "hello"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "facts database not found" in err[0]


@pytest.mark.parametrize("command", ["run", "serve"])
def test_an_http_api_url_off_this_machine_stops_start_up_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://bot-api.example.org:8081")
    assert main([command]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "TELEGRAM_API_URL must use https://" in line and "clear text" in line


async def test_console_conversation(responder: Responder) -> None:
    script = "hello\nWhat is Decision 749?\nDoctors for Every Home\n1\n/quit\nnot read\n"
    stdin = io.StringIO(script)
    stdout = io.StringIO()
    await Console(responder, stdin, stdout).run()
    out = stdout.getvalue()
    assert "Hello!" in out
    assert "749/QD-TTg" in out
    assert "not read" not in out
    assert out.count("you> ") == 5


async def test_console_ends_on_eof(responder: Responder) -> None:
    stdout = io.StringIO()
    await Console(responder, io.StringIO("thanks"), stdout).run()
    assert "You're welcome" in stdout.getvalue()
    assert stdout.getvalue().endswith("you> \n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"this is not a database" * 100, "not a usable facts database", id="corrupt"),
        pytest.param(b"", "not a usable facts database", id="empty"),
    ],
)
def test_unusable_database_is_one_clear_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    message: str,
) -> None:
    bad = tmp_path / "facts.db"
    bad.write_bytes(content)
    monkeypatch.setenv("FACTS_DB", str(bad))
    assert main(["ask", "hello"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert message in err[0]
    assert "policybot build" in err[0]


def test_database_of_another_schema_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "facts.db"
    shutil.copy(FACTS_DB, other)
    with sqlite3.connect(other) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    monkeypatch.setenv("FACTS_DB", str(other))
    assert main(["ask", "hello"]) == 2
    assert "schema version '0'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM prepared WHERE name = 'chars.text'",
        "UPDATE prepared SET data = x'00' WHERE name = 'chars.count'",
        "UPDATE prepared SET data = CAST('{}' AS BLOB) WHERE name = 'words'",
    ],
    ids=["missing", "truncated", "empty-words"],
)
def test_damaged_index_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    damage: str,
) -> None:
    other = tmp_path / "facts.db"
    shutil.copy(FACTS_DB, other)
    with sqlite3.connect(other) as db:
        db.execute(damage)
    monkeypatch.setenv("FACTS_DB", str(other))
    assert main(["ask", "hello"]) == 2
    [err] = capsys.readouterr().err.strip().splitlines()
    assert "index is unusable" in err and "policybot build" in err
