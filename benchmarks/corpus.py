"""A realistic, reproducible benchmark corpus, generated lazily.

Articles of about 3 KB are built from the *real* sentences of the development corpora
(``/work/shared/corpora/*.jsonl`` bodies and the UCI headlines), drawn at random per article; a share
of the articles are edited near-copies of an earlier article (a few sentences dropped or reordered,
a few words replaced), and these planted ``(source, copy)`` pairs measure recall.

``SyntheticCorpus`` is a ``Sequence[str]``: article ``i`` is generated from ``(seed, i)`` on access, and
a slice is again a lazy ``SyntheticCorpus`` that pickles in a few bytes, so worker processes generate
their own chunks and the 1M-article run never holds the corpus in memory.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

CORPORA = Path("/work/shared/corpora")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_FILLERS = ["said", "reported", "officials", "on Tuesday", "the", "new", "local", "according to sources"]


@lru_cache(maxsize=1)
def sentence_pool() -> tuple[str, ...]:
    """The real sentences (30..400 characters) of the development corpora, deduplicated, sorted."""
    pool: set[str] = set()
    for path in sorted(CORPORA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text") or ""
                pool.update(s.strip() for s in _SPLIT.split(" ".join(text.split())) if 30 <= len(s) <= 400)
    csv_path = CORPORA / "uci-news-headlines.csv"
    if csv_path.exists():
        with csv_path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                title = (row.get("TITLE") or "").strip()
                if len(title) >= 30:
                    pool.add(title if title[-1] in ".!?" else title + ".")
    if not pool:
        raise SystemExit(f"no sentences found under {CORPORA}")
    return tuple(sorted(pool))


class SyntheticCorpus(Sequence[str]):
    """``n`` articles; every ``copy_every``-th one is an edited copy of a random earlier original."""

    #: pickles in a few bytes: the local engine sends it with indices instead of texts
    lazy_texts = True

    def __init__(self, n: int, *, seed: int = 0, copy_every: int = 10, size: int = 3000,
                 start: int = 0, stop: int | None = None) -> None:
        self.n, self.seed, self.copy_every, self.size = n, seed, copy_every, size
        self.start, self.stop = start, n if stop is None else stop

    def __reduce__(self):
        return (_rebuild, (self.n, self.seed, self.copy_every, self.size, self.start, self.stop))

    def __len__(self) -> int:
        return max(0, self.stop - self.start)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            s, e, step = k.indices(len(self))
            if step != 1:
                return [self[i] for i in range(s, e, step)]
            return SyntheticCorpus(self.n, seed=self.seed, copy_every=self.copy_every, size=self.size,
                                   start=self.start + s, stop=self.start + e)
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return self.article(self.start + k)

    def is_copy(self, i: int) -> bool:
        return self.copy_every > 0 and i % self.copy_every == self.copy_every - 1

    def source_of(self, i: int) -> int:
        """The original that article ``i`` copies (an earlier non-copy article)."""
        j = random.Random(self.seed * 7_919 + i * 31 + 1).randrange(i)
        while self.is_copy(j):
            j -= 1
        return j

    def _original(self, i: int) -> list[str]:
        pool = sentence_pool()
        rng = random.Random(self.seed * 1_000_003 + i)
        out, total = [], 0
        while total < self.size:
            s = pool[rng.randrange(len(pool))]
            out.append(s)
            total += len(s) + 1
        return out

    def article(self, i: int) -> str:
        if not self.is_copy(i):
            return " ".join(self._original(i))
        sents = self._original(self.source_of(i))
        rng = random.Random(self.seed * 15_485_863 + i)
        sents = [s for s in sents if rng.random() > 0.08] or sents[:1]
        if len(sents) > 3 and rng.random() < 0.5:  # move one sentence
            sents.insert(rng.randrange(len(sents)), sents.pop(rng.randrange(len(sents))))
        for _ in range(rng.randrange(1, 4)):  # replace a word in a few sentences
            k = rng.randrange(len(sents))
            words = sents[k].split(" ")
            words[rng.randrange(len(words))] = rng.choice(_FILLERS)
            sents[k] = " ".join(words)
        return " ".join(sents)

    def planted(self) -> np.ndarray:
        """``(m, 2)`` int64 ``(source, copy)`` pairs within this corpus's index range (from 0)."""
        rows = [(self.source_of(i), i) for i in range(self.start, self.stop) if self.is_copy(i)]
        rows = [(a - self.start, b - self.start) for a, b in rows if a >= self.start]
        return np.array(rows, dtype=np.int64).reshape(-1, 2)


def _rebuild(n: int, seed: int, copy_every: int, size: int, start: int, stop: int) -> SyntheticCorpus:
    return SyntheticCorpus(n, seed=seed, copy_every=copy_every, size=size, start=start, stop=stop)


#: Words a replica's rewording puts in place of one of an article's words.
_REWORD = ["reportedly", "local", "police", "officials", "witnesses", "area", "said", "later", "also"]


def gva_replicas(n: int, *, seed: int = 0, years_apart: int = 3) -> list[dict]:
    """``n`` labelled, dated articles: gva-dev (1,500 shooting reports of 831 incidents) replicated with
    rewording. Replica ``r`` of article ``a`` is dated ``years_apart * r`` years later (365 days a year),
    drops each sentence with probability 0.1 and replaces about 4% of its words; ids get ``~r``, events
    ``~r`` (each replica's incidents are new incidents: the same words years later, as recurring news is)."""
    path = CORPORA / "gva-dev.jsonl"
    base = [json.loads(line) for line in path.open(encoding="utf-8")]
    out: list[dict] = []
    r = 0
    while len(out) < n:
        for rec in base:
            if len(out) >= n:
                break
            if r == 0:
                out.append(dict(rec))
                continue
            rng = random.Random(seed * 1_000_003 + r * 7_919 + len(out))
            sents = [s for s in _SPLIT.split(rec["text"]) if rng.random() > 0.1] or [rec["text"]]
            words = " ".join(sents).split(" ")
            for _ in range(max(1, len(words) // 25)):
                words[rng.randrange(len(words))] = rng.choice(_REWORD)
            date = rec.get("date")
            if date:
                import datetime as _dt

                date = (_dt.date.fromisoformat(date[:10]) + _dt.timedelta(days=365 * years_apart * r)).isoformat()
            out.append({"id": f"{rec['id']}~{r}", "event": f"{rec['event']}~{r}", "title": rec.get("title"),
                        "text": " ".join(words), "date": date})
        r += 1
    return out
