"""LSH banding over MinHash signatures, vectorised.

A signature of ``num_perm = b * r`` slots is cut into ``b`` bands of ``r`` rows. Two documents with
Jaccard ``s`` agree on one band with probability ``s**r``, so they share at least one band key (become
a *candidate pair*) with probability ``P(s) = 1 - (1 - s**r)**b``, an S-curve whose steep part sits
near ``(1/b)**(1/r)``. :func:`optimal_params` picks ``(b, r)`` as datasketch's ``MinHashLSH`` does.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = [
    "MAX_BUCKET",
    "band_keys",
    "candidate_pairs",
    "false_negative_probability",
    "false_positive_probability",
    "optimal_params",
]

#: Default cap on a bucket's size: a band key shared by more documents than this (boilerplate, empty
#: pages, wire copies in the thousands) yields a *star* (each member paired with the bucket's smallest
#: index, ``s - 1`` pairs) instead of all ``s * (s - 1) / 2`` pairs, so one bucket can never make the
#: candidate set quadratic. Members that are true near-duplicates of each other still end up connected
#: through the star after verification; the number of capped buckets is reported in ``stats``.
MAX_BUCKET = 500

_M64 = (1 << 64) - 1
_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_MUL = np.uint64(0x9E3779B97F4A7C15)
_S33 = np.uint64(33)


def false_positive_probability(threshold: float, bands: int, rows: int) -> float:
    """``integral_0^t 1 - (1 - s**r)**b ds``: weight of pairs below the threshold that become candidates."""
    from scipy.integrate import quad

    return quad(lambda s: 1 - (1 - s ** float(rows)) ** float(bands), 0.0, threshold)[0]


def false_negative_probability(threshold: float, bands: int, rows: int) -> float:
    """``integral_t^1 (1 - s**r)**b ds``: weight of pairs above the threshold that are missed."""
    from scipy.integrate import quad

    return quad(lambda s: 1 - (1 - (1 - s ** float(rows)) ** float(bands)), threshold, 1.0)[0]


@lru_cache(maxsize=64)
def optimal_params(threshold: float, num_perm: int, *, fp_weight: float = 0.5,
                   fn_weight: float = 0.5) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` minimising ``fp_weight*FP + fn_weight*FN``.

    FP and FN are the integrals of :func:`false_positive_probability` and
    :func:`false_negative_probability`; the search order and the strict ``<`` are datasketch's
    ``_optimal_param``, so the result equals ``MinHashLSH(threshold, num_perm).b, .r`` (tested). The
    integrands are polynomials of degree ``b * r <= num_perm`` in ``s``, so Gauss-Legendre quadrature
    with ``num_perm // 2 + 1`` nodes integrates them exactly; all ``(b, r)`` are evaluated at once.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0, 1]")
    if num_perm < 1:
        raise ValueError("num_perm must be positive")
    b = np.concatenate([np.full(num_perm // k, k) for k in range(1, num_perm + 1)]).astype(np.float64)
    r = np.concatenate([np.arange(1, num_perm // k + 1) for k in range(1, num_perm + 1)]).astype(np.float64)
    x, w = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def integral(lo: float, hi: float, fp: bool) -> np.ndarray:
        s = (hi - lo) / 2 * x + (hi + lo) / 2  # nodes mapped to [lo, hi]
        miss = (1.0 - s[None, :] ** r[:, None]) ** b[:, None]  # (1 - s**r)**b per (b, r) and node
        f = 1.0 - miss if fp else miss
        return (f @ w) * (hi - lo) / 2

    err = integral(0.0, threshold, True) * fp_weight + integral(threshold, 1.0, False) * fn_weight
    k = int(np.argmin(err))  # the first minimum: datasketch's strict < in the same (b, r) order
    return int(b[k]), int(r[k])


def _fmix64(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> _S33)
    x *= _C1
    x ^= x >> _S33
    x *= _C2
    x ^= x >> _S33
    return x


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (document, band): ``key[i, j] = H(sigs[i, j*r:(j+1)*r], j)``.

    ``H`` folds the band's ``r`` values and the band number into 64 bits (multiply-xor, then the
    MurmurHash3 finalizer); equal bands give equal keys, different bands collide with probability
    about ``2**-64``. Keys depend only on the values, so they can be stored and compared across runs.
    """
    sigs = np.asarray(sigs)
    if sigs.ndim != 2:
        raise ValueError("sigs must be a 2-D (n, num_perm) array")
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"bands * rows = {bands * rows} exceeds the signature length {sigs.shape[1]}")
    n = sigs.shape[0]
    s = sigs.astype(np.uint64, copy=False)
    keys = np.empty((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(bands):
            h = np.full(n, np.uint64((j + 1) * 0x2545F4914F6CDD1D & _M64), dtype=np.uint64)
            for c in range(j * rows, (j + 1) * rows):
                h ^= s[:, c]
                h *= _MUL
                h = _fmix64(h) if c == (j + 1) * rows - 1 else h ^ (h >> _S33)
            keys[:, j] = h
    return keys


def _pairs_in_runs(order: np.ndarray, run_start: np.ndarray, run_len: np.ndarray) -> np.ndarray:
    """All pairs within each run of ``order`` (runs given by start and length), as (m, 2) indices."""
    if run_len.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    # Flatten the members of the runs, then pair each member with the ones d places after it.
    idx = _ranges(run_start, run_len)
    gid = np.repeat(np.arange(run_len.size), run_len)
    members = order[idx]
    out = []
    for d in range(1, int(run_len.max())):
        same = gid[:-d] == gid[d:]
        if not same.any():
            break
        out.append(np.stack([members[:-d][same], members[d:][same]], axis=1))
    return np.concatenate(out) if out else np.empty((0, 2), dtype=np.int64)


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + l)`` for each (s, l), vectorised."""
    total = int(lengths.sum())
    ends = np.cumsum(lengths)
    base = np.repeat(starts - (ends - lengths), lengths)
    return base + np.arange(total)


def candidate_pairs(keys: np.ndarray, *, max_bucket: int = MAX_BUCKET,
                    stats: dict | None = None) -> np.ndarray:
    """Unique sorted pairs ``(i, j)``, ``i < j``, of rows that share a key in at least one band (column).

    Per band the keys are sorted (stable, so equal keys keep row order) and runs of equal keys are
    buckets; a bucket of ``s <= max_bucket`` rows yields its ``s*(s-1)/2`` pairs, a larger one a star
    (see :data:`MAX_BUCKET`). The result is the same whatever order the rows came in, up to relabelling.
    If ``stats`` is a dict it receives ``buckets``, ``capped_buckets`` and ``raw_pairs``.
    """
    keys = np.asarray(keys)
    if keys.ndim != 2:
        raise ValueError("keys must be a 2-D (n, bands) array")
    n, nb = keys.shape
    chunks = []
    buckets = capped = 0
    for j in range(nb):
        col = keys[:, j]
        order = np.argsort(col, kind="stable").astype(np.int64)
        sk = col[order]
        if n < 2:
            continue
        brk = np.flatnonzero(sk[1:] != sk[:-1]) + 1
        starts = np.concatenate(([0], brk))
        lens = np.diff(np.concatenate((starts, [n])))
        multi = lens >= 2
        buckets += int(multi.sum())
        small = multi & (lens <= max_bucket)
        chunks.append(_pairs_in_runs(order, starts[small], lens[small]))
        big = np.flatnonzero(lens > max_bucket)
        capped += big.size
        for g in big.tolist():
            mem = np.sort(order[starts[g]: starts[g] + lens[g]])
            chunks.append(np.stack([np.full(mem.size - 1, mem[0]), mem[1:]], axis=1))
    pairs = np.concatenate(chunks) if chunks else np.empty((0, 2), dtype=np.int64)
    raw = len(pairs)
    if raw:
        lo = np.minimum(pairs[:, 0], pairs[:, 1])
        hi = np.maximum(pairs[:, 0], pairs[:, 1])
        code = np.unique(lo * np.int64(n) + hi)
        pairs = np.stack([code // n, code % n], axis=1).astype(np.int64)
    if stats is not None:
        stats.update(buckets=buckets, capped_buckets=capped, raw_pairs=raw)
    return pairs.reshape(-1, 2).astype(np.int64, copy=False)
