"""Average-link agglomerative clustering over a sparse similarity graph.

Start from singletons; repeatedly merge the two clusters ``A``, ``B`` with the highest average similarity
``sum_{a in A, b in B} s(a, b) / (|A| |B|)`` (pairs missing from the graph count as 0), while it is
``>= threshold``. Unlike single-link (union-find), one strong edge between two large groups cannot merge
them: a shared background paragraph between two articles does not chain their stories together.

With ``min_coverage = c > 0`` a merge also needs ``|{(a, b): s(a, b) >= threshold}| >= c |A| |B|``: at
least a fraction ``c`` of the cross pairs must pass the threshold themselves, so a few very strong pairs
(two reports of one side event) cannot carry two otherwise weakly related groups.

With ``min_relative = r > 0`` a merge also needs the average cross similarity to be ``>= r`` times the
*cohesion* (mean similarity over its own pairs, missing pairs 0) of the looser of the two groups, or of
the group when the other is a single article (relative closeness, as in Karypis et al.'s Chameleon):
two tight groups only loosely related to each other (two obituaries of one week, each reported by
several outlets) stay apart even when their cross average clears the global threshold. Two single
articles are never blocked by this rule.

With ``cores`` (:class:`dedup.incident.cores.EntityCores`) a merge of two groups of a few articles each
is also refused when each names its own core actors that the other never names (``cores.group_conflict``;
checked when the merge comes up, so a refused pair is looked at again after either group changes).

Ties are broken by the smaller (cluster root) indices, so the result depends only on the graph,
not on the order edges are given. A merge folds the cluster with fewer graph neighbours into the other
(small-to-large), so the cost is about ``O(E log E)`` dictionary updates for ``E`` edges.

:func:`average_link_edges` takes the edges as arrays and runs a compiled Numba kernel
(``dedup.incident._linkage_kernel``) where Numba is available (not with ``DEDUP_NO_JIT``), else this module's
Python loop; both do the same float operations in the same order, so the labels are identical.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

import numpy as np

from dedup.incident.cores import EntityCores, group_conflict
from dedup.near import jit


def average_link_edges(n: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, *, threshold: float,
                       min_coverage: float = 0.0, min_relative: float = 0.0,
                       cores: EntityCores | None = None) -> list[int]:
    """:func:`average_link` over edges ``(rows[e], cols[e], vals[e])``, compiled where Numba is available."""
    if n and jit.use():
        from dedup.incident._linkage_kernel import average_link_table

        # pair counts are at most |A| |B| <= n^2 / 4: int32 while that fits
        counts = np.zeros(int(len(rows) / 0.6) + 16, np.int32 if n <= 65535 else np.int64)
        if cores is None:
            ptr, ids, w, params, min_group, min_core = (np.zeros(n + 1, np.int64), np.zeros(0, np.int32),
                                                        np.zeros(0), np.zeros(3), n + 1, 0)
        else:
            ptr, ids, w, params = cores.ptr, cores.ids, cores.weight, cores.params
            min_group, min_core = cores.min_group, cores.min_core
        out = average_link_table(n, np.asarray(rows, np.int64), np.asarray(cols, np.int64),
                                 np.asarray(vals, np.float64), float(threshold), float(min_coverage),
                                 float(min_relative), counts, np.asarray(ptr, np.int64), np.asarray(ids, np.int32),
                                 np.asarray(w, np.float64), params, int(min_group), int(min_core))
        return out.tolist()
    sims = dict(zip(zip(np.asarray(rows).tolist(), np.asarray(cols).tolist(), strict=True),
                    np.asarray(vals, np.float64).tolist(), strict=True))
    return average_link(n, sims, threshold=threshold, min_coverage=min_coverage, min_relative=min_relative,
                        cores=cores)


def average_link(n: int, sims: Mapping[tuple[int, int], float], *, threshold: float,
                 min_coverage: float = 0.0, min_relative: float = 0.0,
                 cores: EntityCores | None = None) -> list[int]:
    """Cluster label (the smallest member index) of each of ``n`` items.

    ``sims`` maps ``(i, j)`` (``i != j``; either order, one entry per pair) to a similarity in [0, 1].
    ``min_coverage``: fraction of cross pairs that must reach ``threshold`` for a merge (0 = plain
    average link). ``min_relative``: fraction of the looser group's cohesion the cross average must reach
    (0 = off). ``cores``: each item's entities, whose group conflicts refuse merges (``None``: off).
    """
    adj: list[dict[int, float]] = [{} for _ in range(n)]
    cnt: list[dict[int, int]] = [{} for _ in range(n)]
    for (i, j), s in sims.items():
        if i == j:
            continue
        adj[i][j] = adj[i].get(j, 0.0) + s
        adj[j][i] = adj[j].get(i, 0.0) + s
        if s >= threshold:
            cnt[i][j] = cnt[j][i] = 1
    size = [1] * n
    version = [0] * n
    alive = [True] * n
    parent = list(range(n))
    low = list(range(n))
    inner = [0.0] * n  # sum of the similarities inside each cluster
    members = [[x] for x in range(n)]

    def cohesion(i: int) -> float | None:
        return inner[i] / (size[i] * (size[i] - 1) / 2) if size[i] > 1 else None

    def ok(i: int, k: int, avg: float) -> bool:
        if avg < threshold or cnt[i].get(k, 0) < min_coverage * size[i] * size[k]:
            return False
        if min_relative > 0:
            coh = [c for c in (cohesion(i), cohesion(k)) if c is not None]
            if coh and avg < min_relative * min(coh):
                return False
        return True

    heap = [(-s, i, j, 0, 0) for i in range(n) for j, s in adj[i].items() if i < j and ok(i, j, s)]
    heapq.heapify(heap)
    while heap:
        _, i, j, vi, vj = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or version[i] != vi or version[j] != vj:
            continue
        if cores is not None and group_conflict(cores, members[i], members[j]):
            continue  # refused now; looked at again when either group changes
        # merge the cluster with fewer neighbours into the other (fewer dictionary updates); the
        # label of a cluster is still its smallest member index (``low``)
        if len(adj[j]) > len(adj[i]):
            i, j = j, i
        alive[j] = False
        parent[j] = i
        members[i] += members[j]
        members[j] = []
        inner[i] += inner[j] + adj[i].get(j, 0.0)
        low[i] = min(low[i], low[j])
        for k, s in adj[j].items():
            if k == i:
                continue
            del adj[k][j]
            adj[k][i] = adj[k].get(i, 0.0) + s
            adj[i][k] = adj[i].get(k, 0.0) + s
        for k, c in cnt[j].items():
            if k == i:
                continue
            del cnt[k][j]
            cnt[k][i] = cnt[i][k] = cnt[i].get(k, 0) + c
        adj[i].pop(j, None)
        cnt[i].pop(j, None)
        adj[j] = {}
        cnt[j] = {}
        size[i] += size[j]
        version[i] += 1
        for k, s in adj[i].items():
            avg = s / (size[i] * size[k])
            if ok(i, k, avg):
                lo, hi = min(i, k), max(i, k)
                heapq.heappush(heap, (-avg, lo, hi, version[lo], version[hi]))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    return [low[root(x)] for x in range(n)]
