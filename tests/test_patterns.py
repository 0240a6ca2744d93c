"""Tests of the pattern helpers (section 2: letters, random patterns, noise, overlap and
distance) and of measuring (section 6: overlap_matrix, mixture_state and which_memory,
the one verdict on what a state is)."""

import itertools
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


# -- overlap_matrix -------------------------------------------------------------------


def test_overlap_matrix_matches_pairwise_overlaps():
    x = hh.random_patterns(4, (6, 7), seed=1)
    m = hh.overlap_matrix(x)
    assert m.shape == (4, 4)
    assert np.allclose(m, m.T)
    assert np.allclose(np.diag(m), 1.0)
    for i in range(4):
        for j in range(4):
            assert m[i, j] == pytest.approx(hh.overlap(x[i], x[j]))
    np.testing.assert_array_equal(hh.overlap_matrix(list(x)), m)


def test_overlap_matrix_of_a_pattern_and_its_reverse():
    x = hh.letter_pattern("X")
    assert np.array_equal(hh.overlap_matrix([x, -x]), [[1.0, -1.0], [-1.0, 1.0]])


# -- mixture_state --------------------------------------------------------------------


def test_mixture_is_the_pixelwise_majority():
    x = hh.random_patterns(3, 500, seed=2)
    mix = hh.mixture_state(x)
    assert mix.dtype == np.int8 and mix.shape == (500,)
    assert np.array_equal(mix, np.where(x.sum(axis=0) > 0, 1, -1))
    # It agrees with a pattern exactly where that pattern is not outvoted.
    outvoted = (x[1] == x[2]) & (x[1] != x[0])
    assert np.array_equal(mix != x[0], outvoted)
    five = hh.random_patterns(5, 300, seed=3)
    assert np.array_equal(hh.mixture_state(five), np.sign(five.sum(axis=0, dtype=int)))


def test_mixture_signs_and_shape():
    x = hh.random_patterns(3, (4, 5), seed=3)
    mix = hh.mixture_state(x, signs=[1, -1, 1])
    assert mix.shape == (4, 5)
    assert np.array_equal(mix, np.sign(x[0] - x[1].astype(int) + x[2]))
    # Reversing every sign reverses the mixture.
    assert np.array_equal(hh.mixture_state(x, signs=[-1, 1, -1]), -mix)
    assert np.array_equal(hh.mixture_state(list(x), signs=(1, -1, 1)), mix)


def test_mixture_and_overlap_matrix_do_not_modify_inputs():
    x = hh.random_patterns(3, 40, seed=0)
    signs = np.array([1, -1, 1])
    before, signs_before = x.copy(), signs.copy()
    hh.mixture_state(x, signs=signs)
    hh.overlap_matrix(x)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(signs, signs_before)


# For random patterns, pixel i of sign(a + b + c) equals a_i unless b_i = c_i = -a_i
# (probability 1/4). So a_i * mix_i is +1 with probability 3/4 and -1 with probability
# 1/4: mean 1/2, variance 1 - 1/4 = 3/4. One overlap (a mean of N such pixels) therefore
# has standard deviation sqrt(3 / (4 N)), about 0.027 at N = 1000.
# The mean of the three overlaps is (1/N) sum_i |a_i + b_i + c_i| / 3, where each term is
# 1 (all three agree, probability 1/4) or 1/3 (probability 3/4): mean 1/4 + 1/4 = 1/2,
# variance (1/4 + 3/4 * 1/9) - 1/4 = 1/12, so its standard deviation is sqrt(1 / (12 N)),
# about 0.0091 at N = 1000. We allow 5 standard deviations (a false alarm about once in
# 1.7 million runs; the seeds are fixed anyway).
N_MIX = 1000
SIGMA_ONE = math.sqrt(3 / (4 * N_MIX))
SIGMA_MEAN = math.sqrt(1 / (12 * N_MIX))


@pytest.mark.parametrize("seed", range(10))
def test_three_mixture_mean_overlap_is_one_half(seed):
    x = hh.random_patterns(3, N_MIX, seed=seed)
    overlaps = hh.HopfieldNetwork(x).overlaps(hh.mixture_state(x))
    assert abs(overlaps.mean() - 0.5) < 5 * SIGMA_MEAN
    assert np.all(np.abs(overlaps - 0.5) < 5 * SIGMA_ONE)


