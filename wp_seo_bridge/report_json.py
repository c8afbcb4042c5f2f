"""What the commands print with ``--json``: one function per report, so scripts get a stable shape.

- ``rewrite --json``: :func:`report_dict`;
- ``drafts --json``: :func:`drafts_dict`;
- ``doctor --json``: :func:`checks_dict`;
- ``analyze --json``: :func:`analysis_dict`;
- ``sync --json``: :func:`sync_dict` (one site's run, or ``{"sites": [...]}`` for several);
- any error in ``--json`` mode: :func:`error_dict` (and a non-zero exit code).

Text is as it was read or written, control characters included (JSON escapes them): :func:`to_json`
also escapes the C1 controls and invisible format characters that JSON would leave raw, so the output
is safe on a terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: the CLI imports this module before the rewrite pipeline
    from .analysis import Analysis
    from .bridge import RewriteReport
    from .doctor import CheckResult
    from .errors import BridgeError
    from .sync.results import PostResult, RunResult, Totals
    from .wordpress.models import Post

#: Characters that json.dumps(ensure_ascii=False) leaves raw but a terminal may act on: C1 controls, line and
#: paragraph separators, and the invisible format characters that change how text is displayed (bidirectional
#: overrides, embeddings and isolates, zero-width characters, direction marks, the byte-order mark).
_RAW_CONTROLS = re.compile(r"[\x7f-\x9f\u2028\u2029\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def to_json(data: Any) -> str:
    """``data`` as indented JSON (UTF-8 text), with every control character escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _RAW_CONTROLS.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def report_dict(report: RewriteReport) -> dict[str, Any]:
    """A rewrite, written or not: everything a script needs to act on it."""
    article = report.article
    verdict = report.verdict
    stored = report.stored
    return {
        "post_id": report.post_id,
        "outcome": rewrite_outcome(report),
        "accepted": report.accepted,
        "written": report.written,
        "status": stored.status if stored is not None else None,
        "source_title": report.source_title,
        "title": article.title,
        "slug": report.slug,
        "excerpt": article.excerpt,
        "seo": {
            "title": article.seo_title,
            "description": article.meta_description,
            "focus_keyphrase": article.focus_keyphrase,
        },
        "words": {"before": report.source_words, "after": report.words},
        "outline": [{"level": level, "text": text} for level, text in article.outline()],
        "output": report.output,
        "structured_output": report.mode,
        "attempts": report.attempts,
        "parts": report.parts,
        "model_calls": [_call_dict(call) for call in report.calls],
        "tokens": sum(call.usage.total_tokens for call in report.calls),
        "lights": {
            "before": _lights(report.before),
            "after": _lights(report.after),
        },
        "gate": {
            "passed": bool(verdict.passed) if verdict is not None else None,
            "reasons": list(verdict.reasons) if verdict is not None else [],
        },
        "restored_placeholders": list(article.restored_placeholders),
        "restored_shortcodes": list(article.restored_shortcodes),
        #: What was removed from the draft's markup because it could run in a browser: {"script element": 1, ...}.
        "removed_from_draft": report.removed_from_draft.as_dict(),
        #: The layout containers whose text was rewritten without their markup: {"group block": 2, ...}.
        "layouts_not_kept": report.layouts_not_kept.as_dict(),
        "notices": list(report.notices),
        "content": report.content,
    }


def rewrite_outcome(report: RewriteReport) -> str:
    """``saved``, ``needs attention`` (the gate refused it; only the record was written, for a post),
    ``dry run`` (a post, nothing written) or ``preview`` (a local file)."""
    if not report.accepted:
        return "needs attention"
    if report.written:
        return "saved"
    return "dry run" if report.post_id is not None else "preview"


def _call_dict(call: Any) -> dict[str, Any]:
    return {
        "model": call.model,
        "endpoint": call.endpoint,
        "mode": call.mode,
        "prompt_tokens": call.usage.prompt_tokens,
        "completion_tokens": call.usage.completion_tokens,
        "duration_ms": call.duration_ms,
        "outcome": call.outcome,
        "error": call.error,
    }


def _lights(analysis: Analysis | None) -> dict[str, Any] | None:
    if analysis is None:
        return None
    return {
        "seo": {"score": analysis.seo_score, "rating": analysis.seo_rating},
        "readability": {"score": analysis.readability_score, "rating": analysis.readability_rating},
    }


