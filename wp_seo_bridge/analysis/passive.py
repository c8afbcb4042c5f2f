"""French passive voice, periphrastic: a form of "être" and a past participle in the same clause.

The approach is yoastseo's for French:

1. A sentence is cut into clauses at commas, at conjunctions and relative pronouns, and at each
   form of "être". A form of "être" right after a reflexive pronoun ("se sont", "nous nous
   sommes"), in "c'est" or "s'est", or right before "le", "la", "les", "une", "l'un", "l'une"
   does not count.
2. In a clause that starts with a form of "être", a word is a past participle when it ends in
   -é, -ée, -és, -ées or is an irregular participle (vendu, pris, fait, ouvert, peint...).
3. It does not count when it belongs to a verb conjugated with "être" in the active voice
   ("elle est venue", "ils sont partis", "il est né"; and nothing after such a participle counts:
   "il est apparu calibré"), after a form of "avoir" ("n'est pas, a voulu"), when it is a noun or an adjective that
   only looks like a participle ("la société", "une idée", "âgé"), when an article, a determiner
   or a preposition stands right before it, or when such a word stands between "être" and it
   ("sont des employés", "est à côté").
"""

from __future__ import annotations

import re

from . import _french, text as _text

_WORD = re.compile(r"\S+")
_ELISION = re.compile(r"^(n|j|d|qu|m|t|l)'(.+)$")
_REFLEXIVE_SINGLE = frozenset(["se", "me", "te", "s'y", "m'y", "t'y"])
_FOLLOWING_EXCEPTIONS = frozenset(["le", "la", "les", "une", "l'un", "l'une"])
_REGULAR = re.compile(r"\S(é|ée|és|ées)$")


def _strip_edges(word: str) -> str:
    return _text.remove_punctuation(word)


def _is_auxiliary(word: str, auxiliaries: frozenset[str]) -> bool:
    if word in auxiliaries:
        return True
    if word.startswith(("c'", "s'")) or word.startswith("peut-"):
        # "c'est", "s'est" (pronominal), "peut-être": not passive auxiliaries ("c'était" is).
        return word.startswith("c'") and word[2:] in auxiliaries and not word[2:].startswith("est")
    m = _ELISION.match(word)
    return bool(m) and m.group(2) in auxiliaries


def is_passive(sentence: str) -> bool:
    """Whether a sentence (plain text) contains a passive clause."""
    data = _french.passive()
    auxiliaries = data["auxiliaries"]
    text = _text.normalize_single(sentence.lower())
    if not any(a in text for a in ("êt", "ét", "es", "so", "se", "fu", "fû", "été")):
        return False
    # Words with their positions; commas (followed by a space or a quote) break clauses.
    raw = [(m.group(0), m.start()) for m in _WORD.finditer(text)]
    words: list[str] = []
    comma_after: list[bool] = []
    for token, _ in raw:
        word = _strip_edges(token)
        words.append(word)
        comma_after.append(token.endswith(",") or token.endswith(",»") or token.endswith(",\""))
    n = len(words)
    if not n:
        return False
    aux_positions = [i for i, w in enumerate(words) if w and _is_auxiliary(w, auxiliaries)]
    if not aux_positions:
        return False
    # A reflexive pronoun right before makes the verb pronominal.
    kept = []
    for i in aux_positions:
        prev = words[i - 1] if i > 0 else ""
        prev2 = words[i - 2] if i > 1 else ""
        if prev in _REFLEXIVE_SINGLE or (prev in ("nous", "vous") and prev2 == prev):
            continue
        kept.append(i)
    if not kept:
        return False
    breakers = set(kept)
    single_breakers = data["breakers"]
    for i, w in enumerate(words):
        if w in single_breakers:
            breakers.add(i)
        if comma_after[i] and i + 1 < n:
            breakers.add(i + 1)
    for phrase in _french.multiword_breakers():
        size = len(phrase)
        for i in range(n - size + 1):
            if tuple(words[i:i + size]) == phrase:
                breakers.add(i)
    starts = sorted(breakers)
    for k, start in enumerate(starts):
        if start not in kept:
            continue
        end = starts[k + 1] if k + 1 < len(starts) else n
        following = words[start + 1] if start + 1 < n else ""
        if following in _FOLLOWING_EXCEPTIONS:
            continue
        if _clause_is_passive(words[start:end], data):
            return True
    return False


def _clause_is_passive(clause: list[str], data: dict[str, frozenset[str]]) -> bool:
    between = data["cannot_be_between"]
    directly = data["cannot_directly_precede"]
    for index, word in enumerate(clause):
        if not word:
            continue
        if _on_list(word, data["active_or_adjective"], ("es", "e", "s")):
            if index > 0 and word != "été":
                # "est apparu soigneusement calibré": être goes with the active verb.
                return False
            continue
        if not _is_participle(word, data):
            continue
        if word.startswith(("l'", "d'")) or word in data["not_participles"]:
            continue
        if _on_list(word, data["nouns"], ("s",)):
            continue
        first = clause.index(word)
        if first >= 1 and clause[first - 1] in directly:
            continue
        if any(w in between for w in clause[:first]):
            continue
        return True
    return False


def _is_participle(word: str, data: dict[str, frozenset[str]]) -> bool:
    return bool(_REGULAR.search(word)) or word in data["irregular_participles"]


def _on_list(word: str, words: frozenset[str], endings: tuple[str, ...]) -> bool:
    if word in words:
        return True
    for ending in endings:
        if word.endswith(ending):
            return word[: -len(ending)] in words
    return False
