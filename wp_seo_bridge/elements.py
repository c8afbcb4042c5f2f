"""Reading one element of a draft into what the model rewrites and what the bridge keeps.

A paragraph, heading, simple list or quote becomes a :class:`TextBlock`. Inside it:

- a shortcode becomes a token (``[[SC-1]]``) and the shortcode is kept aside, exactly;
- an image or other inline media becomes its own kept element, placed before the text when it
  opened the paragraph and after it otherwise, so that no text of the draft is ever both
  rewritten and kept;
- anything executable is removed, and reported.

Anything else (tables, figures, a paragraph holding only shortcodes or media) is kept whole, after
:func:`~wp_seo_bridge.draft_markup.keep` has checked it; layout containers and nested lists are
gone into first (:mod:`.containers`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from bs4 import BeautifulSoup, Tag

from . import shortcodes
from .block_attributes import clean_block_comments
from .document import Block, Format, Layouts, Placeholder, TextBlock
from .draft_markup import EXECUTABLE_ELEMENTS, Origin, Removed, executable_parts, keep
from .html_text import html_to_text
from .inline_markup import sanitize_inline

#: Inline media: kept as elements of their own, never inside rewritten text. An iframe is kept only
#: from a trusted host (``rewrite.trusted_embed_hosts``).
MEDIA = ("img", "picture", "video", "audio", "svg", "iframe")
_MEDIA_LABELS = {"img": "image", "picture": "image", "svg": "image", "video": "video", "audio": "audio", "iframe": "embed"}
_KEPT_WHOLE = ["table", "figure", "ul", "ol", "dl", "pre", "div", "section"]


class ParseState:
    """What parsing one draft collects: kept elements, shortcodes and the tally of what was removed."""

    def __init__(self, fmt: Format, trusted_hosts: Iterable[str] = ()) -> None:
        self.format = fmt
        self.trusted_hosts = tuple(trusted_hosts)
        self.kept = 0
        self.shortcodes: dict[str, str] = {}
        self.removed = Removed()
        #: The layout containers gone into (the outermost of each nest), and how deep parsing is in them.
        self.layouts = Layouts()
        self.depth = 0

    def snapshot(self) -> tuple:
        """What :meth:`rewind` needs to undo what parsing collects from here on."""
        return self.kept, dict(self.shortcodes), self.removed, self.layouts

    def rewind(self, snapshot: tuple) -> None:
        self.kept, shortcodes, self.removed, self.layouts = snapshot
        self.shortcodes = shortcodes

    def keep(self, markup: str, label: str, origin: Origin, *, wrap: str = "{}") -> Placeholder | None:
        """A placeholder for ``markup`` (sanitised if need be, then put in ``wrap``), or None when nothing
        of it may be kept."""
        markup, removed = clean_block_comments(markup)
        self.removed += removed
        kept = keep(markup, origin, self.trusted_hosts)
        self.removed += kept.removed
        if kept.markup is None:
            return None
        self.kept += 1
        return Placeholder(f"KEEP-{self.kept}", wrap.format(kept.markup), label)

    def register(self, shortcode: str) -> str:
        """The token reference for a shortcode inside a sentence (kept aside, sanitised if need be)."""
        kept = keep(shortcode, "shortcode")
        self.removed += kept.removed
        ref = f"SC-{len(self.shortcodes) + 1}"
        self.shortcodes[ref] = kept.markup if kept.markup is not None else ""
        return ref

    def report(self, markup: str) -> None:
        """Count what is executable in text markup: the inline sanitiser removes it."""
        self.removed += executable_parts(markup)


def append(blocks: list[Block], block: Block | None) -> None:
    if block is not None:
        blocks.append(block)


def text_from_element(source: str, state: ParseState, *, heading_level: int | None = None) -> list[Block] | None:
    """The blocks of one element's HTML (text, and media kept beside it), or None to keep it whole."""
    source = source.strip()
    # Shortcodes in the text are read as tokens: their content is no element of the paragraph.
    soup = BeautifulSoup(masked_shortcodes(source), "html.parser")
    elements = [child for child in soup.children if isinstance(child, Tag)]
    if len(elements) != 1 or "".join(str(c) for c in soup.children if not isinstance(c, Tag)).strip():
        return None
    element = elements[0]
    tag = element.name
    if not (tag in ("p", "ul", "ol", "blockquote") or re.fullmatch(r"h[1-6]", tag)):
        return None
    if element.find(_KEPT_WHOLE) or shortcodes.only_shortcodes(element.decode_contents()):
        return None
    if tag in ("ul", "ol") and (not element.find_all("li", recursive=False)):
        return None
    media = media_slices(source, soup)
    text_source = _without(source, media)
    if not html_to_text(shortcodes.SHORTCODE.sub("", text_source)):
        return None  # only media and shortcodes: kept as it is
    before: list[Block] = []
    after: list[Block] = []
    for start, end, name in media:
        placeholder = keep_medium(source[start:end], name, state)
        if placeholder is None:
            continue
        opening = not html_to_text(shortcodes.SHORTCODE.sub("x", _inner_before(source, start)))
        (before if opening else after).append(placeholder)
    protected = shortcodes.protect(text_source, state.register)
    state.report(protected)
    block = _text_block(BeautifulSoup(protected, "html.parser").find(tag), heading_level)
    if block is None:
        return None
    return [*before, block, *after]


