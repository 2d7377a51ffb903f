"""Framing marks: built-in word lists, user extensions, differing marks per block."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dedup.diff.compare import compare, sentences
from dedup.diff.framing import differing, find_marks, load_lexicon
from dedup.errors import InputError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
T003 = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
T004 = (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")


def marks(text: str, lexicon=None):  # type: ignore[no-untyped-def]
    lex = lexicon or load_lexicon(use_env=False)
    return [(m.category, m.term) for s in sentences(text) for m in find_marks(s, "a", lex)]


def test_categories_on_real_sentences() -> None:
    got = marks("Six of the targeted drones were reportedly heading toward Moscow itself, though no strikes "
                "on the capital were confirmed. \u2018The proximity underscores the growing aggression,\u2019 "
                "said a retired analyst, who spoke on condition of anonymity.")
    for want in [("hedge", "reportedly"), ("attribution", "confirmed"), ("loaded", "aggression"),
                 ("attribution", "said"), ("anonymous", "on condition of anonymity")]:
        assert want in got


def test_spans_point_into_the_article() -> None:
    lex = load_lexicon(use_env=False)
    for s in sentences(T004):
        for m in find_marks(s, "b", lex):
            assert T004[m.start:m.end].lower().split() == m.term.split()


def test_capitalised_month_is_not_a_hedge() -> None:
    assert ("hedge", "may") not in marks("The attack took place in May near Kyiv.")
    assert ("hedge", "may") in marks("The attack may have come from the south.")


def test_differing_keeps_only_unbalanced_marks() -> None:
    lex = load_lexicon(use_env=False)
    sa = sentences("Officials said 34 were intercepted over Belgorod.")[0]
    sb = sentences("Officials said 34 were downed over Belgorod.")[0]
    diff = differing(find_marks(sa, "a", lex), find_marks(sb, "b", lex))
    assert sorted((m.side, m.term) for m in diff) == [("a", "intercepted"), ("b", "downed")]


def test_user_word_list_extends_builtin(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[loaded]\nterms = ["stakes"]\n[spin]\nterms = ["game*"]\n', encoding="utf-8")
    lex = load_lexicon([extra], use_env=False)
    got = marks("The stakes are high in this game-changer and these games.", lex)
    assert ("loaded", "stakes") in got and ("spin", "games") in got
    assert ("loaded", "terror") in [(c, t) for c, ts in lex.terms.items() for t in ts]


def test_bad_word_list_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[hedge]\nterms = ["ok",\n  oops]\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_lexicon([bad], use_env=False)
    assert exc.value.source == str(bad) and exc.value.line is not None


def test_env_var_word_list_reaches_the_cli(tmp_path: Path) -> None:
    extra = tmp_path / "env.toml"
    extra.write_text('[spin]\nterms = ["tight-lipped"]\n', encoding="utf-8")
    env = {**__import__("os").environ, "DEDUP_FRAMING_WORDS": str(extra)}
    out = subprocess.run([sys.executable, "-m", "dedup", "diff", str(SAMPLES / "003_9d6c7fdfd1e655bd.txt"),
                          str(SAMPLES / "004_1363d7abf5fa0263.txt"), "-f", "json"],
                         capture_output=True, text=True, env=env, check=True)
    assert '"category": "spin"' in out.stdout


def test_skepticism_sentence_is_only_b_with_framing_marks() -> None:
    d = compare(T003, T004)
    j = next(s.index for s in d.sentences_b if "skepticism by independent analysts" in s.text)
    blk = next(b for b in d.blocks if j in b.b)
    assert blk.kind == "only_b"
    cats = {m.category for m in blk.framing}
    assert {"hedge", "source"} <= cats  # "independent analysts": who says it, by role
    assert d.summary.framing_b.get("hedge", 0) > 0
