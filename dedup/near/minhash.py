"""Bulk MinHash signatures, bit-compatible with ``datasketch.MinHash`` (scheme ``affine32``, datasketch >= 2.0).

For a set of shingle hashes ``S`` and permutation ``k`` with parameters ``(a_k, b_k)`` (``a_k`` odd)::

    x      = fmix32(h mod 2**32)                 # MurmurHash3 finalizer, a bijection on 32 bits
    sig[k] = min over h in S of (a_k * x + b_k) mod 2**32

``(a, b)`` come from ``numpy.random.RandomState(seed)`` exactly as ``datasketch.MinHash(num_perm, seed)``
draws them, so ``Pr[sig_A[k] == sig_B[k]] ~= J(A, B)`` (Jaccard) and our rows can be compared with, or
inserted into, datasketch's own sketches and ``MinHashLSH`` via :func:`to_lean_minhash`.

The whole batch is computed at once: every document's hashes are concatenated, the permutations are
applied to blocks of the concatenation, and ``np.minimum.reduceat`` takes the minimum per document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from dedup.near.lsh import band_keys

__all__ = ["EMPTY", "band_keys_flat", "jaccard_estimate", "permutations", "signatures", "signatures_flat",
           "to_lean_minhash"]

#: Sets signed at a time by :func:`band_keys_flat`: only their signatures are held at once.
SIGN_CHUNK = 1 << 16

#: The value of every slot of an empty set's signature (datasketch's empty MinHash: 2**32 - 1).
EMPTY = np.uint64((1 << 32) - 1)

_M32 = np.uint32(0xFFFFFFFF)
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
# Hash values handled per group: a 1 MiB uint32 block stays in the CPU cache across permutations.
_BLOCK = 1 << 18


@lru_cache(maxsize=32)
def permutations(num_perm: int = 128, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` uint32 permutation parameters of ``datasketch.MinHash(num_perm, seed)`` (affine32).

    ``a`` is odd (so ``x -> a*x + b mod 2**32`` is a bijection); both are drawn from
    ``RandomState(seed)``: ``a = 2 * randint(0, 2**31) + 1``, then ``b = randint(0, 2**32)``.
    """
    if num_perm < 1:
        raise ValueError("num_perm must be positive")
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def _fmix32(x: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX
    x = x ^ (x >> s1)
    x *= m1
    x ^= x >> s2
    x *= m2
    x ^= x >> s3
    return x


def signatures(hash_sets: Sequence[np.ndarray], *, num_perm: int = 128, seed: int = 1,
               dtype: Any = np.uint64) -> np.ndarray:
    """MinHash signatures of a batch of hash sets, as one ``(n, num_perm)`` array.

    Parameters:
        hash_sets: one integer array per document (e.g. ``shingle_hashes`` output); only the low 32 bits
            of each value are used, as datasketch does with its 32-bit ``sha1_hash32``. Duplicates are
            harmless (a set's minimum does not change).
        num_perm: number of permutations ``k`` (signature length); the estimator's standard error is
            ``sqrt(J(1-J)/k)``.
        seed: seed of the permutations; only signatures with the same ``(num_perm, seed)`` compare.
        dtype: ``np.uint64`` (the contract, same values as datasketch) or ``np.uint32`` (half the memory).

    Returns ``sig`` with ``sig[i, k] = min_h (a_k * fmix32(h) + b_k) mod 2**32``. An empty set gets
    :data:`EMPTY` in every slot (datasketch's empty MinHash); two empty sets therefore compare as equal,
    so callers should drop empty documents before LSH (the engines do).
    """
    n = len(hash_sets)
    lengths = np.fromiter((len(h) for h in hash_sets), dtype=np.int64, count=n)
    flat = (np.concatenate([np.asarray(h).astype(np.uint64, copy=False) for h in hash_sets])
            if n and lengths.sum() else np.empty(0, np.uint64))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    return signatures_flat(flat, offsets, num_perm=num_perm, seed=seed, dtype=dtype)


def signatures_flat(values: np.ndarray, offsets: np.ndarray, *, num_perm: int = 128, seed: int = 1,
                    dtype: Any = np.uint64) -> np.ndarray:
    """:func:`signatures` of sets given flat: set ``i`` is ``values[offsets[i]:offsets[i+1]]``.

    ``offsets`` is non-decreasing with ``offsets[0] == 0`` and ``offsets[-1] == len(values)``.
    """
    a, b = permutations(num_perm, seed)
    offsets = np.asarray(offsets, dtype=np.int64)
    n = offsets.size - 1
    out = np.empty((n, num_perm), dtype=np.uint32)
    if n <= 0:
        return np.empty((0, num_perm), dtype=dtype)
    lengths = np.diff(offsets)
    empty = lengths == 0
    nonempty = np.flatnonzero(~empty)
    out[empty] = _M32
    if nonempty.size and _use_jit(values):
        from dedup.near import jit

        vals = np.ascontiguousarray(values, dtype=np.uint64)
        jit.kernels().minhash(vals, offsets, a, b, out)
    elif nonempty.size:
        flat = _fmix32(np.asarray(values).astype(np.uint32))  # low 32 bits, as datasketch's 32-bit hashes
        starts = offsets[:-1][nonempty]
        ends = offsets[1:][nonempty]
        # Walk documents in groups of about _BLOCK hashes (a long document is its own group); per group,
        # one pass per permutation over a contiguous 1-D block, reduced per document with reduceat.
        tmp = np.empty(max(_BLOCK, int(lengths.max())), dtype=np.uint32)
        lo = 0
        ndoc = nonempty.size
        while lo < ndoc:
            hi = max(int(np.searchsorted(ends, starts[lo] + _BLOCK, side="right")), lo + 1)
            s0, s1 = int(starts[lo]), int(ends[hi - 1])
            seg = flat[s0:s1]
            t = tmp[: s1 - s0]
            offs = starts[lo:hi] - s0
            rows = np.empty((num_perm, hi - lo), dtype=np.uint32)
            for k in range(num_perm):
                np.multiply(seg, a[k], out=t)
                t += b[k]
                rows[k] = np.minimum.reduceat(t, offs)
            out[nonempty[lo:hi]] = rows.T
            lo = hi
    return out.astype(dtype, copy=False)


def _use_jit(values: np.ndarray) -> bool:
    """Compiled MinHash (:mod:`dedup.near.jit`, same values) for batches worth compiling for."""
    from dedup.near import jit

    return jit.use(len(values), min_bytes=1 << 16)


def to_lean_minhash(sig_row: np.ndarray, seed: int = 1) -> Any:
    """A ``datasketch.LeanMinHash`` (scheme ``affine32``) holding one signature row.

    It compares with ``datasketch.MinHash(num_perm, seed)`` built from the same shingles and can be
    inserted into and queried against datasketch's ``MinHashLSH``.
    """
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=np.asarray(sig_row).astype(np.uint32), scheme="affine32")


