"""The maintainers' commands: build, check, coverage, report and learn.

`policybot build` validates seeds/, sources.yaml and intents.yaml, prepares the
rankers' index, trains the decision on the labelled sets and writes facts.db;
`check` only validates; `coverage` lists what no intent cites; `report` reads the
question and feedback logs; `learn` turns feedback into phrasings and rebuilds.
Each imports what it uses when it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from pathlib import Path

from bot.config import Settings

# The labelled sets the decision is trained on, in ROOT/tests/data. The sets kept for
# measuring (fresh39-43, conv41-43) and the public dev sets are never among them.
LABELLED = Path("tests") / "data"
TRAINING_SETS = (
    "questions",
    "blind",
    "holdout",
    "fresh",
    "fresh2",
    "train3",
    "train4",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh7",
    "fresh8",
    "fresh9",
    "train5",
    "train6",
    "fresh10",
    "fresh11",
    "fresh12",
    "fresh13",
    "fresh14",
    "fresh15",
    "fresh16",
    "fresh17",
    "fresh18",
    "fresh19",
    "fresh20",
    "fresh21",
    "fresh22",
    "fresh23",
    "fresh24",
    "fresh25",
    "fresh26",
    "train_long1",
    "train_long2",
    "train_long3",
    "train_long4",
    "train_long5",
    "train7",
    "fresh27",
    "fresh28",
    "fresh29",
    "fresh30",
    "fresh31",
    "train8",
    "train_long6",
    "fresh32",
    "fresh33",
    "fresh34",
    "fresh35",
    "train9",
    "train_long7",
    "train_long8",
    "train_long9",
    "fresh36",
    "fresh37",
    "fresh38",
    "train_long10",
    "train_long11",
    "train_long12",
    "train_long13",
)
TRAINING_CONVERSATIONS = (
    "conv_train",
    "conv_blind",
    "conv_train2",
    "conv_train3",
    "conv_train4",
    "conv_train5",
    "conv6",
    "conv7",
    "conv8",
    "conv9",
    "conv_train6",
    "conv_train7",
    "conv_train8",
    "conv10",
    "conv11",
    "conv12",
    "conv13",
    "conv14",
    "conv15",
    "conv_train9",
    "conv_train10",
    "conv16",
    "conv17",
    "conv_train11",
    "conv_train12",
    "conv_train13",
    "conv_train14",
    "conv_train15",
    "conv18",
    "conv19",
    "conv20",
    "conv21",
    "conv_train16",
    "conv_train17",
    "conv_train18",
    "conv22",
    "conv23",
    "conv24",
    "conv25",
    "conv_train19",
    "conv_train20",
    "conv_train21",
    "conv_train22",
    "conv26",
    "conv27",
    "conv28",
    "conv29",
    "conv_train23",
    "conv_train24",
    "conv_train25",
    "conv30",
    "conv31",
    "conv32",
    "conv33",
    "conv34",
    "conv_train26",
    "conv35",
    "conv36",
    "conv37",
    "conv38",
    "conv_train27",
    "conv_train28",
    "conv39",
    "conv40",
    "conv_train29",
)


def run(command: str, args: argparse.Namespace, settings: Settings) -> None:
    """Run one of the maintainers' commands, as parsed by `bot.cli`."""
    if command in ("build", "check"):
        output = args.output if command == "build" else None
        asyncio.run(build(args.root, output, settings, write=command == "build"))
    elif command == "coverage":
        uncovered(args.root)
    elif command == "report":
        asyncio.run(print_report(settings, args.limit))
    elif command == "learn":
        asyncio.run(learn(args, settings))


