"""Lesson 04 (spurious states): what the lesson computes and shows, its three explorers
driven through every control, and the lesson's plot helpers."""

import numpy as np
import pytest

import hopfield_helpers as hh
from lessons import drive_every_control, explorers, run_lesson, same_picture

SEED = 4
PICTURE_LABELS = ["cat", "HI sign", "star", "house", "smiley"]


@pytest.fixture(scope="module")
def lesson():
    return run_lesson("04")


@pytest.fixture
def restore():
    """Put every explorer a test moved back where it started (the lesson is shared)."""
    moved = []

    def remember(explorer):
        moved.append((explorer, explorer.values))
        return explorer

    yield remember
    for explorer, values in moved:
        explorer.set(**{k: v for k, v in values.items() if k != "step"})
        if "step" in values:  # after the recall it scrubs through
            explorer.set(step=values["step"])


def caption(panel):
    return panel[0].split("\n")


# -- the lesson as a whole -------------------------------------------------------------------


def test_the_lesson_builds_three_explorers(lesson):
    assert set(explorers(lesson)) == {"mixture_explorer", "digit_explorer", "capacity_explorer"}


def test_every_memory_comes_with_its_reverse(lesson):
    net, pictures = lesson["net"], lesson["pictures"]
    for picture in pictures:
        assert net.energy(-picture) == pytest.approx(net.energy(picture))
        assert net.is_fixed_point(picture) and net.is_fixed_point(-picture)
    # 70% of the cat flipped is closer to the reversed cat, and rolls into it.
    result = lesson["net"].recall(hh.add_noise(pictures[0], 0.7, seed=SEED), 3 * net.n_neurons,
                                  seed=SEED)
    assert hh.overlap(result.initial_state, pictures[0]) == pytest.approx(-0.4, abs=0.01)
    assert hh.which_memory(net, result.state) == hh.MemoryVerdict("reversed", (0,), 1.0)


def test_the_mixture_is_a_valley_nobody_stored(lesson):
    net, mix, pictures = lesson["net"], lesson["mix"], lesson["pictures"]
    assert net.is_fixed_point(mix)
    assert hh.which_memory(net, mix).label(lesson["labels"]) == "mixture of cat, HI sign and star"
    # Overlap = 1 - 2 x (fraction of pixels where the picture is outvoted).
    outvoted = [(b == c) & (b != a) for a, b, c in (pictures[[0, 1, 2]], pictures[[1, 2, 0]],
                                                      pictures[[2, 0, 1]])]
    assert np.allclose(net.overlaps(mix), [1 - 2 * o.mean() for o in outvoted])
    assert np.allclose(net.overlaps(mix), 1 - 2 * (mix != pictures).mean(axis=(1, 2)))
    assert net.overlaps(mix).mean() == pytest.approx(0.5, abs=0.01)
    # Its energy per neuron: -1/2 sum m^2 + P/(2N), near -3/8, above the stored ones.
    n, m = net.n_neurons, net.overlaps(mix)
    assert net.energy(mix) / n == pytest.approx(-0.5 * np.sum(m**2) + 3 / (2 * n))
    assert -0.39 < net.energy(mix) / n < -0.37
    assert max(net.energy(pictures) / n) < -0.49  # the stored pictures lie deeper
    assert lesson["random_net"].energy(lesson["random_mix"]) / n == pytest.approx(-0.375, abs=0.005)


def test_a_scrambled_mixture_comes_back_until_five_pictures_are_stored(lesson):
    recall_mixture, mix = lesson["recall_mixture"], lesson["mix"]
    more = lesson["more_pictures"]
    assert same_picture(recall_mixture(3).state, mix)
    kinds = {stored: hh.which_memory(more[:stored], recall_mixture(stored).state).kind
             for stored in (3, 4, 5)}
    assert kinds == {3: "mixture", 4: "mixture", 5: "other"}


