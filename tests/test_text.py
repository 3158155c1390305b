import pytest
import yaml

from bot.text import (
    VIETNAMESE_SYLLABLES,
    Synonyms,
    content_tokens,
    fold,
    language_of,
    sentences,
)
from tests.conftest import DATA


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        pytest.param("Quyết định 749/QĐ-TTg", "quyet dinh 749 qd ttg", id="vi-accents-and-dd"),
        pytest.param("ĐÀ NẴNG", "da nang", id="capital-dd"),
        pytest.param("Đà Nẵng", fold("Da Nang"), id="accented-equals-plain"),
        pytest.param("50,000 or 50.000", "50000 or 50000", id="thousands-separators"),
        pytest.param("1.15 million; 0.3%", "1.15 million 0.3 percent", id="decimals-kept"),
        pytest.param("Vietnam’s “pair of wings”", "vietnam s pair of wings", id="curly-quotes"),
        pytest.param("e-government\u00a0ranking", "e government ranking", id="nbsp-and-dash"),
        pytest.param("ｆｕｌｌｗｉｄｔｈ", "fullwidth", id="nfkd-compat"),
        pytest.param("  many\t\nspaces  ", "many spaces", id="whitespace"),
        pytest.param("<b>&amp;</b>", "b amp b", id="markup-is-just-text"),
        pytest.param("", "", id="empty"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_is_idempotent() -> None:
    text = "Chuyển đổi số có mấy trụ cột? 58,000 firms"
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        pytest.param("What is PAPI?", ["papi"], id="en-function-words"),
        pytest.param("kinh tế số là gì", ["kinh", "te", "so"], id="vi-keeps-so"),
        pytest.param("what is it", ["what", "is", "it"], id="all-function-words-kept"),
        pytest.param("wat is roughly 5 firms", ["5", "firms"], id="hedges-and-chat-spellings"),
    ],
)
def test_content_tokens(raw: str, words: list[str]) -> None:
    assert content_tokens(raw) == words


@pytest.mark.parametrize(
    ("raw", "language"),
    [
        pytest.param("Chuyển đổi số có mấy trụ cột?", "vi", id="accents"),
        pytest.param("ba tru cot cua chuyen doi so", "vi", id="no-accents"),
        pytest.param("bao nhieu phan tram nguoi viet dung internet", "vi", id="no-accents-share"),
        pytest.param("Make in Vietnam la gi", "vi", id="mixed"),
        pytest.param("jordan ryan la ai", "vi", id="foreign-name-vietnamese-frame"),
        pytest.param("QD 749 do ai ky", "vi", id="acronym-and-number"),
        pytest.param("cam on", "vi", id="thanks"),
        pytest.param(
            "hi ban, Den nam nao thi VN phu song 5G toan quoc vay? thanks ban",
            "vi",
            id="english-greeting-inside",
        ),
        pytest.param("What is Decision 749?", "en", id="english"),
        pytest.param("Vietnam digital economy", "en", id="english-without-function-words"),
        pytest.param("who is nguyen manh hung", "en", id="english-about-vietnamese-name"),
        pytest.param("recommend a good pho place in the Old Quarter", "en", id="english-pho"),
        pytest.param("how does the city use AI", "en", id="english-ai"),
        pytest.param("749?", None, id="bare-number"),
        pytest.param("PAPI", None, id="acronym"),
        pytest.param("PAPI 2022", None, id="acronym-year"),
        pytest.param("nguyen xuan phuc", None, id="name-alone"),
        pytest.param("help", None, id="one-foreign-word"),
        pytest.param("", None, id="empty"),
    ],
)
def test_language_of(raw: str, language: str | None) -> None:
    assert language_of(raw) == language


def test_syllable_list_leaves_out_words_english_uses_too() -> None:
    assert len(VIETNAMESE_SYLLABLES) > 400
    assert {"bao", "nhieu", "khong", "duoc", "nguoi"} <= VIETNAMESE_SYLLABLES
    assert not {"the", "to", "can", "in", "nguyen", "viet", "nam"} & VIETNAMESE_SYLLABLES


def test_sentences_respect_abbreviations_and_closing_quotes() -> None:
    text = 'Dr. Mai said: "It works." Next one. Ms. Khalidi agreed.'
    assert sentences(text) == ['Dr. Mai said: "It works."', "Next one.", "Ms. Khalidi agreed."]


def test_sentences_are_verbatim_pieces() -> None:
    text = "Vietnam ranked 50th. The sector contributed over US$4.3 billion to the budget."
    assert all(part in text for part in sentences(text))


def test_synonyms_prefer_longest_variant() -> None:
    synonyms = Synonyms({"hcmc": ["Ho Chi Minh City", "ho chi minh"], "firms": ["companies"]})
    assert synonyms.apply(fold("companies in Ho Chi Minh City")) == "firms in hcmc"


def test_language_of_on_the_labelled_sets() -> None:
    """Every labelled question says its language: unaccented Vietnamese must be recognised
    (at least 98%), and English must almost never be taken for Vietnamese (at most 1%)."""
    unaccented: list[bool] = []
    english_as_vietnamese: list[bool] = []
    for path in sorted(DATA.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8")):
            if "q" not in item:  # a conversation: its turns do not say their language
                continue
            told = language_of(item["q"])
            if item["lang"] == "en":
                english_as_vietnamese.append(told == "vi")
            elif item["q"].isascii():  # Vietnamese typed without its marks
                unaccented.append(told == "vi")
    assert len(unaccented) >= 60 and len(english_as_vietnamese) >= 700
    assert sum(unaccented) >= 0.98 * len(unaccented)
    assert sum(english_as_vietnamese) <= 0.01 * len(english_as_vietnamese)
