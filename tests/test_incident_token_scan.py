"""The compiled tokenising of the incident analysis (``token_scan``) gives the Python path's arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import same_analysis

from dedup.incident import analysis, token_scan
from dedup.incident.features import _ENTITY_RE, _WORD_RE
from dedup.io.readers import read
from dedup.model import Article
from dedup.near import jit

pytestmark = pytest.mark.skipif(not jit.AVAILABLE, reason="numba not importable")

ROOT = Path(__file__).resolve().parent.parent
#: letters (ASCII, Latin-1, Cyrillic, Greek), digits (ASCII, Arabic-Indic), the word-inner marks, the number
#: marks, ordinal suffix letters, "_", spaces and punctuation: every branch of ``_WORD_RE``
_ALPHABET = list("abstndrhAZ\u00e9\u00df\u0416\u03a9019\u0663_'\u2019-,. \n\t!?\u201c\u00bd")


def _scan(text: str) -> list[tuple[int, int]]:
    from dedup.incident._token_kernel import scan_units

    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    found = scan_units(cp, np.array([0]), np.array([len(text)]), token_scan._classes(), token_scan._known())
    return list(zip(found[0].tolist(), found[1].tolist(), strict=True))


@pytest.mark.parametrize("seed", range(6))
def test_kernel_tokens_are_the_regex_findall(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(400):
        text = "".join(rng.choice(_ALPHABET, int(rng.integers(0, 40))))
        assert _scan(text) == [m.span() for m in _WORD_RE.finditer(text)], repr(text)


def _names(text: str) -> list[tuple[int, int]]:
    from dedup.incident._token_kernel import scan_entities

    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    found = scan_entities(cp, np.array([0]), np.array([len(text)]), token_scan._classes(), token_scan._known())
    return list(zip(found[0].tolist(), found[1].tolist(), strict=True))


#: capitals, lower case, the particles' letters, spaces, line breaks, hyphens, the marks and quotes
#: that end a sentence, word characters that are not ASCII letters
_NAME_ALPHABET = list("ABZabdeilnovx  -\n.!?:\"'\u201c\u2018\u00e9_1\t")


@pytest.mark.parametrize("seed", range(6))
def test_kernel_entities_are_the_regex_findall(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(400):
        text = "".join(rng.choice(_NAME_ALPHABET, int(rng.integers(0, 40))))
        assert _names(text) == [m.span(1) for m in _ENTITY_RE.finditer(text)], repr(text)
    text = ("Then Abu al Baghdadi met Jean de la Fontaine and Ludwig van Beethoven-Smith. \"Police said.  "
            "Mr Bin Laden: New York\nLondon, the U.S. Abu alfoo \u201cYes Sir\u2018 Ok x_Ab \u00e9Ab")
    assert _names(text) == [m.span(1) for m in _ENTITY_RE.finditer(text)]


def test_kernel_tokens_on_news_forms() -> None:
    text = ("On Oct. 31st, 1,200.5 drones hit Belgorod's 2nd district; U.S.-made e-mails 3rd_party x_ "
            "co-op\u2019s 45th 12,000,000 1.2.3 5th. Stra\u00dfe \u0416\u0416 \u0663\u0663rd 7st 8nd9")
    assert _scan(text) == [m.span() for m in _WORD_RE.finditer(text)]


def _corpus() -> list[Article]:
    arts = read(str(ROOT / "samples"))[0]
    shared = ROOT.parent / "shared" / "corpora" / "ecbplus-dev.jsonl"
    if shared.exists():
        arts += read(str(shared))[0][:300]
    base = arts[:6]
    out = list(arts)
    for i, a in enumerate(base):  # titles and date headers of every kind, empty texts, astral and lone code points
        for title in [None, "", "date 2024-10-31", "One. Two three.", "Title with\nnewline", "A" * 600, "Short",
                      "Emoji \U0001f600 title"]:
            for text in [a.text, "date 2024-10-31 " + a.text, "date 2024-10-31", "", "x", a.text + " \ud800 bad",
                         "Rock \U0001f3b8 star. Second 2nd sentence."]:
                out.append(Article(id=f"e{i}-{len(out)}", text=text, title=title, date=a.date))
    return out


def test_compiled_analysis_equals_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    arts = _corpus()
    monkeypatch.setattr(jit, "_FORCE", False)
    want = [analysis.analyse(a) for a in arts]
    monkeypatch.setattr(jit, "_FORCE", True)
    monkeypatch.setattr(token_scan, "KNOWN_MAX", 50)  # the table is started over many times
    got = [analysis.analyse(a) for a in arts]
    bad = [a.id for a, x, y in zip(arts, got, want, strict=True) if not same_analysis(x, y)]
    assert not bad
    assert token_scan.article_parts(None, "Rock \U0001f3b8 star.", [], 0, None, 2) is None  # the Python path's


def test_compiled_analysis_reads_terms_words_and_windows() -> None:
    text = "date 2023-10-31 Air defences downed 38 drones. 34 were over Belgorod. Two over Crimea."
    art = Article(id="a", title="Drones downed over Belgorod", text=text)
    with jit.using("incident", True):
        got = analysis.analyse(art)
    assert [text[s:e] for s, e in got.win_spans.tolist()] == [  # two windows of two sentences each
        "Air defences downed 38 drones. 34 were over Belgorod.", "34 were over Belgorod. Two over Crimea."]
    assert got.total_terms == float(got.counts.sum()) > 10
    assert got.lead_terms.size and np.all(np.diff(got.terms.astype(np.float64)) > 0)
    assert set(got.win_terms[:got.win_offsets[1]]) <= set(got.terms)


def test_threads_analysing_at_once_get_the_one_thread_analyses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table is written by Python between kernel calls; the kernels keep the GIL, so threads that
    analyse at once (and start the table over again and again) read it whole."""
    from concurrent.futures import ThreadPoolExecutor

    arts = _corpus()
    monkeypatch.setattr(jit, "_FORCE", True)
    want = [analysis.analyse(a) for a in arts]
    monkeypatch.setattr(token_scan, "KNOWN_MAX", 64)
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(analysis.analyse, arts * 3))
    assert all(same_analysis(x, y) for x, y in zip(got, want * 3, strict=True))
