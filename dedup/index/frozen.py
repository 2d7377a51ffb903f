"""Incident index with frozen statistics (``dedup index create --mode incident --statistics frozen``): an add
costs what its new articles cost, not what the index costs.

The first add freezes the statistics of its articles: ``N``, every term's and fact's document frequency,
and the threshold (``--threshold``, or the adaptive one ``dedup cluster`` would choose for that batch).
From then on, every rule is a function of a pair alone, so the index after any sequence of later adds is
the same whatever their batches and order:

* weights: ``idf(t) = log((N + 1) / max(df(t), 1))`` of the frozen counts, every term kept (a term unseen
  at the freeze weighs as a term of one article: new incidents bring new names);
* candidates: two articles sharing a term, or a fact, that was in at most :func:`rare_df` articles at the
  freeze (or in none), found through the ``postings`` / ``fact_postings`` tables, and dated at most
  :data:`WINDOW_DAYS` apart (or not both dated);
* pair score: :func:`dedup.index.incident_query.pair_scores` with those weights (document, facts, lead,
  passages, time factor, conflicts, the weights of :mod:`dedup.incident.score`); passages without the
  spread (it counts matches over the whole corpus); an edge is stored when its score reaches
  ``score.FLOOR_RATIO`` times the threshold;
* grouping: ``score.group`` (average link with its coverage, relative-closeness and entity-core rules) over
  each connected component of the stored edges that the new articles touch, articles in id order.
  Average link never merges across components, and a component no add touches keeps its edges, so its
  groups stay what they were.

:func:`reindex` (``dedup index reindex``) freezes the statistics again on every article then indexed and
re-scores everything under them: the index is then what one first add of all of them would have made.

What this gives up against ``statistics="exact"``: the result is not ``dedup cluster`` over everything
(statistics, candidates and spread differ), and it depends on what the first add held; seed it with a
representative batch (a small first batch leaves common words "rare", and their postings become
candidates).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from dedup.grouping import build_clusters
from dedup.index.codec import decode
from dedup.index.incident_query import Weights
from dedup.index.store import IndexOptions
from dedup.model import Article, Pair

__all__ = ["FROZEN_DF", "FROZEN_SCHEMA", "FROZEN_SHARE", "WINDOW_DAYS", "frozen_stats", "link_frozen", "rare_df",
           "reindex"]

#: Two articles are candidates when they share a term or fact that at most ``rare_df(N)`` articles held at
#: the freeze (or none did): ``FROZEN_SHARE`` of the frozen ``N``, at least 1 and at most ``FROZEN_DF``.
FROZEN_DF = 50
FROZEN_SHARE = 0.01
#: ... and are dated at most this many days apart (or either is undated): the candidates of an article are
#: bounded by what was published around it, not by the size of the archive.
WINDOW_DAYS = 365


def rare_df(n: int) -> int:
    """The largest frozen document frequency of a term that makes candidates (see :data:`FROZEN_DF`)."""
    return max(1, min(FROZEN_DF, int(FROZEN_SHARE * n)))

FROZEN_SCHEMA = """;
CREATE TABLE edges(a INTEGER NOT NULL, b INTEGER NOT NULL, score REAL NOT NULL, PRIMARY KEY(a, b)) WITHOUT ROWID;
CREATE INDEX edges_b ON edges(b)
"""

Progress = Callable[[str, int, int], object] | None


def frozen_stats(con: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray, int, float, dict[str, int]] | None:
    """``(term hashes, their df, N, threshold, fact df)`` frozen by the first add, ``None`` before it."""
    got = dict(con.execute("SELECT name, data FROM stats WHERE name LIKE 'frozen_%'"))
    if not got:
        return None
    return (np.frombuffer(got["frozen_terms"], dtype="<u8").astype(np.uint64),
            np.frombuffer(got["frozen_df"], dtype="<i8").astype(np.int64), int(got["frozen_n"]),
            float(got["frozen_threshold"]), json.loads(got["frozen_facts"]))


def _freeze(con: sqlite3.Connection, o: IndexOptions, arts: list[Article], analyses: dict[str, object]) -> None:
    from dedup.incident import score
    from dedup.incident.features import hashed_frequencies

    ana = [analyses[a.id] for a in arts]
    uniq, dfc = hashed_frequencies([a.terms for a in ana])
    facts = Counter(k for a in ana for k in a.fact_keys)
    threshold = o.threshold
    if threshold is None:  # the adaptive threshold dedup cluster would use on this batch
        threshold = score.build_graph(arts, num_perm=o.num_perm, seed=o.seed, analyses=analyses).threshold
    rows = {"frozen_terms": uniq.astype("<u8").tobytes(), "frozen_df": dfc.astype("<i8").tobytes(),
            "frozen_n": str(len(ana)).encode(), "frozen_threshold": repr(float(threshold)).encode(),
            "frozen_facts": json.dumps(dict(sorted(facts.items())), ensure_ascii=False).encode()}
    # the statistics the query reads: the frozen ones
    rows.update(terms=rows["frozen_terms"], df=rows["frozen_df"], n=rows["frozen_n"], threshold=rows["frozen_threshold"])
    con.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?)", sorted(rows.items()))


def _weights(uniq: np.ndarray, dfc: np.ndarray, n: int, fact_df: dict[str, int]) -> Weights:
    from dedup.index.incident_query import _df

    def idf(h: np.ndarray) -> np.ndarray:
        return np.log((n + 1) / np.maximum(_df(uniq, dfc, h), 1).astype(np.float64))

    def fact_idf(keys: list[str]) -> np.ndarray:
        return np.array([np.log((n + 1) / max(fact_df.get(k, 0), 1)) for k in keys])

    return Weights(idf, idf, fact_idf, 0)


def _in(con: sqlite3.Connection, sql: str, values: Sequence) -> list[tuple]:
    from dedup.index.incident_query import _in as chunked

    return chunked(con, sql, values)


def _day_of(a: int, new_days: dict[int, int | None], days: np.ndarray) -> int | None:
    if a in new_days:
        return new_days[a]
    return int(days[a]) if a < days.size and days[a] >= 0 else None


def _candidates(con: sqlite3.Connection, new: dict[int, object], new_days: dict[int, int | None],
                stats: tuple) -> set[tuple[int, int]]:
    """Every pair ``(a, b)`` (rowids, ``a < b``) with a new article that shares a rare term or fact and is
    dated within :data:`WINDOW_DAYS` of it (or undated)."""
    from dedup.index.incident import load_days
    from dedup.index.incident_query import _df

    uniq, dfc, n, _, fact_df = stats
    limit = rare_df(n)
    days = load_days(con)  # as of the last add: every earlier article
    pairs: set[tuple[int, int]] = set()
    for r, an in new.items():
        rare = an.terms[_df(uniq, dfc, an.terms) <= limit].view(np.int64).tolist()
        facts = [k for k in an.fact_keys if fact_df.get(k, 0) <= limit]
        others = {a for (a,) in _in(con, "SELECT DISTINCT article FROM postings WHERE term IN ({})", rare)}
        others |= {a for (a,) in _in(con, "SELECT DISTINCT article FROM fact_postings WHERE fact IN ({})", facts)}
        others.discard(r)
        mine = new_days[r]
        if mine is not None:
            others = {a for a in others if (d := _day_of(a, new_days, days)) is None or abs(d - mine) <= WINDOW_DAYS}
        pairs.update((min(r, a), max(r, a)) for a in others)
    return pairs


def _score_pairs(con: sqlite3.Connection, pairs: set[tuple[int, int]], new: dict[int, object], stats: tuple,
                 progress: Progress) -> list[tuple[int, int, float]]:
    """The edges among ``pairs`` whose score reaches ``FLOOR_RATIO`` times the threshold. Every weight is the
    pair's alone, so scoring them all at once gives the floats of any other grouping (any batches)."""
    from dedup.incident import score
    from dedup.index.incident_query import _passage_scores, edge_scores

    if not pairs:
        return []
    ends = sorted({x for p in pairs for x in p})
    meta = {r: (i, d, blob) for r, i, d, blob in _in(
        con, "SELECT a.rowid, a.id, a.date, n.data FROM articles a JOIN analyses n ON n.article = a.rowid "
             "WHERE a.rowid IN ({})", ends)}
    at = {r: k for k, r in enumerate(ends)}
    docs = [new[r] if r in new else decode(meta[r][2]) for r in ends]
    w = _weights(stats[0], stats[1], stats[2], stats[4])
    plist = sorted(pairs)
    # passages: each new article against its partners (every pair has a new end; the overlap of two windows
    # is the same float whichever end asks, so the grouping does not change it)
    by_anchor: dict[int, list[tuple[int, int]]] = {}
    for e, (a, b) in enumerate(plist):
        anchor, other = (a, b) if a in new else (b, a)
        by_anchor.setdefault(anchor, []).append((e, other))
    passages = np.zeros(len(plist))
    for k, (a, es) in enumerate(sorted(by_anchor.items())):
        passages[[e for e, _ in es]] = _passage_scores([docs[at[a]], *(docs[at[o]] for _, o in es)], w)
        if progress and k % 50 == 0:
            progress("scoring new pairs", k, len(by_anchor))
    rows = np.array([at[a] for a, _ in plist], dtype=np.int64)
    cols = np.array([at[b] for _, b in plist], dtype=np.int64)
    sc = edge_scores(docs, [meta[r][1] for r in ends], rows, cols, w, passages)
    floor = score.FLOOR_RATIO * stats[3]
    return [(a, b, s) for (a, b), s in zip(plist, sc.tolist(), strict=True) if s >= floor]


