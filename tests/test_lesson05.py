"""Lesson 05 (beyond Hebb): the Storkey and pseudo-inverse rules, Glauber temperature and
annealing, the dense associative memory and the modern Hopfield network; what the lesson
computes and prints, its three explorers driven through every control, and the lesson's
helper picture_grid (its capacity chart, plot_capacity, is lesson 04's: tested there)."""

import re
import subprocess
import sys

import numpy as np
import pytest
from IPython.core.formatters import format_display_data

import hopfield_helpers as hh
from lessons import drive_every_control, explorers, run_lesson

THIN_NAMES = ["1", "4", "7"]
PICTURES = ["cat", "hi_text", "star"]


@pytest.fixture(scope="module")
def lesson():
    return run_lesson("05")


@pytest.fixture(scope="module")
def thin_digits():
    """The lesson's thin 1, 4, 7 (overlaps near 0.8)."""
    digits, labels, info = hh.load_digits()
    thin = (info["font_size"] == 23) & (info["slant"] == 0) & (info["stroke"] == 0.5)
    return digits[thin & np.isin(labels, [1, 4, 7])]


@pytest.fixture(scope="module")
def bold_digits():
    """Lesson 04's bold 4, 7, 9."""
    digits, labels, info = hh.load_digits()
    bold = (info["font_size"] == 26) & (info["slant"] == 0) & (info["stroke"] == 1.0)
    return digits[bold & np.isin(labels, [4, 7, 9])]


def _naive_storkey(x):
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


# -- the learning rules -------------------------------------------------------------------


def test_storkey_and_pseudoinverse_keep_40_patterns_in_200_neurons_hebb_does_not():
    x = hh.random_patterns(40, 200, seed=0)
    stable = {rule: int(hh.HopfieldNetwork(x, rule=rule).is_fixed_point(x).sum())
              for rule in ("hebb", "storkey", "pseudoinverse")}
    assert stable["storkey"] == 40
    assert stable["pseudoinverse"] == 40
    assert stable["hebb"] <= 10  # load 0.2, past 0.138: few patterns stay exactly stable


def test_storkey_matches_the_rule_written_out():
    x = hh.random_patterns(4, 9, seed=3).astype(np.float64)
    w = hh.HopfieldNetwork(x.astype(int), rule="storkey").weights
    np.testing.assert_allclose(w, _naive_storkey(x), atol=1e-12)
    np.testing.assert_allclose(w, w.T)
    assert np.all(np.diag(w) == 0)


def test_pseudoinverse_field_equals_explicit_matrix_times_state():
    x = hh.random_patterns(7, 30, seed=1)
    net = hh.HopfieldNetwork(x, rule="pseudoinverse")
    xf = x.astype(np.float64)
    c = xf @ xf.T / 30
    w = xf.T @ np.linalg.inv(c) @ xf / 30
    np.fill_diagonal(w, 0.0)
    np.testing.assert_allclose(net.weights, w, atol=1e-10)
    states = hh.random_patterns(5, 30, seed=2)
    np.testing.assert_allclose(net.field(states), states @ w, atol=1e-10)
    for s in states:
        np.testing.assert_allclose(net.energy(s), -0.5 * s @ w @ s, atol=1e-9)


def test_pseudoinverse_stores_correlated_digits_at_equal_energy(thin_digits):
    net = hh.HopfieldNetwork(thin_digits, rule="pseudoinverse")
    assert net.is_fixed_point(thin_digits).all()
    # The projection has trace P, so each stored pattern sits at -(N - P) / 2.
    np.testing.assert_allclose(net.energy(thin_digits), -(784 - 3) / 2)


def test_pseudoinverse_recall_energy_never_rises_and_matches_states():
    x = hh.random_patterns(12, 60, seed=4)
    net = hh.HopfieldNetwork(x, rule="pseudoinverse")
    result = net.recall(hh.add_noise(x[0], 0.3, seed=5), 300, seed=6)
    assert np.all(np.diff(result.energies) <= 1e-9)
    for t in (0, 50, 150, 300):
        assert result.energies[t] == pytest.approx(net.energy(result.state_at(t)), abs=1e-9)


