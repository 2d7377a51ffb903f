"""Attribution cues by a small token tagger: which words of a sentence tell who says or thinks something.

A word list marks "said" everywhere and "in [polls]" or "has drawn criticism for" nowhere; PolNeAR's
annotators mark cues by context. The tagger scores each token with a linear model over features of the
token and its neighbours (the word, its ending, the words two either side, a quotation mark, colon,
comma or "that" nearby, a capitalised name or pronoun before it, whether the attribution word lists
match it, whether it stands inside, before or after a quotation, whether another word of the sentence
is "said" or the like) and marks runs of tokens that score above a threshold. The weights are learned from PolNeAR's
training articles by ``scripts/learn_cue_tagger.py`` (logistic regression) and shipped as
``dedup/data/cue_tagger.json``; scoring is plain Python (dictionary look-ups), no other dependency.
Words that training rarely saw inside a cue (``never``: "the", "Clinton") are not scored at all.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat

#: word tokens (with inner apostrophes and hyphens) and single punctuation marks
TOKEN = re.compile(r"[\w'\u2019]+(?:-[\w'\u2019]+)*|[^\w\s]")
QUOTES = frozenset('"\u201c\u201d\u2018\u2019\'`\u00ab\u00bb')
#: double quotation marks (single ones are too often apostrophes to follow), opening and closing ones
DQUOTES = frozenset('"\u201c\u201d\u00ab\u00bb')
_OPEN, _CLOSE = frozenset("\u201c\u00ab"), frozenset("\u201d\u00bb")
#: words of speech that, elsewhere in the sentence, make it a report ("reported" then is content)
SAYS = frozenset({"said", "says", "say", "saying", "told", "tells", "according"})
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "it", "who", "which"})
AUX = frozenset({"has", "have", "had", "having", "is", "was", "were", "are", "be", "been", "being", "am", "will",
                 "would", "can", "could", "may", "might", "should", "must", "do", "does", "did", "'s"})
DET = frozenset({"the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my"})
#: a run of these alone is no cue ("has" or "also" left over beside an untagged verb)
FILLER = AUX | frozenset({"also", "not", "n't", "still", "then", "to", "for", "about", "and", "or", "but",
                          "the", "a", "an", "this", "that", "it", "just", "never", "again", "previously"})
#: endings of the words unseen in training that are still scored ("chided", "tweeting", "quips")
_VERBISH = ("ed", "ing", "s")
_PAD = ("<s>", "<s>")
_END = ("</s>", "</s>")


def stem(w: str) -> str:
    """A crude stem, enough to join "slams", "slammed" and "slamming" ("slam", "slamm" aside)."""
    for suf in ("ing", "ed", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


_PREP = frozenset({"to", "for", "about", "of", "on", "in", "with", "by", "from", "at", "as"})
#: classes of the closed-class words (later sets win: "that" is THAT, not a preposition)
_CLASS: dict[str, str] = {**dict.fromkeys(_PREP, "PREP"), **dict.fromkeys(QUOTES, "Q"),
                          **dict.fromkeys(DET, "DET"), "that": "THAT", **dict.fromkeys(AUX, "AUX"),
                          **dict.fromkeys(PRONOUNS, "PRN"), "<s>": "<s>", "</s>": "</s>"}


def word_class(w: str) -> str:
    """A coarse class of a lower-case token, so that rare words share context features."""
    c = _CLASS.get(w)
    if c is not None:
        return c
    if not w[0].isalnum():
        return w
    if w[0].isdigit():
        return "NUM"
    return "ADV" if w.endswith("ly") else "W"


def tokens(text: str) -> list[tuple[int, int]]:
    """Character spans of the tokens of ``text``."""
    return [m.span() for m in TOKEN.finditer(text)]


def words_of(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The tokens lower-cased (curly apostrophes made straight)."""
    low = text.lower().replace("\u2019", "'")
    if len(low) == len(text):
        return [low[a:b] for a, b in spans]
    return [text[a:b].lower().replace("\u2019", "'") for a, b in spans]


