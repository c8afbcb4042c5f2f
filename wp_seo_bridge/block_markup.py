"""Gutenberg block markup (``<!-- wp:paragraph -->...``) read into text blocks and kept elements.

Paragraphs, headings, lists and quotes are text; layout containers holding text (Group, Columns,
Cover, Details, Media & Text) are gone into (:mod:`.containers`); every other block (images,
galleries, embeds, tables, code, shortcodes, Custom HTML, reusable and third-party blocks) is kept
with its block comment and attributes. Freeform HTML between blocks is read as classic content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from . import containers, shortcodes
from .block_attributes import BLOCK_DELIMITER
from .classic_markup import lift_executables, parse_classic
from .document import Block
from .draft_markup import Origin
from .elements import ParseState, append, text_from_element

_PARAGRAPH_TAGS = re.compile(r"</?p\b[^>]*>", re.I)
_TEXT_BLOCKS = {"core/paragraph", "core/heading", "core/list", "core/quote"}
_ORIGINS: dict[str, Origin] = {"core/html": "html", "core/embed": "embed", "core/shortcode": "shortcode"}


def parse_blocks(
    content: str, state: ParseState, *, freeform: Callable[[str, ParseState], list[Block]] | None = None
) -> list[Block]:
    """Top-level Gutenberg blocks; freeform HTML between them is read as classic content, or by ``freeform``
    (a container's own markup around its inner blocks)."""
    freeform = freeform or _classic
    blocks: list[Block] = []
    depth, start, cursor = 0, 0, 0
    opener: re.Match[str] | None = None
    for match in BLOCK_DELIMITER.finditer(content):
        if depth == 0:
            between = content[cursor : match.start()]
            if between.strip():
                blocks += freeform(between, state)
        if match.group("closer"):
            if depth == 0:
                continue  # a stray closer: left in the text between blocks
            depth -= 1
            if depth == 0 and opener is not None:
                blocks += _top_level_block(content[start : match.end()], opener, content[opener.end() : match.start()], state)
                cursor = match.end()
        elif match.group("void"):
            if depth == 0:
                append(blocks, state.keep(match.group(0), label(match.group("name")), "block"))
                cursor = match.end()
        else:
            if depth == 0:
                start, opener = match.start(), match
            depth += 1
    if depth > 0:
        # An unclosed block: keep everything from it on.
        append(blocks, state.keep(content[start:], "unclosed block", "block"))
    elif content[cursor:].strip():
        blocks += freeform(content[cursor:], state)
    return blocks


def _classic(html: str, state: ParseState) -> list[Block]:
    return parse_classic(html, state, plain=False)


def label(name: str) -> str:
    return ("core/" + name if "/" not in name else name).removeprefix("core/").replace("-", " ")


def _full_name(name: str) -> str:
    return name if "/" in name else f"core/{name}"


def _top_level_block(markup: str, opener: re.Match[str], inner: str, state: ParseState) -> list[Block]:
    name = _full_name(opener.group("name"))
    attrs = _attrs(opener.group("attrs"))
    if name in _TEXT_BLOCKS and attrs is not None:
        level = attrs.get("level")
        # A script or <base> beside the paragraph goes (reported): the paragraph stays text.
        text, lifted = lift_executables(BLOCK_DELIMITER.sub("", inner))
        found = text_from_element(text, state, heading_level=level if isinstance(level, int) else None)
        if found is not None:
            state.removed += lifted
            return found
        if name == "core/list":
            found = containers.flat_list(BLOCK_DELIMITER.sub("", inner), state)
            if found is not None:
                return found
    found = containers.go_into_block(name, opener.group(0), inner, state)
    if found is None and name == "core/html":
        found = containers.html_block_with_prose(markup, inner, state)
    if found is not None:
        return found
    origin: Origin = _ORIGINS.get(name, "embed" if name.startswith("core-embed/") else "block")
    placeholder = state.keep(markup, _kept_label(name, inner), origin)
    return [placeholder] if placeholder is not None else []


def _kept_label(name: str, inner: str) -> str:
    """How the model and the repair requests name a kept block: "gallery", "shortcode [gallery]", "image"."""
    if name in _TEXT_BLOCKS | {"core/shortcode"} and shortcodes.only_shortcodes(_PARAGRAPH_TAGS.sub("", inner)):
        return shortcodes.label(inner)
    if name in _TEXT_BLOCKS and re.search(r"<(img|picture|svg)\b", inner, re.I):
        return "image"
    return label(name)


def _attrs(raw: str | None) -> dict | None:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
