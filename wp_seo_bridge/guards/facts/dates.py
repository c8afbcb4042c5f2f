"""Dates, months and weekdays in a text, read in the text's language.

Written dates follow CLDR's patterns for the language (``April 15, 2024`` and ``15 April 2024`` in
English, ``15 avril 2024`` in French, ``15. April 2024`` in German, ``15 de abril de 2024`` in
Spanish); numeric ones are ISO (``2024-04-15``, ``2023-01``) or day first (``15/04/2024``,
``15.04.2024``; month first in English when the day cannot be first).
"""

from __future__ import annotations

import re

from .locales import LocaleData, name_key
from .mentions import Mention, clean, mask

_ISO_DATE = re.compile(r"(?<![\w.,-])(?P<year>\d{4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?(?![\w-])")
_NUMERIC_DATE = re.compile(r"(?<![\w.,/])(?P<first>\d{1,2})([/.])(?P<second>\d{1,2})\2(?P<year>\d{4})(?![\w/])")
_PREVIOUS_WORD = re.compile(r"([^\W\d_][\w'’-]*)\s+$")


def _valid(day: int | None, month: int) -> bool:
    return 1 <= month <= 12 and (day is None or 1 <= day <= 31)


def _numeric(text: str, data: LocaleData) -> tuple[list[Mention], str]:
    mentions: list[Mention] = []
    for match in _ISO_DATE.finditer(text):
        month = int(match.group("month"))
        day = int(match.group("day")) if match.group("day") else None
        if _valid(day, month):
            mentions.append(Mention("date", match.group(0), day=day, month=month, year=int(match.group("year")),
                                    start=match.start()))
            text = mask(text, match.start(), match.end())
    for match in _NUMERIC_DATE.finditer(text):
        first, second = int(match.group("first")), int(match.group("second"))
        day, month = (first, second)
        if (data.language == "en" and match.group(2) == "/" and _valid(second, first)) or not _valid(day, month):
            day, month = second, first
        if _valid(day, month):
            mentions.append(Mention("date", match.group(0), day=day, month=month, year=int(match.group("year")),
                                    start=match.start()))
            text = mask(text, match.start(), match.end())
    return mentions, text


def _day(raw: str | None) -> int | None:
    if raw is None:
        return None
    day = int(raw) if raw.isdigit() else 1  # "premier"
    return day if 1 <= day <= 31 else None


def _written(text: str, data: LocaleData) -> tuple[list[Mention], str]:
    mentions: list[Mention] = []
    for pattern in data.date_patterns:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            day, year = _day(groups.get("day")), groups.get("year")
            mentions.append(Mention("date", clean(match.group(0)), day=day, month=data.month_number(groups["month"]),
                                    year=int(year) if year else None, start=match.start()))
            text = mask(text, match.start(), match.end())
    return mentions, text


def _months_alone(text: str, data: LocaleData) -> tuple[list[Mention], str]:
    mentions: list[Mention] = []
    for match in data.month_alone.finditer(text):
        if data.months_capitalised:
            previous = _PREVIOUS_WORD.search(text, 0, match.start())
            before = text[: previous.start()].rstrip() if previous else ""
            if previous and previous.group(1)[:1].isupper() and before and before[-1] not in ".!?:":
                continue  # "Theresa May" inside a sentence: a name, not a month
        mentions.append(Mention("month", match.group(0), month=data.month_number(match.group(0)), start=match.start()))
        text = mask(text, match.start(), match.end())
    return mentions, text


def _weekdays(text: str, data: LocaleData) -> tuple[list[Mention], str]:
    mentions: list[Mention] = []
    for match in data.weekdays.finditer(text):
        name = match.group(0)
        key = data.weekday_index.get(_base(name, data))
        if key is None:
            continue
        mentions.append(Mention("weekday", name, word=str(key), start=match.start()))
        text = mask(text, match.start(), match.end())
    return mentions, text


def _base(name: str, data: LocaleData) -> str:
    key = name_key(name)
    return key if key in data.weekday_index else key[:-1]  # "lundis", "Mondays"


def extract_dates(text: str, data: LocaleData) -> tuple[list[Mention], str]:
    """The dates, months and weekdays of ``text``, and the text with them blanked out."""
    found: list[Mention] = []
    for step in (_numeric, _written, _months_alone, _weekdays):
        mentions, text = step(text, data)
        found += mentions
    return found, text
