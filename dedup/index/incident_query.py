"""``dedup index query`` on an incident index: which incident is this article, without rescanning the index.

1. The article is analysed (:func:`dedup.incident.analysis.analyse`) and counted into the statistics
   stored by the last add, as an add of it would count it: ``N + 1`` articles, and each of its terms in
   one more document.
2. Candidates, as :func:`dedup.incident.candidates.rare_neighbours` finds them for one row: the article's
   terms from the rarest up (while the postings walked stay within ``candidates.BUDGET`` and each term is
   in at most ``candidates.MAX_DF`` articles) are looked up in the ``postings`` table, and so are its facts
   in ``fact_postings``; the articles met are ranked by the IDF-weighted sum of the terms (facts) they
   share with it, times the time factor of the two dates, and the best ``score.NEIGHBOURS`` (by terms) and
   ``candidates.FACT_NEIGHBOURS`` (by facts) are kept.
3. Each candidate's pair score is the one an add would give the pair (``score.build_graph``: document,
   facts and lead cosines over those statistics, passages, time factor, conflicts, weights from
   :mod:`dedup.incident.score`), with two approximations: a passage's spread counts only the articles
   among the candidates it matches (so a recurring background passage weighs at most what it would in
   the whole index), and the actor conflict (weight 0 by default) is not read.
4. Each incident met is scored as average link would score the article joining it: the mean pair score
   over all its members (members that are not candidates count 0), with ``coverage`` the fraction of
   members whose pair score reaches the threshold; it is a ``match`` when the mean reaches the index's
   threshold (of the last add) and the coverage reaches ``score.MIN_COVERAGE`` (average link's other
   rules, relative closeness and any group-level conflicts, are not applied).

The work grows with the postings walked and the candidates (at most about 130 analyses read), not with
the index. It answers what joining the article would most likely do; ``add`` decides for real (it
re-scores everything, so the statistics and the other articles' groups can move too).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dedup.index.codec import decode
from dedup.index.incident import check_format, load_days, load_stats
from dedup.index.store import open_index
from dedup.model import Article

__all__ = ["Weights", "edge_scores", "pair_scores", "query_incident", "query_weights"]


def _in(con: sqlite3.Connection, sql: str, values: Sequence[Any]) -> list[tuple]:
    """``sql`` (with one ``{}`` for the placeholders) over ``values`` in chunks of 500."""
    out: list[tuple] = []
    for s in range(0, len(values), 500):
        q = list(values[s:s + 500])
        out += con.execute(sql.format(",".join("?" * len(q))), q).fetchall()
    return out


def _df(uniq: np.ndarray, dfc: np.ndarray, h: np.ndarray) -> np.ndarray:
    """The stored document frequency of each hash in ``h`` (0 if unseen)."""
    if not uniq.size:
        return np.zeros(h.size, dtype=np.int64)
    pos = np.minimum(np.searchsorted(uniq, h), uniq.size - 1)
    return np.where(uniq[pos] == h, dfc[pos], 0)


def _walk(con: sqlite3.Connection, sql: str, keys: list, df: list[int], weight: list[float], k: int,
          day: int | None, days: np.ndarray) -> list[int]:
    """The ``k`` best articles met on the postings of ``keys`` (rarest first, within the budget), ranked by
    the summed ``weight`` of the keys they share, times the time factor (``days``: each rowid's day
    number, ``-1`` unknown)."""
    from dedup.incident.calibration import DATE_SCALE_DAYS
    from dedup.incident.candidates import BUDGET, MAX_DF

    order = sorted(range(len(keys)), key=lambda t: (df[t], keys[t]))
    walked, take = 0, []
    for t in order:
        if df[t] > MAX_DF or walked + df[t] > BUDGET:
            break
        walked += df[t]
        take.append(t)
    wt = {keys[t]: weight[t] for t in take}
    got = _in(con, sql, [keys[t] for t in take])
    if not got:
        return []
    arts, inv = np.unique(np.fromiter((a for _, a in got), dtype=np.int64, count=len(got)), return_inverse=True)
    rank = np.bincount(inv.ravel(), weights=np.fromiter((wt[t] for t, _ in got), dtype=np.float64, count=len(got)))
    if day is not None and days.size:
        d = days[np.minimum(arts, days.size - 1)]
        known = (d >= 0) & (arts < days.size)
        rank = np.where(known, rank / (1.0 + np.sqrt(np.abs(d - day) / DATE_SCALE_DAYS)), rank)
    return arts[np.lexsort((arts, -rank))[:k]].tolist()


def _passage_scores(docs: list, w: Weights) -> np.ndarray:
    """The passages evidence of (query ``docs[0]``, candidate ``docs[c]``) for each candidate: the best
    IDF-weighted Jaccard of a query window and a candidate window (windows of at least ``min_terms``
    terms, kept at ``>= min_overlap``, as :func:`dedup.incident.passages.match_windows`), every pair of
    windows verified (no LSH), times the spread of the query's window over the candidates it matches
    (``w.spread_n`` articles in all; 0: no spread)."""
    import inspect

    import scipy.sparse as sp

    from dedup.incident.passages import match_windows

    defaults = inspect.signature(match_windows).parameters
    min_terms, min_overlap = defaults["min_terms"].default, defaults["min_overlap"].default
    doc, parts = [], []
    for d, a in enumerate(docs):
        off = a.win_offsets
        for k in np.flatnonzero(np.diff(off) >= min_terms).tolist():
            doc.append(d)
            parts.append(a.win_terms[off[k]:off[k + 1]])
    out = np.zeros(len(docs) - 1)
    unit_doc = np.asarray(doc, dtype=np.int64)
    nq = int(np.count_nonzero(unit_doc == 0))
    if not nq or nq == len(parts):
        return out
    vocab, flat = np.unique(np.concatenate(parts), return_inverse=True)
    weight = w.window_idf(vocab)
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in parts]))).astype(np.int64)
    ones = sp.csr_matrix((np.ones(flat.size), flat.ravel(), offsets), shape=(len(parts), vocab.size))
    mass = np.asarray(ones @ weight).ravel()
    inter = (ones[:nq].multiply(weight[None, :]).tocsr() @ ones[nq:].T).toarray()
    union = mass[:nq, None] + mass[None, nq:] - inter
    ov = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    ov[ov < min_overlap] = 0.0
    other = unit_doc[nq:]
    starts = np.flatnonzero(np.concatenate(([True], other[1:] != other[:-1])))  # units of a doc are adjacent
    per_doc = np.maximum.reduceat(ov, starts, axis=1)  # (query window, candidate) best overlap
    k = 1 + np.count_nonzero(per_doc > 0, axis=1)  # the articles each query window is found in, itself included
    big = w.spread_n
    spread = np.maximum(0.0, np.log(big / k)) / np.log(big / 2.0) if big > 2 else np.ones(nq)
    out[other[starts] - 1] = (per_doc * spread[:, None]).max(axis=0)
    return out


@dataclass(frozen=True, slots=True)
class Weights:
    """The statistics a pair score is weighted with: ``term_idf(hashes)`` (NaN: not in the vocabulary),
    ``window_idf(hashes)`` (passage terms), ``fact_idf(keys)``, and ``spread_n`` the article count the
    passage spread is taken over (0: no spread)."""

    term_idf: Callable[[np.ndarray], np.ndarray]
    window_idf: Callable[[np.ndarray], np.ndarray]
    fact_idf: Callable[[list[str]], np.ndarray]
    spread_n: int


def query_weights(q: Any, uniq: np.ndarray, dfc: np.ndarray, n: int, fact_df: dict[str, int]) -> Weights:
    """The statistics of the last add with the query ``q`` counted in (``N + 1``; its terms and facts in one
    more document), as an add of it would count them (the batch's ``min_df = 2`` vocabulary)."""
    big = n + 1

    def df(h: np.ndarray) -> np.ndarray:
        return _df(uniq, dfc, h) + np.isin(h, q.terms)

    def term_idf(h: np.ndarray) -> np.ndarray:
        dh = df(h)
        return np.where(dh >= 2, np.log((big + 1) / np.maximum(dh, 1).astype(np.float64)), np.nan)

    def window_idf(h: np.ndarray) -> np.ndarray:
        return np.log((big + 1) / np.maximum(df(h), 1).astype(np.float64))

    def fact_idf(keys: list[str]) -> np.ndarray:
        return np.array([np.log((big + 1) / (fact_df.get(t, 0) + (t in q.fact_keys))) for t in keys])

    return Weights(term_idf, window_idf, fact_idf, big)


def pair_scores(q: Any, q_date: str | None, cands: list, dates: list[str | None], w: Weights) -> np.ndarray:
    """The combined score of the pair (``q``, candidate ``c``) for each candidate (module docstring, 3),
    weighted by ``w``."""
    docs = [q, *cands]
    rows, cols = np.zeros(len(cands), dtype=np.int64), np.arange(1, len(cands) + 1, dtype=np.int64)
    return edge_scores(docs, [q_date, *dates], rows, cols, w, _passage_scores(docs, w))


def edge_scores(docs: list, dates: list[str | None], rows: np.ndarray, cols: np.ndarray, w: Weights,
                passages: np.ndarray) -> np.ndarray:
    """The combined score of each pair ``(docs[rows[e]], docs[cols[e]])`` given its ``passages`` evidence:
    ``build_graph``'s formula (document, facts and lead cosines weighted by ``w``, time factor,
    conflicts, the weights of :mod:`dedup.incident.score`). A pair's floats depend on its two analyses
    and ``w`` alone (every row over the sorted terms it has), not on the other ``docs``."""
    from dedup.incident import score
    from dedup.incident.calibration import DATE_SCALE_DAYS, _day, time_factor
    from dedup.incident.conflicts import edge_conflicts
    from dedup.incident.features import hashed_rows, normalize_rows, row_dots, tfidf_rows

    vocab = np.unique(np.concatenate([a.terms for a in docs]))
    idf = w.term_idf(vocab)
    keep = ~np.isnan(idf)
    vocab, idf = vocab[keep], idf[keep]
    x = hashed_rows([a.terms for a in docs], [a.counts for a in docs], vocab, idf)
    lx = hashed_rows([a.lead_terms for a in docs], [a.lead_counts for a in docs], vocab, idf)
    d = np.minimum(1.0, row_dots(x, rows, cols))
    lead = np.minimum(1.0, row_dots(lx, rows, cols))
    fkeys = sorted({k for a in docs for k in a.fact_keys})
    f = np.zeros(len(rows))
    if fkeys:
        fvocab = {t: k for k, t in enumerate(fkeys)}
        fx = normalize_rows(tfidf_rows([Counter(dict.fromkeys(a.fact_keys, 1)) for a in docs], fvocab,
                                       w.fact_idf(fkeys), sublinear=False))
        f = np.minimum(1.0, row_dots(fx, rows, cols))
    day = [_day(dt) for dt in dates]
    tf = np.array([time_factor(day[i], day[j], scale=DATE_SCALE_DAYS) for i, j in zip(rows.tolist(), cols.tolist())])
    fc, dc, pc = edge_conflicts([a.profile for a in docs], rows, cols)
    return tf * score.conflict_factor(fc, dc, pc) * score.combine(d, passages, f, lead)


def query_incident(path: str, article: Article, *, top: int = 5) -> list[dict[str, Any]]:
    """The incidents ``article`` would most likely join, best first (the module docstring): ``cluster``,
    ``size``, ``representative``, ``score`` (mean pair score over the members), ``coverage``,
    ``best_member`` and ``best_score`` (its best pair), ``match``."""
    from dedup.incident import score
    from dedup.incident.analysis import analyse
    from dedup.incident.calibration import _day
    from dedup.incident.candidates import FACT_NEIGHBOURS
    from dedup.near import jit

    con, _ = open_index(path)
    check_format(con, path)
    try:
        uniq, dfc, n, threshold = load_stats(con)
        if not n or threshold is None:
            return []
        with jit.using("incident", False):  # one article: SciPy is quicker than loading the kernels
            q = analyse(article)
            big = n + 1
            qdf = (_df(uniq, dfc, q.terms) + 1).tolist()
            qw = (np.log((big + 1) / np.asarray(qdf, dtype=np.float64)) * (1.0 + np.log(np.asarray(q.counts, dtype=np.float64)))).tolist()
            days = load_days(con)
            day = _day(article.date)
            terms = q.terms.view(np.int64).tolist()
            found = _walk(con, "SELECT term, article FROM postings WHERE term IN ({})", terms,
                          [d - 1 for d in qdf], qw, score.NEIGHBOURS, day, days)
            fdf = dict(_in(con, "SELECT fact, COUNT(*) FROM fact_postings WHERE fact IN ({}) GROUP BY fact",
                           list(q.fact_keys)))
            fkeys = list(q.fact_keys)
            fw = [float(np.log((big + 1) / (fdf.get(k, 0) + 1))) for k in fkeys]
            found += _walk(con, "SELECT fact, article FROM fact_postings WHERE fact IN ({})", fkeys,
                           [fdf.get(k, 0) for k in fkeys], fw, FACT_NEIGHBOURS, day, days)
            cand = _in(con, "SELECT a.rowid, a.id, a.date, a.root, n.data FROM articles a JOIN analyses n "
                            "ON n.article = a.rowid WHERE a.rowid IN ({}) ORDER BY a.id", sorted(set(found)))
            if not cand:
                return []
            cans = [decode(r[4]) for r in cand]
            ckeys = sorted({k for a in cans for k in a.fact_keys} - set(fdf))
            fdf.update(_in(con, "SELECT fact, COUNT(*) FROM fact_postings WHERE fact IN ({}) GROUP BY fact", ckeys))
            sc = pair_scores(q, article.date, cans, [r[2] for r in cand], query_weights(q, uniq, dfc, n, fdf))
        by_root: dict[int, list[tuple[float, str]]] = {}
        for (_, aid, _, root, _), s in zip(cand, sc.tolist(), strict=True):
            by_root.setdefault(root, []).append((s, aid))
        info = {r: (size, rep, cid) for r, size, rep, cid in _in(
            con, "SELECT root, size, rep_id, cluster_id FROM clusters WHERE root IN ({})", list(by_root))}
    finally:
        con.close()
    out = []
    for root, hits in by_root.items():
        size, rep, cid = info[root]
        mean = sum(s for s, _ in hits) / size
        coverage = sum(1 for s, _ in hits if s >= threshold) / size
        best, member = min(hits, key=lambda t: (-t[0], t[1]))
        out.append({"cluster": cid, "size": size, "representative": rep, "score": mean, "coverage": coverage,
                    "best_member": member, "best_score": best, "threshold": threshold,
                    "match": mean >= threshold and coverage >= score.MIN_COVERAGE})
    out.sort(key=lambda h: (-h["score"], h["cluster"]))
    return out[:top]
