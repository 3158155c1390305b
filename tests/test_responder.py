"""Replies: every answer cites a verbatim source; conflicts show both; fallbacks are honest."""

from __future__ import annotations

import time

import pytest

from bot.answering import render
from bot.answering.context import Context
from bot.answering.decision import Decision
from bot.answering.places import places
from bot.answering.question import Question
from bot.answering.responder import Responder, Weighed
from bot.config import PROJECT_ROOT
from bot.evaluation.labelled import load_items
from bot.models import Chat, Kind, Lang, Match, Reply
from bot.text import fold
from tests.conftest import DATA


def test_an_answer_without_a_citation_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="citation"):
        Reply("q", Kind.ANSWER, Lang.EN, intent_id="x", answer="An answer.")


async def test_every_intent_answers_with_verbatim_sources(responder: Responder) -> None:
    seeds = {p.name: p.read_text("utf-8") for p in (PROJECT_ROOT / "seeds").glob("*.txt")}
    for intent in responder.knowledge.intents:
        reply = responder.answer(intent.id, intent.label, Lang.EN)
        assert reply.citations
        for citation in reply.citations:
            assert citation.quote in seeds[citation.article.seed]
            assert citation.quote in render.plain(reply)


@pytest.mark.parametrize(
    ("intent_id", "figures"),
    [
        pytest.param("tech_firms_count", ["50,000", "58,000"], id="firms"),
        pytest.param("egov_ranking_target_2030", ["top 70", "top 50"], id="egov-target"),
    ],
)
async def test_conflicting_figures_are_shown_side_by_side(
    responder: Responder, intent_id: str, figures: list[str]
) -> None:
    reply = responder.answer(intent_id, "", Lang.EN)
    assert len({c.article.seed for c in reply.citations}) == 2
    text = render.plain(reply)
    assert all(f in text for f in figures)
    assert "differ" in reply.answer


async def test_answer_names_title_publisher_and_date(responder: Responder) -> None:
    text = render.plain(await responder.reply("When is ITU Virtual Digital World 2020 held?"))
    assert "as reported on October 15, 2020" in text
    assert "publisher not printed" in text


@pytest.mark.parametrize(
    ("intent_id", "lang", "shown"),
    [
        pytest.param(
            "ict_strategy_outline_release", Lang.EN, "as reported on Dec 18, 2003", id="en"
        ),
        pytest.param("ict_strategy_outline_release", Lang.VI, "đăng ngày 18/12/2003", id="vi"),
    ],
)
def test_a_citation_gives_the_date_as_the_article_prints_it(
    responder: Responder, intent_id: str, lang: Lang, shown: str
) -> None:
    """In English the date reads as the article's dateline does ("Dec 18, 2003");
    Vietnamese writes it day/month/year."""
    article = responder.knowledge.articles["000_ad8cf312d669872d.txt"]
    assert article.printed == "Dec 18, 2003"
    assert shown in render.plain(responder.answer(intent_id, "", lang))


async def test_undated_article_says_so(responder: Responder) -> None:
    text = render.plain(await responder.reply("What is Decision 749?"))
    assert "VNA, date not printed" in text


async def test_fallback_says_what_the_bot_covers(responder: Responder) -> None:
    reply = await responder.reply("Who won the 2018 world cup?")
    assert reply.kind is Kind.FALLBACK
    assert "don't answer that" in render.plain(reply)
    assert "digital transformation" in render.plain(reply)


@pytest.mark.parametrize(
    ("question", "missing", "says"),
    [
        pytest.param(
            "how many hackers attacked Vietnam",
            "count",
            "don't give that number",
            id="near-miss-count",
        ),
        pytest.param(
            "What is the total budget of the library sector programme?",
            "money",
            "don't give that sum",
            id="near-miss-money",
        ),
        pytest.param(
            "ai ký nghị quyết 52?",
            "signer",
            "không nêu ai đã ký",
            id="near-miss-signer",
        ),
        pytest.param(
            "How large is Indonesia's digital economy?",
            "place",
            "for the place you asked about",
            id="near-miss-place",
        ),
        pytest.param(
            "How do experts rate the outline of the national ICT strategy?",
            None,
            "may not answer",
            id="closest-sentence",
        ),
    ],
)
async def test_fallback_pointer_is_a_verbatim_passage_not_an_answer(
    responder: Responder, question: str, missing: str | None, says: str
) -> None:
    reply = await responder.reply(question)
    assert reply.kind is Kind.FALLBACK
    assert reply.missing == missing
    assert reply.pointer is not None
    assert says in render.plain(reply)
    seed_text = (PROJECT_ROOT / "seeds" / reply.pointer.article.seed).read_text("utf-8")
    assert reply.pointer.quote in seed_text


