"""Words around a figure, for the figure extractor (``dedup.text.figures``): what a count counts and where.

``noun_after(words, j)``: the head noun lemma of the phrase starting at word ``j`` ("38 Ukrainian drones"
-> "drone"); ``places(words, j, stop, distributive)``: the capitalised places after the first place
preposition ("over the Belgorod region" -> ["Belgorod"]). Both read the token texts of one sentence
(``dedup.text.tokens``).
"""

from __future__ import annotations

from dedup.text.numwords import MONTHS, WEEKDAYS, lemma

PLACE_PREPS = frozenset(["over", "in", "near", "above", "across", "outside", "around", "inside", "into"])
PLACE_TAIL = frozenset([
    "region", "regions", "oblast", "province", "district", "city", "area", "areas", "border", "territory"
])
NOT_NOUN = frozenset([
    "were", "was", "are", "is", "be", "been", "being", "had", "have", "has", "will", "would",
    "could", "can", "may", "might", "must", "do", "did", "does", "of", "each", "over", "in", "on",
    "at", "to", "from", "by", "with", "and", "or", "but", "nor", "than", "the", "a", "an", "per",
    "who", "which", "that", "those", "these", "this", "more", "less", "fewer", "most", "other",
    "others", "additional", "closer", "further", "about", "some", "all", "both", "either",
    "another", "such", "so", "as", "out", "up", "down", "off", "into", "onto", "its", "their",
    "his", "her", "our", "your", "my", "not", "no", "yet", "also", "just", "only", "still", "then",
    "percent", "per-cent", "cent", "times", "time", "ago", "earlier", "later", "previously",
    "aboard", "apiece", "away", "overall", "together", "altogether", "total", "them", "us", "you",
    "it", "him", "me", "they", "we", "he", "she", "whom", "for", "against", "after", "before", "since",
    "during", "under", "near", "through", "across", "around", "among", "between", "within", "without",
    "toward", "towards", "if", "when", "while", "because", "though", "although", "where", "there", "here",
])
PLURALS = frozenset(["people", "men", "women", "children", "police", "troops", "personnel", "staff"])
GENERIC_HEADS = frozenset([
    "aircraft", "system", "systems", "unit", "units", "device", "devices", "type", "types", "model",
    "models"
])
_ADJ_SUFFIXES = ("ed", "al", "ian", "ive", "ous", "ful", "ic", "ish", "ese", "ing", "ary", "ble")


def is_word(tok: str) -> bool:
    return tok[:1].isalpha()


def _plural_low(low: str) -> bool:
    return low in PLURALS or (len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")))


def noun_after(words: list[str], j: int, lows: list[str] | None = None) -> tuple[str | None, int]:
    """Head noun lemma of the phrase starting at token ``j`` (skipping modifiers) and its token index;
    ``lows``: the lower-case ``words`` when at hand.

    Capitalised words modify ("38 Ukrainian drones") unless plural and last ("two Singaporeans");
    a singular word followed by a plural one is a compound whose head is the plural ("cruise missiles").
    """
    if lows is None:
        lows = [w.lower() for w in words]
    n = len(words)
    if j < n and lows[j] == "of" and j + 1 < n:  # "six of the drones"
        j += 1
        if lows[j] in ("the", "those", "these", "its", "their"):
            j += 1
    k = j
    while k < n and k - j < 4:
        w = words[k]
        low = lows[k]
        if not w[:1].isalpha() or low in NOT_NOUN or (low.endswith("ly") and low not in ("family", "ally")):
            return None, -1
        nxt, nlow = (words[k + 1], lows[k + 1]) if k + 1 < n else ("", "")
        nxt_content = nxt[:1].isalpha() and nlow not in NOT_NOUN and not nlow.endswith("ly") and (
            nxt[0].islower() or (_plural_low(nlow) and not nxt.isupper()))
        acronym = w.rstrip("s").isupper() and len(w) > 1  # UAVs, AADF
        proper = w[0].isupper() and not acronym
        plural = _plural_low(low)
        modifier = (proper and not plural) or (low.endswith(_ADJ_SUFFIXES) and not low.endswith("s"))
        if modifier and nxt_content:
            k += 1
            continue
        if proper and not plural:
            return None, -1
        if acronym or len(low) < 2:
            return (lemma(low) if acronym else None), k
        if not plural and nxt_content and _plural_low(nlow) and nlow not in GENERIC_HEADS:
            return lemma(nxt), k + 1  # noun compound: "cruise missiles" -> missile
        return lemma(low), k
    return None, -1


def places(words: list[str], j: int, stop: int, distributive: bool) -> list[str]:
    """Capitalised places after the first place preposition in ``words[j:stop]`` that has one.

    "over the Belgorod region" -> Belgorod; "in Russia's Kursk region" -> Kursk; with ``distributive``,
    "over Voronezh and Crimea" -> both.
    """
    for p in range(j, stop):
        if words[p].lower() in PLACE_PREPS:
            found = place_list(words, p + 1, stop, distributive)
            if found:
                return found
    return []


def place_list(words: list[str], k: int, stop: int, distributive: bool) -> list[str]:
    """Places coordinated from ``words[k]``: each one with ``distributive``; else one joint place.

    Without "each", "two over Lipetsk and Ryazan" counts two in all over both: the figure is bound to
    the joint place "Lipetsk and Ryazan" (names sorted, so word order does not matter), and only when
    the list ends with "and" ("in Gaza, Israel said" binds Gaza alone).
    """
    places: list[str] = []
    conns: list[str] = []
    while k < stop:
        if words[k].lower() == "the":
            k += 1
            continue
        run: list[str] = []
        while k < stop and is_word(words[k]) and words[k][0].isupper():
            word = words[k]
            if word.endswith(("'s", "\u2019s")):  # "Russia's Kursk region": the place is Kursk
                run = [] if k + 1 < stop and words[k + 1][:1].isupper() else [word[:-2]]
            else:
                run.append(word)
            k += 1
        while run and run[-1].lower() in PLACE_TAIL:
            run.pop()
        while k < stop and words[k].lower() in PLACE_TAIL:
            k += 1
        if not run or run[0].lower() in MONTHS or run[0].lower() in WEEKDAYS:
            break
        places.append(" ".join(run))
        if k < stop and words[k].lower() in ("and", ","):
            conn = words[k].lower()
            k += 1
            if k < stop and words[k].lower() == "and":
                conn = "and"
                k += 1
            conns.append(conn)
            continue
        break
    if distributive or len(places) < 2:
        return places
    if conns[len(places) - 2] != "and":
        return places[:1]
    return [" and ".join(sorted(places))]
