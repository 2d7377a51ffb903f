"""``compare(text_a, text_b)``: the whole aligned diff of two articles, as an ``AlignedDiff``.

Steps: sentences (``dedup.text.sentences``) -> alignment (``align``) -> word changes per block
(``words``) -> figures of each article (``dedup.text.figures``) paired using the alignment as a hint
(``figures``) -> framing marks per sentence, kept per block where the sides differ (``framing``) ->
summary. Deterministic: the same two texts always give the same diff.
"""

from __future__ import annotations

from dedup.diff.align import DEFAULT_MIN_SIMILARITY, align
from dedup.diff.figures import pair_figures
from dedup.diff.framing import Lexicon, default_lexicon, differing, find_marks, summary
from dedup.diff.model import AlignedDiff, DiffSummary, Sentence, WordChange
from dedup.diff.words import changed_word_counts, word_changes, word_count
from dedup.text.figures import extract_figures
from dedup.text.sentences import split_sentences


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` as ``Sentence`` models (index, text, span, paragraph)."""
    return [Sentence(i, s.text, s.start, s.end, s.paragraph) for i, s in enumerate(split_sentences(text))]


def compare(text_a: str, text_b: str, *, a_id: str = "A", b_id: str = "B", date_a: str | None = None,
            date_b: str | None = None, min_similarity: float = DEFAULT_MIN_SIMILARITY,
            lexicon: Lexicon | None = None) -> AlignedDiff:
    """Compare article A with article B.

    ``date_a``/``date_b`` (ISO) resolve relative dates in each text ("Sunday"); ``min_similarity`` in
    [0, 1] is the least sentence similarity to pair two sentences (see ``dedup.diff.align``);
    ``lexicon`` the framing word lists (default: built-in plus ``$DEDUP_FRAMING_WORDS``).
    """
    if not 0.0 < min_similarity <= 1.0:
        raise ValueError(f"min_similarity must be in (0, 1], not {min_similarity!r}")
    lex = lexicon or default_lexicon()
    sa, sb = sentences(text_a), sentences(text_b)
    blocks = align([s.text for s in sa], [s.text for s in sb], min_similarity=min_similarity)
    marks_a = [find_marks(s, "a", lex) for s in sa]
    marks_b = [find_marks(s, "b", lex) for s in sb]
    changed_a = changed_b = 0
    for blk in blocks:
        ta = " ".join(sa[i].text for i in blk.a)
        tb = " ".join(sb[j].text for j in blk.b)
        if blk.a and blk.b:
            blk.changes = word_changes(ta, tb)
            ca, cb = changed_word_counts(blk.changes)
        elif blk.a:
            blk.changes = [WordChange("delete", ta, "")]
            ca, cb = word_count(ta), 0
        else:
            blk.changes = [WordChange("insert", "", tb)]
            ca, cb = 0, word_count(tb)
        changed_a += ca
        changed_b += cb
        blk.framing = differing([m for i in blk.a for m in marks_a[i]], [m for j in blk.b for m in marks_b[j]])
    aligned = {(i, j) for blk in blocks for i in blk.a for j in blk.b}
    figures = pair_figures(extract_figures(text_a, date=date_a), extract_figures(text_b, date=date_b),
                           aligned=aligned)
    framing = [m for ms in marks_a for m in ms] + [m for ms in marks_b for m in ms]
    total = sum(word_count(s.text) for s in sa) + sum(word_count(s.text) for s in sb)
    fs = summary(framing)
    status = [f.status for f in figures]
    summ = DiffSummary(
        words_changed_pct=round(100.0 * (changed_a + changed_b) / total, 1) if total else 0.0,
        sentences_a=len(sa), sentences_b=len(sb),
        sentences_shared=sum(1 for b in blocks if b.a and b.b),
        sentences_moved=sum(1 for b in blocks if b.moved),
        figures_same=status.count("same"), figures_conflict=status.count("conflict"),
        figures_only_a=status.count("only_a"), figures_only_b=status.count("only_b"),
        framing_a=fs["a"], framing_b=fs["b"])
    return AlignedDiff(a_id, b_id, sa, sb, blocks, figures, framing, summ)
