"""dedup index, incident mode with frozen statistics: after the first add, adds in any batches and order give
the same index as one add; the statistics stay those of the first add; quality close to exact mode."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from _incident_index import indexed, stored_pairs
from conftest import CORPORA

from dedup.errors import IndexError_
from dedup.evaluate import adjusted_rand_index
from dedup.index.frozen import frozen_stats, reindex
from dedup.index.ops import PAUSE_ENV, add_articles
from dedup.index.store import create_index
from dedup.io.readers import read
from dedup.model import Article
from dedup.pipeline import cluster
from dedup.synthetic import drone_nights

ROOT = Path(__file__).resolve().parents[1]
GVA = CORPORA / "gva-dev.jsonl"


def _one_and_ten(tmp_path: Path, seed: list[Article], rest: list[Article]) -> tuple[Path, Path]:
    one, ten = tmp_path / "one.idx", tmp_path / "ten.idx"
    for idx in (one, ten):
        create_index(idx, threshold=None, mode="incident", statistics="frozen")
        add_articles(str(idx), seed)
    add_articles(str(one), rest)
    shuffled = rest[:]
    random.Random(1).shuffle(shuffled)
    step = -(-len(shuffled) // 10)
    for s in range(0, len(shuffled), step):
        add_articles(str(ten), shuffled[s:s + step])
    return one, ten


def test_batches_equal_one_add_on_drone_nights(tmp_path):
    arts = drone_nights(nights=10, outlets=3)
    one, ten = _one_and_ten(tmp_path, arts[:9], arts[9:])
    assert indexed(one) == indexed(ten)
    assert stored_pairs(one) == stored_pairs(ten) and stored_pairs(one)
    assert len({c for c, _, _ in indexed(one).values()}) > 5  # the nights are not lumped together


@pytest.mark.skipif(not GVA.is_file(), reason="needs ../shared/corpora/gva-dev.jsonl")
def test_batches_equal_one_add_on_gva_and_quality_holds(tmp_path):
    arts, _ = read(GVA)
    random.Random(3).shuffle(arts)
    arts = arts[:400]
    one, ten = _one_and_ten(tmp_path, arts[:100], arts[100:])
    got = indexed(one)
    assert got == indexed(ten) and stored_pairs(one) == stored_pairs(ten)
    con = sqlite3.connect(one)
    stats = frozen_stats(con)  # still the first add's: 100 articles
    con.close()
    assert stats is not None and stats[2] == 100
    ids = sorted(got)
    event = {a.id: a.fields["event"] for a in arts}
    exact = {m: c.id for c in cluster(arts, mode="incident").clusters for m in c.members}
    frozen_ari = adjusted_rand_index([event[i] for i in ids], [got[i][0] for i in ids])
    exact_ari = adjusted_rand_index([event[i] for i in ids], [exact[i] for i in ids])
    assert frozen_ari > exact_ari - 0.05 and frozen_ari > 0.5


def test_cli_frozen(tmp_path):
    arts = drone_nights(nights=6, outlets=3)
    day = tmp_path / "day.jsonl"
    day.write_text("".join(json.dumps({"id": a.id, "date": a.date, "text": a.text}) + "\n" for a in arts),
                   encoding="utf-8")
    idx = str(tmp_path / "f.idx")
    env = {**os.environ, "DEDUP_NO_PROGRESS": "1"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "dedup", "index", *args], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=300, check=False)

    r = run("create", idx, "--mode", "incident", "--statistics", "frozen")
    assert r.returncode == 0 and "frozen statistics" in r.stderr
    assert run("add", idx, str(day)).returncode == 0
    assert run("add", idx, str(day)).stderr.count("18 already indexed") == 1
    info = json.loads(run("info", idx).stdout)
    assert info["options"]["statistics"] == "frozen" and info["articles"] == 18 and info["frozen_articles"] == 18
    r = run("create", str(tmp_path / "n.idx"), "--statistics", "frozen")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--mode incident" in r.stderr
    assert "frozen" in run("create", "--help").stdout
    r = run("reindex", idx)
    assert r.returncode == 0 and "statistics frozen on 18 articles" in r.stderr
    assert run("create", str(tmp_path / "x.idx"), "--mode", "incident").returncode == 0
    r = run("reindex", str(tmp_path / "x.idx"))
    assert r.returncode == 5 and r.stderr.count("\n") == 1 and "frozen" in r.stderr


@pytest.mark.slow
def test_kill_9_mid_frozen_add_leaves_the_index_as_before(tmp_path):
    arts = drone_nights(nights=8, outlets=3)
    idx = tmp_path / "k.idx"
    create_index(idx, threshold=None, mode="incident", statistics="frozen")
    add_articles(str(idx), arts[:12])
    before, pairs = indexed(idx), stored_pairs(idx)
    con = sqlite3.connect(idx)
    edges = con.execute("SELECT * FROM edges ORDER BY a, b").fetchall()
    con.close()
    day = tmp_path / "day.jsonl"
    day.write_text("".join(json.dumps({"id": a.id, "date": a.date, "text": a.text}) + "\n" for a in arts[12:]),
                   encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "dedup", "index", "add", str(idx), str(day)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, PAUSE_ENV: "60", "DEDUP_NO_PROGRESS": "1"})
    assert "about to commit" in proc.stderr.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    con = sqlite3.connect(idx)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT * FROM edges ORDER BY a, b").fetchall() == edges
    con.close()
    assert indexed(idx) == before and stored_pairs(idx) == pairs
    # the same add again gives what it gives on an index that never saw the killed one
    add_articles(str(idx), arts[12:])
    twin = tmp_path / "twin.idx"
    create_index(twin, threshold=None, mode="incident", statistics="frozen")
    add_articles(str(twin), arts[:12])
    add_articles(str(twin), arts[12:])
    assert indexed(idx) == indexed(twin) and stored_pairs(idx) == stored_pairs(twin)


def test_reindex_equals_one_first_add_of_everything(tmp_path):
    arts = drone_nights(nights=8, outlets=3)
    idx, fresh = tmp_path / "r.idx", tmp_path / "fresh.idx"
    create_index(idx, threshold=None, mode="incident", statistics="frozen")
    for s in range(0, 24, 6):
        add_articles(str(idx), arts[s:s + 6])
    create_index(fresh, threshold=None, mode="incident", statistics="frozen")
    add_articles(str(fresh), arts)
    assert reindex(str(idx)) == {"articles": 24, "clusters": len(set(indexed(fresh).values())),
                                 "pairs": len(stored_pairs(fresh))}
    assert indexed(idx) == indexed(fresh) and stored_pairs(idx) == stored_pairs(fresh)
    con = sqlite3.connect(idx)
    assert frozen_stats(con)[2] == 24
    con.close()
    exact = tmp_path / "e.idx"
    create_index(exact, threshold=None, mode="incident")
    with pytest.raises(IndexError_, match="frozen"):
        reindex(str(exact))
