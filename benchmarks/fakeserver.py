"""The tests' fake Bot API, served on loopback for the benchmarks.

Unlike the tests' `running_fake`, it does not fail when the bot sent something the
Bot API would reject: the benchmark measures, the tests judge.
`python -m benchmarks.fakeserver` serves one in its own process and prints its URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator

from tests.fake_bot_api import FakeBotAPI, serve


@contextlib.asynccontextmanager
async def running_fake() -> AsyncIterator[FakeBotAPI]:
    """A fresh FakeBotAPI served on loopback; its `url` is set."""
    fake = FakeBotAPI()
    async with serve(fake.app) as url:
        fake.url = url
        try:
            yield fake
        finally:
            await fake.close()


async def _main() -> None:
    async with running_fake() as fake:
        print(fake.url, flush=True)
        await asyncio.to_thread(sys.stdin.read)  # until the parent closes our stdin


if __name__ == "__main__":
    asyncio.run(_main())
