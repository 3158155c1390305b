"""Load with faults: 5,000 updates from 500 users through the fake Bot API, while 5% of
the bot's calls are answered 429 (retry after 1 s) and 2% answered 500, and 2% of the
updates are delivered twice. Every update must get exactly one reply, in order.

Updates are offered evenly at RATE, round-robin over the users (so one user's messages
are USERS / RATE seconds apart), in polling mode (through the fake's getUpdates) and in
webhook mode (posted to the webhook server, 40 at a time as Telegram does). Latency is
from handing an update over to the fake receiving the last part of its reply.

Marked slow: `uv run pytest -m slow` (.ci/run does). Loopback only, bounded by
TIME_LIMIT, and it stops by itself. Per-chat pacing stays at Telegram's 1 message/s;
the overall limit (30/s in production) is raised, or the run would take three minutes
measuring that limit rather than the bot. Prints throughput and reply latency.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml

from bot.answering import render
from bot.answering.context import Conversations
from bot.answering.responder import Responder
from bot.config import Secret
from bot.inbox import Inbox
from bot.models import Lang
from bot.state import QuestionLog
from bot.telegram_bot.delivery import Delivery
from bot.telegram_bot.web import SECRET_HEADER, create_app
from tests.bots import HASH_KEY, WEBHOOK_PATH, WEBHOOK_URL, polling_bot, settings_for
from tests.conftest import DATA
from tests.fake_bot_api import Chaos, FakeBotAPI, Json, running_fake, serve
from tests.updates import message

pytestmark = pytest.mark.slow

USERS = 500
PER_USER = 10  # 5,000 updates
RATE = 100.0  # updates a second, offered evenly: ~3x Telegram's limit on what goes out
REDELIVERED = 0.02
TIME_LIMIT = 150.0  # seconds for the whole run
SECRET = "load-test-secret"


@dataclass
class Asked:
    """One update fed in, and what must come back for it."""

    update_id: int
    chat: int
    chunks: list[str]
    fed: float
    answered: float | None = None


@dataclass
class Run:
    asked: list[Asked] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0


def users() -> list[Json]:
    return [
        {
            "id": 700_000 + n,
            "is_bot": False,
            "first_name": f"User{n}",
            "language_code": "vi" if n % 4 == 0 else "en",
        }
        for n in range(USERS)
    ]


def questions() -> list[str]:
    return [str(item["q"]) for item in yaml.safe_load((DATA / "questions.yaml").read_text())]


async def drive(
    deliver: Callable[[Json, bool], Awaitable[int]], responder: Responder, fake: FakeBotAPI
) -> Run:
    """Feed every user's messages a round at a time; wait for every reply."""
    rng = random.Random(7)
    pool = questions()
    rounds: list[list[tuple[Json, list[str]]]] = []  # the updates, and the replies they need
    talks = Conversations()  # each chat is a conversation: a question may be a follow-up
    for _ in range(PER_USER):
        rounds.append([])
        for user in users():
            update = message(rng.choice(pool), user=user)
            lang = Lang.VI if user["language_code"] == "vi" else Lang.EN
            chat = str(update["message"]["chat"]["id"])
            reply = await responder.reply(update["message"]["text"], lang, talks.get(chat))
            talks.update(chat, reply)
            rounds[-1].append((update, render.html(reply)))
    run = Run(started=time.monotonic())
    again: list[Json] = []
    for n, (update, chunks) in enumerate(u for updates in rounds for u in updates):
        await asyncio.sleep(max(0.0, run.started + n / RATE - time.monotonic()))
        update_id = await deliver(update, False)
        chat = update["message"]["chat"]["id"]
        run.asked.append(Asked(update_id, chat, chunks, time.monotonic()))
        if rng.random() < REDELIVERED:
            again.append({"update_id": update_id, **update})
        if len(again) > 5:  # a little later, as Telegram retries after a lost answer
            await deliver(again.pop(0), True)
    for update in again:
        await deliver(update, True)
    expected = sum(len(a.chunks) for a in run.asked)
    async with asyncio.timeout(TIME_LIMIT):
        while len(fake.done("sendMessage")) < expected:
            await asyncio.sleep(0.1)
    run.finished = time.monotonic()
    await asyncio.sleep(1.5)  # room for a duplicate to show up, were there one
    return run


