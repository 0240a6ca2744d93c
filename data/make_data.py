"""Create every data file used by the Hopfield-network lessons.

This script draws all of the project's data itself with numpy and Pillow;
nothing is downloaded.  The pictures and digits are the project's own work
and are licensed CC BY 4.0, like the rest of the prose and pictures.

Files made (next to this script, or in ``--out DIR``):

``pictures/*.png``
    Six 128x128 greyscale ("L" mode) pictures: ``smiley``, ``sunglasses``,
    ``hi_text``, ``house``, ``star`` and ``cat``.  Each is drawn at four
    times the size and shrunk with a Lanczos filter, and has soft shading,
    so it contains real grey levels.  Thresholded at 128 (dark = +1,
    light = -1) each becomes a bold black-and-white picture with 30-70 %
    ink, and any two overlap (mean of a * b) by at most 0.35 in absolute
    value, so that any three can be stored together in a Hopfield network.
``digits.npz``
    The digits 0-9 rendered at 28x28 with Pillow's built-in font in several
    sizes, slants and stroke weights (MNIST style: 0 = white background,
    255 = ink, centred by centre of mass).  Arrays: ``images``, ``labels``,
    ``font_size``, ``slant`` (degrees), ``stroke`` (pixels at 28x28 scale).
``digits_preview.png``
    A contact sheet of ``digits.npz``: one row per digit, one column per
    variant.

Usage::

    python data/make_data.py            # (re)write the files here
    python data/make_data.py --out DIR  # write them into DIR instead
    python data/make_data.py --check    # exit 1 if a committed file differs

Every step is deterministic, so the files are byte-for-byte reproducible for
a given numpy / Pillow (FreeType, zlib) installation.
"""

from __future__ import annotations

import argparse
import io
import itertools
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent

SIZE = 128  #: side of a picture in pixels
SCALE = 4  #: pictures are drawn this many times larger, then shrunk
BIG = SIZE * SCALE

DIGIT_SIZE = 28  #: side of a digit image in pixels
DIGIT_FONT_SIZES = (20, 23, 26)  #: font sizes (pixels at 28x28 scale)
DIGIT_SLANTS = (-12.0, 0.0, 12.0)  #: shear angles in degrees (+ leans right)
DIGIT_STROKES = (0.25, 0.5, 1.0)  #: extra outline width: regular to bold

#: fixed timestamp written into the zip entries of ``digits.npz``
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

#: limits that make the pictures usable together in a Hopfield network
INK_RANGE = (0.30, 0.70)
MAX_OVERLAP = 0.35


# ---------------------------------------------------------------------------
# Helpers for drawing
# ---------------------------------------------------------------------------


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """Return pixel-centre coordinates of the big canvas in [0, 1].

    Returns
    -------
    x, y : numpy.ndarray
        Arrays of shape ``(BIG, BIG)``; ``x`` grows to the right and ``y``
        grows downwards.
    """
    c = (np.arange(BIG) + 0.5) / BIG
    return np.meshgrid(c, c)


def _gray(values: np.ndarray) -> Image.Image:
    """Turn an array of grey values (0 = black, 255 = white) into an image.

    Parameters
    ----------
    values : numpy.ndarray
        Float or integer array; it is rounded and clipped to 0..255.

    Returns
    -------
    PIL.Image.Image
        An "L" mode image.
    """
    return Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8), "L")


def _vertical_gradient(top: float, bottom: float) -> Image.Image:
    """Big canvas shaded smoothly from ``top`` to ``bottom`` grey level."""
    _, y = _grid()
    return _gray(top + (bottom - top) * y)


def _radial_gradient(cx: float, cy: float, inner: float, outer: float,
                     radius: float) -> Image.Image:
    """Big canvas shaded from ``inner`` at (cx, cy) to ``outer`` at ``radius``.

    Coordinates and radius are fractions of the canvas side.
    """
    x, y = _grid()
    t = np.clip(np.hypot(x - cx, y - cy) / radius, 0.0, 1.0)
    return _gray(inner + (outer - inner) * t)


