"""Determinism: the same corpus in any order, with any --workers, with either engine, gives byte-identical
``-f jsonl`` output (run as a user runs it)."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from _nearcopies import real_articles
from bad_inputs import TEXT_A, TEXT_B


@pytest.fixture(scope="module")
def orders(tmp_path_factory):
    """The same corpus (real articles, near-copies of some, ties in dates) written in three orders."""
    recs = [dict(r, date="2023-10-31") for r in real_articles("galaxy-wikinews.jsonl", limit=60)]
    rng = random.Random(5)
    for r in recs[:15]:  # near-copies: clusters with pairs, so representatives and best matches matter
        words = r["text"].split(" ")
        words[rng.randrange(len(words))] = "reportedly"
        recs.append({"id": r["id"] + "-copy", "text": " ".join(words), "date": "2023-10-31"})
    recs += [{"id": "x1", "text": TEXT_A}, {"id": "x2", "text": TEXT_A}, {"id": "x3", "text": TEXT_B}]
    folder = tmp_path_factory.mktemp("det")
    paths = []
    for k, seed in enumerate((None, 1, 2)):
        order = list(recs) if seed is None else random.Random(seed).sample(recs, len(recs))
        if k == 2:
            order.reverse()
        p = folder / f"order{k}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in order), encoding="utf-8")
        paths.append(p)
    return paths, len(recs)


def _cluster(path, *args: str) -> bytes:
    proc = subprocess.run([sys.executable, "-m", "dedup", "cluster", str(path), "-f", "jsonl", "-q", *args],
                          capture_output=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout
    return proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize("extra", [("--mode", "near-duplicate", "--threshold", "0.5"),
                                   ("--mode", "near-duplicate", "--pairs"), ("--mode", "incident")],
                         ids=["near-dup", "near-dup-pairs", "incident"])
def test_any_order_any_workers_local_engine(orders, extra):
    orders, n = orders
    base = _cluster(orders[0], *extra)
    assert _cluster(orders[1], *extra, "--workers", "2") == base
    assert _cluster(orders[2], *extra) == base
    if "--pairs" not in extra:
        rows = [json.loads(ln) for ln in base.splitlines()]
        assert len(rows) == len({r["id"] for r in rows}) == n  # every article once
        assert any(r["cluster_size"] > 1 for r in rows)


@pytest.mark.slow
@pytest.mark.parametrize("extra", [("--mode", "near-duplicate", "--threshold", "0.5"), ("--mode", "incident")],
                         ids=["near-dup", "incident"])
def test_dask_engine_gives_the_local_bytes(orders, extra):
    orders, _ = orders
    pytest.importorskip("distributed")
    base = _cluster(orders[0], *extra)
    assert _cluster(orders[2], *extra, "--engine", "dask", "--workers", "2") == base


def test_in_process_pipeline_ignores_input_order(orders):
    from dedup.io.readers import read
    from dedup.pipeline import cluster

    outs = []
    for p in orders[0]:
        arts, _ = read(p)
        res = cluster(arts, mode="near-duplicate", threshold=0.5)
        outs.append(json.dumps(res.to_dict() | {"options": None}, sort_keys=True))
    assert outs[0] == outs[1] == outs[2]
