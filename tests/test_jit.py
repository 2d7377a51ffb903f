"""The compiled kernels (dedup.near.jit) compute exactly what the NumPy path computes."""

from __future__ import annotations

import numpy as np
import pytest
from _nearcopies import real_articles
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.engines import fastshingle
from dedup.near import jit, minhash
from dedup.near.shingles import shingle_hashes
from dedup.near.verify import jaccard

pytestmark = pytest.mark.skipif(not jit.AVAILABLE, reason="numba not importable")

ODD = ["", "  ", "One two", "Don`t stop: 5,000 people, 3.5% of \u20ac20 \u2014 \u2018quoted\u2019 caf\u00e9",
       "zero\u200bwidth joins, www.example.co.uk/a-very-long-path-name-over-24-bytes-long ok ok ok ok",
       "\uff21\uff22\uff23 full-width and e\u0301 combining marks, \u00c9COLE \u0130stanbul STRASSE stra\u00dfe",
       "tokens of exactly twenty-four bytes: abcdefghijklmnopqrstuvwx abcdefghijklmnopqrstuvwxy z z z",
       "\u03a3\u0391\u03a3 \u1e9e \ufb01ne \u2460 \u00bd \u2026 \u201cq\u201d a.b.c 1,2,3 x'y ' . , end"]


def _both(texts, n=5):
    saved = jit.MIN_BYTES
    try:
        jit.MIN_BYTES = 0
        fast = fastshingle.word_shingles(texts, n=n)
        jit.AVAILABLE = False
        slow = fastshingle.word_shingles(texts, n=n)
    finally:
        jit.AVAILABLE = True
        jit.MIN_BYTES = saved
    return fast, slow


def test_jit_shingles_equal_numpy_shingles_on_real_articles():
    texts = [a["text"] for a in real_articles(limit=80)] + [a["text"] for a in real_articles("wikiref220.jsonl", limit=80)]
    texts += ODD
    for n in (1, 3, 5):
        (fv, fo), (sv, so) = _both(texts, n)
        assert fv.dtype == sv.dtype == np.uint64
        np.testing.assert_array_equal(fo, so)
        np.testing.assert_array_equal(fv, sv)
        assert fo[-1] > 1000 * n  # real work was done


def test_jit_minhash_equals_numpy_and_datasketch():
    from datasketch import MinHash

    texts = [a["text"] for a in real_articles(limit=40)] + ODD
    sets = [shingle_hashes(t) for t in texts]
    lengths = np.array([s.size for s in sets])
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    values = np.concatenate(sets)
    a, b = minhash.permutations(128, 1)
    fast = np.empty((len(sets), 128), np.uint32)
    jit.kernels().minhash(values, offsets, a, b, fast)
    jit.AVAILABLE = False
    try:
        slow = minhash.signatures_flat(values, offsets, num_perm=128, dtype=np.uint32)
    finally:
        jit.AVAILABLE = True
    np.testing.assert_array_equal(fast, slow)
    for i in (0, 7, 39):  # and datasketch's own MinHash over the same 32-bit hashes
        m = MinHash(num_perm=128, seed=1, hashfunc=lambda h: int(h) & 0xFFFFFFFF)
        m.update_batch(sets[i].tolist())
        np.testing.assert_array_equal(fast[i], m.hashvalues.astype(np.uint32))
    assert (fast[len(sets) - len(ODD)] == 0xFFFFFFFF).all()  # "" is empty: datasketch's empty MinHash


_CHARS = st.sampled_from(list("abcXYZ09 _.,'`-\n") + list("\u00e9\u00c9\u00df\u2019\u201c\u2014\u200b\u00ad"
                                                        "\uff21\u0301\u03a3\u2460\u00bd\u2026\u4e2d\U0001f600\u0130\uff40\u1fef"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(_CHARS, max_size=60), min_size=1, max_size=6))
def test_canonical_bytes_tokenise_like_the_reference(texts):
    (fv, fo), (sv, _) = _both(texts, 1)
    np.testing.assert_array_equal(fv, sv)
    for i, t in enumerate(texts):  # unigram sets relabel the reference's token sets one to one
        ref = shingle_hashes(t, kind="word", n=1)
        got = np.unique(fv[fo[i]:fo[i + 1]])
        assert got.size == ref.size
    for i in range(len(texts) - 1):
        ref_j = jaccard(shingle_hashes(texts[i], n=1), shingle_hashes(texts[i + 1], n=1))
        got_j = jaccard(np.unique(fv[fo[i]:fo[i + 1]]), np.unique(fv[fo[i + 1]:fo[i + 2]]))
        assert got_j == ref_j


