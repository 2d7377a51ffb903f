"""``dedup cluster``: group a corpus into clusters of articles telling the same story, and write them."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from dedup.cli.common import (
    add_common_options,
    add_input_options,
    eprint,
    formatter,
    handle_rejects,
    progress_for,
    read_inputs,
    read_kwargs,
)
from dedup.errors import UsageError
from dedup.model import ClusterResult
from dedup.progress import Progress

#: Near-duplicate mode streams JSONL/Parquet inputs of at least this many bytes (in all) by default.
STREAM_MIN_BYTES = 512 * 2**20
#: ``--workers auto`` uses every core from this many articles up (and 1 below).
AUTO_WORKERS_MIN = 5_000
#: Incident mode holds the corpus and its candidate graph in one process (about 2.4 GB at 20,000 articles
#: of a corpus whose sentences recur, 12 GB at 50,000): from this many articles a run warns first.
INCIDENT_WARN_ARTICLES = 50_000

DESCRIPTION = """\
Group the articles of one or more corpora into clusters that tell the same story.

Modes:
  incident        articles reporting the same incident, even reworded (default; adaptive threshold)
  near-duplicate  copies and light edits: word/char n-gram shingles, MinHash + LSH candidates, every
                  candidate verified by exact Jaccard, so no pair below --threshold is reported

Output (one record per input article): id, cluster, cluster_size, representative, best_match,
similarity, title, date. The representative of a cluster is its earliest-dated article (undated
last), ties broken by the smallest id; the cluster id is "c-" + 10 hex digits of sha1(representative id).
A summary (articles, clusters, duplicates, rejected, time) goes to stderr.
"""

EPILOG = """\
examples:
  dedup cluster samples/
  dedup cluster corpus.jsonl -f jsonl -o clusters.jsonl
  cat corpus.jsonl | dedup cluster - -f jsonl
  dedup cluster corpus.parquet --keep-one -f parquet -o deduped.parquet
  dedup cluster corpus.jsonl --mode near-duplicate --threshold 0.8 --pairs -f csv

exit codes: 0 ok, 2 usage, 3 input (file and line named), 4 output, 70 internal, 130 interrupted
"""


def _unit(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return x


def _workers(value: str) -> int:
    """``auto`` (0: decided from the corpus size, :func:`auto_workers`) or a positive count."""
    return 0 if value.strip().lower() == "auto" else _positive(value)


def auto_workers(n_articles: int, engine: str = "local") -> int:
    """Every core this process may use for corpora of :data:`AUTO_WORKERS_MIN` articles or more (or
    on Dask, which always starts a cluster), else 1: below that, starting processes costs more than
    it saves."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores) if engine == "dask" or n_articles >= AUTO_WORKERS_MIN else 1


def _positive(value: str) -> int:
    try:
        x = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if x < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return x


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``cluster`` subcommand."""
    p = subparsers.add_parser("cluster", help="cluster a corpus into groups telling the same story",
                              description=DESCRIPTION, epilog=EPILOG, formatter_class=formatter())
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a directory of .txt/.md files, a .jsonl/.ndjson/.json/.csv/.parquet file, "
                        "or '-' for JSON Lines on stdin; several inputs are read as one corpus")
    add_input_options(p)
    out = p.add_argument_group("output")
    out.add_argument("-f", "--format", dest="format", default="table",
                     choices=("table", "jsonl", "csv", "parquet", "json"),
                     help="output format (default: table; parquet needs -o FILE unless stdout is redirected)")
    out.add_argument("-o", "--output", metavar="FILE",
                     help="write to FILE (atomically: a temporary file then rename) instead of stdout")
    out.add_argument("--keep-one", action="store_true",
                     help="write only each cluster's representative, with all its input fields "
                          "(a deduplicated corpus)")
    out.add_argument("--pairs", action="store_true",
                     help="write the verified pairs (a, b, cluster, score, evidence parts) instead")
    out.add_argument("--columns", metavar="A,B,...", type=lambda v: [c.strip() for c in v.split(",") if c.strip()],
                     help="write only these columns, in this order (e.g. id,cluster,similarity)")
    alg = p.add_argument_group("matching")
    alg.add_argument("--mode", choices=("incident", "near-duplicate"), default="incident",
                     help="what counts as the same story (default: incident)")
    alg.add_argument("--threshold", type=_unit, metavar="T",
                     help="similarity a pair needs, 0..1 (default: 0.5 Jaccard in near-duplicate mode; "
                          "adaptive in incident mode)")
    alg.add_argument("--num-perm", type=_positive, default=128, metavar="K",
                     help="MinHash permutations, the signature length (default: 128)")
    alg.add_argument("--seed", type=int, default=1, help="MinHash seed (default: 1)")
    alg.add_argument("--shingle", choices=("word", "char"), default="word",
                     help="shingles for near-duplicate mode: word or character n-grams (default: word)")
    alg.add_argument("--ngram", type=_positive, default=5, metavar="N",
                     help="shingle length in words or characters (default: 5)")
    alg.add_argument("--bands", type=_positive, metavar="B",
                     help="LSH bands (default: chosen from --threshold as datasketch does, weighing "
                          "missed pairs 19:1 over extra candidates, since every candidate is verified)")
    alg.add_argument("--rows", type=_positive, metavar="R",
                     help="LSH rows per band (bands x rows <= --num-perm)")
    run_g = p.add_argument_group("execution")
    run_g.add_argument("--workers", type=_workers, default=0, metavar="N|auto",
                       help="worker processes (or local Dask workers); results do not depend on it "
                            f"(default: auto = every core from {AUTO_WORKERS_MIN:,} articles up, else 1)")
    run_g.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="run locally or on Dask distributed (near-duplicate: every stage; incident: the "
                            "per-article analysis and the graph's neighbour search, passage verification and pair scores, "
                            "the rest here); same output (default: local)")
    run_g.add_argument("--scheduler", metavar="ADDR",
                       help="Dask scheduler address (tcp://host:8786) for --engine dask; "
                            "default: a local cluster of --workers")
    run_g.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                       help="JSONL/Parquet files: keep only ids, titles and dates in memory and read the "
                            "texts from the file when needed (incident mode: once each, for its analysis); same "
                            f"output (default: on in near-duplicate mode for inputs of {STREAM_MIN_BYTES >> 20} "
                            "MiB or more)")
    add_common_options(p)
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Read, cluster, write; print the summary on stderr. Returns the exit code."""
    from dedup.io.writers import summary, write

    if args.keep_one and args.pairs:
        raise UsageError("--keep-one and --pairs cannot be combined")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    if args.inputs.count("-") > 1:
        raise UsageError("stdin ('-') can be read only once")
    t0 = time.perf_counter()
    if _use_stream(args):
        result = _cluster_streamed(args, write_out=lambda r: write(r, args.output, fmt=args.format,
                                                                    keep_one=args.keep_one, pairs=args.pairs,
                                                                    columns=args.columns))
    else:
        result = _cluster_in_memory(args, write)
    if not args.quiet:
        s = summary(result)
        eprint(f"dedup: {s['articles']} articles, {s['clusters']} clusters, {s['duplicates']} duplicates "
               f"found ({s['pairs']} verified pairs), {s['rejected']} rejected, "
               f"{time.perf_counter() - t0:.2f}s" + (f" -> {args.output}" if args.output else ""))
    return 0


