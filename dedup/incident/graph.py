"""The scored candidate graph of one corpus: articles, edges as arrays, and a read-only view of them.

``score.build_graph`` makes it; ``score.group`` clusters it; ``explain`` and the TUI read it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dedup.incident.cores import EntityCores
from dedup.incident.facts import Fact, article_facts
from dedup.incident.passage_matches import PassageMatch
from dedup.model import Article

__all__ = ["EDGE_FIELDS", "EdgeView", "IncidentGraph"]


#: The scores kept for every candidate edge, in this order.
EDGE_FIELDS = ("document", "passages", "facts", "lead", "time", "figure_conflict", "date_conflict", "place_conflict",
               "actor_conflict", "combined")


def _empty_scores() -> dict[str, np.ndarray]:
    return {k: np.zeros(0) for k in EDGE_FIELDS}


@dataclass(slots=True)
class IncidentGraph:
    """Everything computed for one corpus: articles (id order), fact IDF, and the scored candidate edges.

    Edge ``e`` joins ``rows[e] < cols[e]`` (sorted by ``(row, col)``) with the scores ``scores[f][e]`` of
    :data:`EDGE_FIELDS`; ``edges`` shows them as ``{(i, j): {"document": .., ...}}``.
    """

    articles: list[Article]
    fact_idf: dict[str, float]
    threshold: float
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    cols: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    scores: dict[str, np.ndarray] = field(default_factory=_empty_scores)
    passages: Mapping[tuple[int, int], list[PassageMatch]] = field(default_factory=dict)
    cores: EntityCores | None = None

    @property
    def edges(self) -> EdgeView:
        return EdgeView(self)

    def facts(self, i: int) -> list[Fact]:
        """The facts of article ``i`` (read again: the graph keeps only their keys' IDF)."""
        a = self.articles[i]
        return article_facts(a.text, date=a.date)

    def edge(self, e: int) -> dict[str, float]:
        """The scores of edge number ``e`` as a dict of floats."""
        return {k: float(self.scores[k][e]) for k in EDGE_FIELDS}

    def index(self, article_id: str) -> int:
        for k, a in enumerate(self.articles):
            if a.id == article_id:
                return k
        raise KeyError(article_id)

    def to_dict(self) -> dict[str, Any]:
        ids = [a.id for a in self.articles]
        return {"articles": ids, "threshold": self.threshold,
                "edges": [{"a": ids[i], "b": ids[j], **{k: round(v, 6) for k, v in sorted(e.items())}}
                          for (i, j), e in self.edges.items()]}


class EdgeView(Mapping[tuple[int, int], dict[str, float]]):
    """Read-only ``{(i, j): scores}`` view of a graph's edge arrays (keys in sorted order)."""

    __slots__ = ("_g",)

    def __init__(self, graph: IncidentGraph) -> None:
        self._g = graph

    def _find(self, key: tuple[int, int]) -> int:
        g = self._g
        i, j = key
        lo = int(np.searchsorted(g.rows, i, side="left"))
        hi = int(np.searchsorted(g.rows, i, side="right"))
        e = lo + int(np.searchsorted(g.cols[lo:hi], j))
        return e if e < hi and g.cols[e] == j else -1

    def __getitem__(self, key: tuple[int, int]) -> dict[str, float]:
        e = self._find(key)
        if e < 0:
            raise KeyError(key)
        return self._g.edge(e)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self._find(key) >= 0  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._g.rows.tolist(), self._g.cols.tolist(), strict=True)

    def __len__(self) -> int:
        return len(self._g.rows)

    def items(self) -> Iterator[tuple[tuple[int, int], dict[str, float]]]:  # type: ignore[override]
        g = self._g
        cols = {k: g.scores[k].tolist() for k in EDGE_FIELDS}
        for e, key in enumerate(self):
            yield key, {k: cols[k][e] for k in EDGE_FIELDS}