def test_digits_fall_into_a_blend_deeper_than_each_digit(lesson):
    digit_net, three, end = lesson["digit_net"], lesson["three"], lesson["end"]
    assert same_picture(end, hh.mixture_state(three))
    assert hh.which_memory(digit_net, end).label(["4", "7", "9"]) == "mixture of 4, 7 and 9"
    assert [hh.hamming_distance(end, d) for d in three] == [69, 88, 66]
    assert digit_net.energy(end) < min(digit_net.energy(three))
    assert not any(digit_net.is_fixed_point(d) for d in three)
    m = hh.overlap_matrix(three)
    assert m[0, 1] + m[0, 2] > 1  # so every pixel where the 4 is outvoted flips
    outvoted = np.sum((three[1] == three[2]) & (three[1] != three[0]))
    assert outvoted == hh.hamming_distance(three[0], end)
    r = hh.overlap_matrix(lesson["random_digits"])
    assert r[0, 1] + r[0, 2] < 0.5
    assert hh.which_memory(lesson["random_digit_net"], lesson["random_result"].state).kind == "stored"


def test_capacity_curves_one_network_per_trial(lesson):
    curves, loads, sizes = lesson["curves"], lesson["loads"], lesson["sizes"]
    assert sizes == (100, 250, 500, 1000) and lesson["trials"] == 40
    assert np.allclose(loads, np.arange(1, 16) * 0.02)
    for n in sizes:
        assert curves[n].shape == (15, 40)
        assert np.all(curves[n][0] == 1.0)  # a load of 0.02: every pattern kept exactly
    # The first trial is one recall of one network, from the first of its patterns.
    rng = np.random.default_rng([SEED, 100])
    patterns = hh.random_patterns(2, 100, seed=rng)
    end = hh.HopfieldNetwork(patterns).recall(patterns[0], 10 * 100, seed=rng).state
    assert curves[100][0, 0] == hh.overlap(end, patterns[0])
    assert lesson["final_overlap"](100, 2, np.random.default_rng([SEED, 100])) == curves[100][0, 0]


def test_the_bigger_the_network_the_closer_the_fall_to_0138(lesson):
    curves, load_at_half = lesson["curves"], lesson["load_at_half"]
    halves = [load_at_half((curves[n] >= 0.9).mean(axis=1)) for n in lesson["sizes"]]
    assert halves == sorted(halves, reverse=True)
    assert 0.138 < halves[-1] < 0.2 and halves[0] > 0.2
    recalled = {n: (curves[n] >= 0.9).mean(axis=1) for n in curves}
    assert all(recalled[n][:5].min() == 1.0 for n in curves)  # loads up to 0.10 are safe
    assert recalled[100][-1] > 0 and recalled[1000][-1] == 0  # 100 neurons blur the limit
    exact = {n: (curves[n] == 1.0).mean(axis=1) for n in curves}
    assert all(np.all(exact[n] <= recalled[n]) for n in curves)


def test_load_at_half_interpolates_between_two_loads(lesson):
    load_at_half, loads = lesson["load_at_half"], lesson["loads"]
    fraction = np.ones(15)
    fraction[4:] = 0.0
    fraction[3] = 0.75  # 0.75 at load 0.08, 0.0 at load 0.10: one half at 0.08 + 0.02/3
    assert load_at_half(fraction) == pytest.approx(0.08 + 0.02 / 3)
    assert loads[3] == pytest.approx(0.08)


def test_five_by_five_letters(lesson):
    letters = lesson["letters"]
    fixed = []
    for k in range(1, 13):
        net = hh.HopfieldNetwork([hh.letter_pattern(c) for c in letters[:k]])
        fixed.append([c for c in letters[:k] if net.is_fixed_point(hh.letter_pattern(c))])
    assert fixed[2] == ["X", "O", "+"] and fixed[3] == ["X", "+", "A"]
    assert fixed[11] == ["X", "O", "A"]


