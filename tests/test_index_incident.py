"""dedup index in incident mode: adds in batches == one `dedup cluster --mode incident` run, query agrees with
what an add does, codec round trip, CLI as a user runs it, crash safety."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from _incident_index import indexed, stored_pairs
from conftest import CORPORA

from dedup.errors import IndexError_
from dedup.incident import score
from dedup.incident.analysis import analyse
from dedup.index.codec import decode, encode
from dedup.index.incident_query import query_incident
from dedup.index.ops import PAUSE_ENV, add_articles, cluster_rows, index_stats
from dedup.index.store import create_index
from dedup.io.readers import read
from dedup.model import Article
from dedup.pipeline import cluster
from dedup.synthetic import drone_nights

ROOT = Path(__file__).resolve().parents[1]
GVA = CORPORA / "gva-dev.jsonl"
needs_gva = pytest.mark.skipif(not GVA.is_file(), reason="needs ../shared/corpora/gva-dev.jsonl")


def dedup(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dedup", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "DEDUP_NO_PROGRESS": "1", **(env or {})}, timeout=300, check=False)


def _write_jsonl(path: Path, arts: list[Article]) -> None:
    path.write_text("".join(json.dumps({"id": a.id, "title": a.title, "date": a.date, "text": a.text}) + "\n"
                            for a in arts), encoding="utf-8")


def _batch(arts: list[Article]) -> dict[str, tuple[str, str, int]]:
    res = cluster(arts, mode="incident")
    return {m: (c.id, c.representative, c.size) for c in res.clusters for m in c.members}


@pytest.fixture(scope="module")
def gva() -> list[Article]:
    if not GVA.is_file():
        pytest.skip("needs ../shared/corpora/gva-dev.jsonl")
    arts, _ = read(GVA)
    random.Random(3).shuffle(arts)  # events spread over the sample, and over the batches below
    return arts


@needs_gva
def test_ten_adds_equal_one_cluster_run_on_gva(tmp_path, gva):
    arts = gva[:360]
    idx = tmp_path / "gva.idx"
    create_index(idx, threshold=None, mode="incident")
    joined = regrouped = 0
    for s in range(0, len(arts), 36):
        rep = add_articles(str(idx), arts[s:s + 36])
        assert rep.added == 36 and set(rep.joined) == {a.id for a in arts[s:s + 36]}
        joined += sum(1 for j in rep.joined.values() if j["existing"])
        regrouped += rep.regrouped
    want = _batch(arts)
    assert indexed(idx) == want
    assert joined > 20  # later reports found the incidents of earlier batches
    assert sum(1 for c, _, size in set(want.values()) if size > 1) > 30
    stats = index_stats(str(idx))
    assert stats["articles"] == 360 and stats["clusters"] == len(set(want.values()))


def test_ten_adds_equal_one_run_and_one_add_on_drone_nights(tmp_path):
    arts = drone_nights(nights=10, outlets=3)
    random.Random(2).shuffle(arts)
    one, ten = tmp_path / "one.idx", tmp_path / "ten.idx"
    for idx in (one, ten):
        create_index(idx, threshold=None, mode="incident")
    add_articles(str(one), arts)
    for s in range(0, len(arts), 3):
        add_articles(str(ten), arts[s:s + 3])
    want = _batch(arts)
    assert indexed(ten) == indexed(one) == want
    assert stored_pairs(ten) == stored_pairs(one) and stored_pairs(one)  # the same pairs, with the same scores
    assert len({c for c, _, _ in want.values()}) > 3  # the nights are told apart


def test_a_fixed_threshold_is_kept(tmp_path):
    arts = drone_nights(nights=6, outlets=3)
    idx = tmp_path / "fixed.idx"
    create_index(idx, threshold=0.3, mode="incident")
    add_articles(str(idx), arts[:9])
    add_articles(str(idx), arts[9:])
    res = cluster(arts, mode="incident", threshold=0.3)
    assert indexed(idx) == {m: (c.id, c.representative, c.size) for c in res.clusters for m in c.members}
    assert index_stats(str(idx))["threshold_used"] == 0.3
    rows = cluster_rows(str(idx))
    rep = add_articles(str(idx), arts[:4])  # nothing new: nothing changes
    assert rep.added == 0 and len(rep.skipped) == 4 and cluster_rows(str(idx)) == rows
    with pytest.raises(IndexError_, match="repeat ids"):
        add_articles(str(idx), [Article(id="z", text="One text."), Article(id="z", text="Another text.")])
    assert cluster_rows(str(idx)) == rows


def test_tiny_and_empty_articles(tmp_path):
    idx = tmp_path / "tiny.idx"
    create_index(idx, threshold=None, mode="incident")
    first = [Article(id="a", text="A fire broke out at the mill on Monday."), Article(id="b", text="")]
    add_articles(str(idx), first)
    seen: list[tuple[str, int, int]] = []
    add_articles(str(idx), [Article(id="c", text="Fire at the mill on Monday, officials said.", title="Mill fire")],
                 progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert ("reading new articles", 1, 1) in seen and seen[-1][0] == "scoring pairs" and seen[-1][1] == seen[-1][2]
    arts = [*first, Article(id="c", text="Fire at the mill on Monday, officials said.", title="Mill fire")]
    assert indexed(idx) == _batch(arts)


@needs_gva
def test_query_names_the_incident_an_add_would_join(tmp_path, gva):
    base = gva[:300]
    events = {a.fields.get("event") for a in base}
    held = [a for a in gva[300:] if a.fields.get("event") in events][:15]
    held += [a for a in gva[300:] if a.fields.get("event") not in events][:5]
    idx = tmp_path / "q.idx"
    create_index(idx, threshold=None, mode="incident")
    add_articles(str(idx), base)
    cid = {r["id"]: r["cluster_id"] for r in cluster_rows(str(idx))}
    agree = matches = 0
    for a in held:
        hits = query_incident(str(idx), a, top=3)
        assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
        predicted = {hits[0]["cluster"]} if hits and hits[0]["match"] else set()
        graph = score.build_graph([*base, a])  # what an add of this article does
        labels = score.group(graph)
        k = graph.index(a.id)
        truth = {cid[b.id] for j, b in enumerate(graph.articles) if labels[j] == labels[k] and j != k}
        agree += predicted == truth
        matches += bool(truth)
    assert matches >= 10 and agree >= len(held) - 2


def test_query_finds_the_night_of_a_held_out_report(tmp_path):
    arts = drone_nights(nights=10, outlets=3)
    held = [a for a in arts if a.id.endswith(arts[0].id.rsplit("-", 1)[1])]  # one outlet's reports
    idx = tmp_path / "d.idx"
    create_index(idx, threshold=None, mode="incident")
    add_articles(str(idx), [a for a in arts if a not in held])
    rows = cluster_rows(str(idx))
    night_of = {r["cluster_id"]: r["id"].rsplit("-", 1)[0] for r in rows}
    right = 0
    for a in held:
        hits = query_incident(str(idx), a)
        right += bool(hits) and hits[0]["match"] and night_of[hits[0]["cluster"]] == a.id.rsplit("-", 1)[0]
    assert right >= 8
    assert query_incident(str(idx), Article(id="x", text="")) == []


def test_codec_round_trip_is_exact():
    arts = drone_nights(nights=3, outlets=2) + [Article(id="e", text=""), Article(id="t", text="Short.", title="T")]
    for a in arts:
        an = analyse(a)
        back = decode(encode(an))
        for name in an.__dataclass_fields__:
            x, y = getattr(an, name), getattr(back, name)
            if isinstance(x, np.ndarray):
                assert x.dtype == y.dtype and np.array_equal(x, y), name
            else:
                assert x == y, name
    data = encode(analyse(arts[0]))
    with pytest.raises(ValueError):
        decode(data[:-3])
    with pytest.raises(ValueError):
        decode(b"\x05\x00\x00\x00nope!")


def test_cli_create_add_query_export(tmp_path):
    arts = drone_nights(nights=8, outlets=3)
    day1, day2, one = tmp_path / "day1.jsonl", tmp_path / "day2.jsonl", tmp_path / "one.jsonl"
    _write_jsonl(day1, arts[:15])
    _write_jsonl(day2, arts[15:])
    _write_jsonl(one, [arts[16]])
    idx = str(tmp_path / "events.idx")
    r = dedup("index", "create", idx, "--mode", "incident")
    assert r.returncode == 0 and "incident index" in r.stderr and "adaptive" in r.stderr, r.stderr
    assert dedup("index", "add", idx, str(day1)).returncode == 0
    r = dedup("index", "add", idx, str(day2), "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 9 and "earlier articles regrouped" in r.stderr
    rows = [json.loads(line) for line in dedup("index", "export", idx).stdout.splitlines()]
    assert {r_["id"]: (r_["cluster_id"], r_["representative"], r_["cluster_size"]) for r_ in rows} == _batch(arts)
    q = dedup("index", "query", idx, str(one), "--json", "--top", "2")
    hit = json.loads(q.stdout)["incidents"][0]
    assert q.returncode == 0 and hit["match"] and hit["cluster"] == {r_["id"]: r_ for r_ in rows}[arts[16].id][
        "cluster_id"]
    q = dedup("index", "query", idx, str(one))
    assert q.stdout.startswith(f"{arts[16].id}:") and "(match)" in q.stdout
    info = json.loads(dedup("index", "info", idx).stdout)
    assert info["articles"] == 24 and info["options"]["mode"] == "incident" and 0 < info["threshold_used"] < 1
    r = dedup("index", "add", idx, str(day2))
    assert r.returncode == 0 and r.stdout == "" and "9 already indexed" in r.stderr


def test_cli_errors_and_help(tmp_path):
    idx = str(tmp_path / "e.idx")
    assert dedup("index", "create", idx, "--mode", "incident").returncode == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "A fine text about a fire."}\n{"id": "y", "text": \n', encoding="utf-8")
    r = dedup("index", "add", idx, str(bad))
    assert r.returncode == 3 and r.stderr.count("\n") == 1 and "bad.jsonl:2" in r.stderr
    assert index_stats(idx)["articles"] == 0  # nothing was added
    r = dedup("index", "create", str(tmp_path / "t.idx"), "--mode", "incident", "--threshold", "1.5")
    assert r.returncode == 5 and r.stderr.count("\n") == 1 and "threshold" in r.stderr
    assert dedup("index", "query", idx, str(bad), "--top", "0").returncode == 2
    con = sqlite3.connect(idx)  # an index made by a dedup whose analyses had other fields
    con.execute("UPDATE meta SET value = '[\"terms\"]' WHERE key = 'analysis_fields'")
    con.commit()
    con.close()
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "x", "text": "A fine text about a fire."}\n', encoding="utf-8")
    r = dedup("index", "add", idx, str(good))
    assert r.returncode == 5 and r.stderr.count("\n") == 1 and "analysis format" in r.stderr
    r = dedup("index", "create", "--help")
    assert r.returncode == 0 and "--mode" in r.stdout and "incident" in r.stdout and "adaptive" in r.stdout
    for action in ("add", "query"):
        r = dedup("index", action, "--help")
        assert r.returncode == 0 and "incident" in r.stdout.lower()


@pytest.mark.slow
def test_kill_9_mid_incident_add_leaves_the_index_as_before(tmp_path):
    arts = drone_nights(nights=8, outlets=3)
    idx = tmp_path / "k.idx"
    create_index(idx, threshold=None, mode="incident")
    add_articles(str(idx), arts[:12])
    before, pairs = cluster_rows(str(idx)), stored_pairs(idx)
    day = tmp_path / "day.jsonl"
    _write_jsonl(day, arts[12:])
    proc = subprocess.Popen([sys.executable, "-m", "dedup", "index", "add", str(idx), str(day)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, PAUSE_ENV: "60", "DEDUP_NO_PROGRESS": "1"})
    assert "about to commit" in proc.stderr.readline()  # every row rewritten, not committed
    # readers go on while the add holds the write lock, and see the index as it was
    assert cluster_rows(str(idx)) == before
    hits = query_incident(str(idx), arts[13])
    assert hits and index_stats(str(idx))["articles"] == 12
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    con = sqlite3.connect(idx)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM analyses").fetchone()[0] == 12
    con.close()
    assert cluster_rows(str(idx)) == before and stored_pairs(idx) == pairs
    add_articles(str(idx), arts[12:])
    assert indexed(idx) == _batch(arts)
