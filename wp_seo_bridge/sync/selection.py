"""Which posts a sync takes, and why it leaves the others: decisions on a post as listed, without any I/O.

A post is taken when the bridge never processed it, or when its record says "needs attention" or
"failed" and the draft changed since (its author fixed it). A post the bridge rewrote is never
taken again automatically, even after an editor's edit: that edit is the review; only
``sync --force --post ID`` rewrites it again. Drafts still being written (modified less than
``sync.min_age_minutes`` ago) and drafts open in an editor (a fresh edit lock) wait for a later run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..record import Record, read_record, source_hash
from ..wordpress.models import WRITABLE_STATUSES, Post

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


def decide(
    post: Post,
    *,
    statuses: tuple[str, ...] | list[str],
    min_age: timedelta,
    now: datetime,
    force: bool = False,
) -> Decision:
    """Whether a sync processes ``post`` now.

    ``now`` is the bridge's clock (aware UTC); the site's own clock, when the companion plugin gives
    it (``post.server_now``), is preferred for the age of an edit and of an edit lock, so that a
    clock set differently on the site's server does not matter. ``force`` (``--force --post ID``)
    takes a post whatever its record says; never a post open in an editor, never one that is not a
    draft or pending.
    """
    if post.status not in WRITABLE_STATUSES:
        state = _NEVER_TOUCHED.get(post.status, repr(post.status))
        return Decision(False, f"{state}: the bridge only rewrites drafts and pending posts, never this one")
    if post.status not in statuses:
        listed = " and ".join(statuses)
        return Decision(False, f"{post.status}: sync takes {listed} posts only (`sync.statuses`)")
    record = read_record(post.meta)
    taken_because = "a draft the bridge has not processed yet"
    if record is not None:
        current = source_hash(post.title, post.content, post.excerpt)
        if not force:
            waiting = _settled(record, current)
            if waiting:
                return Decision(False, waiting)
        taken_because = (
            "asked for again with --force" if force
            else f"it {_done(record)} and the draft changed since"
        )
    clock = post.server_now or now
    lock = post.edit_lock
    if lock is not None and lock.held(clock):
        seconds = max(0, int((clock - lock.at).total_seconds()))
        return Decision(False, f"open in the editor (user {lock.user}, active {seconds} s ago); taken once it is closed")
    age = clock - post.modified_gmt
    if age < min_age:
        return Decision(
            False,
            f"modified {_duration(age)} ago; taken once it has been left alone for {_duration(min_age)} "
            "(`sync.min_age_minutes`)",
        )
    return Decision(True, taken_because)


def _settled(record: Record, current_hash: str) -> str:
    """Why a post with this record waits, or "" when it is to be taken again."""
    when = f" on {record.at[:10]}" if record.at else ""
    if record.action == "restore":
        return f"restored{when} to its original; `sync --force --post ID` rewrites it again"
    if record.status == "done":
        state = "untouched since" if record.written_hash and record.written_hash == current_hash else "edited since"
        return (
            f"rewritten by the bridge{when}, {state} (an editor's edit is the review); "
            "`sync --force --post ID` rewrites it again"
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
