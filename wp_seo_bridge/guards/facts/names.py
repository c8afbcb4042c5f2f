"""Names: a capitalised word or acronym of the rewrite that is not an ordinary word must be the draft's.

Accents are ignored ("Etats-Unis" = "États-Unis"), and so are the endings of names of peoples
("Ukrainien", "Ukrainiennes"). When the draft is in another language, the names of countries
and regions it uses count in the rewrite's language too (CLDR's: "United States" -> "États-Unis").
The word lists that tell an ordinary word from a name are French: ``_french.py`` anywhere in a
sentence, and for the word opening a sentence, a title, or what follows a colon or an opening
quotation mark, the wider vocabulary of ``ordinary.py`` (the analyzer's lists, CLDR's French,
number words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._common import Finding, Unit, normalize_spaces, strip_accents
from .._french import COMMON_WORDS, ORDINARY_ENDINGS
from .locales import locale_data, territory_names
from .ordinary import ordinary_word

#: Acronyms that name no one.
NOT_NAMES = {"FAQ", "PDF", "OK", "TV", "HT", "TTC", "NB", "PS"}


_TOKEN = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?…:][\s»”\")\]]*$|[«“„‹(\[\"]\s*$")
_ROMAN = re.compile(r"[IVX]+(?:e|er|ème)?")


@dataclass(frozen=True)
class _Token:
    text: str  # without elision ("OTAN" for "l'OTAN")
    start: int
    end: int
    at_start: bool


def _tokens(text: str) -> list[_Token]:
    """The words of ``text``, elisions removed ("l'OTAN" -> "OTAN"), each marked when it opens a sentence."""
    tokens = []
    first = len(text) - len(text.lstrip())
    for match in _TOKEN.finditer(text):
        word, start = match.group(0), match.start()
        at_start = start <= first or bool(_SENTENCE_BREAK.search(text[max(0, start - 12) : start]))
        elided = _ELISION.match(word)
        while elided:
            word, start = word[elided.end() :], start + elided.end()
            elided = _ELISION.match(word)
        if word:
            tokens.append(_Token(word, start, match.end(), at_start))
    return tokens


def _stem(word: str) -> str:
    """A word without its plural or feminine ending: names of peoples vary ("Ukrainien", "Ukrainiennes")."""
    if word.isupper():
        return word  # an acronym: exact
    for ending, replacement in (("nnes", "n"), ("nne", "n"), ("es", ""), ("e", ""), ("s", ""), ("x", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)] + replacement
    return word


class Vocabulary:
    """The draft's words (the evidence for names), and the words the article uses in lower case."""

    def __init__(self, source_text: str, rewrite_text: str, *, source_language: str = "", rewrite_language: str = "") -> None:
        #: Stems of the draft's words, accents folded: as written, and in lower case.
        self.source_cased: set[str] = set()
        self.source_lower: set[str] = set()
        #: Stems of words the draft or the rewrite writes in lower case (ordinary words).
        self.lowercase_used: set[str] = set()
        for text, is_source in ((source_text, True), (rewrite_text, False)):
            for token in _tokens(normalize_spaces(text)):
                folded = strip_accents(token.text)
                words = {folded, *folded.split("-")}
                if is_source:
                    self.source_cased |= {_stem(w) for w in words}
                    self.source_lower |= {_stem(w.lower()) for w in words}
                if token.text[:1].islower():
                    self.lowercase_used |= {_stem(w.lower()) for w in words}
        if source_language and rewrite_language and source_language != rewrite_language:
            for name in translated_territories(source_text, source_language, rewrite_language):
                for token in _tokens(name):
                    folded = strip_accents(token.text)
                    words = {folded, *folded.split("-")}
                    self.source_cased |= {_stem(w) for w in words}
                    self.source_lower |= {_stem(w.lower()) for w in words}

    def known(self, word: str, *, any_case: bool) -> bool:
        """Whether the draft has ``word`` (accents ignored; case too when ``any_case``), or each capitalised part of it."""
        folded = strip_accents(word)
        pool = self.source_lower if any_case else self.source_cased
        if _stem(folded.lower() if any_case else folded) in pool:
            return True
        parts = [p for p in folded.split("-") if p]
        capitalised = [p for p in parts if p[:1].isupper()]
        return len(parts) > 1 and bool(capitalised) and all(
            _stem(p.lower() if any_case else p) in pool for p in capitalised
        )

    def ordinary(self, word: str) -> bool:
        """An ordinary French word: a common word (see :mod:`.ordinary`), one used in lower case elsewhere, or
        with a French ending.

        Participles ("Interrogé", "Sollicitée") count as ordinary: a first name such as "André"
        is short, and the surname that follows it is checked anyway.
        """
        low = strip_accents(word).lower()
        return (
            ordinary_word(low)
            or _stem(low) in self.lowercase_used
            or (len(low) > 5 and low.endswith(ORDINARY_ENDINGS))
            or (len(word) > 5 and word.lower().endswith(("é", "ée", "és", "ées")))
        )


