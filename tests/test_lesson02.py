"""Tests for the Lesson 02 (letters) helpers in hopfield_helpers.py."""

import time

import numpy as np
import pytest

import hopfield_helpers as hh

NAMES = ["X", "O", "+"]


@pytest.fixture
def net():
    return hh.HopfieldNetwork(hh.letter_patterns(NAMES))


# -- patterns -----------------------------------------------------------------------------


def test_letter_patterns_stacks_letters():
    stack = hh.letter_patterns(NAMES)
    assert stack.shape == (3, 5, 5) and stack.dtype == np.int8
    for name, pattern in zip(NAMES, stack):
        assert np.array_equal(pattern, hh.letter_pattern(name))
    assert np.array_equal(hh.letter_patterns("XO+"), stack)
    assert hh.letter_patterns(["[]"]).shape == (1, 5, 5)


@pytest.mark.parametrize("bad, error", [([], ValueError), (["Q"], ValueError), (3, TypeError),
                                        ([1, 2], TypeError)])
def test_letter_patterns_rejects_bad_input(bad, error):
    with pytest.raises(error):
        hh.letter_patterns(bad)


def test_pattern_from_text():
    k = hh.pattern_from_text(["#...#", "#..#.", "###..", "#..#.", "#...#"])
    assert k.shape == (5, 5) and k.dtype == np.int8
    assert k[0].tolist() == [1, -1, -1, -1, 1]
    assert np.array_equal(hh.pattern_from_text(hh._LETTERS["X"]), hh.letter_pattern("X"))
    assert hh.pattern_from_text(["xo"], ink="x").tolist() == [[1, -1]]


@pytest.mark.parametrize("rows, kwargs, error", [
    ("#..", {}, TypeError), ([], {}, ValueError), (["#.", "#"], {}, ValueError),
    ([1, 2], {}, TypeError), (["#."], {"ink": "##"}, ValueError)])
def test_pattern_from_text_rejects_bad_input(rows, kwargs, error):
    with pytest.raises(error):
        hh.pattern_from_text(rows, **kwargs)


# -- success rate -------------------------------------------------------------------------


@pytest.mark.parametrize("update, steps", [("async", 75), ("sync", 12)])
def test_success_rate_is_exactly_a_loop_of_recalls(net, update, steps):
    x = hh.letter_pattern("X")
    levels = [0.1, 0.35, 0.5, 0.7]
    trials = 25
    rates = hh.recall_success_rate(net, x, levels, trials=trials, update=update, seed=3)
    seeds = hh._trial_seeds(3, trials)
    stored = [p for p in hh.letter_patterns(NAMES)]
    for row, level in zip(rates, levels):
        counts = np.zeros(5)
        for s in seeds:
            cue = hh.add_noise(x, level, seed=int(s))
            end = net.recall(cue, steps, update=update, seed=int(s)).state
            success = np.array_equal(end, x)
            reverse = np.array_equal(end, -x)
            memory = any(np.array_equal(end, p) or np.array_equal(end, -p) for p in stored)
            counts += [success, reverse, memory and not (success or reverse), not memory,
                       not net.is_fixed_point(end)]
        expected = counts / trials
        got = [row["success"], row["reversed"], row["other_memory"], row["other"],
               row["not_settled"]]
        assert np.allclose(got, expected), (level, got, expected)
        assert row["trials"] == trials and row["noise"] == level


def test_success_rate_table_shape_and_extremes(net):
    x = hh.letter_pattern("X")
    rates = hh.recall_success_rate(net, x, np.linspace(0, 1, 11), trials=20, seed=0)
    assert rates.shape == (11,)
    assert rates.dtype.names == hh.SUCCESS_DTYPE.names
    total = rates["success"] + rates["reversed"] + rates["other_memory"] + rates["other"]
    assert np.allclose(total, 1)
    assert rates["success"][0] == 1 and rates["reversed"][-1] == 1  # noise 0 and noise 1
    assert np.all(rates["not_settled"] <= rates["other"])
    single = hh.recall_success_rate(net, x, 0.2, trials=5, seed=0)
    assert single.shape == (1,)


