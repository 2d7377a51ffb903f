"""Learn the attribution-cue tagger ``dedup/data/cue_tagger.json`` from PolNeAR's *training* articles only.

Training data: ``tests/data/polnear_raw/train``, ``train_more`` to ``train_more4`` (PolNeAR's train split,
all seven outlets) plus the tuned and dev sets (3 articles of its dev split); never the test split or the
held-out article. Each token of a sentence is a positive example when it lies inside an annotated cue.
The model is L2-regularised logistic regression (scipy's L-BFGS) over the features of
``dedup.diff.cues.features``; ``never`` lists the words seen at least ``--never-min`` times and inside
a cue at most ``--never-rate`` of the time (not scored at run time unless the lists mark them: speed).
``--cv`` runs grouped k-fold cross-validation (whole articles per fold) over the regularisation and the
decoding threshold, scoring cues as ``scripts/eval_framing.py`` does; the chosen values are the defaults
below. Deterministic: the same data gives the same file (weights rounded to 4 decimals).

    .venv/bin/python scripts/learn_cue_tagger.py [--cv] [--out dedup/data/cue_tagger.json]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from framing_data import ROOT, Doc, cue_hits, json_docs, polnear_docs, prf, toks

from dedup.diff.cues import CueTagger, features, listed_tokens, tokens
from dedup.diff.framing import Lexicon, load_lexicon

OUT = ROOT / "dedup" / "data" / "cue_tagger.json"
DEFAULTS: dict[str, float | int] = {"c2": 3.0, "min_count": 3, "threshold": -1.0, "never_min": 5,
                                    "never_rate": 0.3, "prune": 0.05}

Example = tuple[list[list[str]], list[int]]  # per token: feature names, label (+1 / -1)


def training_docs() -> list[Doc]:
    """Every training article (never the test split or the held-out article)."""
    return (polnear_docs("train") + polnear_docs("train_more") + polnear_docs("train_more2")
            + polnear_docs("train_more3") + polnear_docs("train_more4")
            + json_docs("polnear_attribution.json") + json_docs("polnear_attribution_dev.json"))


def list_matches(lex: Lexicon, text: str) -> list[tuple[int, int]]:
    """Spans of the attribution word lists in ``text`` (the tagger's ``L`` features)."""
    pat = lex.patterns.get("attribution")
    return [m.span() for m in pat.finditer(text)] if pat else []


def examples(docs: Sequence[Doc], lex: Lexicon) -> list[Example]:
    """Features and labels of the word tokens of every sentence (punctuation is never a cue)."""
    out: list[Example] = []
    for doc in docs:
        for text, cues in doc:
            spans = tokens(text)
            words = [i for i, (a, _) in enumerate(spans) if text[a].isalnum()]
            if not words:
                continue
            feats = features(text, spans, listed_tokens(spans, list_matches(lex, text)), words)
            labels = [1 if any(c0 <= spans[i][0] < c1 for c0, c1 in cues) else -1 for i in words]
            out.append((feats, labels))
    return out


def never_words(docs: Sequence[Doc], min_count: int, rate: float) -> frozenset[str]:
    """Words seen at least ``min_count`` times in the training sentences and inside a cue at most ``rate``
    of the time (they are not scored: the speed of the tagger)."""
    seen: Counter[str] = Counter()
    cued: Counter[str] = Counter()
    for doc in docs:
        for text, cues in doc:
            for a, b in tokens(text):
                w = text[a:b].lower().replace("\u2019", "'")
                seen[w] += 1
                if any(c0 <= a < c1 for c0, c1 in cues):
                    cued[w] += 1
    return frozenset(w for w, k in seen.items() if k >= min_count and cued[w] <= rate * k and w[0].isalnum())


def train_lr(exs: Sequence[Example], c2: float, min_count: int, prune: float) -> dict[str, float]:
    """L2-regularised logistic regression (L-BFGS): minimise ``c2/2 |w|^2 + sum of log-losses``; features
    seen fewer than ``min_count`` times and weights under ``prune`` are left out."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    counts = Counter(f for fs_, _ in exs for fs in fs_ for f in fs)
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    rows, cols, ys = [], [], []
    for fs_, ys_ in exs:
        for fs, y in zip(fs_, ys_, strict=True):
            ids = sorted({index[f] for f in fs if f in index})
            rows.append(len(ids))
            cols += ids
            ys.append(1.0 if y > 0 else 0.0)
    indptr = np.concatenate([[0], np.cumsum(rows)])
    x = csr_matrix((np.ones(len(cols)), np.array(cols), indptr), shape=(len(ys), len(names)))
    xt = x.T.tocsr()
    y = np.array(ys)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        p = 1.0 / (1.0 + np.exp(-z))
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * c2 * (w @ w)), xt @ (p - y) + c2 * w

    res = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B", options={"maxiter": 400})
    return {f: round(float(v), 4) for f, v in zip(names, res.x, strict=True) if abs(v) >= prune}


def cue_counts(docs: Sequence[Doc], tagger: CueTagger | None, lex: Lexicon) -> tuple[int, int, int]:
    """(cues found, marks, gold cues), cue-level as ``eval_framing.cue_score`` counts them; ``tagger``
    None scores the word lists alone."""
    tp = n_pred = n_gold = 0
    for doc in docs:
        for text, cues in doc:
            lists = list_matches(lex, text)
            spans = tagger.cues(text, lists) if tagger else lists
            marks = [set(toks(text[a:b])) for a, b in spans]
            gold = [set(toks(text[a:b])) for a, b in cues]
            n_pred += len(marks)
            n_gold += len(gold)
            tp += cue_hits(marks, gold)
    return tp, n_pred, n_gold


def cross_validate(docs: Sequence[Doc], lex: Lexicon, folds: int, c2s: Sequence[float],
                   thresholds: Sequence[float]) -> None:
    """Grouped k-fold (articles dealt round-robin by position); prints cue P/R/F1 per setting."""
    parts = [list(docs[i::folds]) for i in range(folds)]
    rest = [[d for j, p in enumerate(parts) if j != i for d in p] for i in range(folds)]
    print(f"{'c2':>6} {'thr':>5}  {'P':>6} {'R':>6} {'F1':>6}")
    lists = [cue_counts(p, None, lex) for p in parts]
    print(f"{'lists':>6} {'':>5}  " + " ".join(f"{x:6.3f}" for x in prf(*map(sum, zip(*lists)))))
    never = [never_words(r, int(DEFAULTS["never_min"]), float(DEFAULTS["never_rate"])) for r in rest]
    exs = [examples(r, lex) for r in rest]
    for c2 in c2s:
        weights = [train_lr(exs[i], c2, int(DEFAULTS["min_count"]), float(DEFAULTS["prune"]))
                   for i in range(folds)]
        for t in thresholds:
            tot = [cue_counts(parts[i], CueTagger(weights[i], t, never[i]), lex) for i in range(folds)]
            print(f"{c2:6.1f} {t:5.2f}  " + " ".join(f"{x:6.3f}" for x in prf(*map(sum, zip(*tot)))), flush=True)


def build(docs: Sequence[Doc], lex: Lexicon, c2: float, min_count: int, threshold: float, never_min: int,
          never_rate: float, prune: float) -> CueTagger:
    """The tagger learned from ``docs``."""
    return CueTagger(train_lr(examples(docs, lex), c2, min_count, prune), threshold,
                     never_words(docs, never_min, never_rate))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv", action="store_true", help="cross-validate on the training articles")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cv-c2", type=float, nargs="+", default=[1.0, 3.0, 10.0])
    ap.add_argument("--cv-threshold", type=float, nargs="+", default=[-2.0, -1.5, -1.0, -0.5, 0.0])
    for k, v in DEFAULTS.items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    lex = load_lexicon(use_env=False, tagger=False)
    docs = training_docs()
    if args.cv:
        cross_validate(docs, lex, args.folds, args.cv_c2, args.cv_threshold)
        return 0
    params = {k: getattr(args, k) for k in DEFAULTS}
    tagger = build(docs, lex, **params)
    meta = {"learner": "scripts/learn_cue_tagger.py", "params": params, "articles": len(docs),
            "sentences": sum(len(d) for d in docs), "cues": sum(len(c) for d in docs for _, c in d)}
    args.out.write_text(tagger.to_json(meta), encoding="utf-8")
    print(f"{args.out}: {len(tagger.weights)} weights, {len(tagger.never)} never-cue words, from "
          f"{meta['articles']} articles, {meta['cues']} cues")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
