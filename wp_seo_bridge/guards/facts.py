"""The fact guard: every figure, date, quotation and name of the rewrite must come from the draft.

Three checks over the article's text (title, SEO title, meta description, excerpt, headings,
paragraphs, list items, quotes and their citations; never the placeholders):

- **numbers** (``fact:number``): amounts, percentages, years, dates, number words, ordinals and
  codes such as "F-16". French formats are normalised: ``240 000`` (any space) = ``240000``,
  ``12,4 %`` = ``12,4%`` = ``12,4 pour cent``, ``240 milliards`` = ``240 000 000 000``. A figure may
  drop its currency ("240 milliards" for "240 milliards de dollars") but not change it, its scale
  or its value.
- **quotations** (``fact:quote``): text in « », “ ”, „ “ or " ", and quote blocks, must be the
  draft's words (a shorter excerpt is fine; ``[…]`` may mark a cut).
- **names** (``fact:name``): capitalised words and acronyms that are not ordinary French words
  must be in the draft (accents ignored: "Etats-Unis" = "États-Unis").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from ..article import Article
from ..content import Document
from ._common import (
    SPACES,
    Finding,
    Unit,
    article_units,
    fold,
    normalize_spaces,
    shorten,
    source_parts,
)
from ._french import (
    APPROXIMATE,
    COMMON_WORDS,
    CURRENCIES,
    DAYS,
    HUNDREDS,
    MONTHS,
    ORDINALS,
    ORDINARY_ENDINGS,
    SCALES,
    TENS,
    THOUSAND,
    UNITS,
)

# -- numbers --------------------------------------------------------------------------------------

_MONTH = r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)"
_DAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_DATE = re.compile(
    rf"(?<![\w.,])(?:(?P<day>\d{{1,2}}|1er|premier)\s+)?(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?(?!\w)", re.IGNORECASE
)
_ISO_DATE = re.compile(r"(?<![\w.,-])(?P<year>\d{4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?(?![\w-])")
_NUMERIC_DATE = re.compile(r"(?<![\w.,/])(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})(?![\w/])")
_TIME = re.compile(r"(?<![\w.,])(?P<hour>[01]?\d|2[0-3])\s?h\s?(?P<minute>[0-5]\d)?(?![\w])")
_WEEKDAY = re.compile(rf"(?<!\w){_DAY}s?(?!\w)", re.IGNORECASE)
#: Codes mixing letters and digits: "F-16", "G7", "Covid-19", "S-400", "MH17".
_CODE = re.compile(r"(?<![\w-])[^\W\d_]+-?\d\w*(?:[-.]\w+)*(?![\w-])")
_NUMBER_WORDS = UNITS.keys() | TENS.keys() | HUNDREDS | THOUSAND
_NOT_CODES = {"mi", "fin", "debut", "pre", "post", "anti", "pro", "ex", "hors", "non", "semi", "an", "l", "d"}
#: Numbering the model may put before a heading or a list item ("1. Contexte"): not a fact.
_NUMBERING = re.compile(r"^\s*\d{1,2}\s?[.)-]\s+")
#: Acronyms that name no one.
NOT_NAMES = {"FAQ", "PDF", "OK", "TV", "HT", "TTC", "NB", "PS"}
_CURRENCY_WORD = r"(?:dollars?|euros?|livres?\s+sterling|yuans?|renminbi|roubles?|yens?|francs?(?:\s+suisses?)?|hryvnias?|roupies?)"
_NUMBER = re.compile(
    r"(?<![\w.,])"
    r"(?:(?P<pre>US\$|\$|€|£|¥)\s?)?"
    r"(?P<sign>[-+−])?"
    r"(?P<num>\d{1,3}(?:[ .]\d{3})+(?:,\d+)?(?!\d)|\d+(?:[.,]\d+)?(?!\d))"
    r"(?:(?P<ord>er|re|ère|e|ème|eme|ᵉ|ᵉʳ)(?!\w))?"
    r"(?:\s?(?P<scale>(?i:mille|milliers?|millions?|milliards?|billions?)|Mds?|Mrds?|Md|M|k)(?!\w))?"
    r"(?P<pct>\s?(?:%|(?i:pour\s?cent)(?!\w)))?"
    r"(?:\s?(?:(?i:de|d')\s?)?(?P<cur>(?i:" + _CURRENCY_WORD + r")|\$|€|£|¥|USD|EUR)(?!\w))?"
)
_WORD = re.compile(r"[^\W\d_]+")
_NEUF_BEFORE = {
    "les", "des", "ces", "ses", "leurs", "nos", "vos", "mes", "tes", "aux", "de", "a", "en", "sur", "dans",
    "pendant", "depuis", "pour", "par", "environ", "quelque", "apres", "avant", "entre", "et", "ou", "plus",
    "moins", "dont", "sous", "d", "l", "il", "y",
}


@dataclass(frozen=True)
class Mention:
    """A figure or date found in a text."""

    kind: str  # "number", "word", "date", "month", "weekday", "approx", "code"
    text: str
    value: Decimal | None = None
    mantissa: Decimal | None = None
    scaled: bool = False
    percent: bool = False
    currency: str | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    word: str = ""
    #: Where it starts in the text (findings come in reading order).
    start: int = 0


def _decimal(raw: str) -> Decimal | None:
    raw = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):  # 1.000.000 or 1.000,5: dots group thousands
        raw = raw.replace(".", "")
    raw = raw.replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _month_number(name: str) -> int:
    return MONTHS[fold(name).lower()]


def _clean(span: str) -> str:
    return " ".join(span.split()).strip(" ,.")


def extract_mentions(text: str) -> list[Mention]:
    """The figures and dates of ``text``, each once, in reading order (a date's numbers are the date's)."""
    written = SPACES.sub(" ", text)
    return [_as_written(m, written) for m in _extract(normalize_spaces(text))]


def _as_written(mention: Mention, written: str) -> Mention:
    """The mention with its text as written (typographic apostrophes kept; spaces plain)."""
    pattern = r"\s+".join(re.escape(part) for part in mention.text.split(" ")).replace("'", "['’‘ʼ`´]")
    match = re.compile(pattern).search(written, mention.start)
    return replace(mention, text=" ".join(match.group(0).split())) if match else mention


def _extract(text: str) -> list[Mention]:
    mentions: list[Mention] = []

    for match in list(_ISO_DATE.finditer(text)) + list(_NUMERIC_DATE.finditer(text)):
        month = int(match.group("month"))
        day = int(match.group("day")) if match.group("day") else None
        if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            continue
        mentions.append(
            Mention("date", match.group(0), day=day, month=month, year=int(match.group("year")), start=match.start())
        )
        text = _mask(text, match.start(), match.end())

    for match in _DATE.finditer(text):
        raw_day = match.group("day")
        day = None if raw_day is None else 1 if raw_day.lower() in ("1er", "premier") else int(raw_day)
        if day is not None and not 1 <= day <= 31:
            day = None
        year = int(match.group("year")) if match.group("year") else None
        month = _month_number(match.group("month"))
        start = match.start("day") if day is not None else match.start("month")
        if day is None and year is None:
            mentions.append(Mention("month", match.group("month"), month=month, start=start))
        else:
            mentions.append(
                Mention("date", _clean(text[start : match.end()]), day=day, month=month, year=year, start=start)
            )
        text = _mask(text, start, match.end())

    for match in _TIME.finditer(text):  # "14h30", "14 h 30": the hour and the minutes
        for group in ("hour", "minute"):
            if match.group(group):
                value = Decimal(int(match.group(group)))
                mentions.append(Mention("number", _clean(match.group(0)), value=value, mantissa=value, start=match.start()))
        text = _mask(text, match.start(), match.end())

    for match in _WEEKDAY.finditer(text):
        word = fold(match.group(0)).lower().rstrip("s")
        mentions.append(Mention("weekday", match.group(0), word=word, start=match.start()))
        text = _mask(text, match.start(), match.end())

    for match in _CODE.finditer(text):
        code = match.group(0)
        if fold(re.match(r"[^\W\d_]+", code).group(0)).lower() in _NOT_CODES:
            continue  # "mi-2023": a prefix and a year
        word = fold(code).upper().replace("-", "").replace(".", "")
        mentions.append(Mention("code", code, word=word, start=match.start()))
        text = _mask(text, match.start(), match.end())

    for match in _NUMBER.finditer(text):
        mantissa = _decimal(match.group("num"))
        if mantissa is None:
            continue
        scale = match.group("scale")
        factor = SCALES.get(scale.lower(), 1) if scale else 1
        currency = match.group("cur") or match.group("pre")
        currency = CURRENCIES.get(fold(currency).lower().split()[0]) if currency else None
        mentions.append(
            Mention(
                "number",
                _clean(match.group(0)),
                value=mantissa * factor,
                mantissa=mantissa,
                scaled=factor != 1,
                percent=bool(match.group("pct")),
                currency=currency,
                start=match.start(),
            )
        )
        text = _mask(text, match.start(), match.end())

    mentions += _number_words(text)
    return sorted(mentions, key=lambda m: m.start)


def _number_words(text: str) -> list[Mention]:
    """Number words ("deux", "vingt-trois", "trois cents", "deux milliards"), ordinals and approximate quantities."""
    words = list(_WORD.finditer(text))
    mentions: list[Mention] = []
    index = 0
    while index < len(words):
        token = fold(words[index].group(0)).lower()
        if token in ORDINALS:
            value = Decimal(ORDINALS[token])
            mentions.append(Mention("word", words[index].group(0), value=value, mantissa=value, start=words[index].start()))
            index += 1
            continue
        if token in APPROXIMATE:
            mentions.append(Mention("approx", words[index].group(0), word=token.rstrip("s"), start=words[index].start()))
            index += 1
            continue
        if token not in _NUMBER_WORDS and not (token in ("un", "une") and _next_is_scale(words, index, text)):
            index += 1
            continue
        # A run of number words joined by spaces or hyphens ("vingt et un", "quatre-vingt-dix").
        end = index
        while end + 1 < len(words) and re.fullmatch(r"[\s-]+", text[words[end].end() : words[end + 1].start()]):
            current, following = fold(words[end].group(0)).lower(), fold(words[end + 1].group(0)).lower()
            after = fold(words[end + 2].group(0)).lower() if end + 2 < len(words) else ""
            joins_et = following == "et" and current in TENS and after in ("un", "une", "onze")
            if following in _NUMBER_WORDS or joins_et or (following in ("un", "une") and current == "et"):
                end += 1
            else:
                break
        run = [fold(w.group(0)).lower() for w in words[index : end + 1]]
        value = _words_value(run)
        factor = 1
        last = end
        if end + 1 < len(words) and re.fullmatch(r"\s+", text[words[end].end() : words[end + 1].start()]):
            scale_word = fold(words[end + 1].group(0)).lower()
            if scale_word in SCALES and scale_word not in ("k", "m", "md", "mds", "mrd", "mrds"):
                factor = SCALES[scale_word]
                last = end + 1
        if run == ["neuf"] and not _neuf_is_number(words, index, text):
            index += 1
            continue
        if value:
            span = text[words[index].start() : words[last].end()]
            mentions.append(
                Mention(
                    "word",
                    span,
                    value=Decimal(value) * factor,
                    mantissa=Decimal(value),
                    scaled=factor != 1,
                    start=words[index].start(),
                )
            )
        index = last + 1
    return mentions


def _next_is_scale(words, index: int, text: str) -> bool:
    if index + 1 >= len(words):
        return False
    following = fold(words[index + 1].group(0)).lower()
    return following in ("million", "millions", "milliard", "milliards", "millier", "milliers", "billion", "billions")


def _neuf_is_number(words, index: int, text: str) -> bool:
    """"neuf" is a number before a noun ("neuf pays"), not an adjective ("un matériel neuf", "à neuf")."""
    if index + 1 >= len(words) or not words[index + 1].group(0)[:1].islower():
        return False
    between = text[words[index].end() : words[index + 1].start()]
    if between.strip():
        return False
    previous = fold(words[index - 1].group(0)).lower() if index > 0 else ""
    return not previous or previous in _NEUF_BEFORE


def _words_value(run: list[str]) -> int:
    total, current = 0, 0
    for word in run:
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current = current * 20 if word.startswith("vingt") and current == 4 else current + TENS[word]
        elif word in HUNDREDS:
            current = (current or 1) * 100
        elif word in THOUSAND:
            total += (current or 1) * 1000
            current = 0
        elif word in ("un", "une"):
            current += 1
    return total + current


@dataclass
class SourceFacts:
    values: set[Decimal] = field(default_factory=set)
    mantissas: set[Decimal] = field(default_factory=set)
    percents: set[Decimal] = field(default_factory=set)
    currencies: dict[Decimal, set[str | None]] = field(default_factory=dict)
    dates: set[tuple[int | None, int, int | None]] = field(default_factory=set)
    months: set[int] = field(default_factory=set)
    weekdays: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    approx: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, text: str) -> SourceFacts:
        facts = cls()
        for m in extract_mentions(text):
            if m.kind in ("number", "word"):
                facts.values.add(m.value)
                facts.mantissas.add(m.mantissa)
                if m.percent:
                    facts.percents.add(m.value)
                facts.currencies.setdefault(m.value, set()).add(m.currency)
            elif m.kind in ("date", "month"):
                facts.dates.add((m.day, m.month, m.year))
                facts.months.add(m.month)
                for number in (m.day, m.year):
                    if number is not None:
                        facts.values.add(Decimal(number))
                        facts.mantissas.add(Decimal(number))
            elif m.kind == "weekday":
                facts.weekdays.add(m.word)
            elif m.kind == "code":
                facts.codes.add(m.word)
            elif m.kind == "approx":
                facts.approx.add(m.word)
        return facts

    def explains(self, m: Mention) -> bool:
        if m.kind in ("number", "word"):
            if m.percent:
                found = m.value in self.percents
            elif m.scaled:
                found = m.value in self.values
            else:
                found = m.value in self.values or m.value in self.mantissas
            if not found:
                return False
            if m.currency:
                known = self.currencies.get(m.value, set())
                return not known or None in known or m.currency in known
            return True
        if m.kind == "date":
            if m.day is not None and m.year is not None:
                return (m.day, m.month, m.year) in self.dates or (
                    any(d == m.day and mo == m.month for d, mo, _ in self.dates) and Decimal(m.year) in self.values
                )
            if m.day is not None:
                return any(d == m.day and mo == m.month for d, mo, _ in self.dates)
            return m.month in self.months and Decimal(m.year) in self.values
        if m.kind == "month":
            return m.month in self.months
        if m.kind == "weekday":
            return m.word in self.weekdays
        if m.kind == "code":
            return m.word in self.codes
        if m.kind == "approx":
            return m.word in self.approx
        return True


def _number_message(m: Mention, where: str) -> str:
    what = {
        "date": "date", "month": "month", "weekday": "day", "code": "reference",
    }.get(m.kind, "percentage" if m.percent else "amount" if m.currency or m.scaled else "number")
    return (
        f'The {what} "{m.text}" in {where} is not in the draft: remove it or use only figures '
        "and dates from the draft, unchanged."
    )


def _check_numbers(units: list[Unit], facts: SourceFacts) -> list[Finding]:
    findings = []
    for unit in units:
        text = _NUMBERING.sub("", unit.text) if unit.kind in ("heading", "item") else unit.text
        for m in extract_mentions(text):
            if not facts.explains(m):
                findings.append(Finding("fact:number", m.text, unit.where, _number_message(m, unit.where)))
    return findings


# -- quotations -----------------------------------------------------------------------------------

_QUOTES = [
    re.compile(r"«\s*([^«»]+?)\s*»"),
    re.compile(r"“([^“”]+?)”"),
    re.compile(r"„([^„“”]+?)[“”]"),
    re.compile(r"‹\s*([^‹›]+?)\s*›"),
    re.compile(r'"([^"\n]{1,400}?)"'),
]
_QUOTE_MARKS = re.compile(r"[«»“”„‟\"‹›]")
_DASHES = re.compile(r"[‐‑‒–—―−]")
_ELISION_MARK = re.compile(r"\[\s*(?:\.\.\.|…)\s*\]|\(\s*(?:\.\.\.|…)\s*\)|\.\.\.|…")
_EDGE = " \t\n.,;:!?-'"


def _quote_norm(text: str) -> str:
    text = _DASHES.sub("-", normalize_spaces(text))
    text = _QUOTE_MARKS.sub(" ", text)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r" ([,.;:!?)])", r"\1", text)


def _quote_pattern(fragment: str) -> re.Pattern[str]:
    first, rest = fragment[0], fragment[1:]
    head = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" if first.isalpha() else re.escape(first)
    body = r"\s+".join(re.escape(part) for part in rest.split(" "))
    return re.compile(rf"(?<!\w){head}{body}(?!\w)")


def quote_in_source(quote: str, source_norm: str) -> bool:
    """Whether ``quote`` is the draft's words (an excerpt; ``[…]`` cuts allowed), up to marks and first-letter case."""
    fragments = [f.strip(_EDGE) for f in _ELISION_MARK.split(_quote_norm(quote))]
    fragments = [f for f in fragments if any(ch.isalnum() for ch in f)]
    if not fragments:
        return True
    position = 0
    for fragment in fragments:
        match = _quote_pattern(fragment).search(source_norm, position)
        if match is None:
            return False
        position = match.end()
    return True


