"""Incident mode on Dask (``dedup.engines.dask_incident``) gives the local engine's analyses, pairs, scores
and clusters, on a real LocalCluster, for any partitioning and worker count, from Python and the CLI."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from conftest import _jsonl, run_dedup

pytest.importorskip("distributed")

import dedup
from dedup.engines import dask_incident, get_engine
from dedup.errors import UsageError
from dedup.incident.analysis import analyse_corpus
from dedup.incident.score import incident_clusters
from dedup.pipeline import to_articles
from dedup.synthetic import drone_nights


def _gva(limit: int) -> list[dedup.Article]:
    return to_articles(_jsonl("gva-dev.jsonl", limit))


def _pairs(pairs: list[dedup.Pair]) -> list[tuple]:
    return [(p.a, p.b, p.score, sorted(p.evidence.items())) for p in pairs]


def _result(r: dedup.ClusterResult) -> tuple:
    return ([(c.id, c.representative, c.members) for c in r.clusters], _pairs(r.pairs))


@pytest.fixture(scope="module")
def gva() -> list[dedup.Article]:
    return _gva(400)


@pytest.fixture(scope="module")
def gva_local(gva) -> dedup.ClusterResult:
    return dedup.cluster(gva, mode="incident")


def test_partitions_cover_the_corpus_in_order():
    assert dask_incident.partitions(0, 2) == []
    assert dask_incident.partitions(10, 2, 4) == [(0, 4), (4, 8), (8, 10)]
    parts = dask_incident.partitions(3_001, 3)
    assert parts[0][0] == 0 and parts[-1][1] == 3_001
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))
    assert {hi - lo for lo, hi in parts[:-1]} == {251} and len(parts) == 12  # four tasks per worker
    assert {hi - lo for lo, hi in dask_incident.partitions(100_000, 2)} == {1000}  # never above PART_MAX
    assert dask_incident.partitions(100, 8) == [(0, 50), (50, 100)]  # never below PART_MIN
    with pytest.raises(ValueError, match="partition size"):
        dask_incident.partitions(10, 2, 0)


def test_an_unknown_engine_is_a_usage_error_in_incident_mode():
    with pytest.raises(UsageError, match="unknown engine 'spark'"):
        dedup.cluster(["a text", "another text"], mode="incident", engine="spark")
    assert get_engine("dask", mode="incident") is dask_incident


class _InProcess:
    """A blocks mapper that runs the blocks here, in reverse order, and records their sizes."""

    def __init__(self, parts: int) -> None:
        self.parts, self.calls = parts, []

    def __call__(self, fn, shared, args):
        self.calls.append((fn.args[0].__name__, len(args)))  # fn: blocks._run bound to the step's function
        return [fn(shared, *a) for a in reversed(args)][::-1]


def _graph_arrays(g) -> dict:
    return {"rows": g.rows, "cols": g.cols, "threshold": g.threshold, **g.scores}


@pytest.mark.parametrize("use_jit", [True, False], ids=["kernels", "numpy"])
def test_graph_in_blocks_equals_one_pass(gva, use_jit, monkeypatch):
    from dedup.incident import blocks, candidates, features, passage_verify, score
    from dedup.near import jit

    monkeypatch.setattr(candidates, "BLOCK_ROWS", 1)  # blocks even on a small corpus
    monkeypatch.setattr(passage_verify, "BLOCK_PAIRS", 1)
    monkeypatch.setattr(features, "BLOCK_DOTS", 1)
    arts = sorted(gva, key=lambda a: a.id)[:250]
    with jit.using("incident", use_jit):
        want = score.build_graph(arts, threshold=None)
        mapper = _InProcess(parts=7)
        with blocks.mapping(mapper):
            assert blocks.ranges(1000) == [(0, 143), (143, 286), (286, 429), (429, 572), (572, 715), (715, 858),
                                           (858, 1000)]
            got = score.build_graph(arts, threshold=None)
    steps = [name for name, _ in mapper.calls]
    assert {n for _, n in mapper.calls} == {7}  # every step in 7 blocks, none cut again inside a block
    assert steps.count("_rare_block") == 2 and steps.count("_verify_part") == 1  # document and fact neighbours
    assert steps.count("_row_dots_part") == 3  # the edges' document, fact, lead scores (the neighbours'
    # exact cosines are taken inside their own blocks)
    a, b = _graph_arrays(want), _graph_arrays(got)
    assert a.keys() == b.keys() and len(a["rows"]) > 1000
    for k in a:
        np.testing.assert_array_equal(b[k], a[k], err_msg=k)
    assert dict(got.passages) == dict(want.passages) and len(want.passages) > 10
    assert blocks.ranges(10) == [(0, 10)] and blocks.ranges(0) == [(0, 0)]  # no mapper: one range


@pytest.mark.slow
def test_analyses_on_dask_equal_the_local_ones(dask_client, gva):
    arts = sorted(gva, key=lambda a: a.id)[:150]
    got = dask_incident.analyse_on_dask(dask_client, arts, part=17)
    want = analyse_corpus(arts)
    assert len(got) == len(want) == 150
    for g, w in zip(got, want, strict=True):
        for name in ("terms", "counts", "lead_terms", "lead_counts", "win_spans", "win_offsets", "win_terms"):
            np.testing.assert_array_equal(getattr(g, name), getattr(w, name), err_msg=name)
        assert g.fact_keys == w.fact_keys and g.profile == w.profile
    assert sum(len(w.fact_keys) > 0 for w in want) > 100  # real evidence, not empty analyses


@pytest.mark.slow
def test_gva_slice_dask_pairs_equal_local(dask_client, gva, gva_local, monkeypatch):
    from dedup.incident import candidates, features, passage_verify

    monkeypatch.setattr(candidates, "BLOCK_ROWS", 1)  # the graph's split steps in blocks on Dask too
    monkeypatch.setattr(passage_verify, "BLOCK_PAIRS", 1)
    monkeypatch.setattr(features, "BLOCK_DOTS", 1)
    steps = []
    run = dask_incident.DaskBlocks.__call__
    monkeypatch.setattr(dask_incident.DaskBlocks, "__call__", lambda self, fn, shared, args: steps.append(
        (fn.args[0].__name__, len(args))) or run(self, fn, shared, args))
    got = dask_incident.incident_pairs(list(reversed(gva)), client=dask_client, part=37)
    assert {n for _, n in steps} == {4}  # 2 blocks per worker
    assert {name for name, _ in steps} == {"_rare_block", "_verify_part", "_row_dots_part"}
    assert _pairs(got) == _pairs(gva_local.pairs)
    assert len(gva_local.pairs) > 50 and {"document", "passages", "facts"} <= set(gva_local.pairs[0].evidence)
    groups = incident_clusters(gva, got)
    assert groups == sorted((sorted(c.members) for c in gva_local.clusters), key=lambda g: g[0])
    assert sum(len(g) > 1 for g in groups) > 20


@pytest.mark.slow
def test_a_worker_killed_mid_analysis_does_not_change_the_pairs(gva, gva_local):
    import os
    import signal

    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        pids = sorted(c.run(os.getpid).values())
        killed: list[int] = []

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "reading articles" and 0 < done < total and not killed:  # a partition is in
                os.kill(pids[0], signal.SIGKILL)
                killed.append(done)

        got = dask_incident.incident_pairs(gva, client=c, part=20, progress=progress)
    assert killed and killed[0] < 200, "the worker was not killed while partitions were left"
    assert _pairs(got) == _pairs(gva_local.pairs)


@pytest.mark.slow
def test_blocks_run_here_when_their_scattered_data_is_lost(dask_client, monkeypatch):
    import operator

    from distributed import KilledWorker

    blocks = dask_incident.DaskBlocks(dask_client)
    assert blocks.parts == 2 * 2  # BLOCKS_PER_WORKER x two workers
    assert blocks(operator.mul, 3, [(1,), (2,), (4,)]) == [3, 6, 12]

    def lost(futures):
        raise KilledWorker("mul", "tcp://gone", 3)

    monkeypatch.setattr(dask_client, "gather", lost)
    assert blocks(operator.mul, 3, [(1,), (2,), (4,)]) == [3, 6, 12]


@pytest.mark.slow
def test_drone_nights_dask_equals_local(dask_client):
    arts = drone_nights(nights=12, outlets=3)
    want = dedup.cluster(arts, mode="incident")
    got = dask_incident.incident_pairs(arts, client=dask_client, part=5)
    assert _pairs(got) == _pairs(want.pairs)
    # the nights stay apart (the figures differ): one cluster per night, as the local engine finds
    assert sorted(len(c.members) for c in want.clusters) == [3] * 12


@pytest.mark.slow
def test_progress_reports_the_stages(dask_client):
    arts = drone_nights(nights=6, outlets=3)
    seen: list[tuple[str, int, int]] = []
    dask_incident.incident_pairs(arts, client=dask_client, part=4,
                                 progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen[:2] == [("starting Dask", 0, 1), ("starting Dask", 1, 1)]
    reading = [s for s in seen if s[0] == "reading articles"]
    assert reading[0] == ("reading articles", 0, 18) and reading[-1] == ("reading articles", 18, 18)
    assert len(reading) == 1 + 5  # once at the start, once per partition
    assert [d for _, d, _ in reading] == sorted(d for _, d, _ in reading)
    assert seen[-1] == ("scoring pairs", 3, 3)
    assert dask_incident.incident_pairs([], client=dask_client) == []


@pytest.mark.slow
def test_identical_across_worker_counts_and_partitions(dask_client, gva):
    arts = gva[:200]
    want = dedup.cluster(arts, mode="incident")
    one = dedup.cluster(arts, mode="incident", engine="dask", workers=1)  # the pipeline's own LocalCluster
    assert _result(one) == _result(want) and one.options["engine"] == "dask"
    for part in (1000, 23):  # two workers: one partition, or nine
        assert _pairs(dask_incident.incident_pairs(arts, client=dask_client, part=part)) == _pairs(want.pairs)


@pytest.mark.slow
def test_cli_incident_dask_output_equals_local(tmp_path):
    src = tmp_path / "gva.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in _jsonl("gva-dev.jsonl", 150)), encoding="utf-8")
    outs = {}
    for engine in ("local", "dask"):  # -f json: every cluster with its members, pairs, scores and evidence
        proc = run_dedup("cluster", str(src), "--mode", "incident", "--engine", engine, "--workers", "2",
                         "-f", "json", timeout=300)
        assert proc.returncode == 0, proc.stderr
        outs[engine] = proc.stdout
    assert outs["dask"] == outs["local"]
    doc = json.loads(outs["dask"])
    assert doc["summary"]["articles"] == 150 and doc["summary"]["pairs"] > 20
    assert sum(c["size"] > 1 for c in doc["clusters"]) > 20
    assert any(p["evidence"]["passages"] > 0 for c in doc["clusters"] for p in c["pairs"])


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "foo://nowhere"])
def test_cli_bad_scheduler_is_a_one_line_error(samples_dir, monkeypatch, address):
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "2s")
    proc = run_dedup("cluster", str(samples_dir), "--mode", "incident", "--engine", "dask",
                     "--scheduler", address, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and f"cannot use the Dask scheduler {address}" in proc.stderr
    assert "Traceback" not in proc.stderr