def test_three_mixture_overlap_averaged_over_many_networks():
    trials = 40
    means = [hh.HopfieldNetwork(x).overlaps(hh.mixture_state(x)).mean()
             for x in (hh.random_patterns(3, N_MIX, seed=100 + t) for t in range(trials))]
    assert abs(np.mean(means) - 0.5) < 5 * SIGMA_MEAN / math.sqrt(trials)


# -- which_memory and MemoryVerdict -------------------------------------------------------

X5 = hh.random_patterns(5, 400, seed=11)
NET5 = hh.HopfieldNetwork(X5)
NAMES = ["A", "B", "C", "D", "E"]
# The memory may be a network of any kind, or the stored patterns themselves.
MEMORIES = {
    "network": NET5,
    "array": X5,
    "list": list(X5),
    "dense": hh.DenseAssociativeMemory(X5, n=3),
    "modern": hh.ModernHopfieldNetwork(X5, beta=0.5),
}
SIGN_CHOICES = list(itertools.product((1, -1), repeat=3))


def plain(label):
    """A label with its minus signs written as ASCII (the module may use U+2212)."""
    return label.replace("\u2212", "-")


@pytest.mark.parametrize("memory", list(MEMORIES))
def test_which_memory_stored_and_reversed(memory):
    memory = MEMORIES[memory]
    for k in range(5):
        v = hh.which_memory(memory, X5[k])
        assert isinstance(v, hh.MemoryVerdict)
        assert (v.kind, v.patterns, v.overlap) == ("stored", (k,), 1.0)
        assert v.label() == str(k) and v.label(NAMES) == NAMES[k]
        v = hh.which_memory(memory, -X5[k])
        assert (v.kind, v.patterns, v.overlap) == ("reversed", (k,), 1.0)
        assert v.label(NAMES) == f"reversed {NAMES[k]}" and v.label() == f"reversed {k}"


@pytest.mark.parametrize("memory", ["network", "array"])
def test_which_memory_finds_every_mixture_with_every_sign_choice(memory):
    """All 10 trios of 5 patterns, each with all 8 sign choices: the verdict names the trio
    and the signs the mixture was made with; all three negative reads "reversed"."""
    memory = MEMORIES[memory]
    for trio in itertools.combinations(range(5), 3):
        for signs in SIGN_CHOICES:
            state = hh.mixture_state(X5[list(trio)], signs=signs)
            v = hh.which_memory(memory, state)
            assert (v.kind, v.patterns, v.signs, v.overlap) == ("mixture", trio, signs, 1.0)
            names = [NAMES[k] for k in trio]
            if signs == (-1, -1, -1):
                assert v.label(NAMES) == f"reversed mixture of {names[0]}, {names[1]} and {names[2]}"
            else:
                terms = [("-" if s < 0 else "") + n for s, n in zip(signs, names)]
                assert plain(v.label(NAMES)) == f"mixture of {terms[0]}, {terms[1]} and {terms[2]}"
            # The reversed state is the mixture with every sign reversed.
            back = hh.which_memory(memory, -state)
            assert back.patterns == trio and back.signs == tuple(-s for s in signs)


def test_which_memory_other_names_the_nearest_pattern():
    noise = hh.random_patterns(1, 400, seed=12)[0]
    v = hh.which_memory(NET5, noise)
    nearest = int(np.argmax(np.abs(NET5.overlaps(noise))))
    assert v.kind == "other" and v.patterns == (nearest,)
    assert v.overlap == pytest.approx(np.abs(NET5.overlaps(noise)).max())
    assert v.label(NAMES) == f"other (near {NAMES[nearest]})"
    assert v.label() == f"other (near {nearest})"


def test_which_memory_tolerance():
    near = X5[1].copy()
    near[:8] *= -1  # 8 of 400 pixels wrong: overlap 0.96
    assert hh.which_memory(NET5, near).kind == "other"
    assert hh.which_memory(NET5, near, min_overlap=0.95) == hh.MemoryVerdict("stored", (1,), 0.96)
    assert hh.which_memory(NET5, -near, min_overlap=0.95).kind == "reversed"
    blend = hh.mixture_state(X5[[0, 3, 4]], signs=(1, 1, -1))
    blend[:4] *= -1  # overlap 0.98 with the mixture, about 0.5 with each pattern
    assert hh.which_memory(NET5, blend).kind == "other"
    v = hh.which_memory(NET5, blend, min_overlap=0.97)
    assert (v.kind, v.patterns, v.signs) == ("mixture", (0, 3, 4), (1, 1, -1))
    assert v.overlap == pytest.approx(0.98)


