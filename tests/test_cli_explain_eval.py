"""``dedup explain`` and ``dedup eval`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CORPORA = Path("/work/shared/corpora")
A3, A4 = "003_9d6c7fdfd1e655bd.txt", "004_1363d7abf5fa0263.txt"
A1, A2 = "001_bd9df7c1096ea33d.txt", "002_a801246726525e8d.txt"


def dedup(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dedup", *args], capture_output=True, text=True, cwd=ROOT, check=False,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "DEDUP_NO_PROGRESS": "1"})


def test_explain_lists_the_shared_report() -> None:
    r = dedup("explain", str(SAMPLES), A3, A4)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "GROUPED" in out and "NOT GROUPED" not in out
    for text in ("38", "34", "Belgorod", "Voronezh", "Crimea", "October 31", "combined", "shared passages"):
        assert text in out
    assert "leads (title or first sentence)" in out and "Overnight on November 1" in out


def test_explain_json_says_why_not() -> None:
    r = dedup("explain", str(SAMPLES), A1, A2, "-f", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["grouped"] is False
    assert data["reason"].startswith("not grouped")
    assert set(data["scores"]) >= {"document", "passages", "facts", "lead", "combined"}
    assert data["leads"]["a"].startswith("In a recent development") and data["leads"]["b"]


def test_explain_names_the_time_between_dated_reports(tmp_path: Path) -> None:
    # the same two reports of October 31, dated three weeks apart: the time factor keeps them apart
    for name in sorted(p.name for p in SAMPLES.glob("*.txt")):
        text = (SAMPLES / name).read_text(encoding="utf-8")
        if name == A3:
            text = " date 2023-11-01 " + text
        elif name == A4:
            text = " date 2023-11-22 " + text
        (tmp_path / name).write_text(text, encoding="utf-8")
    r = dedup("explain", str(tmp_path), A3, A4)
    assert r.returncode == 0, r.stderr
    assert "NOT GROUPED" in r.stdout and "time" in r.stdout and "days between their dates" in r.stdout
    same = dedup("explain", str(SAMPLES), A3, A4)
    assert "GROUPED" in same.stdout and "days between" not in same.stdout


def test_explain_unknown_id_is_a_usage_error() -> None:
    r = dedup("explain", str(SAMPLES), A3, "nope.txt")
    assert r.returncode == 2
    assert "nope.txt" in r.stderr and "Traceback" not in r.stderr


@pytest.fixture()
def excerpt(tmp_path: Path) -> Path:
    rows = [json.loads(x) for x in (CORPORA / "galaxy-wikinews.jsonl").read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "excerpt.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows[:20]), encoding="utf-8")
    return path


@pytest.mark.skipif(not CORPORA.exists(), reason="development corpora not available")
def test_eval_json_and_min_ari(excerpt: Path) -> None:
    r = dedup("eval", str(excerpt), "--label", "event", "-f", "json")
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout)["rows"][0]
    assert {"ari", "ami", "precision", "recall", "f1"} <= set(row)
    assert row["n"] == 20
    fail = dedup("eval", str(excerpt), "--label", "event", "--min-ari", "1.01")
    assert fail.returncode == 1
    assert "below --min-ari" in fail.stderr


@pytest.mark.skipif(not CORPORA.exists(), reason="development corpora not available")
def test_eval_sweep_marks_the_best_row(excerpt: Path) -> None:
    r = dedup("eval", str(excerpt), "--label", "event", "--sweep", "threshold=0.1:0.3:0.1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("<- best") == 1
    rows = json.loads(dedup("eval", str(excerpt), "--label", "event", "--sweep", "threshold=0.1:0.3:0.1",
                            "-f", "json").stdout)["rows"]
    assert [x["threshold"] for x in rows] == [0.1, 0.2, 0.3]
    assert max(rows, key=lambda x: x["ari"])["best"]


@pytest.mark.skipif(not CORPORA.exists(), reason="development corpora not available")
def test_eval_bad_label_and_bad_sweep(excerpt: Path) -> None:
    r = dedup("eval", str(excerpt), "--label", "nosuchfield")
    assert r.returncode == 2 and "nosuchfield" in r.stderr
    r = dedup("eval", str(excerpt), "--label", "event", "--sweep", "threshold=0.5:0.1:0.1")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_eval_bad_input_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "a", "event": "x"}\n{not json\n', encoding="utf-8")
    r = dedup("eval", str(bad), "--label", "event")
    assert r.returncode == 3
    assert "bad.jsonl:2" in r.stderr


@pytest.mark.skipif(not CORPORA.exists(), reason="development corpora not available")
def test_eval_decisions_file(excerpt: Path, tmp_path: Path) -> None:
    rows = [json.loads(x) for x in excerpt.read_text(encoding="utf-8").splitlines()]
    same = next((a, b) for a in rows for b in rows if a["id"] < b["id"] and a["event"] == b["event"])
    dec = tmp_path / "decisions.jsonl"
    dec.write_text(json.dumps({"a": same[0]["id"], "b": same[1]["id"], "verdict": "same_incident"}) + "\n",
                   encoding="utf-8")
    r = dedup("eval", str(excerpt), "--label", "event", "--decisions", str(dec), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rows"][0]["decisions"]["reviewed"] == 1


@pytest.mark.skipif(not CORPORA.exists(), reason="development corpora not available")
def test_eval_decisions_from_review_store(excerpt: Path, tmp_path: Path) -> None:
    from dedup.review import ReviewStore

    rows = [json.loads(x) for x in excerpt.read_text(encoding="utf-8").splitlines()]
    other = next((a, b) for a in rows for b in rows if a["id"] < b["id"] and a["event"] != b["event"])
    store = tmp_path / "review.sqlite"
    with ReviewStore(store) as st:
        st.mark_pair(other[0]["id"], other[1]["id"], "different")
    r = dedup("eval", str(excerpt), "--label", "event", "--decisions", str(store), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rows"][0]["decisions"]["reviewed"] == 1
    missing = dedup("eval", str(excerpt), "--label", "event", "--decisions", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 3 and "none.sqlite" in missing.stderr
