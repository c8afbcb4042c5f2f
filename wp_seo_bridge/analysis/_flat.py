"""Sentences of an HTML string, block by block (yoastseo's getSentences and getBlocks).

The passive voice check and the meta description use these sentences rather than the tree's.
"""

from __future__ import annotations

import re

from . import text as _text

BLOCK_ELEMENTS = (
    "address", "article", "aside", "blockquote", "canvas", "dd", "div", "dl", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav",
    "noscript", "ol", "output", "p", "pre", "section", "table", "tfoot", "ul", "video",
)
INLINE_ELEMENTS = (
    "b", "big", "i", "small", "tt", "abbr", "acronym", "cite", "code", "dfn", "em", "kbd", "strong", "samp",
    "time", "var", "a", "bdo", "br", "img", "map", "object", "q", "script", "span", "sub", "sup", "button",
    "input", "label", "select", "textarea",
)
_BLOCK_ALT = "|".join(BLOCK_ELEMENTS)
_INLINE_ALT = "|".join(INLINE_ELEMENTS)
_BLOCK_START = re.compile("^<(" + _BLOCK_ALT + ")[^>]*?>$", re.IGNORECASE)
_BLOCK_END = re.compile("^</(" + _BLOCK_ALT + ")[^>]*?>$", re.IGNORECASE)
_BLOCK_START_AT_START = re.compile("^<(" + _BLOCK_ALT + ")[^>]*?>", re.IGNORECASE)
_BLOCK_END_AT_END = re.compile("</(" + _BLOCK_ALT + ")[^>]*?>$", re.IGNORECASE)
_PIECES = re.compile(r"<[^<>]*>|[^<]+|<[^<>]*")
_COMMENT = re.compile(r"<!--(.|[\r\n])*?-->")
_IMAGE = re.compile(r"<img(?:[^>]+)?>(</img>)*", re.IGNORECASE)
_NEWLINE = re.compile("\n\r|\n|\r")


def get_blocks(text: str) -> list[str]:
    """The text cut into its block-level pieces (paragraphs, headings, list items...)."""
    text = _COMMENT.sub("", text)
    pieces = []
    for m in _PIECES.finditer(text):
        src = m.group(0)
        if src[0] != "<":
            kind = "content"
        elif not src.endswith(">"):
            kind = "content"
        elif _BLOCK_START.match(src):
            kind = "block-start"
        elif _BLOCK_END.match(src):
            kind = "block-end"
        else:
            kind = "inline"
        pieces.append((kind, src))
    blocks: list[str] = []
    depth = 0
    start_tag = current = end_tag = ""
    count = len(pieces)
    for i, (kind, src) in enumerate(pieces):
        nxt = pieces[i + 1][0] if i + 1 < count else None
        if kind in ("content", "inline"):
            current += src
            if nxt is None or (depth == 0 and nxt in ("block-start", "block-end")):
                blocks.append(current)
                start_tag = current = end_tag = ""
        elif kind == "block-start":
            if depth != 0:
                if current.strip():
                    blocks.append(current)
                current = ""
                end_tag = ""
            depth += 1
            start_tag = src
        else:  # block-end
            depth -= 1
            end_tag = src
            if start_tag and end_tag:
                blocks.append(start_tag + current + end_tag)
            elif current.strip():
                blocks.append(current)
            start_tag = current = end_tag = ""
        if depth < 0:
            depth = 0
    return blocks


def get_sentences(text: str) -> list[str]:
    """Sentences of an HTML (or plain) text, trimmed, with the tags inside them kept."""
    text = text.replace("&nbsp;", " ")
    if "<img" in text.lower():
        text = _IMAGE.sub("", text)
    sentences: list[str] = []
    for block in get_blocks(text):
        for piece in _NEWLINE.split(block):
            if piece in ("<p>", "</p>"):
                continue
            for sentence in _text.split_sentences(piece, trim=True):
                sentence = _BLOCK_START_AT_START.sub("", sentence, count=1)
                sentence = _BLOCK_END_AT_END.sub("", sentence, count=1).strip()
                if sentence:
                    sentences.append(sentence)
    return sentences
