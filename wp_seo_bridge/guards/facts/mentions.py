"""A figure or date found in a text, as a value, and the index that tells whether another text has it.

Values, not spellings, are compared: ``14,000`` (English) and ``14 000`` (French) are both 14000;
``$1.2bn`` and ``1,2 milliard de dollars`` are both 1.2e9 in USD; ``April 15, 2024`` and
``15 avril 2024`` are both (15, 4, 2024).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .._common import SPACES


@dataclass(frozen=True)
class Mention:
    """A figure or date found in a text."""

    #: "number" (digits), "word" (number words, ordinals), "date", "month", "weekday", "time", "code", "approx".
    kind: str
    #: As written in the text (spaces made plain).
    text: str
    value: Decimal | None = None
    #: The figure before its scale (240 for "240 milliards").
    mantissa: Decimal | None = None
    scaled: bool = False
    percent: bool = False
    #: ISO code ("USD"), when the figure has a currency.
    currency: str | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    hour: int | None = None
    minute: int | None = None
    #: A code as compared ("F16"), or a weekday's number ("0" for Monday).
    word: str = ""
    #: What an approximate quantity means ({"ten"} for "dizaines" and "dozens").
    meanings: frozenset[str] = frozenset()
    #: Where it starts in the text (findings come in reading order).
    start: int = 0

    @property
    def what(self) -> str:
        """The kind of fact in plain words, for messages."""
        if self.kind in ("number", "word"):
            return "percentage" if self.percent else "amount" if self.currency or self.scaled else "figure"
        return {"date": "date", "month": "month", "weekday": "day", "time": "time", "code": "reference"}.get(
            self.kind, "quantity"
        )

    @property
    def key(self) -> tuple:
        """What two mentions of the same fact share (to report a missing fact once)."""
        return (self.kind if self.kind != "word" else "number", self.value, self.percent, self.currency, self.day,
                self.month, self.year, self.hour, self.minute, self.word, self.meanings)


@dataclass
class FactIndex:
    """The facts of one text, to tell whether a mention of another text is among them."""

    values: set[Decimal] = field(default_factory=set)
    mantissas: set[Decimal] = field(default_factory=set)
    percents: set[Decimal] = field(default_factory=set)
    currencies: dict[Decimal, set[str | None]] = field(default_factory=dict)
    dates: set[tuple[int | None, int | None, int | None]] = field(default_factory=set)
    months: set[int] = field(default_factory=set)
    weekdays: set[str] = field(default_factory=set)
    times: set[tuple[int, int | None]] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    meanings: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, mentions: list[Mention]) -> FactIndex:
        index = cls()
        for m in mentions:
            if m.kind in ("number", "word"):
                index.values.add(m.value)
                index.mantissas.add(m.mantissa)
                if m.percent:
                    index.percents.add(m.value)
                index.currencies.setdefault(m.value, set()).add(m.currency)
            elif m.kind in ("date", "month"):
                index.dates.add((m.day, m.month, m.year))
                index.months.add(m.month)
                index._numbers(m.day, m.year)
            elif m.kind == "time":
                index.times.add((m.hour, m.minute))
                index._numbers(m.hour, m.minute)
            elif m.kind == "weekday":
                index.weekdays.add(m.word)
            elif m.kind == "code":
                index.codes.add(m.word)
            elif m.kind == "approx":
                index.meanings |= m.meanings
        return index

    def _numbers(self, *numbers: int | None) -> None:
        for number in numbers:
            if number is not None:
                self.values.add(Decimal(number))
                self.mantissas.add(Decimal(number))

    def has(self, m: Mention) -> bool:
        """Whether this text states the fact ``m`` (a figure may drop its scale word or its currency)."""
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
            same_day = any(d == m.day and mo == m.month for d, mo, _ in self.dates)
            if m.day is not None and m.year is not None:
                return (m.day, m.month, m.year) in self.dates or (same_day and Decimal(m.year) in self.values)
            if m.day is not None:
                return same_day
            return m.month in self.months and Decimal(m.year) in self.values
        if m.kind == "month":
            return m.month in self.months
        if m.kind == "time":
            return (m.hour, m.minute) in self.times or (
                Decimal(m.hour) in self.values and (m.minute is None or Decimal(m.minute) in self.values)
            )
        if m.kind == "weekday":
            return m.word in self.weekdays
        if m.kind == "code":
            return m.word in self.codes
        if m.kind == "approx":
            return bool(m.meanings & self.meanings)
        return True


def mask(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` blanked out, positions kept (so nothing is read twice)."""
    return text[:start] + " " * (end - start) + text[end:]


def clean(span: str) -> str:
    return " ".join(span.split()).strip(" ,.")


def as_written(mention: Mention, written: str) -> Mention:
    """The mention with its text as written in ``written`` (typographic apostrophes kept; spaces plain)."""
    pattern = r"\s+".join(re.escape(part) for part in mention.text.split(" ")).replace("'", "['’‘ʼ`´]")
    match = re.compile(pattern).search(written, mention.start)
    return replace(mention, text=" ".join(match.group(0).split())) if match else mention


def plain_spaces(text: str) -> str:
    return SPACES.sub(" ", text)
