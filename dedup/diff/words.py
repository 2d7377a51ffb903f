"""Word-level changes inside an aligned block.

Tokens come from ``dedup.text.tokens`` (numbers such as "1,200" and "38-drone" stay whole);
``difflib.SequenceMatcher(autojunk=False)`` gives the opcodes. A change is ``trivial`` when both sides
are equal once punctuation is dropped and case and quotes are folded, so renderers can hide it.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from dedup.diff.model import WordChange
from dedup.text.tokens import fold_token, is_punct, tokenize


def _key(tokens: list[str]) -> list[str]:
    return [fold_token(t) for t in tokens if not is_punct(t)]


def word_changes(text_a: str, text_b: str) -> list[WordChange]:
    """Runs of equal / replaced / deleted / inserted words turning ``text_a`` into ``text_b``.

    Each run holds the original text of both sides (including the spaces inside the run), so
    concatenating the ``a`` sides with single spaces rebuilds ``text_a``'s words.
    """
    ta = tokenize(text_a)
    tb = tokenize(text_b)
    sa = [t.text for t in ta]
    sb = [t.text for t in tb]
    out: list[WordChange] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes():
        a = text_a[ta[i1].start:ta[i2 - 1].end] if i2 > i1 else ""
        b = text_b[tb[j1].start:tb[j2 - 1].end] if j2 > j1 else ""
        trivial = op != "equal" and _key(sa[i1:i2]) == _key(sb[j1:j2])
        out.append(WordChange(op, a, b, trivial))  # type: ignore[arg-type]
    return out


def changed_word_counts(changes: list[WordChange]) -> tuple[int, int]:
    """``(words of A changed, words of B changed)`` in non-trivial runs (punctuation not counted)."""
    ca = cb = 0
    for c in changes:
        if c.op != "equal" and not c.trivial:
            ca += len(_key([t.text for t in tokenize(c.a)]))
            cb += len(_key([t.text for t in tokenize(c.b)]))
    return ca, cb


def word_count(text: str) -> int:
    """Words (non-punctuation tokens) of ``text``."""
    return sum(1 for t in tokenize(text) if not is_punct(t.text))


def segments(text: str, changes: list[WordChange], side: str) -> list[tuple[str, str, bool]]:
    """``text`` (one side of a block) cut into ``(chunk, op, trivial)`` pieces for rendering.

    ``op`` is "equal" for unchanged words and for the whitespace between runs, else the run's op
    ("replace", "delete" on side a, "insert" on side b). Concatenating the chunks gives ``text``.
    """
    out: list[tuple[str, str, bool]] = []
    pos = 0
    for c in changes:
        run = c.a if side == "a" else c.b
        if not run:
            continue
        at = text.find(run, pos)
        if at < 0:
            continue
        if at > pos:
            out.append((text[pos:at], "equal", False))
        out.append((run, c.op, c.trivial))
        pos = at + len(run)
    if pos < len(text):
        out.append((text[pos:], "equal", False))
    return out
