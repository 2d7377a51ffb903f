"""The graph steps' blocks on threads (``blocks.Threads``, ``--workers 2``) give the one-pass graph and the
same pairs, on real gva-dev reports, with and without the compiled kernels."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import _jsonl

import dedup
from dedup.incident import blocks, candidates, features, passage_verify, score
from dedup.near import jit
from dedup.pipeline import to_articles


@pytest.fixture(scope="module")
def gva() -> list[dedup.Article]:
    return sorted(to_articles(_jsonl("gva-dev.jsonl", 300)), key=lambda a: a.id)


def _arrays(g: score.IncidentGraph) -> dict:
    return {"rows": g.rows, "cols": g.cols, "threshold": g.threshold, **g.scores}


@pytest.mark.parametrize("use_jit", [True, False], ids=["kernels", "numpy"])
def test_graph_on_threads_equals_one_pass(gva, use_jit, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "BLOCK_ROWS", 1)  # blocks even on a small corpus
    monkeypatch.setattr(passage_verify, "BLOCK_PAIRS", 1)
    monkeypatch.setattr(features, "BLOCK_DOTS", 1)
    seen: list[int] = []
    real = blocks.Threads.__call__

    def counting(self, fn, shared, args):  # type: ignore[no-untyped-def]
        seen.append(len(args))
        return real(self, fn, shared, args)

    monkeypatch.setattr(blocks.Threads, "__call__", counting)
    with jit.using("incident", use_jit):
        want = score.build_graph(gva, threshold=None)
        with blocks.mapping(blocks.Threads(2)):
            assert blocks.ranges(80) == [(k, k + 10) for k in range(0, 80, 10)]
            got = score.build_graph(gva, threshold=None)
    assert seen and set(seen) == {8}  # every step cut into 4 x 2 blocks, none cut again inside a block
    a, b = _arrays(want), _arrays(got)
    assert len(a["rows"]) > 500
    for k in a:
        np.testing.assert_array_equal(b[k], a[k], err_msg=k)
    assert dict(got.passages) == dict(want.passages)


def test_incident_pairs_with_two_workers_equal_one(gva, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "BLOCK_ROWS", 1)
    monkeypatch.setattr(passage_verify, "BLOCK_PAIRS", 1)
    monkeypatch.setattr(features, "BLOCK_DOTS", 1)
    one = score.incident_pairs(gva, workers=1)
    two = score.incident_pairs(gva, workers=2)
    assert len(one) > 50
    assert [(p.a, p.b, p.score, sorted(p.evidence.items())) for p in two] == \
        [(p.a, p.b, p.score, sorted(p.evidence.items())) for p in one]
    assert blocks._active() is None  # the threads' mapper is gone after the run


def test_in_order_keeps_order_and_makes_few_ahead() -> None:
    from contextlib import nullcontext

    made: list[int] = []

    def slow_square(x: int) -> int:
        made.append(x)
        return x * x

    for mapper in (None, 2, 3):
        made.clear()
        got = []
        ctx = blocks.threads(mapper) if mapper else nullcontext()
        with ctx:
            for k, y in enumerate(blocks.in_order(slow_square, range(40))):
                got.append(y)
                assert len(made) - (k + 1) <= (mapper or 1) + 1  # a bounded number made ahead
        assert got == [x * x for x in range(40)]


def test_band_keys_and_term_ids_on_threads_equal_one_pass() -> None:
    from dedup.incident.passages import _term_ids
    from dedup.near.minhash import band_keys_flat

    rng = np.random.default_rng(5)
    vocab = np.unique(rng.integers(0, 2**63, 3000, dtype=np.int64).astype(np.uint64))
    lengths = rng.integers(0, 30, 900)
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    ids = rng.integers(0, vocab.size, int(offsets[-1]))
    kw = {"num_perm": 32, "seed": 3, "bands": 8, "rows": 4, "lookup": vocab, "chunk": 50}
    want = band_keys_flat(ids, offsets, **kw)
    with blocks.threads(2):
        got = band_keys_flat(ids, offsets, map_chunks=blocks.in_order, **kw)
        flat = _term_ids(vocab[ids], vocab, part=1000)
        missing = _term_ids(np.append(vocab[ids], vocab.max() + 1), vocab, part=1000)
    assert got.dtype == want.dtype and np.array_equal(got, want)
    assert flat is not None and np.array_equal(flat, ids) and missing is None
