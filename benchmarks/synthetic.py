"""Knowledge scaled up N times from the seed sentences, written as a real facts.db.

At N× there are N copies of every article and its sentences (as if the bot served
N times as many policy documents), and for each copy after the first, one synthetic
intent per real intent: the same topic and the same number of English and
Vietnamese phrasings, made from a sentence of that copy. English phrasings are
fragments of the sentence, some shuffled, some led by a question word; Vietnamese
ones are a real Vietnamese phrasing with a few of the sentence's words mixed in.
Every synthetic fact quotes its sentence verbatim. The real intents stay as they
are, so N× holds N times the phrasings, intents, articles and passages of 1×.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from bot.answering.index import Prepared
from bot.config import PROJECT_ROOT
from bot.knowledge import schema, seeds
from bot.models import Article, Fact, Intent, Knowledge, Passage

_QUESTION_WORDS = ("what", "how many", "when", "who", "why", "which", "how", "where is")


def _copy_seed(copy: int, seed: str) -> str:
    return f"x{copy:03d}_{seed}"


def _fragment(rng: random.Random, words: list[str]) -> list[str]:
    size = min(len(words), rng.randint(3, 9))
    start = rng.randint(0, len(words) - size)
    part = words[start : start + size]
    if rng.random() < 0.4:
        rng.shuffle(part)
    return part


def _words(text: str) -> list[str]:
    return [w for w in (w.strip(",.;:()“”\"'?") for w in text.split()) if w]


def _english(rng: random.Random, sentence: str, other: str) -> str:
    part = _fragment(rng, _words(sentence))
    # A word or two from another sentence, so that phrasings rarely repeat.
    part += rng.sample(_words(other), k=min(2, len(_words(other))))
    if rng.random() < 0.6:
        part.insert(0, rng.choice(_QUESTION_WORDS))
    return " ".join(part)


def _vietnamese(rng: random.Random, sentence: str, real: tuple[str, ...]) -> str:
    words = _words(rng.choice(real))
    words = rng.sample(words, k=max(1, len(words) - rng.randint(0, 2)))
    for word in _fragment(rng, _words(sentence))[:3]:
        words.insert(rng.randint(0, len(words)), word)
    return " ".join(words) + "?"


def scaled(
    knowledge: Knowledge, passages: list[Passage], factor: int, seed: int = 749
) -> tuple[list[Article], list[Passage], list[Intent]]:
    """Articles, passages and intents of `knowledge` grown `factor` times."""
    rng = random.Random(seed)
    articles = list(knowledge.articles.values())
    all_passages = list(passages)
    intents = list(knowledge.intents)
    vietnamese = tuple(p for i in knowledge.intents for p in i.vi)
    for copy in range(1, factor):
        articles += [replace(a, seed=_copy_seed(copy, a.seed)) for a in knowledge.articles.values()]
        copied = [replace(p, seed=_copy_seed(copy, p.seed)) for p in passages]
        all_passages += copied
        for template in knowledge.intents:
            passage, other = rng.choice(copied), rng.choice(copied)
            answer = " ".join(passage.text.split()[:14])
            intents.append(
                Intent(
                    id=f"{template.id}__x{copy:03d}",
                    topic=template.topic,
                    answer=answer,
                    answer_vi=answer,
                    en=tuple(_english(rng, passage.text, other.text) for _ in template.en),
                    vi=tuple(_vietnamese(rng, passage.text, vietnamese) for _ in template.vi),
                    facts=(Fact(passage.seed, passage.text),),
                )
            )
    return articles, all_passages, intents


def seed_passages(root: Path = PROJECT_ROOT) -> list[Passage]:
    """Every sentence of the seed articles, as the build indexes them."""
    found = seeds.read_seeds(root / "seeds")
    return [p for s in found.values() for p in seeds.passages(s)]


async def build_scaled(knowledge: Knowledge, factor: int, target: Path, decision: str) -> None:
    """Write the `factor`× facts.db to `target` with the real build, its rankers' index
    prepared as the build prepares it, and the real facts.db's trained decision (JSON)."""
    articles, passages, intents = scaled(knowledge, seed_passages(), factor)
    await schema.build(
        target,
        articles=articles,
        passages=passages,
        topics=knowledge.topics,
        intents=intents,
        synonyms=knowledge.synonyms,
        decision=decision,
        prepared=Prepared.of(intents, knowledge.synonyms).blobs(),
    )
