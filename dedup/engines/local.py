"""The local engine: near-duplicate pairs on one machine, with worker processes.

Stages (each a plain function below):

1. ``shingle -> signature -> band keys`` per chunk of documents, in ``workers`` processes; chunks come
   back in input order, so the result does not depend on the worker count;
2. candidates: :func:`dedup.near.lsh.candidate_pairs` over the band keys of all non-empty documents
   (only ``n x bands`` uint64 are kept, never the shingle sets of the whole corpus);
3. verify: the documents named in candidate pairs are shingled again and each pair's exact Jaccard
   ``|A & B| / |A | B|`` is computed, in blocks of pairs on the same workers; pairs below ``threshold``
   are dropped.

``texts`` may be any ``Sequence[str]``, including a lazy one that reads or generates documents on
``__getitem__``; memory is then bounded by the band keys plus one block of documents per worker. A
lazy sequence that pickles in a few bytes (its slices too) can say so with a true ``lazy_texts``
attribute: the verification blocks then send it with the documents' indices, and the workers read
the texts, instead of this process reading them and sending the texts.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from dedup.engines.fastshingle import word_shingle_sets, word_shingles
from dedup.near.lsh import MAX_BUCKET, band_keys, candidate_pairs, optimal_params
from dedup.near.minhash import signatures_flat
from dedup.near.verify import low_bytes, prefilter

__all__ = ["CHUNK", "near_duplicate_pairs", "shingle_sets", "shingler", "signature_keys", "verify_block"]

#: Documents per work unit (shingling and signatures), and pairs per verification block.
CHUNK = 2000
PAIR_BLOCK = 5000

Progress = Callable[[str, int, int], None]


def shingler(kind: str = "word", ngram: int = 5) -> Callable[[str], np.ndarray]:
    """The reference shingle function, ``text -> sorted unique uint64`` (:mod:`dedup.near.shingles`)."""
    from dedup.near.shingles import shingle_hashes

    def fn(text: str) -> np.ndarray:
        return shingle_hashes(text, kind=kind, n=ngram)

    return fn


def shingle_sets(texts: Sequence[str], *, kind: str = "word", ngram: int = 5) -> list[np.ndarray]:
    """Sorted unique shingle labels per text, as the engines and the index compare them.

    Word shingles come from :mod:`dedup.engines.fastshingle` (the same sets as
    ``shingle_hashes``, labelled by a vectorised hash); character shingles from ``shingle_hashes``.
    """
    if kind == "word":  # in slices of CHUNK texts: the byte-level buffers grow with the slice
        return [s for k in range(0, len(texts), CHUNK) for s in word_shingle_sets(texts[k:k + CHUNK], n=ngram)]
    fn = shingler(kind, ngram)
    return [fn(t) for t in texts]


def signature_keys(texts: Sequence[str], *, kind: str = "word", ngram: int = 5, num_perm: int = 128,
                   seed: int = 1, bands: int, rows: int, low: bool = False) -> tuple[np.ndarray, ...]:
    """Band keys ``(len(texts), bands)`` uint64 and a bool mask of documents with at least one shingle;
    with ``low``, also the low bytes of the signatures (:func:`dedup.near.verify.low_bytes`)."""
    if kind == "word":
        values, offsets = word_shingles(texts, n=ngram)
    else:
        sets = shingle_sets(texts, kind=kind, ngram=ngram)
        lengths = np.fromiter((len(x) for x in sets), dtype=np.int64, count=len(sets))
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        values = np.concatenate(sets) if len(sets) and offsets[-1] else np.empty(0, np.uint64)
    sigs = signatures_flat(values, offsets, num_perm=num_perm, seed=seed, dtype=np.uint32)
    if low:
        return band_keys(sigs, bands, rows), np.diff(offsets) > 0, low_bytes(sigs)
    return band_keys(sigs, bands, rows), np.diff(offsets) > 0


def jaccard_sorted(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two sorted unique arrays, ``|A & B| / |A | B|`` (``dedup.near.verify.jaccard``)."""
    from dedup.near.verify import jaccard

    return jaccard(a, b)


