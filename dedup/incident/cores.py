"""Group-level actor conflicts: two groups of reports that each name their own actors are two incidents.

Average link (``linkage``) merges two groups when their articles are similar on average. Two look-alike
events of one topic (Tara Reid's rehab and Lindsay Lohan's, the Colts beating the Jaguars one year and
the Chiefs another) are similar on every word but the names, so the pair scores cannot part them; the
groups can, once each holds a few reports: every report of one event names its actors, and none of the
other event's reports does.

For a group ``G`` of articles, its *core* is the set of entities (``features.entities``: capitalised
names that do not start a sentence) named by at least ``share`` of its members and by at least two.
For two groups ``A``, ``B``:

``miss(A, B) = sum of idf(e) over e in core(A) named by at most absent * |B| of B's members / sum of idf(e) over core(A)``

with ``idf(e) = log((N + 1) / df(e))`` over the corpus's ``N`` articles. A merge of ``A`` and ``B`` is
refused when both hold at least ``min_group`` articles and ``min_core`` core entities and
``min(miss(A, B), miss(B, A)) >= conflict``: each group's own actors are unknown to the other. A
report of the same incident names at least some of them, so its group is not refused; a single article
or a pair never is (one article's names are too few to speak for an event).

Sums run over entity ids in increasing order, in the Python check here and in the compiled linkage
kernel alike, so both take the same decisions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ABSENT_SHARE", "CORE_CONFLICT", "CORE_SHARE", "MIN_CORE", "MIN_GROUP", "EntityCores",
           "entity_cores", "group_conflict", "unknown_core_names"]

#: Share of a group's articles that must name an entity for it to be core (and at least two).
CORE_SHARE = 0.5
#: An entity counts as unknown to a group when at most this share of its articles name it.
ABSENT_SHARE = 0.2
#: Least ``min(miss(A, B), miss(B, A))`` that refuses a merge.
CORE_CONFLICT = 0.6
#: Fewest articles each group needs before its core speaks for it.
MIN_GROUP = 3
#: Fewest core entities each group needs.
MIN_CORE = 3


@dataclass(slots=True, frozen=True)
class EntityCores:
    """The entities of each article as small integer ids, and each id's corpus IDF.

    Article ``x`` names the entity ids ``ids[ptr[x]:ptr[x + 1]]`` (sorted, unique); ``weight[e]`` is
    ``log((N + 1) / df(e))``. ``share``, ``absent``, ``conflict``, ``min_group``, ``min_core`` are the
    rule's parameters (module docstring).
    """

    ptr: np.ndarray
    ids: np.ndarray
    weight: np.ndarray
    share: float = CORE_SHARE
    absent: float = ABSENT_SHARE
    conflict: float = CORE_CONFLICT
    min_group: int = MIN_GROUP
    min_core: int = MIN_CORE

    @property
    def params(self) -> np.ndarray:
        """``[share, absent, conflict]`` as float64 (the compiled kernel's argument)."""
        return np.array([self.share, self.absent, self.conflict], dtype=np.float64)


def entity_cores(entity_hashes: Sequence[np.ndarray], **params: float) -> EntityCores:
    """:class:`EntityCores` from each article's sorted unique entity hashes (``ArticleAnalysis.entities``);
    ``params`` override the rule's defaults (``share``, ``absent``, ``conflict``, ``min_group``, ``min_core``)."""
    n = len(entity_hashes)
    lengths = np.fromiter((len(h) for h in entity_hashes), dtype=np.int64, count=n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    if not ptr[-1]:
        return EntityCores(ptr, np.zeros(0, dtype=np.int32), np.zeros(0), **params)  # type: ignore[arg-type]
    flat = np.concatenate([np.asarray(h, dtype=np.uint64) for h in entity_hashes])
    uniq, ids = np.unique(flat, return_inverse=True)
    df = np.bincount(ids, minlength=uniq.size)
    weight = np.log((n + 1) / df.astype(np.float64))
    # within an article the hashes are sorted, so are their ids (np.unique keeps the hash order)
    return EntityCores(ptr, ids.astype(np.int32), weight, **params)  # type: ignore[arg-type]


def _tally(groups: Iterable[Iterable[Hashable]]) -> dict[Any, int]:
    """In how many of ``groups`` (each a member's distinct names or ids) each name occurs."""
    out: dict[Any, int] = {}
    for names in groups:
        for e in names:
            out[e] = out.get(e, 0) + 1
    return out


def _counts(cores: EntityCores, members: Sequence[int]) -> dict[int, int]:
    return _tally(cores.ids[cores.ptr[x]:cores.ptr[x + 1]].tolist() for x in members)


def _is_core(cores: EntityCores, count: int, size: int) -> bool:
    """A name that ``count`` of a group's ``size`` articles mention belongs to its core."""
    return count >= 2 and count >= cores.share * size


def _is_unknown(cores: EntityCores, count: int, size: int) -> bool:
    """A name that ``count`` of a group's ``size`` articles mention is unknown to it."""
    return count <= cores.absent * size


def _miss(cores: EntityCores, mine: dict[int, int], size: int, theirs: dict[int, int], other: int) -> float:
    """``miss`` of a group against another (-1 when its core is too small to count)."""
    ncore, total, missing = 0, 0.0, 0.0
    for e in sorted(mine):
        if _is_core(cores, mine[e], size):
            w = float(cores.weight[e])
            ncore += 1
            total += w
            if _is_unknown(cores, theirs.get(e, 0), other):
                missing += w
    if ncore < cores.min_core or total <= 0:
        return -1.0
    return missing / total


def group_conflict(cores: EntityCores, a: Sequence[int], b: Sequence[int]) -> bool:
    """Whether the groups of articles ``a`` and ``b`` must not merge (module docstring)."""
    if len(a) < cores.min_group or len(b) < cores.min_group:
        return False
    ca, cb = _counts(cores, a), _counts(cores, b)
    ab = _miss(cores, ca, len(a), cb, len(b))
    ba = _miss(cores, cb, len(b), ca, len(a))
    return ab >= 0 and ba >= 0 and min(ab, ba) >= cores.conflict


def unknown_core_names(cores: EntityCores, names_a: Sequence[Sequence[str]], names_b: Sequence[Sequence[str]],
                       *, limit: int = 4) -> tuple[list[str], list[str]]:
    """The core names of each of two groups that the other group does not know (``explain``), at most
    ``limit`` each, most named first; ``names_a`` / ``names_b``: the entities of each member article."""

    ca, cb = _tally(map(set, names_a)), _tally(map(set, names_b))

    def unknown(mine: dict[str, int], size: int, theirs: dict[str, int], other: int) -> list[str]:
        core = [e for e, c in mine.items()
                if _is_core(cores, c, size) and _is_unknown(cores, theirs.get(e, 0), other)]
        return sorted(core, key=lambda e: (-mine[e], e))[:limit]

    return unknown(ca, len(names_a), cb, len(names_b)), unknown(cb, len(names_b), ca, len(names_a))
