"""Clustering: union-find over verified pairs, with deterministic ids and representatives.

Rules (independent of input order and worker count):

* every article is in exactly one cluster (an article without pairs is a cluster of one);
* ``members`` are sorted by id; ``pairs`` are the verified pairs inside the cluster, sorted by ``(a, b)``;
* the **representative** is the member with the earliest ``date``, ties (and undated members, which
  come after every dated one) broken by the smallest id;
* the **cluster id** is ``"c-"`` + the first 10 hex digits of ``sha1(representative id, UTF-8)``;
* clusters are sorted by ``(-size, id)``.

The whole flow (read ... write) is :func:`dedup.pipeline.cluster`, exported as ``dedup.cluster``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from dedup.model import Article, Cluster, Pair

__all__ = ["UnionFind", "build_clusters", "cluster_id", "representative"]


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


def cluster_id(representative_id: str) -> str:
    """``"c-"`` + first 10 hex digits of the SHA-1 of the representative's id."""
    return "c-" + hashlib.sha1(representative_id.encode("utf-8")).hexdigest()[:10]


def representative(members: Iterable[Article]) -> Article:
    """The earliest-dated member (undated ones last), ties broken by the smallest id."""
    return min(members, key=lambda a: (a.date is None, a.date or "", a.id))


def unique_pairs(pairs: Iterable[Pair]) -> list[Pair]:
    """One pair per ``{a, b}`` (``a < b``), the best-scoring one if repeated (ties: by evidence)."""
    best: dict[tuple[str, str], Pair] = {}
    for p in pairs:
        if p.a > p.b:
            p = Pair(p.b, p.a, p.score, p.evidence)
        key = (p.a, p.b)
        cur = best.get(key)
        if cur is None or (p.score, sorted(p.evidence.items())) > (cur.score, sorted(cur.evidence.items())):
            best[key] = p
    return [best[k] for k in sorted(best)]


def build_clusters(articles: Sequence[Article], pairs: Iterable[Pair]) -> list[Cluster]:
    """Group ``articles`` into clusters: the connected components of the graph of verified ``pairs``.

    A pair given twice (or as ``(b, a)``) counts once, with its best score.

    Raises ``ValueError`` if a pair names an id that is not among ``articles``.
    """
    index = {a.id: i for i, a in enumerate(articles)}
    uf = UnionFind(len(articles))
    pair_list = unique_pairs(pairs)
    for p in pair_list:
        try:
            uf.union(index[p.a], index[p.b])
        except KeyError as exc:
            raise ValueError(f"pair ({p.a!r}, {p.b!r}) names an unknown article {exc.args[0]!r}") from None
    touched = {index[p.a] for p in pair_list} | {index[p.b] for p in pair_list}
    groups: dict[int, list[Article]] = {}
    # clusters (or the root of a group) in order of their first member, as they are sorted from
    clusters: list[Cluster | int] = []
    for i, art in enumerate(articles):
        if i not in touched:  # a cluster of one, made at once
            clusters.append(Cluster(id=cluster_id(art.id), members=[art.id], representative=art.id, pairs=[]))
            continue
        root = uf.find(i)
        if root not in groups:
            groups[root] = []
            clusters.append(root)
        groups[root].append(art)
    by_root: dict[int, list[Pair]] = {}
    for p in pair_list:
        by_root.setdefault(uf.find(index[p.a]), []).append(p)
    for k, c in enumerate(clusters):
        if isinstance(c, int):
            members = groups[c]
            rep = representative(members)
            inside = sorted(by_root.get(c, []), key=lambda p: (p.a, p.b))
            clusters[k] = Cluster(id=cluster_id(rep.id), members=sorted(a.id for a in members),
                                  representative=rep.id, pairs=inside)
    out: list[Cluster] = clusters  # type: ignore[assignment]  # every root replaced above
    out.sort(key=lambda c: (-c.size, c.id))
    return out
