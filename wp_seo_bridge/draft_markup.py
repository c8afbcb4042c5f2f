"""Markup the bridge keeps from a draft: kept byte for byte when clean, sanitised when not.

The bridge writes with an editor's rights, which WordPress trusts with unfiltered HTML, so it
must never carry into WordPress markup that the draft's author could not have published. From
the draft, the bridge never keeps:

- ``script``, ``style``, ``iframe``, ``object``, ``embed``, ``form``, ``base``, ``link``, ``frame``,
  ``frameset``, ``applet`` and ``template`` (declarative shadow roots) elements, and a ``meta``
  element's ``http-equiv``;
- ``noscript``, ``noembed`` and ``noframes`` (fallback content no reader's browser shows), and
  the obsolete raw-text elements ``xmp`` and ``plaintext``: browsers and parsers disagree on where
  their content ends (a browser running scripts reads a ``noscript``'s content as raw text, so a
  ``</noscript>`` inside an attribute closes it and what follows becomes live markup);
- any ``on*`` event-handler attribute, and a ``style`` attribute holding script (``expression()``);
- ``javascript:``, ``vbscript:`` and ``data:`` URLs (a raster ``data:image/png|jpeg|gif|webp`` in
  an ``img src`` excepted; never SVG).

The one exception is the site's allow-list (``rewrite.trusted_embed_hosts``): a ``script`` or
``iframe`` whose ``src`` is on a listed host may stay in a core embed block, a Custom HTML block
or a classic-editor HTML fragment.

Markup is inspected as browsers parse it (lexbor, an HTML5 parser): inside a post's page, and on
its own; with scripting on and off. What any of these readings finds executable must go, and
markup is cleaned with nh3 (an HTML5 sanitiser) when something must go; the cleaned markup is
checked again, the same ways. An element that leaves a comment or a raw-text element
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
    {"script", "style", "iframe", "object", "embed", "form", "base", "link", "frame", "frameset", "applet", "template",
     "noscript", "noembed", "noframes", "xmp", "plaintext"}
)
#: Elements whose content is read one way with scripting on, another with it off.
_SCRIPTING_DEPENDENT = frozenset({"noscript"})
#: What precedes a post's content in its page: the content is read in a body, in no-quirks mode.
_PAGE = "<!DOCTYPE html><html><head></head><body><div>"
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


_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def _scheme(value: str) -> str:
    match = _SCHEME.match(_URL_IGNORED.sub("", value.strip(_C0_AND_SPACE)))
    return match.group(1).lower() if match else ""


def _urls(name: str, value: str) -> list[str]:
    if name.endswith("srcset"):
        return [candidate.strip().split(" ")[0] for candidate in value.split(",")]
    return [value]


def url_problem(value: str) -> str | None:
    """Why a value taken as a URL must go ("javascript: URL"), or None. A raster ``data:`` image
    may stay; a ``data:`` value that is no URL (no comma: "data: 12 %") is text."""
    scheme = _scheme(value)
    if scheme not in _BAD_SCHEMES:
        return None
    if scheme == "data" and ("," not in value or _RASTER_DATA.match(_URL_IGNORED.sub("", value).strip())):
        return None
    return f"{scheme}: URL"


def attribute_problem(tag: str, name: str, value: str | None) -> str | None:
    """Why an attribute must go ("onerror attribute", "javascript: URL"), or None when it may stay."""
    name = name.lower()
    if name.startswith("on"):
        return f"{name} attribute"
    if value is None:
        return None
    if tag == "meta" and name == "http-equiv":
        return "meta http-equiv element"
    if name == "attributename" and value.strip().lower().startswith("on"):
        return "animated event-handler attribute"  # <svg><set attributeName="onclick" to="…">
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
    """True when a browser would load ``src`` from a host on the list (or a subdomain of one).

    What a browser and Python's URL parser read differently is never trusted: a backslash (a
    browser reads "/", so ``https://evil.example\\@host/`` is served by evil.example), a user name,
    an escaped host.
    """
    if not src:
        return False
    url = _URL_IGNORED.sub("", src.strip(_C0_AND_SPACE))
    parts = urlsplit(url)
    if "\\" in url or "@" in parts.netloc or "%" in parts.netloc:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("https", "http", "") or not host:
        return False
    return any(host == h or host.endswith("." + h) for h in (h.strip().lower().lstrip(".") for h in hosts) if h)


def _readings(markup: str) -> list[LexborHTMLParser]:
    """``markup`` as browsers may read it: in a post's page and on its own, scripting off and on.

    The first reading (in a page, scripting off: ``noscript`` holds what it encloses as markup)
    is the one whose elements the cleaning removes; the others only add what they find.
    """
    return [LexborHTMLParser(prefix + markup, scripting=scripting) for prefix in (_PAGE, "") for scripting in (False, True)]


def _inspect(markup: str, trusted_hosts: Iterable[str]) -> tuple[list[_Problem], set[str], set[str]]:
    """What must go from ``markup``, as browsers parse it; also the tag names and URL schemes in it.

    The problems are those of the first reading that finds any (see :func:`_readings`).
    """
    found: list[_Problem] = []
    tags: set[str] = set()
    schemes: set[str] = set()
    for tree in _readings(markup):
        problems = _problems(tree, trusted_hosts, tags, schemes)
        if not any(not p.trusted for p in found):
            found = problems
    schemes.discard("")
    # Markup left open is a reason to clean it; when there is another, cleaning closes it anyway
    # (a stray <noscript> is reported as a noscript element, once).
    if not any(not p.trusted for p in found) and not _self_contained(markup):
        found.append(_Problem("unclosed comment or raw-text element"))
    return found, tags, schemes


#: Elements a post's content cannot add to a page, but whose attributes it can (``<body onload>``).
_PAGE_ELEMENTS = ("html", "head", "body")


def _problems(tree: LexborHTMLParser, trusted_hosts: Iterable[str], tags: set[str], schemes: set[str]) -> list[_Problem]:
    problems: list[_Problem] = []
    removed_nodes: list = []
    for node in tree.root.traverse(include_text=False):
        tag = (node.tag or "").lower()
        if tag.startswith("-"):
            continue
        if tag not in _PAGE_ELEMENTS:
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
    return problems


_PROBE = "data-wp-seo-bridge-probe"


def _self_contained(markup: str) -> bool:
    """True when what follows ``markup`` is read as markup again, in every reading: no comment,
    raw-text element (``textarea``, ``title``, ``xmp``, ``noscript`` with scripting on...) or tag left
    open to swallow the next element, whose attribute text could then become markup."""
    if "<" not in markup:
        return True
    return all(tree.css_first(f"[{_PROBE}]") is not None for tree in _readings(f"{markup}<b {_PROBE}></b>"))


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

    if tags & _SCRIPTING_DEPENDENT:
        markup = _without_elements(markup, _SCRIPTING_DEPENDENT)
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


def _without_elements(markup: str, names: frozenset[str]) -> str:
    """``markup`` without the elements ``names``, and all they hold read with scripting off.

    nh3 reads with scripting on, where a ``noscript`` ends at the first ``</noscript>``, in an
    attribute if need be; with scripting off it holds everything up to its end tag, what is
    enclosed by a browser that does not run scripts. Removing that first removes both readings.
    """
    tree = LexborHTMLParser(markup, is_fragment=True)
    for node in tree.css(", ".join(sorted(names))):
        node.decompose()
    return tree.html or ""


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
