"""The b-bit MinHash prefilter keeps every candidate that could reach the threshold and drops the rest."""

from __future__ import annotations

import numpy as np
from _nearcopies import real_articles

from dedup.engines.local import near_duplicate_pairs, shingle_sets
from dedup.near.minhash import signatures
from dedup.near.verify import jaccard, low_bytes, prefilter


def _corpus():
    texts = [a["text"] for a in real_articles(limit=80)] + [a["text"] for a in real_articles("wikiref220.jsonl", limit=80)]
    words = [t.split() for t in texts[:40]]
    for k, w in enumerate(words):  # edited copies at many Jaccard levels around the threshold
        cut = len(w) * (50 + k) // 100
        texts.append(" ".join(w[:cut] + ["extra", "words", "here"] * (k % 4)))
    return texts


def test_prefilter_keeps_pairs_near_and_above_the_threshold_and_drops_unrelated_ones():
    texts = _corpus()
    sets = shingle_sets(texts)
    low = low_bytes(signatures(sets, num_perm=128, dtype=np.uint32))
    n = len(texts)
    iu, ju = np.triu_indices(n, 1)
    pairs = np.stack([iu, ju], axis=1)
    exact = np.array([jaccard(sets[i], sets[j]) for i, j in pairs.tolist()])
    for t in (0.5, 0.8):
        keep = prefilter(low, pairs, threshold=t)
        assert keep[exact >= t].all(), "a pair at or above the threshold was dropped"
        assert (exact >= t).sum() >= 5
        assert keep[exact < 0.05].mean() < 0.001  # unrelated pairs are not verified


def test_engine_pairs_equal_exact_verification_of_every_candidate():
    from dedup.near.lsh import band_keys, candidate_pairs

    texts = _corpus()
    sets = shingle_sets(texts)
    sig = signatures(sets, num_perm=128, dtype=np.uint32)
    cand = candidate_pairs(band_keys(sig, 26, 3))
    exact = [(i, j) for i, j in cand.tolist() if jaccard(sets[i], sets[j]) >= 0.5]
    for workers in (1, 2):
        pairs, _ = near_duplicate_pairs(texts, threshold=0.5, bands=26, rows=3, workers=workers)
        assert [tuple(p) for p in pairs.tolist()] == exact
