"""Score a clustering against reference labels: ARI, AMI, pairwise precision / recall / F1, sweeps.

All measures compare two flat partitions of the same items, given as ``{item: label}`` maps or as
parallel label sequences. They are written with NumPy only, after the textbook definitions:

* **ARI** (Hubert & Arabie 1985): ``(sum_ij C(n_ij,2) - E) / (0.5 (sum_i C(a_i,2) + sum_j C(b_j,2)) - E)``
  with ``E = sum_i C(a_i,2) sum_j C(b_j,2) / C(n,2)``; 1 for identical partitions, ~0 for random ones.
* **AMI** (Vinh, Epps & Bailey 2010), arithmetic-mean normalisation:
  ``(MI - E[MI]) / (mean(H(U), H(V)) - E[MI])`` with ``E[MI]`` under the hypergeometric model.
* **pairwise P/R/F1**: over the ``C(n,2)`` item pairs, a pair is predicted positive when both items share
  a predicted cluster and truly positive when they share a label.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from dedup.model import ClusterResult


def _codes(labels: Sequence[Hashable]) -> np.ndarray:
    index: dict[Hashable, int] = {}
    return np.fromiter((index.setdefault(x, len(index)) for x in labels), dtype=np.int64, count=len(labels))


def contingency(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> np.ndarray:
    """The contingency table ``n_ij``: items with true class ``i`` and predicted cluster ``j``."""
    if len(truth) != len(pred):
        raise ValueError(f"label sequences differ in length: {len(truth)} != {len(pred)}")
    t, p = _codes(truth), _codes(pred)
    table = np.zeros((int(t.max(initial=-1)) + 1, int(p.max(initial=-1)) + 1), dtype=np.int64)
    np.add.at(table, (t, p), 1)
    return table


def _comb2(x: np.ndarray | int) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x * (x - 1) / 2.0


def adjusted_rand_index(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Adjusted Rand index of ``pred`` against ``truth`` (1.0 = identical partitions)."""
    table = contingency(truth, pred)
    n = int(table.sum())
    if n < 2:
        return 1.0
    sum_ij = float(_comb2(table).sum())
    sum_a = float(_comb2(table.sum(axis=1)).sum())
    sum_b = float(_comb2(table.sum(axis=0)).sum())
    expected = sum_a * sum_b / float(_comb2(n))
    maximum = 0.5 * (sum_a + sum_b)
    if maximum == expected:  # both partitions trivial (all singletons or one cluster): identical
        return 1.0
    return (sum_ij - expected) / (maximum - expected)


def _entropy(counts: np.ndarray, n: int) -> float:
    p = counts[counts > 0] / n
    return float(-(p * np.log(p)).sum())


def mutual_information(table: np.ndarray) -> float:
    """Mutual information (nats) of a contingency table."""
    n = int(table.sum())
    a, b = table.sum(axis=1), table.sum(axis=0)
    i, j = np.nonzero(table)
    nij = table[i, j].astype(np.float64)
    return float((nij / n * (np.log(nij * n) - np.log(a[i].astype(np.float64) * b[j]))).sum())


def expected_mutual_information(table: np.ndarray) -> float:
    """``E[MI]`` of two random partitions with the table's marginals (hypergeometric model)."""
    n = int(table.sum())
    a = table.sum(axis=1).astype(np.int64)
    b = table.sum(axis=0).astype(np.int64)
    lg = np.array([math.lgamma(k + 1) for k in range(n + 1)])  # log k!
    emi = 0.0
    for ai in a:
        for bj in b:
            lo, hi = max(1, int(ai + bj - n)), int(min(ai, bj))
            if lo > hi:
                continue
            nij = np.arange(lo, hi + 1)
            term = nij / n * (np.log(n * nij) - math.log(ai * bj))
            logp = (lg[ai] + lg[bj] + lg[n - ai] + lg[n - bj] - lg[n] - lg[nij] - lg[ai - nij]
                    - lg[bj - nij] - lg[n - ai - bj + nij])
            emi += float((term * np.exp(logp)).sum())
    return emi


