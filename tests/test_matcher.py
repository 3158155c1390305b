"""The matcher and the decision on a labelled table, negatives included."""

from __future__ import annotations

import pytest

from bot.answering.responder import Responder
from bot.evaluation.labelled import load_conversations
from bot.evaluation.report import Evaluation
from bot.models import Kind
from tests.conftest import DATA

# (question, intent that must answer it, or None when the bot must not answer)
TABLE = [
    pytest.param("What is Decision 749?", "decision_749", id="name-and-number"),
    pytest.param("decison 749", "decision_749", id="typo"),
    pytest.param("Quyết định 749 là gì", "decision_749", id="vi-accents"),
    pytest.param("quyet dinh 749 la gi", "decision_749", id="vi-no-accents"),
    pytest.param("how many IT professionals does Vietnam have", "it_professionals", id="en"),
    pytest.param("Việt Nam có bao nhiêu chuyên gia CNTT", "it_professionals", id="vi-synonym"),
    pytest.param("PAPI survey", "papi_index", id="acronym"),
    pytest.param("three pillars of digital transformation", "three_pillars", id="terse"),
    pytest.param("chuyen doi so co may tru cot", "three_pillars", id="vi-terse-no-accents"),
    pytest.param("number of tech companies in vietnam", "tech_firms_count", id="conflict-intent"),
    pytest.param("Who is Jordan Ryan?", "jordan_ryan_who", id="tie-broken-by-function-words"),
    pytest.param("what did Jordan Ryan say", "jordan_ryan_potential_quote", id="tie-other-way"),
    pytest.param("How many firms are there in Vietnam now?", "tech_firms_count", id="present"),
    pytest.param("Roughly how many IT experts does Vietnam have?", "it_professionals", id="hedge"),
    pytest.param("What is the average internet speed today?", None, id="neg-target-not-present"),
    pytest.param("How much money did KOFIH give Doctors for Every Home?", None, id="neg-no-sum"),
    pytest.param("What is the web address of the roundtables website?", None, id="neg-no-address"),
    pytest.param("How many data centres does Vietnam have?", None, id="neg-share-is-no-count"),
    pytest.param("Which ministry has the most online services?", None, id="neg-no-ministry-named"),
    pytest.param("Which eight provinces run Doctors for Every Home?", None, id="neg-names"),
    pytest.param("Who won the 2018 world cup?", None, id="neg-sport"),
    pytest.param(
        "what's the phone number of the Public Information Unit?",
        "press_release_contact",
        id="contact-details",
    ),
    pytest.param(
        "phone number of the Ministry of Information and Communications",
        None,
        id="neg-contact-not-given",
    ),
    pytest.param("What is Thailand's digital economy target?", None, id="neg-other-country"),
    pytest.param("What is Decision 942?", None, id="neg-unknown-number"),
    pytest.param("Resolution 99 on blockchain", None, id="neg-unknown-resolution"),
    pytest.param("giá vàng hôm nay", None, id="neg-vi-gold-price"),
    pytest.param("digital", None, id="neg-one-word"),
    pytest.param("Vietnam", None, id="neg-country-only"),
    pytest.param("asdfghjkl qwerty", None, id="neg-gibberish"),
]


@pytest.mark.parametrize(("question", "intent_id"), TABLE)
async def test_decision_table(responder: Responder, question: str, intent_id: str | None) -> None:
    reply = await responder.reply(question)
    if intent_id is None:
        assert reply.kind is not Kind.ANSWER, reply.intent_id
    else:
        assert reply.kind is Kind.ANSWER, responder.matcher.rank(question)
        assert reply.intent_id == intent_id


def test_scores_are_bounded(responder: Responder) -> None:
    for question in ("What is Decision 749?", "x", "749 749 749", "the of and"):
        for match in responder.matcher.rank(question):
            assert 0 <= match.score <= 100
            assert 0 <= match.coverage <= 1


