"""The attributes in a block comment (``<!-- wp:cover {"url":"…"} -->``), cleaned like markup.

A block's attributes are no markup in the post, but a block renders them: a dynamic block prints
a URL into an ``href``, or an HTML string as it is. So the bridge cleans them as it cleans
attributes of elements:

- a key named ``on…`` goes, at any depth ("1 onclick block attribute");
- a string that is a ``javascript:``, ``vbscript:`` or non-raster ``data:`` URL goes, read as a
  browser reads a URL (entities decoded, spaces and controls ignored, any case): "1 javascript: URL";
- a string holding HTML is sanitised as kept markup is, and what goes from it reported.

A comment with nothing to clean stays byte for byte. One that changed is written again the way
WordPress writes it (``serialize_block_attributes()``: no spaces, unicode and slashes as they are,
``--``, ``<``, ``>``, ``&`` and an escaped ``"`` as ``\\u`` escapes).
"""

from __future__ import annotations

import html
import json
import re

from .draft_markup import Removed, keep, url_problem

BLOCK_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{.*?\}\s+)?(?P<void>/)?-->",
    re.S,
)
_EVENT_KEY = re.compile(r"on", re.I)


def clean_block_comments(markup: str) -> tuple[str, Removed]:
    """``markup`` with the attributes of each block comment in it cleaned, and what was removed."""
    if "wp:" not in markup:
        return markup, Removed()
    removed: list[str] = []
    parts, cursor = [], 0
    for match in BLOCK_DELIMITER.finditer(markup):
        raw = match.group("attrs")
        if not raw or match.group("closer"):
            continue
        try:
            attrs = json.loads(raw)
        except ValueError:
            continue
        labels: list[str] = []
        cleaned = _clean(attrs, labels)
        if not labels:
            continue
        removed += labels
        start, end = match.span("attrs")
        encoded = serialize_block_attributes(cleaned) + " " if cleaned else ""
        parts += [markup[cursor:start], encoded]
        cursor = end
    if not removed:
        return markup, Removed()
    return "".join(parts) + markup[cursor:], Removed.of(removed)


def _clean(value, labels: list[str]):
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if _EVENT_KEY.match(key):
                labels.append(f"{key.lower()} block attribute")
                continue
            cleaned = _clean(item, labels)
            if cleaned is not _DROP:
                kept[key] = cleaned
        return kept
    if isinstance(value, list):
        return [c for c in (_clean(item, labels) for item in value) if c is not _DROP]
    if isinstance(value, str):
        problem = url_problem(html.unescape(value))
        if problem:
            labels.append(problem)
            return _DROP
        if "<" in value:
            kept = keep(value, "block")
            if kept.removed:
                labels += [name for name, count in kept.removed.counts for _ in range(count)]
                return kept.markup or ""
    return value


_DROP = object()


def serialize_block_attributes(attributes: dict) -> str:
    """JSON as WordPress writes a block's attributes (``serialize_block_attributes()``)."""
    encoded = json.dumps(attributes, ensure_ascii=False, separators=(",", ":"))
    encoded = encoded.replace("--", "\\u002d\\u002d").replace("<", "\\u003c").replace(">", "\\u003e")
    encoded = encoded.replace("&", "\\u0026")
    # An escaped quote (after an odd number of backslashes), never a string's closing quote.
    return re.sub(r'(?<!\\)((?:\\\\)*)\\"', r"\1\\u0022", encoded)
