"""Crash safety in both modes, in process: an update is acknowledged only once stored,
what a crash left unhandled is answered first at start-up, and a redelivered update is
answered once, across a restart too. (test_kill9.py does it with kill -9, under load.)"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bot.answering.responder import Responder
from bot.config import Secret
from bot.inbox import Inbox
from bot.state import QuestionLog
from bot.telegram_bot.web import SECRET_HEADER, create_app
from tests.bot_api_rules import visible_text
from tests.bots import HASH_KEY, WEBHOOK_PATH, full_disk, polling_bot, quick_delivery, settings_for
from tests.fake_bot_api import FakeBotAPI, Json, serve
from tests.updates import USER_EN, USER_VI, message

ANSWERED = "What is Decision 749?"
SECRET = "restart-secret"


def with_id(update_id: int, update: Json) -> Json:
    return {"update_id": update_id, **update}


async def unhandled(state_db: Path) -> list[int]:
    async with Inbox(state_db) as inbox:
        return [stored.update_id for stored in await inbox.pending()]


async def store(state_db: Path, *updates: Json) -> None:
    """Updates received and acknowledged by a bot that died before handling them."""
    async with Inbox(state_db) as inbox:
        for update in updates:
            assert await inbox.receive(update["update_id"], json.dumps(update))


@asynccontextmanager
async def webhook_bot(
    api: FakeBotAPI, tmp_path: Path, responder: Responder
) -> AsyncIterator[httpx.AsyncClient]:
    """`policybot serve` in process: a client that posts to its webhook as Telegram does."""
    settings = settings_for(
        api,
        tmp_path,
        webhook_url=f"https://policybot.example{WEBHOOK_PATH}",
        webhook_secret=Secret(SECRET),
    )
    async with (
        QuestionLog(settings.state_db, HASH_KEY) as log,
        Inbox(settings.state_db) as inbox,
        serve(
            create_app(settings, responder, log, quick_delivery(), inbox=inbox), lifespan="on"
        ) as url,
        httpx.AsyncClient(base_url=url, headers={SECRET_HEADER: SECRET}) as client,
    ):
        yield client


async def test_polling_answers_what_a_crash_left_unhandled_first(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    state_db = tmp_path / "questions.db"
    await store(
        state_db,
        with_id(900, message(ANSWERED)),
        with_id(901, message("/about", user=USER_VI)),
    )
    async with polling_bot(settings_for(api, tmp_path), quick_delivery()):
        await api.feed(message("/help"))  # the same chat as the first stored update
        sent = await api.wait("sendMessage", 3)
    first = [c.params["text"] for c in sent if c.params["chat_id"] == USER_EN["id"]]
    assert "<blockquote>" in first[0] and "/topics" in visible_text(first[1])
    assert await unhandled(state_db) == []
    assert 900 not in api.handed  # it came from the inbox, not from Telegram


async def test_polling_answers_a_redelivered_update_once_across_a_restart(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    async with polling_bot(settings_for(api, tmp_path), quick_delivery()):
        first = await api.feed(message(ANSWERED))
        await api.wait("sendMessage")
    async with polling_bot(settings_for(api, tmp_path), quick_delivery()):
        # The first bot's last getUpdates may still be waiting at the fake: this update
        # ends it, so that the redelivery goes to this bot.
        await api.feed(message("/about", user=USER_VI))
        await api.wait("sendMessage", 2)
        await api.redeliver(first)
        await api.feed(message("/help", user=USER_VI))
        await api.wait("sendMessage", 3)
        await asyncio.sleep(0.3)  # time for a second answer, were there one
    assert api.handed[first] == 2  # once to each bot
    chats = [c.params["chat_id"] for c in api.done("sendMessage")]
    assert chats == [USER_EN["id"], USER_VI["id"], USER_VI["id"]]


async def test_polling_confirms_an_update_only_once_it_is_stored(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    async with polling_bot(settings_for(api, tmp_path), quick_delivery()):
        with full_disk(tmp_path / "questions.db"):
            update_id = await api.feed(message(ANSWERED))
            await asyncio.sleep(0.8)  # long enough for the first tries to fail
            assert api.handed[update_id] == 1 and api.done("sendMessage") == []
            assert all(int(c.params.get("offset", 0)) <= update_id for c in api.of("getUpdates"))
        await api.wait("sendMessage", timeout=5)
        await api.feed(message("/about"))
        await api.wait("sendMessage", 2)
    confirmed = [int(c.params.get("offset", 0)) for c in api.of("getUpdates")]
    assert update_id + 1 in confirmed


async def test_webhook_answers_what_a_crash_left_unhandled_at_start_up(
    api: FakeBotAPI, tmp_path: Path, responder: Responder
) -> None:
    await store(tmp_path / "questions.db", with_id(900, message(ANSWERED)))
    async with webhook_bot(api, tmp_path, responder):
        [sent] = await api.wait("sendMessage")
    assert "<blockquote>" in sent.params["text"]
    assert await unhandled(tmp_path / "questions.db") == []


async def test_webhook_answers_a_redelivered_update_once_across_a_restart(
    api: FakeBotAPI, tmp_path: Path, responder: Responder
) -> None:
    twice = with_id(1, message(ANSWERED))
    async with webhook_bot(api, tmp_path, responder) as client:
        assert (await client.post(WEBHOOK_PATH, json=twice)).status_code == 200
        await api.wait("sendMessage")
    async with webhook_bot(api, tmp_path, responder) as client:
        assert (await client.post(WEBHOOK_PATH, json=twice)).status_code == 200
        other = with_id(2, message("/about", user=USER_VI))
        assert (await client.post(WEBHOOK_PATH, json=other)).status_code == 200
        await api.wait("sendMessage", 2)
        await asyncio.sleep(0.3)
    assert [c.params["chat_id"] for c in api.done("sendMessage")] == [USER_EN["id"], USER_VI["id"]]


async def test_webhook_refuses_an_update_it_cannot_store_and_takes_it_when_sent_again(
    api: FakeBotAPI, tmp_path: Path, responder: Responder
) -> None:
    update = with_id(1, message(ANSWERED))
    async with webhook_bot(api, tmp_path, responder) as client:
        with full_disk(tmp_path / "questions.db"):
            assert (await client.post(WEBHOOK_PATH, json=update)).status_code == 503
            await asyncio.sleep(0.2)
            assert api.of("sendMessage") == []
        assert (await client.post(WEBHOOK_PATH, json=update)).status_code == 200
        [sent] = await api.wait("sendMessage")
    assert "<blockquote>" in sent.params["text"]
