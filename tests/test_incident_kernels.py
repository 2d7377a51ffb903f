"""The compiled paths of incident mode give the floats and pairs of the SciPy / Python fallbacks."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp

from dedup.incident import features
from dedup.incident.features import normalize_rows, row_dots, similar_codes, tfidf_matrix
from dedup.near import jit

pytestmark = pytest.mark.skipif(not jit.AVAILABLE, reason="numba not importable")


@pytest.fixture
def no_jit(monkeypatch: pytest.MonkeyPatch):
    def off() -> None:
        monkeypatch.setattr(jit, "AVAILABLE", False)
    return off


def _matrix(seed: int, n: int, terms: int, per_row: int, levels: int) -> sp.csr_matrix:
    """Row-normalised random TF-IDF-like rows; few distinct values (many tied cosines); some empty rows;
    a few very common columns (as stop-like words) and unsorted indices (as SciPy's products leave them)."""
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for i in range(n):
        m = 0 if i % 17 == 3 else int(rng.integers(1, per_row + 1))
        c = np.unique(np.concatenate((rng.integers(0, terms, m), rng.integers(0, 3, m // 3))))
        rows += [i] * len(c)
        cols += rng.permutation(c).tolist()
    vals = rng.integers(1, levels + 1, len(rows)) / levels
    x = sp.csr_matrix((vals, (rows, cols)), shape=(n, terms))
    x = normalize_rows(x @ sp.diags(rng.random(terms) + 0.1))
    assert x.nnz
    for i in range(n):  # each row's entries in a random order
        a, b = x.indptr[i], x.indptr[i + 1]
        perm = a + rng.permutation(b - a)
        x.indices[a:b], x.data[a:b] = x.indices[perm], x.data[perm]
    x.has_sorted_indices = False
    return x


@pytest.mark.parametrize("seed", range(8))
def test_compiled_knn_codes_equal_scipy_blocks(seed: int, no_jit) -> None:
    n = [7, 60, 400, 1300][seed % 4]
    x = _matrix(seed, n, terms=[5, 40, 300][seed % 3], per_row=[3, 12, 40][seed % 3], levels=[2, 5, 1000][seed % 3])
    xs = x.copy()
    xs.sort_indices()  # the kernel that sums each pair once
    cases = [(0.0, None), (0.2, None), (0.05, 3), (0.0, 10), (0.3, 100), (0.0, 1)]
    got = [similar_codes(m, floor=f, k=k) for m in (x, xs) for f, k in cases]
    no_jit()
    want = [similar_codes(m, floor=f, k=k, block=97) for m in (x, xs) for f, k in cases]
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)


@pytest.mark.parametrize(("terms", "per_row"), [(200, 60), (3000, 1500)])
def test_compiled_row_dots_equal_scipy(terms: int, per_row: int, no_jit) -> None:
    # long rows: more than 128 shared columns, where NumPy's pairwise sum splits
    x = _matrix(5, 300, terms=terms, per_row=per_row, levels=1000)
    x.sort_indices()
    rng = np.random.default_rng(1)
    codes = np.unique(rng.integers(0, 300 * 300, 8000))
    rows, cols = np.minimum(codes // 300, codes % 300), np.maximum(codes // 300, codes % 300)
    got = row_dots(x, rows, cols, block=777)
    no_jit()
    want = row_dots(x, rows, cols, block=777)
    assert np.array_equal(got, want)


def _bag_per_token(text: str) -> Counter[str]:
    """``term_counts`` as a plain loop over every token (the reference)."""
    words = (next(features.content_words(t), None) for t in features._WORD_RE.findall(text))
    counts: Counter[str] = Counter(w for w in words if w is not None)
    for e in features.entities(text):
        counts["E:" + e] += 1.0  # type: ignore[assignment]
    return counts


def _tfidf_per_entry(bags: list[Counter[str]], min_df: int, sublinear: bool) -> sp.csr_matrix:
    """``tfidf_matrix`` as a loop over every (document, term) entry (the reference)."""
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    vocab = {t: k for k, t in enumerate(sorted(t for t, c in df.items() if c >= min_df))}
    idf = np.array([np.log((len(bags) + 1) / df[t]) for t in vocab])
    rows, cols, vals = [], [], []
    for i, bag in enumerate(bags):
        for t, c in bag.items():
            j = vocab.get(t)
            if j is not None and idf[j] > 0:
                rows.append(i)
                cols.append(j)
                vals.append((1.0 + np.log(c)) if sublinear else float(c))
    x = sp.csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)), shape=(len(bags), len(vocab)))
    return normalize_rows(x @ sp.diags(idf))


def test_term_bags_and_tfidf_keep_their_order_and_floats() -> None:
    texts = ["The drones hit Belgorod on Tuesday. Two drones, 38 in all, said Sergei Sobyanin of Moscow.",
             "", "Moscow said two drones hit the Belgorod region; Sobyanin said 1,200 people left Moscow.",
             "Drones, drones and DRONES: 38 drones. Moscow's mayor Sergei Sobyanin said so, 2 times."] * 3
    bags = [features.term_counts(t) for t in texts]
    assert list(bags[0]) == ["drone", "hit", "belgorod", "#2", "#38", "sergei", "sobyanin", "moscow",
                             "E:belgorod", "E:sergei sobyanin", "E:moscow"]
    assert bags[0]["drone"] == 2 and bags[2]["moscow"] == 2 and bags[1] == Counter()
    for t, bag in zip(texts, bags, strict=True):
        ref = _bag_per_token(t)
        assert list(bag.items()) == list(ref.items())
    for min_df, sublinear in ((2, True), (1, False), (1, True)):
        x, vocab, _ = tfidf_matrix(bags, min_df=min_df, sublinear=sublinear)
        ref = _tfidf_per_entry(bags, min_df, sublinear)
        assert len(vocab) == ref.shape[1]
        for a in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(x, a), getattr(ref, a))


@pytest.mark.parametrize("seed", range(4))
def test_compiled_adaptive_threshold_equals_scipy(seed: int, no_jit, monkeypatch: pytest.MonkeyPatch) -> None:
    from dedup.incident import calibration as score

    monkeypatch.setattr(score, "SAMPLE_ROWS", 50)  # sampled rows beyond 50 articles
    x = _matrix(seed, [3, 40, 400, 900][seed], terms=300, per_row=40, levels=1000)
    got = score.adaptive_threshold(x, z=1.75, seed=seed)
    no_jit()
    assert score.adaptive_threshold(x, z=1.75, seed=seed) == got


@pytest.mark.parametrize("block", [1, 7, 1 << 22])
def test_adaptive_threshold_in_blocks_equals_all_values_at_once(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pooled row moments give the mean and deviation of every off-diagonal cosine at once."""
    from dedup.incident import calibration

    x = _matrix(2, 400, terms=300, per_row=40, levels=1000)
    s = (x @ x.T).toarray()
    vals = s[~np.eye(400, dtype=bool)]
    monkeypatch.setattr(calibration, "BLOCK_VALUES", block * 400)
    got = calibration.adaptive_threshold(x, z=1.75)
    assert got == pytest.approx(min(0.95, vals.mean() + 1.75 * vals.std()), rel=1e-12, abs=1e-12)
    from dedup.incident import blocks

    with blocks.mapping(blocks.Threads(2)):  # the blocks of rows on two threads: the same float
        assert calibration.adaptive_threshold(x, z=1.75) == got


def test_union_sorted_equals_sorting_together(no_jit) -> None:
    rng = np.random.default_rng(3)
    parts = [np.unique(rng.integers(0, 5000, 3000)), np.unique(rng.integers(0, 5000, 10)),
             np.sort(rng.integers(0, 5000, 4000)), np.zeros(0, dtype=np.int64)]
    want = np.unique(np.concatenate(parts))
    assert np.array_equal(features.union_sorted(*parts), want)
    assert np.array_equal(features.union_sorted(parts[2][::-1], parts[0]), want[np.isin(want, np.concatenate(
        (parts[0], parts[2])))])  # not sorted: sorted together
    no_jit()
    assert np.array_equal(features.union_sorted(*parts), want)
