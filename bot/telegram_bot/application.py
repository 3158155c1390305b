"""The Telegram front end: PTB handlers around the responder, and `policybot run`.

Every handler asks the responder, renders with `render.html` and sends the parts in
order; nothing here decides an answer. Handlers get the responder and the question log
through `Handlers(responder, questions, admins)`; the databases are opened in
`post_init` (polling) or around the server (webhook, see web.py) and closed when the bot
stops. Updates come in through `Intake` (intake.py), which stores each one before it is
acknowledged and drops redeliveries; before any handler, `Guard` (guard.py) drops
floods; every call out goes through `Delivery` (delivery.py), which paces and retries it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from functools import lru_cache
from pathlib import Path
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    Update,
    User,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.answering import messages, render
from bot.answering.responder import Responder
from bot.config import Settings
from bot.errors import ConfigError
from bot.inbox import Inbox
from bot.models import Kind, Lang, Reply
from bot.state import QuestionLog
from bot.telegram_bot import logs, pages
from bot.telegram_bot.delivery import Delivery
from bot.telegram_bot.guard import ChatOrder, Guard, Verdict, addressed
from bot.telegram_bot.intake import Intake
from bot.telegram_bot.keyboards import Action, Buttons, Keyboard, examples, short_key

Context = ContextTypes.DEFAULT_TYPE
App = Application[
    ExtBot[int], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]
Builder = ApplicationBuilder[
    ExtBot[int], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
]
MAX_INLINE_RESULTS = 5
INLINE_CACHE_SECONDS = 60
# Updates handled at once (from different chats; see ChatOrder); the rest wait. Each may
# sleep through its chat's pacing or a 429 meanwhile, holding one connection to the Bot
# API; more gains nothing while Telegram takes about 30 messages a second.
MAX_CONCURRENT_UPDATES = 32

log = logging.getLogger(__name__)

# How a front end opens the answering core over facts.db; bot.cli supplies it.
OpenResponder = Callable[[Path], AbstractAsyncContextManager[Responder]]


def lang_of(user: User | None) -> Lang:
    """Vietnamese for users whose Telegram is set to Vietnamese, else English."""
    code = (user.language_code or "") if user else ""
    return Lang.VI if code.lower().startswith("vi") else Lang.EN


@lru_cache(maxsize=1024)  # the same few keyboards go out again and again; PTB's are immutable
def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )


class Handlers:
    """Every update handler of the bot, answering from one responder.

    Questions and their outcomes go to `questions` when given; `admins` may read the
    log's report with /stats and are not flood-limited.
    """

    def __init__(
        self,
        responder: Responder,
        questions: QuestionLog | None = None,
        admins: frozenset[int] = frozenset(),
        guard: Guard | None = None,
    ) -> None:
        self.responder = responder
        self.buttons = Buttons(responder)
        self.questions = questions
        self.admins = admins
        self.guard = guard if guard is not None else Guard(admins)

    def register(self, application: App) -> None:
        messages_only = filters.UpdateType.MESSAGES
        # For anyone else, and in groups (the report quotes other people's questions),
        # /stats falls through to the unknown-command handler below.
        for_admins = filters.ChatType.PRIVATE & filters.User(user_id=self.admins)
        application.add_handler(TypeHandler(Update, self.screen), group=-1)
        if self.questions is not None:
            application.add_handler(CommandHandler("stats", self.stats, filters=for_admins))
        application.add_handlers(
            [
                CommandHandler("start", self.start),
                CommandHandler("help", self.help),
                CommandHandler("topics", self.topics),
                CommandHandler("sources", self.sources),
                CommandHandler("about", self.about),
                # An unknown command in a private chat gets the help; in groups it may be
                # meant for another bot.
                MessageHandler(
                    messages_only & filters.COMMAND & filters.ChatType.PRIVATE, self.help
                ),
                MessageHandler(messages_only & ~filters.COMMAND, self.on_message),
                CallbackQueryHandler(self.on_tap),
                InlineQueryHandler(self.on_inline),
            ]
        )
        application.add_error_handler(self.on_error)

    async def screen(self, update: Update, context: Context) -> None:
        """Group -1, before every handler: stop floods here."""
        verdict = self.guard.admit(update, context.bot.bot)
        if verdict is Verdict.PASS:
            return
        if verdict is Verdict.NOTICE:
            log.warning("update %s: a user went over the flood limit", update.update_id)
            lang = lang_of(update.effective_user)
            try:  # whatever happens to the notice, the update stops here
                if update.callback_query is not None:  # a button: the notice as its pop-up
                    await update.callback_query.answer(messages.text("flood", lang))
                else:
                    await _say(update, pages.text("flood", lang))
            except TelegramError as exc:
                log.warning("could not send the flood notice: %s", exc)
        raise ApplicationHandlerStop

    # Commands -----------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        lang = lang_of(update.effective_user)
        await _say(update, pages.start(lang), self.buttons.examples(lang))

    async def help(self, update: Update, context: Context) -> None:
        await _say(update, pages.help(lang_of(update.effective_user)))

    async def topics(self, update: Update, context: Context) -> None:
        lang = lang_of(update.effective_user)
        await _say(update, pages.topics(lang), self.buttons.topics(lang))

    async def sources(self, update: Update, context: Context) -> None:
        articles = self.responder.knowledge.articles.values()
        for part in pages.sources(articles, lang_of(update.effective_user)):
            await _say(update, part)

    async def about(self, update: Update, context: Context) -> None:
        await _say(update, pages.about(lang_of(update.effective_user)))

    async def stats(self, update: Update, context: Context) -> None:
        """/stats, for admins in private (see `register`): the question log's report."""
        if self.questions is None:  # not registered without a log
            return
        report = await self.questions.report()
        for part in pages.stats(report.text()):
            await _say(update, part)

    # Questions ----------------------------------------------------------------

    async def on_message(self, update: Update, context: Context) -> None:
        """Answer text; ask for text otherwise. In groups only when addressed."""
        message = update.effective_message
        if message is None or not addressed(message, context.bot.bot):
            return
        lang = lang_of(message.from_user)
        if message.text is None:
            await _say(update, pages.text("non_text", lang))
            return
        question = _without_mention(message.text, context.bot.username)
        reply = await self.responder.reply(question, lang)
        try:
            await self.send(message, reply, quote=message.chat.type != ChatType.PRIVATE)
        finally:  # after the reply, so that the log never delays it; even if sending failed
            await self.record(reply, message.from_user)

    async def record(self, reply: Reply, user: User | None) -> None:
        """Log the question; a failure is a warning, never the user's problem."""
        if self.questions is None:
            return
        try:
            await self.questions.record(reply, user.id if user else None)
        except Exception as exc:  # disk full, locked, closed: whatever it is, answer anyway
            log.warning("could not log a question: %r", exc)

    async def send(self, target: Message, reply: Reply, quote: bool) -> None:
        """The reply's parts in order, replying to `target`; buttons go on the last part."""
        chunks = render.html(reply)
        keyboard = markup(self.keyboard(reply))
        for n, chunk in enumerate(chunks):
            last = n == len(chunks) - 1
            await target.reply_text(
                chunk, reply_markup=keyboard if last else None, do_quote=quote and n == 0
            )

    def keyboard(self, reply: Reply) -> Keyboard:
        if reply.kind is Kind.ANSWER:
            return self.buttons.answers(reply.related, reply.lang)
        if reply.kind is Kind.CLARIFY:
            return self.buttons.answers(reply.suggestions, reply.lang)
        return ()

    async def on_tap(self, update: Update, context: Context) -> None:
        """A button press: always acknowledged, even when the button is out of date."""
        query = update.callback_query
        if query is None:
            return
        tap = self.buttons.decode(query.data or "")
        if tap is None:
            await query.answer(messages.text("stale_button", lang_of(query.from_user)))
            return
        await query.answer()
        message = query.message
        if not isinstance(message, Message):
            return  # too old for Telegram to let us touch it
        lang = tap.lang
        if tap.action is Action.ANSWER:
            intent = self.responder.intents[tap.key]
            label = self.responder.suggestion(intent, lang).label
            await self.send(message, self.responder.answer(tap.key, label, lang), quote=False)
        elif tap.action is Action.EXAMPLE:
            reply = await self.responder.reply(examples(lang)[int(tap.key)], lang)
            await self.send(message, reply, quote=False)
        elif tap.action is Action.TOPIC:
            body = pages.topic(self.buttons.topic_name(tap.key, lang), lang)
            keyboard = markup(self.buttons.topic(tap.key, lang))
            await query.edit_message_text(body, reply_markup=keyboard)
        else:
            keyboard = markup(self.buttons.topics(lang))
            await query.edit_message_text(pages.topics(lang), reply_markup=keyboard)

    async def on_inline(self, update: Update, context: Context) -> None:
        """`@bot question` in any chat: the answer, or the clarify candidates' answers."""
        query = update.inline_query
        if query is None:
            return
        lang = lang_of(query.from_user)
        reply = await self.responder.reply(query.query, lang)
        if reply.kind is Kind.ANSWER and reply.intent_id:
            ids = [reply.intent_id]
        else:
            ids = [s.intent_id for s in reply.suggestions]
        answers = [self.responder.answer(i, query.query, reply.lang) for i in ids]
        results = [r for r in map(self.inline_result, answers) if r][:MAX_INLINE_RESULTS]
        button = None
        if not results:
            text = messages.text("inline_none", lang)
            button = InlineQueryResultsButton(text=text, start_parameter="inline")
        await query.answer(
            results, cache_time=INLINE_CACHE_SECONDS, is_personal=True, button=button
        )

    def inline_result(self, reply: Reply) -> InlineQueryResultArticle | None:
        """The answer as one message, or None when it needs more than one."""
        chunks = render.html(reply)
        if len(chunks) > 1 or reply.intent_id is None:
            return None
        intent = self.responder.intents[reply.intent_id]
        return InlineQueryResultArticle(
            id=short_key(intent.id),
            title=self.responder.suggestion(intent, reply.lang).label,
            description=reply.answer,
            input_message_content=InputTextMessageContent(chunks[0]),
        )

    async def on_error(self, update: object, context: Context) -> None:
        """Log first (the update id, not the update: it holds people's messages), then apologise."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed", update_id, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        apology = pages.text("error", lang_of(update.effective_user))
        try:
            await context.bot.send_message(update.effective_chat.id, apology)
        except TelegramError as exc:
            log.warning("could not apologise for update %s: %s", update_id, exc)


async def _say(update: Update, text: str, keyboard: Keyboard = ()) -> None:
    """Send a fixed text in answer to a message, quoting it in groups."""
    message = update.effective_message
    if message is not None:
        quote = message.chat.type != ChatType.PRIVATE
        await message.reply_text(text, reply_markup=markup(keyboard), do_quote=quote)


def _without_mention(text: str, username: str) -> str:
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


async def set_commands(bot: Bot) -> None:
    """The command menu, in English and, for Vietnamese clients, in Vietnamese."""
    for lang, code in ((Lang.EN, None), (Lang.VI, "vi")):
        commands = [BotCommand(c, messages.text(f"cmd_{c}", lang)) for c in pages.COMMANDS]
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
    limits by default) for every call out, PTB's httpx client (through PROXY_URL when set),
    updates handled concurrently across chats, and `intake`, when given, as the update
    queue, told of every update handled."""
    if settings.token is None:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set; create a bot with @BotFather and set its token"
        )
    builder = (
        ApplicationBuilder()
        .token(settings.token.value)
        .base_url(bot_base_url(settings.api_url))
        .request(HTTPXRequest(connection_pool_size=MAX_CONCURRENT_UPDATES, proxy=settings.proxy))
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
        await resources.enter_async_context(intake.inbox)
        Handlers(responder, questions, settings.admin_ids).register(application)
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
