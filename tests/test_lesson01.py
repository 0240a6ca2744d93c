"""Lesson 01 (two neurons, one weight, the energy): what the lesson computes and shows,
its explorer driven through every control, and the lesson's two plot helpers."""

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

import hopfield_helpers as hh
from lessons import drive_every_control, explorers, run_lesson

AGREE = [(1, 1), (-1, -1)]
DISAGREE = [(1, -1), (-1, 1)]
ALL = [(1, 1), (1, -1), (-1, 1), (-1, -1)]


def two_neurons(w, bias=0.0):
    return hh.HopfieldNetwork.from_weights([[0, w], [w, 0]], bias=bias)


@pytest.fixture(scope="module")
def lesson():
    return run_lesson("01")


# -- what drawn axes hold -----------------------------------------------------------------


def stars(ax):
    """The corners drawn as stable (stars), as (s1, s2) tuples."""
    return sorted((int(ln.get_xdata()[0]), int(ln.get_ydata()[0])) for ln in ax.lines
                  if ln.get_marker() == "*" and len(ln.get_xdata()))


def circles(ax):
    return [ln for ln in ax.lines if ln.get_marker() == "o" and len(ln.get_xdata())]


def arrows(ax):
    return [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]


def labels(ax):
    return [t.get_text() for t in ax.texts if getattr(t, "arrow_patch", None) is None]


def real_moves(w, bias=0.0):
    """(start, end) of every move one update of one neuron makes, by brute force: every
    seed's one-step recall from every state."""
    net = two_neurons(w, bias)
    moves = set()
    for start in ALL:
        for seed in range(16):
            end = tuple(net.recall(list(start), 1, update="async", seed=seed).state.tolist())
            if end != start:
                moves.add((start, end))
    return moves


# -- the lesson's numbers ------------------------------------------------------------------


def test_the_network_and_the_four_states(lesson):
    assert np.array_equal(lesson["net"].weights, [[0, 1], [1, 0]])
    assert [tuple(s) for s in lesson["states"].tolist()] == ALL
    assert list(lesson["names"]) == ["(+1, +1)", "(+1, -1)", "(-1, +1)", "(-1, -1)"]


def test_energies_by_numpy_by_hand_and_by_the_network_agree(lesson):
    net, states = lesson["net"], lesson["states"]
    assert lesson["energies"].tolist() == [-1, 1, 1, -1]
    assert np.array_equal(net.energy(states), lesson["energies"])
    s = lesson["s"]
    assert -0.5 * s @ net.weights @ s == 1.0


def test_bias_energies(lesson):
    assert lesson["with_bias"].tolist() == [-2, 1, 1, 0]
    assert np.array_equal(lesson["net_biased"].energy(lesson["states"]), lesson["with_bias"])
    assert np.array_equal(lesson["net_biased"].bias, [0.5, 0.5])


def test_fields_and_stable_states(lesson):
    net, states = lesson["net"], lesson["states"]
    assert lesson["h"].tolist() == [[1, 1], [-1, 1], [1, -1], [-1, -1]]
    assert np.array_equal(lesson["h"], net.field(states))
    assert lesson["stable"].tolist() == [True, False, False, True]
    assert np.array_equal(lesson["stable"], net.is_fixed_point(states))


@pytest.mark.parametrize("w, bias, expected", [
    (-2, 0, DISAGREE), (-1, 0, DISAGREE), (0, 0, ALL), (1, 0, AGREE), (2, 0, AGREE),
    (0, -2, [(-1, -1)]), (0, 2, [(1, 1)]),
    (0, 0.5, [(1, 1)]), (1, 0.5, AGREE), (1, 1, AGREE),  # (-1, -1) at bias 1: a tie, kept
    (1, 1.5, [(1, 1)]), (-1, 0.5, DISAGREE), (-1, 1.5, [(1, 1)]),
])
def test_stable_states_the_lesson_tabulates(lesson, w, bias, expected):
    states, names = lesson["states"], lesson["names"]
    stable = lesson["two_neurons"](w, bias).is_fixed_point(states)
    assert [tuple(s) for s in states[stable].tolist()] == expected
    # The lesson's own rule, s_i h_i >= 0 for both neurons, says the same.
    net = lesson["two_neurons"](w, bias)
    h = states @ net.weights + net.bias
    assert np.array_equal((states * h >= 0).all(axis=1), stable)
    assert len(names[stable]) == len(expected)


def test_every_move_rolls_downhill_by_two_field():
    rng = np.random.default_rng(0)
    for w, b in np.vstack([rng.uniform(-2, 2, size=(20, 2)), [[1, 1], [0, 0]]]):
        net = two_neurons(w, b)
        for start, end in real_moves(w, b):
            i = int(np.flatnonzero(np.array(start) != np.array(end))[0])  # one neuron moves
            assert np.sum(np.array(start) != np.array(end)) == 1
            h = net.field(list(start))[i]
            assert np.isclose(net.energy(list(end)), net.energy(list(start)) - 2 * abs(h))


