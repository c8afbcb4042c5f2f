"""The content model: a post's body as text blocks (for the model) and opaque placeholders (kept as is).

``parse()`` reads ``post_content`` in any of the forms WordPress stores:

- **blocks**: Gutenberg block markup (``<!-- wp:paragraph -->...``);
- **classic**: HTML from the classic editor (blank lines separate paragraphs, as ``wpautop`` reads them);
- **plain**: plain text, one paragraph per line (pasted articles such as the seed drafts).

Paragraphs, headings, simple lists and quotes become :class:`TextBlock` s. Everything else
(images, galleries, embeds, tables, shortcodes, HTML, custom or unknown blocks, reusable blocks)
becomes a :class:`Placeholder` holding the exact original markup, which ``render()`` puts back
byte for byte.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Literal

import nh3
from bs4 import BeautifulSoup, Tag

Format = Literal["blocks", "classic", "plain"]

#: Inline markup a text block may carry; anything else is dropped from text (never from placeholders).
INLINE_TAGS = {"a", "strong", "em", "b", "i", "code", "br", "sup", "sub", "abbr", "mark", "s"}
INLINE_ATTRIBUTES = {"a": {"href", "title", "hreflang", "rel", "target"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_BLOCK_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{.*?\}\s+)?(?P<void>/)?-->",
    re.S,
)
_TEXT_BLOCKS = {"core/paragraph", "core/heading", "core/list", "core/quote"}
_BLOCK_LEVEL = ("table", "ul", "ol", "blockquote", "figure", "div", "pre", "iframe", "script", "style", "object",
                "video", "audio", "form", "dl", "section", "aside", "noscript")
_SHORTCODE_LINE = re.compile(r"^\s*\[(?P<tag>[a-zA-Z][\w-]*)(?:\s[^\]]*)?\](?:.*\[/(?P=tag)\])?\s*$", re.S)
_URL_LINE = re.compile(r"^\s*https?://\S+\s*$")
_SENTENCE_END = tuple(".!?:;…»\"”)")


@dataclass(frozen=True)
class TextBlock:
    """Text the model rewrites. ``html`` is sanitised inline markup (links, emphasis)."""

    kind: Literal["paragraph", "heading", "list", "quote"]
    html: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    ordered: bool = False
    citation: str = ""

    @property
    def text(self) -> str:
        """The words, without markup."""
        parts = [self.html, *self.items, self.citation]
        return " ".join(_plain(p) for p in parts if p).strip()


@dataclass(frozen=True)
class Placeholder:
    """Markup the model never sees or changes; ``render()`` puts it back exactly."""

    ref: str
    markup: str
    label: str

    @property
    def token(self) -> str:
        return f"[[{self.ref}]]"


Block = TextBlock | Placeholder


@dataclass(frozen=True)
class Document:
    format: Format
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def placeholders(self) -> dict[str, Placeholder]:
        return {b.ref: b for b in self.blocks if isinstance(b, Placeholder)}

    @property
    def text_blocks(self) -> list[TextBlock]:
        return [b for b in self.blocks if isinstance(b, TextBlock)]

    def word_count(self) -> int:
        return sum(count_words(b.text) for b in self.text_blocks)

    def plain_text(self) -> str:
        return "\n".join(b.text for b in self.text_blocks)


def count_words(text: str) -> int:
    """Words as an editor counts them: tokens with a letter or a digit (``l’Ukraine`` is one)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def sanitize_inline(html: str) -> str:
    """Inline markup only: links (http/https/mailto/tel), emphasis; no scripts, styles or handlers."""
    return nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ).strip()


def _plain(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split()) if "<" in html else " ".join(html.split())


# -- parsing ------------------------------------------------------------------------------------


class _Refs:
    def __init__(self) -> None:
        self.count = 0

    def placeholder(self, markup: str, label: str) -> Placeholder:
        self.count += 1
        return Placeholder(f"KEEP-{self.count}", markup, label)


def detect_format(content: str) -> Format:
    if _BLOCK_DELIMITER.search(content):
        return "blocks"
    if re.search(r"<(p|h[1-6]|ul|ol|blockquote|img|figure|table|div|iframe|br)\b", content, re.I) or _SHORTCODE_LINE.search(
        content
    ):
        return "classic"
    return "plain"


def parse(content: str) -> Document:
    """The blocks of ``post_content``, whatever its format."""
    fmt = detect_format(content)
    refs = _Refs()
    blocks = _parse_blocks(content, refs) if fmt == "blocks" else _parse_classic(content, refs, plain=fmt == "plain")
    return Document(fmt, tuple(_promote_pseudo_headings(blocks) if fmt == "plain" else blocks))


