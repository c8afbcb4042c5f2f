"""Quotations: the rewrite quotes only the draft's words, and keeps every quotation of the draft.

A quotation is text in « », “ ”, „ “, ‹ › or " ", or a quote block. In the draft's language it
must be the draft's words (a shorter excerpt is fine; ``[…]`` may mark a cut), up to quotation
marks and the case of its first letter. A draft in another language is translated, quotations
included, and a translation cannot be checked word for word: then a quotation that is not the
draft's own words must translate one of the draft's quotations, as far as that can be checked
offline (order, figures, names, length and speaker; see :mod:`.translated_quotes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .._common import Finding, Unit, normalize_spaces, shorten
from .mentions import Mention
from .translated_quotes import Translation, pair_translations

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
#: Units of the fields written as plain text: a quotation there may repeat any of the body's.
_FIELDS = frozenset({"title", "seo_title", "meta_description", "excerpt"})


@dataclass(frozen=True)
class Quotation:
    #: As written, with its marks ("« légitimes »"); a quote block's text alone.
    text: str
    where: str
    #: True for a quote block (its text is the quotation).
    block: bool = False
    #: Its paragraph's text and its place there (a quote block: its citation's text, the quotation at 0).
    context: str = ""
    start: int = 0
    end: int = 0
    #: Index of its unit; whether that unit is the title, SEO title, meta description or excerpt.
    unit: int = 0
    field: bool = False

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
    units = list(units)
    for index, unit in enumerate(units):
        if unit.kind == "quote":
            following = units[index + 1] if index + 1 < len(units) else None
            citation = following.text if following is not None and following.kind == "citation" else ""
            found.append(Quotation(unit.text, unit.where, block=True, context=citation, unit=index))
            continue
        spans: list[tuple[int, int]] = []
        located: list[tuple[int, str]] = []
        for pattern in _QUOTES:
            for match in pattern.finditer(unit.text):
                if any(s <= match.start() < e for s, e in spans):
                    continue
                located.append((match.start(), match.end(), match.group(0)))
                spans.append((match.start(), match.end()))
        found += [
            Quotation(text, unit.where, context=unit.text, start=start, end=end, unit=index, field=unit.kind in _FIELDS)
            for start, end, text in sorted(located)
        ]
    return found


#: Reads the figures of a quotation in its text's language.
Figures = Callable[[str], list[Mention]]


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
    #: (rewrite index, the article's speaker, the draft's) for translated quotations given to someone else.
    speakers: list[tuple[int, str, str]] = field(default_factory=list)

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
        source_language: str = "",
        language: str = "fr",
    ) -> QuoteCheck:
        draft, rewrite = quotations(draft_units), quotations(rewrite_units)
        verbatim = {i for i, q in enumerate(rewrite) if quote_in_source(q.text, evidence)}
        translated: dict[int, int] = {}
        speakers: list[tuple[int, str, str]] = []
        if translation:
            others = [i for i in range(len(rewrite)) if i not in verbatim]
            texts = [u.text for u in rewrite_units]
            reading = Translation(source_language, language, "\n".join(texts))
            pairing = pair_translations(
                draft, [rewrite[i] for i in others], texts, reading, draft_figures, rewrite_figures
            )
            translated = {others[r]: d for r, d in pairing.pairs.items()}
            speakers = [(others[r], said, by) for r, said, by in pairing.speakers]
        return cls(draft, rewrite, verbatim, translated, translation, speakers)

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
                "what the draft quotes, translated faithfully, each quotation once and in the draft's order, with "
                "its own figures and names and no other, or say it without quotation marks.",
            ))
        for index, said, by in self.speakers:
            quote = self.rewrite[index]
            given = f"to {said}" if said else "to no one"
            findings.append(Finding(
                "fact:quote", quote.shown, quote.where,
                f"The quotation {shorten(quote.shown)} in {quote.where} is attributed {given}; the draft attributes "
                f"it to {by}: name its speaker as the draft does.",
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
