"""Lesson 02 (letters on a 5x5 grid): what the lesson builds and shows, its two explorers
driven through every control, and the lesson's helpers (plot_votes, plot_patterns' before=,
the canvases of
its paint-and-heal section and its lab)."""

import numpy as np
import pytest

import hopfield_helpers as hh
from lessons import drive_every_control, explorers, run_lesson, stroke_from_page

NAMES = ["X", "O", "+"]
LETTERS = np.stack([hh.letter_pattern(c) for c in NAMES])


@pytest.fixture(scope="module")
def lesson():
    return run_lesson("02")


@pytest.fixture
def net():
    return hh.HopfieldNetwork(LETTERS)


# -- what the lesson computes and says ------------------------------------------------------


def test_hebb_rule_in_numpy_is_the_networks_weights(lesson):
    assert np.allclose(lesson["W"], lesson["net"].weights)
    assert lesson["votes"].dtype.kind == "i"  # whole numbers: 25 W
    assert np.array_equal(lesson["votes"], np.round(lesson["net"].weights * 25))
    assert lesson["net"].weights[0, 24] == pytest.approx(0.12)  # exercise 1


def test_x_and_o_vote_alike(lesson):
    assert hh.hamming_distance(lesson["x"], lesson["o"]) == 21
    assert lesson["same_vote"].sum() == 216 and lesson["same_vote"].size == 300


def test_the_numpy_loop_is_the_networks_recall(lesson):
    result, x = lesson["result"], lesson["x"]
    assert hh.hamming_distance(lesson["noisy"], x) == 7
    assert np.array_equal(lesson["s"].reshape(5, 5), result.state)
    assert np.array_equal(result.state, x) and result.converged
    assert result.flip_steps.tolist() == [4, 6, 11, 12, 15, 18, 25]


def test_energy_in_numpy_and_its_descent(lesson):
    energy, net, result, x = lesson["energy"], lesson["net"], lesson["result"], lesson["x"]
    for state in (lesson["noisy"], x, -x):
        assert energy(state) == pytest.approx(net.energy(state))
    assert np.all(np.diff(result.energies) <= 0)
    assert result.energies[0] == pytest.approx(-3.84)
    assert result.energies[-1] == pytest.approx(-17.76) == pytest.approx(energy(-x))
    assert net.is_fixed_point(-x)


def test_final_overlaps(lesson):
    assert np.allclose(lesson["m"], [1.0, -0.68, -0.28])
    assert np.allclose(lesson["m"], lesson["result"].overlaps[-1])


def test_noisy_recalls_are_each_a_recall_alone(lesson):
    net, x, levels, ends = lesson["net"], lesson["x"], lesson["levels"], lesson["ends"]
    assert ends.shape == (200, 21, 5, 5)
    for t, k in [(0, 4), (7, 10), (199, 13)]:
        alone = net.recall(hh.add_noise(x, levels[k], seed=t), 75, seed=t).state
        assert np.array_equal(ends[t, k], alone)


def test_noise_survival_counts(lesson):
    share, endings, ends, x = lesson["share"], lesson["endings"], lesson["ends"], lesson["x"]
    # The verdict's label agrees with exact comparison.
    assert np.array_equal(endings == "X", np.all(ends == x, axis=(2, 3)))
    assert np.array_equal(endings == "reversed X", np.all(ends == -x, axis=(2, 3)))
    assert np.allclose(sum(share.values()), 1)
    assert share["X"][0] == 1 and share["reversed X"][-1] == 1
    assert np.all(share["something else"] == 0)  # every recall ends at a memory
    assert share["X"][4] > 0.9  # 20% noise: more than 9 in 10
    assert 0.4 < share["X"][8] < 0.6  # 40%: a coin toss
    assert np.all(share["X"][14:] < 0.05)  # past 60%: almost never
    assert np.argmax(share["another letter"]) == 10  # most often near 50%
    assert share["another letter"][2] > 0 and share["another letter"][18] > 0


def test_reversed_o_is_where_missed_copies_go(lesson):
    x, o = lesson["x"], lesson["o"]
    assert hh.hamming_distance(x, -o) == 4
    n_wrong = dict(zip(lesson["wrong_ends"], lesson["n_wrong"]))
    assert max(n_wrong, key=n_wrong.get) == "reversed O"
    assert n_wrong["reversed O"] > sum(n_wrong.values()) / 2


def test_very_noisy_x_finds_reversed_x(lesson):
    assert np.array_equal(lesson["end"], -lesson["x"])


