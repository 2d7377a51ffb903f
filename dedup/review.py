"""Review decisions: a reviewer's verdict on a pair or a whole cluster, kept in a small SQLite file.

Written by the Textual app (``dedup review``), read by ``dedup eval --decisions`` and exported by
``dedup review --export decisions.jsonl``. Every decision is committed on its own (autocommit, WAL
journal, ``synchronous=FULL``), so killing the app or the terminal loses nothing already marked.

A verdict is one of :data:`VERDICTS`: ``duplicate`` (same text, edited), ``same_incident`` (same story,
other words) or ``different``. A pair is stored with ``a < b``; marking a pair again replaces its verdict.
A cluster decision covers the cluster's members: :func:`load_decisions` expands it into the pairs
``(representative, member)`` for every other member (pair decisions win over cluster ones).

The module also reads saved clustering results (:func:`load_result`), so a review can reopen them.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedup.errors import InputError, OutputError, UsageError
from dedup.model import Article, Cluster, ClusterResult, Pair

__all__ = [
    "VERDICTS",
    "Decision",
    "ReviewStore",
    "default_store_path",
    "export_jsonl",
    "load_decisions",
    "load_result",
]

#: The verdicts a reviewer can give.
VERDICTS = ("duplicate", "same_incident", "different")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pair_decisions (
    a TEXT NOT NULL, b TEXT NOT NULL, verdict TEXT NOT NULL, cluster TEXT,
    seq INTEGER NOT NULL, PRIMARY KEY (a, b));
CREATE TABLE IF NOT EXISTS cluster_decisions (
    cluster TEXT PRIMARY KEY, verdict TEXT NOT NULL, representative TEXT NOT NULL,
    members TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_VERSION = "1"


@dataclass(slots=True, frozen=True)
class Decision:
    """One reviewed pair ``a < b`` with its ``verdict``; ``scope`` is ``pair`` or ``cluster`` (expanded)."""

    a: str
    b: str
    verdict: str
    scope: str = "pair"
    cluster: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "verdict": self.verdict, "scope": self.scope, "cluster": self.cluster}


def _check_verdict(verdict: str) -> None:
    if verdict not in VERDICTS:
        raise UsageError(f"unknown verdict {verdict!r} (choose from {', '.join(VERDICTS)})")


def default_store_path(source: str) -> str:
    """``<source>.review.sqlite`` beside the input (a directory ``samples/`` gives ``samples.review.sqlite``)."""
    if source in ("", "-"):
        return "dedup.review.sqlite"
    return os.path.normpath(source.rstrip("/\\") or source) + ".review.sqlite"


class ReviewStore:
    """Decisions in the SQLite file ``path`` (created when missing), one autocommitted write per mark.

    ``readonly=True`` opens an existing file without creating or changing it.
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                if not Path(self.path).is_file():
                    raise InputError("no such review file", source=self.path)
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")
                self._db.executescript(_SCHEMA)
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (_VERSION,))
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            err = InputError if readonly else OutputError
            raise err(f"cannot open review file: {exc}", source=self.path) from None
        if not {"pair_decisions", "cluster_decisions"} <= tables:
            raise InputError("not a dedup review file (tables missing)", source=self.path)

    def close(self) -> None:
        """Close the database (every decision is already committed)."""
        self._db.close()

    def __enter__(self) -> ReviewStore:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _next_seq(self) -> int:
        row = self._db.execute("SELECT max(s) FROM (SELECT max(seq) s FROM pair_decisions "
                               "UNION ALL SELECT max(seq) FROM cluster_decisions)").fetchone()
        return int(row[0] or 0) + 1

    def _write(self, sql: str, params: Sequence[Any]) -> None:
        try:
            self._db.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise OutputError(f"cannot save the decision: {exc}", source=self.path) from None

    def mark_pair(self, a: str, b: str, verdict: str, *, cluster: str | None = None) -> Decision:
        """Save ``verdict`` for the pair ``{a, b}`` now (replacing an earlier verdict)."""
        _check_verdict(verdict)
        if a == b:
            raise UsageError("a pair needs two different articles")
        a, b = sorted((a, b))
        self._write("INSERT OR REPLACE INTO pair_decisions VALUES (?, ?, ?, ?, ?)",
                    (a, b, verdict, cluster, self._next_seq()))
        return Decision(a, b, verdict, "pair", cluster)

    def mark_cluster(self, cluster: Cluster, verdict: str) -> None:
        """Save ``verdict`` for the whole ``cluster`` now (its members are stored with it)."""
        _check_verdict(verdict)
        self._write("INSERT OR REPLACE INTO cluster_decisions VALUES (?, ?, ?, ?, ?)",
                    (cluster.id, verdict, cluster.representative, json.dumps(list(cluster.members)),
                     self._next_seq()))

    def clear_pair(self, a: str, b: str) -> None:
        """Forget the verdict of the pair ``{a, b}``."""
        a, b = sorted((a, b))
        self._write("DELETE FROM pair_decisions WHERE a = ? AND b = ?", (a, b))

    def clear_cluster(self, cluster_id: str) -> None:
        """Forget the verdict of a cluster."""
        self._write("DELETE FROM cluster_decisions WHERE cluster = ?", (cluster_id,))

    def pair_verdicts(self) -> dict[tuple[str, str], str]:
        """``{(a, b): verdict}`` of the pairs marked one by one."""
        return {(a, b): v for a, b, v in self._db.execute("SELECT a, b, verdict FROM pair_decisions")}

    def cluster_verdicts(self) -> dict[str, str]:
        """``{cluster id: verdict}`` of the clusters marked as a whole."""
        return dict(self._db.execute("SELECT cluster, verdict FROM cluster_decisions"))

    def pair_verdict(self, a: str, b: str) -> str | None:
        """The verdict of one pair, or ``None``."""
        a, b = sorted((a, b))
        row = self._db.execute("SELECT verdict FROM pair_decisions WHERE a = ? AND b = ?", (a, b)).fetchone()
        return row[0] if row else None

    def decisions(self) -> list[Decision]:
        """Every decision as pairs, sorted by ``(a, b)``: pair marks, then cluster marks expanded."""
        out: dict[tuple[str, str], Decision] = {}
        for cid, verdict, rep, members in self._db.execute(
                "SELECT cluster, verdict, representative, members FROM cluster_decisions ORDER BY seq"):
            for m in json.loads(members):
                if m != rep:
                    a, b = sorted((rep, m))
                    out[(a, b)] = Decision(a, b, verdict, "cluster", cid)
        for a, b, verdict, cid in self._db.execute(
                "SELECT a, b, verdict, cluster FROM pair_decisions ORDER BY seq"):
            out[(a, b)] = Decision(a, b, verdict, "pair", cid)
        return [out[k] for k in sorted(out)]


