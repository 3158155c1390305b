"""The terminal chat: the same responder and wording as Telegram, as plain text."""

from __future__ import annotations

from typing import TextIO

from bot.answering import messages, render
from bot.answering.context import Conversations
from bot.answering.responder import Responder
from bot.models import Kind, Lang, Reply
from bot.text import fold

PROMPT = "you> "
QUIT = {"/quit", "/exit", "/q"}
LANG_COMMAND = "/lang"
CHAT = "console"


class Console:
    """Reads questions from `stdin`, writes replies to `stdout`, until EOF or /quit.

    After a clarify, typing the number of an offered topic answers it. A question no
    word of which tells its language ("749?") is answered in the language chosen with
    `/lang en` or `/lang vi`, else in that of the previous reply.
    """

    def __init__(self, responder: Responder, stdin: TextIO, stdout: TextIO) -> None:
        self.responder = responder
        self.stdin = stdin
        self.stdout = stdout
        self.offered: Reply | None = None
        self.talk = Conversations()  # one conversation: follow-ups lean on the last answer
        self.chosen: Lang | None = None
        self.last: Lang | None = None

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
            question = line.strip()
            if question.lower() in QUIT:
                return
            if question.lower().split()[:1] == [LANG_COMMAND]:
                self.write(self.choose(question[len(LANG_COMMAND) :]) + "\n\n")
                continue
            reply = self.choice(question) or await self.responder.reply(
                question, self.chosen or self.last, self.talk.get(CHAT)
            )
            self.talk.update(CHAT, reply)
            self.offered = reply if reply.kind is Kind.CLARIFY else None
            self.last = reply.lang
            self.write(render.plain(reply) + "\n\n")

    def choose(self, words: str) -> str:
        """`/lang vi` or `/lang en`: the language from now on; anything else: how to say it."""
        said = fold(words)
        if said not in {lang.value for lang in Lang}:
            return messages.text("console", self.chosen or self.last or Lang.EN)
        self.chosen = Lang(said)
        return messages.text("lang_set", self.chosen)

    def choice(self, text: str) -> Reply | None:
        """The answer to a numbered option of the last clarify, if `text` picks one."""
        if self.offered is None or not text.isdigit():
            return None
        options = self.offered.suggestions
        n = int(text)
        if not 1 <= n <= len(options):
            return None
        return self.responder.answer(options[n - 1].intent_id, text, self.offered.lang)
