"""Ordinary French words: a capitalised word opening a sentence, a title, or what follows a colon or
an opening quotation mark is no name when it is one of these.

Not a hand-made list of openers: the vocabulary is gathered from the well-kept lists the project
already has, and number words are recognised by their grammar.

- the name guard's own common words (``guards/_french.py``);
- the analyzer's French lists (``analysis/data``): function words (articles, prepositions,
  determiners, pronouns, conjunctions, general adverbs and adjectives, numerals and ordinals),
  transition words, sentence beginnings, and the participles and nouns of the passive-voice check;
- CLDR's French (Babel's data): the relative date fields ("la semaine prochaine", "le mois
  dernier", "cette année", "avant-hier"), the day periods and the quarters;
- every cardinal and ordinal number word, however compound ("Quarante-deuxième", "Vingt-et-unième",
  "Centièmes"), from the number words of ``lexicon.py``.

A word counts in any of its plural and feminine forms ("Prochaines", "Derniers"). Accents are
ignored, like everywhere in the name guard.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

from ...analysis import _french as analysis_words
from .._common import strip_accents
from .._french import COMMON_WORDS
from .lexicon import FRENCH

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
#: An ordinal's ending, and the forms its number word takes before it ("cinqu-ième", "neuv-ième").
_ORDINAL = re.compile(r"(?:i[eè]me|ieme)s?$")


def _words(phrases) -> set[str]:
    found: set[str] = set()
    for phrase in phrases:
        for word in _WORD.findall(strip_accents(str(phrase)).lower().replace("’", "'")):
            found.add(word)
            if "'" in word:  # "aujourd'hui", "l'annee": the word after an elision too
                found.add(word.split("'", 1)[1])
    return found


def _cldr_words() -> set[str]:
    data = Locale.parse("fr")._data  # babel's public accessors do not cover date fields
    phrases: list[str] = []
    for field in data["date_fields"].values():
        for relative in ("relative", "future", "past"):
            if relative in field:
                values = field[relative].values()
                phrases += [v if isinstance(v, str) else " ".join(map(str, dict(v).values())) for v in values]
    for width in data["day_periods"].get("format", {}).values():
        phrases += [str(v) for v in dict(width).values()]
    for context in data["quarters"].values():
        phrases += [str(v) for v in dict(context.get("wide", {})).values()]
    return {w for w in _words(phrases) if len(w) > 1 and "{" not in w}


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Every ordinary French word the sources above hold, accents folded, lower case."""
    passive = analysis_words.passive()
    single, double = analysis_words.transition_words()
    phrases = [
        *analysis_words.function_words(),
        *analysis_words.first_word_exceptions(),
        *(" ".join(entry) for entry in single),
        *(" ".join(first + second) for first, second in double),
        *passive["irregular_participles"], *passive["nouns"], *passive["active_or_adjective"],
        *passive["auxiliaries"],
    ]
    return frozenset(COMMON_WORDS | _words(phrases) | _cldr_words())


@lru_cache(maxsize=1)
def _number_words() -> frozenset[str]:
    words = FRENCH
    return frozenset({
        *words.units, *words.tens, *words.hundreds, *words.thousands, *words.one, *words.joiners, "zero", "premier",
        "premiere", "second", "seconde",
    })


def _number_part(part: str) -> bool:
    """One part of a compound number word: a cardinal, or a cardinal made ordinal ("cinquième", "neuvième")."""
    numbers = _number_words()
    if part in numbers:
        return True
    stem, found = _ORDINAL.subn("", part)
    if not found or not stem:
        return False
    if stem in ("n", "en"):  # "nième", "énième"
        return True
    candidates = {stem, stem + "e", stem + "s", stem[:-1] + "f" if stem.endswith("v") else stem,
                  stem[:-1] if stem.endswith("u") else stem}
    return bool(candidates & numbers)


def number_word(word: str) -> bool:
    """A French cardinal or ordinal in words, any case and accents: "Trois", "Quarante-deuxième", "Vingt-et-unième"."""
    parts = [p for p in strip_accents(word).lower().split("-") if p]
    if parts and parts[-1].endswith("s") and not _number_part(parts[-1]):
        parts[-1] = parts[-1][:-1]  # "centiemes", "vingts"
    return bool(parts) and all(_number_part(p) for p in parts)


def ordinary_word(word: str) -> bool:
    """Whether ``word`` is an ordinary French word (any of its forms), or a number word."""
    low = strip_accents(word).lower()
    vocabulary = ordinary_words()
    forms = {low}
    for ending in ("es", "s", "e", "x"):
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            forms.add(low[: -len(ending)])
    return bool(forms & vocabulary) or number_word(low)
