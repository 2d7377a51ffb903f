"""The compiled average-link (``linkage.average_link_edges``) gives the labels of the Python loop."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.incident.cores import EntityCores, entity_cores
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


def _cores(seed: int, n: int) -> EntityCores:
    # each item names a few entities of its "event" (n // 8 events, 6 names each) and one common name:
    # groups of one event share a core, groups of two events often name none of the other's
    rng = np.random.default_rng(seed)
    names = []
    for x in range(n):
        event = x % max(1, n // 8)
        own = rng.choice(6, size=rng.integers(2, 6), replace=False) + 6 * event
        names.append(np.unique(np.append(own, 10_000)).astype(np.uint64))
    return entity_cores(names, conflict=0.5, min_group=2, min_core=2)


@pytest.mark.parametrize("seed", range(8))
def test_compiled_group_conflicts_equal_python(seed: int) -> None:
    n = [30, 200, 1500, 80][seed % 4]
    rows, cols, vals = _graph(seed + 200, n, n * (3 + seed % 4), levels=[4, 10, 1000][seed % 3])
    # and most pairs of one topic's items: two events (x % events) a topic, one event's items the closer
    events = max(2, n // 8)
    rng = np.random.default_rng(seed)
    i, j = np.triu_indices(n, 1)
    topic = (i % events) // 2 == (j % events) // 2
    same = topic & (i % events == j % events)
    extra = topic & (rng.random(i.size) < 0.8)
    codes = np.unique(np.concatenate((rows * n + cols, i[extra] * n + j[extra])))
    vals = np.round(rng.uniform(0.1, 0.4, codes.size) + 0.2 * np.isin(codes, i[extra] * n + j[extra])
                    + 0.3 * np.isin(codes, i[same] * n + j[same]), 2)
    rows, cols = codes // n, codes % n
    sims = dict(zip(zip(rows.tolist(), cols.tolist(), strict=True), vals.tolist(), strict=True))
    cores = _cores(seed, n)
    refused = False
    for threshold, cov, rel in ((0.2, 0.0, 0.0), (0.3, 0.3, 0.25), (0.15, 0.0, 0.5)):
        want = average_link(n, sims, threshold=threshold, min_coverage=cov, min_relative=rel, cores=cores)
        got = average_link_edges(n, rows, cols, vals, threshold=threshold, min_coverage=cov, min_relative=rel,
                                 cores=cores)
        assert got == want
        plain = average_link(n, sims, threshold=threshold, min_coverage=cov, min_relative=rel)
        refused = refused or plain != want
    assert refused  # the conflicts took part in every graph