def analysis_dict(analysis: Analysis) -> dict[str, Any]:
    """Yoast's checks for one text, with the overall lights."""
    return {
        **_lights(analysis),
        "flesch_reading_ease": round(analysis.flesch_reading_ease, 1),
        "words": analysis.words,
        "checks": [
            {"id": a.id, "group": a.group, "score": a.score, "rating": a.rating, "text": a.text}
            for a in analysis.assessments
        ],
    }


def draft_dict(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "type": post.type,
        "status": post.status,
        "modified_gmt": post.modified_gmt.isoformat(),
        "title": post.title,
        "slug": post.slug,
        "author": post.author,
        "link": post.link,
        "seo": {
            "title": post.seo.title,
            "description": post.seo.description,
            "focus_keyphrase": post.seo.focus_keyphrase,
        },
    }


def drafts_dict(posts: Iterable[Post]) -> dict[str, Any]:
    listed = [draft_dict(post) for post in posts]
    return {"drafts": listed, "count": len(listed)}


def checks_dict(results: Iterable[CheckResult], passed: bool) -> dict[str, Any]:
    return {
        "passed": passed,
        "checks": [
            {"name": r.name, "status": r.status.value, "detail": r.detail, "hint": r.hint, "site": r.site or None}
            for r in results
        ],
    }


def sync_dict(results: list[RunResult]) -> dict[str, Any]:
    """``sync --json``: one site's run as :func:`run_dict`; several sites as ``{"sites": [run, ...]}``,
    in the order they were synced."""
    if len(results) == 1:
        return run_dict(results[0])
    return {"sites": [run_dict(result) for result in results]}


def run_dict(result: RunResult) -> dict[str, Any]:
    """One site's run: every post (skipped ones too, with their reasons) and the totals.

    ``run_id`` is null and ``already_running`` true when another sync of the site held its lock (nothing
    was done); ``stopped`` is true when SIGTERM or SIGINT stopped the run before every selected post;
    ``error`` (``{"message", "hint"}``, else null) is a problem with the whole site (its configuration, its
    connection, its companion plugin)."""
    return {
        "site": result.site,
        "run_id": result.run_id,
        "dry_run": result.dry_run,
        "budget_reached": result.budget_reached,
        "posts": [sync_post_dict(post) for post in result.posts],
        "totals": totals_dict(result.totals),
        "already_running": result.already_running,
        "stopped": result.stopped,
        "error": {"message": result.error, "hint": result.hint} if result.error else None,
    }


def sync_post_dict(post: PostResult) -> dict[str, Any]:
    """A post of a sync. ``cost`` is null when unknown (prices not configured); ``seo`` and ``readability``
    are the lights after the rewrite, or the draft's when nothing was rewritten (null when not analysed)."""
    lights = post.after or post.before
    return {
        "id": post.id,
        "title": post.title,
        "outcome": post.outcome,
        "reason": post.reason,
        "calls": post.calls,
        "prompt_tokens": post.prompt_tokens,
        "completion_tokens": post.completion_tokens,
        "cost": _cost(post.cost),
        "seo": lights.seo if lights is not None else None,
        "readability": lights.readability if lights is not None else None,
    }


def totals_dict(totals: Totals) -> dict[str, Any]:
    """A run's counts by outcome (``would_rewrite`` in a dry run), calls, tokens and cost (null when unknown)."""
    return {
        "selected": totals.selected,
        "rewritten": totals.rewritten,
        "needs_attention": totals.needs_attention,
        "failed": totals.failed,
        "skipped": totals.skipped,
        "would_rewrite": totals.would_rewrite,
        "calls": totals.calls,
        "prompt_tokens": totals.prompt_tokens,
        "completion_tokens": totals.completion_tokens,
        "cost": _cost(totals.cost),
    }


def _cost(cost: float | None) -> float | None:
    return None if cost is None else round(cost, 8)


def error_dict(error: BridgeError, **extra: Any) -> dict[str, Any]:
    """``{"error": {...}}``: the error's class (its place in :mod:`wp_seo_bridge.errors`), message and fix."""
    return {"error": {"type": type(error).__name__, "message": error.message, "hint": error.hint, **extra}}
