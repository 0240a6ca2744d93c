"""Tests for the lesson-01 helpers (two neurons, one weight, the energy)."""

import subprocess
import sys
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

import hopfield_helpers as hh

AGREE = [(1, 1), (-1, -1)]
DISAGREE = [(1, -1), (-1, 1)]
ALL = [(1, 1), (1, -1), (-1, 1), (-1, -1)]


# -- the numbers ---------------------------------------------------------------------


def test_states_fixed_order_and_fresh_copy():
    states = hh.two_neuron_states()
    assert states.dtype == np.int8 and states.shape == (4, 2)
    assert [tuple(s) for s in states.tolist()] == ALL
    states[0] = -1
    assert hh.two_neuron_states()[0].tolist() == [1, 1]


def test_network_is_the_two_neuron_from_weights():
    net = hh.two_neuron_network(0.5, bias=[0.25, -1.0])
    assert np.array_equal(net.weights, [[0, 0.5], [0.5, 0]])
    assert np.array_equal(net.bias, [0.25, -1.0])
    assert net.n_neurons == 2 and net.n_patterns == 0


@pytest.mark.parametrize("w, bias, expected", [
    (1, 0, [-1, 1, 1, -1]),
    (-1, 0, [1, -1, -1, 1]),
    (0, 0, [0, 0, 0, 0]),
    (1, 0.5, [-2, 1, 1, 0]),
    (0, 0.5, [-1, 0, 0, 1]),
])
def test_energies_known_values(w, bias, expected):
    assert np.array_equal(hh.two_neuron_energies(w, bias), expected)


def test_energies_follow_the_formula_and_have_no_negative_zero():
    rng = np.random.default_rng(3)
    states = hh.two_neuron_states().astype(float)
    for w, b1, b2 in rng.uniform(-2, 2, size=(20, 3)):
        expected = -w * states[:, 0] * states[:, 1] - b1 * states[:, 0] - b2 * states[:, 1]
        assert np.allclose(hh.two_neuron_energies(w, [b1, b2]), expected)
    assert not np.any(np.signbit(hh.two_neuron_energies(0, 0)))
    assert not np.any(np.signbit(hh.two_neuron_energies(1, 0)[[1, 2]]))


def test_energy_is_minus_half_sWs_minus_bias_dot_s():
    w, b = 0.7, 0.3
    net = hh.two_neuron_network(w, b)
    W = net.weights
    for s in hh.two_neuron_states():
        s = s.astype(float)
        assert np.isclose(-0.5 * s @ W @ s - b * s.sum(), net.energy(s))


@pytest.mark.parametrize("w, bias, expected", [
    (1, 0, AGREE),
    (2, 0, AGREE),
    (-1, 0, DISAGREE),
    (0, 0, ALL),              # nothing pushes: every state stays
    (0, 0.5, [(1, 1)]),
    (0, -0.5, [(-1, -1)]),
    (1, 0.5, AGREE),
    (1, 1, AGREE),            # (-1, -1) has field exactly 0: it keeps its state
    (1, 1.5, [(1, 1)]),
    (-1, 0.5, DISAGREE),
    (-1, 1.5, [(1, 1)]),
])
def test_stable_states(w, bias, expected):
    assert hh.two_neuron_stable_states(w, bias) == expected
    net = hh.two_neuron_network(w, bias)
    fixed = [tuple(s) for s in hh.two_neuron_states().tolist() if net.is_fixed_point(s)]
    assert fixed == expected


def test_moves_agree_with_one_async_step_of_recall():
    for w, bias in [(1, 0), (-1, 0.5), (0.5, -1.0), (0, 0), (1, 1)]:
        net = hh.two_neuron_network(w, bias)
        moves = hh.two_neuron_moves(w, bias)
        for k, start in enumerate(hh.two_neuron_states()):
            reached = {tuple(net.recall(start, 1, update="async", seed=seed).state.tolist())
                       for seed in range(12)}
            assert reached == {tuple(m) for m in moves[k].tolist()}


def test_moves_change_one_neuron_and_roll_downhill():
    rng = np.random.default_rng(0)
    states = hh.two_neuron_states()
    for w, b in np.vstack([rng.uniform(-2, 2, size=(30, 2)), [[1, 1], [0, 0]]]):
        moves = hh.two_neuron_moves(w, b)
        energies = hh.two_neuron_energies(w, b)
        net = hh.two_neuron_network(w, b)
        for k, start in enumerate(states):
            h = net.field(start)
            for i in range(2):
                end = moves[k, i]
                assert np.array_equal(np.delete(end, i), np.delete(start, i))
                if end[i] != start[i]:
                    # A flip lowers the energy by exactly 2|h_i|.
                    assert np.isclose(net.energy(end), energies[k] - 2 * abs(h[i]))
                    assert net.energy(end) < energies[k]


