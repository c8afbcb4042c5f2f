"""The editor's focus keyphrase and the post's tags, as they reach the model: checked data, never instructions.

A post's author sets both (a Contributor can set them on their own draft), so they are treated
like the draft's text: they travel inside the delimited data block, never in the system message,
and only once checked:

- a **keyphrase** is imposed only if it reads as one: 2 to 6 words, at most 100 characters, no
  line break, control character or quotation mark. Otherwise it is ignored, with a notice, and
  the model chooses the keyphrase from the draft;
- a **tag** guides the model's choice only if it passes the same check with 1 to 6 words (a tag
  guides, it is not imposed: "Chine" is a good tag). At most 20 tags are passed on.

Words are letters and digits, joined inside a word by an apostrophe, a hyphen or a dot (``l'aide``,
``covid-19``, ``web 3.0``); a lone ``&`` may stand between words (``Pékin & Moscou``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MIN_WORDS, MAX_WORDS = 2, 6
MAX_LENGTH = 100
MAX_TAGS = 20

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_QUOTES = frozenset('"«»“”„‟‹›`´')
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def keyphrase_problem(value: str, *, min_words: int = MIN_WORDS) -> str | None:
    """What keeps ``value`` from being a keyphrase, or None when it is one."""
    if len(value) > MAX_LENGTH:
        return f"it is longer than {MAX_LENGTH} characters"
    if any(char in _LINE_BREAKS for char in value):
        return "it contains a line break"
    if _CONTROL.search(value):
        return "it contains control characters"
    if any(char in _QUOTES for char in value):
        return "it contains quotation marks"
    tokens = value.split()
    if any(token != "&" and not _WORD.fullmatch(token) for token in tokens):
        return "it contains something other than words"
    words = sum(token != "&" for token in tokens)
    if not min_words <= words <= MAX_WORDS:
        span = f"{min_words} to {MAX_WORDS}" if min_words != MAX_WORDS else str(MAX_WORDS)
        return f"it has {words} word{'s' if words != 1 else ''}, not {span}"
    return None


def usable_keyphrase(value: str | None) -> str | None:
    """``value`` with its spaces tidied if it is a keyphrase; None if it is missing or is not one."""
    if not value or not value.strip() or keyphrase_problem(value.strip()) is not None:
        return None
    return " ".join(value.split())


@dataclass(frozen=True)
class EditorGuidance:
    """What the model is given about the keyphrase, and what was left out and why."""

    #: The editor's keyphrase, imposed on the article; None when there is none or it was ignored.
    keyphrase: str | None = None
    #: Tags that guide the model's choice (only without a usable keyphrase).
    tags: tuple[str, ...] = ()
    #: Sentences for the person running the bridge: what was ignored and why.
    notices: tuple[str, ...] = ()


def editor_guidance(keyphrase: str | None, tags: Sequence[str] = ()) -> EditorGuidance:
    """Check the post's keyphrase and tags; what fails the check is left out, with a notice."""
    notices: list[str] = []
    usable = usable_keyphrase(keyphrase)
    if keyphrase and keyphrase.strip() and usable is None:
        notices.append(
            f"The focus keyphrase set on the post ({_excerpt(keyphrase)!r}) was ignored: "
            f"{keyphrase_problem(keyphrase.strip())}. The model chose the keyphrase; to impose one, set a "
            f"keyphrase of {MIN_WORDS} to {MAX_WORDS} words without quotes or line breaks."
        )
    if usable is not None:
        return EditorGuidance(keyphrase=usable, notices=tuple(notices))
    kept: list[str] = []
    left_out: list[str] = []
    for tag in tags:
        if not tag or not tag.strip():
            continue
        if keyphrase_problem(tag.strip(), min_words=1) is None and len(kept) < MAX_TAGS:
            kept.append(" ".join(tag.split()))
        else:
            left_out.append(tag)
    if left_out:
        shown = ", ".join(repr(_excerpt(tag)) for tag in left_out[:5]) + (", ..." if len(left_out) > 5 else "")
        notices.append(
            f"{len(left_out)} of the post's tags did not guide the keyphrase (a tag guides it when it has 1 to "
            f"{MAX_WORDS} words, without quotes or line breaks; at most {MAX_TAGS} tags): {shown}."
        )
    return EditorGuidance(tags=tuple(dict.fromkeys(kept)), notices=tuple(notices))


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
