"""`dedup diff` as a user runs it (subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
A = str(SAMPLES / "003_9d6c7fdfd1e655bd.txt")
B = str(SAMPLES / "004_1363d7abf5fa0263.txt")
S_A = "Of those, 34 were intercepted over Belgorod, two over Voronezh, and two over Crimea."
S_B = "Of these, 34 were downed over the Belgorod region, with two each over Voronezh and Crimea."


def dedup(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dedup", "diff", *args], check=False, capture_output=True, text=True,
                          cwd=cwd, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "LANG": "C.UTF-8"})


def test_terminal_shows_the_report_sentences_on_one_row() -> None:
    r = dedup(A, B, "--width", "240")
    assert r.returncode == 0, r.stderr
    row = next(line for line in r.stdout.splitlines() if "Of those, 34 were intercepted" in line)
    assert "Of these, 34 were downed over the Belgorod region" in row
    assert "same" in r.stdout and "Figures" in r.stdout


def test_terminal_wraps_to_width_without_losing_alignment() -> None:
    r = dedup(A, B, "--width", "100")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    k = next(i for i, line in enumerate(lines) if "Of those, 34" in line)
    assert "Of these, 34" in lines[k]  # both sides start on the same line


def test_json_has_oct31_figures_same_and_no_conflict() -> None:
    r = dedup(A, B, "-f", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    same = [f for f in d["figures"] if f["status"] == "same"]
    assert {f["a"]["text"] for f in same} >= {"38", "34", "two"}
    assert not [f for f in d["figures"] if f["status"] == "conflict"]
    ia = next(s["index"] for s in d["a"]["sentences"] if s["text"] == S_A)
    ib = next(s["index"] for s in d["b"]["sentences"] if s["text"] == S_B)
    blk = next(b for b in d["blocks"] if ia in b["a"])
    assert blk["b"] == [ib] and any(c["op"] == "replace" and c["a"] == "intercepted" for c in blk["changes"])
    skep = next(s["index"] for s in d["b"]["sentences"] if "skepticism" in s["text"])
    only = next(b for b in d["blocks"] if skep in b["b"])
    assert only["kind"] == "only_b" and only["framing"]


def test_corpus_ids_and_output_file(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    rows = [{"id": "x", "text": SAMPLES.joinpath("003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")},
            {"id": "y", "text": SAMPLES.joinpath("004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "d.md"
    r = dedup("--corpus", str(corpus), "x", "y", "-f", "markdown", "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "| A: x | B: y |" in text and "**_downed_**" in text


def test_only_changes_and_hide_trivial(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    body = SAMPLES.joinpath("003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
    a.write_text(body, encoding="utf-8")
    b.write_text(body.replace("Will this mark", "will this mark"), encoding="utf-8")
    r = dedup(str(a), str(b), "--only-changes", "--hide-trivial", "-f", "markdown")
    assert r.returncode == 0, r.stderr
    assert "identical sentence(s)" in r.stdout
    assert "**will**" not in r.stdout
    r2 = dedup(str(a), str(b), "--only-changes", "-f", "markdown")
    assert "**will**" in r2.stdout


def test_bad_inputs_exit_with_one_line_errors(tmp_path: Path) -> None:
    r = dedup(str(tmp_path / "missing.txt"), B)
    assert r.returncode == 3 and r.stderr.count("\n") == 1 and "missing.txt" in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "ok"}\n{not json\n', encoding="utf-8")
    r = dedup("--corpus", str(bad), "x", "y")
    assert r.returncode == 3 and "bad.jsonl:2" in r.stderr and "Traceback" not in r.stderr
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "x", "text": "One."}\n{"id": "y", "text": "Two."}\n', encoding="utf-8")
    r = dedup("--corpus", str(good), "x", "nope")
    assert r.returncode == 3 and "nope" in r.stderr
    r = dedup(A, B, "-o", str(tmp_path / "no" / "dir" / "x.json"), "-f", "json")
    assert r.returncode == 4 and "Traceback" not in r.stderr
    r = dedup(A, B, "-f", "pdf")
    assert r.returncode == 2
    r = dedup(A, B, "--framing-words", str(tmp_path / "none.toml"))
    assert r.returncode == 3 and "none.toml" in r.stderr


def test_help_and_missing_argument() -> None:
    r = dedup("--help")
    assert r.returncode == 0 and "--corpus" in r.stdout and "A B" in r.stdout
    r = dedup(A)
    assert r.returncode == 2 and "Traceback" not in r.stderr