def test_sync_two_cycle_and_async_settling(lesson):
    async_run, sync_run, o, net4 = (lesson[k] for k in ("async_run", "sync_run", "o", "net4"))
    assert np.array_equal(async_run.state, o) and async_run.converged
    assert async_run.flip_steps.tolist() == [19] and async_run.flip_neurons.tolist() == [7]
    assert not sync_run.converged
    for t in range(10):
        assert hh.hamming_distance(sync_run.state_at(t), sync_run.state_at(t + 1)) == 2
        assert np.array_equal(sync_run.state_at(t), sync_run.state_at(t + 2))
    assert round(net4.weights[7, 17] * 25) == 4
    assert lesson["in_cue"][3, 2] == pytest.approx(2) and lesson["in_o"][3, 2] == pytest.approx(-6)


def test_async_ending_depends_on_the_order(lesson):
    n_orders = dict(zip(lesson["kinds"], lesson["n_orders"]))
    assert set(n_orders) == {"O", "reversed X"} and sum(n_orders.values()) == 300
    assert all(120 <= n <= 180 for n in n_orders.values())  # about half each


def test_sync_may_never_settle(lesson):
    noisy_recalls, o = lesson["noisy_recalls"], lesson["o"]
    for network, sync_always_settles in [(lesson["net"], True), (lesson["net4"], False)]:
        _, settled_async = noisy_recalls(network, o, [0.1], update="async", trials=60)
        _, settled_sync = noisy_recalls(network, o, [0.1], update="sync", trials=60)
        assert settled_async.all()
        assert settled_sync.all() == sync_always_settles


def test_store_and_test_and_the_memory_table(lesson):
    tests, order, o = lesson["tests"], lesson["order"], lesson["o"]
    fixed_counts = {count: int(fixed.sum()) for count, (fixed, _, _) in tests.items()}
    assert fixed_counts == {3: 3, 5: 5, 8: 4, 12: 4}
    for count, (fixed, settled, recalled) in tests.items():
        patterns = lesson["letters_for"](order[:count])
        network = hh.HopfieldNetwork(patterns)
        assert np.array_equal(fixed, network.is_fixed_point(patterns))
        # A letter is kept exactly when it settles into itself.
        assert np.array_equal(fixed, np.all(settled == patterns, axis=(1, 2)))
        assert np.all(recalled[~fixed] == 0) and np.all((0 <= recalled) & (recalled <= 1))
    assert np.array_equal(tests[8][1][order.index("C")], o)


def test_exercise_answers(lesson):
    store_and_test, letters_for, from_text = (lesson[k] for k in
                                              ("store_and_test", "letters_for", "from_text"))
    net, o, x = lesson["net"], lesson["o"], lesson["x"]
    assert all(net.is_fixed_point(-p) for p in lesson["letters"])
    five = letters_for(["X", "O", "+", "A", "C"])
    fixed, settled, _ = store_and_test(five)
    assert fixed.tolist() == [False, True, True, False, False]
    assert [hh.hamming_distance(s, p) for s, p in zip(settled, five)] == [2, 0, 0, 6, 5]
    assert np.array_equal(settled[4], o)
    assert store_and_test(letters_for(["X", "+", "A", "C"]))[0].all()
    k = from_text("#...#", "#..#.", "###..", "#..#.", "#...#")
    assert np.sum((k == 1) & (x == 1)) == 7
    assert store_and_test(np.concatenate([[k], lesson["letters"]]))[0].tolist() == \
        [False, False, False, True]


# -- the explorers, driven as a student would ---------------------------------------------------


def test_the_lesson_has_two_explorers(lesson):
    assert set(explorers(lesson)) == {"explorer", "lab"}


def test_letters_explorer_every_control(lesson):
    explorer = lesson["explorer"]
    start = explorer.values
    shown = drive_every_control(explorer)
    assert {name for name, _, _ in shown} == {"letter", "noise", "seed", "update", "step"}
    assert explorer.values == start
    # Back where it started, it shows the lesson's own recall.
    assert np.array_equal(explorer.result.state, lesson["result"].state)
    assert np.array_equal(explorer.result.initial_state, lesson["noisy"])


