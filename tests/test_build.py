"""`policybot build` and `check`: the atomic, verified build of facts.db and its refusals."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import textwrap
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.knowledge.intents import figures
from bot.knowledge.store import Store
from tests.conftest import FACTS_DB

SEED = "004_3f1a04d0d831d797.txt"
QUOTE = (
    "Prime Minister Nguyen Xuan Phuc also issued Decision No 749/QD-TTg approving the"
    " national digital transformation programme by 2025 and vision towards 2030."
)


ANSWER_VI = "Quyết định 749 đã phê duyệt chương trình quốc gia."


def intent(
    intent_id: str, phrase: str, quote: str = QUOTE, seed: str = SEED, answer_vi: str = ANSWER_VI
) -> str:
    return textwrap.dedent(f"""\
      - id: {intent_id}
        topic: programme
        answer: Decision 749 approved the national programme.
        answer_vi: {answer_vi}
        en: [{phrase} one, {phrase} two, {phrase} three, {phrase} four, {phrase} five, {phrase} six]
        vi: [{phrase} một, {phrase} hai]
        facts:
          - seed: {seed}
            quote: "{quote}"
    """)


HEADER = "topics:\n  - {id: programme, en: Programme, vi: Chương trình}\nintents:\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project folder with the real seeds and a one-intent intents.yaml."""
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "intents.yaml").write_text(HEADER + intent("decision_749", "decision"), "utf-8")
    return tmp_path


def build(root: Path, command: str = "build") -> int:
    extra = ["--output", str(root / "facts.db")] if command == "build" else []
    return main([command, "--root", str(root), *extra])


def test_build_writes_a_database_the_bot_can_open(root: Path) -> None:
    assert build(root) == 0
    assert (root / "facts.db").stat().st_size > 0
    assert not list(root.glob(".*.tmp"))


def test_built_database_answers(root: Path) -> None:
    assert build(root) == 0

    async def read() -> None:
        async with Store(root / "facts.db") as store:
            knowledge = await store.knowledge()
            assert [i.id for i in knowledge.intents] == ["decision_749"]
            assert knowledge.intents[0].facts[0].quote == QUOTE
            hits = await store.search(["decision", "749"])
            assert hits
            assert "749" in hits[0][0].text

    asyncio.run(read())


def test_build_is_deterministic(root: Path) -> None:
    assert build(root) == 0
    first = (root / "facts.db").read_bytes()
    assert build(root) == 0
    assert (root / "facts.db").read_bytes() == first


BAD_INPUTS = [
    pytest.param(
        HEADER + intent("x", "decision", quote="Prime Minister Nguyen Xuan Phuc issued nothing."),
        "quote not found verbatim",
        id="quote-not-verbatim",
    ),
    pytest.param(
        HEADER + intent("x", "decision", quote="Decision No 749/QD-TTg approving"),
        "not whole sentences",
        id="quote-cut-sentence",
    ),
    pytest.param(
        HEADER + intent("x", "decision", seed="999_missing.txt"), "unknown seed", id="unknown-seed"
    ),
    pytest.param(
        HEADER + intent("x", "decision") + intent("x", "other"),
        "duplicate intent id",
        id="duplicate-id",
    ),
    pytest.param(
        HEADER + intent("x", "decision") + intent("y", "Decision"),
        "is also in intent 'x'",
        id="phrasing-in-two-intents",
    ),
    pytest.param(
        HEADER + intent("x", "decision").split("  facts:")[0] + "  facts: []\n",
        "has no facts",
        id="no-facts",
    ),
    pytest.param(
        HEADER
        + intent("x", "decision")
        .replace("en: [", "en: [only, ")
        .replace(", decision three, decision four, decision five, decision six", ""),
        "write at least 6",
        id="too-few-phrasings",
    ),
    pytest.param(
        HEADER + "  - id: x\n   topic: [unclosed\n", "malformed YAML", id="malformed-yaml"
    ),
    pytest.param(
        HEADER + intent("x", "decision").replace("Decision 749 approved", "Decision 750 approved"),
        "answer states '750'",
        id="answer-figure-not-in-quote",
    ),
    pytest.param(
        HEADER + intent("x", "decision").replace("topic: programme", "topic: nope"),
        "unknown topic",
        id="unknown-topic",
    ),
    pytest.param(
        HEADER + intent("x", "decision").replace(f"  answer_vi: {ANSWER_VI}\n", ""),
        "has no 'answer_vi' line",
        id="no-answer-vi",
    ),
    pytest.param(
        HEADER + intent("x", "decision", answer_vi='"Quyết định 749\\nđã phê duyệt."'),
        "must be one line",
        id="answer-vi-two-lines",
    ),
    pytest.param(
        HEADER + intent("x", "decision", answer_vi="Quyết định 750 đã phê duyệt chương trình."),
        "lacks 749 and adds 750",
        id="answer-vi-other-number",
    ),
    pytest.param(
        HEADER + intent("x", "decision", answer_vi="Quyết định đã phê duyệt chương trình."),
        "lacks 749 and adds nothing",
        id="answer-vi-number-missing",
    ),
]


