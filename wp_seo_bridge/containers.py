"""Layout containers, gone into: their text is rewritten, their other children kept in order.

A draft may hold its text inside a container: a whole body in ``<div class="entry-content">``,
``<article>``, ``<section>`` or ``<main>``; paragraphs in a Group, Columns, Cover, Details or
Media & Text block; a Pull Quote; a list inside a list item. Kept whole, that text would never be rewritten
(nor counted, nor checked for facts). So a container that holds text is gone into:

- its text blocks (paragraphs, headings, lists, quotes; a ``<summary>`` is a paragraph) become text
  the model rewrites, and its other children (images, embeds, tables, shortcodes, blocks of any
  other kind) become kept elements, in order, checked as any other (:mod:`.draft_markup`);
- media in the container's own markup (a Cover's background, a Media & Text block's image) are
  kept as elements of their own, like an image taken out of a paragraph;
- its own markup (the wrapper, its classes and layout) is not kept, since the article is
  restructured; :attr:`Document.layouts` counts the containers (the outermost of each nest), for a
  notice. A nested list becomes one flat list.

A container holding no text (a Cover or Group with only an image) stays one kept element, byte for
byte.

A Custom HTML block or a classic-editor fragment holding an untrusted script is dropped whole
when it is only a widget: when its text, scripts and frames aside, is at most an embedded post's
fallback (a ``blockquote`` with a class of its own, as tweets and Instagram or TikTok posts come).
When it holds the draft's prose, the script goes (reported) and the text stays: a Custom HTML block
is gone into like a container, and any other element is kept without the script.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import BeautifulSoup

from .document import Block, Placeholder, TextBlock
from .block_attributes import clean_block_comments
from .draft_markup import EXECUTABLE_ELEMENTS, Removed, executable_parts
from .elements import ParseState, append, keep_medium, media_slices, text_from_element

#: Classic-editor elements gone into when they hold text.
CLASSIC_CONTAINERS = frozenset({"div", "section", "article", "main", "aside", "header", "footer", "details", "center"})
#: Core blocks gone into when they hold text (Row and Stack are Group blocks too).
BLOCK_CONTAINERS = frozenset(
    {"core/group", "core/columns", "core/column", "core/cover", "core/details", "core/media-text", "core/pullquote"}
)
#: A container's own markup: dropped with it (its media are kept; any other text in it is rewritten).
_LAYOUT_TAG = re.compile(
    r"</?(?:div|section|article|main|aside|header|footer|details|center|figure|span)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.I,
)
_START = re.compile(r"\s*<([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
#: Classic captions (``<div class="wp-caption">``): an image and its caption, kept together like a figure.
_CAPTION_CLASS = re.compile(r"\bclass\s*=\s*[\"'][^\"']*\bwp-caption\b", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LIST_TAG = re.compile(r"<(/?)(?:ul|ol)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
#: Classes of WordPress's own quotes; a blockquote with any other class is a widget's fallback.
_QUOTE_CLASSES = re.compile(r"^(?:wp-block-quote|wp-block-pullquote|is-style-.*|is-layout-.*|has-.*)$")


def go_into(source: str, state: ParseState) -> list[Block] | None:
    """A classic-editor element (or a list) that cannot be one text block, as text and kept elements; or
    None to keep it whole."""
    start = _START.match(source)
    if start is None:
        return None
    tag = start.group(1).lower()
    if tag in ("ul", "ol"):
        return flat_list(source, state)
    if tag == "summary":  # the label of a <details>: a line of text
        inner = _inner(source, start, tag)
        return None if inner is None else text_from_element(f"<p>{inner}</p>", state)
    if tag not in CLASSIC_CONTAINERS or _CAPTION_CLASS.search(start.group(0)):
        return None
    inner = _inner(source, start, tag)
    if inner is None or "<!--" in _COMMENT.sub("", inner):
        return None  # a comment left open: kept whole, and closed (see draft_markup.py)
    if has_untrusted_script(source, state) and not holds_prose(source):
        return None  # a widget: dropped whole
    from .classic_markup import parse_classic

    wrapper = source[: start.end()]
    return _entered(f"{tag} element", lambda: parse_classic(inner, state, plain=False), state, wrapper)


def go_into_block(name: str, opener: str, inner: str, state: ParseState) -> list[Block] | None:
    """A container block (Group, Columns, Cover...) as text and kept elements; or None to keep it whole.

    ``opener``: its block comment, which goes with it (what was unsafe in its attributes is reported).
    """
    if name not in BLOCK_CONTAINERS:
        return None
    from .block_markup import label, parse_blocks

    def parse() -> list[Block]:
        return parse_blocks(inner, state, freeform=_wrapper_markup)

    return _entered(f"{label(name)} block", parse, state, removed=clean_block_comments(opener)[1])


def html_block_with_prose(markup: str, inner: str, state: ParseState) -> list[Block] | None:
    """A Custom HTML block that holds the draft's prose and an untrusted script: gone into, the script
    removed; or None (kept, or dropped whole as a widget, by :func:`~wp_seo_bridge.draft_markup.keep`)."""
    if not (has_untrusted_script(markup, state) and holds_prose(inner)):
        return None
    from .classic_markup import parse_classic

    return _entered("custom HTML block", lambda: parse_classic(inner, state, plain=False), state)


def keep_fragment(markup: str, label: str, state: ParseState) -> Placeholder | None:
    """A classic-editor element kept whole: dropped with its untrusted script only when it is a widget,
    kept without the script when it holds the draft's prose (a table of figures, say)."""
    origin = "block" if has_untrusted_script(markup, state) and holds_prose(markup) else "fragment"
    return state.keep(markup, label, origin)