@pytest.mark.parametrize("update, last_step", [("async", 75), ("sync", 12)])
def test_letters_explorer_extremes(lesson, update, last_step):
    explorer = lesson["explorer"]
    start = explorer.values
    try:
        for name, clean in zip(NAMES, LETTERS):
            explorer.set(letter=name, update=update, noise=0.0)
            assert explorer.controls["step"].max == last_step
            cue, shown = explorer.panels[0][1], explorer.panels[1][1]
            assert np.array_equal(cue, clean) and np.array_equal(shown, clean)  # noise 0
            explorer.set(noise=1.0)
            assert np.array_equal(explorer.panels[0][1], -clean)  # noise 1: reversed
            assert np.array_equal(explorer.panels[1][1], -clean)  # ... which stays
            explorer.set(step=0)
            assert np.array_equal(explorer.panels[1][1], -clean)  # step 0 shows the cue
    finally:
        explorer.set(**start)


def test_step_slider_replays_without_recomputing(lesson):
    explorer = lesson["explorer"]
    start = explorer.values
    try:
        explorer.set(letter="X", noise=0.3, seed=4, update="async")
        result = explorer.result
        for step in (0, 5, 40, 75):
            explorer.controls["step"].value = step
            assert explorer.result is result
            assert np.array_equal(explorer.panels[1][1], result.state_at(step))
        assert np.array_equal(explorer.panels[0][1], result.initial_state)
    finally:
        explorer.set(**start)


def test_lab_every_control(lesson):
    lab = lesson["lab"]
    start = lab.values
    shown = dict(((name, value), pngs) for name, value, pngs in drive_every_control(lab))
    assert len(shown[("more_letters", 9)]) == 13 and len(shown[("more_letters", 0)]) == 4
    assert len(shown[("drawing", bytes([1]) * 25)]) == 4  # an all-ink drawing is tested too
    assert lab.values.keys() == start.keys()
    assert all(np.array_equal(lab.values[name], start[name]) for name in start)


def test_lab_shows_the_smiley_kept_with_x_o_plus(lesson):
    lab, smiley = lesson["lab"], lesson["smiley"]
    stored, patterns, (fixed, settled, recalled) = lab.result
    assert stored == ["yours", "X", "O", "+"] and fixed.all()
    assert np.array_equal(patterns[0], smiley)
    captions = [caption for caption, _ in lab.panels]
    assert captions[0].startswith("yours: recalled") and all("recalled" in c for c in captions)
    assert np.array_equal(lab.panels[0][1], smiley)


def test_lab_reruns_when_the_drawing_changes(lesson):
    lab, drawing, from_text = lesson["lab"], lesson["drawing"], lesson["from_text"]
    start = drawing.pattern
    try:
        k = from_text("#...#", "#..#.", "###..", "#..#.", "#...#")
        stroke_from_page(drawing, k)  # a K, painted in the page
        stored, _, (fixed, _, _) = lab.result
        assert fixed.tolist() == [False, False, False, True]  # exercise 4: K, X, O break
        assert lab.panels[1][0].startswith("X: ") and lab.panels[1][0].endswith("pixels change")
        assert np.array_equal(lab.result[1][0], k)
    finally:
        drawing.pattern = start
    assert np.array_equal(lab.result[1][0], lesson["smiley"])


# -- paint the damage, and watch it heal ------------------------------------------------------


def test_the_heal_canvas_starts_at_x_and_describes_it(lesson):
    heal, x = lesson["heal"], lesson["x"]
    assert np.array_equal(heal.pattern, x) and heal.widget.can_recall
    assert heal.readout_text == ("energy -17.76   overlaps: X +1.00, O -0.68, + -0.28\n"
                                 "a recall from here ends at: X")


def test_a_scribble_changes_the_readout_and_recall_heals_it(lesson, monkeypatch):
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    heal, x = lesson["heal"], lesson["x"]
    scribbled = x.copy()
    scribbled[0, 1:4] = 1  # a stroke across the top
    try:
        stroke_from_page(heal, scribbled)
        assert heal.readout_text.startswith("energy -9.76   overlaps: X +0.76, O -0.44, + -0.36")
        heal.widget._handle_custom_msg({"event": "recall"}, [])  # the page's recall button
        assert np.array_equal(heal.pattern, x)
        assert heal.readout_text.endswith("ends at: X")
    finally:
        heal.pattern = x


def test_rubbing_out_the_right_half_is_completed(lesson):
    """The Think! prompt: the left half of X alone recalls the whole X."""
    heal, x = lesson["heal"], lesson["x"]
    half = x.copy()
    half[:, 3:] = -1
    try:
        stroke_from_page(heal, half)
        assert heal.readout_text.endswith("ends at: X")
    finally:
        heal.pattern = x


# -- plot_votes ---------------------------------------------------------------------------------


