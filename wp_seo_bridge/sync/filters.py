"""Whether one post read alone is among the drafts the configured filters list (``[drafts]``).

``sync --post ID`` takes the post named whatever the filters say (a person asked for it). A post named by
a notification from WordPress is different: the site tells of every draft saved, and the bridge must take
only those a sync of the listing would take, so the filters apply as they do to the listing.
"""

from __future__ import annotations

from ..wordpress.models import DraftQuery, Post


def outside_filters(post: Post, query: DraftQuery) -> str:
    """Why ``post`` is not among the drafts ``query`` lists (its status aside: the selection says that), or ""."""
    if query.post_types and post.type not in query.post_types:
        return f"a {post.type!r}: sync takes {', '.join(query.post_types)} only (`drafts.post_types`)"
    if query.categories and not set(post.categories) & set(query.categories):
        return "not in the categories sync takes (`drafts.categories`)"
    if query.tags and not set(post.tags) & set(query.tags):
        return "without any of the tags sync takes (`drafts.tags`)"
    if query.author is not None and post.author != query.author:
        return "by another author than the one sync takes (`drafts.author`)"
    if query.modified_after is not None and post.modified_gmt <= query.modified_after:
        return "last modified before `drafts.modified_after`"
    return ""
