"""The ``table`` output format: a rich table for people (clusters grouped, every article listed).

Article rows are grouped by cluster (a rule between clusters); ``*`` marks the representative; an
article without a title shows the first words of its text.
``keep_one`` and ``pairs`` rows are shown as a plain table of their columns (long values cut).
"""

from __future__ import annotations

import io
from typing import Any

from dedup.model import ClusterResult

__all__ = ["MAX_CELL", "build_table", "cell_stand_in", "table_text"]

#: Longest cell shown (characters) for free text such as titles and input fields.
MAX_CELL = 60
_MIN = {"cluster": 12, "cluster_size": 4, "representative": 3, "similarity": 5, "date": 10, "title": 12}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.3f}"
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def cell_stand_in(text: str) -> str:
    """A short string whose table cell equals ``text``'s (streaming keeps it instead of the text)."""
    t = " ".join(text.split())
    return t if len(t) <= MAX_CELL else t[: MAX_CELL - 1] + "……"


def build_table(result: ClusterResult, rows: list[dict[str, Any]], *, keep_one: bool = False,
                pairs: bool = False) -> Any:
    """A ``rich.table.Table`` of ``rows`` (article rows grouped by cluster)."""
    from rich.table import Table

    from dedup.io.rows import columns_of

    n = sum(c.size for c in result.clusters)
    caption = (f"{n} articles, {len(result.clusters)} clusters, {n - len(result.clusters)} duplicates, "
               f"{len(result.pairs)} verified pairs")
    table = Table(caption=caption, show_lines=False, header_style="bold")
    cols = columns_of(rows)
    grouped = not keep_one and not pairs and "cluster" in cols and "id" in cols
    if not grouped:
        for c in cols:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*(_cell(r.get(c)) for c in cols))
        return table
    show = [c for c in ("cluster", "cluster_size", "representative", "id", "best_match", "similarity", "date",
                        "title") if c in cols]
    names = {"cluster_size": "size", "representative": "rep", "best_match": "best match",
             "similarity": "sim", "title": "title / first words"}
    texts = {a.id: a.text for a in result.articles}
    for c in show:
        table.add_column(names.get(c, c), justify="right" if c in ("cluster_size", "similarity") else "left",
                         no_wrap=c != "title", min_width=_MIN.get(c), ratio=1 if c == "title" else None)
    last = None
    for r in rows:
        first = r.get("cluster") != last
        if first and last is not None:
            table.add_section()
        last = r.get("cluster")
        cells = []
        for c in show:
            if c == "representative":
                cells.append("*" if r.get(c) else "")
            elif c in ("cluster", "cluster_size") and not first:
                cells.append("")
            elif c == "title" and not r.get(c):
                cells.append(_cell(texts.get(r.get("id"), "")))
            else:
                cells.append(_cell(r.get(c)))
        table.add_row(*cells)
    return table


def table_text(result: ClusterResult, rows: list[dict[str, Any]], *, keep_one: bool = False,
               pairs: bool = False, width: int | None = None) -> str:
    """The table as plain text (no colours), ``width`` columns wide (default 160)."""
    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=width or 160, color_system=None, force_terminal=False,
            soft_wrap=False).print(build_table(result, rows, keep_one=keep_one, pairs=pairs))
    return buf.getvalue()
