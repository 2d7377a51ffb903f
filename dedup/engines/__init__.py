"""Engines: the same near-duplicate stages run locally (processes) or on Dask, with the same result.

Each engine module exposes ``near_duplicate_pairs(texts, *, kind, ngram, num_perm, seed, threshold,
bands, rows, workers, progress) -> (pairs (m, 2) int64, scores float64)``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

ENGINES = {"local": "dedup.engines.local", "dask": "dedup.engines.dask_engine"}


def get_engine(name: str) -> ModuleType:
    """The engine module called ``name`` (``"local"`` or ``"dask"``)."""
    from dedup.errors import UsageError

    try:
        path = ENGINES[name]
    except KeyError:
        raise UsageError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})") from None
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in {"dask", "distributed"}:
            raise UsageError("--engine dask needs Dask: pip install 'article-dedup[dask]'") from None
        raise
