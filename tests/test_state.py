"""The question log: what it keeps, what it never keeps, and that it survives kill -9."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.answering.responder import Responder
from bot.cli import main
from bot.errors import StoreError
from bot.models import Chat, Kind, Lang, Reply
from bot.state import QuestionLog

KEY = "k" * 32


async def test_records_outcomes_and_only_unanswered_text(
    tmp_path: Path, responder: Responder
) -> None:
    path = tmp_path / "state" / "q.db"
    async with QuestionLog(path, KEY) as log:
        for question in ["What is Decision 749?", "Who won the 2018 world cup?", "hello"]:
            await log.record(await responder.reply(question), user_id=424242)
        report = await log.report()
    assert report.total == 3
    assert report.by_kind == {"answer": 1, "fallback": 1, "smalltalk": 1}
    assert report.unanswered == [("Who won the 2018 world cup?", 1)]
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT user, text FROM questions ORDER BY id").fetchall()
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert rows[0][1] is None  # answered questions keep no text
    assert all(user and "424242" not in user for user, _ in rows)
    assert len({user for user, _ in rows}) == 1


async def test_without_a_key_nobody_is_identified(tmp_path: Path) -> None:
    async with QuestionLog(tmp_path / "q.db", None) as log:
        assert log.user_hash(1) is None
        await log.record(Reply("hi", Kind.SMALLTALK, Lang.EN, chat=Chat.GREETING), user_id=1)


async def test_hash_depends_on_the_key(tmp_path: Path) -> None:
    async with (
        QuestionLog(tmp_path / "a.db", KEY) as a,
        QuestionLog(tmp_path / "b.db", "x" * 32) as b,
    ):
        assert a.user_hash(7) != b.user_hash(7)
        assert a.user_hash(7) == a.user_hash(7)


def count_rows(path: Path) -> int:
    """Rows another connection sees: committed ones."""
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(*) FROM questions").fetchone()[0])


async def test_every_caller_returns_once_its_row_is_committed(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    reply = Reply("hi", Kind.SMALLTALK, Lang.EN, chat=Chat.GREETING)
    async with QuestionLog(path, KEY) as log:

        async def one(n: int) -> None:
            await log.record(reply, n)
            assert count_rows(path) >= n + 1

        tasks = []
        for n in range(100):
            tasks.append(asyncio.ensure_future(one(n)))
            await asyncio.sleep(0)
        await asyncio.gather(*tasks)
        assert count_rows(path) == 100


async def test_one_bad_row_fails_only_its_own_caller(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    good = Reply("hi", Kind.SMALLTALK, Lang.EN, chat=Chat.GREETING)
    bad = Reply("hi", Kind.SMALLTALK, Lang.EN, chat=Chat.GREETING, confidence=-1.0)
    async with QuestionLog(path, KEY) as log:
        execute = log.db.execute

        async def refusing(sql: str, row: tuple[object, ...] = ()) -> object:
            result = await execute(sql, row)  # written, then refused: must not stay
            if len(row) > 5 and row[5] == -1.0:
                raise sqlite3.IntegrityError("refused")
            return result

        log.db.execute = refusing  # type: ignore[assignment,method-assign]
        results = await asyncio.gather(
            *(log.record(bad if n == 2 else good, n) for n in range(5)), return_exceptions=True
        )
        await log.record(good, 9)
    assert [isinstance(r, sqlite3.IntegrityError) for r in results] == [0, 0, 1, 0, 0]
    assert count_rows(path) == 5


async def test_closing_finishes_the_rows_in_hand_and_takes_no_more(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    reply = Reply("x\ud800 lone surrogate", Kind.FALLBACK, Lang.EN)  # as Telegram may send
    log = QuestionLog(path, KEY)
    await log.__aenter__()
    pending = [asyncio.ensure_future(log.record(reply, n)) for n in range(10)]
    await asyncio.sleep(0)
    await log.close()
    await asyncio.gather(*pending)
    with pytest.raises(StoreError, match="closing"):
        await log.record(reply, 11)
    assert count_rows(path) == 10


async def test_retention_limit_is_enforced(tmp_path: Path, responder: Responder) -> None:
    reply = await responder.reply("Who won the 2018 world cup?")
    now = datetime.now(UTC)
    async with QuestionLog(tmp_path / "q.db", KEY, retention_days=90) as log:
        await log.record(reply, 1, at=now - timedelta(days=120))
        await log.record(reply, 1, at=now - timedelta(days=10))
        assert await log.prune(now) == 1
        assert (await log.report()).total == 1


async def test_report_rates_by_language_and_day(tmp_path: Path, responder: Responder) -> None:
    async with QuestionLog(tmp_path / "q.db", KEY) as log:
        day = datetime(2026, 11, 20, 9, tzinfo=UTC)
        for question in ["What is Decision 749?", "Quyết định 749 là gì?", "giá vàng hôm nay"]:
            await log.record(await responder.reply(question), 5, at=day)
        report = await log.report()
    assert ("en", 1, 1) in report.by_lang
    assert ("vi", 1, 2) in report.by_lang
    assert report.by_day == [("2026-11-20", 2, 3)]
    assert "giá vàng hôm nay" in report.text()


def test_report_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STATE_DB", str(tmp_path / "q.db"))
    assert main(["report"]) == 0
    assert "0 questions logged" in capsys.readouterr().out


def test_unwritable_state_db_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("STATE_DB", str(blocker / "q.db"))
    assert main(["report"]) == 2
    assert "STATE_DB" in capsys.readouterr().err


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from bot.models import Chat, Kind, Lang, Reply
    from bot.state import QuestionLog

    async def main() -> None:
        async with QuestionLog(Path(sys.argv[1]), "k" * 32) as log:
            n = 0
            while True:
                n += 1
                reply = Reply(f"question {n}", Kind.FALLBACK, Lang.EN)
                await log.record(reply, n)
                print(n, flush=True)

    asyncio.run(main())
    """
)


def test_kill_9_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert writer.stdout is not None
    committed = 0
    for line in writer.stdout:
        committed = int(line)
        if committed >= 300:
            break
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    assert rows >= committed
