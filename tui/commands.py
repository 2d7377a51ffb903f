"""The command palette's commands (ctrl+p): the main actions of the screen shown."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: (title, help, action, where): ``where`` is a screen class name, or ``app``.
COMMANDS = [
    ("Toggle light / dark theme", "switch between the light and the dark theme", "app.toggle_dark", "app"),
    ("Help", "keys and styles of every screen", "app.help", "app"),
    ("Show or hide singletons", "clusters of one article", "screen.singletons", "ClustersScreen"),
    ("Sort clusters by size", "largest first", "screen.sort('size')", "ClustersScreen"),
    ("Sort clusters by date", "earliest first", "screen.sort('date')", "ClustersScreen"),
    ("Sort clusters by score", "best pair score first", "screen.sort('score')", "ClustersScreen"),
    ("Filter clusters", "words of the title, an article or cluster id", "screen.filter", "ClustersScreen"),
    ("Open cluster", "the cluster under the cursor", "screen.open", "ClustersScreen"),
    ("Compare", "A with the member under the cursor", "screen.compare", "ClusterScreen"),
    ("Next difference", "jump to the next sentence that differs", "screen.next_diff", "DiffScreen"),
    ("Next figure conflict", "jump to the next figure in conflict", "screen.next_conflict", "DiffScreen"),
    ("Search both sides", "find words in A and B", "screen.search", "DiffScreen"),
    ("Swap sides", "put B on the left", "screen.swap", "DiffScreen"),
    ("Hide or show unchanged sentences", "fold identical sentences", "screen.hide_unchanged", "DiffScreen"),
    ("Toggle figures panel", "paired figures: same, conflict, only in one", "screen.toggle_figures", "DiffScreen"),
    ("Toggle framing panel", "framing marks by category", "screen.toggle_framing", "DiffScreen"),
]
MARKS = [("duplicate", "duplicate"), ("same incident", "same_incident"), ("different", "different")]


class DedupCommands(Provider):
    """Commands for the current screen, plus review marks."""

    def _commands(self) -> list[tuple[str, str, str]]:
        name = type(self.screen).__name__
        out = [(t, h, a) for t, h, a, where in COMMANDS if where in ("app", name)]
        if name in ("ClustersScreen", "ClusterScreen", "DiffScreen"):
            what = "cluster" if name == "ClustersScreen" else "pair"
            out += [(f"Mark {what} as {label}", f"save the verdict {verdict!r} now", f"screen.mark('{verdict}')")
                    for label, verdict in MARKS]
        return out

    def _run(self, action: str) -> None:
        target = self.screen
        if action.startswith("screen."):
            action = action.removeprefix("screen.")
        self.app.call_later(self.app.run_action, action, target)

    async def discover(self) -> Hits:
        for title, help_text, action in self._commands():
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), help=help_text)