def has_untrusted_script(markup: str, state: ParseState) -> bool:
    return "script element" in executable_parts(markup, state.trusted_hosts).as_dict()


def holds_prose(markup: str) -> bool:
    """Whether ``markup`` has words of its own: scripts, frames and embedded posts' fallbacks aside."""
    soup = BeautifulSoup(markup, "html.parser")
    for element in soup.find_all([*EXECUTABLE_ELEMENTS, "noscript"]):
        element.decompose()
    for quote in soup.find_all("blockquote"):
        if any(not _QUOTE_CLASSES.match(name) for name in quote.get("class") or ()):
            quote.decompose()
    return any(ch.isalnum() for ch in soup.get_text())


def flat_list(source: str, state: ParseState) -> list[Block] | None:
    """A list holding lists, as one flat list of every item in reading order; or None to keep it whole."""
    parts: list[str] = []
    depth = cursor = 0
    nested = False
    for match in _LIST_TAG.finditer(source):
        closing = bool(match.group(1))
        depth += -1 if closing else 1
        if (closing and depth >= 1) or (not closing and depth > 1):
            # A nested list's start ends its parent's item; its end opens one for what follows it.
            parts += [source[cursor : match.start()], "<li>" if closing else "</li>"]
            cursor = match.end()
            nested = True
    if not nested:
        return None
    flat = "".join(parts) + source[cursor:]
    return _entered("nested list", lambda: text_from_element(flat, state) or [], state)


def _entered(
    label: str, parse: Callable[[], list[Block]], state: ParseState, wrapper: str = "", removed: Removed = Removed()
) -> list[Block] | None:
    """The blocks ``parse`` finds in a container; None, with nothing collected, when none of them is text.

    What is unsafe in the container's own markup (``wrapper``) goes with it, reported, as does ``removed``.
    """
    snapshot = state.snapshot()
    state.depth += 1
    try:
        blocks = parse()
    finally:
        state.depth -= 1
    if not any(isinstance(block, TextBlock) for block in blocks):
        state.rewind(snapshot)
        return None
    if wrapper:
        state.report(wrapper)  # an event handler on the container goes with it
    state.removed += removed
    if state.depth == 0:
        state.layouts = state.layouts.add(label)
    return blocks


def _inner(source: str, start: re.Match[str], tag: str) -> str | None:
    end = re.search(rf"</{tag}\s*>\s*$", source, re.I)
    return source[start.end() : end.start()] if end else None


def _wrapper_markup(fragment: str, state: ParseState) -> list[Block]:
    """A container block's own markup, around and between its inner blocks: its media kept, its text
    (a Details block's summary) rewritten, the rest (the layout) dropped."""
    from .classic_markup import parse_classic

    blocks: list[Block] = []
    cursor = 0
    media = media_slices(fragment, BeautifulSoup(fragment, "html.parser"))
    for start, end, name in [*media, (len(fragment), len(fragment), "")]:
        piece = fragment[cursor:start]
        layout = "".join(match.group(0) for match in _LAYOUT_TAG.finditer(piece))
        if layout:
            state.report(layout)  # an event handler on the container goes with it
        text = _LAYOUT_TAG.sub("\n\n", piece)
        if text.strip():
            blocks += parse_classic(text, state, plain=False)
        if name:
            append(blocks, keep_medium(fragment[start:end], name, state))
        cursor = end
    return blocks
