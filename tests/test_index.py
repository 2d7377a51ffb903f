"""dedup index: CLI round trip, incremental == batch, crash safety under kill -9, error exits."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from _nearcopies import ROOT, corpus_with_copies

from dedup.engines.local import near_duplicate_pairs
from dedup.grouping import build_clusters
from dedup.index.ops import PAUSE_ENV, add_articles, cluster_rows, query_text
from dedup.index.store import create_index
from dedup.model import Article, Pair

SAMPLES = ROOT / "samples"


def dedup(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dedup", *args], capture_output=True, text=True,
                          env={**os.environ, "DEDUP_NO_PROGRESS": "1", **(env or {})}, cwd=cwd, timeout=120, check=False)


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    texts, _ = corpus_with_copies(n_orig=90, n_copies=50, seed=5)
    rng = random.Random(4)
    return [Article(id=f"n{i:03d}", text=t, title=f"t{i}",
                    date=f"2024-0{1 + rng.randrange(9)}-1{rng.randrange(10)}" if rng.random() < 0.7 else None)
            for i, t in enumerate(texts)]


def _write_jsonl(path: Path, arts: list[Article]) -> None:
    path.write_text("".join(json.dumps({"id": a.id, "title": a.title, "date": a.date, "text": a.text}) + "\n"
                            for a in arts), encoding="utf-8")


def _batch_clusters(arts: list[Article]) -> dict[str, tuple[str, str, int]]:
    pairs, scores = near_duplicate_pairs([a.text for a in arts], threshold=0.5)
    cl = build_clusters(arts, [Pair(arts[i].id, arts[j].id, s) for (i, j), s in zip(pairs.tolist(), scores.tolist())])
    return {m: (c.id, c.representative, c.size) for c in cl for m in c.members}


def test_create_then_add_equals_batch(tmp_path, articles):
    idx = tmp_path / "n.idx"
    create_index(idx, threshold=0.5)
    order = list(range(len(articles)))
    random.Random(9).shuffle(order)
    joined_existing = 0
    for s in range(0, len(order), 35):  # four daily adds, in shuffled order
        rep = add_articles(str(idx), [articles[k] for k in order[s:s + 35]])
        joined_existing += sum(1 for j in rep.joined.values() if j["existing"])
    got = {r["id"]: (r["cluster_id"], r["representative"], r["cluster_size"]) for r in cluster_rows(str(idx))}
    want = _batch_clusters(articles)
    assert got == want
    assert joined_existing > 0 and max(v[2] for v in want.values()) > 1


def test_cli_round_trip(tmp_path, articles):
    day1, day2 = tmp_path / "day1.jsonl", tmp_path / "day2.jsonl"
    _write_jsonl(day1, articles[:90])  # the originals
    _write_jsonl(day2, articles[90:])  # the edited copies
    idx = str(tmp_path / "news.idx")
    r = dedup("index", "create", idx, "--threshold", "0.5", "--num-perm", "64")
    assert r.returncode == 0, r.stderr
    assert dedup("index", "add", idx, str(day1)).returncode == 0
    r = dedup("index", "add", idx, str(day2))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 50 and all(line.split("\t")[0].startswith("n") for line in lines)
    assert any("joins c-" in line for line in lines)
    # the copy's line names the cluster of its original
    rows = {row["id"]: row for row in map(json.loads, dedup("index", "export", idx).stdout.splitlines())}
    for line in lines:
        if "joins" in line:
            aid = line.split("\t")[0]
            assert line.endswith(f"-> {rows[aid]['cluster_id']} (size {rows[aid]['cluster_size']})")
    # query with a sample text after adding the samples folder
    assert dedup("index", "add", idx, str(SAMPLES)).returncode == 0
    sample = min(SAMPLES.glob("003_*.txt"))
    q = dedup("index", "query", idx, str(sample), "--json")
    hit = json.loads(q.stdout)["clusters"][0]
    assert hit["best_member"] == sample.name and hit["score"] == 1.0 and hit["match"]
    # exports agree with each other
    out_pq, out_csv = tmp_path / "c.parquet", tmp_path / "c.csv"
    assert dedup("index", "export", idx, "-f", "parquet", "-o", str(out_pq)).returncode == 0
    assert dedup("index", "export", idx, "-f", "csv", "-o", str(out_csv)).returncode == 0
    table = pq.read_table(out_pq).to_pylist()
    rows = {row["id"]: row for row in map(json.loads, dedup("index", "export", idx).stdout.splitlines())}
    csv_ids = [line.split(",")[0] for line in out_csv.read_text().splitlines()[1:]]
    assert [t["id"] for t in table] == list(rows) == csv_ids
    assert len(rows) == len(articles) + len(list(SAMPLES.glob("*.txt")))
    # adding the same file again skips every id and changes nothing
    r = dedup("index", "add", idx, str(day2))
    assert r.returncode == 0 and r.stdout == "" and "50 already indexed" in r.stderr


def test_errors_are_one_line_with_exit_codes(tmp_path):
    idx = str(tmp_path / "e.idx")
    r = dedup("index", "add", idx, str(SAMPLES))
    assert r.returncode == 5 and r.stderr.count("\n") == 1 and "e.idx" in r.stderr
    assert dedup("index", "create", idx).returncode == 0
    r = dedup("index", "create", idx)
    assert r.returncode == 5 and "already exists" in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "fine text here"}\n{"id": "y", "text": \n', encoding="utf-8")
    r = dedup("index", "add", idx, str(bad))
    assert r.returncode == 3 and "bad.jsonl:2" in r.stderr and "Traceback" not in r.stderr
    junk = tmp_path / "junk.idx"
    junk.write_bytes(b"not a database at all" * 100)
    r = dedup("index", "info", str(junk))
    assert r.returncode == 5 and "Traceback" not in r.stderr
    assert dedup("index", "export", idx, "-f", "parquet").returncode == 2


@pytest.mark.slow
def test_kill_9_mid_add_leaves_the_index_as_before(tmp_path, articles):
    idx = tmp_path / "k.idx"
    create_index(idx, threshold=0.5)
    add_articles(str(idx), articles[:60])
    before = cluster_rows(str(idx))
    day = tmp_path / "day.jsonl"
    _write_jsonl(day, articles[60:])
    proc = subprocess.Popen([sys.executable, "-m", "dedup", "index", "add", str(idx), str(day)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, PAUSE_ENV: "60", "DEDUP_NO_PROGRESS": "1"})
    line = proc.stderr.readline()  # written inside the open transaction, after all inserts
    assert "about to commit" in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    con = sqlite3.connect(idx)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert cluster_rows(str(idx)) == before
    # and the index still works: the same add now succeeds and gives the batch result
    add_articles(str(idx), articles[60:])
    got = {r["id"]: (r["cluster_id"], r["representative"], r["cluster_size"]) for r in cluster_rows(str(idx))}
    assert got == _batch_clusters(articles)


def test_query_ranks_clusters_by_best_member(tmp_path, articles):
    idx = tmp_path / "q.idx"
    create_index(idx, threshold=0.5)
    add_articles(str(idx), articles)
    hits = query_text(str(idx), articles[95].text, top=3)
    assert hits[0]["score"] == 1.0 and hits[0]["best_member"] == "n095"
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert query_text(str(idx), "") == []
