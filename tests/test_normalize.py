"""normalize/fold, shingles and verification on real sample text."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rapidfuzz import fuzz

from dedup.near.shingles import shingle_hashes, tokens
from dedup.near.verify import jaccard, verify_pairs
from dedup.text.normalize import fold, normalize


def test_normalize_unifies_quotes_dashes_and_space_but_keeps_digits(samples_dir):
    text = (samples_dir / "000_f667ce42480b2753.txt").read_text(encoding="utf-8")
    assert "\u2019" in text  # the sample uses curly apostrophes
    out = normalize(text)
    assert "\u2019" not in out and "Ukraine's" in out
    assert "  " not in out and "\n" not in out
    assert "2014" in out  # digits kept
    assert normalize("\u201cDrones\u201d \u2014 38\u00a0in\ttotal\u2013 \uff13\uff14 \ufb01ve") == \
        '"Drones" - 38 in total- 34 five'


def test_fold_casefolds_for_hashing_only():
    assert fold("Belgorod  STRASSE\u2019s") == "belgorod strasse's"
    assert normalize("Belgorod") == "Belgorod"


def test_shingles_are_sorted_unique_uint64_and_ignore_typography(samples_dir):
    text = (samples_dir / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
    h = shingle_hashes(text)
    assert h.dtype == np.uint64 and h.size > 50
    assert np.array_equal(h, np.unique(h))
    straight = text.replace("\u2018", "'").replace("\u2019", "'").replace("\n", "  ").upper()
    assert np.array_equal(shingle_hashes(straight), h)
    # word 5-grams: one shingle per window of 5 tokens (minus repeats)
    n_tok = len(tokens(text))
    assert h.size <= n_tok - 4


def test_short_texts_give_one_shingle_and_empty_gives_none():
    assert shingle_hashes("38 drones").size == 1
    assert shingle_hashes("!!").size == 1
    assert shingle_hashes("   ").size == 0
    assert shingle_hashes("abc", kind="char", n=5).size == 1
    with pytest.raises(ValueError):
        shingle_hashes("x", kind="sentence")


def test_char_shingles_count(samples_dir):
    text = "Two over Voronezh"
    assert shingle_hashes(text, kind="char", n=3).size == len({fold(text)[i:i + 3] for i in range(len(text) - 2)})


def test_jaccard_matches_python_sets_on_real_texts(wikiref_records):
    rng = random.Random(3)
    texts = [r["text"] for r in wikiref_records[:20]]
    sets = [shingle_hashes(t, n=3) for t in texts]
    for _ in range(40):
        i, j = rng.randrange(20), rng.randrange(20)
        a, b = set(sets[i].tolist()), set(sets[j].tolist())
        expected = len(a & b) / len(a | b)
        assert jaccard(sets[i], sets[j]) == pytest.approx(expected)


def test_verify_pairs_keeps_only_pairs_at_or_above_threshold(wikiref_records):
    texts = [r["text"] for r in wikiref_records[:10]]
    texts.append(texts[0].replace(".", ". Indeed", 3))  # a near copy of 0
    sets = [shingle_hashes(t) for t in texts]
    cand = np.array([(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))])
    pairs, scores = verify_pairs(cand, sets, threshold=0.5)
    assert [0, 10] in pairs.tolist()
    assert (scores >= 0.5).all()
    all_scores = np.array([jaccard(sets[i], sets[j]) for i, j in cand])
    assert len(pairs) == int((all_scores >= 0.5).sum())
    p2, s2 = verify_pairs(cand, sets, threshold=0.9, scorer=fuzz.token_set_ratio, texts=texts)
    assert [0, 10] in p2.tolist() and (s2 >= 0.9).all() and (s2 <= 1.0).all()
