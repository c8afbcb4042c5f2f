"""The fact guard: the rewrite invents no figure, date, quotation or name, and (optionally) loses none.

Over the article's text (title, SEO title, meta description, excerpt, headings, paragraphs, list
items, quotes and their citations; never the placeholders):

- **figures and dates** (``fact:number``): amounts, percentages, years, dates, times, number words,
  ordinals and codes such as "F-16" must be the draft's. Each text is read in its own language:
  the draft in the language detected in it, the article in ``rewrite.language``; values are
  compared, so ``$1.2bn`` is ``1,2 milliard de dollars`` and ``April 15, 2024`` is
  ``15 avril 2024``. A figure may drop its currency or its scale word, not change them.
- **quotations** (``fact:quote``): see :mod:`.quotes`;
- **names** (``fact:name``): see :mod:`.names`;
- **coverage** (``fact:missing``, with ``require_all``): every figure, date and quotation of the
  draft's text (outside kept elements; not its title) must be in the article, whose item is the
  fact as the draft wrote it.
"""

from __future__ import annotations

import re

from ...article import Article
from ...content import Document
from .._common import Finding, Unit, article_units, normalize_spaces, source_parts, text_units
from ..language import detect_language, language_name
from .dates import extract_dates
from .locales import language_code, locale_data
from .mentions import FactIndex, Mention, as_written, plain_spaces
from .names import Vocabulary, check_names
from .numbers import extract_numbers
from .quotes import QuoteCheck, normalise, quote_in_source

#: Numbering the model may put before a heading or a list item ("1. Contexte"): not a fact.
_NUMBERING = re.compile(r"^\s*\d{1,2}\s?[.)-]\s+")


def extract_mentions(text: str, language: str = "fr") -> list[Mention]:
    """The figures and dates of ``text`` read in ``language``, each once, in reading order."""
    data = locale_data(language)
    dates, rest = extract_dates(normalize_spaces(text), data)
    mentions = sorted(dates + extract_numbers(rest, data), key=lambda m: m.start)
    written = plain_spaces(text)
    return [as_written(m, written) for m in mentions]


def draft_language(source: Document, default: str) -> str:
    """The language the draft is written in (detected offline), or ``default`` when it has no words."""
    return language_code(detect_language("\n".join(u.text for u in text_units(source.blocks))) or default)


def check_facts(
    source: Document,
    article: Article,
    *,
    source_title: str = "",
    language: str = "fr",
    source_language: str | None = None,
    require_all: bool = False,
) -> list[Finding]:
    """What ``article`` (in ``language``) states that the draft ``source`` (or its title) does not; and, with
    ``require_all``, the draft's figures, dates and quotations the article lost.

    ``source_language``: the draft's language; detected when not given.
    """
    language = language_code(language)
    source_language = language_code(source_language) if source_language else draft_language(source, language)
    parts = source_parts(source, source_title)
    units = article_units(article)
    draft_units = text_units(source.blocks)

    def article_mentions(unit: Unit) -> list[Mention]:
        return extract_mentions(_without_numbering(unit), language)

    evidence = FactIndex.of(extract_mentions("\n".join(parts), source_language))
    findings: list[Finding] = []
    written: list[Mention] = []
    for unit in units:
        mentions = article_mentions(unit)
        written += mentions
        findings += [
            Finding("fact:number", m.text, unit.where, _invented_message(m, unit.where))
            for m in mentions if not evidence.has(m)
        ]

    quotes = QuoteCheck.of(
        draft_units, units, "\n".join(normalise(p) for p in parts),
        translation=source_language != language,
        draft_figures=lambda text: extract_mentions(text, source_language),
        rewrite_figures=lambda text: extract_mentions(text, language),
        source_language=source_language, language=language,
    )
    findings += quotes.invented()
    vocabulary = Vocabulary("\n".join(parts), "\n".join(u.text for u in units),
                            source_language=source_language, rewrite_language=language)
    findings += check_names(units, vocabulary, language)
    if require_all:
        findings += _missing_figures(draft_units, FactIndex.of(written), source_language, language)
        findings += quotes.missing("\n".join(u.text for u in units))
    return _unique(findings)


def _without_numbering(unit: Unit) -> str:
    return _NUMBERING.sub("", unit.text) if unit.kind in ("heading", "item") else unit.text


def _invented_message(m: Mention, where: str) -> str:
    what = "number" if m.what == "figure" else m.what
    return (
        f'The {what} "{m.text}" in {where} is not in the draft: remove it or use only figures '
        "and dates from the draft, unchanged."
    )


def _missing_figures(draft_units: list[Unit], article: FactIndex, source_language: str, language: str) -> list[Finding]:
    """The draft's figures and dates (approximate quantities aside) that the article does not state."""
    findings, reported = [], set()
    how = f" (in {language_name(language)}, same value)" if source_language != language else ""
    for unit in draft_units:
        for m in extract_mentions(_without_numbering(unit), source_language):
            if m.kind == "approx" or m.key in reported or article.has(m):
                continue
            reported.add(m.key)
            findings.append(Finding(
                "fact:missing", m.text, "article",
                f'The draft\'s {m.what} "{m.text}" is missing from the article: keep every figure, date and '
                f"quotation of the draft{how}.",
            ))
    return findings


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    result = []
    for finding in findings:
        key = (finding.guard, finding.item.casefold(), finding.where)
        if key not in seen:
            seen.add(key)
            result.append(finding)
    return result


__all__ = ["Mention", "check_facts", "draft_language", "extract_mentions", "quote_in_source"]
