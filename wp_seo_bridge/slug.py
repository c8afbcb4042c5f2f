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
    is_taken: Callable[[str], bool] | None = None,
    stop_words: frozenset[str] = FRENCH_STOP_WORDS,
) -> str:
    """A slug from the model's ``suggestion``, made to follow the rules whatever it was.

    The keyphrase's content words come first unless the suggestion already holds them all;
    ``fallback`` (the title) fills a slug shorter than three words; ``is_taken`` (a lookup on
    the site) makes it unique by adding a word or a number.
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
    if is_taken is None or not is_taken(slug):
        return slug
    for word in extra:
        if len(words) < MAX_WORDS:
            candidate = "-".join([*words, word])
            if not is_taken(candidate):
                return candidate
    for number in range(2, 100):
        candidate = f"{'-'.join(words[: MAX_WORDS - 1])}-{number}"
        if not is_taken(candidate):
            return candidate
    return f"{slug}-{number + 1}"
