"""The aligned diff as a data model: what every face (terminal, JSON, Markdown, HTML, TUI) renders.

An ``AlignedDiff`` holds both articles' sentences, the ``Block``s that align them (same, changed,
moved, merged/split, only in A, only in B), the word changes inside each block, the paired figures,
the framing marks and a summary. It knows nothing of rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from dedup.text.figures import Figure

BlockKind = Literal["same", "changed", "only_a", "only_b"]
FigureStatus = Literal["same", "conflict", "only_a", "only_b"]
Side = Literal["a", "b"]


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence of one article: its position, its text and its character span in the article."""

    index: int
    text: str
    start: int
    end: int
    paragraph: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "text": self.text, "span": [self.start, self.end],
                "paragraph": self.paragraph}


@dataclass(slots=True, frozen=True)
class WordChange:
    """One run of the word-level diff inside a block: ``op`` as difflib's opcodes."""

    op: Literal["equal", "replace", "delete", "insert"]
    a: str
    b: str
    trivial: bool = False  # only punctuation or case differ

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "a": self.a, "b": self.b, "trivial": self.trivial}


@dataclass(slots=True, frozen=True)
class FramingMark:
    """A framing cue in one sentence: ``category`` is attribution, hedge, certainty, loaded or anonymous."""

    side: Side
    sentence: int
    category: str
    term: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"side": self.side, "sentence": self.sentence, "category": self.category,
                "term": self.term, "span": [self.start, self.end]}


@dataclass(slots=True)
class Block:
    """An aligned unit: sentence indices of A and of B (1-2 each side, or none on one side).

    ``moved`` is true when the pair is out of order relative to its neighbours; ``similarity`` in [0, 1];
    ``changes`` is the word diff; ``framing`` lists the marks that differ between the two sides.
    """

    kind: BlockKind
    a: list[int]
    b: list[int]
    similarity: float = 0.0
    moved: bool = False
    changes: list[WordChange] = field(default_factory=list)
    framing: list[FramingMark] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "a": list(self.a), "b": list(self.b),
                "similarity": round(self.similarity, 4), "moved": self.moved,
                "changes": [c.to_dict() for c in self.changes],
                "framing": [m.to_dict() for m in self.framing]}


@dataclass(slots=True, frozen=True)
class FigurePair:
    """A figure of A paired with one of B (or alone): status same, conflict, only_a or only_b."""

    status: FigureStatus
    a: Figure | None
    b: Figure | None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "a": self.a.to_dict() if self.a else None,
                "b": self.b.to_dict() if self.b else None, "label": self.label()}

    def label(self) -> str:
        """How a reader says it: "38 -> 130 drones" (a conflict), "38 drones" (same or one side), "4.2% -> 5%"."""
        f = self.a or self.b
        assert f is not None
        noun = ""
        if f.counts and f.kind in ("count", "ordinal", "range", "fraction"):
            noun = " " + (f.counts if f.kind != "count" or f.value == 1.0 else _plural(f.counts))
        if self.a is not None and self.b is not None and self.a.value != self.b.value:
            return f"{self.a.label()} -> {self.b.label()}{noun}"
        return f"{f.label()}{noun}"


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es" if not noun.endswith("s") or noun.endswith("ss") else noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return {"person": "people", "man": "men", "woman": "women", "child": "children"}.get(noun, noun + "s")


@dataclass(slots=True, frozen=True)
class DiffSummary:
    """Headline numbers: share of words changed, sentences shared, figures same / in conflict."""

    words_changed_pct: float
    sentences_a: int
    sentences_b: int
    sentences_shared: int
    sentences_moved: int
    figures_same: int
    figures_conflict: int
    figures_only_a: int
    figures_only_b: int
    framing_a: dict[str, int] = field(default_factory=dict)  # marks of A by category
    framing_b: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {k: (dict(v) if isinstance(v := getattr(self, k), dict) else v)
                for k in self.__slots__}  # type: ignore[attr-defined]


@dataclass(slots=True)
class AlignedDiff:
    """The whole comparison of article A with article B."""

    a_id: str
    b_id: str
    sentences_a: list[Sentence]
    sentences_b: list[Sentence]
    blocks: list[Block]
    figures: list[FigurePair]
    framing: list[FramingMark]
    summary: DiffSummary

    def to_dict(self) -> dict[str, Any]:
        return {"a": {"id": self.a_id, "sentences": [s.to_dict() for s in self.sentences_a]},
                "b": {"id": self.b_id, "sentences": [s.to_dict() for s in self.sentences_b]},
                "blocks": [b.to_dict() for b in self.blocks],
                "figures": [f.to_dict() for f in self.figures],
                "framing": [m.to_dict() for m in self.framing],
                "summary": self.summary.to_dict()}
