"""Feedback in Telegram: 👍/👎 under every answer, and "which of these?" taps, logged.

With a feedback log (the state database), every answer ends with a row of two buttons,
👍 and 👎, and the options of "which of these?" carry the reply's token too, so that
the tap is logged as question → chosen intent (bot/feedback/log.py keeps one row per
reply, keyed by the token). Callback data: `+en:<token>` (👍), `-en:<token>` (👎),
`cen:<token><intent key>` (an option), `xen:<token>` ("None of these"); the language
rides along as in keyboards.py. A vote can be changed: the last tap counts, and the
buttons show it (✓). The first 👎 on an answer asks, once, what the user was looking
for, with a message they can reply to (ForceReply); a reply to that message is kept
as the note, anything else is a question as usual, so a user who ignores the question
just carries on. Without a feedback log, answers carry no 👍/👎 (there is nowhere to
keep them) and the options are those of keyboards.py. A failure to log is a warning
in the log: the tap is still acknowledged and answered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from telegram import CallbackQuery, ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import filters

from bot.answering import messages
from bot.feedback.log import DOWN, NONE_CHOSEN, TOKEN_LENGTH, UP, FeedbackLog
from bot.feedback.report import report
from bot.models import Kind, Lang, Reply, Suggestion
from bot.telegram_bot import keyboards, pages
from bot.telegram_bot.keyboards import CALLBACK_LIMIT, Button, Keyboard, label, short_key
from bot.telegram_bot.sending import markup

log = logging.getLogger(__name__)

_PREFIX = len("cen:") + TOKEN_LENGTH
MARK = " ✓"
STATS_LIMIT = (
    5  # entries a section of /stats lists: its parts stay few and readable  # after the vote given
)


class Press(StrEnum):
    UP = "+"
    DOWN = "-"
    CHOSEN = "c"  # an option of "which of these?"
    NONE = "x"  # "None of these"


@dataclass(frozen=True, slots=True)
class Tap:
    action: Press
    lang: Lang
    token: str
    intent: str = ""  # the option's intent id, for CHOSEN

    def plain(self) -> keyboards.Tap:
        """An option or "None of these" as the tap keyboards.py would decode."""
        action = keyboards.Action.ANSWER if self.action is Press.CHOSEN else keyboards.Action.NONE
        return keyboards.Tap(action, self.lang, self.intent)


def _data(action: Press, lang: Lang, token: str, key: str = "") -> str:
    return f"{action.value}{lang.value}:{token}{key}"


class _NoteFilter(filters.MessageFilter):
    """A text replying to one of the bot's "what were you looking for?" messages."""

    prompts = frozenset(messages.text("feedback_ask", lang) for lang in Lang)

    def filter(self, message: Message) -> bool:
        asked = message.reply_to_message
        return bool(
            message.text
            and asked is not None
            and asked.from_user is not None
            and asked.from_user.is_bot
            and asked.text in self.prompts
        )


NOTES = _NoteFilter()