def test_success_rate_is_deterministic_and_fast(net):
    x = hh.letter_pattern("X")
    levels = np.linspace(0, 1, 21)
    start = time.perf_counter()
    a = hh.recall_success_rate(net, x, levels, trials=200, seed=0)
    elapsed = time.perf_counter() - start
    b = hh.recall_success_rate(net, x, levels, trials=200, seed=0)
    assert np.array_equal(a, b)
    assert elapsed < 2.0, f"4,200 recalls took {elapsed:.2f} s"


def test_success_rate_sees_the_sync_two_cycle():
    net4 = hh.HopfieldNetwork(hh.letter_patterns("XO+T"))
    o = hh.letter_pattern("O")
    sync = hh.recall_success_rate(net4, o, 0.1, trials=100, update="sync", seed=0)[0]
    asynchronous = hh.recall_success_rate(net4, o, 0.1, trials=100, update="async", seed=0)[0]
    assert sync["not_settled"] > 0
    assert asynchronous["not_settled"] == 0  # async always settles within 3 sweeps here


@pytest.mark.parametrize("kwargs, error", [
    ({"network": "net"}, TypeError), ({"trials": 0}, ValueError), ({"update": "both"}, ValueError),
    ({"noise_levels": [0.1, 1.5]}, ValueError), ({"noise_levels": []}, ValueError),
    ({"pattern": np.ones(24)}, ValueError), ({"seed": -1}, ValueError),
    ({"steps": -3}, ValueError), ({"trials": 2.5}, TypeError)])
def test_success_rate_rejects_bad_input(net, kwargs, error):
    args = {"network": net, "pattern": hh.letter_pattern("X"), "noise_levels": [0.1],
            "trials": 3}
    args.update(kwargs)
    with pytest.raises(error):
        hh.recall_success_rate(**args)


def test_plot_success_rate(net):
    rates = hh.recall_success_rate(net, hh.letter_pattern("X"), [0, 0.5, 1], trials=4)
    ax = hh.plot_success_rate(rates, title="t")
    assert len(ax.lines) == 5  # four outcomes and the 50% line
    assert ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(TypeError):
        hh.plot_success_rate(np.zeros(3))


# -- weights read as votes -------------------------------------------------------------------


def test_plot_weight_block_sums_the_votes(net):
    fig = hh.plot_weight_block(net, rows=0, cols=2, labels=NAMES)
    axes = [ax for ax in fig.axes if ax.images]  # W, three vote panels, the sum
    assert len(axes) == 5
    total = axes[-1].images[0].get_array()
    expected = net.weights[0:5, 10:15] * 25
    assert np.allclose(np.ma.filled(total, 0), expected)
    # The vote panels are each letter's +1/-1 agreements, and they add up to the total.
    votes = [ax.images[0].get_array() for ax in axes[1:4]]
    assert np.allclose(sum(votes), total)


def test_plot_weight_block_diagonal_has_no_vote(net):
    fig = hh.plot_weight_block(net, labels=NAMES)
    total = [ax for ax in fig.axes if ax.images][-1].images[0].get_array()
    assert total.mask[np.diag_indices(5)].all() and not total.mask[0, 1]


@pytest.mark.parametrize("kwargs, error", [({"rows": 5}, ValueError), ({"cols": -1}, ValueError),
                                           ({"block": 4}, ValueError), ({"labels": ["X"]}, ValueError)])
def test_plot_weight_block_rejects_bad_input(net, kwargs, error):
    with pytest.raises(error):
        hh.plot_weight_block(net, **kwargs)


def test_plot_weight_block_needs_a_hebbian_letter_network():
    with pytest.raises(TypeError):
        hh.plot_weight_block(np.eye(25))
    with pytest.raises(ValueError):
        hh.plot_weight_block(hh.HopfieldNetwork(hh.letter_patterns(NAMES), rule="storkey"))


# -- trajectories -------------------------------------------------------------------------


