"""The real PTB Application, polling a fake Bot API over loopback, end to end.

Each test feeds raw Bot-API updates to the fake's getUpdates and reads back what the
bot sent; the fake rejects anything the real Bot API would (see bot_api_rules.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.answering import render
from bot.answering.responder import Responder
from bot.models import Kind, Lang
from bot.telegram_bot.keyboards import CALLBACK_LIMIT, Buttons, short_key
from bot.telegram_bot.pages import COMMANDS
from tests.bot_api_rules import utf16_len, visible_text
from tests.bots import (
    FACTS_DB,
    exchange,
    terminate_mid_reply,
)
from tests.fake_bot_api import BOT, TOKEN, Call, FakeBotAPI, bad_request
from tests.updates import (
    GROUP,
    USER_EN,
    USER_VI,
    buttons,
    inline_query,
    message,
    sticker,
    tap,
)

ANSWERED = "What is Decision 749?"
AMBIGUOUS = "resolution"
UNANSWERED = "Thailand visa requirements for tourists"


def texts(calls: list[Call]) -> str:
    return "\n".join(visible_text(c.params["text"]) for c in calls)


async def test_start_up_registers_commands_in_english_and_vietnamese(fake: FakeBotAPI) -> None:
    calls = fake.of("setMyCommands")
    assert [c.params.get("language_code") for c in calls] == [None, "vi"]
    for call in calls:
        assert [c["command"] for c in call.params["commands"]] == list(COMMANDS)
    assert (
        calls[1].params["commands"][0]["description"]
        != calls[0].params["commands"][0]["description"]
    )


@pytest.mark.parametrize(
    ("user", "question", "label"),
    [(USER_EN, ANSWERED, "Source:"), (USER_VI, "Quyết định 749 là gì?", "Nguồn:")],
    ids=["english", "vietnamese"],
)
async def test_question_is_answered_with_its_source(
    fake: FakeBotAPI,
    responder: Responder,
    user: dict[str, object],
    question: str,
    label: str,
) -> None:
    expected = await responder.reply(question)
    assert expected.kind is Kind.ANSWER
    [sent] = await exchange(fake, message(question, user=user))
    assert sent.params["parse_mode"] == "HTML"
    assert sent.params["chat_id"] == user["id"]
    assert "<blockquote>" in sent.params["text"]
    shown = visible_text(sent.params["text"])
    assert expected.citations[0].quote in shown
    assert f"{label} {render.source_line(expected.citations[0], expected.lang)}" in shown
    *related, up, down = buttons(sent)
    assert related and len(related) == len(expected.related)
    assert (up["text"], down["text"]) == ("👍", "👎")
    assert "reply_parameters" not in sent.params  # private chats need no quote


async def test_clarify_then_tap_answers_the_chosen_topic(
    fake: FakeBotAPI, responder: Responder
) -> None:
    expected = await responder.reply(AMBIGUOUS)
    assert expected.kind is Kind.CLARIFY
    [clarify] = await exchange(fake, message(AMBIGUOUS))
    *options, none = buttons(clarify)
    assert 2 <= len(options) <= 3
    assert none["text"] == "None of these"
    assert all(len(b["callback_data"].encode()) <= CALLBACK_LIMIT for b in [*options, none])
    chosen = expected.suggestions[1 if len(options) > 1 else 0]
    data = options[expected.suggestions.index(chosen)]["callback_data"]
    since = len(fake.calls)
    [answer] = await exchange(fake, tap(clarify, data))
    assert len(fake.of("answerCallbackQuery", since)) == 1
    reply = responder.answer(chosen.intent_id, chosen.label, Lang.EN)
    assert reply.citations[0].quote in visible_text(answer.params["text"])
    # ...and its related buttons lead on.
    [follow] = await exchange(fake, tap(answer, buttons(answer)[0]["callback_data"]))
    assert "<blockquote>" in follow.params["text"]


async def test_none_of_these_is_answered_and_logged(fake: FakeBotAPI, tmp_path: Path) -> None:
    [clarify] = await exchange(fake, message(AMBIGUOUS, user=USER_VI))
    none = buttons(clarify)[-1]
    assert none["text"] == "Không mục nào"
    [reply] = await exchange(fake, tap(clarify, none["callback_data"], user=USER_VI))
    assert "không mục nào phù hợp" in visible_text(reply.params["text"])
    kinds: list[str] = []
    for _ in range(100):  # logged just after the reply went out
        with sqlite3.connect(tmp_path / "questions.db") as db:
            kinds = [k for (k,) in db.execute("SELECT kind FROM questions ORDER BY id")]
        if len(kinds) == 2:
            break
        await asyncio.sleep(0.02)
    assert kinds == ["clarify", "none"]


COMMAND_CASES = [
    ("/start", USER_EN, "five news articles"),
    ("/start", USER_VI, "năm bài báo"),
    ("/help", USER_EN, "/topics"),
    ("/help", USER_VI, "Các lệnh"),
    ("/topics", USER_EN, "Pick a topic"),
    ("/topics", USER_VI, "Chọn một chủ đề"),
    ("/sources", USER_EN, "Institutional revolution driving digital transformation"),
    ("/sources", USER_VI, "năm bài báo này"),
    ("/about", USER_EN, "no advice"),
    ("/about", USER_VI, "không đưa ra lời khuyên"),
    ("/nonsense", USER_EN, "/topics"),
]


@pytest.mark.parametrize(
    ("command", "user", "expect"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]['language_code']}") for case in COMMAND_CASES],
)
async def test_every_command_answers(
    fake: FakeBotAPI,
    command: str,
    user: dict[str, object],
    expect: str,
) -> None:
    sent = await exchange(fake, message(command, user=user))
    assert expect.casefold() in texts(sent).casefold()


async def test_sources_lists_the_five_articles(fake: FakeBotAPI, responder: Responder) -> None:
    sent = texts(await exchange(fake, message("/sources")))
    for article in responder.knowledge.articles.values():
        assert article.title in sent
        assert article.covers in sent


async def test_start_offers_three_examples_that_answer(fake: FakeBotAPI) -> None:
    [start] = await exchange(fake, message("/start"))
    examples = buttons(start)
    assert len(examples) == 3
    for example in examples:
        [answer] = await exchange(fake, tap(start, example["callback_data"]))
        assert "<blockquote>" in answer.params["text"]


async def test_topics_open_into_questions_and_back(fake: FakeBotAPI, responder: Responder) -> None:
    [menu] = await exchange(fake, message("/topics", user=USER_VI))
    topics = buttons(menu)
    assert [b["text"] for b in topics] == [t.vi for t in responder.knowledge.topics]
    [opened] = await exchange(
        fake, tap(menu, topics[0]["callback_data"], USER_VI), "editMessageText"
    )
    questions = buttons(opened)
    assert responder.knowledge.topics[0].vi in visible_text(opened.params["text"])
    assert len(questions) > 1 and questions[-1]["text"].startswith("«")
    [answer] = await exchange(fake, tap(opened, questions[0]["callback_data"], USER_VI))
    assert "Nguồn:" in visible_text(answer.params["text"])
    [back] = await exchange(
        fake, tap(opened, questions[-1]["callback_data"], USER_VI), "editMessageText"
    )
    assert buttons(back) == topics


async def test_out_of_date_button_is_still_acknowledged(fake: FakeBotAPI) -> None:
    [menu] = await exchange(fake, message("/topics"))
    [ack] = await exchange(fake, tap(menu, "aen:no_such_intent"), "answerCallbackQuery")
    assert "out of date" in ack.params["text"]


async def test_inline_query_offers_cited_answers(fake: FakeBotAPI, responder: Responder) -> None:
    assert (await responder.reply(UNANSWERED)).kind is Kind.FALLBACK
    [answered] = await exchange(fake, inline_query(ANSWERED), "answerInlineQuery")
    results = answered.params["results"]
    assert 1 <= len(results) <= 5
    for result in results:
        assert "Source:" in visible_text(result["input_message_content"]["message_text"])
    [several] = await exchange(fake, inline_query(AMBIGUOUS), "answerInlineQuery")
    assert 1 < len(several.params["results"]) <= 5
    [none] = await exchange(fake, inline_query(UNANSWERED), "answerInlineQuery")
    assert none.params["results"] == []
    assert none.params["button"]["start_parameter"] == "inline"


@pytest.mark.parametrize(
    ("user", "expect"),
    [(USER_EN, "as text"), (USER_VI, "dạng văn bản")],
    ids=["english", "vietnamese"],
)
async def test_a_sticker_gets_asked_for_text(
    fake: FakeBotAPI,
    user: dict[str, object],
    expect: str,
) -> None:
    assert expect in texts(await exchange(fake, sticker(user)))


@pytest.mark.parametrize("text", ["   ", ""], ids=["spaces", "empty"])
async def test_empty_text_gets_the_help(fake: FakeBotAPI, text: str) -> None:
    assert "for example" in texts(await exchange(fake, message(text)))


async def test_groups_answer_only_mentions_and_replies(fake: FakeBotAPI) -> None:
    since = len(fake.calls)
    await fake.feed(message(ANSWERED, chat=GROUP))  # chatter: ignored
    await fake.feed(sticker(chat=GROUP))  # ignored too
    mention = message(f"@{BOT['username']} {ANSWERED}", chat=GROUP)
    await fake.feed(mention)
    # Updates are handled in order, so a reply to the chatter would have come first.
    [answer] = await fake.wait("sendMessage", 1, since)
    asked = mention["message"]
    assert answer.params["chat_id"] == GROUP["id"]
    assert answer.params["reply_parameters"]["message_id"] == asked["message_id"]
    reply = message(
        "How many IT professionals does Vietnam have?", chat=GROUP, reply_to=answer.result
    )
    [again] = await exchange(fake, reply)
    assert again.params["reply_parameters"]["message_id"] == reply["message"]["message_id"]
    assert "<blockquote>" in again.params["text"]


async def test_an_edited_question_is_answered_again(fake: FakeBotAPI) -> None:
    first = message(UNANSWERED)
    await exchange(fake, first)
    edited = {"edited_message": {**first["message"], "text": ANSWERED, "edit_date": 1}}
    [answer] = await exchange(fake, edited)
    assert "<blockquote>" in answer.params["text"]


@pytest.mark.parametrize(
    "question",
    [
        "Cushman & Wakefield data centre report",
        "<b>R&D</b> <script>alert(1)</script> & &amp; &#x27; " + "x<y & " * 700,
        ("What is Decision 749? " * 200)[:4000],
    ],
    ids=["ampersand-in-quote", "markup-in-question", "4000-characters"],
)
async def test_hostile_or_long_text_gives_valid_html_parts(fake: FakeBotAPI, question: str) -> None:
    sent = await exchange(fake, message(question[:4096]))
    for call in sent:  # the fake already rejects bad HTML; check the limit explicitly too
        assert utf16_len(visible_text(call.params["text"])) <= 4096
        assert utf16_len(call.params["text"]) <= 4096


async def test_errors_are_logged_without_the_token_then_apologised_for(
    fake: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next["sendMessage"] = [bad_request("chat is unavailable")]
    update = message(ANSWERED)
    [failed, apology] = await exchange(fake, update, count=2)
    assert "<blockquote>" in failed.params["text"]
    assert "went wrong" in visible_text(apology.params["text"])
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "update" in errors[0].getMessage()
    assert TOKEN not in caplog.text


async def test_sigterm_while_answering_finishes_the_reply_and_exits_0(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    """`policybot run` as a process: SIGTERM mid-reply; the reply and the queued one still go."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"{api.url}/bot",
        "FACTS_DB": str(FACTS_DB),
        "STATE_DB": str(tmp_path / "questions.db"),
        "LOG_LEVEL": "DEBUG",
    }
    # Both updates wait in getUpdates before the bot starts, so one poll fetches both;
    # the first reply is held by the fake until after SIGTERM.
    await api.feed(message(ANSWERED))
    await api.feed(message("/about"))
    api.gate = asyncio.Event()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, stderr=asyncio.subprocess.PIPE
    )
    status, log = await terminate_mid_reply(api, proc, wait=15)
    assert status == 0, log
    sent = api.of("sendMessage")
    assert len(sent) == 2 and "<blockquote>" in sent[0].params["text"]
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


@pytest.mark.parametrize(
    "data",
    [
        "",
        "aen",
        "aen:",
        "aen:no_such_intent",
        "xen:decision_749",
        "afr:decision_749",
        "qen:9",
        "qen:-1",
        "qen:²",  # a digit to isdigit(), not to int()
        "qen:١",  # Arabic-Indic one: int() reads it, no button of ours carries it
        "qen:01",
        "qen: 1",
        "ten:no_such_topic",
        "aenx:decision_749",
    ],
)
def test_malformed_or_stale_callback_data_decodes_to_nothing(
    responder: Responder, data: str
) -> None:
    assert Buttons(responder).decode(data) is None


def test_callback_data_fits_64_bytes_even_for_the_longest_ids(responder: Responder) -> None:
    longest = "x" * 64
    assert len(f"aen:{short_key(longest)}".encode()) <= CALLBACK_LIMIT
    buttons_ = Buttons(responder)
    for intent in responder.knowledge.intents:
        [[button]] = buttons_.answers([responder.suggestion(intent, Lang.VI)], Lang.VI)
        assert len(button.data.encode()) <= CALLBACK_LIMIT
        assert buttons_.decode(button.data) is not None
