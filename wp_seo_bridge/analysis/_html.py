"""The post body, read the way yoastseo reads it.

yoastseo looks at a text in two ways, and some figures differ between them, so both are built
here from one lxml parse:

- a *tree* of paragraphs and headings (explicit ``<p>``, headings, and "implicit" paragraphs: the
  inline content of list items, captions, ``<div>``...), each split into sentences and tokens;
  quotations (``<blockquote>``), code, forms, embeds and the like are left out. Sentence length,
  transition words, consecutive beginnings, paragraph length, the keyphrase count and density,
  the introduction, images and H1s use it.
- a *flat* HTML string without scripts, styles, code, ``<pre>``, ``<blockquote>`` and
  ``<textarea>``, where every tag separates words. Text length, subheading distribution,
  keyphrase in subheadings, links and passive voice use it.

Gutenberg's block comments (``<!-- wp:... -->``) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from . import text as _text

_PARSER = etree.HTMLParser(recover=True, no_network=True, remove_pis=True, default_doctype=False)

PHRASING = frozenset([
    "b", "big", "i", "small", "tt", "abbr", "acronym", "cite", "code", "dfn", "em", "kbd", "strong", "samp",
    "time", "var", "a", "bdo", "br", "img", "map", "object", "q", "script", "span", "sub", "sup", "button",
    "input", "label", "select", "textarea",
])
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
#: Elements whose content yoastseo empties before it splits sentences.
EMPTIED = frozenset(["code", "kbd", "math", "q", "samp", "script", "var", "cite", "form", "map", "noscript", "output"])
#: Elements yoastseo removes from its tree (with their content).
REMOVED = frozenset([
    "base", "blockquote", "canvas", "code", "head", "iframe", "input", "kbd", "link", "math", "meta", "meter",
    "noscript", "object", "portal", "pre", "progress", "q", "samp", "script", "slot", "style", "svg", "template",
    "textarea", "title", "var", "cite", "form", "map", "output",
])
REMOVED_CLASSES = frozenset([
    "yoast-table-of-contents", "yoast-reading-time__wrapper", "yoast-ai-summarize", "elementor-button-wrapper",
    "elementor-divider", "elementor-spacer", "elementor-custom-embed", "elementor-icon-wrapper",
    "elementor-icon-box-wrapper", "elementor-counter", "elementor-progress-wrapper", "elementor-title",
    "elementor-alert", "elementor-soundcloud-wrapper", "elementor-shortcode", "elementor-menu-anchor", "e-rating",
])
#: Left out of the flat string (yoastseo's htmlParser).
FLAT_IGNORED_TAGS = frozenset(["script", "style", "code", "pre", "blockquote", "textarea"])
FLAT_IGNORED_CLASSES = frozenset([
    "yoast-ai-summarize", "yoast-table-of-contents", "yoast-reading-time__wrapper", "elementor-button-wrapper",
    "elementor-divider", "elementor-spacer", "elementor-custom-embed", "elementor-icon-wrapper",
    "elementor-icon-box-wrapper", "elementor-counter", "elementor-progress-wrapper", "elementor-alert",
    "elementor-soundcloud-wrapper", "elementor-shortcode", "elementor-menu-anchor", "elementor-title",
])
#: Excluded from the consecutive sentence beginnings (lists and tables).
BEGINNINGS_EXCLUDED = frozenset(["ol", "ul", "table"])

# The flat string decodes every entity (the tree keeps some as "#name;").
_FLAT_ENTITIES = dict(_text.HASHED_ENTITIES, **{"nbsp;": "\u00a0"})
_HASHED_RE = re.compile("#(" + "|".join(re.escape(k) for k in _text.HASHED_ENTITIES) + ")")
_WHITESPACE_ONLY = re.compile(r"^[\n\s]+$")
#: Control characters lxml refuses (they carry no text anyway).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Sentence:
    text: str
    tokens: list[str]
    #: Words with hyphenated words kept whole (sentence and paragraph lengths).
    words: list[str]
    #: Number of words with hyphenated words split (density, transition words' text length).
    split_word_count: int


@dataclass
class TextNode:
    """A paragraph (explicit or implicit) or a heading of the tree."""

    name: str  # "p", "h1".."h6"
    inner_text: str  # entities still hashed, as yoastseo splits it
    implicit: bool = False
    in_figcaption: bool = False
    only_anchors: bool = False
    in_list_or_table: bool = False
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def is_heading(self) -> bool:
        return self.name in HEADINGS

    def text(self) -> str:
        return _text.unhash_entities(self.inner_text)


@dataclass
class Image:
    alt: str


@dataclass
class Anchor:
    href: str | None
    text: str


@dataclass
class Document:
    nodes: list[TextNode]
    images: list[Image]
    anchors: list[Anchor]
    h1s: list[str]
    flat: str

    def sentences(self, exclude_lists_and_tables: bool = False) -> list[Sentence]:
        return [s for n in self.nodes if not (exclude_lists_and_tables and n.in_list_or_table) for s in n.sentences]


# --- the tree ---------------------------------------------------------------------------------

class _Node:
    __slots__ = ("name", "attrs", "children", "implicit", "overarching")

    def __init__(self, name: str, attrs: dict | None, children: list, implicit: bool = False) -> None:
        self.name = name
        self.attrs = attrs or {}
        self.children = children  # _Node or str (text)
        self.implicit = implicit
        self.overarching = False


def _classes(attrs: dict) -> list[str]:
    value = attrs.get("class")
    return value.split() if value else []


def _attributes(el) -> dict[str, str]:
    try:
        return dict(el.attrib)
    except ValueError:  # an attribute name lxml cannot represent ("<p {>"): keep the valid ones
        out = {}
        for key in el.attrib.keys():
            try:
                out[key] = el.get(key)
            except ValueError:
                pass
        return out


def _convert(el) -> _Node:
    """lxml element -> node with text children, comments kept as "#comment" (they split paragraphs)."""
    children: list = []
    if el.text:
        children.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            children.append(_convert(child))
        else:  # comment or processing instruction
            children.append(_Node("#comment", None, []))
        if child.tail:
            children.append(child.tail)
    return _Node(el.tag.lower() if isinstance(el.tag, str) else "#comment", _attributes(el), children)


def _is_phrasing(child) -> bool:
    return isinstance(child, str) or child.name in PHRASING


def _combine(children: list) -> list:
    """Group runs of inline content into implicit paragraphs (yoastseo's combineIntoImplicitParagraphs)."""
    out: list = []
    run: list = []
    count = len(children)
    for i, child in enumerate(children):
        if isinstance(child, str):
            keep = not _WHITESPACE_ONLY.match(child)
        elif child.name in PHRASING:
            keep = True
            if child.name == "br":
                prev = children[i - 1] if i > 0 else None
                nxt = children[i + 1] if i + 1 < count else None
                if (isinstance(prev, _Node) and prev.name == "br") or (isinstance(nxt, _Node) and nxt.name == "br"):
                    keep = False
        else:
            keep = False
        if keep:
            run.append(child)
        else:
            if run:
                out.append(_Node("p", None, run, implicit=True))
                run = []
            out.append(child)
    if run:
        out.append(_Node("p", None, run, implicit=True))
    return out


def _adapt(node: _Node) -> _Node:
    node.children = [child if isinstance(child, str) else _adapt(child) for child in node.children]
    name = node.name
    if name == "p":
        kids = node.children
        if any(isinstance(c, _Node) and c.name == "br" and i + 1 < len(kids) and isinstance(kids[i + 1], _Node)
               and kids[i + 1].name == "br" for i, c in enumerate(kids)):
            node.overarching = True
            node.children = _combine(kids)
    elif name not in PHRASING and name not in HEADINGS and name != "#comment":
        node.children = _combine(node.children)
    return node


def _inner_text(node: _Node) -> str:
    parts: list[str] = []

    def walk(n: _Node) -> None:
        if n.name in EMPTIED or n.name == "#comment":
            return
        for child in n.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.name == "br":
                parts.append("\n")
            else:
                walk(child)

    walk(node)
    return "".join(parts)


def _removed(node: _Node) -> bool:
    if node.name in REMOVED or node.name == "#comment":
        return True
    if node.attrs:
        if node.attrs.get("id") == "breadcrumbs":
            return True
        if "class" in node.attrs and any(c in REMOVED_CLASSES for c in _classes(node.attrs)):
            return True
    return False


def _collect(root: _Node) -> tuple[list[TextNode], list[Image], list[Anchor], list[str]]:
    nodes: list[TextNode] = []
    images: list[Image] = []
    anchors: list[Anchor] = []
    h1s: list[str] = []

    def h1_content(n: _Node) -> str:
        parts: list[str] = []

        def walk(m: _Node) -> None:
            if m.name in EMPTIED:
                return
            for c in m.children:
                if isinstance(c, str):
                    parts.append(c)
                elif not _removed(c):
                    walk(c)

        walk(n)
        return "".join(parts)

    def walk(node: _Node, parent: _Node | None, in_list: bool) -> None:
        name = node.name
        if name == "img":
            images.append(Image(" ".join(node.attrs.get("alt", "").split()) if node.attrs.get("alt") else ""))
        elif name == "a":
            anchors.append(Anchor(node.attrs.get("href"), _text.unhash_entities(_inner_text(node))))
        if name == "p" and not node.overarching:
            kids = [c for c in node.children if not (isinstance(c, _Node) and _removed(c))]
            nodes.append(TextNode(
                "p", _inner_text(node), implicit=node.implicit,
                in_figcaption=node.implicit and parent is not None and parent.name == "figcaption",
                only_anchors=bool(kids) and all(isinstance(c, _Node) and c.name == "a" for c in kids),
                in_list_or_table=in_list,
            ))
        elif name in HEADINGS:
            nodes.append(TextNode(name, _inner_text(node), in_list_or_table=in_list))
            if name == "h1":
                content = _text.unhash_entities(h1_content(node))
                if content:
                    h1s.append(content)
        child_in_list = in_list or name in BEGINNINGS_EXCLUDED or "wp-block-table" in _classes(node.attrs)
        for child in node.children:
            if isinstance(child, _Node) and not _removed(child):
                walk(child, node, child_in_list)

    walk(root, None, False)
    return nodes, images, anchors, h1s


# --- the flat string --------------------------------------------------------------------------

def _flat(el, out: list[str]) -> None:
    """yoastseo's htmlParser: the HTML again, without ignored elements, entities decoded."""
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            tag = tag.lower()
            attrs = _attributes(child)
            if tag in FLAT_IGNORED_TAGS or (attrs.get("class") and any(c in FLAT_IGNORED_CLASSES for c in attrs["class"].split())):
                pass
            else:
                if attrs:
                    out.append("<" + tag + "".join(" " + k + "='" + v + "'" for k, v in attrs.items()) + ">")
                else:
                    out.append("<" + tag + ">")
                if child.text:
                    out.append(child.text)
                _flat(child, out)
                out.append("</" + tag + ">")
        if child.tail:
            out.append(child.tail)


def _unhash_flat(text: str) -> str:
    if "#" not in text:
        return text
    return _HASHED_RE.sub(lambda m: _FLAT_ENTITIES[m.group(1)], text)


# --- entry point ------------------------------------------------------------------------------

def parse(html: str) -> Document:
    if _CONTROL.search(html):
        html = _CONTROL.sub("", html)
    hashed = _text.ENTITY_RE.sub(lambda m: "#" + m.group(1).lower(), html)
    if not hashed.strip():
        return Document([], [], [], [], "")
    root_el = etree.fromstring("<html><body>" + hashed + "</body></html>", _PARSER)
    container = root_el.find("body") if root_el is not None else None
    if container is None:
        return Document([], [], [], [], "")
    # The tree
    root = _adapt(_convert(container))
    root.name = "#document-fragment"
    nodes, images, anchors, h1s = _collect(root)
    for node in nodes:
        node.sentences = _sentences(node.inner_text)
    # The flat string
    parts: list[str] = []
    if container.text:
        parts.append(container.text)
    _flat(container, parts)
    flat = _unhash_flat("".join(parts))
    return Document(nodes, images, anchors, h1s, flat)


def _sentences(inner_text: str) -> list[Sentence]:
    out = []
    for raw in _text.tree_sentences(inner_text):
        tokens = _text.split_into_tokens(raw)
        if "#" in raw:
            raw = _text.unhash_entities(raw)
            tokens = [_text.unhash_entities(t) for t in tokens]
        tokens = [_text.normalize_single(t) for t in tokens]
        words = _text.words_from_tokens(tokens, split_on_hyphens=False)
        split_count = len(_text.words_from_tokens(tokens, split_on_hyphens=True)) if "-" in tokens else len(words)
        out.append(Sentence(raw, tokens, words, split_count))
    return out
