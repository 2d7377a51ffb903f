"""dedup.cluster() and build_clusters(): near copies of real articles found, rules, determinism."""

from __future__ import annotations

import hashlib
import random

import pytest
from _nearcopies import edit

import dedup
from dedup.errors import UsageError
from dedup.grouping import build_clusters
from dedup.io.writers import render
from dedup.model import Article, Pair
from dedup.near.shingles import shingle_hashes
from dedup.near.verify import jaccard


@pytest.fixture(scope="module")
def corpus(wikiref_records):
    """30 real articles plus 8 lightly edited copies (ids copy-K-of-ID)."""
    rng = random.Random(5)
    arts = [{"id": r["id"], "text": r["text"]} for r in wikiref_records]
    copies = []
    for k in range(8):
        src = arts[rng.randrange(len(arts))]
        copies.append({"id": f"copy-{k}-of-{src['id']}", "text": edit(src["text"], rng, drop=0.03, swap=0.01)})
    return arts + copies


def test_near_duplicate_finds_edited_copies_with_exact_scores(corpus):
    res = dedup.cluster(corpus, mode="near-duplicate", threshold=0.5)
    where = res.cluster_of()
    for a in corpus:
        if a["id"].startswith("copy-"):
            src = a["id"].split("-of-", 1)[1]
            assert where[a["id"]] is where[src], a["id"]
    texts = {a["id"]: a["text"] for a in corpus}
    for p in res.pairs:  # verified: exact Jaccard, never below the threshold
        assert p.a < p.b and p.score >= 0.5
        assert p.score == pytest.approx(jaccard(shingle_hashes(texts[p.a]), shingle_hashes(texts[p.b])))
    # nothing lost: every article in exactly one cluster
    members = [m for c in res.clusters for m in c.members]
    assert sorted(members) == sorted(texts)
    assert set(res.timings) >= {"near_duplicate", "cluster", "total"}
    assert res.options["mode"] == "near-duplicate" and res.options["threshold"] == 0.5


def test_shuffled_input_and_workers_give_identical_output(corpus):
    base = dedup.cluster(corpus, mode="near-duplicate")
    shuffled = list(corpus)
    random.Random(1).shuffle(shuffled)
    other = dedup.cluster(shuffled, mode="near-duplicate", workers=2)
    for fmt in ("jsonl", "csv", "json", "table"):
        assert render(base, fmt=fmt) == render(other, fmt=fmt), fmt
    assert render(base, fmt="jsonl", pairs=True) == render(other, fmt="jsonl", pairs=True)


def test_samples_every_article_listed_in_both_modes_any_order(samples_dir):
    arts, _ = dedup.read(samples_dir)
    for mode in ("near-duplicate", "incident"):
        res = dedup.cluster(arts, mode=mode)
        assert sorted(m for c in res.clusters for m in c.members) == sorted(a.id for a in arts)
        again = dedup.cluster(list(reversed(arts)), mode=mode)
        assert render(again, fmt="json") == render(res, fmt="json")


def test_strings_dicts_and_articles_are_accepted(samples_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(samples_dir.glob("*.txt"))]
    res = dedup.cluster(texts + [texts[0]], mode="near-duplicate")
    assert res.clusters[0].members == ["0", "5"] and res.clusters[0].pairs[0].score == 1.0
    res2 = dedup.cluster([{"doc_id": "x", "body": texts[1]}, Article("y", texts[1])], mode="near-duplicate")
    assert res2.clusters[0].members == ["x", "y"]
    with pytest.raises(UsageError):
        dedup.cluster(texts, mode="nope")
    with pytest.raises(UsageError):
        dedup.cluster(texts, mode="near-duplicate", threshold=1.5)


def test_char_shingles_and_explicit_bands(corpus):
    res = dedup.cluster(corpus, mode="near-duplicate", shingle="char", ngram=7, bands=32, rows=4)
    assert res.options["bands"] == 32 and res.options["rows"] == 4
    assert any(c.size > 1 for c in res.clusters)


def test_build_clusters_rules():
    arts = [Article("b", "t", date="2024-03-02"), Article("a", "t"), Article("c", "t", date="2024-03-01"),
            Article("d", "t", date="2024-03-01"), Article("e", "t"), Article("f", "t")]
    pairs = [Pair("a", "b", 0.9), Pair("b", "c", 0.7), Pair("c", "d", 0.6), Pair("e", "f", 0.8)]
    clusters = build_clusters(arts, pairs)
    assert [c.size for c in clusters] == [4, 2]
    big, small = clusters
    assert big.representative == "c"  # earliest date, then smallest id
    assert small.representative == "e"  # undated: smallest id
    assert big.id == "c-" + hashlib.sha1(b"c").hexdigest()[:10]
    assert [(p.a, p.b) for p in big.pairs] == [("a", "b"), ("b", "c"), ("c", "d")]
    assert build_clusters(list(reversed(arts)), list(reversed(pairs))) == clusters
    singles = build_clusters(arts, [])
    assert [c.size for c in singles] == [1] * 6
    assert [c.id for c in singles] == sorted(c.id for c in singles)
    with pytest.raises(ValueError, match="unknown"):
        build_clusters(arts, [Pair("a", "zz", 1.0)])