def test_the_landscape_of_four_random_patterns(lesson):
    net, energies, counts = lesson["landscape_net"], lesson["energies"], lesson["counts"]
    assert [energies[k].size for k in ("stored", "reversed", "mixture")] == [4, 4, 32]
    assert np.allclose(energies["stored"], energies["reversed"])
    assert np.allclose(energies["stored"], -0.5, atol=0.01)
    assert energies["mixture"].mean() == pytest.approx(-0.375, abs=0.01)
    assert sum(counts.values()) == 200 and lesson["landings"].converged.all()
    assert counts["mixture"] > 0.8 * counts["stored"]  # about as often as a stored pattern
    # Each of the 200 recalls, run side by side, ends where it would alone.
    landings, starts = lesson["landings"], lesson["starts"]
    for k in (0, 57, 199):
        alone = net.recall(starts[k], 20 * 1000, seed=SEED)
        assert same_picture(alone.state, landings.state[k])
    kinds = [v.kind for v in hh.which_memory(net, landings.state)]
    assert kinds.count("other") == counts["4-mixture"] + counts["other"]
    assert {k: kinds.count(k) for k in ("stored", "reversed", "mixture")} == {
        k: counts[k] for k in ("stored", "reversed", "mixture")}
    fours = lesson["fours"]  # every 4-mixture lies at about -3/8 per neuron too
    assert net.energy(fours).mean() / 1000 == pytest.approx(-0.375, abs=0.01)
    assert counts["4-mixture"] > 0 and len(lesson["valleys"]["4-mixture"]) < 64


# -- the explorers ---------------------------------------------------------------------------------


def test_mixture_explorer_every_control(lesson, restore):
    explorer, mix = restore(lesson["mixture_explorer"]), lesson["mix"]
    assert explorer.values == {"stored": 5, "noise": 0.25, "seed": SEED, "update": "async",
                               "step": 3 * 16384}
    shown = drive_every_control(explorer)
    assert {name for name, _, _ in shown} == {"stored", "noise", "seed", "update", "step"}
    assert explorer.values["stored"] == 5 and explorer.values["noise"] == 0.25

    explorer.set(stored=3, noise=0.0)
    assert same_picture(explorer.result.state, mix)  # no noise: the mixture stays put
    assert caption(explorer.panels[1])[-1] == "mixture of cat, HI sign and star"
    explorer.set(noise=1.0)
    assert same_picture(explorer.result.state, -mix)  # all flipped: the reversed mixture
    assert caption(explorer.panels[1])[-1] == "reversed mixture of cat, HI sign and star"
    explorer.set(noise=0.25, step=0)
    cue = hh.add_noise(mix, 0.25, seed=SEED)
    assert same_picture(explorer.panels[0][1], cue) and same_picture(explorer.panels[1][1], cue)
    assert caption(explorer.panels[1])[-1].startswith("other")  # the cue is no memory
    explorer.set(update="sync")
    assert explorer.controls["step"].max == explorer.result.steps == 12
    assert same_picture(explorer.result.state_at(12), mix)  # all neurons at once
    explorer.set(update="async")
    kinds = {}
    for stored in (5, 4, 3):
        explorer.set(stored=stored)
        assert len(explorer.result.stored) == stored
        kinds[stored] = hh.which_memory(explorer.result.stored, explorer.result.state).kind
        assert caption(explorer.panels[1])[-1] == hh.which_memory(
            explorer.result.stored, explorer.result.state).label(PICTURE_LABELS)
    assert kinds == {5: "other", 4: "mixture", 3: "mixture"}


def test_digit_explorer_every_control(lesson, restore):
    explorer, three, digit_net = restore(lesson["digit_explorer"]), lesson["three"], lesson["digit_net"]
    assert explorer.values == {"noise": 0.0, "seed": SEED, "update": "async", "step": 3 * 784}
    shown = drive_every_control(explorer)
    assert {name for name, _, _ in shown} == {"noise", "seed", "update", "step"}
    for noise in (0.0, 0.15, 1.0):  # even a perfect 4 ends in the blend (or its reverse)
        explorer.set(noise=noise)
        verdict = hh.which_memory(digit_net, explorer.result.state)
        assert verdict.kind == "mixture" and verdict.patterns == (0, 1, 2)
        assert caption(explorer.panels[1])[-1] == verdict.label(["4", "7", "9"])
    explorer.set(noise=0.15, step=0)
    assert same_picture(explorer.panels[1][1], hh.add_noise(three[0], 0.15, seed=SEED))
    explorer.set(update="sync", step=12)
    assert hh.which_memory(digit_net, explorer.panels[1][1]).kind != "stored"


