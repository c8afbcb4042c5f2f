"""The language guard: the article is written in the configured language, all of it.

Detection is offline, with ``py3langid`` (a maintained fork of langid.py: a naive Bayes model over
byte n-grams, 4.6 MB, shipped inside the wheel; nothing is downloaded at run time). Candidates are
limited to widely used languages, which keeps short texts from being taken for Occitan or Walloon.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from ..article import Article
from ..content import count_words
from ._common import Finding, Unit, article_units, normalize_spaces

log = logging.getLogger(__name__)

#: Languages a text may be detected as (ISO 639-1); the expected language is always added.
CANDIDATES: tuple[str, ...] = (
    "fr", "en", "es", "de", "it", "pt", "nl", "pl", "sv", "da", "no", "fi", "is", "ro", "cs", "sk", "hu",
    "el", "ru", "uk", "bg", "sr", "hr", "bs", "sl", "mk", "sq", "lt", "lv", "et", "tr", "ar", "he", "fa",
    "hi", "zh", "ja", "ko", "vi", "id", "ms", "th", "ca", "gl", "eu", "cy", "ga",
)
_ALIASES = {"nb": "no", "nn": "no"}
_NAMES = {
    "fr": "French", "en": "English", "es": "Spanish", "de": "German", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish",
    "is": "Icelandic", "ro": "Romanian", "cs": "Czech", "sk": "Slovak", "hu": "Hungarian", "el": "Greek",
    "ru": "Russian", "uk": "Ukrainian", "bg": "Bulgarian", "sr": "Serbian", "hr": "Croatian", "bs": "Bosnian",
    "sl": "Slovenian", "mk": "Macedonian", "sq": "Albanian", "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian",
    "tr": "Turkish", "ar": "Arabic", "he": "Hebrew", "fa": "Persian", "hi": "Hindi", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "id": "Indonesian", "ms": "Malay", "th": "Thai",
    "ca": "Catalan", "gl": "Galician", "eu": "Basque", "cy": "Welsh", "ga": "Irish",
}


def language_name(code: str) -> str:
    return _NAMES.get(code, code)

#: A paragraph (or a run of sentences) of this many words in another language is reported.
PASSAGE_WORDS = 25
#: The title fields are checked when they have at least this many words.
FIELD_WORDS = 6
#: The body is checked when it has at least this many words.
BODY_WORDS = 20

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_NOISE = re.compile(r"\[\[[A-Z]+-\d+\]\]|[\d%€$£¥«»“”„\"()\[\]*_#|]+")
_INNER_CAPITAL = re.compile(r"(?<=[\w,;’'] )[A-ZÀ-ÖØ-Þ][\w’'-]*")
_SENTENCE = re.compile(r"(?<=[.!?…])[»”\"]?\s+(?=[«“\"(]?\s?[A-ZÀ-ÖØ-Þ0-9])")


def _code(language: str) -> str:
    code = language.strip().replace("_", "-").split("-")[0].lower()
    return _ALIASES.get(code, code)


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    from py3langid import langid

    load = getattr(langid.LanguageIdentifier, "from_model_file", None) or langid.LanguageIdentifier.from_pickled_model
    identifier = load(langid.MODEL_FILE, norm_probs=True)
    identifier.set_languages([lang for lang in languages if lang in set(identifier.labels)])
    return identifier


def _candidates(extra: str | None = None) -> tuple[str, ...]:
    if extra and extra not in CANDIDATES:
        return (*CANDIDATES, extra)
    return CANDIDATES


def _prepare(text: str) -> str:
    text = normalize_spaces(_URL.sub(" ", text))
    return " ".join(_NOISE.sub(" ", text).split())


def language_scores(text: str, *, expected: str | None = None) -> dict[str, float]:
    """Probability of each candidate language for ``text`` (empty when the text has no letters)."""
    text = _prepare(text)
    if not any(ch.isalpha() for ch in text):
        return {}
    return dict(_identifier(_candidates(expected)).rank(text))


def detect_language(text: str) -> str:
    """The language of ``text`` as an ISO 639-1 code ("fr", "en"), offline; "" for a text without letters.

    Short texts (a few words) are guesses; the guard only acts on longer ones.
    """
    scores = language_scores(text)
    return max(scores, key=scores.__getitem__) if scores else ""


def _without_names(text: str) -> str:
    """The text without capitalised words inside sentences: names ("Joe Biden", "Xi Jinping") are in no language."""
    return _INNER_CAPITAL.sub(" ", text)


def _foreign(text: str, expected: str, *, confidence: float, ceiling: float) -> str | None:
    """The other language ``text`` is clearly in, or None."""
    scores = language_scores(_without_names(text), expected=expected)
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    if best != expected and scores[best] >= confidence and scores.get(expected, 0.0) <= ceiling:
        return best
    return None


def _finding(language: str, expected: str, where: str, what: str) -> Finding:
    return Finding(
        "language",
        language,
        where,
        f"{what} is in {language_name(language)} ({language}), not {language_name(expected)}: "
        f"write it in {language_name(expected)}.",
    )


def _passages(units: list[Unit]) -> list[tuple[str, str]]:
    """(where, text) of the body passages: paragraphs and quotes, and each list as a whole."""
    passages: list[tuple[str, str]] = []
    lists: dict[str, list[str]] = {}
    for unit in units:
        if unit.kind in ("paragraph", "quote"):
            passages.append((unit.where, unit.text))
        elif unit.kind == "item":
            where = unit.where.rsplit(", item ", 1)[0]
            if where not in lists:
                lists[where] = []
                passages.append((where, ""))
            lists[where].append(unit.text)
    return [(where, text or " ".join(lists.get(where, ()))) for where, text in passages]


def detectable(language: str) -> bool:
    """Whether the detector can tell ``language`` (an ISO 639-1 code, with or without a region)."""
    code = _code(language)
    return code in set(_identifier(_candidates(code)).labels)


def check_language(article: Article, expected: str) -> list[Finding]:
    """Where ``article`` is not in the ``expected`` language (ISO 639-1): its body, its title fields, long passages."""
    expected = _code(expected)
    if expected not in set(_identifier(_candidates(expected)).labels):
        log.warning("Cannot check the language %r: the detector does not know it.", expected)
        return []
    units = article_units(article)
    findings: list[Finding] = []
    body_units = [u for u in units if u.kind in ("heading", "paragraph", "item", "quote")]
    body = "\n".join(u.text for u in body_units)
    body_flagged = False
    if count_words(body) >= BODY_WORDS:
        language = _foreign(body, expected, confidence=0.5, ceiling=0.3)
        if language:
            body_flagged = True
            findings.append(_finding(language, expected, "article body", "The article body"))

    for unit in units:
        if unit.kind in ("title", "seo_title", "meta_description", "excerpt") and count_words(unit.text) >= FIELD_WORDS:
            language = _foreign(unit.text, expected, confidence=0.8, ceiling=0.1)
            if language:
                findings.append(_finding(language, expected, unit.where, f"The {unit.where}"))

    if body_flagged:
        return findings  # the whole body is to be rewritten: no need to list its paragraphs
    for where, text in _passages(body_units):
        if count_words(text) >= PASSAGE_WORDS:
            language = _foreign(text, expected, confidence=0.7, ceiling=0.2)
            if language:
                findings.append(_finding(language, expected, where, f"The text of {where}"))
                continue
        # A run of sentences in another language inside a paragraph of the expected one.
        run_words, run_language = 0, None
        for sentence in _SENTENCE.split(text):
            words = count_words(sentence)
            language = _foreign(sentence, expected, confidence=0.7, ceiling=0.2) if words >= 6 else None
            if language:
                run_words += words
                run_language = run_language or language
            else:
                run_words, run_language = 0, None
            if run_language and run_words >= PASSAGE_WORDS:
                findings.append(_finding(run_language, expected, where, f"A passage of {where}"))
                break
    return findings
