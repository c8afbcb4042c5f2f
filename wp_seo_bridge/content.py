"""The content model: a post's body as text blocks (for the model) and kept elements (put back as they are).

``parse()`` reads ``post_content`` in any of the forms WordPress stores:

- **blocks**: Gutenberg block markup (``<!-- wp:paragraph -->...``, :mod:`.block_markup`);
- **classic**: HTML from the classic editor (blank lines separate paragraphs, as ``wpautop`` reads
  them, :mod:`.classic_markup`);
- **plain**: plain text, one paragraph per line (pasted articles such as the seed drafts).

Paragraphs, headings, simple lists and quotes become :class:`TextBlock` s; shortcodes inside
their sentences become tokens (:mod:`.shortcodes`), and inline images become kept elements of
their own (:mod:`.elements`). Layout containers holding text (a ``<div>`` or ``<section>``, a Group,
Columns or Cover block, a nested list) are gone into (:mod:`.containers`): their text is text, their
other children kept elements, and ``Document.layouts`` counts them. Everything else (images, galleries, embeds, tables, shortcodes,
HTML, custom or unknown blocks, reusable blocks) becomes a :class:`Placeholder` holding the
original markup, which ``render()`` puts back byte for byte. Nothing executable is kept from a
draft: :mod:`.draft_markup` removes it and ``Document.removed`` says what went.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import shortcodes
from .block_markup import BLOCK_DELIMITER, parse_blocks
from .classic_markup import parse_classic
from .document import Block, Document, Format, Placeholder, TextBlock, count_words
from .elements import ParseState
from .inline_markup import INLINE_ATTRIBUTES, INLINE_TAGS, URL_SCHEMES, sanitize_inline
from .rendering import render

__all__ = [
    "INLINE_ATTRIBUTES", "INLINE_TAGS", "URL_SCHEMES", "Block", "Document", "Format", "Placeholder", "TextBlock",
    "count_words", "detect_format", "parse", "render", "sanitize_inline",
]


def detect_format(content: str) -> Format:
    if BLOCK_DELIMITER.search(content):
        return "blocks"
    if re.search(r"<(p|h[1-6]|ul|ol|blockquote|img|figure|table|div|iframe|br|script)\b", content, re.I) or (
        shortcodes.only_shortcodes(content)
    ):
        return "classic"
    return "plain"


def parse(content: str, *, trusted_embed_hosts: Iterable[str] = ()) -> Document:
    """The blocks of ``post_content``, whatever its format.

    ``trusted_embed_hosts``: hosts whose scripts and frames may stay in embeds and Custom HTML
    (``rewrite.trusted_embed_hosts``).
    """
    fmt = detect_format(content)
    state = ParseState(fmt, trusted_embed_hosts)
    if fmt == "blocks":
        blocks = parse_blocks(content, state)
    else:
        blocks = parse_classic(content, state, plain=fmt == "plain")
    return Document(fmt, tuple(blocks), dict(state.shortcodes), state.removed, state.layouts)
