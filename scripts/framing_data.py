"""The annotated framing data of issue 16, read from ``tests/data``: train and test splits.

BABE (loaded words; ``tests/data/babe_raw``): rows of ``final_labels_SG2.csv`` copied in stretches by
character offset of the stored file. ``train_*.csv`` / ``test_*.csv`` keep ``text;label;[biased words]``;
``words_*.tsv`` keep only ``label<TAB>word|word`` (training counts of marked words; the text was not
copied). PolNeAR (attribution cues; ``tests/data/polnear_raw/{train,train_more,train_more2,test}``): an article's text
``NAME.txt`` and its annotated cues ``NAME_ANNOTATOR.cues`` (the ``Cue`` lines of the brat ``.ann``).
Sources and licences: ``tests/data/README.md``.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
BABE = DATA / "babe_raw"
POLNEAR = DATA / "polnear_raw"
_WORD = re.compile(r"[\w'\u2019-]+")

Rows = list[tuple[str, list[str]]]
#: one article: per sentence, its text and the character spans (in the sentence) of its annotated cues
Doc = list[tuple[str, list[tuple[int, int]]]]


def toks(text: str) -> list[str]:
    """Lower-case word tokens, as the scores count them."""
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


def babe_rows(split: str) -> Rows:
    """``(sentence, biased words)`` of the full-text BABE stretches of ``split`` ("train" or "test")."""
    out: Rows = []
    for f in sorted(BABE.glob(f"{split}_*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            for text, _label, words in csv.reader(fh, delimiter=";"):
                out.append((text.strip(), list(ast.literal_eval(words))))
    return out


def babe_words() -> list[list[str]]:
    """Biased words per row of the words-only BABE training stretches (``words_*.tsv``)."""
    out: list[list[str]] = []
    for f in sorted(BABE.glob("words_*.tsv")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                _label, _, words = line.partition("\t")
                out.append([w for w in words.split("|") if w])
    return out


def json_set(name: str) -> Rows:
    """The earlier small sets (``babe_loaded*.json``: rows; ``polnear_attribution*.json``: articles)."""
    path = DATA / name
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    if data and isinstance(data[0], dict):
        return [(s, cues) for d in data for s, cues in d["sentences"]]
    return [(s, words) for s, words in data]


def _cues(path: Path, text: str) -> Iterator[tuple[int, int, str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or not parts[1].startswith("Cue "):
            continue
        spans = [tuple(map(int, p.split())) for p in parts[1][4:].split(";")]
        start, end = spans[0][0], spans[-1][1]
        if len(spans) == 1 and text[start:end] != parts[2]:
            # a few .ann files are off by some characters (the stored copy lost a character or two before
            # the cue): anchor the cue on its text nearby, its end moved with its start
            near = text.find(parts[2], max(0, start - 40))
            if near >= 0 and abs(near - start) <= 40:
                start, end = near, near + len(parts[2])
        yield start, end, parts[2]


def _article(cue_file: Path) -> tuple[list[str], list[list[tuple[int, int, str]]]]:
    """Sentences of one article (split as the diff does) and, per sentence, its cues as ``(start, end,
    text)`` with offsets into the sentence (a cue spanning sentences is cut at the sentence end)."""
    from dedup.diff.compare import sentences

    text = (cue_file.parent / (cue_file.name.rsplit("_", 1)[0] + ".txt")).read_text(encoding="utf-8")
    sents = sentences(text)
    per: list[list[tuple[int, int, str]]] = [[] for _ in sents]
    for start, end, cue in _cues(cue_file, text):
        k = next((i for i, s in enumerate(sents) if s.start <= start < s.end), None)
        if k is not None:
            s = sents[k]
            per[k].append((start - s.start, min(end, s.end) - s.start, cue))
    return [s.text for s in sents], per


def polnear_rows(split: str) -> Rows:
    """``(sentence, cue strings)`` of the PolNeAR articles of ``split``, sentences split as the diff does."""
    out: Rows = []
    for cue_file in sorted((POLNEAR / split).glob("*.cues")):
        sents, per = _article(cue_file)
        out += [(s, [c for _, _, c in cues]) for s, cues in zip(sents, per, strict=True)]
    return out


def polnear_docs(split: str) -> list[Doc]:
    """The PolNeAR articles of ``split`` as :data:`Doc`: cue spans from the ``.ann`` offsets (a cue of
    several pieces spans from its first to its last)."""
    out: list[Doc] = []
    for cue_file in sorted((POLNEAR / split).glob("*.cues")):
        sents, per = _article(cue_file)
        out.append([(s, [(a, b) for a, b, _ in cues]) for s, cues in zip(sents, per, strict=True)])
    return out


def json_docs(name: str) -> list[Doc]:
    """The small PolNeAR sets (``polnear_attribution*.json``) as :data:`Doc`: a cue's span is where its text
    first occurs in the sentence after the previous cue of the same text (the files keep no offsets)."""
    path = DATA / name
    if not path.exists():
        return []
    out: list[Doc] = []
    for d in json.loads(path.read_text(encoding="utf-8")):
        doc: Doc = []
        for sent, cues in d["sentences"]:
            spans: list[tuple[int, int]] = []
            for c in cues:
                k = sent.find(c, max((b for a, b in spans if sent[a:b] == c), default=0))
                k = sent.find(c) if k < 0 else k
                if k >= 0:
                    spans.append((k, k + len(c)))
            doc.append((sent, spans))
        out.append(doc)
    return out


def cue_hits(marks: list[set[str]], gold: list[set[str]]) -> int:
    """Gold cues found, as CoNLL-2010 scores cues: a gold cue is found when a mark shares a word with it,
    each mark finding at most one cue (gold cues in order, the first free mark)."""
    hits = 0
    free = list(range(len(marks)))
    for g in gold:
        k = next((k for k in free if marks[k] & g), None)
        if k is not None:
            free.remove(k)
            hits += 1
    return hits


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``tp`` right out of ``n_pred`` found and ``n_gold`` expected."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