def test_which_memory_without_trios_has_no_mixtures():
    two = hh.HopfieldNetwork(X5[:2])
    v = hh.which_memory(two, hh.mixture_state(X5[:3]))
    assert v.kind == "other"


def test_which_memory_judges_real_values_by_their_sign():
    assert hh.which_memory(NET5, 0.3 * X5[0]).label() == "0"
    assert hh.which_memory(NET5, -2.5 * X5[2]).label() == "reversed 2"
    mix = hh.mixture_state(X5[:3]) * np.linspace(0.1, 3.0, 400)
    assert hh.which_memory(NET5, mix).kind == "mixture"
    undecided = X5[0].astype(float)
    undecided[7] = 0.0  # a 0 matches nothing
    assert hh.which_memory(NET5, undecided).kind == "other"
    assert hh.which_memory(NET5, undecided, min_overlap=0.99).kind == "stored"
    modern = hh.ModernHopfieldNetwork(X5, beta=0.01)
    recalled = modern.recall(hh.add_noise(X5[3], 0.1, seed=0)).state
    assert not np.all(np.abs(recalled) == 1)  # real numbers ...
    assert hh.which_memory(modern, recalled).label() == "3"  # ... judged by their sign


@pytest.mark.parametrize("memory", ["network", "array"])
def test_which_memory_of_a_stack_is_a_list_of_verdicts(memory):
    memory = MEMORIES[memory]
    states = np.concatenate([X5, -X5, [hh.mixture_state(X5[:3], signs=(1, -1, 1))],
                             hh.random_patterns(3, 400, seed=13)])
    for min_overlap in (1.0, 0.9, 0.3):
        verdicts = hh.which_memory(memory, states, min_overlap=min_overlap)
        assert isinstance(verdicts, list)
        assert verdicts == [hh.which_memory(memory, s, min_overlap=min_overlap) for s in states]
    labels = [v.label(NAMES) for v in hh.which_memory(memory, states)]
    assert labels[:5] == NAMES and labels[5] == "reversed A"
    assert plain(labels[10]) == "mixture of A, -B and C"
    letters = hh.HopfieldNetwork([hh.letter_pattern(c) for c in "XO+"])
    grid = np.stack([hh.letter_pattern("O"), -hh.letter_pattern("+")])  # (K, 5, 5)
    assert [v.label(list("XO+")) for v in hh.which_memory(letters, grid)] == ["O", "reversed +"]


def test_which_memory_of_a_stack_of_one_is_a_list_of_one():
    """A stack (1, ...) is still a stack, as for energy, overlaps and recall."""
    verdicts = hh.which_memory(NET5, X5[:1])
    assert isinstance(verdicts, list) and len(verdicts) == 1
    assert verdicts[0].label() == "0"


def test_which_memory_does_not_modify_its_input():
    states = np.concatenate([X5[:2], [0.5 * X5[2]]])
    before = states.copy()
    hh.which_memory(NET5, states)
    hh.which_memory(X5, states[0])
    np.testing.assert_array_equal(states, before)


def test_memory_verdict_is_a_frozen_value():
    v = hh.MemoryVerdict("mixture", (0, 1, 2), 1.0, (1, 1, -1))
    assert v == hh.MemoryVerdict("mixture", (0, 1, 2), 1.0, (1, 1, -1))
    assert plain(v.label(["4", "7", "9"])) == "mixture of 4, 7 and -9"
    assert hh.MemoryVerdict("other", (), 0.1).label() == "other"
    with pytest.raises(AttributeError):
        v.kind = "stored"


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
@given(shape=shapes, seed=seeds)
def test_hamming_overlap_relation_property(shape, seed):
    a, b = hh.random_patterns(2, shape, seed=seed)
    n = a.size
    assert -1.0 <= hh.overlap(a, b) <= 1.0
    assert 2 * hh.hamming_distance(a, b) == pytest.approx(n * (1 - hh.overlap(a, b)))