def quote_states(text: str, spans: Sequence[tuple[int, int]], words: Sequence[str]) -> list[str] | None:
    """Per token, "in" a quotation, "after" one or "out" (before any), by the double quotation marks of
    the sentence; None without any. A straight mark opens when a word follows it without a space,
    closes when one precedes it; a sentence whose first mark closes starts inside a quotation."""
    marks: list[tuple[int, str]] = []
    for j, w in enumerate(words):
        if w in DQUOTES:
            a, b = spans[j]
            before = text[a - 1] if a else " "
            after = text[b] if b < len(text) else " "
            if w in _OPEN or (w == '"' and not after.isspace() and (before.isspace() or before in "([")):
                marks.append((j, "o"))
            elif w in _CLOSE or (w == '"' and not before.isspace()):
                marks.append((j, "c"))
            else:
                marks.append((j, "?"))
    if not marks:
        return None
    state = "in" if marks[0][1] == "c" else "out"
    out: list[str] = []
    k = 0
    for j in range(len(words)):
        while k < len(marks) and marks[k][0] < j:
            d = marks[k][1]
            state = "in" if d == "o" else "after" if d == "c" else ("out" if state == "in" else "in")
            k += 1
        out.append(state)
    return out


def features(text: str, spans: Sequence[tuple[int, int]], listed: Sequence[bool],
             only: Iterable[int] | None = None, lower: Sequence[str] | None = None) -> list[list[str]]:
    """The feature names of each token, or of the tokens at the indices ``only`` (``listed``: the attribution
    word lists match the token; ``lower``: :func:`words_of` if already at hand)."""
    words = words_of(text, spans) if lower is None else lower
    n = len(words)
    pad = [*_PAD, *words, *_END]
    quotes = [k for k, w in enumerate(words) if w in QUOTES]
    qstate = quote_states(text, spans, words) if quotes else None
    says = [k for k, w in enumerate(words) if w in SAYS]
    colon = ":" in words
    idx = range(n) if only is None else list(only)
    cls = [*_PAD, *([""] * n), *_END]  # classes of the tokens around those in idx
    for j in range(n) if only is None else {j for i in idx for j in range(max(0, i - 2), min(n, i + 3))}:
        cls[j + 2] = "CAP" if j and text[spans[j][0]].isupper() else _CLASS.get(words[j]) or word_class(words[j])
    out: list[list[str]] = []
    for i in idx:
        w = words[i]
        p1, p2, n1, n2 = pad[i + 1], pad[i], pad[i + 3], pad[i + 4]
        c1, c2, d1, d2 = cls[i + 1], cls[i], cls[i + 3], cls[i + 4]
        t = stem(w)
        f = ["b", "w=" + w, "s=" + w[-3:], "t=" + t, "p=" + p1, "n=" + n1, "pp=" + p2, "nn=" + n2,
             "pw=" + p1 + " " + w, "wn=" + w + " " + n1, "pc=" + c1, "nc=" + d1, "pnc=" + c1 + " " + d1,
             "ppc=" + c2 + " " + c1, "nnc=" + d1 + " " + d2, "tnc=" + t + " " + d1, "tpc=" + t + " " + c1,
             "s2n=" + w[-2:] + " " + d1]
        r = text[spans[i][0]]
        if not r.isalnum():
            f.append("P")
        elif r.isupper():
            f.append("C0" if i == 0 else "C")
        if listed[i]:
            f += ["L", "Ln=" + n1, "Lp=" + p1]
        if quotes:
            if any(i < k <= i + 3 for k in quotes):
                f.append("q>")
            if any(i - 3 <= k < i for k in quotes):
                f.append("q<")
            f += ["Q", "Qt=" + t]
            if qstate is not None:
                f += ["Q2=" + qstate[i], "tQ2=" + t + " " + qstate[i]]
        if says and (len(says) > 1 or says[0] != i):
            f += ["SS", "tSS=" + t]
        if colon:
            f.append("SC")
        if i == n - 1 or (i == n - 2 and n1 in ".!?"):
            f.append("end")
        out.append(f)
    return out


