"""Synthetic look-alike incident streams, for tests and benchmarks of incident mode.

:func:`drone_nights` writes the user's hardest case: a Ministry-of-Defence style drone report for each
of ``nights`` consecutive nights (the same places, the same phrasing, other counts and dates), each
rewritten by ``outlets`` outlets in their own words and framing. Every article carries the ground truth
in ``fields["event"]`` (the night), so ``dedup.evaluate`` can score a clustering of it. The stream is a
pure function of its arguments: the same call gives the same articles.
"""

from __future__ import annotations

import datetime as _dt
import random

from dedup.model import Article

_PLACES = ("Belgorod", "Voronezh", "Kursk", "Bryansk", "Crimea", "Rostov")
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _n(k: int, rng: random.Random) -> str:
    """A count as news writes it: small ones often in words."""
    return _WORDS[k] if k <= 10 and rng.random() < 0.5 else str(k)


def _wire(day: _dt.date, total: int, parts: list[tuple[str, int]], rng: random.Random) -> str:
    where = ", ".join(f"{_n(k, rng)} over {p}" for p, k in parts[1:])
    return (f"Russian air defence systems destroyed {total} Ukrainian drones overnight, the Ministry of "
            f"Defence said on {day:%B} {day.day}. {parts[0][1]} of them were shot down over the {parts[0][0]} "
            f"region, and {where}, the ministry said in a statement on Telegram. There was no immediate "
            "comment from Kyiv. Regional officials said debris damaged several houses but no one was hurt.")


def _daily(day: _dt.date, total: int, parts: list[tuple[str, int]], rng: random.Random) -> str:
    eve = day - _dt.timedelta(days=1)
    where = ", ".join(f"{_n(k, rng)} in the {p} region" for p, k in parts)
    return (f"Ukraine launched another wave of terror attacks on Russian regions on the night of {eve:%B} "
            f"{eve.day}, according to the defence ministry, which claimed that {total} drones had been "
            f"intercepted: {where}. The governor wrote that air defences were "
            "working over the region and urged residents to stay away from windows. Drone strikes on "
            "border regions have become a nightly occurrence this autumn.")


def _analysis(day: _dt.date, total: int, parts: list[tuple[str, int]], rng: random.Random) -> str:
    first, rest = parts[0], parts[1:]
    where = " and ".join(f"{_n(k, rng)} above {p}" for p, k in rest)
    return (f"Moscow says it downed {total} drones in the early hours of {day:%A}, {day:%B} {day.day}. "
            f"Most, {first[1]}, were reportedly over {first[0]}, with {where}, officials said. The claims "
            "could not be independently verified. Kyiv rarely comments on such attacks, which it describes "
            "as a response to Russian strikes on Ukrainian energy infrastructure.")


_OUTLETS = (("wire", _wire), ("daily", _daily), ("analysis", _analysis))


def drone_nights(nights: int = 10, outlets: int = 3, *, start: str = "2024-10-01", seed: int = 0) -> list[Article]:
    """``nights * outlets`` articles: night ``k``'s report (dated ``start + k`` days) by each outlet.

    Each night has its own total and split over three of the same six places; ids are
    ``night-KK-OUTLET``; ``fields["event"]`` is ``night-KK``. ``outlets`` is at most 3.
    """
    if not 1 <= outlets <= len(_OUTLETS):
        raise ValueError(f"outlets must be 1..{len(_OUTLETS)}")
    rng = random.Random(seed)
    day0 = _dt.date.fromisoformat(start)
    out: list[Article] = []
    for k in range(nights):
        day = day0 + _dt.timedelta(days=k)
        places = rng.sample(_PLACES[:4], 3)
        counts = [rng.randint(12, 60), rng.randint(2, 9), rng.randint(1, 8)]
        parts = list(zip(places, counts, strict=True))
        total = sum(counts) + rng.randint(0, 12)
        for name, write in _OUTLETS[:outlets]:
            text = write(day, total, parts, rng)
            out.append(Article(id=f"night-{k:02d}-{name}", text=text, date=day.isoformat(),
                               fields={"event": f"night-{k:02d}"}))
    return out


__all__ = ["drone_nights"]
