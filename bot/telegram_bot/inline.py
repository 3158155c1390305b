"""Inline mode: `@bot question` in any chat offers cited answers to drop into it.

Queries starting with "?" are search hits instead (browsing.py registers those first).
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineQuery, InlineQueryResultArticle, InlineQueryResultsButton, Update
from telegram.ext import ContextTypes

from bot.answering import messages
from bot.answering.responder import Responder
from bot.models import Kind, Lang, Reply
from bot.telegram_bot.keyboards import short_key
from bot.telegram_bot.languages import Languages
from bot.telegram_bot.sending import inline_article

Context = ContextTypes.DEFAULT_TYPE

MAX_INLINE_RESULTS = 5
INLINE_CACHE_SECONDS = 60


async def offer(
    query: InlineQuery, results: Sequence[InlineQueryResultArticle], lang: Lang
) -> None:
    """Answer an inline query with `results`, or, when there are none, with a button
    that opens a chat with the bot."""
    button = None
    if not results:
        text = messages.text("inline_none", lang)
        button = InlineQueryResultsButton(text=text, start_parameter="inline")
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True, button=button)


class InlineAnswers:
    """Answers inline queries from the responder, in the asker's language."""

    def __init__(self, responder: Responder, languages: Languages) -> None:
        self.responder = responder
        self.languages = languages

    async def on_inline(self, update: Update, context: Context) -> None:
        """`@bot question` in any chat: the answer, or the clarify candidates' answers."""
        query = update.inline_query
        if query is None:
            return
        lang = self.languages.of(query.from_user, None)
        reply = await self.responder.reply(query.query, self.languages.hint(query.from_user, None))
        if reply.kind is Kind.ANSWER and reply.intent_id:
            ids = [reply.intent_id]
        else:
            ids = [s.intent_id for s in reply.suggestions]
        answers = [self.responder.answer(i, query.query, reply.lang) for i in ids]
        results = [r for r in map(self.inline_result, answers) if r]
        await offer(query, results[:MAX_INLINE_RESULTS], lang)

    def inline_result(self, reply: Reply) -> InlineQueryResultArticle | None:
        if reply.intent_id is None:
            return None
        intent = self.responder.intents[reply.intent_id]
        label = self.responder.suggestion(intent, reply.lang).label
        return inline_article(reply, short_key(intent.id), label)
