"""The rewrite's links carry exactly the attributes of the draft's links.

The model chooses a link's anchor text and its place, never its attributes: whatever it writes
on an ``<a>`` besides ``href`` is ignored. The bridge gives each link the attributes that the
draft's link to the same address had (addresses compared by :func:`~wp_seo_bridge.urls.normalize_url`):
``href`` itself, ``rel`` (``nofollow``, ``sponsored``, ``ugc``, ``noopener``, ``noreferrer``: legal
and SEO obligations), ``target``, ``title`` and ``hreflang``. When the draft's links to one address
disagree, the model cannot tell which of them it rewrote, so every link to that address gets all
of their marks: ``rel`` is the union of their tokens (a ``sponsored`` or ``nofollow`` on any of
them is never lost), and each other attribute is the first non-empty one (``href`` the first
link's). A link the draft does not have (the site's own host, an allowed domain) gets its
``href`` alone.

One addition: a link with a ``target`` whose ``rel`` lacks ``noopener`` gets it, appended. WordPress
adds it on every save of such a link anyway (``wp_targeted_link_rel``), so the article the bridge
shows is the one WordPress stores. Nothing else is ever added.

Links inside kept elements (placeholders) are not touched: they go back byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping

from bs4 import BeautifulSoup

from .content import Document, Placeholder, sanitize_inline
from .urls import normalize_url

#: What a draft's link keeps, as the draft has it.
KEPT_ATTRIBUTES = ("href", "rel", "target", "title", "hreflang")

#: Normalised address -> the attributes of the draft's links to it, merged.
DraftLinks = Mapping[str, Mapping[str, str]]


def _links(markup: str) -> list:
    if "<a" not in markup.lower():
        return []
    # multi_valued_attributes=None: ``rel`` stays the string the draft wrote, tokens in its order.
    return BeautifulSoup(markup, "html.parser", multi_valued_attributes=None).find_all("a")


def draft_links(source: Document) -> dict[str, dict[str, str]]:
    """The attributes of the draft's links (text and kept elements), by normalised address, merged."""
    found: dict[str, dict[str, str]] = {}
    for block in source.blocks:
        markups = [block.markup] if isinstance(block, Placeholder) else [block.html, *block.items, block.citation]
        for markup in markups:
            for link in _links(markup):
                href = (link.get("href") or "").strip()
                if not href:
                    continue
                attributes = {name: link[name] for name in KEPT_ATTRIBUTES if link.get(name) is not None}
                key = normalize_url(href)
                found[key] = merged(found[key], attributes) if key in found else attributes
    return found


def merged(first: Mapping[str, str], other: Mapping[str, str]) -> dict[str, str]:
    """The attributes of two links to one address: every ``rel`` token of both (in the order first
    seen, each once whatever its case), and otherwise the first non-empty value."""
    result = dict(first)
    for name, value in other.items():
        if name == "rel":
            tokens = result.get("rel", "").split()
            seen = {token.lower() for token in tokens}
            tokens += [t for t in value.split() if t.lower() not in seen and not seen.add(t.lower())]
            if tokens:
                result["rel"] = " ".join(tokens)
        elif not result.get(name, "").strip() and value.strip():
            result[name] = value
    return result


def with_draft_attributes(html: str, links: DraftLinks) -> str:
    """``html`` (sanitised inline markup) with each link's attributes replaced by the draft's.

    The result is sanitised again, so what the draft's attributes hold passes the same rules as
    any inline markup.
    """
    if "<a" not in html.lower():
        return html
    soup = BeautifulSoup(html, "html.parser", multi_valued_attributes=None)
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
        attributes = dict(links.get(normalize_url(href), {})) if href else {}
        if not attributes and href:
            attributes = {"href": href}
        if "target" in attributes:
            attributes = _with_noopener(attributes)
        link.attrs = attributes
    return sanitize_inline(str(soup))


def _with_noopener(attributes: dict[str, str]) -> dict[str, str]:
    tokens = attributes.get("rel", "").split()
    if "noopener" in (token.lower() for token in tokens):
        return attributes
    return {**attributes, "rel": " ".join([*tokens, "noopener"])}
