"""The vectorised passage stage equals its plain definition: terms, weighted overlaps, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.incident.features import content_words
from dedup.incident.passages import _windows, match_passages, sentence_terms, weighted_jaccard
from dedup.io.readers import read
from dedup.text.sentences import split_sentences

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TRICKY = [
    "Two drones on October 31st; 1,200 people", "Russia's 38-drone swarm, the U.S. and the UAVs'",
    "one-time anti-aircraft x_one 5one İstanbul ſix", "", "  ", "A dozen, two-thirds, 4.5% and £2bn",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    articles, _ = read(str(SAMPLES))
    return [a.text for a in sorted(articles, key=lambda a: a.id)]


def test_sentence_terms_equal_content_words(texts: list[str]) -> None:
    sentences = [s.text for t in texts for s in split_sentences(t)] + TRICKY
    for s in sentences + sentences:  # the second round reads the token and sentence caches
        assert sentence_terms(s) == set(content_words(s)), s


def test_sentence_terms_in_a_corpus_scope_are_the_same(texts: list[str]) -> None:
    from dedup.incident.passages import SENTENCE_TERMS

    sentences = [s.text for t in texts for s in split_sentences(t)] + TRICKY
    with SENTENCE_TERMS.scope():  # as in corpus_windows: each distinct sentence tokenised once
        for s in sentences + sentences:
            assert sentence_terms(s) == set(content_words(s)), s
        assert SENTENCE_TERMS.data is not None and len(SENTENCE_TERMS.data) == len(set(sentences))
    assert SENTENCE_TERMS.data is None


def test_overlaps_are_the_weighted_jaccard_of_the_windows(texts: list[str]) -> None:
    idf = {w: 1.0 + (len(w) % 5) / 2 for t in texts for w in content_words(t)}
    matches = match_passages(texts, idf, min_overlap=0.1)
    assert matches
    sets = {(p.doc, p.start): terms for d, t in enumerate(texts) for p, terms in _windows(t, d, 2)}
    for (i, j), found in matches.items():
        assert i < j
        for m in found:
            ref = weighted_jaccard(sets[(m.a.doc, m.a.start)], sets[(m.b.doc, m.b.start)], idf)
            assert m.overlap == pytest.approx(ref, rel=1e-12)
    again = match_passages(texts, idf, min_overlap=0.1)
    assert {k: [m.to_dict() for m in v] for k, v in again.items()} == {
        k: [m.to_dict() for m in v] for k, v in matches.items()}


@pytest.mark.parametrize("seed", range(6))
def test_compiled_verification_equals_the_sparse_products(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # _verify's compiled loop (dedup/incident/_passage_kernel.py) against features.row_dots' SciPy path:
    # same pairs, same overlap floats (units up to 300 terms: NumPy's pairwise sums past 8 and 128 items)
    import numpy as np

    from dedup.incident import passages
    from dedup.near import jit

    if not jit.AVAILABLE:
        pytest.skip("Numba not available")
    rng = np.random.default_rng(seed)
    nu, nv = 400, [30, 300, 600][seed % 3]
    lengths = rng.integers(1, [12, 60, 300][seed % 3], nu)
    flat = np.concatenate([rng.choice(nv, min(int(k), nv), replace=False) for k in lengths])
    offsets = np.concatenate(([0], np.cumsum([min(int(k), nv) for k in lengths]))).astype(np.int64)
    weight = rng.choice([0.0, 0.5, 1.0, 1.7, 2.25, 3.1], nv) if seed % 2 else rng.random(nv) * 5
    u, v = rng.integers(0, nu, 20000), rng.integers(0, nu, 20000)
    cands = np.unique(np.minimum(u, v) * nu + np.maximum(u, v))
    cands = cands[cands // nu != cands % nu]
    got = passages._verify(cands, flat, offsets, weight, 0.05, block=997)
    monkeypatch.setattr(jit, "AVAILABLE", False)
    want = passages._verify(cands, flat, offsets, weight, 0.05, block=997)
    assert got[0].size > 50
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)


def test_spread_counts_each_passage_article_once() -> None:
    # _spreads against its definition: k = the articles either passage is matched in, itself included
    import numpy as np

    from dedup.incident.passages import _spreads

    rng = np.random.default_rng(3)
    for _ in range(200):
        nu, nd, m, n = (int(x) for x in (rng.integers(1, 150), rng.integers(1, 25), rng.integers(0, 300),
                                         rng.integers(1, 40)))
        unit_doc = np.sort(rng.integers(0, nd, nu)).astype(np.int64)
        u, v = rng.integers(0, nu, m).astype(np.int64), rng.integers(0, nu, m).astype(np.int64)
        docs: dict[int, set[int]] = {}
        for a, b in zip(u.tolist(), v.tolist(), strict=True):
            for x in (a, b):
                docs.setdefault(x, set()).update((int(unit_doc[a]), int(unit_doc[b])))
        want = [1.0 if n <= 2 else max(0.0, float(np.log(n / max(len(docs[a]), len(docs[b]))))) / float(np.log(n / 2))
                for a, b in zip(u.tolist(), v.tolist(), strict=True)]
        assert _spreads(u, v, unit_doc, n).tolist() == want


def test_candidate_runs_merge_to_their_sorted_union() -> None:
    import numpy as np

    from dedup.near import jit

    if not jit.AVAILABLE:
        pytest.skip("Numba not available")
    from dedup.incident._passage_kernel import merge_runs

    rng = np.random.default_rng(5)
    for _ in range(300):
        a, b = (np.unique(rng.integers(0, int(rng.integers(1, 500)), int(rng.integers(0, 200)))).astype(np.int64)
                for _ in range(2))
        got = merge_runs(a, b)
        assert got.dtype == np.int64 and np.array_equal(got, np.union1d(a, b))


def test_verification_sorts_units_and_keeps_empty_ones() -> None:
    # ids of a unit in any order, and empty units first, between and last: the same pairs and floats as
    # the units given sorted; each unit's mass is the sum of its weights
    import numpy as np

    from dedup.incident import passage_verify

    rng = np.random.default_rng(5)
    units = [[], [4, 1, 7, 9, 2], [], [9, 2, 4, 1], [3, 5, 8, 6], [1, 2, 4, 9, 7], []]
    weight = rng.random(10) * 3
    offsets = np.concatenate(([0], np.cumsum([len(u) for u in units]))).astype(np.int64)
    shuffled = np.array([x for u in units for x in u], dtype=np.int64)
    ordered = np.array([x for u in units for x in sorted(u)], dtype=np.int64)
    n = len(units)
    cands = np.array([i * n + j for i in range(n) for j in range(i + 1, n)], dtype=np.int64)
    got = passage_verify.verify(cands, shuffled, offsets, weight, 0.1)
    want = passage_verify.verify(cands, ordered, offsets, weight, 0.1)
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g, w)
    assert {(int(u), int(v)) for u, v in zip(got[0], got[1], strict=True)} >= {(1, 3), (1, 5), (3, 5)}
    mass = passage_verify._mass(ordered.astype(np.int32), offsets, weight, chunk=2)
    assert np.allclose(mass, [weight[u].sum() if u else 0.0 for u in units])
