"""Lesson 05 (beyond Hebb): what the lesson builds, computes and prints (every number its
prose quotes), its explorers driven through every control with checks of what they draw,
and the lesson's helper picture_grid. The models themselves (Storkey, pseudo-inverse,
Glauber dynamics, the dense and the modern networks) are tested in tests/test_network.py
and tests/test_validation.py; the capacity chart, plot_capacity, in tests/test_lesson04.py."""

import re
import subprocess
import sys

import numpy as np
import pytest
from IPython.core.formatters import format_display_data

import hopfield_helpers as hh
from lessons import drive_every_control, explorers, run_lesson

THIN_NAMES = ["1", "4", "7"]


@pytest.fixture(scope="module")
def lesson():
    return run_lesson("05")


@pytest.fixture(scope="module")
def thin_digits():
    """The lesson's thin 1, 4, 7 (overlaps near 0.8)."""
    digits, labels, info = hh.load_digits()
    thin = (info["font_size"] == 23) & (info["slant"] == 0) & (info["stroke"] == 0.5)
    return digits[thin & np.isin(labels, [1, 4, 7])]


# -- what the lesson computes and prints --------------------------------------------------


def tally(lesson, memories, patterns, capsys):
    """The lesson's tally table, read back from what it prints: {memory: {outcome: count}}."""
    capsys.readouterr()
    lesson["tally"](lesson[memories], lesson[patterns])
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split()
    assert header == ["right", "wrong", "mixture", "other"]
    table = {}
    for line in lines[1:]:
        name, *counts = re.split(r"\s{2,}", line.strip())
        table[name] = dict(zip(header, map(int, counts)))
    return table


def test_every_cure_recalls_the_bold_digits_hebb_mixes_them(lesson, capsys):
    finals, digits = lesson["bold_finals"], lesson["bold_digits"]
    assert list(finals) == ["Hebb", "Storkey", "pseudo-inverse", "modern",
                            "dense n=3", "dense n=4", "dense n=5", "dense n=6"]
    assert np.array_equal(finals["Hebb"], np.stack([hh.mixture_state(digits)] * 3))
    for name in list(finals)[1:]:
        assert np.array_equal(np.sign(finals[name]), digits), name
    # "The modern network's answers are real numbers; here already pure black and white."
    assert np.abs(finals["modern"] - digits).max() < 1e-6
    # The first cue is lesson 04's noisy 4.
    assert np.array_equal(lesson["bold_cues"][0], hh.add_noise(digits[0], 0.15, seed=4))
    table = tally(lesson, "bold_memories", "bold_digits", capsys)
    assert table.pop("Hebb") == {"right": 0, "wrong": 0, "mixture": 30, "other": 0}
    assert all(counts == {"right": 30, "wrong": 0, "mixture": 0, "other": 0}
               for counts in table.values())


def test_thin_digits_part_the_rules(lesson, capsys):
    overlaps = hh.overlap_matrix(lesson["thin_digits"])[np.triu_indices(3, 1)]
    np.testing.assert_allclose(overlaps, [0.78, 0.82, 0.74], atol=0.005)
    table = tally(lesson, "thin_memories", "thin_digits", capsys)
    right = {name: counts["right"] for name, counts in table.items()}
    assert right == {"Hebb": 0, "Storkey": 10, "pseudo-inverse": 30, "modern": 30,
                     "dense n=3": 0, "dense n=4": 12, "dense n=5": 30, "dense n=6": 30}
    assert table["Storkey"]["wrong"] == 20
    assert table["Hebb"]["mixture"] == table["dense n=3"]["mixture"] == 30
    assert table["dense n=4"]["mixture"] == 18
    # Storkey's answer is always the 7.
    assert np.array_equal(lesson["thin_finals"]["Storkey"], np.stack([lesson["thin_digits"][2]] * 3))


