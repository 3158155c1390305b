"""The way in, on its own: the flood limit, per-chat order."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Update, User

from bot.telegram_bot.guard import ChatOrder, FloodLimit, Guard, Verdict, privileged
from tests.fake_bot_api import BOT, Json
from tests.updates import GROUP, USER_EN, USER_VI, inline_query, message, private


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def me() -> User:
    user = User.de_json(BOT, None)
    assert user is not None
    return user


@pytest.fixture
def clock() -> Clock:
    return Clock()


def update(raw: dict[str, object], update_id: int) -> Update:
    parsed = Update.de_json({"update_id": update_id, **raw}, None)
    assert parsed is not None
    return parsed


def test_flood_limit_notices_once_then_ignores_until_the_window_passes(clock: Clock) -> None:
    flood = FloodLimit(limit=3, window=60, clock=clock)
    verdicts = []
    for _ in range(6):
        verdicts.append(flood.check(1))
        clock.now += 1
    assert verdicts == [Verdict.PASS] * 3 + [Verdict.NOTICE] + [Verdict.IGNORE] * 2
    assert flood.check(2) is Verdict.PASS  # someone else
    clock.now += 56  # 59 s after the notice: still quiet
    assert flood.check(1) is Verdict.IGNORE
    clock.now += 1.5
    assert flood.check(1) is Verdict.PASS


def test_flood_limit_counts_a_sliding_window(clock: Clock) -> None:
    flood = FloodLimit(limit=3, window=60, clock=clock)
    for _ in range(3):
        assert flood.check(1) is Verdict.PASS
        clock.now += 25  # 3 messages in 50 s, then one every 25 s: never 4 in 60 s
    for _ in range(10):
        assert flood.check(1) is Verdict.PASS
        clock.now += 25


def test_flood_limit_forgets_idle_users(clock: Clock) -> None:
    flood = FloodLimit(limit=3, window=60, clock=clock)
    for user in range(1000):
        flood.check(user)
    clock.now += 61
    flood.check(5000)
    assert len(flood) == 1


def test_guard_spares_admins(me: User, clock: Clock) -> None:
    guard = Guard(admins=frozenset({USER_VI["id"]}), flood=FloodLimit(2, 60, clock))
    admin = [guard.admit(update(message("hi", user=USER_VI), n), me) for n in range(1, 9)]
    assert set(admin) == {Verdict.PASS}
    others = [guard.admit(update(message("hi"), n), me) for n in range(9, 12)]
    assert others == [Verdict.PASS, Verdict.PASS, Verdict.NOTICE]


def test_admins_are_spared_only_in_their_own_chat(me: User, clock: Clock) -> None:
    guard = Guard(admins=frozenset({USER_VI["id"]}), flood=FloodLimit(2, 60, clock))
    mention = f"@{BOT['username']} hi"
    verdicts = [
        guard.admit(update(message(mention, user=USER_VI, chat=GROUP), n), me) for n in range(3)
    ]
    assert verdicts == [Verdict.PASS, Verdict.PASS, Verdict.NOTICE]


FORGED: Json = {"id": 777, "type": "private", "first_name": "Mallory"}


@pytest.mark.parametrize(
    ("raw", "allowed"),
    [
        pytest.param(message("/stats", user=USER_VI), True, id="admin-in-own-chat"),
        pytest.param(message("/stats", user=USER_EN), False, id="not-an-admin"),
        pytest.param(message("/stats", user=USER_VI, chat=GROUP), False, id="admin-in-a-group"),
        pytest.param(message("/stats", user=USER_VI, chat=FORGED), False, id="another-private"),
        pytest.param(
            message("/stats", user=USER_EN, chat=private(USER_VI)), False, id="in-admins-chat"
        ),
        pytest.param(
            message("/stats", user=USER_VI, chat={**GROUP, "id": USER_VI["id"]}),
            False,
            id="group-with-the-admins-id",
        ),
        pytest.param(inline_query("stats", user=USER_VI), False, id="inline-no-chat"),
    ],
)
def test_admin_rights_hold_only_in_the_admins_own_private_chat(raw: Json, allowed: bool) -> None:
    assert privileged(update(raw, 1), frozenset({USER_VI["id"]})) is allowed


@pytest.mark.parametrize(
    ("raw", "counted"),
    [
        (message("hello"), True),
        (message("/help"), True),
        (message("chatter", chat=GROUP), False),
        (message("/help", chat=GROUP), True),
        (message("/help@policy_test_bot", chat=GROUP), True),
        (message("/help@other_bot", chat=GROUP), False),
        (message(f"@{BOT['username']} hello", chat=GROUP), True),
        (inline_query("decision"), False),
    ],
    ids=[
        "private",
        "command",
        "group-chatter",
        "group-command",
        "command-for-us",
        "command-for-another-bot",
        "mention",
        "inline-query",
    ],
)
def test_only_what_the_bot_answers_counts_towards_the_limit(
    raw: dict[str, object], counted: bool, me: User, clock: Clock
) -> None:
    guard = Guard(flood=FloodLimit(1, 60, clock))
    verdicts = {guard.admit(update(raw, n), me) for n in (1, 2)}
    assert verdicts == ({Verdict.PASS, Verdict.NOTICE} if counted else {Verdict.PASS})


async def test_chat_order_keeps_each_chat_in_order_and_chats_apart() -> None:
    done: list[str] = []
    told: list[str] = []

    async def finished(handled: object) -> None:
        assert isinstance(handled, Update) and handled.effective_message is not None
        told.append(str(handled.effective_message.text))

    order = ChatOrder(max_concurrent=8, done=finished)

    async def handle(name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        done.append(name)

    jobs = [
        ("en-1", message("a"), 0.2),
        ("en-2", message("b"), 0.0),
        ("vi-1", message("c", user=USER_VI), 0.05),
    ]
    await asyncio.gather(
        *(
            order.process_update(update(raw, n), handle(name, delay))
            for n, (name, raw, delay) in enumerate(jobs, 1)
        )
    )
    assert done == ["vi-1", "en-1", "en-2"]
    assert told == ["c", "a", "b"]  # each told once its handlers were done
    assert order._queues == {}  # nothing kept once a chat has nothing in hand
