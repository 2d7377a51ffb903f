"""Engines: the same stages run locally (processes) or on Dask, with the same result.

Near-duplicate mode: each engine module exposes ``near_duplicate_pairs(texts, *, kind, ngram, num_perm,
seed, threshold, bands, rows, workers, progress) -> (pairs (m, 2) int64, scores float64)``.
Incident mode: each exposes ``incident_pairs(articles, *, threshold, num_perm, seed, workers,
progress) -> list[Pair]`` (locally :mod:`dedup.incident.score` itself; on Dask
:mod:`dedup.engines.dask_incident`, which also takes ``scheduler``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

ENGINES = {"local": "dedup.engines.local", "dask": "dedup.engines.dask_engine"}
INCIDENT_ENGINES = {"local": "dedup.incident.score", "dask": "dedup.engines.dask_incident"}


def get_engine(name: str, *, mode: str = "near-duplicate") -> ModuleType:
    """The engine module called ``name`` (``"local"`` or ``"dask"``) for ``mode`` (``"near-duplicate"``
    or ``"incident"``)."""
    from dedup.errors import UsageError

    try:
        path = (INCIDENT_ENGINES if mode == "incident" else ENGINES)[name]
    except KeyError:
        raise UsageError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})") from None
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in {"dask", "distributed"}:
            raise UsageError("--engine dask needs Dask: pip install 'article-dedup[dask]'") from None
        raise
