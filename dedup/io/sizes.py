"""Sizes as people write them: ``5MB``, ``500 KB``, ``4096`` (decimal units, as disks and networks count)."""

from __future__ import annotations

__all__ = ["format_size", "parse_size"]


def format_size(n: int) -> str:
    """``5000000`` -> ``"5 MB"``, ``500000`` -> ``"500 KB"``, other values in bytes."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


def parse_size(text: str) -> int:
    """``"5MB"``, ``"500 KB"``, ``"1.5GB"``, ``"4096"`` -> bytes (decimal units); raises ``ValueError``."""
    t = text.strip().upper().replace(" ", "")
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3), ("BYTES", 1), ("B", 1)):
        if t.endswith(unit):
            value = float(t[: -len(unit)])
            break
    else:
        value, size = float(t), 1
    if not 0 <= value < float("inf"):
        raise ValueError(text)
    return int(value * size)
