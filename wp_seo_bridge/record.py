"""The bridge's record on each post it touched (``_wp_seo_bridge_record``), and the source hash in it.

The record is read by the bridge (what a sync takes again) and shown to editors by the companion
plugin's "wp-seo-bridge" box: what was done and when, with which model, the lights and word counts
before and after, the reasons of a refusal, what was removed from the draft (in plain words), and
the editors' request (``request``) the bridge saw when it read the post, so that a "Rewrite again"
is honoured once, whatever the clocks of the site and of the bridge say.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from . import __version__
from .config import Settings
from .wordpress.models import RECORD_META_KEY

if TYPE_CHECKING:
    from .analysis import Analysis
    from .draft_markup import Removed


def source_hash(title: str, content: str, excerpt: str = "") -> str:
    """The hash of a post's text as the bridge read it (title, content, excerpt)."""
    digest = hashlib.sha256("\x00".join((title, content, excerpt)).encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def make_record(settings: Settings, action: str, status: str, **fields) -> str:
    """The bridge's record on a post: what was done, when, by which tool, and the details (JSON)."""
    record = {
        "action": action,
        "status": status,
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tool": f"wp-seo-bridge {__version__}",
        **fields,
    }
    return json.dumps(record, ensure_ascii=False)


@dataclass(frozen=True)
class Record:
    """The bridge's record on a post, as read back: what was done, with which outcome, on which text."""

    action: str
    status: str
    at: str = ""
    source_hash: str = ""
    written_hash: str = ""
    reasons: tuple[str, ...] = ()
    #: The editors' request the bridge saw when it wrote this record (None: a record that does not tell).
    request: str | None = None

    @property
    def at_time(self) -> datetime | None:
        """``at`` as a timezone-aware time, or None when the record has none (or an unreadable one)."""
        try:
            when = datetime.fromisoformat(self.at)
        except ValueError:
            return None
        return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def read_record(meta: dict[str, str]) -> Record | None:
    """The record in a post's meta, or None when there is none (or it is not the bridge's JSON).

    The record is data: whatever it says, it can only make the bridge leave a post alone.
    """
    raw = meta.get(RECORD_META_KEY, "")
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python parses
        return None
    if not isinstance(data, dict) or not isinstance(data.get("status"), str):
        return None

    def text(name: str) -> str:
        value = data.get(name)
        return value if isinstance(value, str) else ""

    reasons = data.get("reasons")
    return Record(
        action=text("action") or "rewrite",
        status=data["status"],
        at=text("at"),
        source_hash=text("source_hash"),
        written_hash=text("written_hash"),
        reasons=tuple(r for r in reasons if isinstance(r, str)) if isinstance(reasons, list) else (),
        request=data["request"] if isinstance(data.get("request"), str) else None,
    )


def lights(analysis: Analysis | None) -> dict[str, str] | None:
    """The Yoast-style lights of an analysis, as the record keeps them: {"seo": "good", "readability": "ok"}."""
    if analysis is None:
        return None
    return {"seo": analysis.seo_rating, "readability": analysis.readability_rating}


#: What each kind of removed markup is, for an editor (see :class:`~wp_seo_bridge.draft_markup.Removed`).
_PLAIN = {
    "script element": ("script", "scripts"),
    "style element": ("style sheet", "style sheets"),
    "iframe element": ("embedded frame (iframe)", "embedded frames (iframe)"),
    "object element": ("embedded object", "embedded objects"),
    "embed element": ("embedded object", "embedded objects"),
    "applet element": ("embedded object", "embedded objects"),
    "form element": ("form", "forms"),
    "meta http-equiv element": ("meta refresh or http-equiv tag", "meta refresh or http-equiv tags"),
    "style attribute": ("style attribute holding script", "style attributes holding script"),
    "animated event-handler attribute": ("animated event handler", "animated event handlers"),
    "unclosed comment or raw-text element": ("unclosed comment or raw-text element",
                                             "unclosed comments or raw-text elements"),
}


def removed_items(removed: Removed | Iterable[tuple[str, int]]) -> list[str]:
    """What was removed from a draft, in plain words, one item per kind: "2 scripts",
    "3 event handlers (onclick, onerror)", "1 javascript: link"."""
    counts: dict[str, int] = {}
    handlers: dict[str, None] = {}
    for label, count in getattr(removed, "counts", removed):
        if label.startswith("on") and label.endswith(" attribute"):
            handlers[label.removesuffix(" attribute")] = None
            key = "event handler"
        elif label.endswith(": URL"):
            key = label.removesuffix(" URL") + " link"
        else:
            key = label
        counts[key] = counts.get(key, 0) + count
    items = []
    for key, count in counts.items():
        if key == "event handler":
            noun = "event handler" if count == 1 else "event handlers"
            items.append(f"{count} {noun} ({', '.join(handlers)})")
            continue
        one, many = _PLAIN.get(key, (key, key + "s"))
        items.append(f"{count} {one if count == 1 else many}")
    return items
