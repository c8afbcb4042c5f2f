"""Classic-editor HTML and plain text read into text blocks and kept elements.

Classic content is split where ``wpautop`` splits it (blank lines), keeping block elements and
enclosing shortcodes whole. In plain text (one paragraph per line, as pasted articles come) a
short line without final punctuation between paragraphs is read as a heading.
"""

from __future__ import annotations

import re

from . import containers, shortcodes
from .document import Block, TextBlock, count_words
from .draft_markup import EXECUTABLE_ELEMENTS, Removed, keep
from .elements import ParseState, append, element_end, masked_shortcodes, plain_paragraph, text_from_element

_BLOCK_LEVEL = ("table", "ul", "ol", "blockquote", "figure", "div", "pre", "iframe", "script", "style", "object",
                "video", "audio", "form", "dl", "section", "aside", "noscript", "template", "picture", "svg", "article",
                "main", "header", "footer", "details", "nav", "center")
_URL_LINE = re.compile(r"^\s*https?://\S+\s*$")
_SENTENCE_END = tuple(".!?:;…»\"”)")
_INLINE_START = re.compile(r"<(a|strong|em|b|i|span|code|abbr|mark|s|sup|sub|br)\b", re.I)
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b")
_WHOLE_TAG = re.compile(r"<[a-zA-Z][a-zA-Z0-9]*\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")


def parse_classic(content: str, state: ParseState, *, plain: bool) -> list[Block]:
    blocks: list[Block] = []
    if plain:
        # A browser reads a script or a <base> in a plain-text draft as markup: it goes, and
        # the lines around it stay text.
        content, removed = lift_executables(content)
        state.removed += removed
    for chunk in _chunks(content):
        if shortcodes.only_shortcodes(chunk):
            append(blocks, state.keep(chunk, shortcodes.label(chunk), "shortcode"))
            continue
        if plain:
            blocks += _text_paragraphs(chunk, state, plain=True)
            continue
        split = _split_elements(chunk)
        if split is None:
            append(blocks, containers.keep_fragment(chunk, _element_label(chunk.strip()), state))
            continue
        pieces, strays = split
        state.removed += strays
        for is_element, piece in pieces:
            if is_element:
                found = text_from_element(piece, state)
                if found is None:
                    found = containers.go_into(piece, state)
                if found is None:
                    append(blocks, containers.keep_fragment(piece, _element_label(piece), state))
                else:
                    blocks += found
            else:
                blocks += _text_paragraphs(piece, state, plain=False)
    return _promote_pseudo_headings(blocks) if plain else blocks


def _chunks(content: str) -> list[str]:
    """Split classic content at blank lines, as ``wpautop`` does, keeping block elements and shortcodes whole.

    An element that never closes holds no chunk open: it would swallow the rest of the draft.
    """
    pieces = re.split(r"\n[ \t]*\n", content.replace("\r\n", "\n"))
    chunks: list[str] = []
    pending = ""
    for index, piece in enumerate(pieces):
        pending = f"{pending}\n\n{piece}" if pending else piece
        if _is_balanced(pending, "\n\n".join(pieces[index + 1 :])):
            chunks.append(pending)
            pending = ""
    if pending:
        chunks.append(pending)
    return [c for c in chunks if c.strip()]


def _is_balanced(text: str, rest: str) -> bool:
    for tag in _BLOCK_LEVEL:
        opened = len(re.findall(rf"<{tag}\b", text, re.I))
        closed = len(re.findall(rf"</{tag}\s*>", text, re.I))
        if opened > closed and re.search(rf"</{tag}\s*>", rest, re.I):
            return False
    for name in set(re.findall(r"\[([^<>&/\[\]\x00-\x20=]+)", text)):
        closer = f"[/{name}]"
        if closer in text and len(re.findall(rf"\[{re.escape(name)}(?![\w-])", text)) > text.count(closer):
            return False
    return True


