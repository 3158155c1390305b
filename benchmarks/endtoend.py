"""The bot as a whole: updates per second through PTB, start-up time, peak memory.

- Throughput: the real `Application` from `application.application_builder` and the
  real `Handlers` with the question log, fed with `process_update` (no updater), as many
  at once as `policybot run` handles, answering through the lean fake Bot API of
  fakeserver.py over loopback HTTP. Telegram's flood limits are switched off (a rate
  limiter that passes every call straight on): they hold a bot to ~30 messages/s by
  design, which is Telegram's cap, not our cost. Every update comes from its own user
  and private chat, as a busy bot's do, so the per-user flood guard never trips. Two
  set-ups: *shared*, the fake in this process, both on one core (the fake's HTTP
  serving counts against us); *bot alone*, the fake in its own process on another
  core, the bot on one core, figured as updates per CPU-second of the bot process.
- Start-up: `policybot run` as a subprocess against the fake, from spawn to its first
  getUpdates. It then answers some questions; its peak RSS is read when it exits.
- `policybot ask --json` answering 1,000 questions: wall time and peak RSS.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import BaseRateLimiter

from benchmarks.fakeserver import lean_fake
from bot.cli import open_responder
from bot.config import PROJECT_ROOT, Secret, Settings
from bot.telegram_bot.application import MAX_CONCURRENT_UPDATES, application_builder, question_log
from bot.telegram_bot.delivery import Call, Result
from bot.telegram_bot.handlers import App, Handlers
from tests.fake_bot_api import TOKEN, Json, running_fake
from tests.updates import USER_EN, USER_VI, message

FACTS_DB = PROJECT_ROOT / "facts.db"
WARM_UP = 100
RUN_QUESTIONS = 50  # answered by `policybot run` before its memory is read


class NoLimit(BaseRateLimiter[int]):
    """Passes every call straight on: Telegram's flood limits, switched off."""

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(  # noqa: PLR0917 - BaseRateLimiter's signature
        self,
        callback: Call,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        return await callback(*args, **kwargs)


def updates(questions: Sequence[tuple[str, str]], count: int, first_user: int) -> list[Json]:
    """`count` message updates cycling through `questions`, each from a new user."""
    found: list[Json] = []
    for n in range(count):
        category, text = questions[n % len(questions)]
        user = {**(USER_VI if category.startswith("vi") else USER_EN), "id": first_user + n}
        found.append({"update_id": n + 1, **message(text, user=user)})
    return found


@contextmanager
def pinned(cpu: int) -> Iterator[None]:
    """Run this process on one CPU only for the `with` (where the OS allows it)."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


@dataclass(frozen=True, slots=True)
class Throughput:
    updates: int
    seconds: float
    cpu_seconds: float  # of this process

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds

    @property
    def per_cpu_second(self) -> float:
        return self.updates / self.cpu_seconds


async def _throughput(url: str, raws: list[Json], concurrency: int) -> Throughput:
    """`raws` through the application as `policybot run` builds it, question log included."""
    folder = tempfile.TemporaryDirectory()
    settings = Settings(
        token=Secret(TOKEN),
        api_url=url,
        facts_db=FACTS_DB,
        state_db=Path(folder.name) / "questions.db",
        hash_key=Secret("benchmark-question-log"),
    )
    app: App = application_builder(settings).rate_limiter(NoLimit()).updater(None).build()
    async with AsyncExitStack() as stack:
        stack.callback(folder.cleanup)
        responder = await stack.enter_async_context(open_responder(FACTS_DB))
        questions = await stack.enter_async_context(question_log(settings))
        Handlers(responder, questions).register(app)
        await stack.enter_async_context(app)
        parsed = [Update.de_json(raw, app.bot) for raw in raws]
        for update in parsed[:WARM_UP]:
            await app.process_update(update)
        timed = parsed[WARM_UP:]
        gate = asyncio.Semaphore(concurrency)

        async def one(update: Update) -> None:
            async with gate:
                await app.process_update(update)

        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one(u) for u in timed))
        return Throughput(len(timed), time.perf_counter() - wall, time.process_time() - cpu)


async def shared_core(questions: Sequence[tuple[str, str]], count: int) -> Throughput:
    """Bot and fake in this process, on one core."""
    raws = updates(questions, WARM_UP + count, first_user=1_000_000)
    with pinned(0):
        async with lean_fake() as (fake, url):
            result = await _throughput(url, raws, concurrency=MAX_CONCURRENT_UPDATES)
    _check(fake.calls, WARM_UP + count)
    return result


async def bot_alone(questions: Sequence[tuple[str, str]], count: int) -> Throughput:
    """The fake in a child process on another core; the bot on one core."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]
    raws = updates(questions, WARM_UP + count, first_user=2_000_000)
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.fakeserver"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        if len(cpus) > 1 and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(child.pid, {cpus[1]})
        url = (await asyncio.to_thread(child.stdout.readline)).strip()
        if not url:
            raise RuntimeError("the fake Bot API process did not start")
        with pinned(cpus[0]):
            result = await _throughput(url, raws, concurrency=MAX_CONCURRENT_UPDATES)
    finally:
        child.stdin.close()  # the fake then prints its call counts and exits
        calls = await asyncio.to_thread(child.stdout.read)
        child.wait(timeout=10)
    _check(Counter(json.loads(calls or "{}")), WARM_UP + count)
    return result


def _check(calls: Counter[str], count: int) -> None:
    sent = calls["sendMessage"]
    if sent != count or set(calls) - {"getMe", "sendMessage"}:
        raise RuntimeError(f"{sent} of {count} answered; calls: {dict(calls)}")


def policybot() -> list[str]:
    """The installed `policybot` command (no `uv run` in front: its start-up is not ours)."""
    script = Path(sys.executable).with_name("policybot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def peak_rss_kib(pid: int) -> int:
    """The high-water mark of `pid`'s resident memory (VmHWM), 0 once it has exited.

    Read from /proc while the process lives: the ru_maxrss that wait4 reports for a
    child also counts this (parent) process's memory, as the child was forked from it.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


async def _watch(process: subprocess.Popen[bytes]) -> int:
    """Wait for `process` to exit, sampling its peak RSS (KiB) every few milliseconds."""
    peak = 0
    while process.poll() is None:
        peak = max(peak, peak_rss_kib(process.pid))
        await asyncio.sleep(0.002)
    return peak


@dataclass(frozen=True, slots=True)
class Startup:
    ready_s: float
    peak_rss_mb: float


async def startup(questions: Sequence[tuple[str, str]]) -> Startup:
    """`policybot run` against the fake: time to its first getUpdates, then peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        async with running_fake(strict=False) as fake:
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_URL": fake.url,
                "FACTS_DB": str(FACTS_DB),
                "STATE_DB": str(Path(tmp) / "questions.db"),
                "LOG_LEVEL": "WARNING",
            }
            log = Path(tmp) / "run.log"
            with log.open("wb") as out:
                began = time.perf_counter()
                process = subprocess.Popen(
                    [*policybot(), "run"], env=env, stdout=out, stderr=subprocess.STDOUT
                )
            try:
                await fake.wait("getUpdates", 1, timeout=30)
                ready = time.perf_counter() - began
                for raw in updates(questions, RUN_QUESTIONS, first_user=3_000_000):
                    raw.pop("update_id")
                    await fake.feed(raw)
                await fake.wait("sendMessage", RUN_QUESTIONS, timeout=60)
            except AssertionError as exc:
                process.kill()
                raise RuntimeError(f"policybot run: {exc}\n{log.read_text()}") from exc
            finally:
                peak = peak_rss_kib(process.pid)
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                await fake.close()  # wake its long poll, so that it stops at once
                peak = max(peak, await _watch(process))
    return Startup(ready, peak / 1024)


@dataclass(frozen=True, slots=True)
class Ask:
    questions: int
    seconds: float
    peak_rss_mb: float


async def ask_json(questions: Sequence[str]) -> Ask:
    """`policybot ask --json` over `questions` on stdin: whole-process time, peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        given, answers = Path(tmp) / "questions.txt", Path(tmp) / "answers.jsonl"
        given.write_text("".join(f"{q}\n" for q in questions), encoding="utf-8")
        with given.open("rb") as stdin, answers.open("wb") as stdout:
            began = time.perf_counter()
            process = subprocess.Popen(
                [*policybot(), "ask", "--json"],
                stdin=stdin,
                stdout=stdout,
                env={**os.environ, "FACTS_DB": str(FACTS_DB)},
            )
            peak = await _watch(process)
            seconds = time.perf_counter() - began
        answered = len(answers.read_bytes().splitlines())
    if process.returncode != 0 or answered != len(questions):
        raise RuntimeError(f"ask --json answered {answered} of {len(questions)}")
    return Ask(len(questions), seconds, peak / 1024)
