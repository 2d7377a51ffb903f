"""Shared runner of the fuzz targets: atheris when installed, else a seeded random-bytes loop.

``python fuzz/fuzz_X.py --runs N`` runs N inputs and exits 0 when no invariant broke (the CI-friendly
mode); ``python fuzz/fuzz_X.py [atheris/libFuzzer options]`` fuzzes with coverage guidance under atheris.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable

SEEDS = [b"", b" date 2023-10-31 \nRussia said 38 drones were downed, 34 over Belgorod. Two over Crimea.",
         b'{"id": "a", "text": "Gen. Smith said on Oct. 31 that U.S. forces left."}\n',
         b"id,text\r\n1,\"two\r\nlines\"\r\n", "caf\u00e9 \u201cquoted\u201d".encode("cp1252"),
         b"\xef\xbb\xbfA. B. C.\n\n1. first\n2. second", b"$5 million, 12% and 1,200.5 km at 11:00 pm"]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """A random edit of ``data``: flip, insert or delete bytes, or splice in a seed."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(4)
        pos = rng.randint(0, len(buf))
        if op == 0 and buf:
            buf[min(pos, len(buf) - 1)] = rng.randrange(256)
        elif op == 1:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 2 and buf:
            del buf[pos:pos + rng.randint(1, 16)]
        else:
            buf[pos:pos] = rng.choice(SEEDS)
    return bytes(buf)


def main(target: Callable[[bytes], None], argv: list[str] | None = None) -> int:
    """Run ``target`` under atheris, or ``--runs N`` random inputs (``--seed S``) without it."""
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--runs", type=int)
    p.add_argument("--seed", type=int, default=0)
    known, rest = p.parse_known_args(argv)
    if known.runs is not None:
        rng = random.Random(known.seed)
        for i in range(known.runs):
            data = mutate(rng, SEEDS[i % len(SEEDS)]) if i >= len(SEEDS) else SEEDS[i]
            try:
                target(data)
            except Exception:
                sys.stderr.write(f"invariant broken on input #{i}: {data!r}\n")
                raise
        print(f"{known.runs} inputs, no invariant broken")
        return 0
    import atheris  # the 'fuzz' extra

    atheris.instrument_all()  # coverage of the already-imported dedup modules
    atheris.Setup([sys.argv[0], *rest], target)
    atheris.Fuzz()
    return 0