@pytest.mark.parametrize(
    ("message", "chat", "lang"),
    [
        pytest.param("hello", Chat.GREETING, Lang.EN, id="hello"),
        pytest.param("Xin chào", Chat.GREETING, Lang.VI, id="xin-chao"),
        pytest.param("thanks a lot!", Chat.THANKS, Lang.EN, id="thanks"),
        pytest.param("cảm ơn bạn nhiều", Chat.THANKS, Lang.VI, id="cam-on"),
        pytest.param("what can you do?", Chat.HELP, Lang.EN, id="help"),
        pytest.param("who are you", Chat.IDENTITY, Lang.EN, id="identity"),
        pytest.param("bye", Chat.GOODBYE, Lang.EN, id="bye"),
        pytest.param("   ", Chat.EMPTY, Lang.EN, id="blank"),
        pytest.param("bạn có thể làm gì?", Chat.HELP, Lang.VI, id="vi-help"),
        pytest.param("what topics do you cover", Chat.HELP, Lang.EN, id="topics"),
        pytest.param("who made you?", Chat.IDENTITY, Lang.EN, id="maker"),
        pytest.param("ai tạo ra bạn", Chat.IDENTITY, Lang.VI, id="vi-maker"),
        pytest.param("are you a bot?", Chat.IDENTITY, Lang.EN, id="bot"),
        pytest.param("how are you?", Chat.GREETING, Lang.EN, id="how-are-you"),
        pytest.param("bạn khỏe không", Chat.GREETING, Lang.VI, id="vi-how-are-you"),
        pytest.param("test", Chat.GREETING, Lang.EN, id="test"),
        pytest.param(
            "Thanks so much for your help this afternoon, it saved me a lot of reading for my "
            "report and I will be back next week with more!",
            Chat.THANKS,
            Lang.EN,
            id="long-thanks",
        ),
        pytest.param(
            "Thanks so much, your answers about AI were great for my report and my editor "
            "loved it, see you next week!",
            Chat.THANKS,
            Lang.EN,
            id="long-thanks-naming-ai",
        ),
        pytest.param(
            "cảm ơn bạn rất nhiều nhé, thông tin rất hữu ích cho bài luận của mình, chúc bạn "
            "một ngày tốt lành",
            Chat.THANKS,
            Lang.VI,
            id="vi-long-thanks",
        ),
        pytest.param(
            "Hi! A colleague told me about this bot. I'm a reporter in Da Nang; before I begin, "
            "could you tell me what you can help with?",
            Chat.HELP,
            Lang.EN,
            id="long-help",
        ),
        pytest.param(
            "Chào bạn, mình là giáo viên, mới biết bot này qua đồng nghiệp. Bạn có thể giúp "
            "được những gì vậy?",
            Chat.HELP,
            Lang.VI,
            id="vi-long-help",
        ),
        pytest.param(
            "chao bot, hom nay minh moi dung thu lan dau. ban la ai va tra loi duoc nhung chu de"
            " gi? minh chi hoi cho biet thoi",
            Chat.HELP,
            Lang.VI,
            id="vi-plain-long-who-and-what",
        ),
        pytest.param(
            "what kind of questions can you answer?", Chat.HELP, Lang.EN, id="kinds-of-questions"
        ),
        pytest.param(
            "Hello! what sorts of topics do you cover?", Chat.HELP, Lang.EN, id="greeting-help"
        ),
        pytest.param(
            "chào bạn, bạn có thể trả lời những câu hỏi nào?", Chat.HELP, Lang.VI, id="vi-which"
        ),
        pytest.param(
            "Good evening from Hanoi! I'm a journalist and will be sending you questions over "
            "the next few days, just saying hello first.",
            Chat.GREETING,
            Lang.EN,
            id="long-greeting",
        ),
    ],
)
async def test_smalltalk(responder: Responder, message: str, chat: Chat, lang: Lang) -> None:
    reply = await responder.reply(message)
    assert (reply.kind, reply.chat, reply.lang) == (Kind.SMALLTALK, chat, lang)