def test_energies_and_fixed_points_of_the_three_weight_rules(lesson):
    digits, mixture = lesson["thin_digits"], lesson["thin_mixture"]
    expected = {"Hebb": ([-890.6, -843.9, -866.3], -930.0, ["mixture"]),
                "Storkey": ([-209.8, -199.6, -285.1], -231.7, ["7"]),
                "pseudo-inverse": ([-390.5] * 3, -364.6, ["1", "4", "7", "mixture"])}
    for name, (energies, mixture_energy, fixed) in expected.items():
        net = lesson["thin_memories"][name]
        np.testing.assert_allclose(net.energy(digits), energies, atol=0.05)
        assert net.energy(mixture) == pytest.approx(mixture_energy, abs=0.05)
        assert [d for d, x in lesson["candidates"].items() if net.is_fixed_point(x)] == fixed


def test_dense_power_table(lesson):
    digits, cues = lesson["thin_digits"], lesson["thin_cues"]
    for n in range(2, 9):
        memory = hh.DenseAssociativeMemory(digits, n=n)
        ends = [v.kind for v in hh.which_memory(digits, lesson["recall_dense"](n).state)]
        fixed = [d for d, x in lesson["candidates"].items() if memory.is_fixed_point(x)]
        assert fixed == {2: ["mixture"], 3: ["mixture"], 4: ["4", "7", "mixture"]}.get(
            n, ["1", "4", "7", "mixture"]), n
        assert ends == {2: ["mixture"] * 3, 3: ["mixture"] * 3,
                        4: ["mixture", "stored", "mixture"]}.get(n, ["stored"] * 3), n
    # "n = 2 is Hebb's network": the very same final states as Hebb's from the same cues.
    assert np.array_equal(lesson["recall_dense"](2).state, lesson["thin_finals"]["Hebb"])
    assert np.array_equal(lesson["recall_dense"](6).state, digits)
    assert cues.shape == (3, 28, 28)


def test_capacity_of_every_rule(lesson):
    exact, close, rules = lesson["every_pixel"], lesson["from_noisy"], lesson["CAP_RULES"]
    assert exact.shape == close.shape == (12, 5)
    assert np.all(lesson["TRIALS"] >= 200)  # enough recalls at every load
    held = {rule: (lesson["held_load"](exact[:, r]), lesson["held_load"](close[:, r]))
            for r, rule in enumerate(rules)}
    assert held == {"Hebb": (0.15, 0.15), "Storkey": (0.5, 0.4), "pseudo-inverse": (0.9, 0.5),
                    "dense n=3": (0.9, 0.9), "modern": (0.9, 0.9)}
    pinv, dense, modern = (rules.index(r) for r in ("pseudo-inverse", "dense n=3", "modern"))
    assert exact[:, pinv].min() == 1.0  # every stored pattern is a fixed point
    assert min(exact[:, dense].min(), close[:, modern].min()) == 1.0
    assert lesson["held_load"]([1.0, 0.4] + [1.0] * 10) == 0.05
    assert lesson["held_load"]([0.0] * 12) == 0.0


def test_temperature_runs(lesson):
    net, mixture, shaken = lesson["small_net"], lesson["small_mixture"], lesson["shaken"]
    assert net.is_fixed_point(mixture)
    assert net.energy(mixture) > net.energy(lesson["small_pictures"]).max()
    assert sorted(shaken) == pytest.approx(np.arange(16) / 10)
    verdict = lesson["verdict"]
    assert np.array_equal(shaken[0.0].state, mixture) and np.array_equal(shaken[0.1].state, mixture)
    assert verdict(shaken[0.0].state) == "mixture of cat, HI sign and star"
    assert verdict(shaken[0.3].state) == "near star, 4 pixels off"
    assert verdict(shaken[0.6].state) == "near star, 105 pixels off"
    assert np.count_nonzero(shaken[1.0].state != lesson["small_pictures"][2]) > 2304 / 3
    assert np.abs(net.overlaps(shaken[1.5].state)).max() < 0.1
    assert verdict(lesson["small_pictures"][1]) == "HI sign"