def _parse_blocks(content: str, refs: _Refs) -> list[Block]:
    """Top-level Gutenberg blocks; freeform HTML between them is read as classic content."""
    blocks: list[Block] = []
    depth, start, cursor = 0, 0, 0
    opener: re.Match[str] | None = None
    for match in _BLOCK_DELIMITER.finditer(content):
        if depth == 0:
            between = content[cursor : match.start()]
            if between.strip():
                blocks += _parse_classic(between, refs, plain=False)
        if match.group("closer"):
            if depth == 0:
                continue  # a stray closer: left in the text between blocks
            depth -= 1
            if depth == 0 and opener is not None:
                blocks.append(_top_level_block(content[start : match.end()], opener, content[opener.end() : match.start()], refs))
                cursor = match.end()
        elif match.group("void"):
            if depth == 0:
                blocks.append(refs.placeholder(match.group(0), _label(match.group("name"))))
                cursor = match.end()
        else:
            if depth == 0:
                start, opener = match.start(), match
            depth += 1
    if depth > 0:
        # An unclosed block: keep everything from it on, untouched.
        blocks.append(refs.placeholder(content[start:], "unclosed block"))
    elif content[cursor:].strip():
        blocks += _parse_classic(content[cursor:], refs, plain=False)
    return blocks


def _label(name: str) -> str:
    return ("core/" + name if "/" not in name else name).removeprefix("core/").replace("-", " ")


def _top_level_block(markup: str, opener: re.Match[str], inner: str, refs: _Refs) -> Block:
    name = opener.group("name")
    name = name if "/" in name else f"core/{name}"
    attrs = _attrs(opener.group("attrs"))
    if name in _TEXT_BLOCKS and attrs is not None:
        block = _text_from_html(_BLOCK_DELIMITER.sub("", inner), heading_level=attrs.get("level"))
        if block is not None:
            return block
    return refs.placeholder(markup, _label(name))


def _attrs(raw: str | None) -> dict | None:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _text_from_html(html: str, heading_level: int | None = None) -> TextBlock | None:
    """A text block from one element's HTML, or None when it is not simple text."""
    soup = BeautifulSoup(html.strip(), "html.parser")
    elements = [child for child in soup.children if isinstance(child, Tag)]
    if len(elements) != 1 or soup.find(["img", "iframe", "script", "style", "video", "audio", "object", "table", "figure"]):
        return None
    element = elements[0]
    stray = "".join(str(c) for c in soup.children if not isinstance(c, Tag)).strip()
    if stray:
        return None
    tag = element.name
    if tag == "p":
        return TextBlock("paragraph", sanitize_inline(element.decode_contents()))
    if re.fullmatch(r"h[1-6]", tag):
        return TextBlock("heading", sanitize_inline(element.decode_contents()), level=int(heading_level or tag[1]))
    if tag in ("ul", "ol"):
        items = element.find_all("li", recursive=False)
        if not items or any(li.find(["ul", "ol"]) for li in items):
            return None  # nested lists are kept as they are
        return TextBlock("list", items=tuple(sanitize_inline(li.decode_contents()) for li in items), ordered=tag == "ol")
    if tag == "blockquote":
        cite = element.find("cite")
        citation = sanitize_inline(cite.decode_contents()) if cite else ""
        if cite:
            cite.extract()
        paragraphs = element.find_all("p") or [element]
        text = " ".join(sanitize_inline(p.decode_contents()) for p in paragraphs)
        return TextBlock("quote", text.strip(), citation=citation)
    return None


def _chunks(content: str) -> list[str]:
    """Split classic content at blank lines, as ``wpautop`` does, keeping block elements and shortcodes whole."""
    pieces = re.split(r"\n[ \t]*\n", content.replace("\r\n", "\n"))
    chunks: list[str] = []
    pending = ""
    for piece in pieces:
        pending = f"{pending}\n\n{piece}" if pending else piece
        if _is_balanced(pending):
            chunks.append(pending)
            pending = ""
    if pending:
        chunks.append(pending)
    return [c for c in chunks if c.strip()]


def _is_balanced(text: str) -> bool:
    for tag in _BLOCK_LEVEL:
        opened = len(re.findall(rf"<{tag}\b", text, re.I))
        closed = len(re.findall(rf"</{tag}\s*>", text, re.I))
        if opened > closed:
            return False
    for tag in set(re.findall(r"\[([a-zA-Z][\w-]*)[^\]]*\]", text)):
        if f"[/{tag}]" in text and text.count(f"[{tag}") > text.count(f"[/{tag}]"):
            return False
    return True


def _parse_classic(content: str, refs: _Refs, *, plain: bool) -> list[Block]:
    blocks: list[Block] = []
    for chunk in _chunks(content):
        if plain:
            blocks += _text_paragraphs(chunk, refs, plain=True)
            continue
        pieces = _split_elements(chunk)
        if pieces is None:
            blocks.append(refs.placeholder(chunk, _element_label(chunk.strip())))
            continue
        for is_element, piece in pieces:
            if is_element:
                block = _text_from_html(piece)
                blocks.append(block if block is not None else refs.placeholder(piece, _element_label(piece)))
            else:
                blocks += _text_paragraphs(piece, refs, plain=plain)
    return blocks


