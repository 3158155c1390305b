"""A gradient-boosted tree ensemble as the build stores it, evaluated with NumPy.

scikit-learn trains the trees at build time (`bot/evaluation/training.py`); the
running bot keeps only their node arrays and walks them here, so it never imports
scikit-learn. All trees and all candidates of a question are walked at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Tree:
    """One regression tree as node arrays: a row goes left where its feature is at most
    the threshold."""

    feature: tuple[int, ...]  # negative at a leaf
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]


class Forest:
    """All trees' nodes in flat arrays, so that NumPy walks every tree for every
    candidate at once: one step per level, not one per node of each tree.

    A leaf points to itself with an infinite threshold, so walking on from it stays.
    """

    def __init__(self, trees: Sequence[Tree]) -> None:
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        roots: list[int] = []
        for t in trees:
            root = len(feature)
            roots.append(root)
            for node, f in enumerate(t.feature):
                leaf = f < 0
                feature.append(0 if leaf else f)
                threshold.append(math.inf if leaf else t.threshold[node])
                left.append(root + (node if leaf else t.left[node]))
                right.append(root + (node if leaf else t.right[node]))
                value.append(t.value[node])
        self._feature = np.array(feature, dtype=np.int64)
        self._threshold = np.array(threshold)
        self._left = np.array(left, dtype=np.int64)
        self._right = np.array(right, dtype=np.int64)
        self._value = np.array(value)
        self._roots = np.array(roots, dtype=np.int64)
        self._depth = max((_depth(t) for t in trees), default=0)

    def sums(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """For each feature row, the sum of the trees' values at its leaves."""
        x = np.array(rows, dtype=np.float64).reshape(len(rows), -1)
        node = np.broadcast_to(self._roots, (len(rows), len(self._roots)))
        for _ in range(self._depth):
            seen = np.take_along_axis(x, self._feature[node], axis=1)
            node = np.where(seen <= self._threshold[node], self._left[node], self._right[node])
        return [float(v) for v in self._value[node].sum(axis=1)]


def _depth(tree: Tree, node: int = 0) -> int:
    if tree.feature[node] < 0:
        return 0
    return 1 + max(_depth(tree, tree.left[node]), _depth(tree, tree.right[node]))
