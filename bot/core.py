"""Assembling the answering core from facts.db: one place, used by every front end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.matcher import Matcher
from bot.responder import Responder
from bot.store import Store


@asynccontextmanager
async def open_responder(facts_db: Path) -> AsyncIterator[Responder]:
    """A responder over `facts_db`, open for the duration of the `async with`."""
    async with Store(facts_db) as store:
        knowledge = await store.knowledge()
        yield Responder(knowledge, Matcher(knowledge.intents, knowledge.synonyms), store)
