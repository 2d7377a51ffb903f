"""Build ``figures_suite.jsonl`` from the collected sources in ``sources/`` (see README.md).

Each line: ``{"text", "expect": [[value, kind], ...], "source"}``. Run: ``python tests/data/build_figures_suite.py``.
"""

from __future__ import annotations

import csv
import json
import re
import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "sources"

#: quantulum3 expectations a news reader states otherwise (value -> value): "a dozen eggs" is 12 eggs
Q3_OVERRIDE = {"I bought a dozen eggs recently": [[12, "words"]]}
#: quantulum3 sentences left out: unit algebra, not figures of news text (stated in README.md)
Q3_SKIP = re.compile(r"\^|×10|x10|\+/-|fb−1|Js l|1cds|8x2|s-1|J/m")


def _rt_kind(text: str, kind: str) -> str:
    if kind != "number":
        return kind
    low = text.lower()
    if re.search(r"/|half|third|quarter|fourth|fifth|eighth|hundredth|trillionth|over ", low):
        return "fraction"
    if re.search(r"(^|\s)(-|minus|negative)", low):
        return "negative"
    if re.search(r"\d\s*(k|g|b|million|trillion|hundred)\b|e\d|e[+-]\d", low):
        return "scaled"
    if re.search(r"[a-z]", low):
        return "words"
    return "number"


def _q3_kind(unit: str, surface: str) -> str:
    if re.search(r"dollar|euro|pound sterling|cent|penny|dime|yen", unit):
        return "currency"
    if unit == "percentage":
        return "percent"
    if re.search(r"[a-z]", surface.replace(unit, "")) and not re.search(r"\d", surface):
        return "words"
    return "quantity" if unit != "dimensionless" else "number"


def build() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    rt = runpy.run_path(str(SRC / "recognizers_text.py"))
    for name in ("NUMBER", "ORDINAL", "PERCENT", "CURRENCY", "DIMENSION"):
        for text, values in rt[name]:
            kind = _rt_kind(text, name.lower())
            out.append({"text": text, "expect": [[v, kind] for v in values], "source": f"recognizers-text/{name.lower()}"})
    news = runpy.run_path(str(SRC / "news.py"))
    for name in ("GVA", "WIKINEWS"):
        for text, pairs in news[name]:
            out.append({"text": text, "expect": [[v, k] for v, k in pairs], "source": f"news/{name.lower()}"})
    for item in json.loads((SRC / "quantulum3_quantities.json").read_text(encoding="utf-8")):
        text = item["req"]
        if not item["res"] or Q3_SKIP.search(text):
            continue
        expect = Q3_OVERRIDE.get(text) or [[r["value"], _q3_kind(r["unit"], r["surface"])] for r in item["res"]]
        out.append({"text": text, "expect": expect, "source": "quantulum3"})
    with open(SRC / "number_parser_permutations.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append({"text": row["text"], "expect": [[int(row["number"]), "words"]], "source": "number-parser/permutations"})
    with open(SRC / "number_parser_ordinals.csv", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if i % 3 == 0:  # a third of the hundred ordinals: first, fourth, ..., keeps the suite small
                out.append({"text": f"It was the {row['text']} time.", "expect": [[int(row["number"]), "ordinal"]],
                            "source": "number-parser/ordinals"})
    for text, values in NUMBER_PARSER_SENTENCES:
        out.append({"text": text, "expect": [[v, "words"] for v in values], "source": "number-parser/sentences"})
    return out


#: the sentence cases of number-parser's tests/test_language_en.py (BSD-3), expected values read off its output
NUMBER_PARSER_SENTENCES = [
    ("twenty-five cows, twelve chickens and one hundred twenty five kg of potatoes.", [25, 12, 125]),
    ("I have eight cows", [8]),
    ("I have eight cows three bulls and seven hundred and twelve million dollars ", [8, 3, 712000000]),
    ("They just won seventy-five thousand dollars", [75000]),
    ("I have eight cows. I don't have eighteen cows", [8, 18]),
    ("thirty-four cows = thirty four cows", [34]),
    ("thirty       four       cows = thirty four cows", [34]),
    ("the     sun      is     hundred     and   twelve       km     away.", [112]),
    ("one hundred and forty two", [142]), ("two thousand and nineteen", [2019]),
    ("two million three thousand and nineteen", [2003019]), ("two million twenty three thousand and forty nine", [2023049]),
    ("two million three thousand nine hundred and eighty four", [2003984]), ("three billion", [3e9]),
    ("one hundred twenty three million four hundred fifty six thousand seven hundred and eighty nine", [123456789]),
    ("nineteen billion and nineteen", [19000000019]), ("two hundred thousand", [200000]),
]

if __name__ == "__main__":
    rows = build()
    with open(HERE / "figures_suite.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    print(len(rows), "sentences")
