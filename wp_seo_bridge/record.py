"""The bridge's record on each post it touched (``_wp_seo_bridge_record``), and the source hash in it."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from . import __version__
from .config import Settings


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
