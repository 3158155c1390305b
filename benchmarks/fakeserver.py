"""`python -m benchmarks.fakeserver`: the tests' fake Bot API in its own process.

It prints its URL and serves until its stdin closes. Not strict: the benchmark
measures, the tests judge.
"""

from __future__ import annotations

import asyncio
import sys

from tests.fake_bot_api import running_fake


async def _main() -> None:
    async with running_fake(strict=False) as fake:
        print(fake.url, flush=True)
        await asyncio.to_thread(sys.stdin.read)  # until the parent closes our stdin


if __name__ == "__main__":
    asyncio.run(_main())
