"""The terminal chat: the same responder and wording as Telegram, as plain text."""

from __future__ import annotations

from typing import TextIO

from bot.answering import render
from bot.answering.responder import Responder
from bot.models import Kind, Reply

PROMPT = "you> "
QUIT = {"/quit", "/exit", "/q"}
BANNER = (
    "policybot: ask about Vietnam's digital transformation and ICT policy"
    " (English or Vietnamese). /quit or Ctrl-D to leave."
)


class Console:
    """Reads questions from `stdin`, writes replies to `stdout`, until EOF or /quit.

    After a clarify, typing the number of an offered topic answers it.
    """

    def __init__(self, responder: Responder, stdin: TextIO, stdout: TextIO) -> None:
        self.responder = responder
        self.stdin = stdin
        self.stdout = stdout
        self.offered: Reply | None = None

    def write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    async def run(self) -> None:
        self.write(BANNER + "\n\n")
        while True:
            self.write(PROMPT)
            line = self.stdin.readline()
            if not line:
                self.write("\n")
                return
            question = line.strip()
            if question.lower() in QUIT:
                return
            reply = self.choice(question) or await self.responder.reply(question)
            self.offered = reply if reply.kind is Kind.CLARIFY else None
            self.write(render.plain(reply) + "\n\n")

    def choice(self, text: str) -> Reply | None:
        """The answer to a numbered option of the last clarify, if `text` picks one."""
        if self.offered is None or not text.isdigit():
            return None
        options = self.offered.suggestions
        n = int(text)
        if not 1 <= n <= len(options):
            return None
        return self.responder.answer(options[n - 1].intent_id, text, self.offered.lang)
