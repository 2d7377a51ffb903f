"""dedup.near.lsh: datasketch's parameters, and the same candidates as datasketch's MinHashLSH."""

from __future__ import annotations

import re

import numpy as np
import pytest
from _nearcopies import corpus_with_copies
from datasketch import MinHashLSH
from datasketch.hashfunc import sha1_hash32
from datasketch.lsh import _optimal_param

from dedup.near.lsh import band_keys, candidate_pairs, optimal_params
from dedup.near.minhash import signatures, to_lean_minhash


@pytest.mark.parametrize("threshold,num_perm", [(0.5, 128), (0.8, 128), (0.3, 64), (0.9, 256), (0.65, 100),
                                                (0.25, 64), (0.1, 128), (0.95, 32), (0.7, 7), (0.45, 200)])
def test_optimal_params_equal_datasketch(threshold, num_perm):
    for fp, fn in ((0.5, 0.5), (0.2, 0.8), (0.05, 0.95), (0.9, 0.1)):
        assert optimal_params(threshold, num_perm, fp_weight=fp, fn_weight=fn) == \
            _optimal_param(threshold, num_perm, fp, fn), (fp, fn)


def _hash_sets(texts):
    out = []
    for t in texts:
        w = re.findall(r"\w+", t.lower())
        out.append(np.unique(np.array([sha1_hash32(" ".join(w[i:i + 5]).encode())
                                       for i in range(len(w) - 4)], dtype=np.uint64)))
    return out


@pytest.fixture(scope="module")
def corpus():
    texts, planted = corpus_with_copies(n_orig=80, n_copies=40)
    sets = _hash_sets(texts)
    return texts, planted, signatures(sets), sets


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_candidates_equal_datasketch_minhashlsh(corpus, threshold):
    _texts, planted, sig, sets = corpus
    b, r = optimal_params(threshold, 128)
    ours = {tuple(p) for p in candidate_pairs(band_keys(sig, b, r)).tolist()}
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    lean = [to_lean_minhash(row) for row in sig]
    for i, m in enumerate(lean):
        lsh.insert(i, m)
    theirs = {(min(i, j), max(i, j)) for i, m in enumerate(lean) for j in lsh.query(m) if i != j}
    assert ours == theirs
    # recall of the planted edited copies that are clearly above the threshold
    jac = {p: np.intersect1d(sets[p[0]], sets[p[1]]).size / np.union1d(sets[p[0]], sets[p[1]]).size
           for p in planted}
    clear = [p for p in planted if jac[p] >= threshold + 0.1]
    assert clear and sum(p in ours for p in clear) >= 0.9 * len(clear)


def test_candidate_pairs_against_brute_force():
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 6, size=(70, 4)).astype(np.uint64)
    got = candidate_pairs(keys)
    want = sorted((i, j) for i in range(70) for j in range(i + 1, 70) if (keys[i] == keys[j]).any())
    assert got.dtype == np.int64 and got.shape[1] == 2
    assert [tuple(p) for p in got.tolist()] == want


def test_bucket_cap_gives_a_star_and_reports_it():
    keys = np.zeros((50, 1), dtype=np.uint64)  # one boilerplate bucket
    stats: dict = {}
    got = candidate_pairs(keys, max_bucket=10, stats=stats)
    assert stats["capped_buckets"] == 1
    assert [tuple(p) for p in got.tolist()] == [(0, j) for j in range(1, 50)]
    assert len(candidate_pairs(keys, max_bucket=100)) == 50 * 49 // 2


def test_band_keys_are_per_band_and_value_based(corpus):
    _, _, sig, _ = corpus
    k = band_keys(sig, 25, 5)
    assert k.shape == (len(sig), 25) and k.dtype == np.uint64
    np.testing.assert_array_equal(band_keys(sig[::-1], 25, 5), k[::-1])
    same = np.tile(sig[:1], (1, 1))
    same[:, :5] = sig[:1, 5:10]
    assert band_keys(same, 25, 5)[0, 0] != k[0, 1]  # identical rows in different bands do not collide
    with pytest.raises(ValueError):
        band_keys(sig, 30, 5)
