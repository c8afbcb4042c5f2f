"""Writing one rewrite back to WordPress, and the bridge's record on the post whatever the outcome.

Before writing, the original is kept twice: in WordPress's revisions and in the local journal,
which then records whether the write happened (see :mod:`wp_seo_bridge.restore`). Nothing
executable is ever written (:func:`refuse_executable`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from .config import Settings
from .draft_markup import executable_parts
from .errors import BridgeError, StatusChangedOnSave, WriteRefused
from .journal import Journal, field_hashes
from .llm import endpoint_name
from .record import lights, make_record, removed_items, source_hash
from .wordpress.models import RECORD_META_KEY, REQUEST_META_KEY, Post, PostUpdate, SeoFields
from .wordpress.site import WordPressSite

if TYPE_CHECKING:
    from .bridge import RewriteReport

log = logging.getLogger(__name__)


def write_rewrite(site: WordPressSite, post: Post, report: RewriteReport, journal: Journal | None) -> Post:
    """Write an accepted rewrite of ``post`` (as read) and return the post as stored.

    Raises :class:`WriteRefused` (executable markup, or the post is no longer a draft),
    :class:`EditConflict` (the post changed since it was read) and the site's errors; the
    journal records whether the write happened whenever that can be known.
    """
    settings = site.settings
    article = report.article
    refuse_executable("\n".join((article.title, article.excerpt, report.content)), settings, post)
    original_hash = source_hash(post.title, post.content, post.excerpt)
    url = settings.wordpress.url
    original_id = journal.keep_original(url, post, original_hash) if journal is not None else None
    record = make_record(
        settings, "rewrite", "done",
        model=settings.model.name,
        endpoint=endpoint_name(settings.model),
        structured_output=report.mode,
        attempts=report.attempts,
        parts=report.parts,
        source_hash=original_hash,
        written_hash=source_hash(article.title, report.content, article.excerpt),
        journal_original_id=original_id,
        removed_from_draft=str(report.removed_from_draft),
        layout_not_kept=str(report.layouts_not_kept),
        **editor_view(post, report),
    )
    update = PostUpdate(
        title=article.title,
        content=report.content,
        excerpt=article.excerpt,
        slug=report.slug,
        status=None if settings.rewrite.status == "keep" else settings.rewrite.status,
        seo=SeoFields(article.seo_title, article.meta_description, article.focus_keyphrase),
        meta={RECORD_META_KEY: record},
    )
    try:
        base = site.keep_revision(post)
        stored = site.update_post(base, update)
    except Exception as exc:
        if journal is not None and original_id is not None:
            _settle_write(site, journal, original_id, post, record, exc)
        raise
    if journal is not None and original_id is not None:
        journal.mark_written(original_id, field_hashes(stored, site.seo.meta_keys))
    return _with_written_hash(site, stored, record)


def _with_written_hash(site: WordPressSite, stored: Post, record: str) -> Post:
    """The record's ``written_hash`` is the hash of the text as WordPress stored it, so that a later run can
    tell "rewritten and untouched" from "edited since". WordPress may change what it is sent (filters on
    save): then the record is written again with the stored text's hash (one more request, rarely)."""
    stored_hash = source_hash(stored.title, stored.content, stored.excerpt)
    data = json.loads(record)
    if data.get("written_hash") == stored_hash:
        return stored
    data["written_hash"] = stored_hash
    corrected = json.dumps(data, ensure_ascii=False)
    try:
        site.write_record(stored, corrected)
    except BridgeError as exc:  # the rewrite is written; only the hint for later runs is imprecise
        log.warning("Post %d: the bridge's record could not be corrected: %s", stored.id, exc.message)
        return stored
    return replace(stored, meta={**stored.meta, RECORD_META_KEY: corrected})


