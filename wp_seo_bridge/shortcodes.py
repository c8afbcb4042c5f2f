"""WordPress shortcodes, recognised by WordPress's own grammar for any name.

:data:`SHORTCODE` ports the regular expression of ``get_shortcode_regex()``
(wp-includes/shortcodes.php) with the tag-name alternation replaced by the characters
``add_shortcode()`` accepts in a name, so that no list of registered shortcodes is needed:
``[gallery ids="1,2"]``, ``[caption …]<img …> Légende[/caption]``, ``[embed]…[/embed]``,
``[footnote]…[/footnote]`` and the escaped form ``[[tag]]`` are all found.

A shortcode is never shown to the model as text. One alone in a paragraph is a kept element.
One inside a sentence travels as a token, ``[[SC-1]]``, that the model must copy exactly once;
:func:`restore` puts the shortcode back in its place. Tokens are only ever read in text, never
inside a tag, so a shortcode cannot be put back inside an attribute.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

#: A shortcode name: what ``add_shortcode()`` accepts (no space, control character or ``<>&/[]=``).
_NAME = r"[^<>&/\[\]\x00-\x20=]++"

#: ``get_shortcode_regex()`` for any name. Groups: 1 ``[`` of an escaped shortcode, 2 the name,
#: 3 the attributes, 4 ``/`` when self-closing, 5 the enclosed content, 6 ``]`` of an escaped shortcode.
SHORTCODE = re.compile(
    r"\[(\[?)"
    rf"({_NAME})"
    r"(?![\w-])"
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"
    r"(\]?)"
)

#: A token standing for a shortcode inside a sentence.
TOKEN = re.compile(r"\[\[(SC-\d+)\]\]")
#: What a model may write when it mangles a token: ``[SC-1]``, ``[[ SC-1 ]``, ``[[SC-1]]]``.
MANGLED_TOKEN = re.compile(r"\[+\s*(SC-\d+)\s*\]+")
#: A whole tag, its quoted attribute values included (they may hold ``>``).
_TAG = re.compile(r"<[a-zA-Z/!?](?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_SPACE = re.compile(r"(?:\s|&nbsp;|&#160;|\u00a0|<br\s*/?>)+", re.I)


def token(ref: str) -> str:
    return f"[[{ref}]]"


def name_of(shortcode: str) -> str:
    match = SHORTCODE.search(shortcode)
    return match.group(2) if match else ""


def label(shortcode: str) -> str:
    """How a person names it: ``shortcode [gallery]``."""
    return f"shortcode [{name_of(shortcode)}]"


def only_shortcodes(text: str) -> bool:
    """True when ``text`` (markup) is one or more shortcodes and nothing else but spaces."""
    if "[" not in text:
        return False
    rest, found = SHORTCODE.subn("", text)
    return found > 0 and not _SPACE.sub("", rest)


def in_text(pattern: re.Pattern[str], html: str) -> list[re.Match[str]]:
    """Matches of ``pattern`` that start in the text of ``html``, not inside a tag."""
    spans = [m.span() for m in _TAG.finditer(html)] if "<" in html else []
    found: list[re.Match[str]] = []
    position = 0
    while (match := pattern.search(html, position)) is not None:
        tag_end = next((end for start, end in spans if start < match.start() < end), None)
        if tag_end is None:
            found.append(match)
            position = max(match.end(), match.start() + 1)
        else:
            position = tag_end  # what starts inside a tag is part of it: look again after it
    return found


def protect(html: str, register: Callable[[str], str]) -> str:
    """``html`` with each shortcode in its text replaced by the token of ``register(shortcode)``."""
    if "[" not in html:
        return html
    parts, cursor = [], 0
    for match in in_text(SHORTCODE, html):
        parts += [html[cursor : match.start()], token(register(match.group(0)))]
        cursor = match.end()
    return "".join(parts) + html[cursor:] if parts else html


def restore(html: str, shortcodes: Mapping[str, str]) -> str:
    """``html`` with every known token in its text replaced by the shortcode it stands for."""
    if "[[" not in html or not shortcodes:
        return html
    parts, cursor = [], 0
    for match in in_text(TOKEN, html):
        if match.group(1) in shortcodes:
            parts += [html[cursor : match.start()], shortcodes[match.group(1)]]
            cursor = match.end()
    return "".join(parts) + html[cursor:] if parts else html


def without_tokens(text: str) -> str:
    return TOKEN.sub(" ", text) if "[[" in text else text
