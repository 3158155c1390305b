"""Follow-up questions in Telegram: the real PTB application against the fake Bot API.

A private chat is one conversation; in a group each user has their own; the context
survives a restart (it lives in the state database) and expires on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path
from unittest.mock import ANY

import pytest
from telegram import Chat

from bot.answering import messages
from bot.answering.context import LIFETIME, TURNS, Context
from bot.answering.responder import Responder
from bot.conversations import ChatContexts
from bot.models import Kind, Lang
from bot.telegram_bot.followups import Followups
from tests.bot_api_rules import visible_text
from tests.bots import HASH_KEY, polling_bot, quick_delivery, settings_for
from tests.fake_bot_api import Call, FakeBotAPI, Fault, Json
from tests.updates import GROUP, USER_EN, USER_VI, buttons, message, tap

FIRST = "What is Decision 749?"
FOLLOW_UP = "who issued it?"
ISSUER = "Nguyen Xuan Phuc"  # named only in the answer about Decision 749
AMBIGUOUS = "resolution"  # asked "which of these?"


async def ask(fake: FakeBotAPI, update: Json) -> str:
    """The text of the first message the bot sends in answer to `update`."""
    since = len(fake.calls)
    await fake.feed(update)
    sent: list[Call] = await fake.wait("sendMessage", 1, since)
    return visible_text(sent[0].params["text"])


def answered(text: str) -> bool:
    """Whether the bot's message answers with the issuer (rather than asks "which of
    these?" or refuses): "who issued it?" with no context may offer him, never answer."""
    not_answers = (messages.text(key, lang) for key in ("clarify", "fallback") for lang in Lang)
    return ISSUER in text and not text.startswith(tuple(not_answers))


def in_group(text: str, user: Json) -> Json:
    return message(f"@policy_test_bot {text}", user=user, chat=GROUP)


async def test_a_follow_up_in_a_private_chat_leans_on_the_last_answer(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    async with polling_bot(settings_for(api, tmp_path), quick_delivery()):
        alone = await ask(api, message(FOLLOW_UP, user=USER_VI))  # another chat, no context
        assert not answered(alone)
        assert "749" in await ask(api, message(FIRST))
        assert ISSUER in await ask(api, message(FOLLOW_UP))


async def test_in_a_group_each_user_has_their_own_context(api: FakeBotAPI, tmp_path: Path) -> None:
    async with polling_bot(settings_for(api, tmp_path), quick_delivery()):
        assert "749" in await ask(api, in_group(FIRST, USER_EN))
        assert not answered(await ask(api, in_group(FOLLOW_UP, USER_VI)))
        assert ISSUER in await ask(api, in_group(FOLLOW_UP, USER_EN))


async def test_the_context_survives_a_restart_and_holds_no_question_text(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    settings = settings_for(api, tmp_path)
    async with polling_bot(settings, quick_delivery()):
        await ask(api, message(FIRST))
    async with polling_bot(settings, quick_delivery()):
        assert ISSUER in await ask(api, message(FOLLOW_UP))
    with sqlite3.connect(settings.state_db) as db:
        rows = db.execute("SELECT chat, intent FROM contexts").fetchall()
    [(chat, intent)] = rows
    assert intent in {"decision_749", "programme_approval", "nguyen_xuan_phuc"}  # an id, no text
    assert str(USER_EN["id"]) not in chat  # a keyed hash, not the id


@pytest.mark.parametrize(
    ("age", "kept"),
    [pytest.param(599.0, True, id="within-ten-minutes"), pytest.param(601.0, False, id="expired")],
)
async def test_a_context_expires_on_its_own(tmp_path: Path, age: float, kept: bool) -> None:
    async with ChatContexts(tmp_path / "state.db", HASH_KEY, lifetime=600.0) as contexts:
        chat = contexts.key(42, None)
        await contexts.put(chat, ("decision_749", 1000.0, 0))
        found = await contexts.get(chat, 1000.0 + age)
        assert (found is not None) is kept
        await contexts.put(contexts.key(43, None), ("three_pillars", 2000.0, 0))
        assert await contexts.get(chat, 1000.0) is None  # pruned once stale: no row stays


async def test_an_answer_that_could_not_be_sent_leaves_no_context(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    """The context is kept once the reply is out: an update replayed after a crash
    before that point is read as it was the first time."""
    async with polling_bot(settings_for(api, tmp_path), quick_delivery()):
        since = len(api.calls)
        api.fail_next["sendMessage"] = [Fault(400, "Bad Request: chat not found")]
        await api.feed(message(FIRST))
        failed, apology = await api.wait("sendMessage", 2, since)
        assert "749" in visible_text(failed.params["text"])
        assert "749" not in visible_text(apology.params["text"])
        assert not answered(await ask(api, message(FOLLOW_UP)))


async def test_a_context_carries_at_most_its_follow_ups(tmp_path: Path) -> None:
    """As in the console and `ask --json`: after TURNS follow-ups on one chain, the next
    message is read on its own."""
    async with ChatContexts(tmp_path / "state.db", HASH_KEY, lifetime=LIFETIME) as contexts:
        followups = Followups(contexts)
        chat = Chat(42, Chat.PRIVATE)
        await followups.chosen(chat, None, "decision_749")
        assert await followups.context(chat, None) == Context("decision_749", ANY, 0)
        await contexts.put(followups.key(chat, None), ("decision_749", time.time(), TURNS))
        assert await followups.context(chat, None) is None


async def test_which_of_these_leaves_its_likeliest_option_until_none_is_tapped(
    api: FakeBotAPI, responder: Responder, tmp_path: Path
) -> None:
    """A follow-up typed instead of a tap leans on the likeliest option; "None of these"
    says it is not the topic."""
    expected = await responder.reply(AMBIGUOUS)
    assert expected.kind is Kind.CLARIFY
    settings = settings_for(api, tmp_path)

    async def kept(expected: list[str | None]) -> list[str | None]:
        """The intents of the contexts kept, once they are `expected` (they are kept
        after the reply goes out) or after a few seconds."""
        for _ in range(100):
            with contextlib.closing(sqlite3.connect(settings.state_db)) as db:
                found = [intent for (intent,) in db.execute("SELECT intent FROM contexts")]
            if found == expected:
                break
            await asyncio.sleep(0.05)
        return found

    async with polling_bot(settings, quick_delivery()):
        since = len(api.calls)
        await api.feed(message(AMBIGUOUS))
        [clarify] = await api.wait("sendMessage", 1, since)
        assert await kept([expected.intent_id]) == [expected.intent_id]
        since = len(api.calls)
        await api.feed(tap(clarify, buttons(clarify)[-1]["callback_data"]))
        await api.wait("sendMessage", 1, since)
        assert await kept([]) == []
