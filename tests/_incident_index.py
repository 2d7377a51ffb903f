"""Helpers shared by the incident-index tests: an index's clusters and pairs as plain values."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dedup.index.ops import cluster_rows


def indexed(idx: Path) -> dict[str, tuple[str, str, int]]:
    """Each article id's (cluster id, representative, cluster size) in the index."""
    return {r["id"]: (r["cluster_id"], r["representative"], r["cluster_size"]) for r in cluster_rows(str(idx))}


def stored_pairs(idx: Path) -> list[tuple[str, str, float]]:
    """The index's pairs as sorted (id, id, score)."""
    con = sqlite3.connect(idx)
    try:
        rows = con.execute("SELECT x.id, y.id, p.score FROM pairs p JOIN articles x ON x.rowid = p.a "
                           "JOIN articles y ON y.rowid = p.b").fetchall()
    finally:
        con.close()
    return sorted((min(a, b), max(a, b), s) for a, b, s in rows)
