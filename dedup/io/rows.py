"""The rows the writers write: one per article, one per representative (``keep_one``) or one per pair.

Article row columns (:data:`ARTICLE_COLUMNS`):

* ``id``, ``cluster`` (cluster id), ``cluster_size``, ``representative`` (bool);
* ``best_match``: the member of the same cluster with the highest verified score with this article
  (ties: smallest id), ``similarity``: that score (both empty for a cluster of one);
* ``title``, ``date`` when known.

Rows come in cluster order (``-size``, then cluster id), the representative first, then the other
members by id, so the output does not depend on the input order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from dedup.model import Article, ClusterResult

__all__ = ["ARTICLE_COLUMNS", "PAIR_COLUMNS", "article_rows", "best_matches", "keep_one_rows", "pair_rows", "to_json"]

ARTICLE_COLUMNS = ("id", "cluster", "cluster_size", "representative", "best_match", "similarity", "title", "date")
PAIR_COLUMNS = ("a", "b", "cluster", "score")


def best_matches(result: ClusterResult) -> dict[str, tuple[str, float]]:
    """Map article id -> (best matching id, score) over the verified pairs (ties: smallest id)."""
    best: dict[str, tuple[str, float]] = {}
    for p in result.pairs:
        for x, y in ((p.a, p.b), (p.b, p.a)):
            cur = best.get(x)
            if cur is None or p.score > cur[1] or (p.score == cur[1] and y < cur[0]):
                best[x] = (y, p.score)
    return best


def _ordered(result: ClusterResult) -> Iterator[tuple[Any, str]]:
    for c in result.clusters:
        yield c, c.representative
        for m in c.members:
            if m != c.representative:
                yield c, m


def article_rows(result: ClusterResult) -> Iterator[dict[str, Any]]:
    """One row per article (see the module docstring for the columns and order)."""
    by_id = {a.id: a for a in result.articles}
    best = best_matches(result)
    for c, m in _ordered(result):
        art = by_id.get(m)
        match = best.get(m)
        yield {"id": m, "cluster": c.id, "cluster_size": c.size, "representative": m == c.representative,
               "best_match": match[0] if match else None,
               "similarity": round(match[1], 6) if match else None,
               "title": art.title if art else None, "date": art.date if art else None}


def _original(art: Article) -> dict[str, Any]:
    if art.fields:
        return dict(art.fields)
    return {"id": art.id, "title": art.title, "date": art.date, "text": art.text}


def keep_one_rows(result: ClusterResult) -> Iterator[dict[str, Any]]:
    """The input record (all its fields) of each cluster's representative, in cluster order."""
    by_id = {a.id: a for a in result.articles}
    reps = [by_id[c.representative] for c in result.clusters]
    for art in result.restore(reps) if result.restore else reps:
        yield _original(art)


def pair_rows(result: ClusterResult, *, flat: bool = False) -> Iterator[dict[str, Any]]:
    """One row per verified pair, sorted by ``(a, b)``: a, b, cluster, score and the evidence parts.

    ``flat`` puts each evidence part in its own ``evidence_<part>`` column (CSV, Parquet, table).
    """
    where = result.cluster_of()
    for p in sorted(result.pairs, key=lambda p: (p.a, p.b)):
        row: dict[str, Any] = {"a": p.a, "b": p.b, "cluster": where[p.a].id if p.a in where else None,
                               "score": round(p.score, 6)}
        parts = {k: round(float(v), 6) for k, v in sorted(p.evidence.items())}
        if flat:
            row.update({f"evidence_{k}": v for k, v in parts.items()})
        else:
            row["evidence"] = parts
        yield row


def columns_of(rows: Iterable[dict[str, Any]]) -> list[str]:
    """The union of the rows' keys, in order of first appearance."""
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_json_default)


def to_json(obj: Any, **options: Any) -> str:
    """``obj`` as JSON text (UTF-8 kept); dates, bytes and NumPy scalars of input records as text/numbers.
    (Without options, one encoder serves every call: ``json.dumps`` with options builds one per call.)"""
    if not options:
        return _ENCODER.encode(obj)
    return json.dumps(obj, ensure_ascii=False, default=_json_default, **options)
