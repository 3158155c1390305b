"""The token never leaves the environment: not in logs, errors, reports or files.

`policybot run` runs as a process at LOG_LEVEL=DEBUG with a recognisable token,
through 429s, 5xx, a handler that crashes, a refused call, /stats and start-up
failures; everything it prints and every file it writes is then searched for the
token. (The webhook's secret header and what it refuses are tested in test_intake.py
and test_webhook.py; the token's own type in test_config.py.)
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import signal
import sys
from asyncio.subprocess import Process
from collections.abc import AsyncIterator
from pathlib import Path

from bot.telegram_bot.logs import HIDDEN, Redact
from tests.bots import ADMIN, FACTS_DB, HASH_KEY
from tests.fake_bot_api import (
    GARBAGE,
    SERVER_ERROR,
    TOO_MANY,
    FakeBotAPI,
    Fault,
    bad_request,
)
from tests.updates import USER_VI, message

SECRET_PART = "LeakCanary_s3cr3t-tokenPart_9f8e7d6c5b"
TOKEN = f"555000111:{SECRET_PART}"
NEEDLES = (TOKEN.encode(), SECRET_PART.encode(), SECRET_PART.lower().encode())


def environment(api_url: str, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api_url,
        "FACTS_DB": str(FACTS_DB),
        "STATE_DB": str(home / "state" / "questions.db"),
        "HASH_KEY": HASH_KEY,
        "ADMIN_IDS": str(ADMIN["id"]),
        "LOG_LEVEL": "DEBUG",
    }


@contextlib.asynccontextmanager
async def policybot(*args: str, env: dict[str, str], home: Path) -> AsyncIterator[Process]:
    """`policybot ARGS` in `home`, its output to files there (a pipe nobody reads while
    the bot runs would fill up and stop it); killed if still running at the end."""
    n = len(list(home.glob("output-*")))
    with open(home / f"output-{n}.txt", "wb") as output:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, env=env, cwd=home, stdout=output, stderr=output
        )
        try:
            yield proc
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()


async def printed(proc: Process, home: Path, timeout: float = 15) -> bytes:
    """Everything `policybot` processes printed in `home`, once `proc` has exited."""
    await asyncio.wait_for(proc.wait(), timeout)
    return b"".join(p.read_bytes() for p in sorted(home.glob("output-*")))


def leaks(sent: bytes, folder: Path) -> list[str]:
    """Where the token shows: 'sent' (to users), or the files under `folder` holding it
    (the processes' output, the state database and its WAL, anything else written)."""
    found = ["sent"] if any(n in sent for n in NEEDLES) else []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and any(n in path.read_bytes() for n in NEEDLES):
            found.append(str(path.relative_to(folder)))
    return found


async def test_a_session_with_faults_and_errors_leaks_no_token(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    env = environment(f"{api.url}/bot", tmp_path)
    steps: list[tuple[list[Fault], dict[str, object], int]] = [  # faults, update, sendMessages
        ([TOO_MANY, SERVER_ERROR], message("What is Decision 749?"), 3),  # retried
        ([GARBAGE], message("Thailand visa rules", user=USER_VI), 2),  # crash, apology
        ([bad_request("chat not found")], message("/about"), 2),  # refused, apology
        ([], message("/stats", user=ADMIN), 1),
    ]
    async with policybot("run", env=env, home=tmp_path) as proc:
        for faults, update, calls in steps:
            since = len(api.calls)
            api.fail_next["sendMessage"] = list(faults)
            await api.feed(update)
            await api.wait("sendMessage", calls, since, timeout=20)
        proc.send_signal(signal.SIGTERM)
        output = await printed(proc, tmp_path)
    assert proc.returncode == 0, output.decode()
    assert b"Traceback" in output and b"KeyError" in output  # the crash was logged...
    assert b" DEBUG " in output and b"retry 1" in output
    assert (tmp_path / "state" / "questions.db").exists()
    async with policybot("report", env=env, home=tmp_path) as report:
        assert b"questions logged" in await printed(report, tmp_path)
    sent = str([c.params for c in api.calls]).encode()  # what users were sent
    assert leaks(sent, tmp_path) == []  # ...without the token, anywhere


async def test_a_rejected_token_is_one_line_without_the_token(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    api.fail_next["getMe"] = [Fault(401, "Unauthorized")]
    async with policybot("run", env=environment(f"{api.url}/bot", tmp_path), home=tmp_path) as p:
        output = await printed(p, tmp_path)
    assert p.returncode == 2, output.decode()
    assert b"TELEGRAM_BOT_TOKEN was rejected" in output
    assert leaks(b"", tmp_path) == []


def test_redact_hides_the_token_and_its_secret_part_everywhere_in_a_record() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redact(TOKEN, SECRET_PART))
    logger = logging.getLogger("tests.redact")
    logger.addHandler(handler)
    try:
        logger.warning("POST %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
        logger.warning("encoded: %s", TOKEN.replace(":", "%3A"))
        try:
            raise RuntimeError(f"cannot reach /bot{TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert SECRET_PART not in written
    assert written.count(HIDDEN) == 3 and "RuntimeError" in written