def _quotes(unit: Unit) -> list[str]:
    """The quotations of a unit, as written (with their marks)."""
    if unit.kind == "quote":
        return [unit.text]
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _QUOTES:
        for match in pattern.finditer(unit.text):
            if any(s <= match.start() < e for s, e in taken):
                continue  # a quotation inside a quotation is checked with it
            found.append((match.start(), match.group(0)))
            taken.append((match.start(), match.end()))
    return [q for _, q in sorted(found)]


def _check_quotes(units: list[Unit], source_norm: str) -> list[Finding]:
    findings = []
    for unit in units:
        for quote in _quotes(unit):
            if quote_in_source(quote, source_norm):
                continue
            item = quote if unit.kind != "quote" else f"« {quote} »"
            findings.append(
                Finding(
                    "fact:quote",
                    item,
                    unit.where,
                    f"The quotation {shorten(item)} in {unit.where} is not word for word in the draft: quote the "
                    "draft exactly (a shorter excerpt is fine), or say it without quotation marks.",
                )
            )
    return findings


# -- names ----------------------------------------------------------------------------------------

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


class _Vocabulary:
    def __init__(self, source_text: str, rewrite_text: str) -> None:
        #: Stems of the draft's words, accents folded: as written, and in lower case.
        self.source_cased: set[str] = set()
        self.source_lower: set[str] = set()
        #: Stems of words the draft or the rewrite writes in lower case (ordinary words).
        self.lowercase_used: set[str] = set()
        for text, is_source in ((source_text, True), (rewrite_text, False)):
            for token in _tokens(normalize_spaces(text)):
                folded = fold(token.text)
                words = {folded, *folded.split("-")}
                if is_source:
                    self.source_cased |= {_stem(w) for w in words}
                    self.source_lower |= {_stem(w.lower()) for w in words}
                if token.text[:1].islower():
                    self.lowercase_used |= {_stem(w.lower()) for w in words}

    def known(self, word: str, *, any_case: bool) -> bool:
        """Whether the draft has ``word`` (accents ignored; case too when ``any_case``), or each capitalised part of it."""
        folded = fold(word)
        pool = self.source_lower if any_case else self.source_cased
        if _stem(folded.lower() if any_case else folded) in pool:
            return True
        parts = [p for p in folded.split("-") if p]
        capitalised = [p for p in parts if p[:1].isupper()]
        return len(parts) > 1 and bool(capitalised) and all(
            _stem(p.lower() if any_case else p) in pool for p in capitalised
        )

    def ordinary(self, word: str) -> bool:
        """An ordinary French word: a common word, one used in lower case elsewhere, or with a French ending.

        Participles ("Interrogé", "Sollicitée") count as ordinary: a first name such as "André"
        is short, and the surname that follows it is checked anyway.
        """
        low = fold(word).lower()
        return (
            low in COMMON_WORDS
            or _stem(low) in self.lowercase_used
            or (len(low) > 5 and low.endswith(ORDINARY_ENDINGS))
            or (len(word) > 5 and word.lower().endswith(("é", "ée", "és", "ées")))
        )