def test_hebb_mixes_digits_the_other_rules_do_not(bold_digits):
    cue = hh.add_noise(bold_digits[0], 0.15, seed=4)
    hebb = hh.HopfieldNetwork(bold_digits).recall(cue, 5 * 784, seed=4)
    assert np.array_equal(hebb.state, hh.mixture_state(bold_digits))
    for rule in ("storkey", "pseudoinverse"):
        state = hh.HopfieldNetwork(bold_digits, rule=rule).recall(cue, 5 * 784, seed=4).state
        assert np.array_equal(state, bold_digits[0]), rule


def test_storkey_keeps_only_the_last_learned_of_very_alike_digits(thin_digits):
    for order in ([0, 1, 2], [2, 1, 0]):
        net = hh.HopfieldNetwork(thin_digits[order], rule="storkey")
        assert net.is_fixed_point(thin_digits[order]).tolist() == [False, False, True]


def test_storkey_refuses_big_networks_with_a_clear_message():
    with pytest.raises(ValueError, match="dense N x N matrix.*pseudoinverse"):
        hh.HopfieldNetwork(np.ones((1, hh.MAX_DENSE_NEURONS + 1), dtype=np.int8), rule="storkey")


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="rule must be one of"):
        hh.HopfieldNetwork(hh.random_patterns(2, 10, seed=0), rule="oja")


# -- temperature (Glauber dynamics) -------------------------------------------------------


@pytest.mark.parametrize("update", ["async", "sync"])
def test_glauber_probability_of_plus_one(update):
    """One neuron with field 0.5 at T = 0.5: +1 with probability (1 + tanh 1) / 2."""
    net = hh.HopfieldNetwork.from_weights([[0.0]], bias=0.5)
    ups = [net.recall([-1], 1, update=update, seed=s, temperature=0.5).state[0] == 1
           for s in range(3000)]
    expected = 0.5 * (1 + np.tanh(1.0))
    assert abs(np.mean(ups) - expected) < 4 * np.sqrt(expected * (1 - expected) / 3000)


def test_zero_temperature_is_the_deterministic_rule():
    x = hh.random_patterns(5, 80, seed=1)
    net = hh.HopfieldNetwork(x)
    cue = hh.add_noise(x[0], 0.3, seed=2)
    plain = net.recall(cue, 400, seed=3)
    for temperature in (0.0, np.zeros(400)):
        hot = net.recall(cue, 400, seed=3, temperature=temperature)
        assert np.array_equal(hot.state, plain.state)
        np.testing.assert_allclose(hot.energies, plain.energies)


def test_temperature_energy_trace_is_exact_and_can_rise():
    x = hh.random_patterns(3, 60, seed=1)
    for rule in ("hebb", "storkey", "pseudoinverse"):
        net = hh.HopfieldNetwork(x, rule=rule)
        result = net.recall(x[0], 600, seed=2, temperature=0.8)
        assert np.any(np.diff(result.energies) > 0), rule  # noise can climb uphill
        for t in (0, 100, 333, 600):
            assert result.energies[t] == pytest.approx(net.energy(result.state_at(t)), abs=1e-9)


def test_heat_shakes_the_mixture_loose_and_annealing_lands_in_a_stored_pattern():
    x = hh.random_patterns(3, 400, seed=7)
    net = hh.HopfieldNetwork(x)
    mix = hh.mixture_state(x)
    assert net.is_fixed_point(mix)
    assert np.array_equal(net.recall(mix, 2000, seed=1).state, mix)
    steps = 20 * 400
    for seed in range(3):
        result = net.recall(mix, steps, seed=seed, temperature=np.linspace(0.6, 0.0, steps))
        assert hh.which_memory(x, result.state).kind == "stored"


@pytest.mark.parametrize("bad, error", [(-0.1, ValueError), (np.inf, ValueError),
                                        (np.ones(5), ValueError), ("hot", TypeError),
                                        (np.full(10, -1.0), ValueError)])
