"""Tests of HopfieldNetwork and RecallResult: weights, field, energy, and recall.

The recall is checked against a plain Python reference (one neuron at a time, in the
documented sweep order), on integer weights so that ties are exact.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hopfield_helpers as hh

# -- helpers ----------------------------------------------------------------------------


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


def sweep_order(n, steps, seed):
    """The documented async order: fresh random permutations of all neurons, one after another."""
    rng = np.random.default_rng(seed)
    order = []
    while len(order) < steps:
        order.extend(rng.permutation(n).tolist())
    return order[:steps]


def ref_async(w, b, s0, steps, seed):
    """Naive async recall with weights ``w`` and bias ``b`` (any common scale)."""
    s = np.array(s0, dtype=np.int64).reshape(-1)
    flips = []
    for t, i in enumerate(sweep_order(s.size, steps, seed), start=1):
        h = w[i] @ s + b[i]
        if h * s[i] < 0:
            s[i] = -s[i]
            flips.append((t, i))
    return s, flips


def ref_sync(w, b, s0, steps):
    """Naive sync recall: every neuron from the same old state; a zero field keeps the state."""
    s = np.array(s0, dtype=np.int64).reshape(-1)
    flips = []
    for t in range(1, steps + 1):
        h = w @ s + b
        new = np.where(h > 0, 1, np.where(h < 0, -1, s))
        flips.extend((t, int(i)) for i in np.flatnonzero(new != s))
        s = new
    return s, flips


def ref_stable(w, b, s):
    s = np.asarray(s, dtype=np.int64).reshape(-1)
    return bool(np.all((w @ s + b) * s >= 0))


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


def as_pairs(result):
    return list(zip(result.flip_steps.tolist(), result.flip_neurons.tolist()))


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


def test_weights_are_a_copy(xo_net):
    w = xo_net.weights
    w[:] = 0
    assert np.abs(xo_net.weights).sum() > 0


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


def test_energy_of_a_stack_of_one_is_an_array(xo_net, letters):
    """A stack (K, ...) returns shape (K,), also when K == 1 (code looping over stacks relies on it)."""
    e = xo_net.energy(letters[0][None])
    assert np.shape(e) == (1,)
    assert xo_net.overlaps(letters[0][None]).shape == (1, 3)


def test_reversed_pattern_has_the_same_energy(xo_net, letters):
    for p in letters + list(hh.random_patterns(3, (5, 5), seed=0)):
        assert xo_net.energy(-p) == pytest.approx(xo_net.energy(p), abs=1e-12)


def test_orthogonal_stored_patterns_have_energy_minus_n_minus_p_over_2():
    """With orthogonal patterns W x = (1 - P/N) x, so E(x) = -(N - P) / 2."""
    x = sylvester_hadamard(16)[[1, 5, 6, 11]]
    net = hh.HopfieldNetwork(x)
    for p in x:
        assert net.energy(p) == pytest.approx(-(16 - 4) / 2)


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


# -- recall against the reference --------------------------------------------------------


@pytest.mark.parametrize("block", range(6))
def test_async_recall_matches_reference(block):
    """State, flip log, energies and convergence equal a naive one-neuron-at-a-time loop."""
    rng = np.random.default_rng(1000 + block)
    for _ in range(30):
        net, w, b, scale, shape = random_case(rng)
        n = net.n_neurons
        s0 = hh.random_patterns(1, shape, seed=int(rng.integers(2**31)))[0]
        steps = int(rng.integers(0, 5 * n + 1))
        seed = int(rng.integers(2**31))
        result = net.recall(s0, steps, update="async", seed=seed)
        ref_state, ref_flips = ref_async(w, b, s0, steps, seed)
        np.testing.assert_array_equal(result.state.reshape(-1), ref_state)
        assert as_pairs(result) == ref_flips
        assert result.converged == ref_stable(w, b, ref_state)
        expected_e = []
        for t in range(steps + 1):
            expected_e.append(ref_energy(w * scale, b * scale, result.state_at(t)))
        np.testing.assert_allclose(result.energies, expected_e, atol=1e-9)


@pytest.mark.parametrize("block", range(4))
def test_sync_recall_matches_reference(block):
    rng = np.random.default_rng(2000 + block)
    for _ in range(30):
        net, w, b, scale, shape = random_case(rng)
        s0 = hh.random_patterns(1, shape, seed=int(rng.integers(2**31)))[0]
        steps = int(rng.integers(0, 8))
        result = net.recall(s0, steps, update="sync")
        ref_state, ref_flips = ref_sync(w, b, s0, steps)
        np.testing.assert_array_equal(result.state.reshape(-1), ref_state)
        assert as_pairs(result) == ref_flips
        assert result.converged == ref_stable(w, b, ref_state)
        expected_e = [ref_energy(w * scale, b * scale, result.state_at(t)) for t in range(steps + 1)]
        np.testing.assert_allclose(result.energies, expected_e, atol=1e-9)


def test_async_recall_matches_reference_on_a_larger_network():
    """Several hundred neurons: exercises the blocked fast path over many sweeps."""
    x = hh.random_patterns(6, 300, seed=0)
    net = hh.HopfieldNetwork(x)
    s0 = hh.add_noise(x[0], 0.35, seed=1)
    result = net.recall(s0, 1500, seed=2)
    ref_state, ref_flips = ref_async(hebb_units(x), np.zeros(300), s0, 1500, 2)
    np.testing.assert_array_equal(result.state, ref_state)
    assert as_pairs(result) == ref_flips
    assert result.n_flips > 10


def test_async_flips_only_neurons_whose_field_opposes_them():
    """Each logged flip is of a neuron whose field (as net.field reports it) had the other sign."""
    rng = np.random.default_rng(3)
    for _ in range(40):
        net, _, _, _, shape = random_case(rng)
        s0 = hh.random_patterns(1, shape, seed=int(rng.integers(2**31)))[0]
        result = net.recall(s0, 3 * net.n_neurons, seed=int(rng.integers(2**31)))
        for t, i in as_pairs(result):
            before = result.state_at(t - 1).reshape(-1)
            assert net.field(before).reshape(-1)[i] * before[i] < 0


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


def test_sweep_order_blocks_are_permutations():
    net = hh.HopfieldNetwork(hh.random_patterns(1, 13, seed=0))
    order = net._sweep_order(13 * 5 + 4, np.random.default_rng(0))
    assert len(order) == 13 * 5 + 4
    for k in range(5):
        assert sorted(order[13 * k : 13 * (k + 1)].tolist()) == list(range(13))
    assert len(set(order[65:].tolist())) == 4


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


# -- RecallResult bookkeeping ------------------------------------------------------------


@pytest.mark.parametrize("update", ["async", "sync"])
@pytest.mark.parametrize("steps, every", [(0, None), (7, None), (60, None), (60, 7), (450, None), (450, 100)])
def test_result_bookkeeping(update, steps, every):
    x = hh.random_patterns(3, (6, 6), seed=1)
    net = hh.HopfieldNetwork(x, bias=0.05)
    s0 = hh.add_noise(x[0], 0.4, seed=2)
    r = net.recall(s0, steps, update=update, seed=3, snapshot_every=every)
    assert r.steps == steps and r.update == update
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
    else:  # "about 100-200 snapshots", evenly spaced, plus the last step
        assert 50 <= len(snaps) <= 202
        assert len(set(np.diff(snaps[:-1]).tolist())) == 1
    assert r.snapshots.shape == (len(snaps), 6, 6)
    assert r.overlaps.shape == (len(snaps), 3)
    for k, t in enumerate(snaps):
        np.testing.assert_array_equal(r.snapshots[k], r.state_at(int(t)))
        np.testing.assert_allclose(r.overlaps[k], r.overlaps_at(int(t)), atol=1e-12)
        np.testing.assert_allclose(r.overlaps[k], net.overlaps(r.snapshots[k]), atol=1e-12)
    for t in range(0, steps + 1, max(1, steps // 25)):
        assert r.energy_at(t) == pytest.approx(net.energy(r.state_at(t)), abs=1e-9)
    # the flip log
    assert r.n_flips == r.flip_steps.size == r.flip_neurons.size
    assert np.all(np.diff(r.flip_steps) >= 0)
    assert np.all((r.flip_steps >= 1) & (r.flip_steps <= steps))
    assert r.last_change_step == (int(r.flip_steps.max()) if r.n_flips else 0)
    if r.n_flips:
        np.testing.assert_array_equal(r.state_at(r.last_change_step), r.state)
        assert not np.array_equal(r.state_at(r.last_change_step - 1), r.state)
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
        assert r.n_flips == 0 and r.last_change_step == 0
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
def test_recall_does_not_modify_its_input(update, xo_net):
    s0 = hh.add_noise(hh.letter_pattern("X"), 0.3, seed=0)
    before = s0.copy()
    r = xo_net.recall(s0, 60, update=update, seed=0)
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
    r = net.recall(start, 12, update=update, seed=0)
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
        r = net.recall(start, 6, seed=seed)
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
    seed = next(k for k in range(1000) if np.random.default_rng(k).permutation(n)[0] == 0)
    r = net.recall(start, 1, seed=seed)
    assert r.state[0] == 1, "async flipped a neuron whose field is exactly 0"


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
    """10% of 25 pixels is 2.5: every cue with 1 or 2 flipped pixels goes back to X."""
    x = hh.letter_pattern("X").ravel()
    for k in (1, 2):
        for idx in itertools.combinations(range(25), k):
            cue = x.copy()
            cue[list(idx)] *= -1
            r = xo_net.recall(cue, 50 if update == "async" else 5, update=update, seed=k)
            assert np.array_equal(r.state, x), f"cue flipped at {idx} not recalled"


# -- properties --------------------------------------------------------------------------

seeds = st.integers(0, 2**32 - 1)


@st.composite
def networks(draw):
    """A Hebbian network with optional bias, or a random symmetric float W."""
    seed = draw(seeds)
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):
        shape = draw(st.sampled_from([(9,), (4, 4), (3, 5), (30,)]))
        p = draw(st.integers(1, 6))
        bias = draw(st.one_of(st.just(0.0), st.floats(-1, 1), st.just("vector")))
        n = int(np.prod(shape))
        if bias == "vector":
            bias = rng.normal(scale=0.5, size=n)
        net = hh.HopfieldNetwork(hh.random_patterns(p, shape, seed=seed), bias=bias)
        return net, shape
    n = draw(st.integers(2, 20))
    w = rng.normal(size=(n, n))
    w = w + w.T
    np.fill_diagonal(w, 0)
    bias = rng.normal(size=n) if draw(st.booleans()) else 0.0
    return hh.HopfieldNetwork.from_weights(w, bias=bias), (n,)


@settings(max_examples=200, deadline=None)
@given(case=networks(), seed=seeds, steps=st.integers(0, 120))
def test_async_energy_never_rises(case, seed, steps):
    net, shape = case
    s0 = hh.random_patterns(1, shape, seed=seed)[0]
    r = net.recall(s0, steps, seed=seed)
    assert np.all(np.diff(r.energies) <= 1e-12)
    assert r.energies[-1] == pytest.approx(net.energy(r.state), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(case=networks(), seed=seeds, steps=st.integers(0, 60), update=st.sampled_from(["async", "sync"]))
def test_recall_output_is_pm1_with_input_shape(case, seed, steps, update):
    net, shape = case
    s0 = hh.random_patterns(1, shape, seed=seed)[0]
    r = net.recall(s0, steps, update=update, seed=seed)
    assert r.state.shape == shape
    assert np.issubdtype(r.state.dtype, np.integer)
    assert np.all((r.state == 1) | (r.state == -1))
    assert np.all((r.snapshots == 1) | (r.snapshots == -1))
    assert r.converged == net.is_fixed_point(r.state)


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
    for p in x:
        assert net.is_fixed_point(p)
        r = net.recall(p, 2 * n, update=update, seed=seed)
        np.testing.assert_array_equal(r.state, p)
        assert r.converged
        assert r.n_flips == 0
        np.testing.assert_allclose(r.energies, net.energy(p))
