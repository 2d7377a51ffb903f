"""Packed analyses (the trip between processes) unpack to the analyses that were packed."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
from conftest import same_analysis

from dedup.incident.analysis import analyse
from dedup.incident.packing import pack, unpack
from dedup.io.readers import read

ROOT = Path(__file__).resolve().parent.parent


def test_unpack_gives_back_every_field_of_every_analysis() -> None:
    arts = read(str(ROOT / "samples"))[0]
    got = [analyse(a) for a in arts]
    got.append(analyse(replace(arts[0], text="", title=None)))  # empty arrays of every field
    wide = replace(got[1], counts=got[1].counts.astype(np.float64))  # a part whose counts differ in dtype
    for part in (got, [*got, wide], got[:1]):
        back = unpack(pickle.loads(pickle.dumps(pack(part))))
        assert len(back) == len(part) and all(same_analysis(x, y) for x, y in zip(back, part, strict=True))
    assert unpack(pack([])) == []
    assert len(pickle.dumps(pack(got))) < len(pickle.dumps(got))