def test_plot_votes_adds_up_to_the_weights(net):
    fig = hh.plot_votes(net, rows=0, cols=2, labels=NAMES)
    axes = [ax for ax in fig.axes if ax.images]  # W, three vote panels, the sum
    assert len(axes) == 5
    assert np.allclose(axes[0].images[0].get_array(), net.weights)
    total = axes[-1].images[0].get_array()
    assert np.allclose(np.ma.filled(total, 0), net.weights[0:5, 10:15] * 25)
    votes = [ax.images[0].get_array() for ax in axes[1:4]]
    assert np.allclose(sum(votes), total)
    assert [ax.get_title() for ax in axes[1:4]] == [f"{n} votes" for n in NAMES]


def test_plot_votes_masks_the_diagonal_of_a_row_with_itself(net):
    fig = hh.plot_votes(net)
    total = [ax for ax in fig.axes if ax.images][-1].images[0].get_array()
    assert total.mask[np.diag_indices(5)].all() and not total.mask[0, 1]
    assert [ax.get_title() for ax in fig.axes if ax.images][1] == "pattern 0 votes"


def test_plot_votes_leaves_the_network_alone(net):
    before = net.patterns.copy()
    hh.plot_votes(net, labels=NAMES)
    assert np.array_equal(net.patterns, before)


@pytest.mark.parametrize("kwargs, error", [
    ({"rows": 5}, ValueError), ({"cols": -1}, ValueError), ({"rows": 1.5}, TypeError),
    ({"labels": ["X"]}, ValueError), ({"labels": "XO+"}, ValueError)])
def test_plot_votes_rejects_bad_arguments(net, kwargs, error):
    with pytest.raises(error):
        hh.plot_votes(net, **kwargs)


def test_plot_votes_needs_a_small_hebbian_network_of_pictures():
    with pytest.raises(TypeError, match="network"):
        hh.plot_votes(np.eye(25))
    with pytest.raises(ValueError, match="Hebbian"):
        hh.plot_votes(hh.HopfieldNetwork(LETTERS, rule="storkey"))
    with pytest.raises(ValueError, match="2-D"):
        hh.plot_votes(hh.HopfieldNetwork(hh.random_patterns(2, 25, seed=0)))
    with pytest.raises(ValueError, match="6"):
        hh.plot_votes(hh.HopfieldNetwork(hh.random_patterns(7, (5, 5), seed=0)))


# -- plot_patterns(before=...): the pixels that changed, outlined --------------------------------


def _outlined(ax):
    """How many pixels are outlined on ``ax`` (one square each)."""
    from matplotlib.collections import PatchCollection

    return sum(len(c.get_paths()) for c in ax.collections if isinstance(c, PatchCollection))


def test_plot_patterns_outlines_each_change_against_the_state_before(net):
    result = net.recall(hh.add_noise(LETTERS[0], 0.2, seed=0), 75, seed=0)
    steps = [0, *np.unique(result.flip_steps)]
    frames = [result.state_at(t) for t in steps]
    fig = hh.plot_patterns(frames, titles=[str(t) for t in steps], before="previous")
    axes = [ax for ax in fig.axes if ax.images]
    assert len(axes) == len(steps)
    assert _outlined(axes[0]) == 0  # the start: nothing to compare with
    assert all(_outlined(ax) == 1 for ax in axes[1:])  # async: one pixel per change
    assert np.array_equal(axes[-1].images[0].get_array(), result.state)


def test_plot_patterns_outlines_changes_against_given_states():
    before = LETTERS.copy()
    states = LETTERS.copy()
    states[0, 0, :3] *= -1  # three pixels of X changed
    states_copy = states.copy()
    fig = hh.plot_patterns(states, before=before, titles=NAMES, ncols=2, suptitle="t")
    axes = [ax for ax in fig.axes if ax.images]
    assert [_outlined(ax) for ax in axes] == [3, 0, 0]
    assert [ax.get_title() for ax in axes] == NAMES
    assert np.array_equal(states, states_copy) and np.array_equal(before, LETTERS)


@pytest.mark.parametrize("states, kwargs, error", [
    ("X", {}, TypeError), (3, {}, TypeError), ([], {}, ValueError),
    (LETTERS, {"before": "next"}, ValueError), ([np.ones((5, 5)), np.ones((4, 4))], {}, ValueError),
    ([np.full((5, 5), 2)], {}, ValueError),
    (LETTERS, {"before": LETTERS[:2]}, ValueError), (LETTERS, {"titles": ["X"]}, ValueError)])
def test_plot_patterns_before_rejects_bad_arguments(states, kwargs, error):
    with pytest.raises(error):
        hh.plot_patterns(states, **{"before": "previous", **kwargs})
