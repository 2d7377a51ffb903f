"""Numba kernel of passage verification (imported only where Numba is installed; see ``passages._verify``)."""

from __future__ import annotations

import numba as nb
import numpy as np

from dedup.incident._kernels import _pairwise_sum

__all__ = ["merge_runs", "verify_block"]


_jit = nb.njit(cache=True, nogil=True)


@_jit
def _put_row(indptr, indices, weight, dense, row, clear):  # pragma: no cover - compiled
    """Row ``row`` scattered into ``dense`` (its terms' weights, or zeros again with ``clear``)."""
    for t in range(indptr[row], indptr[row + 1]):
        c = indices[t]
        dense[c] = 0.0 if clear else weight[c]


@_jit
def verify_block(indptr, indices, weight, mass, cands, n, min_overlap, dense, buf, out_u, out_v,
                 out_ov):  # pragma: no cover - compiled
    """The candidates ``cands`` (codes ``u * n + v``, sorted) whose IDF-weighted Jaccard reaches
    ``min_overlap``, written to ``out_u``, ``out_v``, ``out_ov`` in candidate order; returns how many.

    Unit ``u``'s terms are ``indices[indptr[u]:indptr[u + 1]]`` (sorted), term ``c`` weighs ``weight[c]``
    (the weighted rows' values are never stored), ``mass[u]`` their sum. The same floats as ``features.row_dots`` of the weighted rows against
    rows of ones, then ``union = mass[u] + mass[v] - inter`` and ``inter / union`` (0 where ``union <= 0``):
    the shared terms' weights in term order (zero ones dropped), summed as ``np.add.reduceat`` sums a
    segment (the first plus the pairwise sum of the rest). Unit ``u`` is scattered into ``dense`` (zeros,
    one per term; zeros again on return) once per run of equal ``u``; ``buf`` holds a unit's terms. Unlike
    ``row_dots``, the second row's values (all ones) are never read.
    """
    cur = -1
    q = 0
    u = cands[0] // n if cands.size else 0
    base = u * n
    for e in range(cands.size):
        code = cands[e]
        while code >= base + n:  # (sorted codes: u only grows; no division per pair)
            u += 1
            base += n
        v = code - base
        if u != cur:
            if cur >= 0:
                _put_row(indptr, indices, weight, dense, cur, True)
            _put_row(indptr, indices, weight, dense, u, False)
            cur = u
        m = 0
        for t in range(indptr[v], indptr[v + 1]):  # without a branch: a zero is written, then overwritten
            x = dense[indices[t]]
            buf[m] = x
            m += x != 0.0
        inter = buf[0] + _pairwise_sum(buf, 1, m - 1) if m else 0.0
        union = mass[u] + mass[v] - inter
        ov = inter / union if union > 0 else 0.0
        if ov >= min_overlap:
            out_u[q] = u
            out_v[q] = v
            out_ov[q] = ov
            q += 1
    if cur >= 0:
        _put_row(indptr, indices, weight, dense, cur, True)
    return q


@_jit
def merge_runs(a, b):  # pragma: no cover - compiled
    """The sorted union of two sorted arrays of codes (codes >= 0) in one pass without branches on the
    values (the smaller head is selected, written, and kept when not the last one written), as a view of
    a buffer of both sizes (not copied to its size: fresh memory costs more than the merge)."""
    out = np.empty(a.size + b.size, a.dtype)
    i = j = q = 0
    last = -1
    while i < a.size and j < b.size:
        x, y = a[i], b[j]
        first = x <= y
        z = x if first else y
        i += first
        j += not first
        out[q] = z
        q += z != last
        last = z
    while i < a.size:
        out[q] = a[i]
        q += a[i] != last
        last = a[i]
        i += 1
    while j < b.size:
        out[q] = b[j]
        q += b[j] != last
        last = b[j]
        j += 1
    return out[:q]