def load_decisions(path: str | os.PathLike[str]) -> list[Decision]:
    """Every decision of the review file ``path`` as pairs (see :meth:`ReviewStore.decisions`)."""
    with ReviewStore(path, readonly=True) as store:
        return store.decisions()


def read_decisions(path: str) -> list[tuple[str, str, str]]:
    """Decisions ``(a, b, verdict)`` from a review store or from its JSONL export (``.jsonl``/``.json``)."""
    if not path.endswith((".jsonl", ".json")):
        return [(d.a, d.b, d.verdict) for d in load_decisions(path)]
    out = []
    for k, rec in _records(path):
        try:
            out.append((str(rec["a"]), str(rec["b"]), str(rec["verdict"])))
        except KeyError as exc:
            raise InputError(f"bad decision record: missing {exc}", source=path, line=k) from None
    return out


def export_jsonl(path: str | os.PathLike[str], dest: str | os.PathLike[str] | None) -> int:
    """Write the decisions of ``path`` to ``dest`` as JSON Lines (``None``/``"-"``: stdout); returns the count."""
    import sys

    from dedup.io.atomic import atomic_open

    rows = load_decisions(path)
    text = "".join(json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for d in rows)
    if dest in (None, "-"):
        sys.stdout.write(text)
        return len(rows)
    try:
        with atomic_open(str(dest), "w") as fh:
            fh.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", source=str(dest)) from None
    return len(rows)


def _records(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with open(path, encoding="utf-8") as fh:
            for k, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except ValueError as exc:
                    raise InputError(f"bad JSON: {exc}", source=path, line=k) from None
                if not isinstance(rec, dict):
                    raise InputError("expected a JSON object", source=path, line=k)
                yield k, rec
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=path) from None


def load_result(path: str, articles: Sequence[Article]) -> ClusterResult:
    """Rebuild a ``ClusterResult`` from ``dedup cluster -f jsonl`` output (per-article or ``--pairs`` rows).

    Per-article rows give each member's cluster, the representative and its best match with the score;
    pair rows (``a, b, cluster, score``) give every verified pair. Articles missing from the file form
    singletons; ids in the file that are not among ``articles`` are an input error (file and line named).
    """
    known = {a.id for a in articles}
    members: dict[str, set[str]] = {}
    reps: dict[str, str] = {}
    pairs: dict[tuple[str, str], Pair] = {}
    for k, rec in _records(path):
        try:
            if "a" in rec and "b" in rec:
                a, b = sorted((str(rec["a"]), str(rec["b"])))
                ids, cid = [a, b], str(rec["cluster"])
                ev = rec.get("evidence")
                ev = ev if isinstance(ev, dict) else {}
                pairs[(a, b)] = Pair(a, b, float(rec["score"]), {str(x): float(y) for x, y in ev.items()})
            else:
                ids, cid = [str(rec["id"])], str(rec["cluster"])
                if rec.get("representative") is True:
                    reps[cid] = ids[0]
                if rec.get("best_match") is not None and rec.get("similarity") is not None:
                    a, b = sorted((ids[0], str(rec["best_match"])))
                    pairs.setdefault((a, b), Pair(a, b, float(rec["similarity"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"not a cluster record ({type(exc).__name__}: {exc})", source=path, line=k) from None
        for i in ids:
            if i not in known:
                raise InputError(f"article {i!r} is not in the input corpus", source=path, line=k)
            members.setdefault(cid, set()).add(i)
    from dedup.grouping import build_clusters

    pair_list = [pairs[k] for k in sorted(pairs)]
    # Clusters are rebuilt from the saved membership (not recomputed): link each member to the first.
    links = [Pair(min(ms), m, 1.0) for ms in members.values() for m in sorted(ms)[1:]]
    clusters = build_clusters(sorted(articles, key=lambda a: a.id), links)
    for c in clusters:
        c.pairs = []
    by_member = {m: c for c in clusters for m in c.members}
    for p in pair_list:  # pairs across saved clusters stay in result.pairs only
        if by_member[p.a] is by_member[p.b]:
            by_member[p.a].pairs.append(p)
    saved_id = {m: cid for cid, ms in members.items() for m in ms}
    for c in clusters:  # keep the saved ids and representatives
        saved = saved_id.get(c.members[0])
        if saved is not None:
            c.id = saved
            rep = reps.get(saved)
            if rep is not None and rep in c.members:
                c.representative = rep
    return ClusterResult(articles=list(articles), clusters=clusters, pairs=pair_list,
                         options={"source": path})