def _component(con: sqlite3.Connection, start: set[int]) -> tuple[set[int], list[tuple[int, int, float]]]:
    """The articles connected to ``start`` by stored edges, and those edges."""
    seen, frontier, edges = set(start), set(start), set()
    while frontier:
        got: list[tuple[int, int, float]] = []
        ask = sorted(frontier)
        for s in range(0, len(ask), 400):
            q = ask[s:s + 400]
            marks = ",".join("?" * len(q))
            got += con.execute(f"SELECT a, b, score FROM edges WHERE a IN ({marks}) OR b IN ({marks})", q + q).fetchall()
        edges.update(got)
        frontier = {x for a, b, _ in got for x in (a, b)} - seen
        seen |= frontier
    return seen, sorted(edges)


def link_frozen(con: sqlite3.Connection, o: IndexOptions, arts: list[Article], new: dict[int, object],
                at: dict[str, int], progress: Progress = None
                ) -> tuple[list, list[Pair], dict[str, int], dict[str, str | None]]:
    """Score the new articles' pairs, store the edges, and group the components they touch again:
    ``(clusters of those components, their pairs, rowid and date of each of their ids)``; ``arts`` are the new
    articles (freezing the statistics first when this is the first add)."""
    from dedup.incident import score
    from dedup.incident.calibration import _day
    from dedup.incident.cores import entity_cores
    from dedup.incident.graph import IncidentGraph

    stats = frozen_stats(con)
    if stats is None:
        _freeze(con, o, arts, {a.id: new[at[a.id]] for a in arts})
        stats = frozen_stats(con)
    new_days = {at[a.id]: _day(a.date) for a in arts}
    edges = _score_pairs(con, _candidates(con, new, new_days, stats), new, stats, progress)
    con.executemany("INSERT OR REPLACE INTO edges VALUES (?,?,?)", edges)
    members, comp_edges = _component(con, set(new))
    info = sorted(_in(con, "SELECT a.id, a.rowid, a.date, n.data FROM articles a JOIN analyses n "
                           "ON n.article = a.rowid WHERE a.rowid IN ({})", sorted(members)))
    idx = {r: k for k, (_, r, _, _) in enumerate(info)}
    marts = [Article(id=i, text="", date=d) for i, _, d, _ in info]
    ents = [(new[r] if r in new else decode(blob)).entities for _, r, _, blob in info]
    rows = np.array([min(idx[a], idx[b]) for a, b, _ in comp_edges], dtype=np.int64)
    cols = np.array([max(idx[a], idx[b]) for a, b, _ in comp_edges], dtype=np.int64)
    vals = np.array([s for _, _, s in comp_edges], dtype=np.float64)
    order = np.lexsort((cols, rows))
    graph = IncidentGraph(marts, {}, stats[3], rows[order], cols[order], {"combined": vals[order]},
                          cores=entity_cores(ents))
    labels = score.group(graph)
    keep = [e for e in order.tolist() if labels[rows[e]] == labels[cols[e]] and vals[e] >= stats[3]]
    pairs = [Pair(marts[rows[e]].id, marts[cols[e]].id, float(vals[e])) for e in keep]
    return build_clusters(marts, pairs), pairs, {i: r for i, r, _, _ in info}, {i: d for i, _, d, _ in info}