@pytest.mark.parametrize(
    ("question", "mismatch"),
    [
        pytest.param("Decision 750", True, id="unknown-number"),
        pytest.param("Decision 749", False, id="known-number"),
        pytest.param("internet speed target 100mbps", False, id="unit-is-a-word"),
        pytest.param("which 2 national databases are digitised", False, id="count-spelled-out"),
        pytest.param("which 3 national databases are digitised", True, id="count-not-given"),
    ],
)
def test_a_number_the_intent_never_mentions_is_evidence_against_it(
    responder: Responder, question: str, mismatch: bool
) -> None:
    top = responder.matcher.rank(question)[0]
    assert top.numbers is mismatch


@pytest.mark.parametrize(
    ("question", "mismatch"),
    [
        pytest.param(
            "what did the 2020 ITU article put at the heart of the strategy", False, id="year"
        ),
        pytest.param(
            "what did the ITU article of 15/10/2020 put at the heart of it", False, id="date"
        ),
        pytest.param(
            "what did the 2018 ITU article put at the heart of the strategy", True, id="other"
        ),
    ],
)
def test_the_date_an_article_is_known_by_is_no_figure_asked(
    responder: Responder, question: str, mismatch: bool
) -> None:
    """The ITU article is dated 15 October 2020: naming it by its date tells which
    article is meant; another year is a figure its intents do not give."""
    found = {m.intent_id: m for m in responder.matcher.rank(question, also=["egov_central_pillar"])}
    assert found["egov_central_pillar"].numbers is mismatch


@pytest.mark.parametrize(
    ("question", "intent_id", "lacking"),
    [
        pytest.param(
            "How many data centres does Vietnam have today?",
            "data_centre_investment_returns",
            ("count", False, False),
            id="count-and-present-both-asked",
        ),
        pytest.param(
            "Tỉnh Bắc Giang xếp hạng thứ mấy về chuyển đổi số cấp tỉnh? Ông Trần Minh Chiêu "
            "có nhắc đến thứ hạng của tỉnh không?",
            "bac_giang_digital",
            ("", True, False),
            id="other-question-asks-a-figure",
        ),
        pytest.param(
            "How much did the Ministry of Industry and Trade spend on organising the 500 "
            "virtual trade promotion conferences?",
            "virtual_trade_conferences_count",
            ("", False, True),
            id="figure-already-stated",
        ),
        pytest.param(
            "How many virtual trade promotion conferences did the Ministry of Industry and "
            "Trade organise?",
            "virtual_trade_conferences_count",
            ("", False, False),
            id="figure-told",
        ),
    ],
)
def test_what_the_question_asks_that_the_intent_cannot_tell(
    responder: Responder,
    question: str,
    intent_id: str,
    lacking: tuple[str, bool, bool],
) -> None:
    """A kind of answer asked that the intent cannot supply is named (`unfit`), in the
    asking clause or in another question of the message (`unfit_other`), and so is an
    answer line whose figures the message already states (`restated`)."""
    found = {m.intent_id: m for m in responder.matcher.rank(question, also=[intent_id])}
    match = found[intent_id]
    assert (match.unfit, match.unfit_other, match.restated) == lacking


# Small talk a set has that the small-talk rules miss, measured and left as it is: one
# of train_long3 and one of fresh44 get a polite refusal or an answer.
CHATTER_MISSED = {
    "train_long3.yaml": 1,
    "fresh44.yaml": 1,
}


