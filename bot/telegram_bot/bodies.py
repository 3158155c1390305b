"""What the webhook takes in: a request's body as an `Update`, or why it is refused.

Telegram posts `application/json`, a few kilobytes, one update: an object whose
`update_id` is a whole number. Anything else is not Telegram's doing (or is a bug on
its side), so it gets a 4xx, never a 500, and is never handed to the handlers:

    415  the Content-Type is not application/json
    413  the body is over MAX_BODY bytes (by Content-Length or as it streams in)
    400  anything else: a malformed Content-Length, not UTF-8, not JSON (NaN and
         Infinity included), nested deeper than MAX_DEPTH, not an object, an
         `update_id` that is not a whole number from 0 to 2^63 - 1 (bools, floats and
         strings are not), not exactly one of the kinds of update the bot subscribes
         to, a field the handlers read missing or of another type than the Bot API
         gives it (`UPDATES` below), or any error from PTB's `Update.de_json`, which
         checks no types itself.

The secret token is checked before any of this (web.py), so only Telegram's own
requests ever get this far.
"""

from __future__ import annotations

import json
from typing import Any, TypeAlias

from starlette.requests import ClientDisconnect, Request
from telegram import Bot, Update

MAX_BODY = 1 << 20  # bytes; Telegram's updates are a few kilobytes
MAX_DEPTH = 32  # Telegram's updates nest about 6 levels deep
MAX_INT = (1 << 63) - 1  # any integer: the signed 64-bit integers of SQLite

# The kinds of update the bot subscribes to (application.ALLOWED_UPDATES), as far as
# the handlers read them: each field's JSON type, or the shape of the object or list of
# objects it holds, and whether the Bot API always sends it. Other fields pass unread.
Spec: TypeAlias = "type | Shape | list[Spec]"
Shape: TypeAlias = dict[str, tuple[Spec, bool]]
_USER: Shape = {
    "id": (int, True),
    "is_bot": (bool, True),
    "first_name": (str, True),
    "username": (str, False),
    "language_code": (str, False),
}
_CHAT: Shape = {"id": (int, True), "type": (str, True)}
_ENTITY: Shape = {"type": (str, True), "offset": (int, True), "length": (int, True)}
_REPLIED: Shape = {
    "message_id": (int, True),
    "date": (int, True),
    "chat": (_CHAT, True),
    "from": (_USER, False),
    "text": (str, False),
    "caption": (str, False),
    "entities": ([{**_ENTITY, "user": (_USER, False)}], False),
    "caption_entities": ([{**_ENTITY, "user": (_USER, False)}], False),
}
_MESSAGE: Shape = {**_REPLIED, "reply_to_message": (_REPLIED, False)}
UPDATES: dict[str, Spec] = {
    "message": _MESSAGE,
    "edited_message": _MESSAGE,
    "callback_query": {
        "id": (str, True),
        "from": (_USER, True),
        "data": (str, False),
        "message": (_MESSAGE, False),
    },
    "inline_query": {"id": (str, True), "from": (_USER, True), "query": (str, True)},
}
_TYPE_NAMES = {int: "an integer", str: "a string", bool: "true or false"}


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
    update_id = data.get("update_id")
    if type(update_id) is not int or not 0 <= update_id <= MAX_INT:
        raise Refusal(400, "update_id is not a whole number from 0 to 2^63 - 1")
    kinds = [kind for kind in UPDATES if kind in data]
    if len(kinds) != 1:
        raise Refusal(400, f"not exactly one of {', '.join(UPDATES)}")
    if problem := _mismatch(data[kinds[0]], UPDATES[kinds[0]], kinds[0]):
        raise Refusal(400, problem)
    try:
        return Update.de_json(data, bot)
    except Exception as exc:  # PTB checks no types: whatever it trips on, it is not an update
        raise Refusal(400, f"not an update ({type(exc).__name__})") from None


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


def _fits(value: object, kind: type) -> bool:
    """`value` is of JSON type `kind` exactly: True is no integer here, nor 1.0, nor "1"."""
    if kind is int:
        return type(value) is int and -MAX_INT - 1 <= value <= MAX_INT
    return type(value) is kind


def _mismatch(value: object, spec: Spec, path: str) -> str | None:
    """Where `value` departs from `spec`, as `path.to.field` and what is wrong; or None."""
    if isinstance(spec, type):
        return None if _fits(value, spec) else f"{path} is not {_TYPE_NAMES[spec]}"
    if isinstance(spec, list):
        if not isinstance(value, list):
            return f"{path} is not a list"
        found = (_mismatch(item, spec[0], f"{path}[{n}]") for n, item in enumerate(value))
    elif isinstance(value, dict):
        found = (_field(value, name, *field, path) for name, field in spec.items())
    else:
        return f"{path} is not an object"
    return next((problem for problem in found if problem), None)


def _field(obj: dict[str, Any], name: str, spec: Spec, required: bool, path: str) -> str | None:
    if name not in obj:
        return f"{path}.{name} is missing" if required else None
    return _mismatch(obj[name], spec, f"{path}.{name}")


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
