"""What every renderer of an ``AlignedDiff`` needs: block rows, styled runs of text, figure rows.

A side of a block is cut into *runs* of text that share one set of *tags*:

* ``chg`` (word replaced), ``del`` (only on A), ``ins`` (only on B), ``triv`` (punctuation/case only);
* ``frame:CATEGORY`` (a framing term that differs between the sides);
* ``fig:STATUS`` (a figure: same, conflict, only_a, only_b).

With ``figures_win`` (the renderers here use it), a figure's status decides how it is drawn in a
matched block: the characters of a ``same`` or ``conflict`` figure carry no change tag, even when the
word diff put the figure inside a changed run (a same figure is not a change; a conflict is drawn as
a conflict, not as a changed word).

Renderers map tags to colours; the text itself is never changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dedup.diff.model import AlignedDiff, Block, Sentence
from dedup.diff.words import segments

LEGEND: list[tuple[str, str]] = [
    ("chg", "words changed"), ("del", "only in A"), ("ins", "only in B"), ("moved", "sentence moved"),
    ("fig:same", "figure in both"), ("fig:conflict", "figure in conflict"), ("frame", "framing differs"),
]


_CHANGE_TAGS = frozenset({"chg", "del", "ins", "triv"})


@dataclass(slots=True)
class Row:
    """One displayed row: the block on each side (None for an empty cell) and whether it is elided."""

    a: Block | None
    b: Block | None
    skipped: int = 0  # > 0: a placeholder for this many unchanged blocks (--only-changes)

    def to_dict(self) -> dict[str, object]:
        return {"a": self.a.to_dict() if self.a else None, "b": self.b.to_dict() if self.b else None,
                "skipped": self.skipped}


def rows(diff: AlignedDiff, *, only_changes: bool = False, hide_trivial: bool = False,
         separate_unmatched: bool = False) -> list[Row]:
    """Display rows: matched blocks on one row; runs of unmatched A and B blocks between them.

    With ``separate_unmatched``, every unmatched block gets a row of its own with the other side empty
    (the only-in-A ones of a gap first, then the only-in-B ones), so two unmatched sentences can never
    be read as a pair; without it (the original layout) they share rows side by side.
    With ``only_changes``, unmoved identical blocks (and, with ``hide_trivial``, blocks whose changes are
    all trivial) are folded into placeholder rows."""
    out: list[Row] = []
    pend_a: list[Block] = []
    pend_b: list[Block] = []
    skipped = 0

    def flush() -> None:
        nonlocal pend_a, pend_b
        if separate_unmatched:
            out.extend(Row(blk, None) for blk in pend_a)
            out.extend(Row(None, blk) for blk in pend_b)
            pend_a, pend_b = [], []
            return
        for k in range(max(len(pend_a), len(pend_b))):
            out.append(Row(pend_a[k] if k < len(pend_a) else None, pend_b[k] if k < len(pend_b) else None))
        pend_a, pend_b = [], []

    for blk in diff.blocks:
        if blk.kind == "only_a":
            pend_a.append(blk)
            continue
        if blk.kind == "only_b":
            pend_b.append(blk)
            continue
        flush()
        unchanged = blk.kind == "same" or (hide_trivial and all(c.op == "equal" or c.trivial for c in blk.changes))
        if only_changes and unchanged and not blk.moved:
            skipped += 1
            continue
        if skipped:
            out.append(Row(None, None, skipped))
            skipped = 0
        out.append(Row(blk, blk))
    flush()
    if skipped:
        out.append(Row(None, None, skipped))
    return out


def side_text(diff: AlignedDiff, block: Block, side: str) -> tuple[str, list[tuple[Sentence, int]]]:
    """The text of one side of a block (its sentences joined by a space) and each sentence's offset in it."""
    sents = diff.sentences_a if side == "a" else diff.sentences_b
    idx = block.a if side == "a" else block.b
    parts, offsets, pos = [], [], 0
    for i in idx:
        offsets.append((sents[i], pos))
        parts.append(sents[i].text)
        pos += len(sents[i].text) + 1
    return " ".join(parts), offsets