def test_sync_two_cycle(lesson):
    sync = lesson["sync"]
    assert [tuple(s) for s in sync.snapshots.tolist()] == [(1, -1), (-1, 1)] * 3 + [(1, -1)]
    assert sync.energies.tolist() == [1.0] * 7
    assert sync.converged is False


def test_async_settles_in_a_valley(lesson):
    one = lesson["one"]
    assert [tuple(s) for s in one.snapshots.tolist()] == [(1, -1)] + [(-1, -1)] * 4
    assert one.energies.tolist() == [1.0, -1.0, -1.0, -1.0, -1.0]
    assert one.converged is True


def test_which_valley_follows_which_neuron_goes_first(lesson):
    net = lesson["net"]
    ends = set()
    for seed in range(6):
        first = int(net.visit_order(1, seed=seed)[0])
        end = tuple(net.recall([1, -1], steps=4, update="async", seed=seed).state.tolist())
        assert end == ((-1, -1) if first == 0 else (1, 1))
        ends.add(end)
    assert ends == set(AGREE)  # the prose shows both valleys among seeds 0-5


def test_exercise_answers(lesson):
    two, states = lesson["two_neurons"], lesson["states"]
    # 1. w = -1: the two "disagree" states.
    assert list(lesson["names"][two(-1).is_fixed_point(states)]) == ["(+1, -1)", "(-1, +1)"]
    # 2. w = +1: (-1, -1) stays stable up to bias 1 (a tie at exactly 1), not beyond.
    assert two(1, 1.0).is_fixed_point([-1, -1]) is True
    assert two(1, 1.1).is_fixed_point([-1, -1]) is False
    # 3. w = -1 from (+1, +1): sync flips forever, async settles in a "disagree" state.
    sync = two(-1).recall([1, 1], steps=4, update="sync")
    assert [tuple(s) for s in sync.snapshots.tolist()] == [(1, 1), (-1, -1)] * 2 + [(1, 1)]
    assert not sync.converged and sync.energies.tolist() == [1.0] * 5
    ends = {tuple(two(-1).recall([1, 1], steps=4, update="async", seed=s).state.tolist())
            for s in range(10)}
    assert ends == set(DISAGREE)
    # 4. one flip changes E by -2|h|: see test_every_move_rolls_downhill_by_two_field.


# -- the explorer ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer(lesson):
    found = explorers(lesson)
    assert list(found) == ["explorer"]
    return found["explorer"]


def shown_axes(explorer):
    (figure,) = explorer.panels
    return figure.axes[0]


def test_explorer_starts_at_the_lesson_network(explorer):
    assert explorer.values == {"weight": 1.0, "bias": 0.0}
    ax = shown_axes(explorer)
    assert stars(ax) == sorted(AGREE)
    assert len(arrows(ax)) == 4
    assert ax.get_title() == "w = 1, bias = 0"


def test_explorer_every_control_redraws(explorer):
    start = explorer.values
    shown = drive_every_control(explorer)
    assert explorer.values == start
    for name in ("weight", "bias"):
        pictures = [pngs[0] for control, _, pngs in shown if control == name]
        assert len(set(pictures)) == len(pictures), f"{name}: a move left the picture as it was"


@pytest.mark.parametrize("values, expected_stars, n_arrows", [
    ({"weight": -2.0, "bias": 0.0}, DISAGREE, 4),
    ({"weight": 2.0, "bias": 0.0}, AGREE, 4),
    ({"weight": 0.0, "bias": 0.0}, ALL, 0),            # flat: nothing moves
    ({"weight": 0.0, "bias": 2.0}, [(1, 1)], 4),
    ({"weight": 0.0, "bias": -2.0}, [(-1, -1)], 4),
    ({"weight": 1.0, "bias": 1.0}, AGREE, 2),          # (-1, -1) is a tie: it stays
    ({"weight": 1.0, "bias": 1.1}, [(1, 1)], 4),
    ({"weight": 2.0, "bias": 2.0}, AGREE, 2),
])
def test_explorer_draws_the_stable_corners_and_the_moves(explorer, values, expected_stars,
                                                         n_arrows):
    start = explorer.values
    try:
        explorer.set(**values)
        ax = shown_axes(explorer)
        assert stars(ax) == sorted(expected_stars)
        assert len(circles(ax)) == 4 - len(expected_stars)
        assert len(arrows(ax)) == n_arrows == len(real_moves(values["weight"], values["bias"]))
        energies = two_neurons(values["weight"], values["bias"]).energy(np.array(ALL))
        for (s1, s2), energy in zip(ALL, energies):
            assert any(f"E = {energy + 0.0:g}".replace("-", "\u2212") in text
                       and f"({s1:+d}, {s2:+d})".replace("-", "\u2212") in text
                       for text in labels(ax))
    finally:
        explorer.set(**start)


def test_explorer_reads_slider_values_on_their_grid(explorer):
    # A slider can hand over 0.30000000000000004 for 0.3: the tie at w = b must survive it.
    start = explorer.values
    try:
        explorer.set(weight=0.3, bias=0.1 + 0.2)
        assert explorer.controls["bias"].value != 0.3  # really off the grid
        ax = shown_axes(explorer)
        assert stars(ax) == sorted(AGREE)
        assert ax.get_title() == "w = 0.3, bias = 0.3"
    finally:
        explorer.set(**start)


