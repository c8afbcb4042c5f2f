"""A draft's lights as Yoast shows them, before any rewrite (the ``analyze`` command).

Kept apart from the rewrite pipeline so that analysing a local file needs neither the WordPress
client nor the model SDK: ``analyze --file`` starts quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .analysis import Analysis, Paper, analyze
from .content import Document, parse, render

if TYPE_CHECKING:
    from .wordpress.models import SeoFields
    from .wordpress.site import WordPressSite


def analyze_draft(
    document: Document, title: str, *, keyphrase: str, seo: SeoFields | None = None, slug: str = "", site_url: str = ""
) -> Analysis:
    """The draft's lights, as Yoast would show them before the rewrite."""
    return analyze(
        Paper(
            text=render(document.blocks, "classic", document.shortcodes),
            keyphrase=keyphrase,
            title=(seo.title if seo else "") or title,
            description=(seo.description if seo else "") or "",
            slug=slug,
            site_url=site_url,
        )
    )


def analyze_post(site: WordPressSite, post_id: int, keyphrase: str | None = None) -> Analysis:
    """A post's lights as Yoast shows them (any status; nothing is written)."""
    post = site.get_post(post_id)
    return analyze_draft(
        parse(post.content, trusted_embed_hosts=site.settings.rewrite.trusted_embed_hosts), post.title,
        keyphrase=keyphrase or post.seo.focus_keyphrase or "", seo=post.seo,
        slug=post.slug, site_url=site.settings.wordpress.url,
    )


def analyze_text(content: str, title: str = "", keyphrase: str = "") -> Analysis:
    """The lights of a local draft (block markup, classic HTML or plain text)."""
    return analyze_draft(parse(content), title, keyphrase=keyphrase)
