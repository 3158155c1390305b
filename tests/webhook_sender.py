"""Telegram's side of a webhook, for the fake Bot API: post each update until it is taken.

Telegram posts an update to the webhook again and again (waiting a little between tries)
until it is answered 2xx; an update the bot did not acknowledge, because it was down or
died before answering, is posted again. `WebhookSender` does the same with the updates
fed to a `FakeBotAPI`: up to `connections` at a time (Telegram's default
max_connections is 40), confirming a batch once all of it has been taken.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from tests.fake_bot_api import FakeBotAPI, Json

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class WebhookSender:
    api: FakeBotAPI
    url: str  # where the bot listens, e.g. http://127.0.0.1:8080/telegram
    secret: str
    connections: int = 40
    retry: float = 0.2  # seconds between two tries of one update
    posts: int = 0  # every try
    refused: int = 0  # tries not answered 2xx: no answer at all, or another status

    async def run(self) -> None:
        """Deliver until cancelled."""
        offset = 0
        async with httpx.AsyncClient(headers={SECRET_HEADER: self.secret}, timeout=10) as client:
            while True:
                batch = await self.api.pending(offset, self.connections, timeout=1.0)
                await asyncio.gather(*(self._deliver(client, update) for update in batch))
                if batch:
                    offset = batch[-1]["update_id"] + 1

    async def _deliver(self, client: httpx.AsyncClient, update: Json) -> None:
        while True:
            self.posts += 1
            try:
                response = await client.post(self.url, json=update)
                if response.is_success:
                    return
            except httpx.TransportError:
                pass
            self.refused += 1
            await asyncio.sleep(self.retry)


@contextlib.asynccontextmanager
async def sending(sender: WebhookSender) -> AsyncIterator[WebhookSender]:
    """Run `sender` for the `async with`."""
    task = asyncio.create_task(sender.run())
    try:
        yield sender
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
