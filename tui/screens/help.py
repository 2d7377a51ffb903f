"""The help screen (``?``): what each screen shows and its keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# dedup review

**Clusters**: every cluster (size, title, dates, best pair score, facts most members share, your verdict).
`/` filter · `o` sort by size / date / score · `a` show or hide singletons · `Enter` open ·
`d` duplicate · `i` same incident · `x` different · `c` clear (the whole cluster)

**Cluster**: the members and their score with A (the representative at first).
`Enter` compare A with the row · `Space` make the row A · `d` `i` `x` `c` mark the pair (A, row) ·
`D` `I` `X` mark the whole cluster · `Esc` back

**Diff**: A left, B right, aligned sentence to sentence (one scroll: both sides move together).
`n` / `p` next / previous difference · `N` / `P` next / previous figure conflict · `/` search both sides ·
`s` swap sides · `u` hide unchanged · `f` figures panel · `m` framing panel · `d` `i` `x` `c` mark the pair

Styles: changed words, only in A (−), only in B (+), ⇅ moved, figures same (underlined) or in conflict
(reversed), framing terms (italic, listed under the sentence as ⚑ framing).

Everywhere: `?` this help · `t` light / dark theme · `ctrl+p` command palette · `q` quit.
Every mark is saved at once in the review file (SQLite); `dedup review --export FILE` writes them as JSONL.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and styles of every screen."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
