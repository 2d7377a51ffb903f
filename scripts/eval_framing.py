"""Score the framing marks against human annotation: attribution cues (PolNeAR) and loaded words (BABE).

Token-level precision / recall / F1, per sentence as multisets of lower-case word tokens: the tokens of
the marks of one category against the tokens of the annotated cue or biased-word spans; for attribution
also cue-level (a cue found when a mark shares a word with it, as CoNLL-2010 scores cues). The baseline is
the plain word lists of ``--ref`` (default: the lists before issue 16), matched the same way; ``hand``
is this tree's hand-chosen lists alone (``dedup/data/framing.toml``), ``lists`` adds the lists learned
from the training splits (``dedup/data/framing_learned.toml``, ``scripts/learn_framing.py``; called
"this tree" before the tagger), ``tagger`` is what this tree marks: attribution cues by the token tagger
(``dedup/diff/cues.py``, ``scripts/learn_cue_tagger.py``) over those lists, the other categories as ``lists``.

Sets: ``tuned`` / ``dev`` were looked at while choosing words by hand, ``train`` is what the learner
learns from (``train more``, ``train more 2``: the tagger only); ``held-out`` (the small sets of the first round) and ``test`` (the test splits) were never
used to choose anything. Read the ``test`` and ``held-out`` rows.

    .venv/bin/python scripts/eval_framing.py [--ref 0fe0ea6] [--misses] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from dedup.diff.framing import Lexicon, find_marks, load_lexicon
from dedup.diff.model import Sentence

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
_WORD = re.compile(r"[\w'\u2019-]+")


def _toks(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


sys.path.insert(0, str(Path(__file__).resolve().parent))
from framing_data import babe_rows, cue_hits, json_set, polnear_rows, prf


def eval_sets() -> list[tuple[str, str, list[tuple[str, list[str]]]]]:
    """(category, name, rows) of every split, the honest ones (held-out, test) last per category."""
    return [("attribution", "PolNeAR tuned", json_set("polnear_attribution.json")),
            ("attribution", "PolNeAR dev", json_set("polnear_attribution_dev.json")),
            ("attribution", "PolNeAR train", polnear_rows("train")),
            ("attribution", "PolNeAR train more", polnear_rows("train_more")),
            ("attribution", "PolNeAR train more 2", polnear_rows("train_more2")),
            ("attribution", "PolNeAR held-out", json_set("polnear_attribution_heldout.json")),
            ("attribution", "PolNeAR test", polnear_rows("test")),
            ("loaded", "BABE tuned", json_set("babe_loaded.json")),
            ("loaded", "BABE train", babe_rows("train")),
            ("loaded", "BABE held-out", json_set("babe_loaded_heldout.json")),
            ("loaded", "BABE test", babe_rows("test"))]


def score(rows: list[tuple[str, list[str]]], lexicon: Lexicon, category: str,
          misses: list[str] | None = None) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for text, gold_spans in rows:
        marks = [m for m in find_marks(Sentence(0, text, 0, len(text)), "a", lexicon) if m.category == category]
        pred = Counter(t for m in marks for t in _toks(m.term))
        gold = Counter(t for g in gold_spans for t in _toks(g))
        hit = sum((pred & gold).values())
        tp += hit
        fp += sum(pred.values()) - hit
        fn += sum(gold.values()) - hit
        if misses is not None and (pred - gold or gold - pred):
            misses.append(f"{category}: +{sorted((pred - gold).elements())} -{sorted((gold - pred).elements())}"
                          f"  {text[:90]}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cue_score(rows: list[tuple[str, list[str]]], lexicon: Lexicon, category: str) -> tuple[float, float, float]:
    """Cue-level P/R/F1 (as CoNLL-2010 scores cues): a gold cue is found when a mark of ``category`` shares a
    word with it (one mark per cue, in order); a mark is right when it found a cue."""
    tp = n_pred = n_gold = 0
    for text, gold_spans in rows:
        marks = [set(_toks(m.term)) for m in find_marks(Sentence(0, text, 0, len(text)), "a", lexicon)
                 if m.category == category]
        gold = [set(_toks(g)) for g in gold_spans]
        n_pred += len(marks)
        n_gold += len(gold)
        tp += cue_hits(marks, gold)
    return prf(tp, n_pred, n_gold)


#: The baseline's word lists (``dedup/data/framing.toml`` of 0fe0ea6), kept as a file so that a shallow
#: clone scores the same baseline.
BASELINE = ROOT / "tests" / "data" / "framing_baseline.toml"


def baseline_lexicon(commit: str = "0fe0ea6") -> Lexicon:
    """The word lists of ``commit`` (``dedup/data/framing.toml``; 0fe0ea6 read from :data:`BASELINE`),
    matched as plain terms."""
    if commit == "0fe0ea6":
        text = BASELINE.read_text(encoding="utf-8")
    else:
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:dedup/data/framing.toml"], check=True,
                              capture_output=True, text=True).stdout
    import tomllib

    data = tomllib.loads(text)
    return Lexicon.from_terms({c: b["terms"] for c, b in data.items()})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="0fe0ea6", help="baseline word lists from this commit (default: %(default)s)")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--json", action="store_true", help="one JSON object per row instead of the table")
    ap.add_argument("--no-honest", action="store_true",
                    help="leave out the held-out and test rows (while developing: they choose nothing)")
    args = ap.parse_args(argv)
    lexicons = {"baseline": baseline_lexicon(args.ref),
                "hand": load_lexicon(use_env=False, learned=False, tagger=False),
                "lists": load_lexicon(use_env=False, tagger=False), "tagger": load_lexicon(use_env=False)}
    misses: list[str] = []
    if not args.json:
        print(f"{'category':<12} {'set (units, gold tokens / cues)':<36} {'lexicon':<10} {'level':<6} {'P':>6}"
              f" {'R':>6} {'F1':>6}")
    for cat, name, rows in eval_sets():
        if not rows or (args.no_honest and name.endswith(("held-out", "test"))):
            continue
        gold = sum(len(_toks(g)) for _, gs in rows for g in gs)
        cues = sum(len(gs) for _, gs in rows)
        label = f"{name} ({len(rows)}, {gold} / {cues})"
        for lname, lex in lexicons.items():
            if lname == "tagger" and cat != "attribution":
                continue  # the tagger marks attribution only: the other categories are as "lists"
            levels = [("token", score(rows, lex, cat, misses if args.misses and lname == "tagger" else None))]
            if cat == "attribution":
                levels.append(("cue", cue_score(rows, lex, cat)))
            for level, (p, r, f) in levels:
                if args.json:
                    print(json.dumps({"category": cat, "set": name, "sentences": len(rows), "gold_tokens": gold,
                                      "cues": cues, "lexicon": lname, "level": level, "p": round(p, 3),
                                      "r": round(r, 3), "f1": round(f, 3)}))
                else:
                    print(f"{cat:<12} {label:<36} {lname:<10} {level:<6} {p:6.3f} {r:6.3f} {f:6.3f}")
    for m in misses:
        print("MISS", m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
