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
    assert sorted(found) == ["explorer", "recall_explorer"]
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


# -- a valley is a memory: Hebb's rule ---------------------------------------------------------


def test_hebb_stores_a_pattern_and_its_reverse(lesson):
    assert lesson["x"].tolist() == [1, -1] and lesson["w_hebb"] == -1
    stable = lesson["memory"].is_fixed_point(lesson["states"])
    assert [tuple(s) for s in lesson["states"][stable].tolist()] == DISAGREE
    for x in ALL:  # every pattern: it and its reverse are the valleys, nothing else
        net = two_neurons(x[0] * x[1])
        valleys = {s for s in ALL if net.is_fixed_point(list(s))}
        assert valleys == {x, (-x[0], -x[1])}
    # The helper's Hebb rule divides by N = 2: half the weight, the same valleys.
    assert lesson["stored"].weights[0, 1] == -0.5 and lesson["same"] is True


# -- noise ----------------------------------------------------------------------------------


@pytest.mark.parametrize("noise", [0.05, 0.1, 0.2, 0.3])
def test_temperature_gives_the_noise_level(lesson, noise):
    T = lesson["temperature_for"](noise)
    assert np.isclose(1 / (1 + np.exp(2 / T)), noise)  # Glauber, against a field of +-1
    assert lesson["temperature_for"](0.0) == 0.0


def test_noise_check_numbers_in_the_prose(lesson):
    assert lesson["against"].size == 10_000 and lesson["against"].sum() == 2063
    assert (np.diff(lesson["noisy"].energies) > 0).sum() == 1656
    # Every update that raised the energy went against its input.
    raised = np.diff(lesson["noisy"].energies) > 0
    assert not (raised & ~lesson["against"]).any()


def test_ends_table_and_exercise_6(lesson):
    run = lesson["run"]
    for start in ALL:
        name = lesson["names"][ALL.index(start)]
        one = run(name, "async")
        assert tuple(one.state.tolist()) in AGREE and one.converged
        both = run(name, "sync")
        assert tuple(both.state.tolist()) == start  # 20 steps: a 2-cycle is back at its start
        assert both.converged == (start in AGREE)
    firsts = []
    for seed in range(10):
        shots = [tuple(s) for s in run("(+1, -1)", "sync", 0.1, seed).snapshots.tolist()]
        firsts.append(next(t for t, s in enumerate(shots) if s in AGREE))
    assert firsts == [2, 1, 2, 1, 9, 3, 19, 12, 1, 3]


# -- the recall explorer ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def recall_explorer(lesson):
    return explorers(lesson)["recall_explorer"]


def the_ball(ax):
    (ball,) = [ln for ln in ax.lines if ln.get_label() == "the state now"]
    return int(ball.get_xdata()[0]), int(ball.get_ydata()[0])


def shown(recall_explorer):
    (figure,) = recall_explorer.panels
    landscape, chart = figure.axes
    return landscape, chart


def test_recall_explorer_starts_at_a_hilltop(recall_explorer):
    assert recall_explorer.values == {"start": "(+1, -1)", "update": "async", "noise": 0.0,
                                      "seed": 0, "step": 20}
    landscape, chart = shown(recall_explorer)
    assert the_ball(landscape) == (-1, -1)
    assert landscape.get_title() == "one at a time, after 20 updates: E = \u22121"
    assert chart.get_title() == "energy, noise 0%"
    assert "update 1" in labels(landscape)


def test_recall_explorer_every_control_redraws(recall_explorer):
    start = recall_explorer.values
    moves = drive_every_control(recall_explorer)
    assert recall_explorer.values == start
    assert {name for name, _, _ in moves} == {"start", "update", "noise", "seed", "step"}
    for name in ("start", "update", "noise", "step"):
        pictures = [pngs[0] for control, _, pngs in moves if control == name]
        assert len(set(pictures)) > 1, f"{name}: no move changed the picture"


@pytest.mark.parametrize("start", ["(+1, +1)", "(+1, -1)", "(-1, +1)", "(-1, -1)"])
@pytest.mark.parametrize("update", ["async", "sync"])
def test_step_0_shows_the_start_and_the_chart_follows_the_step(recall_explorer, start, update):
    before = recall_explorer.values
    try:
        recall_explorer.set(start=start, update=update, noise=0.0, seed=0)
        recall_explorer.set(step=0)
        landscape, chart = shown(recall_explorer)
        corner = tuple(int(v) for v in start.strip("()").split(", "))
        assert the_ball(landscape) == corner and arrows(landscape) == []
        assert "after 0 " in landscape.get_title()
        marks = [ln for ln in chart.lines if list(ln.get_xdata()) == [0, 0]]
        assert len(marks) == 1  # the step's mark
        ticks = chart.get_xticks()
        assert np.array_equal(ticks, np.round(ticks))  # whole steps only
    finally:
        recall_explorer.set(**before)


