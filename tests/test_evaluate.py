"""ARI, AMI, pair scores and sweeps against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from dedup.evaluate import (
    adjusted_mutual_information,
    adjusted_rand_index,
    evaluate,
    pair_scores,
    parse_range,
    score_decisions,
    sweep,
)
from dedup.model import Cluster, ClusterResult

TRUTH = ["a", "a", "a", "b", "b", "b"]
PRED = ["x", "x", "y", "y", "z", "z"]


def test_ari_by_hand() -> None:
    # contingency [[2,1,0],[0,1,2]]: sum C(nij,2) = 2; rows 3,3 -> 6; cols 2,2,2 -> 3; C(6,2) = 15
    # E = 6*3/15 = 1.2; max = 4.5; ARI = (2 - 1.2) / (4.5 - 1.2)
    assert adjusted_rand_index(TRUTH, PRED) == pytest.approx(0.8 / 3.3)


def test_ari_identity_relabelling_and_symmetry() -> None:
    assert adjusted_rand_index(TRUTH, ["q", "q", "q", "r", "r", "r"]) == pytest.approx(1.0)
    assert adjusted_rand_index(TRUTH, PRED) == pytest.approx(adjusted_rand_index(PRED, TRUTH))
    # one cluster against two classes: no agreement beyond chance
    assert adjusted_rand_index(TRUTH, ["k"] * 6) == pytest.approx(0.0)


def test_ami_by_hand() -> None:
    # truth [a,a,b,b] vs pred [x,y,x,y]: MI = 0 exactly, and E[MI] > 0, so AMI < 0
    assert adjusted_mutual_information(["a", "a", "b", "b"], ["x", "y", "x", "y"]) < 0
    assert adjusted_mutual_information(TRUTH, ["q", "q", "q", "r", "r", "r"]) == pytest.approx(1.0)
    # two items split, two together: MI = log 2 - 0; H(U)=log2, H(V)=log2; E[MI] for marginals (2,2)/(2,2)
    # with n=4: n11 in {0,1,2}, P = 1/6, 4/6, 1/6; MI(n11=0 or 2) = log 2, MI(n11=1) = 0 -> E = log2/3
    emi = math.log(2) / 3
    assert adjusted_mutual_information(["a", "a", "b", "b"], ["x", "x", "y", "y"]) == pytest.approx(1.0)
    v = adjusted_mutual_information(["a", "a", "b", "b"], ["x", "y", "x", "y"])
    assert v == pytest.approx((0 - emi) / (math.log(2) - emi))


def test_pair_scores_by_hand() -> None:
    # predicted pairs: (0,1), (2,3), (4,5) -> 3; true pairs: 3 + 3 = 6; shared: (0,1), (4,5) -> 2
    s = pair_scores(TRUTH, PRED)
    assert s["precision"] == pytest.approx(2 / 3)
    assert s["recall"] == pytest.approx(2 / 6)
    assert s["f1"] == pytest.approx(2 * (2 / 3) * (1 / 3) / (2 / 3 + 1 / 3))


def test_evaluate_cluster_result_and_missing() -> None:
    result = ClusterResult(articles=[], pairs=[], clusters=[
        Cluster("c1", ["1", "2"], "1"), Cluster("c2", ["3"], "3")])
    out = evaluate(result, {"1": "e", "2": "e", "3": "f", "4": "f"})
    assert out["n"] == 3 and out["missing"] == 1
    assert out["ari"] == pytest.approx(1.0)


def test_parse_range_and_sweep() -> None:
    assert parse_range("threshold=0.2:0.3:0.05") == ("threshold", [0.2, 0.25, 0.3])
    assert parse_range("threshold=0.1,0.4") == ("threshold", [0.1, 0.4])
    with pytest.raises(ValueError):
        parse_range("threshold=0.5:0.1:0.1")
    labels = {"1": "a", "2": "a", "3": "b"}
    rows = sweep(lambda threshold: {"1": "x", "2": "x" if threshold < 0.5 else "y", "3": "z"}, labels,
                 name="threshold", values=[0.3, 0.7])
    assert [r["best"] for r in rows] == [True, False]


def test_score_decisions() -> None:
    assign = {"1": "x", "2": "x", "3": "y"}
    out = score_decisions(assign, [("1", "2", "same_incident"), ("1", "3", "different"), ("2", "3", "duplicate"),
                                   ("1", "9", "different")])
    assert out["reviewed"] == 3 and out["missing"] == 1
    assert out["precision"] == pytest.approx(1.0)
    assert out["recall"] == pytest.approx(0.5)
    with pytest.raises(ValueError):
        score_decisions(assign, [("1", "2", "maybe")])