@pytest.mark.parametrize(
    ("name", "bars"),
    [
        pytest.param("questions.yaml", (0.97, 0.97, 0.95, 0.09), id="own-set"),
        pytest.param("blind.yaml", (0.97, 0.97, 0.97, 0.09), id="blind"),
        pytest.param("holdout.yaml", (0.95, 0.96, 0.97, 0.09), id="holdout"),
        pytest.param("fresh.yaml", (0.95, 0.95, 0.97, 0.09), id="fresh"),
        pytest.param("fresh2.yaml", (0.97, 0.97, 0.97, 0.09), id="fresh2"),
        pytest.param("train3.yaml", (0.95, 0.96, 0.96, 0.09), id="train3"),
        pytest.param("train4.yaml", (0.97, 0.97, 0.97, 0.09), id="train4"),
        pytest.param("fresh3.yaml", (0.97, 0.97, 0.97, 0.09), id="fresh3"),
        pytest.param("fresh4.yaml", (0.97, 0.97, 0.97, 0.09), id="fresh4"),
        pytest.param("fresh5.yaml", (0.93, 0.95, 0.97, 0.09), id="fresh5"),
        pytest.param("fresh6.yaml", (0.96, 0.97, 0.95, 0.09), id="fresh6"),
        pytest.param("fresh7.yaml", (0.96, 0.97, 0.97, 0.09), id="fresh7"),
        pytest.param("fresh8.yaml", (0.97, 0.97, 0.97, 0.09), id="fresh8"),
        pytest.param("fresh9.yaml", (0.95, 0.97, 0.97, 0.09), id="fresh9"),
        pytest.param("train5.yaml", (0.96, 0.97, 0.97, 0.09), id="train5"),
        pytest.param("train6.yaml", (0.97, 0.97, 0.97, 0.09), id="train6"),
        pytest.param("fresh10.yaml", (0.96, 0.97, 0.97, 0.09), id="fresh10"),
        pytest.param("fresh11.yaml", (0.95, 0.96, 0.95, 0.09), id="fresh11"),
        pytest.param("fresh12.yaml", (0.95, 0.96, 0.97, 0.09), id="fresh12"),
        pytest.param("fresh13.yaml", (0.95, 0.96, 0.97, 0.09), id="fresh13"),
        pytest.param("fresh14.yaml", (0.94, 0.96, 0.97, 0.09), id="fresh14"),
        pytest.param("fresh15.yaml", (0.94, 0.95, 0.97, 0.09), id="fresh15"),
        pytest.param("fresh16.yaml", (0.96, 0.96, 0.97, 0.09), id="fresh16"),
        pytest.param("fresh17.yaml", (0.97, 0.97, 0.97, 0.09), id="fresh17"),
        pytest.param("fresh18.yaml", (0.97, 0.97, 0.97, 0.09), id="fresh18"),
        pytest.param("fresh19.yaml", (0.96, 0.96, 0.95, 0.09), id="fresh19"),
        pytest.param("fresh20.yaml", (0.95, 0.96, 0.97, 0.09), id="fresh20"),
        pytest.param("fresh21.yaml", (0.96, 0.96, 0.97, 0.09), id="fresh21"),
        pytest.param("fresh22.yaml", (0.97, 0.97, 0.97, 0.09), id="fresh22"),
        pytest.param("fresh23.yaml", (0.94, 0.95, 0.97, 0.09), id="fresh23"),
        pytest.param("fresh24.yaml", (0.96, 0.97, 0.97, 0.09), id="fresh24"),
        pytest.param("fresh25.yaml", (0.95, 0.97, 0.97, 0.09), id="fresh25"),
        pytest.param("fresh26.yaml", (0.95, 0.96, 0.97, 0.09), id="fresh26"),
        pytest.param("train_long1.yaml", (0.94, 0.96, 0.97, 0.09), id="train_long1"),
        pytest.param("train_long2.yaml", (0.95, 0.96, 0.97, 0.09), id="train_long2"),
        pytest.param("train_long3.yaml", (0.95, 0.96, 0.97, 0.09), id="train_long3"),
        pytest.param("train_long4.yaml", (0.96, 0.96, 0.97, 0.09), id="train_long4"),
        pytest.param("train_long5.yaml", (0.95, 0.96, 0.97, 0.09), id="train_long5"),
        pytest.param("train7.yaml", (0.94, 0.95, 0.97, 0.09), id="train7"),
        pytest.param("fresh27.yaml", (0.95, 0.95, 0.97, 0.09), id="fresh27"),
        pytest.param("fresh28.yaml", (0.95, 0.97, 0.97, 0.09), id="fresh28"),
        pytest.param("fresh29.yaml", (0.96, 0.97, 0.97, 0.09), id="fresh29"),
        pytest.param("fresh30.yaml", (0.96, 0.97, 0.97, 0.09), id="fresh30"),
        pytest.param("fresh31.yaml", (0.96, 0.96, 0.97, 0.09), id="fresh31"),
        pytest.param("train8.yaml", (0.96, 0.97, 0.97, 0.09), id="train8"),
        pytest.param("train_long6.yaml", (0.95, 0.97, 0.97, 0.09), id="train_long6"),
        pytest.param("fresh32.yaml", (0.95, 0.95, 0.97, 0.09), id="fresh32"),
        pytest.param("fresh33.yaml", (0.95, 0.95, 0.95, 0.09), id="fresh33"),
        pytest.param("fresh34.yaml", (0.94, 0.95, 0.97, 0.09), id="fresh34"),
        pytest.param("fresh35.yaml", (0.96, 0.97, 0.97, 0.09), id="fresh35"),
        pytest.param("train9.yaml", (0.95, 0.96, 0.97, 0.09), id="train9"),
        pytest.param("train_long7.yaml", (0.96, 0.96, 0.97, 0.09), id="train_long7"),
        pytest.param("train_long8.yaml", (0.93, 0.95, 0.97, 0.09), id="train_long8"),
        pytest.param("train_long9.yaml", (0.96, 0.97, 0.97, 0.09), id="train_long9"),
        pytest.param("fresh36.yaml", (0.95, 0.95, 0.97, 0.09), id="fresh36"),
        pytest.param("fresh37.yaml", (0.95, 0.97, 0.97, 0.09), id="fresh37"),
        pytest.param("fresh38.yaml", (0.94, 0.94, 0.97, 0.09), id="fresh38"),
        pytest.param("train_long10.yaml", (0.95, 0.96, 0.97, 0.09), id="train_long10"),
        pytest.param("train_long11.yaml", (0.96, 0.97, 0.97, 0.09), id="train_long11"),
        pytest.param("train_long12.yaml", (0.95, 0.97, 0.97, 0.09), id="train_long12"),
        pytest.param("train_long13.yaml", (0.95, 0.96, 0.97, 0.09), id="train_long13"),
        pytest.param("conv_train.yaml", (0.93, 0.94, 0.97, 0.09), id="follow-ups-conv-train"),
        pytest.param("conv_blind.yaml", (0.95, 0.95, 0.97, 0.09), id="follow-ups-conv-blind"),
        pytest.param("conv_train2.yaml", (0.90, 0.94, 0.92, 0.09), id="follow-ups-conv-train2"),
        pytest.param("conv_train3.yaml", (0.93, 0.93, 0.94, 0.09), id="follow-ups-conv-train3"),
        pytest.param("conv_train4.yaml", (0.95, 0.95, 0.97, 0.09), id="follow-ups-conv-train4"),
        pytest.param("conv_train5.yaml", (0.90, 0.94, 0.94, 0.09), id="follow-ups-conv-train5"),
        pytest.param("conv6.yaml", (0.95, 0.97, 0.97, 0.09), id="follow-ups-conv6"),
        pytest.param("conv7.yaml", (0.93, 0.97, 0.97, 0.09), id="follow-ups-conv7"),
        pytest.param("conv8.yaml", (0.95, 0.95, 0.97, 0.09), id="follow-ups-conv8"),
        pytest.param("conv9.yaml", (0.97, 0.97, 0.97, 0.09), id="follow-ups-conv9"),
        pytest.param("conv_train6.yaml", (0.95, 0.96, 0.97, 0.09), id="follow-ups-conv-train6"),
        pytest.param("conv_train7.yaml", (0.95, 0.96, 0.97, 0.09), id="follow-ups-conv-train7"),
        pytest.param("conv_train8.yaml", (0.92, 0.93, 0.92, 0.09), id="follow-ups-conv-train8"),
        pytest.param("conv10.yaml", (0.92, 0.94, 0.97, 0.09), id="follow-ups-conv10"),
        pytest.param("conv11.yaml", (0.97, 0.97, 0.97, 0.09), id="follow-ups-conv11"),
        pytest.param("conv12.yaml", (0.94, 0.97, 0.82, 0.09), id="follow-ups-conv12"),
        pytest.param("conv13.yaml", (0.94, 0.95, 0.97, 0.09), id="follow-ups-conv13"),
        pytest.param("conv14.yaml", (0.97, 0.97, 0.97, 0.09), id="follow-ups-conv14"),
        pytest.param("conv15.yaml", (0.95, 0.95, 0.97, 0.09), id="follow-ups-conv15"),
        pytest.param("conv_train9.yaml", (0.91, 0.91, 0.93, 0.09), id="follow-ups-conv-train9"),
        pytest.param("conv_train10.yaml", (0.92, 0.96, 0.97, 0.09), id="follow-ups-conv-train10"),
        pytest.param("conv16.yaml", (0.97, 0.97, 0.97, 0.09), id="follow-ups-conv16"),
        pytest.param("conv17.yaml", (0.95, 0.97, 0.97, 0.09), id="follow-ups-conv17"),
        pytest.param("conv_train11.yaml", (0.91, 0.93, 0.97, 0.09), id="follow-ups-conv-train11"),
        pytest.param("conv_train12.yaml", (0.94, 0.96, 0.97, 0.09), id="follow-ups-conv-train12"),
        pytest.param("conv_train13.yaml", (0.90, 0.94, 0.91, 0.09), id="follow-ups-conv-train13"),
        pytest.param("conv_train14.yaml", (0.95, 0.95, 0.97, 0.09), id="follow-ups-conv-train14"),
        pytest.param("conv_train15.yaml", (0.94, 0.96, 0.91, 0.09), id="follow-ups-conv-train15"),
        pytest.param("conv18.yaml", (0.97, 0.97, 0.97, 0.09), id="follow-ups-conv18"),
        pytest.param("conv19.yaml", (0.93, 0.93, 0.89, 0.09), id="follow-ups-conv19"),
        pytest.param("conv20.yaml", (0.94, 0.97, 0.97, 0.09), id="follow-ups-conv20"),
        pytest.param("conv21.yaml", (0.92, 0.95, 0.97, 0.09), id="follow-ups-conv21"),
        pytest.param("conv_train16.yaml", (0.92, 0.94, 0.94, 0.09), id="follow-ups-conv-train16"),
        pytest.param("conv_train17.yaml", (0.95, 0.96, 0.97, 0.09), id="follow-ups-conv-train17"),
        pytest.param("conv_train18.yaml", (0.94, 0.95, 0.93, 0.09), id="follow-ups-conv-train18"),
        pytest.param("conv22.yaml", (0.95, 0.97, 0.97, 0.09), id="follow-ups-conv22"),
        pytest.param("conv23.yaml", (0.95, 0.95, 0.97, 0.09), id="follow-ups-conv23"),
        pytest.param("conv24.yaml", (0.88, 0.95, 0.97, 0.09), id="follow-ups-conv24"),
        pytest.param("conv25.yaml", (0.93, 0.95, 0.97, 0.09), id="follow-ups-conv25"),
        pytest.param("conv_train19.yaml", (0.93, 0.94, 0.97, 0.09), id="follow-ups-conv-train19"),
        pytest.param("conv_train20.yaml", (0.95, 0.96, 0.97, 0.09), id="follow-ups-conv-train20"),
        pytest.param("conv_train21.yaml", (0.92, 0.95, 0.97, 0.09), id="follow-ups-conv-train21"),
        pytest.param("conv_train22.yaml", (0.93, 0.94, 0.97, 0.09), id="follow-ups-conv-train22"),
        pytest.param("conv26.yaml", (0.95, 0.95, 0.97, 0.09), id="follow-ups-conv26"),
        pytest.param("conv27.yaml", (0.93, 0.97, 0.97, 0.09), id="follow-ups-conv27"),
        pytest.param("conv28.yaml", (0.95, 0.97, 0.97, 0.09), id="follow-ups-conv28"),
        pytest.param("conv29.yaml", (0.95, 0.95, 0.97, 0.09), id="follow-ups-conv29"),
        pytest.param("conv_train23.yaml", (0.92, 0.93, 0.92, 0.09), id="follow-ups-conv-train23"),
        pytest.param("conv_train24.yaml", (0.95, 0.96, 0.97, 0.09), id="follow-ups-conv-train24"),
        pytest.param("conv_train25.yaml", (0.92, 0.95, 0.97, 0.09), id="follow-ups-conv-train25"),
        pytest.param("conv30.yaml", (0.93, 0.96, 0.89, 0.09), id="follow-ups-conv30"),
        pytest.param("conv31.yaml", (0.92, 0.95, 0.97, 0.09), id="follow-ups-conv31"),
        pytest.param("conv32.yaml", (0.97, 0.97, 0.97, 0.09), id="follow-ups-conv32"),
        pytest.param("conv33.yaml", (0.92, 0.96, 0.97, 0.09), id="follow-ups-conv33"),
        pytest.param("conv34.yaml", (0.95, 0.95, 0.97, 0.09), id="follow-ups-conv34"),
        pytest.param("conv_train26.yaml", (0.92, 0.93, 0.97, 0.09), id="follow-ups-conv-train26"),
        pytest.param("conv35.yaml", (0.93, 0.94, 0.97, 0.09), id="follow-ups-conv35"),
        pytest.param("conv36.yaml", (0.95, 0.97, 0.97, 0.09), id="follow-ups-conv36"),
        pytest.param("conv37.yaml", (0.94, 0.94, 0.97, 0.09), id="follow-ups-conv37"),
        pytest.param("conv38.yaml", (0.97, 0.97, 0.97, 0.09), id="follow-ups-conv38"),
        pytest.param("conv_train27.yaml", (0.93, 0.97, 0.94, 0.09), id="follow-ups-conv-train27"),
        pytest.param("conv_train28.yaml", (0.90, 0.94, 0.94, 0.09), id="follow-ups-conv-train28"),
        pytest.param("conv39.yaml", (0.95, 0.95, 0.88, 0.09), id="follow-ups-conv39"),
        pytest.param("conv40.yaml", (0.87, 0.92, 0.97, 0.09), id="follow-ups-conv40"),
        pytest.param("conv_train29.yaml", (0.95, 0.95, 0.93, 0.09), id="follow-ups-conv-train29"),
        pytest.param("fresh39.yaml", (0.93, 0.95, 0.97, 0.09), id="fresh39-never-trained-on"),
        pytest.param("fresh40.yaml", (0.92, 0.95, 0.95, 0.09), id="fresh40-never-trained-on"),
        pytest.param("fresh41.yaml", (0.91, 0.95, 0.95, 0.09), id="fresh41-never-trained-on"),
        pytest.param("fresh42.yaml", (0.94, 0.96, 0.95, 0.09), id="fresh42-never-trained-on"),
        pytest.param("fresh43.yaml", (0.90, 0.93, 0.95, 0.09), id="fresh43-never-trained-on"),
        pytest.param("fresh44.yaml", (0.93, 0.95, 0.97, 0.09), id="fresh44-never-trained-on"),
        pytest.param("fresh45.yaml", (0.95, 0.95, 0.92, 0.09), id="fresh45-never-trained-on"),
        pytest.param("conv41.yaml", (0.89, 0.94, 0.89, 0.09), id="conv41-never-trained-on"),
        pytest.param("conv42.yaml", (0.89, 0.95, 0.88, 0.09), id="conv42-never-trained-on"),
        pytest.param("conv43.yaml", (0.82, 0.92, 0.97, 0.09), id="conv43-never-trained-on"),
        pytest.param("conv44.yaml", (0.91, 0.93, 0.91, 0.09), id="conv44-never-trained-on"),
    ],
)
def test_labelled_questions_meet_the_accuracy_bar(
    responder: Responder, name: str, bars: tuple[float, float, float, float]
) -> None:
    """Labelled sets (paraphrases, typos, Vietnamese, near misses): a regression gate on
    first time, within one tap, out of scope refused and false answers. False answers
    count against the set's fact questions; `train4`, mostly near misses, has more of
    them than facts."""
    first_time, one_tap, refused, false_answers = bars
    evaluation = Evaluation(responder, load_conversations(DATA / name))
    tally, misses = evaluation.tally(evaluation.weighed())
    assert tally.refused / tally.refusals >= refused, misses
    assert tally.first_time / tally.facts >= first_time, misses
    assert tally.one_tap / tally.facts >= one_tap, misses
    assert tally.chats_ok >= tally.chats - CHATTER_MISSED.get(name, 0), misses
    assert tally.false_answers <= false_answers * tally.facts, misses
