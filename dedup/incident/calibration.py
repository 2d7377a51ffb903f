"""Calibration of incident scores: the adaptive threshold and the time factor.

The threshold a pair's combined score must reach is ``mu + z sigma`` of the corpus's document cosines
(a pair must be ``z`` standard deviations more similar than two articles of this corpus usually are),
kept between a floor (full texts: topic words alone give unrelated articles of one topic 0.1-0.2) and a
cap (a corpus of look-alike reports would otherwise put every pair below the bar). Two dated articles'
score is multiplied by a time factor with a long tail (follow-ups come weeks later).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

#: Default threshold of incident mode: ``None`` = adaptive, ``mu + DEFAULT_Z * sigma`` of the corpus's
#: document cosines (chosen on the development corpora, docs/incident.md).
DEFAULT_THRESHOLD: float | None = None
DEFAULT_Z = 1.75
#: Rows sampled to estimate ``mu`` and ``sigma`` on large corpora.
SAMPLE_ROWS = 1000
#: Most cosines ``adaptive_threshold`` holds at once (a block of sampled rows: 32 MB).
BLOCK_VALUES = 1 << 22
#: Time scale of news events in days: the combined score of two dated articles ``D`` days apart is
#: multiplied by ``1 / (1 + sqrt(D / DATE_SCALE_DAYS))`` (1 day: 0.85, 1 week: 0.67, 30 days: 0.5, a year:
#: 0.22). A long tail, not a window: arrests, hearings and trials are reported weeks and months later.
DATE_SCALE_DAYS = 30.0
#: The adaptive threshold is at least ``THRESHOLD_FLOOR`` on full texts: two unrelated articles on one
#: topic (two shootings, two earthquakes) reach a document cosine of 0.1-0.2 on topic words alone, however
#: spread the corpus is. Scaled by ``min(1, median terms / FLOOR_TERMS)``: headlines share no topic words
#: by chance, so a headline corpus keeps its ``mu + z sigma``.
THRESHOLD_FLOOR = 0.12
FLOOR_TERMS = 50.0
#: The adaptive threshold is at most ``THRESHOLD_CAP``: in a corpus of look-alike reports (one topic, one
#: phrasing, every night) ``mu + z sigma`` of the document cosines would put every pair below the bar;
#: the conflict evidence, not a higher bar, keeps two nights apart there.
THRESHOLD_CAP = 0.45
def _day(date: str | None) -> int | None:
    """Day number of an ISO ``YYYY-MM-DD...`` date, ``None`` when absent or unparsable."""
    if not date:
        return None
    try:
        return _dt.date.fromisoformat(str(date)[:10]).toordinal()
    except ValueError:
        return None


def time_factor(day_a: int | None, day_b: int | None, *, scale: float = DATE_SCALE_DAYS) -> float:
    """``1 / (1 + sqrt(|day_a - day_b| / scale))``: two reports days apart are less likely to be about one
    incident, but follow-ups come weeks and months later, so the factor falls slowly (half at ``scale``
    days). 1.0 when either date is unknown or ``scale <= 0``."""
    if day_a is None or day_b is None or scale <= 0:
        return 1.0
    return 1.0 / (1.0 + (abs(day_a - day_b) / scale) ** 0.5)


def adaptive_threshold(x: sp.csr_matrix, *, z: float = DEFAULT_Z, seed: int = 1) -> float:
    """``mu + z sigma`` of the cosines ``x_i . x_j`` (``i != j``): a pair must be ``z`` standard deviations
    more similar than two articles of this corpus usually are.

    A corpus on one topic (every article about drone attacks) has a high ``mu``, so topic words alone
    do not group; a broad corpus has a low one. On more than ``SAMPLE_ROWS`` articles, ``mu`` and
    ``sigma`` are estimated from that many rows drawn with ``seed``. The rows are read a block at a time
    (at most ``BLOCK_VALUES`` cosines held at once: memory does not grow with ``n * SAMPLE_ROWS``); each
    row's mean and squared deviations are pooled exactly (Chan et al.'s pairwise formula).
    """
    n = x.shape[0]
    if n < 3:
        return 0.5
    rows = np.arange(n)
    if n > SAMPLE_ROWS:
        rows = np.sort(np.random.default_rng(seed).choice(n, SAMPLE_ROWS, replace=False))
    from dedup.incident.blocks import map_blocks
    from dedup.near import jit

    compiled = jit.use()
    step = max(1, BLOCK_VALUES // n)
    # blocks of sampled rows (blocks.py: here, on threads with --workers, or an engine's workers)
    parts = map_blocks(_row_moments, (x, x.tocsc() if compiled else None),
                       [(rows[lo:lo + step],) for lo in range(0, len(rows), step)])
    sums, m2s = [p[0] for p in parts], [p[1] for p in parts]
    row_sum, row_m2 = np.concatenate(sums), np.concatenate(m2s)
    total = len(rows) * (n - 1)
    mu = float(row_sum.sum()) / total
    var = (float(row_m2.sum()) + float((((row_sum / (n - 1)) - mu) ** 2).sum()) * (n - 1)) / total
    return float(min(0.95, mu + z * max(var, 0.0) ** 0.5))


def _row_moments(shared: tuple, block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row of ``block``'s off-diagonal cosines: their sum and their squared deviations from the
    row's mean (compiled where ``xc``, the CSC copy, is given; the same cosines either way)."""
    x, xc = shared
    n = x.shape[0]
    if xc is not None:
        from dedup.incident._kernels import offdiag_rows

        vals = offdiag_rows(x.indptr, x.indices, x.data, xc.indptr, xc.indices, xc.data, block.astype(np.int64))
    else:
        s = (x[block] @ x.T).toarray()
        s[np.arange(len(block)), block] = np.nan
        vals = s[~np.isnan(s)]
    vals = vals.reshape(len(block), n - 1)
    mean = vals.mean(axis=1)
    return mean * (n - 1), ((vals - mean[:, None]) ** 2).sum(axis=1)


def threshold_floor(median_terms: float, *, floor: float = THRESHOLD_FLOOR,
                    full_terms: float = FLOOR_TERMS) -> float:
    """The least adaptive threshold of a corpus whose articles have ``median_terms`` content terms:
    ``floor * min(1, median_terms / full_terms)`` (full texts get ``floor``, headlines almost none)."""
    return floor * min(1.0, max(0.0, median_terms) / full_terms) if full_terms > 0 else floor


def _time_factors(days: Sequence[int | None], rows: np.ndarray, cols: np.ndarray, scale: float, *,
                  part: int = 1 << 21) -> np.ndarray:
    """:func:`time_factor` of every edge, computed once per distinct day difference."""
    out = np.ones(len(rows))
    if scale <= 0 or not len(rows):
        return out
    known = np.array([d is not None for d in days], dtype=bool)
    day = np.array([d if d is not None else 0 for d in days], dtype=np.int64)
    for lo in range(0, len(rows), part):  # a part of the edges at a time: their temporaries stay small
        r, c = rows[lo:lo + part], cols[lo:lo + part]
        both = np.flatnonzero(known[r] & known[c])
        diff = day[r[both]] - day[c[both]]
        uniq, inv = np.unique(diff, return_inverse=True)
        factors = np.array([time_factor(int(d), 0, scale=scale) for d in uniq.tolist()], dtype=np.float64)
        out[lo + both] = factors[inv.ravel()]
    return out