# -- the lesson's plot helpers ---------------------------------------------------------------


def test_helpers_are_public_and_say_where_they_are_used():
    for name in ("plot_four_states", "plot_two_neuron_landscape"):
        assert name in hh.__all__
        assert "Used in lesson 01." in getattr(hh, name).__doc__


def test_four_states_write_the_numbers_and_mark_stable():
    ax = hh.plot_four_states(two_neurons(1))
    assert sorted(labels(ax)) == sorted(["E = \u22121\nstable", "E = 1", "E = 1",
                                         "E = \u22121\nstable"])
    assert len(ax.patches) == 4
    assert ax.get_title() == "w = 1, bias = 0"
    ax = hh.plot_four_states(two_neurons(0, 0.5), title="x")
    assert sorted(labels(ax)) == sorted(["E = \u22121\nstable", "E = 0", "E = 0", "E = 1"])
    assert ax.get_title() == "x"


def test_four_states_on_given_axes_with_a_bias_per_neuron():
    fig, ax = plt.subplots()
    net = hh.HopfieldNetwork.from_weights([[0, -1], [-1, 0]], bias=[0.5, -0.25])
    assert hh.plot_four_states(net, ax=ax) is ax
    assert len(fig.axes) == 1
    assert ax.get_title() == "w = \u22121, bias = (0.5, \u22120.25)"


@pytest.mark.parametrize("w, bias", [(1, 0), (-1, 0.5), (0, 0), (0, 0.5), (1, 1.5), (1, 1),
                                     (-0.7, -0.2)])
def test_landscape_arrows_are_the_real_moves(w, bias):
    net = two_neurons(w, bias)
    ax = hh.plot_two_neuron_landscape(net)
    drawn = {(tuple(a.xyann), tuple(a.xy)) for a in arrows(ax)}
    assert drawn == real_moves(w, bias)
    stable = [s for s in ALL if net.is_fixed_point(list(s))]
    assert stars(ax) == sorted(stable)
    assert sum("stable" in text for text in labels(ax)) == len(stable)
    assert len(ax.collections) >= 1  # the energy between the corners


def test_landscape_without_arrows():
    ax = hh.plot_two_neuron_landscape(two_neurons(1), arrows=False)
    assert arrows(ax) == [] and ax.get_legend() is None
    assert stars(ax) == sorted(AGREE)


def test_recall_path_labels_the_steps():
    net = two_neurons(1)
    ax = hh.plot_two_neuron_landscape(net, path=net.recall([1, -1], 6, update="sync"))
    assert len(arrows(ax)) == 2
    assert {"steps 1, 3, 5", "steps 2, 4, 6"} <= set(labels(ax))
    assert ax.get_title() == "both at once: 6 steps, still flipping"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["both at once"]
    ax = hh.plot_two_neuron_landscape(net, path=net.recall([1, -1], 4, seed=0))
    assert len(arrows(ax)) == 1 and "update 1" in labels(ax)
    assert ax.get_title() == "one at a time: 4 updates, settled"
    assert any(t.startswith("start\n(+1, \u22121)") for t in labels(ax))
    # A recall that never moves draws no arrow and no legend.
    ax = hh.plot_two_neuron_landscape(net, path=net.recall([1, 1], 1, seed=0), title="t")
    assert arrows(ax) == [] and ax.get_legend() is None and ax.get_title() == "t"


def test_helpers_leave_their_inputs_alone():
    net = two_neurons(0.5, bias=[0.25, -1.0])
    result = net.recall([1, -1], 3, update="sync")
    before = (net.weights, net.bias, result.initial_state.copy(), result.energies.copy(),
              result.flip_neurons.copy())
    hh.plot_four_states(net)
    hh.plot_two_neuron_landscape(net, path=result)
    after = (net.weights, net.bias, result.initial_state, result.energies, result.flip_neurons)
    for a, b in zip(before, after):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("plot", [hh.plot_four_states, hh.plot_two_neuron_landscape])
def test_bad_network_is_refused(plot):
    with pytest.raises(TypeError, match="network must be a HopfieldNetwork"):
        plot([[0, 1], [1, 0]])
    with pytest.raises(ValueError, match="network must have two neurons"):
        plot(hh.HopfieldNetwork.from_weights(np.zeros((3, 3))))


def test_bad_path_is_refused():
    net = two_neurons(1)
    with pytest.raises(TypeError, match="result must be a RecallResult"):
        hh.plot_two_neuron_landscape(net, path=[[1, -1], [-1, -1]])
    stack = net.recall([[1, -1], [1, 1]], 2)
    with pytest.raises(ValueError, match="path must be a recall of one two-neuron state"):
        hh.plot_two_neuron_landscape(net, path=stack)


def test_module_still_imports_without_matplotlib():
    code = "import hopfield_helpers, sys; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
