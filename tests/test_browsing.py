"""/search, /timeline and inline "?" queries in Telegram: the real PTB application
polling the fake Bot API, commands, ◀ ▶ taps editing the message, numbered taps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answering.responder import Responder
from bot.telegram_bot.keyboards import CALLBACK_LIMIT
from tests.bot_api_rules import utf16_len, visible_text
from tests.bots import exchange_one, polling_bot, quick_delivery, settings_for
from tests.fake_bot_api import Call, FakeBotAPI, Json, running_fake
from tests.updates import USER_EN, USER_VI, buttons, inline_query, message, tap

SOURCE = {"en": "Source:", "vi": "Nguồn:"}
PAGE_ONE = {"en": "(page 1)", "vi": "(trang 1)"}


def shown(call: Call) -> str:
    return visible_text(call.params["text"])


def within_limits(call: Call) -> None:
    assert utf16_len(shown(call)) <= 4096
    data = [b["callback_data"] for b in buttons(call)]
    assert len(data) <= 100
    assert all(len(d.encode()) <= CALLBACK_LIMIT for d in data)


@pytest.mark.parametrize(
    ("user", "words", "head"),
    [
        (USER_EN, "e-government", "Sentences with “e government”"),
        (USER_VI, "chính phủ điện tử", "Các câu có “chinh phu dien tu”"),
    ],
    ids=["english", "vietnamese"],
)
async def test_search_pages_with_arrows_that_edit_the_message(
    fake: FakeBotAPI, user: Json, words: str, head: str
) -> None:
    lang = user["language_code"]
    first = await exchange_one(fake, message(f"/search {words}", user=user))
    within_limits(first)
    assert first.params["parse_mode"] == "HTML"
    assert shown(first).startswith(head)
    assert PAGE_ONE[lang] in shown(first)
    assert "<b>e-government</b>" in first.params["text"].lower()
    assert shown(first).count(SOURCE[lang]) == 5
    [forward] = buttons(first)
    assert forward["text"] == "▶"
    second = await exchange_one(fake, tap(first, forward["callback_data"], user), "editMessageText")
    within_limits(second)
    assert second.params["message_id"] == first.result["message_id"]
    assert "6. " in shown(second) and "1. " not in shown(second)
    back, *_ = buttons(second)
    assert back["text"] == "◀"
    again = await exchange_one(fake, tap(second, back["callback_data"], user), "editMessageText")
    assert shown(again) == shown(first)


@pytest.mark.parametrize(
    ("user", "expected"),
    [(USER_EN, "Put the words to look for"), (USER_VI, "Hãy gõ các từ cần tìm")],
    ids=["english", "vietnamese"],
)
async def test_search_without_words_gets_a_hint(
    fake: FakeBotAPI, user: Json, expected: str
) -> None:
    sent = await exchange_one(fake, message("/search", user=user))
    assert expected in shown(sent)
    assert not buttons(sent)


async def test_nothing_found_offers_the_topics(fake: FakeBotAPI, responder: Responder) -> None:
    sent = await exchange_one(fake, message("/search xyzzy plugh"))
    assert "No sentence of the articles holds “xyzzy plugh”" in shown(sent)
    topics = [b["text"] for b in buttons(sent)]
    assert topics == [t.en for t in responder.knowledge.topics]
    pressed = tap(sent, buttons(sent)[0]["callback_data"])
    opened = await exchange_one(fake, pressed, "editMessageText")
    assert responder.knowledge.topics[0].en in shown(opened)


@pytest.mark.parametrize("user", [USER_EN, USER_VI], ids=["english", "vietnamese"])
async def test_timeline_lists_events_a_tap_from_their_quote(
    fake: FakeBotAPI, responder: Responder, user: Json
) -> None:
    lang = user["language_code"]
    first = await exchange_one(fake, message("/timeline", user=user))
    within_limits(first)
    *lines, _, tap_hint = shown(first).split("\n")[1:]
    assert len(lines) == 10 and lines[0].startswith("1. ")
    assert (
        tap_hint
        == {
            "en": "Tap a number for its quote and source.",
            "vi": "Bấm một số để xem trích dẫn và nguồn.",
        }[lang]
    )
    *numbers, arrows = buttons(first)
    assert [b["text"] for b in numbers] == [str(n) for n in range(1, 11)]
    assert arrows["text"] == "▶"
    card = await exchange_one(fake, tap(first, numbers[4]["callback_data"], user))
    event = responder.knowledge.timeline[4]
    assert event.quote in shown(card)
    assert SOURCE[lang] in shown(card)
    second = await exchange_one(fake, tap(first, arrows["callback_data"], user), "editMessageText")
    assert shown(second).split("\n")[1].startswith("11. ")
    assert [b["text"] for b in buttons(second)][-2:] == ["◀", "▶"]


@pytest.mark.parametrize(
    ("words", "check"),
    [
        ("2025", lambda line: line.split(" · ")[0].endswith("2025")),
        ("egov", lambda line: " · " in line),
    ],
    ids=["year", "topic"],
)
async def test_timeline_filters(fake: FakeBotAPI, words: str, check: Callable[[str], bool]) -> None:
    sent = await exchange_one(fake, message(f"/timeline {words}"))
    lines = shown(sent).split("\n")[1:-2]
    assert lines and all(check(line) for line in lines)
    assert "page 1 of 1" in shown(sent)


@pytest.mark.parametrize(
    ("user", "expected"),
    [(USER_EN, "state no dated event for “blah”"), (USER_VI, "không nêu sự kiện nào")],
    ids=["english", "vietnamese"],
)
async def test_timeline_with_nothing_to_show_says_what_to_try(
    fake: FakeBotAPI, user: Json, expected: str
) -> None:
    sent = await exchange_one(fake, message("/timeline blah", user=user))
    assert expected in shown(sent) and "egov" in shown(sent)


async def test_a_stale_event_button_is_answered_not_crashed(fake: FakeBotAPI) -> None:
    first = await exchange_one(fake, message("/timeline"))
    since = len(fake.calls)
    await fake.feed(tap(first, "?een:99999"))
    [answer] = await fake.wait("answerCallbackQuery", 1, since)
    assert "out of date" in answer.params["text"]


@pytest.mark.parametrize(
    ("user", "query", "label"),
    [(USER_EN, "?nuclear power", "Source:"), (USER_VI, "?điện hạt nhân", "Nguồn:")],
    ids=["english", "vietnamese"],
)
async def test_inline_question_mark_gives_search_hits(
    fake: FakeBotAPI, user: Json, query: str, label: str
) -> None:
    answer = await exchange_one(fake, inline_query(query, user), "answerInlineQuery")
    results = answer.params["results"]
    assert results and "button" not in answer.params
    for result in results:
        content = result["input_message_content"]["message_text"]
        assert label in visible_text(content)
        assert "<b>" in content


async def test_inline_question_mark_alone_offers_to_ask(fake: FakeBotAPI) -> None:
    answer = await exchange_one(fake, inline_query("?"), "answerInlineQuery")
    assert answer.params["results"] == []
    assert answer.params["button"]["start_parameter"] == "inline"


async def test_a_second_tap_on_the_same_arrow_leaves_the_page_as_it_is(tmp_path: Path) -> None:
    # Not strict: the second edit is refused, as Telegram refuses an edit that changes nothing.
    async with (
        running_fake(strict=False) as fake,
        polling_bot(settings_for(fake, tmp_path), quick_delivery()),
    ):
        first = await exchange_one(fake, message("/search digital"))
        [forward] = buttons(first)
        await exchange_one(fake, tap(first, forward["callback_data"]), "editMessageText")
        since = len(fake.calls)
        await fake.feed(tap(first, forward["callback_data"]))  # the same button, tapped again
        await fake.wait("editMessageText", 1, since)
        await fake.feed(message("/search nuclear"))  # handled after the tap: the tap is done
        # Each chat's updates are handled in order: an apology for the tap would come first.
        [sent, *_] = await fake.wait("sendMessage", 1, since)
        assert "nuclear" in shown(sent)  # no apology: nothing went wrong
        assert [m for m, _ in fake.rejected] == ["editMessageText"]
        assert fake.rejected[0][1].startswith("message is not modified")
