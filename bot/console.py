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
            chosen = self.choice(question)
            if isinstance(chosen, str):
                self.write(chosen + "\n\n")
                continue
            reply = chosen or await self.responder.reply(
                question, self.chosen or self.last, self.talk.get(CHAT)
            )
            if chosen is None:
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

    def choice(self, text: str) -> Reply | str | None:
        """After "which of these?", a number: the chosen answer, or what to say for 0
        ("none of these") or a number not on the list; None for anything else."""
        if self.offered is None or not (text.isascii() and text.isdigit()):
            return None
        options = self.offered.suggestions
        lang = self.offered.lang
        n = int(text)
        if n == 0:
            self.offered = None
            return messages.text("none_reply", lang)
        if not 1 <= n <= len(options):
            return messages.text("pick_hint", lang)
        intent_id = options[n - 1].intent_id
        self.talk.pick(CHAT, intent_id)
        return self.responder.answer(intent_id, text, lang)
