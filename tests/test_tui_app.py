"""The review app driven by keys with ``App.run_test()``: every screen, jumps, search, marks saved and reopened."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.io.readers import read
from dedup.model import Article
from dedup.pipeline import cluster
from dedup.review import ReviewStore, load_decisions
from tui.app import ReviewApp
from tui.screens.cluster import ClusterScreen
from tui.screens.clusters import ClustersScreen
from tui.screens.diff import DiffScreen
from tui.screens.help import HelpScreen
from tui.widgets.diff_view import DiffView
from tui.widgets.panels import FiguresPanel

A, B = "003_9d6c7fdfd1e655bd.txt", "004_1363d7abf5fa0263.txt"


@pytest.fixture(scope="module")
def samples(samples_dir: Path) -> list[Article]:
    return read(str(samples_dir))[0]


@pytest.fixture(scope="module")
def result(samples: list[Article]):  # type: ignore[no-untyped-def]
    return cluster(samples)


async def settle(app: ReviewApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and the screen refresh."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for(app: ReviewApp, pilot, kind: type) -> None:  # type: ignore[no-untyped-def]
    for _ in range(600):
        if isinstance(app.screen, kind):
            await settle(app, pilot)
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{kind.__name__} never showed; on {type(app.screen).__name__}")


def current_text(app: ReviewApp) -> str:
    view = app.screen.query_one(DiffView)
    return view.diff_rows[view.current].plain


def edited(samples: list[Article], old: str, new: str, suffix: str) -> Article:
    """Sample 003 with one figure changed (a real text, edited as a copy editor might)."""
    src = next(a for a in samples if a.id == A)
    assert old in src.text
    return Article(id=f"003{suffix}.txt", text=src.text.replace(old, new))


async def test_opens_on_the_cluster_of_003_and_004_then_diff_shows_the_october_31_report(
        samples: list[Article], tmp_path: Path) -> None:
    app = ReviewApp(articles=samples, store=str(tmp_path / "r.sqlite"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(app, pilot, ClusterScreen)
        assert sorted(app.screen.cluster.members) == [A, B]
        assert isinstance(app.screen_stack[-2], ClustersScreen)
        await pilot.press("enter")
        await wait_for(app, pilot, DiffScreen)
        screen = app.screen
        assert {screen.a.id, screen.b.id} == {A, B}
        # it opens where the stories meet: the October 31 report, both sides on one row
        row = current_text(app)
        left, right = row.split("\n⚑")[0], row
        assert "38 Ukrainian drones" in left and "October 31" in left
        assert "38 Ukrainian drone aircraft" in right and "October 31st" in right
        view = screen.query_one(DiffView)
        assert {"same"} <= view.diff_rows[view.current].figures
        figures = screen.query_one(FiguresPanel)
        rows = [[str(c) for c in figures.get_row_at(k)] for k in range(figures.row_count)]
        assert ["same", "38", "38"] == rows[0][:3] and ["same", "34", "34"] in [r[:3] for r in rows]
        # 004's skepticism sentence: only in B, its hedges marked as framing
        skeptic = next(r for r in view.diff_rows if "skepticism" in r.plain)
        assert "⚑ framing" in skeptic.plain and "hedge: skepticism" in skeptic.plain
        assert skeptic.kind == "only"


async def test_next_previous_difference_and_figure_conflict(samples: list[Article], tmp_path: Path) -> None:
    a = next(x for x in samples if x.id == A)
    b = edited(samples, "34 were intercepted over Belgorod", "36 were intercepted over Belgorod", "-edit")
    app = ReviewApp(pair=(a, b), store=str(tmp_path / "r.sqlite"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(app, pilot, DiffScreen)
        view = app.screen.query_one(DiffView)
        kinds = [r.kind for r in view.diff_rows]
        n_rows = len(kinds)
        assert kinds.count("changed") == 1 and kinds.count("same") == len(kinds) - 1
        view.current = -1
        await pilot.press("n")
        assert "36 were intercepted" in current_text(app) and "34 were intercepted" in current_text(app)
        first = view.current
        await pilot.press("n")  # no further difference: stays
        assert view.current == first
        view.current = -1
        await pilot.press("N")
        assert view.current == first and view.diff_rows[first].conflict
        await pilot.press("P")
        assert view.current == first
        await pilot.press("p")
        assert view.current == first
        # u hides the unchanged sentences: one changed row between two placeholders
        await pilot.press("u")
        await settle(app, pilot)
        kinds = [r.kind for r in app.screen.query_one(DiffView).diff_rows]
        assert kinds == ["skipped", "changed", "skipped"]
        await pilot.press("u")
        await settle(app, pilot)
        assert len(app.screen.query_one(DiffView).diff_rows) == n_rows


async def test_search_both_sides_and_swap(samples: list[Article], result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(app, pilot, ClusterScreen)
        await pilot.press("enter")
        await wait_for(app, pilot, DiffScreen)
        await pilot.press("slash", *"voronezh", "enter")
        await settle(app, pilot)
        view = app.screen.query_one(DiffView)
        hits = [k for k, r in enumerate(view.diff_rows) if "voronezh" in r.plain.casefold()]
        assert len(hits) >= 2 and view.current in hits
        before = view.current
        await pilot.press("enter")
        assert view.current in hits and view.current != before
        await pilot.press("escape")  # closes the search box, stays on the diff
        assert isinstance(app.screen, DiffScreen) and not app.screen.query_one("#search").display
        left = app.screen.a.id
        await pilot.press("s")
        await settle(app, pilot)
        assert app.screen.b.id == left and app.screen.diff.a_id == app.screen.a.id
        await pilot.press("escape")
        assert isinstance(app.screen, ClusterScreen)


async def test_marks_are_saved_at_once_and_shown_on_reopening(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "r.sqlite"
    app = ReviewApp(result=result, store=str(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(app, pilot, ClusterScreen)
        await pilot.press("i")  # the pair (representative, cursor row) as same incident
        assert [(d.a, d.b, d.verdict) for d in load_decisions(store)] == [(A, B, "same_incident")]
        await pilot.press("enter")
        await wait_for(app, pilot, DiffScreen)
        await pilot.press("d")  # the same pair from the diff screen: replaces the verdict
        assert [(d.a, d.b, d.verdict) for d in load_decisions(store)] == [(A, B, "duplicate")]
        assert "reviewed: duplicate" in str(app.screen.query_one("#diff-title").render())
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, ClustersScreen)
        await pilot.press("x")  # the whole cluster under the cursor as different
        with ReviewStore(store, readonly=True) as s:
            assert s.cluster_verdicts() == {result.cluster_of()[A].id: "different"}
    again = ReviewApp(result=result, store=str(store))
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_for(again, pilot, ClusterScreen)
        table = again.screen.query_one("#members")
        assert "duplicate" in [str(c) for c in table.get_row(B)]
        assert "cluster marked different" in str(again.screen.query_one("#cluster-info").render())
        await pilot.press("escape")
        clusters = again.screen.query_one("#clusters")
        assert str(clusters.get_cell(result.cluster_of()[A].id, "review")) == "different"


async def test_clusters_screen_filter_sort_singletons_and_mouse(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(app, pilot, ClusterScreen)
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, ClustersScreen)
        table = screen.table
        multi = [c for c in result.clusters if c.size > 1]
        assert table.row_count == len(multi)  # singletons hidden
        await pilot.press("a")
        assert table.row_count == len(result.clusters)
        await pilot.press("o")
        assert screen.sort == "date"
        dates = [r.first_date for r in table.view_rows if r.first_date]
        assert dates == sorted(dates)
        await pilot.press("o", "o")
        assert screen.sort == "size"
        await pilot.press("slash", *"russia successfully")
        assert table.row_count == 1 and "Russia successfully" in table.view_rows[0].title
        await pilot.press("escape")
        assert table.row_count == len(result.clusters)
        await pilot.press("a")
        await pilot.click("#clusters", offset=(4, 1))  # the mouse: click the cluster row to open it
        if not isinstance(app.screen, ClusterScreen):
            await pilot.click("#clusters", offset=(4, 1))
        await wait_for(app, pilot, ClusterScreen)


async def test_help_theme_and_command_palette(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(app, pilot, ClusterScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ClusterScreen)
        assert app.current_theme.dark
        await pilot.press("t")
        assert not app.current_theme.dark
        await pilot.press("enter")
        await wait_for(app, pilot, DiffScreen)
        left = app.screen.a.id
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"swap sides")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DiffScreen) and app.screen.b.id == left


async def test_usable_at_80x24(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(app, pilot, ClusterScreen)
        await pilot.press("enter")
        await wait_for(app, pilot, DiffScreen)
        view = app.screen.query_one(DiffView)
        assert view.region.height >= 5
        row = view.diff_rows[view.current]
        cells = list(row.children)
        assert cells[0].region.width >= 30 and cells[1].region.x > cells[0].region.x
        await pilot.press("f", "m")  # both panels hidden: more room for the diff
        await pilot.pause()
        assert not app.screen.query_one("#panels").display


async def test_clustering_runs_in_a_worker_reporting_progress(galaxy_records: list[dict], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.screens.loading import LoadingScreen

    seen: list[tuple[str, int]] = []
    monkeypatch.setattr(LoadingScreen, "start", lambda self, task, total: seen.append((task, total)))
    monkeypatch.setattr(LoadingScreen, "advance", lambda self, task, n: seen.append((task, -n)))
    arts = [Article(id=str(r["id"]), text=r["text"], title=r.get("title")) for r in galaxy_records[:20]]
    app = ReviewApp(articles=arts, store=str(tmp_path / "r.sqlite"))
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, LoadingScreen)  # the app is up while the worker clusters
        for _ in range(600):
            if isinstance(app.screen, ClustersScreen | ClusterScreen):
                break
            await pilot.pause(0.05)
        await settle(app, pilot)
        assert app.result is not None and len(app.result.articles) == 20
        assert seen and seen[0][1] > 0
        totals = {task: total for task, total in seen if total > 0}
        for task, total in totals.items():  # every stage that starts ends with its bar full
            assert sum(-n for t, n in seen if t == task and n < 0) == total, (task, seen)
