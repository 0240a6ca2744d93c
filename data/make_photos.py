"""Make the six photographs in ``pictures/photos/`` from scikit-image's sample data.

The photographs come from the scikit-image project, whose owners released them under
CC0 or into the public domain (see ``data/README.md`` for each one's source and
licence). scikit-image is not a requirement of this project: the script reads the
files straight out of its wheel, which pip downloads once::

    pip download scikit-image==0.26.0 --no-deps -d /tmp/skimage
    python data/make_photos.py /tmp/skimage/scikit_image-0.26.0-*.whl

Each photograph is turned grey (Pillow's "L" mode: 0.299 R + 0.587 G + 0.114 B), cut
to a square around its subject, shrunk to 256x256 with a Lanczos filter and saved as a
PNG of a few tens of KB. The lessons shrink them further, to 128x128.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from PIL import Image, ImageOps

HERE = Path(__file__).resolve().parent
SIDE = 256  #: side of a stored photograph in pixels

#: name -> (file in skimage/data, square (left, top, right, bottom) around the subject,
#: or None to keep the whole picture, padded with white to a square)
PHOTOS = {
    "camera": ("camera.png", None),                    # 512x512
    "astronaut": ("astronaut.png", None),              # 512x512
    "chelsea": ("chelsea.png", (90, 0, 390, 300)),     # 451x300: the cat's face
    "coffee": ("coffee.png", (60, 0, 460, 400)),       # 600x400: the cup
    "horse": ("horse.png", None),                      # 400x328 silhouette
    "rocket": ("rocket.jpg", (107, 0, 534, 427)),      # 640x427: the middle
}


def photo(image: Image.Image, box) -> Image.Image:
    """One photograph as a SIDE x SIDE greyscale image (transparent parts white)."""
    if image.mode in ("RGBA", "LA", "P"):
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image.convert("RGBA"))
    image = image.convert("L")
    if box is not None:
        image = image.crop(box)
    return ImageOps.pad(image, (SIDE, SIDE), method=Image.Resampling.LANCZOS, color=255)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="a scikit-image wheel (.whl)")
    parser.add_argument("--out", type=Path, default=HERE / "pictures" / "photos",
                        help="folder to write into (default: %(default)s)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(args.wheel) as wheel:
        for name, (member, box) in PHOTOS.items():
            with Image.open(io.BytesIO(wheel.read(f"skimage/data/{member}"))) as image:
                path = args.out / f"{name}.png"
                photo(image, box).save(path, optimize=True)
            print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
