"""Review decisions in SQLite: marks saved at once (even if the process is killed), exported, read by eval."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_dedup

from dedup.errors import InputError, UsageError
from dedup.io.readers import read
from dedup.review import ReviewStore, default_store_path, export_jsonl, load_decisions, load_result

A, B = "003_9d6c7fdfd1e655bd.txt", "004_1363d7abf5fa0263.txt"


def test_pair_marks_are_sorted_replaced_and_cleared(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with ReviewStore(path) as store:
        store.mark_pair(B, A, "duplicate")
        assert store.pair_verdict(A, B) == "duplicate"
        store.mark_pair(A, B, "different")  # marking again replaces
        assert store.pair_verdicts() == {(A, B): "different"}
        store.mark_pair("x", "y", "same_incident")
        store.clear_pair("y", "x")
        assert ("x", "y") not in store.pair_verdicts()
    assert [d.to_dict() for d in load_decisions(path)] == [
        {"a": A, "b": B, "verdict": "different", "scope": "pair", "cluster": None}]


def test_bad_verdicts_and_self_pairs_are_refused(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "r.sqlite") as store:
        with pytest.raises(UsageError):
            store.mark_pair(A, B, "maybe")
        with pytest.raises(UsageError):
            store.mark_pair(A, A, "duplicate")


def test_cluster_mark_expands_to_representative_pairs_and_pair_marks_win(tmp_path: Path) -> None:
    articles, _ = read(str(Path(__file__).parent.parent / "samples"))
    from dedup.grouping import build_clusters
    from dedup.model import Pair

    # a hand-made cluster of three sample articles (ids real, grouping chosen by the test)
    ids = sorted(a.id for a in articles)[:3]
    cluster = next(c for c in build_clusters(sorted(articles, key=lambda a: a.id),
                                             [Pair(ids[0], ids[1], 0.9), Pair(ids[1], ids[2], 0.8)])
                   if c.size == 3)
    path = tmp_path / "r.sqlite"
    with ReviewStore(path) as store:
        store.mark_cluster(cluster, "same_incident")
        others = [m for m in cluster.members if m != cluster.representative]
        store.mark_pair(cluster.representative, others[0], "different")
        assert store.cluster_verdicts() == {cluster.id: "same_incident"}
    got = {(d.a, d.b): (d.verdict, d.scope) for d in load_decisions(path)}
    assert len(got) == len(others) == 2
    assert got[tuple(sorted((cluster.representative, others[0])))] == ("different", "pair")
    assert got[tuple(sorted((cluster.representative, others[1])))] == ("same_incident", "cluster")


def test_a_mark_survives_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    code = ("import os, signal, sys; from dedup.review import ReviewStore; "
            "s = ReviewStore(sys.argv[1]); s.mark_pair(sys.argv[2], sys.argv[3], 'duplicate'); "
            "os.kill(os.getpid(), signal.SIGKILL)")
    proc = subprocess.run([sys.executable, "-c", code, str(path), A, B], check=False)
    assert proc.returncode == -signal.SIGKILL
    assert [(d.a, d.b, d.verdict) for d in load_decisions(path)] == [(A, B, "duplicate")]


def test_readonly_open_of_missing_or_foreign_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such review file"):
        load_decisions(tmp_path / "missing.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all\n" * 100)
    with pytest.raises(InputError):
        load_decisions(junk)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(InputError, match="not a dedup review file"):
        load_decisions(other)


def test_default_store_path_sits_beside_the_input() -> None:
    assert default_store_path("samples/") == "samples.review.sqlite"
    assert default_store_path("data/corpus.jsonl") == os.path.join("data", "corpus.jsonl.review.sqlite")


def test_export_cli_and_eval_read_the_decisions(tmp_path: Path, samples_dir: Path) -> None:
    path = tmp_path / "r.sqlite"
    with ReviewStore(path) as store:
        store.mark_pair(A, B, "same_incident")
        store.mark_pair("000_f667ce42480b2753.txt", "001_bd9df7c1096ea33d.txt", "different")
    out = tmp_path / "decisions.jsonl"
    proc = run_dedup("review", "--decisions", str(path), "--export", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {(r["a"], r["b"], r["verdict"]) for r in rows} == {
        (A, B, "same_incident"), ("000_f667ce42480b2753.txt", "001_bd9df7c1096ea33d.txt", "different")}
    assert export_jsonl(path, tmp_path / "again.jsonl") == 2
    assert (tmp_path / "again.jsonl").read_text() == out.read_text()
    # eval reads the SQLite file directly; labels: 003 and 004 tell one story, the others their own
    corpus = tmp_path / "samples.jsonl"
    with corpus.open("w") as fh:
        for f in sorted(samples_dir.glob("*.txt")):
            label = "oct31" if f.name in (A, B) else f.name
            fh.write(json.dumps({"id": f.name, "text": f.read_text(), "label": label}) + "\n")
    proc = run_dedup("eval", str(corpus), "--label", "label", "--decisions", str(path), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    row = doc[0] if isinstance(doc, list) else doc
    row = row.get("rows", [row])[0] if isinstance(row, dict) and "rows" in row else row
    assert row["decisions"]["reviewed"] == 2


def test_export_of_a_missing_review_file_is_one_line_exit_3(tmp_path: Path) -> None:
    proc = run_dedup("review", "--decisions", str(tmp_path / "nope.sqlite"), "--export", "-")
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and "nope.sqlite" in proc.stderr and "Traceback" not in proc.stderr


def test_review_without_input_or_decisions_is_a_usage_error() -> None:
    proc = run_dedup("review", "--export", "-")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_load_result_reads_cluster_output_in_both_forms(tmp_path: Path, samples_dir: Path) -> None:
    articles, _ = read(str(samples_dir))
    per_article, pairs = tmp_path / "c.jsonl", tmp_path / "p.jsonl"
    assert run_dedup("cluster", str(samples_dir), "-f", "jsonl", "-o", str(per_article), "-q").returncode == 0
    assert run_dedup("cluster", str(samples_dir), "-f", "jsonl", "--pairs", "-o", str(pairs), "-q").returncode == 0
    saved = {json.loads(line)["id"]: json.loads(line) for line in per_article.read_text().splitlines()}
    for path in (per_article, pairs):
        result = load_result(str(path), articles)
        assert sorted(m for c in result.clusters for m in c.members) == sorted(a.id for a in articles)
        by_member = result.cluster_of()
        for aid, rec in saved.items():  # same grouping as saved (singletons rebuilt for pair rows)
            same = {m for m, r in saved.items() if r["cluster"] == rec["cluster"]}
            assert set(by_member[aid].members) == same
        big = max(result.clusters, key=lambda c: c.size)
        assert big.id == saved[big.members[0]]["cluster"]
        assert big.pairs and all(0 < p.score <= 1 for p in big.pairs)


def test_load_result_names_file_and_line_of_bad_records(tmp_path: Path, samples_dir: Path) -> None:
    articles, _ = read(str(samples_dir))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": A, "cluster": "c1"}) + "\n{oops\n")
    with pytest.raises(InputError) as exc:
        load_result(str(bad), articles)
    assert str(exc.value).startswith(f"{bad}:2:")
    bad.write_text(json.dumps({"id": "ghost", "cluster": "c1"}) + "\n")
    with pytest.raises(InputError, match=r":1: article 'ghost'"):
        load_result(str(bad), articles)
    proc = run_dedup("review", str(samples_dir), "--clusters", str(bad), "--decisions", str(tmp_path / "r.sqlite"))
    assert proc.returncode == 3 and "bad.jsonl:1" in proc.stderr and "Traceback" not in proc.stderr
