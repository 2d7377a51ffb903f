"""Incident mode in the index: ``add`` gives the clusters ``dedup cluster --mode incident`` gives over every
article added so far, reading only the new articles.

What is stored (besides the shared ``articles`` / ``clusters`` / ``pairs`` tables):

* ``analyses``: each article's :class:`~dedup.incident.analysis.ArticleAnalysis` (:mod:`dedup.index.codec`,
  about 5 KB an article), its text length, and its text (zlib, ~1.5 KB), read back only when the actor
  conflict is weighted (``score.ACTOR_CONFLICT_WEIGHT``: the one evidence read from the text at scoring
  time), so a change of that weight still re-scores every article as ``dedup cluster`` would;
* ``postings`` (term hash, article) and ``fact_postings`` (fact key, article): the inverted indexes ``query``
  walks from the rarest terms and facts;
* ``stats``: the document frequencies of every term (two arrays), the article count and the threshold
  of the last add: the statistics ``query`` scores with.

An add analyses the new articles (the expensive part: sentences, figures, facts, windows) before it
takes the write lock, then, in one ``BEGIN IMMEDIATE ... COMMIT`` transaction, inserts them and scores
the whole index again from the stored analyses with :func:`dedup.incident.score.build_graph` (the same
function, the same corpus statistics: IDF, the adaptive threshold, the spread of passages, computed over
all articles), groups by average link and rewrites every article's cluster. The result is therefore
*exactly* ``dedup cluster --mode incident`` over all articles added so far, whatever the batches and
their order: articles are always taken in id order, and cluster ids and representatives follow
:mod:`dedup.grouping`. The price: an add re-scores every stored article (no text is read again; see
docs/performance.md for the figures), and an earlier grouping may change when the statistics move, so an
add reports how many earlier articles changed company (``regrouped``), not only who joined whom.
"""

from __future__ import annotations

import gc
import sqlite3
import time
import zlib
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np

from dedup.errors import IndexError_
from dedup.grouping import build_clusters
from dedup.index.codec import decode, encode
from dedup.index.store import IndexOptions, open_index, write_transaction
from dedup.model import Article

__all__ = ["INCIDENT_SCHEMA", "add_incident", "check_format", "incident_meta", "known_ids", "load_days", "load_stats"]

INCIDENT_SCHEMA = """;
CREATE TABLE analyses(article INTEGER PRIMARY KEY, chars INTEGER NOT NULL, data BLOB NOT NULL, text BLOB);
CREATE TABLE postings(term INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY(term, article)) WITHOUT ROWID;
CREATE TABLE fact_postings(fact TEXT NOT NULL, article INTEGER NOT NULL, PRIMARY KEY(fact, article)) WITHOUT ROWID;
CREATE TABLE stats(name TEXT PRIMARY KEY, data BLOB NOT NULL)
"""


def incident_meta() -> dict[str, object]:
    """The ``meta`` rows an incident index gets at create time: the analysis fields it stores."""
    from dedup.index.codec import FIELDS

    return {"analysis_fields": list(FIELDS)}


def check_format(con: sqlite3.Connection, path: str) -> None:
    """:class:`IndexError_` when the index stores analyses of another format than this dedup makes (an
    add would mix them, and the result would not be ``dedup cluster``'s)."""
    import json

    from dedup.index.codec import FIELDS

    row = con.execute("SELECT value FROM meta WHERE key = 'analysis_fields'").fetchone()
    if row is None or tuple(json.loads(row[0])) != FIELDS:
        con.close()
        raise IndexError_("this index stores another analysis format than this dedup makes; create it again "
                          "and add the articles again", source=str(path))


def known_ids(con: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    """The ids among ``ids`` already in the index."""
    known: set[str] = set()
    for s in range(0, len(ids), 500):
        q = list(ids[s:s + 500])
        known.update(r[0] for r in con.execute(f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(q))})", q))
    return known


def _store(con: sqlite3.Connection, rowids: list[int], new: Sequence[Article], analyses: Sequence) -> None:
    import json

    con.executemany(
        "INSERT INTO articles(rowid, id, title, date, source, line, fields, shingles, signature, root) "
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(r, a.id, a.title, a.date, a.source, a.line, json.dumps(a.fields, ensure_ascii=False, default=str),
          b"", b"", r) for r, a in zip(rowids, new, strict=True)])
    con.executemany("INSERT INTO analyses VALUES (?,?,?,?)",
                    [(r, len(a.text), encode(an), zlib.compress(a.text.encode("utf-8")))
                     for r, a, an in zip(rowids, new, analyses, strict=True)])
    con.executemany("INSERT INTO postings VALUES (?,?)",
                    [(t, r) for r, an in zip(rowids, analyses, strict=True) for t in an.terms.view(np.int64).tolist()])
    con.executemany("INSERT INTO fact_postings VALUES (?,?)",
                    [(k, r) for r, an in zip(rowids, analyses, strict=True) for k in an.fact_keys])


