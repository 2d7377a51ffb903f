"""Incident mode on Dask: the per-article analysis and the graph's split steps on the cluster, the rest
on the driver, with the local engine's result bit for bit.

Incident mode has two kinds of work (``dedup.incident.score``):

1. **per article** (:func:`dedup.incident.analysis.analyse`): term bags, lead, facts and their conflict
   profile, sentence windows. It depends on the article alone and is most of the time (gva replicas,
   10,000 articles: about two thirds);
2. **corpus-wide** (:func:`dedup.incident.score.build_graph` with ``analyses=``): IDF, the adaptive
   threshold, candidate search, passage matching, pair scores; then average-link
   (:func:`dedup.incident.score.group`) and the pairs inside clusters (``safe_pairs``).

Here the articles, sorted by id, are cut into partitions of consecutive articles (:func:`partitions`),
each analysed by one Dask task (``analyse_corpus`` of the partition, in one worker process); the
analyses are gathered in partition order and the driver runs step 2 from them, as the local engine
does, except for the steps :mod:`dedup.incident.blocks` splits into independent blocks once they
are large enough: the neighbour search of the document and fact vectors (blocks of rows), the passage
verification (blocks of candidate pairs) and the pair scores of ``features.row_dots`` (blocks of pairs)
run as Dask tasks (:class:`DaskBlocks`: the shared matrices scattered to the workers once per step),
their results concatenated in block order. The graph, its scores, the clusters and the pairs are the
local engine's for any partitioning and any number of workers. A lost worker's analysis partitions
are recomputed by Dask (each task carries its articles); a block step whose scattered data is lost
runs on the driver.

On the driver: IDF and TF-IDF (corpus-wide sums), the adaptive threshold, passage LSH candidates (one
sorted merge over the corpus's bands), the edge conflicts and time factors, and average-link, which
is sequential.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from typing import Any

from distributed import as_completed

from dedup.engines.dask_engine import dask_client
from dedup.incident.analysis import ArticleAnalysis, analyse_corpus
from dedup.incident.blocks import mapping
from dedup.model import Article, Pair

__all__ = ["BLOCKS_PER_WORKER", "PART_MAX", "PART_MIN", "DaskBlocks", "analyse_on_dask", "incident_pairs",
           "partitions"]

#: Most articles per analysis task (about 1-3 s of work each).
PART_MAX = 1000
#: Fewest articles per analysis task (smaller ones cost more in scheduling than they save).
PART_MIN = 50
#: Blocks per worker of the graph's split steps (``blocks.py``: neighbour search, passage verification, pair scores).
BLOCKS_PER_WORKER = 2

Progress = Callable[[str, int, int], Any]
STAGE = "reading articles"
#: The progress stage while the cluster starts (or the client connects).
START = "starting Dask"


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
    the result never depends on it). ``progress(stage, done, total)``: "starting Dask" 0/1 and 1/1,
    "reading articles" as the partitions arrive, then the graph's "scoring pairs".
    """
    from dedup.incident.score import incident_pairs as local_pairs

    arts = sorted(articles, key=lambda a: a.id)
    if not arts:
        return []
    if progress:
        progress(START, 0, 1)
    with dask_client(client=client, scheduler=scheduler, workers=workers) as c:
        if progress:
            progress(START, 1, 1)
        analyses = analyse_on_dask(c, arts, part=part, progress=progress)
        with mapping(DaskBlocks(c)):  # neighbour search, passage verification, pair scores on Dask
            return local_pairs(arts, threshold=threshold, num_perm=num_perm, seed=seed, progress=progress,
                               analyses=dict(zip((a.id for a in arts), analyses, strict=True)), consume=True)


class DaskBlocks:
    """A :class:`dedup.incident.blocks.Mapper` on a Dask client: the shared data scattered to every
    worker once per step, each block's arguments to one worker, one task per block, results gathered
    in block order."""

    def __init__(self, client: Any, parts: int | None = None) -> None:
        self.client = client
        nworkers = len(client.scheduler_info().get("workers", {})) or 1
        self.parts = parts or BLOCKS_PER_WORKER * nworkers

    def __call__(self, fn: Callable[..., Any], shared: Any, args: Sequence[tuple]) -> list[Any]:
        from concurrent.futures import CancelledError

        from distributed import KilledWorker

        [data] = self.client.scatter([shared], broadcast=True, hash=False)
        # each block's own arguments (index arrays) go straight to a worker, not through the scheduler
        parts = self.client.scatter([tuple(a) for a in args], hash=False)
        try:
            return self.client.gather([self.client.submit(_apply, fn, data, p, pure=False) for p in parts])
        except (KilledWorker, CancelledError):  # scattered data cannot be recomputed once every copy is
            return [fn(shared, *a) for a in args]  # lost with its workers: the same blocks, here
        finally:
            data.release()
            for p in parts:
                p.release()


def _apply(fn: Callable[..., Any], shared: Any, args: tuple) -> Any:
    return fn(shared, *args)