def test_capacity_explorer_every_control(lesson, restore):
    explorer, curves = restore(lesson["capacity_explorer"]), lesson["curves"]
    assert explorer.values == {"n": 500, "load": 0.12}
    shown = drive_every_control(explorer)
    assert [name for name, _, _ in shown] == ["n"] * 4 + ["load"] * 3
    assert [value for _, value, _ in shown] == pytest.approx([100, 250, 500, 1000, 0.02, 0.16, 0.3])
    for n in (100, 250, 500, 1000):  # every size at a load of 0.12
        explorer.set(n=n, load=0.12)
        (caption, squares), curve_chart, trials_chart = explorer.panels
        recalled = int(np.sum(curves[n][5] >= 0.9))
        assert caption == (f"N = {n}, P = {round(0.12 * n)} (load 0.12)\n"
                           f"recalled in {recalled} of 40 trials (black)")
        assert squares.shape == (4, 10) and np.sum(squares == 1) == recalled
        assert curve_chart.mark == trials_chart.mark == pytest.approx(0.12)
    pictures = [p.value for p in explorer.pictures]
    explorer.set(load=0.2)  # the marker moves on both charts, and the squares change
    assert all(p.value != before for p, before in zip(explorer.pictures, pictures))
    explorer.set(n=100, load=0.02)
    assert explorer.panels[0][0].endswith("recalled in 40 of 40 trials (black)")
    assert explorer.panels[0][0].startswith("N = 100, P = 2 (load 0.02)")
    assert (explorer.panels[0][1] == 1).all()
    explorer.set(n=1000, load=0.3)
    assert explorer.panels[0][0].endswith("recalled in 0 of 40 trials (black)")
    assert (explorer.panels[0][1] == -1).all()


# -- the lesson's plot helpers ---------------------------------------------------------------------

LOADS = np.array([0.05, 0.1, 0.2])
CURVES = {40: np.array([[1.0, 1.0, 1.0], [1.0, 0.95, 0.5], [0.2, 0.3, 0.1]]),
          80: np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 0.8], [0.0, 0.1, 0.95]])}


def fractions(curves, threshold):
    return np.stack([(curves[n] >= threshold).mean(axis=1) for n in sorted(curves)], axis=1)


def test_plot_capacity_draws_a_line_per_network_size():
    loads, curves = LOADS.copy(), {n: c.copy() for n, c in CURVES.items()}
    recalled = fractions(curves, 0.9)
    before = recalled.copy()
    ax = hh.plot_capacity(loads, recalled, ["N = 40", "N = 80"])
    lines = ax.get_lines()
    assert np.allclose(lines[0].get_ydata(), [1.0, 2 / 3, 0.0])  # no nudge: the true fractions
    assert np.allclose(lines[1].get_ydata(), [1.0, 2 / 3, 1 / 3])
    assert np.allclose(lines[0].get_xdata(), LOADS)
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == [
        "Hebb, large N: 0.138", "N = 40", "N = 80"]
    assert np.allclose(lines[2].get_xdata(), 0.138) and len(lines) == 3
    assert ax.get_ylabel() == "fraction recalled" and ax.get_ylim()[0] > -0.05
    assert ax.get_xlabel() == "load P/N (patterns per neuron)"
    bold = hh.plot_capacity(loads, recalled, ["N = 40", "N = 80"], highlight="N = 80").get_lines()
    assert bold[1].get_linewidth() > bold[0].get_linewidth() and bold[0].get_alpha() < 1
    assert np.array_equal(loads, LOADS) and np.array_equal(recalled, before)


