"""Width of the SEO title in pixels, as the snippet preview renders it (Arial, 20 px).

The advance widths come from ``glyph_widths_arial.json``, measured once from Liberation Sans
(metric-compatible with Arial) by ``scripts/measure_glyph_widths.py``. Spaces fold as in HTML
(runs of spaces are one space, none at the ends; a non-breaking space stays); no kerning.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources

_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")
#: Characters absent from the font that render like another one.
_SAME_AS = {"\u2011": "-"}


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, float], float]:
    data = json.loads(resources.files(__package__).joinpath("glyph_widths_arial.json").read_text(encoding="utf-8"))
    scale = data["size_px"] / data["units_per_em"]
    widths = {chr(int(cp)): units * scale for cp, units in data["advances"].items()}
    return widths, data["default_units"] * scale


def title_width(title: str) -> int:
    """Rendered width in whole pixels (0 for an empty title)."""
    text = _COLLAPSIBLE.sub(" ", title).strip(" ")
    if not text:
        return 0
    widths, default = _table()
    total = 0.0
    for ch in text:
        ch = _SAME_AS.get(ch, ch)
        width = widths.get(ch)
        if width is None:
            width = 0.0 if ch in "\u200b\u200c\u200d\ufeff" else default
        total += width
    return math.floor(total + 0.5)