def test_bad_temperatures_are_refused(bad, error):
    net = hh.HopfieldNetwork(hh.random_patterns(2, 10, seed=0))
    with pytest.raises(error, match="temperature"):
        net.recall(np.ones(10, dtype=int), 10, temperature=bad)


# -- dense associative memory -------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_dense_energy_never_rises_under_async_updates(n):
    x = hh.random_patterns(30, 80, seed=n)
    memory = hh.DenseAssociativeMemory(x, n=n)
    for seed in range(3):
        result = memory.recall(hh.add_noise(x[seed], 0.4, seed=seed), 800, seed=seed)
        assert np.all(np.diff(result.energies) <= 1e-9)
        assert result.energies[-1] == pytest.approx(memory.energy(result.state))
        assert result.energies[0] == pytest.approx(memory.energy(result.initial_state))


def test_dense_energy_formula():
    x = hh.random_patterns(4, 20, seed=0)
    memory = hh.DenseAssociativeMemory(x, n=3)
    s = hh.random_patterns(1, 20, seed=1)[0]
    m = x.astype(float) @ s / 20
    assert memory.energy(s) == pytest.approx(-20 * np.sum(m**3))


def test_dense_power_two_recalls_exactly_like_hebb(thin_digits):
    cue = hh.add_noise(thin_digits[1], 0.15, seed=3)
    dense = hh.DenseAssociativeMemory(thin_digits, n=2).recall(cue, 3 * 784, seed=5)
    hebb = hh.HopfieldNetwork(thin_digits).recall(cue, 3 * 784, seed=5)
    assert np.array_equal(dense.state, hebb.state)
    assert np.array_equal(dense.flip_neurons, hebb.flip_neurons)


def test_dense_high_power_retrieves_the_thin_digits(thin_digits):
    memory = hh.DenseAssociativeMemory(thin_digits, n=6)
    cues = np.stack([hh.add_noise(d, 0.15, seed=k) for k, d in enumerate(thin_digits)])
    result = memory.recall(cues, 5 * 784, seed=4)  # a stack, side by side
    assert np.array_equal(result.state, thin_digits)
    assert result.converged.all()


def test_dense_recalls_async_at_zero_temperature_only(thin_digits):
    memory = hh.DenseAssociativeMemory(thin_digits, n=3)
    for kwargs in ({"update": "sync"}, {"temperature": 0.5}):
        with pytest.raises(ValueError, match="async.*temperature 0"):
            memory.recall(thin_digits[0], 10, **kwargs)


def test_dense_validation():
    x = hh.random_patterns(3, 10, seed=0)
    with pytest.raises(ValueError, match="n must be >= 2"):
        hh.DenseAssociativeMemory(x, n=1)
    with pytest.raises(TypeError, match="n must be a whole number"):
        hh.DenseAssociativeMemory(x, n=2.5)
    with pytest.raises(ValueError, match="10 values"):
        hh.DenseAssociativeMemory(x).recall(np.ones(9, dtype=int), 5)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_dense_is_fixed_point_matches_a_sweep_without_changes(n):
    """A state is a fixed point exactly when a whole async sweep changes nothing."""
    rng = np.random.default_rng(n)
    patterns = hh.random_patterns(4, 30, seed=rng)
    memory = hh.DenseAssociativeMemory(patterns, n=n)
    states = list(patterns) + list(hh.random_patterns(20, 30, seed=rng))
    for state in states:
        unchanged = memory.recall(state, 30, seed=1).n_flips == 0
        assert memory.is_fixed_point(state) == unchanged


# -- modern Hopfield network --------------------------------------------------------------


def test_modern_update_is_softmax_attention():
    x = hh.random_patterns(5, 16, seed=0)
    net = hh.ModernHopfieldNetwork(x, beta=0.3)
    xi = np.linspace(-1, 1, 16)
    z = 0.3 * x.astype(float) @ xi
    p = np.exp(z - z.max())
    p /= p.sum()
    np.testing.assert_allclose(net.attention(xi), p)
    np.testing.assert_allclose(net.update(xi), p @ x)
    assert net.attention(xi).sum() == pytest.approx(1.0)
    # A stack is updated row by row, as the lesson's 1,000 probes are.
    stack = np.stack([xi, -xi])
    np.testing.assert_allclose(net.update(stack), [net.update(xi), net.update(-xi)])


