"""The lead of an article (its title, or its first sentence) as evidence of the same incident.

News puts the event in the first line: who, what, where. Two reports of one incident often share their
lead's key words even when their bodies are written apart, and two events of one storyline (two days of
one war) usually do not. The ``lead`` evidence of a pair is the cosine of the two leads' TF-IDF vectors
(the corpus's document vocabulary and IDF), counted from ``LEAD_FLOOR`` up:
``lead' = clip((lead - LEAD_FLOOR) / (1 - LEAD_FLOOR), 0, 1)``, so leads that share only a common word
add nothing. An article of one sentence (a headline) has no separate lead: the document cosine already
is its lead cosine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from dedup.incident.features import term_counts, tfidf_rows
from dedup.text.sentences import split_sentences

__all__ = ["LEAD_FLOOR", "LEAD_PREFIX", "lead_matrix", "lead_part", "lead_text", "titled_lead"]

#: Lead cosine below which the lead adds nothing.
LEAD_FLOOR = 0.2
#: Characters split into sentences to find the lead (the whole text only when they hold fewer than two).
LEAD_PREFIX = 1000


def lead_text(text: str) -> str | None:
    """The first sentence of ``text`` (the title, when the text starts with it), or ``None`` for a
    text of one sentence."""
    sents = split_sentences(text[:LEAD_PREFIX])
    if (len(sents) < 2 or sents[1].end >= LEAD_PREFIX - 1) and len(text) > LEAD_PREFIX:
        sents = split_sentences(text)  # the prefix cut the second sentence: split it all
    return sents[0].text if len(sents) >= 2 else None


def titled_lead(title: str | None, full: str, text_has_sentence: bool) -> str | None:
    """:func:`lead_text` of ``full`` (the title, a line break, the text), from the title split on its own
    when it is one short line: the lead is then the title's first sentence whenever ``full`` has two
    (``text_has_sentence``: the text part has one)."""
    if not title or "\n" in title or len(title) >= LEAD_PREFIX // 2:
        return lead_text(full)
    head = split_sentences(title)
    if not head:
        return lead_text(full)
    return head[0].text if len(head) >= 2 or text_has_sentence else None


def lead_matrix(texts: Sequence[str], vocab: Mapping[str, int], idf: np.ndarray) -> sp.csr_matrix:
    """Row-normalised TF-IDF vectors of each text's lead (``1 + log tf`` times the document ``idf``;
    terms outside ``vocab`` dropped); an empty row for a text without a lead. Indices sorted, so
    ``row_dots`` takes its compiled path."""
    bags = [Counter() if lead is None else term_counts(lead) for lead in map(lead_text, texts)]
    out = tfidf_rows(bags, vocab, idf)
    out.sort_indices()
    return out


def lead_part(lead: np.ndarray | float) -> np.ndarray | float:
    """The lead cosine as evidence: ``clip((lead - LEAD_FLOOR) / (1 - LEAD_FLOOR), 0, 1)``."""
    out = np.clip((np.asarray(lead, dtype=np.float64) - LEAD_FLOOR) / (1.0 - LEAD_FLOOR), 0.0, 1.0)
    return float(out) if np.ndim(out) == 0 else out