def _is_acronym(word: str) -> bool:
    letters = word.replace("-", "")
    return len(letters) >= 2 and letters.isupper()


def _title_cased(text: str, tokens: list[_Token], vocabulary: _Vocabulary) -> bool:
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
        w for w in inner if w[0].isupper() and (fold(w).lower() in COMMON_WORDS or _stem(fold(w).lower()) in vocabulary.lowercase_used)
    ]
    return len(ordinary) >= 2


def _check_names(units: list[Unit], vocabulary: _Vocabulary) -> list[Finding]:
    findings = []
    for unit in units:
        text = normalize_spaces(unit.text)
        tokens = _tokens(text)
        any_case = _title_cased(text, tokens, vocabulary)
        all_caps = any_case and not any(ch.islower() for ch in text)
        flags: list[str] = []  # per token: "new" name, "known" name, or "" (not a name)
        for token in tokens:
            word = token.text
            low = fold(word).lower()
            if (
                not word[:1].isupper()
                or len(word) == 1
                or _ROMAN.fullmatch(word)
                or word in NOT_NAMES
                or low in MONTHS
                or low in DAYS
                or low[:-1] in DAYS
            ):
                flags.append("")
                continue
            acronym = _is_acronym(word) and not all_caps
            if not acronym and (low in COMMON_WORDS or any(part in MONTHS or part in DAYS for part in low.split("-"))):
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


# -- the guard ------------------------------------------------------------------------------------


def check_facts(source: Document, article: Article, *, source_title: str = "") -> list[Finding]:
    """Figures, dates, quotations and names of ``article`` that are not in the draft ``source`` (or its title)."""
    parts = source_parts(source, source_title)
    source_text = "\n".join(parts)
    units = article_units(article)
    vocabulary = _Vocabulary(source_text, "\n".join(u.text for u in units))
    findings = _check_numbers(units, SourceFacts.of(source_text))
    findings += _check_quotes(units, "\n".join(_quote_norm(p) for p in parts))
    findings += _check_names(units, vocabulary)
    return _unique(findings)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    result = []
    for finding in findings:
        key = (finding.guard, finding.item.casefold(), finding.where)
        if key not in seen:
            seen.add(key)
            result.append(finding)
    return result


__all__ = ["Mention", "check_facts", "extract_mentions", "quote_in_source"]
