"""Conflict evidence: look-alike incidents (the same report on other nights) stay apart."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from dedup.evaluate import adjusted_rand_index
from dedup.incident.facts import article_facts, conflict_notes, conflict_profile, pair_conflicts
from dedup.incident.score import build_graph, group, incident_clusters, incident_pairs
from dedup.synthetic import drone_nights

ROOT = Path(__file__).resolve().parents[1]
A1, A2 = "001_bd9df7c1096ea33d.txt", "002_a801246726525e8d.txt"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ten_nights_by_three_outlets_give_ten_clusters_of_three(seed: int) -> None:
    arts = drone_nights(10, 3, seed=seed)
    groups = incident_clusters(arts, incident_pairs(arts))
    assert sorted(len(g) for g in groups) == [3] * 10
    night = {a.id: a.fields["event"] for a in arts}
    assert all(len({night[x] for x in g}) == 1 for g in groups)


def test_without_conflict_evidence_the_nights_merge() -> None:
    arts = drone_nights(10, 3)
    g = build_graph(arts, figure_conflict_weight=0.0, date_conflict_weight=0.0)
    labels = group(g)
    truth = [a.fields["event"] for a in g.articles]
    nights_of: dict[int, set[str]] = {}
    for lab, night in zip(labels, truth, strict=True):
        nights_of.setdefault(lab, set()).add(night)
    assert any(len(n) > 1 for n in nights_of.values())  # two nights in one cluster
    assert adjusted_rand_index(truth, labels) < adjusted_rand_index(truth, group(build_graph(arts)))


def test_two_nights_of_one_outlet_conflict_on_figures_one_night_of_two_outlets_does_not() -> None:
    arts = {a.id: a for a in drone_nights(2, 3)}
    prof = {k: conflict_profile(article_facts(a.text, date=a.date)) for k, a in arts.items()}
    fig = pair_conflicts(prof["night-00-wire"], prof["night-01-wire"])[0]
    assert fig > 0.5
    assert pair_conflicts(prof["night-00-wire"], prof["night-00-analysis"])[:2] == (0.0, False)


def test_figure_and_date_conflicts_on_real_sentences() -> None:
    a = article_facts("Russian air defences destroyed 38 drones, 34 over Belgorod, on October 31.")
    b = article_facts("Russian air defences destroyed 130 drones, 45 over Belgorod, on November 5.")
    c = article_facts("The ministry said 38 drones were downed, 34 of them over Belgorod, on October 30.")
    fig, date, _ = pair_conflicts(conflict_profile(a), conflict_profile(b))
    assert fig == 1.0 and date
    # one day apart is the same night ("the night of October 30 to 31"); the same counts agree
    assert pair_conflicts(conflict_profile(a), conflict_profile(c)) == (0.0, False, False)
    notes = conflict_notes(a, b)
    assert any(n.startswith("dates:") and "10-31" in n and "11-05" in n for n in notes)
    assert any("n:38:drone" in n and "n:130:drone" in n for n in notes)


def test_an_ordinal_is_not_a_count_in_conflict() -> None:
    a = conflict_profile(article_facts("Air defences shot down a fourth drone approaching Moscow."))
    b = conflict_profile(article_facts("Air defences shot down 98 drones overnight."))
    assert pair_conflicts(a, b)[0] == 0.0


def test_explain_names_the_conflicting_places_of_001_and_002() -> None:
    r = subprocess.run([sys.executable, "-m", "dedup", "explain", str(ROOT / "samples"), A1, A2, "-f", "json"],
                       check=False, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    e = json.loads(r.stdout)
    assert not e["grouped"]
    places = [n for n in e["conflicts"] if n.startswith("places:")]
    assert places and "Bryansk" in places[0] and "Kaluga" in places[0]


def test_nights_stream_is_deterministic_and_labelled() -> None:
    a, b = drone_nights(4, 3, seed=7), drone_nights(4, 3, seed=7)
    assert [x.text for x in a] == [x.text for x in b]
    assert Counter(x.fields["event"] for x in a) == {f"night-{k:02d}": 3 for k in range(4)}
    with pytest.raises(ValueError):
        drone_nights(2, 4)


def test_actor_conflict_needs_both_leads_actors_unknown_to_the_other() -> None:
    import numpy as np

    from dedup.incident.actors import actor_conflicts, actor_profiles

    docs = [
        ("Saints place Pierre Thomas on injured reserve",
         "The New Orleans Saints placed running back Pierre Thomas on injured reserve on Wednesday."),
        ("Saints lose Pierre Thomas for the season",
         "Running back Pierre Thomas will miss the rest of the season, the Saints said on Wednesday."),
        ("Saints RB Reggie Bush's season over",
         "Running back Reggie Bush will miss the rest of the season, the team said on Wednesday."),
        ("Bush out for the season", "The Saints said Reggie Bush had knee surgery and will miss the season."),
    ]
    prof = actor_profiles(docs)
    rows, cols = np.array([0, 0]), np.array([1, 2])
    same, other = actor_conflicts(prof, rows, cols).tolist()
    assert same == 0.0 and other > 0.5



def test_explain_of_two_nights_names_their_conflicting_counts() -> None:
    from dedup.incident.explain import explain

    arts = drone_nights(3, 3)
    e = explain(arts, "night-00-wire", "night-01-wire")
    assert not e.grouped and "lowered by conflicting figures" in e.reason
    assert any(n.startswith("figures: n:") and "@belgorod" in n for n in e.conflicts)
    assert e.scores["figure_conflict"] > 0.5


@pytest.mark.parametrize("name", ["gva-dev.jsonl", "ecbplus-dev.jsonl"])
def test_compiled_edge_conflicts_equal_pair_conflicts(name: str) -> None:
    # every pair among 250 real articles of look-alike incidents: the kernel's floats are pair_conflicts'
    import numpy as np
    from conftest import CORPORA

    from dedup.incident.analysis import analyse
    from dedup.incident.conflicts import edge_conflicts, edge_conflicts_python
    from dedup.io.readers import read
    from dedup.near import jit

    if not jit.AVAILABLE:
        pytest.skip("numba not importable")
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"development corpus {path} not available")
    articles, _ = read(str(path))
    profiles = [analyse(a).profile for a in articles[:250]]
    rows, cols = np.triu_indices(len(profiles), 1)
    got = edge_conflicts(profiles, rows, cols)
    want = edge_conflicts_python(profiles, rows, cols)
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g, w)
    assert all(np.count_nonzero(w) > 100 for w in want[:2])  # figure and date conflicts both took part
    i, j = int(rows[np.argmax(want[0])]), int(cols[np.argmax(want[0])])
    assert pair_conflicts(profiles[i], profiles[j])[0] == got[0].max()
