"""The `policybot` command: the one place that wires objects together (the
maintainers' commands are wired in maintenance.py).

policybot                 console chat, or the Telegram bot when a token is set
policybot console         chat in the terminal
policybot ask [--json] …  one-shot questions; --json reads stdin, one per line
policybot build | check   facts.db from seeds/ and intents.yaml (or only validate)
policybot coverage        what the articles state that no intent cites yet
policybot eval FILE       accuracy on a labelled question file, with a threshold sweep
policybot run | serve     the Telegram bot: long polling | webhook server
policybot report          what people asked: unanswered questions, answer rates, feedback
policybot learn           review phrasings proposed from feedback; add the accepted ones
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import PROJECT_ROOT, Settings
from bot.errors import PolicybotError

# Each command imports what it uses when it runs: `build` needs no matcher, `run` no
# web server, and start-up time is paid in imports.
if TYPE_CHECKING:
    from bot.answering.responder import Responder


@asynccontextmanager
async def open_responder(facts_db: Path) -> AsyncIterator[Responder]:
    """A responder over `facts_db`, open for the duration of the `async with`: the one
    place where the knowledge store is handed to the answering core."""
    from bot.answering.decision import Decision
    from bot.answering.index import Prepared
    from bot.answering.matcher import Matcher
    from bot.answering.responder import Responder
    from bot.errors import StoreError
    from bot.knowledge.store import Store

    async with Store(facts_db) as store:
        knowledge = await store.knowledge()
        try:
            decision = Decision.from_json(await store.decision())
            prepared = Prepared.from_blobs(await store.prepared(), len(knowledge.intents))
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(
                f"{facts_db}: the stored decision or index is unusable ({exc});"
                " run `policybot build`"
            ) from exc
        matcher = Matcher(knowledge.intents, knowledge.synonyms, prepared)
        yield Responder(knowledge, matcher, store, decision)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policybot",
        description="Answers questions about Vietnam's digital-transformation and ICT policy"
        " from a fixed set of articles, citing its sources.",
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("console", help="chat in the terminal")
    ask = sub.add_parser("ask", help="answer questions given as arguments, or --json on stdin")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true", help="read stdin, one question per line")
    commands = (
        ("build", "build facts.db"),
        ("check", "validate the inputs only"),
        ("coverage", "list the sentences stating a figure, date or name that no intent cites"),
    )
    for name, text in commands:
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument(
            "--root", type=Path, default=PROJECT_ROOT, help="folder holding seeds/ and intents.yaml"
        )
        if name == "build":
            cmd.add_argument(
                "--output",
                type=Path,
                default=None,
                help="where to write (default: FACTS_DB or ROOT/facts.db)",
            )
    ev = sub.add_parser("eval", help="score a labelled question file")
    ev.add_argument("file", type=Path)
    ev.add_argument("--no-sweep", action="store_true")
    report = sub.add_parser("report", help="most frequent unanswered questions, answer rates")
    report.add_argument("--limit", type=int, default=10, help="questions listed per section")
    learn = sub.add_parser("learn", help="review phrasings proposed from feedback (y/n/q)")
    learn.add_argument(
        "--root", type=Path, default=PROJECT_ROOT, help="folder holding seeds/ and intents.yaml"
    )
    learn.add_argument("--output", type=Path, default=None, help="facts.db to rebuild")
    how = learn.add_mutually_exclusive_group()
    how.add_argument("--write", type=Path, metavar="FILE", help="write the proposals to review")
    how.add_argument(
        "--accept-all",
        nargs="?",
        const="",
        metavar="FILE",
        help="accept the proposals kept in FILE (from --write), or all of them",
    )
    sub.add_parser("run", help="run the Telegram bot with long polling")
    sub.add_parser("serve", help="run the Telegram bot as a webhook server on $PORT")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
        command = args.command or ("run" if settings.token else "console")
        if command in ("build", "check", "coverage", "report", "learn"):
            from bot import maintenance

            maintenance.run(command, args, settings)
        elif command == "run":
            from bot.telegram_bot.application import run_polling

            run_polling(settings, open_responder)
        elif command == "serve":
            from bot.telegram_bot.web import serve

            serve(settings, open_responder)
        else:
            asyncio.run(_chat(command, args, settings))
    except PolicybotError as exc:
        print(f"policybot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`policybot ask … | head`): no traceback, and no second
        # error when Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


async def _chat(command: str, args: argparse.Namespace, settings: Settings) -> None:
    from bot.answering import render

    async with open_responder(settings.facts_db) as responder:
        if command == "console":
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401 - line editing and history at the prompt
            await _console(responder, settings)
        elif command == "eval":
            from bot.evaluation.labelled import load_conversations
            from bot.evaluation.report import Evaluation

            talks = load_conversations(args.file)
            print(Evaluation(responder, talks).report(sweep=not args.no_sweep))
        elif args.json:
            await _ask_json(responder)
        else:
            question = " ".join(args.question)
            print(render.plain(await responder.reply(question)))


async def _console(responder: Responder, settings: Settings) -> None:
    """The console, logging to the question log when STATE_DB is set."""
    from bot.console import Console
    from bot.state import QuestionLog

    if not settings.state_db_set:
        await Console(responder, sys.stdin, sys.stdout).run()
        return
    key = settings.hash_key.value if settings.hash_key else None
    async with QuestionLog(settings.state_db, key, settings.retention_days) as log:
        await Console(responder, sys.stdin, sys.stdout, log).run()


async def _ask_json(responder: Responder) -> None:
    from bot.answering import render
    from bot.answering.context import Conversations
    from bot.models import Lang

    # Bytes that are not UTF-8 become U+FFFD rather than stopping the run; a lone
    # surrogate in a question is written as its JSON escape (\udXXX), still valid JSON.
    sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")  # type: ignore[union-attr]
    out = sys.stdout
    talks = Conversations()  # {"chat": id, "q": question} lines: one conversation per id
    last: dict[str | None, Lang] = {}  # a line no word of which tells its language follows
    for line in sys.stdin:
        question, chat = _ask_line(line.rstrip("\r\n"))
        context = talks.get(chat) if chat is not None else None
        reply = await responder.reply(question, last.get(chat), context)
        if chat is not None:
            talks.update(chat, reply)
        last[chat] = reply.lang
        out.write(render.json_line(reply) + "\n")
    out.flush()


def _ask_line(line: str) -> tuple[str, str | None]:
    """The question of one `ask --json` line and its conversation: a JSON object
    {"chat": id, "q": question} is a turn of conversation `id`; any other line is a
    question on its own."""
    if line.startswith("{"):
        try:
            data = json.loads(line)
        except ValueError:
            return line, None
        if isinstance(data, dict) and isinstance(data.get("q"), str) and "chat" in data:
            return data["q"], str(data["chat"])
    return line, None
