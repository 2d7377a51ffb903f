"""``cluster()``: the whole flow from articles to a ``ClusterResult``, in either mode, on either engine.

* ``mode="near-duplicate"``: shingle -> MinHash signatures -> LSH candidates -> exact verification
  (pairs with shingle-set Jaccard ``>= threshold``, default 0.5) -> union-find clusters. The stages run
  on the engine named by ``engine`` (``"local"``: worker processes; ``"dask"``: Dask distributed).
* ``mode="incident"``: articles reporting the same incident, via
  :func:`dedup.incident.score.incident_pairs` (threshold ``None`` = its adaptive default); with
  ``engine="dask"``, :func:`dedup.engines.dask_incident.incident_pairs` (the per-article analysis and,
  for large corpora, the graph's neighbour search, passage verification and pair scores on Dask, the rest of the
  graph and average-link on the driver: the same pairs).

Determinism: articles are processed in id order, whatever their input order, and every later step
(clusters, ids, representatives, writers) is order-free, so a shuffled input gives the same result.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from dedup.errors import InputError, UsageError
from dedup.grouping import build_clusters, unique_pairs
from dedup.io.records import Fields, to_article
from dedup.model import Article, ClusterResult, Pair
from dedup.progress import Progress, as_progress, stage_callback

__all__ = ["DEFAULT_THRESHOLD", "MODES", "cluster", "near_duplicate_pairs", "to_articles"]

MODES = ("incident", "near-duplicate")
#: LSH weights used to choose ``(bands, rows)`` from the threshold when neither is given (datasketch's
#: optimisation, ``min fp_weight*FP + fn_weight*FN``). Every candidate is verified exactly, so a false
#: positive only costs one Jaccard computation while a false negative is a lost pair: we weigh misses
#: 19:1. At threshold 0.5 and 128 permutations this gives 26 bands x 3 rows: a pair at Jaccard 0.5 is a
#: candidate with probability 0.97 (datasketch's equal weights, 25 x 5: 0.55). Measured recall against
#: exact all-pairs Jaccard >= 0.5: UCI headlines 0.87 -> 0.996, WikiRef220 + edited copies 0.79 -> 1.0,
#: for about twice the candidates.
LSH_FP_WEIGHT = 0.05
LSH_FN_WEIGHT = 0.95
#: Default threshold per mode (``None``: the mode chooses, e.g. incident's adaptive threshold).
DEFAULT_THRESHOLD: dict[str, float | None] = {"near-duplicate": 0.5, "incident": None}


def to_articles(items: Iterable[str | Mapping[str, Any] | Article]) -> list[Article]:
    """Articles from strings (ids ``"0"``, ``"1"``, ... by position), dicts (fields detected) or Articles."""
    out: list[Article] = []
    for i, item in enumerate(items):
        if isinstance(item, Article):
            out.append(item)
        elif isinstance(item, str):
            if not item.strip():
                raise InputError("empty text", source="<articles>", line=i + 1)
            out.append(Article(id=str(i), text=item, source="<articles>", line=i + 1))
        elif isinstance(item, Mapping):
            fields = Fields.resolve(item.keys())
            out.append(to_article(item, fields, source="<articles>", line=i + 1, row=i))
        else:
            raise TypeError(f"article {i}: expected str, dict or Article, got {type(item).__name__}")
    seen: set[str] = set()
    for a in out:
        if a.id in seen:
            raise InputError(f"duplicate id {a.id!r}", source=a.source or "<articles>", line=a.line)
        seen.add(a.id)
    return out


@contextmanager
def scheduler_errors(engine: str, scheduler: str | None) -> Iterator[None]:
    """An unreachable Dask scheduler (``OSError``) as a one-line ``UsageError``: the user's address, not a bug."""
    try:
        yield
    except OSError as exc:
        if engine == "dask" and scheduler:
            raise UsageError(f"cannot use the Dask scheduler {scheduler}: {exc}") from None
        raise


