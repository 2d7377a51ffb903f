"""Sentence segmentation on news prose and on the sample corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.text.sentences import date_header, split_sentences
from dedup.text.tokens import tokenize, words

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_spans_point_into_the_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    spans = split_sentences(text)
    assert spans
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip()
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert not any(s.text.startswith("date ") for s in spans)


def test_abbreviations_decimals_and_times_do_not_split() -> None:
    got = texts("Gen. Mark Milley met U.S. officials at 7 a.m. Tuesday. Growth was 1.5 percent, Mr. Smith said.")
    assert got == ["Gen. Mark Milley met U.S. officials at 7 a.m. Tuesday.",
                   "Growth was 1.5 percent, Mr. Smith said."]


def test_dotted_abbreviation_before_a_sentence_starter_splits() -> None:
    assert texts("Prices rose in the U.S. The dollar fell.") == ["Prices rose in the U.S.", "The dollar fell."]


def test_initials_and_month_abbreviations() -> None:
    assert len(texts("J. R. Smith arrived on Oct. 31 in London. He left.")) == 2


def test_quotes_end_sentences() -> None:
    got = texts("\u2018We will respond,\u2019 the spokesperson added. \u2018Our forces are ready.\u2019 "
                "\u201cYes!\u201d she said. \"Quite.\" Done.")
    assert got == ["\u2018We will respond,\u2019 the spokesperson added.", "\u2018Our forces are ready.\u2019",
                   "\u201cYes!\u201d she said.", "\"Quite.\"", "Done."]


def test_line_breaks_without_punctuation_are_boundaries_and_paragraphs() -> None:
    spans = split_sentences("Drones downed over Moscow\n\nOfficials said four drones fell. More came\nLater")
    assert [s.text for s in spans] == ["Drones downed over Moscow", "Officials said four drones fell.",
                                       "More came", "Later"]
    assert [s.paragraph for s in spans] == [0, 1, 1, 2]


def test_date_header() -> None:
    text = (SAMPLES / "000_f667ce42480b2753.txt").read_text(encoding="utf-8")
    date, offset = date_header(text)
    assert date == "2023-11-07"
    assert split_sentences(text)[0].start >= offset
    assert date_header("No header here.") == (None, 0)


def test_sample_003_sentence_boundaries() -> None:
    text = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
    got = texts(text)
    assert "Of those, 34 were intercepted over Belgorod, two over Voronezh, and two over Crimea." in got
    assert "Will this mark a turning point in the war?" in got


def test_tokens_keep_numbers_whole() -> None:
    toks = words("A 38-drone raid cost $5 million, 1,200 homes lost power at 11:00 p.m.; 1.5% more.")
    for keep in ("38-drone", "$5", "1,200", "11:00", "p.m.", "1.5%"):
        assert keep in toks
    text = "Russia\u2019s anti-aircraft units"
    assert [t.text for t in tokenize(text)] == ["Russia\u2019s", "anti-aircraft", "units"]
    assert all(text[t.start:t.end] == t.text for t in tokenize(text))


def test_list_numbers_and_glued_sentences() -> None:
    assert texts("1. The first point is here. 2. Second point.") == ["1. The first point is here.",
                                                                     "2. Second point."]
    assert texts("She was asked to leave the party.Her car was found later.") == [
        "She was asked to leave the party.", "Her car was found later."]
    assert len(texts("Visit example.com today. He met U.S.Army officials.")) == 2


def test_a_long_one_line_article_is_split_into_every_sentence():
    # scraped pages often come as one line; this used to be quadratic in the line length
    unit = "The U.S. Gen. Smith said 1.5 million people were in Washington D.C. on Monday. Others disagreed! "
    text = unit * 2000  # ~190 kB on one line
    spans = split_sentences(text)
    assert len(spans) == 4000
    assert spans[0].text == "The U.S. Gen. Smith said 1.5 million people were in Washington D.C. on Monday."
    assert all(text[s.start:s.end] == s.text for s in spans[:50])


def test_word_before_a_full_stop_is_the_regex_run() -> None:
    # _word_before finds from the right what _WORD_BEFORE_RE finds by trying each start position
    import random

    from dedup.text.sentences import _LOOKBACK, _WORD_BEFORE_RE, _word_before

    rng = random.Random(7)
    alphabet = "aB.1 \t\u00a0\u2028\x1c\"'\u2018\u201c(\u2019)\u00e9"
    for _ in range(20000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 90)))
        dot = rng.randrange(len(line))
        run = _WORD_BEFORE_RE.search(line, max(0, dot - _LOOKBACK), dot)
        assert run is not None and _word_before(line, dot) == run.group(1), (line, dot)
