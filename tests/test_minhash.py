"""dedup.near.minhash: bulk signatures equal datasketch's MinHash bit for bit."""

from __future__ import annotations

import re

import numpy as np
import pytest
from _nearcopies import ROOT, real_articles
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32

from dedup.near.minhash import EMPTY, permutations, signatures, to_lean_minhash


def _shingles(text: str, n: int = 3) -> list[bytes]:
    w = re.findall(r"\w+", text.lower())
    return sorted({" ".join(w[i:i + n]).encode() for i in range(len(w) - n + 1)})


@pytest.fixture(scope="module")
def sample_sets() -> list[list[bytes]]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    texts += [a["text"] for a in real_articles(limit=15)]
    return [_shingles(t) for t in texts]


@pytest.mark.parametrize("num_perm,seed", [(128, 1), (64, 42), (7, 3)])
def test_equals_datasketch_exactly(sample_sets, num_perm, seed):
    hashes = [np.array([sha1_hash32(s) for s in d], dtype=np.uint64) for d in sample_sets]
    sig = signatures(hashes, num_perm=num_perm, seed=seed)
    assert sig.shape == (len(sample_sets), num_perm) and sig.dtype == np.uint64
    for row, shingles in zip(sig, sample_sets):
        m = MinHash(num_perm=num_perm, seed=seed)
        m.update_batch(shingles)
        np.testing.assert_array_equal(row, m.hashvalues.astype(np.uint64))


def test_permutations_match_datasketch():
    a, b = permutations(128, 9)
    pa, pb = MinHash(num_perm=128, seed=9).permutations
    np.testing.assert_array_equal(a, pa)
    np.testing.assert_array_equal(b, pb)


def test_lean_minhash_works_in_datasketch_lsh(sample_sets):
    hashes = [np.array([sha1_hash32(s) for s in d], dtype=np.uint64) for d in sample_sets]
    sig = signatures(hashes)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, row in enumerate(sig):
        lsh.insert(str(i), to_lean_minhash(row))
    m = MinHash(num_perm=128)
    m.update_batch(sample_sets[3])
    assert "3" in lsh.query(m)
    assert to_lean_minhash(sig[3]).jaccard(m) == 1.0


def test_empty_sets_and_order_independence(sample_sets):
    hashes = [np.array([sha1_hash32(s) for s in d], dtype=np.uint64) for d in sample_sets[:6]]
    batch = [np.empty(0, np.uint64)] + hashes + [np.empty(0, np.uint64)]
    sig = signatures(batch)
    assert (sig[0] == EMPTY).all() and (sig[-1] == EMPTY).all()
    np.testing.assert_array_equal(sig[0], MinHash().hashvalues.astype(np.uint64))
    # a document's row does not depend on its neighbours, its position, or the order/duplicates of its hashes
    rev = signatures([np.concatenate([h[::-1], h]) for h in hashes[::-1]])
    np.testing.assert_array_equal(rev[::-1], sig[1:-1])
    assert signatures([]).shape == (0, 128)


def test_long_and_short_documents_in_one_batch(sample_sets):
    big = np.arange(1, 300_001, dtype=np.uint64) * np.uint64(2654435761)
    small = np.array([sha1_hash32(s) for s in sample_sets[0]], dtype=np.uint64)
    sig = signatures([small, big, small])
    np.testing.assert_array_equal(sig[0], sig[2])
    alone = signatures([big])
    np.testing.assert_array_equal(sig[1], alone[0])


@pytest.mark.parametrize("chunk", [1, 7, 1 << 16])
def test_band_keys_flat_equal_the_keys_of_whole_signatures(chunk: int) -> None:
    # sentence windows of real text: the keys are the same however many sets are signed at a time
    from dedup.incident.analysis import windows
    from dedup.near.lsh import band_keys
    from dedup.near.minhash import band_keys_flat, signatures_flat

    text = (ROOT / "samples" / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
    _, offsets, hashes = windows(text * 3)
    want = band_keys(signatures_flat(hashes, offsets, num_perm=64, seed=1), 18, 2)
    got = band_keys_flat(hashes, offsets, num_perm=64, seed=1, bands=18, rows=2, chunk=chunk)
    assert got.shape == (offsets.size - 1, 18) and np.array_equal(got, want)
