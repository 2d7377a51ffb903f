"""``dedup index``: a persistent, incremental index in one SQLite file (near-duplicate or incident mode).

    dedup index create news.idx --threshold 0.5
    dedup index add news.idx today.jsonl        # prints which new articles join which existing cluster
    dedup index query news.idx article.txt      # nearest clusters with scores
    dedup index export news.idx -f parquet -o clusters.parquet
    dedup index info news.idx

    dedup index create events.idx --mode incident   # the clusters of 'dedup cluster --mode incident'
    dedup index add events.idx today.jsonl          # ... over everything added so far, whatever the batches
    dedup index query events.idx article.txt        # which incident is this article (mean score, match)

    dedup index create archive.idx --mode incident --statistics frozen   # an add costs its batch
    dedup index reindex archive.idx                 # freeze the statistics again on everything indexed
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from dedup.cli.common import (
    add_common_options,
    add_input_options,
    eprint,
    formatter,
    progress_for,
    read_inputs,
)
from dedup.errors import EXIT_OK, OutputError, UsageError
from dedup.progress import stage_callback

EXPORT_FORMATS = ("jsonl", "csv", "parquet")
EXPORT_COLUMNS = ("id", "cluster_id", "cluster_size", "representative", "title", "date", "source")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="a persistent, incremental index (SQLite): create, add, query, export",
                       description=__doc__, formatter_class=formatter())
    isub = p.add_subparsers(dest="index_command", metavar="ACTION")

    c = isub.add_parser("create", help="create an empty index", formatter_class=formatter(),
                        description="Create an empty index file; its options are fixed for every later add.")
    c.add_argument("index", metavar="INDEX", help="the index file to create (must not exist)")
    c.add_argument("--threshold", type=float, default=None,
                   help="near-duplicate: Jaccard threshold (0.5); incident: the combined score a pair and a merge "
                        "need (default: adaptive, recomputed over the whole index at every add, as in "
                        "'dedup cluster --mode incident')")
    c.add_argument("--num-perm", type=int, default=128,
                   help="MinHash permutations (128; incident mode: of the passage index, capped at 64)")
    c.add_argument("--seed", type=int, default=1, help="MinHash seed (1)")
    c.add_argument("--shingle", choices=("word", "char"), default="word", help="shingle kind (word)")
    c.add_argument("--ngram", type=int, default=5, help="shingle length in words/characters (5)")
    c.add_argument("--mode", choices=("near-duplicate", "incident"), default="near-duplicate",
                   help="near-duplicate (document Jaccard, union-find; default) or incident (the same story "
                        "reworded: every add gives the clusters of 'dedup cluster --mode incident' over all "
                        "articles added so far; the shingle options do not apply)")
    c.add_argument("--statistics", choices=("exact", "frozen"), default="exact",
                   help="incident mode: exact (every add re-scores the whole index from the stored analyses, so "
                        "it equals 'dedup cluster --mode incident' over everything added so far; default) or "
                        "frozen (the first add's statistics are kept and an add scores only its new articles' "
                        "pairs: cost grows with the batch, not the index; batches in any order give the same "
                        "result, which is not dedup cluster's)")
    add_common_options(c)
    c.set_defaults(func=run_create)

    a = isub.add_parser("add", help="add articles; prints the cluster each one joins",
                        formatter_class=formatter(),
                        description="Add articles in one transaction (all or nothing). Ids already in the "
                                    "index are skipped. Prints one line per new article. In an incident "
                                    "index the new articles are analysed, then the whole index is scored "
                                    "and grouped again from the stored analyses (earlier groups can change: "
                                    "the summary says how many earlier articles were regrouped).")
    a.add_argument("index", metavar="INDEX")
    a.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories of articles ('-': stdin)")
    a.add_argument("--json", action="store_true", help="print the report as one JSON object")
    a.add_argument("--workers", type=int, default=1, metavar="N",
                   help="incident mode: processes that analyse the new articles (1; the result does not depend on it)")
    add_input_options(a)
    add_common_options(a)
    a.set_defaults(func=run_add)

    q = isub.add_parser("query", help="nearest clusters of an article, with scores", formatter_class=formatter(),
                        description="Near-duplicate index: the clusters with the best exact Jaccard to any "
                                    "member. Incident index: the incidents the article would most likely "
                                    "join: the mean pair score over each one's members (average link), its "
                                    "coverage, and 'match' when both pass; candidates come from the rarest "
                                    "terms' postings, so the index is not rescanned.")
    q.add_argument("index", metavar="INDEX")
    q.add_argument("inputs", nargs="+", metavar="ARTICLE", help="a .txt article, or a corpus file")
    q.add_argument("--top", type=int, default=5, help="clusters to show per article (5)")
    q.add_argument("--json", action="store_true", help="print JSON lines")
    add_input_options(q)
    add_common_options(q)
    q.set_defaults(func=run_query)

    e = isub.add_parser("export", help="one row per article with its cluster", formatter_class=formatter())
    e.add_argument("index", metavar="INDEX")
    e.add_argument("-f", "--format", choices=EXPORT_FORMATS, default="jsonl", help="output format (jsonl)")
    e.add_argument("-o", "--output", metavar="FILE", default="-", help="output file ('-': stdout; not parquet)")
    add_common_options(e)
    e.set_defaults(func=run_export)

    r = isub.add_parser("reindex", help="frozen statistics: freeze them again on every indexed article",
                        formatter_class=formatter(),
                        description="For an incident index with --statistics frozen: freeze the statistics "
                                    "again on every article now indexed, then score and group all of them "
                                    "under them (one transaction; as one first add of all of them would). "
                                    "Costs what an exact add costs; run it when the archive has drifted.")
    r.add_argument("index", metavar="INDEX")
    add_common_options(r)
    r.set_defaults(func=run_reindex)

    i = isub.add_parser("info", help="counts and options of an index", formatter_class=formatter())
    i.add_argument("index", metavar="INDEX")
    add_common_options(i)
    i.set_defaults(func=run_info)
    p.set_defaults(func=lambda args: _no_action(p))


def _no_action(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    raise UsageError("choose an action: create, add, query, export, reindex or info")


def run_create(args: argparse.Namespace) -> int:
    from dedup.index.store import create_index

    if args.num_perm < 1 or args.ngram < 1:
        raise UsageError("--num-perm and --ngram must be positive")
    threshold = 0.5 if args.threshold is None and args.mode == "near-duplicate" else args.threshold
    if args.statistics == "frozen" and args.mode != "incident":
        raise UsageError("--statistics frozen needs --mode incident")
    o = create_index(args.index, threshold=threshold, num_perm=args.num_perm, seed=args.seed,
                     kind=args.shingle, ngram=args.ngram, mode=args.mode, statistics=args.statistics)
    if o.mode == "incident":
        if not args.quiet:
            how = "adaptive" if o.threshold is None else str(o.threshold)
            eprint(f"dedup: created incident index {args.index} ({o.statistics} statistics, threshold {how}, "
                   f"passage MinHash {min(o.num_perm, 64)} permutations, seed {o.seed})")
        return EXIT_OK
    if not args.quiet:
        eprint(f"dedup: created {args.index} (threshold {o.threshold}, {o.num_perm} permutations, "
               f"{o.bands} bands x {o.rows} rows, {o.kind} {o.ngram}-grams)")
    return EXIT_OK


def run_add(args: argparse.Namespace) -> int:
    from dedup.index.ops import add_articles
    from dedup.index.store import open_index

    if args.workers < 1:
        raise UsageError("--workers must be positive")
    con, opts = open_index(args.index)  # a missing index is an index error before reading inputs
    con.close()
    mode = opts.mode
    articles, _ = read_inputs(args)
    progress = progress_for(args)
    try:
        rep = add_articles(args.index, articles, workers=args.workers, progress=stage_callback(progress))
    finally:
        progress.done()
    if args.json:
        print(json.dumps(rep.to_dict(), ensure_ascii=False))
    else:
        for aid, j in rep.joined.items():
            if j["existing"]:
                print(f"{aid}\tjoins {', '.join(j['existing'])}\t-> {j['cluster']} (size {j['size']})")
            elif j["size"] > 1:
                print(f"{aid}\tnew cluster {j['cluster']} (size {j['size']}, with other new articles)")
            else:
                print(f"{aid}\tnew cluster {j['cluster']}")
    if not args.quiet:
        joined = sum(1 for j in rep.joined.values() if j["existing"])
        what = f"{rep.pairs} pairs in clusters, {rep.regrouped} earlier articles regrouped" \
            if mode == "incident" else f"{rep.pairs} new pairs"
        eprint(f"dedup: added {rep.added} articles ({joined} joined existing clusters, {what}, "
               f"{len(rep.skipped)} already indexed) in {rep.seconds:.2f}s")
    return EXIT_OK


def run_query(args: argparse.Namespace) -> int:
    from dedup.index.ops import query_text
    from dedup.index.store import open_index

    con, opts = open_index(args.index)
    con.close()
    if args.top < 1:
        raise UsageError("--top must be positive")
    articles, _ = read_inputs(args)
    incident = opts.mode == "incident"
    if incident:
        from dedup.index.incident_query import query_incident
    key, none = ("incidents", "no related incident") if incident else ("clusters", "no similar cluster")
    for art in articles:
        hits = query_incident(args.index, art, top=args.top) if incident else \
            query_text(args.index, art.text, top=args.top)
        if args.json:
            print(json.dumps({"id": art.id, key: hits}, ensure_ascii=False))
            continue
        print(f"{art.id}:" if hits else f"{art.id}: {none}")
        for h in hits:
            flag = "match" if h["match"] else "below threshold"
            score = f"score {h['score']:.3f}"
            if incident:
                score += f" (threshold {h['threshold']:.3f}, coverage {h['coverage']:.2f})"
            best = f"best {h['best_member']}" + (f" {h['best_score']:.3f}" if incident else "")
            print(f"  {h['cluster']}  {score}  size {h['size']}  {best}  representative {h['representative']}  "
                  f"({flag})")
    return EXIT_OK


def _export_bytes(rows: list[dict[str, Any]], fmt: str) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue().encode("utf-8")
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({c: [r[c] for r in rows] for c in EXPORT_COLUMNS},
                     schema=pa.schema([(c, pa.int64() if c == "cluster_size" else pa.string())
                                       for c in EXPORT_COLUMNS]))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def run_export(args: argparse.Namespace) -> int:
    from dedup.index.ops import cluster_rows

    if args.format == "parquet" and args.output == "-":
        raise UsageError("parquet needs an output file: -o FILE.parquet")
    rows = [{c: r[c] for c in EXPORT_COLUMNS} for r in cluster_rows(args.index)]
    data = _export_bytes(rows, args.format)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from dedup.io.atomic import atomic_write_bytes

        try:
            atomic_write_bytes(args.output, data)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", source=args.output) from None
        if not args.quiet:
            eprint(f"dedup: wrote {len(rows)} rows to {args.output}")
    return EXIT_OK


def run_reindex(args: argparse.Namespace) -> int:
    from dedup.index.frozen import reindex

    progress = progress_for(args)
    try:
        got = reindex(args.index, progress=stage_callback(progress))
    finally:
        progress.done()
    if not args.quiet:
        eprint(f"dedup: reindexed {args.index}: statistics frozen on {got['articles']} articles, "
               f"{got['clusters']} clusters, {got['pairs']} pairs in clusters")
    return EXIT_OK


def run_info(args: argparse.Namespace) -> int:
    from dedup.index.ops import index_stats

    print(json.dumps(index_stats(args.index), indent=2))
    return EXIT_OK