def listed_tokens(spans: Sequence[tuple[int, int]], matches: Iterable[tuple[int, int]]) -> list[bool]:
    """For each token span (in text order), whether it lies inside one of the ``matches`` (character spans)."""
    out = [False] * len(spans)
    starts: list[int] | None = None
    for a, b in matches:
        if starts is None:
            starts = [s for s, _ in spans]
        j = bisect_left(starts, a)
        while j < len(spans) and spans[j][1] <= b:
            out[j] = True
            j += 1
    return out


def runs(spans: Sequence[tuple[int, int]], positive: Sequence[bool]) -> list[tuple[int, int]]:
    """Character spans of the runs of consecutive positive tokens."""
    out: list[tuple[int, int]] = []
    start = -1
    for i, ok in enumerate([*positive, False]):
        if ok and start < 0:
            start = i
        elif not ok and start >= 0:
            out.append((spans[start][0], spans[i - 1][1]))
            start = -1
    return out


@dataclass(slots=True, frozen=True)
class CueTagger:
    """A linear token scorer: a token is part of a cue when its features' weights sum above ``threshold``."""

    weights: dict[str, float]
    threshold: float
    #: words that training saw often and (almost) never inside a cue: not scored, never a cue unless listed
    never: frozenset[str] = frozenset()
    #: words with a weight of their own and not in ``never`` (derived)
    known: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", frozenset(
            k[2:] for k in self.weights if k.startswith("w=") and k[2:] not in self.never))

    def scores(self, text: str, spans: Sequence[tuple[int, int]], listed: Sequence[bool]) -> list[float]:
        """The score of each token; unless listed, punctuation, :attr:`never` words and words without a
        weight of their own (unseen in training) but for verb-like endings score -inf."""
        never, known = self.never, self.known
        words = words_of(text, spans)
        cand = [i for i, w in enumerate(words) if w in known or (w[0].isalnum() and (
            listed[i] or (w.endswith(_VERBISH) and w not in never)))]
        out = [float("-inf")] * len(spans)
        get = self.weights.get
        for i, fs in zip(cand, features(text, spans, listed, cand, words), strict=True):
            out[i] = sum(map(get, fs, repeat(0.0)))
        return out

    def cues(self, text: str, matches: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
        """Character spans of the attribution cues in ``text``; ``matches`` are the spans the attribution
        word lists mark (a feature of the tokens inside them)."""
        spans = tokens(text)
        if not spans:
            return []
        listed = listed_tokens(spans, matches)
        th = self.threshold
        found = runs(spans, [s > th for s in self.scores(text, spans, listed)])
        return [(a, b) for a, b in found
                if not all(w.lower().replace("\u2019", "'") in FILLER for w in TOKEN.findall(text[a:b]))]

    def to_json(self, meta: dict[str, object]) -> str:
        body = {"meta": meta, "threshold": round(self.threshold, 4), "never": sorted(self.never),
                "weights": {k: round(v, 4) for k, v in sorted(self.weights.items())}}
        return json.dumps(body, ensure_ascii=False, indent=0) + "\n"

    @classmethod
    def from_json(cls, text: str) -> CueTagger:
        data = json.loads(text)
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["threshold"]),
                   frozenset(data.get("never", ())))


_TAGGER: CueTagger | None = None


def default_tagger() -> CueTagger | None:
    """The shipped tagger (``dedup/data/cue_tagger.json``), loaded once; None when the file is absent."""
    global _TAGGER
    if _TAGGER is None:
        data = resources.files("dedup").joinpath("data/cue_tagger.json")
        if not data.is_file():
            return None
        _TAGGER = CueTagger.from_json(data.read_text(encoding="utf-8"))
    return _TAGGER