def _paint(base: Image.Image, fill: Image.Image | int, draw_mask) -> None:
    """Paint ``fill`` onto ``base`` wherever ``draw_mask`` draws.

    Parameters
    ----------
    base : PIL.Image.Image
        Big "L" canvas, changed in place.
    fill : PIL.Image.Image or int
        A shaded canvas of the same size, or a single grey level.
    draw_mask : callable
        Called with an ``ImageDraw.Draw`` on an empty mask; it should draw
        the shape in white (255).
    """
    mask = Image.new("L", base.size, 0)
    draw_mask(ImageDraw.Draw(mask))
    if isinstance(fill, int):
        fill = Image.new("L", base.size, fill)
    base.paste(fill, (0, 0), mask)


def _s(*values: float) -> list[int]:
    """Scale coordinates given on the 128-pixel grid to the big canvas."""
    return [round(v * SCALE) for v in values]


def _shrink(img: Image.Image) -> Image.Image:
    """Shrink a big canvas to ``SIZE`` x ``SIZE`` with a Lanczos filter."""
    return img.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def _font(size: float) -> ImageFont.FreeTypeFont:
    """Pillow's built-in scalable font (Aileron Regular) at ``size`` pixels.

    Raises
    ------
    RuntimeError
        If Pillow was built without FreeType (then there is no sizable font).
    """
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow needs FreeType support to draw the text")
    return font


def _ink_box(text: str, font: ImageFont.FreeTypeFont,
             stroke: int) -> tuple[int, int, int, int]:
    """Box around the inked pixels of ``text``, relative to its baseline start.

    ``font.getbbox`` includes the side bearings, so the box is measured on a
    rendering instead.

    Returns
    -------
    tuple of int
        ``(left, top, right, bottom)`` for ``anchor="ls"`` at the origin.
    """
    size = 4 * round(font.size)
    img = Image.new("L", (size, size), 0)
    origin = size // 4, 3 * size // 4
    ImageDraw.Draw(img).text(origin, text, font=font, fill=255, anchor="ls",
                             stroke_width=stroke, stroke_fill=255)
    l, t, r, b = img.getbbox()
    return l - origin[0], t - origin[1], r - origin[0], b - origin[1]


def _star_points(cx: float, cy: float, r_out: float, r_in: float,
                 n: int = 5) -> list[tuple[float, float]]:
    """Corners of an ``n``-pointed star with one point straight up."""
    points = []
    for k in range(2 * n):
        r = r_out if k % 2 == 0 else r_in
        a = -np.pi / 2 + k * np.pi / n
        points.append((cx + r * np.cos(a), cy + r * np.sin(a)))
    return points


# ---------------------------------------------------------------------------
# The pictures (one function each; all return a 128x128 "L" image)
# ---------------------------------------------------------------------------


def draw_smiley() -> Image.Image:
    """A dark round face with light eyes and a wide light smile.

    Returns
    -------
    PIL.Image.Image
        128x128 "L" image.
    """
    img = _vertical_gradient(250, 200)
    face = _radial_gradient(0.38, 0.32, 95, 10, 0.62)
    _paint(img, face, lambda d: d.ellipse(_s(9, 9, 119, 119), fill=255))
    d = ImageDraw.Draw(img)
    d.ellipse(_s(38, 30, 58, 60), fill=245)  # eyes
    d.ellipse(_s(70, 30, 90, 60), fill=245)
    width = 13  # the smile: a thick arc with round ends
    d.arc(_s(30, 31, 98, 99), start=25, end=155, fill=245, width=SCALE * width)
    for angle in (25, 155):
        a = np.deg2rad(angle)
        r = 34 - width / 2
        x, y = 64 + r * np.cos(a), 65 + r * np.sin(a)
        d.ellipse(_s(x - width / 2, y - width / 2, x + width / 2, y + width / 2),
                  fill=245)
    return _shrink(img)


