"""The bot's update handlers: questions, buttons, inline queries, errors; the commands
(commands.py) and /search and /timeline (browsing.py) are registered from here too.

Each handler asks the responder, renders with `render.html` and sends the parts in
order; nothing here decides an answer. `Handlers(responder, questions, admins)` gets the
responder and the question log from whoever opened them (application.py or web.py).
Before any handler, `Guard` (guard.py) drops redelivered updates and floods.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    Message,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answering import messages
from bot.answering.responder import Responder
from bot.feedback.log import FeedbackLog
from bot.models import Kind, Lang, Reply
from bot.state import QuestionLog
from bot.telegram_bot import pages
from bot.telegram_bot.browsing import Browsing
from bot.telegram_bot.commands import Commands
from bot.telegram_bot.feedback import NOTES, Feedback, Press
from bot.telegram_bot.followups import Followups
from bot.telegram_bot.guard import AdminChat, Guard, Verdict, addressed
from bot.telegram_bot.inline import InlineAnswers
from bot.telegram_bot.keyboards import Action, Buttons, Keyboard, examples
from bot.telegram_bot.languages import Languages
from bot.telegram_bot.sending import markup, say, send, without_mention

Context = ContextTypes.DEFAULT_TYPE
App = Application[
    ExtBot[int], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]

log = logging.getLogger(__name__)


class Handlers:
    """Every update handler of the bot, answering from one responder.

    Questions and their outcomes go to `questions` when given, and so do the languages
    users choose with /lang; 👍/👎, notes and "which of these?" taps go to `feedback`
    (feedback.py); `admins` may read both logs' report with /stats and are not
    flood-limited.
    """

    def __init__(
        self,
        responder: Responder,
        questions: QuestionLog | None = None,
        admins: frozenset[int] = frozenset(),
        guard: Guard | None = None,
        followups: Followups | None = None,
        *,
        feedback: FeedbackLog | None = None,
    ) -> None:
        self.responder = responder
        self.followups = followups if followups is not None else Followups()
        self.buttons = Buttons(responder)
        self.questions = questions
        self.admins = admins
        self.guard = guard if guard is not None else Guard(admins)
        self.languages = Languages(questions)
        self.browsing = Browsing(responder, self.buttons, self.lang_of)
        self.inline = InlineAnswers(responder, self.languages)
        self.feedback = Feedback(feedback, [i.id for i in responder.knowledge.intents])
        self.commands = Commands(
            responder,
            self.buttons,
            self.languages,
            self.lang_of,
            questions=questions,
            feedback=self.feedback,
        )

    def register(self, application: App) -> None:
        messages_only = filters.UpdateType.MESSAGES
        # For anyone else, and anywhere but an admin's own private chat (the report quotes
        # other people's questions), /stats falls through to the unknown-command handler.
        application.add_handler(TypeHandler(Update, self.screen), group=-1)
        if self.questions is not None:
            for_admins = AdminChat(self.admins)
            application.add_handler(
                CommandHandler("stats", self.commands.stats, filters=for_admins)
            )
        application.add_handlers(
            [
                *self.commands.handlers(),
                *self.browsing.handlers(),  # its buttons and inline queries before the others'
                # An unknown command in a private chat gets the help; in groups it may be
                # meant for another bot.
                MessageHandler(
                    messages_only & filters.COMMAND & filters.ChatType.PRIVATE,
                    self.commands.help,
                ),
                MessageHandler(messages_only & ~filters.COMMAND & NOTES, self.on_note),
                MessageHandler(messages_only & ~filters.COMMAND, self.on_message),
                CallbackQueryHandler(self.on_tap),
                InlineQueryHandler(self.inline.on_inline),
            ]
        )
        application.add_error_handler(self.on_error)

    async def screen(self, update: Update, context: Context) -> None:
        """Group -1, before every handler: stop floods here (redelivered updates never
        get this far: the intake drops them)."""
        verdict = self.guard.admit(update, context.bot.bot)
        if verdict is Verdict.PASS:
            return
        if verdict is Verdict.NOTICE:
            log.warning("update %s: a user went over the flood limit", update.update_id)
            lang = self.lang_of(update)
            try:  # whatever happens to the notice, the update stops here
                if update.callback_query is not None:  # a button: the notice as its pop-up
                    await update.callback_query.answer(messages.text("flood", lang))
                else:
                    await say(update, pages.text("flood", lang))
            except TelegramError as exc:
                log.warning("could not send the flood notice: %s", exc)
        raise ApplicationHandlerStop

    def lang_of(self, update: Update) -> Lang:
        """The language of fixed texts for whoever sent `update` (see languages.py)."""
        chat = update.effective_chat
        return self.languages.of(update.effective_user, chat.id if chat else None)

    # Questions ----------------------------------------------------------------

    async def on_message(self, update: Update, context: Context) -> None:
        """Answer text; ask for text otherwise. In groups only when addressed."""
        message = update.effective_message
        if message is None or not addressed(message, context.bot.bot):
            return
        hint = self.languages.hint(message.from_user, message.chat.id)
        if message.text is None:
            await say(update, pages.text("non_text", hint or Lang.EN))
            return
        question = without_mention(message.text, context.bot.username)
        previous = await self.followups.context(message.chat, message.from_user)
        reply = await self.responder.reply(question, hint, previous)
        self.languages.spoke(message.from_user, message.chat.id, reply.lang)
        try:
            private = message.chat.type == ChatType.PRIVATE
            await self.send(message, reply, not private, message.from_user)
        finally:  # after the reply, so that the log never delays it; even if sending failed
            await self.record(reply, message.from_user)
        # Only once the reply is out: an update replayed after a crash before then is read
        # with the context it first had, and gets the same reply.
        await self.followups.answered(message.chat, message.from_user, reply, previous)

    async def record(self, reply: Reply, user: User | None) -> None:
        """Log the question; a failure is a warning, never the user's problem."""
        if self.questions is None:
            return
        try:
            await self.questions.record(reply, user.id if user else None)
        except Exception as exc:  # disk full, locked, closed: whatever it is, answer anyway
            log.warning("could not log a question: %r", exc)

    async def record_none(self, user_id: int, lang: Lang) -> None:
        """Log a "None of these"; a failure is a warning, as for questions."""
        if self.questions is None:
            return
        try:
            await self.questions.record_none(user_id, lang)
        except Exception as exc:  # disk full, locked, closed: the user was answered anyway
            log.warning("could not log a 'None of these': %r", exc)

    async def on_note(self, update: Update, context: Context) -> None:
        """A reply to "what were you looking for?" (feedback.py); else a question."""
        if not await self.feedback.note(update):
            await self.on_message(update, context)

    async def send(self, target: Message, reply: Reply, quote: bool, user: User | None) -> None:
        """Send `reply` with its buttons; one that takes feedback is then kept for it."""
        token = self.feedback.token(reply)
        await send(target, reply, self.keyboard(reply, token), quote)
        if token is not None:
            await self.feedback.offered(token, reply, user.id if user else None)

    def keyboard(self, reply: Reply, token: str | None = None) -> Keyboard:
        if reply.kind is Kind.ANSWER:
            related = self.buttons.answers(reply.related, reply.lang)
            return (*related, *self.feedback.votes(token, reply.lang)) if token else related
        if reply.kind is Kind.CLARIFY:
            if token is not None:
                return self.feedback.clarify(token, reply.suggestions, reply.lang)
            return self.buttons.clarify(reply.suggestions, reply.lang)
        return ()

    async def on_tap(self, update: Update, context: Context) -> None:
        """A button press: always acknowledged, even when the button is out of date."""
        query = update.callback_query
        if query is None:
            return
        tapped = self.feedback.decode(query.data or "")
        if tapped is not None and tapped.action in (Press.UP, Press.DOWN):
            await self.feedback.on_vote(query, tapped)
            return
        # An option of "which of these?" names its reply: logged, then answered as usual.
        asked = await self.feedback.chose(tapped) if tapped is not None else None
        tap = self.buttons.decode(query.data or "") if tapped is None else tapped.plain()
        if tap is None:
            await query.answer(messages.text("stale_button", self.lang_of(update)))
            return
        if tap.action is Action.LANG:  # the pop-up confirms even where the message is too old
            await self.commands.choose(query.from_user.id, tap.lang)
            await query.answer(messages.text("lang_set", tap.lang))
            if isinstance(query.message, Message):
                await query.edit_message_text(pages.text("lang_set", tap.lang))
            return
        await query.answer()
        message = query.message
        if not isinstance(message, Message):
            return  # too old for Telegram to let us touch it
        lang = tap.lang
        if tap.action is Action.ANSWER:
            intent = self.responder.intents[tap.key]
            label = self.responder.suggestion(intent, lang).label
            await self.followups.chosen(message.chat, query.from_user, tap.key)
            reply = self.responder.answer(tap.key, asked or label, lang)
            await self.send(message, reply, False, query.from_user)
        elif tap.action is Action.EXAMPLE:
            reply = await self.responder.reply(examples(lang)[int(tap.key)], lang)
            await self.send(message, reply, False, query.from_user)
        elif tap.action is Action.NONE:
            await self.followups.dropped(message.chat, query.from_user)
            await message.reply_text(messages.text("none_reply", lang), do_quote=False)
            await self.record_none(query.from_user.id, lang)
        elif tap.action is Action.TOPIC:
            body = pages.topic(self.buttons.topic_name(tap.key, lang), lang)
            keyboard = markup(self.buttons.topic(tap.key, lang))
            await query.edit_message_text(body, reply_markup=keyboard)
        else:
            keyboard = markup(self.buttons.topics(lang))
            await query.edit_message_text(pages.topics(lang), reply_markup=keyboard)

    async def on_error(self, update: object, context: Context) -> None:
        """Log first (the update id, not the update: it holds people's messages), then apologise."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed", update_id, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        apology = pages.text("error", self.lang_of(update))
        try:
            await context.bot.send_message(update.effective_chat.id, apology)
        except TelegramError as exc:
            log.warning("could not apologise for update %s: %s", update_id, exc)
