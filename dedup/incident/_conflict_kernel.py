"""Numba kernel of ``conflicts.edge_conflicts`` (imported only where Numba is installed).

Each article's conflict profile arrives as sorted integer sets in CSR form (``conflicts.EncodedProfiles``);
an edge's figure, date and place conflicts are merge walks over the two articles' sets: the same
decisions, and the same float operations in the same order (slots by increasing id), as the Python
loop of :func:`dedup.incident.conflicts.edge_conflicts_python`.
"""

from __future__ import annotations

import numba as nb

from dedup.near._kernels import sorted_common as _common

__all__ = ["conflicts_into"]

_jit = nb.njit(cache=True, nogil=True)


@_jit
def _meet(ap, a, bp, b, i, j):  # pragma: no cover - compiled
    return _common(a, ap[i], ap[i + 1], b, bp[j], bp[j + 1]) > 0


@_jit
def conflicts_into(rows, cols, sptr, sid, vptr, vid, n0p, n0, d0p, d0, n1p, n1, d1p, d1, pp, pl, ndates,
                   fig, date, place):  # pragma: no cover - compiled
    """Fill ``fig``, ``date``, ``place`` for every edge ``(rows[e], cols[e])``."""
    for e in range(rows.size):
        i, j = rows[e], cols[e]
        x, xe, y, ye = sptr[i], sptr[i + 1], sptr[j], sptr[j + 1]
        total = 0.0
        both = 0
        while x < xe and y < ye:
            if sid[x] == sid[y]:
                la, lb = vptr[x + 1] - vptr[x], vptr[y + 1] - vptr[y]
                inter = _common(vid, vptr[x], vptr[x + 1], vid, vptr[y], vptr[y + 1])
                total += 1.0 - inter / min(la, lb)
                both += 1
                x += 1
                y += 1
            elif sid[x] < sid[y]:
                x += 1
            else:
                y += 1
        fig[e] = total / both if both else 0.0
        if ndates[i] > 0 and ndates[j] > 0:
            meet = _meet(n0p, n0, d0p, d0, i, j) or _meet(n1p, n1, d1p, d1, i, j) or _meet(n1p, n1, d1p, d1, j, i)
            date[e] = 0.0 if meet else 1.0
        if pp[i + 1] > pp[i] and pp[j + 1] > pp[j]:
            place[e] = 0.0 if _meet(pp, pl, pp, pl, i, j) else 1.0
