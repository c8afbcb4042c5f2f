"""Flesch reading ease for French (Kandel & Moles), an insight only (no traffic light).

    207 - 1.015 x (words / sentences) - 73.6 x (syllables / words)

Syllables are counted on the written word: groups of vowels, minus a silent final "e" or "es"
after a consonant, plus a syllable for a hiatus after "é" ("réel", "géant", "théâtre").
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

_VOWEL_GROUPS = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]+")
_LETTERS = re.compile(r"[^a-zàâäéèêëîïôöùûüÿœæç]")
_HIATUS = re.compile(r"[éè](?=[aeiouàâäéèêëîïôöùûü])")
_SILENT_END = re.compile(r"[^aeiouyàâäéèêëîïôöùûüÿœæ](e|es)$")
_NUMBER = re.compile(r"\b[0-9]+\b")


@lru_cache(maxsize=16384)
def syllables(word: str) -> int:
    word = _LETTERS.sub("", word.lower())
    if not word:
        return 0
    count = len(_VOWEL_GROUPS.findall(word))
    count += len(_HIATUS.findall(word))
    if count > 1 and _SILENT_END.search(word):
        count -= 1
    return max(count, 1)


def reading_ease(words: list[str], sentence_count: int) -> float:
    """The score, 0 to 100, one decimal; -1 when the text is too short (10 words or fewer)."""
    words = [w for w in words if not _NUMBER.fullmatch(w)]
    if sentence_count < 1 or len(words) <= 10:
        return -1.0
    total = sum(syllables(w) for w in words)
    score = 207 - 1.015 * len(words) / sentence_count - 73.6 * total / len(words)
    score = min(100.0, max(0.0, score))
    return math.floor(score * 10 + 0.5) / 10


def difficulty(score: float) -> str:
    if score < 0:
        return "no data"
    for border, label in ((90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "okay"),
                          (50, "fairly difficult"), (30, "difficult")):
        if score >= border:
            return label
    return "very difficult"