def verify_block(pairs: np.ndarray, texts: Sequence[str], *, kind: str = "word",
                 ngram: int = 5) -> np.ndarray:
    """Exact Jaccard of each pair of ``pairs`` (indices into ``texts``), as float64."""
    from dedup.near import jit

    if kind == "word" and jit.use() and len(pairs):  # compiled: sets and merges in two passes
        parts = [word_shingles(texts[k:k + CHUNK], n=ngram) for k in range(0, len(texts), CHUNK)]
        values = np.concatenate([v for v, _ in parts])
        lengths = np.concatenate([np.diff(o) for _, o in parts])
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        k = jit.kernels()
        values, offsets = k.unique_segments(values, offsets)
        return k.jaccard_pairs(values, offsets, np.ascontiguousarray(pairs, dtype=np.int64))
    sets = shingle_sets(texts, kind=kind, ngram=ngram)
    return np.array([jaccard_sorted(sets[i], sets[j]) for i, j in pairs.tolist()], dtype=np.float64)


class _Take(Sequence[str]):
    """``texts[docs[k]]`` for ``k`` in ``range(len(docs))``, resolved where it is used (a worker)."""

    def __init__(self, texts: Sequence[str], docs: np.ndarray) -> None:
        self.texts, self.docs = texts, docs

    def __len__(self) -> int:
        return len(self.docs)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self.texts[int(i)] for i in self.docs[k]]
        return self.texts[int(self.docs[k])]


# -- worker side ------------------------------------------------------------------------------------
_OPTS: dict[str, Any] = {}


def _init(opts: dict[str, Any]) -> None:
    from dedup.near import jit

    _OPTS.clear()
    _OPTS.update(opts)
    jit.force(opts.get("jit"))
    if opts.get("worker"):
        _keep_heap()


