"""The Dask engine: the local engine's stages as ``dask.distributed`` tasks, with the same result.

Documents are cut into chunks ``c`` (``CHUNK`` consecutive indices) and every exchange between stages
is a hash-partitioned shuffle of NumPy arrays (no pandas needed):

1. ``signatures``: per chunk, band keys of its non-empty documents, split into ``R`` pieces by
   ``key mod R`` (all copies of one band key meet in one reducer);
2. ``buckets``: per reducer, runs of equal keys give candidate pairs (the same bucket cap as
   :func:`dedup.near.lsh.candidate_pairs`), split by ``(i*n + j) mod R`` so duplicates meet;
3. ``unique``: per reducer, unique pairs, split by the chunk of ``j``;
4. ``verify``: per chunk of ``j``, the shingle sets of its ``j``s travel to the chunk of ``i``, where
   the exact Jaccard is computed and pairs below the threshold are dropped;
5. ``components`` (:func:`cluster_labels`): hash-to-min label propagation over the verified edges,
   vertices partitioned by chunk; each round every chunk sends ``label[src]`` to its neighbours' chunks
   and keeps the minimum; rounds stop when no label changes (the driver only sees counts, then maps
   ids to final labels).

No stage gathers the corpus, its signatures or its shingle sets on one machine. Lost workers are
recomputed by Dask from the task lineage, so a killed worker does not change the result.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from dedup.engines.local import jaccard_sorted, resolve_bands, shingle_sets, signature_keys
from dedup.near.lsh import MAX_BUCKET
from dedup.near.minhash import signatures
from dedup.near.verify import low_bytes, prefilter

__all__ = ["CHUNK", "cluster_labels", "dask_client", "near_duplicate_pairs"]

#: Documents per Dask partition.
CHUNK = 2000


@contextmanager
def dask_client(*, client: Any = None, scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A ``distributed.Client``: the one given, one connected to ``scheduler`` (``tcp://host:8786``), or
    a temporary ``LocalCluster`` of ``workers`` single-threaded processes (closed on exit). A scheduler
    that cannot be reached (or a malformed address) is a one-line ``UsageError``."""
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            c = Client(scheduler)
        except (OSError, ValueError) as exc:  # unreachable, or not an address: the user's, not a bug
            from dedup.errors import UsageError

            raise UsageError(f"cannot use the Dask scheduler {scheduler}: {exc}") from None
        with c:
            yield c
        return
    with LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


# -- tasks (module-level so workers can unpickle them) ----------------------------------------------
def _sig_task(texts: list[str], start: int, opts: dict, nred: int) -> list[tuple[np.ndarray, np.ndarray]]:
    keys, nonempty = signature_keys(texts, kind=opts["kind"], ngram=opts["ngram"], num_perm=opts["num_perm"],
                                    seed=opts["seed"], bands=opts["bands"], rows=opts["rows"])
    live = np.flatnonzero(nonempty)
    docs = np.repeat(live + start, keys.shape[1]).astype(np.int64)
    flat = keys[live].reshape(-1)
    part = (flat % np.uint64(nred)).astype(np.int64)
    return [(docs[part == r], flat[part == r]) for r in range(nred)]


def _texts_task(texts: Sequence[str]) -> Sequence[str]:
    return texts


def _piece(parts: list, r: int) -> Any:
    return parts[r]


def _bucket_task(pieces: list[tuple[np.ndarray, np.ndarray]], n: int, nred: int,
                 max_bucket: int) -> list[np.ndarray]:
    docs = np.concatenate([p[0] for p in pieces]) if pieces else np.empty(0, np.int64)
    keys = np.concatenate([p[1] for p in pieces]) if pieces else np.empty(0, np.uint64)
    out = []
    if docs.size > 1:
        order = np.lexsort((docs, keys))
        sk, sd = keys[order], docs[order]
        brk = np.flatnonzero(sk[1:] != sk[:-1]) + 1
        starts = np.concatenate(([0], brk))
        lens = np.diff(np.concatenate((starts, [sk.size])))
        for g in np.flatnonzero(lens >= 2).tolist():
            mem = sd[starts[g]: starts[g] + lens[g]]  # sorted ascending (lexsort by key, then doc)
            if lens[g] > max_bucket:
                out.append(np.stack([np.full(mem.size - 1, mem[0]), mem[1:]], axis=1))
            else:
                iu, ju = np.triu_indices(mem.size, 1)
                out.append(np.stack([mem[iu], mem[ju]], axis=1))
    pairs = np.concatenate(out) if out else np.empty((0, 2), np.int64)
    code = pairs[:, 0] * np.int64(n) + pairs[:, 1]
    part = code % nred
    return [code[part == r] for r in range(nred)]


