"""How the handlers' texts go out: in the user's language, with buttons, in parts.

Shared by every handler in handlers.py; nothing here chooses what to say.
"""

from __future__ import annotations

import re
from functools import lru_cache

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatType

from bot.answering import render
from bot.models import Reply
from bot.telegram_bot.keyboards import Keyboard


@lru_cache(maxsize=1024)  # the same few keyboards go out again and again; PTB's are immutable
def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )


async def say(update: Update, text: str, keyboard: Keyboard = ()) -> None:
    """Send a fixed text in answer to a message, quoting it in groups."""
    message = update.effective_message
    if message is not None:
        quote = message.chat.type != ChatType.PRIVATE
        await message.reply_text(text, reply_markup=markup(keyboard), do_quote=quote)


async def send(target: Message, reply: Reply, keyboard: Keyboard, quote: bool) -> None:
    """The reply's parts in order, replying to `target`; buttons go on the last part."""
    chunks = render.html(reply)
    buttons = markup(keyboard)
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1
        await target.reply_text(
            chunk, reply_markup=buttons if last else None, do_quote=quote and n == 0
        )


def inline_article(reply: Reply, key: str, title: str) -> InlineQueryResultArticle | None:
    """The answer as an inline query result, or None when it needs more than one message."""
    chunks = render.html(reply)
    if len(chunks) > 1:
        return None
    return InlineQueryResultArticle(
        id=key,
        title=title,
        description=reply.answer,
        input_message_content=InputTextMessageContent(chunks[0]),
    )


def without_mention(text: str, username: str) -> str:
    """The question without the bot's @username, as it is written in groups."""
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()
