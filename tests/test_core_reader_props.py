"""Property tests: any text survives a JSONL or CSV round trip through the readers unchanged."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.io.readers import read

texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
                max_size=80).filter(lambda t: t.strip() and not t.lstrip().lower().startswith("date"))


@settings(max_examples=50, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6))
def test_jsonl_and_csv_round_trip_any_text(bodies):
    with tempfile.TemporaryDirectory() as tmp:
        jl, cs = Path(tmp) / "x.jsonl", Path(tmp) / "x.csv"
        jl.write_text("".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in enumerate(bodies)),
                      encoding="utf-8")
        with cs.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "text"])
            w.writerows([k, t] for k, t in enumerate(bodies))
        for path in (jl, cs):
            arts, rej = read(path)
            assert not rej
            assert [a.id for a in arts] == [str(k) for k in range(len(bodies))]
            assert [a.text for a in arts] == bodies, path.suffix