def test_a_press_releases_contact_details_may_be_quoted(root: Path) -> None:
    """The contact line is no article text (search leaves it out), but it may back a
    fact, as a caption may."""
    contact = textwrap.dedent("""\
      - id: contact
        topic: programme
        answer: "The contact the article gives is the Public Information Unit: Tel: 942 1495."
        answer_vi: "Liên hệ: Public Information Unit, điện thoại 942 1495."
        en: [contact one, contact two, contact three, contact four, contact five, contact six]
        vi: [liên hệ một, liên hệ hai]
        facts:
          - seed: 000_ad8cf312d669872d.txt
            quote: "Public Information Unit, Tel: 942 1495 ; Fax: 942 2267"
    """)
    (root / "intents.yaml").write_text(HEADER + contact, "utf-8")
    assert build(root, "check") == 0


@pytest.mark.parametrize(("content", "message"), BAD_INPUTS)
@pytest.mark.parametrize("command", ["build", "check"])
def test_bad_input_is_refused_with_file_and_line(
    root: Path, content: str, message: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(root) == 0
    before = (root / "facts.db").read_bytes()
    (root / "intents.yaml").write_text(content, "utf-8")

    assert build(root, command) == 2

    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert message in err[0]
    assert f"{root / 'intents.yaml'}:" in err[0]
    assert (
        err[0].split(f"{root / 'intents.yaml'}:")[1].split(":")[0].isdigit()
        or "malformed" in err[0]
    )
    assert (root / "facts.db").read_bytes() == before
    assert not list(root.glob(".*.tmp"))


FIGURES = [
    pytest.param("50,000 firms by 2030", "50.000 doanh nghiệp vào năm 2030", True, id="thousands"),
    pytest.param("17.5-18.8%", "17,5–18,8%", True, id="decimal-marks"),
    pytest.param("Decision No 749/QD-TTg", "Quyết định số 749/QĐ-TTg", True, id="document-đ"),
    pytest.param("Resolution 52-NQ/TW", "Nghị quyết 52-NQ/TW", True, id="resolution"),
    pytest.param("on 1-2 August", "ngày 1–2 tháng Tám", True, id="range"),
    pytest.param("Decision No 749/QD-TTg", "Quyết định số 749/QĐ-CP", False, id="other-document"),
    pytest.param("top 50 by 2030", "nhóm 50 vào năm 2025", False, id="other-year"),
    pytest.param("top 4 and top 70", "nhóm 4", False, id="number-dropped"),
    pytest.param("58,000 firms", "58.000 hoặc 58.000 doanh nghiệp", False, id="number-twice"),
    pytest.param("50,000 firms", "50 000 doanh nghiệp", False, id="space-is-no-separator"),
]


@pytest.mark.parametrize(("english", "vietnamese", "same"), FIGURES)
def test_answer_lines_compare_figures_across_languages(
    english: str, vietnamese: str, same: bool
) -> None:
    assert (figures(english) == figures(vietnamese)) is same


def test_sources_yaml_may_not_invent_seeds(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = root / "seeds" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + "\n999_x.txt:\n  title: X\n", "utf-8")
    assert build(root, "check") == 2
    assert "unknown seed '999_x.txt'" in capsys.readouterr().err


def test_committed_facts_db_is_current(tmp_path: Path) -> None:
    """Fails when seeds/, sources.yaml or intents.yaml changed without `policybot build`."""
    fresh = tmp_path / "facts.db"
    assert main(["build", "--output", str(fresh)]) == 0

    async def dumps() -> tuple[list[str], list[str]]:
        async with Store(FACTS_DB) as committed, Store(fresh) as rebuilt:
            return await committed.dump(), await rebuilt.dump()

    committed, rebuilt = asyncio.run(dumps())
    assert committed == rebuilt, "facts.db is stale: run `uv run policybot build`"


async def test_every_quote_in_facts_db_is_verbatim_in_its_seed() -> None:
    async with Store(FACTS_DB) as store:
        knowledge = await store.knowledge()
    seeds = {p.name: p.read_text("utf-8") for p in (PROJECT_ROOT / "seeds").glob("*.txt")}
    quotes = [(f.seed, f.quote) for i in knowledge.intents for f in i.facts]
    assert len(quotes) >= len(knowledge.intents)
    for seed, quote in quotes:
        assert quote in seeds[seed], (seed, quote)


# SHA-256 of the five articles as they were handed over (the shared seed folder).
SEED_DIGESTS = [
    (
        "000_ad8cf312d669872d.txt",
        "d3486f041a3dd6102fa4e5d14dbd501462a43f498fb85447546f7b83d6bf7768",
    ),
    (
        "001_bc6df90de5296fa8.txt",
        "e96e0eb6754e16269b6e063f320f7a7c6d48e52e07e5984e8e58e1b12e3de2f8",
    ),
    (
        "002_52f5d49cbd0c3ecf.txt",
        "e63dbb59d828f112e3c41307c52e75b5528d9c7b3b8ffe6ee56341047c58df48",
    ),
    (
        "003_032d86b4abb629af.txt",
        "7f1de9f2d8a8ea5bc55708e16e76b2a08156db82e56fe41df5b5940366bfeaf8",
    ),
    (
        "004_3f1a04d0d831d797.txt",
        "f172f1ebd586a0908f57ebf7cda8d5bde7085df6f78b4c8f3a867dc6d78f9f88",
    ),
]


@pytest.mark.parametrize(("seed", "digest"), SEED_DIGESTS, ids=[s for s, _ in SEED_DIGESTS])
def test_seeds_are_the_articles_byte_for_byte(seed: str, digest: str) -> None:
    assert hashlib.sha256((PROJECT_ROOT / "seeds" / seed).read_bytes()).hexdigest() == digest


def test_there_are_no_other_seeds() -> None:
    assert sorted(p.name for p in (PROJECT_ROOT / "seeds").glob("*.txt")) == [
        s for s, _ in SEED_DIGESTS
    ]


BASE_EN = [
    "decision one",
    "decision two",
    "decision three",
    "decision four",
    "decision five",
    "decision six",
]


def phrased(en: list[str], vi: list[str]) -> str:
    """intents.yaml with one intent of these phrasings, one a line, and 'firms' → 'companies'."""
    lines = [
        "  - id: decision_749",
        "    topic: programme",
        "    answer: Decision 749 approved the national programme.",
        f"    answer_vi: {ANSWER_VI}",
        "    en:",
        *(f"    - {p}" for p in en),
        "    vi:",
        *(f"    - {p}" for p in vi),
        "    facts:",
        f"    - seed: {SEED}",
        f'      quote: "{QUOTE}"',
    ]
    return HEADER + "\n".join(lines) + "\nsynonyms:\n  companies: [firms]\n"


SAME_WORDS = [
    pytest.param(
        ["what is the decision one"],
        [],
        [("what is the decision one", "decision one")],
        id="function-words",
    ),
    pytest.param(["one decision"], [], [("one decision", "decision one")], id="word-order"),
    pytest.param(
        ["companies decision", "decision firms"],
        [],
        [("decision firms", "companies decision")],
        id="synonyms",
    ),
    pytest.param(
        ["one decision", "the decision one"],
        [],
        [("one decision", "decision one"), ("the decision one", "decision one")],
        id="two-of-one",
    ),
    pytest.param(
        [], ["quyết định hai nhé"], [("quyết định hai nhé", "quyết định hai")], id="vietnamese"
    ),
    pytest.param(["decision seven"], [], [], id="distinct"),
    pytest.param(["decision one two"], [], [], id="more-words-is-not-the-same"),
    pytest.param(["quyet dinh ba"], ["quyết định ba nhé"], [], id="other-language-is-not-compared"),
]


@pytest.mark.parametrize(("en", "vi", "expected"), SAME_WORDS)
def test_phrasings_with_the_same_words_are_warned_about(
    root: Path,
    en: list[str],
    vi: list[str],
    expected: list[tuple[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = root / "intents.yaml"
    content = phrased([*BASE_EN, *en], ["quyết định một", "quyết định hai", *vi])
    path.write_text(content, "utf-8")
    line = {text: n for n, text in enumerate(content.splitlines(), 1)}
    warnings = [
        f"policybot: warning: {path}:{line[f'    - {dup}']}: phrasing {dup!r} says the same"
        f" words as {first!r} (line {line[f'    - {first}']}) once folded, with synonyms and"
        " function words; remove one"
        for dup, first in expected
    ]

    for command in ("check", "build"):  # a warning, never a refusal
        assert build(root, command) == 0
        assert capsys.readouterr().err.splitlines() == warnings, command
    assert (root / "facts.db").is_file()
