"""What the real Bot API accepts: the limits and HTML rules the fake enforces.

Telegram answers 400 Bad Request for any of these; PTB checks none of them locally.
"""

from __future__ import annotations

import html
import re

TEXT_LIMIT = 4096
CALLBACK_LIMIT = 64
ROW_LIMIT = 8
BUTTON_LIMIT = 100
ALLOWED_TAGS = frozenset(
    "b strong i em u ins s strike del a code pre blockquote tg-spoiler span tg-emoji".split()
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
START_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class Rejected(Exception):
    """What the real Bot API would answer with 400 Bad Request."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_text(source: str) -> str:
    """The text Telegram shows for an HTML-formatted message; Rejected if it can't parse it."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(source):
        char = source[pos]
        if char == "<":
            tag = _TAG.match(source, pos)
            if tag is None:
                raise Rejected(f"can't parse entities: unexpected '<' at offset {pos}")
            closing, name = tag.group(1), tag.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise Rejected(f'can\'t parse entities: unsupported tag "{name}"')
            if not closing:
                stack.append(name)
            elif not stack or stack.pop() != name:
                raise Rejected(f'can\'t parse entities: unmatched end tag "{name}"')
            pos = tag.end()
        elif char == "&":
            entity = _ENTITY.match(source, pos)
            if entity is None:
                raise Rejected(f"can't parse entities: bare '&' at offset {pos}")
            out.append(html.unescape(entity.group()))
            pos = entity.end()
        elif char == ">":
            raise Rejected(f"can't parse entities: bare '>' at offset {pos}")
        else:
            out.append(char)
            pos += 1
    if stack:
        raise Rejected(f'can\'t parse entities: unclosed tag "{stack[-1]}"')
    return "".join(out)


def check_text(text: object, parse_mode: object) -> str:
    """The visible text of a message body, checked as Telegram checks it."""
    if not isinstance(text, str):
        raise Rejected("message text is missing")
    shown = visible_text(text) if parse_mode == "HTML" else text
    if not shown.strip():
        raise Rejected("message text is empty")
    if utf16_len(shown) > TEXT_LIMIT:
        raise Rejected("message is too long")
    return shown


def check_markup(markup: object) -> None:
    if markup is None:
        return
    if isinstance(markup, dict) and markup.get("force_reply") is True:
        if len(str(markup.get("input_field_placeholder", ""))) > 64:
            raise Rejected("input field placeholder is too long")
        return
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        raise Rejected("reply markup is not an inline keyboard")
    rows = markup["inline_keyboard"]
    if sum(len(row) for row in rows) > BUTTON_LIMIT:
        raise Rejected("too many buttons")
    for row in rows:
        if not isinstance(row, list) or not 1 <= len(row) <= ROW_LIMIT:
            raise Rejected("a keyboard row must hold 1 to 8 buttons")
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise Rejected("a button needs a text")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_LIMIT:
                raise Rejected("BUTTON_DATA_INVALID")


def check_inline_results(results: object) -> None:
    if not isinstance(results, list) or len(results) > 50:
        raise Rejected("RESULTS_TOO_MUCH")
    ids = [r.get("id", "") for r in results]
    if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
        raise Rejected("RESULT_ID_INVALID")
    for result in results:
        if result.get("type") != "article" or not result.get("title"):
            raise Rejected("an article needs a type and a title")
        content = result.get("input_message_content") or {}
        check_text(content.get("message_text"), content.get("parse_mode"))
        check_markup(result.get("reply_markup"))


def check_commands(commands: object) -> None:
    if not isinstance(commands, list) or len(commands) > 100:
        raise Rejected("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not COMMAND.match(command.get("command", "")):
            raise Rejected("BOT_COMMAND_INVALID")
        if not 1 <= len(command.get("description", "")) <= 256:
            raise Rejected("BOT_COMMAND_DESCRIPTION_INVALID")