def test_amit_gutfreund_sompolinsky_temperatures(lesson):
    """Random patterns, N = 16,384, load 3/N: the mixture holds at 0.3 and 0.4 and melts
    into c at 0.45 and 0.5; a stored pattern keeps m = tanh(m / T) up to T = 1."""
    net, patterns = lesson["ags_net"], lesson["ags"]
    assert patterns.shape == (3, 128, 128) and net.n_neurons == 16_384
    assert np.abs(hh.overlap_matrix(patterns)[np.triu_indices(3, 1)]).max() < 0.02  # random
    overlaps = {T: net.overlaps(end) for T, end in lesson["ags_ends"].items()}
    assert list(overlaps) == [0.3, 0.4, 0.45, 0.5]
    for T in (0.3, 0.4):  # "an overlap of about 0.45 with each pattern"
        assert 0.4 <= overlaps[T].min() and overlaps[T].max() < 0.5, T
    np.testing.assert_allclose(overlaps[0.45], [0.0, -0.01, 0.97], atol=0.005)
    np.testing.assert_allclose(overlaps[0.5], [0.0, -0.01, 0.96], atol=0.005)
    hot = {T: net.overlaps(end)[0] for T, end in lesson["hot_ends"].items()}
    np.testing.assert_allclose(list(hot.values()), [0.96, 0.83, 0.52, 0.08], atol=0.005)
    for T, expected in ((0.5, 0.96), (0.7, 0.83), (0.9, 0.53), (1.1, 0.0)):
        m = 1.0
        for _ in range(300):
            m = np.tanh(m / T)
        assert m == pytest.approx(expected, abs=0.005), T


def test_annealing_finds_the_star_and_the_right_digit_only_when_it_is_deepest(lesson):
    annealed, pictures = lesson["annealed"], lesson["small_pictures"]
    assert np.array_equal(annealed.state, pictures[2])
    assert np.any(np.diff(annealed.energies) > 0)  # hot: the energy climbs before it falls
    assert annealed.energies[-1] == pytest.approx(lesson["small_net"].energy(pictures[2]))
    cue, cooling = lesson["bold_cues"][0], lesson["cooling"]
    assert cooling.shape == (20 * 784,) and cooling[0] == 0.6 and cooling[-1] == 0.0
    for name, expected in (("Hebb", "mixture of 4, 7 and 9"), ("pseudo-inverse", "4")):
        net = lesson["bold_memories"][name]
        end = net.recall(cue, 20 * 784, seed=0, temperature=cooling).state
        assert hh.which_memory(net, end).label(["4", "7", "9"]) == expected


def test_modern_network_results(lesson):
    digits, cue = lesson["thin_digits"], lesson["thin_cues"][0]
    weights = {beta: hh.ModernHopfieldNetwork(digits, beta=beta).attention(cue)
               for beta in lesson["BETAS"]}
    assert np.ptp(weights[1e-4]) < 0.01
    np.testing.assert_allclose(weights[0.01], [0.575, 0.166, 0.258], atol=0.0005)
    for beta in lesson["BETAS"]:
        modern = hh.ModernHopfieldNetwork(digits, beta=beta)
        kind = hh.which_memory(modern, modern.update(cue)).kind
        assert kind == ("mixture" if beta < 0.01 else "stored"), beta
    assert np.array_equal(hh.ModernHopfieldNetwork(digits, beta=1.0).update(cue), digits[0])
    # The pictures: every cue back exactly in one update; white is not "unknown".
    outputs, pictures = lesson["outputs"], lesson["pictures"]
    assert outputs.shape == (12, 128, 128)
    assert all(np.array_equal(out, pictures[k % 6]) for k, out in enumerate(outputs))
    names = lesson["all_labels"]
    assert names[1] == "HI sign" and "hi_text" not in names  # names a student reads
    ends = [v.label(names) for v in lesson["ends"]]
    assert ends == ["cat", "sunglasses", "sunglasses", "smiley", "star", "sunglasses"]
    np.testing.assert_allclose(lesson["hi_overlaps"][[1, 5]], [0.443, 0.452], atol=0.0005)
    assert names[int(np.argmax(lesson["white"]))] == "sunglasses"
    # 1,000 patterns in 64 neurons.
    assert lesson["signs_right"].sum() == 1000
    assert (lesson["errors"] <= 1e-6).sum() == 973
    assert lesson["errors"].max() == pytest.approx(0.005, abs=0.0005)
    assert lesson["flipped"].mean() == pytest.approx(6.4, abs=0.05)


