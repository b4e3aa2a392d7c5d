#!/usr/bin/env python3
"""Writes content/bilder/lena.png, the sample blog's author photo: an
abstract silhouette (a head and shoulders in two flat colours on a warm
ground), 192 pixels square, so that the box under a post shows it sharp at
96 CSS pixels on a screen of double density. Made here, with nothing but
the standard library, so that the sample owes no one a photo.

Run from the repository's root: python3 tools/sample_author_photo.py
"""

import math
import struct
import zlib

SIZE = 192
GROUND = (233, 220, 196)
SHOULDERS = (29, 86, 112)
HEAD = (190, 140, 110)
HAIR = (92, 58, 40)


def colour(x: int, y: int) -> tuple:
    cx = SIZE / 2
    # Shoulders: the top half of an ellipse at the bottom edge.
    if ((x - cx) / 78) ** 2 + ((y - SIZE) / 70) ** 2 <= 1:
        return SHOULDERS
    head = math.hypot((x - cx) / 38, (y - 84) / 46)
    if head <= 1:
        # Hair over the top of the head.
        return HAIR if y < 70 - 0.15 * abs(x - cx) else HEAD
    if head <= 1.18 and y < 96:
        return HAIR
    return GROUND


def chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def main() -> None:
    rows = b"".join(
        b"\x00" + bytes(c for x in range(SIZE) for c in colour(x, y))
        for y in range(SIZE)
    )
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
    with open("content/bilder/lena.png", "wb") as out:
        out.write(png)


if __name__ == "__main__":
    main()
