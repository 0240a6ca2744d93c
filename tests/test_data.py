"""Tests for the data folder (reproducible, and fit for the Hopfield lessons) and for the
helpers that read pictures (section 5: load_grey_image, load_image_pattern, picture_names,
load_picture, load_digits). Pictures that cannot be read are in test_validation.py."""

from __future__ import annotations

import importlib.util
import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import hopfield_helpers as hh

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PICTURES = sorted((DATA / "pictures").glob("*.png"))
DIGIT_KEYS = {"images", "labels", "font_size", "slant", "stroke"}


@pytest.fixture(scope="module")
def make_data():
    """The ``data/make_data.py`` script, imported as a module."""
    spec = importlib.util.spec_from_file_location("make_data", DATA / "make_data.py")
    module = importlib.util.module_from_spec(spec)
    old, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # keep data/ clean
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = old
    return module


@pytest.fixture(scope="module")
def patterns() -> dict[str, np.ndarray]:
    """Each picture thresholded at 128: dark (ink) = +1, light = -1."""
    result = {}
    for path in PICTURES:
        with Image.open(path) as img:
            result[path.stem] = np.where(np.asarray(img) < 128, 1.0, -1.0).ravel()
    return result


# --- reproducibility --------------------------------------------------------


def test_check_passes(make_data, capsys):
    """``python data/make_data.py --check``, as the README says: every file is up to date."""
    assert make_data.main(["--check"]) == 0, capsys.readouterr().err
    assert "up to date" in capsys.readouterr().out


def test_check_notices_a_changed_a_missing_and_a_stray_file(make_data, tmp_path, capsys):
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    victim = tmp_path / "pictures" / PICTURES[0].name
    with Image.open(victim) as im:
        img = np.array(im)
    img[0, 0] ^= 0xFF
    Image.fromarray(img, "L").save(victim)
    (tmp_path / "digits.npz").unlink()
    Image.new("L", (4, 4)).save(tmp_path / "pictures" / "stray.png")
    assert make_data.main(["--check", "--out", str(tmp_path)]) == 1
    problems = capsys.readouterr().err
    assert f"pictures/{victim.name}: differs (content changed)" in problems
    assert "digits.npz: missing" in problems
    assert "pictures/stray.png: not made by this script" in problems
    assert len([line for line in problems.splitlines() if line.startswith("out of date")]) == 3


# --- pictures ---------------------------------------------------------------


def test_there_are_enough_pictures():
    assert len(PICTURES) >= 4


@pytest.mark.parametrize("path", PICTURES, ids=lambda p: p.stem)
def test_picture_is_128_square_greyscale_with_real_grey(path):
    with Image.open(path) as img:
        assert img.mode == "L"
        assert img.size == (128, 128)
        a = np.asarray(img)
    assert len(np.unique(a)) >= 32
    mid_grey = np.mean((a > 40) & (a < 215))
    assert mid_grey > 0.05, "needs soft shading for the threshold slider"


def test_ink_fraction(patterns):
    for name, p in patterns.items():
        ink = np.mean(p == 1)
        assert 0.30 <= ink <= 0.70, f"{name}: ink fraction {ink:.3f}"


def test_pairwise_overlap_is_small(patterns):
    for (a, pa), (b, pb) in itertools.combinations(patterns.items(), 2):
        m = np.mean(pa * pb)
        assert abs(m) <= 0.35, f"{a} / {b}: overlap {m:+.3f}"


def _hebbian_recall(X: np.ndarray, s: np.ndarray, steps: int = 20) -> np.ndarray:
    """Synchronous sign updates of a Hebbian network W = X^T X / N, zero diagonal.

    W has N^2 = 2.7e8 entries, so W @ s is computed in the equal factored form
    X^T (X s) / N - (P / N) s (the last term removes the diagonal, P / N).
    """
    P, N = X.shape
    for _ in range(steps):
        h = X.T @ (X @ s) / N - (P / N) * s
        new = np.where(h > 0, 1.0, np.where(h < 0, -1.0, s))
        if np.array_equal(new, s):
            break
        s = new
    return s


def test_any_three_pictures_are_recalled_from_20_percent_noise(patterns):
    rng = np.random.default_rng(2024)
    names = sorted(patterns)
    for trio in itertools.combinations(names, 3):
        X = np.stack([patterns[n] for n in trio])
        for name, x in zip(trio, X):
            flip = rng.random(x.size) < 0.20
            s = _hebbian_recall(X, np.where(flip, -x, x))
            overlap = np.mean(s * x)
            assert overlap >= 0.95, f"{name} among {trio}: overlap {overlap:.3f}"


