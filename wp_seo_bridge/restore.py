"""Restore: put a post back as it was before the bridge's latest rewrite that was saved.

It never erases an editor's work. The journal records, for each original it kept, whether the
write that followed happened and a hash of each field that write left on the post. ``restore``
undoes the latest saved rewrite only while the post still holds exactly what the bridge wrote;
otherwise it names the fields that changed and writes nothing (``force`` overrides). A rewrite
that was never saved (the post changed while the model was answering, say) is never "undone":
the post is then as its editors left it, and ``restore`` says so.

Each restore is marked in the journal, so a second one undoes the rewrite before (if the post
still holds what that one wrote), and so on. A forced restore first keeps the version it
replaces in the journal, as the original of its own write: the next ``restore`` brings it back.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping

from .errors import AlreadyRestored, ChangedSinceRewrite, NeverWritten, NotInJournal, RestoreUnsafe, WriteRefused
from .journal import HASHED_FIELDS, Journal, field_hashes
from .record import make_record, source_hash
from .wordpress.models import RECORD_META_KEY, WRITABLE_STATUSES, Post, PostUpdate
from .wordpress.seo import ADAPTERS
from .wordpress.site import WordPressSite

log = logging.getLogger(__name__)

_META = "meta:"


def restore_post(site: WordPressSite, post_id: int, journal: Journal, *, force: bool = False) -> Post:
    """Put back the post as it was before the bridge's latest saved rewrite: text, slug, status, SEO fields.

    Raises :class:`NotInJournal`, :class:`NeverWritten` or :class:`AlreadyRestored` when there is
    nothing to undo, and :class:`ChangedSinceRewrite` (or :class:`RestoreUnsafe` when the journal
    cannot tell) when the post changed after the bridge wrote it, unless ``force`` (the version
    replaced is then kept in the journal, for the next restore). The same rules as any write
    apply: only a draft or pending post is touched, and not if it changes between this read and
    the write.
    """
    url = site.settings.wordpress.url
    kept = journal.originals(url, post_id)
    if not kept:
        raise NotInJournal(f"The journal {journal.path} holds no original of post {post_id} on {url}.")
    post = site.get_post(post_id)
    if post.status not in WRITABLE_STATUSES:
        raise WriteRefused(
            f"Post {post.id} is {post.status!r}; the bridge only writes drafts and pending posts. Nothing was changed.",
            hint="Restoring a published post is an editor's decision: use its revisions in WordPress.",
        )
    original = _original_to_restore(kept, post)
    hashes = json.loads(original["written_hashes"] or "{}")
    replaced_id = None
    changes = _changes_since_write(post, original, hashes)
    if changes is None or changes:
        if not force:
            raise _unsafe(post, original, changes)
        # Forced over an edit (or what may be one): that version is kept, and the next restore brings it back.
        replaced_id = journal.keep_original(
            url, post, source_hash(post.title, post.content, post.excerpt), kind="restore"
        )

    original_meta = json.loads(original["meta"])
    keys = [name[len(_META):] for name in hashes if name.startswith(_META)] or list(site.seo.meta_keys)
    meta = {key: original_meta.get(key, "") for key in keys}
    meta[RECORD_META_KEY] = make_record(
        site.settings, "restore", "done", journal_original_id=original["id"], source_hash=original["source_hash"],
        forced=force,
    )
    update = PostUpdate(
        title=original["title"],
        content=original["content"],
        excerpt=original["excerpt"],
        slug=original["slug"],
        status=original["status"] if original["status"] in WRITABLE_STATUSES else None,
        meta=meta,
    )
    try:
        stored = site.update_post(post, update)
    except WriteRefused as exc:  # refused before anything was sent
        if replaced_id is not None:
            journal.mark_not_written(replaced_id, exc.message.split(" Nothing was changed.")[0])
        raise
    if replaced_id is not None:
        journal.mark_written(replaced_id, field_hashes(stored, keys))
        log.info("The version this restore replaced is kept in the journal: `wp-seo-bridge restore %d` brings it "
                 "back.", post.id)
    journal.mark_restored(original["id"])
    return stored


def _original_to_restore(kept: list[sqlite3.Row], post: Post) -> sqlite3.Row:
    """The original of the latest rewrite that was saved and not undone yet (``kept``: newest first)."""
    restored = None
    for original in kept:
        if original["restored_at"]:
            restored = restored or original
            continue
        if original["written"] == 0:
            continue
        if original["written"] is None and source_hash(post.title, post.content, post.excerpt) == original["source_hash"]:
            continue  # the post still holds this original: the write that was to follow did not happen
        return original
    if restored is not None:
        raise AlreadyRestored(
            f"Post {post.id} ({post.title!r}) was already restored on {_when(restored['restored_at'])}, and no "
            "earlier rewrite of the bridge's is left to undo. Nothing was changed."
        )
    latest = kept[0]
    why = f": {latest['not_written_reason']}" if latest["not_written_reason"] else ""
    raise NeverWritten(
        f"The bridge never wrote post {post.id} ({post.title!r}): none of its {len(kept)} rewrite(s) of it was saved "
        f"(the latest, on {_when(latest['at'])}, was not{why}). The post is as its editors left it; nothing was "
        "changed."
    )


def _changes_since_write(post: Post, original: sqlite3.Row, hashes: Mapping[str, str]) -> tuple[str, ...] | None:
    """The fields of ``post`` that differ from what the bridge wrote after ``original`` (None: cannot tell)."""
    if original["written"] is None:
        return None
    meta_keys = [name[len(_META):] for name in hashes if name.startswith(_META)]
    now = field_hashes(post, meta_keys)
    return tuple(sorted((_label(name) for name, value in hashes.items() if now.get(name) != value), key=_rank))


def _unsafe(post: Post, original: sqlite3.Row, changes: tuple[str, ...] | None) -> RestoreUnsafe:
    write = "rewrite" if original["kind"] == "rewrite" else "forced restore"
    if changes is None:
        return RestoreUnsafe(
            f"The journal does not know whether the bridge's {write} of post {post.id} on {_when(original['at'])} "
            "was saved (that run was interrupted, or an older version of the bridge kept the original), so an edit "
            "made since cannot be ruled out. Nothing was changed.",
            post_id=post.id,
        )
    return ChangedSinceRewrite(
        f"Post {post.id} ({post.title!r}) changed after the bridge's {write} of {_when(original['written_at'])}: "
        f"{', '.join(changes)}. Restoring the original would erase that edit, so nothing was changed.",
        post_id=post.id,
        fields=changes,
    )


_SEO_LABELS = {
    key: label
    for adapter in ADAPTERS.values()
    for key, label in (
        (adapter.title_key, "SEO title"),
        (adapter.description_key, "meta description"),
        (adapter.keyphrase_key, "focus keyphrase"),
    )
    if key
}


#: The order in which changed fields are named.
_ORDER = [*HASHED_FIELDS, "SEO title", "meta description", "focus keyphrase"]


def _rank(label: str) -> int:
    return _ORDER.index(label) if label in _ORDER else len(_ORDER)


def _label(name: str) -> str:
    """A field's name as an editor knows it: "title", "content", "SEO title"..."""
    if name.startswith(_META):
        key = name[len(_META):]
        return _SEO_LABELS.get(key, key)
    return name


def _when(moment: str | None) -> str:
    """A journal timestamp (ISO 8601, UTC) as "2026-05-01 10:00 UTC"."""
    return f"{moment[:16].replace('T', ' ')} UTC" if moment else "an unknown date"
