"""`policybot coverage`: the sentences stating a figure, date or name that no intent cites."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import intents, seeds
from bot.knowledge.coverage import coverage, statements


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        pytest.param(
            "Prime Minister Nguyen Xuan Phuc also issued Decision No 749/QD-TTg.",
            ("Prime Minister Nguyen Xuan Phuc", "Decision No 749/QD-TTg"),
            id="name-and-decision",
        ),
        pytest.param(
            "The Party issued Resolution No 52-NQ/TW in September 2019.",
            ("Resolution No 52-NQ/TW", "September 2019"),
            id="resolution-and-month-year",
        ),
        pytest.param("It follows 57-NQ/TW closely.", ("57-NQ/TW",), id="bare-document-number"),
        pytest.param(
            "Held 20–22 October 2020 and again on March 10.",
            ("20–22 October 2020", "March 10"),
            id="dates",
        ),
        pytest.param("Targets for 2030.", ("2030",), id="year"),
        pytest.param(
            "About 17.5–18.8% a year, US$1.4 million and 30 percent, ranked 86th of 193.",
            ("17.5–18.8%", "US$1.4 million", "30 percent", "86th", "193"),
            id="figures",
        ),
        pytest.param(
            "The Ministry of Information and Communications agreed.",
            ("Ministry of Information and Communications",),
            id="name-with-of-and-leading-the-dropped",
        ),
        pytest.param(
            "The International Telecommunications Union’s index.",
            ("International Telecommunications Union",),
            id="possessive-dropped",
        ),
        pytest.param("Vietnam’s 5G plan and COVID-19.", (), id="not-figures-5g-covid"),
        pytest.param("In Vietnam, Hanoi leads.", (), id="one-word-names-are-not-names"),
        pytest.param("The plan is ambitious.", (), id="nothing-stated"),
        pytest.param("", (), id="empty"),
    ],
)
def test_statements(sentence: str, stated: tuple[str, ...]) -> None:
    assert statements(sentence) == stated


ARTICLE = """\
Hanoi Digital Week Opens
The Ministry of Science and Technology issued Decision No 12/QD-BKHCN in May 2021.
About 30 percent of firms are online. The plan is ambitious.
Some 4,000 people came. They stayed until 2022.
"""
OTHER = "Nothing here is named. Nobody counted.\n"
QUOTE = "About 30 percent of firms are online."
TWO_SENTENCES = "Some 4,000 people came. They stayed until 2022."


def _intent(intent_id: str, quote: str, answer: str) -> str:
    en = ", ".join(f"{intent_id} question {n}" for n in range(6))
    return textwrap.indent(
        textwrap.dedent(f"""\
            - id: {intent_id}
              topic: t
              answer: {answer}
              answer_vi: "{answer}"
              en: [{en}]
              vi: [{intent_id} một, {intent_id} hai]
              facts:
                - seed: 000_week.txt
                  quote: "{quote}"
        """),
        "  ",
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Two articles; one intent cites a sentence of the first, another two at once."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "000_week.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "seeds" / "001_other.txt").write_text(OTHER, "utf-8")
    (tmp_path / "seeds" / "sources.yaml").write_text(
        "000_week.txt: {title: Digital Week, covers: the week}\n"
        "001_other.txt: {title: Other, covers: nothing}\n",
        "utf-8",
    )
    (tmp_path / "intents.yaml").write_text(
        "topics:\n  - {id: t, en: T, vi: T}\nintents:\n"
        + _intent("online", QUOTE, "30 percent of firms are online.")
        + _intent("visitors", TWO_SENTENCES, "4,000 people came, until 2022."),
        "utf-8",
    )
    return tmp_path


def test_coverage_lists_what_no_quote_cites(root: Path) -> None:
    found = seeds.read_seeds(root / "seeds")
    curated = intents.read_intents(
        root / "intents.yaml", found, seeds.read_sources(root / "seeds", found)
    )

    covered = coverage(found, curated.intents)

    assert [(c.seed, c.sentences) for c in covered] == [("000_week.txt", 6), ("001_other.txt", 2)]
    left = covered[0].uncited
    # Not listed: the cited sentence, the two cited by one quote, and the one stating nothing.
    assert [(u.line, u.passage.text, u.states) for u in left] == [
        (1, "Hanoi Digital Week Opens", ("Hanoi Digital Week Opens",)),
        (
            2,
            "The Ministry of Science and Technology issued Decision No 12/QD-BKHCN in May 2021.",
            ("Ministry of Science and Technology", "Decision No 12/QD-BKHCN", "May 2021"),
        ),
    ]
    assert covered[1].uncited == ()


def test_coverage_command(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "--root", str(root)]) == 0

    week = root / "seeds" / "000_week.txt"
    assert capsys.readouterr().out.splitlines() == [
        "000_week.txt (Digital Week): 2 of 6 sentences to cover",
        f"  {week}:1: Hanoi Digital Week Opens",
        "    Hanoi Digital Week Opens",
        f"  {week}:2: Ministry of Science and Technology; Decision No 12/QD-BKHCN; May 2021",
        "    The Ministry of Science and Technology issued Decision No 12/QD-BKHCN in May 2021.",
        "001_other.txt (Other): 0 of 2 sentences to cover",
        "2 of 8 sentences state a figure, a date or a name that no intent's quote cites",
    ]


def test_coverage_refuses_invalid_intents(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "intents.yaml").write_text("topics: []\n", "utf-8")
    assert main(["coverage", "--root", str(root)]) == 2
    assert "intents.yaml" in capsys.readouterr().err