def near_duplicate_pairs(articles: Sequence[Article], *, threshold: float = 0.5, num_perm: int = 128,
                         seed: int = 1, shingle: str = "word", ngram: int = 5, bands: int | None = None,
                         rows: int | None = None, workers: int = 1, engine: str = "local",
                         scheduler: str | None = None, progress: Progress | None = None,
                         stats: dict[str, Any] | None = None, texts: Sequence[str] | None = None) -> list[Pair]:
    """Verified near-duplicate ``Pair``s (``a < b``, ``evidence={"jaccard": J}``) of ``articles``.

    ``texts``: the articles' texts in the same order (e.g. a lazy :class:`dedup.io.textstore.TextSeq`);
    ``None``: their ``text``.
    """
    from dedup.engines import get_engine
    from dedup.near.lsh import optimal_params

    if bands is None and rows is None:
        try:
            bands, rows = optimal_params(threshold, num_perm, fp_weight=LSH_FP_WEIGHT, fn_weight=LSH_FN_WEIGHT)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if stats is not None and bands is not None and rows is not None:
        stats.update(bands=bands, rows=rows)
    if texts is None:
        texts = [a.text for a in articles]
    elif len(texts) != len(articles):
        raise ValueError(f"{len(texts)} texts for {len(articles)} articles")
    mod = get_engine(engine)
    kw: dict[str, Any] = {"kind": shingle, "ngram": ngram, "num_perm": num_perm, "seed": seed,
                          "threshold": threshold, "bands": bands, "rows": rows, "workers": workers,
                          "progress": stage_callback(progress)}
    if engine == "dask" and scheduler:
        kw["scheduler"] = scheduler
    if stats is not None and engine == "local":
        kw["stats"] = stats
    try:
        with scheduler_errors(engine, scheduler):
            idx, scores = mod.near_duplicate_pairs(texts, **kw)
    except ValueError as exc:  # bad threshold / bands x rows
        raise UsageError(str(exc)) from None
    out = []
    for (i, j), s in zip(np.asarray(idx).tolist(), np.asarray(scores).tolist()):
        a, b = sorted((articles[i].id, articles[j].id))
        out.append(Pair(a, b, float(s), {"jaccard": float(s)}))
    return out


