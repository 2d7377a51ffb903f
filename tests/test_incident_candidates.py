"""Bounded candidate search (dedup.incident.candidates): the exact k-NN graph when nothing is cut,
the same codes with and without the compiled kernel, bounded per article, and the same graph for any
input order."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from dedup.incident import score
from dedup.incident.candidates import cap_per_article, day_array, rare_neighbours, rarest_terms
from dedup.incident.features import document_frequencies, similar_codes, term_counts, tfidf_matrix
from dedup.model import Article
from dedup.near import jit
from dedup.synthetic import drone_nights

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _articles() -> list[Article]:
    arts = drone_nights(6, 3)
    for p in sorted(SAMPLES.glob("*.txt")):
        arts.append(Article(id=f"sample/{p.stem}", text=p.read_text(encoding="utf-8")))
    return arts


def _matrix(arts: list[Article]):
    bags = [term_counts(a.text) for a in arts]
    x, _, _ = tfidf_matrix(bags, df=document_frequencies(bags))
    return x


def test_unbounded_equals_knn_graph() -> None:
    x = _matrix(_articles())
    for k in (3, 10):
        got = rare_neighbours(x, floor=0.05, k=k, budget=10**9, max_df=10**9)
        assert np.array_equal(got, similar_codes(x, floor=0.05, k=k))


@pytest.mark.skipif(not jit.AVAILABLE, reason="numba not importable")
def test_kernel_equals_scipy_path(monkeypatch: pytest.MonkeyPatch) -> None:
    arts = _articles()
    x = _matrix(arts)
    day = day_array([score._day(a.date) for a in arts])
    runs = []
    for force in (True, False):
        monkeypatch.setattr(jit, "_FORCE", force)
        runs.append([rare_neighbours(x, floor=0.0, k=k, day=day, date_scale=30.0, budget=b, max_df=m)
                     for k, b, m in ((2, 40, 10), (5, 10**9, 10**9), (4, 30, 10**9))])
    for a, b in zip(*runs, strict=True):
        assert np.array_equal(a, b)


def test_budget_bounds_postings_and_candidates() -> None:
    x = _matrix(_articles())
    df = np.diff(x.tocsc().indptr)
    sel = rarest_terms(x, df, budget=25, max_df=10**9)
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    walked = np.bincount(rows[sel], weights=df[x.indices[sel]], minlength=x.shape[0])
    assert walked.max() <= 25
    n = x.shape[0]
    codes = rare_neighbours(x, floor=0.0, k=2, budget=25)
    degree = np.bincount(np.concatenate((codes // n, codes % n)), minlength=n)
    # each pair is some end's candidate: at most 2 n pairs in all
    assert codes.size <= 2 * n and degree.sum() == 2 * codes.size


def test_cap_per_article_keeps_each_end_best() -> None:
    rng = np.random.default_rng(3)
    n = 40
    codes = np.unique(rng.integers(0, n * n, 500))
    codes = codes[codes // n < codes % n]
    sc = rng.random(codes.size).round(2)
    keep = cap_per_article(codes, sc, n, 3)
    for i in range(n):
        mine = np.flatnonzero((codes // n == i) | (codes % n == i))
        other = np.where(codes[mine] // n == i, codes[mine] % n, codes[mine] // n)
        best = mine[np.lexsort((other, -sc[mine]))[:3]]
        assert keep[best].all()
    assert keep.sum() <= 3 * n


def test_bounded_graph_same_for_any_input_order() -> None:
    arts = _articles()
    g1 = score.build_graph(arts)
    shuffled = arts[:]
    random.Random(5).shuffle(shuffled)
    g2 = score.build_graph(shuffled)
    assert np.array_equal(g1.rows, g2.rows) and np.array_equal(g1.cols, g2.cols)
    assert np.array_equal(g1.scores["combined"], g2.scores["combined"])
    assert score.group(g1) == score.group(g2)


def test_bounded_nights_cluster_like_all_pairs() -> None:
    arts = drone_nights(10, 3)
    a = score.group(score.build_graph(arts, bounded=True))
    b = score.group(score.build_graph(arts, bounded=False))
    assert a == b
    assert len(set(a)) == 10
