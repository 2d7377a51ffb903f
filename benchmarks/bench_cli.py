"""Benchmark: ``dedup cluster --mode near-duplicate`` end to end through the CLI, against rensa and
datasketch doing the same read, signatures, LSH, grouping and write, in one run.

    python benchmarks/bench_cli.py                       # 50,000 articles, 3 alternating repeats
    python benchmarks/bench_cli.py --sizes 50000 200000 --repeats 3 --datasketch-docs 10000

The corpus (``benchmarks/corpus.py``, every 10th article an edited copy) is written once as JSONL
(``{"id", "text"}``) under ``--dir``. Each repeat times, in this order and as separate processes:

* ``ours``: ``dedup cluster FILE --mode near-duplicate -f jsonl -o OUT -q`` (wall time of the command,
  imports included; ``--workers auto``);
* ``rensa``: a Python script that reads the JSONL (``json.loads`` per line), lowercases the text,
  takes ``\\w+`` tokens and their 5-grams, builds ``RMinHash(128)`` and an ``RMinHashLSH`` at threshold
  0.5 (32 bands), queries every document, groups the candidates by union-find and writes one JSONL
  row (id, cluster, cluster_size) per article;
* ``datasketch``: the same script with ``MinHash.update_batch`` and ``MinHashLSH`` (on the first
  ``--datasketch-docs`` articles only: it is about 20x slower; docs/s compared).

Medians of the repeats are printed, and the ratios of docs/s. Our output is checked to be identical
across repeats.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_REFERENCE = r"""
import json, re, sys
impl, src, dst, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
word = re.compile(r"\w+")
ids, sigs = [], []
if impl == "rensa":
    from rensa import RMinHash, RMinHashLSH
    lsh = RMinHashLSH(threshold=0.5, num_perm=128, num_bands=32)
else:
    from datasketch import MinHash, MinHashLSH
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
with open(src, encoding="utf-8") as fh:
    for i, line in enumerate(fh):
        if i >= limit:
            break
        rec = json.loads(line)
        t = word.findall(rec["text"].lower())
        grams = [" ".join(t[k:k + 5]) for k in range(max(1, len(t) - 4))]
        if impl == "rensa":
            m = RMinHash(num_perm=128, seed=1)
            m.update(grams)
        else:
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([g.encode("utf-8") for g in grams])
        lsh.insert(i, m)
        ids.append(rec["id"])
        sigs.append(m)
parent = list(range(len(ids)))
def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
for i, m in enumerate(sigs):
    for j in lsh.query(m):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
roots = [find(i) for i in range(len(ids))]
size = {}
for r in roots:
    size[r] = size.get(r, 0) + 1
with open(dst, "w", encoding="utf-8") as out:
    for i, r in enumerate(roots):
        out.write(json.dumps({"id": ids[i], "cluster": ids[r], "cluster_size": size[r]}) + "\n")
"""


def write_corpus(n: int, path: Path) -> None:
    from benchmarks.corpus import SyntheticCorpus

    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(SyntheticCorpus(n)):
            fh.write(json.dumps({"id": f"a{i:07d}", "text": text}) + "\n")
    tmp.rename(path)


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[50_000])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--datasketch-docs", type=int, default=10_000, help="0: skip datasketch")
    ap.add_argument("--dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "dedup-bench-cli")
    ap.add_argument("--dedup-args", default="", help="extra options for dedup cluster")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    dedup = str(Path(sys.executable).with_name("dedup"))
    print(f"# bench_cli: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, {args.repeats} repeats "
          "(medians), ours = `dedup cluster FILE --mode near-duplicate -f jsonl -o OUT -q`")
    for n in args.sizes:
        src = args.dir / f"corpus-{n}.jsonl"
        write_corpus(n, src)
        out = args.dir / "out.jsonl"
        ref = [sys.executable, "-c", _REFERENCE]
        ours_cmd = [dedup, "cluster", str(src), "--mode", "near-duplicate", "-f", "jsonl", "-o", str(out), "-q",
                    *args.dedup_args.split()]
        times: dict[str, list[float]] = {"ours": [], "rensa": [], "datasketch": []}
        digests = set()
        nd = min(n, args.datasketch_docs)
        for _ in range(args.repeats):
            times["ours"].append(timed(ours_cmd))
            digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
            times["rensa"].append(timed([*ref, "rensa", str(src), str(out) + ".rensa", str(n)]))
            if nd:
                times["datasketch"].append(timed([*ref, "datasketch", str(src), str(out) + ".ds", str(nd)]))
        med = {k: statistics.median(v) for k, v in times.items() if v}
        rate = {"ours": n / med["ours"], "rensa": n / med["rensa"]}
        if nd:
            rate["datasketch"] = nd / med["datasketch"]
        print(f"\n## {n:,} articles ({src.stat().st_size / 2**20:,.0f} MiB JSONL)")
        for k, r in rate.items():
            docs = nd if k == "datasketch" else n
            runs = ", ".join(f"{t:.2f}" for t in times[k])
            print(f"  {k:10s} {r:>9,.0f} docs/s  median {med[k]:6.2f} s on {docs:,}  (runs: {runs})")
        print(f"  ours/rensa {rate['ours'] / rate['rensa']:.2f}x"
              + (f", ours/datasketch {rate['ours'] / rate['datasketch']:.1f}x" if nd else "")
              + f"; our output identical across repeats: {len(digests) == 1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
