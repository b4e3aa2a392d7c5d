#!/usr/bin/env python3
"""Writes the `uploads/` folder (a copy of wp-content/uploads) of one of
echt's WordPress fixture sites: small real JPEG and PNG files under the
names WordPress gives the original and its size variants, one JPEG with an
EXIF GPS position (which the importer must strip), a short silent MP3 and a
one-page PDF. The pictures are drawn here (coloured shapes); nothing is
taken from anywhere else. Dimensions are small whatever the names say, so
every file stays a few KB.

Run from the repository root, with Pillow installed, for example:

    python3 -m venv /tmp/pillow && /tmp/pillow/bin/pip install Pillow
    /tmp/pillow/bin/python tests/sites/wp-garten/make-uploads.py garten
    /tmp/pillow/bin/python tests/sites/wp-garten/make-uploads.py fieldnotes

The output is the same on every run (no dates, fixed drawing), so the
committed files only change when this script does. Files that the exports
name but that are deliberately missing (to be reported) are listed in each
site's README.md and are not written here.
"""

import os
import shutil
import struct
import sys

from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
SITES = os.path.dirname(HERE)

# Each picture: path of the original, (width, height) drawn, colours, the
# size-variant suffixes WordPress would have made, and whether it carries a
# GPS position.
GARTEN = [
    ("2025/03/gartentor.jpg", (90, 60), ("#6b8e23", "#8b4513"), ["150x150", "300x200"], True),
    ("2025/04/beet.jpg", (120, 80), ("#5c4033", "#3c9d3c"), ["150x150", "300x200", "768x512", "1024x683"], False),
    ("2025/04/bohnen-keimlinge.jpg", (60, 90), ("#e8e0c8", "#4caf50"), ["150x150", "200x300"], False),
    ("2025/04/bohnen-rankhilfe.jpg", (60, 90), ("#87ceeb", "#2e7d32"), ["150x150", "200x300"], False),
    ("2025/06/regentonne.png", (64, 64), ("#1e90ff", "#2f4f4f"), ["150x150"], False),
    ("2025/11/apfelkiste.jpg", (90, 60), ("#b22222", "#deb887"), ["150x150", "300x200"], False),
]
GARTEN_AUDIO = ["2025/05/amsel.mp3"]
GARTEN_PDF = [("2025/06/giessplan.pdf", "Giessplan Sommer 2025")]

FIELDNOTES = [
    ("2025/03/estuary-sketch.png", (80, 50), ("#f5f5dc", "#4682b4"), ["300x188"], False),
    ("2025/04/curlew.jpg", (120, 80), ("#c2b280", "#8b7355"), ["150x150", "300x200", "1024x683"], True),
    ("2025/04/dunlin.jpg", (90, 60), ("#a9a9a9", "#696969"), ["150x150", "300x200"], False),
    ("2025/04/oystercatcher.jpg", (90, 60), ("#000000", "#ff4500"), ["150x150", "300x200"], False),
    ("2025/06/old-pier.jpg", (90, 60), ("#708090", "#d2b48c"), ["150x150", "300x200"], False),
]
FIELDNOTES_AUDIO = ["2025/04/curlew-call.mp3"]
FIELDNOTES_PDF = [("2025/05/tide-table.pdf", "Tide table May 2025")]


def gps_exif(img):
    """EXIF with a GPS position (a made-up point) and a camera make."""
    exif = img.getexif()
    exif[0x010F] = "ExampleCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (52.0, 31.0, 12.5)  # GPSLatitude
    gps[3] = "E"  # GPSLongitudeRef
    gps[4] = (13.0, 24.0, 36.0)  # GPSLongitude
    return exif


def picture(path, size, colours, gps):
    img = Image.new("RGB", size, colours[0])
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.rectangle([w // 6, h // 3, w - w // 6, h - h // 8], fill=colours[1])
    draw.ellipse([w // 3, h // 10, w // 3 + h // 4, h // 10 + h // 4], fill="#ffd700")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if path.endswith(".png"):
        img.save(path, optimize=True)
    elif gps:
        img.save(path, quality=60, exif=gps_exif(img))
    else:
        img.save(path, quality=60)
    return img


def variant(path, img, suffix):
    stem, ext = os.path.splitext(path)
    w, h = (int(n) for n in suffix.split("x"))
    # Drawn at a tenth of the size the name says, at least 10 px.
    small = img.resize((max(10, w // 10), max(10, h // 10)))
    out = f"{stem}-{suffix}{ext}"
    if ext == ".png":
        small.save(out, optimize=True)
    else:
        small.save(out, quality=60)


def mp3(path):
    """An ID3v2 title and one second of silent MPEG-1 Layer III frames
    (32 kbit/s, 44.1 kHz, mono: 104 bytes a frame)."""
    title = os.path.basename(path).encode()
    frame = b"\x00" + title
    tit2 = b"TIT2" + struct.pack(">I", len(frame)) + b"\x00\x00" + frame
    size = len(tit2)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    header = b"ID3\x03\x00\x00" + syncsafe + tit2
    silent = b"\xff\xfb\x10\xc0" + b"\x00" * 100
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(header + silent * 38)


def pdf(path, text):
    """A one-page PDF with one line of text, its cross-reference table
    computed."""
    stream = f"BT /F1 14 Tf 40 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 150] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(out)


def main():
    sites = {
        "garten": ("wp-garten", GARTEN, GARTEN_AUDIO, GARTEN_PDF),
        "fieldnotes": ("wp-fieldnotes", FIELDNOTES, FIELDNOTES_AUDIO, FIELDNOTES_PDF),
    }
    if len(sys.argv) != 2 or sys.argv[1] not in sites:
        sys.exit("usage: make-uploads.py garten|fieldnotes")
    folder, pictures, audio, pdfs = sites[sys.argv[1]]
    root = os.path.join(SITES, folder, "uploads")
    shutil.rmtree(root, ignore_errors=True)
    for rel, size, colours, variants, gps in pictures:
        path = os.path.join(root, rel)
        img = picture(path, size, colours, gps)
        for suffix in variants:
            variant(path, img, suffix)
    for rel in audio:
        mp3(os.path.join(root, rel))
    for rel, text in pdfs:
        pdf(os.path.join(root, rel), text)


if __name__ == "__main__":
    main()