def jaccard_estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float | np.ndarray:
    """Estimated Jaccard: the share of equal slots, ``mean_k [sig_a[k] == sig_b[k]]`` (last axis)."""
    return np.mean(np.asarray(sig_a) == np.asarray(sig_b), axis=-1)


def band_keys_flat(values: np.ndarray, offsets: np.ndarray, *, num_perm: int, seed: int, bands: int,
                   rows: int, chunk: int = SIGN_CHUNK, lookup: np.ndarray | None = None,
                   map_chunks: Callable[[Callable[[int], np.ndarray], Iterable[int]], Iterable[np.ndarray]] = map
                   ) -> np.ndarray:
    """``lsh.band_keys(signatures_flat(values, offsets, ...), bands, rows)``, signed ``chunk`` sets at a
    time: the keys (``bands`` x 8 bytes a set) are kept, the signatures (``num_perm`` x 8) are not. A set's
    keys depend only on its own values, so they are the same in any chunking. ``lookup``: ``values`` are
    positions in it (the sets' values are ``lookup[values]``, read a chunk at a time). ``map_chunks``: how
    the chunks are signed (``map``, or a mapper onto threads that yields in order)."""
    offsets = np.asarray(offsets, dtype=np.int64)
    n = offsets.size - 1

    def keys_of(lo: int) -> np.ndarray:
        off = offsets[lo:min(n, lo + chunk) + 1]
        vals = values[off[0]:off[-1]]
        sig = signatures_flat(vals if lookup is None else lookup[vals], off - off[0], num_perm=num_perm, seed=seed)
        return band_keys(sig, bands, rows)

    parts = list(map_chunks(keys_of, range(0, n, chunk)))
    return np.concatenate(parts) if parts else np.zeros((0, bands), dtype=np.uint64)