def draw_sunglasses() -> Image.Image:
    """Big dark sunglasses with a shiny glint on each lens.

    Returns
    -------
    PIL.Image.Image
        128x128 "L" image.
    """
    img = _vertical_gradient(255, 215)
    lens = _vertical_gradient(10, 105)
    for x0, x1 in ((6, 60), (68, 122)):
        def shape(d: ImageDraw.ImageDraw, x0: int = x0, x1: int = x1) -> None:
            d.rounded_rectangle(_s(x0, 34, x1, 68), radius=SCALE * 8, fill=255)
            d.ellipse(_s(x0, 40, x1, 94), fill=255)

        _paint(img, lens, shape)
        # a soft grey glint across the lens
        _paint(img, 175, lambda d, x0=x0: d.line(
            _s(x0 + 12, 74, x0 + 30, 46), fill=255, width=SCALE * 6))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle(_s(0, 28, 128, 42), radius=SCALE * 6, fill=25)  # frame
    d.rectangle(_s(56, 36, 72, 50), fill=25)  # bridge
    return _shrink(img)


def draw_hi_text() -> Image.Image:
    """The word "HI" in big bold light letters on a dark sign.

    Returns
    -------
    PIL.Image.Image
        128x128 "L" image.
    """
    img = _vertical_gradient(255, 210)
    board = _vertical_gradient(90, 0)
    _paint(img, board, lambda d: d.rounded_rectangle(
        _s(0, 24, 128, 120), radius=SCALE * 12, fill=255))
    font = _font(SCALE * 88)
    stroke, gap = SCALE * 5, SCALE * 16
    # lay the letters out by their ink boxes so the gap between them is exact
    boxes = [_ink_box(ch, font, stroke) for ch in "HI"]
    total = sum(r - l for l, _, r, _ in boxes) + gap
    x = (BIG - total) // 2
    letters = _vertical_gradient(255, 190)
    for ch, (l, t, r, b) in zip("HI", boxes):
        y = SCALE * 72 + (b - t) // 2 - b  # centre the ink box on y = 72
        _paint(img, letters, lambda d, ch=ch, x=x - l, y=y: d.text(
            (x, y), ch, font=font, fill=255, anchor="ls",
            stroke_width=stroke, stroke_fill=255))
        x += r - l + gap
    return _shrink(img)


def draw_house() -> Image.Image:
    """A dark house with a pointed roof on dark ground, under a pale sky.

    Returns
    -------
    PIL.Image.Image
        128x128 "L" image.
    """
    img = _vertical_gradient(210, 255)  # sky, brighter near the horizon
    d = ImageDraw.Draw(img)
    d.ellipse(_s(96, 8, 120, 32), fill=170)  # a pale sun: vanishes at 128
    _paint(img, _vertical_gradient(0, 60), lambda d: d.polygon(
        _s(4, 64, 64, 12, 124, 64), fill=255))  # roof
    _paint(img, _vertical_gradient(40, 20), lambda d: d.rectangle(
        _s(16, 60, 112, 128), fill=255))  # walls
    d = ImageDraw.Draw(img)
    d.rectangle(_s(84, 22, 98, 48), fill=20)  # chimney
    d.rectangle(_s(0, 114, 128, 128), fill=30)  # ground
    d.rectangle(_s(26, 72, 50, 94), fill=235)  # window with its cross
    d.rectangle(_s(36, 72, 40, 94), fill=40)
    d.rectangle(_s(26, 81, 50, 85), fill=40)
    d.rounded_rectangle(_s(70, 76, 94, 118), radius=SCALE * 4, fill=225)  # door
    d.ellipse(_s(86, 96, 90, 100), fill=60)  # door knob
    return _shrink(img)


def draw_star() -> Image.Image:
    """A big light five-pointed star on a dark rounded badge.

    Returns
    -------
    PIL.Image.Image
        128x128 "L" image.
    """
    img = _vertical_gradient(255, 215)
    sky = _radial_gradient(0.5, 0.55, 100, 0, 0.7)
    _paint(img, sky, lambda d: d.rounded_rectangle(
        _s(2, 2, 126, 126), radius=SCALE * 28, fill=255))
    star = _radial_gradient(0.5, 0.55, 255, 185, 0.5)
    _paint(img, star, lambda d: d.polygon(
        [(SCALE * x, SCALE * y) for x, y in _star_points(64, 68, 60, 28)],
        fill=255))
    return _shrink(img)