@pytest.mark.parametrize("start", ["(+1, -1)", "(-1, +1)"])
def test_no_noise_async_from_a_hilltop_ends_in_a_valley(recall_explorer, start):
    before = recall_explorer.values
    try:
        for seed in (0, 5, 9):
            recall_explorer.set(start=start, update="async", noise=0.0, seed=seed)
            result = recall_explorer.result
            assert tuple(result.state.tolist()) in AGREE and result.converged
            assert np.all(np.diff(result.energies) <= 0)  # down or the same, never up
            landscape, _ = shown(recall_explorer)
            assert the_ball(landscape) == tuple(result.state.tolist())
            assert len(arrows(landscape)) == 1
    finally:
        recall_explorer.set(**before)


def test_no_noise_sync_from_a_hilltop_swaps_at_every_step(recall_explorer):
    before = recall_explorer.values
    try:
        recall_explorer.set(start="(+1, -1)", update="sync", noise=0.0)
        for step in range(4):
            recall_explorer.set(step=step)
            landscape, _ = shown(recall_explorer)
            assert the_ball(landscape) == ((1, -1) if step % 2 == 0 else (-1, 1))
        assert recall_explorer.result.energies.tolist() == [1.0] * 21
        assert len(arrows(landscape)) == 2 and "steps 1, 3" in labels(landscape)
    finally:
        recall_explorer.set(**before)


def test_noise_lifts_the_ball_over_the_hill(recall_explorer):
    before = recall_explorer.values
    try:
        crossed = 0
        for seed in range(10):
            recall_explorer.set(start="(+1, +1)", update="async", noise=0.3, seed=seed)
            result = recall_explorer.result
            crossed += (-1, -1) in [tuple(s) for s in result.snapshots.tolist()]
            assert np.any(np.diff(result.energies) > 0)  # uphill, only with noise
            assert recall_explorer.panels[0].axes[1].get_title() == "energy, noise 30%"
        assert crossed >= 5
    finally:
        recall_explorer.set(**before)


# -- plot_two_neuron_landscape with a step ---------------------------------------------------------


def test_landscape_step_draws_the_moves_so_far_and_the_ball():
    net = two_neurons(1)
    result = net.recall([1, -1], 20, update="sync")
    ax = hh.plot_two_neuron_landscape(net, path=result, step=0)
    assert the_ball(ax) == (1, -1) and arrows(ax) == []
    assert ax.get_title() == "both at once, after 0 steps: E = 1"
    ax = hh.plot_two_neuron_landscape(net, path=result, step=1)
    assert the_ball(ax) == (-1, 1) and labels(ax).count("step 1") == 1
    ax = hh.plot_two_neuron_landscape(net, path=result, step=20)
    # A move made ten times names its first two steps, its last, and how many.
    assert {"steps 1, 3, \u2026, 19 (10\u00d7)", "steps 2, 4, \u2026, 20 (10\u00d7)"} <= set(labels(ax))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["the state now", "both flip"]
    # With noise, a sync step can flip one neuron only: the legend says who flipped.
    noisy = net.recall([1, -1], 20, update="sync", seed=4, temperature=0.91)
    ax = hh.plot_two_neuron_landscape(net, path=noisy, step=20)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["the state now", "neuron 2 flips", "both flip"]


def test_landscape_step_is_checked():
    net = two_neurons(1)
    result = net.recall([1, -1], 4)
    with pytest.raises(ValueError, match="step needs a path"):
        hh.plot_two_neuron_landscape(net, step=2)
    with pytest.raises(ValueError, match="step must be between 0 and 4"):
        hh.plot_two_neuron_landscape(net, path=result, step=5)
    with pytest.raises(ValueError, match="step must be >= 0"):
        hh.plot_two_neuron_landscape(net, path=result, step=-1)
    with pytest.raises(TypeError, match="step must be a whole number"):
        hh.plot_two_neuron_landscape(net, path=result, step=1.5)
