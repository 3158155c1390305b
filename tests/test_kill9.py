"""kill -9 under load: `policybot run` and `policybot serve` as processes, killed KILLS
times while UPDATES updates come in, and started again at once each time.

Every update must be answered: at least once, and exactly once except where the process
died while handling it (its reply was on its way, the update not yet marked handled);
such a repeat must have a kill between its two sendings. Each update comes from its own
chat, so a chat's messages are the replies to one update.

Updates are offered at RATE a second, more than the 30 messages a second the bot may
send (its limits are Telegram's here), so a backlog builds up in the bot's inbox: a kill
finds updates received and acknowledged but not handled, which the next start must
handle first. The kills come while updates are still coming in, after every sixth of
them. In polling mode the fake keeps offering what the bot has not confirmed; in webhook
mode it posts each update until it is answered 2xx (webhook_sender.py).

Marked slow (about 80 s a mode). Prints, per mode: updates, kills, lost, repeated
replies, updates handled from the inbox after a restart, and how often Telegram had to
offer an update again (handed out by getUpdates again, or posted again).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import signal
import socket
import sqlite3
import sys
import time
from collections import defaultdict
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest
import yaml

from bot.answering import render
from bot.answering.responder import Responder
from bot.models import Lang
from tests.bots import FACTS_DB, HASH_KEY
from tests.conftest import DATA
from tests.fake_bot_api import TOKEN, FakeBotAPI, Json, running_fake
from tests.updates import message
from tests.webhook_sender import WebhookSender, sending

pytestmark = pytest.mark.slow

UPDATES = 2_000
KILLS = 5
RATE = 40.0  # updates offered a second
TIME_LIMIT = 240.0  # seconds, for each mode
STALLED = 15.0  # seconds without a message from the bot: it has nothing left to answer
SECRET = "kill9-secret"
REPLAYED = re.compile(r"handling first (\d+) update")


@dataclass
class Bot:
    """`policybot COMMAND` as a process; `kill` is kill -9, `start` starts it afresh."""

    command: str
    env: dict[str, str]
    logs: Path
    proc: asyncio.subprocess.Process | None = None
    kills: list[float] = field(default_factory=list)  # when each kill -9 was sent
    _files: list[IO[bytes]] = field(default_factory=list)

    async def start(self) -> None:
        log = (self.logs / f"{self.command}-{len(self._files)}.log").open("wb")
        self._files.append(log)
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", self.command, env=self.env, stderr=log
        )

    async def kill(self) -> None:
        assert self.proc is not None and self.proc.returncode is None, self.log()
        self.kills.append(time.monotonic())
        self.proc.kill()
        await self.proc.wait()

    async def stop(self) -> int:
        """SIGTERM, as a deploy does; the exit status."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), 20)
        finally:
            if self.proc.returncode is None:
                self.proc.kill()
                await self.proc.wait()
            for log in self._files:
                log.close()

    def log(self) -> str:
        return "\n".join(
            path.read_text(errors="replace") for path in sorted(self.logs.glob("*.log"))
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def updates_and_replies(responder: Responder) -> list[tuple[Json, list[str]]]:
    """UPDATES questions, each from a user of its own, and the parts its reply must have."""
    pool = [str(item["q"]) for item in yaml.safe_load((DATA / "questions.yaml").read_text())]
    made = []
    for n in range(UPDATES):
        lang = Lang.VI if n % 4 == 0 else Lang.EN
        user = {"id": 800_000 + n, "is_bot": False, "first_name": f"U{n}", "language_code": lang}
        update = message(pool[n % len(pool)], user=user)
        reply = await responder.reply(update["message"]["text"], lang)
        made.append((update, render.html(reply)))
    return made


async def feed_and_kill(api: FakeBotAPI, bot: Bot, work: list[tuple[Json, list[str]]]) -> None:
    """Offer every update at RATE, killing the bot KILLS times on the way, evenly spread;
    then wait for every chat to be answered, or for STALLED seconds without a reply (then
    some are lost)."""
    kill_at = {k * len(work) // (KILLS + 1) for k in range(1, KILLS + 1)}
    started = time.monotonic()
    for n, (update, _) in enumerate(work):
        await asyncio.sleep(max(0.0, started + n / RATE - time.monotonic()))
        if n in kill_at:
            await bot.kill()
            await bot.start()
        await api.feed(update)
    last = (0, time.monotonic())
    while len({c.params["chat_id"] for c in api.done("sendMessage")}) < len(work):
        if len(api.of("sendMessage")) > last[0]:
            last = (len(api.of("sendMessage")), time.monotonic())
        elif time.monotonic() - last[1] > STALLED:
            return
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.5)  # time for a late repeat to show up, were there one


UNEXPLAINED_REPEATS = 2  # of 2,000 updates


def check(
    api: FakeBotAPI, bot: Bot, work: list[tuple[Json, list[str]]], offered_again: int
) -> dict[str, int]:
    """Every update answered, every repeat explained by a kill; the figures."""
    got: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for call in api.done("sendMessage"):
        got[call.params["chat_id"]].append((call.params["text"], call.at))
    lost = repeats = unexplained = 0
    for update, chunks in work:
        sent = got.pop(update["message"]["chat"]["id"], [])
        if not sent:
            lost += 1
            continue
        # The reply's parts, sent once, or begun again after a kill: split into tries.
        tries = [[sent[0]]]
        for text, at in sent[1:]:
            if text == chunks[0]:
                tries.append([])
            tries[-1].append((text, at))
        assert all([t for t, _ in one] == chunks[: len(one)] for one in tries), sent
        assert [t for t, _ in tries[-1]] == chunks, f"incomplete: {sent}"
        for before, after in itertools.pairwise(tries):
            if any(before[0][1] < kill < after[0][1] for kill in bot.kills):
                repeats += 1
            else:  # e.g. a call retried after its answer was lost: at-least-once delivery
                unexplained += 1
    assert not got, "replies to chats that asked nothing"
    log = bot.log()
    return {
        "updates": len(work),
        "kills": len(bot.kills),
        "lost": lost,
        "repeated": repeats,
        "repeated without a kill": unexplained,
        "replayed": sum(int(n) for n in REPLAYED.findall(log)),
        "offered again": offered_again,
    }


def unhandled(state_db: Path) -> int:
    with sqlite3.connect(state_db) as db:
        (count,) = db.execute("SELECT count(*) FROM updates WHERE body IS NOT NULL").fetchone()
    return int(count)


@pytest.mark.parametrize("command", ["run", "serve"])
async def test_kill_9_five_times_under_load_loses_no_update(
    command: str, tmp_path: Path, responder: Responder, capsys: pytest.CaptureFixture[str]
) -> None:
    work = await updates_and_replies(responder)
    state_db = tmp_path / "state.db"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "FACTS_DB": str(FACTS_DB),
        "STATE_DB": str(state_db),
        "HASH_KEY": HASH_KEY,
        "LOG_LEVEL": "WARNING",
    }
    port = free_port()
    if command == "serve":
        env |= {
            "PORT": str(port),
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_URL": "https://policybot.example/telegram",
        }
    async with running_fake() as api, AsyncExitStack() as stack:
        env["TELEGRAM_API_URL"] = f"{api.url}/bot"
        sender = WebhookSender(api, f"http://127.0.0.1:{port}/telegram", SECRET)
        if command == "serve":
            await stack.enter_async_context(sending(sender))
        bot = Bot(command, env, tmp_path)
        await bot.start()
        started = time.monotonic()
        try:
            async with asyncio.timeout(TIME_LIMIT):
                await feed_and_kill(api, bot, work)
        finally:
            status = await bot.stop()
        seconds = time.monotonic() - started
        again = sender.refused if command == "serve" else sum(api.handed.values()) - len(work)
        figures = check(api, bot, work, again)
    with capsys.disabled():
        print(
            f"\nkill -9 ({command}): {figures['updates']} updates, {figures['kills']} kills,"
            f" {figures['lost']} lost, {figures['repeated']} replies repeated (in flight at a"
            f" kill), {figures['repeated without a kill']} repeated otherwise;"
            f" {figures['replayed']} handled from the inbox after a restart,"
            f" {figures['offered again']} offered again by Telegram; {seconds:.0f} s"
        )
    assert status == 0, bot.log()
    assert figures["kills"] == KILLS
    assert figures["lost"] == 0
    # Repeats not explained by a kill: a retry of a call whose answer was lost (at-least-
    # once, logged as a possible duplicate) under a loaded machine; rare, never many.
    assert figures["repeated without a kill"] <= UNEXPLAINED_REPEATS, bot.log()[-4000:]
    assert figures["replayed"] > 0  # the kills did find updates acknowledged, not handled
    assert unhandled(state_db) == 0
