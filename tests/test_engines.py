"""dedup.engines.local: the chained stages, worker-count and order independence, on real articles."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from _nearcopies import corpus_with_copies

from dedup.engines import get_engine
from dedup.engines.local import near_duplicate_pairs
from dedup.errors import UsageError
from dedup.near.shingles import shingle_hashes
from dedup.near.verify import jaccard


@pytest.fixture(scope="module")
def corpus():
    return corpus_with_copies(n_orig=120, n_copies=60, seed=11)


def test_pairs_are_exact_and_find_planted_copies(corpus):
    texts, planted = corpus
    stats: dict = {}
    pairs, scores = near_duplicate_pairs(texts, threshold=0.5, stats=stats)
    assert pairs.dtype == np.int64 and scores.dtype == np.float64 and len(pairs) == len(scores)
    assert (pairs[:, 0] < pairs[:, 1]).all()
    assert [tuple(p) for p in pairs.tolist()] == sorted(set(map(tuple, pairs.tolist())))
    sets = [shingle_hashes(t) for t in texts]
    for (i, j), s in zip(pairs.tolist(), scores.tolist()):
        assert s == jaccard(sets[i], sets[j]) and s >= 0.5
    found = set(map(tuple, pairs.tolist()))
    clear = [p for p in planted if jaccard(sets[p[0]], sets[p[1]]) >= 0.6]
    assert clear and sum(p in found for p in clear) >= 0.9 * len(clear)
    assert stats["documents"] == len(texts) and stats["verified"] == len(pairs)
    assert stats["candidates"] >= stats["verified"]


def test_same_result_for_any_worker_count_and_chunking(corpus, monkeypatch):
    texts, _ = corpus
    p1, s1 = near_duplicate_pairs(texts, workers=1)
    from dedup.engines import local
    monkeypatch.setattr(local, "CHUNK", 37)
    monkeypatch.setattr(local, "PAIR_BLOCK", 5)
    p2, s2 = near_duplicate_pairs(texts, workers=2)
    np.testing.assert_array_equal(p1, p2)
    np.testing.assert_array_equal(s1, s2)


def test_input_order_does_not_change_the_pairs(corpus):
    texts, _ = corpus
    perm = np.random.default_rng(5).permutation(len(texts))
    p1, s1 = near_duplicate_pairs(texts)
    p2, s2 = near_duplicate_pairs([texts[k] for k in perm])
    back = {tuple(sorted((int(perm[i]), int(perm[j])))): s for (i, j), s in zip(p2.tolist(), s2.tolist())}
    assert back == {tuple(p): s for p, s in zip(p1.tolist(), s1.tolist())}


def test_empty_texts_never_pair_and_char_shingles_work():
    texts = ["", "   ", "Drones attacked Belgorod overnight, officials said on Tuesday.",
             "Drones attacked Belgorod overnight, officials said on Tuesday!", ""]
    pairs, scores = near_duplicate_pairs(texts, kind="char", ngram=4, threshold=0.8)
    assert [tuple(p) for p in pairs.tolist()] == [(2, 3)]
    assert 0.8 <= scores[0] <= 1.0


def test_get_engine():
    assert get_engine("local").near_duplicate_pairs is near_duplicate_pairs
    with pytest.raises(UsageError):
        get_engine("spark")


def test_engine_import_does_not_pull_textual():
    code = "import sys, dedup.engines.local, dedup.engines.dask_engine; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_fast_word_shingles_are_the_reference_sets_relabelled():
    from _nearcopies import real_articles

    from dedup.engines.fastshingle import word_shingle_sets

    texts = [a["text"] for a in real_articles(limit=60)]
    texts += [a["text"] for a in real_articles("wikiref220.jsonl", limit=60)]
    texts += ["", "  ", "One two", "Don`t stop: 5,000 people, 3.5% of \u20ac20 \u2014 \u2018quoted\u2019 caf\u00e9 na\u00efve",
              "zero\u200bwidth joins, www.example.co.uk/a-very-long-path-name-over-24-bytes-long ok ok ok",
              "\uff21\uff22\uff23 full-width letters fold to ABC and e\u0301 combining marks stay apart here"]
    for n in (1, 3, 5):
        fast = word_shingle_sets(texts, n=n)
        ref = [shingle_hashes(t, kind="word", n=n) for t in texts]
        assert [f.size for f in fast] == [r.size for r in ref]
        for i in range(len(texts) - 1):
            j = (i * 7 + 3) % len(texts)
            assert jaccard(fast[i], fast[j]) == jaccard(ref[i], ref[j])
            assert jaccard(fast[i], fast[i + 1]) == jaccard(ref[i], ref[i + 1])
