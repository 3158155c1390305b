"""The real bot, wired as `policybot run` wires it, pointed at a fake Bot API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sqlite3
import subprocess
import sys
from asyncio.subprocess import Process
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from bot.cli import open_responder
from bot.config import PROJECT_ROOT, Secret, Settings
from bot.telegram_bot.application import App, polling_application
from bot.telegram_bot.delivery import Delivery
from tests.fake_bot_api import TOKEN, Call, FakeBotAPI, Json

FACTS_DB = PROJECT_ROOT / "facts.db"
HASH_KEY = "test-hash-key-0123456789"
ADMIN: dict[str, Any] = {"id": 4242, "is_bot": False, "first_name": "Ada", "language_code": "en"}
WEBHOOK_URL = "https://policybot.example/hook/t0ken-path"
WEBHOOK_PATH = "/hook/t0ken-path"  # the only path the webhook server takes updates at
WEBHOOK_SECRET = "s3cret_Token-1"


def settings_for(api: FakeBotAPI, state: Path, **changes: Any) -> Settings:
    """Settings for a bot talking to `api`, its question log under `state`."""
    base: dict[str, Any] = {
        "token": Secret(TOKEN),
        "api_url": f"{api.url}/bot",
        "facts_db": FACTS_DB,
        "state_db": state / "questions.db",
        "hash_key": Secret(HASH_KEY),
        "admin_ids": frozenset({ADMIN["id"]}),
    }
    return Settings(**{**base, **changes})


def webhook_settings(api: FakeBotAPI, **changes: Any) -> Settings:
    """Settings for `policybot serve` talking to `api` (the question log is passed apart)."""
    base: dict[str, Any] = {
        "token": Secret(TOKEN),
        "api_url": f"{api.url}/bot",
        "webhook_url": WEBHOOK_URL,
        "webhook_secret": Secret(WEBHOOK_SECRET),
        "facts_db": FACTS_DB,
        "admin_ids": frozenset({ADMIN["id"]}),
    }
    return Settings(**{**base, **changes})


def quick_delivery(**changes: Any) -> Delivery:
    """Telegram's limits, but no per-chat pacing and short backoffs, for fast tests."""
    options: dict[str, Any] = {"per_chat_interval": 0.0, "backoff": 0.01, **changes}
    return Delivery(**options)


@contextlib.asynccontextmanager
async def polling_bot(settings: Settings, delivery: Delivery | None = None) -> AsyncIterator[App]:
    """The polling application, run for the `async with` as `run_polling` runs it."""
    app: App = polling_application(settings, open_responder, delivery)
    assert app.post_init is not None and app.post_shutdown is not None
    assert app.updater is not None
    try:
        async with app:
            await app.post_init(app)
            await app.updater.start_polling(poll_interval=0, timeout=2)
            await app.start()
            try:
                yield app
            finally:
                if app.updater.running:
                    await app.updater.stop()
                if app.running:
                    await app.stop()
    finally:
        await app.post_shutdown(app)


async def terminate_mid_reply(
    api: FakeBotAPI, proc: Process, wait: float = 5.0
) -> tuple[int | None, str]:
    """SIGTERM `proc` once it sent its first reply (held by the fake), release it, and wait.

    Returns the exit status and what the process wrote to stderr.
    """
    assert api.gate is not None, "set api.gate before starting, so the reply is held"
    try:
        await api.wait("sendMessage", timeout=wait)
        proc.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.3)
        api.gate.set()
        _, err = await asyncio.wait_for(proc.communicate(), 10)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    return proc.returncode, err.decode()


@contextlib.contextmanager
def full_disk(state_db: Path) -> Iterator[None]:
    """Every update the bot tries to store in `state_db`'s inbox fails, as on a full
    disk, until the `with` ends."""
    with contextlib.closing(sqlite3.connect(state_db)) as db:
        db.execute(
            "CREATE TRIGGER full BEFORE INSERT ON updates"
            " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
        db.commit()
        try:
            yield
        finally:
            db.execute("DROP TRIGGER full")
            db.commit()


async def exchange(
    fake: FakeBotAPI, update: Json, method: str = "sendMessage", count: int = 1
) -> list[Call]:
    """Feed `update` and return the `count` calls of `method` the bot makes for it."""
    since = len(fake.calls)
    await fake.feed(update)
    return await fake.wait(method, count, since)


async def exchange_one(fake: FakeBotAPI, update: Json, method: str = "sendMessage") -> Call:
    """Feed `update` and return the one call of `method` the bot makes for it."""
    [call] = await exchange(fake, update, method)
    return call


def ask_json(lines: list[str]) -> list[dict[str, Any]]:
    """`policybot ask --json` as its own process: one reply object per line of `lines`."""
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=PROJECT_ROOT,
        timeout=120,
        check=True,
    )
    return [json.loads(line) for line in proc.stdout.splitlines()]