def test_plot_changes_draws_each_change(net):
    cue = hh.add_noise(hh.letter_pattern("X"), 0.2, seed=0)
    result = net.recall(cue, 75, seed=0)
    changes = np.unique(result.flip_steps)
    fig = hh.plot_changes(result, max_frames=20)
    assert len(fig.axes) == changes.size + 1
    assert fig.axes[0].get_title() == "start"
    assert fig.axes[-1].get_title() == f"update {changes[-1]}"
    # The last frame is the end state.
    assert np.array_equal(fig.axes[-1].images[0].get_array(), result.state)
    short = hh.plot_changes(result, max_frames=3)
    assert len(short.axes) == 3 and short.axes[-1].get_title() == f"update {changes[-1]}"
    with pytest.raises(TypeError):
        hh.plot_changes(cue)
    with pytest.raises(ValueError):
        hh.plot_changes(result, max_frames=1)


def test_plot_sync_vs_async():
    net4 = hh.HopfieldNetwork(hh.letter_patterns("XO+T"))
    cue = hh.letter_pattern("O")
    cue[1, 2] = 1
    a = net4.recall(cue, 75, seed=0)
    s = net4.recall(cue, 12, update="sync")
    assert a.converged and not s.converged
    fig = hh.plot_sync_vs_async(a, s, n_frames=6)
    assert len(fig.axes) == 2 * 6 + 2
    with pytest.raises(ValueError):
        hh.plot_sync_vs_async(s, a)
    with pytest.raises(ValueError):
        hh.plot_sync_vs_async(net4.recall(hh.letter_pattern("O"), 75, seed=0), s)
    with pytest.raises(TypeError):
        hh.plot_sync_vs_async(a, cue)


# -- widgets ------------------------------------------------------------------------------


def test_pattern_drawer_reads_and_sets_the_grid():
    drawer = hh.pattern_drawer()
    assert drawer.pattern.shape == (5, 5) and (drawer.pattern == -1).all()
    t = hh.letter_pattern("T")
    drawer.pattern = t
    assert np.array_equal(drawer.pattern, t)
    drawer.buttons[0].value = False  # a click on the top-left square
    assert drawer.pattern[0, 0] == -1 and drawer.pattern[0, 1] == 1
    before = drawer.pattern
    assert np.array_equal(drawer.invert(), -before)
    assert (drawer.clear() == -1).all()
    drawer.invert_button.click()
    assert (drawer.pattern == 1).all()
    drawer.clear_button.click()
    assert (drawer.pattern == -1).all()
    other = hh.pattern_drawer(shape=(3, 4), start=np.ones((3, 4)))
    assert (other.pattern == 1).all() and len(other.buttons) == 12


@pytest.mark.parametrize("kwargs, error", [({"shape": (5,)}, ValueError),
                                           ({"shape": (30, 30)}, ValueError),
                                           ({"start": np.zeros((5, 5))}, ValueError),
                                           ({"start": np.ones((4, 4))}, ValueError)])
def test_pattern_drawer_rejects_bad_input(kwargs, error):
    with pytest.raises(error):
        hh.pattern_drawer(**kwargs)


def test_letter_lab_stores_the_drawing_and_tests_every_letter():
    smile = hh.pattern_from_text([".....", ".#.#.", ".....", "#...#", ".###."])
    drawer = hh.pattern_drawer(start=smile)
    lab = hh.letter_lab(drawer, NAMES, noise=0.1, trials=10, seed=0)
    table = lab.run()
    assert list(table["letter"]) == ["yours"] + NAMES
    assert table["fixed_point"].all()
    assert np.array_equal(table["settled"][0], smile)
    # A K is too much like an X: storing it breaks the X.
    drawer.pattern = hh.pattern_from_text(["#...#", "#..#.", "###..", "#..#.", "#...#"])
    with_k = lab.run()
    assert not with_k["fixed_point"][1] and with_k["changed"][1] > 0
    drawer.pattern = smile
    assert (table["n_stored"] == 4).all()
    assert np.allclose(table["success"], table["success"].round(1))  # 10 trials
    for name in ["T", "L", "H", "C", "U", "Z", "E", "A", "S"]:
        lab.extra[name].value = True
    crowded = lab.run()
    assert len(crowded) == 13
    assert not crowded["fixed_point"].all()
    lab.button.click()  # the button runs the same test
    assert np.array_equal(lab.table, crowded)
    with pytest.raises(TypeError):
        hh.letter_lab(drawer="drawer")
    with pytest.raises(ValueError):
        hh.letter_lab(letters=["Q"])


