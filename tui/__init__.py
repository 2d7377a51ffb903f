"""The Textual app of ``dedup review`` (the only place Textual is used)."""

from __future__ import annotations

__all__ = ["ReviewApp"]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    if name == "ReviewApp":
        from tui.app import ReviewApp

        return ReviewApp
    raise AttributeError(name)
