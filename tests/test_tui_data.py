"""What the screens show, computed without Textual, and the clusters screen with 100k articles."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dedup.grouping import build_clusters
from dedup.io.readers import read
from dedup.model import Article, ClusterResult, Pair
from tui.data import ClusterIndex, default_pair, fact_label, first_line, members_order

A, B = "003_9d6c7fdfd1e655bd.txt", "004_1363d7abf5fa0263.txt"


def result_of(articles: list[Article], pairs: list[Pair]) -> ClusterResult:
    return ClusterResult(articles=articles, clusters=build_clusters(sorted(articles, key=lambda a: a.id), pairs),
                         pairs=pairs)


def galaxy_result(records: list[dict]) -> ClusterResult:
    """The galaxy excerpt grouped by its ``event`` labels (every pair of one event, scored by position)."""
    arts = [Article(id=str(r["id"]), text=r["text"], title=r.get("title")) for r in records]
    by_event: dict[str, list[str]] = {}
    for r in records:
        by_event.setdefault(str(r["event"]), []).append(str(r["id"]))
    pairs = [Pair(*sorted((ids[i], ids[j])), 0.5 + 0.01 * (i + j))
             for ids in by_event.values() for i in range(len(ids)) for j in range(i + 1, len(ids))]
    return result_of(arts, sorted(pairs, key=lambda p: (p.a, p.b)))


def test_view_filters_sorts_and_hides_singletons(galaxy_records: list[dict]) -> None:
    result = galaxy_result(galaxy_records)
    index = ClusterIndex(result)
    multi = index.view()
    assert multi and all(r.cluster.size > 1 for r in multi)
    assert len(index.view(singletons=True)) == len(result.clusters)
    sizes = [r.cluster.size for r in multi]
    assert sizes == sorted(sizes, reverse=True)
    scores = [r.score for r in index.view(sort="score", singletons=True)]
    assert scores == sorted(scores, reverse=True)
    word = multi[0].title.split()[0]
    hits = index.view(query=word.upper(), singletons=True)
    assert hits and all(word.casefold() in r.title.casefold() or any(word.casefold() in m.casefold()
                                                                     for m in r.cluster.members) for r in hits)
    member = multi[-1].cluster.members[-1]
    assert [r.cluster.id for r in index.view(query=member)] == [multi[-1].cluster.id]
    assert index.largest() is multi[0].cluster
    with pytest.raises(ValueError):
        index.view(sort="colour")


def test_view_order_does_not_depend_on_input_order(galaxy_records: list[dict]) -> None:
    shuffled = list(galaxy_records)
    random.Random(7).shuffle(shuffled)
    for sort in ("size", "date", "score"):
        one = [r.cluster.id for r in ClusterIndex(galaxy_result(galaxy_records)).view(sort=sort, singletons=True)]
        two = [r.cluster.id for r in ClusterIndex(galaxy_result(shuffled)).view(sort=sort, singletons=True)]
        assert one == two


def test_shared_facts_of_003_and_004_are_the_october_31_report(samples_dir: Path) -> None:
    arts = read(str(samples_dir))[0]
    result = result_of(arts, [Pair(A, B, 0.6)])
    index = ClusterIndex(result)
    facts = index.facts(result.cluster_of()[A], top=5)
    assert "38 drone" in facts and "34 @belgorod" in facts
    assert index.facts(result.cluster_of()["000_f667ce42480b2753.txt"]) == []  # a singleton shares nothing


def test_default_pair_is_the_representative_and_its_most_similar_member() -> None:
    arts = [Article(id=i, text=f"text {i}", date=d) for i, d in (("a", "2024-01-02"), ("b", "2024-01-01"),
                                                                ("c", None), ("d", "2024-01-03"))]
    result = result_of(arts, [Pair("a", "b", 0.7), Pair("b", "d", 0.9), Pair("b", "c", 0.8), Pair("a", "d", 0.95)])
    c = result.clusters[0]
    assert c.representative == "b"  # earliest date
    assert default_pair(c) == ("b", "d")
    assert list(members_order(c, "b")) == ["b", "d", "c", "a"]
    assert default_pair(result_of(arts[:1], []).clusters[0]) is None


def test_labels_and_first_lines() -> None:
    assert fact_label("n:38:drone") == "38 drone"
    assert fact_label("n:34:@belgorod") == "34 @belgorod"
    assert fact_label("d:--10-31") == "10-31"
    assert fact_label("%:12") == "12%"
    art = Article(id="x", text="\n\n  First   line here.\nSecond.")
    assert first_line(art) == "First line here."
    assert first_line(Article(id="y", text="z", title="A title")) == "A title"
    assert len(first_line(Article(id="w", text="word " * 100), 20)) == 20


def big_result(n_articles: int = 100_000, n_clusters: int = 10_000) -> ClusterResult:
    """100k articles in 10k clusters of 2..18 (the rest singletons), built directly, no clustering."""
    rng = random.Random(3)
    arts = [Article(id=f"a{k:06d}", text=f"Article {k} about event {k % 997}: {k % 13} drones over town {k % 7}.",
                    date=f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}") for k in range(n_articles)]
    from dedup.model import Cluster

    clusters, pos = [], 0
    for c in range(n_clusters):
        size = rng.randint(2, 18)
        members = [a.id for a in arts[pos:pos + size]]
        pos += size
        pairs = [Pair(members[0], m, rng.random()) for m in members[1:]]
        clusters.append(Cluster(id=f"c-{c:06d}", members=members, representative=members[0], pairs=pairs))
    clusters += [Cluster(id=f"s-{a.id}", members=[a.id], representative=a.id) for a in arts[pos:]]
    return ClusterResult(articles=arts, clusters=clusters, pairs=[p for c in clusters for p in c.pairs])


@pytest.mark.slow
async def test_clusters_screen_builds_rows_lazily_with_100k_articles(tmp_path: Path) -> None:
    from tui.app import ReviewApp
    from tui.screens.clusters import ClustersScreen
    from tui.widgets.cluster_table import PAGE

    result = big_result()
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(400):
            if len(app.screen_stack) >= 3:
                break
            await pilot.pause(0.05)
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, ClustersScreen)
        table = screen.table
        assert len(table.view_rows) == 10_000 and table.row_count == PAGE  # one page built, not 10k rows
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert PAGE < table.row_count < 10_000  # the next page came when the cursor neared the end
        loaded = table.row_count
        table.scroll_end(animate=False)  # scrolling (wheel, scrollbar) to the end loads more too
        await pilot.pause()
        await pilot.pause()
        assert loaded < table.row_count
        await pilot.press("a")  # singletons too: still one page
        assert len(table.view_rows) == len(result.clusters) and table.row_count == PAGE
        await pilot.press("slash", *"a099999")
        await pilot.pause()
        assert [r.cluster.id for r in table.view_rows] == ["s-a099999"]
        await app.workers.wait_for_complete()
