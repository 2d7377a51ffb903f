"""The conflicts of every candidate edge at once: each profile encoded once as sorted integer sets.

``facts.pair_conflicts`` compares two :class:`~dedup.incident.facts.ConflictProfile` objects; a corpus
graph has hundreds of thousands of edges, so :func:`edge_conflicts` encodes each profile once
(:class:`EncodedProfiles`: slots, their values, day codes, places as ids in CSR arrays) and walks the
edges in a compiled kernel (``_conflict_kernel``) where Numba is available, else in the Python loop
here. Both take slots by increasing id (sorted slot names) and do the same float operations, so they
give the same floats as each other and as ``pair_conflicts``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.incident.facts import ConflictProfile, day_codes, pair_conflicts

__all__ = ["EncodedProfiles", "edge_conflicts", "edge_conflicts_python", "encode_profiles"]


def _csr(sets: Iterable[Iterable[int]]) -> tuple[np.ndarray, np.ndarray]:
    flat: list[int] = []
    lens: list[int] = []
    for s in sets:
        got = sorted(s)
        flat += got
        lens.append(len(got))
    ptr = np.zeros(len(lens) + 1, dtype=np.int64)
    np.cumsum(lens, out=ptr[1:])
    return ptr, np.array(flat, dtype=np.int64)


@dataclass(slots=True, frozen=True)
class EncodedProfiles:
    """Conflict profiles as CSR integer sets: article ``i``'s slot entries are ``sptr[i]:sptr[i + 1]``
    (slot ids ``sid``, increasing), entry ``x``'s value ids ``vid[vptr[x]:vptr[x + 1]]``; the day codes
    ``n0`` / ``d0`` (near and exact full dates), ``n1`` / ``d1`` (near year-less and month-day codes),
    the places ``pl``, each with its ``*p`` pointer array; ``ndates[i]`` the number of stated dates."""

    sptr: np.ndarray
    sid: np.ndarray
    vptr: np.ndarray
    vid: np.ndarray
    n0p: np.ndarray
    n0: np.ndarray
    d0p: np.ndarray
    d0: np.ndarray
    n1p: np.ndarray
    n1: np.ndarray
    d1p: np.ndarray
    d1: np.ndarray
    pp: np.ndarray
    pl: np.ndarray
    ndates: np.ndarray


def encode_profiles(profiles: Sequence[ConflictProfile]) -> EncodedProfiles:
    """The :class:`EncodedProfiles` of ``profiles`` (slot ids in sorted slot-name order)."""
    slot_id = {s: k for k, s in enumerate(sorted({s for p in profiles for s in p.slots}))}
    value_id: dict[str, int] = {}
    place_id: dict[str, int] = {}
    entries: list[list[int]] = []  # each article's slot ids, increasing
    values: list[set[int]] = []  # each slot entry's value ids
    for p in profiles:
        ids = sorted((slot_id[s], s) for s in p.slots)
        entries.append([k for k, _ in ids])
        values += [{value_id.setdefault(v, len(value_id)) for v in p.slots[s]} for _, s in ids]
    sptr, sid = _csr(entries)
    vptr, vid = _csr(values)
    (n0p, n0), (d0p, d0), (n1p, n1), (d1p, d1) = _day_csrs(profiles)
    pp, pl = _csr({place_id.setdefault(x, len(place_id)) for x in p.places} for p in profiles)
    ndates = np.array([len(p.dates) for p in profiles], dtype=np.int64)
    return EncodedProfiles(sptr, sid, vptr, vid, n0p, n0, d0p, d0, n1p, n1, d1p, d1, pp, pl, ndates)


def _day_csrs(profiles: Sequence[ConflictProfile]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The CSR sets of the near full days, the full days, the near year-less days and the month-day
    codes of every profile, made here (``facts.day_codes``) and not cached in the profiles."""
    flat: list[list[int]] = [[], [], [], []]
    lens = np.zeros((4, len(profiles)), dtype=np.int64)
    made: dict[tuple, list[list[int]]] = {}  # each distinct tuple of dates coded once (many articles share one)
    for k, p in enumerate(profiles):
        if not p.dates:
            continue
        codes = made.get(p.dates)
        if codes is None:
            days, near = day_codes(p.dates)
            codes = made[p.dates] = [sorted(got) for got in (near[0], days[0], near[1], days[1])]
        for part, got in enumerate(codes):
            flat[part] += got
            lens[part, k] = len(got)
    out = []
    for part in range(4):
        ptr = np.zeros(len(profiles) + 1, dtype=np.int64)
        np.cumsum(lens[part], out=ptr[1:])
        out.append((ptr, np.array(flat[part], dtype=np.int64)))
    return out


def edge_conflicts_python(profiles: Sequence[ConflictProfile], rows: np.ndarray,
                          cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`facts.pair_conflicts` of every edge, one pair at a time (the path without Numba)."""
    fig, date, place = np.zeros(len(rows)), np.zeros(len(rows)), np.zeros(len(rows))
    for e, (i, j) in enumerate(zip(np.asarray(rows).tolist(), np.asarray(cols).tolist(), strict=True)):
        pa, pb = profiles[i], profiles[j]
        if (pa.slots and pb.slots) or (pa.dates and pb.dates) or (pa.places and pb.places):
            f, d, p = pair_conflicts(pa, pb)
            fig[e], date[e], place[e] = f, float(d), float(p)
    return fig, date, place


def edge_conflicts(profiles: Sequence[ConflictProfile], rows: np.ndarray,
                   cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(figure, date, place)`` conflicts of every edge ``(rows[e], cols[e])`` (``facts.pair_conflicts``)."""
    from dedup.near import jit

    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    if not len(rows) or not jit.use():
        return edge_conflicts_python(profiles, rows, cols)
    from dedup.incident._conflict_kernel import conflicts_into

    enc = encode_profiles(profiles)
    fig, date, place = np.zeros(len(rows)), np.zeros(len(rows)), np.zeros(len(rows))
    conflicts_into(rows, cols, enc.sptr, enc.sid, enc.vptr, enc.vid, enc.n0p, enc.n0, enc.d0p, enc.d0,
                   enc.n1p, enc.n1, enc.d1p, enc.d1, enc.pp, enc.pl, enc.ndates, fig, date, place)
    return fig, date, place
