"""The learned framing lists (``dedup/data/framing_learned.toml``): scored on the splits never used to
learn or choose them, disjoint from the training splits, reproducible from the committed data."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from dedup.diff.compare import compare
from dedup.diff.framing import Lexicon, _trie, find_marks, load_lexicon
from dedup.diff.model import Sentence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import eval_framing
import framing_data

SAMPLES = ROOT / "samples"

# Floors a little under what scripts/eval_framing.py measures on the committed data (docs/framing.md):
# attribution cue F1 (PolNeAR) and loaded-word token F1 (BABE), this tree's lists.
FLOORS = {("attribution", "PolNeAR held-out"): 0.75, ("attribution", "PolNeAR test"): 0.59,
          ("loaded", "BABE held-out"): 0.24, ("loaded", "BABE test"): 0.33}


@pytest.fixture(scope="module")
def sets() -> dict[tuple[str, str], list[tuple[str, list[str]]]]:
    return {(cat, name): rows for cat, name, rows in eval_framing.eval_sets()}


def _f1(rows, lex: Lexicon, cat: str) -> float:  # type: ignore[no-untyped-def]
    return (eval_framing.cue_score if cat == "attribution" else eval_framing.score)(rows, lex, cat)[2]


def test_test_splits_are_large_and_disjoint_from_training(sets) -> None:  # type: ignore[no-untyped-def]
    assert len(sets["loaded", "BABE test"]) >= 200
    assert sum(len(c) for _, c in sets["attribution", "PolNeAR test"]) >= 120
    babe_train = {s for s, _ in framing_data.babe_rows("train") + framing_data.json_set("babe_loaded.json")}
    for name in ("BABE test", "BABE held-out"):
        assert not babe_train & {s for s, _ in sets["loaded", name]}
    pol = framing_data.POLNEAR
    train_dirs = ("train", "train_more", "train_more2")
    train_docs = {p.name.rsplit("_", 1)[0] for d in train_dirs for p in (pol / d).glob("*.cues")}
    test_docs = {p.name.rsplit("_", 1)[0] for p in (pol / "test").glob("*.cues")}
    assert len(train_docs) == 150 and len(test_docs) == 7 and not train_docs & test_docs
    pol_train = {s for name in ("PolNeAR train", "PolNeAR train more", "PolNeAR train more 2")
                 for s, _ in sets["attribution", name]}
    for name in ("PolNeAR test", "PolNeAR held-out"):
        assert not pol_train & {s for s, _ in sets["attribution", name] if len(s) > 40}


@pytest.mark.parametrize(("cat", "name"), sorted(FLOORS))
def test_learned_lists_score_above_floor_and_beat_both_baselines(sets, cat: str, name: str) -> None:  # type: ignore[no-untyped-def]
    rows = sets[cat, name]
    this = _f1(rows, load_lexicon(use_env=False, tagger=False), cat)
    assert this >= FLOORS[cat, name]
    assert this > _f1(rows, load_lexicon(use_env=False, learned=False, tagger=False), cat)
    assert this > _f1(rows, eval_framing.baseline_lexicon("0fe0ea6"), cat)


# the cue tagger (dedup/diff/cues.py), what this tree marks: cue F1 a little under docs/framing.md's
TAGGER_FLOORS = {"PolNeAR test": 0.70, "PolNeAR held-out": 0.69}


@pytest.mark.parametrize("name", sorted(TAGGER_FLOORS))
def test_cue_tagger_scores_above_floor(sets, name: str) -> None:  # type: ignore[no-untyped-def]
    rows = sets["attribution", name]
    this = _f1(rows, load_lexicon(use_env=False), "attribution")
    assert this >= TAGGER_FLOORS[name]
    if name == "PolNeAR test":  # on the 29 cues of the held-out article the lists do better (0.778)
        assert this > _f1(rows, load_lexicon(use_env=False, tagger=False), "attribution") + 0.05


def test_learned_file_is_what_the_learner_builds(tmp_path: Path) -> None:
    import learn_framing

    if not all((learn_framing.CORPORA / n).exists() for n in learn_framing.NEUTRAL):
        pytest.skip("shared/corpora not present")
    committed = (ROOT / "dedup" / "data" / "framing_learned.toml").read_text(encoding="utf-8")
    params = dict(re.findall(r'"(min_\w+)": ([\d.]+)', committed))
    out = tmp_path / "learned.toml"
    learn_framing.main(["--out", str(out)] + [a for k, v in params.items() for a in ("--" + k.replace("_", "-"), v)])
    assert out.read_text(encoding="utf-8") == committed


def test_claimed_against_confirmed_in_the_sample_reports() -> None:
    d = compare((SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8"),
                (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8"))
    marks = {(m.side, m.category, m.term) for m in d.framing}
    assert {("a", "attribution", "confirmed"), ("b", "attribution", "confirmed")} <= marks
    assert ("b", "loaded", "claims") in marks  # learned: "claims" alone
    # "no official claims of responsibility": the tagger learned from 97 articles left this claim made by nobody
    # unmarked; learned from 153 (train_more2 added) it marks the nominal "claims" (PolNeAR annotates nominal cues
    # such as "claims of" where someone claims): a false mark here, recorded in docs/framing.md, not asserted
    # learned cue words that are no attribution in a drone report stay unmarked
    assert not {t for s, c, t in marks if c == "attribution"} & {"continued", "times", "states"}


def test_drop_in_a_user_list_removes_builtin_terms(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[attribution]\ndrop = ["said"]\nterms = ["quipped"]\n', encoding="utf-8")
    got = {(m.category, m.term) for m in find_marks(Sentence(0, "He said and she quipped.", 0, 24), "a",
                                                    load_lexicon([extra], use_env=False))}
    assert ("attribution", "quipped") in got and ("attribution", "said") not in got


def test_trie_pattern_marks_what_the_plain_alternation_marks() -> None:
    terms = ["said", "says", "say", "alleg*", "according to", "according to a", "shot down", "a senior"]
    trie = re.compile(r"(?<![\w-])" + _trie(terms) + r"(?![\w-])", re.IGNORECASE)
    alts = [re.escape(t[:-1]) + r"\w*" if t.endswith("*") else re.escape(t).replace(r"\ ", r"\s+")
            for t in sorted(terms, key=lambda t: (-len(t), t))]
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)
    text = ("He said, according to a senior aide, that sayings say little; says who? It was shot  down, "
            "according to the allegedly alleged say-so of saids.")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
