"""Shared fixtures: the committed facts.db, opened read-only as the bot does."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.answering.responder import Responder
from bot.cli import open_responder
from bot.config import PROJECT_ROOT
from bot.inbox import Inbox
from bot.state import QuestionLog
from bot.telegram_bot.web import create_app
from tests.bots import polling_bot, quick_delivery, settings_for, webhook_settings
from tests.fake_bot_api import FakeBotAPI, running_fake, serve

# PTB 22 warns (an error here) whenever a RetryAfter is made, unless one opts in to
# its future timedelta type; subprocesses inherit this too.
os.environ["PTB_TIMEDELTA"] = "true"

FACTS_DB = PROJECT_ROOT / "facts.db"
DATA = Path(__file__).parent / "data"


@pytest.fixture
async def responder() -> AsyncIterator[Responder]:
    async with open_responder(FACTS_DB) as opened:
        yield opened


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API alone, served on loopback."""
    async with running_fake() as fake:
        yield fake


@pytest.fixture
async def fake(api: FakeBotAPI, tmp_path: Path) -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API with the polling bot attached, run as `run_polling` runs it,
    without per-chat pacing (test_reliability.py tests that)."""
    async with polling_bot(settings_for(api, tmp_path), quick_delivery()):
        yield api


@pytest.fixture
async def questions(tmp_path: Path) -> AsyncIterator[QuestionLog]:
    async with QuestionLog(tmp_path / "questions.db", "k" * 32) as log:
        yield log


@pytest.fixture
async def inbox(tmp_path: Path) -> AsyncIterator[Inbox]:
    async with Inbox(tmp_path / "questions.db") as opened:
        yield opened


@pytest.fixture
async def server(
    api: FakeBotAPI, responder: Responder, questions: QuestionLog, inbox: Inbox
) -> AsyncIterator[httpx.AsyncClient]:
    """The webhook app served on loopback, lifespan included; a client pointed at it."""
    app = create_app(webhook_settings(api), responder, questions, quick_delivery(), inbox=inbox)
    async with serve(app, lifespan="on") as url, httpx.AsyncClient(base_url=url) as client:
        yield client