def test_sync_trap_and_async_settles():
    net = hh.two_neuron_network(1)
    sync = net.recall([1, -1], 6, update="sync")
    assert [tuple(s) for s in sync.snapshots.tolist()] == [(1, -1), (-1, 1)] * 3 + [(1, -1)]
    assert not sync.converged
    assert np.array_equal(sync.energies, np.ones(7))
    for seed in range(10):
        result = net.recall([1, -1], 4, update="async", seed=seed)
        assert result.converged and tuple(result.state.tolist()) in AGREE
        assert result.energies[-1] == -1


def test_exercise_answers():
    # 1. w = -1: two stable states, the two "disagree" states.
    assert hh.two_neuron_stable_states(-1) == DISAGREE
    # 2. w = +1: (-1, -1) stays stable up to bias 1 (a tie at exactly 1), not beyond.
    assert (-1, -1) in hh.two_neuron_stable_states(1, 1.0)
    assert (-1, -1) not in hh.two_neuron_stable_states(1, 1.1)
    assert (-1, -1) in hh.two_neuron_stable_states(2, 2.0)
    assert (-1, -1) not in hh.two_neuron_stable_states(2, 2.1)
    # 3. w = -1 from (+1, +1): sync flips forever, async settles in a disagree state.
    net = hh.two_neuron_network(-1)
    sync = net.recall([1, 1], 4, update="sync")
    assert [tuple(s) for s in sync.snapshots.tolist()] == [(1, 1), (-1, -1)] * 2 + [(1, 1)]
    assert not sync.converged
    ends = {tuple(net.recall([1, 1], 4, update="async", seed=s).state.tolist())
            for s in range(10)}
    assert ends == set(DISAGREE)


# -- validation ------------------------------------------------------------------------


@pytest.mark.parametrize("bad, error", [("1", TypeError), (True, TypeError), (None, TypeError),
                                        (float("nan"), ValueError), (np.inf, ValueError)])
def test_bad_weight_is_refused(bad, error):
    with pytest.raises(error, match="w must"):
        hh.two_neuron_energies(bad)
    with pytest.raises(error, match="w must"):
        hh.plot_update_arrows(bad)


def test_bad_bias_is_refused():
    with pytest.raises(ValueError, match="bias"):
        hh.two_neuron_energies(1, bias=[1, 2, 3])
    with pytest.raises(TypeError, match="bias"):
        hh.two_neuron_stable_states(1, bias="a lot")


def test_bad_plot_arguments_are_refused():
    net = hh.two_neuron_network(1)
    with pytest.raises(TypeError, match="result"):
        hh.plot_two_neuron_recall([1, -1], 1)
    three = hh.HopfieldNetwork.from_weights(np.zeros((3, 3))).recall([1, 1, 1], 1)
    with pytest.raises(ValueError, match="two neurons"):
        hh.plot_two_neuron_recall(three, 1)
    with pytest.raises(ValueError, match="3-D"):
        hh.plot_energy_surface(1, ax=plt.subplots()[1])
    with pytest.raises(ValueError, match="vmax"):
        hh.plot_two_neuron_energies(1, vmax=-1)
    assert net.recall([1, -1], 1).state.shape == (2,)


# -- pictures ----------------------------------------------------------------------------


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_energy_squares_write_the_numbers_and_mark_stable():
    ax = hh.plot_two_neuron_energies(1)
    assert sorted(_texts(ax)) == sorted(["E = -1\nstable", "E = 1", "E = 1", "E = -1\nstable"])
    assert len(ax.patches) == 4
    assert ax.get_title() == "w = 1, bias = 0"
    ax = hh.plot_two_neuron_energies(0, 0.5, title="x")
    assert sorted(_texts(ax)) == sorted(["E = -1\nstable", "E = 0", "E = 0", "E = 1"])


def test_landscape_marks_the_stable_corners():
    for w, bias, n_stable in [(1, 0, 2), (0, 0, 4), (1, 1.5, 1)]:
        ax = hh.plot_energy_landscape(w, bias)
        stars = [ln for ln in ax.lines if ln.get_marker() == "*" and len(ln.get_xdata())]
        circles = [ln for ln in ax.lines if ln.get_marker() == "o" and len(ln.get_xdata())]
        assert (len(stars), len(circles)) == (n_stable, 4 - n_stable)
        assert ax.get_xlabel() and ax.get_ylabel()


