"""Index operations: add articles (O(new) lookups), query one text, list the clusters.

An add computes shingles, signatures and band keys of the *new* articles only, finds candidates by
looking their band keys up in the ``bands`` table (plus candidates among themselves), verifies each
candidate pair by exact Jaccard against the stored shingles, and merges clusters with union-find
(union by size: the smaller cluster's rows are relabelled to the larger root). Cluster ids and
representatives follow :mod:`dedup.grouping` (earliest date, then smallest id; ``c-`` + sha1), so
create-then-add gives the same clusters as clustering everything at once (as long as no LSH bucket
exceeds :data:`dedup.near.lsh.MAX_BUCKET`, where the batch engine pairs a bucket as a star).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dedup.engines.local import shingle_sets
from dedup.grouping import cluster_id
from dedup.index.store import PAUSE_ENV, IndexOptions, open_index, write_transaction
from dedup.model import Article
from dedup.near.lsh import band_keys, candidate_pairs
from dedup.near.minhash import signatures
from dedup.near.verify import jaccard, low_bytes, prefilter

__all__ = ["PAUSE_ENV", "AddReport", "add_articles", "cluster_rows", "index_stats", "query_text"]



@dataclass(slots=True)
class AddReport:
    """What one add did: ``joined`` maps a new article id to the cluster it is in after the add and the
    pre-existing clusters (ids before the add) it joined; ``skipped`` lists ids already in the index."""

    added: int = 0
    skipped: list[str] = field(default_factory=list)
    joined: dict[str, dict[str, Any]] = field(default_factory=dict)
    pairs: int = 0
    seconds: float = 0.0
    #: incident mode: earlier articles whose company of earlier articles changed (a merge or a split)
    regrouped: int = 0
    #: incident mode: seconds per stage (analyse, store, rescore, write)
    stages: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "skipped": list(self.skipped), "pairs": self.pairs,
                "regrouped": self.regrouped, "seconds": round(self.seconds, 3),
                **({"stages": {k: round(v, 3) for k, v in self.stages.items()}} if self.stages else {}),
                "joined": self.joined}


def _rep_key(rid: str, date: str | None) -> tuple[bool, str, str]:
    return (date is None, date or "", rid)


def _sets(texts: Sequence[str], o: IndexOptions) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    sets = shingle_sets(texts, kind=o.kind, ngram=o.ngram)
    sigs = signatures(sets, num_perm=o.num_perm, seed=o.seed, dtype=np.uint32)
    return sets, sigs, band_keys(sigs, o.bands, o.rows).view(np.int64)


def _existing_candidates(con: sqlite3.Connection, keys: np.ndarray, rowids: np.ndarray,
                         live: np.ndarray) -> list[tuple[int, int]]:
    """(new rowid, existing rowid) pairs sharing a band key, via a temporary key table."""
    con.execute("CREATE TEMP TABLE IF NOT EXISTS newkeys(key INTEGER, article INTEGER)")
    con.execute("DELETE FROM newkeys")
    rows = [(int(k), int(r)) for r, krow in zip(rowids[live].tolist(), keys[live].tolist()) for k in krow]
    con.executemany("INSERT INTO newkeys VALUES (?, ?)", rows)
    got = con.execute("SELECT DISTINCT n.article, b.article FROM newkeys n JOIN bands b ON b.key = n.key")
    out = sorted(got.fetchall())
    con.execute("DELETE FROM newkeys")
    return out


def add_articles(path: str, articles: Sequence[Article], *, workers: int = 1,
                 progress: Callable[[str, int, int], object] | None = None) -> AddReport:
    """Add ``articles`` to the index at ``path`` in one transaction; see the module doc (an incident
    index: :func:`dedup.index.incident.add_incident`, ``workers`` processes for the analyses, ``progress``
    its stages)."""
    t0 = time.perf_counter()
    con, o = open_index(path)
    if o.mode == "incident":
        con.close()
        from dedup.index.incident import add_incident

        return add_incident(path, articles, workers=workers, progress=progress)
    report = AddReport()
    try:
        from dedup.index.incident import known_ids

        known = known_ids(con, [a.id for a in articles])
        new = [a for a in articles if a.id not in known]
        report.skipped = [a.id for a in articles if a.id in known]
        sets, sigs, keys = _sets([a.text for a in new], o)
        live = np.fromiter((len(s) > 0 for s in sets), dtype=bool, count=len(sets))
    except BaseException:
        con.close()
        raise
    with write_transaction(con, path):
        base = con.execute("SELECT COALESCE(MAX(rowid), 0) FROM articles").fetchone()[0] + 1
        rowids = np.arange(base, base + len(new), dtype=np.int64)
        # 1. candidates: new x existing (band-key lookups), new x new (in memory)
        cross = _existing_candidates(con, keys, rowids, live)
        within = candidate_pairs(keys[live].view(np.uint64)) if live.sum() > 1 else np.empty((0, 2), np.int64)
        lrow = rowids[live]
        cand = [(int(lrow[i]), int(lrow[j])) for i, j in within.tolist()] + cross
        # 2. verify
        old_sets: dict[int, np.ndarray] = {}
        old_sigs: dict[int, np.ndarray] = {}
        need = sorted({b for _, b in cross})
        for s in range(0, len(need), 500):
            q = need[s:s + 500]
            for rid, blob, sblob in con.execute(
                    f"SELECT rowid, shingles, signature FROM articles WHERE rowid IN ({','.join('?' * len(q))})", q):
                old_sets[rid] = np.frombuffer(blob, dtype=np.uint64)
                old_sigs[rid] = np.frombuffer(sblob, dtype=np.uint32)
        new_sets = {int(r): s for r, s in zip(rowids.tolist(), sets)}
        cand = _prefiltered(cand, {**old_sigs, **{int(r): g for r, g in zip(rowids.tolist(), sigs)}}, o)
        verified = []
        for x, y in cand:
            sc = jaccard(new_sets.get(x, old_sets.get(x)), new_sets.get(y, old_sets.get(y)))
            if sc >= o.threshold:
                verified.append((min(x, y), max(x, y), sc))
        # 3. insert the new articles (each its own cluster) and their band keys
        con.executemany(
            "INSERT INTO articles(rowid, id, title, date, source, line, fields, shingles, signature, root) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(int(r), a.id, a.title, a.date, a.source, a.line, json.dumps(a.fields, ensure_ascii=False, default=str),
              s.astype(np.uint64).tobytes(), sig.tobytes(), int(r))
             for r, a, s, sig in zip(rowids.tolist(), new, sets, sigs)])
        con.executemany("INSERT INTO clusters VALUES (?,?,?,?,?)",
                        [(int(r), 1, a.id, a.date, cluster_id(a.id)) for r, a in zip(rowids.tolist(), new)])
        con.executemany("INSERT INTO bands VALUES (?, ?)",
                        [(int(k), int(r)) for r, krow in zip(lrow.tolist(), keys[live].tolist()) for k in krow])
        con.executemany("INSERT OR IGNORE INTO pairs VALUES (?,?,?)", verified)
        # 4. union-find merges; remember which pre-existing clusters each new root absorbed
        new_ids = {int(r) for r in rowids.tolist()}
        olds = sorted({x for a_, b_, _ in verified for x in (a_, b_) if x not in new_ids})
        pre = {x: _cluster_id_of(con, _root(con, x)) for x in olds}
        for a_, b_, _ in sorted(verified):
            ra, rb = _root(con, a_), _root(con, b_)
            if ra != rb:
                _merge(con, ra, rb)
        before: dict[int, set[str]] = {}
        for x in olds:
            before.setdefault(_root(con, x), set()).add(pre[x])
        for r, a in zip(rowids.tolist(), new):
            root = _root(con, int(r))
            size, cid = con.execute("SELECT size, cluster_id FROM clusters WHERE root=?", (root,)).fetchone()
            report.joined[a.id] = {"cluster": cid, "size": size, "existing": sorted(before.get(root, set()))}
        report.added, report.pairs = len(new), len(verified)
    report.seconds = time.perf_counter() - t0
    return report


def _prefiltered(cand: list[tuple[int, int]], sigs: dict[int, np.ndarray], o: IndexOptions
                 ) -> list[tuple[int, int]]:
    """The candidates the engines verify too (:func:`dedup.near.verify.prefilter` on 8-bit signatures)."""
    if not cand:
        return cand
    rows = sorted(sigs)
    at = {r: k for k, r in enumerate(rows)}
    low = low_bytes(np.stack([sigs[r] for r in rows]))
    idx = np.array([(at[x], at[y]) for x, y in cand], dtype=np.int64)
    keep = prefilter(low, idx, threshold=o.threshold)
    return [c for c, k in zip(cand, keep.tolist()) if k]


def _root(con: sqlite3.Connection, rowid: int) -> int:
    return con.execute("SELECT root FROM articles WHERE rowid=?", (rowid,)).fetchone()[0]


def _cluster_id_of(con: sqlite3.Connection, root: int) -> str:
    return con.execute("SELECT cluster_id FROM clusters WHERE root=?", (root,)).fetchone()[0]


def _merge(con: sqlite3.Connection, ra: int, rb: int) -> tuple[int, int]:
    """Union by size: relabel the smaller cluster to the larger root; returns (kept, removed) roots."""
    ca = con.execute("SELECT size, rep_id, rep_date FROM clusters WHERE root=?", (ra,)).fetchone()
    cb = con.execute("SELECT size, rep_id, rep_date FROM clusters WHERE root=?", (rb,)).fetchone()
    if (ca[0], -ra) < (cb[0], -rb):
        ra, rb, ca, cb = rb, ra, cb, ca
    rep = min((ca[1], ca[2]), (cb[1], cb[2]), key=lambda t: _rep_key(t[0], t[1]))
    con.execute("UPDATE articles SET root=? WHERE root=?", (ra, rb))
    con.execute("DELETE FROM clusters WHERE root=?", (rb,))
    con.execute("UPDATE clusters SET size=?, rep_id=?, rep_date=?, cluster_id=? WHERE root=?",
                (ca[0] + cb[0], rep[0], rep[1], cluster_id(rep[0]), ra))
    return ra, rb


def query_text(path: str, text: str, *, top: int = 5) -> list[dict[str, Any]]:
    """The clusters nearest to ``text``: for each cluster with a candidate member, the best exact
    Jaccard to any member, best first (ties by cluster id); ``match`` says if it reaches the threshold.
    An incident index: :func:`dedup.index.incident_query.query_incident` (the text as an undated article)."""
    con, o = open_index(path)
    if o.mode == "incident":
        con.close()
        from dedup.index.incident_query import query_incident

        return query_incident(path, Article(id="query", text=text), top=top)
    try:
        sets, _, keys = _sets([text], o)
        if sets[0].size == 0:
            return []
        ks = [int(k) for k in keys[0]]
        cands = [r[0] for r in con.execute(
            f"SELECT DISTINCT article FROM bands WHERE key IN ({','.join('?' * len(ks))})", ks)]
        best: dict[int, tuple[float, str]] = {}
        for s in range(0, len(cands), 500):
            q = cands[s:s + 500]
            for rid, aid, blob, root in con.execute(
                    f"SELECT rowid, id, shingles, root FROM articles WHERE rowid IN ({','.join('?' * len(q))})", q):
                sc = jaccard(sets[0], np.frombuffer(blob, dtype=np.uint64))
                if root not in best or sc > best[root][0] or (sc == best[root][0] and aid < best[root][1]):
                    best[root] = (sc, aid)
        out = []
        for root, (sc, aid) in best.items():
            size, rep, cid = con.execute("SELECT size, rep_id, cluster_id FROM clusters WHERE root=?",
                                         (root,)).fetchone()
            out.append({"cluster": cid, "size": size, "representative": rep, "best_member": aid,
                        "score": sc, "match": sc >= o.threshold})
    finally:
        con.close()
    out.sort(key=lambda d: (-d["score"], d["cluster"]))
    return out[:top]


def cluster_rows(path: str) -> list[dict[str, Any]]:
    """One row per indexed article: its cluster, sorted like ``build_clusters`` ((-size, id), then id)."""
    con, _ = open_index(path)
    try:
        rows = con.execute(
            "SELECT c.cluster_id, c.size, c.rep_id, a.id, a.title, a.date, a.source FROM articles a "
            "JOIN clusters c ON a.root = c.root ORDER BY c.size DESC, c.cluster_id, a.id").fetchall()
    finally:
        con.close()
    return [{"cluster_id": c, "cluster_size": s, "representative": r, "id": i, "title": t, "date": d,
             "source": src} for c, s, r, i, t, d, src in rows]


def index_stats(path: str) -> dict[str, Any]:
    """Counts and options of the index."""
    con, o = open_index(path)
    try:
        n = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        c = con.execute("SELECT COUNT(*) FROM clusters").fetchone()[0]
        p = con.execute("SELECT COUNT(*) FROM pairs").fetchone()[0]
        extra = {}
        if o.mode == "incident":
            from dedup.index.incident import load_stats

            terms, _, frozen_n, used = load_stats(con)
            extra = {"threshold_used": used, "terms": int(terms.size)}
            if o.statistics == "frozen":  # the statistics are the first add's
                extra["frozen_articles"] = frozen_n
    finally:
        con.close()
    return {"articles": n, "clusters": c, "pairs": p, **extra, "options": o.to_dict()}
