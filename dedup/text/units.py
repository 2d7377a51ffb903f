"""Units of measure after a number, for the figure extractor: "200 metres", "1,600 km", "10kg", "80 mph".

``unit_at(words, j)`` -> ``(symbol, tokens used)`` for the unit starting at token ``j`` ("square
meters" -> ("m2", 2)), or None; ``unit_of_suffix("km")`` reads a unit glued to digits ("1,800km").
Times of day, durations ("three days") and currencies are not units here: durations stay counts of
what they count, money has its own kind.
"""

from __future__ import annotations

_BASE: dict[str, tuple[str, ...]] = {
    "km": ("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"),
    "m": ("metre", "metres", "meter", "meters"),
    "cm": ("cm", "centimetre", "centimetres", "centimeter", "centimeters"),
    "mm": ("mm", "millimetre", "millimetres", "millimeter", "millimeters"),
    "nm": ("nanometre", "nanometres", "nanometer", "nanometers"),
    "mi": ("mi", "mile", "miles"),
    "ft": ("ft", "foot", "feet"),
    "in": ("inch", "inches"),
    "yd": ("yd", "yard", "yards"),
    "nmi": ("nautical mile", "nautical miles"),
    "km2": ("km2", "km²", "sq km", "square kilometre", "square kilometres", "square kilometer", "square kilometers"),
    "m2": ("m2", "m²", "sq m", "square metre", "square metres", "square meter", "square meters"),
    "mi2": ("sq mi", "sq miles", "sq mile", "square mile", "square miles"),
    "ft2": ("sq ft", "square foot", "square feet"),
    "ha": ("ha", "hectare", "hectares"),
    "acre": ("acre", "acres"),
    "l": ("l", "litre", "litres", "liter", "liters"),
    "ml": ("ml", "millilitre", "millilitres", "milliliter", "milliliters"),
    "cl": ("cl", "centilitre", "centilitres"),
    "gal": ("gal", "gallon", "gallons"),
    "bbl": ("barrel", "barrels", "bbl"),
    "m3": ("m3", "m³", "cubic metre", "cubic metres", "cubic meter", "cubic meters"),
    "ft3": ("cubic foot", "cubic feet"),
    "km3": ("km3", "cubic kilometre", "cubic kilometres", "cubic kilometer", "cubic kilometers"),
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"),
    "g": ("gram", "grams", "gramme", "grammes"),
    "mg": ("mg", "milligram", "milligrams"),
    "lb": ("lb", "lbs", "pound-weight"),
    "oz": ("oz", "ounce", "ounces"),
    "t": ("tonne", "tonnes", "metric ton", "metric tons", "metric tonnes"),
    "ton": ("ton", "tons"),
    "mph": ("mph", "miles an hour", "miles per hour", "mile an hour"),
    "km/h": ("km/h", "kph", "kmh", "kilometres an hour", "kilometers an hour", "kilometres per hour",
             "kilometers per hour"),
    "kn": ("knot", "knots"),
    "°C": ("°c", "celsius", "degrees celsius", "degree celsius", "c°", "centigrade", "degrees centigrade"),
    "°F": ("°f", "fahrenheit", "degrees fahrenheit", "degree fahrenheit"),
    "°": ("degree", "degrees"),
    "K": ("kelvin",),
    "eV": ("ev", "electronvolt", "electronvolts"),
    "TeV": ("tev",), "GeV": ("gev",), "MeV": ("mev",),
    "W": ("w", "watt", "watts"), "kW": ("kw", "kilowatt", "kilowatts"), "MW": ("mw", "megawatt", "megawatts"),
    "GW": ("gw", "gigawatt", "gigawatts"), "Wh": ("wh",), "kWh": ("kwh",), "MWh": ("mwh",), "GWh": ("gwh",),
    "TWh": ("twh",), "V": ("volt", "volts"), "kV": ("kv",),
    "Hz": ("hz", "hertz"), "kHz": ("khz",), "MHz": ("mhz",), "GHz": ("ghz",),
    "bit": ("bit", "bits"), "B": ("byte", "bytes"), "kB": ("kb",), "MB": ("mb", "megabyte", "megabytes"),
    "GB": ("gb", "gigabyte", "gigabytes"), "TB": ("tb", "terabyte", "terabytes"), "EB": ("exabyte", "exabytes"),
    "mGy": ("mgy",), "Sv": ("sievert", "sieverts"), "mSv": ("msv", "millisievert", "millisieverts"),
    "cal": ("calorie", "calories", "kcal"),
    "ly": ("light year", "light years", "light-year", "light-years"),
    "tpd": ("tpd",),
}
UNIT_NAMES: dict[str, str] = {s: sym for sym, surfaces in _BASE.items() for s in surfaces}
#: units glued to digits ("10kg", "75ml", "1,800km", "200lbs", "4km"): short symbols only
GLUED = {s: sym for s, sym in UNIT_NAMES.items() if " " not in s and (len(s) <= 3 or s in ("kgs", "kms", "lbs"))}
GLUED.update({"m": "m", "g": "g", "t": "t"})
#: surfaces of one token that are also common words: a unit only after digits, never after number words
_DIGITS_ONLY = frozenset(["l", "w", "v", "t", "g", "m", "mi", "in", "ha", "mb", "kb", "gb", "tb"])
_MAX_WORDS = 3
#: lower-case first tokens of every unit name: any other token starts no unit
UNIT_FIRST = frozenset(s.split()[0].split("/")[0] for s in UNIT_NAMES) | {"°"}


def unit_at(words: list[str], j: int, *, after_digits: bool = True) -> tuple[str, int] | None:
    """The unit of measure starting at token ``j`` of ``words`` and how many tokens it spans, or None."""
    n = len(words)
    if j >= n or words[j].lower() not in UNIT_FIRST:
        return None
    for size in range(min(_MAX_WORDS, n - j), 0, -1):
        parts = words[j:j + size]
        if size > 1 and parts[1] in ("/", "°"):
            key = "".join(parts).lower()
        else:
            key = " ".join(parts).lower()
        if words[j] == "°" and size > 1:
            key = "°" + "".join(parts[1:]).lower()
        sym = UNIT_NAMES.get(key)
        if sym is None:
            continue
        if size == 1 and (key in _DIGITS_ONLY and not after_digits or key == "in"):
            return None
        if size == 1 and key == "m" and j + 1 < n and words[j + 1][:1].isalpha():
            return None
        return sym, size
    return None


def unit_of_suffix(suffix: str) -> str | None:
    """The unit glued to digits ("km" in "1,800km"), or None."""
    return GLUED.get(suffix.lower()) if suffix.lower() != "m" or suffix == "m" else None
