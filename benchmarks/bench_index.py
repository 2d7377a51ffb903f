"""Benchmark: the cost of adding a day's articles to the SQLite index, as the index grows.

    python benchmarks/bench_index.py                       # index grown to 10k, 50k, 100k; adds of 1,000
    python benchmarks/bench_index.py --sizes 5000 20000 --batch 500

The index is grown in batches of 10,000 articles of ``benchmarks/corpus.py`` (every 10th an edited copy
of an earlier one); whenever it reaches one of ``--sizes``, the next ``--batch`` articles are added and
timed (``dedup.index.ops.add_articles``: shingles, signatures, band-key look-ups, exact verification,
cluster merges, one transaction). If an add costs time proportional to the new articles and not to the
index, the add times stay flat while the index grows; the file size is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import SyntheticCorpus


def articles(corpus: SyntheticCorpus, lo: int, hi: int) -> list:
    from dedup.model import Article

    return [Article(id=f"a{i:07d}", text=corpus[i]) for i in range(lo, hi)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    ap.add_argument("--batch", type=int, default=1_000, help="articles per timed add (1,000)")
    args = ap.parse_args()
    from dedup.index.ops import add_articles
    from dedup.index.store import create_index

    top = max(args.sizes)
    corpus = SyntheticCorpus(top + 1 + args.batch * len(args.sizes))
    print(f"# bench_index: {os.cpu_count()} cores; adds of {args.batch:,} articles (~3 KB, every 10th an "
          "edited copy) to an index of growing size")
    print(f"{'index size':>12} {'add seconds':>12} {'docs/s':>9} {'new pairs':>10} {'file MB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "news.idx")
        create_index(path, threshold=0.5)
        size, nxt = 0, top + 1  # the timed batches come from the end of the corpus: unseen articles
        for target in sorted(args.sizes):
            while size < target:
                step = min(10_000, target - size)
                add_articles(path, articles(corpus, size, size + step))
                size += step
            batch = articles(corpus, nxt, nxt + args.batch)
            nxt += args.batch
            t = time.perf_counter()
            rep = add_articles(path, batch)
            dt = time.perf_counter() - t
            mb = sum(os.path.getsize(p) for p in Path(tmp).glob("news.idx*")) / 2**20
            print(f"{size:>12,} {dt:>12.2f} {args.batch / dt:>9,.0f} {rep.pairs:>10,} {mb:>9,.0f}")
            size += args.batch
    return 0


if __name__ == "__main__":
    sys.exit(main())
