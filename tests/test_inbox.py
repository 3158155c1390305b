"""The inbox of updates in the state database, and the intake that queues through it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from telegram import Bot, Update

from bot.errors import StoreError
from bot.inbox import Inbox, Stored
from bot.telegram_bot.intake import Intake
from tests.bots import full_disk
from tests.fake_bot_api import TOKEN
from tests.updates import message


def body(update_id: int, text: str = "hi") -> str:
    """An update's JSON as Telegram sends it, the same every time for the same id."""
    raw = message(text)
    raw["message"].update(message_id=update_id, date=1_700_000_000)
    return json.dumps({"update_id": update_id, **raw})


def parsed(update_id: int, text: str = "hi") -> Update:
    return Update.de_json(json.loads(body(update_id, text)), None)


@pytest.mark.parametrize(
    ("steps", "answers", "left"),
    [
        ([("receive", 1), ("receive", 2)], [True, True], [1, 2]),
        ([("receive", 1), ("receive", 1)], [True, False], [1]),
        ([("receive", 1), ("handled", 1), ("receive", 1)], [True, None, False], []),
        ([("receive", 2), ("receive", 1), ("handled", 2)], [True, True, None], [1]),
        ([("handled", 7), ("receive", 7)], [None, True], [7]),
    ],
    ids=["two", "redelivered", "redelivered-after-handling", "arrival-order", "unknown-id"],
)
async def test_inbox_keeps_what_is_not_handled_and_knows_what_it_saw(
    tmp_path: Path, steps: list[tuple[str, int]], answers: list[bool | None], left: list[int]
) -> None:
    async with Inbox(tmp_path / "state.db") as inbox:
        got: list[bool | None] = []
        for step, n in steps:
            if step == "receive":
                got.append(await inbox.receive(n, body(n)))
            else:
                await inbox.handled(n)
                got.append(None)
        assert got == answers
        assert await inbox.pending() == [Stored(n, body(n)) for n in left]


async def test_the_inbox_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with Inbox(path) as inbox:
        for n in (1, 2, 3):
            await inbox.receive(n, body(n))
        await inbox.handled(2)
    async with Inbox(path) as inbox:
        assert [s.update_id for s in await inbox.pending()] == [1, 3]
        assert [await inbox.receive(n, body(n)) for n in (1, 2, 3, 4)] == [
            False,
            False,
            False,
            True,
        ]


async def test_only_recent_handled_ids_are_kept_and_pending_never_go(tmp_path: Path) -> None:
    async with Inbox(tmp_path / "state.db", remember=5) as inbox:
        await inbox.receive(1, body(1))  # never handled
        for n in range(2, 30):
            await inbox.receive(n, body(n))
            await inbox.handled(n)
        assert await inbox.prune() == 23  # of 29: all but the last 5 and the unhandled one
        assert [s.update_id for s in await inbox.pending()] == [1]
        assert await inbox.receive(25, body(25)) is False  # among the last 5
        assert await inbox.receive(24, body(24)) is True  # forgotten


async def test_inbox_failures_are_store_errors(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with Inbox(path) as inbox:
        with full_disk(path), pytest.raises(StoreError, match="disk is full"):
            await inbox.receive(1, body(1))
        assert await inbox.receive(1, body(1))
    with pytest.raises(StoreError, match="not open"):
        await inbox.handled(1)


async def test_intake_queues_each_update_once_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with Inbox(path) as inbox:
        intake = Intake(inbox)
        assert await intake.receive(parsed(1)) is True
        assert await intake.receive(parsed(1)) is False
        await intake.put(parsed(2, "second"))
        first, second = intake.get_nowait(), intake.get_nowait()
        assert intake.empty()
        await intake.handled(first)
    async with Inbox(path) as inbox:
        intake = Intake(inbox)
        await intake.put(parsed(1))  # handled before the restart: dropped
        assert await intake.replay(Bot(TOKEN)) == 1
        replayed = intake.get_nowait()
        assert isinstance(replayed, Update) and replayed == second
        assert replayed.effective_message and replayed.effective_message.text == "second"
        assert intake.empty()


async def test_intake_put_waits_until_the_update_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with Inbox(path) as inbox:
        intake = Intake(inbox, retry=0.01)
        with full_disk(path):
            put = asyncio.create_task(intake.put(parsed(1)))
            await asyncio.sleep(0.1)
            assert not put.done() and intake.empty()
        await asyncio.wait_for(put, 1)
        assert intake.qsize() == 1
        assert [s.update_id for s in await inbox.pending()] == [1]


async def test_replay_drops_an_update_it_cannot_read(tmp_path: Path) -> None:
    async with Inbox(tmp_path / "state.db") as inbox:
        await inbox.receive(1, "{not json")
        await inbox.receive(2, body(2))
        intake = Intake(inbox)
        assert await intake.replay(Bot(TOKEN)) == 2
        assert intake.qsize() == 1
        assert await inbox.pending() == [Stored(2, body(2))]
