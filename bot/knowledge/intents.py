"""Reading and validating intents.yaml against the seed articles.

Every problem is reported as one `InputError` naming the file, the line and the fix.
What is allowed but wasteful (a phrasing that says the same words as another of its
intent) is returned as a warning in the same `file:line: problem; fix` form.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import process

from bot.errors import InputError, located
from bot.knowledge import yamlfile
from bot.knowledge.seeds import Seed, quotable_lines
from bot.models import Article, Fact, Intent, Topic
from bot.text import Synonyms, content_tokens, fold, is_number

MIN_EN_PHRASINGS = 6
MIN_VI_PHRASINGS = 2
_ID = re.compile(r"^[a-z0-9_]{1,64}$")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:]['\"”’)]*\s+)$")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*$|^$")
# "50,000" and "50.000", "17.5" and "17,5" are the same figure in the two languages.
_DIGIT_MARK = re.compile(r"(?<=\d)[.,](?=\d)")
_DIGITS = re.compile(r"\d+")
_DOCUMENT_NUMBER = re.compile(r"\d+(?:[/-][A-Z]+)+")  # 749/QD-TTG, 52-NQ/TW (folded)


def figures(line: str) -> Counter[str]:
    """The digit sequences of `line`, and its document numbers such as 749/QĐ-TTg (folded)."""
    plain = _DIGIT_MARK.sub("", line)
    folded = plain.replace("đ", "d").replace("Đ", "D").upper()
    return Counter(_DIGITS.findall(plain)) + Counter(_DOCUMENT_NUMBER.findall(folded))


class _Reader:
    def __init__(self, path: Path, seeds: dict[str, Seed], articles: dict[str, Article]) -> None:
        self.path = path
        self.articles = articles
        self.where = str(path)
        self.seeds = seeds
        self.kept = {name: quotable_lines(s) for name, s in seeds.items()}
        self.phrasing_owner: dict[str, tuple[str, int | None]] = {}
        self.same_words = Synonyms({})
        self.warnings: list[str] = []

    def fail(self, node: object, problem: str) -> InputError:
        return InputError(self.where, yamlfile.line_of(node), problem)

    def strings(self, entry: dict[str, Any], key: str, minimum: int) -> tuple[str, ...]:
        values = entry.get(key)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.fail(entry, f"'{key}' must be a list of phrasings")
        if len(values) < minimum:
            raise self.fail(
                entry, f"intent has {len(values)} '{key}' phrasings; write at least {minimum}"
            )
        return tuple(v.strip() for v in values)

    def topics(self, data: Any) -> dict[str, Topic]:
        if not isinstance(data, list) or not data:
            raise self.fail(data, "'topics' must be a non-empty list of {id, en, vi}")
        topics: dict[str, Topic] = {}
        for entry in data:
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(k), str) for k in ("id", "en", "vi")
            ):
                raise self.fail(entry, "each topic needs string fields id, en and vi")
            if entry["id"] in topics:
                raise self.fail(entry, f"duplicate topic id {entry['id']!r}; rename one")
            topics[entry["id"]] = Topic(entry["id"], entry["en"], entry["vi"])
        return topics

    def synonyms(self, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        groups = data.get("synonyms") or {}
        if not isinstance(groups, dict):
            raise self.fail(data, "'synonyms' must map a word to a list of variants")
        seen: dict[str, str] = {}
        result: dict[str, tuple[str, ...]] = {}
        for canonical, variants in groups.items():
            if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
                raise self.fail(canonical, f"synonyms of {canonical!r} must be a list of words")
            for variant in variants:
                key = fold(variant)
                if key in seen:
                    raise self.fail(
                        variant, f"variant {variant!r} is listed under {seen[key]!r} too; keep one"
                    )
                seen[key] = str(canonical)
            result[str(canonical)] = tuple(variants)
        return result

    def check_figures(self, entry: Any, answer: str, facts: tuple[Fact, ...]) -> None:
        """Every number in the answer line must be shown by its citations: a quote, or the
        title or date of a cited article. An answer may not state a figure it cannot source."""
        shown: set[str] = set()
        for fact in facts:
            article = self.articles[fact.seed]
            shown.update(fold(fact.quote).split())
            shown.update(fold(article.title).split())
            if article.published is not None:
                day = article.published
                shown.update({str(day.year), str(day.day)})
        for word in fold(answer).split():
            if is_number(word) and word not in shown:
                raise self.fail(
                    entry,
                    f"answer states {word!r}, which none of its quotes, titles or dates shows;"
                    " fix the answer or cite the sentence that gives it",
                )

    def answer_vi(self, entry: dict[str, Any], intent_id: str, answer: str) -> str:
        """The Vietnamese answer line: one line stating exactly the English line's figures."""
        line = entry.get("answer_vi")
        if not isinstance(line, str) or not line.strip():
            raise self.fail(
                entry,
                f"intent {intent_id!r} has no 'answer_vi' line; write the answer in Vietnamese",
            )
        if "\n" in line.strip():
            raise self.fail(line, "'answer_vi' must be one line; join its lines into one")
        english, vietnamese = figures(answer), figures(line)
        if english != vietnamese:
            missing = ", ".join(sorted((english - vietnamese).elements())) or "nothing"
            extra = ", ".join(sorted((vietnamese - english).elements())) or "nothing"
            raise self.fail(
                line,
                f"'answer_vi' of {intent_id!r} lacks {missing} and adds {extra} compared with"
                " 'answer'; write the same numbers, years and document numbers as the English line",
            )
        return line.strip()

    def fact(self, entry: Any) -> Fact:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("seed"), str)
            or not isinstance(entry.get("quote"), str)
        ):
            raise self.fail(entry, "each fact needs 'seed' (a file in seeds/) and 'quote'")
        seed, quote = entry["seed"], entry["quote"]
        if seed not in self.seeds:
            raise self.fail(entry, f"unknown seed {seed!r}; use one of {', '.join(self.seeds)}")
        if quote not in self.seeds[seed].raw:
            hint = process.extractOne(quote, self.kept[seed])
            closest = f'; closest sentence: "{hint[0][:90]}…"' if hint else ""
            raise self.fail(entry, f"quote not found verbatim in {seed}; copy it exactly{closest}")
        if not any(self._whole_sentences(quote, line) for line in self.kept[seed]):
            raise self.fail(
                entry,
                f"quote is not whole sentences of the article text of {seed} (a caption,"
                " page furniture or a cut sentence); quote complete sentences",
            )
        return Fact(seed, quote)

    @staticmethod
    def _whole_sentences(quote: str, line: str) -> bool:
        start = line.find(quote)
        while start >= 0:
            before, after = line[:start], line[start + len(quote) :]
            if _SENTENCE_START.search(before) and (
                _SENTENCE_END.search(quote) or after.strip() == ""
            ):
                return True
            start = line.find(quote, start + 1)
        return False

    def claim_phrasings(self, intent_id: str, phrasings: tuple[str, ...], node: Any) -> None:
        for text, raw in zip(phrasings, node, strict=True):
            key = fold(text)
            owner = self.phrasing_owner.get(key)
            if owner is not None:
                other, line = owner
                where = f"intent {other!r}" + (f" (line {line})" if line else "")
                raise self.fail(raw, f"phrasing {text!r} is also in {where}; keep it in one")
            self.phrasing_owner[key] = (intent_id, yamlfile.line_of(raw))

    def warn_same_words(self, node: Any) -> None:
        """Warn about each phrasing whose words, as the matcher compares them (folded,
        synonyms replaced, function words dropped, sorted), are those of an earlier
        phrasing of the same intent in the same language: it adds nothing to matching.

        Languages are compared apart: a Vietnamese phrasing that the synonyms turn into
        the words of an English one is the synonyms at work, and the Vietnamese list
        also gives the Vietnamese label (its first phrasing) and has a minimum length.
        """
        for lang in ("en", "vi"):
            first: dict[str, tuple[str, int | None]] = {}
            for raw in node[lang]:
                text = raw.strip()
                key = " ".join(sorted(content_tokens(self.same_words.apply(fold(text)))))
                if key not in first:
                    first[key] = (text, yamlfile.line_of(raw))
                    continue
                earlier, line = first[key]
                problem = (
                    f"phrasing {text!r} says the same words as {earlier!r}"
                    + (f" (line {line})" if line else "")
                    + " once folded, with synonyms and function words; remove one"
                )
                self.warnings.append(located(self.where, yamlfile.line_of(raw), problem))

    def intent(self, entry: Any, topics: dict[str, Topic]) -> Intent:
        if not isinstance(entry, dict):
            raise self.fail(
                entry,
                "each intent must be a mapping with id, topic, answer, answer_vi, en, vi, facts",
            )
        intent_id = entry.get("id")
        if not isinstance(intent_id, str) or not _ID.match(intent_id):
            raise self.fail(entry, "intent 'id' must be 1-64 snake_case letters, digits and _")
        topic = entry.get("topic")
        if topic not in topics:
            raise self.fail(entry, f"unknown topic {topic!r}; use one of {', '.join(topics)}")
        answer = entry.get("answer")
        if not isinstance(answer, str) or not answer.strip():
            raise self.fail(entry, f"intent {intent_id!r} has no 'answer' line; write one")
        facts = entry.get("facts")
        if not isinstance(facts, list) or not facts:
            raise self.fail(entry, f"intent {intent_id!r} has no facts; add a seed and quote")
        checked = tuple(self.fact(f) for f in facts)
        self.check_figures(entry, answer, checked)
        answer_vi = self.answer_vi(entry, intent_id, answer)
        en = self.strings(entry, "en", MIN_EN_PHRASINGS)
        vi = self.strings(entry, "vi", MIN_VI_PHRASINGS)
        self.claim_phrasings(intent_id, en, entry["en"])
        self.claim_phrasings(intent_id, vi, entry["vi"])
        self.warn_same_words(entry)
        return Intent(
            id=intent_id,
            topic=str(topic),
            answer=" ".join(answer.split()),
            answer_vi=answer_vi,
            en=en,
            vi=vi,
            facts=checked,
        )


