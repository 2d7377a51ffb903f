"""Who the story is about: the named entities of an article's lead, and whether another article knows them.

News names the incident's actors and places in its first lines ("Pierre Thomas placed on injured
reserve", "a 6.1 quake strikes Aceh"). A report of the same incident mentions at least some of them
somewhere; a report of a look-alike incident (another running back of the same team, another quake in
the same country) names others. For articles ``a`` and ``b``:

``miss(a, b) = sum of idf(e) over lead entities e of a absent from b / sum of idf(e) over a's lead entities``

with ``idf(e) = log((N + 1) / df(e))`` over the corpus (entities of one article only are left out: no
other article can know them). The *actor conflict* of the pair is
``clip((min(miss(a, b), miss(b, a)) - ACTOR_FLOOR) / (1 - ACTOR_FLOOR), 0, 1)``: both leads' actors must be
unknown to the other article, and a few missing names count nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup.incident.features import entities
from dedup.text.sentences import split_sentences

__all__ = ["ACTOR_FLOOR", "LEAD_SENTENCES", "ActorProfile", "actor_conflicts", "actor_profiles"]

#: Sentences of the body (after the title, when there is one) whose entities are the lead's actors.
LEAD_SENTENCES = 2
#: Fraction of missing lead weight that counts nothing.
ACTOR_FLOOR = 0.5
#: Characters of the body split to find the lead sentences.
_PREFIX = 1500


@dataclass(slots=True, frozen=True)
class ActorProfile:
    """An article's lead entities with their weights, and every entity it names."""

    lead: dict[str, float]
    names: frozenset[str]


def _lead_text(title: str | None, text: str) -> str:
    sents = split_sentences(text[:_PREFIX])
    body = " ".join(s.text for s in sents[:LEAD_SENTENCES])
    return f"{title}\n{body}" if title else body


def actor_profiles(articles: Sequence[tuple[str | None, str]]) -> list[ActorProfile]:
    """The :class:`ActorProfile` of each ``(title, text)``, weights from the corpus's entity IDF."""
    names = [frozenset(entities(f"{t}\n{x}" if t else x)) for t, x in articles]
    df: Counter[str] = Counter(e for s in names for e in s)
    n = len(articles)
    out = []
    for (title, text), all_names in zip(articles, names, strict=True):
        lead = {e: float(np.log((n + 1) / df[e])) for e in set(entities(_lead_text(title, text))) if df[e] >= 2}
        out.append(ActorProfile(lead, all_names))
    return out


def _miss(a: ActorProfile, b: ActorProfile) -> float | None:
    total = sum(a.lead.values())
    if total <= 0:
        return None
    return sum(w for e, w in a.lead.items() if e not in b.names) / total


def actor_conflicts(profiles: Sequence[ActorProfile], rows: np.ndarray, cols: np.ndarray, *,
                    floor: float = ACTOR_FLOOR) -> np.ndarray:
    """The actor conflict of every edge ``(rows[e], cols[e])`` (0 where either lead names no one)."""
    out = np.zeros(len(rows))
    for e, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        ab, ba = _miss(profiles[i], profiles[j]), _miss(profiles[j], profiles[i])
        if ab is not None and ba is not None:
            out[e] = min(1.0, max(0.0, (min(ab, ba) - floor) / (1.0 - floor)))
    return out