def adjusted_mutual_information(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Adjusted mutual information (arithmetic-mean normalisation; 1.0 = identical partitions)."""
    table = contingency(truth, pred)
    n = int(table.sum())
    if n == 0 or (table.shape[0] == table.shape[1] and table.shape[0] in (1, n)):
        return 1.0
    mi = mutual_information(table)
    emi = expected_mutual_information(table)
    h = 0.5 * (_entropy(table.sum(axis=1), n) + _entropy(table.sum(axis=0), n))
    denom = h - emi
    if abs(denom) < 1e-15:
        return 1.0 if abs(mi - emi) < 1e-15 else 0.0
    return (mi - emi) / denom


def pair_scores(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    """Pairwise precision, recall and F1 (pairs in one predicted cluster vs pairs with one label)."""
    table = contingency(truth, pred)
    tp = float(_comb2(table).sum())
    pred_pos = float(_comb2(table.sum(axis=0)).sum())
    true_pos = float(_comb2(table.sum(axis=1)).sum())
    precision = tp / pred_pos if pred_pos else 1.0
    recall = tp / true_pos if true_pos else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def assignments(result: ClusterResult | Mapping[str, Hashable]) -> dict[str, Hashable]:
    """Map article id -> cluster id from a ``ClusterResult`` (or pass a mapping through)."""
    if isinstance(result, ClusterResult):
        return {m: c.id for c in result.clusters for m in c.members}
    return dict(result)


def evaluate(result: ClusterResult | Mapping[str, Hashable], labels: Mapping[str, Hashable]) -> dict[str, Any]:
    """Every measure of ``result`` against ``labels`` (``{article id: label}``).

    Only ids present in both are scored; ``n`` says how many. Articles missing from the clustering
    (e.g. rejected) are counted in ``missing``.
    """
    pred = assignments(result)
    ids = sorted(i for i in labels if i in pred)
    truth_seq = [labels[i] for i in ids]
    pred_seq = [pred[i] for i in ids]
    out: dict[str, Any] = {
        "n": len(ids),
        "missing": sum(1 for i in labels if i not in pred),
        "labels": len(set(truth_seq)),
        "clusters": len(set(pred_seq)),
        "ari": adjusted_rand_index(truth_seq, pred_seq),
        "ami": adjusted_mutual_information(truth_seq, pred_seq),
    }
    out.update(pair_scores(truth_seq, pred_seq))
    return out


def parse_range(spec: str) -> tuple[str, list[float]]:
    """Parse ``name=start:stop:step`` (stop included) or ``name=v1,v2,...`` into the option and its values."""
    if "=" not in spec:
        raise ValueError(f"sweep spec {spec!r} is not NAME=START:STOP:STEP or NAME=V1,V2")
    name, _, values = spec.partition("=")
    name = name.strip().replace("-", "_")
    if ":" in values:
        parts = values.split(":")
        if len(parts) != 3:
            raise ValueError(f"sweep range {values!r} is not START:STOP:STEP")
        start, stop, step = (float(x) for x in parts)
        if step <= 0 or stop < start:
            raise ValueError(f"sweep range {values!r} must have STEP > 0 and STOP >= START")
        count = math.floor((stop - start) / step + 1e-9) + 1
        return name, [round(start + k * step, 10) for k in range(count)]
    return name, [float(v) for v in values.split(",") if v.strip()]


def sweep(run: Callable[..., ClusterResult | Mapping[str, Hashable]], labels: Mapping[str, Hashable], *,
          name: str, values: Iterable[float], key: str = "ari") -> list[dict[str, Any]]:
    """Run ``run(**{name: v})`` for each value and evaluate it; the row with the highest ``key`` gets
    ``best: True`` (the first one on ties)."""
    rows = []
    for v in values:
        row = {name: v}
        row.update(evaluate(run(**{name: v}), labels))
        rows.append(row)
    if rows:
        best = max(range(len(rows)), key=lambda k: (rows[k][key], -k))
        for k, row in enumerate(rows):
            row["best"] = k == best
    return rows


def score_decisions(result: ClusterResult | Mapping[str, Hashable],
                    decisions: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """Agreement of a clustering with reviewed pairs ``(a, b, verdict)``.

    A verdict ``duplicate`` or ``same_incident`` says the pair belongs together, ``different`` that it
    does not. ``precision`` is the share of reviewed pairs grouped together that the reviewer kept
    together; ``recall`` the share of kept-together pairs that are grouped; ``agreement`` the share of
    all reviewed pairs where clustering and reviewer agree.
    """
    pred = assignments(result)
    tp = fp = fn = tn = missing = 0
    for a, b, verdict in decisions:
        if a not in pred or b not in pred:
            missing += 1
            continue
        together = pred[a] == pred[b]
        same = verdict in ("duplicate", "same_incident")
        if verdict not in ("duplicate", "same_incident", "different"):
            raise ValueError(f"unknown review verdict {verdict!r} for pair {a} / {b}")
        tp += together and same
        fp += together and not same
        fn += (not together) and same
        tn += (not together) and not same
    reviewed = tp + fp + fn + tn
    return {"reviewed": reviewed, "missing": missing,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "agreement": (tp + tn) / reviewed if reviewed else 1.0}