@pytest.mark.parametrize("beta", [1e-4, 1e-2, 0.1, 1.0, 10.0])
def test_modern_energy_never_rises_under_the_update(beta):
    x = hh.random_patterns(20, 50, seed=1)
    net = hh.ModernHopfieldNetwork(x, beta=beta)
    rng = np.random.default_rng(2)
    for _ in range(5):
        start = rng.uniform(-1, 1, 50)
        result = net.recall(start, steps=6)
        assert np.all(np.diff(result.energies) <= 1e-9)
        np.testing.assert_allclose(result.energies, net.energy(result.trajectory))


def test_modern_small_beta_is_the_hebbian_mixture_large_beta_the_pattern(thin_digits):
    cue = hh.add_noise(thin_digits[0], 0.15, seed=4)
    low = hh.ModernHopfieldNetwork(thin_digits, beta=1e-5).recall(cue).state
    assert np.array_equal(np.sign(low), hh.mixture_state(thin_digits))
    high = hh.ModernHopfieldNetwork(thin_digits, beta=1.0).recall(cue)
    assert np.array_equal(high.state, thin_digits[0])
    assert high.state.shape == (28, 28) and high.steps == 1
    assert np.array_equal(high.state_at(0), cue) and np.array_equal(high.state_at(1), high.state)
    np.testing.assert_allclose(high.overlaps[-1], hh.overlap_matrix(thin_digits)[0])


def test_modern_validation():
    x = hh.random_patterns(3, 10, seed=0)
    for bad in (0, -1.0, np.nan):
        with pytest.raises(ValueError, match="beta"):
            hh.ModernHopfieldNetwork(x, beta=bad)
    with pytest.raises(TypeError, match="beta"):
        hh.ModernHopfieldNetwork(x, beta="big")
    net = hh.ModernHopfieldNetwork(x)
    with pytest.raises(ValueError, match="finite"):
        net.recall(np.full(10, np.nan))
    with pytest.raises(ValueError, match="one state of 10 values"):
        net.recall(np.ones(7))
    with pytest.raises(ValueError, match="one state"):
        net.recall(np.ones((2, 10)))


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
        ends = [v.kind for v in hh.which_memory(digits, lesson["recall_dense"](n))]
        fixed = [d for d, x in lesson["candidates"].items() if memory.is_fixed_point(x)]
        assert fixed == {2: ["mixture"], 3: ["mixture"], 4: ["4", "7", "mixture"]}.get(
            n, ["1", "4", "7", "mixture"]), n
        assert ends == {2: ["mixture"] * 3, 3: ["mixture"] * 3,
                        4: ["mixture", "stored", "mixture"]}.get(n, ["stored"] * 3), n
    # "n = 2 is Hebb's network": the very same final states as Hebb's from the same cues.
    assert np.array_equal(lesson["recall_dense"](2), lesson["thin_finals"]["Hebb"])
    assert np.array_equal(lesson["recall_dense"](6), digits)
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
    assert verdict(shaken[0.0].state) == "mixture of cat, hi_text and star"
    assert verdict(shaken[0.3].state) == "near star, 4 pixels off"
    assert verdict(shaken[0.6].state) == "near star, 105 pixels off"
    assert np.count_nonzero(shaken[1.0].state != lesson["small_pictures"][2]) > 2304 / 3
    assert np.abs(net.overlaps(shaken[1.5].state)).max() < 0.1
    assert verdict(lesson["small_pictures"][1]) == "hi_text"


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
    names = lesson["all_names"]
    ends = [v.label(names) for v in lesson["ends"]]
    assert ends == ["cat", "sunglasses", "sunglasses", "smiley", "star", "sunglasses"]
    np.testing.assert_allclose(lesson["hi_overlaps"][[1, 5]], [0.443, 0.452], atol=0.0005)
    assert names[int(np.argmax(lesson["white"]))] == "sunglasses"
    # 1,000 patterns in 64 neurons.
    assert lesson["signs_right"].sum() == 1000
    assert (lesson["errors"] <= 1e-6).sum() == 973
    assert lesson["errors"].max() == pytest.approx(0.005, abs=0.0005)
    assert lesson["flipped"].mean() == pytest.approx(6.4, abs=0.05)


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


