"""Common Vietnamese ways of writing things, understood in both spellings.

Synonyms are folded like questions (no case, no accents, đ as d, '&' as a space), so
"Bộ TT&TT", "bo tt&tt" and "BO TT & TT" are the same words to the matcher.
"""

from __future__ import annotations

import pytest

from bot.answering.responder import Responder
from bot.models import Kind
from bot.text import Synonyms, fold

# (as people write it, another way of writing it, the canonical word both become)
SPELLINGS = [
    pytest.param("lập trình viên", "lap trinh vien", "professionals", id="lap-trinh-vien"),
    pytest.param("dân số", "dan so", "people", id="dan-so"),
    pytest.param("chuyển đổi số", "CĐS", "digital transformation", id="chuyen-doi-so-cds"),
    pytest.param("CĐS", "cds", "digital transformation", id="cds-d-folded"),
    pytest.param("CNTT", "công nghệ thông tin", "ict", id="cntt"),
    pytest.param("Bộ TT&TT", "bo tt & tt", "mic", id="bo-tt-tt-ampersand"),
    pytest.param("TT&TT", "Bộ Thông tin và Truyền thông", "mic", id="tt-tt"),
    pytest.param("Thủ tướng", "TTg", "primeminister", id="thu-tuong-ttg"),
    pytest.param("tỉnh thành", "tinh thanh", "provinces", id="tinh-thanh"),
    pytest.param("doanh nghiệp", "DN", "companies", id="doanh-nghiep-dn"),
    pytest.param("chính phủ số", "chinh phu so", "egovernment", id="chinh-phu-so"),
]


@pytest.mark.parametrize(("written", "other", "canonical"), SPELLINGS)
def test_both_spellings_become_the_same_word(
    responder: Responder, written: str, other: str, canonical: str
) -> None:
    words = responder.matcher.synonyms.apply
    assert words(fold(written)) == words(fold(other)) == canonical


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        pytest.param("Bộ TT&TT", "bo mic", id="ampersand-joined"),
        pytest.param("BỘ TT & TT", "bo mic", id="ampersand-spaced"),
        pytest.param("TT-TT", "mic", id="hyphen"),
        pytest.param("ĐN", "dn", id="d-stroke-not-a-variant"),
        pytest.param("TTTT", "tttt", id="run-together-not-a-variant"),
    ],
)
def test_synonyms_fold_ampersand_and_d_stroke(text: str, folded: str) -> None:
    synonyms = Synonyms({"mic": ["TT&TT"]})
    assert synonyms.apply(fold(text)) == folded


@pytest.mark.parametrize(
    ("accented", "unaccented", "intent_id"),
    [
        pytest.param(
            "Việt Nam có bao nhiêu lập trình viên?",
            "viet nam co bao nhieu lap trinh vien",
            "it_professionals",
            id="programmers",
        ),
        pytest.param("CĐS có mấy trụ cột?", "cds co may tru cot", "three_pillars", id="cds"),
        pytest.param(
            "Bộ TT&TT nói có bao nhiêu doanh nghiệp công nghệ số?",
            "bo tt&tt noi co bao nhieu DN cong nghe so",
            "tech_firms_count",
            id="ministry-and-dn",
        ),
        pytest.param("Dân số Việt Nam?", "dan so viet nam", "population_gdp_growth", id="dan-so"),
    ],
)
async def test_both_spellings_get_the_same_answer(
    responder: Responder, accented: str, unaccented: str, intent_id: str
) -> None:
    for question in (accented, unaccented):
        reply = await responder.reply(question)
        assert reply.kind is Kind.ANSWER, responder.matcher.rank(question)
        assert reply.intent_id == intent_id
