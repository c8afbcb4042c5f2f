"""How a language writes figures and dates, from CLDR (Babel's data, shipped in its wheel).

For one language: the decimal and group symbols, the month and weekday names, the date
patterns (CLDR's date skeletons, such as ``MMMM d, y`` in English and ``d MMMM y`` in French),
the currency symbols, and the words of :mod:`.lexicon`. Any language CLDR knows gets its digits,
dates and symbols read; a language without a lexicon only lacks its number words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol

from .._common import SPACES, strip_accents
from .lexicon import Lexicon, lexicon

#: Regional variants whose date patterns a language's writers also use ("15 April 2024" in English).
_VARIANTS = {"en": ("en", "en_GB"), "es": ("es", "es_419"), "fr": ("fr", "fr_CA"), "de": ("de", "de_AT"),
             "it": ("it", "it_CH")}
#: Date skeletons tried, longest first: day, month and year; then day and month; then month and year.
_SKELETONS = ("yMMMMd", "yMMMd", "MMMMd", "MMMd", "yMMMM", "yMMM")
#: Currencies read as symbols (the lexicon has their words).
_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CNY", "CHF", "RUB", "UAH", "INR")


@dataclass(frozen=True)
class LocaleData:
    language: str
    decimal: str
    #: The other one of "," and "." (a group separator when followed by three digits).
    other: str
    #: What may group thousands: CLDR's group symbol, any space, and ``other``.
    groups: str
    months: dict[str, int]
    #: Months written with a capital (English, German): then "may" is not May.
    months_capitalised: bool
    #: Month names alone ("in April"): wide names only.
    month_alone: re.Pattern[str]
    weekdays: re.Pattern[str]
    weekday_index: dict[str, int]
    #: Dates with a month name, in this language's CLDR patterns, longest first.
    date_patterns: tuple[re.Pattern[str], ...]
    #: Currency symbol -> ISO code ("$" -> "USD", "£GB" -> "GBP").
    currency_symbols: dict[str, str]
    words: Lexicon

    def month_number(self, name: str) -> int:
        return self.months[name_key(name)]


def language_code(language: str) -> str:
    """"fr-FR", "fr_FR", "FR" -> "fr"."""
    return language.strip().replace("_", "-").split("-")[0].lower()


def name_key(name: str) -> str:
    """A month or day name as looked up: no accent, lower case, no final dot."""
    return strip_accents(name).lower().rstrip(".")


def _locale(name: str) -> Locale | None:
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return None


def _alternation(names: set[str], *, capitalised: bool) -> str:
    """A regular expression for any of ``names``, accents optional, any case unless ``capitalised``."""
    forms: set[str] = set()
    for name in names:
        bare = name.rstrip(".")
        forms |= {bare, strip_accents(bare)}
    body = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return f"(?:{body})" if capitalised else f"(?i:{body})"


def _date_regex(pattern: str, wide: str, abbreviated: str, words: Lexicon) -> re.Pattern[str] | None:
    """A CLDR date pattern ("d 'de' MMMM 'de' y") as a regular expression with day, month, year groups."""
    day = r"(?P<day>\d{1,2}(?!\d)" + "".join(f"|{re.escape(w)}" for w in words.first_day) + ")"
    if words.day_suffix:
        day += f"(?:{words.day_suffix})?"
    parts: list[str] = []
    for match in re.finditer(r"'([^']*)'|([a-zA-Z])\2*|(.)", pattern):
        literal, field, other = match.group(1), match.group(2), match.group(3)
        if literal is not None:
            parts.append(r"\s+".join(re.escape(w) for w in literal.split()) if literal.strip() else "")
        elif field:
            width = len(match.group(0))
            if field == "d":
                parts.append(day)
            elif field in "ML" and width >= 3:
                names = wide if width == 4 else abbreviated
                parts.append(f"(?P<month>{names})" + (r"\.?" if width == 3 else ""))
            elif field == "y":
                parts.append(r"(?P<year>\d{4})(?!\d)")
            else:
                return None  # numeric months, weekdays, eras: read elsewhere or not at all
        elif other.isspace():
            parts.append(r"\s+")
        elif other == ",":
            parts.append(",?")
        else:
            parts.append(re.escape(other) + "?")
    body = "".join(parts)
    body = re.sub(r"(\\s\+)+", r"\\s+", body)
    return re.compile(rf"(?<![\w.,]){body}(?![^\W\d_])")


@lru_cache(maxsize=16)
def locale_data(language: str) -> LocaleData:
    """Everything :mod:`.numbers` and :mod:`.dates` need to read ``language`` (ISO 639-1)."""
    code = language_code(language)
    main = _locale(code) or Locale.parse("en")
    variants = [loc for loc in (_locale(v) for v in _VARIANTS.get(code, (code,))) if loc is not None] or [main]
    words = lexicon(code)

    wide: set[str] = set()
    abbreviated: set[str] = set()
    months: dict[str, int] = {}
    for loc in variants:
        for context in ("format", "stand-alone"):
            for number, name in get_month_names("wide", context, loc).items():
                wide.add(name)
                months[name_key(name)] = number
            for number, name in get_month_names("abbreviated", context, loc).items():
                abbreviated.add(name)
                months[name_key(name)] = number
    capitalised = all(name[:1].isupper() for name in get_month_names("wide", "format", main).values())
    wide_re = _alternation(wide, capitalised=capitalised)
    abbreviated_re = _alternation(abbreviated | wide, capitalised=capitalised)

    patterns: list[re.Pattern[str]] = []
    seen: set[str] = set()
    for skeleton in _SKELETONS:
        for loc in variants:
            pattern = str(loc.datetime_skeletons.get(skeleton, "")) or ""
            if pattern and pattern not in seen:
                seen.add(pattern)
                compiled = _date_regex(pattern, wide_re, abbreviated_re, words)
                if compiled is not None:
                    patterns.append(compiled)

    weekday_index: dict[str, int] = {}
    for number, name in get_day_names("wide", "format", locale=main).items():
        weekday_index[name_key(name)] = number
    days = _alternation(set(get_day_names("wide", "format", locale=main).values()), capitalised=False)

    symbols: dict[str, str] = {}
    for loc in (*variants, Locale.parse("en")):
        for iso in _CURRENCIES:
            symbol = loc.currency_symbols.get(iso)
            if symbol and symbol not in symbols:
                symbols[SPACES.sub(" ", symbol)] = iso
    for iso in _CURRENCIES:
        symbols.setdefault(iso, iso)
    symbols.setdefault("US$", "USD")
    symbols.setdefault("$US", "USD")

    decimal = get_decimal_symbol(main)
    decimal = decimal if decimal in ",." else "."
    other = "." if decimal == "," else ","
    group = SPACES.sub(" ", get_group_symbol(main))
    return LocaleData(
        language=code,
        decimal=decimal,
        other=other,
        groups="".join(dict.fromkeys(" " + other + (group if group != decimal else ""))),
        months=months,
        months_capitalised=capitalised,
        month_alone=re.compile(rf"(?<![\w-]){wide_re}(?![^\W\d_])"),
        weekdays=re.compile(rf"(?<![\w-]){days}s?(?![^\W\d_])"),
        weekday_index=weekday_index,
        date_patterns=tuple(patterns),
        currency_symbols=symbols,
        words=words,
    )


def group_symbol(language: str) -> str:
    """CLDR's group symbol for ``language`` (a narrow no-break space in French): for documentation and tests."""
    return get_group_symbol(_locale(language_code(language)) or "en")


@lru_cache(maxsize=16)
def territory_names(language: str) -> dict[str, str]:
    """Country and region names in ``language`` ("US" -> "États-Unis"), from CLDR."""
    loc = _locale(language_code(language))
    if loc is None:
        return {}
    return {code: name for code, name in loc.territories.items() if code.isalpha()}
