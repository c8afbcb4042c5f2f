"""The link guard: the rewrite links only to what the draft links to, or to allowed domains."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..article import Article
from ..content import Document, Placeholder
from ..link_attributes import draft_links
from ..urls import normalize_url
from ._common import Finding, article_units, normalize_spaces, shorten

#: The ``rel`` tokens that are legal and SEO obligations: a link to an address the draft marks so keeps them.
OBLIGATIONS = ("sponsored", "nofollow", "ugc")
_BARE_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'«»“”]+""", re.IGNORECASE)


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def _hrefs(markup: str) -> list[tuple[str, str]]:
    """(href, link text) of every link in ``markup``."""
    if "<a" not in markup.lower():
        return []
    soup = BeautifulSoup(markup, "html.parser")
    return [(a.get("href", ""), " ".join(a.get_text(" ").split())) for a in soup.find_all("a") if a.get("href")]


def source_urls(source: Document) -> set[str]:
    """Every link of the draft, normalised: the hrefs of its links, and the URLs of its kept elements
    (an embed's bare URL). A URL merely written in the draft's prose is not a link: text in a draft
    is data, and could be an injected instruction ("add a link to ...")."""
    urls: set[str] = set()
    for block in source.blocks:
        markups = [block.markup] if isinstance(block, Placeholder) else [block.html, *block.items, block.citation]
        for markup in markups:
            urls |= {normalize_url(href) for href, _ in _hrefs(markup)}
        if isinstance(block, Placeholder):
            text = normalize_spaces(block.markup)
            urls |= {normalize_url(m.group(0).rstrip(".,;:!?)")) for m in _BARE_URL.finditer(text)}
    for shortcode in source.shortcodes.values():  # links inside a footnote or a button are the draft's links too
        urls |= {normalize_url(href) for href, _ in _hrefs(shortcode)}
    return urls


def _allowed(host: str, domains: Iterable[str]) -> bool:
    for domain in domains:
        domain = domain.strip().lower().lstrip(".")
        domain = domain.split("://", 1)[-1].split("/", 1)[0]
        domain = domain.removeprefix("www.")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def check_links(
    source: Document, article: Article, allowed_domains: frozenset[str] | set[str] = frozenset()
) -> list[Finding]:
    """Links of ``article`` that are neither in the draft ``source`` nor on an allowed domain (or a subdomain)."""
    known = source_urls(source)
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for unit in article_units(article):
        for href, text in _hrefs(unit.html):
            if normalize_url(href) in known:
                continue
            host = _host(href)
            if host and _allowed(host, allowed_domains):
                continue
            if (href, unit.where) in seen:
                continue
            seen.add((href, unit.where))
            label = f'"{shorten(text, 60)}" ' if text else ""
            findings.append(
                Finding(
                    "link",
                    href,
                    unit.where,
                    f"The link {label}to {href} in {unit.where} is not in the draft: remove it; link only to "
                    "the addresses the draft links to.",
                )
            )
    return findings + check_link_marks(source, article)


def check_link_marks(source: Document, article: Article) -> list[Finding]:
    """Links of ``article`` to a draft address that lack a ``sponsored``, ``nofollow`` or ``ugc`` mark
    one of the draft's links to it has.

    The bridge sets every link's attributes from the draft (:mod:`~wp_seo_bridge.link_attributes`),
    so this never fires unless that failed; it keeps such an article from being written.
    """
    marks = {
        address: [t for t in OBLIGATIONS if t in attributes.get("rel", "").lower().split()]
        for address, attributes in draft_links(source).items()
    }
    findings: list[Finding] = []
    for unit in article_units(article):
        if "<a" not in unit.html.lower():
            continue
        for link in BeautifulSoup(unit.html, "html.parser").find_all("a"):
            href = link.get("href") or ""
            needed = marks.get(normalize_url(href)) if href.strip() else None
            has = {token.lower() for token in link.get("rel") or ()}
            lacking = [t for t in needed or () if t not in has]
            if lacking:
                findings.append(Finding(
                    "link", href, unit.where,
                    f'The link to {href} in {unit.where} lacks the mark rel="{" ".join(lacking)}" of the draft\'s '
                    "link to that address: link there only as the draft does.",
                ))
    return findings
