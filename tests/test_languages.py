"""Which language a reply is in, front end by front end: Telegram, the console, ask --json.

One table says it for all three. A question whose words tell its language is answered
in it; one whose words don't ("749?", "PAPI") follows, in Telegram, the user's /lang
choice, then their app's language, then their last reply in the chat; in the console
and ask --json, the previous reply of the run.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.answering import messages, render
from bot.answering.context import after
from bot.answering.responder import Responder
from bot.console import Console
from bot.models import Kind, Lang
from bot.state import QuestionLog
from tests.bot_api_rules import visible_text
from tests.bots import HASH_KEY, ask_json, exchange, polling_bot, quick_delivery, settings_for
from tests.fake_bot_api import Call, FakeBotAPI, Json
from tests.updates import USER_EN, USER_VI, buttons, message, tap

USER_UNSET: Json = {"id": 1003, "is_bot": False, "first_name": "Chi"}  # no language_code
USERS = {"en": USER_EN, "vi": USER_VI, None: USER_UNSET}


@dataclass(frozen=True)
class Case:
    id: str
    app: str | None  # the Telegram app's language_code
    before: str | None  # asked just before, in the same chat or run
    question: str
    telegram: Lang  # the reply's language in Telegram
    elsewhere: Lang  # in the console and ask --json, which know no app language


CASES = [
    Case("vi-accents", "en", None, "Việt Nam có bao nhiêu chuyên gia CNTT?", Lang.VI, Lang.VI),
    Case(
        "vi-no-accents-english-app",
        "en",
        None,
        "bao nhieu phan tram nguoi viet dung internet",
        Lang.VI,
        Lang.VI,
    ),
    Case("vi-no-accents-answered", "en", None, "qd 749 la gi", Lang.VI, Lang.VI),
    Case("english-from-vietnamese-app", "vi", None, "What is Decision 749?", Lang.EN, Lang.EN),
    Case("bare-number-vietnamese-app", "vi", None, "749?", Lang.VI, Lang.EN),
    Case("bare-number-english-app", "en", "qd 749 la gi", "749?", Lang.EN, Lang.VI),
    Case("papi-vietnamese-app", "vi", "What is Decision 749?", "PAPI", Lang.VI, Lang.EN),
    Case("papi-no-app-after-vietnamese", None, "qd 749 la gi", "PAPI", Lang.VI, Lang.VI),
    Case("papi-no-app-after-english", None, "What is Decision 749?", "PAPI", Lang.EN, Lang.EN),
    Case("bare-number-nothing-known", None, None, "749?", Lang.EN, Lang.EN),
]
PARAMS = [pytest.param(c, id=c.id) for c in CASES]


def shown(calls: list[Call]) -> str:
    return "\n\n".join(visible_text(c.params["text"]) for c in calls)


def test_the_table_covers_every_kind_of_reply_it_means_to() -> None:
    """Negatives included: English from a Vietnamese app, a bare number, an acronym."""
    assert {c.telegram for c in CASES} == {c.elsewhere for c in CASES} == set(Lang)
    assert any(c.telegram != c.elsewhere for c in CASES)


@pytest.mark.parametrize("case", PARAMS)
async def test_telegram_replies_in_the_askers_language(
    fake: FakeBotAPI, responder: Responder, case: Case
) -> None:
    user = USERS[case.app]
    # One chat: the question may be read against the one before.
    context = None
    if case.before is not None:
        context = after(await responder.reply(case.before), None, time.time())
    expected = await responder.reply(case.question, case.telegram, context)
    assert expected.lang is case.telegram
    if case.before is not None:
        earlier = await responder.reply(case.before)
        await exchange(fake, message(case.before, user=user), count=len(render.html(earlier)))
    sent = await exchange(fake, message(case.question, user=user), count=len(render.html(expected)))
    assert shown(sent) == "\n\n".join(visible_text(part) for part in render.html(expected))


@pytest.mark.parametrize("case", PARAMS)
async def test_console_replies_in_the_askers_language(responder: Responder, case: Case) -> None:
    # The console is one conversation: the question may be read against the one before.
    context = None
    if case.before is not None:
        context = after(await responder.reply(case.before), None, time.time())
    expected = await responder.reply(case.question, case.elsewhere, context)
    assert expected.lang is case.elsewhere
    lines = [line for line in (case.before, case.question) if line is not None]
    stdout = io.StringIO()
    await Console(responder, io.StringIO("\n".join(lines) + "\n"), stdout).run()
    last = stdout.getvalue().split("you> ")[-2]
    assert last.strip() == render.plain(expected).strip()


@pytest.mark.parametrize("case", PARAMS)
async def test_ask_json_replies_in_the_askers_language(responder: Responder, case: Case) -> None:
    expected = await responder.reply(case.question, case.elsewhere)
    lines = [line for line in (case.before, case.question) if line is not None]
    reply = ask_json(lines)[-1]
    assert reply["lang"] == case.elsewhere.value
    assert reply["text"] == render.plain(expected)


async def test_vietnamese_answer_keeps_the_quote_and_says_the_rest_in_vietnamese(
    responder: Responder,
) -> None:
    reply = await responder.reply("qd 749 la gi")
    assert reply.kind is Kind.ANSWER and reply.lang is Lang.VI
    intent = responder.intents[reply.intent_id or ""]
    text = render.plain(reply)
    assert text.startswith(intent.answer_vi)
    assert intent.answer not in text
    assert all(f.quote in text for f in intent.facts)  # quotes stay verbatim English
    for citation in reply.citations:
        line = render.source_line(citation, Lang.VI)
        assert line in text
        assert "date not printed" not in line and "as reported on" not in line


# /lang ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "chosen"),
    [
        pytest.param("/lang vi", Lang.VI, id="vi"),
        pytest.param("/lang tiếng Việt", Lang.VI, id="tieng-viet"),
        pytest.param("/lang en", Lang.EN, id="en"),
        pytest.param("/lang English", Lang.EN, id="english"),
    ],
)
async def test_lang_with_a_language_chooses_it_for_unclear_questions_and_commands(
    fake: FakeBotAPI, responder: Responder, command: str, chosen: Lang
) -> None:
    other = USER_EN if chosen is Lang.VI else USER_VI  # the app says the other language
    [confirm] = await exchange(fake, message(command, user=other))
    assert visible_text(confirm.params["text"]) == messages.text("lang_set", chosen)
    expected = await responder.reply("749?", chosen)
    sent = await exchange(fake, message("749?", user=other), count=len(render.html(expected)))
    assert expected.lang is chosen
    assert shown(sent) == "\n\n".join(visible_text(part) for part in render.html(expected))
    [helped] = await exchange(fake, message("/help", user=other))
    assert messages.text("help", chosen).split("\n")[0] in visible_text(helped.params["text"])
    # A question that says its language is still answered in it.
    english = await exchange(fake, message("What is Decision 749?", user=other), count=1)
    assert responder.intents["decision_749"].answer in shown(english)


@pytest.mark.parametrize(
    "command", [pytest.param("/lang", id="bare"), pytest.param("/lang fr", id="unknown")]
)
async def test_lang_alone_offers_both_languages_as_buttons(
    fake: FakeBotAPI, responder: Responder, command: str
) -> None:
    [pick] = await exchange(fake, message(command, user=USER_EN))
    assert visible_text(pick.params["text"]) == messages.text("lang_pick", Lang.EN)
    offered = {b["text"]: b["callback_data"] for b in buttons(pick)}
    assert set(offered) == {"English", "Tiếng Việt"}
    [ack] = await exchange(fake, tap(pick, offered["Tiếng Việt"]), "answerCallbackQuery")
    assert ack.params["text"] == messages.text("lang_set", Lang.VI)
    [edited] = await fake.wait("editMessageText")
    assert visible_text(edited.params["text"]) == messages.text("lang_set", Lang.VI)
    [helped] = await exchange(fake, message("/help", user=USER_EN))
    assert messages.text("commands", Lang.VI) in visible_text(helped.params["text"])


async def test_lang_is_remembered_across_a_restart(api: FakeBotAPI, tmp_path: Path) -> None:
    settings = settings_for(api, tmp_path)
    async with polling_bot(settings, quick_delivery()):
        await exchange(api, message("/lang vi", user=USER_EN))
    async with polling_bot(settings, quick_delivery()):
        [helped] = await exchange(api, message("/help", user=USER_EN))
    assert messages.text("commands", Lang.VI) in visible_text(helped.params["text"])


async def test_lang_choice_lives_in_the_state_database_under_the_keyed_hash(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.db"
    async with QuestionLog(path, HASH_KEY) as log:
        assert log.language(USER_EN["id"]) is None
        assert await log.choose_language(USER_EN["id"], Lang.VI)
        assert await log.choose_language(USER_EN["id"], Lang.EN)
        assert await log.choose_language(USER_VI["id"], Lang.VI)
    async with QuestionLog(path, HASH_KEY) as log:
        assert log.language(USER_EN["id"]) is Lang.EN
        assert log.language(USER_VI["id"]) is Lang.VI
        assert log.language(USER_UNSET["id"]) is None
    async with QuestionLog(path, "another-key-0123456789") as log:
        assert log.language(USER_EN["id"]) is None  # a new key identifies nobody from before
    async with QuestionLog(path, None) as log:  # without a key nobody can be identified
        assert not await log.choose_language(USER_EN["id"], Lang.VI)
        assert log.language(USER_EN["id"]) is None


@pytest.mark.parametrize(
    ("script", "chosen"),
    [
        pytest.param("/lang vi\n749?\n", Lang.VI, id="vi"),
        pytest.param("xin chào bạn\n/lang en\n749?\n", Lang.EN, id="en-after-vietnamese"),
        pytest.param("/lang xx\n749?\n", Lang.EN, id="unknown-changes-nothing"),
    ],
)
async def test_console_lang(responder: Responder, script: str, chosen: Lang) -> None:
    stdout = io.StringIO()
    await Console(responder, io.StringIO(script), stdout).run()
    last = stdout.getvalue().split("you> ")[-2]
    assert last.strip() == render.plain(await responder.reply("749?", chosen)).strip()