def reindex(path: str, *, progress: Progress = None) -> dict[str, int]:
    """Freeze the statistics again on every article now in the index (as if they had all come in the first
    add), score all their pairs and group everything under them, in one transaction; counts of the result."""
    import zlib

    from dedup.errors import IndexError_
    from dedup.index.incident import _put_days, _write, check_format
    from dedup.index.store import open_index, write_transaction

    con, o = open_index(path)
    check_format(con, path)
    if o.statistics != "frozen":
        con.close()
        raise IndexError_("reindex is for an index with frozen statistics (an exact one is always current)",
                          source=str(path))
    with write_transaction(con, path):
        con.execute("DELETE FROM stats WHERE name LIKE 'frozen_%'")
        con.execute("DELETE FROM edges")
        rows = con.execute("SELECT a.rowid, a.id, a.title, a.date, n.data, n.text FROM articles a "
                           "JOIN analyses n ON n.article = a.rowid ORDER BY a.id").fetchall()
        arts = [Article(id=i, text=zlib.decompress(t).decode("utf-8"), title=ti, date=d) for _, i, ti, d, _, t in rows]
        old_root = dict(con.execute("SELECT rowid, root FROM articles"))
        clusters, pairs, at, date_of = link_frozen(con, o, arts, {r: decode(b) for r, _, _, _, b, _ in rows},
                                                   {i: r for r, i, *_ in rows}, progress)
        _write(con, clusters, pairs, at, date_of, old_root, everything=True)
        _put_days(con)
    return {"articles": len(rows), "clusters": len(clusters), "pairs": len(pairs)}