def test_plot_capacity_error_bars_and_marks_stay_within_0_and_1():
    import matplotlib.pyplot as plt

    loads = [0.1, 0.2, 0.4]
    recalled = np.array([[1.0, 1.0], [0.5, 1.0], [0.0, 0.8]])
    _, ax = plt.subplots()
    hh.plot_capacity(loads, recalled, ["Hebb", "modern"], trials=[10, 20, 40],
                     marks={"a": 0.11, "b": 0.33}, ax=ax, title="t", legend=False)
    segments = np.concatenate([c.get_segments() for c in ax.collections])
    assert segments[:, :, 1].min() >= 0 and segments[:, :, 1].max() <= 1
    bar = [seg for seg in segments if np.allclose(seg[:, 0], 0.2) and seg[:, 1].min() < 0.5]
    assert np.ptp(bar[0][:, 1]) == pytest.approx(4 * np.sqrt(0.25 / 20))  # +-2 standard errors
    marks = [line.get_xdata()[0] for line in ax.get_lines() if len(line.get_xdata()) == 2
             and line.get_xdata()[0] == line.get_xdata()[1]]
    assert marks == [0.11, 0.33] and ax.get_title() == "t" and ax.get_legend() is None


@pytest.mark.parametrize("args, kwargs, error, match", [
    (([], np.ones((0, 1)), ["a"]), {}, ValueError, "loads"),
    (([0.1, -0.2, 0.3], np.ones((3, 1)), ["a"]), {}, ValueError, "loads"),
    (("abc", np.ones((3, 1)), ["a"]), {}, TypeError, "loads"),
    ((LOADS, np.ones((3, 1)), ["a", "b"]), {}, ValueError,
     r"recalled must have shape \(loads, labels\) = \(3, 2\)"),
    ((LOADS, np.ones((3, 1)), "a"), {}, ValueError, "recalled must have shape"),
    ((LOADS, np.full((3, 1), 1.5), ["a"]), {}, ValueError, "fractions between 0 and 1"),
    ((LOADS, [["x"], ["y"], ["z"]], ["a"]), {}, TypeError, "recalled"),
    ((LOADS, np.ones((3, 1)), ["a"], 0), {}, ValueError, "trials"),
    ((LOADS, np.ones((3, 1)), ["a"], 2.5), {}, ValueError, "trials"),
    ((LOADS, np.ones((3, 1)), ["a"]), {"highlight": "b"}, ValueError, "highlight"),
])
def test_plot_capacity_refuses_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        hh.plot_capacity(*args, **kwargs)


def test_plot_capacity_choice_marks_one_point_and_its_trials():
    loads, curves = LOADS.copy(), {n: c.copy() for n, c in CURVES.items()}
    panels = hh.plot_capacity_choice(loads, curves, 40, 0.11)  # snapped to the load 0.10
    (caption, squares), curve_chart, trials_chart = panels
    assert caption == "N = 40, P = 4 (load 0.10)\nrecalled in 2 of 3 trials (black)"
    assert squares.tolist() == [[1, 1, -1]]  # the recalled trials first
    assert curve_chart.mark == trials_chart.mark == 0.1
    png = panels._repr_png_()  # the row shows itself as one picture
    assert png[:4] == b"\x89PNG"
    other = hh.plot_capacity_choice(loads, curves, 80, 0.2)
    assert other[0][0] == "N = 80, P = 16 (load 0.20)\nrecalled in 1 of 3 trials (black)"
    exact = hh.plot_capacity_choice(loads, curves, 40, 0.1, threshold=1.0)
    assert exact[0][0].endswith("recalled in 1 of 3 trials (black)")
    many = {7: np.ones((3, 23))}
    assert hh.plot_capacity_choice(loads, many, 7, 0.05)[0][1].shape == (3, 10)  # 23 + 7 grey
    assert np.sum(hh.plot_capacity_choice(loads, many, 7, 0.05)[0][1] == 0) == 7
    assert np.array_equal(loads, LOADS) and all(np.array_equal(curves[n], CURVES[n]) for n in CURVES)


