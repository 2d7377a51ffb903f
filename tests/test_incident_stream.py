"""Incident mode on a streamed corpus (``--stream``): texts read from the file once, for their analysis."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPORA, run_dedup

from dedup.incident.analysis import analyse_corpus, analyse_texts
from dedup.io.textstore import open_store
from dedup.pipeline import cluster


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """360 gva-dev records and the 468 ECB+ ones (look-alike shootings; look-alike events), one JSONL file."""
    rows = []
    for name, limit in (("gva-dev.jsonl", 360), ("ecbplus-dev.jsonl", 468)):
        path = CORPORA / name
        if not path.exists():
            pytest.skip(f"development corpus {path} not available")
        with path.open(encoding="utf-8") as fh:
            rows += [json.loads(line) for _, line in zip(range(limit), fh, strict=False)]
    out = tmp_path_factory.mktemp("stream") / "corpus.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return out


def test_analyses_of_streamed_texts_equal_those_of_the_articles(corpus: Path) -> None:
    with open_store([str(corpus)]) as store:
        ordered = sorted(store.articles, key=lambda a: a.id)
        assert all(a.text == "" for a in ordered)  # the store keeps no text
        streamed = analyse_texts(ordered, store.texts, block=100)
        full = [a.__class__(**{**{k: getattr(a, k) for k in ("id", "title", "date", "fields", "source", "line")},
                               "text": t}) for a, t in zip(ordered, store.texts, strict=True)]
    for s, f in zip(streamed, analyse_corpus(full), strict=True):
        for name in ("terms", "counts", "lead_terms", "win_spans", "win_terms", "entities"):
            assert np.array_equal(getattr(s, name), getattr(f, name))
        assert s.fact_keys == f.fact_keys and s.profile == f.profile


def test_streamed_incident_clusters_equal_in_memory(corpus: Path) -> None:
    with open_store([str(corpus)]) as store:
        streamed = cluster(store.articles, mode="incident", texts=store.texts)
    in_memory = cluster([json.loads(x) for x in corpus.read_text(encoding="utf-8").splitlines()], mode="incident")
    assert [c.members for c in streamed.clusters] == [c.members for c in in_memory.clusters]
    assert [(p.a, p.b, p.score) for p in streamed.pairs] == [(p.a, p.b, p.score) for p in in_memory.pairs]
    assert len(in_memory.clusters) < len(in_memory.articles)  # something was grouped


def test_cli_stream_in_incident_mode_writes_the_same_output(corpus: Path, tmp_path: Path) -> None:
    outs = []
    for flag in ("--stream", "--no-stream"):
        out = tmp_path / f"out{flag}.jsonl"
        r = run_dedup("cluster", str(corpus), "--mode", "incident", flag, "-f", "jsonl", "-o", str(out), "--quiet",
                      timeout=300)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") == 360 + 468


def test_cli_stream_needs_the_local_engine(corpus: Path) -> None:
    r = run_dedup("cluster", str(corpus), "--mode", "incident", "--stream", "--engine", "dask")
    assert r.returncode == 2 and "--stream needs --engine local" in r.stderr and "Traceback" not in r.stderr
