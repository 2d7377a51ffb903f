"""A fast start: ``dedup --version``, ``--help`` and ``diff`` import no subcommand they do not run, and a
small corpus compiles no kernel (issue #17). No timings: what is imported and what is written."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from conftest import ROOT

HEAVY = ("numpy", "scipy", "numba", "pyarrow", "dedup.incident", "dedup.engines", "textual")


def _imported_by(argv: list[str]) -> set[str]:
    code = (f"import sys\nfrom dedup.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            "print('\\n'.join(sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          check=False)
    return set(proc.stderr.split())


def test_version_and_help_import_nothing_heavy():
    for argv in (["--version"], ["--help"], []):
        mods = _imported_by(argv)
        assert "dedup.cli" in mods
        heavy = sorted(m for m in mods if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
        assert not heavy, (argv, heavy)


def test_top_level_help_lists_every_command_with_its_own_summary():
    from dedup.cli import SUBCOMMANDS, SUMMARIES, build_parser

    def summaries(parser: argparse.ArgumentParser) -> dict[str, str]:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return {a.dest: a.help for a in sub._choices_actions}

    assert summaries(build_parser()) == SUMMARIES == summaries(build_parser(every=False))
    assert list(SUMMARIES) == list(SUBCOMMANDS)


def test_small_corpus_compiles_no_kernel(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba"))
    env.pop("DEDUP_NO_JIT", None)
    for mode in ("incident", "near-duplicate"):
        proc = subprocess.run([sys.executable, "-m", "dedup", "cluster", str(ROOT / "samples"), "--mode", mode,
                               "-f", "jsonl", "-q"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
                              check=False)
        assert proc.returncode == 0, proc.stderr
        nojit = subprocess.run([sys.executable, "-m", "dedup", "cluster", str(ROOT / "samples"), "--mode", mode,
                                "-f", "jsonl", "-q"], capture_output=True, text=True, cwd=ROOT, timeout=300,
                               env=dict(env, DEDUP_NO_JIT="1"), check=False)
        assert proc.stdout == nojit.stdout and proc.stdout.count("\n") == 5
    assert not list((tmp_path / "numba").rglob("*.nbi"))
