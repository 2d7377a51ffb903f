"""What the screens show, computed from a ``ClusterResult`` without Textual: rows, filters, sorts, facts.

Nothing here clusters or diffs: it only arranges the library's models for display.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dedup.model import Article, Cluster, ClusterResult

SORTS = ("size", "date", "score")


def first_line(article: Article, width: int = 120) -> str:
    """The title, or else the first non-empty line of the text, cut to ``width`` characters."""
    text = article.title or next((ln.strip() for ln in article.text.splitlines() if ln.strip()), "")
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(slots=True)
class ClusterRow:
    """One line of the clusters screen: the cluster, its title, date range and best pair score."""

    cluster: Cluster
    title: str
    first_date: str | None
    last_date: str | None
    score: float

    @property
    def dates(self) -> str:
        if not self.first_date:
            return ""
        return self.first_date if self.first_date == self.last_date else f"{self.first_date}…{self.last_date}"

    def to_dict(self) -> dict[str, object]:
        return {"cluster": self.cluster.id, "size": self.cluster.size, "title": self.title,
                "first_date": self.first_date, "last_date": self.last_date, "score": self.score}


_SORT_KEYS = {
    "size": lambda r: (-r.cluster.size, -r.score, r.cluster.id),
    "date": lambda r: (r.first_date is None, r.first_date or "", -r.cluster.size, r.cluster.id),
    "score": lambda r: (-r.score, -r.cluster.size, r.cluster.id),
}


class ClusterIndex:
    """The clusters of a result as rows, with ``view()`` to filter and sort them (cheap for 10k clusters)."""

    def __init__(self, result: ClusterResult) -> None:
        self.result = result
        self.articles: dict[str, Article] = {a.id: a for a in result.articles}
        self.rows: list[ClusterRow] = []
        for c in result.clusters:
            dates = sorted(d for m in c.members if (d := self.articles[m].date))
            score = max((p.score for p in c.pairs), default=0.0)
            self.rows.append(ClusterRow(c, first_line(self.articles[c.representative]),
                                        dates[0] if dates else None, dates[-1] if dates else None, score))
        self.by_id = {r.cluster.id: r for r in self.rows}
        self._facts: dict[str, list[str]] = {}
        self._hay: list[str] | None = None
        self._sorted: dict[tuple[str, bool], list[int]] = {}

    def _haystack(self) -> list[str]:
        if self._hay is None:  # built on the first filter: title, cluster id and member ids, casefolded
            self._hay = ["\n".join([r.title, r.cluster.id, *r.cluster.members]).casefold() for r in self.rows]
        return self._hay

    def view(self, *, query: str = "", sort: str = "size", singletons: bool = False) -> list[ClusterRow]:
        """Rows matching ``query`` (in title, cluster id or member ids; case-insensitive), sorted by ``sort``.

        ``size``: largest first; ``date``: earliest first, undated last; ``score``: best pair first.
        Ties are broken by cluster id, so the order never depends on the input order.
        """
        key = (sort, singletons)
        if key not in self._sorted:  # sorted once per (sort, singletons); filtering keeps that order
            if sort not in SORTS:
                raise ValueError(f"unknown sort {sort!r} (choose from {', '.join(SORTS)})")
            order = [k for k, r in enumerate(self.rows) if singletons or r.cluster.size > 1]
            order.sort(key=lambda k: _SORT_KEYS[sort](self.rows[k]))
            self._sorted[key] = order
        order = self._sorted[key]
        q = query.strip().casefold()
        if not q:
            return [self.rows[k] for k in order]
        hay = self._haystack()
        return [self.rows[k] for k in order if q in hay[k]]

    def largest(self) -> Cluster | None:
        """The cluster to open first: the largest non-singleton (then best score, then id)."""
        rows = self.view(sort="size")
        return rows[0].cluster if rows else None

    def facts(self, cluster: Cluster, *, top: int = 3, max_members: int = 6) -> list[str]:
        """The ``top`` facts most members report (at least two), e.g. ``38 drone``; cached per cluster."""
        if cluster.id in self._facts:
            return self._facts[cluster.id]
        out: list[str] = []
        if cluster.size > 1:
            from dedup.incident.facts import article_facts

            members = [cluster.representative] + [m for m in cluster.members if m != cluster.representative]
            counts: Counter[str] = Counter()
            first_seen: dict[str, int] = {}
            for m in members[:max_members]:
                art = self.articles[m]
                keys = [f.key for f in article_facts(art.text, date=art.date)]
                for k in keys:
                    first_seen.setdefault(k, len(first_seen))
                counts.update(set(keys))
            # most members first, then in the order the representative (then the others) reports them
            shared = sorted((k for k, n in counts.items() if n >= 2), key=lambda k: (-counts[k], first_seen[k]))
            out = [fact_label(k) for k in shared[:top]]
        self._facts[cluster.id] = out
        return out


def fact_label(key: str) -> str:
    """A readable form of a fact key: ``n:38:drone`` -> ``38 drone``, ``n:34:@belgorod`` -> ``34 @belgorod``."""
    kind, _, rest = key.partition(":")
    if kind == "d":
        return rest.lstrip("-")
    if kind == "n":
        return " ".join(p for p in rest.split(":") if p)
    if kind == "%":
        return rest + "%"
    if kind == "$":
        unit, _, value = rest.partition(":")
        return f"{value} {unit}".strip()
    return rest


def pair_scores(cluster: Cluster) -> dict[tuple[str, str], float]:
    """``{(a, b): score}`` of the verified pairs inside ``cluster`` (``a < b``)."""
    return {(p.a, p.b): p.score for p in cluster.pairs}


def scores_with(cluster: Cluster, anchor: str) -> dict[str, float]:
    """``{member: score}`` of the verified pairs ``(anchor, member)`` in ``cluster`` (unscored pairs left out)."""
    return {(p.b if p.a == anchor else p.a): p.score for p in cluster.pairs if anchor in (p.a, p.b)}


def score_with(cluster: Cluster, anchor: str, member: str) -> float | None:
    """The verified score of ``(anchor, member)`` in ``cluster``, or ``None`` when that pair was not scored."""
    return scores_with(cluster, anchor).get(member)


def default_pair(cluster: Cluster) -> tuple[str, str] | None:
    """The pair to compare first: the representative and the member most similar to it.

    Members without a scored pair with the representative fall back to their best score with anyone.
    """
    if cluster.size < 2:
        return None
    rep = cluster.representative
    best: dict[str, float] = {}
    direct: dict[str, float] = {}
    for p in cluster.pairs:
        for x in (p.a, p.b):
            best[x] = max(best.get(x, 0.0), p.score)
        if rep in (p.a, p.b):
            other = p.b if p.a == rep else p.a
            direct[other] = p.score
    others = [m for m in cluster.members if m != rep]
    other = min(others, key=lambda m: (-direct.get(m, -1.0), -best.get(m, 0.0), m))
    return rep, other


def members_order(cluster: Cluster, anchor: str) -> Sequence[str]:
    """Members with ``anchor`` first, then by score with it (highest first), then by id."""
    known = scores_with(cluster, anchor)
    rest = sorted((m for m in cluster.members if m != anchor), key=lambda m: (-known.get(m, -1.0), m))
    return [anchor, *rest]
