"""Which language the bot speaks to each Telegram user when the words don't tell.

A question written plainly in English or Vietnamese is answered in its own language
(the responder decides that). Everything else — commands, fixed texts, and questions
no word of which tells ("749?", "PAPI") — follows, in order: the language the user
chose with /lang (kept in the state database), the language of their Telegram app,
and the language of their last reply in this chat.
"""

from __future__ import annotations

from collections import OrderedDict

from telegram import User

from bot.models import Lang
from bot.state import QuestionLog

LAST_KEPT = 10_000  # (chat, user) pairs whose last language is remembered, most recent first


def telegram_lang(user: User | None) -> Lang | None:
    """Vietnamese for a Vietnamese Telegram app, English for any other; None if unknown."""
    code = (user.language_code or "") if user else ""
    if not code:
        return None
    return Lang.VI if code.lower().startswith("vi") else Lang.EN


class Languages:
    """Each user's language: chosen (/lang), their app's, or last spoken in the chat.

    Choices are written to `state` when it can identify users (HASH_KEY set), so they
    survive restarts; without it they last as long as the process.
    """

    def __init__(self, state: QuestionLog | None = None) -> None:
        self.state = state
        self._chosen: dict[int, Lang] = {}
        self._last: OrderedDict[tuple[int, int], Lang] = OrderedDict()

    def chosen(self, user_id: int) -> Lang | None:
        chosen = self._chosen.get(user_id)
        if chosen is None and self.state is not None:
            chosen = self.state.language(user_id)
        return chosen

    def hint(self, user: User | None, chat_id: int | None) -> Lang | None:
        """The language for `user` in this chat when their words don't tell, if any is known."""
        if user is None:
            return None
        told = self.chosen(user.id) or telegram_lang(user)
        if told is None and chat_id is not None:
            told = self._last.get((chat_id, user.id))
        return told

    def of(self, user: User | None, chat_id: int | None) -> Lang:
        """The language of fixed texts for `user`: the hint, else English."""
        return self.hint(user, chat_id) or Lang.EN

    def spoke(self, user: User | None, chat_id: int, lang: Lang) -> None:
        """Remember the language of the last reply to `user` in this chat."""
        if user is None:
            return
        key = (chat_id, user.id)
        self._last[key] = lang
        self._last.move_to_end(key)
        if len(self._last) > LAST_KEPT:
            self._last.popitem(last=False)

    async def choose(self, user_id: int, lang: Lang) -> None:
        """/lang: from now on `lang` for this user, kept in the state database if it can."""
        self._chosen[user_id] = lang
        if self.state is not None:
            await self.state.choose_language(user_id, lang)
