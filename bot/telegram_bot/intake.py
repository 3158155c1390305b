"""The way updates come in: stored before Telegram is told it has them, so a crash loses none.

Telegram forgets an update once it is acknowledged: the webhook's 200, or in polling mode
the next getUpdates whose offset is past it. `Intake` is the application's update queue
(`ApplicationBuilder.update_queue`), backed by the inbox in the state database
(bot/inbox.py):

- the webhook calls `receive` and answers 200 only once it has returned;
- PTB's Updater calls `put` for each update of a batch and advances the offset past the
  batch only once every `put` has returned, so `put` returns only once the update is
  stored, retrying while the state database fails (Telegram keeps the update meanwhile);
- `handled` is called by `ChatOrder` once the handlers are done with an update;
- `replay`, at start-up before anything new is taken in, queues what a crash
  interrupted: the updates stored but not handled, in the order they came.

An update whose id the inbox already knows (Telegram redelivers what it thinks we did
not get) is acknowledged and dropped: answered once, across restarts too. Replies to an
update that was being handled when the process died are sent again after the restart:
at-least-once, as Delivery's retries are.
"""

from __future__ import annotations

import asyncio
import json
import logging

from telegram import Bot, Update

from bot.errors import StoreError
from bot.inbox import Inbox

log = logging.getLogger(__name__)


class Intake(asyncio.Queue[object]):
    """An update queue that stores each update in `inbox` before queueing it."""

    def __init__(self, inbox: Inbox, retry: float = 0.5, max_retry: float = 30.0) -> None:
        super().__init__()
        self.inbox = inbox
        self.retry = retry
        self.max_retry = max_retry

    async def receive(self, update: Update, body: str | None = None) -> bool:
        """Store `update` (`body`, its JSON as received, or PTB's rendering of it), then
        queue it; False for an update received before, which is dropped. Raises StoreError
        when it cannot be stored: then it must not be acknowledged."""
        if not await self.inbox.receive(update.update_id, body or update.to_json()):
            log.info("update %s was delivered again; received already", update.update_id)
            return False
        await super().put(update)
        return True

    async def put(self, item: object) -> None:
        """For PTB: `receive` an update, retrying until it is stored; anything else (PTB's
        stop signal) is queued as it is."""
        if not isinstance(item, Update):
            await super().put(item)
            return
        delay = self.retry
        while True:
            try:
                await self.receive(item)
                return
            except StoreError as exc:
                log.error("could not store update %s (%s); retrying", item.update_id, exc)
            await asyncio.sleep(delay)
            delay = min(2 * delay, self.max_retry)

    async def handled(self, update: object) -> None:
        """Mark `update` handled; a failure means it is answered again after a restart."""
        if not isinstance(update, Update):
            return
        try:
            await self.inbox.handled(update.update_id)
        except StoreError as exc:
            log.warning("could not mark update %s handled: %s", update.update_id, exc)

    async def replay(self, bot: Bot) -> int:
        """Queue the updates received but not handled before the last stop; how many."""
        stored = await self.inbox.pending()
        for item in stored:
            try:
                update = Update.de_json(json.loads(item.body), bot)
            except (ValueError, TypeError, KeyError) as exc:  # never queued, so never handled
                log.error("stored update %s cannot be read (%r); dropped", item.update_id, exc)
                await self.inbox.handled(item.update_id)
                continue
            await super().put(update)
        if stored:
            log.warning("handling first %d update(s) the last run left unhandled", len(stored))
        return len(stored)
