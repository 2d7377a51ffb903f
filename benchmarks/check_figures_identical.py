"""Figure extraction of this tree against a reference commit: ``repr`` of every figure list, byte for byte.

The reference is the ``dedup`` package of ``REF`` (``git archive``d into a temporary folder, as
``bench_figures.py`` does), run in a subprocess; this tree runs in another. Cases: every article of
``/work/shared/corpora/*.jsonl`` (with its date, and again with a fixed date when it has none), the UCI
headlines, the sentences of ``tests/data/figures_suite.jsonl``, the seeds in ``samples/`` and the first
``--replicas`` of ``gva_replicas`` (reworded, re-dated). This tree is also run inside
``SENTENCE_FIGURES.scope()`` with ``sentences=`` given (the incident path) and must agree with itself; ``split_sentences`` of every case must
be the reference's too. Last, this tree's tokenizer
(``numbers.tokens``: faster and ASCII forms of ``FIG_TOKEN_RE``) is compared with ``FIG_TOKEN_RE`` itself on
every case text and random strings.

    .venv/bin/python benchmarks/check_figures_identical.py REF [--replicas 3000] [--show 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path("/work/shared/corpora")
_FIXED_DATE = "2023-06-15"
_WORKER = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from dedup.text.figures import SENTENCE_FIGURES, extract_figures
from dedup.text.sentences import split_sentences
cases = json.load(open(sys.argv[2], encoding="utf-8"))
out = {"plain": [repr(extract_figures(t, date=d)) for _, t, d in cases],
       "sentences": [repr(split_sentences(t)) for _, t, d in cases]}
if sys.argv[4] == "scoped":
    with SENTENCE_FIGURES.scope():
        out["scoped"] = [repr(extract_figures(t, date=d, sentences=split_sentences(t))) for _, t, d in cases]
json.dump(out, open(sys.argv[3], "w", encoding="utf-8"))
"""


def cases(replicas: int) -> list[tuple[str, str, str | None]]:
    """``(label, text, date)`` of every case (module docstring)."""
    out: list[tuple[str, str, str | None]] = []
    for path in sorted(CORPORA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for k, line in enumerate(fh):
                rec = json.loads(line)
                text, date = rec.get("text") or "", rec.get("date")
                out.append((f"{path.stem}:{k}", text, date))
                if not date:
                    out.append((f"{path.stem}:{k}@{_FIXED_DATE}", text, _FIXED_DATE))
    headlines = CORPORA / "uci-news-headlines.csv"
    if headlines.exists():
        with headlines.open(encoding="utf-8", errors="replace", newline="") as fh:
            for k, row in enumerate(csv.DictReader(fh)):
                out.append((f"uci:{k}", row.get("TITLE") or "", None))
    with (ROOT / "tests/data/figures_suite.jsonl").open(encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            out.append((f"suite:{k}", json.loads(line)["text"], None))
    for path in sorted((ROOT / "samples").glob("*.txt")):
        out.append((f"samples:{path.name}", path.read_text(encoding="utf-8"), None))
    if replicas:
        sys.path.insert(0, str(ROOT))
        from benchmarks.corpus import gva_replicas

        for k, rec in enumerate(gva_replicas(replicas)[-replicas:]):
            out.append((f"replica:{k}", rec["text"], rec.get("date")))
    return out


def _run(pkg_root: str, case_file: str, mode: str) -> dict[str, list[str]]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as res:
        res_path = res.name
    try:
        env = dict(os.environ, PYTHONPATH="")
        subprocess.run([sys.executable, "-c", _WORKER, pkg_root, case_file, res_path, mode], check=True, env=env,
                       cwd=pkg_root)
        return json.loads(Path(res_path).read_text(encoding="utf-8"))
    finally:
        os.unlink(res_path)


def fuzz_tokens(texts: list[str], n: int, seed: int = 0) -> int:
    """Strings where this tree's ``numbers.tokens`` (its fast and ASCII regexes) differs from ``FIG_TOKEN_RE``
    matches: among ``texts`` and ``n`` random strings of the characters the token rules treat apart."""
    import random
    import re

    sys.path.insert(0, str(ROOT))
    from dedup.text.numbers import FIG_TOKEN_RE, tokens

    rnd = random.Random(seed)
    alphabet = "aAeEzZ09 .,:-'%_\t\x1c$/\u2019\u2013\u00e9\u00bd\u0661\u00a0\u2212"
    cases = list(texts) + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(n)]
    cases += ["".join(chr(rnd.randrange(0x3000)) for _ in range(rnd.randint(1, 20))) for _ in range(n // 4)]
    cases += ["".join(chr(rnd.randrange(128)) for _ in range(rnd.randint(1, 30))) for _ in range(n // 4)]
    bad = 0
    for text in cases:
        ms = list(re.finditer(FIG_TOKEN_RE, text))
        if tokens(text) != ([m.group() for m in ms], [m.start() for m in ms], [m.end() for m in ms]):
            bad += 1
            if bad <= 3:
                print(f"  tokens differ on {text!r}")
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ref", help="reference commit")
    ap.add_argument("--replicas", type=int, default=3000, help="gva_replicas articles (default: %(default)s)")
    ap.add_argument("--show", type=int, default=5, help="differences to print (default: %(default)s)")
    ap.add_argument("--fuzz", type=int, default=200000, help="random strings for the tokenizer check (default: "
                    "%(default)s)")
    args = ap.parse_args(argv)
    all_cases = cases(args.replicas)
    with tempfile.TemporaryDirectory() as tmp:
        case_file = str(Path(tmp) / "cases.json")
        Path(case_file).write_text(json.dumps(all_cases), encoding="utf-8")
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.ref, "dedup"], check=True,
                                 capture_output=True).stdout
        ref_root = str(Path(tmp) / "ref")
        os.mkdir(ref_root)
        subprocess.run(["tar", "-x", "-C", ref_root], input=archive, check=True)
        ref_out = _run(ref_root, case_file, "plain")
        mine = _run(str(ROOT), case_file, "scoped")
    ref = ref_out["plain"]
    diffs = [(k, "plain") for k, (a, b) in enumerate(zip(ref, mine["plain"], strict=True)) if a != b]
    diffs += [(k, "scoped") for k, (a, b) in enumerate(zip(ref, mine["scoped"], strict=True)) if a != b]
    split_diffs = [k for k, (a, b) in enumerate(zip(ref_out["sentences"], mine["sentences"], strict=True)) if a != b]
    figures = sum(r.count("Figure(") for r in ref)
    print(f"{len(all_cases)} cases ({figures} reference figures): {len(diffs)} differences against {args.ref}")
    for k, mode in diffs[:args.show]:
        label = all_cases[k][0]
        print(f"--- {label} ({mode})\n  ref:  {ref[k][:600]}\n  this: {mine[mode][k][:600]}")
    print(f"split_sentences: {len(split_diffs)} differences")
    for k in split_diffs[:args.show]:
        print(f"--- {all_cases[k][0]}\n  ref:  {ref_out['sentences'][k][:600]}\n  this: {mine['sentences'][k][:600]}")
    bad = fuzz_tokens([t for _, t, _ in all_cases], args.fuzz)
    print(f"tokens: {bad} differences from FIG_TOKEN_RE on the case texts and {args.fuzz * 3 // 2} random strings")
    return 1 if diffs or split_diffs or bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