def test_traces_of_a_rule_that_fails_and_one_that_works(lesson):
    """Section 7 draws the first 2 sweeps: after them neither state changes, Hebb's ends
    66 to 88 pixels from each digit, below its digits' band, the pseudo-inverse's on the 4."""
    digits, cue = lesson["bold_digits"], lesson["bold_cues"][0]
    for name in ("Hebb", "pseudo-inverse"):
        memory = lesson["bold_memories"][name]
        run = memory.recall(cue, 5 * 784, seed=4)
        assert np.array_equal(run.state_at(2 * 784), run.state), name
    hebb = lesson["bold_memories"]["Hebb"]
    end = hebb.recall(cue, 2 * 784, seed=4)
    assert sorted(hh.hamming_distance(end.state, d) for d in digits) == [66, 69, 88]
    assert end.energies[-1] < hh.HopfieldNetwork(digits).energy(digits).min() - 3
    assert np.array_equal(lesson["bold_memories"]["pseudo-inverse"].recall(cue, 2 * 784, seed=4).state,
                          digits[0])


def test_costs(lesson):
    keeps = lesson["KEEPS"]
    assert keeps["Storkey"][1](784, 3) * 8 / 2**20 == pytest.approx(4.69, abs=0.005)
    assert keeps["Storkey"][1](16_384, 3) * 8 / 2**30 == 2.0
    assert keeps["pseudo-inverse"][1](784, 3) == 2 * 3 * 784 + 9
    with pytest.raises(ValueError, match="dense N x N"):
        hh.HopfieldNetwork(lesson["pictures"][:3], rule="storkey")


def test_exercise_answers(lesson):
    thin = lesson["thin_digits"]
    # 1. Storkey in the order 7, 4, 1: only the 1 is a fixed point.
    net = hh.HopfieldNetwork(thin[[2, 1, 0]], rule="storkey")
    assert net.is_fixed_point(thin[[2, 1, 0]]).tolist() == [False, False, True]
    np.testing.assert_allclose(net.energy(thin[[2, 1, 0]]), [-201.7, -199.6, -260.9], atol=0.05)
    # 2. pseudo-inverse basins shrink as P nears N.
    back = {}
    for p in (30, 50, 70, 90):
        x = hh.random_patterns(p, 100, seed=4)
        net = hh.HopfieldNetwork(x, rule="pseudoinverse")
        assert net.is_fixed_point(x).all()
        final = net.recall(hh.add_noise(x, 0.1, seed=4), 5 * 100, seed=4).state
        back[p] = round(float(np.all(final == x, axis=1).mean()), 2)
    assert back == {30: 0.97, 50: 0.5, 70: 0.01, 90: 0.0}
    # 3. beta = 0.25: every sign right, none exact, largest error about 0.67.
    many, probes = lesson["many"], lesson["probes"]
    answers = hh.ModernHopfieldNetwork(many, beta=0.25).update(probes)
    errors = np.abs(answers - many).max(axis=1)
    assert np.all(np.sign(answers) == many) and (errors <= 1e-6).sum() == 0
    assert errors.max() == pytest.approx(0.67, abs=0.005)
    scores = probes.astype(float) @ many.T.astype(float)  # (probe, pattern)
    own = np.diag(scores).copy()
    np.fill_diagonal(scores, -np.inf)
    gaps = own - scores.max(axis=1)
    assert gaps.min() == 6 and gaps.max() < 48  # "by 6 to a few dozen"


# -- the explorers ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def found(lesson):
    found = explorers(lesson)
    assert sorted(found) == ["beta_explorer", "dense_explorer", "rules_explorer", "temperature_explorer"]
    return found


def captions(explorer):
    return [panel[0] for panel in explorer.panels if isinstance(panel, tuple)]


def pictures_of(explorer):
    return [panel[1] for panel in explorer.panels if isinstance(panel, tuple)]


@pytest.mark.parametrize("name", ["rules_explorer", "dense_explorer", "temperature_explorer",
                                  "beta_explorer"])
def test_every_control_of_every_explorer_redraws(found, name):
    explorer = found[name]
    start = explorer.values
    shown = drive_every_control(explorer)
    assert explorer.values == start
    assert {control for control, _, _ in shown} == set(explorer.controls)


