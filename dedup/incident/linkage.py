"""Average-link agglomerative clustering over a sparse similarity graph.

Start from singletons; repeatedly merge the two clusters ``A``, ``B`` with the highest average similarity
``sum_{a in A, b in B} s(a, b) / (|A| |B|)`` (pairs missing from the graph count as 0), while it is
``>= threshold``. Unlike single-link (union-find), one strong edge between two large groups cannot merge
them: a shared background paragraph between two articles does not chain their stories together.

Ties are broken by the smaller (cluster root) indices, so the result depends only on the graph,
not on the order edges are given.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping


def average_link(n: int, sims: Mapping[tuple[int, int], float], *, threshold: float) -> list[int]:
    """Cluster label (the smallest member index) of each of ``n`` items.

    ``sims`` maps ``(i, j)`` (``i != j``; either order, one entry per pair) to a similarity in [0, 1].
    """
    adj: list[dict[int, float]] = [{} for _ in range(n)]
    for (i, j), s in sims.items():
        if i == j:
            continue
        adj[i][j] = adj[i].get(j, 0.0) + s
        adj[j][i] = adj[j].get(i, 0.0) + s
    size = [1] * n
    version = [0] * n
    alive = [True] * n
    parent = list(range(n))
    heap = [(-s, i, j, 0, 0) for i in range(n) for j, s in adj[i].items() if i < j and s >= threshold]
    heapq.heapify(heap)
    while heap:
        _, i, j, vi, vj = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or version[i] != vi or version[j] != vj:
            continue
        # merge j into i (i < j): the root is always the smallest index
        alive[j] = False
        parent[j] = i
        for k, s in adj[j].items():
            if k == i:
                continue
            del adj[k][j]
            adj[k][i] = adj[k].get(i, 0.0) + s
            adj[i][k] = adj[i].get(k, 0.0) + s
        adj[i].pop(j, None)
        adj[j] = {}
        size[i] += size[j]
        version[i] += 1
        for k, s in adj[i].items():
            avg = s / (size[i] * size[k])
            if avg >= threshold:
                lo, hi = min(i, k), max(i, k)
                heapq.heappush(heap, (-avg, lo, hi, version[lo], version[hi]))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    return [root(x) for x in range(n)]