def cluster(articles: Iterable[str | Mapping[str, Any] | Article], *, mode: str = "incident",
            threshold: float | None = None, num_perm: int = 128, seed: int = 1, shingle: str = "word",
            ngram: int = 5, bands: int | None = None, rows: int | None = None, workers: int = 1,
            engine: str = "local", scheduler: str | None = None,
            progress: Progress | None = None, texts: Sequence[str] | None = None) -> ClusterResult:
    """Cluster ``articles`` into groups telling the same story.

    Parameters:
        articles: strings (ids ``"0"``, ``"1"``, ...), dicts (id/text/title/date fields detected) or Articles.
        mode: ``"incident"`` (same incident, reworded) or ``"near-duplicate"`` (shingle-set Jaccard).
        threshold: the mode's threshold; ``None`` = its default (0.5 Jaccard for near-duplicate).
        num_perm, seed: MinHash permutations (signature length and seed).
        shingle, ngram: ``"word"`` or ``"char"`` n-grams of length ``ngram`` (near-duplicate mode).
        bands, rows: LSH banding (``None``: chosen from ``threshold`` as datasketch does, with the
            recall-favouring weights :data:`LSH_FP_WEIGHT`, :data:`LSH_FN_WEIGHT`).
        workers: processes (local engine) or local Dask workers; the result does not depend on it.
        engine, scheduler: ``"local"`` or ``"dask"`` (with an optional scheduler address), in either mode.
        progress: a :class:`dedup.progress.Progress` (``None``: silent).
        texts: the texts of the articles sorted by id, in that order, used instead of their ``text``
            (streaming: :attr:`dedup.io.textstore.TextStore.texts`); incident mode reads each once, for
            its analysis, a block at a time (local engine).

    Returns a ``ClusterResult`` whose ``articles`` are in input order, ``clusters`` cover every article
    exactly once, ``pairs`` are the verified pairs sorted by ``(a, b)``, and ``options``/``timings``
    (seconds per stage) describe the run.
    """
    if mode not in MODES:
        raise UsageError(f"unknown mode {mode!r} (choose from {', '.join(MODES)})")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise UsageError(f"threshold must be between 0 and 1, got {threshold}")
    if num_perm < 1 or ngram < 1 or workers < 1:
        raise UsageError("num_perm, ngram and workers must be >= 1")
    if shingle not in ("word", "char"):
        raise UsageError(f"unknown shingle kind {shingle!r} (choose from word, char)")
    if texts is not None and mode == "incident" and engine != "local":
        raise UsageError("streamed texts in incident mode need the local engine")
    if threshold is None:
        threshold = DEFAULT_THRESHOLD[mode]
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    arts = to_articles(articles)
    ordered = sorted(arts, key=lambda a: a.id)
    timings["prepare"] = time.perf_counter() - t0
    prog = as_progress(progress)
    t1 = time.perf_counter()
    stats: dict[str, Any] = {}
    if mode == "near-duplicate":
        assert threshold is not None
        pairs = near_duplicate_pairs(ordered, threshold=threshold, num_perm=num_perm, seed=seed, shingle=shingle,
                                     ngram=ngram, bands=bands, rows=rows, workers=workers, engine=engine,
                                     scheduler=scheduler, progress=progress, stats=stats, texts=texts)
        timings["near_duplicate"] = time.perf_counter() - t1
    else:
        from dedup.engines import get_engine
        from dedup.near import jit

        # compiled kernels only for a corpus that repays loading (or compiling) them (dedup.near.jit)
        cb = stage_callback(progress)
        kw: dict[str, Any] = {"scheduler": scheduler} if engine == "dask" else {}
        run_pairs = get_engine(engine, mode="incident").incident_pairs
        nchars = _text_size(ordered, texts)
        with jit.sized("incident", nchars, progress=cb, warm_up=_incident_warm_up), \
                scheduler_errors(engine, scheduler):
            if texts is not None:  # streamed: each text read once, for its analysis, a block at a time
                from dedup.incident.analysis import analyse_texts

                kw["analyses"] = dict(zip((a.id for a in ordered),
                                          analyse_texts(ordered, texts, workers=workers, progress=cb), strict=True))
                kw["consume"] = True  # read once, by this call: each part freed once used
            pairs = list(run_pairs(ordered, threshold=threshold, num_perm=num_perm, seed=seed, workers=workers,
                                   progress=cb, **kw))
        timings["incident"] = time.perf_counter() - t1
    pairs = unique_pairs(pairs)
    t2 = time.perf_counter()
    clusters = build_clusters(ordered, pairs)
    timings["cluster"] = time.perf_counter() - t2
    timings["total"] = time.perf_counter() - t0
    prog.done()
    options = {"mode": mode, "threshold": threshold, "num_perm": num_perm, "seed": seed, "shingle": shingle,
               "ngram": ngram, "bands": bands, "rows": rows, "workers": workers, "engine": engine}
    if stats:
        options["bands"], options["rows"] = stats.get("bands", bands), stats.get("rows", rows)
    return ClusterResult(articles=arts, clusters=clusters, pairs=pairs, options=options, timings=timings)


def _text_size(articles: Sequence[Article], texts: Sequence[str] | None) -> int:
    """Characters of text (of ``texts`` when given: a streamed store's byte lengths, without reading)."""
    if texts is None:
        return sum(len(a.text) for a in articles)
    recs = getattr(texts, "recs", None)
    return int(recs["len"].sum()) if recs is not None else sum(map(len, texts))


_WARM_UP = ("Officials said 38 drones were shot down over Belgorod on Tuesday night, the ministry reported.",
            "Residents of the city heard loud explosions near the airport and saw smoke over the river.",
            "The governor confirmed that two people were injured and a school building was damaged.",
            "Rescue teams worked through the morning to clear the debris from the main road.")


def _incident_warm_up() -> None:
    """Incident mode on four tiny articles, so that every kernel it calls is compiled (and cached); and
    the all-pairs graph, whose neighbour kernel the bounded search does not call: ``jit.cached`` asks
    for every kernel of the family, so without it the kernels would count as never compiled."""
    from dedup.incident.score import build_graph, incident_pairs

    arts = [Article(id=str(i), text=" ".join(_WARM_UP[i:] + _WARM_UP[:i]) + (" An extra sentence." * (i % 2)))
            for i in range(len(_WARM_UP))]
    list(incident_pairs(arts, threshold=None))
    build_graph(arts, threshold=None, bounded=False)