def masked_shortcodes(source: str) -> str:
    """``source`` with each shortcode in its text replaced by a harmless one of the same length."""
    if "[" not in source:
        return source
    parts, cursor = [], 0
    for match in shortcodes.in_text(shortcodes.SHORTCODE, source):
        parts += [source[cursor : match.start()], "[" + "x" * (match.end() - match.start() - 2) + "]"]
        cursor = match.end()
    return "".join(parts) + source[cursor:]


def keep_medium(markup: str, name: str, state: ParseState) -> Placeholder | None:
    """A medium taken out of text (or out of a layout container) as a kept element of its own.

    In block markup it stays in a paragraph block of its own (an iframe in a Custom HTML block).
    """
    wrap = "{}"
    if state.format == "blocks":
        wrap = "<!-- wp:html -->\n{}\n<!-- /wp:html -->" if name == "iframe" else (
            "<!-- wp:paragraph -->\n<p>{}</p>\n<!-- /wp:paragraph -->"
        )
    origin: Origin = "fragment" if name == "iframe" else "media"
    return state.keep(markup, _MEDIA_LABELS[name], origin, wrap=wrap)


def _text_block(element: Tag, heading_level: int | None) -> TextBlock | None:
    tag = element.name
    if tag == "p":
        return TextBlock("paragraph", sanitize_inline(element.decode_contents()))
    if re.fullmatch(r"h[1-6]", tag):
        return TextBlock("heading", sanitize_inline(element.decode_contents()), level=int(heading_level or tag[1]))
    if tag in ("ul", "ol"):
        items = tuple(sanitize_inline(li.decode_contents()) for li in element.find_all("li", recursive=False))
        return TextBlock("list", items=tuple(i for i in items if i), ordered=tag == "ol")
    cite = element.find("cite")
    citation = sanitize_inline(cite.decode_contents()) if cite else ""
    if cite:
        cite.extract()
    paragraphs = element.find_all("p") or [element]
    text = " ".join(sanitize_inline(p.decode_contents()) for p in paragraphs)
    return TextBlock("quote", text.strip(), citation=citation)


def media_slices(source: str, soup: BeautifulSoup) -> list[tuple[int, int, str]]:
    """(start, end, media name) of each outermost inline media in ``source``, with a link that holds only it."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", source)]
    inside_shortcodes = [m.span() for m in shortcodes.SHORTCODE.finditer(source)]
    slices: list[tuple[int, int, str]] = []
    for medium in soup.find_all(MEDIA):
        if any(parent.name in MEDIA or parent.name in EXECUTABLE_ELEMENTS for parent in medium.parents):
            continue  # inside other media, or inside what goes with its content
        target = medium
        parent = medium.parent
        if parent is not None and parent.name == "a" and not parent.get_text(strip=True) and len(parent.find_all(MEDIA)) == 1:
            target = parent
        if target.sourceline is None:
            continue
        start = line_starts[target.sourceline - 1] + target.sourcepos
        end = element_end(source, target.name, start)
        if any(a <= start < b for a, b in inside_shortcodes):
            continue  # a caption's image belongs to its shortcode
        if end is not None and (not slices or start >= slices[-1][1]):
            slices.append((start, end, medium.name))
    return slices


def _without(source: str, slices: list[tuple[int, int, str]]) -> str:
    parts, cursor = [], 0
    for start, end, _ in slices:
        parts += [source[cursor:start], " "]
        cursor = end
    return "".join(parts) + source[cursor:]


def _inner_before(source: str, position: int) -> str:
    """The element's content before ``position`` (its own start tag left out)."""
    opening = re.match(r"<[^>]*>", source)
    return source[opening.end() if opening else 0 : position]


_VOID = {"img", "br", "hr", "input", "source", "wbr", "area", "col", "embed", "link", "meta", "param", "track", "base",
         "basefont", "bgsound", "frame", "keygen"}


def element_end(markup: str, name: str, start: int) -> int | None:
    """Where the element starting at ``start`` ends (after its end tag), or None when it does not close."""
    depth = 0
    tag = re.compile(rf"<(/?){re.escape(name)}\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>", re.I)
    for match in tag.finditer(markup, start):
        if match.group(2) == "/" or name.lower() in _VOID:
            if depth == 0:
                return match.end()
            continue
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return None


def plain_paragraph(line: str, state: ParseState) -> TextBlock:
    """A paragraph of plain text: a ``<`` in it is a character, not markup; its shortcodes are tokens."""
    return TextBlock("paragraph", html.escape(shortcodes.protect(line, state.register), quote=False))