def draw_cat() -> Image.Image:
    """A light cat face with pointy ears, big dark eyes and whiskers, on dark.

    Returns
    -------
    PIL.Image.Image
        128x128 "L" image.
    """
    img = _vertical_gradient(60, 0)
    fur = _radial_gradient(0.5, 0.45, 255, 190, 0.5)

    def head(d: ImageDraw.ImageDraw) -> None:
        d.ellipse(_s(10, 40, 118, 124), fill=255)
        d.polygon(_s(6, 76, 10, 2, 60, 44), fill=255)  # left ear
        d.polygon(_s(122, 76, 118, 2, 68, 44), fill=255)  # right ear

    _paint(img, fur, head)
    d = ImageDraw.Draw(img)
    d.polygon(_s(24, 52, 18, 20, 46, 42), fill=120)  # inner ears (grey)
    d.polygon(_s(104, 52, 110, 20, 82, 42), fill=120)
    d.ellipse(_s(31, 58, 59, 90), fill=15)  # eyes
    d.ellipse(_s(69, 58, 97, 90), fill=15)
    d.ellipse(_s(46, 64, 53, 71), fill=230)  # eye shine
    d.ellipse(_s(84, 64, 91, 71), fill=230)
    d.polygon(_s(56, 92, 72, 92, 64, 101), fill=20)  # nose
    d.line(_s(64, 100, 64, 107), fill=20, width=SCALE * 3)  # mouth
    d.arc(_s(50, 98, 64, 112), start=0, end=160, fill=20, width=SCALE * 3)
    d.arc(_s(64, 98, 78, 112), start=20, end=180, fill=20, width=SCALE * 3)
    for y0, y1 in ((94, 90), (100, 102)):  # whiskers
        d.line(_s(6, y1, 44, y0 + 4), fill=40, width=SCALE * 2)
        d.line(_s(122, y1, 84, y0 + 4), fill=40, width=SCALE * 2)
    return _shrink(img)


#: file stem -> drawing function, in the order the lessons use them
PICTURES = {
    "smiley": draw_smiley,
    "sunglasses": draw_sunglasses,
    "hi_text": draw_hi_text,
    "house": draw_house,
    "star": draw_star,
    "cat": draw_cat,
}


def to_pattern(img: Image.Image) -> np.ndarray:
    """Threshold a greyscale picture into a flat +1/-1 pattern.

    Parameters
    ----------
    img : PIL.Image.Image
        "L" mode picture.

    Returns
    -------
    numpy.ndarray
        1-D int8 array: +1 where the pixel is dark (< 128), -1 elsewhere.
    """
    a = np.asarray(img, dtype=np.uint8).ravel()
    return np.where(a < 128, 1, -1).astype(np.int8)


def check_pictures(images: dict[str, Image.Image]) -> list[str]:
    """List the ways the pictures break the Hopfield-friendly limits.

    Parameters
    ----------
    images : dict of str to PIL.Image.Image
        The pictures by name.

    Returns
    -------
    list of str
        One message per problem; empty if every picture's ink fraction is
        inside ``INK_RANGE`` and every pairwise overlap is at most
        ``MAX_OVERLAP`` in absolute value.
    """
    problems = []
    patterns = {name: to_pattern(img) for name, img in images.items()}
    for name, p in patterns.items():
        ink = float(np.mean(p == 1))
        if not INK_RANGE[0] <= ink <= INK_RANGE[1]:
            problems.append(f"{name}: ink fraction {ink:.3f} outside {INK_RANGE}")
    for (a, pa), (b, pb) in itertools.combinations(patterns.items(), 2):
        m = float(np.mean(pa.astype(float) * pb))
        if abs(m) > MAX_OVERLAP:
            problems.append(f"{a} / {b}: overlap {m:+.3f} beyond ±{MAX_OVERLAP}")
    return problems


# ---------------------------------------------------------------------------
# Digits
# ---------------------------------------------------------------------------


