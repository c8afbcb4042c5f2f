"""How a post's outcome becomes the line of a run's report (:class:`PostResult`), and a run's totals."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .results import Lights, PostResult, Totals

if TYPE_CHECKING:
    from ..bridge import PostOutcome
    from ..config import Settings
    from ..costs import Prices
    from ..wordpress.models import Post

log = logging.getLogger(__name__)


def lights_of(post: Post, settings: Settings) -> Lights | None:
    """The draft's lights as it is (for a dry run), or None when it cannot be analysed."""
    from ..draft_analysis import analyze_draft
    from ..content import parse

    try:
        document = parse(post.content, trusted_embed_hosts=settings.rewrite.trusted_embed_hosts)
        analysis = analyze_draft(
            document, post.title, keyphrase=post.seo.focus_keyphrase or "", seo=post.seo, slug=post.slug,
            site_url=settings.wordpress.url,
        )
    except Exception:  # a draft the analysis cannot read is still listed
        log.debug("Post %d: no analysis", post.id, exc_info=True)
        return None
    return Lights(analysis.seo_rating, analysis.readability_rating)


def post_result(outcome: PostOutcome, prices: Prices) -> PostResult:
    from ..costs import call_cost, add_costs

    calls = outcome.calls
    cost: float | None = 0.0
    for call in calls:
        cost = add_costs(cost, call_cost(call.usage, prices))
    report = outcome.report
    before = report.before if report else None
    after = report.after if report else None
    return PostResult(
        id=outcome.post.id,
        title=outcome.post.title,
        outcome=outcome.outcome,
        reason=outcome.reason,
        calls=len(calls),
        prompt_tokens=sum(c.usage.prompt_tokens for c in calls),
        completion_tokens=sum(c.usage.completion_tokens for c in calls),
        cost=cost if prices.known else None,
        before=Lights(before.seo_rating, before.readability_rating) if before else None,
        after=Lights(after.seo_rating, after.readability_rating) if after else None,
    )


def totals_of(posts: tuple[PostResult, ...] | list[PostResult], prices: Prices | None = None) -> Totals:
    counts = {outcome: 0 for outcome in ("rewritten", "needs_attention", "failed", "skipped", "would_rewrite")}
    for post in posts:
        counts[post.outcome] += 1
    unknown = prices is None or not prices.known
    return Totals(
        selected=len(posts) - counts["skipped"],
        calls=sum(p.calls for p in posts),
        prompt_tokens=sum(p.prompt_tokens for p in posts),
        completion_tokens=sum(p.completion_tokens for p in posts),
        cost=None if unknown else sum(p.cost or 0.0 for p in posts),
        **counts,
    )
