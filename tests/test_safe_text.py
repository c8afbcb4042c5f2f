"""Control characters and terminal escapes: removed from what is written, escaped in what is printed."""

from __future__ import annotations

import io
import logging

import pytest
from rich.console import Console

from wp_seo_bridge.safe_text import EscapedControlsFilter, escape_controls, text_for_terminal, text_for_wordpress

#: (hostile text, as written to a single-line field, as written to the content)
WRITTEN = [
    ("Titre\x1b[2J clair", "Titre clair", "Titre clair"),
    ("\x1b]0;pwned\x07Titre", "Titre", "Titre"),
    ("\x1b]8;;https://evil.test\x1b\\lien\x1b]8;;\x1b\\", "lien", "lien"),
    ("a\x07b\x00c\x7fd", "abcd", "abcd"),
    ("C1\x9b31m csi\x9d0;t\x9c ok\x85fin", "C1 csi ok fin", "C1 csi ok\nfin"),
    ("ligne\r\nune\ttab\x0bvt", "ligne une tab vt", "ligne\nune\ttab\nvt"),
    ("caf\udce9", "caf", "caf"),
    ("Pékin & Moscou : « l’été »", "Pékin & Moscou : « l’été »", "Pékin & Moscou : « l’été »"),
]


@pytest.mark.parametrize(("text", "single", "multi"), WRITTEN)
def test_text_for_wordpress(text, single, multi):
    assert text_for_wordpress(text) == single
    assert text_for_wordpress(text, multiline=True) == multi


@pytest.mark.parametrize("text", [w[0] for w in WRITTEN] + ["[bold]x[/bold] [link=https://evil.test]y[/link]"])
def test_text_for_terminal_prints_literally_and_safely(text):
    console = Console(file=io.StringIO(), width=300, color_system=None, force_terminal=True)
    console.print(text_for_terminal(text), highlight=False)
    printed = console.file.getvalue()
    assert "\x1b" not in printed and "\x07" not in printed and "\x00" not in printed and "\x9b" not in printed
    expected = escape_controls(text)
    # rich doubles a final backslash (so that markup written after it is not escaped)
    assert printed.rstrip("\n") in (expected, expected + "\\")


def test_escape_controls_shows_each_character():
    assert escape_controls("a\x1b[2Jb\x07\x9b\udce9") == "a\\x1b[2Jb\\x07\\x9b\\udce9"
    assert escape_controls("un\ndeux\tx", multiline=True) == "un\ndeux\tx"


def test_the_logging_filter_escapes_controls():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "Titre %s", ("\x1b[2Jeffacé",), None)
    EscapedControlsFilter().filter(record)
    assert record.getMessage() == "Titre \\x1b[2Jeffacé"
