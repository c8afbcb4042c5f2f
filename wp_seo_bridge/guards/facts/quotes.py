"""Quotations: the rewrite quotes only the draft's words, and keeps every quotation of the draft.

A quotation is text in « », “ ”, „ “, ‹ › or " ", or a quote block. In the draft's language it
must be the draft's words (a shorter excerpt is fine; ``[…]`` may mark a cut), up to quotation
marks and the case of its first letter. A draft in another language is translated, quotations
included, and a translation cannot be checked word for word: then a quotation that is not the
draft's own words must stand for one of the draft's quotations, each at most once, of a
comparable length and with no figure that quotation lacks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .._common import Finding, Unit, normalize_spaces, shorten
from .mentions import FactIndex, Mention

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
#: A translated quotation has between half and twice as many words as the original.
_LENGTH_RATIO = 2.0


@dataclass(frozen=True)
class Quotation:
    #: As written, with its marks ("« légitimes »"); a quote block's text alone.
    text: str
    where: str
    #: True for a quote block (its text is the quotation).
    block: bool = False

    @property
    def shown(self) -> str:
        return f"« {self.text} »" if self.block else self.text

    @property
    def words(self) -> int:
        return len(_QUOTE_MARKS.sub(" ", self.text).split())


def normalise(text: str) -> str:
    """Text as quotations are compared: plain spaces and dashes, no quotation marks."""
    text = _DASHES.sub("-", normalize_spaces(text))
    text = _QUOTE_MARKS.sub(" ", text)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r" ([,.;:!?)])", r"\1", text)


def _pattern(fragment: str, *, whole_last_word: bool) -> re.Pattern[str]:
    first, rest = fragment[0], fragment[1:]
    head = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" if first.isalpha() else re.escape(first)
    body = r"\s+".join(re.escape(part) for part in rest.split(" "))
    return re.compile(rf"(?<!\w){head}{body}" + (r"(?!\w)" if whole_last_word else ""))


def quote_in_source(quote: str, source_norm: str, *, whole_last_word: bool = True) -> bool:
    """Whether ``quote`` is the words of ``source_norm`` (an excerpt; ``[…]`` cuts allowed), up to marks and first-letter case.

    ``whole_last_word=False`` lets the last word take an ending ("sans limite" in "sans limites").
    """
    fragments = [f.strip(_EDGE) for f in _ELISION_MARK.split(normalise(quote))]
    fragments = [f for f in fragments if any(ch.isalnum() for ch in f)]
    if not fragments:
        return True
    position = 0
    for number, fragment in enumerate(fragments, 1):
        last = number == len(fragments)
        match = _pattern(fragment, whole_last_word=whole_last_word or not last).search(source_norm, position)
        if match is None:
            return False
        position = match.end()
    return True


def quotations(units: Iterable[Unit]) -> list[Quotation]:
    """The quotations of ``units``, as written, in reading order (a quotation inside another is part of it)."""
    found: list[Quotation] = []
    for unit in units:
        if unit.kind == "quote":
            found.append(Quotation(unit.text, unit.where, block=True))
            continue
        spans: list[tuple[int, int]] = []
        located: list[tuple[int, str]] = []
        for pattern in _QUOTES:
            for match in pattern.finditer(unit.text):
                if any(s <= match.start() < e for s, e in spans):
                    continue
                located.append((match.start(), match.group(0)))
                spans.append((match.start(), match.end()))
        found += [Quotation(text, unit.where) for _, text in sorted(located)]
    return found


#: Reads the figures of a quotation in its text's language.
Figures = Callable[[str], list[Mention]]


def _pairs(
    draft: list[Quotation], rewrite: list[Quotation], draft_figures: Figures, rewrite_figures: Figures
) -> dict[int, int]:
    """Rewrite quotation index -> the draft quotation it translates (each draft quotation used once)."""
    used: set[int] = set()
    indexes = [FactIndex.of(draft_figures(q.text)) for q in draft]
    pairs: dict[int, int] = {}
    for r, quote in enumerate(rewrite):
        figures = rewrite_figures(quote.text)
        candidates = [
            d for d, original in enumerate(draft)
            if d not in used
            and abs(math.log(max(quote.words, 1) / max(original.words, 1))) <= math.log(_LENGTH_RATIO)
            and all(indexes[d].has(m) for m in figures)
        ]
        if candidates:
            best = min(candidates, key=lambda d: abs(math.log(max(quote.words, 1) / max(draft[d].words, 1))))
            pairs[r] = best
            used.add(best)
    return pairs


@dataclass
class QuoteCheck:
    """The quotations of the draft and of the rewrite, and how they correspond."""

    draft: list[Quotation]
    rewrite: list[Quotation]
    #: Rewrite quotations that are the draft's own words, by index.
    verbatim: set[int]
    #: Rewrite quotation index -> draft quotation index, for translated ones.
    translated: dict[int, int]
    #: Whether the rewrite is a translation of the draft.
    translation: bool = False

    @classmethod
    def of(
        cls,
        draft_units: list[Unit],
        rewrite_units: list[Unit],
        evidence: str,
        *,
        translation: bool,
        draft_figures: Figures,
        rewrite_figures: Figures,
    ) -> QuoteCheck:
        draft, rewrite = quotations(draft_units), quotations(rewrite_units)
        verbatim = {i for i, q in enumerate(rewrite) if quote_in_source(q.text, evidence)}
        translated: dict[int, int] = {}
        if translation:
            others = [i for i in range(len(rewrite)) if i not in verbatim]
            pairs = _pairs(draft, [rewrite[i] for i in others], draft_figures, rewrite_figures)
            translated = {others[r]: d for r, d in pairs.items()}
        return cls(draft, rewrite, verbatim, translated, translation)

    def invented(self) -> list[Finding]:
        findings = []
        for index, quote in enumerate(self.rewrite):
            if index in self.verbatim or index in self.translated:
                continue
            findings.append(Finding(
                "fact:quote", quote.shown, quote.where,
                f"The quotation {shorten(quote.shown)} in {quote.where} is not word for word in the draft: quote the "
                "draft exactly (a shorter excerpt is fine), or say it without quotation marks."
                if not self.translation else
                f"The quotation {shorten(quote.shown)} in {quote.where} matches no quotation of the draft: quote only "
                "what the draft quotes (translated faithfully, each quotation once), or say it without quotation marks.",
            ))
        return findings

    def missing(self, rewrite_text: str) -> list[Finding]:
        """The draft's quotations that the rewrite lost."""
        kept = set(self.translated.values())
        target = normalise(rewrite_text)
        findings = []
        for index, quote in enumerate(self.draft):
            if index in kept or quote_in_source(quote.text, target, whole_last_word=False):
                continue
            findings.append(Finding(
                "fact:missing", quote.shown, "article",
                f"The draft's quotation {shorten(quote.shown)} is missing from the article: keep every quotation of "
                "the draft, in quotation marks" + (" (translated faithfully)." if self.translation else ", word for word."),
            ))
        return findings
