"""Shared fixtures: the committed facts.db, opened read-only as the bot does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.matcher import Matcher
from bot.responder import Responder
from bot.store import Store

FACTS_DB = PROJECT_ROOT / "facts.db"
DATA = Path(__file__).parent / "data"


@pytest.fixture
async def responder() -> AsyncIterator[Responder]:
    async with Store(FACTS_DB) as store:
        knowledge = await store.knowledge()
        yield Responder(knowledge, Matcher(knowledge.intents, knowledge.synonyms), store)
