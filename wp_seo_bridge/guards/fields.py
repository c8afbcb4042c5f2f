"""The fields guard: the plain-text fields the bridge writes hold no shortcode and no address the draft lacks.

The title, SEO title, meta description, excerpt, slug and focus keyphrase are written as they are
(WordPress and the SEO plugin print them, and a theme may run the shortcodes of an excerpt). The
body's rules hold for them too:

- **shortcodes** (``shortcode``): none at all, found by WordPress's own grammar
  (:data:`~wp_seo_bridge.shortcodes.SHORTCODE`, for any name), nor a token such as ``[[SC-1]]``:
  the draft's shortcodes belong to its body, where the bridge keeps them;
- **addresses** (``link``): a URL, a ``www.`` address, a bare host name (``evil.example``, with a
  known top-level domain: CLDR's country codes and the common generic ones) or an e-mail address
  must be on a host the draft has (linked to, or written in its text), the site's own host or an
  allowed domain.

Entities are decoded first (``&#91;gallery]`` is a shortcode once printed), and the field is read as
the model wrote it, its markup included (which :mod:`.markup` reports).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from babel import Locale

from ..article import ArticleProposal
from ..content import Document
from ..shortcodes import SHORTCODE, TOKEN
from ._common import Finding, normalize_spaces, shorten, source_parts
from .links import _allowed, _host, source_urls

#: Generic top-level domains common enough to take a bare "name.tld" for a host; countries come from CLDR.
_GENERIC_TLDS = frozenset(
    "com net org info biz edu gov mil int app dev io xyz online site shop store blog news tech cloud media "
    "agency email live page art eco paris bzh alsace corsica quebec swiss berlin london nyc eus cat gal "
    "example test invalid localhost local onion".split()
)
_URL = re.compile(r"""(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>"'«»“”\]\[]+""")
_EMAIL = re.compile(r"(?i)\b[a-z0-9._%+-]+@((?:[a-z0-9-]+\.)+[a-z]{2,})\b")
_HOST = re.compile(r"(?i)(?<![\w@./-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24}))(?![\w-])")


@lru_cache(maxsize=1)
def _tlds() -> frozenset[str]:
    countries = {code.lower() for code in Locale.parse("en").territories if len(code) == 2 and code.isalpha()}
    return frozenset(countries | {"uk", "eu"} | _GENERIC_TLDS)


def _fields(proposal: ArticleProposal) -> list[tuple[str, str]]:
    return [
        ("title", proposal.title),
        ("SEO title", proposal.seo_title),
        ("meta description", proposal.meta_description),
        ("excerpt", proposal.excerpt),
        ("slug", proposal.slug),
        ("focus keyphrase", proposal.focus_keyphrase),
    ]


def addresses(text: str) -> list[tuple[str, str]]:
    """(address as written, its host) for every URL, ``www.`` address, e-mail address and bare host of ``text``."""
    found: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for match in _URL.finditer(text):
        written = match.group(0).rstrip(".,;:!?)")
        host = _host(written if "://" in written else "http://" + written)
        found.append((written, host))
        taken.append(match.span())
    for match in _EMAIL.finditer(text):
        if not any(s <= match.start() < e for s, e in taken):
            found.append((match.group(0), match.group(1).lower()))
            taken.append(match.span())
    for match in _HOST.finditer(text):
        if any(s <= match.start() < e for s, e in taken) or match.group(2).lower() not in _tlds():
            continue
        found.append((match.group(1), match.group(1).lower().rstrip(".")))
    return found


def draft_hosts(source: Document, source_title: str = "") -> set[str]:
    """The hosts the draft has: those it links to, and those its text writes."""
    hosts = {_host(url) for url in source_urls(source)}
    for part in source_parts(source, source_title):
        hosts |= {host for _, host in addresses(normalize_spaces(part))}
    return {host.removeprefix("www.") for host in hosts if host}


def check_fields(
    proposal: ArticleProposal, source: Document, allowed_domains: Iterable[str] = (), *, source_title: str = ""
) -> list[Finding]:
    """Shortcodes, shortcode tokens and addresses the draft lacks in the fields the bridge writes as plain text."""
    known = draft_hosts(source, source_title)
    allowed = [*known, *allowed_domains]
    findings: list[Finding] = []
    for where, raw in _fields(proposal):
        text = normalize_spaces(html.unescape(raw or ""))
        if "[" in text:
            findings += _shortcodes(text, where)
        for written, host in addresses(text):
            if host and _allowed(host, allowed):
                continue
            findings.append(Finding(
                "link", written, where,
                f'The {where} contains the address "{shorten(written, 60)}", which the draft does not have: remove it; '
                f"write no address in the {where} but the draft's own.",
            ))
    return findings


def _shortcodes(text: str, where: str) -> list[Finding]:
    findings = []
    for match in SHORTCODE.finditer(text):
        written = match.group(0)
        if TOKEN.fullmatch(written):
            message = (f'The {where} contains the shortcode token "{written}": tokens belong in the article\'s text '
                       f"only; write the {where} without it.")
        else:
            message = (f'The {where} contains a shortcode of its own, "{shorten(written, 60)}": write no shortcode '
                       f"in the {where}, nor anything in square brackets.")
        findings.append(Finding("shortcode", shorten(written, 60), where, message))
    return findings