def check(run: Run, fake: FakeBotAPI) -> dict[str, float]:
    """Every update answered once and in order; the figures of the run."""
    sent: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for call in fake.done("sendMessage"):
        sent[call.params["chat_id"]].append((call.params["text"], call.at))
    by_chat: dict[int, list[Asked]] = defaultdict(list)
    for asked in run.asked:
        by_chat[asked.chat].append(asked)
    for chat, asked_in_chat in by_chat.items():
        expected = [chunk for a in asked_in_chat for chunk in a.chunks]
        got = sent.pop(chat, [])
        texts = [text for text, _ in got]
        assert texts == expected, f"chat {chat}: lost, extra or out of order"
        position = 0
        for asked in asked_in_chat:
            position += len(asked.chunks)
            asked.answered = got[position - 1][1]
    assert not sent, "replies to chats that asked nothing"
    latencies = sorted(a.answered - a.fed for a in run.asked if a.answered is not None)
    attempts = fake.of("sendMessage")
    return {
        "updates": len(run.asked),
        "messages": len(fake.done("sendMessage")),
        "429s": sum(c.status == 429 for c in attempts),
        "500s": sum(c.status == 500 for c in attempts),
        "throughput": len(run.asked) / (run.finished - run.started),
        "p50": statistics.median(latencies),
        "p99": latencies[int(0.99 * (len(latencies) - 1))],
        "seconds": run.finished - run.started,
    }


def delivery() -> Delivery:
    return Delivery(overall_rate=10_000)  # see the module docstring; pacing stays at 1/s


@asynccontextmanager
async def polling(
    api: FakeBotAPI, tmp_path: Path, responder: Responder
) -> AsyncIterator[Callable[[Json, bool], Awaitable[int]]]:
    async def deliver(update: Json, again: bool) -> int:
        if again:
            await api.redeliver(update["update_id"])
            return int(update["update_id"])
        return await api.feed(update)

    async with polling_bot(settings_for(api, tmp_path), delivery()):
        yield deliver


@asynccontextmanager
async def webhook(
    api: FakeBotAPI, tmp_path: Path, responder: Responder
) -> AsyncIterator[Callable[[Json, bool], Awaitable[int]]]:
    ids = itertools.count(1)
    settings = settings_for(api, tmp_path, webhook_url=WEBHOOK_URL, webhook_secret=Secret(SECRET))
    async with (
        QuestionLog(settings.state_db, HASH_KEY) as log,
        Inbox(settings.state_db) as inbox,
        serve(create_app(settings, responder, log, delivery(), inbox=inbox), lifespan="on") as url,
        httpx.AsyncClient(base_url=url, headers={SECRET_HEADER: SECRET}) as client,
    ):
        pending: set[asyncio.Task[None]] = set()
        slots = asyncio.Semaphore(40)  # Telegram's default max_connections for webhooks

        async def post(body: Json) -> None:
            async with slots:
                response = await client.post(WEBHOOK_PATH, json=body)
                assert response.status_code == 200

        async def deliver(update: Json, again: bool) -> int:
            body = update if again else {"update_id": next(ids), **update}
            api.remember_chats(body)
            task = asyncio.create_task(post(body))
            pending.add(task)
            task.add_done_callback(pending.discard)
            await asyncio.sleep(0)
            return int(body["update_id"])

        yield deliver
        await asyncio.gather(*pending)


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_5000_updates_with_faults_each_answered_exactly_once(
    mode: str, tmp_path: Path, responder: Responder, capsys: pytest.CaptureFixture[str]
) -> None:
    async with running_fake() as api:
        api.chaos = Chaos(too_many=0.05, server_error=0.02)
        front = polling if mode == "polling" else webhook
        async with asyncio.timeout(TIME_LIMIT + 60), front(api, tmp_path, responder) as deliver:
            run = await drive(deliver, responder, api)
        figures = check(run, api)
    with capsys.disabled():
        print(
            f"\nload ({mode}): {figures['updates']} updates, {figures['messages']} messages,"
            f" {figures['429s']} answered 429, {figures['500s']} answered 500;"
            f" {figures['throughput']:.0f} updates/s over {figures['seconds']:.1f} s;"
            f" reply latency p50 {figures['p50'] * 1000:.0f} ms, p99 {figures['p99'] * 1000:.0f} ms"
        )
    assert figures["updates"] == USERS * PER_USER
    assert figures["429s"] > 0 and figures["500s"] > 0
    async with QuestionLog(tmp_path / "questions.db", HASH_KEY) as log:
        assert (await log.report()).total == USERS * PER_USER  # each logged once too