def _text_paragraphs(text: str, refs: _Refs, *, plain: bool) -> list[Block]:
    """Text with inline markup at most: a paragraph per line in plain text, per chunk in classic HTML."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    if not plain and not any(_SHORTCODE_LINE.match(line) or _URL_LINE.match(line) for line in lines):
        lines = [" ".join(lines)]
    blocks: list[Block] = []
    for line in lines:
        if _SHORTCODE_LINE.match(line) or _URL_LINE.match(line):
            blocks.append(refs.placeholder(line, _shortcode_label(line)))
        else:
            # Plain text is text: a "<" in it is a character, not markup.
            blocks.append(TextBlock("paragraph", html.escape(line, quote=False) if plain else sanitize_inline(line)))
    return blocks


_INLINE_START = re.compile(r"<(a|strong|em|b|i|span|code|abbr|mark|s|sup|sub|br)\b", re.I)
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b")


def _split_elements(chunk: str) -> list[tuple[bool, str]] | None:
    """A chunk as (is_element, exact source slice) runs: block elements, and text between them.

    Shortcodes spanning elements (``[caption]<img>...[/caption]``) stay text, whole. None if
    an element does not close.
    """
    if _SHORTCODE_LINE.match(chunk.strip()):
        return [(False, chunk)]
    pieces: list[tuple[bool, str]] = []
    cursor = text_start = 0
    while True:
        match = _START_TAG.search(chunk, cursor)
        if match is None:
            break
        if _INLINE_START.match(chunk, match.start()):
            cursor = match.end()
            continue
        end = _element_end(chunk, match.group(1), match.start())
        if end is None:
            return None
        if chunk[text_start : match.start()].strip():
            pieces.append((False, chunk[text_start : match.start()]))
        pieces.append((True, chunk[match.start() : end]))
        cursor = text_start = end
    if chunk[text_start:].strip():
        pieces.append((False, chunk[text_start:]))
    return pieces


def _element_end(html: str, name: str, start: int) -> int | None:
    depth = 0
    for match in re.finditer(rf"<(/?){name}\b[^>]*?(/?)>", html[start:], re.I):
        if match.group(2) == "/" or name.lower() in ("img", "br", "hr", "input"):
            if depth == 0:
                return start + match.end()
            continue
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return start + match.end()
    return None


def _shortcode_label(text: str) -> str:
    match = re.match(r"\s*\[([a-zA-Z][\w-]*)", text)
    return f"shortcode [{match.group(1)}]" if match else "embed " + text.strip()[:80]


def _element_label(html: str) -> str:
    match = re.match(r"\s*<([a-zA-Z0-9]+)", html)
    return match.group(1).lower() if match else "html"


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


# -- rendering ----------------------------------------------------------------------------------


def render(blocks: list[Block] | tuple[Block, ...], output: Literal["blocks", "classic"]) -> str:
    """Markup for ``blocks``: Gutenberg blocks (valid for WordPress 6.1+) or classic HTML."""
    parts = [(_render_block if output == "blocks" else _render_classic)(block) for block in blocks]
    return "\n\n".join(parts) + ("\n" if output == "classic" else "")


def _render_block(block: Block) -> str:
    if isinstance(block, Placeholder):
        return block.markup
    if block.kind == "paragraph":
        return f"<!-- wp:paragraph -->\n<p>{block.html}</p>\n<!-- /wp:paragraph -->"
    if block.kind == "heading":
        attrs = "" if block.level == 2 else f' {{"level":{block.level}}}'
        return f"<!-- wp:heading{attrs} -->\n<h{block.level}>{block.html}</h{block.level}>\n<!-- /wp:heading -->"
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        attrs = ' {"ordered":true}' if block.ordered else ""
        # Since WordPress 6.1 a list holds one core/list-item block per item.
        items = "\n\n".join(f"<!-- wp:list-item -->\n<li>{item}</li>\n<!-- /wp:list-item -->" for item in block.items)
        return f"<!-- wp:list{attrs} -->\n<{tag}>{items}</{tag}>\n<!-- /wp:list -->"
    cite = f"<cite>{block.citation}</cite>" if block.citation else ""
    return (
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
        f"<p>{block.html}</p>\n<!-- /wp:paragraph -->{cite}</blockquote>\n<!-- /wp:quote -->"
    )


def _render_classic(block: Block) -> str:
    if isinstance(block, Placeholder):
        return block.markup
    if block.kind == "paragraph":
        return f"<p>{block.html}</p>"
    if block.kind == "heading":
        return f"<h{block.level}>{block.html}</h{block.level}>"
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>\n" + "\n".join(f"<li>{item}</li>" for item in block.items) + f"\n</{tag}>"
    cite = f"<cite>{block.citation}</cite>" if block.citation else ""
    return f"<blockquote><p>{block.html}</p>{cite}</blockquote>"
