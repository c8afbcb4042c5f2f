"""Translated quotations: which quotation of the draft each one of the rewrite translates.

A translation cannot be checked word for word, and its meaning cannot be checked offline (that
would take a bilingual dictionary, or a model). What can be checked is what a faithful
translation keeps unchanged:

- **order**: the article's quotations (in its body) stand for the draft's, one to one, in the
  draft's order (an alignment that pairs as many as possible); a quotation of the title, SEO title,
  meta description or excerpt may repeat any of them;
- **figures**: a quotation carries exactly its original's figures and dates (values compared, each
  text read in its language), none more, none less;
- **names**: every name in the quotation is a name of its original (accents and endings ignored;
  a country or region under its CLDR name in the article's language: "Germany" is "Allemagne"), and
  every name of the original that the article writes anywhere is in the quotation;
- **length**: its letters are within the bounds of the language pair (French takes about a fifth
  more letters than English), with some slack for short quotations;
- **speaker** (checked after pairing): when the draft names someone in the quotation's sentence, the
  name nearest the quotation, the article's name nearest its translation (in its sentence, else its
  paragraph, else the end of the paragraph before) must be that one.

A sentence of similar length without figures or names, put in place of the draft's quotation and
attributed to the same speaker, passes all of these: that is the limit of an offline check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .._common import normalize_spaces, strip_accents
from .._french import COMMON_WORDS
from .locales import locale_data, territory_names
from .mentions import FactIndex, Mention
from .names import _stem, _tokens
from .ordinary import ordinary_word

if TYPE_CHECKING:
    from .quotes import Quotation as Quoted

#: Letters of a translation / letters of its original: (lowest, highest), by (draft, article) language.
_LETTER_RATIO = {("en", "fr"): (0.8, 1.75), ("de", "fr"): (0.7, 1.5), ("es", "fr"): (0.75, 1.5),
                 ("it", "fr"): (0.75, 1.5)}
_DEFAULT_RATIO = (0.5, 2.0)
#: Letters a short quotation may gain or lose whatever the ratio ("six" -> "six mois").
_SLACK = 12
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "m", "mme", "mlle", "me", "pr", "prof", "herr", "frau", "sr",
                         "sra", "sig", "signor", "signora", "don"})
_AFTER_QUOTE = re.compile(r"[\"“”«»„:,]\s*$")
_SENTENCE_END = re.compile(r"(?<![A-Z][a-z])(?<!\b[A-Z])(?<!Mrs)[.!?…][\"»”’)]*\s+")

Figures = Callable[[str], list[Mention]]


@dataclass(frozen=True)
class _Name:
    text: str
    start: int
    end: int
    keys: frozenset[str]


def _keys(word: str) -> set[str]:
    folded = strip_accents(word).lower()
    return {_stem(folded), *(_stem(part) for part in folded.split("-") if part)}


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


@dataclass
class Translation:
    """What the draft (in ``source``) and the article (in ``target``) name, to compare quotations across them."""

    source: str
    target: str
    article_text: str
    #: Keys of the names the article writes (its own name guard's reading).
    article_keys: set[str] = field(default_factory=set)
    #: Key of a word of a country's name in the draft's language -> keys of its name in the article's.
    territories: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.names(self.article_text, article=True):
            self.article_keys |= name.keys
        folded = " " + strip_accents(normalize_spaces(self.article_text)).lower() + " "
        targets = territory_names(self.target)
        for code, name in territory_names(self.source).items():
            translated = targets.get(code)
            if translated and re.search(rf"(?<!\w){re.escape(strip_accents(translated).lower())}(?!\w)", folded):
                for part in re.split(r"[\s-]+", name):
                    if part[:1].isupper():
                        self.territories.setdefault(_stem(strip_accents(part).lower()), set()).update(
                            *(_keys(w) for w in re.split(r"\s+", translated)))

    def names(self, text: str, *, article: bool, full_names: bool = False) -> list[_Name]:
        """Runs of names in ``text``: the article's as its name guard reads French; the draft's, its
        capitalised words that the article writes as names too (or whose country the article names),
        and with ``full_names`` also runs of two or more capitalised words inside a sentence ("Claire
        Martin"), which name someone even when the article does not."""
        data = locale_data(self.target if article else self.source)
        words: list[_Name] = []
        for token in _tokens(normalize_spaces(text)):
            word = token.text
            low = strip_accents(word).lower()
            if (not word[:1].isupper() or len(word) < 2 or low in _HONORIFICS or low in data.months
                    or low in data.weekday_index):
                continue
            keys = _keys(word)
            if article:
                if not _is_acronym(word) and (low in COMMON_WORDS or (token.at_start and ordinary_word(word))):
                    continue
            else:
                translated = set().union(*(self.territories.get(k, set()) for k in keys))
                travels = bool(keys & self.article_keys or translated)
                # After a quotation mark or a colon, a capital opens no sentence of the draft's own.
                opens = token.at_start and not _AFTER_QUOTE.search(text, max(0, token.start - 3), token.start)
                if not travels and not (full_names and not opens):
                    continue
                keys |= translated
                if not travels:
                    word = "\0" + word  # kept only as part of a full name
            words.append(_Name(word, token.start, token.end, frozenset(keys)))
        runs: list[_Name] = []
        for word in words:
            if runs and re.fullmatch(r"[ -]", text[runs[-1].end : word.start]):
                last = runs.pop()
                word = _Name(last.text + text[last.end : word.start] + word.text, last.start, word.end,
                             last.keys | word.keys)
            runs.append(word)
        return [
            _Name(run.text.replace("\0", ""), run.start, run.end, run.keys) for run in runs
            if not run.text.startswith("\0") or len(run.text.split()) > 1
        ]

    def quote_keys(self, text: str, *, article: bool) -> set[str]:
        """Keys of the names of a quotation's own text: the article's names; every capitalised word of the draft's
        (with its country's name in the article's language)."""
        if article:
            return set().union(*(name.keys for name in self.names(text, article=True)))
        keys: set[str] = set()
        for token in _tokens(normalize_spaces(text)):
            if token.text[:1].isupper():
                word = _keys(token.text)
                keys |= word.union(*(self.territories.get(k, set()) for k in word))
        return keys


def _is_acronym(word: str) -> bool:
    letters = word.replace("-", "")
    return len(letters) >= 2 and letters.isupper()


@dataclass
class Pairing:
    """Rewrite quotation index -> draft quotation index, and the findings about speakers."""

    pairs: dict[int, int]
    #: (rewrite index, the article's speaker or "", the draft's speaker) for each pair whose speakers differ.
    speakers: list[tuple[int, str, str]]


def pair_translations(
    draft: Sequence[Quoted], rewrite: Sequence[Quoted], rewrite_units: Sequence[str], translation: Translation,
    draft_figures: Figures, rewrite_figures: Figures,
) -> Pairing:
    """Which draft quotation each rewrite quotation (not the draft's own words) translates; see the module."""
    low, high = _LETTER_RATIO.get((translation.source, translation.target), _DEFAULT_RATIO)
    draft_facts = [(draft_figures(q.text), translation.quote_keys(q.text, article=False)) for q in draft]
    draft_index = [FactIndex.of(figures) for figures, _ in draft_facts]
    draft_required = [
        [name.keys for name in translation.names(q.text, article=False)] for q in draft
    ]

    @lru_cache(maxsize=None)
    def fits(r: int, d: int) -> float | None:
        """How far the lengths are (0 is the expected ratio), or None when ``rewrite[r]`` cannot translate ``draft[d]``."""
        quote, original = rewrite[r], draft[d]
        letters, expected = _letters(quote.text), _letters(original.text)
        if not (expected * low - _SLACK <= letters <= expected * high + _SLACK):
            return None
        figures = rewrite_figures(quote.text)
        if not all(draft_index[d].has(m) for m in figures):
            return None
        index = FactIndex.of(figures)
        if not all(index.has(m) for m in draft_facts[d][0]):
            return None
        keys = translation.quote_keys(quote.text, article=True)
        if any(not (_keys(word) & draft_facts[d][1]) for name in translation.names(quote.text, article=True)
               for word in name.text.split()):
            return None
        if not all(required & keys for required in draft_required[d]):
            return None
        return abs(letters / max(expected, 1) - (low + high) / 2)

    body = [r for r, q in enumerate(rewrite) if not q.field]
    pairs = _align(len(draft), body, fits)
    for r, quote in enumerate(rewrite):
        if quote.field:
            options = [(cost, d) for d in range(len(draft)) if (cost := fits(r, d)) is not None]
            if options:
                pairs[r] = min(options)[1]
    speakers = []
    for r, d in pairs.items():
        if rewrite[r].field:
            continue
        said_by = _speaker(draft[d], translation, article=False, previous="")
        if said_by is None:
            continue
        quote = rewrite[r]
        previous = rewrite_units[quote.unit - 1] if quote.unit > 0 else ""
        candidates = _article_speakers(quote, translation, previous)
        if not any(name.keys & said_by.keys for name in candidates):
            speakers.append((r, candidates[0].text if candidates else "", said_by.text))
    return Pairing(pairs, speakers)


def _align(drafts: int, body: list[int], fits: Callable[[int, int], float | None]) -> dict[int, int]:
    """The most pairs (then the closest lengths) keeping both orders: rewrite index -> draft index."""
    n, m = drafts, len(body)
    best = [[(0, 0.0)] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            cost = fits(body[j], i)
            if cost is not None:
                count, negative = best[i + 1][j + 1]
                options.append((count + 1, negative - cost))
            best[i][j] = max(options)
    pairs: dict[int, int] = {}
    i = j = 0
    while i < n and j < m:
        cost = fits(body[j], i)
        if cost is not None and best[i][j] == (best[i + 1][j + 1][0] + 1, best[i + 1][j + 1][1] - cost):
            pairs[body[j]] = i
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, end)
    return left, after.start() if after else len(text)


def _nearest(names: list[_Name], start: int, end: int, low: int, high: int) -> _Name | None:
    near = [n for n in names if low <= n.start and n.end <= high and (n.end <= start or n.start >= end)]
    return min(near, key=lambda n: start - n.end if n.end <= start else n.start - end, default=None)


def _speaker(quote: Quoted, translation: Translation, *, article: bool, previous: str) -> _Name | None:
    """The draft's name nearest ``quote`` in its sentence, if any."""
    names = translation.names(quote.context, article=article, full_names=not article)
    low, high = _sentence(quote.context, quote.start, quote.end)
    return _nearest(names, quote.start, quote.end, low, high)


def _article_speakers(quote: Quoted, translation: Translation, previous: str) -> list[_Name]:
    """Who the article gives ``quote`` to: the name nearest it in its sentence; when its sentence names no
    one ("a-t-elle ajouté"), the names before it in its paragraph and in the paragraph before, nearest first."""
    names = translation.names(quote.context, article=True)
    low, high = _sentence(quote.context, quote.start, quote.end)
    found = _nearest(names, quote.start, quote.end, low, high)
    if found is not None:
        return [found]
    before = [n for n in names if n.end <= quote.start or (not n.start and quote.field)]
    if not before and quote.start == quote.end:  # a quote block: its citation names the speaker
        before = names
    earlier = translation.names(previous, article=True) if previous else []
    return [*reversed(before), *reversed(earlier)]