def _settle_write(
    site: WordPressSite, journal: Journal, original_id: int, read: Post, record: str, error: Exception
) -> None:
    """Record in the journal whether a write that raised ``error`` happened, when that can be known."""
    reason = getattr(error, "message", str(error)).split(" Nothing was changed.")[0]
    if isinstance(error, WriteRefused) or (isinstance(error, StatusChangedOnSave) and not error.written):
        journal.mark_not_written(original_id, reason)  # refused before it was sent, or stopped before it
        return
    try:
        current = site.get_post(read.id)
    except BridgeError:
        return  # not known: `restore` looks at the post itself
    keys = site.seo.meta_keys
    if current.meta.get(RECORD_META_KEY) == record:
        journal.mark_written(original_id, field_hashes(current, keys))
    elif field_hashes(current, keys) == field_hashes(read, keys):
        journal.mark_not_written(original_id, reason)


def refuse_executable(content: str, settings: Settings, post: Post) -> None:
    """The last check before writing: the whole article, as a browser reads it, runs nothing.

    Each kept element was checked on its own; this also catches markup that only becomes
    executable next to another (an unclosed comment closed by a later element).
    """
    found = executable_parts(content, settings.rewrite.trusted_embed_hosts)
    if found:
        raise WriteRefused(
            f"The rewrite of post {post.id} would write executable markup ({found}); nothing was written.",
            hint="Check the draft's HTML in the code editor; the bridge never writes scripts or event handlers.",
        )


def mark_needs_attention(site: WordPressSite, post: Post, report: RewriteReport) -> None:
    """Nothing of the rewrite is written; only the bridge's record says why, for the editors."""
    settings = site.settings
    record = make_record(
        settings, "rewrite", "needs attention",
        model=settings.model.name,
        attempts=report.attempts,
        reasons=list(report.verdict.reasons[:30]) if report.verdict else [],
        source_hash=source_hash(post.title, post.content, post.excerpt),
        removed_from_draft=str(report.removed_from_draft),
        **editor_view(post, report),
    )
    site.write_record(post, record)


def mark_failed(site: WordPressSite, post: Post, error: BridgeError) -> None:
    """Only the bridge's record says why the draft, as it is, cannot be rewritten (for the editors, and so
    that ``sync`` waits for the draft to change before spending on it again)."""
    record = make_record(
        site.settings, "rewrite", "failed",
        model=site.settings.model.name,
        reasons=[error.message],
        source_hash=source_hash(post.title, post.content, post.excerpt),
        **_draft_view(site, post),
    )
    site.write_record(post, record)


def editor_view(post: Post, report: RewriteReport) -> dict[str, object]:
    """What the record tells the editors in WordPress's "wp-seo-bridge" box about a rewrite, written or not:
    the lights and word counts before and after, what was removed from the draft (plain words), and the
    editors' request the bridge saw (honoured once: see :mod:`wp_seo_bridge.sync.selection`)."""
    return {
        "before": lights(report.before),
        "after": lights(report.after),
        "words_before": report.source_words,
        "words_after": report.words,
        "removed": removed_items(report.removed_from_draft),
        "request": post.meta.get(REQUEST_META_KEY, ""),
    }


def _draft_view(site: WordPressSite, post: Post) -> dict[str, object]:
    """The same about a draft that could not be rewritten: how it stands (what can be told of it)."""
    from .content import parse
    from .draft_analysis import analyze_draft

    view: dict[str, object] = {"request": post.meta.get(REQUEST_META_KEY, "")}
    try:
        document = parse(post.content, trusted_embed_hosts=site.settings.rewrite.trusted_embed_hosts)
        view["words_before"] = document.body_word_count()
        view["removed"] = removed_items(document.removed)
        view["before"] = lights(analyze_draft(
            document, post.title, keyphrase=post.seo.focus_keyphrase or "", seo=post.seo, slug=post.slug,
            site_url=site.settings.wordpress.url,
        ))
    except Exception:  # the record is written anyway: it says why the draft failed
        log.debug("Post %d: the draft could not be analysed for its record", post.id, exc_info=True)
    return view
