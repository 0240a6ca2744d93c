"""Tests of the networks and their one update engine (sections 3 and 4 of the helpers).

Every kind of recall (async sweeps or random picks, sync, Glauber noise, undecided
pixels, a whole stack of cues at once) is checked against a plain Python reference that
updates one neuron at a time, in the order ``net.visit_order`` documents, on whole-number
weights so that ties are exact. Then: the learning rules, ``RecallResult``'s bookkeeping,
the dense associative memory and the modern network.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hopfield_helpers as hh

# -- references ---------------------------------------------------------------------------


def sylvester_hadamard(n):
    """n x n Sylvester-Hadamard matrix (n a power of 2): rows are orthogonal +1/-1."""
    h = np.ones((1, 1), dtype=np.int64)
    while h.shape[0] < n:
        h = np.block([[h, h], [h, -h]])
    return h


def hebb_units(patterns):
    """Integer Hebbian weights N W = X^T X - P I (exact)."""
    x = np.asarray(patterns).reshape(len(patterns), -1).astype(np.int64)
    return x.T @ x - len(x) * np.eye(x.shape[1], dtype=np.int64)


def sweeps_and_draws(n, steps, seed):
    """The documented async sweeps (a fresh permutation of all n neurons, then another)
    and, drawn after them from the same seed, one uniform number per step for Glauber's
    rule."""
    rng = np.random.default_rng(seed)
    order = []
    while len(order) < steps:
        order.extend(rng.permutation(n).tolist())
    return np.array(order[:steps], dtype=np.int64), rng.random(steps)


def ref_async(w, b, s0, visits, scale=1.0, temps=None, draws=None, coin=None):
    """Naive async recall: neuron ``visits[t - 1]`` is updated at step t.

    ``w`` and ``b`` are whole-number weights and bias in units of ``scale`` (W = scale w).
    At temperature T > 0 the neuron becomes +1 when ``draws[t - 1] < (1 + tanh(h / T)) / 2``;
    at T = 0 it takes the sign of its field, keeps its state on a tie, and an undecided
    (0) neuron with a zero field asks ``coin(t, i)``. Returns the state and the flip log.
    """
    s = np.array(s0, dtype=np.int64).reshape(-1)
    flips = []
    for t, i in enumerate(visits, start=1):
        h = w[i] @ s + b[i]
        temp = 0.0 if temps is None else temps[t - 1]
        if temp > 0:
            new = 1 if draws[t - 1] < 0.5 * (1 + np.tanh(scale * h / temp)) else -1
        elif h != 0:
            new = 1 if h > 0 else -1
        else:
            new = s[i] if s[i] != 0 else coin(t, i)
        if new != s[i]:
            s[i] = new
            flips.append((t, int(i)))
    return s, flips


def ref_sync(w, b, s0, steps, scale=1.0, temps=None, seed=None):
    """Naive sync recall: every neuron from the same old state; a zero field keeps the
    state. At T > 0 each step draws one uniform number per neuron, in neuron order."""
    rng = np.random.default_rng(seed)
    s = np.array(s0, dtype=np.int64).reshape(-1)
    flips = []
    for t in range(1, steps + 1):
        h = w @ s + b
        temp = 0.0 if temps is None else temps[t - 1]
        if temp > 0:
            new = np.where(rng.random(s.size) < 0.5 * (1 + np.tanh(scale * h / temp)), 1, -1)
        else:
            new = np.where(h > 0, 1, np.where(h < 0, -1, s))
        flips.extend((t, int(i)) for i in np.flatnonzero(new != s))
        s = new
    return s, flips


def ref_stable(w, b, s):
    s = np.asarray(s, dtype=np.int64).reshape(-1)
    return bool(np.all((w @ s + b) * s >= 0)) and bool(np.all(s != 0))


def ref_energy(w, b, s):
    s = np.asarray(s, dtype=np.float64).reshape(-1)
    return -0.5 * s @ w @ s - b @ s


def random_case(rng):
    """A random small network plus exact integer weights/bias for the reference.

    Returns (net, w_units, b_units, scale, shape): the network's W = scale * w_units and
    b = scale * b_units. Hebbian biases are half-integers in units, so no field is ever
    exactly 0 with a nonzero bias (the tie then depends on float rounding).
    """
    kind = rng.choice(["hebb", "hebb_bias", "given", "given_bias"])
    if kind.startswith("hebb"):
        shape = [(int(rng.integers(2, 17)),), (2, int(rng.integers(2, 7))), (3, 3)][rng.integers(3)]
        p = int(rng.integers(1, 5))
        x = hh.random_patterns(p, shape, seed=int(rng.integers(2**31)))
        n = int(np.prod(shape))
        w_units = hebb_units(x)
        b_units = np.zeros(n)
        if kind == "hebb_bias":
            b_units = rng.integers(-3, 3, n) + 0.5
        net = hh.HopfieldNetwork(x, bias=b_units / n)
        return net, w_units, b_units, 1.0 / n, shape
    n = int(rng.integers(2, 13))
    w = np.triu(rng.integers(-2, 3, (n, n)), 1)
    w = w + w.T
    b = rng.integers(-2, 3, n) if kind == "given_bias" else np.zeros(n, dtype=np.int64)
    return hh.HopfieldNetwork.from_weights(w, bias=b), w, b.astype(float), 1.0, (n,)


def random_temperatures(rng, steps):
    """None (zero temperature), one temperature, or a schedule with some cold steps."""
    kind = rng.integers(3)
    if kind == 0:
        return None
    if kind == 1:
        return float(rng.uniform(0.05, 2.0))
    temps = rng.uniform(0.05, 2.0, steps)
    temps[rng.random(steps) < 0.4] = 0.0
    return temps


def as_pairs(result):
    return list(zip(result.flip_steps.tolist(), result.flip_neurons.tolist()))


def cue_log(result, k, n):
    """The flip log of cue ``k`` of a stack, with neuron numbers within that cue."""
    mine = result.flip_neurons // n == k
    return list(zip(result.flip_steps[mine].tolist(), (result.flip_neurons[mine] % n).tolist(),
                    result.flip_values[mine].tolist()))


def full_log(result):
    return list(zip(result.flip_steps.tolist(), result.flip_neurons.tolist(),
                    result.flip_values.tolist()))


@pytest.fixture
def letters():
    return [hh.letter_pattern(c) for c in "XO+"]


@pytest.fixture
def xo_net(letters):
    return hh.HopfieldNetwork(letters)


# -- construction and weights -----------------------------------------------------------


def test_network_attributes(letters):
    net = hh.HopfieldNetwork(letters)
    assert net.n_neurons == 25
    assert net.n_patterns == 3
    assert net.pattern_shape == (5, 5)
    assert net.rule == "hebb"
    np.testing.assert_array_equal(net.patterns, np.stack(letters))
    np.testing.assert_array_equal(net.bias, np.zeros(25))
    assert "hebb" in repr(net) and "25" in repr(net)


def test_list_and_array_of_patterns_give_the_same_network(letters):
    a = hh.HopfieldNetwork(letters)
    b = hh.HopfieldNetwork(np.stack(letters))
    c = hh.HopfieldNetwork(tuple(p.tolist() for p in letters))
    np.testing.assert_array_equal(a.weights, b.weights)
    np.testing.assert_array_equal(a.weights, c.weights)


def test_network_keeps_a_copy_of_the_patterns(letters):
    stack = np.stack(letters)
    net = hh.HopfieldNetwork(stack)
    w = net.weights
    stack[:] = 1
    np.testing.assert_array_equal(net.weights, w)
    assert (net.patterns == -1).any()


@pytest.mark.parametrize("seed", range(8))
def test_weights_equal_explicit_hebb_formula(seed):
    rng = np.random.default_rng(seed)
    p, n = int(rng.integers(1, 6)), int(rng.integers(2, 30))
    x = hh.random_patterns(p, n, seed=seed)
    w = hh.HopfieldNetwork(x).weights
    xf = x.astype(float)
    expected = sum(np.outer(v, v) for v in xf) / n
    np.fill_diagonal(expected, 0.0)
    assert w.shape == (n, n)
    np.testing.assert_allclose(w, expected, atol=1e-12)
    np.testing.assert_array_equal(w, w.T)
    np.testing.assert_array_equal(np.diag(w), 0.0)


def test_weights_of_2d_patterns_use_the_flattened_pixels(letters):
    w = hh.HopfieldNetwork(letters).weights
    x = np.stack(letters).reshape(3, 25).astype(float)
    expected = x.T @ x / 25
    np.fill_diagonal(expected, 0)
    np.testing.assert_allclose(w, expected, atol=1e-12)


def test_weights_and_bias_are_copies(xo_net):
    w = xo_net.weights
    w[:] = 0
    assert np.abs(xo_net.weights).sum() > 0
    b = xo_net.bias
    b[:] = 5
    np.testing.assert_array_equal(xo_net.bias, np.zeros(25))


def test_from_weights_basic():
    w = np.array([[0, 1, -2], [1, 0, 3], [-2, 3, 0]])
    net = hh.HopfieldNetwork.from_weights(w, bias=[1, 0, -1])
    assert net.n_neurons == 3
    assert net.n_patterns == 0
    assert net.pattern_shape == (3,)
    np.testing.assert_array_equal(net.weights, w)
    np.testing.assert_array_equal(net.bias, [1, 0, -1])
    assert net.overlaps([1, 1, 1]).shape == (0,)


def test_from_weights_with_shape():
    w = np.zeros((4, 4))
    w[0, 3] = w[3, 0] = 1
    net = hh.HopfieldNetwork.from_weights(w, shape=(2, 2))
    assert net.pattern_shape == (2, 2)
    result = net.recall(np.array([[1, 1], [1, -1]]), steps=8, seed=0)
    assert result.state.shape == (2, 2)
    assert result.overlaps.shape == (len(result.snapshot_steps), 0)


def test_from_weights_does_not_keep_a_reference():
    w = np.array([[0.0, 1.0], [1.0, 0.0]])
    net = hh.HopfieldNetwork.from_weights(w)
    w[0, 1] = w[1, 0] = -1
    np.testing.assert_array_equal(net.weights, [[0, 1], [1, 0]])


# -- field, energy, overlaps ------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_field_and_energy_match_explicit_matrix(seed):
    rng = np.random.default_rng(seed)
    p, n = int(rng.integers(1, 5)), int(rng.integers(2, 20))
    x = hh.random_patterns(p, n, seed=seed)
    bias = rng.normal(size=n) if seed % 2 else float(rng.normal())
    net = hh.HopfieldNetwork(x, bias=bias)
    w = net.weights
    b = np.broadcast_to(bias, (n,))
    for s in hh.random_patterns(5, n, seed=seed + 100):
        np.testing.assert_allclose(net.field(s), w @ s + b, atol=1e-12)
        assert net.energy(s) == pytest.approx(-0.5 * s @ w @ s - b @ s, abs=1e-10)
        assert isinstance(net.energy(s), float)


def test_field_and_energy_of_from_weights_network():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(6, 6))
    w = w + w.T
    np.fill_diagonal(w, 0)
    b = rng.normal(size=6)
    net = hh.HopfieldNetwork.from_weights(w, bias=b)
    for s in hh.random_patterns(5, 6, seed=1):
        np.testing.assert_allclose(net.field(s), w @ s + b, atol=1e-12)
        assert net.energy(s) == pytest.approx(-0.5 * s @ w @ s - b @ s, abs=1e-10)


def test_bias_can_be_set_after_construction():
    x = hh.random_patterns(2, 12, seed=0)
    net = hh.HopfieldNetwork(x)
    net.bias = 0.25
    np.testing.assert_array_equal(net.bias, np.full(12, 0.25))
    s = hh.random_patterns(1, 12, seed=1)[0]
    np.testing.assert_allclose(net.field(s), net.weights @ s + 0.25, atol=1e-12)
    net.bias = np.arange(12) / 12
    np.testing.assert_allclose(net.field(s), net.weights @ s + np.arange(12) / 12, atol=1e-12)


def test_field_keeps_the_state_shape(xo_net, letters):
    assert xo_net.field(letters[0]).shape == (5, 5)
    assert xo_net.field(letters[0].ravel()).shape == (25,)
    assert xo_net.field(np.stack(letters)).shape == (3, 5, 5)


def test_field_of_a_stack_equals_fields_one_by_one(xo_net):
    states = hh.random_patterns(4, (5, 5), seed=0)
    stacked = xo_net.field(states)
    for k, s in enumerate(states):
        np.testing.assert_allclose(stacked[k], xo_net.field(s), atol=1e-12)


def test_energy_of_a_stack_equals_energies_one_by_one():
    net = hh.HopfieldNetwork(hh.random_patterns(3, (4, 5), seed=0), bias=0.1)
    states = hh.random_patterns(6, (4, 5), seed=1)
    e = net.energy(states)
    assert isinstance(e, np.ndarray)
    assert e.shape == (6,)
    np.testing.assert_allclose(e, [net.energy(s) for s in states], atol=1e-12)
    np.testing.assert_allclose(net.energy(states.reshape(6, 20)), e, atol=1e-12)
    np.testing.assert_array_equal(net.is_fixed_point(states), [net.is_fixed_point(s) for s in states])


def test_a_stack_of_one_stays_a_stack(xo_net, letters):
    """A stack (K, ...) returns shape (K,), also when K == 1 (code looping over stacks relies on it)."""
    one = letters[0][None]
    assert np.shape(xo_net.energy(one)) == (1,)
    assert xo_net.overlaps(one).shape == (1, 3)
    assert np.shape(xo_net.is_fixed_point(one)) == (1,)
    result = xo_net.recall(one, 10, seed=0)
    assert np.shape(result.converged) == (1,) and result.n_states == 1
    assert result.energies.shape == (1, 11)
    assert xo_net.overlaps(result.state_at(3)).shape == (1, 3)


def test_reversed_pattern_has_the_same_energy(xo_net, letters):
    for p in letters + list(hh.random_patterns(3, (5, 5), seed=0)):
        assert xo_net.energy(-p) == pytest.approx(xo_net.energy(p), abs=1e-12)
        assert xo_net.is_fixed_point(-p) == xo_net.is_fixed_point(p)


def test_orthogonal_stored_patterns_have_energy_minus_n_minus_p_over_2():
    """With orthogonal patterns W x = (1 - P/N) x, so E(x) = -(N - P) / 2."""
    x = sylvester_hadamard(16)[[1, 5, 6, 11]]
    net = hh.HopfieldNetwork(x)
    for p in x:
        assert net.energy(p) == pytest.approx(-(16 - 4) / 2)


def test_energies_per_neuron_of_stored_and_mixture_states():
    """E/N = -1/2 sum_mu m_mu^2 + P / (2N): about -1/2 for a stored pattern, -3/8 for the
    3-mixture (Amit, Gutfreund and Sompolinsky). At N = 20,000 the overlaps wobble by
    about 0.006, the energies by less than 0.01."""
    n = 20_000
    x = hh.random_patterns(3, n, seed=7)
    net = hh.HopfieldNetwork(x)
    mix = hh.mixture_state(x)
    assert np.allclose(net.energy(x) / n, -0.5, atol=0.01)
    assert net.energy(mix) / n == pytest.approx(-0.375, abs=0.01)
    m = net.overlaps(mix)
    assert net.energy(mix) / n == pytest.approx(-0.5 * np.sum(m**2) + 3 / (2 * n))
    assert net.is_fixed_point(mix)


def test_overlaps_equal_x_s_over_n(xo_net, letters):
    s = hh.add_noise(letters[0], 0.3, seed=0)
    expected = np.stack(letters).reshape(3, 25) @ s.ravel() / 25
    np.testing.assert_allclose(xo_net.overlaps(s), expected)
    np.testing.assert_allclose(xo_net.overlaps(letters[1]), [hh.overlap(p, letters[1]) for p in letters])
    stack = np.stack([s, letters[2]])
    assert xo_net.overlaps(stack).shape == (2, 3)
    np.testing.assert_allclose(xo_net.overlaps(stack)[0], expected)


def test_is_fixed_point(xo_net, letters):
    assert xo_net.is_fixed_point(letters[0])
    assert isinstance(xo_net.is_fixed_point(letters[0]), bool)
    two_cycle = hh.HopfieldNetwork.from_weights([[0, 1], [1, 0]])
    assert not two_cycle.is_fixed_point([1, -1])
    assert two_cycle.is_fixed_point([-1, -1])


def test_field_energy_do_not_modify_input(xo_net):
    s = hh.random_patterns(2, (5, 5), seed=0)
    before = s.copy()
    xo_net.field(s)
    xo_net.energy(s)
    xo_net.overlaps(s)
    xo_net.is_fixed_point(s[0])
    np.testing.assert_array_equal(s, before)


# -- the two-neuron network -------------------------------------------------------------


def test_two_neurons_sync_falls_into_a_2_cycle():
    net = hh.HopfieldNetwork.from_weights([[0, 1], [1, 0]])
    start = np.array([1, -1])
    result = net.recall(start, steps=6, update="sync")
    assert not result.converged
    for t in range(7):
        np.testing.assert_array_equal(result.state_at(t), start if t % 2 == 0 else -start)
    np.testing.assert_array_equal(result.state, start)  # 6 steps: back at the start
    assert result.n_flips == 12
    np.testing.assert_allclose(result.energies, np.ones(7))


def test_two_neurons_async_settles():
    net = hh.HopfieldNetwork.from_weights([[0, 1], [1, 0]])
    for seed in range(6):
        result = net.recall([1, -1], steps=6, update="async", seed=seed)
        assert result.converged
        assert result.state[0] == result.state[1]
        assert result.n_flips == 1
        assert result.energies[-1] == pytest.approx(-1.0)
        assert net.is_fixed_point(result.state)


# -- the order of visits ------------------------------------------------------------------


def test_visit_order_in_sweeps_is_one_permutation_after_another():
    net = hh.HopfieldNetwork(hh.random_patterns(1, 13, seed=0))
    order = net.visit_order(13 * 5 + 4, seed=0)
    assert order.shape == (69,) and order.dtype == np.int64
    for k in range(5):
        assert sorted(order[13 * k : 13 * (k + 1)].tolist()) == list(range(13))
    assert len(set(order[65:].tolist())) == 4
    np.testing.assert_array_equal(order, sweeps_and_draws(13, 69, 0)[0])
    np.testing.assert_array_equal(order, net.visit_order(69, seed=0, order="sweeps"))
    assert net.visit_order(0, seed=0).shape == (0,)


def test_visit_order_random_picks_with_replacement():
    net = hh.HopfieldNetwork(hh.random_patterns(1, 50, seed=0))
    picks = net.visit_order(1000, seed=1, order="random")
    assert picks.shape == (1000,) and picks.min() >= 0 and picks.max() < 50
    np.testing.assert_array_equal(picks, net.visit_order(1000, seed=1, order="random"))
    assert np.bincount(picks, minlength=50).max() > 20  # some neurons again and again ...
    big = hh.HopfieldNetwork(hh.random_patterns(1, 2000, seed=0))
    never = np.mean(np.bincount(big.visit_order(2000, seed=2, order="random"), minlength=2000) == 0)
    assert abs(never - (1 - 1 / 2000) ** 2000) < 0.05  # ... and about 1/e of them never


def test_visit_order_is_the_order_recall_follows():
    net = hh.HopfieldNetwork(hh.random_patterns(2, 40, seed=2))
    cue = hh.add_noise(net.patterns[0], 0.3, seed=1)
    for order in ("sweeps", "random"):
        visits = net.visit_order(130, seed=7, order=order)
        result = net.recall(cue, 130, seed=7, order=order)
        assert result.n_flips > 0
        np.testing.assert_array_equal(visits[result.flip_steps - 1], result.flip_neurons)


# -- recall against the reference --------------------------------------------------------


@pytest.mark.parametrize("block", range(6))
def test_async_recall_matches_reference(block):
    """State, flip log, energies and convergence equal a naive one-neuron-at-a-time loop,
    with and without bias, at zero temperature and with Glauber noise (one temperature or
    a schedule that is sometimes 0)."""
    rng = np.random.default_rng(1000 + block)
    for _ in range(40):
        net, w, b, scale, shape = random_case(rng)
        n = net.n_neurons
        s0 = hh.random_patterns(1, shape, seed=int(rng.integers(2**31)))[0]
        steps = int(rng.integers(0, 5 * n + 1))
        seed = int(rng.integers(2**31))
        temperature = random_temperatures(rng, steps)
        temps = None if temperature is None else np.broadcast_to(temperature, (steps,))
        visits, draws = sweeps_and_draws(n, steps, seed)
        np.testing.assert_array_equal(net.visit_order(steps, seed), visits)
        result = net.recall(s0, steps, update="async", seed=seed,
                            temperature=0.0 if temperature is None else temperature)
        ref_state, ref_flips = ref_async(w, b, s0, visits, scale, temps, draws)
        np.testing.assert_array_equal(result.state.reshape(-1), ref_state)
        assert as_pairs(result) == ref_flips
        assert result.converged == ref_stable(w, b, ref_state)
        expected_e = [ref_energy(w * scale, b * scale, result.state_at(t)) for t in range(steps + 1)]
        np.testing.assert_allclose(result.energies, expected_e, atol=1e-9)


@pytest.mark.parametrize("block", range(4))
def test_sync_recall_matches_reference(block):
    rng = np.random.default_rng(2000 + block)
    for _ in range(40):
        net, w, b, scale, shape = random_case(rng)
        s0 = hh.random_patterns(1, shape, seed=int(rng.integers(2**31)))[0]
        steps = int(rng.integers(0, 8))
        seed = int(rng.integers(2**31))
        temperature = random_temperatures(rng, steps)
        temps = None if temperature is None else np.broadcast_to(temperature, (steps,))
        result = net.recall(s0, steps, update="sync", seed=seed,
                            temperature=0.0 if temperature is None else temperature)
        ref_state, ref_flips = ref_sync(w, b, s0, steps, scale, temps, seed)
        np.testing.assert_array_equal(result.state.reshape(-1), ref_state)
        assert as_pairs(result) == ref_flips
        assert result.converged == ref_stable(w, b, ref_state)
        expected_e = [ref_energy(w * scale, b * scale, result.state_at(t)) for t in range(steps + 1)]
        np.testing.assert_allclose(result.energies, expected_e, atol=1e-9)


@pytest.mark.parametrize("block", range(3))
def test_random_picks_recall_matches_reference(block):
    """order="random" updates exactly the neurons net.visit_order(..., order="random") lists."""
    rng = np.random.default_rng(3000 + block)
    for _ in range(40):
        net, w, b, scale, shape = random_case(rng)
        n = net.n_neurons
        s0 = hh.random_patterns(1, shape, seed=int(rng.integers(2**31)))[0]
        steps = int(rng.integers(0, 5 * n + 1))
        seed = int(rng.integers(2**31))
        result = net.recall(s0, steps, seed=seed, order="random")
        visits = net.visit_order(steps, seed, order="random")
        ref_state, ref_flips = ref_async(w, b, s0, visits, scale)
        np.testing.assert_array_equal(result.state.reshape(-1), ref_state)
        assert as_pairs(result) == ref_flips
        assert result.converged == ref_stable(w, b, ref_state)
        expected_e = [ref_energy(w * scale, b * scale, result.state_at(t)) for t in range(steps + 1)]
        np.testing.assert_allclose(result.energies, expected_e, atol=1e-9)


def test_random_picks_with_noise_update_only_the_neurons_picked():
    rng = np.random.default_rng(5)
    for _ in range(30):
        net, w, b, scale, shape = random_case(rng)
        s0 = hh.random_patterns(1, shape, seed=int(rng.integers(2**31)))[0]
        steps = 4 * net.n_neurons
        result = net.recall(s0, steps, seed=3, order="random", temperature=0.7)
        visits = net.visit_order(steps, 3, order="random")
        np.testing.assert_array_equal(visits[result.flip_steps - 1], result.flip_neurons)
        expected_e = [ref_energy(w * scale, b * scale, result.state_at(t)) for t in range(steps + 1)]
        np.testing.assert_allclose(result.energies, expected_e, atol=1e-9)


def test_random_picks_leave_unvisited_pixels_alone():
    cat = hh.random_patterns(1, (32, 32), seed=0)[0]
    net = hh.HopfieldNetwork([cat])
    cue = hh.add_noise(cat, 0.3, seed=0)
    result = net.recall(cue, 2000, seed=1, order="random")
    visited = np.zeros(cat.size, dtype=bool)
    visited[net.visit_order(2000, 1, order="random")] = True
    visited = visited.reshape(cat.shape)
    assert (~visited).any()
    np.testing.assert_array_equal(result.state[visited], cat[visited])  # one memory: visited = fixed
    np.testing.assert_array_equal(result.state[~visited], cue[~visited])


@pytest.mark.parametrize("block", range(3))
def test_undecided_pixels_match_reference(block):
    """allow_zeros: an undecided (0) neuron takes the sign of its field when visited; if
    that field is exactly 0 too, a seeded coin decides (read back from the result)."""
    rng = np.random.default_rng(4000 + block)
    for _ in range(30):
        net, w, b, scale, shape = random_case(rng)
        n = net.n_neurons
        s0 = hh.random_patterns(1, shape, seed=int(rng.integers(2**31)))[0].astype(np.int64)
        s0[rng.random(shape) < 0.4] = 0
        steps = int(rng.integers(0, 4 * n + 1))
        seed = int(rng.integers(2**31))
        result = net.recall(s0, steps, seed=seed, allow_zeros=True)
        coins = []

        def coin(t, i):
            value = int(result.state_at(t).reshape(-1)[i])
            assert value in (-1, 1)
            coins.append(value)
            return value

        visits = net.visit_order(steps, seed)
        ref_state, ref_flips = ref_async(w, b, s0, visits, scale, coin=coin)
        np.testing.assert_array_equal(result.state.reshape(-1), ref_state)
        assert as_pairs(result) == ref_flips
        expected_e = [ref_energy(w * scale, b * scale, result.state_at(t)) for t in range(steps + 1)]
        np.testing.assert_allclose(result.energies, expected_e, atol=1e-9)
        again = net.recall(s0, steps, seed=seed, allow_zeros=True)
        assert full_log(again) == full_log(result)  # the coins are seeded too


def test_an_undecided_pixel_is_never_converged():
    """A pixel left undecided (0) will still change when it is visited, so a recall that
    ends with one is not at a fixed point, whatever its field."""
    a = np.array([1, 1, -1, -1, 1, -1])
    b = np.array([1, -1, 1, -1, -1, 1])
    net = hh.HopfieldNetwork([a, b])
    halfway = np.where(a == b, a, 0)  # the undecided pixels get a field of exactly 0
    result = net.recall(halfway, 0, seed=0, allow_zeros=True)
    assert (result.state == 0).any()
    assert not result.converged
    later = net.recall(halfway, 1, update="sync", seed=0, allow_zeros=True)
    assert (later.state != 0).all()


def test_async_recall_matches_reference_on_a_larger_network():
    """Several hundred neurons: exercises the blocked fast path over many sweeps."""
    x = hh.random_patterns(6, 300, seed=0)
    net = hh.HopfieldNetwork(x)
    s0 = hh.add_noise(x[0], 0.35, seed=1)
    result = net.recall(s0, 1500, seed=2)
    ref_state, ref_flips = ref_async(hebb_units(x), np.zeros(300), s0, net.visit_order(1500, 2))
    np.testing.assert_array_equal(result.state, ref_state)
    assert as_pairs(result) == ref_flips
    assert result.n_flips > 10


def test_glauber_recall_matches_reference_on_a_larger_network():
    x = hh.random_patterns(4, 200, seed=3)
    net = hh.HopfieldNetwork(x)
    visits, draws = sweeps_and_draws(200, 1000, 4)
    temps = np.linspace(0.8, 0.0, 1000)
    result = net.recall(x[0], 1000, seed=4, temperature=temps)
    ref_state, ref_flips = ref_async(hebb_units(x), np.zeros(200), x[0], visits, 1 / 200, temps, draws)
    np.testing.assert_array_equal(result.state, ref_state)
    assert as_pairs(result) == ref_flips
    assert result.n_flips > 10


@pytest.mark.parametrize("rule", ["hebb", "storkey", "pseudoinverse"])
def test_every_rule_flips_only_neurons_whose_field_opposes_them(rule):
    """Each logged flip is of a neuron whose field (as net.field reports it) had the other sign."""
    rng = np.random.default_rng(3)
    for _ in range(15):
        n = int(rng.integers(4, 30))
        x = hh.random_patterns(int(rng.integers(1, 5)), n, seed=int(rng.integers(2**31)))
        net = hh.HopfieldNetwork(x, rule=rule, bias=float(rng.normal(scale=0.1)))
        s0 = hh.random_patterns(1, n, seed=int(rng.integers(2**31)))[0]
        result = net.recall(s0, 3 * n, seed=int(rng.integers(2**31)))
        for t, i in as_pairs(result):
            before = result.state_at(t - 1)
            assert net.field(before)[i] * before[i] < 0
        assert result.converged == net.is_fixed_point(result.state)
        for t in range(0, 3 * n + 1, 7):
            assert result.energies[t] == pytest.approx(net.energy(result.state_at(t)), abs=1e-9)


def test_async_sweeps_visit_every_neuron():
    """With W = 0 and bias = -start, every neuron wants to flip once: the first sweep flips all."""
    n = 17
    start = hh.random_patterns(1, n, seed=0)[0]
    net = hh.HopfieldNetwork.from_weights(np.zeros((n, n)), bias=-start.astype(float))
    result = net.recall(start, steps=n, seed=4)
    np.testing.assert_array_equal(result.flip_steps, np.arange(1, n + 1))
    assert sorted(result.flip_neurons.tolist()) == list(range(n))
    np.testing.assert_array_equal(result.state, -start)
    assert result.converged


def test_recall_is_reproducible_and_seed_matters():
    x = hh.random_patterns(3, 40, seed=0)
    net = hh.HopfieldNetwork(x)
    s0 = hh.add_noise(x[0], 0.4, seed=1)
    a = net.recall(s0, 80, seed=5)
    b = net.recall(s0, 80, seed=5)
    assert as_pairs(a) == as_pairs(b)
    logs = {tuple(as_pairs(net.recall(s0, 80, seed=k))) for k in range(5)}
    assert len(logs) > 1
    c = net.recall(s0, 80, seed=np.random.default_rng(5))
    assert as_pairs(c) == as_pairs(a)


# -- a stack of cues at once ----------------------------------------------------------------

X6 = hh.random_patterns(3, (5, 6), seed=0)


def stack_cases():
    hebb = hh.HopfieldNetwork(X6, bias=0.05)
    plain = hh.HopfieldNetwork(X6)
    return {
        "async": (hebb, dict(steps=95)),
        "async-random-picks": (plain, dict(steps=95, order="random")),
        "sync": (plain, dict(steps=6, update="sync")),
        "async-temperature": (plain, dict(steps=95, temperature=0.4)),
        "async-schedule": (plain, dict(steps=95, temperature=np.linspace(1.0, 0.0, 95))),
        "sync-temperature": (plain, dict(steps=6, update="sync", temperature=0.4)),
        "async-allow-zeros": (plain, dict(steps=95, allow_zeros=True)),
        "sync-allow-zeros": (plain, dict(steps=5, update="sync", allow_zeros=True)),
        "storkey": (hh.HopfieldNetwork(X6, rule="storkey"), dict(steps=95)),
        "pseudoinverse": (hh.HopfieldNetwork(X6, rule="pseudoinverse"), dict(steps=95)),
        "given-weights": (hh.HopfieldNetwork.from_weights(hebb_units(X6), shape=(5, 6)), dict(steps=95)),
        "dense": (hh.DenseAssociativeMemory(X6, n=3), dict(steps=95)),
        "dense-random-picks": (hh.DenseAssociativeMemory(X6, n=4), dict(steps=95, order="random")),
    }


@pytest.mark.parametrize("case", list(stack_cases()))
def test_a_stack_recalls_each_cue_as_it_would_alone(case):
    """recall of (K, ...) cues equals K single recalls with the same seed: state, energies,
    overlaps, snapshots, state_at at several steps, converged and each cue's flip log."""
    memory, kwargs = stack_cases()[case]
    cues = np.stack([hh.add_noise(X6[k], 0.3, seed=k) for k in range(3)]
                    + [hh.random_patterns(1, (5, 6), seed=9)[0], X6[1]]).astype(np.int64)
    if kwargs.get("allow_zeros"):
        cues[:, :2] = 0
        cues[2] = 0  # a cue that is undecided everywhere: the coins decide
    before = cues.copy()
    steps = kwargs["steps"]
    stack = memory.recall(cues, seed=11, **kwargs)
    np.testing.assert_array_equal(cues, before)
    assert stack.n_states == 5 and stack.state.shape == (5, 5, 6)
    assert stack.energies.shape == (5, steps + 1)
    assert np.shape(stack.converged) == (5,)
    # (A network given by its weights stores no pattern: test_from_weights_with_shape
    # checks its overlaps; here it checks the rest.)
    with_overlaps = memory.n_patterns > 0
    if with_overlaps:
        assert stack.overlaps.shape == (5, len(stack.snapshot_steps), 3)
    assert stack.snapshots.shape == (len(stack.snapshot_steps), 5, 5, 6)
    for k, cue in enumerate(cues):
        alone = memory.recall(cue, seed=11, **kwargs)
        np.testing.assert_array_equal(stack.state[k], alone.state)
        np.testing.assert_allclose(stack.energies[k], alone.energies, atol=1e-9)
        if with_overlaps:
            np.testing.assert_allclose(stack.overlaps[k], alone.overlaps, atol=1e-12)
        np.testing.assert_array_equal(stack.snapshots[:, k], alone.snapshots)
        assert bool(stack.converged[k]) == alone.converged
        assert cue_log(stack, k, 30) == full_log(alone)
        for t in sorted({0, 1, steps // 3, steps // 2, steps - 1, steps}):
            np.testing.assert_array_equal(stack.state_at(t)[k], alone.state_at(t))


def test_a_stack_with_a_generator_seed_equals_single_recalls_with_that_generator():
    """The docstring promises each cue of a stack is recalled "exactly as it would be alone
    with the same seed"; a seed may be a numpy Generator."""
    net = hh.HopfieldNetwork(X6)
    cues = np.stack([hh.add_noise(X6[k], 0.3, seed=k) for k in range(3)])
    stack = net.recall(cues, 90, seed=np.random.default_rng(7))
    for k, cue in enumerate(cues):
        alone = net.recall(cue, 90, seed=np.random.default_rng(7))
        assert cue_log(stack, k, 30) == full_log(alone), f"cue {k}"


def test_a_stack_without_a_seed_recalls_equal_cues_alike():
    net = hh.HopfieldNetwork(X6)
    cue = hh.add_noise(X6[0], 0.4, seed=0)
    stack = net.recall(np.stack([cue] * 4), 90, temperature=0.5)
    for k in range(1, 4):
        assert cue_log(stack, k, 30) == cue_log(stack, 0, 30)
        np.testing.assert_array_equal(stack.energies[k], stack.energies[0])


# -- temperature (Glauber dynamics) ---------------------------------------------------------


@pytest.mark.parametrize("update", ["async", "sync"])
def test_glauber_probability_of_plus_one(update):
    """One neuron with field 0.5 at T = 0.5: +1 with probability (1 + tanh 1) / 2."""
    net = hh.HopfieldNetwork.from_weights([[0.0]], bias=0.5)
    ups = [net.recall([-1], 1, update=update, seed=s, temperature=0.5).state[0] == 1
           for s in range(2000)]
    expected = 0.5 * (1 + np.tanh(1.0))
    assert abs(np.mean(ups) - expected) < 5 * np.sqrt(expected * (1 - expected) / 2000)


def test_zero_temperature_is_the_deterministic_rule():
    x = hh.random_patterns(5, 80, seed=1)
    net = hh.HopfieldNetwork(x)
    cue = hh.add_noise(x[0], 0.3, seed=2)
    plain = net.recall(cue, 400, seed=3)
    for temperature in (0.0, 0, np.zeros(400)):
        hot = net.recall(cue, 400, seed=3, temperature=temperature)
        assert as_pairs(hot) == as_pairs(plain)
        np.testing.assert_allclose(hot.energies, plain.energies)


@pytest.mark.parametrize("rule", ["hebb", "storkey", "pseudoinverse"])
def test_temperature_energy_trace_is_exact_and_can_rise(rule):
    x = hh.random_patterns(3, 60, seed=1)
    net = hh.HopfieldNetwork(x, rule=rule)
    result = net.recall(x[0], 600, seed=2, temperature=0.8)
    assert np.any(np.diff(result.energies) > 0)  # noise can climb uphill
    for t in (0, 100, 333, 600):
        assert result.energies[t] == pytest.approx(net.energy(result.state_at(t)), abs=1e-9)
    assert result.converged == net.is_fixed_point(result.state)


def test_heat_shakes_the_mixture_loose_and_annealing_lands_in_a_stored_pattern():
    x = hh.random_patterns(3, 400, seed=7)
    net = hh.HopfieldNetwork(x)
    mix = hh.mixture_state(x)
    assert net.is_fixed_point(mix)
    assert np.array_equal(net.recall(mix, 2000, seed=1).state, mix)
    steps = 20 * 400
    schedule = np.linspace(0.6, 0.0, steps)
    for seed in range(3):
        result = net.recall(mix, steps, seed=seed, temperature=schedule)
        assert hh.which_memory(net, result.state).kind == "stored"


# -- RecallResult bookkeeping ------------------------------------------------------------


@pytest.mark.parametrize("update", ["async", "sync"])
@pytest.mark.parametrize("steps, every", [(0, None), (7, None), (60, None), (60, 7), (450, None), (450, 100)])
def test_result_bookkeeping(update, steps, every):
    x = hh.random_patterns(3, (6, 6), seed=1)
    net = hh.HopfieldNetwork(x, bias=0.05)
    s0 = hh.add_noise(x[0], 0.4, seed=2)
    r = net.recall(s0, steps, update=update, seed=3, snapshot_every=every)
    assert isinstance(r, hh.RecallResult)
    assert r.steps == steps and r.update == update and r.n_states == 1
    assert r.energies.shape == (steps + 1,)
    assert r.energies[0] == pytest.approx(net.energy(s0))
    assert r.energies[-1] == pytest.approx(net.energy(r.state))
    np.testing.assert_array_equal(r.initial_state, s0)
    np.testing.assert_array_equal(r.state_at(0), s0)
    np.testing.assert_array_equal(r.state_at(steps), r.state)
    # snapshots: sorted, from 0 to steps, every `every` steps
    snaps = r.snapshot_steps
    assert snaps[0] == 0 and snaps[-1] == steps
    assert np.all(np.diff(snaps) > 0)
    if every is not None:
        expected = sorted(set(range(0, steps + 1, every)) | {steps})
        assert snaps.tolist() == expected
    elif steps <= 100:
        assert snaps.tolist() == list(range(steps + 1))
    else:  # "about 100 snapshots", evenly spaced, plus the last step
        assert 50 <= len(snaps) <= 202
        assert len(set(np.diff(snaps[:-1]).tolist())) == 1
    assert r.snapshots.shape == (len(snaps), 6, 6)
    assert r.overlaps.shape == (len(snaps), 3)
    for k, t in enumerate(snaps):
        np.testing.assert_array_equal(r.snapshots[k], r.state_at(int(t)))
        np.testing.assert_allclose(r.overlaps[k], net.overlaps(r.snapshots[k]), atol=1e-12)
    for t in range(0, steps + 1, max(1, steps // 25)):
        assert r.energies[t] == pytest.approx(net.energy(r.state_at(t)), abs=1e-9)
    # the flip log
    assert r.n_flips == r.flip_steps.size == r.flip_neurons.size == r.flip_values.size
    assert np.all(np.diff(r.flip_steps) >= 0)
    assert np.all((r.flip_steps >= 1) & (r.flip_steps <= steps))
    for t, i, v in full_log(r):
        assert r.state_at(t).reshape(-1)[i] == v
    if r.n_flips:  # the last change makes the final state
        np.testing.assert_array_equal(r.state_at(int(r.flip_steps[-1])), r.state)
        assert not np.array_equal(r.state_at(int(r.flip_steps[-1]) - 1), r.state)
    assert r.converged == net.is_fixed_point(r.state)


def test_async_logs_at_most_one_flip_per_step():
    x = hh.random_patterns(2, 30, seed=0)
    r = hh.HopfieldNetwork(x).recall(hh.add_noise(x[0], 0.4, seed=0), 120, seed=0)
    assert r.n_flips > 0
    assert len(set(r.flip_steps.tolist())) == r.n_flips


def test_steps_zero_returns_the_input(xo_net):
    s0 = hh.add_noise(hh.letter_pattern("X"), 0.3, seed=0)
    for update in ("async", "sync"):
        r = xo_net.recall(s0, 0, update=update, seed=0)
        np.testing.assert_array_equal(r.state, s0)
        assert r.energies.shape == (1,)
        assert r.n_flips == 0
        assert r.converged == xo_net.is_fixed_point(s0)
        assert r.snapshot_steps.tolist() == [0]


@pytest.mark.parametrize("update", ["async", "sync"])
def test_recall_keeps_the_input_shape_and_type(update, xo_net, letters):
    flat = xo_net.recall(letters[0].ravel(), 10, update=update, seed=0)
    assert flat.state.shape == (25,)
    assert flat.snapshots.shape[1:] == (25,)
    from_list = xo_net.recall(letters[0].tolist(), 10, update=update, seed=0)
    assert isinstance(from_list.state, np.ndarray)
    assert from_list.state.shape == (5, 5)
    assert np.issubdtype(from_list.state.dtype, np.integer)
    floats = xo_net.recall(letters[0].astype(float), 10, update=update, seed=0)
    assert np.issubdtype(floats.state.dtype, np.integer)


@pytest.mark.parametrize("update", ["async", "sync"])
@pytest.mark.parametrize("allow_zeros", [False, True])
def test_recall_does_not_modify_its_input(update, allow_zeros, xo_net):
    s0 = hh.add_noise(hh.letter_pattern("X"), 0.3, seed=0).astype(np.int64)
    if allow_zeros:
        s0[0] = 0
    before = s0.copy()
    r = xo_net.recall(s0, 60, update=update, seed=0, allow_zeros=allow_zeros, temperature=0.3)
    np.testing.assert_array_equal(s0, before)
    assert not np.shares_memory(r.state, s0)
    assert not np.shares_memory(r.initial_state, s0)
    r.state[:] = 1  # mutating the result does not reach the input or the history
    np.testing.assert_array_equal(s0, before)
    np.testing.assert_array_equal(r.state_at(0), before)


# -- ties --------------------------------------------------------------------------------


@pytest.mark.parametrize("update", ["async", "sync"])
@pytest.mark.parametrize("s0", [1, -1])
def test_disconnected_neuron_keeps_its_state(update, s0):
    w = np.array([[0, 0, 0], [0, 0, 1], [0, 1, 0]])
    net = hh.HopfieldNetwork.from_weights(w)
    start = np.array([s0, 1, -1])
    assert net.field(start)[0] == 0
    for order in ("sweeps", "random"):
        r = net.recall(start, 12, update=update, seed=0, order=order)
        assert r.state[0] == s0
        assert 0 not in r.flip_neurons.tolist()


@pytest.mark.parametrize("update", ["async", "sync"])
def test_cancelling_inputs_keep_the_state(update):
    """Neuron 0 gets +1 and -1 from its neighbours (field 0): a fixed point with a tie."""
    net = hh.HopfieldNetwork.from_weights([[0, 1, -1], [1, 0, 0], [-1, 0, 0]], bias=[0, 0, 2])
    start = np.array([1, 1, 1])
    assert net.field(start)[0] == 0
    assert net.is_fixed_point(start)
    r = net.recall(start, 9, update=update, seed=0)
    np.testing.assert_array_equal(r.state, start)
    assert r.converged and r.n_flips == 0


def test_tie_with_bias_in_from_weights_network():
    net = hh.HopfieldNetwork.from_weights([[0, 1], [1, 0]], bias=[-1, 0])
    for seed in range(6):
        r = net.recall([-1, 1], 4, seed=seed)
        np.testing.assert_array_equal(r.state, [-1, -1])
        assert r.flip_neurons.tolist() == [1]


def test_hebbian_tie_keeps_state():
    """Store (1,1,1): in state (-1,-1,1) neurons 0 and 1 have field 0, only neuron 2 flips."""
    net = hh.HopfieldNetwork([[1, 1, 1]])
    start = np.array([-1, -1, 1])
    np.testing.assert_array_equal(net.field(start)[:2], [0, 0])
    r = net.recall(start, 1, update="sync")
    np.testing.assert_array_equal(r.state, [-1, -1, -1])
    for seed in range(10):
        for order in ("sweeps", "random"):
            r = net.recall(start, 6, seed=seed, order=order)
            np.testing.assert_array_equal(r.state, [-1, -1, -1])
            assert r.flip_neurons.tolist() == [2]


def test_hebbian_tie_with_bias_keeps_state():
    """A field that is exactly 0 only thanks to the bias must be a tie in async too.

    N = 22, one all-ones pattern, bias 3/22, ten +1 then twelve -1: net.field reports
    0.0 for neuron 0, sync keeps it, so an async step on it must keep it as well.
    """
    n = 22
    net = hh.HopfieldNetwork([np.ones(n)], bias=3 / n)
    start = np.array([1] * 10 + [-1] * 12)
    assert net.field(start)[0] == 0.0
    assert net.recall(start, 1, update="sync").state[0] == 1
    seed = next(k for k in range(1000) if net.visit_order(1, k)[0] == 0)
    r = net.recall(start, 1, seed=seed)
    assert r.state[0] == 1, "async flipped a neuron whose field is exactly 0"
    assert net.is_fixed_point(start) == bool(np.all(net.field(start) * start >= 0))


# -- recall of stored patterns -----------------------------------------------------------


def test_sync_on_a_stored_pattern_converges_in_one_step(xo_net, letters):
    for p in letters:
        r = xo_net.recall(p, 5, update="sync")
        np.testing.assert_array_equal(r.state, p)
        assert r.converged
        assert r.n_flips == 0
        np.testing.assert_allclose(r.energies, np.full(6, xo_net.energy(p)))


@pytest.mark.parametrize("update", ["async", "sync"])
@pytest.mark.parametrize("seed", range(20))
def test_noisy_x_is_recalled(update, seed, xo_net):
    x = hh.letter_pattern("X")
    noisy = hh.add_noise(x, 0.1, seed=seed)
    r = xo_net.recall(noisy, 100 if update == "async" else 10, update=update, seed=seed)
    np.testing.assert_array_equal(r.state, x)
    assert r.converged
    np.testing.assert_allclose(r.overlaps[-1], xo_net.overlaps(x))


@pytest.mark.parametrize("update", ["async", "sync"])
def test_every_cue_with_up_to_two_wrong_pixels_recalls_x(update, xo_net):
    """10% of 25 pixels is 2.5: every cue with 1 or 2 flipped pixels goes back to X.
    All 325 cues are recalled at once, as one stack."""
    x = hh.letter_pattern("X").ravel()
    cues, where = [], []
    for k in (1, 2):
        for idx in itertools.combinations(range(25), k):
            cue = x.copy()
            cue[list(idx)] *= -1
            cues.append(cue)
            where.append(idx)
    r = xo_net.recall(np.stack(cues), 50 if update == "async" else 5, update=update, seed=1)
    wrong = [where[k] for k in np.flatnonzero((r.state != x).any(axis=1))]
    assert not wrong, f"cues flipped at {wrong[:5]} not recalled"
    assert r.converged.all()


# -- learning rules -------------------------------------------------------------------------


def naive_storkey(x):
    """Storkey (1997) written out literally, pattern by pattern and weight by weight."""
    p, n = x.shape
    w = np.zeros((n, n))
    for xi in x:
        h = np.zeros((n, n))  # h[i, j] = sum_{k != i, j} w[i, k] xi[k]
        for i in range(n):
            for j in range(n):
                h[i, j] = sum(w[i, k] * xi[k] for k in range(n) if k not in (i, j))
        new = w.copy()
        for i in range(n):
            for j in range(n):
                new[i, j] += (xi[i] * xi[j] - xi[i] * h[j, i] - h[i, j] * xi[j]) / n
        w = new
    np.fill_diagonal(w, 0.0)
    return w


def test_storkey_matches_the_rule_written_out():
    x = hh.random_patterns(4, 9, seed=3)
    net = hh.HopfieldNetwork(x, rule="storkey")
    assert net.rule == "storkey"
    w = net.weights
    np.testing.assert_allclose(w, naive_storkey(x.astype(np.float64)), atol=1e-12)
    np.testing.assert_allclose(w, w.T)
    assert np.all(np.diag(w) == 0)


def test_pseudoinverse_weights_and_field_equal_the_projection():
    x = hh.random_patterns(7, 30, seed=1)
    net = hh.HopfieldNetwork(x, rule="pseudoinverse")
    xf = x.astype(np.float64)
    w = xf.T @ np.linalg.inv(xf @ xf.T / 30) @ xf / 30
    np.fill_diagonal(w, 0.0)
    np.testing.assert_allclose(net.weights, w, atol=1e-10)
    states = hh.random_patterns(5, 30, seed=2)
    np.testing.assert_allclose(net.field(states), states @ w, atol=1e-10)
    for s in states:
        np.testing.assert_allclose(net.energy(s), -0.5 * s @ w @ s, atol=1e-9)


def test_storkey_and_pseudoinverse_keep_40_patterns_in_200_neurons_hebb_does_not():
    x = hh.random_patterns(40, 200, seed=0)
    stable = {rule: int(hh.HopfieldNetwork(x, rule=rule).is_fixed_point(x).sum())
              for rule in ("hebb", "storkey", "pseudoinverse")}
    assert stable["storkey"] == 40
    assert stable["pseudoinverse"] == 40
    assert stable["hebb"] <= 10  # load 0.2, past 0.138: few patterns stay exactly stable


def test_pseudoinverse_stores_correlated_patterns_at_equal_energy():
    base = hh.random_patterns(1, 300, seed=5)[0]
    x = np.stack([hh.add_noise(base, 0.1, seed=k) for k in range(4)])  # overlaps about 0.64
    net = hh.HopfieldNetwork(x, rule="pseudoinverse")
    assert net.is_fixed_point(x).all()
    # The projection has trace P, so each stored pattern sits at -(N - P) / 2.
    np.testing.assert_allclose(net.energy(x), -(300 - 4) / 2)
    assert not hh.HopfieldNetwork(x).is_fixed_point(x).any()  # Hebb blends them


def test_pseudoinverse_recall_energy_never_rises():
    x = hh.random_patterns(12, 60, seed=4)
    net = hh.HopfieldNetwork(x, rule="pseudoinverse")
    result = net.recall(hh.add_noise(x[0], 0.3, seed=5), 300, seed=6)
    assert np.all(np.diff(result.energies) <= 1e-9)
    for t in (0, 50, 150, 300):
        assert result.energies[t] == pytest.approx(net.energy(result.state_at(t)), abs=1e-9)


# -- properties --------------------------------------------------------------------------

seeds = st.integers(0, 2**32 - 1)


@st.composite
def networks(draw):
    """A network of any rule with optional bias, or a random symmetric float W."""
    seed = draw(seeds)
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):
        shape = draw(st.sampled_from([(9,), (4, 4), (3, 5), (30,)]))
        p = draw(st.integers(1, 6))
        rule = draw(st.sampled_from(hh.HopfieldNetwork.RULES))
        bias = draw(st.one_of(st.just(0.0), st.floats(-1, 1), st.just("vector")))
        n = int(np.prod(shape))
        if bias == "vector":
            bias = rng.normal(scale=0.5, size=n)
        net = hh.HopfieldNetwork(hh.random_patterns(p, shape, seed=seed), rule=rule, bias=bias)
        return net, shape
    n = draw(st.integers(2, 20))
    w = rng.normal(size=(n, n))
    w = w + w.T
    np.fill_diagonal(w, 0)
    bias = rng.normal(size=n) if draw(st.booleans()) else 0.0
    return hh.HopfieldNetwork.from_weights(w, bias=bias), (n,)


@settings(max_examples=150, deadline=None)
@given(case=networks(), seed=seeds, steps=st.integers(0, 120), order=st.sampled_from(["sweeps", "random"]))
def test_async_energy_never_rises(case, seed, steps, order):
    net, shape = case
    s0 = hh.random_patterns(1, shape, seed=seed)[0]
    r = net.recall(s0, steps, seed=seed, order=order)
    assert np.all(np.diff(r.energies) <= 1e-9)
    assert r.energies[-1] == pytest.approx(net.energy(r.state), abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(case=networks(), seed=seeds, steps=st.integers(0, 60), update=st.sampled_from(["async", "sync"]),
       temperature=st.sampled_from([0.0, 0.3, 2.0]))
def test_recall_output_is_pm1_with_input_shape(case, seed, steps, update, temperature):
    net, shape = case
    s0 = hh.random_patterns(1, shape, seed=seed)[0]
    r = net.recall(s0, steps, update=update, seed=seed, temperature=temperature)
    assert r.state.shape == shape
    assert np.issubdtype(r.state.dtype, np.integer)
    assert np.all((r.state == 1) | (r.state == -1))
    assert np.all((r.snapshots == 1) | (r.snapshots == -1))
    assert r.converged == net.is_fixed_point(r.state)
    assert r.energies[-1] == pytest.approx(net.energy(r.state), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    n=st.sampled_from([8, 16, 32]),
    data=st.data(),
    update=st.sampled_from(["async", "sync"]),
    seed=seeds,
)
def test_orthogonal_stored_patterns_are_fixed_points(n, data, update, seed):
    rows = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True), label="rows")
    x = sylvester_hadamard(n)[rows]
    net = hh.HopfieldNetwork(x)
    assert net.is_fixed_point(x).all()
    r = net.recall(x, 2 * n, update=update, seed=seed)
    np.testing.assert_array_equal(r.state, x)
    assert r.converged.all()
    assert r.n_flips == 0
    np.testing.assert_allclose(r.energies, np.repeat(net.energy(x)[:, None], 2 * n + 1, axis=1))


# -- the dense associative memory (Krotov and Hopfield) --------------------------------------


def test_dense_attributes_and_energy_formula():
    x = hh.random_patterns(4, (4, 5), seed=0)
    memory = hh.DenseAssociativeMemory(x, n=3)
    assert (memory.n, memory.n_patterns, memory.n_neurons, memory.pattern_shape) == (3, 4, 20, (4, 5))
    assert "DenseAssociativeMemory" in repr(memory)
    s = hh.random_patterns(1, (4, 5), seed=1)[0]
    m = x.reshape(4, 20).astype(float) @ s.ravel() / 20
    assert memory.energy(s) == pytest.approx(-20 * np.sum(m**3))
    stack = hh.random_patterns(3, (4, 5), seed=2)
    np.testing.assert_allclose(memory.energy(stack), [memory.energy(t) for t in stack])
    np.testing.assert_allclose(memory.overlaps(s), m)


@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_dense_energy_never_rises_under_async_updates(n):
    x = hh.random_patterns(30, 80, seed=n)
    memory = hh.DenseAssociativeMemory(x, n=n)
    for seed in range(3):
        for order in ("sweeps", "random"):
            result = memory.recall(hh.add_noise(x[seed], 0.4, seed=seed), 800, seed=seed, order=order)
            assert np.all(np.diff(result.energies) <= 1e-9)
            for t in (0, 100, 400, 800):
                assert result.energies[t] == pytest.approx(memory.energy(result.state_at(t)))
            assert result.converged == memory.is_fixed_point(result.state)


def test_dense_power_two_recalls_exactly_like_hebb():
    """With n = 2 the energy is Hebb's up to a constant, and the decisions are the same,
    ties included."""
    x = hh.random_patterns(5, 60, seed=3)
    dense = hh.DenseAssociativeMemory(x, n=2)
    hebb = hh.HopfieldNetwork(x)
    cues = np.stack([hh.add_noise(x[k], 0.3, seed=k) for k in range(5)])
    for order in ("sweeps", "random"):
        a = dense.recall(cues, 300, seed=5, order=order)
        b = hebb.recall(cues, 300, seed=5, order=order)
        assert full_log(a) == full_log(b)
        np.testing.assert_array_equal(a.converged, b.converged)
    small = hh.DenseAssociativeMemory([[1, 1, 1]], n=2)  # the Hebbian tie: only neuron 2 flips
    assert small.recall([-1, -1, 1], 6, seed=0).flip_neurons.tolist() == [2]


def test_dense_high_power_stores_far_more_than_hebb():
    x = hh.random_patterns(30, 100, seed=1)  # load 0.3: far past Hebb's 0.138
    memory = hh.DenseAssociativeMemory(x, n=4)
    assert memory.is_fixed_point(x).all()
    assert hh.HopfieldNetwork(x).is_fixed_point(x).sum() < 15
    cues = np.stack([hh.add_noise(p, 0.1, seed=k) for k, p in enumerate(x[:6])])
    result = memory.recall(cues, 5 * 100, seed=2)
    np.testing.assert_array_equal(result.state, x[:6])
    assert result.converged.all()


@pytest.mark.parametrize("n", [2, 3, 5])
def test_dense_is_fixed_point_matches_a_sweep_without_changes(n):
    """A state is a fixed point exactly when a whole async sweep changes nothing."""
    rng = np.random.default_rng(n)
    patterns = hh.random_patterns(4, 30, seed=rng)
    memory = hh.DenseAssociativeMemory(patterns, n=n)
    states = np.concatenate([patterns, hh.random_patterns(20, 30, seed=rng)])
    unchanged = [memory.recall(s, 30, seed=1).n_flips == 0 for s in states]
    assert [memory.is_fixed_point(s) for s in states] == unchanged
    np.testing.assert_array_equal(memory.is_fixed_point(states), unchanged)


def test_dense_memory_and_undecided_pixels():
    """recall's allow_zeros is part of every memory's recall: a dense memory either decides
    each undecided pixel it visits, or refuses allow_zeros by name (not with an error
    about +1/-1 values that the caller was told were allowed)."""
    x = hh.random_patterns(3, 20, seed=0)
    memory = hh.DenseAssociativeMemory(x, n=3)
    cue = x[0].astype(np.int64)
    cue[:5] = 0
    try:
        result = memory.recall(cue, 40, seed=0, allow_zeros=True)  # two sweeps: all visited
    except ValueError as error:
        assert "allow_zeros" in str(error)
    else:
        assert np.isin(result.state, [-1, 1]).all()
        np.testing.assert_array_equal(result.state, x[0])


def test_dense_recalls_async_at_zero_temperature_only():
    memory = hh.DenseAssociativeMemory(hh.random_patterns(3, 10, seed=0))
    cue = np.ones(10, dtype=int)
    with pytest.raises(ValueError, match="async"):
        memory.recall(cue, 5, update="sync")
    with pytest.raises(ValueError, match="temperature"):
        memory.recall(cue, 5, temperature=0.5)
    assert memory.recall(cue, 5, temperature=0.0).steps == 5


# -- the modern Hopfield network (Ramsauer et al.) ------------------------------------------


def test_modern_update_is_softmax_attention():
    x = hh.random_patterns(5, 16, seed=0)
    net = hh.ModernHopfieldNetwork(x, beta=0.3)
    assert net.beta == 0.3 and "ModernHopfieldNetwork" in repr(net)
    xi = np.linspace(-1, 1, 16)
    z = 0.3 * x.astype(float) @ xi
    p = np.exp(z - z.max())
    p /= p.sum()
    np.testing.assert_allclose(net.attention(xi), p)
    np.testing.assert_allclose(net.update(xi), p @ x)
    assert net.attention(xi).sum() == pytest.approx(1.0)
    two = np.stack([xi, -xi])
    assert net.attention(two).shape == (2, 5)
    np.testing.assert_allclose(net.attention(two)[0], p)


def test_modern_energy_formula():
    x = hh.random_patterns(4, 12, seed=1)
    net = hh.ModernHopfieldNetwork(x, beta=0.7)
    xi = np.linspace(-1, 1, 12)
    z = 0.7 * x.astype(float) @ xi
    lse = np.log(np.exp(z).sum()) / 0.7
    expected = -lse + xi @ xi / 2 + np.log(4) / 0.7 + 12 / 2
    assert net.energy(xi) == pytest.approx(expected)
    np.testing.assert_allclose(net.energy(np.stack([xi, xi])), [expected, expected])


@pytest.mark.parametrize("beta", [1e-4, 1e-2, 0.1, 1.0, 10.0])
def test_modern_energy_never_rises_under_the_update(beta):
    x = hh.random_patterns(20, 50, seed=1)
    net = hh.ModernHopfieldNetwork(x, beta=beta)
    rng = np.random.default_rng(2)
    for _ in range(5):
        start = rng.uniform(-1, 1, 50)
        result = net.recall(start, steps=6)
        assert np.all(np.diff(result.energies) <= 1e-9)
        states = np.stack([result.state_at(t) for t in range(7)])
        np.testing.assert_allclose(result.energies, net.energy(states))
        np.testing.assert_allclose(states[1], net.update(start))


def test_modern_small_beta_blends_large_beta_picks_the_pattern():
    x = hh.random_patterns(3, (10, 10), seed=4)
    cue = hh.add_noise(x[0], 0.15, seed=4)
    low = hh.ModernHopfieldNetwork(x, beta=1e-5).recall(cue).state
    np.testing.assert_array_equal(np.sign(low), hh.mixture_state(x))
    high = hh.ModernHopfieldNetwork(x, beta=1.0).recall(cue)
    np.testing.assert_allclose(high.state, x[0], atol=1e-6)
    assert high.state.shape == (10, 10) and high.steps == 1
    np.testing.assert_array_equal(high.state_at(0), cue)
    np.testing.assert_array_equal(high.state_at(1), high.state)
    np.testing.assert_allclose(high.overlaps[-1], hh.overlap_matrix(x)[0], atol=1e-6)
    assert high.overlaps.shape == (2, 3)


def test_modern_one_step_retrieves_among_1000_patterns_in_64_neurons():
    many = hh.random_patterns(1000, 64, seed=4)
    net = hh.ModernHopfieldNetwork(many, beta=1.0)
    cues = np.stack([hh.add_noise(p, 0.1, seed=k) for k, p in enumerate(many[:100])])
    retrieved = np.sign(net.update(cues))
    assert (retrieved == many[:100]).all(axis=1).mean() >= 0.95


def test_modern_recall_does_not_modify_its_input_and_converges():
    x = hh.random_patterns(3, 20, seed=0)
    net = hh.ModernHopfieldNetwork(x, beta=2.0)
    cue = 0.5 * x[1].astype(float)
    before = cue.copy()
    result = net.recall(cue, 4)
    np.testing.assert_array_equal(cue, before)
    assert result.converged
    assert not net.recall(cue, 0).converged
    assert result.n_flips == 0 and result.update == "sync"
