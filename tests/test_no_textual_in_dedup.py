"""Textual lives only in tui/: no module under dedup/ may import it (checked on the source, with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

DEDUP = Path(__file__).resolve().parent.parent / "dedup"


def textual_imports(source: str) -> list[int]:
    """Line numbers of ``import textual...`` / ``from textual... import`` (also nested in functions)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "textual" for a in node.names) or isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "textual":
            lines.append(node.lineno)
    return lines


def test_the_checker_finds_textual_imports() -> None:
    assert textual_imports("import os\nimport textual.app\n") == [2]
    assert textual_imports("def f():\n    from textual.widgets import Static\n") == [2]
    assert textual_imports("from tui.app import ReviewApp\nimport textwrap\n") == []


def test_no_module_under_dedup_imports_textual() -> None:
    files = sorted(DEDUP.rglob("*.py"))
    assert len(files) > 20
    offenders = [f"{f.relative_to(DEDUP.parent)}:{n}" for f in files
                 for n in textual_imports(f.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_review_command_imports_tui_only_inside_run() -> None:
    tree = ast.parse((DEDUP / "cli" / "review_cmd.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert all(not (getattr(n, "module", None) or "").startswith("tui") for n in top)
    assert all(not a.name.startswith("tui") for n in top for a in n.names)
