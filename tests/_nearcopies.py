"""Edited near-copies of real corpus articles, shared by the performance-issue tests."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

CORPORA = Path("/work/shared/corpora")
ROOT = Path(__file__).resolve().parent.parent


def real_articles(name: str = "galaxy-wikinews-medium.jsonl", limit: int | None = None) -> list[dict]:
    """Articles of a development corpus (falls back to samples/ if the corpora are absent)."""
    path = CORPORA / name
    if not path.exists():
        return [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted((ROOT / "samples").glob("*.txt"))]
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("text"):
                out.append({"id": str(rec["id"]), "text": rec["text"]})
            if limit and len(out) >= limit:
                break
    return out


def edit(text: str, rng: random.Random, *, drop: float = 0.08, swap: float = 0.03) -> str:
    """A lightly edited copy: drop a share of sentences and replace a share of words."""
    sents = re.split(r"(?<=[.!?])\s+", text)
    kept = [s for s in sents if rng.random() > drop] or sents[:1]
    words = " ".join(kept).split(" ")
    for i in range(len(words)):
        if rng.random() < swap:
            words[i] = rng.choice(["said", "reported", "officials", "Tuesday", "the", "new"])
    return " ".join(words)


def corpus_with_copies(n_orig: int = 60, n_copies: int = 30, seed: int = 7) -> tuple[list[str], list[tuple[int, int]]]:
    """``n_orig`` real articles plus ``n_copies`` edited copies appended; returns texts and planted pairs."""
    rng = random.Random(seed)
    arts = real_articles(limit=n_orig)
    texts = [a["text"] for a in arts]
    planted = []
    for k in range(n_copies):
        src = rng.randrange(len(arts))
        texts.append(edit(arts[src]["text"], rng))
        planted.append((src, len(arts) + k))
    return texts, planted
