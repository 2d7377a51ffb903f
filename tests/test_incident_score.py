"""Incident evidence and grouping on the sample corpus and on real excerpts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dedup.evaluate import adjusted_rand_index
from dedup.incident.facts import article_facts, shared_and_conflicting
from dedup.incident.features import content_words, entities, term_counts, tfidf_matrix
from dedup.incident.linkage import average_link
from dedup.incident.passages import match_passages
from dedup.incident.score import build_graph, incident_clusters, incident_pairs
from dedup.io.readers import read
from dedup.model import Article

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CORPORA = Path("/work/shared/corpora")
A3, A4 = "003_9d6c7fdfd1e655bd.txt", "004_1363d7abf5fa0263.txt"
A1, A2 = "001_bd9df7c1096ea33d.txt", "002_a801246726525e8d.txt"


@pytest.fixture(scope="module")
def samples() -> list[Article]:
    articles, _ = read(str(SAMPLES))
    return articles


def _group_of(groups: list[list[str]], x: str) -> list[str]:
    return next(g for g in groups if x in g)


def test_samples_grouping(samples: list[Article]) -> None:
    pairs = incident_pairs(samples)
    groups = incident_clusters(samples, pairs)
    assert A4 in _group_of(groups, A3)
    assert A2 not in _group_of(groups, A1)
    assert len(groups) > 1
    for p in pairs:
        assert set(p.evidence) >= {"document", "passages", "facts", "combined"}
        assert 0.0 <= p.score <= 1.0


def test_reports_far_apart_in_time_are_not_grouped(samples: list[Article]) -> None:
    from dataclasses import replace

    from dedup.incident.score import time_factor

    pair = [a for a in samples if a.id in (A3, A4)]
    same_day = [replace(pair[0], date="2023-11-01"), replace(pair[1], date="2023-11-01")]
    months_apart = [replace(pair[0], date="2023-11-01"), replace(pair[1], date="2024-01-15")]
    assert [(p.a, p.b) for p in incident_pairs(same_day + [a for a in samples if a.id not in (A3, A4)])] \
        == [(A3, A4)]
    assert incident_pairs(months_apart + [a for a in samples if a.id not in (A3, A4)]) == []
    assert time_factor(10, 10) == 1.0 and time_factor(None, 40) == 1.0
    assert time_factor(0, 1) > time_factor(0, 5) > time_factor(0, 30)


def test_grouping_ignores_input_order(samples: list[Article]) -> None:
    forward = incident_pairs(samples)
    backward = incident_pairs(list(reversed(samples)))
    assert [(p.a, p.b, round(p.score, 9)) for p in forward] == [(p.a, p.b, round(p.score, 9)) for p in backward]


def test_shared_report_passage_is_found(samples: list[Article]) -> None:
    texts = {a.id: a.text for a in samples}
    ids = sorted(texts)
    idf = {w: 1.0 for t in texts.values() for w in content_words(t)}
    matches = match_passages([texts[i] for i in ids], idf)
    found = matches.get((ids.index(A3), ids.index(A4)), [])
    assert found, "the October 31 report passage of 003 and 004 is not matched"
    best = found[0]
    for figure in ("38", "34", "Belgorod", "Voronezh", "Crimea"):
        assert figure in best.a.text and figure in best.b.text
    assert texts[A3][best.a.start:best.a.end] == best.a.text


def test_shared_facts_of_the_report(samples: list[Article]) -> None:
    by_id = {a.id: a for a in samples}
    fa = article_facts(by_id[A3].text, date=by_id[A3].date)
    fb = article_facts(by_id[A4].text, date=by_id[A4].date)
    shared, _ = shared_and_conflicting(fa, fb)
    for key in ("n:38:drone", "n:34:@belgorod", "n:2:@voronezh", "n:2:@crimea"):
        assert key in shared
    assert any(k.startswith("d:") and k.endswith("10-31") for k in shared)


def test_conflicting_counts_are_reported() -> None:
    fa = article_facts("Officials said 34 drones were shot down over Belgorod on Monday.")
    fb = article_facts("Officials said 45 drones were shot down over Belgorod on Monday.")
    _, conflicts = shared_and_conflicting(fa, fb)
    assert ("n:34:@belgorod", "n:45:@belgorod") in conflicts


def test_content_words_normalise_numbers_and_plurals() -> None:
    assert list(content_words("Two drones on October 31st; 1,200 people")) == ["#2", "drone", "october", "#31",
                                                                             "#1200"]
    assert "sergei sobyanin" in set(entities("The mayor, Sergei Sobyanin, said so."))


def test_idf_weighs_common_terms_least() -> None:
    bags = [term_counts(t) for t in ("Moscow drones Belgorod", "Moscow drones Kursk", "Moscow rally Kursk")]
    _, vocab, idf = tfidf_matrix(bags)
    assert 0.0 < idf[vocab["moscow"]] < idf[vocab["kursk"]]
    assert "belgorod" not in vocab  # seen once: cannot be shared


def test_identical_articles_are_paired() -> None:
    for n in (2, 4):
        arts = [Article(str(k), "Two drones were shot down over Belgorod on Monday, officials said.") for k in range(n)]
        groups = incident_clusters(arts, incident_pairs(arts))
        assert groups == [[str(k) for k in range(n)]]


def test_tiny_and_empty_inputs() -> None:
    assert incident_pairs([]) == []
    assert incident_pairs([Article("a", "Only one article.")]) == []
    assert incident_pairs([Article("a", ""), Article("b", "")]) == []


def test_average_link_does_not_chain_through_one_bridge() -> None:
    sims = {(0, 1): 0.9, (2, 3): 0.9, (1, 2): 0.6}
    labels = average_link(4, sims, threshold=0.5)
    assert labels == [0, 0, 2, 2]
    # a group whose members all agree does merge
    sims.update({(0, 2): 0.6, (0, 3): 0.6, (1, 3): 0.6})
    assert average_link(4, sims, threshold=0.5) == [0, 0, 0, 0]


def test_average_link_coverage_blocks_merges_carried_by_few_pairs() -> None:
    # two pairs {0,1} and {2,3}; one very strong cross pair lifts the mean over the threshold
    sims = {(0, 1): 0.9, (2, 3): 0.9, (1, 2): 0.85, (0, 2): 0.3, (0, 3): 0.3, (1, 3): 0.4}
    assert average_link(4, sims, threshold=0.45) == [0, 0, 0, 0]
    # 1 of the 4 cross pairs reaches 0.45: below a coverage of 0.3 it still merges, above 0.3 not
    assert average_link(4, sims, threshold=0.45, min_coverage=0.25) == [0, 0, 0, 0]
    assert average_link(4, sims, threshold=0.45, min_coverage=0.3) == [0, 0, 2, 2]


def test_average_link_relative_closeness_keeps_two_tight_groups_apart() -> None:
    # two tight pairs (0.8 inside) whose four cross pairs all sit at 0.15: above the threshold, so
    # plain average link (even with full coverage) merges them; 0.15 < 0.25 * 0.8 keeps them apart
    sims = {(0, 1): 0.8, (2, 3): 0.8, (0, 2): 0.15, (0, 3): 0.15, (1, 2): 0.15, (1, 3): 0.15}
    assert average_link(4, sims, threshold=0.12, min_coverage=1.0) == [0, 0, 0, 0]
    assert average_link(4, sims, threshold=0.12, min_relative=0.25) == [0, 0, 2, 2]
    # the same holds for one article and a tight pair; two single articles are never blocked
    assert average_link(3, {(0, 1): 0.8, (0, 2): 0.15, (1, 2): 0.15}, threshold=0.12,
                        min_relative=0.25) == [0, 0, 2]
    assert average_link(2, {(0, 1): 0.15}, threshold=0.12, min_relative=0.25) == [0, 0]
    # order of the edges does not matter
    assert average_link(4, dict(reversed(list(sims.items()))), threshold=0.12, min_relative=0.25) == [0, 0, 2, 2]


def _excerpt(name: str, label: str, events: int) -> tuple[list[Article], dict[str, str]]:
    rows = [json.loads(line) for line in (CORPORA / name).read_text(encoding="utf-8").splitlines()]
    keep = sorted({r[label] for r in rows}, key=lambda e: -sum(r[label] == e for r in rows))[:events]
    rows = [r for r in rows if r[label] in keep]
    return ([Article(r["id"], r["text"], title=r.get("title")) for r in rows], {r["id"]: r[label] for r in rows})


@pytest.mark.skipif(not CORPORA.exists(), reason="development corpora not available")
def test_real_excerpt_groups_events() -> None:
    articles, labels = _excerpt("galaxy-wikinews-medium.jsonl", "event", 6)
    groups = incident_clusters(articles, incident_pairs(articles))
    pred = {x: k for k, g in enumerate(groups) for x in g}
    ids = sorted(labels)
    assert adjusted_rand_index([labels[i] for i in ids], [pred[i] for i in ids]) > 0.6


@pytest.mark.slow
@pytest.mark.skipif(not CORPORA.exists(), reason="development corpora not available")
def test_union_find_over_pairs_equals_average_link() -> None:
    articles, _ = _excerpt("galaxy-wikinews-medium.jsonl", "event", 20)
    graph = build_graph(articles)
    from dedup.incident.score import group, safe_pairs

    lab = group(graph)
    groups = incident_clusters(articles, safe_pairs(graph, lab, threshold=graph.threshold))
    expected: dict[int, list[str]] = {}
    for k, a in enumerate(graph.articles):
        expected.setdefault(lab[k], []).append(a.id)
    assert sorted(groups) == sorted(sorted(g) for g in expected.values())


@pytest.mark.slow
@pytest.mark.skipif(not CORPORA.exists(), reason="development corpora not available")
def test_same_pairs_for_any_order_and_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    from dedup.incident import analysis

    monkeypatch.setattr(analysis, "PARALLEL_MIN", 100)  # force the process pool on this excerpt
    articles, _ = _excerpt("galaxy-wikinews-medium.jsonl", "event", 1000)
    one = incident_pairs(articles, workers=1)
    shuffled = articles[1::2] + articles[0::2]
    two = incident_pairs(list(reversed(shuffled)), workers=2)
    assert [(p.a, p.b, round(p.score, 9)) for p in one] == [(p.a, p.b, round(p.score, 9)) for p in two]
