"""The bot's commands: /start, /help, /topics, /sources, /about, /lang and /stats.

Each builds its screen with `pages` in the user's language (languages.py) and sends
it; /stats is registered by `Handlers.register` for admins in their own chat only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot.answering.responder import Responder
from bot.models import Kind, Lang
from bot.state import QuestionLog
from bot.telegram_bot import pages
from bot.telegram_bot.feedback import Feedback
from bot.telegram_bot.keyboards import Buttons
from bot.telegram_bot.languages import Languages
from bot.telegram_bot.sending import say

Context = ContextTypes.DEFAULT_TYPE

log = logging.getLogger(__name__)


class Commands:
    """The command handlers, over the responder's knowledge and the logs."""

    def __init__(
        self,
        responder: Responder,
        buttons: Buttons,
        languages: Languages,
        lang_of: Callable[[Update], Lang],
        *,
        questions: QuestionLog | None,
        feedback: Feedback,
    ) -> None:
        self.responder = responder
        self.buttons = buttons
        self.languages = languages
        self.lang_of = lang_of
        self.questions = questions
        self.feedback = feedback
        self.count = len(responder.knowledge.articles)

    def handlers(self) -> list[BaseHandler[Update, Context, None]]:
        """Every command but /stats, which only admins get."""
        return [
            CommandHandler("start", self.start),
            CommandHandler("help", self.help),
            CommandHandler("topics", self.topics),
            CommandHandler("sources", self.sources),
            CommandHandler("about", self.about),
            CommandHandler("lang", self.lang),
        ]

    async def start(self, update: Update, context: Context) -> None:
        lang = self.lang_of(update)
        await say(update, pages.start(lang, self.count), self.buttons.examples(lang))

    async def help(self, update: Update, context: Context) -> None:
        await say(update, pages.help(self.lang_of(update)))

    async def topics(self, update: Update, context: Context) -> None:
        lang = self.lang_of(update)
        await say(update, pages.topics(lang), self.buttons.topics(lang))

    async def sources(self, update: Update, context: Context) -> None:
        articles = list(self.responder.knowledge.articles.values())
        for part in pages.sources(articles, self.lang_of(update)):
            await say(update, part)

    async def about(self, update: Update, context: Context) -> None:
        await say(update, pages.about(self.lang_of(update), self.count))

    async def lang(self, update: Update, context: Context) -> None:
        """/lang vi, /lang en: choose at once; /lang alone offers both as buttons."""
        user = update.effective_user
        chosen = pages.language_named(" ".join(context.args or ()))
        if chosen is None or user is None:
            pick = pages.text("lang_pick", self.lang_of(update))
            await say(update, pick, self.buttons.languages())
            return
        await self.choose(user.id, chosen)
        await say(update, pages.text("lang_set", chosen))

    async def choose(self, user_id: int, lang: Lang) -> None:
        """Remember a /lang choice; failing to store it is a warning, the choice holds anyway."""
        try:
            await self.languages.choose(user_id, lang)
        except Exception as exc:  # disk full, locked, closed: the user still gets their language
            log.warning("could not store a chosen language: %r", exc)

    async def stats(self, update: Update, context: Context) -> None:
        """/stats, for admins in their own chat (see `register`): the question log's report."""
        if self.questions is None:  # not registered without a log
            return
        lang = self.lang_of(update)
        report = (await self.questions.report()).text(lang)
        unanswered = await self.questions.texts(Kind.FALLBACK)
        report += await self.feedback.report(unanswered, lang)
        for part in pages.stats(report):
            await say(update, part)
