"""Number words, month and weekday names, currencies and a simple noun lemmatiser (for ``figures``).

``parse_number_words(["twenty-five", "drones"])`` -> ``(25.0, 1, False)``: value, tokens used, ordinal?
``read_number_words(tokens)`` is the full reader: cardinals up to sextillions ("two hundred and fifty",
"twenty-one trillion three hundred"), "a dozen" / "three dozens", decimals ("two hundred point zero three"),
ordinals ("twenty-fifth", "two hundredth"), fractions ("three quarters", "a fifth", "two thirds",
"one and a half", "half a dozen", "one over three") and signs ("minus five"). Tokens are lower-case
words; a hyphenated word is read as its parts ("twenty-five" = "twenty" "five").
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

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
BIG = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "quadrillion": 1e15,
       "quintillion": 1e18, "sextillion": 1e21}
SCALES = {"hundred": 100.0, **BIG, "dozen": 12.0, "bn": 1e9, "mn": 1e6}
ORD_SCALES = {"hundredth": 100.0, **{k + "th": v for k, v in BIG.items()}}
#: Denominator words: "half", "quarter", "third", "fifth" ... (singular and plural) -> denominator
DENOMINATORS = {"half": 2.0, "halves": 2.0, "quarter": 4.0, "quarters": 4.0,
                **{w: float(v) for w, v in ORD_UNITS.items() if v > 2}, **{w: float(v) for w, v in ORD_TENS.items()},
                **ORD_SCALES}
DENOMINATORS.update({w + "s": v for w, v in list(DENOMINATORS.items()) if not w.endswith("s") and w != "half"})
#: Words that start a number besides ``NUMBER_WORDS`` (fractions, scales and signs)
START_WORDS = frozenset([*NUMBER_WORDS, *SCALES, *ORD_SCALES, "half", "quarter", "quarters", "halves", "minus",
                         "negative", "dozens"])
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
CURRENCY_SIGNS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB", "₴": "UAH", "₩": "KRW"}
CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
                  "rubles": "RUB", "roubles": "RUB", "yuan": "CNY", "hryvnias": "UAH", "yen": "JPY",
                  "rupees": "INR", "usd": "USD", "eur": "EUR", "gbp": "GBP", "francs": "CHF", "pesos": "MXN",
                  "cents": "cent", "cent": "cent", "pence": "penny", "penny": "penny", "dimes": "dime",
                  "dime": "dime", "markka": "FIM", "won": "KRW", "rand": "ZAR", "shekels": "ILS", "lira": "TRY",
                  "riyals": "SAR", "dirhams": "AED", "naira": "NGN", "bitcoin": "BTC"}
#: "C$", "HK$", "US$": the letters before a "$" name the dollar
DOLLAR_PREFIXES = {"us": "USD", "c": "CAD", "ca": "CAD", "hk": "HKD", "a": "AUD", "au": "AUD", "nz": "NZD",
                   "s": "SGD", "nt": "TWD", "r": "BRL"}
IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "mice": "mouse",
             "feet": "foot", "teeth": "tooth", "geese": "goose", "lives": "life", "wives": "wife",
             "aircraft": "aircraft", "police": "police", "data": "data", "series": "series",
             "news": "news", "species": "species", "troops": "troop", "us": "us"}


@lru_cache(maxsize=1 << 16)  # a counted noun recurs in many figures
def lemma(word: str) -> str:
    """Singular lower-case form by simple rules: drones -> drone, UAVs -> uav, casualties -> casualty."""
    return _lemma(word)


def _lemma(word: str) -> str:
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


class WordNumber(NamedTuple):
    """A number read from words: its value, how many sub-words it used, and what it is."""

    value: float
    used: int
    ordinal: bool = False
    fraction: bool = False


#: function words after "a third" / "a fifth" that make it a fraction ("a third of"), not an ordinal
_FRACTION_NEXT = frozenset(["", "of", "as", "and", "or", "the", "that", "in", "more", "less", "than", "to", ",", ".",
                            ";", ":", ")", "!", "?"])


def _fraction_at(toks: list[str], i: int, numerator: float, single: bool) -> tuple[float, int] | None:
    """``numerator``/denominator when ``toks[i]`` is a denominator word ("thirds", "a quarter" after
    "and"); ``single``: the numerator was one unit word or "a", so "a third brother" stays an ordinal."""
    if i >= len(toks):
        return None
    w = toks[i]
    den = DENOMINATORS.get(w)
    used = 1
    if w in TENS and i + 1 < len(toks) and toks[i + 1] in DENOMINATORS and DENOMINATORS[toks[i + 1]] < 10:
        w = toks[i + 1]  # "one twenty-fifth", "three twenty-firsts"
        den, used = TENS[toks[i]] + DENOMINATORS[w], 2
    elif w in TENS and i + 1 < len(toks) and toks[i + 1] in ("first", "firsts"):
        w = toks[i + 1]
        den, used = TENS[toks[i]] + 1.0, 2
    if den is None:
        return None
    nxt = toks[i + used] if i + used < len(toks) else ""
    plural = w.endswith("s") or w == "halves"
    if not plural and w not in ("half", "quarter") and single and nxt not in _FRACTION_NEXT:
        return None  # "a third brother", "one second chance": an ordinal, not a fraction
    return numerator / den, i + 1


def read_number_words(tokens: list[str]) -> WordNumber | None:
    """Read a number written in words at the start of lower-case ``tokens`` (see the module docstring)."""
    toks = tokens
    n = len(toks)
    i = 0
    sign = 1.0
    if n and toks[0] in ("minus", "negative"):
        sign, i = -1.0, 1
    start = i
    total = current = 0.0
    last = ""  # kind of the last word read: unit, teen, tens, hundred, big, a
    last_big = 0.0
    small = 0.0  # the part of ``current`` read since the last "hundred" ("three hundred and two dozens")
    ordinal = fraction = False
    # "half a dozen" / "half a million", "a half", "half" alone
    if i < n and toks[i] == "half":
        if i + 2 < n and toks[i + 1] in ("a", "an") and toks[i + 2] in ("dozen", *BIG):
            return WordNumber(sign * 0.5 * SCALES[toks[i + 2]], i + 3)
        return WordNumber(sign * 0.5, i + 1, fraction=True)
    if i + 1 < n and toks[i] in ("a", "an"):
        nxt = toks[i + 1]
        if nxt in ("dozen", "hundred", *BIG):
            current, small, last, i = 1.0, 1.0, "a", i + 1
        elif nxt in DENOMINATORS or nxt in ORD_SCALES:
            got = _fraction_at(toks, i + 1, 1.0, True)
            if got is None:
                return None
            return WordNumber(sign * got[0], got[1], fraction=True)
        else:
            return None
    while i < n:
        w = toks[i]
        if w in UNITS or w in TENS:
            v = float(UNITS.get(w, TENS.get(w, 0)))
            kind = "tens" if w in TENS else ("teen" if v >= 10 else "unit")
            ok = (last in ("", "hundred", "big", "and") or (last == "tens" and kind == "unit" and v > 0))
            if not ok:
                break
            current += v
            small += v
            last = kind
            i += 1
            continue
        if w in ORD_UNITS or w in ORD_TENS:
            v = float(ORD_UNITS.get(w, ORD_TENS.get(w, 0)))
            # after "one"/"three" (a unit or teen) it is a denominator: "one fifth", "three twenty-fifths"
            if last in ("unit", "teen") or (last == "tens" and v >= 10):
                break
            current += v
            ordinal = True
            last = "ord"
            i += 1
            break
        if w == "-" and last == "tens" and i + 1 < n and toks[i + 1] in UNITS and 0 < UNITS[toks[i + 1]] < 10:
            i += 1  # "fifty - two"
            continue
        if w in ("hundred", "dozen", "dozens") and last != "hundred":
            if last == "" and w != "hundred":
                return None  # "dozens" alone is vague
            if current == 0 and last in ("", "big"):
                current = small = 1.0
            if w == "hundred":
                current *= 100.0
            else:
                current += small * 11.0
            small = 0.0
            last = "hundred"
            i += 1
            continue
        if w in BIG:
            scale = BIG[w]
            if last == "big" and scale > last_big and current == 0:
                total *= scale  # "two thousand million"
            elif last == "big" or (last_big and scale >= last_big and current == 0):
                break
            else:
                total += (current or 1.0) * scale
                current = small = 0.0
            last, last_big = "big", scale
            i += 1
            continue
        if w in ORD_SCALES and last:
            scale = ORD_SCALES[w]
            if scale == 100:
                current *= 100
            else:
                total += (current or 1.0) * scale
                current = 0.0
            ordinal = True
            i += 1
            break
        if w == "and" and last and i + 1 < n:
            nxt = toks[i + 1]
            if nxt in UNITS or nxt in TENS:  # "twenty and three fifths", "one hundred and three quarters"
                sub = read_number_words(toks[i + 1:])
                if sub is not None and sub.fraction:
                    return WordNumber(sign * (total + current + sub.value), i + 1 + sub.used, fraction=True)
            if nxt in ("a", "an") and i + 2 < n and toks[i + 2] in DENOMINATORS:
                got = _fraction_at(toks, i + 2, 1.0, False)
                if got:  # "one and a half", "five and a quarter"
                    return WordNumber(sign * (total + current + got[0]), got[1], fraction=True)
            if (nxt in UNITS or nxt in TENS) and (last in ("hundred", "big") or total or current >= 100):
                last = "and"
                i += 1
                continue
            break
        if w == "point" and last and i + 1 < n:
            digits = ""
            k = i + 1
            while k < n and toks[k] in UNITS and UNITS[toks[k]] < 10:
                digits += str(UNITS[toks[k]])
                k += 1
            if not digits and k < n and toks[k] in TENS:
                sub = read_number_words(toks[k:k + 2])
                if sub is not None and not sub.ordinal:
                    digits, k = str(int(sub.value)), k + sub.used
            if digits:
                return WordNumber(sign * (total + current + float("0." + digits)), k)
            break
        break
    if last == "" or last == "a" and not ordinal:
        return None
    value = total + current
    if toks[i - 1] == "and":
        i -= 1
    if not ordinal and i < n:
        plural = toks[i].endswith("s") or toks[i] == "halves" or (
            toks[i] in TENS and i + 1 < n and toks[i + 1].endswith("s"))
        if last in ("unit", "teen") or plural:
            got = _fraction_at(toks, i, value, last == "unit" and i - start == 1)
            if got is not None:
                return WordNumber(sign * got[0], got[1], fraction=True)
    if not ordinal and last in ("unit", "teen", "tens") and i + 1 < n and toks[i] == "over":
        sub = read_number_words(toks[i + 1:])
        if sub is not None and sub.value and not sub.ordinal and not sub.fraction:
            return WordNumber(sign * value / sub.value, i + 1 + sub.used, fraction=True)
    return WordNumber(sign * value, i, ordinal, fraction)


def split_words(tokens: list[str]) -> tuple[list[str], list[int]]:
    """Lower-case sub-words of ``tokens`` (hyphenated words split at "-") and the token each came from."""
    subs: list[str] = []
    owner: list[int] = []
    for k, t in enumerate(tokens):
        low = t.lower()
        if "-" in low and len(low) > 1:
            parts = [p for p in low.split("-") if p]
            subs.extend(parts)
            owner.extend([k] * len(parts))
        else:
            subs.append(low)
            owner.append(k)
    return subs, owner


def parse_number_words(tokens: list[str]) -> tuple[float, int, bool] | None:
    """Parse a number written in words at the start of ``tokens``: ``(value, used, is_ordinal)`` or None.

    ``used`` counts whole tokens; a number that ends inside a hyphenated token ("two-year") uses it.
    """
    subs, owner = split_words(tokens)
    got = read_number_words(subs)
    if got is None:
        return None
    return got.value, owner[got.used - 1] + 1, got.ordinal