def _days_blob(rowids: list[int], dates: list[str | None]) -> bytes:
    from dedup.incident.calibration import _day

    days = np.full(max(rowids, default=0) + 1, -1, dtype="<i8")
    days[rowids] = [-1 if (d := _day(x)) is None else d for x in dates]
    return days.tobytes()


def _put_days(con: sqlite3.Connection) -> None:
    """Each article's day number, for ``query``'s ranking (``load_days``)."""
    got = con.execute("SELECT rowid, date FROM articles").fetchall()
    con.execute("INSERT OR REPLACE INTO stats VALUES ('days', ?)", (_days_blob([r for r, _ in got], [d for _, d in got]),))


def _put_stats(con: sqlite3.Connection, analyses: Sequence, threshold: float, rowids: list[int],
               dates: list[str | None]) -> None:
    from dedup.incident.features import hashed_frequencies

    uniq, dfc = hashed_frequencies([a.terms for a in analyses])
    stats = {"terms": uniq.astype("<u8").tobytes(), "df": dfc.astype("<i8").tobytes(),
             "days": _days_blob(rowids, dates),
             "n": str(len(analyses)).encode(), "threshold": repr(float(threshold)).encode()}
    con.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?)", sorted(stats.items()))


def load_days(con: sqlite3.Connection) -> np.ndarray:
    """Each article's day number by rowid (``-1``: undated), as of the last add."""
    row = con.execute("SELECT data FROM stats WHERE name = 'days'").fetchone()
    return np.frombuffer(row[0], dtype="<i8").astype(np.int64) if row else np.zeros(0, dtype=np.int64)


def load_stats(con: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray, int, float | None]:
    """``(term hashes, document frequencies, articles, threshold)`` as of the last add."""
    got = dict(con.execute("SELECT name, data FROM stats"))
    if not got:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), 0, None
    return (np.frombuffer(got["terms"], dtype="<u8").astype(np.uint64),
            np.frombuffer(got["df"], dtype="<i8").astype(np.int64), int(got["n"]), float(got["threshold"]))


def _regroup(con: sqlite3.Connection, o: IndexOptions, new_rows: set[int], new_an: dict[int, object],
             progress: Callable[[str, int, int], object] | None = None) -> tuple[list[Article], list, dict[str, int]]:
    """Every stored article (id order) scored and grouped again: ``(articles, safe pairs, rowid of each id)``;
    the statistics stored for ``query``."""
    from dedup.incident import score
    from dedup.near import jit

    rows = con.execute("SELECT a.rowid, a.id, a.title, a.date, n.data FROM articles a "
                       "JOIN analyses n ON n.article = a.rowid ORDER BY a.id").fetchall()
    texts: dict[int, str] = {}
    if score.ACTOR_CONFLICT_WEIGHT:
        texts = {r: zlib.decompress(t).decode("utf-8") for r, t in con.execute("SELECT article, text FROM analyses")}
    arts = [Article(id=i, text=texts.get(r, ""), title=t, date=d) for r, i, t, d, _ in rows]
    analyses = {i: (new_an[r] if r in new_rows else decode(blob)) for r, i, _, _, blob in rows}
    nchars = int(con.execute("SELECT COALESCE(SUM(chars), 0) FROM analyses").fetchone()[0])
    paused = gc.isenabled()
    gc.disable()  # as score.incident_pairs: many small acyclic objects, collections would only re-scan them
    try:
        with jit.sized("incident", nchars):  # the kernels where dedup cluster would use them (same floats either way)
            graph = score.build_graph(arts, threshold=o.threshold, num_perm=o.num_perm, seed=o.seed,
                                      analyses=analyses, progress=progress)
            pairs = score.safe_pairs(graph, score.group(graph), threshold=graph.threshold)
    finally:
        if paused:
            gc.enable()
    _put_stats(con, [analyses[a.id] for a in arts], graph.threshold, [r for r, *_ in rows], [a.date for a in arts])
    return arts, pairs, {i: r for r, i, *_ in rows}


