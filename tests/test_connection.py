"""FACTS_DB and STATE_DB with `#`, `?` or `%` in a folder name open exactly that file.

In an SQLite URI, `#` starts a fragment, `?` the parameters and `%` an escape, so a
naive `f"file:{path}?mode=ro"` opens (or creates) another file, or none; `sqlite_uri`
escapes the path. Beside each folder lies a decoy where the naive URI would land.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.connection import sqlite_uri
from bot.knowledge.store import Store
from tests.conftest import FACTS_DB

QUESTION = "What is Decision 749?"
# The folder, and where a naive URI of FOLDER/facts.db leads.
FOLDERS = [
    pytest.param("odd#dir", "odd", id="hash"),
    pytest.param("what?dir", "what", id="question-mark"),
    pytest.param("per%20cent", "per cent/facts.db", id="percent"),
    pytest.param("a#b?c", "a", id="hash-and-question-mark"),
]


def naive_uri(path: Path, mode: str) -> str:
    return f"file:{path}?mode={mode}"


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def decoy(path: Path) -> None:
    """An SQLite database that is not facts.db, where a naive URI would land."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE decoy (x)")


@pytest.mark.parametrize(("folder", "naive"), FOLDERS)
def test_facts_db_in_such_a_folder_is_the_file_opened(
    tmp_path: Path,
    folder: str,
    naive: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / folder / "facts.db"
    target.parent.mkdir()
    shutil.copy(FACTS_DB, target)
    decoy(tmp_path / naive)
    before = files(tmp_path)
    monkeypatch.setenv("FACTS_DB", str(target))
    assert main(["ask", QUESTION]) == 0
    assert "Decision" in capsys.readouterr().out
    assert files(tmp_path) == before  # read-only: no journal, nothing new anywhere


@pytest.mark.parametrize(("folder", "naive"), FOLDERS)
async def test_facts_db_is_opened_read_only(tmp_path: Path, folder: str, naive: str) -> None:
    target = tmp_path / folder / "facts.db"
    target.parent.mkdir()
    shutil.copy(FACTS_DB, target)
    async with Store(target) as store:
        assert (await store.knowledge()).intents
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await store.db.execute("CREATE TABLE written (x)")
    assert target.read_bytes() == FACTS_DB.read_bytes()


@pytest.mark.parametrize(("folder", "naive"), FOLDERS)
def test_state_db_in_such_a_folder_is_created_exactly_there(
    tmp_path: Path, folder: str, naive: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / folder / "questions.db"
    target.parent.mkdir()
    monkeypatch.setenv("FACTS_DB", str(FACTS_DB))
    monkeypatch.setenv("STATE_DB", str(target))
    assert main(["report"]) == 0
    assert files(tmp_path) == {f"{folder}/questions.db"}
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM questions").fetchone() == (0,)


@pytest.mark.parametrize(("folder", "naive"), FOLDERS)
@pytest.mark.parametrize("mode", ["ro", "rwc"])
def test_a_naive_uri_would_miss_the_file(
    tmp_path: Path, folder: str, naive: str, mode: str
) -> None:
    """What the tests above guard: the naive URI fails, or opens or creates another file,
    while `sqlite_uri` reaches the file itself."""
    target = tmp_path / folder / "facts.db"
    target.parent.mkdir()
    shutil.copy(FACTS_DB, target)

    def tables(uri: str) -> set[str]:
        try:
            db = sqlite3.connect(uri, uri=True)
        except sqlite3.OperationalError:  # nothing there
            return set()
        try:
            return {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        except sqlite3.OperationalError:
            return set()
        finally:
            db.close()

    assert "intents" in tables(sqlite_uri(target, mode))
    assert "intents" not in tables(naive_uri(target, mode))
