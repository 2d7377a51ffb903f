"""Bad inputs, built at test time in a folder: every kind of broken file users feed the readers.

``build(folder)`` writes the files and returns one :class:`Case` per input with what a correct run
must do: read the ``good`` ids, and reject (``--skip-bad``) or stop at (default) the ``bad`` lines.
Nothing is committed to the repository: big inputs are made of a repeated sentence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SENTENCE", "Case", "build", "build_big"]

SENTENCE = "The ministry said 38 drones were shot down over the Belgorod region on Tuesday night. "
TEXT_A = ("Russian air defences shot down 38 Ukrainian drones overnight, 34 of them over the Belgorod region, "
          "the Ministry of Defence said on October 31. Two were downed over Voronezh and two over Crimea.")
TEXT_B = ("A fire broke out at a grain warehouse in Odesa on Sunday after a missile strike, regional officials "
          "said. Nobody was hurt, and firefighters put out the blaze within two hours.")


@dataclass(frozen=True)
class Case:
    """One bad (or awkward) input.

    ``good``: ids every run must read (exactly once); ``bad``: the lines (1-based, in ``path`` or in
    the file named by ``bad_source``) a default run stops at (the first) and ``--skip-bad`` rejects (all);
    ``fatal``: the whole source is unusable, so even ``--skip-bad`` exits 3; ``texts``: id -> a
    substring its decoded text must contain (decoding checks); ``dates``: id -> expected date.
    """

    name: str
    path: Path
    good: frozenset[str] = frozenset()
    bad: tuple[int, ...] = ()
    fatal: bool = False
    bad_source: Path | None = None
    texts: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str | None] = field(default_factory=dict)
    big: bool = False

    @property
    def records(self) -> int:
        """Records in the input: each one is read or rejected, never lost."""
        return len(self.good) + len(self.bad)

    @property
    def error_source(self) -> Path:
        return self.bad_source or self.path


def _jl(*recs: object) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in recs)


def build(folder: Path) -> list[Case]:
    """Write every small bad input under ``folder`` and return the cases (fast: < 1 MB in all)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, data: bytes, **kw: object) -> None:
        p = folder / name
        p.write_bytes(data)
        cases.append(Case(name=name, path=p, **kw))  # type: ignore[arg-type]

    a, b = {"id": "a", "text": TEXT_A}, {"id": "b", "text": TEXT_B}
    add("empty.jsonl", b"")
    add("blank-lines.jsonl", b"\n\n  \n" + _jl(a) + b"\r\n\n" + _jl(b), good=frozenset("ab"))
    add("empty.txt", b"", bad=(1,))
    add("whitespace.txt", b"  \n\t \r\n", bad=(1,))
    add("empty.csv", b"", bad=(1,), fatal=True)
    add("whitespace-article.jsonl", _jl(a, {"id": "w", "text": " \n\t "}, b), good=frozenset("ab"), bad=(2,))
    add("one-word.jsonl", _jl(a, {"id": "o", "text": "Drones"}, b), good=frozenset("aob"))
    add("binary.txt", bytes(range(256)) * 4, bad=(1,))
    add("binary-line.jsonl", _jl(a) + b"\x00\x01\x02\xff\xfe\n" + _jl(b), good=frozenset("ab"), bad=(2,))
    add("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(200)), bad=(), fatal=True)
    add("invalid-utf8.jsonl", _jl(a) + b'{"id": "x", "text": "bad \x81\x8d\x8f\x90 bytes"}\n' + _jl(b),
        good=frozenset("ab"), bad=(2,))
    cp = '{"id": "w", "text": "Caf\u00e9 \u201cquoted\u201d \u2013 38 drones over Belgorod"}\n'.encode("cp1252")
    add("cp1252-mixed.jsonl", _jl(a) + cp + _jl(b), good=frozenset("awb"),
        texts={"w": "Caf\u00e9 \u201cquoted\u201d \u2013 38"})
    add("cp1252.txt", "Le caf\u00e9 \u00e0 Odesa a br\u00fbl\u00e9 \u2013 \u201cdeux\u201d morts.".encode("cp1252"),
        good=frozenset({"cp1252.txt"}), texts={"cp1252.txt": "caf\u00e9 \u00e0 Odesa a br\u00fbl\u00e9 \u2013"})
    add("bom.jsonl", b"\xef\xbb\xbf" + _jl(a, b), good=frozenset("ab"))
    add("bom-crlf.csv", b"\xef\xbb\xbfid,title,text\r\na,T1,\"" + TEXT_A.encode() + b"\"\r\nb,T2,\"" +
        TEXT_B.encode() + b"\"\r\n", good=frozenset("ab"))
    add("bom-crlf.txt", b"\xef\xbb\xbf date 2023-10-31 \r\n" + TEXT_A.encode() + b"\r\n" + TEXT_B.encode() + b"\r\n",
        good=frozenset({"bom-crlf.txt"}), dates={"bom-crlf.txt": "2023-10-31"})
    add("malformed.jsonl", _jl(a) + b'{"id": "t", "text": "truncated\n' + b'[1, 2, 3]\n' + b'"just a string"\n'
        + b'{"id": "g", "text": "x"} trailing\n' + _jl(b), good=frozenset("ab"), bad=(2, 3, 4, 5))
    add("missing-text.jsonl", _jl(a, {"id": "m", "body_text": "no text field"}, b), good=frozenset("ab"), bad=(2,))
    add("text-not-string.jsonl", _jl(a, {"id": "n", "text": 42}, {"id": "l", "text": ["x"]}, b),
        good=frozenset("abl"), bad=(2,))  # a list of strings is joined
    add("embedded-newlines.csv", ("id,title,text\na,T,\"" + TEXT_A.replace(". ", ".\n\n") + "\"\nb,T,\"line one\r\n"
                                  "line two, with a comma and \"\"quotes\"\"\"\n").encode(), good=frozenset("ab"),
        texts={"b": 'line two, with a comma and "quotes"'})
    add("short-row.csv", ("id,title,text\na,T,\"" + TEXT_A + "\"\nz,only-two\nb,T,\"" + TEXT_B + "\"\n").encode(),
        good=frozenset("ab"), bad=(3,))
    add("long-row.csv", ("id,title,text\na,T,\"" + TEXT_A + "\"\ny,T,text,EXTRA,MORE\nb,T,\"" + TEXT_B + "\"\n").encode(),
        good=frozenset("ab"), bad=(3,))
    add("duplicate-ids.jsonl", _jl(a, b, {"id": "a", "text": "Another text with the same id."}),
        good=frozenset("ab"), bad=(3,))
    add("non-string-ids.jsonl", _jl({"id": 7, "text": TEXT_A}, {"id": 7.5, "text": TEXT_B},
                                    {"id": True, "text": "A boolean id."}, {"id": None, "text": "A null id."}),
        good=frozenset({"7", "7.5", "True"}), bad=(4,))
    add("int-str-collide.jsonl", _jl({"id": 7, "text": TEXT_A}, {"id": "7", "text": TEXT_B}),
        good=frozenset({"7"}), bad=(2,))
    add("dates.jsonl", _jl({"id": "ok", "text": TEXT_B, "date": "2023-10-31"}, {"id": "none", "text": TEXT_A},
                           {"id": "feb30", "text": "Impossible date here.", "date": "2023-02-30"},
                           {"id": "junk", "text": "Junk date here.", "date": "yesterday-ish"},
                           {"id": "unix", "text": "Unix time date.", "date": 1698710400}),
        good=frozenset({"none", "ok", "feb30", "junk", "unix"}),
        dates={"none": None, "ok": "2023-10-31", "feb30": None, "junk": None, "unix": "2023-10-31"})
    add("first-record-undated.jsonl", _jl({"id": "none", "text": TEXT_A}, {"id": "ok", "text": TEXT_B,
                                                                          "date": "2023-10-31"}),
        good=frozenset({"none", "ok"}), dates={"none": None, "ok": "2023-10-31"})
    add("feb30.txt", b" date 2023-02-30 \n" + TEXT_A.encode(), good=frozenset({"feb30.txt"}),
        dates={"feb30.txt": None})
    add("not-array.json", b'{"articles": 5}', bad=(1,))
    add("array.json", json.dumps([a, "oops", b]).encode(), good=frozenset("ab"), bad=(2,))
    # a directory mixing good, binary and empty files
    d = folder / "mixed-dir"
    (d / "sub").mkdir(parents=True, exist_ok=True)
    (d / "good.txt").write_text(TEXT_A, encoding="utf-8")
    (d / "sub" / "good2.md").write_text(TEXT_B, encoding="utf-8")
    (d / "sub" / "bin.txt").write_bytes(b"text\n\x00\x00\x00")
    (d / "empty.txt").write_bytes(b"")
    (d / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (d / "image.png").write_bytes(b"\x89PNG\x00")
    cases.append(Case("mixed-dir", d, good=frozenset({"good.txt", "sub/good2.md"}), bad=(1, 2),
                      bad_source=d / "empty.txt"))
    cases.extend(_parquet(folder))
    return cases


def _parquet(folder: Path) -> list[Case]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = []
    p = folder / "no-text-column.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "url": ["http://x/1", "http://x/2"]}), p)
    out.append(Case("no-text-column.parquet", p, bad=(1, 2)))
    p = folder / "no-id-column.parquet"
    pq.write_table(pa.table({"text": [TEXT_A, TEXT_B]}), p)
    out.append(Case("no-id-column.parquet", p, good=frozenset({"1", "2"})))
    p = folder / "null-text.parquet"
    pq.write_table(pa.table({"id": ["a", "n", "b"], "text": [TEXT_A, None, TEXT_B]}), p)
    out.append(Case("null-text.parquet", p, good=frozenset("ab"), bad=(2,)))
    p = folder / "truncated.parquet"
    src = folder / "_full.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": [TEXT_A]}), src)
    p.write_bytes(src.read_bytes()[:-20])
    src.unlink()
    out.append(Case("truncated.parquet", p, bad=(), fatal=True))
    return out


def build_big(folder: Path, *, article_mb: int = 50, line_mb: int = 10) -> list[Case]:
    """A JSONL holding one ``article_mb`` MB article, and one holding a ``line_mb`` MB line (fast to make)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, mb in ((f"article-{article_mb}mb.jsonl", article_mb), (f"line-{line_mb}mb.jsonl", line_mb)):
        n = mb * 1_000_000
        text = (SENTENCE * (n // len(SENTENCE) + 1))[:n]
        p = folder / name
        with p.open("w", encoding="utf-8") as fh:
            fh.write(json.dumps({"id": "small", "text": TEXT_A}) + "\n")
            fh.write(json.dumps({"id": "huge", "text": text}) + "\n")
        out.append(Case(name, p, good=frozenset({"small", "huge"}), big=True))
    return out
