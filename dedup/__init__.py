"""article-dedup: find the news articles that tell the same story, and show where their versions differ.

The public API (imported lazily, so ``import dedup`` stays fast)::

    result = dedup.cluster(articles, threshold=0.5)    # ClusterResult
    d = dedup.compare(text_a, text_b)                    # AlignedDiff
    articles, rejected = dedup.read("corpus.jsonl")
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "dedup.model",
    "Rejected": "dedup.model",
    "Pair": "dedup.model",
    "Cluster": "dedup.model",
    "ClusterResult": "dedup.model",
    "DedupError": "dedup.errors",
    "InputError": "dedup.errors",
    "cluster": "dedup.pipeline",
    "read": "dedup.io.readers",
    "write": "dedup.io.writers",
    "compare": "dedup.diff.compare",
    "AlignedDiff": "dedup.diff.model",
    "explain": "dedup.incident.explain",
    "evaluate": "dedup.evaluate",
}

__all__ = [*sorted(_EXPORTS), "__version__"]  # noqa: PLE0604 - the lazily exported names, all strings


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dedup' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