def runs(diff: AlignedDiff, block: Block, side: str, *, hide_trivial: bool = False,
         figures_win: bool = False) -> list[tuple[str, frozenset[str]]]:
    """``(text, tags)`` runs of one side of ``block`` (see the module docstring).

    With ``figures_win``, a same or conflicting figure inside a matched block carries no change tag
    (the original behaviour, kept as the default, tags it with both)."""
    text, offsets = side_text(diff, block, side)
    tags: list[set[str]] = [set() for _ in text]
    if block.a and block.b:
        pos = 0
        for chunk, op, trivial in segments(text, block.changes, side):
            if op != "equal":
                tag = "triv" if trivial else ("chg" if op == "replace" else ("del" if side == "a" else "ins"))
                if not (trivial and hide_trivial):
                    for k in range(pos, pos + len(chunk)):
                        tags[k].add(tag)
            pos += len(chunk)
    else:
        for t in tags:
            t.add("del" if side == "a" else "ins")
    starts = {s.index: off - s.start for s, off in offsets}
    for m in block.framing:
        if m.side == side and m.sentence in starts:
            for k in range(max(0, m.start + starts[m.sentence]), min(len(text), m.end + starts[m.sentence])):
                tags[k].add("frame:" + m.category)
    for fp in diff.figures:
        fig = fp.a if side == "a" else fp.b
        if fig is None or fig.sentence not in starts:
            continue
        for k in range(max(0, fig.start + starts[fig.sentence]), min(len(text), fig.end + starts[fig.sentence])):
            tags[k].add("fig:" + fp.status)
    if figures_win and block.a and block.b:  # a figure's own status wins over the token-level word diff around it
        for tg in tags:
            if "fig:same" in tg or "fig:conflict" in tg:
                tg.difference_update(_CHANGE_TAGS)
    out: list[tuple[str, frozenset[str]]] = []
    for ch, tg in zip(text, tags, strict=True):
        ft = frozenset(tg)
        if out and out[-1][1] == ft:
            out[-1] = (out[-1][0] + ch, ft)
        else:
            out.append((ch, ft))
    return out


def figure_rows(diff: AlignedDiff, *, include_only: bool = True) -> Iterator[tuple[str, str, str, str, str, str]]:
    """``(status, A text, B text, counts, where, when)`` per figure pair, conflicts and same first."""
    order = {"conflict": 0, "same": 1, "only_a": 2, "only_b": 3}
    for fp in sorted(diff.figures, key=lambda f: order[f.status]):
        if not include_only and fp.status.startswith("only"):
            continue
        f = fp.a or fp.b
        assert f is not None
        yield (fp.status, fp.a.text if fp.a else "", fp.b.text if fp.b else "", f.counts or "", f.where or "",
               f.when or "")


def figure_labels(diff: AlignedDiff) -> Iterator[tuple[str, str]]:
    """``(status, label)`` per figure pair, conflicts first: ("conflict", "38 -> 130 drones")."""
    order = {"conflict": 0, "same": 1, "only_a": 2, "only_b": 3}
    for fp in sorted(diff.figures, key=lambda f: order[f.status]):
        yield fp.status, fp.label()


def conflict_labels(diff: AlignedDiff) -> list[str]:
    """The figures in conflict as a reader says them ("38 -> 130 drones"), in A order."""
    return [fp.label() for fp in diff.figures if fp.status == "conflict" and not (fp.a and fp.a.kind == "range")]


def summary_line(diff: AlignedDiff) -> str:
    """One line: the figures in conflict first ("38 -> 130 drones"), then words changed, sentences
    shared/moved, figures same/conflict/only."""
    s = diff.summary
    conflicts = conflict_labels(diff)
    head = ("conflicts: " + "; ".join(conflicts) + " · ") if conflicts else ""
    return (f"{head}{s.words_changed_pct:.1f}% of words changed · {s.sentences_shared} sentence pairs shared "
            f"({s.sentences_a} in A, {s.sentences_b} in B, {s.sentences_moved} moved) · figures: "
            f"{s.figures_same} same, {s.figures_conflict} in conflict, {s.figures_only_a} only in A, "
            f"{s.figures_only_b} only in B")
