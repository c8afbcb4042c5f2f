"""Numbers, amounts and percentages in a text, read in the text's language.

Digits follow the language's CLDR symbols: ``14,000.5`` in English and ``14 000,5`` in French
(a space of any width groups thousands everywhere; so does the other one of "," and "." before
exactly three digits). A scale multiplies (``240 milliards``, ``$1.2bn``, ``9,6 Mio.``), a
currency is kept as its ISO code (``€``, ``$US``, ``dollars``, ``d'euros``), a percentage is
marked (``3.5%``, ``3,5 %``, ``12 pour cent``). Also read: times (``14 h 30``, ``2:30 pm``), codes
mixing letters and digits (``F-16``, ``G7``), number words (``six``, ``vingt-trois``,
``two million``), ordinals (``troisième``, ``third``, ``quarante-deuxième``) and approximate quantities
(``dizaines``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .._common import strip_accents
from .lexicon import Lexicon
from .locales import LocaleData, locale_data
from .mentions import Mention, clean, mask

_CODE = re.compile(r"(?<![\w-])[^\W\d_]+-?\d\w*(?:[-.]\w+)*(?![\w-])")
_WORD = re.compile(r"[^\W\d_]+")
_ACCENTS = {"a": "aáàâäã", "e": "eéèêë", "i": "iíìîï", "o": "oóòôöõ", "u": "uúùûü", "c": "cç", "n": "nñ",
            "s": "sß"}


def word_pattern(word: str) -> str:
    """``word`` as a regular expression matching it with or without accents, its spaces any spaces."""
    parts = []
    for ch in word:
        if ch == " ":
            parts.append(r"\s+")
        elif ch == "'":
            parts.append("'")
        elif ch in _ACCENTS:
            parts.append(f"[{_ACCENTS[ch]}]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _any_of(words, *, exact_case: bool = False) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    if exact_case:
        return "|".join(re.escape(w) for w in ordered)
    return "(?i:" + "|".join(word_pattern(strip_accents(w).lower()) for w in ordered) + ")" if ordered else "(?!)"


@lru_cache(maxsize=16)
def _number_pattern(language: str) -> re.Pattern[str]:
    data = locale_data(language)
    words = data.words
    dec, groups = re.escape(data.decimal), re.escape(data.groups)
    symbols = "|".join(re.escape(s) for s in sorted(data.currency_symbols, key=len, reverse=True))
    scales = "|".join(filter(None, (_any_of(words.scales) if words.scales else "",
                                    _any_of(words.scale_abbreviations, exact_case=True))))
    percent = "%" + (f"|{_any_of(words.percent_words)}(?!\\w)" if words.percent_words else "")
    connectors = f"(?:{_any_of(words.currency_connectors)}\\s?)?" if words.currency_connectors else ""
    currency_words = f"{_any_of(words.currencies)}|" if words.currencies else ""
    ordinal = f"(?:(?P<ord>{words.ordinal_suffix})(?!\\w))?" if words.ordinal_suffix else ""
    return re.compile(
        r"(?<![\w.,])"
        rf"(?:(?P<pre>{symbols})\s?)?"
        r"(?P<sign>[-+−])?"
        rf"(?P<num>\d{{1,3}}(?:[{groups}]\d{{3}})+(?:{dec}\d+)?(?!\d)|\d+(?:[.,]\d+)?(?!\d))"
        + ordinal
        + (rf"(?:\s?(?P<scale>{scales})(?!\w))?" if scales else "")
        + rf"(?P<pct>\s?(?:{percent}))?"
        + rf"(?:\s?{connectors}(?P<cur>{currency_words}{symbols})(?!\w))?"
    )


@lru_cache(maxsize=16)
def _time_pattern(language: str) -> re.Pattern[str]:
    hour_words = "|".join(re.escape(w) for w in sorted(locale_data(language).words.hour_words, key=len, reverse=True))
    hour = r"(?P<hour>[01]?\d|2[0-3])"
    with_word = (
        rf"{hour}(?:[.:](?P<m1>[0-5]\d))?\s?(?P<word>(?i:{hour_words}))(?:\s?(?P<m2>[0-5]\d)(?!\d))?(?!\w)"
        if hour_words else "(?!)"
    )
    colon = r"(?P<hour2>[01]?\d|2[0-3]):(?P<m3>[0-5]\d)(?!\d)"
    return re.compile(rf"(?<![\w.,:])(?:{with_word}|{colon})")


def _decimal(raw: str, data: LocaleData) -> Decimal | None:
    raw = raw.replace(" ", "")
    groups = re.escape(data.groups.replace(" ", ""))
    if re.fullmatch(rf"\d{{1,3}}(?:[{groups}]\d{{3}})+(?:{re.escape(data.decimal)}\d+)?", raw):
        raw = re.sub(f"[{groups}]", "", raw)
    raw = raw.replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _times(text: str, data: LocaleData) -> tuple[list[Mention], str]:
    mentions = []
    for match in _time_pattern(data.language).finditer(text):
        hour = int(match.group("hour") or match.group("hour2"))
        minute = match.group("m1") or match.group("m2") or match.group("m3")
        word = (match.group("word") or "").lower()
        if word.startswith("p") and hour < 12:
            hour += 12
        elif word.startswith("a") and hour == 12:
            hour = 0
        mentions.append(Mention("time", clean(match.group(0)), hour=hour, minute=int(minute) if minute else None,
                                start=match.start()))
        text = mask(text, match.start(), match.end())
    return mentions, text


def _codes(text: str, data: LocaleData) -> tuple[list[Mention], str]:
    mentions = []
    for match in _CODE.finditer(text):
        code = match.group(0)
        if strip_accents(re.match(r"[^\W\d_]+", code).group(0)).lower() in data.words.not_code_prefixes:
            continue  # "mi-2023", "mid-2023": a prefix and a year
        word = strip_accents(code).upper().replace("-", "").replace(".", "")
        mentions.append(Mention("code", code, word=word, start=match.start()))
        text = mask(text, match.start(), match.end())
    return mentions, text


def _scale_factor(scale: str, words: Lexicon) -> int:
    if scale in words.scale_abbreviations:
        return words.scale_abbreviations[scale]
    return words.scales.get(" ".join(strip_accents(scale).lower().split()), 1)


def _currency(raw: str | None, data: LocaleData) -> str | None:
    if not raw:
        return None
    key = " ".join(strip_accents(raw).lower().split())
    return data.words.currencies.get(key) or data.currency_symbols.get(raw) or data.currency_symbols.get(raw.upper())


def _digits(text: str, data: LocaleData) -> tuple[list[Mention], str]:
    mentions = []
    for match in _number_pattern(data.language).finditer(text):
        mantissa = _decimal(match.group("num"), data)
        if mantissa is None:
            continue
        currency = _currency(match.group("cur"), data) or _currency(match.group("pre"), data)
        scale = match.groupdict().get("scale")
        factor = _scale_factor(scale, data.words) if scale else 1
        end = match.end()
        if scale == "m" and not currency:  # "100m": metres, not millions
            factor, end = 1, match.start("scale")
        mentions.append(Mention("number", clean(text[match.start():end]), value=mantissa * factor, mantissa=mantissa,
                                scaled=factor != 1, percent=bool(match.group("pct")), currency=currency,
                                start=match.start()))
        text = mask(text, match.start(), end)
    return mentions, text


def _folded(word) -> str:
    return strip_accents(word.group(0)).lower()


def _number_words(text: str, data: LocaleData) -> list[Mention]:
    """Number words ("deux", "vingt-trois", "two million"), ordinals and approximate quantities."""
    words = data.words
    tokens = list(_WORD.finditer(text))
    folded = [_folded(t) for t in tokens]
    number_words = words.units.keys() | words.tens.keys() | words.hundreds | words.thousands
    mentions: list[Mention] = []

    def joined(a: int, b: int, pattern: str = r"[\s-]+") -> bool:
        return re.fullmatch(pattern, text[tokens[a].end():tokens[b].start()]) is not None

    def scale_at(index: int) -> tuple[int, int]:
        """(factor, number of words) of a scale word at ``index``, or (1, 0)."""
        for size in (2, 1):
            if index + size <= len(tokens) and all(joined(i, i + 1, r"\s+") for i in range(index, index + size - 1)):
                key = " ".join(folded[index:index + size])
                if key in words.scales and key not in words.thousands:
                    return words.scales[key], size
        return 1, 0

    index = 0
    while index < len(tokens):
        token = folded[index]
        if token in words.ordinals:
            value = Decimal(words.ordinals[token])
            mentions.append(Mention("word", tokens[index].group(0), value=value, mantissa=value,
                                    start=tokens[index].start()))
            index += 1
            continue
        if token in words.approximate:
            mentions.append(Mention("approx", tokens[index].group(0), meanings=words.approximate[token],
                                    start=tokens[index].start()))
            index += 1
            continue
        starts_one = token in words.one and index + 1 < len(tokens) and joined(index, index + 1, r"\s+") and (
            scale_at(index + 1)[0] != 1 or folded[index + 1] in words.hundreds | words.thousands
        )
        if token not in number_words and not starts_one:
            index += 1
            continue
        end = index
        while end + 1 < len(tokens) and joined(end, end + 1):
            current, following = folded[end], folded[end + 1]
            after = folded[end + 2] if end + 2 < len(tokens) else ""
            joins = (following in words.joiners and (current in words.tens or current in words.hundreds)
                     and (after in number_words or after in words.one))
            if following in number_words or joins or (following in words.one and current in words.joiners):
                end += 1
            else:
                break
        run = folded[index:end + 1]
        ordinal, length = _ordinal_end(folded, end, words)
        if ordinal and not all(joined(i, i + 1, "-" if length == 1 else r"[\s-]+") for i in range(end, end + length)):
            ordinal = 0
        if ordinal and value_of(run, words):
            # A compound ordinal: "quarante-deuxième", "vingt-et-unième", "deux-centième", "twenty-third".
            base = value_of(run, words)
            value = Decimal(base * ordinal if ordinal in (100, 1000) else base + ordinal)
            last = end + length
            mentions.append(Mention("word", text[tokens[index].start():tokens[last].end()], value=value,
                                    mantissa=value, start=tokens[index].start()))
            index = last + 1
            continue
        factor, size = scale_at(end + 1) if end + 1 < len(tokens) and joined(end, end + 1, r"\s+") else (1, 0)
        last = end + size
        if run[0] in words.ambiguous and len(run) == 1 and not _ambiguous_is_number(tokens, folded, index, text, words):
            index += 1
            continue
        value = value_of(run, words)
        if value:
            mentions.append(Mention("word", text[tokens[index].start():tokens[last].end()],
                                    value=Decimal(value) * factor, mantissa=Decimal(value), scaled=factor != 1,
                                    start=tokens[index].start()))
        index = last + 1
    return mentions


#: Ordinals too common to read alone ("first", "second"), read at the end of a compound ("forty-second").
_LAST_ORDINALS = {"unieme": 1, "first": 1, "second": 2}


def _ordinal_end(folded: list[str], end: int, words: Lexicon) -> tuple[int, int]:
    """(value, words) of the ordinal ending a compound number word after ``end``: "-deuxième" (2, 1),
    "-et-unième" (1, 2), "-first" (1, 1); or (0, 0)."""
    following = folded[end + 1] if end + 1 < len(folded) else ""
    if following in words.ordinals:
        return words.ordinals[following], 1
    if following in _LAST_ORDINALS and (folded[end] in words.tens or folded[end] in words.hundreds):
        return _LAST_ORDINALS[following], 1
    if following in words.joiners and end + 2 < len(folded) and folded[end + 2] in _LAST_ORDINALS:
        return _LAST_ORDINALS[folded[end + 2]], 2
    return 0, 0


def _ambiguous_is_number(tokens, folded, index: int, text: str, words: Lexicon) -> bool:
    """"neuf" is a number before a noun ("neuf pays"), not an adjective ("un matériel neuf", "à neuf")."""
    if index + 1 >= len(tokens) or not tokens[index + 1].group(0)[:1].islower():
        return False
    if text[tokens[index].end():tokens[index + 1].start()].strip():
        return False
    if index == 0 or re.search(r"[,;:(]", text[tokens[index - 1].end():tokens[index].start()]):
        return True  # it opens the text or a clause
    return folded[index - 1] in words.ambiguous_after


def value_of(run: list[str], words: Lexicon) -> int:
    total, current = 0, 0
    for word in run:
        if word in words.units:
            current += words.units[word]
        elif word in words.tens:
            # "quatre-vingts": four twenties
            current = current * 20 if words.tens[word] == 20 and current == 4 else current + words.tens[word]
        elif word in words.hundreds:
            current = (current or 1) * 100
        elif word in words.thousands:
            total += (current or 1) * 1000
            current = 0
        elif word in words.one:
            current += 1
    return total + current


def extract_numbers(text: str, data: LocaleData) -> list[Mention]:
    """The times, codes, figures and number words of ``text`` (dates already blanked out)."""
    found: list[Mention] = []
    for step in (_times, _codes, _digits):
        mentions, text = step(text, data)
        found += mentions
    return found + _number_words(text, data)
