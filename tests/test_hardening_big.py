"""Huge inputs: a 50 MB article and a 10 MB line are read with bounded memory; over ``--max-bytes`` an
article is rejected with a clear reason and the rest is processed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from bad_inputs import build_big


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return {c.name: c for c in build_big(tmp_path_factory.mktemp("big"))}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["article-50mb.jsonl", "line-10mb.jsonl"])
def test_huge_record_is_read_whole_with_bounded_memory(big, name):
    """Read in a child process: every record back, the huge text intact, peak memory a few times its size."""
    case = big[name]
    # peak RSS from /proc (VmHWM): getrusage's ru_maxrss survives exec, so a child forked from a large
    # pytest process would report the parent's peak instead of its own
    code = ("import json, re, sys; from dedup.io.readers import read; "
            f"a, r = read({str(case.path)!r}, skip_bad=True); "
            "hwm = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); "
            "print(json.dumps({'ids': [x.id for x in a], 'lens': [len(x.text) for x in a], 'rej': len(r), "
            "'rss_kb': hwm}))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert sorted(got["ids"]) == sorted(case.good) and got["rej"] == 0
    size = case.path.stat().st_size
    assert max(got["lens"]) >= size - 1000  # the text is whole, not truncated
    assert got["rss_kb"] * 1024 < 400_000_000 + 10 * size  # interpreter + libraries + a few copies


@pytest.mark.slow
def test_over_max_bytes_is_rejected_with_a_clear_reason(big, tmp_path):
    case = big["article-50mb.jsonl"]
    rej = tmp_path / "rej.jsonl"
    proc = subprocess.run([sys.executable, "-m", "dedup", "cluster", str(case.path), "--skip-bad",
                           "--max-bytes", "5MB", "--rejects", str(rej), "-f", "jsonl"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(ln)["id"] for ln in proc.stdout.splitlines()] == ["small"]
    (r,) = [json.loads(ln) for ln in rej.read_text(encoding="utf-8").splitlines()]
    assert r["line"] == 2 and r["reason"] == "article is 50.0 MB, over --max-bytes 5 MB"
    assert f"{case.path}:2: article is 50.0 MB, over --max-bytes 5 MB" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "dedup", "cluster", str(case.path), "--max-bytes", "5MB"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 3 and proc.stderr.count("\n") == 1 and f"{case.path}:2:" in proc.stderr
