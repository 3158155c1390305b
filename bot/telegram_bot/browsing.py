"""/search and /timeline in Telegram: the commands, their ◀ ▶ and numbered buttons, and
inline queries starting with "?" (search hits instead of answers).

Button data is `?<kind><lang>:<rest>`, at most 64 bytes: `?sen:2:<folded words>` is page
2 of a search (the words are the whole search, kept short enough by `Search.query`),
`?men:2:<filter>` page 2 of a timeline, `?een:17` event 17 of the timeline. The leading
"?" keeps them apart from the data `keyboards.Buttons` gives out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
)

from bot.answering import chronology, listing, messages, render, screens
from bot.answering.chronology import Timeline
from bot.answering.responder import Responder
from bot.answering.search import Search
from bot.models import Lang
from bot.telegram_bot.inline import offer
from bot.telegram_bot.keyboards import Button, Buttons, Keyboard
from bot.telegram_bot.sending import markup, say

DATA = re.compile(r"^\?([sme])(en|vi):(\d{1,5})(?::(.*))?$")
ITEMS_A_ROW = 5
Context = ContextTypes.DEFAULT_TYPE
TITLE_LIMIT = 100  # characters of an inline result's title


class Browsing:
    """The /search and /timeline handlers over one responder's knowledge and index."""

    def __init__(
        self, responder: Responder, buttons: Buttons, lang_of: Callable[[Update], Lang]
    ) -> None:
        self.search = Search(responder.search, responder.knowledge)
        self.timeline = Timeline(responder.knowledge)
        self.topic_ids = [t.id for t in responder.knowledge.topics]
        self.buttons = buttons
        self.lang_of = lang_of

    def handlers(self) -> list[BaseHandler[Update, Context, None]]:
        """To register before the catch-all handlers of their kinds."""
        return [
            CommandHandler("search", self.on_search),
            CommandHandler("timeline", self.on_timeline),
            CallbackQueryHandler(self.on_tap, pattern=DATA),
            InlineQueryHandler(self.on_inline, pattern=r"^\?"),
        ]

    async def on_search(self, update: Update, context: Context) -> None:
        lang = self.lang_of(update)
        words = " ".join(context.args or ())
        query = self.search.query(words)
        if not query.groups:
            await say(update, escape(messages.text("search_usage", lang)))
            return
        body, keyboard = await self.search_page(query.words, 1, lang)
        await say(update, body, keyboard)

    async def search_page(self, words: str, number: int, lang: Lang) -> tuple[str, Keyboard]:
        results = await self.search.page(self.search.query(words), number)
        if not results.hits:
            nothing = listing.nothing_found(results.query.words, lang, screens.HTML)
            return nothing, self.buttons.topics(lang)
        body = listing.search_page(results, lang, screens.HTML)
        data = f"?s{lang.value}:{{}}:{results.query.words}"
        return body, _arrows(data, number, results.more)

    async def on_timeline(self, update: Update, context: Context) -> None:
        lang = self.lang_of(update)
        body, keyboard = self.timeline_page(" ".join(context.args or ()), 1, lang)
        await say(update, body, keyboard)

    def timeline_page(self, words: str, number: int, lang: Lang) -> tuple[str, Keyboard]:
        selection = self.timeline.select(words)
        if not selection.items:
            return listing.no_events(selection.filter, self.topic_ids, lang, screens.HTML), ()
        number = min(number, selection.pages)
        body = listing.timeline_page(self.timeline, selection, number, lang, screens.HTML)
        body += "\n\n" + escape(messages.text("timeline_tap", lang))
        first = (number - 1) * chronology.PAGE_SIZE + 1
        items = [
            Button(str(n), f"?e{lang.value}:{index}")
            for n, (index, _) in enumerate(selection.page(number), first)
        ]
        rows = tuple(
            tuple(items[at : at + ITEMS_A_ROW]) for at in range(0, len(items), ITEMS_A_ROW)
        )
        data = f"?m{lang.value}:{{}}:{selection.filter}"
        return body, (*rows, *_arrows(data, number, number < selection.pages))

    async def on_tap(self, update: Update, context: Context) -> None:
        query = update.callback_query
        found = DATA.match(query.data or "") if query else None
        if query is None or found is None:
            return
        kind, lang, number, rest = found[1], Lang(found[2]), int(found[3]), found[4] or ""
        message = query.message
        if kind == "e" and number >= len(self.timeline.events):
            await query.answer(messages.text("stale_button", lang))
            return
        await query.answer()
        if not isinstance(message, Message):
            return  # too old for Telegram to let us touch it
        if kind == "e":
            event = self.timeline.events[number]
            card = listing.event(self.timeline, event, lang, screens.HTML)
            await message.reply_text(card, do_quote=False)
            return
        if kind == "s":
            body, keyboard = await self.search_page(rest, number, lang)
        else:
            body, keyboard = self.timeline_page(rest, number, lang)
        try:
            await query.edit_message_text(body, reply_markup=markup(keyboard))
        except BadRequest as exc:  # the same button tapped twice: the page is shown already
            if "not modified" not in exc.message.lower():
                raise

    async def on_inline(self, update: Update, context: Context) -> None:
        """`@bot ?words`: the best sentences, each ready to drop into a chat with its source."""
        query = update.inline_query
        if query is None:
            return
        lang = self.lang_of(update)
        search = self.search.query(query.query[1:])
        hits = (await self.search.page(search)).hits if search.groups else ()
        results = [
            InlineQueryResultArticle(
                id=f"s{n}",
                title=render.shorten(hit.quote, TITLE_LIMIT),
                description=render.source_line(hit, lang),
                input_message_content=InputTextMessageContent(
                    f"{listing.marked(hit.quote, search.phrases, screens.HTML)}\n"
                    f"<i>{escape(messages.text('source', lang))}: "
                    f"{escape(render.source_line(hit, lang))}</i>"
                ),
            )
            for n, hit in enumerate(hits)
        ]
        await offer(query, results, lang)


def _arrows(data: str, number: int, more: bool) -> Keyboard:
    """◀ ▶ for the pages before and after `number`; `data` has a {} for the page."""
    row = []
    if number > 1:
        row.append(Button("◀", data.format(number - 1)))
    if more:
        row.append(Button("▶", data.format(number + 1)))
    return (tuple(row),) if row else ()
