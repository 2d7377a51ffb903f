"""Numba kernel of ``candidates.rare_neighbours`` (imported only where Numba is installed)."""

from __future__ import annotations

import numba as nb
import numpy as np

from dedup.incident._kernels import _keep_top

__all__ = ["rare_topk"]

_jit = nb.njit(cache=True, nogil=True)


@_jit
def rare_topk(indptr, indices, data, pptr, pdoc, pval, sel, day, tfac, k, lo, hi):  # pragma: no cover - compiled
    """Codes ``min(i, j) * n + max(i, j)`` of each row ``i``'s ``k`` best rows ``j != i`` by
    ``partial(i, j) * time(i, j)`` (ties: smaller ``j`` first), ``partial`` the dot product over row
    ``i``'s entries ``t`` with ``sel[t]`` only (its rarest terms), summed as SciPy's ``csr_matmat`` sums it (row ``i``'s terms in stored
    order, each column's documents in order), ``time`` = ``tfac[min(|day_i - day_j|, tfac.size - 1)]``
    when both days are known (``>= 0``), else 1. ``x`` is CSR ``indptr, indices, data``, its columns
    ``pptr, pdoc, pval`` (CSC). Each row walks only the postings of its selected terms, so the work is the
    sum of those postings' lengths (bounded by the selection), not ``n``. Rows ``lo:hi`` only (a block:
    its codes in row order, memory for its own rows)."""
    n = indptr.size - 1
    acc = np.zeros(n, np.float64)
    seen = np.zeros(n, np.bool_)
    touched = np.empty(n, np.int64)
    cs = np.empty(n, np.int64)
    vs = np.empty(n, np.float64)
    out = np.empty(max(16, (hi - lo) * k), np.int64)
    q = 0
    last = tfac.size - 1
    for i in range(lo, hi):
        nt = 0
        for t in range(indptr[i], indptr[i + 1]):
            if not sel[t]:
                continue
            c = indices[t]
            v = data[t]
            for p in range(pptr[c], pptr[c + 1]):
                j = pdoc[p]
                touched[nt] = j
                nt += not seen[j]
                seen[j] = True
                acc[j] += v * pval[p]
        m = 0
        di = day[i]
        for x in range(nt):
            j = touched[x]
            s = acc[j]
            acc[j] = 0.0
            seen[j] = False
            if s > 0.0 and j != i:
                if di >= 0 and day[j] >= 0:
                    s = s * tfac[min(abs(di - day[j]), last)]
                cs[m] = j
                vs[m] = -s
                m += 1
        if q + min(m, k) > out.size:
            bigger = np.empty(max(2 * out.size, q + m), np.int64)
            bigger[:q] = out[:q]
            out = bigger
        q = _keep_top(i, n, cs, vs, m, k, out, q)
    return out[:q].copy()