def test_memory_test_table(net):
    order = ["X", "O", "+", "T", "L", "H", "C", "U"]
    table = hh.memory_test(order, [3, 5, 8], noise=0.1, trials=20, seed=0)
    assert len(table) == 3 + 5 + 8
    for count in (3, 5, 8):
        rows = table[table["n_stored"] == count]
        network = hh.HopfieldNetwork(hh.letter_patterns(order[:count]))
        seed0 = int(hh._trial_seeds(0, 1)[0])
        for row in rows:
            clean = hh.letter_pattern(row["letter"])
            assert row["fixed_point"] == network.is_fixed_point(clean)
            end = network.recall(clean, 75, seed=seed0).state
            assert np.array_equal(row["settled"], end)
            assert row["changed"] == hh.hamming_distance(end, clean)
            expected = hh.recall_success_rate(network, clean, 0.1, trials=20, seed=0)["success"][0]
            assert row["success"] == expected
    assert table[table["n_stored"] == 3]["fixed_point"].all()
    fig = hh.plot_memory_test(table, title="t")
    assert len([ax for ax in fig.axes if ax.images]) == 3 + 5 + 8
    with pytest.raises(ValueError):
        hh.memory_test(order, [9])
    with pytest.raises(TypeError):
        hh.plot_memory_test(np.zeros(3))


def test_letters_explorer_extremes():
    explorer = hh.letters_explorer(NAMES, noise=0.2, seed=0)
    for name in NAMES:
        clean = hh.letter_pattern(name)
        for mode, steps in (("async", 75), ("sync", 12)):
            assert np.array_equal(explorer.explore(letter=name, update=mode, noise=0.0), clean)
            assert explorer.explorer.step.max == steps
            assert np.array_equal(explorer.explore(step=0), clean)
            assert np.array_equal(explorer.explore(noise=1.0, step=0), -clean)
            assert np.array_equal(explorer.explore(step=steps), -clean)
    # Scrubbing does not recompute: the same recall object before and after.
    explorer.explore(letter="X", update="async", noise=0.3, seed=4)
    result = explorer.result
    assert np.array_equal(explorer.explore(step=5), result.state_at(5))
    assert explorer.result is result
    assert explorer.explorer.figure._suptitle.get_text() == "cue made from X"
    with pytest.raises(ValueError):
        explorer.explore(letter="Q")
    with pytest.raises(ValueError):
        hh.letters_explorer(NAMES, letter="T")
    with pytest.raises(ValueError):
        hh.letters_explorer(["X", "X"])


def test_plot_letter_weights(net):
    ax = hh.plot_letter_weights(net, title="W")
    assert np.allclose(ax.images[0].get_array(), net.weights)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2", "3", "4"]
    with pytest.raises(TypeError):
        hh.plot_letter_weights(np.eye(25))
    with pytest.raises(ValueError):
        hh.plot_letter_weights(hh.HopfieldNetwork(hh.random_patterns(2, 25, seed=0)))


def test_widgets_redraw_into_images_without_printing(capsys):
    explorer = hh.letters_explorer(NAMES, noise=0.2, seed=0)
    image = explorer.explorer.image
    assert image in explorer.explorer.widget.children
    first = image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    explorer.explore(step=3)
    assert image.value != first
    lab = hh.letter_lab(trials=5)
    lab.run()
    assert lab.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert capsys.readouterr().out == ""


def test_explorer_redraws_fast():
    explorer = hh.letters_explorer(NAMES, noise=0.2, seed=0)
    explorer.explore(step=10)  # warm up
    start = time.perf_counter()
    for step in (0, 20, 40, 75):
        explorer.explore(step=step)
    per_move = (time.perf_counter() - start) / 4
    assert per_move < 0.5, f"a step-slider move took {per_move:.2f} s"