def _unique_task(codes: list[np.ndarray], n: int, nchunks: int, chunk: int) -> list[np.ndarray]:
    code = np.unique(np.concatenate(codes)) if codes else np.empty(0, np.int64)
    pairs = np.stack([code // n, code % n], axis=1)
    cj = pairs[:, 1] // chunk
    return [pairs[cj == c] for c in range(nchunks)]


def _sets_task(texts: list[str], start: int, pieces: list[np.ndarray], opts: dict, nchunks: int,
               chunk: int) -> list[tuple[np.ndarray, list[np.ndarray]]]:
    """For the pairs whose ``j`` is in this chunk: attach ``set(j)``, route by the chunk of ``i``."""
    pairs = np.concatenate(pieces) if pieces else np.empty((0, 2), np.int64)
    cache = _set_cache(texts, start, pairs[:, 1], opts)
    out = []
    ci = pairs[:, 0] // chunk
    for c in range(nchunks):
        sel = pairs[ci == c]
        out.append((sel, [cache[j] for j in sel[:, 1].tolist()]))
    return out


def _set_cache(texts: list[str], start: int, docs: np.ndarray, opts: dict) -> dict[int, np.ndarray]:
    need = np.unique(docs).tolist()
    sets = shingle_sets([texts[d - start] for d in need], kind=opts["kind"], ngram=opts["ngram"])
    return dict(zip(need, sets))


def _verify_task(texts: list[str], start: int, pieces: list, opts: dict) -> tuple[np.ndarray, np.ndarray]:
    firsts = [sel[:, 0] for sel, _ in pieces]
    cache = _set_cache(texts, start, np.concatenate(firsts) if firsts else np.empty(0, np.int64), opts)
    prs, scores = [], []
    for sel, sets in pieces:
        if not len(sel):
            continue
        keep = _prefilter(sel, [cache[i] for i in sel[:, 0].tolist()], sets, opts)
        for (i, j), sj, ok in zip(sel.tolist(), sets, keep.tolist()):
            if not ok:
                continue
            s = jaccard_sorted(cache[i], sj)
            if s >= opts["threshold"]:
                prs.append((i, j))
                scores.append(s)
    return np.array(prs, dtype=np.int64).reshape(-1, 2), np.array(scores, dtype=np.float64)


def _prefilter(sel: np.ndarray, sets_i: list[np.ndarray], sets_j: list[np.ndarray], opts: dict) -> np.ndarray:
    """The local engine's prefilter (:func:`dedup.near.verify.prefilter`), from signatures of the sets
    (the same signatures: a set's MinHash is its shingles' MinHash)."""
    sig = {"num_perm": opts["num_perm"], "seed": opts["seed"], "dtype": np.uint32}
    low_i, low_j = low_bytes(signatures(sets_i, **sig)), low_bytes(signatures(sets_j, **sig))
    idx = np.arange(len(sel), dtype=np.int64)
    return prefilter(low_i, np.stack([idx, idx], axis=1), threshold=opts["threshold"], low_b=low_j)


def _edges_task(verified: tuple[np.ndarray, np.ndarray], nchunks: int, chunk: int) -> list[np.ndarray]:
    """Both directions of this chunk's verified edges, split by the chunk of the source vertex."""
    p = verified[0]
    both = np.concatenate([p, p[:, ::-1]])
    cs = both[:, 0] // chunk
    return [both[cs == c] for c in range(nchunks)]


def _gather_edges(pieces: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(pieces) if pieces else np.empty((0, 2), np.int64)


def _init_labels(edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    verts = np.unique(edges[:, 0])
    return verts, verts.copy()


def _send_task(labels: tuple[np.ndarray, np.ndarray], edges: np.ndarray, nchunks: int,
               chunk: int) -> list[np.ndarray]:
    verts, lab = labels
    if edges.size == 0:
        return [np.empty((0, 2), np.int64) for _ in range(nchunks)]
    src_lab = lab[np.searchsorted(verts, edges[:, 0])]
    msg = np.stack([edges[:, 1], src_lab], axis=1)
    cd = msg[:, 0] // chunk
    return [msg[cd == c] for c in range(nchunks)]


def _receive_task(labels: tuple[np.ndarray, np.ndarray], msgs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, int]:
    verts, lab = labels
    new = lab.copy()
    m = np.concatenate(msgs) if msgs else np.empty((0, 2), np.int64)
    if m.size:
        np.minimum.at(new, np.searchsorted(verts, m[:, 0]), m[:, 1])
    return verts, new, int((new != lab).sum())


def _labels_only(t: tuple) -> tuple[np.ndarray, np.ndarray]:
    return t[0], t[1]


def _changed(t: tuple) -> int:
    return t[2]


# -- driver ------------------------------------------------------------------------------------------
def _submit(client: Any, fn: Any, *args: Any) -> Any:
    # pure=False: keys are not derived from hashing the (large) arguments
    return client.submit(fn, *args, pure=False)


def _verified_futures(client: Any, texts: Sequence[str], opts: dict, max_bucket: int, chunk: int) -> tuple:
    n = len(texts)
    starts = list(range(0, n, chunk))
    nchunks = len(starts)
    nred = max(1, min(nchunks, 4 * len(client.scheduler_info().get("workers", {})) or 1))
    lazy = bool(getattr(texts, "lazy_texts", False))  # a lazy slice pickles in a few bytes
    # each partition's texts travel once, as the result of a task (Dask recomputes it if its worker
    # dies), and the three tasks that read them depend on it
    chunks = [_submit(client, _texts_task, texts[s: s + chunk] if lazy else list(texts[s: s + chunk]))
              for s in starts]
    sig = [_submit(client, _sig_task, chunks[c], starts[c], opts, nred) for c in range(nchunks)]
    sig_p = [[_submit(client, _piece, f, r) for f in sig] for r in range(nred)]
    bucket = [_submit(client, _bucket_task, sig_p[r], n, nred, max_bucket) for r in range(nred)]
    bucket_p = [[_submit(client, _piece, f, r) for f in bucket] for r in range(nred)]
    uniq = [_submit(client, _unique_task, bucket_p[r], n, nchunks, chunk) for r in range(nred)]
    uniq_p = [[_submit(client, _piece, f, c) for f in uniq] for c in range(nchunks)]
    sets = [_submit(client, _sets_task, chunks[c], starts[c], uniq_p[c], opts, nchunks, chunk)
            for c in range(nchunks)]
    sets_p = [[_submit(client, _piece, f, c) for f in sets] for c in range(nchunks)]
    verified = [_submit(client, _verify_task, chunks[c], starts[c], sets_p[c], opts) for c in range(nchunks)]
    return verified, nchunks


def _opts(threshold: float, kind: str, ngram: int, num_perm: int, seed: int, bands: int | None,
          rows: int | None) -> dict:
    b, r = resolve_bands(threshold, num_perm, bands, rows)
    return {"kind": kind, "ngram": ngram, "num_perm": num_perm, "seed": seed, "bands": b, "rows": r,
            "threshold": threshold}


def near_duplicate_pairs(texts: Sequence[str], *, kind: str = "word", ngram: int = 5, num_perm: int = 128,
                         seed: int = 1, threshold: float = 0.5, bands: int | None = None,
                         rows: int | None = None, workers: int = 2, progress: Any = None,
                         max_bucket: int = MAX_BUCKET, client: Any = None, scheduler: str | None = None,
                         chunk: int = CHUNK) -> tuple[np.ndarray, np.ndarray]:
    """Same contract and result as :func:`dedup.engines.local.near_duplicate_pairs`, on Dask.

    ``client`` (a ``distributed.Client``) or ``scheduler`` (its address) select a running cluster;
    otherwise a ``LocalCluster`` of ``workers`` processes is started for the call. ``chunk`` is the
    number of documents per partition. ``progress`` (``progress(stage, done, total)``) is called once
    per stage as the verified pairs arrive.
    """
    opts = _opts(threshold, kind, ngram, num_perm, seed, bands, rows)
    n = len(texts)
    if n == 0:
        return np.empty((0, 2), np.int64), np.empty(0, np.float64)
    with dask_client(client=client, scheduler=scheduler, workers=workers) as c:
        verified, _ = _verified_futures(c, texts, opts, max_bucket, chunk)
        parts = c.gather(verified)
    if progress:
        progress("verify", n, n)
    pairs = np.concatenate([p for p, _ in parts])
    scores = np.concatenate([s for _, s in parts])
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    return pairs[order].reshape(-1, 2), scores[order]


def cluster_labels(texts: Sequence[str], *, kind: str = "word", ngram: int = 5, num_perm: int = 128,
                   seed: int = 1, threshold: float = 0.5, bands: int | None = None, rows: int | None = None,
                   workers: int = 2, max_bucket: int = MAX_BUCKET, client: Any = None,
                   scheduler: str | None = None, chunk: int = CHUNK,
                   max_rounds: int = 10_000) -> np.ndarray:
    """Connected components of the verified near-duplicate graph, computed on the cluster.

    Returns ``labels`` (int64, length ``len(texts)``): ``labels[i]`` is the smallest document index in
    ``i``'s component (``i`` itself for a singleton), so equal labels mean one cluster.
    """
    opts = _opts(threshold, kind, ngram, num_perm, seed, bands, rows)
    n = len(texts)
    labels_out = np.arange(n, dtype=np.int64)
    if n == 0:
        return labels_out
    with dask_client(client=client, scheduler=scheduler, workers=workers) as c:
        verified, nchunks = _verified_futures(c, texts, opts, max_bucket, chunk)
        edges = [_submit(c, _edges_task, v, nchunks, chunk) for v in verified]
        local = [_submit(c, _gather_edges, [_submit(c, _piece, e, k) for e in edges]) for k in range(nchunks)]
        labels = [_submit(c, _init_labels, e) for e in local]
        for _ in range(max_rounds):
            sent = [_submit(c, _send_task, labels[k], local[k], nchunks, chunk) for k in range(nchunks)]
            recv = [_submit(c, _receive_task, labels[k], [_submit(c, _piece, s, k) for s in sent])
                    for k in range(nchunks)]
            labels = [_submit(c, _labels_only, r) for r in recv]
            if sum(c.gather([_submit(c, _changed, r) for r in recv])) == 0:
                break
        for verts, lab in c.gather(labels):
            labels_out[verts] = lab
    return labels_out