def _is_acronym(word: str) -> bool:
    letters = word.replace("-", "")
    return len(letters) >= 2 and letters.isupper()


def _title_cased(text: str, tokens: list[_Token], vocabulary: Vocabulary) -> bool:
    """English-style Title Case (or ALL CAPS): capitals do not mark names there.

    Most long words are capitalised, and so are at least two ordinary words ("Non", "Interpelle");
    a heading made of names ("Xi Jinping, Vladimir Poutine et Joe Biden") is not Title Case.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 12 and all(ch.isupper() for ch in letters):
        return True
    inner = [t.text for t in tokens if not t.at_start]
    long_words = [w for w in inner if len(w) >= 4]
    if len(long_words) < 3 or sum(w[0].isupper() for w in long_words) / len(long_words) < 0.7:
        return False
    ordinary = [
        w for w in inner if w[0].isupper() and (strip_accents(w).lower() in COMMON_WORDS or _stem(strip_accents(w).lower()) in vocabulary.lowercase_used)
    ]
    return len(ordinary) >= 2


def check_names(units: list[Unit], vocabulary: Vocabulary, language: str = "fr") -> list[Finding]:
    """The names of ``units`` (in ``language``) that the draft lacks; month and day names (CLDR's) are none."""
    data = locale_data(language)
    months, days = data.months, data.weekday_index
    findings = []
    for unit in units:
        text = normalize_spaces(unit.text)
        tokens = _tokens(text)
        any_case = _title_cased(text, tokens, vocabulary)
        all_caps = any_case and not any(ch.islower() for ch in text)
        flags: list[str] = []  # per token: "new" name, "known" name, or "" (not a name)
        for token in tokens:
            word = token.text
            low = strip_accents(word).lower()
            if (
                not word[:1].isupper()
                or len(word) == 1
                or _ROMAN.fullmatch(word)
                or word in NOT_NAMES
                or low in months
                or low in days
                or low[:-1] in days
            ):
                flags.append("")
                continue
            acronym = _is_acronym(word) and not all_caps
            if not acronym and (low in COMMON_WORDS or any(part in months or part in days for part in low.split("-"))):
                flags.append("")  # "Le", "Cette", "Selon", "Mi-décembre": never part of a name here
            elif vocabulary.known(word, any_case=any_case and not acronym):
                flags.append("known")
            elif not acronym and (any_case or (token.at_start and vocabulary.ordinary(word))):
                # In Title Case every word has a capital: only acronyms and known names stand out there.
                flags.append("")
            else:
                flags.append("new")
        # Report runs of adjacent capitalised names ("Emmanuel Macron") holding at least one new word.
        index = 0
        reported: set[str] = set()
        while index < len(tokens):
            if not flags[index]:
                index += 1
                continue
            end = index
            while (
                end + 1 < len(tokens)
                and flags[end + 1]
                and re.fullmatch(r"[ -]", text[tokens[end].end : tokens[end + 1].start])
            ):
                end += 1
            if "new" in flags[index : end + 1]:
                name = text[tokens[index].start : tokens[end].end]
                if name not in reported:
                    reported.add(name)
                    findings.append(
                        Finding(
                            "fact:name",
                            name,
                            unit.where,
                            f'The name "{name}" in {unit.where} is not in the draft: remove it; name no person, '
                            "organisation or place that the draft does not name.",
                        )
                    )
            index = end + 1
    return findings




def translated_territories(source_text: str, source_language: str, rewrite_language: str) -> list[str]:
    """The names, in ``rewrite_language``, of the countries and regions ``source_text`` names in its language."""
    text = " " + strip_accents(normalize_spaces(source_text)).lower() + " "
    targets = territory_names(rewrite_language)
    found = []
    for code, name in territory_names(source_language).items():
        key = strip_accents(name).lower()
        if key in text and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", text) and code in targets:
            found.append(targets[code])
    return found
