"""The word lists shipped as data beside the code (bot/words, bot/answering/words)."""

from collections import Counter
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

from bot.text import fold, word_lines, word_list


def _lists(package: str) -> list[str]:
    """The names `word_list(package, …)` accepts: every .txt under words/, at any depth."""

    def walk(folder: Traversable, prefix: str) -> list[str]:
        names = []
        for entry in folder.iterdir():
            if entry.is_dir():
                names += walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".txt"):
                names.append(prefix + entry.name.removesuffix(".txt"))
        return names

    return sorted(walk(resources.files(package).joinpath("words"), ""))


# Lists compared with folded words must be folded themselves, or their words never match.
FOLDED = [
    *(("bot", name) for name in _lists("bot")),
    *(("bot.answering", n) for n in _lists("bot.answering") if n.startswith("smalltalk/")),
    ("bot.answering", "pointing"),
]
ALL = [
    *FOLDED,
    ("bot.answering", "number_words"),
    ("bot.answering", "places"),
]


def test_every_list_is_covered_here() -> None:
    shipped = {("bot", n) for n in _lists("bot")} | {
        ("bot.answering", n) for n in _lists("bot.answering")
    }
    assert shipped == set(ALL)


@pytest.mark.parametrize(("package", "name"), ALL, ids=[f"{p}:{n}" for p, n in ALL])
def test_list_is_not_empty_and_has_no_repeats(package: str, name: str) -> None:
    words = word_list(package, name)
    assert words
    assert [w for w, n in Counter(words).items() if n > 1] == []


@pytest.mark.parametrize(("package", "name"), FOLDED, ids=[f"{p}:{n}" for p, n in FOLDED])
def test_list_is_folded(package: str, name: str) -> None:
    assert [w for w in word_list(package, name) if fold(w) != w] == []


def test_place_names_are_folded_with_their_words_joined() -> None:
    """places.txt joins the words of a name with "_" ("ho_chi_minh_city"): folded, the
    name with spaces must be itself, and no name may belong to two places."""
    names = [n.replace("_", " ") for line in word_lines("bot.answering", "places") for n in line]
    assert [n for n in names if fold(n) != n] == []
    assert [n for n, k in Counter(names).items() if k > 1] == []


def test_word_lines_keep_the_lines() -> None:
    assert word_lines("bot.answering", "places")[0] == ("thailand", "thai_lan")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("a b\nc\n", ("a", "b", "c"), id="spaces-and-lines"),
        pytest.param("b a\n", ("b", "a"), id="order-kept"),
        pytest.param("# a comment\nx # y z\n", ("x",), id="comments"),
        pytest.param("\n\n  \nx\n\n", ("x",), id="blank-lines"),
        pytest.param("# only a comment\n", (), id="empty"),
        pytest.param("chào\n", ("chào",), id="utf-8"),
    ],
)
def test_word_list_reads(
    text: str, words: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"words_{tmp_path.name}"  # a package of its own: imported packages stay imported
    package = tmp_path / name
    (package / "words").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "words" / "sample.txt").write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert word_list(name, "sample") == words
