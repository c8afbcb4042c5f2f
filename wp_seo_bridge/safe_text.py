"""Control characters and terminal escapes in text from authors, sites and models.

A title such as ``ESC[2J`` (clear the screen), ``ESC]0;...BEL`` (set the terminal's title), a BEL or
a NUL is never written back to WordPress and never reaches a terminal as is:

- :func:`text_for_wordpress` is applied to everything the bridge writes to a post (title,
  content, excerpt, slug, meta fields, its record): escape sequences, C0/C1 control characters and
  the invisible format characters that change how text is displayed (bidirectional overrides,
  embeddings and isolates, which can show a title reversed; zero-width spaces; direction marks;
  the byte-order mark) are removed; tab and line feed are kept in multi-line text (the content)
  and become spaces elsewhere. The zero-width joiner and non-joiner stay inside words, where
  Persian, Hindi and other scripts need them.
- :func:`text_for_terminal` is applied to everything printed that did not come from the bridge
  itself: control and invisible format characters are shown escaped (``\\x1b``, ``\\u202e``),
  and rich markup (``[bold]``, ``[link=...]``) is shown literally.
"""

from __future__ import annotations

import logging
import re

#: Escape sequences (ESC or their C1 forms): CSI (``ESC [ ... final``), OSC/DCS/PM/APC strings (up to BEL or ``ESC \``),
#: and two-character escapes.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x9c|\x1b\\)?"
    r"|\x1b[ -~]?"
)
#: C0 controls, DEL, C1 controls, and lone surrogates (bytes that were not UTF-8).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
#: Invisible format characters that change what a reader sees: the bidirectional embeddings, overrides and
#: isolates (U+202A-202E, U+2066-2069: they can show a title reversed), the left-to-right, right-to-left and
#: Arabic letter marks, the zero-width space and the byte-order mark (zero-width no-break space). The zero-width
#: non-joiner and joiner (U+200C, U+200D) are part of words in Persian, Hindi and other scripts (and of emoji
#: sequences): they are kept between two visible characters, and removed anywhere else.
_INVISIBLE = re.compile(
    r"[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|(?<!\S)[\u200c\u200d]+|[\u200c\u200d]+(?!\S)"
)
#: What a terminal must never get raw: controls, invisible format characters, and line and paragraph separators.
_SHOWN_ESCAPED = re.compile(f"{_CONTROL.pattern}|{_INVISIBLE.pattern}|[\u2028\u2029]")


def text_for_wordpress(text: str, *, multiline: bool = False) -> str:
    """``text`` without escape sequences, control characters or invisible format characters, ready to be
    written to a post.

    ``multiline`` (the content) keeps tabs and line feeds (other line breaks become line feeds);
    otherwise (a title, a slug, a meta field) every line break or tab becomes a space.
    """
    text = _ESCAPE_SEQUENCE.sub("", text)
    if multiline:
        text = _LINE_BREAKS.sub("\n", text)
        text = _CONTROL.sub(lambda match: match.group(0) if match.group(0) in "\t\n" else "", text)
    else:
        text = _LINE_BREAKS.sub(" ", text)
        text = _CONTROL.sub(lambda match: " " if match.group(0) in "\t\n" else "", text)
    while True:  # a joiner left at a word's edge by what was removed goes too
        cleaned = _INVISIBLE.sub("", text)
        if cleaned == text:
            return cleaned
        text = cleaned


def escape_controls(text: str, *, multiline: bool = False) -> str:
    """``text`` with each control or invisible format character shown as an escape (``\\x1b``, ``\\u009b``,
    ``\\u202e``, ``\\udce9``).

    ``multiline`` keeps line feeds (and tabs) as they are.
    """

    def shown(char: str) -> str:
        if multiline and char in "\t\n":
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _SHOWN_ESCAPED.sub(lambda match: "".join(shown(char) for char in match.group(0)), str(text))


def text_for_terminal(text: object, *, multiline: bool = False) -> str:
    """``text`` ready for rich to print: control characters escaped, rich markup shown literally."""
    from rich.markup import escape

    return escape(escape_controls(str(text), multiline=multiline))


class EscapedControlsFilter(logging.Filter):
    """A logging filter that shows the control characters of a record's message escaped.

    Put it on a handler that writes to a terminal: log messages may quote a draft or a site's answer.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = escape_controls(message, multiline=True)
        if escaped != message:
            record.msg, record.args = escaped, ()
        return True
