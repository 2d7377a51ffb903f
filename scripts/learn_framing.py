"""Learn the framing word list ``dedup/data/framing_learned.toml`` from the *training* splits only.

* ``loaded``: words that BABE's annotators mark as biased far more often than neutral news uses them.
  For each lower-case token of a marked span (BABE training rows, see ``framing_data``) the score is
  ``log(rate among marked tokens / rate in neutral news)``; neutral news is the reference corpora in
  ``shared/corpora`` (Wikinews sources, ECB+, WikiRef220, GVA reports: about a million tokens). A word is
  kept when it was marked at least ``--min-marked`` times and scores at least ``--min-score``; words
  that full-text training rows show unmarked more often than marked are left out. Its inflections seen
  in that vocabulary ("slammed" -> "slams", "slamming") come along.
* ``attribution``: PolNeAR training cue words (a token inside a cue span at least ``--min-cue`` times
  and inside a cue in at least ``--min-cue-share`` of its occurrences), and ``drop``: built-in cue terms
  that fired at least 3 times on the training articles with under 1/3 of the firings on a cue.

The thresholds are chosen by two-fold cross-validation on the training rows (``--choose``), never on a
test split. Run: ``.venv/bin/python scripts/learn_framing.py [--choose]``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from framing_data import ROOT, babe_rows, babe_words, json_set, polnear_rows, toks

from dedup.diff.framing import Lexicon, find_marks, load_lexicon
from dedup.diff.model import Sentence

OUT = ROOT / "dedup" / "data" / "framing_learned.toml"
CORPORA = ROOT.parent / "shared" / "corpora"
NEUTRAL = ("galaxy-wikinews-medium.jsonl", "ecbplus-dev.jsonl", "wikiref220.jsonl", "gva-dev.jsonl")
# tokens inside cues that are no cue by themselves, left out after reading the learned list: "several
# times"; "continued to tweet" (alone, "the attack continued until 7 am" is no attribution)
NOT_CUES = {"times", "continued"}
STOP = {"the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "but", "that", "this", "with", "by",
        "as", "is", "was", "be", "he", "she", "it", "they", "i", "we", "you", "his", "her", "their", "its",
        "from", "have", "has", "had", "not", "no", "so"}


def neutral_counts(corpora: Path = CORPORA) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name in NEUTRAL:
        with (corpora / name).open(encoding="utf-8") as fh:
            for line in fh:
                counts.update(toks(json.loads(line)["text"]))
    return counts


def _stem(w: str) -> str:
    for suf in ("ingly", "edly", "ing", "ed", "ly", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def learn_loaded(marked: list[list[str]], full: list[tuple[str, list[str]]], neutral: Counter[str],
                 min_marked: int, min_score: float) -> list[str]:
    """Loaded words from marked spans (``marked``: biased words per training row), see the module doc."""
    m = Counter(t for ws in marked for w in ws for t in toks(w))
    n_m, n_b = sum(m.values()) or 1, sum(neutral.values()) or 1
    seen = Counter(t for s, _ in full for t in toks(s))
    hit = Counter(t for _, ws in full for w in ws for t in toks(w))
    def keeps(w: str, k: int) -> bool:
        return (len(w) >= 3 and w not in STOP and w.replace("-", "").replace("'", "").isalpha()
                and not (seen[w] >= 4 and hit[w] * 2 < seen[w])
                and math.log((k / n_m) / ((neutral[w] + 1) / n_b)) >= min_score)

    words = {w for w, k in m.items() if k >= min_marked and keeps(w, k)}
    by_stem: dict[str, set[str]] = {}
    for v in set(neutral) | set(seen):
        if not v.endswith("ly"):
            by_stem.setdefault(_stem(v), set()).add(v)
    # verb and plural forms of a kept word, each held to the same score with the word's count
    forms = {v for w in words if not w.endswith("ly") for v in by_stem.get(_stem(w), ()) if keeps(v, m[w])}
    return sorted(words | forms)


def _cue_f1(rows: list[tuple[str, list[str]]], lex: Lexicon, category: str) -> float:
    from eval_framing import cue_score, score

    return (cue_score if category == "attribution" else score)(rows, lex, category)[2]


def learn_attribution(rows: list[tuple[str, list[str]]], builtin: Lexicon, min_cue: int,
                      min_share: float) -> tuple[list[str], list[str]]:
    """(cue words to add, built-in terms to drop) from annotated training sentences."""
    inside: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    fired: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for text, cues in rows:
        seen.update(toks(text))
        cue_words = {t for c in cues for t in toks(c)}
        for c in cues:
            inside.update(set(toks(c)))
        for mk in find_marks(Sentence(0, text, 0, len(text)), "a", builtin):
            if mk.category == "attribution":
                fired[mk.term] += 1
                right[mk.term] += bool(set(toks(mk.term)) & cue_words)
    # inflected verb forms only: an adverb or noun inside a cue ("had not previously endorsed",
    # "made the case") is not what a reader should see marked
    add = sorted(w for w, k in inside.items() if k >= min_cue and k / max(seen[w], k) >= min_share
                 and w not in STOP | NOT_CUES and w.isalpha() and w.endswith(("s", "ed", "ing")))
    drop = sorted(t for t, k in fired.items() if k >= 3 and right[t] * 3 < k)
    return add, drop


def training_sets() -> dict[str, object]:
    return {"babe_full": babe_rows("train") + json_set("babe_loaded.json"), "babe_words": babe_words(),
            "polnear": polnear_rows("train") + json_set("polnear_attribution.json")
            + json_set("polnear_attribution_dev.json")}


def choose(sets: dict[str, object], neutral: Counter[str], builtin: Lexicon) -> dict[str, float]:
    """Thresholds by two-fold cross-validation on the training rows (halves by position)."""
    full, words, pol = sets["babe_full"], sets["babe_words"], sets["polnear"]
    halves = [full[::2], full[1::2]]
    best_l = max(((k, s) for k in (1, 2) for s in (2.0, 3.0, 4.0, 5.0, 6.0)), key=lambda ks: sum(
        _cue_f1(halves[1 - i], Lexicon.from_terms({"loaded": list(builtin.terms["loaded"]) + learn_loaded(
            words + [w for _, w in halves[i]], halves[i], neutral, *ks)}), "loaded") for i in (0, 1)))
    phalves = [pol[: len(pol) // 2], pol[len(pol) // 2:]]

    def attr_f1(i: int, k: int, share: float) -> float:
        add, drop = learn_attribution(phalves[i], builtin, k, share)
        terms = [t for t in builtin.terms["attribution"] if t not in drop] + add
        return _cue_f1(phalves[1 - i], Lexicon.from_terms({"attribution": terms}), "attribution")

    best_a = max(((k, s) for k in (2, 3) for s in (0.3, 0.4, 0.5, 0.6)),
                 key=lambda ks: attr_f1(0, *ks) + attr_f1(1, *ks))
    return {"min_marked": best_l[0], "min_score": best_l[1], "min_cue": best_a[0], "min_cue_share": best_a[1]}


def _toml_list(words: list[str]) -> str:
    lines, line = [], "  "
    for w in words:
        item = json.dumps(w) + ", "
        if len(line) + len(item) > 110:
            lines.append(line.rstrip())
            line = "  "
        line += item
    lines.append(line.rstrip())
    return "[\n" + "\n".join(lines) + "\n]"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--choose", action="store_true", help="choose the thresholds by cross-validation first")
    ap.add_argument("--min-marked", type=int, default=1)
    ap.add_argument("--min-score", type=float, default=3.0)
    ap.add_argument("--min-cue", type=int, default=3)
    ap.add_argument("--min-cue-share", type=float, default=0.4)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    builtin = load_lexicon(use_env=False, learned=False, tagger=False)
    neutral = neutral_counts()
    sets = training_sets()
    p = vars(args) if not args.choose else {**vars(args), **choose(sets, neutral, builtin)}
    print("thresholds:", {k: p[k] for k in ("min_marked", "min_score", "min_cue", "min_cue_share")})
    loaded = learn_loaded(sets["babe_words"] + [w for _, w in sets["babe_full"]], sets["babe_full"], neutral,
                          p["min_marked"], p["min_score"])
    loaded = [w for w in loaded if w not in builtin.terms["loaded"]]
    add, drop = learn_attribution(sets["polnear"], builtin, p["min_cue"], p["min_cue_share"])
    add = [w for w in add if w not in builtin.terms["attribution"]]
    args.out.write_text(
        "# Learned by scripts/learn_framing.py from the training splits (BABE, PolNeAR; tests/data/README.md):\n"
        f"# {json.dumps({k: p[k] for k in ('min_marked', 'min_score', 'min_cue', 'min_cue_share')})}.\n"
        "# Do not edit by hand: rerun the script. `drop` removes built-in terms that training data shows\n"
        "# to be mostly wrong.\n\n"
        f"[loaded]\nterms = {_toml_list(loaded)}\n\n[attribution]\nterms = {_toml_list(add)}\n"
        f"drop = {_toml_list(drop)}\n", encoding="utf-8")
    print(f"{args.out}: loaded +{len(loaded)}, attribution +{len(add)} -{len(drop)} ({', '.join(drop)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
