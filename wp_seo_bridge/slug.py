"""Slugs: ASCII, lower case, hyphens, French stop words removed, 3 to 6 words, with the keyphrase."""

from __future__ import annotations

from collections.abc import Callable

from slugify import slugify

MIN_WORDS, MAX_WORDS = 3, 6

#: French function words left out of slugs (accents already folded, elisions split off).
FRENCH_STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette d dans de des du elle en et eux il ils je la le les leur leurs l lui ma mais me
    meme mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur ta te tes toi ton tu un
    une vos votre vous y c j m t est sont ont a etait etre avoir fait comme plus ne pas si sans sous entre vers chez
    """.split()
)


def slug_words(text: str) -> list[str]:
    """The words of ``text`` as a slug would have them: ASCII, lower case, elisions split (l’Ukraine)."""
    return slugify(text, replacements=[["’", " "], ["'", " "], ["ʼ", " "], ["œ", "oe"], ["Œ", "oe"]]).split("-") if text else []


def content_words(text: str, stop_words: frozenset[str] = FRENCH_STOP_WORDS) -> list[str]:
    return [word for word in slug_words(text) if word and word not in stop_words]


def make_slug(
    suggestion: str,
    keyphrase: str,
    fallback: str = "",
    *,
    taken: Callable[[list[str]], set[str]] | None = None,
    stop_words: frozenset[str] = FRENCH_STOP_WORDS,
) -> str:
    """A slug from the model's ``suggestion``, made to follow the rules whatever it was.

    The keyphrase's content words come first unless the suggestion already holds them all;
    ``fallback`` (the title) fills a slug shorter than three words. A lookup on the site makes
    it unique by adding a word or a number: ``taken`` tells which of some candidates are taken,
    in one request (the candidates are made first, the first free one wins); without it the
    slug is returned as it is.
    """
    key_words = content_words(keyphrase, stop_words)
    words = content_words(suggestion, stop_words)
    if not all(word in words for word in key_words):
        words = key_words + [word for word in words if word not in key_words]
    words = list(dict.fromkeys(words))
    extra = [word for word in content_words(fallback, stop_words) if word not in words]
    while len(words) < MIN_WORDS and extra:
        words.append(extra.pop(0))
    words = words[: max(MAX_WORDS, len(key_words))]
    slug = "-".join(words)
    candidates = _candidates(slug, words, extra)
    if taken is None:
        return slug
    # Most slugs are free: the first batch is the slug, its longer forms and the first numbers.
    batches = [candidates[:FIRST_BATCH]] + [
        candidates[start : start + BATCH] for start in range(FIRST_BATCH, len(candidates), BATCH)
    ]
    for batch in batches:
        used = taken(batch)
        free = next((candidate for candidate in batch if candidate not in used), None)
        if free is not None:
            return free
    return f"{slug}-{LAST_NUMBER + 1}"


#: Numbered forms go from -2 to this; the first lookup covers the slug, its longer forms and -2 to -9.
LAST_NUMBER = 99
FIRST_BATCH = 12
#: Later lookups, if ever needed, ask for this many candidates at a time (the URL stays short).
BATCH = 40


def _candidates(slug: str, words: list[str], extra: list[str]) -> list[str]:
    """The slug, then with one more word of the title (while under six words), then numbered."""
    candidates = [slug]
    if len(words) < MAX_WORDS:
        candidates += ["-".join([*words, word]) for word in extra]
    stem = "-".join(words[: MAX_WORDS - 1])
    candidates += [f"{stem}-{number}" for number in range(2, LAST_NUMBER + 1)]
    return list(dict.fromkeys(candidates))
