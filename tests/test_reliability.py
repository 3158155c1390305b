"""The polling bot against a fake Bot API that misbehaves: faults, redeliveries, floods.

Also the question log as the bot writes it, and /stats. Per-chat pacing is off here
(`quick_delivery`) except where it is the subject.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.telegram_bot import pages
from bot.telegram_bot.guard import FLOOD_LIMIT
from tests.bot_api_rules import check_text, visible_text
from tests.bots import (
    ADMIN,
    FACTS_DB,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    polling_bot,
    quick_delivery,
    settings_for,
)
from tests.fake_bot_api import (
    BAD_GATEWAY,
    GARBAGE,
    SERVER_ERROR,
    TOKEN,
    TOO_MANY,
    Call,
    FakeBotAPI,
    Fault,
    Json,
)
from tests.updates import GROUP, USER_EN, USER_VI, message

ANSWERED = "What is Decision 749?"
UNANSWERED = "Thailand visa requirements for tourists"


@pytest.fixture
async def fake(api: FakeBotAPI, tmp_path: Path) -> AsyncIterator[FakeBotAPI]:
    async with polling_bot(settings_for(api, tmp_path), quick_delivery()):
        yield api


async def exchange(fake: FakeBotAPI, update: Json, count: int = 1) -> list[Call]:
    """Feed `update`; the `count` messages the bot got through for it."""
    since = len(fake.calls)
    await fake.feed(update)
    await fake.wait("sendMessage", count, since)
    return fake.done("sendMessage", since)


def shown(calls: list[Call]) -> str:
    return "\n".join(visible_text(c.params["text"]) for c in calls)


# Telegram's faults -------------------------------------------------------------------


@pytest.mark.parametrize(
    "faults",
    [[TOO_MANY], [SERVER_ERROR, BAD_GATEWAY], [TOO_MANY, SERVER_ERROR, TOO_MANY]],
    ids=["429", "500-502", "429-500-429"],
)
async def test_a_reply_survives_429_and_5xx_and_is_sent_once(
    fake: FakeBotAPI, faults: list[Fault]
) -> None:
    fake.fail_next["sendMessage"] = list(faults)
    since = len(fake.calls)
    await fake.feed(message(ANSWERED))
    await fake.wait("sendMessage", len(faults) + 1, since, timeout=10)
    [sent] = fake.done("sendMessage", since)
    assert "<blockquote>" in sent.params["text"]
    attempts = fake.of("sendMessage", since)
    assert [c.status for c in attempts] == [f.status for f in faults] + [200]
    waited = attempts[-1].at - attempts[0].at
    assert waited >= 0.9 * faults.count(TOO_MANY)  # retry_after=1 was honoured


async def test_a_redelivered_update_is_answered_once(fake: FakeBotAPI) -> None:
    since = len(fake.calls)
    first = await fake.feed(message(ANSWERED))
    await fake.wait("sendMessage", 1, since)
    await fake.redeliver(first)
    await fake.redeliver(first)
    second = await exchange(fake, message("/about"))
    assert "no advice" in shown(second)
    assert len(fake.done("sendMessage", since)) == 2  # the question's answer, then /about


async def test_a_failing_handler_is_logged_and_the_bot_keeps_serving(
    fake: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next["sendMessage"] = [GARBAGE]  # a result PTB cannot parse: KeyError
    since = len(fake.calls)
    await fake.feed(message(ANSWERED))
    _, apology = await fake.wait("sendMessage", 2, since)
    assert "went wrong" in visible_text(apology.params["text"])
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures and failures[0].exc_info and failures[0].exc_info[0] is KeyError
    for question in (ANSWERED, "/about"):  # and the next updates are served as ever
        assert shown(await exchange(fake, message(question)))


async def test_replies_to_one_chat_are_paced_and_other_chats_do_not_wait(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    async with polling_bot(settings_for(api, tmp_path)):  # Telegram's limits, as deployed
        since = len(api.calls)
        for user in (USER_EN, USER_EN, USER_EN, USER_VI):
            await api.feed(message("/about", user=user))
        sent = await api.wait("sendMessage", 4, since, timeout=10)
    first, second, third = (c.at for c in sent if c.params["chat_id"] == USER_EN["id"])
    [other] = (c.at for c in sent if c.params["chat_id"] == USER_VI["id"])
    assert second - first >= 0.95 and third - second >= 0.95  # ~1 message/s per chat
    assert other - first < 0.5


# Floods -----------------------------------------------------------------------------


async def test_a_flooding_user_gets_one_notice_then_silence_and_others_are_served(
    fake: FakeBotAPI,
) -> None:
    since = len(fake.calls)
    for _ in range(FLOOD_LIMIT + 5):
        await fake.feed(message("/about", user=USER_VI))
    await fake.wait("sendMessage", FLOOD_LIMIT + 1, since)
    other = await exchange(fake, message("/about", user=USER_EN))
    assert "no advice" in shown(other)
    await asyncio.sleep(0.2)  # time for a reply to the ignored messages, were there one
    flooder = USER_VI["id"]
    to_flooder = [c for c in fake.done("sendMessage", since) if c.params["chat_id"] == flooder]
    assert len(to_flooder) == FLOOD_LIMIT + 1
    assert "tạm dừng" in visible_text(to_flooder[-1].params["text"])  # in their language


async def test_admins_are_not_flood_limited(fake: FakeBotAPI) -> None:
    since = len(fake.calls)
    for _ in range(FLOOD_LIMIT + 5):
        await fake.feed(message("/about", user=ADMIN))
    sent = await fake.wait("sendMessage", FLOOD_LIMIT + 5, since)
    assert all("no advice" in visible_text(c.params["text"]) for c in sent)


async def test_group_chatter_does_not_count_towards_the_limit(fake: FakeBotAPI) -> None:
    for n in range(FLOOD_LIMIT + 5):  # not addressed to the bot: neither answered nor counted
        await fake.feed(message(f"chatter {n}", chat=GROUP))
    mention = message(f"@policy_test_bot {ANSWERED}", chat=GROUP)
    [answer] = await exchange(fake, mention)
    assert "<blockquote>" in answer.params["text"]


# The question log and /stats ---------------------------------------------------------


def logged(path: Path) -> list[tuple[str | None, str, str | None]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT user, kind, text FROM questions ORDER BY id").fetchall()
    return [(u, k, t) for u, k, t in rows]


async def test_questions_are_logged_with_hashed_users(fake: FakeBotAPI, tmp_path: Path) -> None:
    await exchange(fake, message(ANSWERED))
    await exchange(fake, message(UNANSWERED, user=USER_VI))
    for user in (USER_EN, USER_VI):  # a command is not a question; and it comes after
        await exchange(fake, message("/about", user=user))  # the question in the same chat
    rows = logged(tmp_path / "questions.db")
    assert [(k, t) for _, k, t in rows] == [("answer", None), ("fallback", UNANSWERED)]
    users = [u for u, _, _ in rows]
    assert all(users) and users[0] != users[1]
    assert not any(str(user["id"]) in str(rows) for user in (USER_EN, USER_VI))


async def test_a_broken_log_never_stops_the_reply(
    fake: FakeBotAPI, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with sqlite3.connect(tmp_path / "questions.db") as db:
        db.execute("DROP TABLE questions")
    [sent] = await exchange(fake, message(ANSWERED))
    assert "<blockquote>" in sent.params["text"]
    await exchange(fake, message("/about"))  # same chat, so handled once the question was
    assert any("could not log a question" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_stats_shows_the_report_to_admins_escaped(fake: FakeBotAPI) -> None:
    hostile = "<b>R&D</b> visa rules for Thailand?"
    await exchange(fake, message(hostile))
    await exchange(fake, message("/about"))  # the same chat: the question is logged by now
    sent = await exchange(fake, message("/stats", user=ADMIN))
    report = shown(sent)
    assert "questions logged" in report
    assert f"1× {hostile}" in report  # shown as typed: escaped, not parsed


# A private chat whose id is not the sender's: no client can send that, only a forger.
FORGED_CHAT: Json = {"id": 777, "type": "private", "first_name": "Mallory"}


@pytest.mark.parametrize(
    ("user", "chat"),
    [(USER_EN, None), (ADMIN, GROUP), (ADMIN, FORGED_CHAT)],
    ids=["not-an-admin", "admin-in-a-group", "admin-id-in-another-private-chat"],
)
async def test_stats_is_an_unknown_command_for_anyone_else(
    fake: FakeBotAPI, user: Json, chat: Json | None
) -> None:
    await exchange(fake, message(UNANSWERED))
    since = len(fake.calls)
    await fake.feed(message("/stats", user=user, chat=chat))
    # Updates from one chat are handled in order: what /stats got came before this.
    if chat is None or chat["type"] == "private":  # the same help as any unknown command
        stats, unknown = await exchange(fake, message("/nonsense", user=user, chat=chat), 2)
        assert stats.params["text"] == unknown.params["text"]
        assert "/topics" in visible_text(stats.params["text"])
    else:  # in a group, nothing at all, as for another bot's command
        [about] = await exchange(fake, message("/about", user=user, chat=chat))
        assert "no advice" in visible_text(about.params["text"])
    assert "questions logged" not in shown(fake.done("sendMessage", since))


def test_a_long_report_is_escaped_and_cut_at_lines_into_valid_parts() -> None:
    report = "\n".join(f"  {n}× <b>R&D</b> {'word ' * 60}" for n in range(40))
    parts = pages.stats(report)
    assert len(parts) > 1
    for part in parts:
        check_text(part, "HTML")  # raises as the Bot API would: bad HTML, too long
    assert "\n".join(visible_text(p) for p in parts) == report


async def test_stats_is_not_in_the_command_menu(fake: FakeBotAPI) -> None:
    for call in fake.of("setMyCommands"):
        assert "stats" not in [c["command"] for c in call.params["commands"]]


@pytest.mark.parametrize("command", ["run", "serve"])
async def test_a_state_db_that_cannot_be_opened_stops_start_up_with_one_line(
    api: FakeBotAPI, tmp_path: Path, command: str
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"{api.url}/bot",
        "FACTS_DB": str(FACTS_DB),
        "STATE_DB": str(blocker / "questions.db"),
        "WEBHOOK_URL": WEBHOOK_URL,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "PORT": "1",  # never bound: the state database fails first
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", command, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(proc.communicate(), 20)
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 2
    assert len(lines) == 1 and "set STATE_DB" in lines[0]
