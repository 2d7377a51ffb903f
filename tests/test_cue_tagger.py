"""The attribution-cue tagger (``dedup/diff/cues.py``, weights ``dedup/data/cue_tagger.json``): cues in
real PolNeAR sentences, deterministic, shipped as package data, rebuilt by ``scripts/learn_cue_tagger.py``."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import pytest

from dedup.diff.cues import CueTagger, default_tagger, runs, tokens
from dedup.diff.framing import find_marks, load_lexicon
from dedup.diff.model import Sentence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import framing_data
import learn_cue_tagger

# sentences of the held-out article (tests/data/polnear_attribution_heldout.json, never trained on) with
# their annotated cues, each of which the tagger marks (a mark sharing a word with the cue)
HELD_OUT = "polnear_attribution_heldout.json"


def _tagger() -> CueTagger:
    tagger = default_tagger()
    assert tagger is not None
    return tagger


def test_weights_are_package_data() -> None:
    data = resources.files("dedup").joinpath("data/cue_tagger.json")
    assert data.is_file()
    body = json.loads(data.read_text(encoding="utf-8"))
    assert body["meta"]["learner"] == "scripts/learn_cue_tagger.py"
    # 307 training articles: 44,292 weights, 1.06 MB (153 articles: 26,318 weights, 620 KB; before the
    # quotation-state and "said" features 25,967, 611 KB; 97 articles: 17,613, 409 KB)
    assert 1000 < len(body["weights"]) and len(data.read_bytes()) < 1_300_000
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["dedup", "tui"]' in pyproject  # the wheel takes every file under dedup/, data/ too


def test_finds_most_cues_of_the_held_out_article() -> None:
    tagger, lex = _tagger(), load_lexicon(use_env=False)
    found = total = 0
    for text, cues in framing_data.json_docs(HELD_OUT)[0]:
        marks = [set(framing_data.toks(m.term)) for m in find_marks(Sentence(0, text, 0, len(text)), "a", lex)
                 if m.category == "attribution"]
        for a, b in cues:
            total += 1
            found += any(set(framing_data.toks(text[a:b])) & m for m in marks)
    assert total == 29 and found >= 22
    assert tagger.cues("") == []


@pytest.mark.parametrize(("start", "cue"), [("But unlike in Cuba", "also known as"),
                                          ("For her part, Suu Kyi", "sharp criticism for")])
def test_finds_cues_in_context_that_no_list_has(start: str, cue: str) -> None:
    text, cues = next((t, c) for t, c in framing_data.json_docs(HELD_OUT)[0] if t.startswith(start))
    assert cue in [text[a:b] for a, b in cues]
    lex = load_lexicon(use_env=False, tagger=False)
    matches = learn_cue_tagger.list_matches(lex, text)
    gold = set(framing_data.toks(cue))
    assert not any(gold & set(framing_data.toks(text[a:b])) for a, b in matches)
    assert any(gold & set(framing_data.toks(text[a:b])) for a, b in _tagger().cues(text, matches))


def test_scores_are_deterministic_and_survive_a_round_trip() -> None:
    tagger = _tagger()
    text = next(t for t, c in framing_data.json_docs(HELD_OUT)[0] if c)
    again = CueTagger.from_json(tagger.to_json({}))
    assert tagger.cues(text) == tagger.cues(text) == again.cues(text)
    assert again.weights == tagger.weights and again.never == tagger.never


def test_runs_join_consecutive_tokens() -> None:
    text = "He has said so."
    spans = tokens(text)
    assert runs(spans, [False, True, True, False, False]) == [(3, 11)]
    assert runs(spans, [True, False, False, True, False]) == [(0, 2), (12, 14)]


def test_learner_is_deterministic_and_the_file_names_its_data(tmp_path: Path) -> None:
    body = json.loads((ROOT / "dedup" / "data" / "cue_tagger.json").read_text(encoding="utf-8"))
    docs = learn_cue_tagger.training_docs()
    assert body["meta"]["articles"] == len(docs) == 307
    assert body["meta"]["cues"] == sum(len(c) for d in docs for _, c in d)
    lex = load_lexicon(use_env=False, tagger=False)
    small = docs[::20]
    a = learn_cue_tagger.build(small, lex, **learn_cue_tagger.DEFAULTS)  # type: ignore[arg-type]
    b = learn_cue_tagger.build(small, lex, **learn_cue_tagger.DEFAULTS)  # type: ignore[arg-type]
    assert a.to_json({}) == b.to_json({}) and a.weights


@pytest.mark.slow
def test_learner_rebuilds_the_committed_weights(tmp_path: Path) -> None:
    out = tmp_path / "cue_tagger.json"
    assert learn_cue_tagger.main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (ROOT / "dedup" / "data" / "cue_tagger.json").read_text(encoding="utf-8")
