"""The bridge's record on each post it touched (``_wp_seo_bridge_record``), and the source hash in it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from . import __version__
from .config import Settings
from .wordpress.models import RECORD_META_KEY


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


def read_record(meta: dict[str, str]) -> Record | None:
    """The record in a post's meta, or None when there is none (or it is not the bridge's JSON).

    The record is data: whatever it says, it can only make the bridge leave a post alone.
    """
    raw = meta.get(RECORD_META_KEY, "")
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
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
    )
