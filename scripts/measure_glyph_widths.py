"""Measure the glyph advance widths the SEO title width check uses, once, and write them as JSON.

Yoast SEO measures the SEO title as the snippet preview renders it: Arial, 20 px, weight 400.
Liberation Sans is metric-compatible with Arial (same advance width for every glyph), so its
advance widths are Arial's. Run this once (it needs fontTools, which is a development tool only:
``.venv/bin/pip install fonttools``; the font is Debian's ``fonts-liberation2``)::

    .venv/bin/python scripts/measure_glyph_widths.py

It writes ``wp_seo_bridge/analysis/glyph_widths_arial.json``; the analyzer reads that file at
runtime and never needs fontTools. Kerning is not applied (neither table nor GPOS), which is
how the width of a title is estimated almost everywhere; the difference is a pixel or two.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
OUTPUT = Path(__file__).resolve().parents[1] / "wp_seo_bridge" / "analysis" / "glyph_widths_arial.json"

#: Known Arial widths at 20 px (advance width / 2048 * 20), to check the font really is metric-compatible.
KNOWN_ARIAL_20PX = {"a": 11.123, " ": 5.557, "W": 18.877, "i": 4.443, "m": 16.660, "M": 16.660, "é": 11.123, "1": 11.123}

TYPOGRAPHIC = [
    0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x200B,  # spaces
    0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015,  # hyphens and dashes
    0x2018, 0x2019, 0x201A, 0x201B, 0x201C, 0x201D, 0x201E, 0x201F,  # quotes
    0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2032, 0x2033, 0x2039, 0x203A,
    0x202F,  # narrow no-break space (French typography)
    0x2044, 0x20AC, 0x2116, 0x2122, 0x2212,
]


def code_points() -> list[int]:
    points = list(range(0x20, 0x7F))  # Basic Latin
    points += list(range(0xA0, 0x100))  # Latin-1 Supplement
    points += list(range(0x100, 0x180))  # Latin Extended-A
    points += TYPOGRAPHIC
    return points


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", help="path to LiberationSans-Regular.ttf (or Arial.ttf)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        print("fontTools is missing: .venv/bin/pip install fonttools", file=sys.stderr)
        return 2
    font_path = args.font or next((p for p in FONT_CANDIDATES if Path(p).exists()), None)
    if not font_path:
        print("Liberation Sans not found: apt-get install -y fonts-liberation2 (or pass --font)", file=sys.stderr)
        return 2

    font = TTFont(font_path)
    units_per_em = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    advances: dict[str, int] = {}
    missing = []
    for cp in code_points():
        glyph = cmap.get(cp)
        if glyph is None:
            missing.append(cp)
            continue
        advances[str(cp)] = hmtx[glyph][0]
    # Anything else (another script, emoji, symbols) falls back to the mean width of the Latin letters.
    letters = [advances[str(cp)] for cp in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B))]
    default_units = round(statistics.mean(letters))
    name = font["name"].getDebugName(4)

    size = 20
    bad = []
    for char, expected in KNOWN_ARIAL_20PX.items():
        got = advances[str(ord(char))] * size / units_per_em
        status = "ok" if abs(got - expected) < 0.01 else "MISMATCH"
        if status != "ok":
            bad.append(char)
        print(f"{char!r:6} {got:7.3f} px (Arial {expected:.3f}) {status}")
    if bad:
        print(f"{name} is not metric-compatible with Arial for {bad!r}", file=sys.stderr)
        return 1

    data = {
        "font": f"{name} (metric-compatible with Arial)",
        "source": Path(font_path).name,
        "size_px": size,
        "units_per_em": units_per_em,
        "default_units": default_units,
        "advances": advances,
    }
    args.output.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(advances)} glyphs written to {args.output} (missing in the font: {[hex(cp) for cp in missing]}); "
          f"default {default_units * size / units_per_em:.2f} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
