"""Why two articles are (or are not) grouped: the evidence of one pair, as a model every face can render.

``explain(articles, a, b)`` scores the whole input as incident mode does (so IDF weights, the adaptive
threshold and the passage spread are the corpus's own), then reports for the pair ``(a, b)``: each
score, the shared passages side by side, the shared facts with their IDF weights, the conflicting
facts (same slot, other value), whether the clustering put them together and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dedup.errors import UsageError
from dedup.incident import score
from dedup.incident.cores import group_conflict, unknown_core_names
from dedup.incident.facts import Fact, conflict_notes, shared_and_conflicting
from dedup.incident.features import entities
from dedup.incident.lead import lead_text
from dedup.incident.passage_matches import PassageMatch
from dedup.incident.score import _article_text, build_graph, group
from dedup.model import Article


@dataclass(slots=True, frozen=True)
class SharedFact:
    """A fact both articles report (``status`` same) or a slot they fill differently (``conflict``)."""

    status: str
    key: str
    weight: float
    text_a: str
    text_b: str
    key_b: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "key": self.key, "key_b": self.key_b, "weight": round(self.weight, 4),
                "a": self.text_a, "b": self.text_b}


@dataclass(slots=True)
class Explanation:
    """The evidence for one pair and the decision."""

    a: str
    b: str
    scores: dict[str, float]
    threshold: float
    grouped: bool
    reason: str
    passages: list[PassageMatch] = field(default_factory=list)
    facts: list[SharedFact] = field(default_factory=list)
    cluster_a: list[str] = field(default_factory=list)
    cluster_b: list[str] = field(default_factory=list)
    #: Each article's lead (title or first sentence; ``None`` for a one-sentence text), as ``lead`` compares.
    leads: tuple[str | None, str | None] = (None, None)
    #: What the two contradict (dates that never meet, places, figures of one slot, article dates).
    conflicts: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "scores": {k: round(v, 6) for k, v in self.scores.items()},
                "threshold": round(self.threshold, 6), "grouped": self.grouped, "reason": self.reason,
                "passages": [p.to_dict() for p in self.passages], "facts": [f.to_dict() for f in self.facts],
                "cluster_a": self.cluster_a, "cluster_b": self.cluster_b,
                "leads": {"a": self.leads[0], "b": self.leads[1]}, "conflicts": self.conflicts}


#: The conflict scores of an edge (``score.EDGE_FIELDS``) and their default weights.
CONFLICTS = {"figure_conflict": score.FIGURE_CONFLICT_WEIGHT, "date_conflict": score.DATE_CONFLICT_WEIGHT,
             "place_conflict": score.PLACE_CONFLICT_WEIGHT, "actor_conflict": score.ACTOR_CONFLICT_WEIGHT}


def _context(fact: Fact, text: str, width: int = 30) -> str:
    s, e = fact.figure.start, fact.figure.end
    left = text[max(0, s - width):s].split("\n")[-1]
    right = text[e:e + width].split("\n")[0]
    return f"...{left}[{text[s:e]}]{right}..."


def _facts(facts_a: Sequence[Fact], facts_b: Sequence[Fact], text_a: str, text_b: str,
           idf: dict[str, float]) -> list[SharedFact]:
    shared, conflicts = shared_and_conflicting(facts_a, facts_b)
    first_a = {f.key: f for f in reversed(facts_a)}
    first_b = {f.key: f for f in reversed(facts_b)}
    out = [SharedFact("same", k, idf.get(k, 0.0), _context(first_a[k], text_a), _context(first_b[k], text_b))
           for k in shared]
    out.sort(key=lambda f: (-f.weight, f.key))
    out += [SharedFact("conflict", ka, idf.get(ka, 0.0), _context(first_a[ka], text_a),
                       _context(first_b[kb], text_b), kb) for ka, kb in conflicts]
    return out


def _actor_note(graph: score.IncidentGraph, labels: Sequence[int], i: int, j: int) -> str | None:
    """What the clusters of articles ``i`` and ``j`` name that the other does not, when that refuses their
    merge (``cores.group_conflict``); ``None`` otherwise."""
    if graph.cores is None:
        return None
    members_a = [k for k in range(len(labels)) if labels[k] == labels[i]]
    members_b = [k for k in range(len(labels)) if labels[k] == labels[j]]
    if not group_conflict(graph.cores, members_a, members_b):
        return None
    names = [[list(entities(_article_text(graph.articles[k]))) for k in m] for m in (members_a, members_b)]
    own_a, own_b = ([n.title() for n in own] for own in unknown_core_names(graph.cores, names[0], names[1]))
    return (f"actors: the {len(members_a)} articles of a's cluster name {', '.join(own_a)}; "
            f"the {len(members_b)} of b's name {', '.join(own_b)}; neither cluster names the other's")


def explain(articles: Sequence[Article], a: str, b: str, *, threshold: float | None = None,
            num_perm: int = 64, seed: int = 1) -> Explanation:
    """Explain the incident decision for articles ``a`` and ``b`` within ``articles`` (ids).

    Raises ``UsageError`` when an id is not among the articles or ``a == b``.
    """
    ids = {x.id for x in articles}
    for name in (a, b):
        if name not in ids:
            known = ", ".join(sorted(ids)[:5])
            raise UsageError(f"no article with id {name!r} in the input (ids look like: {known})")
    if a == b:
        raise UsageError("explain needs two different articles")
    a, b = sorted((a, b))
    graph = build_graph(articles, threshold=threshold, num_perm=num_perm, seed=seed)
    labels = group(graph)
    i, j = graph.index(a), graph.index(b)
    edge = graph.edges.get((i, j), {"document": 0.0, "passages": 0.0, "facts": 0.0, "lead": 0.0, "combined": 0.0})
    t = graph.threshold
    grouped = labels[i] == labels[j]
    combined = edge["combined"]
    cluster_a = [graph.articles[k].id for k in range(len(labels)) if labels[k] == labels[i]]
    cluster_b = [graph.articles[k].id for k in range(len(labels)) if labels[k] == labels[j]]
    if grouped and combined >= t:
        reason = f"grouped: combined score {combined:.3f} >= threshold {t:.3f}"
        if len(cluster_a) > 2:
            reason += f", and on average the {len(cluster_a)} articles of their cluster stay above it"
    elif grouped:
        reason = (f"grouped through other articles: their own combined score {combined:.3f} is below the "
                  f"threshold {t:.3f}, but both are close to the rest of their cluster")
    elif combined >= t:
        reason = (f"not grouped: combined score {combined:.3f} >= threshold {t:.3f}, but the average "
                  f"similarity of their two clusters is below it (one link does not join two stories)")
    else:
        parts = ", ".join(f"{k} {edge[k]:.3f}" for k in ("document", "passages", "facts", "lead"))
        if edge.get("time", 1.0) < 1.0:
            parts += f", times {edge['time']:.3f} for the days between their dates"
        reason = f"not grouped: combined score {combined:.3f} < threshold {t:.3f} ({parts})"
    conflicts = [f"{k.split('_')[0]}s {edge[k]:.2f}" for k, w in CONFLICTS.items() if w and edge.get(k, 0.0)]
    if conflicts and not grouped:
        reason += "; lowered by conflicting " + ", ".join(conflicts)
    texts = {x.id: x.text for x in articles}
    notes = conflict_notes(graph.facts(i), graph.facts(j), date_a=graph.articles[i].date,
                           date_b=graph.articles[j].date)
    actors = _actor_note(graph, labels, i, j) if not grouped else None
    if actors:
        reason += "; their clusters name other actors (a group conflict)"
        notes.append(actors)
    leads = (lead_text(_article_text(graph.articles[i])), lead_text(_article_text(graph.articles[j])))
    return Explanation(a, b, dict(edge), t, grouped, reason, list(graph.passages.get((i, j), [])),
                       _facts(graph.facts(i), graph.facts(j), texts[a], texts[b], graph.fact_idf),
                       cluster_a, cluster_b, leads, notes)