@pytest.mark.parametrize(
    "question",
    [
        "hello, what is Decision 749?",
        "who built the National Public Service Portal?",
        "Hi, I'm a student writing a report. What was the ICT industry's revenue in 2015? Thanks!",
        "what kinds of questions will the ministers tackle at the meeting?",
        "hi, I'm new here, thanks for your help in advance, the ICT revenue in 2015 please",
        "how much?",
    ],
)
async def test_chatter_words_in_a_question_leave_it_a_question(
    responder: Responder, question: str
) -> None:
    reply = await responder.reply(question)
    assert reply.kind is not Kind.SMALLTALK


async def test_vietnamese_question_gets_vietnamese_frame(responder: Responder) -> None:
    reply = await responder.reply("Quyết định 749 là gì?")
    assert reply.lang is Lang.VI
    assert "Nguồn" in render.html(reply)[-1]


async def test_clarify_offers_two_or_three_distinct_known_intents(responder: Responder) -> None:
    """Every "which of these?" the labelled question sets bring up, and there are many."""
    questions = [i.question for path in sorted(DATA.glob("*.yaml")) for i in load_items(path)]
    replies = [await responder.reply(q) for q in questions]
    clarified = [r for r in replies if r.kind is Kind.CLARIFY]
    assert len(clarified) >= 20  # so that the checks below are not vacuous
    for reply in clarified:
        offered = [s.intent_id for s in reply.suggestions]
        assert 2 <= len(offered) <= 3 and len(set(offered)) == len(offered), reply.question
        assert all(i in responder.intents for i in offered)


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        pytest.param("How much revenue did the ICT industry make in 2015?", False, id="en"),
        pytest.param("ICT revenue 2015", False, id="keywords"),
        pytest.param("doanh thu CNTT năm 2015 là bao nhiêu", False, id="vi"),
        pytest.param("How much has ICT industry revenue grown compared to 2015?", True, id="base"),
        pytest.param("What was the ICT industry's revenue last year?", True, id="own-year"),
        pytest.param("How does last year's ICT revenue compare to 2015?", True, id="compare-to"),
    ],
)
async def test_a_comparison_base_year_is_no_figure_for_that_year(
    responder: Responder, question: str, answered: bool
) -> None:
    """The quote says revenue was "more than double compared to 2015": no 2015 figure."""
    reply = await responder.reply(question)
    assert (reply.kind is Kind.ANSWER) is answered
    if answered:
        assert reply.intent_id == "ict_industry_total_revenue"


@pytest.mark.parametrize("numbers", [False, True], ids=["figure-given", "figure-not-given"])
def test_a_figure_the_intent_does_not_give_is_never_answered(
    responder: Responder, numbers: bool
) -> None:
    """However likely the decision finds it, an intent that does not state the number
    or year asked about is not an answer (it may still be offered or pointed to)."""
    match = Match("ict_industry_total_revenue", 90.0, coverage=0.9, numbers=numbers)
    question = Question.prepare("How much revenue did the ICT industry make in 2013?")
    outcome = responder.outcome(question, [Weighed(match, 0.999)])
    assert (outcome.kind is Kind.ANSWER) is not numbers


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        pytest.param("What share of Vietnamese people use the internet?", True, id="vietnam"),
        pytest.param("What share of people in Thailand use the internet?", False, id="thailand"),
        pytest.param("thai lan co bao nhieu phan tram nguoi dung internet", False, id="vi-plain"),
        pytest.param(
            "Hi, I'm a student in Singapore. What share of Vietnamese people use the internet?",
            True,
            id="place-only-in-the-context",
        ),
    ],
)
async def test_a_place_the_intent_is_not_about_is_never_answered(
    responder: Responder, question: str, answered: bool
) -> None:
    """The articles give Vietnam's internet users, not Thailand's: a question about
    another place is refused, naming what is missing; a place named only in the words
    around the question does not count."""
    reply = await responder.reply(question)
    if answered:
        assert reply.kind is Kind.ANSWER and reply.intent_id == "internet_users_share"
    else:
        assert reply.kind is not Kind.ANSWER
        match = Match("internet_users_share", 90.0, coverage=0.9, elsewhere=True)
        outcome = responder.outcome(Question.prepare(question), [Weighed(match, 0.999)])
        assert outcome.kind is Kind.FALLBACK and outcome.missing == "place"