def _cluster_in_memory(args: argparse.Namespace, write: Callable[..., None]) -> ClusterResult:
    """Read every input into memory, cluster, write."""
    import gc

    from dedup.pipeline import cluster

    gc.disable()  # reading makes no reference cycles; the collector would rescan every record read so far
    try:
        articles, rejected = read_inputs(args)
    finally:
        gc.enable()
    gc.freeze()  # the articles live to the end: later collections skip them
    try:
        if args.mode == "incident" and len(articles) >= INCIDENT_WARN_ARTICLES and not args.quiet:
            eprint(f"dedup: warning: incident mode keeps all {len(articles):,} articles and their candidate graph "
                   f"in memory (several GB from {INCIDENT_WARN_ARTICLES:,} articles); for bigger corpora run --mode near-duplicate "
                   "first (streamed), then incident mode on its --keep-one output or on a time window")
        progress = progress_for(args)
        try:
            result = cluster(articles, mode=args.mode, progress=progress, **_cluster_kwargs(args, len(articles)))
        finally:
            progress.done()
        result.rejected = list(rejected)
        write(result, args.output, fmt=args.format, keep_one=args.keep_one, pairs=args.pairs, columns=args.columns)
    finally:
        gc.unfreeze()
    return result


def _cluster_kwargs(args: argparse.Namespace, n_articles: int) -> dict:
    workers = args.workers or auto_workers(n_articles, args.engine)
    return {"threshold": args.threshold, "num_perm": args.num_perm, "seed": args.seed, "shingle": args.shingle,
            "ngram": args.ngram, "bands": args.bands, "rows": args.rows, "workers": workers,
            "engine": args.engine, "scheduler": args.scheduler}


def _use_stream(args: argparse.Namespace) -> bool:
    """``--stream``, ``--no-stream``, or by default: near-duplicate mode on >= 512 MiB of JSONL/Parquet
    (incident mode streams only with ``--stream``)."""
    import os

    from dedup.io.textstore import streamable

    if args.stream is False:
        return False
    fmt = read_kwargs(args)["fmt"]
    ok = args.engine == "local" and streamable(args.inputs, fmt)
    if args.stream and not ok:
        raise UsageError("--stream needs --engine local and JSONL or Parquet files (not stdin)")
    if args.mode != "near-duplicate" and not args.stream:  # incident mode streams when asked to
        return False
    return ok and (bool(args.stream) or sum(os.path.getsize(s) for s in args.inputs if os.path.isfile(s)) >= STREAM_MIN_BYTES)


def _cluster_streamed(args: argparse.Namespace, write_out: Callable[[ClusterResult], None]) -> ClusterResult:
    """Cluster with the texts left in the input files (:mod:`dedup.io.textstore`) and write the output
    while they are open: ``--keep-one`` reads the kept records back a batch at a time."""
    from dedup.io.textstore import open_store
    from dedup.pipeline import cluster

    with open_store(args.inputs, snippets=args.format == "table", **read_kwargs(args)) as store:
        handle_rejects(args, store.rejected)
        progress: Progress = progress_for(args)
        try:
            result = cluster(store.articles, mode=args.mode, progress=progress, texts=store.texts,
                             **_cluster_kwargs(args, len(store.articles)))
        finally:
            progress.done()
        store.check_unchanged()
        result.rejected = list(store.rejected)
        result.restore = store.iter_records
        write_out(result)
        result.restore = None
    return result
