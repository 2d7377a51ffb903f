"""The Numba kernels behind :mod:`dedup.near.jit` (imported only where Numba is installed)."""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["MULT", "gram_hashes", "jaccard_pairs", "minhash", "token_hashes", "unique_segments"]

_jit = nb.njit(cache=True, nogil=True, boundscheck=False)
MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
              0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5],
             dtype=np.uint64)

@_jit
def fmix64(x: np.uint64) -> np.uint64:
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xFF51AFD7ED558CCD)
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xC4CEB9FE1A85EC53)
    x ^= x >> np.uint64(33)
    return x

@_jit
def token_hashes(buf, words, len_mask, wordb, connb, doc_start, mult):  # pragma: no cover - compiled
    """Tokens of ``buf`` (``doc_start``: byte offset of each document, ascending) ->
    ``(hashes, token_doc, long_starts, long_ends, long_index)``; tokens over 24 bytes get hash 0
    and are listed so the caller can label them (xxh3). ``words[p]``: the little-endian 8 bytes from
    ``buf[p]`` on (zero past the end), ``len_mask[k, L]``: those of word ``k`` inside a token of ``L``."""
    nbytes = buf.size
    nd = doc_start.size
    cap = nbytes // 2 + 1
    th = np.empty(cap, np.uint64)
    tdoc = np.empty(cap, np.int32)
    lst = []
    nt = 0
    d = 0
    i = 0
    while i < nbytes:
        c = buf[i]
        if not wordb[c]:
            i += 1
            continue
        s = i
        i += 1
        while i < nbytes:
            c = buf[i]
            if wordb[c]:
                i += 1
            elif connb[c] and i + 1 < nbytes and wordb[buf[i + 1]] and i > 0:
                i += 2
            else:
                break
        while d + 1 < nd and doc_start[d + 1] <= s:
            d += 1
        length = i - s
        h = np.uint64(length) * mult[7]
        if length > 24:
            lst.append((s, i, nt))
            h = np.uint64(0)
        else:
            for k in range(3):
                w = words[s + 8 * k] & len_mask[k, length]
                h = fmix64(h ^ (w * mult[k]))
        th[nt] = h
        tdoc[nt] = d
        nt += 1
    ls = np.empty(len(lst), np.int64)
    le = np.empty(len(lst), np.int64)
    li = np.empty(len(lst), np.int64)
    for q in range(len(lst)):
        ls[q], le[q], li[q] = lst[q]
    return th[:nt], tdoc[:nt], ls, le, li

@_jit
def gram_hashes(th, tdoc, nd, n, mult):  # pragma: no cover - compiled
    """Windows of ``n`` tokens of one document -> ``(values, counts per document)``."""
    t = th.size
    m = max(t - n + 1, 0)
    vals = np.empty(m, np.uint64)
    counts = np.zeros(nd, np.int64)
    k = 0
    for i in range(m):
        if tdoc[i] != tdoc[i + n - 1]:
            continue
        g = np.uint64(0)
        for j in range(n):
            g += th[i + j] * mult[j]
        vals[k] = fmix64(g)
        counts[tdoc[i]] += 1
        k += 1
    return vals[:k], counts

@_jit
def minhash(values, offsets, a, b, out):  # pragma: no cover - compiled
    """``out[d, k] = min over values[offsets[d]:offsets[d+1]] of a_k * fmix32(v) + b_k`` (uint32)."""
    nd = offsets.size - 1
    kp = a.size
    m32 = np.uint64(0xFFFFFFFF)
    for d in range(nd):
        row = out[d]
        for k in range(kp):
            row[k] = np.uint32(0xFFFFFFFF)
        for p in range(offsets[d], offsets[d + 1]):
            # 32-bit arithmetic written out in 64 bits and masked (Numba widens uint32 products)
            x = values[p] & m32
            x ^= x >> np.uint64(16)
            x = (x * np.uint64(0x85EBCA6B)) & m32
            x ^= x >> np.uint64(13)
            x = (x * np.uint64(0xC2B2AE35)) & m32
            x ^= x >> np.uint64(16)
            x32 = np.uint32(x)
            for k in range(kp):
                v = np.uint32(a[k] * x32 + b[k])
                row[k] = min(row[k], v)



@_jit
def unique_segments(values, offsets):  # pragma: no cover - compiled
    """Each segment ``values[offsets[d]:offsets[d+1]]`` sorted and deduplicated -> ``(values, offsets)``."""
    out = np.empty_like(values)
    newoff = np.empty_like(offsets)
    newoff[0] = 0
    k = 0
    for d in range(offsets.size - 1):
        seg = np.sort(values[offsets[d]:offsets[d + 1]])
        for p in range(seg.size):
            if p == 0 or seg[p] != seg[p - 1]:
                out[k] = seg[p]
                k += 1
        newoff[d + 1] = k
    return out[:k], newoff


@_jit
def sorted_common(a, alo, ahi, b, blo, bhi):  # pragma: no cover - compiled
    """How many values the sorted unique runs ``a[alo:ahi]`` and ``b[blo:bhi]`` share (a merge walk)."""
    n = 0
    while alo < ahi and blo < bhi:
        if a[alo] == b[blo]:
            n += 1
            alo += 1
            blo += 1
        elif a[alo] < b[blo]:
            alo += 1
        else:
            blo += 1
    return n


@_jit
def jaccard_pairs(values, offsets, pairs):  # pragma: no cover - compiled
    """Exact Jaccard of sorted unique segments ``i`` and ``j`` for each row ``(i, j)`` of ``pairs``
    (0.0 when either is empty), by merging the two sorted runs."""
    m = pairs.shape[0]
    out = np.empty(m, np.float64)
    for q in range(m):
        i, j = pairs[q, 0], pairs[q, 1]
        x, a1 = offsets[i], offsets[i + 1]
        y, b1 = offsets[j], offsets[j + 1]
        na, nb = a1 - x, b1 - y
        if na == 0 or nb == 0:
            out[q] = 0.0
            continue
        inter = sorted_common(values, x, a1, values, y, b1)
        out[q] = inter / (na + nb - inter)
    return out
