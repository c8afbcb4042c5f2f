"""Markup the bridge keeps from a draft: kept byte for byte when clean, sanitised when not.

The bridge writes with an editor's rights, which WordPress trusts with unfiltered HTML, so it
must never carry into WordPress markup that the draft's author could not have published. From
the draft, the bridge never keeps:

- ``script``, ``style``, ``iframe``, ``object``, ``embed``, ``form``, ``base``, ``link``, ``frame``,
  ``frameset``, ``applet`` and ``template`` (declarative shadow roots) elements, and a ``meta``
  element's ``http-equiv``;
- any ``on*`` event-handler attribute, and a ``style`` attribute holding script (``expression()``);
- ``javascript:``, ``vbscript:`` and ``data:`` URLs (a raster ``data:image/png|jpeg|gif|webp`` in
  an ``img src`` excepted; never SVG).

The one exception is the site's allow-list (``rewrite.trusted_embed_hosts``): a ``script`` or
``iframe`` whose ``src`` is on a listed host may stay in a core embed block, a Custom HTML block
or a classic-editor HTML fragment.

Markup is inspected as a browser parses it (lexbor, an HTML5 parser), and cleaned with nh3 (an
HTML5 sanitiser) when something must go. An element that leaves a comment or a raw-text element
open is cleaned too: it would swallow the next element and could turn its text into markup. What goes is counted in a :class:`Removed` tally,
reported as "1 script element, 1 onerror attribute".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import nh3
from selectolax.lexbor import LexborHTMLParser

from .html_text import html_to_text

#: Elements removed with their content, wherever they are (trusted scripts and frames aside).
EXECUTABLE_ELEMENTS = frozenset(
    {"script", "style", "iframe", "object", "embed", "form", "base", "link", "frame", "frameset", "applet", "template"}
)
#: Elements the site's allow-list can trust, by the host of their ``src``.
_TRUSTABLE = frozenset({"script", "iframe"})
_BAD_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "data"})
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "poster", "background", "cite", "data", "longdesc", "lowsrc",
     "dynsrc", "codebase", "classid", "archive", "usemap", "manifest", "ping", "xlink:href", "xml:base", "imagesrcset"}
)
_RASTER_DATA = re.compile(r"data:image/(?:png|jpe?g|gif|webp)[;,]", re.I)
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
#: What browsers ignore in a URL: around it, C0 controls and spaces; inside it, tabs and newlines.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_STYLE_SCRIPT = re.compile(r"expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)

#: Where kept markup comes from: the rules differ a little (see :func:`keep`).
Origin = Literal["block", "embed", "html", "fragment", "shortcode", "media"]


@dataclass(frozen=True)
class Removed:
    """A tally of what was removed from a draft: ``str()`` gives "1 script element, 2 onerror attributes"."""

    counts: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, labels: Iterable[str]) -> Removed:
        counts: dict[str, int] = {}
        for name in labels:
            counts[name] = counts.get(name, 0) + 1
        return cls(tuple(counts.items()))

    def __add__(self, other: Removed) -> Removed:
        counts = dict(self.counts)
        for name, count in other.counts:
            counts[name] = counts.get(name, 0) + count
        return Removed(tuple(counts.items()))

    def __bool__(self) -> bool:
        return bool(self.counts)

    def __str__(self) -> str:
        return ", ".join(f"{count} {_plural(name) if count > 1 else name}" for name, count in self.counts)

    def as_dict(self) -> dict[str, int]:
        return dict(self.counts)


def _plural(label: str) -> str:
    return label + "s"


@dataclass(frozen=True)
class Kept:
    """What :func:`keep` made of a draft's element: its markup (None: dropped) and what was removed."""

    markup: str | None
    removed: Removed = Removed()


@dataclass(frozen=True)
class _Problem:
    label: str
    #: A script or iframe from a host on the site's allow-list.
    trusted: bool = False
    #: An executable script (an untrusted ``script`` element).
    script: bool = False


