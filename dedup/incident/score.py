"""The incident score of article pairs, and the grouping policy behind ``incident_pairs``.

For a pair ``(a, b)`` four kinds of evidence, each in [0, 1]:

* ``document``: cosine of the corpus TF-IDF vectors (content words + named entities), see ``features``;
* ``passages``: best verified passage match, scaled down when the passage recurs in many articles
  (background, boilerplate), see ``passages``;
* ``facts``: cosine of the IDF-weighted fact fingerprints (figures bound to what and where, dates),
  see ``facts``;
* ``lead``: cosine of the two leads (title or first sentence), see ``lead``.

When both articles are dated, the combined score is multiplied by ``time_factor`` (events are local in
time: ``1 / (1 + (days / 5)^2)``).

They are combined by a noisy-OR,
``combined = 1 - (1 - document)(1 - w_p passages)(1 - w_f facts)(1 - w_l lead')``, so
each kind can only raise the score, and none reaches 1 by itself unless its weight is 1.

Grouping: average-link clustering (``linkage.average_link``) over the candidate graph at ``threshold``,
where a merge also needs ``MIN_COVERAGE`` of the cross pairs to reach ``threshold`` and a cross average
of at least ``MIN_RELATIVE`` times the looser group's own mean similarity (relative closeness).
``incident_pairs`` returns only the edges *inside* those clusters whose combined score is
``>= threshold``. Average-link merges two groups only when their mean similarity is ``>= threshold``,
so at least one such edge joins them: plain union-find over the returned pairs rebuilds exactly the
average-link clusters, and a single background edge between two stories is never returned.
Articles are processed in id order, so the result does not depend on input order or worker count.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from dedup.incident.actors import actor_conflicts, actor_profiles
from dedup.incident.analysis import ArticleAnalysis, analyse_corpus, release
from dedup.incident.blocks import threads
from dedup.incident.calibration import (
    DATE_SCALE_DAYS,
    DEFAULT_THRESHOLD,
    DEFAULT_Z,
    THRESHOLD_CAP,
    _day,
    _time_factors,
    adaptive_threshold,
    threshold_floor,
    time_factor,
)
from dedup.incident.candidates import (
    FACT_NEIGHBOURS,
    PASSAGE_NEIGHBOURS,
    cap_per_article,
    day_array,
    rare_neighbours,
)
from dedup.incident.conflicts import edge_conflicts
from dedup.incident.cores import entity_cores
from dedup.incident.features import (
    hashed_frequencies,
    hashed_rows,
    hashed_tfidf,
    normalize_rows,
    row_dots,
    similar_codes,
    tfidf_matrix,
    union_sorted,
)
from dedup.incident.graph import EDGE_FIELDS, EdgeView, IncidentGraph
from dedup.incident.lead import lead_part
from dedup.incident.linkage import average_link_edges
from dedup.incident.passages import PASSAGE_BUCKET, match_windows
from dedup.model import Article, Pair
from dedup.near.lsh import MAX_BUCKET

#: Fraction of the cross pairs of two groups that must reach the threshold for an average-link merge
#: (``linkage.average_link``): a few strong pairs cannot carry two weakly related groups.
MIN_COVERAGE = 0.3
#: Fraction of a group's cohesion (mean similarity of its own pairs) that the cross average of a merge
#: must reach (``linkage.average_link``): two tight groups (two obituaries of one week) that are only
#: loosely related to each other stay apart.
MIN_RELATIVE = 0.25
#: Weights of the passages and facts evidence in the noisy-OR.
PASSAGE_WEIGHT = 0.5
FACT_WEIGHT = 0.5
#: Weights of the conflict evidence: the combined score is multiplied by ``conflict_factor``,
#: ``(1 - w_fc fig)(1 - w_dc date)(1 - w_pc place)``, ``fig`` the fraction of the lead's figure slots the
#: two fill with other values, ``date`` 1 when the dates they state never meet, ``place`` 1 when their
#: counts are bound to no common place (``facts.pair_conflicts``): two nights' drone reports share every
#: word but the counts and the date.
FIGURE_CONFLICT_WEIGHT = 0.5
DATE_CONFLICT_WEIGHT = 0.3
PLACE_CONFLICT_WEIGHT = 0.0
ACTOR_CONFLICT_WEIGHT = 0.0
#: Weight of the lead evidence (``lead.lead_part`` of the cosine of the two titles / first sentences).
LEAD_WEIGHT = 0.25
#: Document similarities below ``FLOOR_RATIO * threshold`` are not kept as graph edges.
FLOOR_RATIO = 0.5
#: A document edge is kept when one end is among the other's ``NEIGHBOURS`` most similar articles.
NEIGHBOURS = 100

Progress = Callable[[str, int, int], Any]


def combine(document: float, passages: float, facts: float, lead: float = 0.0, *,
            passage_weight: float = PASSAGE_WEIGHT, fact_weight: float = FACT_WEIGHT,
            lead_weight: float = LEAD_WEIGHT) -> float:
    """Noisy-OR of the evidence kinds: ``1 - (1-d)(1-w_p p)(1-w_f f)(1-w_l lead')`` with ``lead'`` the
    lead cosine counted from ``lead.LEAD_FLOOR`` (:func:`dedup.incident.lead.lead_part`); scalars or arrays."""
    return 1.0 - (1.0 - document) * (1.0 - passage_weight * passages) * (1.0 - fact_weight * facts) \
        * (1.0 - lead_weight * lead_part(lead))  # type: ignore[operator]


def conflict_factor(figure_conflict: Any, date_conflict: Any, place_conflict: Any = 0.0, actor_conflict: Any = 0.0,
                    *, figure_weight: float = FIGURE_CONFLICT_WEIGHT, date_weight: float = DATE_CONFLICT_WEIGHT,
                    place_weight: float = PLACE_CONFLICT_WEIGHT, actor_weight: float = ACTOR_CONFLICT_WEIGHT) -> Any:
    """``(1 - w_fc figure)(1 - w_dc date)(1 - w_pc place)(1 - w_ac actor)``: what contradicting figures,
    dates, places and lead actors leave of a pair's score (scalars or arrays)."""
    return (1.0 - figure_weight * figure_conflict) * (1.0 - date_weight * date_conflict) \
        * (1.0 - place_weight * place_conflict) * (1.0 - actor_weight * actor_conflict)


def _article_text(a: Article) -> str:
    return f"{a.title}\n{a.text}" if a.title else a.text


def build_graph(articles: Sequence[Article], *, threshold: float | None = DEFAULT_THRESHOLD, num_perm: int = 64,
                seed: int = 1, z: float = DEFAULT_Z, workers: int = 1,
                passage_weight: float = PASSAGE_WEIGHT, fact_weight: float = FACT_WEIGHT,
                lead_weight: float = LEAD_WEIGHT, date_scale: float = DATE_SCALE_DAYS,
                figure_conflict_weight: float = FIGURE_CONFLICT_WEIGHT,
                date_conflict_weight: float = DATE_CONFLICT_WEIGHT,
                place_conflict_weight: float = PLACE_CONFLICT_WEIGHT,
                actor_conflict_weight: float = ACTOR_CONFLICT_WEIGHT,
                progress: Progress | None = None, bounded: bool = True,
                analyses: Mapping[str, ArticleAnalysis] | None = None, group_conflicts: bool = True,
                consume: bool = False) -> IncidentGraph:
    """Score every candidate pair of ``articles`` (sorted by id first).

    Candidates are pairs with document cosine ``>= FLOOR_RATIO * threshold`` among each article's
    ``NEIGHBOURS`` nearest, pairs with a verified
    passage match (MinHash LSH over sentence windows), and pairs sharing a fact. ``threshold=None``
    uses :func:`adaptive_threshold` with ``z``; the value used is stored in ``graph.threshold``.
    When both articles carry a date, the combined score is multiplied by :func:`time_factor`
    (``date_scale`` days; 0 turns it off); the factor is kept in the edge as ``time``.
    ``bounded`` (default): candidates per article capped and found through rare terms, ranked softly by
    time (``candidates.py``: work and edges grow as ``n * k``); ``False``: the all-pairs search.
    ``analyses``: each article's :class:`~dedup.incident.analysis.ArticleAnalysis` by id, when already
    made (the index, the Dask engine); else they are made here (``workers`` processes).
    ``group_conflicts``: keep each article's entities for the group-level actor conflicts of
    :mod:`~dedup.incident.cores` (``group`` refuses merges of groups that name other actors).
    ``consume``: the given ``analyses`` may be emptied, each part dropped once its step has read it (the
    caller does not use them afterwards: bounded memory at archive scale); analyses made here always are.
    """
    arts = sorted(articles, key=lambda a: a.id)
    n = len(arts)
    if analyses is None:
        ana, consume = analyse_corpus(arts, workers=workers, progress=progress), True
    else:
        ana = [analyses[a.id] for a in arts]
    drop = release if consume else _keep
    if progress:
        progress("scoring pairs", 0, 3)
    terms = [r.terms for r in ana]
    uniq, dfc = hashed_frequencies(terms)
    x, vocab, idf = hashed_tfidf(terms, [r.counts for r in ana], frequencies=(uniq, dfc))
    lx = hashed_rows([r.lead_terms for r in ana], [r.lead_counts for r in ana], vocab, idf)
    del terms, vocab, idf
    median_terms = float(np.median([r.total_terms for r in ana])) if ana else 0.0
    drop(ana, "terms", "counts", "lead_terms", "lead_counts")
    if threshold is None:
        threshold = min(THRESHOLD_CAP, max(adaptive_threshold(x, z=z, seed=seed), threshold_floor(median_terms)))
    dayv = day_array([_day(a.date) for a in arts])
    if bounded:
        doc = rare_neighbours(x, floor=FLOOR_RATIO * threshold, k=NEIGHBOURS, day=dayv, date_scale=date_scale)
    else:
        doc = similar_codes(x, floor=FLOOR_RATIO * threshold, k=NEIGHBOURS)
    if progress:
        progress("scoring pairs", 1, 3)

    fx, fvocab, fidf = tfidf_matrix([Counter(dict.fromkeys(r.fact_keys, 1)) for r in ana], sublinear=False, min_df=1)
    fact_idf = {t: float(fidf[k]) for t, k in fvocab.items()}
    drop(ana, "fact_keys")
    del fvocab, fidf
    fx = normalize_rows(fx)
    # a fact overlap alone is a candidate only when it could reach the threshold by itself
    if not fx.shape[1]:
        fsim = np.zeros(0, dtype=np.int64)
    elif bounded:
        fsim = rare_neighbours(fx, floor=threshold, k=FACT_NEIGHBOURS, day=dayv, date_scale=date_scale)
    else:
        fsim = similar_codes(fx, floor=threshold)

    # passage words weigh their document IDF (every term, df >= 1; unseen ones the largest)
    widf = np.log((n + 1) / dfc.astype(np.float64)) if dfc.size else np.zeros(0)
    default = float(widf.max()) if widf.size else 1.0

    def weight_of(h: np.ndarray) -> np.ndarray:
        if not uniq.size:
            return np.full(h.size, default)
        pos = np.minimum(np.searchsorted(uniq, h), uniq.size - 1)
        return np.where(uniq[pos] == h, widf[pos], default)

    texts = [a.text for a in arts]
    wins = [(r.win_spans, r.win_offsets, r.win_terms) for r in ana]
    drop(ana, "win_spans", "win_offsets", "win_terms")
    pmatch = match_windows(texts, wins, weight_of, seed=seed, num_perm=min(num_perm, 64),
                           max_bucket=PASSAGE_BUCKET if bounded else MAX_BUCKET, consume=consume, vocab=uniq)
    del wins
    if progress:
        progress("scoring pairs", 2, 3)

    pcodes, pbest = pmatch.codes(), pmatch.best()  # i * n + j of the pairs with a verified passage
    if bounded:  # each article's best passage partners only
        keep = cap_per_article(pcodes, pbest, n, PASSAGE_NEIGHBOURS)
        pcodes, pbest = pcodes[keep], pbest[keep]
    codes = union_sorted(doc, fsim, pcodes)  # each sorted: merged, not sorted again
    del doc, fsim
    rows, cols = codes // max(n, 1), codes % max(n, 1)
    d = np.minimum(1.0, row_dots(x, rows, cols))
    f = np.minimum(1.0, row_dots(fx, rows, cols)) if fx.shape[1] else np.zeros(len(codes))
    p = np.zeros(len(codes))
    if len(pcodes):
        p[np.searchsorted(codes, pcodes)] = pbest  # = passage_score of each pair's matches
    del codes, pcodes, pbest
    lead = np.minimum(1.0, row_dots(lx, rows, cols))
    del x, fx, lx  # (the rows: read for the edges' scores above)
    tf = _time_factors([_day(a.date) for a in arts], rows, cols, date_scale)
    fc, dc, pc = edge_conflicts([r.profile for r in ana], rows, cols)
    cores = entity_cores([r.entities for r in ana]) if group_conflicts else None
    drop(ana, "profile", "entities")
    ac = actor_conflicts(actor_profiles([(a.title, a.text) for a in arts]), rows, cols) if actor_conflict_weight \
        else np.zeros(len(rows))
    combined = tf * conflict_factor(fc, dc, pc, ac, figure_weight=figure_conflict_weight,
                                    date_weight=date_conflict_weight, place_weight=place_conflict_weight,
                                    actor_weight=actor_conflict_weight) \
        * combine(d, p, f, lead, passage_weight=passage_weight, fact_weight=fact_weight,  # type: ignore[arg-type]
                  lead_weight=lead_weight)
    graph = IncidentGraph(arts, fact_idf, threshold, rows, cols,
                          {"document": d, "passages": p, "facts": f, "lead": lead, "time": tf,
                           "figure_conflict": fc, "date_conflict": dc, "place_conflict": pc,
                           "actor_conflict": ac, "combined": combined},
                          passages=pmatch, cores=cores)
    if progress:
        progress("scoring pairs", 3, 3)
    return graph


def _keep(ana: Sequence[ArticleAnalysis], *parts: str) -> None:
    """Leave the analyses as they are (the caller's, when not consumed)."""


def group(graph: IncidentGraph, *, threshold: float | None = None,
          min_coverage: float = MIN_COVERAGE, min_relative: float = MIN_RELATIVE) -> list[int]:
    """Average-link cluster label of each article of ``graph`` (index of its smallest-id member);
    ``threshold=None`` uses the graph's own; ``min_coverage``, ``min_relative`` as in
    ``linkage.average_link``."""
    threshold = graph.threshold if threshold is None else threshold
    return average_link_edges(len(graph.articles), graph.rows, graph.cols, graph.scores["combined"],
                              threshold=threshold, min_coverage=min_coverage, min_relative=min_relative,
                              cores=graph.cores)


def safe_pairs(graph: IncidentGraph, labels: Sequence[int], *, threshold: float) -> list[Pair]:
    """The edges inside one cluster with combined score ``>= threshold`` (union-find rebuilds the clusters)."""
    lab = np.asarray(labels, dtype=np.int64)
    comb = graph.scores["combined"]
    if not len(comb):
        return []
    keep = np.flatnonzero((comb >= threshold) & (lab[graph.rows] == lab[graph.cols]))
    ids = [a.id for a in graph.articles]
    return [Pair(ids[i], ids[j], float(comb[e]), graph.edge(e))
            for e, i, j in zip(keep.tolist(), graph.rows[keep].tolist(), graph.cols[keep].tolist(), strict=True)]


def incident_pairs(articles: list[Article], *, threshold: float | None = None, num_perm: int = 64,
                   seed: int = 1, workers: int = 1, progress: Progress | None = None,
                   passage_weight: float = PASSAGE_WEIGHT, fact_weight: float = FACT_WEIGHT,
                   lead_weight: float = LEAD_WEIGHT,
                   analyses: Mapping[str, ArticleAnalysis] | None = None, consume: bool = False) -> list[Pair]:
    """Pairs of articles reporting the same incident, safe to union (see the module docstring).

    Parameters:
        threshold: combined score (and average-link level) a pair / merge needs; ``None`` = adaptive,
            ``mu + DEFAULT_Z sigma`` of the corpus's document cosines (see :func:`adaptive_threshold`).
        num_perm, seed: MinHash of the passage index (``num_perm`` capped at 64: passages are short
            and every candidate is verified exactly).
        workers: processes for the per-article analysis of large corpora, threads for the graph steps'
            blocks (the result never depends on it).
        progress: called as ``progress(stage, done, total)`` ("reading articles", then "scoring pairs").
        passage_weight, fact_weight, lead_weight: weights ``w_p``, ``w_f``, ``w_l`` of the noisy-OR.
        analyses: each article's analysis by id, when already made (``analysis.analyse_texts`` of a
            streamed corpus, whose articles carry no text); else made here.
        consume: the given ``analyses`` may be emptied as they are read (``build_graph``).
    """
    if progress is not None and not callable(progress):  # a dedup.progress.Progress object
        from dedup.progress import stage_callback

        progress = stage_callback(progress)
    paused = gc.isenabled()
    gc.disable()  # many small, acyclic objects (figures, edges): collections would only re-scan them
    try:
        with threads(workers):
            graph = build_graph(articles, threshold=threshold, num_perm=num_perm, seed=seed, progress=progress,
                                workers=workers, analyses=analyses, consume=consume,
                                passage_weight=passage_weight, fact_weight=fact_weight, lead_weight=lead_weight)
        # the clustering reads each edge's combined score; the pairs come from the edges at the threshold,
        # whose evidence is kept apart: the other edges' evidence (and explain's passage matches) is
        # freed before the clustering
        strong = np.flatnonzero(graph.scores["combined"] >= graph.threshold)
        kept = IncidentGraph(graph.articles, graph.fact_idf, graph.threshold, graph.rows[strong], graph.cols[strong],
                             {k: v[strong] for k, v in graph.scores.items()})
        lean = IncidentGraph(graph.articles, graph.fact_idf, graph.threshold, graph.rows, graph.cols,
                             {"combined": graph.scores["combined"]}, cores=graph.cores)
        del graph, strong
        return safe_pairs(kept, group(lean), threshold=kept.threshold)
    finally:
        if paused:
            gc.enable()


def incident_clusters(articles: list[Article], pairs: Sequence[Pair]) -> list[list[str]]:
    """Groups of article ids (sorted; groups sorted by first id) formed by union-find over ``pairs``.

    With pairs from ``incident_pairs`` this equals the average-link clusters.
    """
    parent = {a.id: a.id for a in articles}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for a in articles:
        groups.setdefault(find(a.id), []).append(a.id)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_Z",
    "EDGE_FIELDS",
    "MIN_COVERAGE",
    "MIN_RELATIVE",
    "EdgeView",
    "IncidentGraph",
    "adaptive_threshold",
    "build_graph",
    "combine",
    "conflict_factor",
    "group",
    "incident_clusters",
    "incident_pairs",
    "safe_pairs",
    "time_factor",
]
