"""Keyphrase matching as Yoast SEO (free) does it for French.

- The keyphrase is cut into words (spaces and hyphens); French function words are dropped unless
  the keyphrase has nothing else. There are no word forms: "russe" does not match "Russie".
- A word matches case-insensitively, as a whole word. An apostrophe before it is a word boundary,
  so "aide" matches "l’aide" and "d’aide" (’ and ' are the same).
- A keyphrase word written with accents also matches the text without them ("létal" matches
  "letal"); the reverse is not true.
- A keyphrase in double quotes is matched exactly, as one unit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from . import _french, text as _text

_BOUNDARY = " \u00a0\u2014\u06d4\u061f\u060c\u061b\n\r\t.,()”“〝〞〟‟„\"+\\-;!¡?¿:/»«‹›<>"
_APOSTROPHES = "'‘’‛`"
_START = "(?:^|[" + re.escape(_BOUNDARY + _APOSTROPHES) + "])"
_END = "(?:$|[" + re.escape(_BOUNDARY) + "]|[" + re.escape(_APOSTROPHES) + "][" + re.escape(_BOUNDARY) + "])"

# yoastseo's French transliteration, then WordPress's (which also folds ä, ö...).
_FR_FOLD = {
    "à": "a", "â": "a", "é": "e", "è": "e", "ê": "e", "ë": "e", "î": "i", "ï": "i", "ô": "o", "ù": "u", "û": "u",
    "ü": "u", "ÿ": "y", "ç": "c", "œ": "oe", "æ": "ae", "À": "A", "Â": "A", "É": "E", "È": "E", "Ê": "E", "Ë": "E",
    "Î": "I", "Ï": "I", "Ô": "O", "Ù": "U", "Û": "U", "Ü": "U", "Ÿ": "Y", "Ç": "C", "Œ": "Oe", "Æ": "Ae",
}
_FR_TABLE = str.maketrans(_FR_FOLD)
_WP_FOLD = dict(_FR_FOLD, **{
    "ä": "a", "ö": "o", "á": "a", "ã": "a", "å": "a", "ì": "i", "í": "i", "ò": "o", "ó": "o", "õ": "o", "ø": "o",
    "ú": "u", "ý": "y", "ñ": "n", "ß": "ss", "Ä": "A", "Ö": "O", "Á": "A", "Ã": "A", "Å": "A", "Ì": "I", "Í": "I",
    "Ò": "O", "Ó": "O", "Õ": "O", "Ø": "O", "Ú": "U", "Ý": "Y", "Ñ": "N", "Œ": "OE", "Æ": "AE",
})
_WP_TABLE = str.maketrans(_WP_FOLD)
_FOLD_TABLE = str.maketrans({**{k: v.lower() for k, v in _WP_FOLD.items()}, **{c: "'" for c in "‘’‛`‹›"}})
_NON_TEXT_TAGS = re.compile(r"<(?!li|/li|p|/p|h1|/h1|h2|/h2|h3|/h3|h4|/h4|h5|/h5|h6|/h6|dd).*?>")
_SPACES = re.compile(r"\s")
DOUBLE_QUOTES = '“”〝〞〟‟„『』"«»'


def match_key(text: str) -> str:
    """Lower case, straight apostrophes, no diacritics: a cheap pre-filter that never misses a match."""
    return text.lower().translate(_FOLD_TABLE)


@lru_cache(maxsize=512)
def _regexes(word: str) -> tuple[re.Pattern[str], ...]:
    patterns = [re.compile(_START + re.escape(word) + _END, re.IGNORECASE)]
    fr = word.translate(_FR_TABLE)
    if fr != word:
        patterns.append(re.compile(_START + re.escape(fr) + _END, re.IGNORECASE))
    wp = word.translate(_WP_TABLE)
    if wp != fr:
        patterns.append(re.compile(_START + re.escape(wp) + _END, re.IGNORECASE))
    return tuple(patterns)


def _matches(text: str, word: str) -> list[str]:
    """Whole-word matches of ``word`` in ``text`` (matches of the transliterated word added)."""
    patterns = _regexes(word)
    found = [m.group(0) for m in patterns[0].finditer(text)]
    if len(patterns) > 1:
        rest = patterns[0].sub("", text) if found else text
        for pattern in patterns[1:]:
            found.extend(m.group(0) for m in pattern.finditer(rest))
    return found


def prepare(text: str) -> str:
    """A text ready for matching: tags (but block ones) removed, spaces unified, quotes straightened."""
    if "<" in text:
        text = _NON_TEXT_TAGS.sub("", text)
        text = _text._MULTI_SPACE.sub(" ", text).strip()
    text = text.replace("&nbsp;", " ").replace("\u2014", " ")
    text = _SPACES.sub(" ", text)
    return _text.normalize_quotes(text)


@dataclass(frozen=True)
class WordMatch:
    count: int
    position: int


def match_word(prepared: str, word: str) -> WordMatch:
    """Count and first position of a keyphrase word in a prepared text (yoastseo's matchTextWithWord)."""
    word = _text.normalize_quotes(word)
    found = _matches(prepared, word)
    if not found:
        return WordMatch(0, -1)
    positions = [prepared.find(_text._MULTI_SPACE.sub(" ", _text.remove_punctuation(m)).strip()) for m in found]
    return WordMatch(len(found), min(positions))


def token_matches(token: str, word: str, folded_word: str) -> bool:
    if folded_word not in match_key(token):
        return False
    return bool(_matches(token, word))


@dataclass(frozen=True)
class Keyphrase:
    """The keyphrase as the checks use it."""

    original: str
    #: Words to find: content words, or all words if there are only function words; for an
    #: exact-match keyphrase (in double quotes), the whole phrase as one item.
    words: tuple[str, ...]
    exact: bool
    only_function_words: bool

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(match_key(w) for w in self.words)


def is_double_quoted(keyphrase: str) -> bool:
    return len(keyphrase) >= 2 and keyphrase[0] in DOUBLE_QUOTES and keyphrase[-1] in DOUBLE_QUOTES


def keyphrase_words(text: str) -> list[str]:
    return _text.get_words(text, _text.WORD_BOUNDARY_WITH_HYPHEN)


def build_keyphrase(keyphrase: str) -> Keyphrase | None:
    original = keyphrase.strip()
    letters = re.sub(r"[‘’“”\"'.?!:;,¿¡«»&*@#±^%|~`\[\](){}⟨⟩<>/\\–\-\u2014\u00d7\u002b\s]", "", original)
    if not letters:
        return None
    lowered = original.lower()
    function_words = _french.function_words()
    if is_double_quoted(lowered):
        inner = lowered[1:-1].strip()
        if not inner:
            return None
        return Keyphrase(original, (_text.normalize_single(inner),), True, False)
    words = [_text.normalize_single(w) for w in _text.get_words(lowered, re.compile(r"[\s\u2013\-]"))]
    if not words:
        return None
    content = [w for w in words if w not in function_words]
    only_function = not content
    return Keyphrase(original, tuple(content or words), False, only_function)


def percent_found(keyphrase: Keyphrase, text: str) -> tuple[int, int, int]:
    """(words found, percentage of the keyphrase words found, first position) in a text."""
    prepared = prepare(text)
    found = 0
    positions = []
    for word in keyphrase.words:
        m = match_word(prepared, word)
        if m.count:
            found += 1
            positions.append(m.position)
    total = len(keyphrase.words)
    percent = math.floor(found / total * 100 + 0.5) if total else 0
    return found, percent, min((p for p in positions if p >= 0), default=-1)


def count_in_text(keyphrase: Keyphrase, text: str) -> int:
    """How many times the whole keyphrase occurs: the smallest count of its words (per call)."""
    prepared = prepare(text)
    return min((match_word(prepared, w).count for w in keyphrase.words), default=0)


def function_words() -> frozenset[str]:
    return _french.function_words()


def clear_cache() -> None:
    """Forget memoised keyphrase patterns."""
    _regexes.cache_clear()
