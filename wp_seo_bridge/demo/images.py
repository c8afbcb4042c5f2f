"""Small but real PNG pictures for the demo's sample drafts, drawn with the standard library only.

Each picture is a flat, stylised landscape (a sky gradient, a sun, layers of hills, a lake or not),
enough for the media library, the image block and the gallery to show something that looks like a
photo's place. :func:`png` writes any RGB raster; :func:`landscape` draws one scene.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass

RGB = tuple[int, int, int]

#: The size of the demo's pictures: 16:9, like a news site's article image.
WIDTH, HEIGHT = 800, 450


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    """An RGB PNG (8 bits per channel) from ``height`` rows of ``3 * width`` bytes each."""
    if len(rows) != height or any(len(row) != 3 * width for row in rows):
        raise ValueError(f"expected {height} rows of {3 * width} bytes")

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 (none) on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


@dataclass(frozen=True)
class Hill:
    """A layer of hills: its colour, mean height (share of the picture from the top), and its waves."""

    colour: RGB
    level: float
    amplitude: float
    waves: float
    phase: float


@dataclass(frozen=True)
class Scene:
    sky_top: RGB
    sky_bottom: RGB
    sun: RGB
    sun_at: tuple[float, float]  # centre, as shares of the width and the height
    sun_radius: float  # share of the height
    #: From the farthest to the nearest.
    hills: tuple[Hill, ...]
    #: A lake from this share of the height down, in front of the hills whose level is above it, or None.
    lake: RGB | None = None
    lake_level: float = 0.7
    #: A path winding from the bottom of the picture up to this share of the height, or None.
    path: RGB | None = None
    path_top: float = 0.6


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def landscape(scene: Scene, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The PNG picture of ``scene``."""
    stride = 3 * width
    image = bytearray()
    sun_x, sun_y = scene.sun_at[0] * width, scene.sun_at[1] * height
    radius = scene.sun_radius * height
    lake_top = scene.lake_level * height if scene.lake is not None else height
    for y in range(height):
        if y >= lake_top:
            shade = (y - lake_top) / max(1.0, height - lake_top)
            row = bytearray(bytes(_mix(scene.lake, scene.sky_bottom, 0.35 * (1 - shade))) * width)
        else:
            row = bytearray(bytes(_mix(scene.sky_top, scene.sky_bottom, y / (height - 1))) * width)
        if abs(y - sun_y) < radius and y < lake_top:
            half = math.sqrt(radius * radius - (y - sun_y) ** 2)
            start, end = max(0, int(sun_x - half)), min(width, int(sun_x + half) + 1)
            row[3 * start:3 * end] = bytes(scene.sun) * (end - start)
        image += row
    # Each hill covers, in each column, everything below its ridge: one strided slice per column and channel.
    for depth, hill in enumerate(scene.hills):
        colour = _mix(hill.colour, (255, 255, 255), 0.05 * (len(scene.hills) - 1 - depth))
        bottom = min(height, math.ceil(lake_top)) if hill.level < scene.lake_level else height
        for x in range(width):
            turn = 2 * math.pi * x / width
            ridge = hill.level + hill.amplitude * (math.sin(hill.waves * turn + hill.phase)
                                                   + math.sin(hill.waves * 2.65 * turn + 2 * hill.phase) / 3)
            top = min(bottom, max(0, math.ceil(height * ridge)))
            for channel in range(3):
                image[top * stride + 3 * x + channel:bottom * stride:stride] = bytes((colour[channel],)) * (bottom - top)
    if scene.path is not None:
        top = int(scene.path_top * height)
        for y in range(top, height):
            near = (y - top) / (height - top)  # 0 at the far end, 1 at the bottom
            centre = width * (0.5 + 0.12 * math.sin(3.2 * (1 - near)) * (1 - near) + 0.08 * near)
            half = 2 + near * near * width * 0.16
            start, end = max(0, int(centre - half)), min(width, int(centre + half))
            shade = _mix(scene.path, scene.sky_bottom, 0.4 * (1 - near))
            image[y * stride + 3 * start:y * stride + 3 * end] = bytes(shade) * (end - start)
    return png(width, height, [bytes(image[y * stride:(y + 1) * stride]) for y in range(height)])
