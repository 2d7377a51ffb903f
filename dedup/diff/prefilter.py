"""Exact pruning of the sentence-similarity matrix before ``token_set_ratio``, its costly half.

The alignment scores two folded sentences ``(ratio + token_set_ratio) / 200 + bonus`` and only looks
at pairs scoring at least ``min_similarity``. ``ratio`` is cheap (one bit-parallel LCS per pair);
``token_set_ratio`` tokenises, sorts and joins per pair and costs ~15x more. It depends only on the
token sets ``A``, ``B`` of the two sentences, and rapidfuzz computes it as the best of

* ``r1 = 100 (1 - (1 + |ab|) / (|s| + |s ab|))`` and ``r2`` likewise for ``ba``, where ``s`` is the
  sorted intersection joined by spaces, ``ab`` = A - B, ``ba`` = B - A (lengths in characters), and
* ``r3 = 100 (1 - indel(ab, ba) / (|s ab| + |s ba|))``, where ``indel(ab, ba)`` is at least the L1
  distance of the character counts of ``ab`` and ``ba``, which equals that of the (unique-token)
  character counts of A and B, the shared tokens cancelling out (spaces left out, a lower bound still)

(100 when the intersection is not empty and one difference is). Every length above is a sum of
``len(token) + 1`` over a token set, so one matrix product of token-weight matrices gives all of them
for all pairs, and one pairwise L1 distance of character-count vectors gives the bound on indel; the bound ``max(r1, r2, r3 upper)`` then rules out most pairs of unrelated sentences
without computing ``token_set_ratio``. Pairs that survive get the exact score, so the entries that
reach ``min_similarity`` are exactly those of the full matrix (the others are set to 0).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from rapidfuzz import fuzz, process

_SLACK = 0.5  # points of token_set_ratio added to the bound: a guard against float rounding only


def _weights(texts: list[str], vocab: dict[str, int]) -> np.ndarray:
    """``(len(texts), len(vocab))``: ``len(token) + 1`` where the token is in the text, else 0."""
    w = np.zeros((len(texts), len(vocab)), dtype=np.float64)
    for i, t in enumerate(texts):
        for tok in set(t.split()):
            w[i, vocab[tok]] = len(tok) + 1
    return w


def _char_counts(texts: list[str], chars: dict[str, int]) -> np.ndarray:
    h = np.zeros((len(texts), len(chars)), dtype=np.float64)
    for i, t in enumerate(texts):
        for tok in set(t.split()):
            for ch in tok:
                h[i, chars[ch]] += 1
    return h


def _l1(ha: np.ndarray, hb: np.ndarray, chunk: int = 64) -> np.ndarray:
    out = np.empty((len(ha), len(hb)), dtype=np.float64)
    for k in range(0, len(ha), chunk):
        out[k:k + chunk] = np.abs(ha[k:k + chunk, None, :] - hb[None, :, :]).sum(axis=2)
    return out


def token_set_upper_bound(fa: list[str], fb: list[str]) -> np.ndarray:
    """``(len(fa), len(fb))`` upper bounds (0-100) of ``fuzz.token_set_ratio`` (see the module docstring)."""
    vocab: dict[str, int] = {}
    for t in fa + fb:
        for tok in t.split():
            vocab.setdefault(tok, len(vocab))
    wa, wb = _weights(fa, vocab), _weights(fb, vocab)
    chars = {ch: k for k, ch in enumerate(sorted({ch for tok in vocab for ch in tok}))}
    indel = _l1(_char_counts(fa, chars), _char_counts(fb, chars))
    shared = wa @ (wb > 0).T  # sum of len+1 over the intersection
    tot_a = wa.sum(axis=1)[:, None]
    tot_b = wb.sum(axis=1)[None, :]
    ls = np.maximum(shared - 1, 0)
    ab = np.maximum(tot_a - shared - 1, 0)
    ba = np.maximum(tot_b - shared - 1, 0)
    has_s = ls > 0
    s_ab = ls + has_s + ab
    s_ba = ls + has_s + ba
    with np.errstate(divide="ignore", invalid="ignore"):
        r3 = np.where(s_ab + s_ba > 0, 100.0 * (1 - np.maximum(np.abs(ab - ba), indel) / (s_ab + s_ba)), 100.0)
        r1 = np.where(has_s, 100.0 * (1 - (1 + ab) / (ls + s_ab)), 0.0)
        r2 = np.where(has_s, 100.0 * (1 - (1 + ba) / (ls + s_ba)), 0.0)
    ub = np.maximum(np.maximum(r1, r2), r3)
    ub[has_s & ((tot_a - shared == 0) | (tot_b - shared == 0))] = 100.0
    return np.minimum(ub + _SLACK, 100.0)


def pruned_token_set(fa: list[str], fb: list[str], need: np.ndarray,
                     scorer: Callable[..., float] = fuzz.token_set_ratio) -> np.ndarray:
    """``token_set_ratio`` of the pairs whose upper bound reaches ``need`` (same shape), else 0.

    ``need`` is, per pair, the least token_set_ratio that could still matter to the caller.
    """
    ub = token_set_upper_bound(fa, fb)
    todo = np.argwhere(ub >= need)
    if len(todo) > 0.6 * need.size:  # most pairs are candidates: the all-pairs C loop is cheaper
        return process.cdist(fa, fb, scorer=scorer, dtype=np.float64, workers=-1)
    out = np.zeros(need.shape, dtype=np.float64)
    if len(todo):
        out[todo[:, 0], todo[:, 1]] = process.cpdist([fa[i] for i in todo[:, 0]], [fb[j] for j in todo[:, 1]],
                                                     scorer=scorer, dtype=np.float64, workers=-1)
    return out
