"""Feedback in Telegram, end to end: the real PTB application against the fake Bot API,
the feedback kept in a real state database (bot/telegram_bot/feedback.py, bot/feedback/).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import httpx
import pytest

from bot.answering.responder import Responder
from bot.feedback.log import FeedbackLog
from bot.inbox import Inbox
from bot.models import Kind, Lang
from bot.telegram_bot.feedback import Feedback, Press
from bot.telegram_bot.keyboards import CALLBACK_LIMIT
from bot.telegram_bot.web import create_app
from tests.bot_api_rules import visible_text
from tests.bots import (
    ADMIN,
    WEBHOOK_PATH,
    WEBHOOK_SECRET,
    exchange_one,
    quick_delivery,
    webhook_settings,
)
from tests.fake_bot_api import BOT, Call, FakeBotAPI, serve
from tests.updates import GROUP, USER_EN, USER_VI, buttons, message, numbered, tap

ANSWERED = {"en": "What is Decision 749?", "vi": "Quyết định 749 là gì?"}
AMBIGUOUS = "resolution"
USERS = {"en": USER_EN, "vi": USER_VI}


def rows(state: Path) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(state / "questions.db")) as db:
        return db.execute(
            "SELECT question, lang, kind, intent, vote, note FROM feedback ORDER BY at, rowid"
        ).fetchall()


def votes(call: Call) -> list[str]:
    return [b["text"] for b in buttons(call) if b["callback_data"][0] in "+-"]


@pytest.mark.parametrize("lang", ["en", "vi"])
async def test_votes_are_kept_editable_and_a_first_thumbs_down_asks_once(
    fake: FakeBotAPI, tmp_path: Path, lang: str
) -> None:
    user, question = USERS[lang], ANSWERED[lang]
    answer = await exchange_one(fake, message(question, user=user))
    assert votes(answer) == ["👍", "👎"]
    up, down = (b["callback_data"] for b in buttons(answer)[-2:])
    assert all(len(d.encode()) <= CALLBACK_LIMIT for d in (up, down))

    edited = await exchange_one(fake, tap(answer, up, user=user), "editMessageReplyMarkup")
    assert votes(edited) == ["👍 ✓", "👎"]
    assert len(buttons(edited)) == len(buttons(answer))  # the related questions stay
    assert rows(tmp_path) == [(question, lang, "answer", "decision_749", 1, None)]

    since = len(fake.calls)
    prompt = await exchange_one(fake, tap(answer, down, user=user))
    [edited] = fake.done("editMessageReplyMarkup", since)
    assert votes(edited) == ["👍", "👎 ✓"]
    assert prompt.params["reply_markup"]["force_reply"] is True
    assert prompt.params["reply_markup"].get("selective") is not True  # a private chat
    asked = visible_text(prompt.params["text"])
    assert ("looking for" in asked) if lang == "en" else ("đang tìm" in asked)
    [popup] = fake.done("answerCallbackQuery", since)
    assert popup.params["text"] == (
        "Thanks for telling me." if lang == "en" else "Cảm ơn bạn đã cho biết."
    )
    assert rows(tmp_path)[0][4] == -1  # replaced, not added

    note = "the date it was signed"
    noted = await exchange_one(fake, message(note, user=user, reply_to=prompt.result))
    assert (
        ("noted" in noted.params["text"]) if lang == "en" else ("ghi lại" in noted.params["text"])
    )
    assert rows(tmp_path) == [(question, lang, "answer", "decision_749", -1, note)]

    # 👍 then 👎 again: the vote changes, the question is not asked a second time.
    await exchange_one(fake, tap(answer, up, user=user), "editMessageReplyMarkup")
    since = len(fake.calls)
    await exchange_one(fake, tap(answer, down, user=user), "editMessageReplyMarkup")
    await fake.feed(message("/about", user=user))  # the same chat: handled in order
    [first] = await fake.wait("sendMessage", 1, since)
    assert ("no advice" if lang == "en" else "không đưa ra lời khuyên") in first.params["text"]
    assert rows(tmp_path)[0][4:] == (-1, note)


async def test_in_a_group_the_note_is_a_reply_to_the_prompt(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    answer = await exchange_one(fake, message(f"@{BOT['username']} {ANSWERED['en']}", chat=GROUP))
    assert votes(answer) == ["👍", "👎"]
    prompt = await exchange_one(fake, tap(answer, buttons(answer)[-1]["callback_data"]))
    assert prompt.params["reply_markup"]["selective"] is True  # opens no one's reply box
    assert prompt.params["chat_id"] == GROUP["id"]
    await exchange_one(fake, message("the date", chat=GROUP, reply_to=prompt.result))
    assert rows(tmp_path) == [(ANSWERED["en"], "en", "answer", "decision_749", -1, "the date")]


async def test_a_follow_up_is_kept_as_one(fake: FakeBotAPI, tmp_path: Path) -> None:
    await exchange_one(fake, message(ANSWERED["en"]))
    answer = await exchange_one(fake, message("who issued it?"))
    assert "Nguyen Xuan Phuc" in visible_text(answer.params["text"])
    await exchange_one(
        fake, tap(answer, buttons(answer)[-2]["callback_data"]), "editMessageReplyMarkup"
    )
    with contextlib.closing(sqlite3.connect(tmp_path / "questions.db")) as db:
        kept = db.execute("SELECT question, vote, follow_up FROM feedback ORDER BY at, rowid")
        assert kept.fetchall() == [(ANSWERED["en"], None, 0), ("who issued it?", 1, 1)]


async def test_a_user_who_ignores_the_question_just_asks_on(
    fake: FakeBotAPI, tmp_path: Path
) -> None:
    answer = await exchange_one(fake, message(ANSWERED["en"]))
    await exchange_one(fake, tap(answer, buttons(answer)[-1]["callback_data"]))
    reply = await exchange_one(fake, message("Who is Nguyen Manh Hung?"))
    assert "<blockquote>" in reply.params["text"]  # answered, not taken for a note
    await exchange_one(fake, message("/about"))  # the same chat, in order: the answer is kept
    assert [r[5] for r in rows(tmp_path)] == [None, None]


async def test_a_reply_to_a_prompt_no_longer_kept_is_a_question(fake: FakeBotAPI) -> None:
    prompt = {
        "message_id": 99_999,
        "date": 0,
        "chat": {"id": USER_EN["id"], "type": "private", "first_name": "Ann"},
        "from": {"id": 1, "is_bot": True, "first_name": "policybot", "username": "policy_bot"},
        "text": "Sorry that didn't help. What were you looking for? If you like, reply to"
        " this message in a few words; or just ask again.",
    }
    reply = await exchange_one(fake, message(ANSWERED["en"], reply_to=prompt))
    assert "<blockquote>" in reply.params["text"]


@pytest.mark.parametrize("lang", ["en", "vi"])
async def test_which_of_these_taps_are_logged_with_their_question(
    fake: FakeBotAPI, responder: Responder, tmp_path: Path, lang: str
) -> None:
    user = USERS[lang]
    expected = await responder.reply(AMBIGUOUS, Lang(lang))
    assert expected.kind is Kind.CLARIFY
    # "None of these" first (an answer would give the chat a context to lean on).
    first = await exchange_one(fake, message(AMBIGUOUS, user=user))
    await exchange_one(fake, tap(first, buttons(first)[-1]["callback_data"], user=user))
    clarify = await exchange_one(fake, message(AMBIGUOUS, user=user))
    *options, none = buttons(clarify)
    assert [o["callback_data"][0] for o in options] == ["c"] * len(expected.suggestions)
    assert none["callback_data"][0] == "x"
    chosen = expected.suggestions[-1]
    answer = await exchange_one(fake, tap(clarify, options[-1]["callback_data"], user=user))
    assert responder.intents[chosen.intent_id].facts[0].quote in visible_text(answer.params["text"])
    assert votes(answer) == ["👍", "👎"]  # the answer takes feedback too...
    await exchange_one(
        fake, tap(answer, buttons(answer)[-2]["callback_data"], user=user), "editMessageReplyMarkup"
    )
    # ...and knows the question it answers: the user's words, not the option's label.
    assert rows(tmp_path) == [
        (AMBIGUOUS, lang, "clarify", "none", None, None),
        (AMBIGUOUS, lang, "clarify", chosen.intent_id, None, None),
        (AMBIGUOUS, lang, "answer", chosen.intent_id, 1, None),
    ]
    with contextlib.closing(sqlite3.connect(tmp_path / "questions.db")) as db:
        assert ("none",) in db.execute("SELECT kind FROM questions").fetchall()  # as before


async def test_stats_shows_the_feedback_sections(fake: FakeBotAPI) -> None:
    clarify = await exchange_one(fake, message(AMBIGUOUS))
    await exchange_one(fake, tap(clarify, buttons(clarify)[0]["callback_data"]))
    answer = await exchange_one(fake, message(ANSWERED["en"]))
    prompt = await exchange_one(fake, tap(answer, buttons(answer)[-1]["callback_data"]))
    await exchange_one(fake, message("when it was signed", reply_to=prompt.result))
    await exchange_one(fake, message("Thailand visa rules for tourists"))
    await exchange_one(fake, message("visa rules for Thailand tourists?"))
    stats = await exchange_one(fake, message("/stats", user=ADMIN))
    shown = visible_text(stats.params["text"])
    assert len(stats.params["text"]) <= 4096
    assert "feedback: 0 👍, 1 👎, 1 notes" in shown
    assert "decision_749: 1 👎, 0 👍" in shown
    assert "What is Decision 749?  (looking for: when it was signed)" in shown
    assert "1× resolution → " in shown
    assert '"None of these": 0' in shown
    assert "2× Thailand visa rules for tourists  (also: visa rules for Thailand" in shown


async def test_stats_speaks_the_admins_language(fake: FakeBotAPI) -> None:
    await exchange_one(fake, message("Thailand visa rules for tourists"))
    admin_vi = {**ADMIN, "language_code": "vi"}
    stats = await exchange_one(fake, message("/stats", user=admin_vi))
    shown = visible_text(stats.params["text"])
    assert "câu hỏi đã ghi" in shown
    assert "chưa trả lời được, thường gặp nhất:\n  1× Thailand visa rules for tourists" in shown
    assert "phản hồi: 0 👍, 0 👎, 0 ghi chú" in shown
    assert "questions logged" not in shown and "feedback:" not in shown


async def test_a_failing_feedback_log_costs_no_reply(fake: FakeBotAPI, tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(tmp_path / "questions.db")) as db:
        for event in ("INSERT", "UPDATE"):
            db.execute(
                f"CREATE TRIGGER full_{event} BEFORE {event} ON feedback"
                " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
            )
        db.commit()
    answer = await exchange_one(fake, message(ANSWERED["en"]))
    since = len(fake.calls)
    await exchange_one(
        fake, tap(answer, buttons(answer)[-2]["callback_data"]), "editMessageReplyMarkup"
    )
    assert fake.done("answerCallbackQuery", since)  # acknowledged all the same
    clarify = await exchange_one(fake, message(AMBIGUOUS, user=USER_VI))
    answer = await exchange_one(fake, tap(clarify, buttons(clarify)[0]["callback_data"], USER_VI))
    assert "<blockquote>" in answer.params["text"]
    assert rows(tmp_path) == []


async def test_without_a_feedback_log_answers_carry_no_votes(
    api: FakeBotAPI, responder: Responder, tmp_path: Path
) -> None:
    async with Inbox(tmp_path / "inbox.db") as inbox:
        app = create_app(webhook_settings(api), responder, None, quick_delivery(), inbox=inbox)
        async with serve(app, lifespan="on") as url, httpx.AsyncClient(base_url=url) as client:
            headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
            since = len(api.calls)
            for question, user in ((ANSWERED["en"], USER_EN), (AMBIGUOUS, USER_VI)):
                update = numbered(message(question, user=user))
                assert (await client.post(WEBHOOK_PATH, json=update, headers=headers)).is_success
            answer, clarify = await api.wait("sendMessage", 2, since)
    assert votes(answer) == [] and buttons(answer)
    *options, none = [b["callback_data"][0] for b in buttons(clarify)]
    assert options and set(options) == {"a"} and none == "n"  # as keyboards.py gives them


def test_feedback_data_fits_64_bytes_and_decodes_only_what_it_gives_out(
    responder: Responder,
) -> None:
    ids = [i.id for i in responder.knowledge.intents] + ["x" * 80]
    feedback = Feedback(None, ids)
    token = FeedbackLog.new_token()
    suggestions = tuple(responder.suggestion(responder.intents[i], Lang.VI) for i in ids[:-1])
    keyboard = (*feedback.clarify(token, suggestions, Lang.VI), *feedback.votes(token, Lang.VI))
    for row in keyboard:
        for button in row:
            assert len(button.data.encode()) <= CALLBACK_LIMIT
            decoded = feedback.decode(button.data)
            assert decoded is not None and decoded.token == token
    long = feedback.decode(f"cvi:{token}{feedback.key('x' * 80)}")
    assert long is not None and long.intent == "x" * 80
    assert long.action is Press.CHOSEN


@pytest.mark.parametrize(
    "data",
    [
        "",
        "+en:",
        "+en:short",
        "+xx:abcdefgh",
        "?en:abcdefgh",
        "+en:abcdefghX",
        "cen:abcdefghno_such_intent",
        "xen:abcdefgh1",
        "aen:decision_749",
    ],
)
def test_malformed_feedback_data_decodes_to_nothing(responder: Responder, data: str) -> None:
    feedback = Feedback(None, [i.id for i in responder.knowledge.intents])
    assert feedback.decode(data) is None
