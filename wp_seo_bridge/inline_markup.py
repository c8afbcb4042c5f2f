"""The inline markup a text block may carry: links, emphasis; nothing else."""

from __future__ import annotations

import nh3

#: Inline markup a text block may carry; anything else is dropped from text (never from kept elements).
INLINE_TAGS = {"a", "strong", "em", "b", "i", "code", "br", "sup", "sub", "abbr", "mark", "s"}
INLINE_ATTRIBUTES = {"a": {"href", "title", "hreflang", "rel", "target"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: Elements that go with their content (each reported as removed): what they hold is no text of the paragraph.
_WITHOUT_TEXT = {"script", "style", "noscript", "noembed", "noframes", "xmp", "plaintext", "template", "iframe", "object"}


def sanitize_inline(html: str) -> str:
    """Inline markup only: links (http/https/mailto/tel), emphasis; no scripts, styles or handlers."""
    return nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags=_WITHOUT_TEXT,
        link_rel=None,
        strip_comments=True,
    ).strip()
