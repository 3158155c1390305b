"""The phrasings nearest a text by `fuzz.ratio`, without comparing every phrasing.

`search` returns exactly what `process.extract(text, texts, scorer=fuzz.ratio,
limit=k)` returns (best first, ties to the earlier text), but a large table costs
a fraction of a full scan: `fuzz.ratio` is 200·LCS/(a + b) for lengths a and b, so
it is at most 200·min(a, b)/(a + b). Texts are kept in groups of similar length;
a search visits the groups from the most to the least promising and stops at the
first whose bound is below the k-th best score found so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# Texts per group, at least (bar the last): each scan costs a call and a sort, so
# smaller groups cost more than they let a search skip.
GROUP_SIZE = 1024
ROUNDING = 1e-6  # float slack when comparing a length bound with a score


@dataclass(frozen=True, slots=True)
class _Group:
    shortest: int
    longest: int
    texts: list[str]
    positions: list[int]  # ascending, so rapidfuzz breaks ties as a full scan does

    def bound(self, size: int) -> float:
        """The highest `fuzz.ratio` a text of length `size` can reach in this group."""
        if size < self.shortest:
            return 200 * size / (self.shortest + size)
        if size > self.longest:
            return 200 * self.longest / (self.longest + size)
        return 100.0


class Nearest:
    """An index over `texts` for `search`; `texts` lists them again, in order."""

    def __init__(self, texts: Sequence[str], group_size: int = GROUP_SIZE) -> None:
        by_length: dict[int, list[int]] = {}
        for pos, text in enumerate(texts):
            by_length.setdefault(len(text), []).append(pos)
        self.texts: list[str] = list(texts)
        self._groups: list[_Group] = []
        pending: list[int] = []
        shortest = 0
        lengths = sorted(by_length)
        for n, length in enumerate(lengths):
            if not pending:
                shortest = length
            pending += by_length[length]
            if len(pending) >= group_size or n == len(lengths) - 1:
                pending.sort()
                # Fresh copies, made group by group, lie side by side in memory: a scan
                # over strings scattered across the heap is several times slower.
                copies = [texts[pos].encode().decode() for pos in pending]
                for pos, copy in zip(pending, copies, strict=True):
                    self.texts[pos] = copy
                self._groups.append(_Group(shortest, length, copies, pending))
                pending = []

    def search(self, text: str, limit: int) -> list[tuple[float, int]]:
        """The `limit` texts most similar to `text`, as (score, position), best first."""
        size = len(text)
        groups = sorted(self._groups, key=lambda g: (-g.bound(size), g.shortest))
        best: list[tuple[float, int]] = []  # (-score, position): plain tuple order
        cutoff = 0.0
        for group in groups:
            if len(best) == limit and group.bound(size) < cutoff - ROUNDING:
                break
            # rapidfuzz turns score_cutoff into a whole number of matching characters and
            # may round a score equal to the cutoff away: ask for two characters less.
            slack = 400 / max(1, group.shortest + size)
            found = process.extract(
                text,
                group.texts,
                scorer=fuzz.ratio,
                limit=limit,
                score_cutoff=max(0.0, cutoff - slack),
            )
            if found:
                positions = group.positions
                best += [(-score, positions[n]) for _, score, n in found]
                best.sort()
                del best[limit:]
                if len(best) == limit:
                    cutoff = -best[-1][0]
        return [(-negative, pos) for negative, pos in best]
