"""The terminal chat: the same responder, commands and wording as Telegram, as plain text.

Where Telegram shows buttons, the console numbers a list (the options of "which of
these?", the topics, a topic's questions, the timeline's events) and a number picks
from the last list shown; a number not on it gets a hint. `/more` shows the next page
of the last /search or /timeline. Search words found are marked **like this**.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TextIO

from bot.answering import listing, messages, render, screens
from bot.answering.chronology import Timeline
from bot.answering.context import Conversations
from bot.answering.responder import Responder
from bot.answering.search import Search
from bot.models import Kind, Lang, Reply
from bot.state import QuestionLog

PROMPT = "you> "
QUIT = {"quit", "exit", "q"}  # with or without a slash
CHAT = "console"
# Telegram's commands, then what only the console has.
COMMANDS = (*screens.COMMANDS, "more", "quit")
PLAIN = screens.PLAIN

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Menu:
    """A numbered list on screen: what each number does, and whether 0 is "none of these"."""

    picks: tuple[Callable[[], Awaitable[str]], ...]
    none: bool = False


class Console:
    """Reads lines from `stdin`, writes replies to `stdout`, until EOF or quit.

    A question no word of which tells its language ("749?") is answered in the language
    chosen with `/lang en` or `/lang vi`, else in that of the previous reply; commands
    follow the same. Questions go to `questions` when given (STATE_DB set).
    """

    def __init__(
        self,
        responder: Responder,
        stdin: TextIO,
        stdout: TextIO,
        questions: QuestionLog | None = None,
    ) -> None:
        self.responder = responder
        self.stdin = stdin
        self.stdout = stdout
        self.questions = questions
        self.search = Search(responder.search, responder.knowledge)
        self.timeline = Timeline(responder.knowledge)
        self.talk = Conversations()  # one conversation: follow-ups lean on the last answer
        self.chosen: Lang | None = None
        self.last: Lang | None = None
        self.menu: Menu | None = None
        self.more: Callable[[], Awaitable[str]] | None = None

    @property
    def lang(self) -> Lang:
        return self.chosen or self.last or Lang.EN

    def write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    async def run(self) -> None:
        # No language is known before the first line: the banner comes in both.
        self.write("\n".join(messages.text("console", lang) for lang in Lang) + "\n\n")
        while True:
            self.write(PROMPT)
            line = self.stdin.readline()
            if not line:
                self.write("\n")
                return
            said = line.strip()
            if said.lower().removeprefix("/") in QUIT:
                return
            self.write(await self.answer(said) + "\n\n")

    async def answer(self, said: str) -> str:
        """What to write for one line: a command's screen, a pick, or the reply."""
        if said.startswith("/"):
            name, _, words = said[1:].partition(" ")
            command = self.commands().get(name.lower())
            if command is not None:
                return await command(words.strip())
        if said.isascii() and said.isdigit() and self.menu is not None:
            return await self.pick(int(said))
        reply = await self.responder.reply(said, self.chosen or self.last, self.talk.get(CHAT))
        self.talk.update(CHAT, reply)
        self.last = reply.lang
        self.menu = None
        if reply.kind is Kind.CLARIFY:
            options = [s.intent_id for s in reply.suggestions]
            self.menu = Menu(tuple(self._answer(i, said, reply.lang) for i in options), none=True)
        await self.record(reply)
        return render.plain(reply)

    def commands(self) -> dict[str, Callable[[str], Awaitable[str]]]:
        count = len(self.responder.knowledge.articles)

        async def fixed(text: str) -> str:
            self.menu = None
            return text

        return {
            "start": lambda _: fixed(screens.start(self.lang, count, PLAIN)),
            "help": lambda _: fixed(screens.help(self.lang, PLAIN, COMMANDS)),
            "about": lambda _: fixed(screens.about(self.lang, count, PLAIN)),
            "sources": lambda _: fixed(
                "\n\n".join(
                    screens.sources(
                        list(self.responder.knowledge.articles.values()), self.lang, PLAIN
                    )
                )
            ),
            "topics": self.show_topics,
            "lang": self.choose,
            "search": self.search_first,
            "timeline": self.timeline_first,
            "more": self.next_page,
        }

    async def choose(self, words: str) -> str:
        """`/lang vi` or `/lang en`: the language from now on; anything else: how to say it."""
        chosen = screens.language_named(words)
        if chosen is None:
            return messages.text("console", self.lang)
        self.chosen = chosen
        return messages.text("lang_set", chosen)

    async def pick(self, number: int) -> str:
        """A number typed while a list is on screen."""
        menu = self.menu
        assert menu is not None
        if number == 0 and menu.none:
            self.menu = None
            self.talk.forget(CHAT)
            await self.record_none()
            return messages.text("none_reply", self.lang)
        if not 1 <= number <= len(menu.picks):
            if menu.none:
                return messages.text("pick_hint", self.lang)
            return messages.text("number_hint", self.lang).format(last=len(menu.picks))
        return await menu.picks[number - 1]()

    def _answer(self, intent_id: str, said: str, lang: Lang) -> Callable[[], Awaitable[str]]:
        async def answer() -> str:
            self.menu = None
            self.talk.pick(CHAT, intent_id)
            return render.plain(self.responder.answer(intent_id, said, lang))

        return answer

    async def show_topics(self, words: str) -> str:
        return self.topics(self.lang)

    def topics(self, lang: Lang) -> str:
        """The topics, numbered; a number lists that topic's questions."""
        topics = self.responder.knowledge.topics
        self.menu = Menu(tuple(self._topic(t.id, lang) for t in topics))
        names = [t.vi if lang is Lang.VI else t.en for t in topics]
        listed = "\n".join(f"{n}. {name}" for n, name in enumerate(names, 1))
        hint = messages.text("topic_number", lang)
        return f"{screens.topics(lang, PLAIN)}\n{listed}\n\n{hint}"

    def _topic(self, topic_id: str, lang: Lang) -> Callable[[], Awaitable[str]]:
        async def questions() -> str:
            topic = next(t for t in self.responder.knowledge.topics if t.id == topic_id)
            intents = [i for i in self.responder.knowledge.intents if i.topic == topic_id]
            labels = [self.responder.suggestion(i, lang).label for i in intents]
            self.menu = Menu(
                tuple(self._answer(i.id, s, lang) for i, s in zip(intents, labels, strict=True))
            )
            listed = "\n".join(f"{n}. {label}" for n, label in enumerate(labels, 1))
            head = screens.topic(topic.vi if lang is Lang.VI else topic.en, lang, PLAIN)
            return f"{head}\n{listed}\n\n{messages.text('question_number', lang)}"

        return questions

    async def search_first(self, words: str) -> str:
        query = self.search.query(words)
        self.menu = self.more = None
        if not query.groups:
            return messages.text("search_usage", self.lang)
        return await self.search_page(query.words, 1, self.lang)

    async def search_page(self, words: str, number: int, lang: Lang) -> str:
        results = await self.search.page(self.search.query(words), number)
        if not results.hits:
            return f"{listing.nothing_found(words, lang, PLAIN)}\n\n{self.topics(lang)}"
        page = listing.search_page(results, lang, PLAIN)
        if not results.more:
            return page
        self.more = lambda: self.search_page(words, number + 1, lang)
        return f"{page}\n\n{messages.text('more_hint', lang)}"

    async def timeline_first(self, words: str) -> str:
        self.menu = self.more = None
        return await self.timeline_page(words, 1, self.lang)

    async def timeline_page(self, words: str, number: int, lang: Lang) -> str:
        selection = self.timeline.select(words)
        if not selection.items:
            topics = [t.id for t in self.responder.knowledge.topics]
            return listing.no_events(selection.filter, topics, lang, PLAIN)
        self.menu = Menu(tuple(self._event(index, lang) for index, _ in selection.items))
        page = listing.timeline_page(self.timeline, selection, number, lang, PLAIN)
        hints = [messages.text("timeline_type", lang)]
        if number < selection.pages:
            self.more = lambda: self.timeline_page(words, number + 1, lang)
            hints.append(messages.text("more_hint", lang))
        return f"{page}\n\n{' '.join(hints)}"

    def _event(self, index: int, lang: Lang) -> Callable[[], Awaitable[str]]:
        async def card() -> str:
            return listing.event(self.timeline, self.timeline.events[index], lang, PLAIN)

        return card

    async def next_page(self, words: str) -> str:
        """`/more`: the next page of the last search or timeline, if there is one."""
        more, self.more = self.more, None
        return await more() if more else messages.text("no_more", self.lang)

    async def record(self, reply: Reply) -> None:
        """Log a question when there is a question log; a failure is a warning only."""
        if self.questions is None:
            return
        try:
            await self.questions.record(reply, None)
        except Exception as exc:  # disk full, locked: the answer was given anyway
            log.warning("could not log a question: %r", exc)

    async def record_none(self) -> None:
        if self.questions is None:
            return
        try:
            await self.questions.record_none(None, self.lang)
        except Exception as exc:  # as for questions
            log.warning("could not log a 'None of these': %r", exc)
