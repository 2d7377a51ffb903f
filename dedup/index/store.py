"""The index file: one SQLite database (WAL journal) holding everything an incremental add needs.

Tables::

    meta(key, value)                      options fixed at create time (threshold, num_perm, seed, ...)
    articles(rowid, id UNIQUE, title, date, source, line, fields JSON,
             shingles BLOB, signature BLOB, root)   root: the cluster's union-find root (a rowid)
    bands(key, article)                   LSH band keys (indexed): the only lookup an add makes
    pairs(a, b, score)                    verified near-duplicate pairs (rowids, a < b)
    clusters(root, size, rep_id, rep_date, cluster_id)

``shingles`` are the sorted uint64 shingle hashes (exact verification of later adds), ``signature`` the
uint32 MinHash row. An incident-mode index (``mode="incident"``) keeps those two empty and adds the
tables of :data:`dedup.index.incident.INCIDENT_SCHEMA` (each article's analysis, term and fact postings,
corpus statistics); ``pairs`` then holds the incident pairs inside clusters. Every add is one ``BEGIN IMMEDIATE ... COMMIT`` transaction, so a crash or
``kill -9`` mid-add leaves the index exactly as before that add (SQLite's WAL rolls it back).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedup.errors import IndexError_

__all__ = ["PAUSE_ENV", "SCHEMA_VERSION", "IndexOptions", "create_index", "open_index", "write_transaction"]

#: Test hook: seconds to sleep inside the add transaction just before COMMIT (crash-safety tests).
PAUSE_ENV = "DEDUP_INDEX_PAUSE_BEFORE_COMMIT"

SCHEMA_VERSION = 1
MODES = ("near-duplicate", "incident")

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles(
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, date TEXT, source TEXT, line INTEGER,
    fields TEXT, shingles BLOB NOT NULL, signature BLOB NOT NULL, root INTEGER NOT NULL);
CREATE INDEX articles_root ON articles(root);
CREATE TABLE bands(key INTEGER NOT NULL, article INTEGER NOT NULL);
CREATE INDEX bands_key ON bands(key);
CREATE TABLE pairs(a INTEGER NOT NULL, b INTEGER NOT NULL, score REAL NOT NULL, PRIMARY KEY(a, b));
CREATE TABLE clusters(root INTEGER PRIMARY KEY, size INTEGER NOT NULL, rep_id TEXT NOT NULL, rep_date TEXT,
    cluster_id TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class IndexOptions:
    """Options fixed when the index is created (every add and query uses them)."""

    threshold: float | None = 0.5
    num_perm: int = 128
    seed: int = 1
    kind: str = "word"
    ngram: int = 5
    bands: int = 0
    rows: int = 0
    mode: str = "near-duplicate"
    #: incident mode: ``"exact"`` (every add re-scores the index: = ``dedup cluster``) or ``"frozen"``
    #: (statistics of the first add kept; adds score only the new articles' pairs: ``dedup.index.frozen``)
    statistics: str = "exact"

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "num_perm": self.num_perm, "seed": self.seed, "kind": self.kind,
                "ngram": self.ngram, "bands": self.bands, "rows": self.rows, "mode": self.mode,
                "statistics": self.statistics}


def _connect(path: str | Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    return con


def create_index(path: str | Path, *, threshold: float | None = 0.5, num_perm: int = 128, seed: int = 1,
                 kind: str = "word", ngram: int = 5, bands: int | None = None, rows: int | None = None,
                 mode: str = "near-duplicate", statistics: str = "exact") -> IndexOptions:
    """Create an empty index at ``path`` (which must not exist) and return its options.

    ``bands``/``rows`` default to :func:`dedup.near.lsh.optimal_params` ``(threshold, num_perm)``.
    ``mode="near-duplicate"``: document Jaccard at ``threshold``. ``mode="incident"``: incident mode
    (:mod:`dedup.index.incident`); ``threshold=None`` is its adaptive threshold, recomputed at every add,
    and ``num_perm`` is the passage MinHash's (capped at 64, as in ``dedup cluster``); no bands;
    ``statistics``: ``"exact"`` or ``"frozen"`` (:class:`IndexOptions`).
    """
    from dedup.engines.local import resolve_bands

    p = Path(path)
    if mode not in MODES:
        raise IndexError_(f"index mode {mode!r} is not supported (only {', '.join(MODES)})", source=str(p))
    if p.exists():
        raise IndexError_("already exists (remove it or choose another name)", source=str(p))
    if statistics not in ("exact", "frozen") or (statistics == "frozen" and mode != "incident"):
        raise IndexError_(f"statistics {statistics!r}: choose exact, or frozen with mode incident", source=str(p))
    if threshold is None and mode != "incident":
        raise IndexError_("a near-duplicate index needs a threshold", source=str(p))
    if threshold is not None and not 0.0 < threshold <= 1.0:
        raise IndexError_(f"threshold must be in (0, 1], got {threshold}", source=str(p))
    try:
        b, r = resolve_bands(threshold, num_perm, bands, rows) if mode == "near-duplicate" else (0, 0)
    except ValueError as exc:
        raise IndexError_(str(exc), source=str(p)) from None
    opts = IndexOptions(threshold=threshold, num_perm=num_perm, seed=seed, kind=kind, ngram=ngram,
                        bands=b, rows=r, mode=mode, statistics=statistics)
    try:
        con = _connect(p)
    except sqlite3.Error as exc:
        raise IndexError_(f"cannot create index: {exc}", source=str(p)) from None
    try:
        con.execute("BEGIN")
        schema, meta = _SCHEMA, {**opts.to_dict(), "schema_version": SCHEMA_VERSION}
        if mode == "incident":
            from dedup.index.incident import INCIDENT_SCHEMA, incident_meta

            schema += INCIDENT_SCHEMA
            meta.update(incident_meta())
            if statistics == "frozen":
                from dedup.index.frozen import FROZEN_SCHEMA

                schema += FROZEN_SCHEMA
        for stmt in schema.strip().split(";"):
            if stmt.strip():
                con.execute(stmt)
        con.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])
        con.execute("COMMIT")
    finally:
        con.close()
    return opts


def open_index(path: str | Path) -> tuple[sqlite3.Connection, IndexOptions]:
    """Open an existing index; raises :class:`IndexError_` (exit 5) if it is missing or not an index."""
    p = Path(path)
    if not p.is_file():
        raise IndexError_("no such index (create it with 'dedup index create')", source=str(p))
    try:
        con = _connect(p)
        meta = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM meta")}
    except sqlite3.DatabaseError as exc:
        raise IndexError_(f"not a dedup index ({exc})", source=str(p)) from None
    if meta.get("schema_version") != SCHEMA_VERSION:
        con.close()
        raise IndexError_(f"incompatible index schema {meta.get('schema_version')!r} "
                          f"(this dedup reads {SCHEMA_VERSION})", source=str(p))
    opts = IndexOptions(**{k: meta[k] for k in IndexOptions.__dataclass_fields__ if k in meta})
    return con, opts


@contextmanager
def write_transaction(con: sqlite3.Connection, path: str | Path) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` (a locked index is an :class:`IndexError_`), the block, then ``COMMIT``; any
    exception (or ``kill -9``: SQLite's WAL) rolls the whole block back. Closes ``con`` at the end."""
    try:
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise IndexError_(f"index is locked ({exc})", source=str(path)) from None
        yield
        pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
        if pause:
            print("dedup: index add: about to commit", file=sys.stderr, flush=True)
            time.sleep(pause)
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
