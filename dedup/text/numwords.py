"""Number words, month and weekday names, currencies and a simple noun lemmatiser (for ``figures``).

``parse_number_words(["twenty-five", "drones"])`` -> ``(25.0, 1, False)``: value, tokens used, ordinal?
The grammar: ``[a] (units | tens[-units] | teens) [hundred [and] ...] [thousand|million|billion ...]``,
"a dozen" = 12, "two dozen" = 24; ordinals "first" .. "ninety-ninth", "hundredth".
"""

from __future__ import annotations

UNITS = {w: i for i, w in enumerate(
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"
    ])}
TENS = {w: 10 * (i + 2) for i, w in enumerate([
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"
])}
ORD_UNITS = {w: i + 1 for i, w in enumerate(
    [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
        "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
        "eighteenth", "nineteenth"
    ])}
ORD_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"])}
#: Every word ``_word_value`` reads alone (hyphenated "twenty-five" starts with one of them).
NUMBER_WORDS = frozenset([*UNITS, *TENS, *ORD_UNITS, *ORD_TENS])
SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "dozen": 12.0, "bn": 1e9, "mn": 1e6}
MONTHS = {m: i + 1 for i, m in enumerate(
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december"
    ])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate([
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
])}
CURRENCY_SIGNS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
                  "rubles": "RUB", "roubles": "RUB", "yuan": "CNY", "hryvnias": "UAH", "yen": "JPY",
                  "rupees": "INR"}
IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "mice": "mouse",
             "feet": "foot", "teeth": "tooth", "geese": "goose", "lives": "life", "wives": "wife",
             "aircraft": "aircraft", "police": "police", "data": "data", "series": "series",
             "news": "news", "species": "species", "troops": "troop", "us": "us"}


def lemma(word: str) -> str:
    """Singular lower-case form by simple rules: drones -> drone, UAVs -> uav, casualties -> casualty."""
    w = word.lower().strip("'\u2019")
    if w in IRREGULAR:
        return IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _word_value(w: str) -> tuple[float, bool] | None:
    if w in UNITS:
        return float(UNITS[w]), False
    if w in TENS:
        return float(TENS[w]), False
    if w in ORD_UNITS:
        return float(ORD_UNITS[w]), True
    if w in ORD_TENS:
        return float(ORD_TENS[w]), True
    if "-" in w:
        head, _, tail = w.partition("-")
        if head in TENS and (tail in UNITS and 0 < UNITS[tail] < 10 or tail in ORD_UNITS and ORD_UNITS[tail] < 10):
            return float(TENS[head] + (UNITS.get(tail) or ORD_UNITS[tail])), tail in ORD_UNITS
    return None


def parse_number_words(tokens: list[str]) -> tuple[float, int, bool] | None:
    """Parse a number written in words at the start of ``tokens``: ``(value, used, is_ordinal)`` or None."""
    toks = [t.lower() for t in tokens]
    i = 0
    total = 0.0
    current = 0.0
    ordinal = False
    seen = False
    if toks and toks[0] == "a" and len(toks) > 1 and toks[1] in ("dozen", "hundred", "thousand", "million",
                                                                  "billion"):
        current, i, seen = 1.0, 1, True
    while i < len(toks):
        w = toks[i]
        wv = _word_value(w)
        if wv is not None and not ordinal:
            if seen and current % 100 and wv[0] < 100:  # "two three" is two numbers
                break
            current += wv[0]
            ordinal = wv[1]
            seen = True
            i += 1
            continue
        if w in ("hundred", "thousand", "million", "billion", "trillion", "dozen", "hundredth",
                 "thousandth") and seen and not ordinal:
            scale = SCALES.get(w.removesuffix("th"), 0.0)
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0.0
            ordinal = w.endswith("th")
            i += 1
            continue
        if w == "and" and seen and i + 1 < len(toks) and _word_value(toks[i + 1]) and (total or current >= 100):
            i += 1
            continue
        break
    if not seen:
        return None
    if toks[i - 1] == "and":
        i -= 1
    return total + current, i, ordinal
