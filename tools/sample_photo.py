#!/usr/bin/env python3
"""The two pictures of the sample blog's photo post, computed.

The sample blog needs a photo of realistic size (a few thousand pixels
wide, a megabyte or two as JPEG, with the fine detail that makes resizing
and WebP worth it) that is our own. This script computes one: a lake at
dawn below wooded hills, with clouds, reflections, a meadow and sensor
grain; and a smaller close-up of grass at the shore in front of a blurred
background. Everything is noise and arithmetic, seeded, so the same
versions of numpy and Pillow give the same bytes.

    python3 -m venv /tmp/photo-venv
    /tmp/photo-venv/bin/pip install numpy==2.1.3 pillow==11.0.0
    /tmp/photo-venv/bin/python tools/sample_photo.py content/posts/der-see-den-es-nicht-gibt

Writes `see.jpg` (3200 x 2134) and `ufer.jpg` (1800 x 1200) into the
given folder, without any metadata.
"""

import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SEED = 1307


def value_noise(rng, height, width, cells):
    """Smooth noise in [0, 1]: a random grid of `cells` across, upscaled bicubically."""
    rows = max(2, round(cells * height / width))
    grid = rng.random((rows + 3, cells + 3)).astype(np.float32)
    image = Image.fromarray(grid, mode="F")
    big = image.resize((width + width // cells * 3, height + height // rows * 3), Image.BICUBIC)
    return np.asarray(big, dtype=np.float32)[:height, :width]


def fbm(rng, height, width, base=4, octaves=7, falloff=0.5):
    """Fractal noise: octaves of value noise, each twice as fine and `falloff` as strong."""
    total = np.zeros((height, width), np.float32)
    amplitude, weight = 1.0, 0.0
    for octave in range(octaves):
        cells = min(base * 2**octave, width // 2)
        total += amplitude * value_noise(rng, height, width, cells)
        weight += amplitude
        amplitude *= falloff
    return total / weight


def ridge(rng, width, cells, octaves=6):
    """A 1-D fractal line spread over [0, 1] (a row of 2-D noise)."""
    line = fbm(rng, 1, width, base=cells, octaves=octaves)[0]
    return (line - line.min()) / (line.max() - line.min())


def mix(a, b, t):
    t = np.asarray(t, np.float32)[..., None] if np.ndim(t) else t
    return a * (1 - t) + b * t


def sky(rng, h, w, sun):
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    # The gradient ends at the far hills, a third of the way down.
    y = y / 0.36
    top = np.array([58, 84, 138], np.float32)
    middle = np.array([168, 170, 196], np.float32)
    horizon = np.array([246, 196, 150], np.float32)
    t = np.broadcast_to(y, (h, w))
    colour = np.where(
        (t < 0.55)[..., None],
        mix(top, middle, np.clip(t / 0.55, 0, 1)),
        mix(middle, horizon, np.clip((t - 0.55) / 0.45, 0, 1)),
    )
    # The glow of the sun just below the horizon, left of the middle.
    distance = np.sqrt(((x - sun[0]) * 1.5) ** 2 + (y - sun[1]) ** 2)
    glow = np.exp(-distance * 5.5)[..., None]
    colour = colour + glow * np.array([90, 60, 20], np.float32)
    # Clouds: fractal noise, stretched sideways, thinner near the horizon.
    clouds = fbm(rng, h, w, base=3, octaves=8)
    stretched = np.asarray(
        Image.fromarray(clouds, mode="F").resize((w, h // 4), Image.BICUBIC).resize((w, h), Image.BICUBIC)
    )
    cover = np.clip((stretched - 0.53) * 5.0, 0, 1) * np.clip(1.2 - t, 0, 1)
    lit = np.clip(1.0 - distance * 1.2, 0, 1)[..., None]
    cloud_colour = mix(np.array([118, 112, 138], np.float32), np.array([255, 214, 180], np.float32), lit[..., 0])
    detail = fbm(rng, h, w, base=40, octaves=4)[..., None]
    cloud_colour = cloud_colour * (0.85 + 0.3 * detail)
    return mix(colour, cloud_colour, cover * 0.9)


def landscape(rng, w, h):
    horizon = int(h * 0.47)
    sun = (0.3, 0.34)
    image = sky(rng, h, w, sun)
    haze = np.array([226, 196, 176], np.float32)
    rows = np.arange(h, dtype=np.float32)[:, None]
    # Ridges from far to near: higher, darker, greener, more detailed.
    layers = [
        (0.30, 0.10, np.array([150, 140, 160]), 0.75, 2),
        (0.34, 0.12, np.array([108, 110, 128]), 0.55, 3),
        (0.39, 0.10, np.array([64, 82, 80]), 0.32, 4),
        (0.44, 0.07, np.array([34, 54, 40]), 0.12, 5),
    ]
    for index, (level, height, colour, fog, cells) in enumerate(layers):
        line = ridge(rng, w, cells)
        if index >= 2:
            # Tree tops: small sharp bumps along the nearer ridges.
            trees = ridge(rng, w, w // (14 - 3 * index), octaves=2)
            line = line + 0.12 * np.abs(trees - 0.5) ** 0.6 * (index - 1)
        top = (level - height * (line - 0.35)) * h
        inside = rows >= top[None, :]
        texture = fbm(rng, h, w, base=60 + 40 * index, octaves=4)[..., None]
        shade = np.clip((rows - top[None, :]) / (h * 0.08), 0, 1)[..., None]
        ground = colour.astype(np.float32) * (0.75 + 0.45 * texture) * (1.0 - 0.25 * shade)
        ground = mix(ground, haze, fog)
        image = np.where(inside[..., None], ground, image)
    image = np.clip(image, 0, 255)
    return image, horizon, sun


def lake(rng, image, w, h, horizon, sun):
    """The lower part mirrors the land and sky, rippled, with a meadow in front."""
    shore = int(h * 0.47)
    meadow_top = int(h * 0.78)
    depth = meadow_top - shore
    mirror_rows = shore - 1 - (np.arange(depth) * 0.96).astype(int)
    ripple = fbm(rng, depth, w, base=6, octaves=5)
    progress = np.linspace(0, 1, depth, dtype=np.float32)[:, None]
    shift = ((ripple - 0.5) * (6 + 60 * progress)).astype(int)
    columns = np.clip(np.arange(w)[None, :] + shift, 0, w - 1)
    reflected = image[np.clip(mirror_rows, 0, shore - 1)[:, None], columns]
    water = np.array([40, 58, 78], np.float32)
    reflected = mix(reflected, water, 0.25 + 0.35 * progress)
    # Glitter under the sun: thin bright streaks where ripples catch it.
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    streak = np.exp(-((x - sun[0]) ** 2) / (0.004 + 0.03 * progress))
    waves = fbm(rng, depth, w // 8, base=60, octaves=3)
    waves = np.asarray(Image.fromarray(waves, mode="F").resize((w, depth), Image.BICUBIC))
    sparkle = np.clip((waves - 0.6) * 6, 0, 1) * streak
    reflected = reflected + sparkle[..., None] * np.array([120, 90, 50], np.float32)
    image[shore:meadow_top] = np.clip(reflected, 0, 255)
    return meadow(rng, image, w, h, meadow_top)


def meadow(rng, image, w, h, top):
    """Grass: noise stretched upright, lighter at the tips, with seed heads."""
    depth = h - top
    edge = (top - h * 0.02 * ridge(rng, w, 30)).astype(int)
    rows = np.arange(h)[:, None]
    fine = fbm(rng, h, w * 2 // 5, base=300, octaves=3)
    blades = np.asarray(Image.fromarray(fine, mode="F").resize((w, h), Image.BICUBIC))
    coarse = fbm(rng, h, w, base=8, octaves=4)
    light = np.clip((rows - edge[None, :]) / depth, 0, 1)
    green = mix(np.array([128, 132, 60], np.float32), np.array([52, 70, 30], np.float32), light)
    grass = green * (0.55 + 0.7 * blades[..., None]) * (0.8 + 0.4 * coarse[..., None])
    inside = rows >= edge[None, :]
    image = np.where(inside[..., None], grass, image)
    picture = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    for _ in range(9000):
        x = rng.integers(0, w)
        y = rng.integers(int(top - h * 0.01), h)
        near = (y - top) / depth
        length = 8 + near * 90 * rng.random()
        lean = (rng.random() - 0.5) * length * 0.6
        shade = int(70 + 100 * rng.random())
        colour = (shade + 40, shade + 50, int(shade * 0.45))
        draw.line([(x, y), (x + lean, y - length)], fill=colour, width=1 + int(near * 3))
        if rng.random() < 0.04:
            r = 1 + near * 6
            head = (236, 222, 160) if rng.random() < 0.7 else (222, 228, 240)
            draw.ellipse([x + lean - r, y - length - r, x + lean + r, y - length + r], fill=head)
    return np.asarray(picture, np.float32)


def finish(rng, image, w, h, blur_above=None):
    """What a camera adds: a little softness far away, vignetting, grain."""
    picture = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))
    if blur_above:
        soft = picture.filter(ImageFilter.GaussianBlur(1.2))
        mask = Image.new("L", (w, h), 0)
        ImageDraw.Draw(mask).rectangle([0, 0, w, blur_above], fill=255)
        picture = Image.composite(soft, picture, mask.filter(ImageFilter.GaussianBlur(40)))
    array = np.asarray(picture, np.float32)
    y = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    vignette = 1.0 - 0.28 * (x**2 + y**2) ** 1.3
    grain = rng.normal(0, 5.5, (h, w, 1)).astype(np.float32)
    colour_grain = rng.normal(0, 2.0, (h, w, 3)).astype(np.float32)
    array = array * vignette[..., None] + grain + colour_grain
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def lake_photo(rng):
    w, h = 3200, 2134
    image, horizon, sun = landscape(rng, w, h)
    image = lake(rng, image, w, h, horizon, sun)
    return finish(rng, image, w, h, blur_above=int(h * 0.4))


def shore_photo(rng):
    """Grass blades in focus in front of the lake, blurred into soft light."""
    w, h = 1800, 1200
    background, _, sun = landscape(rng, w, h)
    background = lake(rng, background, w, h, 0, sun)
    picture = Image.fromarray(np.clip(background, 0, 255).astype(np.uint8))
    picture = picture.resize((w, h)).filter(ImageFilter.GaussianBlur(28))
    # Out-of-focus highlights: soft discs of light from the water.
    glow = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(glow)
    for _ in range(70):
        x, y = rng.integers(0, w), rng.integers(int(h * 0.35), int(h * 0.75))
        r = rng.integers(14, 46)
        level = int(30 + 50 * rng.random())
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(level + 30, level + 15, level))
    glow = glow.filter(ImageFilter.GaussianBlur(3))
    array = np.asarray(picture, np.float32) + np.asarray(glow, np.float32)
    picture = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    for _ in range(260):
        base_x = rng.integers(0, w)
        height = h * (0.3 + 0.65 * rng.random())
        bend = (rng.random() - 0.5) * 0.5
        width = rng.integers(2, 9)
        shade = rng.random()
        colour = (int(60 + 80 * shade), int(80 + 90 * shade), int(24 + 30 * shade))
        points = []
        for step in range(24):
            t = step / 23
            points.append((base_x + bend * height * t * t, h - height * t))
        for (x0, y0), (x1, y1), step in zip(points, points[1:], range(23)):
            taper = max(1, round(width * (1 - step / 23)))
            draw.line([(x0, y0), (x1, y1)], fill=colour, width=taper)
        # A drop of dew on some tips, lit from behind.
        if rng.random() < 0.25:
            x, y = points[-1]
            r = 3 + 4 * rng.random()
            draw.ellipse([x - r, y - r, x + r, y + r], fill=(250, 236, 206))
    return finish(rng, np.asarray(picture, np.float32), w, h)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sample_photo.py FOLDER")
    folder = Path(sys.argv[1])
    rng = np.random.default_rng(SEED)
    lake_photo(rng).save(folder / "see.jpg", quality=88, optimize=True, progressive=True)
    shore_photo(rng).save(folder / "ufer.jpg", quality=86, optimize=True, progressive=True)


if __name__ == "__main__":
    main()