def render_digit(digit: int, font_size: int, slant: float,
                 stroke: float) -> np.ndarray:
    """Render one digit MNIST style.

    The digit is drawn four times larger, sheared by ``slant`` degrees,
    shifted so that the centre of mass of its ink sits in the middle of the
    frame, and shrunk to 28x28 by averaging 4x4 blocks.

    Parameters
    ----------
    digit : int
        0..9.
    font_size : int
        Font size in pixels at the 28x28 scale.
    slant : float
        Shear angle in degrees; positive leans the top to the right.
    stroke : float
        Extra outline width in pixels at the 28x28 scale, added around the
        regular font (0 = plain; larger is bolder).

    Returns
    -------
    numpy.ndarray
        ``(28, 28)`` uint8 array, 0 = background, 255 = ink.
    """
    big = DIGIT_SIZE * SCALE
    work = 2 * big  # roomy canvas so that shearing never clips the glyph
    font = _font(font_size * SCALE)
    img = Image.new("L", (work, work), 0)
    ImageDraw.Draw(img).text((work // 2, work // 2), str(digit), font=font,
                             fill=255, anchor="mm",
                             stroke_width=round(stroke * SCALE), stroke_fill=255)
    k = float(np.tan(np.deg2rad(slant)))
    # output (x, y) samples input (x + k (y - centre), y): the top leans right
    img = img.transform(img.size, Image.Transform.AFFINE,
                        (1.0, k, -k * work / 2, 0.0, 1.0, 0.0),
                        resample=Image.Resampling.BICUBIC)
    a = np.asarray(img, dtype=np.float64)
    ys, xs = np.indices(a.shape)
    cy, cx = (a * ys).sum() / a.sum(), (a * xs).sum() / a.sum()
    # big pixel 4 j + 1.5 is the centre of small pixel j, so putting the
    # centre of mass at big index 4 * 13.5 + 1.5 centres it in the frame
    centre = SCALE * (DIGIT_SIZE - 1) / 2 + (SCALE - 1) / 2
    left, top = round(cx - centre), round(cy - centre)
    box = (left, top, left + big, top + big)
    ink = img.getbbox()
    if not (box[0] <= ink[0] and box[1] <= ink[1]
            and ink[2] <= box[2] and ink[3] <= box[3]):
        raise ValueError(f"digit {digit} does not fit in the frame")
    # plain area averaging: no ringing, so the background stays exactly 0
    img = img.crop(box).reduce(SCALE)
    return np.asarray(img, dtype=np.uint8)


def make_digits() -> dict[str, np.ndarray]:
    """Render every digit in every variant.

    Returns
    -------
    dict of str to numpy.ndarray
        ``images`` (K, 28, 28) uint8, ``labels`` (K,) int64, and the
        rendering parameters ``font_size`` (K,) int64, ``slant`` (K,)
        float64 in degrees and ``stroke`` (K,) float64 in pixels.  Ordered
        by digit, then font size, slant and stroke.
    """
    rows = [(d, f, s, w) for d in range(10) for f in DIGIT_FONT_SIZES
            for s in DIGIT_SLANTS for w in DIGIT_STROKES]
    return {
        "images": np.stack([render_digit(*r) for r in rows]),
        "labels": np.array([r[0] for r in rows], dtype=np.int64),
        "font_size": np.array([r[1] for r in rows], dtype=np.int64),
        "slant": np.array([r[2] for r in rows], dtype=np.float64),
        "stroke": np.array([r[3] for r in rows], dtype=np.float64),
    }


def digits_preview(digits: dict[str, np.ndarray], zoom: int = 2) -> Image.Image:
    """Contact sheet: one row per digit 0..9, one column per variant.

    Parameters
    ----------
    digits : dict
        Output of :func:`make_digits`.
    zoom : int
        Each 28x28 image is enlarged by this whole factor.

    Returns
    -------
    PIL.Image.Image
        "L" image, dark ink on white with a thin light gap between cells.
    """
    labels = digits["labels"]
    per_row = int(np.sum(labels == 0))
    cell, gap = DIGIT_SIZE * zoom, 2
    sheet = Image.new("L", (per_row * (cell + gap) + gap,
                            10 * (cell + gap) + gap), 200)
    for d in range(10):
        for j, img in enumerate(digits["images"][labels == d]):
            tile = Image.fromarray(255 - img, "L").resize((cell, cell),
                                                         Image.Resampling.NEAREST)
            sheet.paste(tile, (gap + j * (cell + gap), gap + d * (cell + gap)))
    return sheet


# ---------------------------------------------------------------------------
# Writing and checking
# ---------------------------------------------------------------------------


def _png_bytes(img: Image.Image) -> bytes:
    """Encode an image as PNG with fixed options and no metadata."""
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False, compress_level=9)
    return buf.getvalue()


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """Encode arrays like ``np.savez_compressed`` but with a fixed zip date.

    ``np.savez_compressed`` stamps each zip entry with the current time, so
    its output changes from run to run; this writes the same layout (one
    ``.npy`` member per array, deflated) with a constant timestamp.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, arr in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arr),
                                      allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue(), compresslevel=9)
    return buf.getvalue()


def build() -> dict[str, bytes]:
    """Make every file's contents.

    Returns
    -------
    dict of str to bytes
        Relative path (with ``/``) -> file contents.

    Raises
    ------
    ValueError
        If the pictures break the ink-fraction or overlap limits.
    """
    images = {name: draw() for name, draw in PICTURES.items()}
    problems = check_pictures(images)
    if problems:
        raise ValueError("pictures unfit for a Hopfield network:\n  "
                         + "\n  ".join(problems))
    files = {f"pictures/{name}.png": _png_bytes(img) for name, img in images.items()}
    digits = make_digits()
    files["digits.npz"] = _npz_bytes(digits)
    files["digits_preview.png"] = _png_bytes(digits_preview(digits))
    return files


def write(out: Path) -> list[Path]:
    """Write every file into ``out``.

    Parameters
    ----------
    out : pathlib.Path
        Target folder; created if needed.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    written = []
    for rel, data in build().items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def check(folder: Path = HERE) -> list[str]:
    """Regenerate into a temporary folder and compare with ``folder``.

    Parameters
    ----------
    folder : pathlib.Path
        Folder holding the committed files (default: this script's folder).

    Returns
    -------
    list of str
        One message per file that is missing or differs, or per picture
        that the script does not make; empty if all match.
    """
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        made = set()
        for fresh in write(Path(tmp)):
            rel = fresh.relative_to(tmp)
            made.add(rel.as_posix())
            old = folder / rel
            if not old.is_file():
                problems.append(f"{rel.as_posix()}: missing")
            elif old.read_bytes() != fresh.read_bytes():
                problems.append(f"{rel.as_posix()}: differs{_hint(old, fresh)}")
    for stray in sorted((folder / "pictures").glob("*.png")):
        rel = stray.relative_to(folder).as_posix()
        if rel not in made:
            problems.append(f"{rel}: not made by this script")
    return problems


def _hint(old: Path, fresh: Path) -> str:
    """Say whether two differing files still hold the same pixels/arrays."""
    try:
        if old.suffix == ".png":
            with Image.open(old) as a, Image.open(fresh) as b:
                same = a.mode == b.mode and np.array_equal(np.asarray(a), np.asarray(b))
        else:
            with np.load(old, allow_pickle=False) as a, \
                    np.load(fresh, allow_pickle=False) as b:
                same = sorted(a.files) == sorted(b.files) and all(
                    np.array_equal(a[k], b[k]) and a[k].dtype == b[k].dtype
                    for k in a.files)
    except Exception:  # unreadable old file: just report the difference
        return ""
    return (" (same content, different encoding: library versions?)" if same
            else " (content changed)")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE,
                        help="folder to write into (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="compare freshly made files with those in --out "
                             "instead of writing; exit 1 if any differ")
    args = parser.parse_args(argv)
    if args.check:
        problems = check(args.out)
        for p in problems:
            print(f"out of date: {p}", file=sys.stderr)
        if problems:
            print("run `python data/make_data.py` to regenerate", file=sys.stderr)
            return 1
        print("all data files are up to date")
        return 0
    for path in write(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