class Feedback:
    """The feedback buttons of one knowledge base, and what their taps do to `store`."""

    def __init__(self, store: FeedbackLog | None, intent_ids: list[str]) -> None:
        self.store = store
        room = CALLBACK_LIMIT - _PREFIX
        self._intents = {short_key(i, room): i for i in intent_ids}
        self._room = room

    def token(self, reply: Reply) -> str | None:
        """A fresh token when `reply` takes feedback buttons, else None."""
        if self.store is None or reply.kind not in (Kind.ANSWER, Kind.CLARIFY):
            return None
        return self.store.new_token()

    def votes(self, token: str, lang: Lang, given: int | None = None) -> Keyboard:
        """The 👍/👎 row, the vote `given` marked."""
        up = "👍" + (MARK if given == UP else "")
        down = "👎" + (MARK if given == DOWN else "")
        return (
            (
                Button(up, _data(Press.UP, lang, token)),
                Button(down, _data(Press.DOWN, lang, token)),
            ),
        )

    def clarify(self, token: str, suggestions: tuple[Suggestion, ...], lang: Lang) -> Keyboard:
        """The options of "which of these?", whose taps name this reply, then "None of these"."""
        options = tuple(
            (Button(label(s.label), _data(Press.CHOSEN, lang, token, self.key(s.intent_id))),)
            for s in suggestions
        )
        none = Button(messages.text("none_of_these", lang), _data(Press.NONE, lang, token))
        return (*options, (none,))

    def key(self, intent_id: str) -> str:
        return short_key(intent_id, self._room)

    def decode(self, data: str) -> Tap | None:
        """The feedback tap `data` stands for, or None when it is not one (or malformed)."""
        head, sep, rest = data.partition(":")
        if not sep or len(head) != 3 or len(rest) < TOKEN_LENGTH:
            return None
        try:
            action, lang = Press(head[0]), Lang(head[1:])
        except ValueError:
            return None
        token, key = rest[:TOKEN_LENGTH], rest[TOKEN_LENGTH:]
        if action is Press.CHOSEN:
            intent = self._intents.get(key)
            return Tap(action, lang, token, intent) if intent else None
        return None if key else Tap(action, lang, token)

    async def offered(self, token: str, reply: Reply, user_id: int | None) -> None:
        """Keep the reply that went out with `token`'s buttons."""
        if self.store is None:
            return
        try:
            await self.store.offered(token, reply, user_id)
        except Exception as exc:  # disk full, locked, closed: the reply went out anyway
            log.warning("could not keep a reply for feedback: %r", exc)

    async def chose(self, tap: Tap) -> str | None:
        """Log the option (or "None of these") tapped; returns the question it answered."""
        if self.store is None:
            return None
        try:
            await self.store.chose(tap.token, tap.intent or NONE_CHOSEN)
            asked = await self.store.question(tap.token)
        except Exception as exc:  # the user still gets their answer
            log.warning("could not log a 'which of these?' tap: %r", exc)
            return None
        return asked[0] if asked is not None else None

    async def on_vote(self, query: CallbackQuery, tap: Tap) -> None:
        """👍 or 👎: log it, mark it on the buttons, and after a first 👎 ask why."""
        vote = UP if tap.action is Press.UP else DOWN
        before = None
        if self.store is not None:
            try:
                before = await self.store.vote(tap.token, vote)
            except Exception as exc:
                log.warning("could not log a vote: %r", exc)
        await query.answer(messages.text("feedback_thanks", tap.lang))
        message = query.message
        if not isinstance(message, Message):
            return  # too old for Telegram to let us touch it
        keyboard = self._marked(message.reply_markup, tap, vote)
        if keyboard is not None:
            await query.edit_message_reply_markup(markup(keyboard))
        if vote == DOWN and before is not None and not before.prompted:
            await self._ask_why(message, tap)

    def _marked(self, shown: InlineKeyboardMarkup | None, tap: Tap, vote: int) -> Keyboard | None:
        """The message's keyboard with the vote row showing `vote`; None if unchanged."""
        rows = [
            tuple(Button(b.text, str(b.callback_data)) for b in row)
            for row in (shown.inline_keyboard if shown else ())
            if not any(str(b.callback_data)[:1] in "+-" for b in row)
        ]
        keyboard = (*rows, *self.votes(tap.token, tap.lang, vote))
        old = tuple(
            tuple(Button(b.text, str(b.callback_data)) for b in row)
            for row in (shown.inline_keyboard if shown else ())
        )
        return None if keyboard == old else keyboard

    async def _ask_why(self, message: Message, tap: Tap) -> None:
        placeholder = messages.text("feedback_placeholder", tap.lang)
        # In a group, not everyone's client should open a reply: `selective` with no one
        # named opens none there, and whoever wants to answers it as any message.
        group = message.chat.type != ChatType.PRIVATE
        prompt = await message.reply_text(
            pages.text("feedback_ask", tap.lang),
            reply_markup=ForceReply(selective=group, input_field_placeholder=placeholder),
            do_quote=False,
        )
        if self.store is None:
            return
        try:
            await self.store.prompted(tap.token, prompt.chat.id, prompt.message_id)
        except Exception as exc:  # the note cannot be matched; replying is just a question
            log.warning("could not keep a feedback prompt: %r", exc)

    async def report(self, unanswered: list[str], lang: Lang, limit: int = STATS_LIMIT) -> str:
        """The feedback sections of /stats (after a newline), or "" without a feedback log."""
        if self.store is None:
            return ""
        return "\n" + report(await self.store.signals(), unanswered).text(limit, lang)

    async def note(self, update: Update) -> bool:
        """Keep a reply to a "what were you looking for?" message as the note; False when
        it answers no prompt of ours that is still kept (then it is a question)."""
        message = update.effective_message
        if self.store is None or message is None or message.reply_to_message is None:
            return False
        try:
            kept = await self.store.note(
                message.chat.id, message.reply_to_message.message_id, message.text or ""
            )
        except Exception as exc:
            log.warning("could not keep a feedback note: %r", exc)
            return False
        if kept:
            asked = message.reply_to_message.text or ""
            lang = next((g for g in Lang if messages.text("feedback_ask", g) == asked), Lang.EN)
            await message.reply_text(pages.text("feedback_noted", lang), do_quote=False)
        return kept
