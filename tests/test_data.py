"""Tests for the data folder: reproducible, and fit for the Hopfield lessons."""

from __future__ import annotations

import importlib.util
import itertools
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

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
    assert make_data.main(["--check"]) == 0, capsys.readouterr().err


def test_check_notices_a_changed_file(make_data, tmp_path):
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    victim = tmp_path / "pictures" / PICTURES[0].name
    with Image.open(victim) as im:
        img = np.array(im)
    img[0, 0] ^= 0xFF
    Image.fromarray(img, "L").save(victim)
    (tmp_path / "digits.npz").unlink()
    problems = make_data.check(tmp_path)
    assert len(problems) == 2
    assert any(p.startswith(f"pictures/{victim.name}: differs") for p in problems)
    assert any(p.startswith("digits.npz: missing") for p in problems)


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
