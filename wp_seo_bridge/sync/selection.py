"""Which posts a sync takes, and why it leaves the others: decisions on a post as listed, without any I/O.

A post is taken when the bridge never processed it, or when its record says "needs attention" or
"failed" and the draft changed since (its author fixed it). A post the bridge rewrote is never
taken again automatically, even after an editor's edit: that edit is the review. Drafts still
being written (modified less than ``sync.min_age_minutes`` ago) and drafts open in an editor (a
fresh edit lock) wait for a later run.

Editors steer this from WordPress (the "wp-seo-bridge" box, ``Post.request``):

- "Do not rewrite" (``skip``): never taken; only ``sync --force --post ID`` overrides it.
- ``[sync] mode = "opt-in"``: only the posts an editor asked for are taken ("Rewrite this draft",
  or a pending "Rewrite again"); in the default "opt-out" mode, every draft that needs it.
- "Rewrite again" (``again:<time>``) takes a rewritten (or restored) post once more: the one
  sanctioned way besides ``--force``. It is pending while the bridge's latest record is older than
  the request and does not name it as seen; once the bridge wrote a newer record, it is settled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..record import Record, read_record, source_hash
from ..wordpress.models import EDIT_LOCK_WINDOW, WRITABLE_STATUSES, EditorRequest, Post

_NEVER_TOUCHED = {
    "publish": "published",
    "future": "scheduled",
    "private": "private",
    "trash": "in the trash",
}


@dataclass(frozen=True)
class Decision:
    selected: bool
    #: Why, in one sentence: for a skipped post what it waits for, for a selected one why it is taken.
    reason: str
    #: For a post skipped only for now (still being written, open in the editor): how long until it may be
    #: taken (a notified post is queued again for then); None when waiting would not change the decision.
    wait: timedelta | None = None


def decide(
    post: Post,
    *,
    statuses: tuple[str, ...] | list[str],
    min_age: timedelta,
    now: datetime,
    force: bool = False,
    mode: str = "opt-out",
) -> Decision:
    """Whether a sync processes ``post`` now.

    ``now`` is the bridge's clock (aware UTC); the site's own clock, when the companion plugin gives
    it (``post.server_now``), is preferred for the age of an edit and of an edit lock, so that a
    clock set differently on the site's server does not matter. ``force`` (``--force --post ID``)
    takes a post whatever its record says; never a post open in an editor, never one that is not a
    draft or pending. ``mode`` is ``[sync] mode`` ("opt-out" or "opt-in"); the editors' request
    (``post.request``) is honoured as the module says.
    """
    if post.status not in WRITABLE_STATUSES:
        state = _NEVER_TOUCHED.get(post.status, repr(post.status))
        return Decision(False, f"{state}: the bridge only rewrites drafts and pending posts, never this one")
    if post.status not in statuses:
        listed = " and ".join(statuses)
        return Decision(False, f"{post.status}: sync takes {listed} posts only (`sync.statuses`)")
    record = read_record(post.meta)
    request = post.request
    again = request is not None and request.kind == "again" and pending_again(request, record)
    asked = again or (request is not None and request.kind == "rewrite")
    if not force and request is not None and request.kind == "skip":
        return Decision(False, "an editor chose \"Do not rewrite\" in WordPress; `sync --force --post ID` "
                        "rewrites it anyway")
    taken_because = "a draft the bridge has not processed yet"
    if request is not None and request.kind == "rewrite":
        taken_because = "an editor chose \"Rewrite this draft\" in WordPress"
    if record is not None:
        current = source_hash(post.title, post.content, post.excerpt)
        if not force and not again:
            waiting = _settled(record, current)
            if waiting:
                return Decision(False, waiting)
        taken_because = (
            "asked for again with --force" if force
            else "an editor chose \"Rewrite again\" in WordPress" if again
            else f"it {_done(record)} and the draft changed since"
        )
    if mode == "opt-in" and not force and not asked:
        return Decision(False, "not asked for: the site is opt-in (`sync.mode`), and no editor chose "
                        "\"Rewrite this draft\" in WordPress")
    clock = post.server_now or now
    lock = post.edit_lock
    if lock is not None and lock.held(clock):
        seconds = max(0, int((clock - lock.at).total_seconds()))
        return Decision(
            False, f"open in the editor (user {lock.user}, active {seconds} s ago); taken once it is closed",
            wait=max(lock.at + EDIT_LOCK_WINDOW - clock, timedelta(0)),
        )
    age = clock - post.modified_gmt
    if age < min_age:
        return Decision(
            False,
            f"modified {_duration(age)} ago; taken once it has been left alone for {_duration(min_age)} "
            "(`sync.min_age_minutes`)",
            wait=min_age - age,
        )
    return Decision(True, taken_because)


def pending_again(request: EditorRequest, record: Record | None) -> bool:
    """Whether an editor's "Rewrite again" still waits for the bridge.

    It does until the bridge writes a record having seen it. Records tell which request the bridge
    saw when it read the post (``request``): the request is pending while that is another one. An
    older record, or a ``restore`` record, does not tell: the request is pending while it is later
    than the record's ``at``. Either way a request is honoured once (the record of its rewrite names
    it), whatever the clocks of the site and of the bridge say.
    """
    if request.kind != "again" or request.at is None:
        return False
    if record is None:
        return True
    if record.request is not None:
        return record.request != request.raw
    when = record.at_time
    return when is None or request.at > when


def _settled(record: Record, current_hash: str) -> str:
    """Why a post with this record waits, or "" when it is to be taken again."""
    when = f" on {record.at[:10]}" if record.at else ""
    if record.action == "restore":
        return f"restored{when} to its original; `sync --force --post ID` rewrites it again"
    if record.status == "done":
        state = "untouched since" if record.written_hash and record.written_hash == current_hash else "edited since"
        return (
            f"rewritten by the bridge{when}, {state} (an editor's edit is the review); "
            "\"Rewrite again\" in WordPress or `sync --force --post ID` rewrites it again"
        )
    if record.status in ("needs attention", "failed") and record.source_hash == current_hash:
        first = f": {record.reasons[0]}" if record.reasons else ""
        return f"{_done(record)}{when}{first}; taken again once the draft changes"
    if record.status in ("needs attention", "failed"):
        return ""
    return f"the bridge's record says {record.status!r}; `sync --force --post ID` rewrites it"


def _done(record: Record) -> str:
    return "failed" if record.status == "failed" else "needed attention"


def _duration(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    minutes = seconds / 60
    return f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.1f} h"
