"""Building and running the bot: the PTB application around `Handlers`, and `policybot run`.

`application_builder` wires the token, the Bot API URL, PTB's httpx client (through
TELEGRAM_PROXY, HTTPS_PROXY or ALL_PROXY when set), `Delivery` (delivery.py, which paces
and retries every call out), `ChatOrder` (guard.py, one update at a time per chat) and
`Intake` (intake.py, which stores each update before it is acknowledged and drops
redeliveries). The databases are opened in `post_init` (polling) or around the server
(webhook, see web.py) and closed when the bot stops. The handlers are in handlers.py.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from pathlib import Path
from typing import Any

from telegram import Bot, BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults, ExtBot, JobQueue
from telegram.request import HTTPXRequest

from bot.answering.context import LIFETIME
from bot.answering.responder import Responder
from bot.config import Settings
from bot.conversations import ChatContexts
from bot.errors import ConfigError
from bot.feedback.log import FeedbackLog
from bot.inbox import Inbox
from bot.models import Lang
from bot.state import QuestionLog
from bot.telegram_bot import logs, pages
from bot.telegram_bot.delivery import BotAPIRequest, Delivery
from bot.telegram_bot.followups import Followups
from bot.telegram_bot.guard import ChatOrder
from bot.telegram_bot.handlers import App, Handlers
from bot.telegram_bot.intake import Intake

# The application's type and its handlers belong to this module's interface: the webhook
# server and the tests build the bot from them.
__all__ = [
    "ALLOWED_UPDATES",
    "MAX_CONCURRENT_UPDATES",
    "App",
    "Builder",
    "Followups",
    "Handlers",
    "OpenResponder",
    "application_builder",
    "bot_base_url",
    "chat_contexts",
    "feedback_log",
    "polling_application",
    "question_log",
    "run_polling",
    "set_commands",
]

Context = ContextTypes.DEFAULT_TYPE
Builder = ApplicationBuilder[
    ExtBot[int], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
]
# Updates handled at once (from different chats; see ChatOrder); the rest wait. Each may
# sleep through its chat's pacing or a 429 meanwhile, holding one connection to the Bot
# API; more gains nothing while Telegram takes about 30 messages a second.
MAX_CONCURRENT_UPDATES = 32

# How a front end opens the answering core over facts.db; bot.cli supplies it.
OpenResponder = Callable[[Path], AbstractAsyncContextManager[Responder]]


async def set_commands(bot: Bot) -> None:
    """The command menu, in English and, for Vietnamese clients, in Vietnamese."""
    for lang, code in ((Lang.EN, None), (Lang.VI, "vi")):
        commands = [BotCommand(c, text) for c, text in pages.command_descriptions(lang)]
        await bot.set_my_commands(commands, language_code=code)


def bot_base_url(api_url: str) -> str:
    """TELEGRAM_API_URL as PTB wants it: the token follows `…/bot` directly.

    Accepts both `https://api.telegram.org/bot` and a server root such as
    `http://localhost:8081`, the two ways Bot API servers are usually written down.
    """
    return api_url if api_url.endswith("/bot") else f"{api_url}/bot"


def application_builder(
    settings: Settings, delivery: Delivery | None = None, intake: Intake | None = None
) -> Builder:
    """A builder with the token, API URL, HTML as the parse mode, `delivery` (Telegram's
    limits by default) for every call out, PTB's httpx client (through TELEGRAM_PROXY when
    set, else HTTPS_PROXY or ALL_PROXY from the environment, as httpx reads them), updates
    handled concurrently across chats, and `intake`, when given, as the update queue, told
    of every update handled."""
    if settings.token is None:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set; create a bot with @BotFather and set its token"
        )
    builder = (
        ApplicationBuilder()
        .token(settings.token.value)
        .base_url(bot_base_url(settings.api_url))
        .request(BotAPIRequest(connection_pool_size=MAX_CONCURRENT_UPDATES, proxy=settings.proxy))
        .get_updates_request(HTTPXRequest(proxy=settings.proxy))
        .rate_limiter(delivery if delivery is not None else Delivery())
        .concurrent_updates(
            ChatOrder(MAX_CONCURRENT_UPDATES, intake.handled if intake is not None else None)
        )
        .defaults(Defaults(parse_mode=ParseMode.HTML))
    )
    return builder if intake is None else builder.update_queue(intake)


def question_log(settings: Settings) -> QuestionLog:
    """The question log of STATE_DB, not yet open: `async with` it."""
    key = settings.hash_key.value if settings.hash_key else None
    return QuestionLog(settings.state_db, key, settings.retention_days)


def chat_contexts(settings: Settings) -> ChatContexts:
    """The conversations' contexts in STATE_DB, not yet open: `async with` them."""
    key = settings.hash_key.value if settings.hash_key else None
    return ChatContexts(settings.state_db, key, LIFETIME)


def feedback_log(settings: Settings) -> FeedbackLog:
    """The feedback on replies in STATE_DB, not yet open: `async with` it."""
    key = settings.hash_key.value if settings.hash_key else None
    return FeedbackLog(settings.state_db, key, settings.retention_days)


def polling_application(
    settings: Settings, open_responder: OpenResponder, delivery: Delivery | None = None
) -> App:
    """The long-polling bot; its `post_init` opens facts.db, the question log and the
    inbox, and queues what the inbox holds unhandled; its `post_shutdown` closes them."""
    resources = AsyncExitStack()
    intake = Intake(Inbox(settings.state_db))

    async def start(application: App) -> None:
        responder = await resources.enter_async_context(open_responder(settings.facts_db))
        questions = await resources.enter_async_context(question_log(settings))
        contexts = await resources.enter_async_context(chat_contexts(settings))
        feedback = await resources.enter_async_context(feedback_log(settings))
        await resources.enter_async_context(intake.inbox)
        followups = Followups(contexts)
        Handlers(
            responder, questions, settings.admin_ids, followups=followups, feedback=feedback
        ).register(application)
        await set_commands(application.bot)
        await intake.replay(application.bot)  # before the updater fetches anything new

    async def stop(application: App) -> None:
        await resources.aclose()

    builder = application_builder(settings, delivery, intake)
    return builder.post_init(start).post_shutdown(stop).build()


def run_polling(settings: Settings, open_responder: OpenResponder) -> None:
    """`policybot run`: poll until SIGINT or SIGTERM, then finish the updates in hand."""
    logs.configure(settings)
    try:
        polling_application(settings, open_responder).run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken as exc:
        raise ConfigError("TELEGRAM_BOT_TOKEN was rejected by the Bot API; check it") from exc
    except NetworkError as exc:  # only raised while starting; later PTB retries itself
        raise ConfigError(
            f"cannot reach the Bot API at {settings.api_url} ({exc});"
            " check TELEGRAM_API_URL and the network"
        ) from exc