def test_plot_capacity_choice_refuses_bad_input():
    with pytest.raises(ValueError, match="sizes"):
        hh.plot_capacity_choice(LOADS, CURVES, 50, 0.1)
    with pytest.raises(TypeError, match="n must be one of the sizes"):
        hh.plot_capacity_choice(LOADS, CURVES, True, 0.1)
    with pytest.raises(TypeError, match="n must be one of the sizes"):
        hh.plot_capacity_choice(LOADS, CURVES, [40], 0.1)
    with pytest.raises(TypeError, match="load"):
        hh.plot_capacity_choice(LOADS, CURVES, 40, "0.1")
    with pytest.raises(ValueError, match="loads"):
        hh.plot_capacity_choice([0.1], CURVES, 40, 0.1)
    with pytest.raises(ValueError, match="threshold"):
        hh.plot_capacity_choice(LOADS, CURVES, 40, 0.1, threshold=2)
    with pytest.raises(ValueError, match="threshold"):
        hh.plot_capacity_choice(LOADS, CURVES, 40, 0.1, threshold=0.0)
    with pytest.raises(TypeError, match="curves"):
        hh.plot_capacity_choice(LOADS, [CURVES[40]], 40, 0.1)
    with pytest.raises(TypeError, match="network sizes"):
        hh.plot_capacity_choice(LOADS, {"40": CURVES[40]}, 40, 0.1)
    with pytest.raises(ValueError, match=r"curves\[40\]"):
        hh.plot_capacity_choice(LOADS, {40: CURVES[40][:2]}, 40, 0.1)
    with pytest.raises(ValueError, match="between -1 and 1"):
        hh.plot_capacity_choice(LOADS, {40: CURVES[40] * 2}, 40, 0.1)


def test_plot_memory_landscape_colours_each_kind_alike_in_both_panels():
    energies = {"stored": np.array([-0.5, -0.49]), "reversed": np.array([-0.5, -0.49]),
                "mixture": np.linspace(-0.39, -0.36, 8), "other": np.array([-0.38])}
    counts = {"stored": 10, "reversed": 8, "mixture": 12, "other": 2}
    before = {k: v.copy() for k, v in energies.items()}
    fig = hh.plot_memory_landscape(energies, counts)
    ax_e, ax_n = fig.axes
    dots = ax_e.collections
    assert [len(d.get_offsets()) for d in dots] == [2, 2, 8, 1]
    assert np.allclose(dots[2].get_offsets()[:, 1], energies["mixture"])
    assert [bar.get_height() for bar in ax_n.patches] == [10, 8, 12, 2]
    for dot, bar in zip(dots, ax_n.patches):
        assert np.allclose(dot.get_facecolor()[0], bar.get_facecolor())
    assert ax_n.get_title() == "where 32 random starts end\n(per valley)"
    assert ax_e.get_ylabel() == "energy per neuron E/N"
    assert all(np.array_equal(energies[k], before[k]) for k in energies)
    assert len(hh.plot_memory_landscape({"mixture": [-0.37]}).axes) == 1


@pytest.mark.parametrize("energies, counts, error, match", [
    ({}, None, TypeError, "energies"),
    ([-0.5], None, TypeError, "energies"),
    ({"valley": [-0.5]}, None, ValueError, "unknown kind"),
    ({"stored": [np.nan]}, None, ValueError, "finite"),
    ({"stored": ["low"]}, None, TypeError, "numbers"),
    ({"stored": [-0.5]}, {"valley": 3}, ValueError, "counts"),
    ({"stored": [-0.5]}, {"stored": -1}, ValueError, "counts"),
    ({"stored": [-0.5]}, {"stored": 1.5}, TypeError, "counts"),
])
def test_plot_memory_landscape_refuses_bad_input(energies, counts, error, match):
    with pytest.raises(error, match=match):
        hh.plot_memory_landscape(energies, counts)


def test_the_lesson_helpers_are_exported():
    for name in ("plot_capacity_choice", "plot_memory_landscape"):
        assert name in hh.__all__ and "Used in lesson 04" in getattr(hh, name).__doc__
    assert "plot_capacity" in hh.__all__ and "Used in lessons 04 and 05" in hh.plot_capacity.__doc__
