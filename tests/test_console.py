"""The console as a full front end, driven by scripted stdin: Telegram's commands,
numbered lists, /more, leaving, and the question log when STATE_DB is set."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answering import screens
from bot.answering.responder import Responder
from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.console import CHAT, Console
from bot.models import Lang
from bot.state import QuestionLog


async def chat(responder: Responder, *lines: str, log: QuestionLog | None = None) -> list[str]:
    """What the console wrote after each line typed (the banner left out)."""
    stdout = io.StringIO()
    await Console(responder, io.StringIO("".join(f"{x}\n" for x in lines)), stdout, log).run()
    return [part.strip() for part in stdout.getvalue().split("you> ")[1:]]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/help", "/timeline — Dated events and targets, in order"),
        ("/start", "I answer questions about Vietnam's digital transformation"),
        ("/about", "I give no advice and no opinions"),
        ("/sources", "1. Viet Nam Finalizes E-Strategy to Close Digital Divide"),
        ("/topics", "10. Related news (VNA)"),
        ("/HELP", "/search — Search the articles' sentences"),
    ],
    ids=["help", "start", "about", "sources", "topics", "any-case"],
)
async def test_telegrams_commands_answer_as_telegram_does(
    responder: Responder, command: str, expected: str
) -> None:
    [out, _] = await chat(responder, command)
    assert expected in out


async def test_commands_follow_the_chosen_language(responder: Responder) -> None:
    chosen, help_vi, topics_vi = (await chat(responder, "/lang tiếng việt", "/help", "/topics"))[:3]
    assert chosen == "Từ giờ tôi sẽ dùng tiếng Việt."
    assert help_vi == screens.help(
        Lang.VI, screens.PLAIN, ("start", *screens.COMMANDS[1:], "more", "quit")
    )
    assert "Gõ số của một chủ đề" in topics_vi


@pytest.mark.parametrize("word", ["exit", "quit", "/exit", "/quit", "QUIT", "/q"])
async def test_leaving_with_or_without_a_slash(responder: Responder, word: str) -> None:
    said = await chat(responder, "hello", word, "What is Decision 749?")
    assert len(said) == 2 and said[1] == ""  # nothing after leaving is read


async def test_numbers_pick_only_from_the_list_shown(responder: Responder) -> None:
    topics, questions, hint, answer, unlisted = (
        await chat(responder, "/topics", "3", "99", "1", "99")
    )[:5]
    assert "3. E-government and public services" in topics
    assert questions.startswith("E-government and public services\nPick a question:\n1. ")
    listed = sum(line[:1].isdigit() for line in questions.split("\n"))
    assert (
        hint == f"That number is not on the list above; type one of 1–{listed}, or ask a question."
    )
    assert "“" in answer and "—" in answer  # an answer, quoted and sourced
    assert "Sorry" in unlisted or "“" in unlisted  # no list any more: a question again


async def test_none_of_these_and_a_number_off_the_list_after_which_of_these(
    responder: Responder,
) -> None:
    clarify, off, none = (await chat(responder, "resolution", "7", "0"))[:3]
    assert "0. None of these" in clarify
    assert off.startswith("Type the number of one of the questions above")
    assert none.startswith("Thanks, noted")


@pytest.mark.parametrize(("lines", "kept"), [(("resolution",), True), (("resolution", "0"), False)])
async def test_which_of_these_leaves_a_context_until_none_of_these(
    responder: Responder, lines: tuple[str, ...], kept: bool
) -> None:
    """Until an option is picked, the likeliest one is what the chat is about."""
    console = Console(responder, io.StringIO("".join(f"{x}\n" for x in lines)), io.StringIO())
    await console.run()
    assert (console.talk.get(CHAT) is not None) is kept


async def test_search_with_more_and_its_hints(responder: Responder) -> None:
    usage, first, second, *_ = await chat(
        responder, "/search", "/search chính phủ điện tử", "/more", *["/more"] * 5
    )
    assert usage.startswith("Put the words to look for after /search")
    assert "**e-government**" in first.lower() and "1. " in first
    assert first.endswith("Type /more for more.")
    assert "(page 2)" in second and "6. " in second
    said = await chat(responder, "/search nuclear power", "/more")
    assert "**nuclear power**" in said[0]
    assert said[1].startswith("Nothing more to show")


async def test_nothing_found_lists_the_topics_to_pick_from(responder: Responder) -> None:
    nothing, topic = (await chat(responder, "/search xyzzy", "2"))[:2]
    assert "No sentence of the articles holds “xyzzy”" in nothing
    assert "1. National programme" in nothing
    assert topic.startswith("Targets for 2025 and 2030")


async def test_timeline_numbers_show_quote_and_source(responder: Responder) -> None:
    listed, card, more, year = (await chat(responder, "/timeline", "5", "/more", "/timeline 2025"))[
        :4
    ]
    assert listed.startswith("Dated events and targets in the articles, in date order (page 1 of")
    assert listed.endswith("Type a number for its quote and source. Type /more for more.")
    event = responder.knowledge.timeline[4]
    assert f"“{event.quote}”" in card and "\n— " in card
    assert "\n11. " in more
    assert all(" 2025 · " in line for line in year.split("\n")[1:-2])


async def test_questions_are_logged_when_there_is_a_log(tmp_path: Path) -> None:
    async with QuestionLog(tmp_path / "q.db", "k" * 32) as log:
        from bot.cli import open_responder

        async with open_responder(PROJECT_ROOT / "facts.db") as responder:
            await chat(responder, "resolution", "0", "What is Decision 749?", "/help", log=log)
        report = await log.report()
    assert report.total == 3  # two questions and a "None of these"; commands are not
    assert report.by_kind == {"answer": 1, "clarify": 1, "none": 1}
    assert report.clarified == [("resolution", 1)]


def test_the_console_logs_with_state_db_and_report_says_why_when_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "q.db"
    monkeypatch.setenv("STATE_DB", str(state))
    assert main(["report"]) == 0
    empty = capsys.readouterr().out
    assert "0 questions logged" in empty
    assert f"nothing logged in {state}" in empty and "when STATE_DB is set" in empty
    env = {**os.environ, "STATE_DB": str(state)}
    subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="What is Decision 749?\nwho won the 2018 world cup\nexit\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
        env=env,
    )
    assert main(["report"]) == 0
    logged = capsys.readouterr().out
    assert "2 questions logged" in logged and "nothing logged" not in logged
    assert "who won the 2018 world cup" in logged