async def build(root: Path, output: Path | None, settings: Settings, write: bool) -> None:
    from bot.knowledge import intents, schema, seeds

    folder = root / "seeds"
    found = seeds.read_seeds(folder)
    articles = seeds.read_sources(folder, found)
    curated = intents.read_intents(root / "intents.yaml", found, articles)
    for warning in curated.warnings:
        print(f"policybot: warning: {warning}", file=sys.stderr)
    passages = [p for s in found.values() for p in seeds.passages(s)]
    summary = f"{len(articles)} articles, {len(passages)} passages, {len(curated.intents)} intents"
    if not write:
        print(f"ok: {summary}")
        return
    from bot.answering.index import Prepared
    from bot.answering.matcher import Matcher
    from bot.evaluation.following import train_follow
    from bot.evaluation.labelled import load_conversations, load_items
    from bot.evaluation.training import lone_words, remember, train

    labelled = [root / LABELLED / f"{name}.yaml" for name in TRAINING_SETS]
    items = [[item] for path in labelled if path.is_file() for item in load_items(path)]
    talked = [root / LABELLED / f"{name}.yaml" for name in TRAINING_CONVERSATIONS]
    talks = [talk for path in talked if path.is_file() for talk in load_conversations(path)]
    prepared = Prepared.of(curated.intents, curated.synonyms, articles)
    matcher = Matcher(curated.intents, curated.synonyms, prepared)
    items += lone_words(matcher, curated.intents)
    matcher, held = remember(matcher, curated.intents, [*items, *talks])
    decision = train(held, curated.intents, [*items, *talks])
    decision = train_follow(decision, held, curated.intents, talks)
    prepared = replace(prepared, examples=matcher.examples, follow_ups=matcher.follow_ups)
    target = output or settings.facts_db
    await schema.build(
        target,
        articles=articles.values(),
        passages=passages,
        topics=curated.topics,
        intents=curated.intents,
        synonyms=curated.synonyms,
        decision=decision.to_json(),
        prepared=prepared.blobs(),
    )
    print(
        f"built {target}: {summary}; decision trained on {len(items)} labelled questions"
        f" and {len(talks)} conversations"
    )


def uncovered(root: Path) -> None:
    from bot.knowledge import coverage, intents, seeds

    folder = root / "seeds"
    found = seeds.read_seeds(folder)
    articles = seeds.read_sources(folder, found)
    curated = intents.read_intents(root / "intents.yaml", found, articles)
    covered = coverage.coverage(found, curated.intents)
    for article in covered:
        left = article.uncited
        title = articles[article.seed].title
        print(f"{article.seed} ({title}): {len(left)} of {article.sentences} sentences to cover")
        for sentence in left:
            print(f"  {folder / article.seed}:{sentence.line}: {'; '.join(sentence.states)}")
            print(f"    {sentence.passage.text}")
    total = sum(len(a.uncited) for a in covered)
    sentences = sum(a.sentences for a in covered)
    print(
        f"{total} of {sentences} sentences state a figure, a date or a name"
        " that no intent's quote cites"
    )


async def print_report(settings: Settings, limit: int) -> None:
    from bot.feedback.log import FeedbackLog
    from bot.feedback.report import report
    from bot.models import Kind
    from bot.state import QuestionLog

    key = settings.hash_key.value if settings.hash_key else None
    async with (
        QuestionLog(settings.state_db, key, settings.retention_days) as log,
        FeedbackLog(settings.state_db, key, settings.retention_days) as feedback,
    ):
        logged = await log.report(limit)
        print(logged.text())
        if not logged.total:
            print(
                f"(nothing logged in {settings.state_db}: the Telegram bot logs every question,"
                " the console only when STATE_DB is set, and `ask` never does)"
            )
        unanswered = await log.texts(Kind.FALLBACK)
        print(report(await feedback.signals(), unanswered).text(limit))


async def learn(args: argparse.Namespace, settings: Settings) -> None:
    from bot import learning
    from bot.feedback.log import FeedbackLog

    key = settings.hash_key.value if settings.hash_key else None
    async with FeedbackLog(settings.state_db, key, settings.retention_days) as feedback:
        await learning.learn(
            args.root,
            feedback,
            lambda: build(args.root, args.output, settings, write=True),
            write=args.write,
            accept_all=args.accept_all,
        )