@pytest.mark.parametrize("name", ["dense_explorer", "temperature_explorer", "beta_explorer"])
def test_every_control_of_every_explorer_redraws(found, name):
    explorer = found[name]
    start = explorer.values
    shown = drive_every_control(explorer)
    assert explorer.values == start
    assert {control for control, _, _ in shown} == set(explorer.controls)


def test_dense_explorer(found, lesson):
    explorer = found["dense_explorer"]
    digits = lesson["thin_digits"]
    assert explorer.values == {"n": 3}
    assert explorer.controls["n"].min == 2 and explorer.controls["n"].max == 8
    assert captions(explorer) == [f"noisy {d} ends as\nmixture of 1, 4 and 7" for d in THIN_NAMES]
    try:
        explorer.set(n=2)  # Hebb's network
        assert np.array_equal(np.stack(pictures_of(explorer)), lesson["thin_finals"]["Hebb"])
        explorer.set(n=4)
        assert captions(explorer)[1] == "noisy 4 ends as\n4"
        for n in (5, 8):
            explorer.set(n=n)
            assert np.array_equal(np.stack(pictures_of(explorer)), digits)
            assert captions(explorer) == [f"noisy {d} ends as\n{d}" for d in THIN_NAMES]
    finally:
        explorer.set(n=3)


def test_temperature_explorer(found, lesson):
    explorer = found["temperature_explorer"]
    mixture, star = lesson["small_mixture"], lesson["small_pictures"][2]
    steps = 5 * 48 * 48
    assert explorer.values == {"temperature": 0.0, "step": steps}
    assert len(explorer.panels) == 4  # start, state, energy chart, overlap chart
    assert captions(explorer) == ["start: the mixture",
                                  f"after {steps:,} updates\nmixture of cat, hi_text and star"]
    assert all(np.array_equal(p, mixture) for p in pictures_of(explorer))
    try:
        explorer.set(temperature=0.3)
        assert explorer.controls["step"].value == steps  # a new run: the step goes to its end
        assert captions(explorer)[1] == f"after {steps:,} updates\nnear star, 4 pixels off"
        assert lesson["small_net"].overlaps(pictures_of(explorer)[1])[2] > 0.95
        explorer.set(step=0)  # step 0 shows the start
        assert np.array_equal(pictures_of(explorer)[1], mixture)
        assert captions(explorer)[1] == "after 0 updates\nmixture of cat, hi_text and star"
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
    assert explorer.values == {"beta": 1e-3}
    assert list(explorer.controls["beta"].options) == lesson["BETAS"]
    figure = explorer.panels[2]
    try:
        for beta in lesson["BETAS"]:
            explorer.set(beta=beta)
            output = pictures_of(explorer)[1]
            modern = hh.ModernHopfieldNetwork(digits, beta=beta)
            np.testing.assert_allclose(output, modern.update(cue))
            heights = [bar.get_height() for bar in figure.axes[0].patches]
            np.testing.assert_allclose(heights, modern.attention(cue))
            assert np.array_equal(pictures_of(explorer)[0], cue)
        assert np.array_equal(pictures_of(explorer)[1], digits[0])  # beta = 1: the 1 exactly
        assert captions(explorer)[1] == "one update; signs:\n1"
        explorer.set(beta=1e-4)
        assert np.array_equal(np.sign(pictures_of(explorer)[1]), hh.mixture_state(digits))
        assert captions(explorer)[1] == "one update; signs:\nmixture of 1, 4 and 7"
    finally:
        explorer.set(beta=1e-3)


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
