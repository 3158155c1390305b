"""Updates as Telegram sends them, built as raw Bot-API JSON (not PTB objects)."""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from tests.bot_api_rules import utf16_len
from tests.fake_bot_api import Call, Json

USER_EN: Json = {"id": 1001, "is_bot": False, "first_name": "Ann", "language_code": "en"}
USER_VI: Json = {"id": 1002, "is_bot": False, "first_name": "Bình", "language_code": "vi"}
GROUP: Json = {"id": -1001234567890, "type": "supergroup", "title": "Policy watchers"}

_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")
_message_ids = itertools.count(1)
_update_ids = itertools.count(1)


def entities(text: str) -> list[Json]:
    """The bot_command and mention entities Telegram would attach, offsets in UTF-16."""
    found: list[Json] = []
    command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in _MENTION.finditer(text):
        offset = utf16_len(text[: mention.start()])
        found.append({"type": "mention", "offset": offset, "length": utf16_len(mention.group())})
    return found


def private(user: Json) -> Json:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


def message(
    text: str | None = None,
    *,
    user: Json = USER_EN,
    chat: Json | None = None,
    reply_to: Json | None = None,
    kind: str = "message",
    **extra: Any,
) -> Json:
    """An update carrying one message (or edited_message) from `user`."""
    body: Json = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat or private(user),
        "from": user,
        **extra,
    }
    if text is not None:
        body["text"] = text
        if found := entities(text):
            body["entities"] = found
    if reply_to is not None:
        body["reply_to_message"] = reply_to
    if kind == "edited_message":
        body["edit_date"] = int(time.time())
    return {kind: body}


def numbered(update: Json) -> Json:
    """`update` with an update_id, as Telegram posts it to a webhook."""
    return {"update_id": next(_update_ids), **update}


def sticker(user: Json = USER_EN, chat: Json | None = None) -> Json:
    return message(
        user=user,
        chat=chat,
        sticker={
            "file_id": "CAACAgIAAxkBAAI",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
    )


def tap(sent: Call, data: str, user: Json = USER_EN) -> Json:
    """A callback_query update: `user` pressed the button with `data` under message `sent`."""
    return {
        "callback_query": {
            "id": f"cq{next(_message_ids)}",
            "from": user,
            "message": sent.result,
            "chat_instance": "-4242",
            "data": data,
        }
    }


def inline_query(query: str, user: Json = USER_EN) -> Json:
    return {
        "inline_query": {
            "id": f"iq{next(_message_ids)}",
            "from": user,
            "query": query,
            "offset": "",
        }
    }


def buttons(call: Call) -> list[Json]:
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return [b for row in markup["inline_keyboard"] for b in row]
