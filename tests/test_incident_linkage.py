"""The compiled average-link (``linkage.average_link_edges``) gives the labels of the Python loop."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.incident.linkage import average_link, average_link_edges


def _graph(seed: int, n: int, m: int, levels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = i < j
    codes = np.unique(i[keep] * n + j[keep])
    vals = rng.integers(1, levels + 1, codes.size) / levels  # few distinct values: many ties
    return codes // n, codes % n, vals


@pytest.mark.parametrize("seed", range(12))
def test_compiled_average_link_equals_python(seed: int) -> None:
    n = [5, 30, 200, 1500][seed % 4]
    rows, cols, vals = _graph(seed, n, n * (2 + seed % 5), levels=[4, 10, 1000][seed % 3])
    sims = dict(zip(zip(rows.tolist(), cols.tolist(), strict=True), vals.tolist(), strict=True))
    for threshold, cov, rel in ((0.3, 0.0, 0.0), (0.5, 0.3, 0.25), (0.2, 0.5, 0.5)):
        want = average_link(n, sims, threshold=threshold, min_coverage=cov, min_relative=rel)
        got = average_link_edges(n, rows, cols, vals, threshold=threshold, min_coverage=cov, min_relative=rel)
        assert got == want


def test_empty_graph() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert average_link_edges(3, empty, empty, np.zeros(0), threshold=0.5) == [0, 1, 2]
    assert average_link_edges(0, empty, empty, np.zeros(0), threshold=0.5) == []


@pytest.mark.parametrize("seed", range(6))
def test_compiled_average_link_on_unordered_edges(seed: int) -> None:
    # edges in any order and either orientation, with self pairs: the kernel's table path (edges sorted by
    # code take the other); the same labels as the Python loop
    n = [30, 200, 1500][seed % 3]
    rows, cols, vals = _graph(seed + 100, n, n * (3 + seed % 4), levels=[4, 10, 1000][seed % 3])
    sims = dict(zip(zip(rows.tolist(), cols.tolist(), strict=True), vals.tolist(), strict=True))
    rng = np.random.default_rng(seed)
    rows, cols, vals = np.concatenate((rows, [0, 2])), np.concatenate((cols, [0, 2])), np.concatenate((vals, [1, 1]))
    flip = rng.random(rows.size) < 0.5
    rows, cols = np.where(flip, cols, rows), np.where(flip, rows, cols)
    order = rng.permutation(rows.size)
    rows, cols, vals = rows[order], cols[order], vals[order]
    for threshold, cov, rel in ((0.3, 0.0, 0.0), (0.5, 0.3, 0.25), (0.2, 0.5, 0.5)):
        want = average_link(n, sims, threshold=threshold, min_coverage=cov, min_relative=rel)
        got = average_link_edges(n, rows, cols, vals, threshold=threshold, min_coverage=cov, min_relative=rel)
        assert got == want
