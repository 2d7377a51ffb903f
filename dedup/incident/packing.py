"""A part's analyses as a few arrays, for the trip between processes.

Pickling an :class:`~dedup.incident.analysis.ArticleAnalysis` pickles each of its eight arrays on its
own (about 55 us an article to dump, 35 us to load: a tenth of the analysis itself). :func:`pack` joins
each field's arrays over a part into one array and its lengths, so a part crosses as a few large
buffers; :func:`unpack` gives back analyses whose arrays are slices of those buffers, equal to the
originals (values, dtypes, shapes). A field whose arrays differ in dtype in that part (counts that do
not fit ``float32``) travels as a list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dedup.incident.analysis import ArticleAnalysis

__all__ = ["Packed", "analyse_packed", "pack", "unpack"]

#: the array fields of an analysis, each with its arrays' first axis
_ARRAYS = ("terms", "counts", "lead_terms", "lead_counts", "win_spans", "win_offsets", "win_terms", "entities")

#: ``(fields, rest)``: per array field either ``(joined, lengths)`` or the list of arrays; ``rest`` each
#: analysis's ``(fact_keys, profile)``
Packed = tuple[dict[str, Any], list[tuple[Any, Any]]]


def pack(analyses: Sequence[ArticleAnalysis]) -> Packed:
    """The analyses as joined arrays (module docstring)."""
    fields: dict[str, Any] = {}
    if not analyses:
        return fields, []
    for name in _ARRAYS:
        arrays = [getattr(r, name) for r in analyses]
        if len({(a.dtype, a.shape[1:]) for a in arrays}) == 1:
            lengths = np.fromiter((a.shape[0] for a in arrays), dtype=np.int64, count=len(arrays))
            fields[name] = (np.concatenate(arrays), lengths)
        else:
            fields[name] = arrays
    return fields, [(r.fact_keys, r.profile) for r in analyses]


def unpack(packed: Packed) -> list[ArticleAnalysis]:
    """The analyses of :func:`pack`, in order, their arrays slices of the joined ones."""
    fields, rest = packed
    if not rest:
        return []
    columns = []
    for name in _ARRAYS:
        got = fields[name]
        if isinstance(got, list):
            columns.append(got)
            continue
        joined, lengths = got
        ends = np.cumsum(lengths).tolist()
        columns.append([joined[lo:hi] for lo, hi in zip([0, *ends[:-1]], ends, strict=True)])
    return [ArticleAnalysis(terms, counts, lead_terms, lead_counts, keys, profile, spans, offsets, win_terms, ents)
            for (keys, profile), terms, counts, lead_terms, lead_counts, spans, offsets, win_terms, ents
            in zip(rest, *columns, strict=True)]


def analyse_packed(articles: Sequence[Any]) -> Packed:
    """The packed analyses of ``articles`` (what a worker process of ``analysis`` hands back)."""
    from dedup.incident.analysis import _analyse_all

    return pack(_analyse_all(articles))
