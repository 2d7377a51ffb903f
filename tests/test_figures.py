"""Figure extraction: values, kinds, what is counted, where, and the date context."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from dedup.text.figures import extract_figures
from dedup.text.numwords import lemma, parse_number_words

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def one(text: str, **kw: object):
    figs = extract_figures(text, **kw)  # type: ignore[arg-type]
    assert len(figs) == 1, figs
    return figs[0]


@pytest.mark.parametrize("text,value,kind", [
    ("They counted 1,200 homes.", 1200.0, "count"),
    ("Output grew 1.5 times.", 1.5, "count"),
    ("Some twenty-five people fled.", 25.0, "count"),
    ("A dozen soldiers died.", 12.0, "count"),
    ("Two million people voted.", 2e6, "count"),
    ("One hundred and five cars burned.", 105.0, "count"),
    ("It was the fourth drone.", 4.0, "ordinal"),
    ("It was the 31st attempt.", 31.0, "ordinal"),
    ("Prices rose 4.2% in a year.", 4.2, "percent"),
    ("Prices rose 3 percent overall.", 3.0, "percent"),
    ("Damage reached $5 million overall.", 5e6, "money"),
    ("The deal is worth £2bn, officials said.", 2e9, "money"),
    ("It cost two million dollars.", 2e6, "money"),
    ("Russia annexed Crimea in 2014 after protests.", 2014.0, "year"),
])
def test_values_and_kinds(text: str, value: float, kind: str) -> None:
    f = one(text)
    assert (f.value, f.kind) == (value, kind)
    assert text[f.start:f.end] == f.text


def test_money_units() -> None:
    assert one("It cost $5 million.").unit == "USD"
    assert one("It cost £2bn.").unit == "GBP"
    assert one("It cost 3 euros.").unit == "EUR"


@pytest.mark.parametrize("text,iso", [
    ("It happened on October 31, 2023, at night.", "2023-10-31"),
    ("It happened on 31 October 2023 at night.", "2023-10-31"),
    ("It happened on Oct. 31st, 2023 at night.", "2023-10-31"),
    ("It happened on 2023-10-31 at night.", "2023-10-31"),
])
def test_dates(text: str, iso: str) -> None:
    f = one(text)
    assert (f.kind, f.value) == ("date", iso)


def test_dates_resolve_against_article_date() -> None:
    assert one("It happened on October 31.", date="2023-11-07").value == "2023-10-31"
    assert one("It happened on October 31.").value == "--10-31"
    assert one("It happened on December 30.", date="2024-01-02").value == "2023-12-30"  # previous year
    assert one("Drones struck on Sunday.", date="2023-11-07").value == "2023-11-05"  # a Tuesday
    assert one(" date 2023-11-07 Drones struck on Sunday.").value == "2023-11-05"  # header as reference


def test_times() -> None:
    figs = extract_figures("It began at 11:00 pm and ended at 7 a.m. the next day.")
    assert [(f.kind, f.value) for f in figs] == [("time", "23:00"), ("time", "07:00")]


def test_counted_noun_skips_modifiers_and_lemmatises() -> None:
    assert one("They downed 38 Ukrainian drones overnight.").counts == "drone"
    assert one("They downed 38 Ukrainian drone aircraft.").counts == "drone"
    assert one("It shot down four cruise missiles.").counts == "missile"
    assert one("A 38-drone swarm was seen.").counts == "drone"
    assert one("They saw 12 UAVs overhead.").counts == "uav"
    assert one("Two people were injured.").counts == "person"
    assert one("Six of the targeted drones fell.").counts == "drone"


def test_one_as_pronoun_is_not_a_figure() -> None:
    assert extract_figures("It was one of the largest assaults.") == []


def test_places_and_distributive_each() -> None:
    figs = extract_figures("Officials said 38 drones were destroyed. Of these, 34 were downed over the "
                           "Belgorod region, with two each over Voronezh and Crimea.")
    got = [(f.value, f.counts, f.where) for f in figs]
    assert got == [(38.0, "drone", None), (34.0, "drone", "Belgorod"), (2.0, "drone", "Voronezh"),
                   (2.0, "drone", "Crimea")]


def test_sample_003_and_004_oct31_report() -> None:
    t3 = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
    t4 = (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")

    def report(text: str) -> set[tuple[float, str | None, str | None, str | None]]:
        return {(f.value, f.counts, f.where, f.when) for f in extract_figures(text) if f.kind == "count"}

    oct31 = {(38.0, "drone", None, "--10-31"), (34.0, "drone", "Belgorod", "--10-31"),
             (2.0, "drone", "Voronezh", "--10-31"), (2.0, "drone", "Crimea", "--10-31")}
    assert oct31 <= report(t3)
    assert oct31 <= report(t4)
    nov1 = [f for f in extract_figures(t3) if f.value == 98.0]
    assert nov1 and nov1[0].when == "--11-01"


def test_figures_carry_sentence_index_and_to_dict() -> None:
    figs = extract_figures("No figures here. Then 5 cars burned.")
    assert figs[0].sentence == 1
    assert figs[0].to_dict()["span"] == [figs[0].start, figs[0].end]


def test_helpers() -> None:
    assert lemma("casualties") == "casualty"
    assert lemma("UAVs") == "uav"
    assert lemma("people") == "person"
    assert parse_number_words(["thirty-first", "day"]) == (31.0, 1, True)
    assert parse_number_words(["hello"]) is None


def test_british_times() -> None:
    assert [(f.kind, f.value) for f in extract_figures("She died at 1.35pm on the ward.")] == [("time", "13:35")]


def test_pronouns_and_adverbs_are_not_counted_nouns() -> None:
    figs = extract_figures("Police found 5 of them near the river. Ten aboard survived.")
    assert [f.counts for f in figs] == [None, None]
    assert one("It ended at 9:00 pm. Nothing else.").text == "9:00 pm"


def test_counted_noun_edge_cases_from_real_news() -> None:
    assert one("This is the first arrest made for such offences.").counts == "arrest"
    assert one("Two Americans died in the crash.").counts == "american"
    assert one("Three Kremlin officials spoke.").counts == "official"
    figs = extract_figures("CNB arrested two male Singaporeans aged 22 and 23 for allegedly possessing it.")
    assert [(f.value, f.counts) for f in figs] == [(2.0, "singaporean"), (22.0, None), (23.0, None)]


def test_place_after_a_later_preposition_and_possessive() -> None:
    assert one("Officials said 34 drones were downed in recent days over Belgorod.").where == "Belgorod"
    assert one("They said 12 drones fell in Russia\u2019s Kursk region.").where == "Kursk"


def test_coordinated_places_without_each_bind_jointly() -> None:
    t3 = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
    two = [f for f in extract_figures(t3) if f.value == 2.0 and "Lipetsk" in (f.where or "")]
    assert len(two) == 1 and two[0].where == "Lipetsk and Ryazhan"  # two in all, over both places
    # word order does not matter, "each" still distributes, a comma alone does not coordinate
    assert one("Two drones fell over Ryazan and Lipetsk.").where == "Lipetsk and Ryazan"
    each = [f.where for f in extract_figures("Two drones each fell over Ryazan and Lipetsk.") if f.kind == "count"]
    assert sorted(each) == ["Lipetsk", "Ryazan"]
    assert one("Five people were killed in Gaza, Israel said.").where == "Gaza"


def test_weekday_without_article_date_stays_relative() -> None:
    figs = extract_figures("Two drones fell over Kursk on Monday.")
    assert [f.value for f in figs if f.kind == "date"] == ["monday"]
    dated = extract_figures("Two drones fell over Kursk on Monday.", date="2023-11-01")
    assert [f.value for f in dated if f.kind == "date"] == ["2023-10-30"]


def test_a_sentence_without_month_or_weekday_is_scanned_once_whatever_the_date() -> None:
    from dedup.text.figures import SENTENCE_FIGURES

    plain = "Russia launched 38 Ukrainian drones overnight."
    dated = "Two drones fell over Kursk on Monday."
    with SENTENCE_FIGURES.scope():
        for date in ("2023-11-01", "2023-11-08", None):
            extract_figures(f"{plain} {dated}", date=date)
        data = SENTENCE_FIGURES.data
        assert data is not None
        assert sorted(map(str, data)) == sorted([plain] + [str((dated, d)) for d in (
            datetime.date(2023, 11, 1), datetime.date(2023, 11, 8), None)])
        assert [f.value for f in extract_figures(dated, date="2023-11-08") if f.kind == "date"] == ["2023-11-06"]


def test_a_recurring_sentence_gives_the_same_figures_wherever_it_stands() -> None:
    # inside a scope (the facts of a corpus) each sentence is scanned once (once per reference date when it
    # has a month or weekday word), in its own offsets: met again elsewhere, its figures are shifted to where it stands, antecedents still come
    # from the text around it
    from dedup.text.figures import SENTENCE_FIGURES

    s = "Of those, 34 were downed over Belgorod on Monday."
    lead = "Russia launched 38 Ukrainian drones overnight."
    plain = [extract_figures(t, date="2023-11-07") for t in (f"{lead} {s}", f"Intro line here.\n{lead} {s}", s)]
    assert SENTENCE_FIGURES.data is None  # nothing kept outside a scope
    with SENTENCE_FIGURES.scope():
        first, second, alone = (extract_figures(t, date="2023-11-07")
                                for t in (f"{lead} {s}", f"Intro line here.\n{lead} {s}", s))
        assert SENTENCE_FIGURES.data is not None and len(SENTENCE_FIGURES.data) == 3
        assert extract_figures(s)[-1].value == "monday"  # another reference date: scanned again
    assert SENTENCE_FIGURES.data is None
    assert [first, second, alone] == plain
    shift = len("Intro line here.\n")
    assert [(f.start + shift, f.end + shift, f.sentence + 1) for f in first] == [
        (f.start, f.end, f.sentence) for f in second]
    assert [f.counts for f in first] == [f.counts for f in second] == ["drone", "drone", None]
    assert alone[0].counts is None  # no antecedent without the lead sentence
    assert first[-1].value == "2023-11-06"