def test_jit_verification_equals_the_reference_jaccard():
    from dedup.engines import local

    texts = [a["text"] for a in real_articles(limit=60)] + ODD
    texts += [texts[3][: len(texts[3]) // 2], texts[3] + " and one more sentence at the end."]
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, len(texts), (400, 2))
    pairs = np.concatenate([pairs[pairs[:, 0] != pairs[:, 1]], [[3, len(texts) - 1], [3, len(texts) - 2]]])
    fast = local.verify_block(pairs, texts)
    jit.AVAILABLE = False
    try:
        slow = local.verify_block(pairs, texts)
    finally:
        jit.AVAILABLE = True
    np.testing.assert_array_equal(fast, slow)
    assert fast[-1] > 0.3 and fast[-2] > 0.9  # the edited copies of article 3 are found


def test_workers_with_and_without_kernels_find_the_same_pairs(monkeypatch):
    from dedup.engines import local

    texts = [a["text"] for a in real_articles(limit=60)] + [a["text"] for a in real_articles("wikiref220.jsonl", limit=60)]
    texts += [t[: len(t) * 2 // 3] for t in texts[::7]]  # edited copies: pairs to find
    import sys

    runs = []
    for least in (0, 1 << 40):  # every worker uses the kernels / no worker does
        monkeypatch.setitem(jit.MIN_TEXT, "near", (least, least))
        monkeypatch.delitem(sys.modules, "dedup.near._kernels", raising=False)  # not inherited by forks
        assert local._worker_jit(texts, 2) is (least == 0)
        runs.append(local.near_duplicate_pairs(texts, threshold=0.5, workers=2))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert len(runs[0][0]) >= len(texts[::7]) * 3 // 4  # most edited copies are found


def test_kernels_only_for_inputs_that_repay_them(monkeypatch):
    monkeypatch.setitem(jit.MIN_TEXT, "near", (100, 1000))
    monkeypatch.setattr(jit, "cached", lambda family: True)
    assert not jit.worth("near", 99) and jit.worth("near", 100) and not jit.worth("near", 150, share=2)
    monkeypatch.setattr(jit, "cached", lambda family: False)  # to compile: only from the second figure
    assert not jit.worth("near", 999) and jit.worth("near", 1000)
    steps, calls = [], []
    with jit.sized("near", 1000, progress=lambda *a: steps.append(a), warm_up=lambda: calls.append(jit.use())) as on:
        assert on and jit.use()
    assert calls == [True] and steps == [(jit.COMPILE_STEP, 0, 1), (jit.COMPILE_STEP, 1, 1)]
    with jit.sized("near", 10, warm_up=lambda: calls.append(0)) as on:
        assert not on and not jit.use() and calls == [True]  # no warm-up for the NumPy path
    assert jit.use()  # the choice ends with the block


@pytest.mark.parametrize("mode", ["near-duplicate", "incident"])
def test_pipeline_gives_the_same_clusters_with_and_without_kernels(mode):
    import dedup

    arts = real_articles("wikiref220.jsonl", limit=160)
    arts += [dict(a, id=f"{a['id']}-copy", text=a["text"][: len(a["text"]) * 3 // 4]) for a in arts[::9]]
    runs = []
    for flag in (True, False):
        jit.force(flag)
        try:
            r = dedup.cluster(arts, mode=mode, workers=2 if mode == "near-duplicate" else 1)
        finally:
            jit.force(None)
        runs.append(([(c.id, c.members, c.representative) for c in r.clusters],
                     [(p.a, p.b, p.score, sorted(p.evidence.items())) for p in r.pairs]))
    assert runs[0] == runs[1] and len(runs[0][1]) >= len(arts[::9]) // 2


@pytest.mark.slow
def test_incident_warm_up_leaves_every_incident_kernel_cached(tmp_path):
    """The warm-up the pipeline runs before a large incident run compiles every kernel of the family, so
    ``jit.cached("incident")`` holds afterwards and mid-size corpora take the kernels from then on (a
    kernel it missed left the family 'never compiled' for good: 5x slower incident runs below 12 MB)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    ask = "from dedup.near import jit; print(jit.cached('incident'))"
    before = subprocess.run([sys.executable, "-c", ask], env=env, capture_output=True, text=True, check=True)
    warm = ("from dedup.near import jit; jit.force(True)\n"
            "from dedup.pipeline import _incident_warm_up; _incident_warm_up()")
    subprocess.run([sys.executable, "-c", warm], env=env, capture_output=True, text=True, check=True)
    after = subprocess.run([sys.executable, "-c", ask], env=env, capture_output=True, text=True, check=True)
    assert (before.stdout.strip(), after.stdout.strip()) == ("False", "True")