def _keep_heap() -> None:
    """In a worker (glibc): large arrays from the heap, which keeps freed memory for the next chunk,
    instead of a fresh mapping each (every page of which faults in again): a chunk's ~40 MB of buffers
    cost ~10,000 page faults each time. No-op elsewhere."""
    import ctypes
    import os

    if os.environ.get("DEDUP_NO_KEEP_HEAP"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


#: The corpus, in worker processes forked while it is set (:class:`_Runner`): their jobs then name
#: documents by position instead of carrying the texts through a pipe.
_SHARED: list[str] | None = None


def _keys_task(job: Sequence[str] | range) -> tuple[np.ndarray, ...]:
    o = _OPTS
    texts = _SHARED[job.start:job.stop] if isinstance(job, range) else job  # type: ignore[index]
    return signature_keys(texts, kind=o["kind"], ngram=o["ngram"], num_perm=o["num_perm"], seed=o["seed"],
                          bands=o["bands"], rows=o["rows"], low=True)


def _verify_task(job: tuple[np.ndarray, Sequence[str] | np.ndarray]) -> np.ndarray:
    pairs, texts = job
    if isinstance(texts, np.ndarray):  # positions in the shared corpus
        texts = [_SHARED[i] for i in texts.tolist()]  # type: ignore[index]
    return verify_block(pairs, texts, kind=_OPTS["kind"], ngram=_OPTS["ngram"])


def _context() -> Any:
    """``fork`` where it is safe (Linux, no other threads), else ``forkserver``/``spawn``."""
    methods = mp.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return mp.get_context("fork")
    if "forkserver" not in methods:
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    # workers fork from a server that has already imported the engine (and Numba), not from scratch
    from dedup.near import jit

    ctx.set_forkserver_preload(["dedup.engines.local"] + (["dedup.near._kernels"] if jit.AVAILABLE else []))
    return ctx


class _Runner:
    """Maps a task over work units in order, inline (``workers <= 1``) or on a process pool."""

    def __init__(self, workers: int, opts: dict[str, Any], texts: Sequence[str] | None = None) -> None:
        global _SHARED
        self.workers = workers
        self.opts = opts
        self.pool = None
        #: the workers are forked with ``texts`` (a list) in :data:`_SHARED`: jobs carry positions
        self.shared = False
        if workers > 1:
            ctx = _context()
            self.shared = isinstance(texts, list) and ctx.get_start_method() == "fork"
            if self.shared:
                _SHARED = texts  # type: ignore[assignment]
            self.pool = ctx.Pool(workers, initializer=_init, initargs=(dict(opts, worker=True),))

    def map(self, fn: Callable[[Any], Any], jobs: Iterator[Any]) -> Iterator[Any]:
        """Results in job order; at most ``2 * workers`` jobs are in flight (``Pool.imap`` would pull
        every job from the iterator at once and hold the whole corpus in memory)."""
        if self.pool is None:
            _init(self.opts)
            return map(fn, jobs)
        return self._windowed(fn, iter(jobs))

    def _windowed(self, fn: Callable[[Any], Any], jobs: Iterator[Any]) -> Iterator[Any]:
        from collections import deque

        pending: deque = deque()
        for job in jobs:
            pending.append(self.pool.apply_async(fn, (job,)))  # type: ignore[union-attr]
            if len(pending) >= 2 * self.workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def close(self) -> None:
        global _SHARED
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
        if self.shared:
            _SHARED = None


def _text_chars(texts: Sequence[str]) -> int:
    """The characters of ``texts``: summed for a list, else estimated from 64 of them (a lazy sequence)."""
    n = len(texts)
    if isinstance(texts, list):
        return sum(map(len, texts))
    sample = [texts[int(i)] for i in np.linspace(0, n - 1, num=min(n, 64)).astype(np.int64)]
    return int(sum(len(t) for t in sample) / len(sample) * n)


def _worker_jit(texts: Sequence[str], workers: int) -> bool:
    """Whether this run uses the compiled kernels, in this process and its workers: when this process
    has loaded them already and forks its workers (they inherit them), else as
    :func:`dedup.near.jit.worth` decides for the corpus (loaded once here for forked workers, else by
    each of ``workers`` processes: about 0.4 s each; they save about 24 ms per MB of text)."""
    from dedup.near import jit

    if not len(texts):
        return False
    import sys

    fork = workers > 1 and _context().get_start_method() == "fork"
    if fork and "dedup.near._kernels" in sys.modules:
        return jit.use()
    # forked workers of a list inherit the kernels this process loads (near_duplicate_pairs): loaded once
    once = workers <= 1 or (fork and isinstance(texts, list))
    return jit.worth("near", _text_chars(texts), share=1 if once else workers)


def _warm_up() -> None:
    """The kernels of a run (word shingles, MinHash, verification) called once on a tiny input."""
    texts = ["one two three four five six seven", "one two three four five six eight"]
    signature_keys(texts, bands=2, rows=2, low=True)
    verify_block(np.array([[0, 1]], dtype=np.int64), texts)


def resolve_bands(threshold: float, num_perm: int, bands: int | None, rows: int | None) -> tuple[int, int]:
    """``(bands, rows)``: the given ones, or :func:`optimal_params` (datasketch's choice) for the rest."""
    if bands is None and rows is None:
        return optimal_params(threshold, num_perm)
    if bands is None:
        bands = num_perm // int(rows)  # type: ignore[arg-type]
    if rows is None:
        rows = num_perm // int(bands)
    if bands < 1 or rows < 1 or bands * rows > num_perm:
        raise ValueError(f"bands x rows = {bands} x {rows} does not fit num_perm = {num_perm}")
    return int(bands), int(rows)


def near_duplicate_pairs(texts: Sequence[str], *, kind: str = "word", ngram: int = 5, num_perm: int = 128,
                         seed: int = 1, threshold: float = 0.5, bands: int | None = None,
                         rows: int | None = None, workers: int = 1, progress: Progress | None = None,
                         max_bucket: int = MAX_BUCKET, stats: dict | None = None,
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of ``texts`` whose shingle sets have exact Jaccard ``>= threshold``.

    Parameters:
        kind, ngram: shingles (``"word"`` n-grams of words or ``"char"`` n-grams of characters).
        num_perm, seed: MinHash permutations (see :func:`dedup.near.minhash.signatures`).
        threshold: Jaccard threshold ``t``; also sets the LSH bands when ``bands``/``rows`` are None.
        bands, rows: LSH banding; a pair of Jaccard ``s`` is a candidate with probability
            ``1 - (1 - s**rows)**bands``.
        workers: processes for shingling, signatures and verification (1: in this process).
        progress: called as ``progress(stage, done, total)`` with stage ``"signatures"`` or ``"verify"``.
        max_bucket: LSH bucket cap (see :data:`dedup.near.lsh.MAX_BUCKET`).
        stats: if a dict, receives counts (documents, empty, candidates, verified, buckets).

    Returns ``(pairs, scores)``: ``pairs`` an ``(m, 2)`` int64 array of indices ``i < j`` sorted
    lexicographically, ``scores`` their exact Jaccard (float64). Identical for any ``workers``.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0, 1]")
    bands, rows = resolve_bands(threshold, num_perm, bands, rows)
    from dedup.near import jit

    with jit.using("near", _worker_jit(texts, workers), progress=progress, warm_up=_warm_up) as on:
        if on and workers > 1 and isinstance(texts, list) and _context().get_start_method() == "fork":
            # loaded once here and inherited, not by every worker at once (a lazy corpus, streamed for
            # its memory, leaves them to the workers: Numba adds ~100 MB to a process)
            _warm_up()
        return _pairs(texts, kind=kind, ngram=ngram, num_perm=num_perm, seed=seed, threshold=threshold,
                      bands=bands, rows=rows, workers=workers, progress=progress, max_bucket=max_bucket,
                      stats=stats, on=on)


def _pairs(texts: Sequence[str], *, kind: str, ngram: int, num_perm: int, seed: int, threshold: float,
           bands: int, rows: int, workers: int, progress: Progress | None, max_bucket: int,
           stats: dict | None, on: bool) -> tuple[np.ndarray, np.ndarray]:
    """:func:`near_duplicate_pairs` with the bands chosen and the kernels decided (``on``)."""
    n = len(texts)
    opts = {"kind": kind, "ngram": ngram, "num_perm": num_perm, "seed": seed, "bands": bands, "rows": rows,
            "jit": on}
    runner = _Runner(max(1, int(workers)), opts, texts)
    try:
        keys = np.empty((n, bands), dtype=np.uint64)
        low = np.empty((n, num_perm), dtype=np.uint8)  # 8-bit signatures for the prefilter
        nonempty = np.zeros(n, dtype=bool)
        # at least 4 work units per worker, so that no worker idles while another finishes its last one
        chunk = CHUNK if runner.pool is None else max(250, min(CHUNK, -(-n // (4 * runner.workers))))
        starts = range(0, n, chunk)
        # positions for workers forked with the corpus; else the texts (a lazy Sequence's slice as it is)
        jobs = (range(s, min(s + chunk, n)) if runner.shared else texts[s: s + chunk] for s in starts)
        for s, (k, ne, lo) in zip(starts, runner.map(_keys_task, jobs)):
            keys[s: s + len(k)] = k
            nonempty[s: s + len(k)] = ne
            low[s: s + len(k)] = lo
            if progress:
                progress("signatures", s + len(k), n)
        live = np.flatnonzero(nonempty)
        cstats: dict = {}
        cand = candidate_pairs(keys[live], max_bucket=max_bucket, stats=cstats)
        del keys
        cand = live[cand] if len(cand) else np.empty((0, 2), dtype=np.int64)
        raw_candidates = len(cand)
        cand = cand[prefilter(low, cand, threshold=threshold)]
        del low
        pairs, scores = _verify(cand, texts, runner, threshold, progress)
    finally:
        runner.close()
    if stats is not None:
        stats.update(documents=n, empty=int(n - live.size), candidates=raw_candidates, prefiltered=len(cand),
                     verified=len(pairs), bands=bands, rows=rows, **cstats)
    return pairs, scores


def _verify(cand: np.ndarray, texts: Sequence[str], runner: _Runner, threshold: float,
            progress: Progress | None) -> tuple[np.ndarray, np.ndarray]:
    m = len(cand)
    if m == 0:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float64)

    lazy = bool(getattr(texts, "lazy_texts", False))
    size = PAIR_BLOCK if runner.pool is None else max(100, min(PAIR_BLOCK, -(-m // (2 * runner.workers))))

    def jobs() -> Iterator[tuple[np.ndarray, Sequence[str]]]:
        for s in range(0, m, size):
            block = cand[s: s + size]
            docs, local = np.unique(block, return_inverse=True)
            # a lazy corpus travels as itself plus indices: the worker reads or generates the texts
            if runner.shared:
                yield local.reshape(-1, 2), docs
            else:
                yield local.reshape(-1, 2), (_Take(texts, docs) if lazy else [texts[int(i)] for i in docs])

    scores = np.empty(m, dtype=np.float64)
    done = 0
    for sc in runner.map(_verify_task, jobs()):
        scores[done: done + len(sc)] = sc
        done += len(sc)
        if progress:
            progress("verify", done, m)
    keep = scores >= threshold
    return cand[keep], scores[keep]
