"""Print the README's incident-mode figures: ARI, AMI and pair F1 at default settings on the dev corpora.

Usage: python scripts/eval_corpora.py [CORPORA_DIR] [--json] [--all-pairs]

Every corpus is clustered with the same defaults (``dedup.incident.score.incident_pairs`` with
``threshold=None``); nothing is tuned per corpus. The UCI file is headlines only (text = TITLE).
``--all-pairs``: the same evidence with the all-pairs candidate search (``build_graph(bounded=False)``)
instead of the bounded one, to compare the two (issue 15: within 0.01 ARI).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dedup.evaluate import evaluate
from dedup.incident.score import incident_clusters, incident_pairs
from dedup.io.readers import read

CORPORA = [
    ("gva-dev.jsonl", "event", {}),
    ("ecbplus-dev.jsonl", "event", {}),
    ("galaxy-wikinews-medium.jsonl", "event", {}),
    ("galaxy-wikinews.jsonl", "event", {}),
    ("wikiref220.jsonl", "label", {}),
    ("uci-news-headlines.csv", "STORY", {"text_field": "TITLE", "title_field": "URL", "skip_bad": True}),
]


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    if "--all-pairs" in argv:
        import functools

        from dedup.incident import score

        score.build_graph = functools.partial(score.build_graph, bounded=False)  # type: ignore[assignment]
    root = Path(args[0]) if args else Path("/work/shared/corpora")
    rows = []
    for name, label, opts in CORPORA:
        path = root / name
        if not path.exists():
            print(f"skip {name}: not found", file=sys.stderr)
            continue
        articles, _ = read(str(path), **opts)
        if name.endswith(".csv"):  # headlines only: no title on top of the headline
            for a in articles:
                a.title = None
        labels = {a.id: a.fields[label] for a in articles if a.fields.get(label) not in (None, "")}
        t0 = time.perf_counter()
        groups = incident_clusters(articles, incident_pairs(articles))
        secs = time.perf_counter() - t0
        pred = {x: k for k, g in enumerate(groups) for x in g}
        m = evaluate(pred, labels)
        rows.append({"corpus": name, "n": m["n"], "labels": m["labels"], "clusters": m["clusters"],
                     "ari": round(m["ari"], 4), "ami": round(m["ami"], 4), "f1": round(m["f1"], 4),
                     "seconds": round(secs, 2)})
    if "--json" in argv:
        print(json.dumps(rows, indent=2))
        return 0
    print("| corpus | n | labels | clusters | ARI | AMI | pair F1 | seconds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['corpus']} | {r['n']} | {r['labels']} | {r['clusters']} | {r['ari']:.3f} | {r['ami']:.3f} "
              f"| {r['f1']:.3f} | {r['seconds']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