def add_incident(path: str, articles: Sequence[Article], *, workers: int = 1,
                 progress: Callable[[str, int, int], object] | None = None):
    """Add ``articles`` to the incident index at ``path`` in one transaction (the module docstring);
    ``progress(stage, done, total)`` as the analysis and the scoring go (``dedup.progress.stage_callback``)."""
    from dedup.incident.analysis import analyse_corpus
    from dedup.index.ops import AddReport

    t0 = time.perf_counter()
    con, o = open_index(path)
    check_format(con, path)
    report = AddReport()
    try:
        known = known_ids(con, [a.id for a in articles])
        report.skipped = [a.id for a in articles if a.id in known]
        new = sorted((a for a in articles if a.id not in known), key=lambda a: a.id)
        twice = sorted({a.id for a, b in pairwise(new) if a.id == b.id})
        if twice:
            raise IndexError_(f"the articles to add repeat ids ({', '.join(twice[:3])})", source=str(path))
        if not new:  # nothing to add: the index (and its statistics) stay as they are
            con.close()
            report.seconds = time.perf_counter() - t0
            return report
        analyses = analyse_corpus(new, workers=workers, progress=progress, stage="reading new articles")
        # (outside the lock: readers and other adds go on meanwhile)
        report.stages["analyse"] = time.perf_counter() - t0
    except BaseException:
        con.close()
        raise
    with write_transaction(con, path):
        if known_ids(con, [a.id for a in new]):  # another add stored some of them meanwhile
            raise IndexError_("another add changed the index meanwhile; run this add again", source=str(path))
        before = dict(con.execute("SELECT a.rowid, c.cluster_id FROM articles a JOIN clusters c ON a.root = c.root"))
        old_root = dict(con.execute("SELECT rowid, root FROM articles"))
        base = con.execute("SELECT COALESCE(MAX(rowid), 0) FROM articles").fetchone()[0] + 1
        rowids = list(range(base, base + len(new)))
        t1 = time.perf_counter()
        _store(con, rowids, new, analyses)
        t2 = time.perf_counter()
        new_an = dict(zip(rowids, analyses, strict=True))
        if o.statistics == "frozen":  # only the components the new articles touch (dedup.index.frozen)
            from dedup.index.frozen import link_frozen

            clusters, pairs, at, date_of = link_frozen(con, o, new, new_an, dict(zip((a.id for a in new), rowids)),
                                                       progress)
            _put_days(con)
        else:
            arts, pairs, at = _regroup(con, o, set(rowids), new_an, progress)
            clusters, date_of = build_clusters(arts, pairs), {a.id: a.date for a in arts}
        t3 = time.perf_counter()
        report.stages.update(store=t2 - t1, rescore=t3 - t2)
        _write(con, clusters, pairs, at, date_of, old_root, everything=o.statistics != "frozen")
        report.joined, report.regrouped = _joined(clusters, at, set(rowids), before, old_root)
        report.added, report.pairs = len(new), len(pairs)
        report.stages["write"] = time.perf_counter() - t3
    report.seconds = time.perf_counter() - t0
    return report


def _write(con: sqlite3.Connection, clusters: list, pairs: list, at: dict[str, int], date_of: dict[str, str | None],
           old_root: dict[int, int], *, everything: bool) -> None:
    """Replace the clusters and pairs of the articles in ``at`` (all of them when ``everything``) by
    ``clusters`` and ``pairs``; an earlier cluster of one of them holds only articles in ``at``."""
    from dedup.index.incident_query import _in

    if everything:
        con.execute("DELETE FROM clusters")
        con.execute("DELETE FROM pairs")
    else:
        roots = sorted({old_root[r] for r in at.values() if r in old_root})
        _in(con, "DELETE FROM clusters WHERE root IN ({})", roots)
        _in(con, "DELETE FROM pairs WHERE a IN ({})", sorted(at.values()))
    con.executemany("INSERT INTO clusters VALUES (?,?,?,?,?)",  # root: the smallest member id's rowid
                    [(at[c.members[0]], c.size, c.representative, date_of[c.representative], c.id)
                     for c in clusters])
    root_of = {at[m]: at[c.members[0]] for c in clusters for m in c.members}
    con.executemany("UPDATE articles SET root=? WHERE rowid=?", [(r, k) for k, r in root_of.items()
                                                                  if old_root.get(k) != r])
    con.executemany("INSERT INTO pairs VALUES (?,?,?)",
                    sorted((min(at[p.a], at[p.b]), max(at[p.a], at[p.b]), p.score) for p in pairs))


def _joined(clusters, at: dict[str, int], new_rows: set[int], before: dict[int, str],
            old_root: dict[int, int]) -> tuple[dict[str, dict], int]:
    """The report of each new article (its cluster, size, the earlier clusters of its old company) and
    how many earlier articles now share their cluster with another set of earlier articles."""
    from collections import Counter

    joined: dict[str, dict] = {}
    regrouped = 0
    old_size = Counter(old_root.values())
    for c in clusters:
        rows = [at[m] for m in c.members]
        olds = [r for r in rows if r not in new_rows]
        for m, r in zip(c.members, rows, strict=True):
            if r in new_rows:
                joined[m] = {"cluster": c.id, "size": c.size, "existing": sorted({before[x] for x in olds})}
        company = {old_root[r] for r in olds}
        if len(company) > 1:  # earlier clusters merged
            regrouped += len(olds)
        elif olds:
            regrouped += len(olds) if old_size[next(iter(company))] != len(olds) else 0  # an earlier cluster split
    return joined, regrouped