def _text_paragraphs(text: str, state: ParseState, *, plain: bool) -> list[Block]:
    """Text with inline markup at most: a paragraph per line in plain text, per chunk in classic HTML."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    if not plain and not any(shortcodes.only_shortcodes(line) or _URL_LINE.match(line) for line in lines):
        lines = [" ".join(lines)]
    blocks: list[Block] = []
    for line in lines:
        if shortcodes.only_shortcodes(line):
            append(blocks, state.keep(line, shortcodes.label(line), "shortcode"))
        elif _URL_LINE.match(line):
            append(blocks, state.keep(line, "embed " + line.strip()[:80], "fragment"))
        elif plain:
            blocks.append(plain_paragraph(line, state))
        else:
            found = text_from_element(f"<p>{line}</p>", state)
            if found is None:
                append(blocks, containers.keep_fragment(line, "html", state))
            else:
                blocks += found
    return blocks


def lift_executables(markup: str) -> tuple[str, Removed]:
    """``markup`` without the elements outside any other that the bridge never keeps (scripts,
    styles, ``base``, ``link``, ``noscript``, ``meta http-equiv``...), and what went; the rest as it is."""
    split = _split_elements(markup, only=_LIFTED)
    if split is None:
        return markup, Removed()
    pieces, removed = split
    kept = []
    for is_element, piece in pieces:
        if is_element:
            cleaned = keep(piece, "block")
            removed += cleaned.removed
            # A clean <meta> stays where it was.
            kept.append(piece if not cleaned.removed else "\n")
        else:
            kept.append(piece)
    return "".join(kept), removed


_LIFTED = EXECUTABLE_ELEMENTS | {"meta"}


def _split_elements(chunk: str, *, only: frozenset[str] | None = None) -> tuple[list[tuple[bool, str]], Removed] | None:
    """A chunk as (is_element, exact source slice) runs: block elements, and text between them.

    Shortcodes spanning elements (``[caption]<img>...[/caption]``) are never cut. None if an
    element does not close, unless the bridge never keeps it: then its start tag alone goes
    (with the tally of such tags), and what follows is read as it comes. ``only``: the elements
    to split out.
    """
    protected = [m.span() for m in shortcodes.SHORTCODE.finditer(chunk)]
    masked = masked_shortcodes(chunk)  # what a shortcode encloses ends no element
    pieces: list[tuple[bool, str]] = []
    strays: list[str] = []
    cursor = text_start = 0
    while True:
        match = _START_TAG.search(chunk, cursor)
        if match is None:
            break
        comment = chunk.find("<!--", cursor, match.start())
        if comment >= 0:  # a tag in a comment is text of the comment
            closing = chunk.find("-->", comment + 4)
            cursor = len(chunk) if closing < 0 else closing + 3
            continue
        inside = next((end for start, end in protected if start <= match.start() < end), None)
        name = match.group(1).lower()
        if inside is not None or _INLINE_START.match(chunk, match.start()) or (only is not None and name not in only):
            if inside is None:
                tag = _WHOLE_TAG.match(chunk, match.start())  # never a tag inside an attribute's value
                inside = tag.end() if tag else match.end()
            cursor = inside
            continue
        end = element_end(masked, name, match.start())
        stray = end is None and name in EXECUTABLE_ELEMENTS
        if stray:
            tag = _WHOLE_TAG.match(chunk, match.start())
            end = tag.end() if tag else None
        if end is None:
            return None
        if chunk[text_start : match.start()].strip():
            pieces.append((False, chunk[text_start : match.start()]))
        if stray:
            strays.append(f"{name} element")
        else:
            pieces.append((True, chunk[match.start() : end]))
        cursor = text_start = end
    if chunk[text_start:].strip():
        pieces.append((False, chunk[text_start:]))
    return pieces, Removed.of(strays)


_LABELS = {"img": "image", "picture": "image", "svg": "image"}


def _element_label(html: str) -> str:
    if shortcodes.only_shortcodes(re.sub(r"</?p\b[^>]*>", "", html)):
        return shortcodes.label(html)
    match = re.match(r"\s*<([a-zA-Z0-9]+)", html)
    name = match.group(1).lower() if match else "html"
    return _LABELS.get(name, name)


def _promote_pseudo_headings(blocks: list[Block]) -> list[Block]:
    """In plain text, a short line without final punctuation between paragraphs is a heading."""
    result: list[Block] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            index > 0
            and isinstance(block, TextBlock)
            and block.kind == "paragraph"
            and isinstance(following, TextBlock)
            and following.kind == "paragraph"
            and isinstance(result[-1], TextBlock)
            and result[-1].kind == "paragraph"
            and _looks_like_heading(block.text)
        ):
            result.append(TextBlock("heading", block.html, level=2))
        else:
            result.append(block)
    return result


def _looks_like_heading(text: str) -> bool:
    words = count_words(text)
    return 2 <= words <= 12 and len(text) <= 90 and not text.rstrip().endswith(_SENTENCE_END) and text[:1].isupper()
