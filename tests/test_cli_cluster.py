"""``dedup cluster`` run as a user runs it: subprocess, real files, stdin, -o, exit codes, rejects."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, run_dedup


def test_samples_table_lists_all_five(samples_dir):
    proc = run_dedup("cluster", str(samples_dir))
    assert proc.returncode == 0, proc.stderr
    for p in samples_dir.glob("*.txt"):
        assert p.name in proc.stdout
    assert "5 articles" in proc.stderr and "rejected" in proc.stderr and "Traceback" not in proc.stderr


def test_stdin_jsonl_and_output_file(tmp_path, galaxy_records):
    data = "".join(json.dumps(r) + "\n" for r in galaxy_records[:12]).encode()
    proc = run_dedup("cluster", "-", "-f", "jsonl", "--mode", "near-duplicate", stdin=data)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in galaxy_records[:12])
    out = tmp_path / "clusters.jsonl"
    proc2 = run_dedup("cluster", "-", "-f", "jsonl", "--mode", "near-duplicate", "-o", str(out), "-q", stdin=data)
    assert proc2.returncode == 0 and proc2.stdout == "" and proc2.stderr == ""
    assert out.read_text() == proc.stdout


def test_shuffled_input_gives_identical_bytes(tmp_path, wikiref_records):
    recs = list(wikiref_records)
    recs.append(dict(recs[2], id="again"))
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("".join(json.dumps(r) + "\n" for r in recs))
    random.Random(2).shuffle(recs)
    b.write_text("".join(json.dumps(r) + "\n" for r in recs))
    outs = []
    for src, workers in ((a, "1"), (b, "2")):
        proc = run_dedup("cluster", str(src), "-f", "csv", "--mode", "near-duplicate", "--workers", workers)
        assert proc.returncode == 0, proc.stderr
        outs.append(proc.stdout)
    assert outs[0] == outs[1] and "again" in outs[0]


def test_keep_one_parquet_round_trip(tmp_path, galaxy_records):
    recs = [dict(r) for r in galaxy_records[:10]] + [dict(galaxy_records[0], id="zz-copy")]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs))
    out = tmp_path / "deduped.parquet"
    proc = run_dedup("cluster", str(src), "--keep-one", "-f", "parquet", "-o", str(out), "--mode", "near-duplicate")
    assert proc.returncode == 0, proc.stderr
    rows = pq.read_table(out).to_pylist()
    assert len(rows) == 10 and {r["id"] for r in rows} == {r["id"] for r in galaxy_records[:10]}
    assert rows[0].keys() == recs[0].keys()
    assert "1 duplicates" in proc.stderr


def test_bad_input_exit_3_names_file_and_line(tmp_path, galaxy_records):
    src = tmp_path / "bad.jsonl"
    good = json.dumps(galaxy_records[0])
    src.write_text(good + "\n" + '{"id": "x", "text": }\n' + json.dumps({"id": "y"}) + "\n")
    proc = run_dedup("cluster", str(src), "-f", "jsonl")
    assert proc.returncode == 3 and proc.stdout == ""
    assert proc.stderr.startswith(f"dedup: error: {src}:2: bad JSON: ") and proc.stderr.count("\n") == 1
    rej = tmp_path / "rejects.jsonl"
    proc = run_dedup("cluster", str(src), "-f", "jsonl", "--skip-bad", "--rejects", str(rej))
    assert proc.returncode == 0, proc.stderr
    rejected = [json.loads(x) for x in rej.read_text().splitlines()]
    assert [(r["line"], r["source"]) for r in rejected] == [(2, str(src)), (3, str(src))]
    assert "missing text field" in rejected[1]["reason"]
    assert f"{src}:3: missing text field" in proc.stderr and "2 rejected" in proc.stderr
    assert [json.loads(x)["id"] for x in proc.stdout.splitlines()] == [galaxy_records[0]["id"]]


def test_usage_and_output_errors(tmp_path, samples_dir):
    proc = run_dedup("cluster", str(samples_dir), "--threshold", "1.5")
    assert proc.returncode == 2 and "between 0 and 1" in proc.stderr
    proc = run_dedup("cluster", str(samples_dir), "-o", str(tmp_path / "no" / "x.csv"), "-f", "csv")
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    proc = run_dedup("cluster", str(tmp_path / "missing.jsonl"))
    assert proc.returncode == 3 and "missing.jsonl" in proc.stderr
    proc = run_dedup("cluster", str(samples_dir), "--keep-one", "--pairs")
    assert proc.returncode == 2
    proc = run_dedup("cluster", str(samples_dir), "--columns", "id,nope", "-f", "csv")
    assert proc.returncode == 2 and "nope" in proc.stderr


def test_help_explains_every_option():
    proc = run_dedup("cluster", "--help")
    assert proc.returncode == 0
    for opt in ("--format", "--output", "--mode", "--threshold", "--num-perm", "--seed", "--shingle", "--ngram",
                "--bands", "--rows", "--keep-one", "--pairs", "--workers", "--engine", "--scheduler",
                "--skip-bad", "--rejects", "--dedupe-ids", "--columns", "--id-field", "--text-field", "--quiet"):
        assert opt in proc.stdout, opt


def test_stdin_other_formats_and_stdin_errors(uci_head):
    proc = run_dedup("cluster", "-", "--format-in", "csv", "-f", "csv", "--mode", "near-duplicate",
                     "--columns", "id,cluster_size", stdin="".join(uci_head).encode())
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(uci_head) and lines[0] == "id,cluster_size"  # header + one row per headline
    proc = run_dedup("cluster", "-", stdin=b'{"id": "a", "text": "fine"}\n{"id": "b", "text": \n')
    assert proc.returncode == 3 and proc.stderr.startswith("dedup: error: <stdin>:2: bad JSON")


def test_parquet_through_a_pipe(tmp_path):
    """Parquet written to stdout and read back from stdin: the kept records of the samples, whole."""
    raw = subprocess.run([sys.executable, "-m", "dedup", "cluster", str(ROOT / "samples"), "--keep-one", "-f",
                          "parquet", "-q"], capture_output=True, check=True, timeout=120).stdout
    back = run_dedup("cluster", "-", "--format-in", "parquet", "-f", "jsonl", "-q", stdin=raw)
    assert back.returncode == 0, back.stderr
    rows = [json.loads(x) for x in back.stdout.splitlines()]
    assert len(rows) == 4 and all(r["cluster_size"] == 1 for r in rows)  # 003/004 kept once


@pytest.mark.slow
def test_dask_engine_gives_the_same_bytes_as_local(tmp_path, wikiref_records):
    recs = list(wikiref_records) + [dict(wikiref_records[4], id="copy")]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs))
    local = run_dedup("cluster", str(src), "--mode", "near-duplicate", "-f", "jsonl")
    dask = run_dedup("cluster", str(src), "--mode", "near-duplicate", "-f", "jsonl", "--engine", "dask",
                     "--workers", "2")
    assert local.returncode == 0 and dask.returncode == 0, dask.stderr
    assert local.stdout == dask.stdout and '"copy"' in local.stdout


def test_workers_auto_uses_every_core_on_big_corpora_with_the_same_output(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.corpus import SyntheticCorpus
    from dedup.cli.cluster_cmd import AUTO_WORKERS_MIN, auto_workers

    assert auto_workers(AUTO_WORKERS_MIN - 1) == 1
    assert auto_workers(AUTO_WORKERS_MIN) >= 1 and auto_workers(10, "dask") >= 1
    corpus = SyntheticCorpus(AUTO_WORKERS_MIN + 100, size=400)
    src = tmp_path / "big.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(corpus)))
    base = ["cluster", str(src), "--mode", "near-duplicate", "-f", "jsonl", "-q"]
    auto = run_dedup(*base)  # default: --workers auto
    one = run_dedup(*base, "--workers", "1")
    assert auto.returncode == one.returncode == 0, auto.stderr + one.stderr
    assert auto.stdout == one.stdout
    assert sum(json.loads(x)["cluster_size"] > 1 for x in auto.stdout.splitlines()) > 100  # planted copies found
    bad = run_dedup(*base, "--workers", "many")
    assert bad.returncode == 2 and "--workers" in bad.stderr and "Traceback" not in bad.stderr


def test_incident_mode_warns_before_a_big_in_memory_run(monkeypatch, capsys):
    """From INCIDENT_WARN_ARTICLES articles incident mode says it holds everything in memory and what to do
    instead (lowered to 3 here, so the 5 samples trigger it); -q and near-duplicate mode stay silent."""
    from dedup.cli import cluster_cmd, main

    samples = str(ROOT / "samples")
    monkeypatch.setattr(cluster_cmd, "INCIDENT_WARN_ARTICLES", 3)
    assert main(["cluster", samples, "-f", "jsonl"]) == 0
    out, err = capsys.readouterr()
    assert "warning: incident mode keeps all 5 articles" in err and "--mode near-duplicate" in err
    assert len(out.splitlines()) == 5
    for extra in (["-q"], ["--mode", "near-duplicate"]):
        assert main(["cluster", samples, "-f", "jsonl", *extra]) == 0
        assert "warning" not in capsys.readouterr().err
