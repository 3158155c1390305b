"""`policybot learn`: a maintainer reviews the phrasings feedback proposes, and the
accepted ones go into intents.yaml and facts.db.

Interactively each proposal is shown with its evidence and answered `y` (accept), `n`
(reject: it is not proposed again) or `q` (stop; what was accepted so far is applied).
`--write FILE` writes the proposals as a reviewed-file instead: a YAML list of
`{intent, lang, phrasing, evidence}`; a maintainer deletes the entries they reject, and
`--accept-all FILE` applies the rest (`--accept-all` alone applies every proposal as it
stands). Applying adds the phrasings to intents.yaml (bot/knowledge/phrasings.py: new
lines only) and rebuilds facts.db with `policybot build`'s validation and atomic
write; if the build refuses, intents.yaml is put back as it was and facts.db is untouched.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import TextIO

import yaml

from bot.errors import InputError
from bot.feedback.log import FeedbackLog
from bot.feedback.proposals import Proposal, propose
from bot.knowledge import intents, phrasings, seeds, yamlfile
from bot.models import Intent
from bot.text import fold

Rebuild = Callable[[], Awaitable[None]]  # `policybot build` of the same root (bot.cli)
_HEADER = """\
# Phrasings proposed from users' feedback (policybot learn). Delete the entries you
# reject, then apply the rest with: policybot learn --accept-all THIS_FILE
"""


def review(
    proposals: Iterable[Proposal], ask: TextIO, out: TextIO
) -> tuple[list[Proposal], list[Proposal]]:
    """Ask about each proposal on `ask`; returns the accepted and the rejected ones."""
    accepted: list[Proposal] = []
    rejected: list[Proposal] = []
    for proposal in proposals:
        while True:
            out.write(
                f"{proposal.intent} ({proposal.lang}, {proposal.evidence}): {proposal.phrasing}\n"
                "  add this phrasing? [y]es, [n]o, [q]uit: "
            )
            out.flush()
            answer = ask.readline()
            choice = answer.strip().lower()[:1]
            if not answer or choice == "q":
                out.write("\n" if not answer else "")
                return accepted, rejected
            if choice in ("y", "n"):
                (accepted if choice == "y" else rejected).append(proposal)
                break
            out.write("  please answer y, n or q\n")
    return accepted, rejected


def write_reviewed(path: Path, proposals: Iterable[Proposal]) -> None:
    entries = [
        {"intent": p.intent, "lang": p.lang, "phrasing": p.phrasing, "evidence": p.evidence}
        for p in proposals
    ]
    body = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(_HEADER + (body if entries else "[]\n"), encoding="utf-8")


def read_reviewed(path: Path, intents: Mapping[str, Intent]) -> list[Proposal]:
    """The proposals a maintainer kept in a reviewed file (see `write_reviewed`)."""
    where = str(path)
    data = yamlfile.load(path)
    if not isinstance(data, list):
        raise InputError(
            where,
            None,
            "expected a list of {intent, lang, phrasing} entries;"
            " write one with `policybot learn --write FILE`",
        )
    kept = []
    for entry in data:
        line = yamlfile.line_of(entry)
        if not isinstance(entry, dict):
            raise InputError(
                where, line, "an entry must be a mapping; write intent, lang, phrasing"
            )
        intent, lang, phrasing = entry.get("intent"), entry.get("lang"), entry.get("phrasing")
        if intent not in intents:
            raise InputError(where, line, f"no intent {intent!r}; use an id from intents.yaml")
        if lang not in ("en", "vi"):
            raise InputError(where, line, f"lang {lang!r} is neither en nor vi; write one of them")
        if not isinstance(phrasing, str) or not phrasing.strip():
            raise InputError(where, line, "the phrasing is empty; write the question or delete")
        kept.append(Proposal(str(intent), str(lang), " ".join(phrasing.split())))
    return kept


def new_only(proposals: Iterable[Proposal], intents: Iterable[Intent]) -> list[Proposal]:
    """`proposals` without those already phrasings of an intent (once folded), or repeated."""
    known = {fold(p) for intent in intents for p in intent.phrasings}
    fresh = []
    for proposal in proposals:
        key = fold(proposal.phrasing)
        if key and key not in known:
            known.add(key)
            fresh.append(proposal)
    return fresh


async def learn(
    root: Path,
    feedback: FeedbackLog,
    rebuild: Rebuild,
    *,
    write: Path | None = None,
    accept_all: str | None = None,
    ask: TextIO | None = None,
    out: TextIO | None = None,
) -> None:
    """`policybot learn` over ROOT/intents.yaml: propose, review, apply (see above).
    `accept_all` is a reviewed file's path, "" for every proposal, None to ask on `ask`
    (stdin); what happens is told on `out` (stdout)."""
    ask, out = ask or sys.stdin, out or sys.stdout
    found = seeds.read_seeds(root / "seeds")
    articles = seeds.read_sources(root / "seeds", found)
    curated = intents.read_intents(root / "intents.yaml", found, articles)
    if accept_all:
        by_id = {i.id: i for i in curated.intents}
        proposals = read_reviewed(Path(accept_all), by_id)
    else:
        signals, rejected = await feedback.signals(), await feedback.rejected()
        proposals = propose(signals, curated.intents, rejected)
    proposals = new_only(proposals, curated.intents)
    if write is not None:
        write_reviewed(write, proposals)
        out.write(
            f"wrote {len(proposals)} proposed phrasings to {write}; delete the ones you"
            f" reject, then run: policybot learn --accept-all {write}\n"
        )
        return
    if not proposals:
        out.write("nothing to learn: no new phrasings in the feedback logged in STATE_DB\n")
        return
    if accept_all is not None:
        accepted = proposals
    else:
        accepted, refused = review(proposals, ask, out)
        for proposal in refused:
            await feedback.reject(fold(proposal.phrasing), proposal.intent)
    if not accepted:
        out.write("no phrasing accepted; intents.yaml is unchanged\n")
        return
    await apply(root / "intents.yaml", accepted, rebuild)
    out.write(
        f"added {len(accepted)} phrasings to {root / 'intents.yaml'} and rebuilt facts.db;"
        " run `policybot eval` on the labelled sets before committing them\n"
    )


async def apply(intents_yaml: Path, accepted: Iterable[Proposal], rebuild: Rebuild) -> None:
    """Add `accepted` to `intents_yaml` and rebuild facts.db; restore the file on failure."""
    before = intents_yaml.read_bytes()
    text = phrasings.add(intents_yaml, ((p.intent, p.lang, p.phrasing) for p in accepted))
    phrasings.write_atomically(intents_yaml, text)
    try:
        await rebuild()
    except BaseException:
        phrasings.write_atomically(intents_yaml, before.decode("utf-8"))
        raise