# --- digits -----------------------------------------------------------------


@pytest.fixture(scope="module")
def digits() -> dict[str, np.ndarray]:
    with np.load(DATA / "digits.npz", allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def test_digits_keys_shapes_dtypes(digits):
    assert set(digits) == DIGIT_KEYS
    images = digits["images"]
    K = len(images)
    assert images.shape == (K, 28, 28) and images.dtype == np.uint8
    assert digits["labels"].shape == (K,) and digits["labels"].dtype == np.int64
    for key in DIGIT_KEYS - {"images", "labels"}:
        assert digits[key].shape == (K,), key
        assert digits[key].dtype.kind in "if", key


def test_digits_cover_0_to_9_with_several_variants(digits):
    labels, counts = np.unique(digits["labels"], return_counts=True)
    assert labels.tolist() == list(range(10))
    assert counts.min() >= 5 and counts.min() == counts.max()
    for key in ("font_size", "slant", "stroke"):
        assert len(np.unique(digits[key])) >= 2, f"{key} never varies"
    # each digit has distinct renderings
    for d in range(10):
        imgs = digits["images"][digits["labels"] == d].reshape(-1, 28 * 28)
        assert len(np.unique(imgs, axis=0)) == len(imgs)


def test_every_digit_has_ink_on_a_clean_centred_frame(digits):
    images = digits["images"].astype(float)
    assert images.max(axis=(1, 2)).min() == 255
    assert (images > 127).mean(axis=(1, 2)).min() > 0.03
    # MNIST style: white (0) border, centre of mass near the middle
    assert images[:, 0].max() == images[:, -1].max() == 0
    assert images[:, :, 0].max() == images[:, :, -1].max() == 0
    ys, xs = np.indices((28, 28))
    mass = images.sum(axis=(1, 2))
    cy = (images * ys).sum(axis=(1, 2)) / mass
    cx = (images * xs).sum(axis=(1, 2)) / mass
    assert np.abs(cy - 13.5).max() < 1 and np.abs(cx - 13.5).max() < 1


# --- reading pictures (the helpers) ---------------------------------------------


def ramp(rows=4):
    """Every grey level 0..255 once per row: shape (rows, 256)."""
    return np.tile(np.arange(256, dtype=np.uint8), (rows, 1))


@pytest.mark.parametrize("threshold", [0, 1, 80, 127, 128, 254, 255])
def test_grey_ramp_threshold_is_inclusive(threshold):
    pattern = hh.load_image_pattern(ramp(), size=None, threshold=threshold)
    assert pattern.dtype == np.int8 and pattern.shape == (4, 256)
    expected = np.where(np.arange(256) <= threshold, 1, -1)
    assert (pattern == expected).all()  # grey <= threshold is ink (+1)
    assert int((pattern[0] == 1).sum()) == threshold + 1


@pytest.mark.parametrize("size", [(128, 128), (32, 64), (5, 3), (1, 1)])
def test_load_image_pattern_shape(size):
    pattern = hh.load_image_pattern(DATA / "pictures" / "cat.png", size=size)
    assert pattern.shape == size and pattern.dtype == np.int8
    assert set(np.unique(pattern)) <= {-1, 1}


def test_size_none_keeps_the_picture_size():
    grey = np.full((7, 11), 30, dtype=np.uint8)
    assert hh.load_image_pattern(grey, size=None, threshold=80).shape == (7, 11)
    assert hh.load_grey_image(grey, size=None).shape == (7, 11)


def test_wide_picture_is_fitted_and_padded_with_white_rows():
    wide = np.zeros((40, 80), dtype=np.uint8)  # all black, twice as wide as tall
    pattern = hh.load_image_pattern(wide, size=(128, 128), threshold=128)
    ink_rows = np.flatnonzero((pattern == 1).all(axis=1))
    white_rows = np.flatnonzero((pattern == -1).all(axis=1))
    # Scaled to 64 x 128 (not stretched to 128 x 128), centred: 32 white rows above and below.
    assert ink_rows.tolist() == list(range(32, 96))
    assert white_rows.tolist() == list(range(32)) + list(range(96, 128))


def test_tall_picture_is_padded_with_white_columns():
    tall = np.zeros((80, 40), dtype=np.uint8)
    pattern = hh.load_image_pattern(tall, size=(128, 128), threshold=128)
    assert (pattern[:, :32] == -1).all() and (pattern[:, 96:] == -1).all()
    assert (pattern[:, 32:96] == 1).all()


def test_grey_image_padding_is_white():
    grey = hh.load_grey_image(np.zeros((40, 80), dtype=np.uint8), size=(128, 128))
    assert grey.dtype == np.uint8 and grey.shape == (128, 128)
    assert (grey[:32] == 255).all() and (grey[96:] == 255).all() and (grey[32:96] == 0).all()


def test_otsu_splits_a_two_level_picture():
    grey = np.full((20, 20), 200, dtype=np.uint8)
    grey[5:12, 3:15] = 50
    pattern = hh.load_image_pattern(grey, size=None)  # threshold=None: Otsu
    assert (pattern == np.where(grey == 50, 1, -1)).all()
    one_level = hh.load_image_pattern(np.full((3, 3), 77, dtype=np.uint8), size=None)
    assert (one_level == 1).all()  # one grey level: at the threshold, so all ink


def test_path_pil_and_array_inputs_agree(tmp_path):
    grey = hh.load_grey_image(DATA / "pictures" / "star.png", size=None)
    path = tmp_path / "star_copy.png"
    Image.fromarray(grey, mode="L").save(path)
    from_path = hh.load_image_pattern(path, size=(64, 64))
    from_str = hh.load_image_pattern(str(path), size=(64, 64))
    with Image.open(path) as image:
        from_pil = hh.load_image_pattern(image, size=(64, 64))
    from_array = hh.load_image_pattern(grey, size=(64, 64))
    from_floats = hh.load_image_pattern(grey / 255.0, size=(64, 64))
    for other in (from_str, from_pil, from_array, from_floats):
        assert (other == from_path).all()


def test_colour_and_transparency():
    rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    rgb[..., 0] = 255  # pure red: grey level 76 (ITU-R 601 luma)
    assert (hh.load_grey_image(rgb, size=None) == 76).all()
    rgba = np.zeros((4, 4, 4), dtype=np.uint8)  # black but fully transparent
    rgba[:2, :, 3] = 255  # top half opaque black
    pattern = hh.load_image_pattern(rgba, size=None, threshold=128)
    assert (pattern[:2] == 1).all() and (pattern[2:] == -1).all()  # transparent = white
    with_alpha = Image.fromarray(rgba, mode="RGBA")
    assert (hh.load_image_pattern(with_alpha, size=None, threshold=128) == pattern).all()


def test_a_saved_pattern_loads_back_exactly(tmp_path):
    pattern = hh.random_patterns(1, (9, 13), seed=4)[0]
    path = tmp_path / "p.png"
    Image.fromarray(np.where(pattern == 1, 0, 255).astype(np.uint8), mode="L").save(path)
    assert (hh.load_image_pattern(path, size=None, threshold=128) == pattern).all()
    assert (hh.load_image_pattern(path, size=None) == pattern).all()  # Otsu agrees


def test_picture_names_and_load_picture():
    names = hh.picture_names()
    assert names == ["cat", "hi_text", "house", "smiley", "star", "sunglasses"]
    assert names == sorted(p.stem for p in PICTURES)
    for name in names:
        pattern = hh.load_picture(name)
        assert pattern.shape == (128, 128) and pattern.dtype == np.int8
        assert 0.3 <= np.mean(pattern == 1) <= 0.7
        assert (pattern == hh.load_image_pattern(DATA / "pictures" / f"{name}.png")).all()
    assert hh.load_picture("star", size=(32, 32)).shape == (32, 32)
    at_80 = hh.load_picture("cat", threshold=80)
    grey = hh.load_grey_image(DATA / "pictures" / "cat.png")
    assert (at_80 == np.where(grey <= 80, 1, -1)).all()
    assert hh.DATA_DIR == DATA


def test_load_digits():
    patterns, labels, info = hh.load_digits()
    assert patterns.shape == (270, 28, 28) and patterns.dtype == np.int8
    assert set(np.unique(patterns)) == {-1, 1}
    assert labels.shape == (270,) and np.bincount(labels).tolist() == [27] * 10
    assert set(info) == {"font_size", "slant", "stroke"}
    assert all(v.shape == (270,) for v in info.values())
    with np.load(DATA / "digits.npz", allow_pickle=False) as z:
        assert (patterns == np.where(z["images"] >= 128, 1, -1)).all()
    thin, _, _ = hh.load_digits(threshold=255)
    assert (thin == 1).sum() < (patterns == 1).sum()


def test_loading_pictures_needs_no_matplotlib():
    code = ("import sys, hopfield_helpers as hh; hh.load_picture('cat'); hh.load_digits(); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "False"


# --- the photographs ----------------------------------------------------------

PHOTOS = sorted((DATA / "pictures" / "photos").glob("*.png"))
PHOTO_NAMES = ["astronaut", "camera", "chelsea", "coffee", "horse", "rocket"]


def test_the_six_photographs_are_there_and_named():
    assert [p.stem for p in PHOTOS] == PHOTO_NAMES == hh.picture_names(photos=True)
    assert hh.picture_names() == [p.stem for p in PICTURES]  # the drawn ones stay apart


@pytest.mark.parametrize("path", PHOTOS, ids=lambda p: p.stem)
def test_photo_is_256_square_greyscale_and_light(path):
    with Image.open(path) as img:
        assert img.mode == "L" and img.size == (256, 256)
        a = np.asarray(img)
    assert len(np.unique(a)) >= 150  # real grey levels (the horse's on its anti-aliased edge)
    assert 5_000 < path.stat().st_size < 60_000  # a few tens of KB: the repository stays light


@pytest.mark.parametrize("name", PHOTO_NAMES)
def test_photo_loads_at_128_thresholded_and_dithered(name):
    grey = hh.load_grey_image(DATA / "pictures" / "photos" / f"{name}.png")
    assert grey.shape == (128, 128) and grey.dtype == np.uint8
    thresholded = hh.load_picture(name)
    assert (thresholded == hh.load_image_pattern(grey, size=None)).all()
    dithered = hh.load_picture(name, threshold="dither")
    assert dithered.shape == (128, 128) and dithered.dtype == np.int8
    assert set(np.unique(dithered)) <= {-1, 1}
    # Dithering keeps the grey level as ink density: the ink share follows the darkness.
    assert abs(np.mean(dithered == 1) - np.mean(1 - grey / 255)) < 0.02


def test_every_photo_has_its_source_and_licence_recorded():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    expected = {"camera": ("Lav Varshney", "CC0"), "astronaut": ("NASA", "Public domain"),
                "chelsea": ("Stéfan van der Walt", "CC0"), "coffee": ("Rachel Michetti", "CC0"),
                "horse": ("Andreas Preuss", "CC0"), "rocket": ("SpaceX", "Public domain")}
    rows = {line.split("|")[1].strip(): line for line in readme.splitlines()
            if line.startswith("| `pictures/photos/") and "*" not in line}
    assert sorted(rows) == [f"`pictures/photos/{name}.png`" for name in PHOTO_NAMES]
    for name, (source, licence) in expected.items():
        row = rows[f"`pictures/photos/{name}.png`"]
        assert source in row and row.rstrip(" |").endswith(licence), row
    assert "pip download scikit-image==0.26.0 --no-deps" in readme
    assert "scikit-image" not in (ROOT / "requirements.txt").read_text().lower()


def test_make_photos_documents_where_the_photos_come_from():
    script = (DATA / "make_photos.py").read_text(encoding="utf-8")
    assert "pip download scikit-image==0.26.0 --no-deps" in script
    for name in PHOTO_NAMES:
        assert f'"{name}": (' in script


def test_dither_is_floyd_steinberg_from_pillow():
    grey = np.full((8, 8), 128, dtype=np.uint8)  # a mid grey: about half ink, spread out
    dithered = hh.load_image_pattern(grey, size=None, threshold="dither")
    expected = np.where(np.asarray(Image.fromarray(grey).convert("1")), -1, 1)
    assert (dithered == expected).all() and 0.4 <= np.mean(dithered == 1) <= 0.6
    assert (hh.load_image_pattern(np.zeros((4, 4), dtype=np.uint8), None, "dither") == 1).all()
    with pytest.raises(TypeError, match="threshold"):
        hh.load_image_pattern(grey, size=None, threshold="otsu")


def test_load_picture_knows_the_photos():
    with pytest.raises(ValueError, match="camera"):
        hh.load_picture("dog")  # the message lists the photos too


def test_exif_orientation_is_applied(tmp_path):
    # Stored on its side with EXIF orientation 6 (turn 90 degrees clockwise to view).
    upright = np.full((40, 20), 255, dtype=np.uint8)
    upright[:10] = 0  # dark at the top
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "phone.jpg"
    Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90).save(path, exif=exif, quality=95)
    grey = hh.load_grey_image(path, size=None)
    assert grey.shape == (40, 20) and grey[:8].mean() < 40 and grey[12:].mean() > 215