def test_rules_explorer(found, lesson):
    explorer, digits = found["rules_explorer"], lesson["bold_digits"]
    assert explorer.values == {"noise": 0.15, "seed": 4, "sweep": 2}
    assert len(explorer.panels) == 1  # the grid, shown whole: its columns line up
    grid, shown = explorer.panels[0], lesson["GRID"]
    assert shown == ["Hebb", "Storkey", "pseudo-inverse", "modern", "dense n=3", "dense n=5"]
    assert len(grid) == 3 * 7  # a row per cue: the cue, then the 6 memories of GRID
    assert np.array_equal(np.stack([grid[7 * k][1] for k in range(3)]), lesson["bold_cues"])
    for k, name in enumerate(shown):
        np.testing.assert_allclose(grid[1 + k][1], lesson["bold_finals"][name][0])
    assert [grid[7 * k + 1][0] for k in range(3)] == ["mixture of 4, 7 and 9"] * 3
    assert [panel[0] for panel in grid[2:7]] == ["4"] * 5
    try:
        explorer.set(sweep=0)  # before any sweep every memory shows the cue
        grid = explorer.panels[0]
        assert all(np.array_equal(panel[1], grid[7 * (k // 7)][1]) for k, panel in enumerate(grid))
        explorer.set(noise=0.0, sweep=2)  # a perfect 4: Hebb still mixes, every cure keeps it
        assert [panel[0] for panel in explorer.panels[0][1:7]] == ["mixture of 4, 7 and 9"] + ["4"] * 5
    finally:
        explorer.set(noise=0.15, seed=4, sweep=2)


def test_two_sweeps_settle_every_classic_and_dense_network(lesson):
    """The rules explorer's prose: a third sweep changes no pixel, at any noise level."""
    for noise in np.round(np.arange(0.0, 0.51, 0.05), 2):
        for seed in (0, 4, 9):
            cues = np.stack([hh.add_noise(d, noise, seed=seed + k)
                             for k, d in enumerate(lesson["bold_digits"])])
            for name in lesson["GRID"]:
                memory = lesson["bold_memories"][name]
                if isinstance(memory, hh.ModernHopfieldNetwork):
                    continue
                run = memory.recall(cues, 3 * memory.n_neurons, seed=seed)
                assert np.array_equal(run.state_at(2 * memory.n_neurons), run.state), (name, noise)


def test_dense_explorer(found, lesson):
    explorer = found["dense_explorer"]
    digits, steps = lesson["thin_digits"], 5 * 784

    def states():  # every second panel: the state beside its cue
        return np.stack(pictures_of(explorer)[1::2])

    assert explorer.values == {"n": 3, "noise": 0.15, "seed": 4, "step": steps}
    assert explorer.controls["n"].min == 2 and explorer.controls["n"].max == 8
    assert explorer.controls["step"].max == steps
    # It starts with the three noisy thin cues from above, all ending in the mixture.
    assert np.array_equal(explorer.result.initial_state, lesson["thin_cues"])
    assert np.array_equal(np.stack(pictures_of(explorer)[::2]), lesson["thin_cues"])
    assert captions(explorer) == [text for d in THIN_NAMES for text in
                                  (f"noisy {d}", f"step {steps:,}:\nmixture of 1, 4 and 7")]
    try:
        explorer.set(n=2)  # Hebb's network
        assert np.array_equal(states(), lesson["thin_finals"]["Hebb"])
        explorer.set(n=4)
        assert captions(explorer)[3] == f"step {steps:,}:\n4"
        for n in (5, 8):
            explorer.set(n=n)
            assert np.array_equal(states(), digits)
            assert captions(explorer)[1::2] == [f"step {steps:,}:\n{d}" for d in THIN_NAMES]
        explorer.set(step=0)  # the step replays the kept recall: step 0 is the cues
        assert np.array_equal(states(), lesson["thin_cues"])
        assert captions(explorer)[1] == "step 0:\nother (near 1)"
        cues = pictures_of(explorer)[::2]
        explorer.set(noise=0.3)  # a new recall: new cues, and the step goes back to its end
        assert explorer.controls["step"].value == steps
        assert not np.array_equal(np.stack(pictures_of(explorer)[::2]), np.stack(cues))
        explorer.set(noise=0.0)
        assert np.array_equal(states(), digits)
    finally:
        explorer.set(n=3, noise=0.15, seed=4, step=steps)


def test_temperature_explorer(found, lesson):
    explorer = found["temperature_explorer"]
    mixture, star = lesson["small_mixture"], lesson["small_pictures"][2]
    steps = 5 * 48 * 48
    assert explorer.values == {"temperature": 0.0, "step": steps}
    assert len(explorer.panels) == 4  # start, state, energy chart, overlap chart
    assert captions(explorer) == ["start: the mixture",
                                  f"after {steps:,} updates\nmixture of cat, HI sign and star"]
    assert all(np.array_equal(p, mixture) for p in pictures_of(explorer))
    try:
        explorer.set(temperature=0.3)
        assert explorer.controls["step"].value == steps  # a new run: the step goes to its end
        assert captions(explorer)[1] == f"after {steps:,} updates\nnear star, 4 pixels off"
        assert lesson["small_net"].overlaps(pictures_of(explorer)[1])[2] > 0.95
        explorer.set(step=0)  # step 0 shows the start
        assert np.array_equal(pictures_of(explorer)[1], mixture)
        assert captions(explorer)[1] == "after 0 updates\nmixture of cat, HI sign and star"
        explorer.set(temperature=1.5)
        assert np.abs(lesson["small_net"].overlaps(pictures_of(explorer)[1])).max() < 0.1
        assert explorer.result is lesson["shaken"][1.5]
        explorer.set(temperature=0.1 + 0.2)  # off the slider's grid: the run of 0.3
        assert explorer.result is lesson["shaken"][0.3]
        assert np.count_nonzero(pictures_of(explorer)[1] != star) == 4
    finally:
        explorer.set(temperature=0.0)


def test_beta_explorer(found, lesson):
    explorer = found["beta_explorer"]
    digits, cue = lesson["thin_digits"], lesson["thin_cues"][0]
    assert explorer.values == {"beta": 1e-3, "noise": 0.15, "seed": 4, "step": 5}
    assert list(explorer.controls["beta"].options) == lesson["BETAS"]
    figure = explorer.panels[2]
    try:
        for beta in lesson["BETAS"]:
            explorer.set(beta=beta, step=1)  # one update, as the table below the explorer
            modern = hh.ModernHopfieldNetwork(digits, beta=beta)
            output = modern.update(cue)
            np.testing.assert_allclose(pictures_of(explorer)[1], output)
            heights = [bar.get_height() for bar in figure.axes[0].patches]
            np.testing.assert_allclose(heights, modern.attention(output))  # the next update's
            assert np.array_equal(pictures_of(explorer)[0], cue)
            signs = hh.which_memory(modern, output).label(THIN_NAMES)
            assert captions(explorer)[1] == f"update 1 of 5; signs:\n{signs}"
        assert np.array_equal(pictures_of(explorer)[1], digits[0])  # beta = 1: the 1 exactly
        explorer.set(step=0)
        assert np.array_equal(pictures_of(explorer)[1], cue)
        np.testing.assert_allclose([bar.get_height() for bar in figure.axes[0].patches],
                                   hh.ModernHopfieldNetwork(digits, beta=1.0).attention(cue))
        explorer.set(beta=1e-4, step=5)
        assert np.array_equal(np.sign(pictures_of(explorer)[1]), hh.mixture_state(digits))
        assert captions(explorer)[1] == "update 5 of 5; signs:\nmixture of 1, 4 and 7"
        explorer.set(beta=1.0, noise=0.4, seed=0)  # a new cue: the step goes to its end
        assert explorer.controls["step"].value == 5
        assert np.array_equal(pictures_of(explorer)[0], hh.add_noise(digits[0], 0.4, seed=0))
    finally:
        explorer.set(beta=1e-3, noise=0.15, seed=4, step=5)


def test_a_metastable_blend_after_repeated_updates(lesson):
    """beta = 0.01: the first update spells the 1, the second and later are the blend;
    from beta = 0.03 the 1 holds through all 5 updates."""
    run = lesson["recall_beta"](0.01)
    ends = [hh.which_memory(lesson["thin_digits"], run.state_at(k)).kind for k in range(6)]
    assert ends == ["other", "stored", "mixture", "mixture", "mixture", "mixture"]
    run = lesson["recall_beta"](0.03)
    assert all(np.array_equal(np.sign(run.state_at(k)), lesson["thin_digits"][0]) for k in range(1, 6))


# -- the lesson's helpers -----------------------------------------------------------------


def test_helpers_are_public_and_say_where_they_are_used():
    assert "picture_grid" in hh.__all__ and "Used in lesson 05." in hh.picture_grid.__doc__
    assert "Used in lessons 04 and 05" in hh.plot_capacity.__doc__


def png_of(picture):
    return format_display_data(picture)[0]["image/png"]


def test_picture_grid_lays_out_captioned_pictures(thin_digits):
    panels = [("one", thin_digits[0]), thin_digits[1],
              ("mixture of 1, 4 and 7", -thin_digits[2]), ("grey", 0.5 * thin_digits[0])]
    grid = hh.picture_grid(panels, ncols=3)
    image = grid.image
    assert image.mode == "L"
    single = hh.picture_grid([thin_digits[0]], ncols=1).image
    assert image.width == 3 * single.width  # three columns of one width
    assert 112 <= single.width <= 112 + 20  # a 28 x 28 picture scaled up to about 112 pixels
    pixels = np.asarray(image)
    assert set(np.unique(pixels)) >= {0, 255}  # ink black, background white
    assert png_of(grid)[:8] == b"\x89PNG\r\n\x1a\n"
    assert repr(grid) == "<4 panels>"
    # A long caption takes two lines (balanced), a short one one: rows grow to fit.
    one_line = hh.picture_grid([("one", thin_digits[0])], ncols=1).image.height
    two_lines = hh.picture_grid([("mixture of 1, 4 and 7", thin_digits[0])], ncols=1).image.height
    assert two_lines == one_line + 22
    titled = hh.picture_grid(panels, ncols=3, column_titles=["a", "b", "c"], title="t").image
    assert titled.height > image.height and titled.width == image.width
    # A real-valued average a hair above 1 is still drawn; 1-D patterns are a row.
    hh.picture_grid([np.full((4, 4), 1 + 1e-15), np.array([1, -1, 1])], ncols=2)


def test_picture_grid_leaves_its_inputs_alone(thin_digits):
    pattern = 0.5 * thin_digits[0].astype(float)
    panels = [("a", pattern), [[1, -1], [-1, 1]]]
    before = [pattern.copy(), [[1, -1], [-1, 1]]]
    hh.picture_grid(panels, ncols=2)
    assert np.array_equal(pattern, before[0]) and panels[1] == before[1]
    assert panels[0][1] is pattern


@pytest.mark.parametrize("kwargs, error, message", [
    ({"panels": []}, ValueError, "panels is empty"),
    ({"panels": "abc"}, TypeError, "panels must be a list"),
    ({"panels": np.ones((2, 3, 3))}, TypeError, "panels must be a list"),
    ({"ncols": 0}, ValueError, "ncols must be >= 1"),
    ({"ncols": 1.5}, TypeError, "ncols must be a whole number"),
    ({"column_titles": ["a"]}, ValueError, "one title per column"),
    ({"panels": [np.full((3, 3), 2.0)]}, ValueError, r"panels\[0\] must have values between"),
    ({"panels": [np.ones((2, 2, 2))]}, ValueError, r"panels\[0\] must be 1-D or 2-D"),
    ({"panels": [("a", "not a pattern")]}, TypeError, r"panels\[0\] must be an array"),
    ({"panels": [np.full((2, 2), np.nan)]}, ValueError, r"panels\[0\]"),
])
def test_picture_grid_refuses_bad_input(kwargs, error, message):
    arguments = {"panels": [np.ones((3, 3))], "ncols": 2, **kwargs}
    with pytest.raises(error, match=message):
        hh.picture_grid(**arguments)


def test_import_stays_light():
    code = "import hopfield_helpers, sys; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
