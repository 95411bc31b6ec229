"""How much, how many? Counted quantities in English news prose: GPUs and chips, US dollars,
power, gas turbines, headcount. Pure: no database, no network; all regexes compiled at import.

Rules and choices, so that callers know what a result means:

- A quantity is a number with its unit or noun: "200,000 GPUs", "$6bn", "1.2 GW", "15
  turbines". A number alone is never one, so years ("in 2024"), dates, times, phone numbers,
  percentages ("20%", "20 percent of GPUs") and page furniture ("12 comments", "5 min read")
  yield nothing, and neither does a chip name without a count ("H100", "GB200 racks").
- Numbers: "200,000", "1.2", "200k", "$250M", "$6bn", "1.2 million", "one" to "twenty", "a
  dozen", "two dozen", "half a dozen", "a hundred", "a million", "half a million". A digit
  glued to a word or a hyphen belongs to a name ("GPT-4", "H100", "o3", "SMT-130"), and a
  number without comma or scale right after a capitalised word that is not the sentence's first
  is a model name ("runs Grok 3 GPUs", "Solar Titan 130 turbines"). A four-digit 19xx/20xx
  number after a temporal word ("in 2024 GPUs were…", "by 2026 chips…") is a year; elsewhere
  "2024 GPUs" is a count. Power and dollars skip these two checks. Ranges ("50,000-100,000
  GPUs"), "tens of thousands", "dozens" and number words above twenty are not read: any single
  value would be invented.
- Spans (`start`, `end`) cover the whole expression, hedge and noun included: "about 300 MW",
  "100,000 Nvidia H100 chips", "25,000 GPUs or so". A trailing "valuation" is not part of it.
- `approximate`: "about", "around", "approximately", "roughly", "nearly", "almost", "close to",
  "more than", "over", "under", "less/fewer than", "up to", "some", "an estimated", "as many/
  much as", "at least", "upwards of", "in excess of", "north of", "~", "100,000+", "… or so",
  "… or more".
- `gpus` and `chips` (GPUs and other accelerators as a count): the chip type decides when there
  is one, so "100,000 Nvidia H100 chips" are `gpus` with chip type "H100" and "Trainium2 chips"
  are `chips`; otherwise the noun does ("GPUs" vs "chips", "accelerators"). "50,000 of them
  H200s" and "of which 50,000 are H200s" count H200s. Two chip types ("GB200 and GB300 GPUs")
  leave `chip_type` empty. Superchips count as they are written (a GB200 superchip holds two
  GPUs; no multiplying). "GPU hours" are not GPUs, and a bare "one chip"/"one GPU" is
  a figure of speech, not a count.
- `h100e`: "H100 equivalents", "H100-equivalent GPUs", "H100e", "the equivalent of 100,000
  H100s"; chip type "H100".
- `usd`: dollars only, in dollars: "$6 billion", "US$6 billion", "USD 6bn", "6 billion dollars",
  "a 6-billion-dollar deal". Other currencies ("€1.2 billion", "£500m", "C$2bn", "1 billion
  euros") are skipped rather than converted: a fixed rate would silently drift, and a caller
  that needs them should carry the currency, not a guess. `role` is "valuation" for "$24
  billion valuation", "valued at", "valuing it at", "values the company at", "a valuation of";
  otherwise "amount". "worth" stays an amount ("a deal worth $10 billion"). Prices per unit
  ("$142.50 a share", "$2 per GPU hour", "$20/month") are not amounts and are skipped.
- `power_mw`: "1 GW", "1.2 gigawatts", "150MW", "a 300-megawatt plant", "a gigawatt", "500 kW",
  in megawatts. Energy ("MWh", "gigawatt-hours") is not power.
- `turbines`: "35 gas turbines", "15 turbines", "41-turbine plant", "a dozen mobile turbines".
- `people`: employees, staff, staffers, workers, researchers, engineers, scientists, people;
  never the anonymous sources of "two people familiar with the matter".
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from apps.events.rules.numbers import NUMBER_WORDS


@dataclass(frozen=True)
class Quantity:
    kind: str  # "gpus" | "chips" | "usd" | "power_mw" | "turbines" | "h100e" | "people"
    value: Decimal  # GPUs as a count, USD in dollars, power in megawatts
    chip_type: str  # "H100", "GB200", "TPU v5p", "Trainium2"…, or ""
    approximate: bool
    role: str  # usd: "amount" | "valuation"; other kinds: ""
    start: int
    end: int


_SCALES = {
    "hundred": 10**2,
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
_SCALE_WORDS = r"hundred|thousand|million|billion|trillion"

# Numbers are found by two scans, digits and words, because one regex that tries both at every
# position is three times slower. A digit glued to a word, a hyphen or a dash belongs to a name
# or a range ("GPT-4", "H100", "50,000-100,000"); the lookbehind comes after the first digit so
# that the scan can skip to digits. \u2013 is an en dash.
# Up to 15 digits and 6 decimals, so that a Decimal holds any of them times a trillion exactly.
_DIGITS = re.compile(
    r"\d(?<![\w.,:/\-\u2013]\d)(?:\d{0,2}(?:,\d{3}){1,4}|\d{0,14})(?:\.\d{1,6})?(?!\d|[.,]\d)"
)
# Skip-scanned by the first letter of a number word; the lookbehinds pick the rest.
_WORD_NUMBER = re.compile(
    r"""[OoTtFfSsEeNnHhAa](?<![\w-].)
    (?:(?<=[Oo])ne
      |(?<=[Tt])(?:wo|hree|en|welve|hirteen|wenty)
      |(?<=[Ff])(?:ourteen|our|ifteen|ive)
      |(?<=[Ss])(?:ixteen|ix|eventeen|even)
      |(?<=[Ee])(?:ighteen|ight|leven)
      |(?<=[Nn])(?:ineteen|ine)
      |(?<=[Hh])alf\s+a(?=\s)
      |(?<=[Aa])(?=[\s-]+(?:dozen|hundred|thousand|million|billion|trillion|gigawatt|megawatt)\b)
    )(?![\w-])""",
    re.VERBOSE,
)
_MULTIPLIER_AFTER = re.compile(
    rf"""(?:\s+(?P<dozen>(?i:dozen))\b)?
    (?P<scale>
        (?:\s+|-)(?i:(?:hundred\s+)?(?:{_SCALE_WORDS}))\b
      | \s?(?:mn|bn|tn)\b
      | [kKmMbB](?![A-Za-z])
    )?
    (?P<plus>\+)?""",
    re.VERBOSE,
)
_CURRENCY_BEFORE = re.compile(
    r"""(?<![A-Za-z])(?:(?P<usd>US\s?\$|USD|\$)|(?P<foreign>[A-Z]{1,2}\$|[€£¥₹]
    |EUR|GBP|JPY|CNY|RMB|INR|CHF))\s?$""",
    re.VERBOSE,
)


class _Number(NamedTuple):
    value: Decimal
    start: int  # currency sign included
    end: int  # multiplier included
    currency: str  # "usd", "foreign" or ""
    digits: str  # as written, or "" for words
    word: str  # lower-cased number word ("a", "half a", "one"…), or ""
    scaled: bool  # by a scale or "dozen"
    plus: bool


class _Unit(NamedTuple):
    kind: str
    value: Decimal  # normalised
    chip_type: str
    end: int


# Read at the end of the text before a number (`search(text, pos, endpos)`, `$` at endpos).
# Starting on the space (or bracket) before the hedge lets the search skip to it.
_HEDGE = re.compile(
    r"""(?:[\s(]|^)(?P<hedge>(?i:about|around|approximately|approx\.|roughly|nearly|almost
    |close\s+to|(?:just\s+|well\s+)?(?:more\s+than|over|under)|less\s+than|fewer\s+than|up\s+to
    |some|an\s+estimated|estimated|as\s+(?:many|much)\s+as|at\s+least|upwards\s+of
    |in\s+excess\s+of|north\s+of)\s+|~\s?)$""",
    re.VERBOSE,
)
_YEAR_WORD = re.compile(
    r"(?i)(?<![\w-])(?:in|by|since|during|until|till|through|from|of|early|late|mid|fiscal|FY"
    r"|before|after|year)[\s-]+$"
)
# A capitalised word right before a plain number, itself after other words: "Grok 3", "Titan 130".
_NAME_BEFORE = re.compile(r"(?<=[\w,;:)]\s)[A-Z][A-Za-z]*\s+$")
_VALUED_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:valu(?:ed|ing|es|e)(?:\s+[A-Za-z'\u2019-]+){0,3}?\s+at"
    r"|valuation\s+(?:of|at|to|from))\s+$"
)
_EQUIVALENT_BEFORE = re.compile(r"(?i)(?<![\w-])equivalent\s+of\s+$")
_OF_WHICH_BEFORE = re.compile(r"(?i)(?<![\w-])of\s+which\s+$")

_DOLLARS_AFTER = re.compile(r"(?i)(?:\s+|-)(?:US\s+)?dollars?\b|\s?USD\b")
# A price per unit is not an amount raised, spent or valued.
_PRICE_AFTER = re.compile(
    r"(?i)\s*(?:(?:a|an|per)\s+|/\s?)(?:share|hour|month|token|GPU|chip|kWh|MWh|unit)s?\b"
)
_VALUATION_AFTER = re.compile(r"(?i)\s+(?:(?:pre|post)-money\s+)?valuation\b")
_POWER_AFTER = re.compile(
    r"(?i)(?:\s?|-)(?P<unit>gw|gigawatts?|mw|megawatts?|kw|kilowatts?)(?![A-Za-z]|-?\s?hours?\b)"
)
_POWER_FACTORS = {"g": Decimal(1000), "m": Decimal(1), "k": Decimal("0.001")}
_CHIP = r"""
    (?:GB[23]00|GH200|H200|H100|H800|H20|A100|A800|B100|B200|B300|L40S
      |MI(?:250X|300X|300A|325X|350X|355X|400|450)
      |TPU(?:\s?v\d+[a-z]?)?|Trillium|Ironwood|Trainium(?:\s?[23])?|Inferentia(?:\s?2)?
      |Gaudi(?:\s?[23])?|Maia(?:\s?100)?|MTIA|Blackwell(?:\s+Ultra)?|Hopper|(?:Vera\s+)?Rubin)(?!\d)
"""
_CHIP_NOUN = r"(?:GPU|graphics\s+processing\s+unit|superchip|chip|accelerator)s?\b"
_NOT_HOURS = r"(?!\s?-?\s?hours?\b)"
_CHIP_MODIFIER = r"""
    (?:Nvidia|AMD|Google|Amazon|AWS|Intel|Microsoft|Meta|more|additional|extra|new|advanced|AI
      |high-end|top-end|cutting-edge|state-of-the-art|liquid-cooled|data[\s-]cent(?:er|re)|used
      |latest|next-gen(?:eration)?|interconnected|powerful|its|their|the|those|these)(?:['\u2019]s)?
"""
_CHIPS_AFTER = re.compile(
    rf"""(?ix)(?:\s+|-)
    (?:of\s+(?:them|which|those|these)\s+(?:(?:are|were|being)\s+)?|of\s+)?
    (?:{_CHIP_MODIFIER}[\s-]+){{0,3}}
    (?:
        (?P<chip>{_CHIP})s?(?:\s*(?:and|or|/|&)\s*(?P<chip2>{_CHIP}))?
        (?:s\b|[\s-]+(?:{_CHIP_MODIFIER}\s+)?(?P<noun>{_CHIP_NOUN}))
      | (?P<bare>{_CHIP_NOUN})
    ){_NOT_HOURS}
    """
)
# "of which 50,000 are H200s"
_ARE_CHIPS_AFTER = re.compile(
    rf"(?ix)\s+(?:are|were)\s+(?:{_CHIP_MODIFIER}\s+)?(?P<chip>{_CHIP})(?:s\b|\s+{_CHIP_NOUN})"
)
_H100E_AFTER = re.compile(
    r"""(?ix)(?:\s+|-)(?:Nvidia(?:['\u2019]s)?\s+)?H100
    (?:[\s-]?equivalents?\b(?:\s+(?:GPU|chip|unit)s?\b)?|es?\b)"""
)
_TURBINES_AFTER = re.compile(
    r"""(?ix)(?:\s+(?:(?:natural|methane|gas|gas-fired|gas-powered|mobile|portable|temporary
    |combustion|additional|more|new|on-?site|unpermitted|permanent|industrial|aeroderivative
    |wind|steam|large|small|Solar|Siemens|GE)[\s-]+){0,3}turbines?\b|-turbine\b)"""
)
_PEOPLE_AFTER = re.compile(
    r"""(?ix)\s+(?:(?:full-time|new|more|additional|AI|senior|top|its|their)\s+){0,2}
    (?:people|employees|staff|staffers|workers|researchers|engineers|scientists)\b
    (?!\s+(?:familiar|with\s+knowledge|briefed|close\s+to|who\s+(?:spoke|asked|requested)))"""
)
_OR_SO_AFTER = re.compile(r"(?i),?\s+or\s+(?:so|more)\b")

_CHIP_NAMES = {
    "TRILLIUM": "Trillium",
    "IRONWOOD": "Ironwood",
    "TRAINIUM": "Trainium",
    "TRAINIUM2": "Trainium2",
    "TRAINIUM3": "Trainium3",
    "INFERENTIA": "Inferentia",
    "INFERENTIA2": "Inferentia2",
    "GAUDI": "Gaudi",
    "GAUDI2": "Gaudi2",
    "GAUDI3": "Gaudi3",
    "MAIA": "Maia",
    "MAIA100": "Maia 100",
    "BLACKWELL": "Blackwell",
    "BLACKWELLULTRA": "Blackwell Ultra",
    "HOPPER": "Hopper",
    "RUBIN": "Rubin",
    "VERARUBIN": "Vera Rubin",
}
# Accelerators that are not GPUs; everything else in _CHIP is an Nvidia or AMD GPU.
_NOT_GPUS = ("TPU", "Trillium", "Ironwood", "Trainium", "Inferentia", "Gaudi", "Maia", "MTIA")


def find_quantities(sentence: str) -> list[Quantity]:
    """Every quantity in `sentence`, in order of position."""
    numbers = [_number(sentence, m, m.group(), "") for m in _DIGITS.finditer(sentence)]
    for m in _WORD_NUMBER.finditer(sentence):
        word = " ".join(m.group().lower().split())
        numbers.append(_number(sentence, m, "", word))
    numbers.sort(key=lambda number: number.start)
    found = []
    for number in numbers:
        quantity = _read(sentence, number)
        if quantity is not None:
            found.append(quantity)
    return found


def _number(text: str, m: re.Match[str], digits: str, word: str) -> _Number:
    start, end = m.start(), m.end()
    if digits:
        value = Decimal(digits.replace(",", ""))
    else:
        value = Decimal("0.5") if word == "half a" else Decimal(NUMBER_WORDS.get(word, 1))
    multiplier = _MULTIPLIER_AFTER.match(text, end)
    assert multiplier is not None  # every part of it is optional
    if multiplier["dozen"]:
        value *= 12
    if multiplier["scale"]:
        for scale in multiplier["scale"].strip(" -").lower().split():
            value *= _SCALES[scale]
    currency = ""
    if digits and (sign := _CURRENCY_BEFORE.search(text, max(0, start - 4), start)):
        currency = "usd" if sign["usd"] else "foreign"
        start = sign.start()
    scaled = bool(multiplier["dozen"] or multiplier["scale"])
    return _Number(
        _tidy(value),
        start,
        multiplier.end(),
        currency,
        digits,
        word,
        scaled,
        bool(multiplier["plus"]),
    )


def _read(text: str, number: _Number) -> Quantity | None:
    unit = _unit(text, number)
    if unit is None:
        return None
    kind, start, end = unit.kind, number.start, unit.end
    hedge = _HEDGE.search(text, max(0, start - 20), start)
    if hedge:
        start = hedge.start("hedge")
    approximate = bool(hedge) or number.plus
    role = ""
    if kind == "usd":
        valued = _VALUED_BEFORE.search(text, max(0, start - 60), start)
        role = "valuation" if valued or _VALUATION_AFTER.match(text, end) else "amount"
    if or_so := _OR_SO_AFTER.match(text, end):
        approximate, end = True, or_so.end()
    if unit.chip_type == "H100" and _EQUIVALENT_BEFORE.search(text, max(0, start - 20), start):
        kind = "h100e"
    return Quantity(kind, unit.value, unit.chip_type, approximate, role, start, end)


def _unit(text: str, number: _Number) -> _Unit | None:
    """What the number counts, read from the words after it."""
    value, end = number.value, number.end
    dollars = None if number.currency else _DOLLARS_AFTER.match(text, end)
    if number.currency or dollars:
        end = dollars.end() if dollars else end
        if number.currency == "foreign" or _PRICE_AFTER.match(text, end):
            return None
        return _Unit("usd", value, "", end)
    if power := _POWER_AFTER.match(text, end):
        value = _tidy(value * _POWER_FACTORS[power["unit"][0].lower()])
        return _Unit("power_mw", value, "", power.end())

    if _bare_article(number) or _is_year(text, number) or _is_name(text, number):
        return None
    if h100e := _H100E_AFTER.match(text, end):
        return _Unit("h100e", value, "H100", h100e.end())
    chips = _CHIPS_AFTER.match(text, end)
    if chips is None and _OF_WHICH_BEFORE.search(text, max(0, number.start - 12), number.start):
        chips = _ARE_CHIPS_AFTER.match(text, end)
    if chips is not None:
        return _chips(number, chips)
    if turbines := _TURBINES_AFTER.match(text, end):
        return _Unit("turbines", value, "", turbines.end())
    if people := _PEOPLE_AFTER.match(text, end):
        return _Unit("people", value, "", people.end())
    return None


def _chips(number: _Number, chips: re.Match[str]) -> _Unit | None:
    # "one chip", "one GPU" are figures of speech far more often than counts.
    if number.word == "one" and not number.scaled:
        return None
    groups = chips.groupdict()
    chip = _chip_name(groups["chip"]) if groups["chip"] else ""
    second = _chip_name(groups["chip2"]) if groups.get("chip2") else chip
    if chip:
        kind = "chips" if second.startswith(_NOT_GPUS) else "gpus"
        chip = chip if second == chip else ""
    else:
        kind = "gpus" if groups["bare"].lower().startswith(("gpu", "graphics")) else "chips"
    return _Unit(kind, number.value, chip, chips.end())


def _tidy(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _bare_article(number: _Number) -> bool:
    """ "a" and "half a" count only before a scale, "dozen", or a power unit ("a gigawatt")."""
    return number.word in ("a", "half a") and not number.scaled


def _is_year(text: str, number: _Number) -> bool:
    digits = number.digits
    if len(digits) != 4 or not digits.startswith(("19", "20")) or number.scaled:
        return False
    return _YEAR_WORD.search(text, max(0, number.start - 12), number.start) is not None


def _is_name(text: str, number: _Number) -> bool:
    if not number.digits or "," in number.digits or number.scaled:
        return False
    return _NAME_BEFORE.search(text, max(0, number.start - 20), number.start) is not None


def _chip_name(raw: str) -> str:
    key = "".join(raw.split()).upper()
    if key.startswith("TPUV"):
        return "TPU v" + key[4:].lower()
    return _CHIP_NAMES.get(key, key)