def test_the_places_named_are_read_in_both_languages() -> None:
    assert places(fold("Ho Chi Minh City and HCMC")) == {"ho_chi_minh_city"}
    assert places(fold("Thái Lan, Hàn Quốc và South Korea")) == {"thailand", "korea"}
    assert places(fold("giải pháp lao động ở Việt Nam")) == frozenset()  # common words


@pytest.mark.parametrize(
    ("question", "asking"),
    [
        pytest.param("New topic: who is Jordan Ryan?", "who is Jordan Ryan?", id="new-topic"),
        pytest.param("Different question - what is VietNEST?", "what is VietNEST?", id="dash"),
        pytest.param("btw, who is Jordan Ryan?", "who is Jordan Ryan?", id="by"),
        pytest.param("câu hỏi khác: Jordan Ryan là ai?", "Jordan Ryan là ai?", id="vi"),
        pytest.param("cau hoi khac: Jordan Ryan la ai?", "Jordan Ryan la ai?", id="vi-plain"),
        pytest.param("what is the new topic", "what is the new topic", id="words-not-a-leader"),
        pytest.param("new topic:", "new topic:", id="nothing-after-it"),
    ],
)
def test_a_leader_announcing_a_question_is_not_part_of_it(question: str, asking: str) -> None:
    assert Question.prepare(question).asking == asking


@pytest.mark.parametrize(
    ("question", "asking"),
    [
        pytest.param(
            "Hello, I'm a health reporter. I've heard about a UNDP telehealth project in "
            "Vietnam. How many remote consultations had it done by the end of 2023? Thanks",
            "I've heard about a UNDP telehealth project in Vietnam. How many remote "
            "consultations had it done by the end of 2023?",
            id="pronoun",
        ),
        pytest.param(
            "Hello, I'm an analyst. The ITU piece calls broadband and 5G the key to two things. "
            "What were they? I want to quote them.",
            "The ITU piece calls broadband and 5G the key to two things. What were they?",
            id="too-few-words",
        ),
        pytest.param(
            "Hi, I teach at a university in Hanoi. My students keep asking when the National "
            "Public Service Portal was inaugurated, and where that was reported. Could you help? "
            "Thanks!",
            "My students keep asking when the National Public Service Portal was inaugurated, "
            "and where that was reported. Could you help?",
            id="leaning-twice",
        ),
        pytest.param(
            "Hi, I'm a student writing an essay on digital policy. When was Decision 749 signed "
            "and what does it cover?",
            "When was Decision 749 signed and what does it cover?",
            id="standing-alone",
        ),
        pytest.param(
            "Hello there, I'm a reporter covering energy this month. Where will it be built?",
            "Where will it be built?",
            id="never-onto-an-introduction",
        ),
    ],
)
def test_the_asking_clause_is_read_with_what_it_leans_on(question: str, asking: str) -> None:
    assert Question.prepare(question).asking == asking


@pytest.mark.parametrize(
    ("question", "context"),
    [
        pytest.param("Thailand visa rules for tourists", "decision_749", id="visa"),
        pytest.param("who won the 2018 world cup?", "it_professionals", id="sport"),
        pytest.param("giá vàng hôm nay", "three_pillars", id="vi-gold-price"),
    ],
)
async def test_a_new_subject_right_after_an_answer_is_not_bent_towards_it(
    responder: Responder, question: str, context: str
) -> None:
    """Neither answered nor offered the last answer's neighbours: refused as if alone."""
    reply = await responder.reply(question, context=Context(context, time.time()))
    assert reply.kind is Kind.FALLBACK, reply


async def test_a_question_asked_again_right_after_its_answer_gets_it_again(
    responder: Responder,
) -> None:
    """Both readings pick the same intent; whichever is surer of it by its bar wins, and
    the answer is the same."""
    question = Question.prepare("What is Decision 749?")
    _, weighed = responder.read(question, Context("decision_749", time.time()))
    assert weighed and weighed[0].match.intent_id == "decision_749"
    reply = await responder.reply(question.text, context=Context("decision_749", time.time()))
    assert reply.kind is Kind.ANSWER and reply.intent_id == "decision_749"


