"""Group-level actor conflicts (``dedup.incident.cores``) on real look-alike events (ECB+ topics)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import CORPORA, run_dedup

from dedup.evaluate import evaluate
from dedup.incident.analysis import analyse
from dedup.incident.cores import entity_cores, group_conflict
from dedup.incident.score import build_graph, group
from dedup.io.readers import read


@pytest.fixture(scope="module")
def ecbplus():  # type: ignore[no-untyped-def]
    path = CORPORA / "ecbplus-dev.jsonl"
    if not path.exists():
        pytest.skip(f"development corpus {path} not available")
    articles, _ = read(str(path))
    return sorted(articles, key=lambda a: a.id)


def _members(articles, event: str, k: int, skip: int = 0) -> list[int]:  # type: ignore[no-untyped-def]
    return [x for x, a in enumerate(articles) if a.fields["event"] == event][skip:skip + k]


@pytest.mark.parametrize("topic", ["29", "37"])  # Colts-Jaguars vs Colts-Chiefs; two 6.1 quakes in
def test_two_events_of_one_topic_conflict_and_one_event_does_not(ecbplus, topic: str) -> None:  # Indonesia
    cores = entity_cores([analyse(a).entities for a in ecbplus])
    old, new = _members(ecbplus, f"{topic}_ecb", 5), _members(ecbplus, f"{topic}_ecbplus", 5)
    assert len(old) == len(new) == 5
    assert group_conflict(cores, old, new)
    for event in (f"{topic}_ecb", f"{topic}_ecbplus"):  # two groups of one event's reports
        assert not group_conflict(cores, _members(ecbplus, event, 3), _members(ecbplus, event, 3, skip=3))
    assert not group_conflict(cores, old[:2], new[:2])  # two articles never speak for an event


def test_group_conflicts_part_look_alike_events_on_ecbplus(ecbplus) -> None:  # type: ignore[no-untyped-def]
    labels = {a.id: a.fields["event"] for a in ecbplus}
    graph = build_graph(ecbplus, threshold=None)
    with_cores = group(graph)
    graph.cores = None
    without = group(graph)

    def mixed(lab: list[int]) -> int:  # clusters holding two events of one topic, each with >= 3 articles
        per = Counter((lab[x], a.fields["event"]) for x, a in enumerate(ecbplus))
        events = Counter(c for (c, _), k in per.items() if k >= 3)
        return sum(1 for k in events.values() if k > 1)

    def ari(lab: list[int]) -> float:
        return evaluate({a.id: lab[x] for x, a in enumerate(ecbplus)}, labels)["ari"]

    assert mixed(with_cores) < mixed(without)
    assert ari(with_cores) > ari(without)
    assert ari(with_cores) >= 0.82  # issue 14's target for ecbplus-dev at defaults


def test_explain_names_the_actors_of_two_refused_clusters(ecbplus) -> None:  # type: ignore[no-untyped-def]
    ids = [next(a.id for a in ecbplus if a.fields["event"] == e) for e in ("29_ecb", "29_ecbplus")]
    proc = run_dedup("explain", str(CORPORA / "ecbplus-dev.jsonl"), *ids, "-f", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert not out["grouped"] and "group conflict" in out["reason"]
    note = next(c for c in out["conflicts"] if c.startswith("actors:"))
    assert "Jaguars" in note and "Chiefs" in note
