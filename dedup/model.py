"""Core data types that flow through the pipeline.

read -> ``Article`` (or ``Rejected``) -> ... -> ``Pair`` (verified, scored) -> ``Cluster`` -> ``ClusterResult``.
Every type has a plain ``to_dict()`` used by the JSON/JSONL writers, the exports and the TUI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Article:
    """One input article.

    ``id`` is unique within a corpus; ``text`` is the body as read (not normalised);
    ``date`` is an ISO ``YYYY-MM-DD`` string or ``None``; ``fields`` keeps every other input field
    (so ``--keep-one`` can write records back unchanged); ``source``/``line`` say where it came from.
    """

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "date": self.date, "text": self.text}


@dataclass(slots=True, frozen=True)
class Rejected:
    """An input record that was not processed, with where it was and why."""

    source: str
    line: int | None
    reason: str
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "id": self.id, "reason": self.reason}

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


@dataclass(slots=True, frozen=True)
class Pair:
    """A verified pair of articles (``a < b`` by id) with its similarity in [0, 1].

    ``evidence`` keeps the parts of the score (e.g. ``{"jaccard": 0.62}`` in near-duplicate mode,
    ``{"document": .., "passages": .., "facts": ..}`` in incident mode).
    """

    a: str
    b: str
    score: float
    evidence: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "score": round(self.score, 6),
                "evidence": {k: round(v, 6) for k, v in sorted(self.evidence.items())}}


@dataclass(slots=True)
class Cluster:
    """A group of articles telling the same story.

    ``id`` is deterministic (see ``dedup.grouping``); ``members`` are sorted article ids;
    ``representative`` is the member chosen by the documented rule (earliest date, then smallest id).
    """

    id: str
    members: list[str]
    representative: str
    pairs: list[Pair] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "size": self.size, "representative": self.representative,
                "members": list(self.members), "pairs": [p.to_dict() for p in self.pairs]}


@dataclass(slots=True)
class ClusterResult:
    """The output of ``dedup.cluster()``: every input article in exactly one cluster, or rejected."""

    articles: list[Article]
    clusters: list[Cluster]
    pairs: list[Pair]
    rejected: list[Rejected] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    #: Streamed runs (texts left in the input files): yields the given articles with their whole input
    #: records in ``fields``, a batch at a time, so ``--keep-one`` never holds every record at once.
    restore: Callable[[Sequence[Article]], Iterator[Article]] | None = field(default=None, repr=False,
                                                                           compare=False)

    def cluster_of(self) -> dict[str, Cluster]:
        """Map article id -> its cluster."""
        return {m: c for c in self.clusters for m in c.members}

    def to_dict(self) -> dict[str, Any]:
        return {"options": self.options, "clusters": [c.to_dict() for c in self.clusters],
                "rejected": [r.to_dict() for r in self.rejected]}
