"""What the webhook takes in: a request's body as an `Update`, or why it is refused.

Telegram posts `application/json`, a few kilobytes, one update: an object whose
`update_id` is a whole number. Anything else is not Telegram's doing (or is a bug on
its side), so it gets a 4xx, never a 500, and is never handed to the handlers:

    415  the Content-Type is not application/json
    413  the body is over MAX_BODY bytes (by Content-Length or as it streams in)
    400  anything else: a malformed Content-Length, not UTF-8, not JSON (NaN and
         Infinity included), nested deeper than MAX_DEPTH, not an object, an
         `update_id` that is not a whole number from 0 to 2^63 - 1 (bools, floats and
         strings are not), chat or user ids that are not whole numbers, or any error
         from PTB's `Update.de_json`, which does not check types itself.

The secret token is checked before any of this (web.py), so only Telegram's own
requests ever get this far.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import ClientDisconnect, Request
from telegram import Bot, Update

MAX_BODY = 1 << 20  # bytes; Telegram's updates are a few kilobytes
MAX_DEPTH = 32  # Telegram's updates nest about 6 levels deep
MAX_UPDATE_ID = (1 << 63) - 1  # fits the signed 64-bit integers of SQLite


class Refusal(Exception):
    """A request the webhook answers with `status`; `reason` is the log line's end."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def update_from(request: Request, bot: Bot) -> Update:
    """The update `request` carries for `bot`; raises `Refusal` for anything else."""
    media_type = request.headers.get("content-type", "").partition(";")[0]
    if media_type.strip().lower() != "application/json":
        raise Refusal(415, "the Content-Type is not application/json")
    return parse(await _body(request), bot)


def parse(body: bytes, bot: Bot) -> Update:
    """The update in `body`; raises `Refusal` (400) when it is not a valid one."""
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except RecursionError:
        raise Refusal(400, "the JSON is nested too deep") from None
    except ValueError:  # UnicodeDecodeError and JSONDecodeError included
        raise Refusal(400, "the body is not UTF-8 JSON") from None
    if _deeper_than(data, MAX_DEPTH):
        raise Refusal(400, f"the JSON is nested deeper than {MAX_DEPTH}")
    if not isinstance(data, dict):
        raise Refusal(400, "the JSON is not an object")
    if not _whole(data.get("update_id"), 0, MAX_UPDATE_ID):
        raise Refusal(400, "update_id is not a whole number from 0 to 2^63 - 1")
    try:
        update = Update.de_json(data, bot)
    except Exception as exc:  # PTB checks no types: whatever it trips on, it is not an update
        raise Refusal(400, f"not an update ({type(exc).__name__})") from None
    chat, user = update.effective_chat, update.effective_user
    # The guard and the per-chat order key on these, and admin rights depend on them.
    if (chat and not _whole(chat.id)) or (user and not _whole(user.id)):
        raise Refusal(400, "a chat or user id is not a whole number")
    return update


async def _body(request: Request) -> bytes:
    length = request.headers.get("content-length")
    if length is not None and not (length.isascii() and length.isdigit()):
        raise Refusal(400, "the Content-Length is malformed")
    if length is not None and int(length) > MAX_BODY:
        raise Refusal(413, f"the body is over {MAX_BODY} bytes")
    body = bytearray()
    try:
        async for part in request.stream():
            body += part
            if len(body) > MAX_BODY:  # sent chunked, or longer than it said
                raise Refusal(413, f"the body is over {MAX_BODY} bytes")
    except ClientDisconnect:
        raise Refusal(400, "the client went away before the body was in") from None
    return bytes(body)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _whole(value: object, low: int = -MAX_UPDATE_ID - 1, high: int = MAX_UPDATE_ID) -> bool:
    """An int (not a bool, float or string) from `low` to `high`."""
    return type(value) is int and low <= value <= high


def _deeper_than(value: object, limit: int) -> bool:
    """Whether `value` nests more than `limit` lists and objects (without recursing)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = list(item.values()) if isinstance(item, dict) else item
        if isinstance(children, list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in children)
    return False