def test_follow_ups_have_trees_and_bars_of_their_own(responder: Responder) -> None:
    decision = responder.decision
    assert decision.follow_trees and decision.trees != decision.follow_trees
    assert decision.bars(True, True) == (decision.follow_answer, decision.follow_clarify)
    assert decision.bars(False, True) == (decision.answer, decision.clarify)
    assert decision.bars(False, False) == (decision.clause_answer, decision.clarify)
    assert Decision.from_json(decision.to_json()) == decision


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        pytest.param(
            "Where will Vietnam's first nuclear power plant be built, and when should it run?",
            (
                ("where will vietnam s first nuclear power plant be built", ""),
                ("when should it run", "vietnam first nuclear power plant built"),
            ),
            id="second-leans-on-first",
        ),
        pytest.param(
            "Where is Vietnam planning its first nuclear power plant, and by when should it be"
            " operational?",
            (
                ("where is vietnam planning its first nuclear power plant", ""),
                ("by when should it be operational", "vietnam planning first nuclear power plant"),
            ),
            id="a-pronoun-in-the-first-names-its-subject",
        ),
        pytest.param(
            "Nhà máy điện hạt nhân đầu tiên sẽ xây ở đâu và bao giờ vận hành khi nào?",
            (("nha may dien hat nhan dau tien se xay o dau", ""), ("bao gio van hanh khi nao", "")),
            id="vi",
        ),
        pytest.param(
            "Hi, I am a reporter. Where will the first nuclear plant be built? And when should"
            " it run? Thanks",
            (
                ("where will the first nuclear plant be built", ""),
                ("when should it run", "first nuclear plant built"),
            ),
            id="two-questions",
        ),
        pytest.param("Where will it be built? When will it run? Who pays for it?", (), id="three"),
        pytest.param("Who issued Decision 749 in 2020?", (), id="one-thing-asked"),
        pytest.param(
            "What are the pillars of the digital economy and society?", (), id="one-thing"
        ),
    ],
)
def test_a_message_asking_two_things_is_read_as_two_questions(
    question: str, parts: tuple[tuple[str, str], ...]
) -> None:
    """Each part is read alone; one that leans on the other takes the other's content
    words as its topic, which weighs less than its own words."""
    assert tuple((p.asking, p.topic) for p in Question.prepare(question).parts()) == parts


async def test_a_second_thing_asked_may_be_answered_below_its_bar(responder: Responder) -> None:
    """The first thing is answered surely; the best reading of the second falls short of
    the answer bar but clears the "which of these?" bar: both are answered."""
    question = Question.prepare(
        "What does 'public service level 4' mean in Vietnam? And how many of their services"
        " do ministries and localities actually have online? I'm writing about e-government"
        " adoption."
    )
    first, second = (responder.weigh(part) or [] for part in question.parts())
    (answer, clarify), second_bar = (
        responder.decision.bars(False, p.whole) for p in question.parts()
    )
    assert first[0].probability >= answer and clarify <= second[0].probability < second_bar[0]
    reply = await responder.reply(question.text)
    assert reply.kind is Kind.ANSWER
    assert reply.intent_id == "public_service_level_4_definition"
    assert responder.intents["public_services_online_share_low"].answer in reply.answer


async def test_two_things_asked_are_answered_together(responder: Responder) -> None:
    """Each part is answered on its own, by a different intent: one reply says both,
    citing both."""
    reply = await responder.reply(
        "Where will Vietnam's first nuclear power plant be built, and when should it be"
        " operational?"
    )
    assert reply.kind is Kind.ANSWER and reply.intent_id == "first_nuclear_plant_ninh_thuan"
    later = responder.intents["nuclear_plant_operational_2030"]
    assert later.answer in reply.answer
    assert {c.quote for c in reply.citations} >= {f.quote for f in later.facts}
    text = render.plain(reply)
    assert "Ninh Thuan" in text and "2030" in text


async def test_a_long_message_asking_what_the_bot_does_gets_help(responder: Responder) -> None:
    reply = await responder.reply(
        "Hi, I'm a journalist covering Vietnam's digital economy and I'm new to it. What kinds"
        " of questions can you answer?"
    )
    assert reply.kind is Kind.SMALLTALK and reply.chat is Chat.HELP