@dataclass(frozen=True, slots=True)
class Curated:
    """The contents of intents.yaml, validated."""

    topics: list[Topic]
    intents: list[Intent]
    synonyms: dict[str, tuple[str, ...]]
    warnings: tuple[str, ...] = ()  # `file:line: problem; fix`, nothing that stops a build


def read_intents(path: Path, seeds: dict[str, Seed], articles: dict[str, Article]) -> Curated:
    """Parse and validate intents.yaml; the first problem found raises `InputError`."""
    reader = _Reader(path, seeds, articles)
    data = yamlfile.load(path)
    if not isinstance(data, dict) or "intents" not in data or "topics" not in data:
        raise InputError(str(path), None, "expected top-level keys 'topics' and 'intents'")
    topics = reader.topics(data["topics"])
    synonyms = reader.synonyms(data)
    reader.same_words = Synonyms(synonyms)
    if not isinstance(data["intents"], list):
        raise reader.fail(data, "'intents' must be a list")
    intents: dict[str, Intent] = {}
    for entry in data["intents"]:
        intent = reader.intent(entry, topics)
        if intent.id in intents:
            raise reader.fail(entry, f"duplicate intent id {intent.id!r}; rename one")
        intents[intent.id] = intent
    return Curated(list(topics.values()), list(intents.values()), synonyms, tuple(reader.warnings))