def _scheme(value: str) -> str:
    match = _SCHEME.match(_URL_IGNORED.sub("", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r"
                                                          "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                                          "\x1b\x1c\x1d\x1e\x1f ")))
    return match.group(1).lower() if match else ""


def _urls(name: str, value: str) -> list[str]:
    if name.endswith("srcset"):
        return [candidate.strip().split(" ")[0] for candidate in value.split(",")]
    return [value]


def attribute_problem(tag: str, name: str, value: str | None) -> str | None:
    """Why an attribute must go ("onerror attribute", "javascript: URL"), or None when it may stay."""
    name = name.lower()
    if name.startswith("on"):
        return f"{name} attribute"
    if value is None:
        return None
    if tag == "meta" and name == "http-equiv":
        return "meta http-equiv element"
    if name == "style" and _STYLE_SCRIPT.search(_URL_IGNORED.sub("", value)):
        return "style attribute"
    is_url = name in _URL_ATTRIBUTES or name.endswith(("href", "src", "srcset", "action"))
    for url in _urls(name, value) if is_url else [value]:
        scheme = _scheme(url)
        if scheme not in _BAD_SCHEMES or (scheme == "data" and not is_url):
            continue  # "data: 12 %" in a title is text
        if scheme == "data" and tag == "img" and name == "src" and _RASTER_DATA.match(url.strip()):
            continue
        return f"{scheme}: URL"
    return None


def _trusted(src: str | None, hosts: Iterable[str]) -> bool:
    if not src:
        return False
    parts = urlsplit(src.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http", "") or not host:
        return False
    return any(host == h or host.endswith("." + h) for h in (h.strip().lower().lstrip(".") for h in hosts) if h)


def _inspect(markup: str, trusted_hosts: Iterable[str]) -> tuple[list[_Problem], set[str], set[str]]:
    """What must go from ``markup``, as a browser parses it; also the tag names and URL schemes in it."""
    problems: list[_Problem] = []
    tags: set[str] = set()
    schemes: set[str] = set()
    tree = LexborHTMLParser(markup)
    removed_nodes: list = []
    for node in tree.root.traverse(include_text=False):
        tag = (node.tag or "").lower()
        if tag.startswith("-") or tag in ("html", "head", "body"):
            continue
        tags.add(tag)
        if any(_is_ancestor(ancestor, node) for ancestor in removed_nodes):
            continue
        attributes = node.attributes
        for name, value in attributes.items():
            if value:
                schemes.add(_scheme(value))
        if tag in EXECUTABLE_ELEMENTS:
            trusted = (
                tag in _TRUSTABLE
                and _trusted(attributes.get("src"), trusted_hosts)
                and "srcdoc" not in attributes
                and not any(attribute_problem(tag, n, v) for n, v in attributes.items())
            )
            problems.append(_Problem(f"{tag} element", trusted=trusted, script=tag == "script" and not trusted))
            removed_nodes.append(node)
            continue
        for name, value in attributes.items():
            problem = attribute_problem(tag, name, value)
            if problem:
                problems.append(_Problem(problem))
    schemes.discard("")
    if not _self_contained(markup):
        problems.append(_Problem("unclosed comment or raw-text element"))
    return problems, tags, schemes


_PROBE = "data-wp-seo-bridge-probe"


def _self_contained(markup: str) -> bool:
    """True when what follows ``markup`` is read as markup again: no comment, raw-text element
    (``textarea``, ``title``, ``xmp``...) or tag left open to swallow the next element, whose
    attribute text could then become markup."""
    if "<" not in markup:
        return True
    return LexborHTMLParser(f"{markup}<b {_PROBE}></b>").css_first(f"[{_PROBE}]") is not None


def _is_ancestor(ancestor, node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def _sanitise(markup: str, tags: set[str], schemes: set[str]) -> str:
    """``markup`` without anything executable; everything else (block comments included) kept."""

    def attribute_filter(tag: str, name: str, value: str) -> str | None:
        return None if attribute_problem(tag, name, value) else value

    return nh3.clean(
        markup,
        tags=tags - EXECUTABLE_ELEMENTS,
        clean_content_tags=set(EXECUTABLE_ELEMENTS),
        generic_attribute_prefixes={""},
        attribute_filter=attribute_filter,
        url_schemes=(schemes | {"http", "https", "mailto", "tel", "data"}) - {"javascript", "vbscript", "livescript"},
        strip_comments=False,
        link_rel=None,
    )


def executable_parts(markup: str, trusted_hosts: Iterable[str] = ()) -> Removed:
    """What in ``markup`` could run in a browser, the allow-listed scripts and frames aside."""
    problems, _, _ = _inspect(markup, trusted_hosts)
    return Removed.of(p.label for p in problems if not p.trusted)


def keep(markup: str, origin: Origin, trusted_hosts: Iterable[str] = ()) -> Kept:
    """A draft's element as the bridge may keep it.

    Clean markup comes back unchanged, byte for byte. Otherwise what is executable is removed
    and counted, and the rest kept, with block comments and attributes; a Custom HTML block or a
    classic-editor fragment that holds an untrusted script is dropped whole, as is an element
    left with nothing in it. ``trusted_hosts`` applies to embeds, Custom HTML and classic
    fragments only.
    """
    hosts = tuple(trusted_hosts) if origin in ("embed", "html", "fragment") else ()
    problems, tags, schemes = _inspect(markup, hosts)
    if not any(not p.trusted for p in problems):
        return Kept(markup)
    removed = [p.label for p in problems]
    sanitised = _sanitise(markup, tags, schemes)
    leftover = _COMMENT.sub("", sanitised)
    has_content = bool(html_to_text(leftover)) or "<img" in leftover or "<video" in leftover or "<audio" in leftover
    if origin in ("html", "fragment") and any(p.script for p in problems):
        container = ["custom HTML block" if origin == "html" else "HTML fragment"] if has_content else []
        return Kept(None, Removed.of(container + removed))
    if not has_content and origin != "shortcode":
        return Kept(None, Removed.of(removed))
    if executable_parts(sanitised):
        # nh3 and lexbor disagreed about something: keep nothing rather than something unsafe.
        return Kept(None, Removed.of(removed))
    return Kept(sanitised, Removed.of(removed))
