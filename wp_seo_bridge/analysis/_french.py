"""French word lists (``data/fr_*.txt``), loaded once."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line.lower().replace("’", "'"))
    return out


def _sections(name: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in _lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return sections


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    return frozenset(_lines("fr_function_words.txt"))


@lru_cache(maxsize=1)
def first_word_exceptions() -> frozenset[str]:
    return frozenset(_lines("fr_sentence_beginnings.txt"))


@lru_cache(maxsize=1)
def transition_words() -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """(single transition words and phrases as word tuples, two-part ones as pairs of word tuples)."""
    single: list[tuple[str, ...]] = []
    double: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for entry in dict.fromkeys(_lines("fr_transition_words.txt")):
        # Hyphens are tokens of their own in a sentence ("c'est", "-", "à", "-", "dire").
        entry = entry.replace("-", " - ")
        if "..." in entry:
            first, second = (part.strip() for part in entry.split("...", 1))
            double.append((tuple(first.split()), tuple(second.split())))
        else:
            single.append(tuple(entry.split()))
    return tuple(single), tuple(double)


@lru_cache(maxsize=1)
def passive() -> dict[str, frozenset[str]]:
    sections = _sections("fr_passive.txt")
    participles: set[str] = set()
    for base in sections["irregular_participles"]:
        participles.update((base, base + "e", base + "s", base + "es"))
    for base in sections["irregular_participles_s"]:
        participles.update((base, base + "e", base + "es"))
    participles.update(sections["irregular_participles_exact"])
    return {
        "auxiliaries": frozenset(sections["auxiliaries"]),
        "breakers": frozenset(sections["clause_breakers"]),
        "irregular_participles": frozenset(participles),
        "active_or_adjective": frozenset(sections["active_or_adjective"]),
        "nouns": frozenset(sections["nouns"]),
        "not_participles": frozenset(sections["not_participles"]),
        "cannot_directly_precede": frozenset(sections["cannot_directly_precede"]),
        "cannot_be_between": frozenset(sections["cannot_be_between"]),
    }


@lru_cache(maxsize=1)
def multiword_breakers() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(b.split()) for b in passive()["breakers"] if " " in b)

