"""Incident mode on Dask: the per-article analysis on the cluster, the corpus-wide graph on the driver.

Incident mode has two kinds of work (``dedup.incident.score``):

1. **per article** (:func:`dedup.incident.analysis.analyse`): term bags, lead, facts and their conflict
   profile, sentence windows. It depends on the article alone, and is most of the time (on gva-dev,
   about two thirds without the compiled kernels, more with them);
2. **corpus-wide** (:func:`dedup.incident.score.build_graph` with ``analyses=``): IDF, the adaptive
   threshold, candidate search, passage matching, pair scores; then average-link
   (:func:`dedup.incident.score.group`) and the pairs inside clusters (``safe_pairs``).

Here the articles, sorted by id, are cut into partitions of consecutive articles (:func:`partitions`),
each analysed by one Dask task (``analyse_corpus`` of the partition, in one worker process); the
analyses are gathered in partition order and the driver runs step 2 exactly as the local engine does,
from the same analyses: the graph, its scores, the clusters and the pairs are the local engine's, bit
for bit, for any partitioning and any number of workers. A lost worker's partitions are recomputed by
Dask (the task carries its articles), so a killed worker does not change the result either.

Step 2 stays on the driver: the candidate search ranks each article's neighbours over the whole
corpus, passage LSH buckets span the corpus, and average-link is sequential; splitting them would need
``build_graph`` cut into stages that a distributed caller can run piecewise (see docs/performance.md).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from typing import Any

from distributed import as_completed

from dedup.engines.dask_engine import dask_client
from dedup.incident.analysis import ArticleAnalysis, analyse_corpus
from dedup.model import Article, Pair

__all__ = ["PART_MAX", "PART_MIN", "analyse_on_dask", "incident_pairs", "partitions"]

#: Most articles per analysis task (about 1-3 s of work each).
PART_MAX = 1000
#: Fewest articles per analysis task (smaller ones cost more in scheduling than they save).
PART_MIN = 50

Progress = Callable[[str, int, int], Any]
STAGE = "reading articles"


def partitions(n: int, workers: int, part: int | None = None) -> list[tuple[int, int]]:
    """``[(lo, hi), ...]`` ranges of consecutive articles covering ``range(n)``: ``part`` articles each
    (default: about four tasks per worker, between :data:`PART_MIN` and :data:`PART_MAX`)."""
    if part is None:
        part = max(PART_MIN, min(PART_MAX, -(-n // max(1, 4 * workers))))
    if part < 1:
        raise ValueError(f"partition size must be >= 1, got {part}")
    return [(lo, min(n, lo + part)) for lo in range(0, n, part)]


def _analyse_part(articles: list[Article]) -> list[ArticleAnalysis]:
    gc.disable()  # many small acyclic objects; the worker process runs nothing else meanwhile
    try:
        return analyse_corpus(articles)
    finally:
        gc.enable()


def analyse_on_dask(client: Any, articles: Sequence[Article], *, part: int | None = None,
                    progress: Progress | None = None) -> list[ArticleAnalysis]:
    """``analyse_corpus(articles)`` computed on ``client``'s workers, one task per partition; the
    analyses in the order of ``articles``. ``progress(stage, done, total)`` as partitions arrive."""
    n = len(articles)
    nworkers = len(client.scheduler_info().get("workers", {})) or 1
    parts = partitions(n, nworkers, part)
    if progress:
        progress(STAGE, 0, n)
    # pure=False: the keys are not derived from hashing the (large) arguments
    futures = [client.submit(_analyse_part, list(articles[lo:hi]), pure=False) for lo, hi in parts]
    index = {f.key: k for k, f in enumerate(futures)}
    results: list[list[ArticleAnalysis] | None] = [None] * len(parts)
    done = 0
    for fut, res in as_completed(futures, with_results=True):
        k = index[fut.key]
        results[k] = res
        done += parts[k][1] - parts[k][0]
        if progress:
            progress(STAGE, done, n)
    return [a for res in results for a in res or ()]


def incident_pairs(articles: Sequence[Article], *, threshold: float | None = None, num_perm: int = 64,
                   seed: int = 1, workers: int = 2, progress: Progress | None = None, client: Any = None,
                   scheduler: str | None = None, part: int | None = None) -> list[Pair]:
    """:func:`dedup.incident.score.incident_pairs` with the per-article analysis on Dask: the same pairs.

    ``client`` (a ``distributed.Client``) or ``scheduler`` (its address) select a running cluster
    (its workers need this package installed); otherwise a ``LocalCluster`` of ``workers`` processes
    runs for the call. ``part``: articles per analysis task (default from the corpus and worker count;
    the result never depends on it). ``progress(stage, done, total)``: "reading articles" as the
    partitions arrive, then the graph's "scoring pairs".
    """
    from dedup.incident.score import build_graph, group, safe_pairs

    arts = sorted(articles, key=lambda a: a.id)
    if not arts:
        return []
    with dask_client(client=client, scheduler=scheduler, workers=workers) as c:
        analyses = analyse_on_dask(c, arts, part=part, progress=progress)
    paused = gc.isenabled()
    gc.disable()  # as score.incident_pairs: many small, acyclic objects
    try:
        graph = build_graph(arts, threshold=threshold, num_perm=num_perm, seed=seed, progress=progress,
                            analyses={a.id: r for a, r in zip(arts, analyses, strict=True)})
        return safe_pairs(graph, group(graph), threshold=graph.threshold)
    finally:
        if paused:
            gc.enable()
