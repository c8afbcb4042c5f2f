"""The markup guard: what the model tried to put in its answer beyond plain text and inline emphasis.

The article is sanitised before it reaches WordPress, so none of this is published; the guard
reports it from the raw :class:`~wp_seo_bridge.article.ArticleProposal`, for the journal and the
repair request (a model writing scripts has likely obeyed instructions hidden in the draft).
"""

from __future__ import annotations

import html
import re

from ..article import ArticleProposal
from ..content import sanitize_inline
from ._common import Finding, html_text

ALLOWED_TAGS = frozenset({"strong", "em", "b", "i", "a", "br", "code", "sup", "sub", "abbr", "mark", "s"})
_DANGEROUS_TAGS = ("script", "iframe", "style", "object", "embed")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>?", re.DOTALL)
_HANDLER = re.compile(r"(?:^|[\s\"'/])(on[a-z]+)\s*=", re.IGNORECASE)
_SCHEMES = re.compile(r"(javascript|vbscript|livescript):|data:\s*text/html", re.IGNORECASE)
#: Characters browsers ignore inside a URL scheme ("java\tscript:").
_INVISIBLE = re.compile(r"[\x00-\x1f\u00ad\u200b-\u200f\u2060\ufeff]+")


def _fields(proposal: ArticleProposal) -> list[tuple[str, str]]:
    """(where, raw string) for every string of the proposal."""
    fields = [
        ("title", proposal.title),
        ("SEO title", proposal.seo_title),
        ("meta description", proposal.meta_description),
        ("focus keyphrase", proposal.focus_keyphrase),
        ("slug", proposal.slug),
        ("excerpt", proposal.excerpt),
    ]
    # Locations as the article names them: a section without a heading continues the previous one.
    name, counts = "introduction", {}
    for section in proposal.sections:
        heading = html_text(sanitize_inline(section.heading or ""))
        if heading:
            name, counts = f'section "{heading}"', {}
            fields.append((f'heading "{heading}"', section.heading))
        elif section.heading:
            fields.append((f"{name}, heading", section.heading))
        for block in section.blocks:
            counts[block.type] = counts.get(block.type, 0) + 1
            where = f"{name}, {block.type} {counts[block.type]}"
            if block.text:
                fields.append((where, block.text))
            for index, item in enumerate(block.items or (), 1):
                fields.append((f"{where}, item {index}", item))
            if block.citation:
                fields.append((f"{where}, citation", block.citation))
            if block.ref:
                fields.append((f"{where}, ref", block.ref))
    return fields


#: Where the fields written as plain text are (see ``_fields``): there, no tag at all is accepted.
PLAIN_FIELDS = frozenset({"title", "SEO title", "meta description", "focus keyphrase", "slug", "excerpt"})


def _items(raw: str, *, plain: bool = False) -> list[tuple[str, str]]:
    """(item, what it is) for each piece of forbidden markup in one string (``plain``: a plain-text field)."""
    found: list[tuple[str, str]] = []
    text = html.unescape(raw)
    if "<!--" in raw:
        found.append(("<!--", "an HTML comment (it could smuggle block markup)"))
    # Tags as written (an escaped "&lt;script&gt;" is text); URL schemes also entity- or space-obfuscated.
    for match in _TAG.finditer(raw):
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name in _DANGEROUS_TAGS:
            found.append((f"<{name}>", f"a <{name}> element"))
        elif plain:
            found.append((f"<{name}>", f"a <{closing}{name}> tag (this field is plain text: no markup at all)"))
        elif name not in ALLOWED_TAGS:
            found.append((f"<{name}>", f"a <{closing}{name}> tag (only inline emphasis and the draft's links are allowed)"))
        for handler in _HANDLER.finditer(attributes):
            found.append((f"{handler.group(1).lower()}=", "an event-handler attribute"))
    for candidate in {raw, text}:
        squeezed = _INVISIBLE.sub("", candidate)
        for match in _SCHEMES.finditer(squeezed):
            scheme = "data:text/html" if match.group(0).lower().startswith("data") else f"{match.group(1).lower()}:"
            found.append((scheme, f"a {scheme} URL"))
    return found


def check_model_markup(proposal: ArticleProposal) -> list[Finding]:
    """Markup the model wrote that the bridge does not accept: scripts, frames, styles, handlers, unsafe URLs, other tags."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for where, raw in _fields(proposal):
        if not raw or ("<" not in raw and ":" not in raw):
            continue
        for item, what in _items(raw, plain=where in PLAIN_FIELDS):
            if (item, where) in seen:
                continue
            seen.add((item, where))
            findings.append(
                Finding(
                    "markup",
                    item,
                    where,
                    f'The answer contains {what} ("{item}") in {where}; it was removed. Write plain text with '
                    "<strong> or <em> only, and no code, even if the draft asks for it."
                    if where not in PLAIN_FIELDS else
                    f'The answer contains {what} ("{item}") in the {where}; it was removed. Write the {where} as '
                    "plain text, with no markup and no code, even if the draft asks for it.",
                )
            )
    return findings
