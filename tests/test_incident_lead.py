"""The lead evidence: each article's title or first sentence, compared as TF-IDF vectors."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CORPORA

import dedup
from dedup.incident import lead as lead_mod
from dedup.incident.lead import LEAD_FLOOR, lead_matrix, lead_part, lead_text
from dedup.incident.score import build_graph, combine, conflict_factor
from dedup.io.readers import read

A3, A4 = "003_9d6c7fdfd1e655bd.txt", "004_1363d7abf5fa0263.txt"


def test_lead_is_the_title_or_the_first_sentence(galaxy_records, samples_dir):
    arts = dedup.cluster(galaxy_records, mode="near-duplicate").articles
    titled = [a for a in arts if a.title]
    # the title's first sentence (one title here holds two: "... Ceasefire. Time to cease firing ends ...")
    assert titled and all(a.title.strip().startswith(lead_text(f"{a.title}\n{a.text}")) for a in titled)
    assert sum(lead_text(f"{a.title}\n{a.text}") == a.title.strip() for a in titled) >= len(titled) - 1
    seeds, _ = read(str(samples_dir))
    by_id = {a.id: a for a in seeds}
    assert lead_text(by_id[A3].text).startswith("Overnight on November 1, Russian air defense forces claimed")
    assert lead_text("One headline about 38 drones over Belgorod") is None  # headline only: no separate lead


def test_a_long_first_sentence_is_split_from_the_whole_text():
    first = "The ministry said " + " and ".join(f"drone {i} fell near town {i}" for i in range(60)) + "."
    text = first + " A second sentence follows. And a third."
    assert len(first) > lead_mod.LEAD_PREFIX and lead_text(text) == first


def test_lead_part_counts_from_the_floor():
    vals = np.array([0.0, LEAD_FLOOR, (1 + LEAD_FLOOR) / 2, 1.0])
    assert lead_part(vals).tolist() == pytest.approx([0.0, 0.0, 0.5, 1.0])
    assert combine(0.3, 0.0, 0.0, LEAD_FLOOR) == pytest.approx(0.3)  # a weak lead match adds nothing
    assert combine(0.3, 0.0, 0.0, 1.0) > combine(0.3, 0.0, 0.0, 0.6) > 0.3


def test_graph_lead_scores_are_lead_cosines_and_raise_combined(galaxy_records):
    arts = dedup.cluster(galaxy_records, mode="near-duplicate").articles
    g = build_graph(arts)
    lead, d, p, f = (g.scores[k] for k in ("lead", "document", "passages", "facts"))
    assert lead.shape == d.shape and (lead >= 0).all() and (lead <= 1 + 1e-12).all()
    kept = g.scores["time"] * conflict_factor(*(g.scores[k] for k in ("figure_conflict", "date_conflict", "place_conflict")))
    assert np.allclose(g.scores["combined"], kept * combine(d, p, f, lead))
    # the strongest lead pair: two reports of one event whose titles share their key words
    e = int(np.argmax(lead))
    i, j = int(g.rows[e]), int(g.cols[e])
    events = {r["id"]: r["event"] for r in galaxy_records}
    assert lead[e] > LEAD_FLOOR and events[g.articles[i].id] == events[g.articles[j].id]
    assert g.scores["combined"][e] > kept[e] * combine(d[e], p[e], f[e])


def test_lead_weight_zero_leaves_the_other_evidence(galaxy_records):
    arts = dedup.cluster(galaxy_records, mode="near-duplicate").articles
    g = build_graph(arts, lead_weight=0.0)
    d, p, f = (g.scores[k] for k in ("document", "passages", "facts"))
    kept = g.scores["time"] * conflict_factor(*(g.scores[k] for k in ("figure_conflict", "date_conflict", "place_conflict")))
    assert np.allclose(g.scores["combined"], kept * (1 - (1 - d) * (1 - 0.5 * p) * (1 - 0.5 * f)))
    assert (build_graph(arts).scores["combined"] >= g.scores["combined"] - 1e-12).all()


def test_headlines_have_no_lead_rows():
    path = CORPORA / "uci-news-headlines.csv"
    if not path.exists():
        pytest.skip("UCI headlines not available")
    arts, _ = read(str(path), text_field="TITLE", skip_bad=True)
    texts = [a.text for a in arts[:300]]
    m = lead_matrix(texts, {"drone": 0}, np.ones(1))
    assert m.nnz == 0
