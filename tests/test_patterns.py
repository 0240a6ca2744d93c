"""Tests of the pattern helpers: letters, random patterns, noise, overlap and distance."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hopfield_helpers as hh


def _is_pm1(a):
    return bool(np.all((a == 1) | (a == -1)))


# -- letters ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", hh.available_letters())
def test_every_letter_is_5x5_int8_pm1(name):
    p = hh.letter_pattern(name)
    assert p.shape == (5, 5)
    assert p.dtype == np.int8
    assert _is_pm1(p)
    assert (p == 1).any() and (p == -1).any(), "a letter needs both ink and background"


def test_letters_are_all_different():
    drawn = {hh.letter_pattern(n).tobytes(): n for n in hh.available_letters()}
    assert len(drawn) == len(hh.available_letters())


def test_available_letters_has_the_lesson_three_and_is_stable():
    names = hh.available_letters()
    assert {"X", "O", "+"} <= set(names)
    assert names == hh.available_letters()
    names.append("?")  # a caller changing the list does not change the module's
    assert "?" not in hh.available_letters()


def test_letter_x_is_both_diagonals():
    ink = np.eye(5, dtype=bool) | np.fliplr(np.eye(5, dtype=bool))
    np.testing.assert_array_equal(hh.letter_pattern("X"), np.where(ink, 1, -1))


def test_letter_o_is_a_ring_without_corners():
    ink = np.zeros((5, 5), dtype=bool)
    ink[0, :] = ink[-1, :] = ink[:, 0] = ink[:, -1] = True
    ink[[0, 0, -1, -1], [0, -1, 0, -1]] = False
    np.testing.assert_array_equal(hh.letter_pattern("O"), np.where(ink, 1, -1))


def test_letter_plus_is_middle_row_and_column():
    ink = np.zeros((5, 5), dtype=bool)
    ink[2, :] = ink[:, 2] = True
    np.testing.assert_array_equal(hh.letter_pattern("+"), np.where(ink, 1, -1))


def test_letter_lowercase_is_the_same_letter():
    np.testing.assert_array_equal(hh.letter_pattern("x"), hh.letter_pattern("X"))


def test_letter_returns_a_new_array_each_call():
    first = hh.letter_pattern("X")
    first[:] = 1
    assert (hh.letter_pattern("X") == -1).any()


# -- random patterns --------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, shape, expected",
    [(1, 7, (1, 7)), (3, (5, 5), (3, 5, 5)), (2, (2, 3, 4), (2, 2, 3, 4)), (4, (10,), (4, 10))],
)
def test_random_patterns_shape_dtype_values(n, shape, expected):
    p = hh.random_patterns(n, shape, seed=0)
    assert p.shape == expected
    assert p.dtype == np.int8
    assert _is_pm1(p)


def test_random_patterns_same_seed_same_result():
    np.testing.assert_array_equal(
        hh.random_patterns(3, (8, 8), seed=42), hh.random_patterns(3, (8, 8), seed=42)
    )


def test_random_patterns_different_seeds_differ():
    assert not np.array_equal(hh.random_patterns(3, 100, seed=1), hh.random_patterns(3, 100, seed=2))


def test_random_patterns_accepts_a_generator():
    a = hh.random_patterns(2, 50, seed=np.random.default_rng(5))
    b = hh.random_patterns(2, 50, seed=np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)


def test_random_patterns_are_balanced():
    """Each pixel is +1 with probability 1/2: the mean is 0 within 5 sigma."""
    p = hh.random_patterns(10, (100, 100), seed=3)
    sigma = 1 / math.sqrt(p.size)
    assert abs(p.mean()) < 5 * sigma


def test_random_patterns_pixels_are_not_all_alike_across_patterns():
    p = hh.random_patterns(2, 1000, seed=0)
    assert abs(hh.overlap(p[0], p[1])) < 5 / math.sqrt(1000)


# -- add_noise --------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0.05, 0.1, 0.3, 0.5, 0.9])
def test_add_noise_flip_fraction_close_to_level(level):
    """The number of flips is Binomial(n, level): it stays within 5 sigma of n * level."""
    pattern = hh.random_patterns(1, (200, 200), seed=0)[0]
    noisy = hh.add_noise(pattern, level, seed=1)
    n = pattern.size
    flips = hh.hamming_distance(pattern, noisy)
    sigma = math.sqrt(n * level * (1 - level))
    assert abs(flips - n * level) < 5 * sigma


def test_add_noise_level_0_is_an_exact_copy():
    pattern = hh.random_patterns(1, (30, 30), seed=0)[0]
    noisy = hh.add_noise(pattern, 0.0, seed=1)
    np.testing.assert_array_equal(noisy, pattern)
    assert noisy is not pattern and not np.shares_memory(noisy, pattern)


def test_add_noise_level_1_is_the_reversed_pattern():
    pattern = hh.random_patterns(1, (30, 30), seed=0)[0]
    np.testing.assert_array_equal(hh.add_noise(pattern, 1.0, seed=1), -pattern)
    np.testing.assert_array_equal(hh.add_noise(pattern, 1, seed=2), -pattern)


def test_add_noise_keeps_shape_and_dtype():
    noisy = hh.add_noise(hh.letter_pattern("X"), 0.3, seed=0)
    assert noisy.shape == (5, 5)
    assert noisy.dtype == np.int8
    assert _is_pm1(noisy)


def test_add_noise_accepts_lists_and_float_arrays():
    pattern = [[1, -1, 1], [-1, -1, 1]]
    np.testing.assert_array_equal(hh.add_noise(pattern, 0.0), np.array(pattern))
    np.testing.assert_array_equal(hh.add_noise(np.array(pattern, float), 1.0), -np.array(pattern))


def test_add_noise_is_reproducible_with_a_seed():
    pattern = hh.random_patterns(1, 500, seed=0)[0]
    np.testing.assert_array_equal(hh.add_noise(pattern, 0.2, seed=7), hh.add_noise(pattern, 0.2, seed=7))
    assert not np.array_equal(hh.add_noise(pattern, 0.2, seed=7), hh.add_noise(pattern, 0.2, seed=8))


def test_add_noise_does_not_modify_its_input():
    pattern = hh.random_patterns(1, (20, 20), seed=0)[0]
    before = pattern.copy()
    hh.add_noise(pattern, 0.5, seed=0)
    np.testing.assert_array_equal(pattern, before)


# -- noisify ----------------------------------------------------------------------------


@pytest.mark.parametrize("k", [0, 1, 2, 5, 11, 12])
def test_noisify_flips_exactly_k_pixels_in_every_row(k):
    pattern = hh.random_patterns(1, (9, 12), seed=0)[0]
    noisy = hh.noisify(pattern, k, seed=1)
    assert noisy.shape == pattern.shape
    assert noisy.dtype == np.int8
    per_row = [hh.hamming_distance(a, b) for a, b in zip(pattern, noisy)]
    assert per_row == [k] * pattern.shape[0]


def test_noisify_0_is_a_copy_and_cols_is_reversed():
    pattern = hh.random_patterns(1, (6, 8), seed=0)[0]
    copy = hh.noisify(pattern, 0, seed=0)
    np.testing.assert_array_equal(copy, pattern)
    assert not np.shares_memory(copy, pattern)
    np.testing.assert_array_equal(hh.noisify(pattern, 8, seed=0), -pattern)


def test_noisify_1d_pattern_is_one_row():
    pattern = hh.random_patterns(1, 40, seed=0)[0]
    noisy = hh.noisify(pattern, 7, seed=3)
    assert noisy.shape == (40,)
    assert hh.hamming_distance(pattern, noisy) == 7


def test_noisify_picks_different_pixels_in_different_rows():
    """The flipped columns are drawn per row, not one set of columns for the whole image."""
    pattern = np.ones((50, 20), dtype=np.int8)
    flipped = hh.noisify(pattern, 3, seed=0) == -1
    assert len({row.tobytes() for row in flipped}) > 1
    assert flipped.any(axis=0).sum() > 3


def test_noisify_is_reproducible_and_does_not_modify_input():
    pattern = hh.random_patterns(1, (10, 10), seed=0)[0]
    before = pattern.copy()
    a = hh.noisify(pattern, 4, seed=9)
    b = hh.noisify(pattern, 4, seed=9)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(pattern, before)
    assert not np.array_equal(a, hh.noisify(pattern, 4, seed=10))


# -- overlap and hamming_distance -------------------------------------------------------


def test_overlap_identical_and_reversed():
    p = hh.letter_pattern("O")
    assert hh.overlap(p, p) == 1.0
    assert hh.overlap(p, -p) == -1.0
    assert isinstance(hh.overlap(p, p), float)


def test_overlap_is_mean_of_product():
    a, b = hh.random_patterns(2, (7, 9), seed=4)
    assert hh.overlap(a, b) == pytest.approx(np.mean(a.astype(float) * b))


def test_overlap_does_not_overflow_int8():
    """int8 products summed over many pixels must not wrap around."""
    p = np.ones(1000, dtype=np.int8)
    assert hh.overlap(p, p) == 1.0


def test_hamming_identical_reversed_and_type():
    p = hh.letter_pattern("+")
    assert hh.hamming_distance(p, p) == 0
    assert hh.hamming_distance(p, -p) == p.size
    assert isinstance(hh.hamming_distance(p, p), int)


def test_hamming_counts_differences():
    a = np.array([1, 1, -1, -1, 1])
    b = np.array([1, -1, -1, 1, -1])
    assert hh.hamming_distance(a, b) == 3
    assert hh.hamming_distance(b, a) == 3


def test_hamming_and_overlap_relation_on_random_pairs():
    """hamming = N (1 - overlap) / 2."""
    for seed in range(20):
        a, b = hh.random_patterns(2, (6, 7), seed=seed)
        n = a.size
        assert hh.hamming_distance(a, b) == pytest.approx(n * (1 - hh.overlap(a, b)) / 2)


def test_overlap_and_hamming_do_not_modify_inputs():
    a, b = hh.random_patterns(2, 30, seed=0)
    a0, b0 = a.copy(), b.copy()
    hh.overlap(a, b)
    hh.hamming_distance(a, b)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)


# -- properties -------------------------------------------------------------------------

shapes = st.one_of(
    st.integers(1, 40),
    st.tuples(st.integers(1, 8), st.integers(1, 8)),
    st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
)
seeds = st.integers(0, 2**32 - 1)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 4), shape=shapes, seed=seeds)
def test_random_patterns_always_pm1(n, shape, seed):
    p = hh.random_patterns(n, shape, seed=seed)
    expected = (n,) + ((shape,) if isinstance(shape, int) else shape)
    assert p.shape == expected
    assert p.dtype == np.int8
    assert _is_pm1(p)


@settings(max_examples=200, deadline=None)
@given(shape=shapes, level=st.floats(0, 1), seed=seeds)
def test_add_noise_always_pm1(shape, level, seed):
    pattern = hh.random_patterns(1, shape, seed=seed)[0]
    noisy = hh.add_noise(pattern, level, seed=seed)
    assert noisy.shape == pattern.shape
    assert noisy.dtype == np.int8
    assert _is_pm1(noisy)


@settings(max_examples=200, deadline=None)
@given(rows=st.integers(1, 8), cols=st.integers(1, 12), data=st.data(), seed=seeds)
def test_noisify_row_counts_property(rows, cols, data, seed):
    k = data.draw(st.integers(0, cols), label="k")
    pattern = hh.random_patterns(1, (rows, cols), seed=seed)[0]
    noisy = hh.noisify(pattern, k, seed=seed)
    assert _is_pm1(noisy)
    np.testing.assert_array_equal((noisy != pattern).sum(axis=1), np.full(rows, k))


@settings(max_examples=200, deadline=None)
@given(shape=shapes, seed=seeds)
def test_hamming_overlap_relation_property(shape, seed):
    a, b = hh.random_patterns(2, shape, seed=seed)
    n = a.size
    assert -1.0 <= hh.overlap(a, b) <= 1.0
    assert 2 * hh.hamming_distance(a, b) == pytest.approx(n * (1 - hh.overlap(a, b)))