def test_landscape_without_colorbar_in_given_axes():
    fig, ax = plt.subplots()
    assert hh.plot_energy_landscape(-1, 0.3, ax=ax, colorbar=False, vmax=3) is ax
    assert len(fig.axes) == 1


def test_surface_has_the_four_corners():
    ax = hh.plot_energy_surface(1, 0.5)
    assert ax.name == "3d" and len(ax.collections) == 5  # the surface and four corners


def _arrows(ax):
    return [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]


@pytest.mark.parametrize("w, bias, n_arrows", [(1, 0, 4), (-1, 0.5, 4), (0, 0, 0),
                                                (0, 0.5, 4), (1, 1.5, 4), (1, 1, 2)])
def test_update_arrows_one_per_real_move(w, bias, n_arrows):
    moves = hh.two_neuron_moves(w, bias)
    changes = int(sum((moves[k, i] != hh.two_neuron_states()[k]).any()
                      for k in range(4) for i in range(2)))
    assert changes == n_arrows
    ax = hh.plot_update_arrows(w, bias)
    assert len(_arrows(ax)) == n_arrows
    assert sum("stable" in t for t in _texts(ax)) == len(hh.two_neuron_stable_states(w, bias))


def test_recall_path_labels_the_steps():
    net = hh.two_neuron_network(1)
    ax = hh.plot_two_neuron_recall(net.recall([1, -1], 6, update="sync"), 1)
    assert len(_arrows(ax)) == 2
    assert {"steps 1, 3, 5", "steps 2, 4, 6"} <= set(_texts(ax))
    assert ax.get_title() == "both at once: 6 steps, still flipping"
    ax = hh.plot_two_neuron_recall(net.recall([1, -1], 4, update="async", seed=0), 1)
    assert len(_arrows(ax)) == 1 and "update 1" in _texts(ax)
    assert ax.get_title() == "one at a time: 4 updates, settled"
    assert any(t.startswith("start\n(+1, -1)") for t in _texts(ax))


# -- the explorer ------------------------------------------------------------------------


def test_explorer_returns_what_it_shows_at_the_extremes():
    explorer = hh.two_neuron_explorer()
    assert explorer.state()["stable"] == AGREE
    first = bytes(explorer.image.value)
    assert first.startswith(b"\x89PNG")
    out = explorer.explore(w=-2)
    assert out["stable"] == DISAGREE and np.array_equal(out["energies"], [2, -2, -2, 2])
    assert bytes(explorer.image.value) != first
    assert explorer.explore(w=2, bias=2)["stable"] == AGREE  # (-1, -1) is a tie at bias 2
    assert explorer.explore(w=2, bias=-2)["stable"] == AGREE
    assert explorer.explore(w=0, bias=2)["stable"] == [(1, 1)]
    assert explorer.explore(w=0, bias=-2)["stable"] == [(-1, -1)]
    assert explorer.explore(w=0, bias=0)["stable"] == ALL
    # Values past the ends are clipped like a slider.
    assert explorer.explore(w=5)["energies"].tolist() == [-2, 2, 2, -2]
    assert explorer.weight.value == 2


def test_explorer_slider_move_redraws_quickly():
    explorer = hh.two_neuron_explorer()
    times = []
    for w in np.linspace(-2, 2, 9):
        before = bytes(explorer.image.value)
        start = time.perf_counter()
        explorer.weight.value = float(w) if w != explorer.weight.value else float(w) + 0.1
        times.append(time.perf_counter() - start)
        assert bytes(explorer.image.value) != before
    assert np.median(times) < 0.5


def test_explorer_rounds_to_the_slider_grid():
    explorer = hh.two_neuron_explorer(w=0.3, bias=0.0)
    explorer.bias.value = 0.1 + 0.2  # 0.30000000000000004
    assert explorer.state()["stable"] == AGREE
    assert explorer.state()["energies"].tolist() == pytest.approx([-0.9, 0.3, 0.3, 0.3])


@pytest.mark.parametrize("kwargs, error", [
    ({"w": 3}, ValueError), ({"bias": "x"}, TypeError), ({"w_range": 2}, TypeError),
    ({"bias_range": (1, -1)}, ValueError), ({"step": 0}, ValueError),
])
def test_explorer_bad_arguments(kwargs, error):
    with pytest.raises(error):
        hh.two_neuron_explorer(**kwargs)


def test_module_still_imports_without_matplotlib():
    code = "import hopfield_helpers, sys; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
