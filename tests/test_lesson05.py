"""Tests for lesson 05 (beyond Hebb): the Storkey and pseudo-inverse rules, Glauber
temperature, the dense associative memory, the modern Hopfield network, and the lesson's
own helpers (comparisons, capacity per rule, explorers, costs)."""

import subprocess
import sys

import numpy as np
import pytest

import hopfield_helpers as hh


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
    stable = {rule: sum(hh.HopfieldNetwork(x, rule=rule).is_fixed_point(p) for p in x)
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
    assert all(net.is_fixed_point(d) for d in thin_digits)
    # The projection has trace P, so each stored pattern sits at -(N - P) / 2.
    np.testing.assert_allclose(net.energy(thin_digits), -(784 - 3) / 2)


def test_pseudoinverse_recall_energy_never_rises_and_matches_states():
    x = hh.random_patterns(12, 60, seed=4)
    net = hh.HopfieldNetwork(x, rule="pseudoinverse")
    result = net.recall(hh.add_noise(x[0], 0.3, seed=5), 300, seed=6)
    assert np.all(np.diff(result.energies) <= 1e-9)
    for t in (0, 50, 150, 300):
        assert result.energies[t] == pytest.approx(net.energy(result.state_at(t)), abs=1e-9)


def test_hebb_blends_digits_the_other_rules_do_not(bold_digits):
    cue = hh.add_noise(bold_digits[0], 0.15, seed=4)
    blend = hh.mixture_state(bold_digits)
    hebb = hh.HopfieldNetwork(bold_digits).recall(cue, 5 * 784, seed=4)
    assert np.array_equal(hebb.state, blend)
    for rule in ("storkey", "pseudoinverse"):
        state = hh.HopfieldNetwork(bold_digits, rule=rule).recall(cue, 5 * 784, seed=4).state
        assert np.array_equal(state, bold_digits[0]), rule


def test_storkey_keeps_only_the_last_learned_of_very_alike_digits(thin_digits):
    for order in ([0, 1, 2], [2, 1, 0]):
        net = hh.HopfieldNetwork(thin_digits[order], rule="storkey")
        assert [net.is_fixed_point(d) for d in thin_digits[order]] == [False, False, True]


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
        result = net.recall(mix, steps, seed=seed,
                            temperature=hh.annealing_schedule(0.6, steps))
        kind, _, _ = hh.classify_state(x, result.state)
        assert kind == "stored"


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
    for k, digit in enumerate(thin_digits):
        result = memory.recall(hh.add_noise(digit, 0.15, seed=k), 5 * 784, seed=k)
        assert np.array_equal(result.state, digit)
        assert result.converged


def test_dense_validation():
    x = hh.random_patterns(3, 10, seed=0)
    with pytest.raises(ValueError, match="n must be >= 2"):
        hh.DenseAssociativeMemory(x, n=1)
    with pytest.raises(TypeError, match="n must be a whole number"):
        hh.DenseAssociativeMemory(x, n=2.5)
    with pytest.raises(ValueError, match="state has 9 values"):
        hh.DenseAssociativeMemory(x).recall(np.ones(9, dtype=int), 5)


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


@pytest.mark.parametrize("beta", [1e-4, 1e-2, 0.1, 1.0, 10.0])
def test_modern_energy_never_rises_under_the_update(beta):
    x = hh.random_patterns(20, 50, seed=1)
    net = hh.ModernHopfieldNetwork(x, beta=beta)
    rng = np.random.default_rng(2)
    for _ in range(5):
        start = rng.uniform(-1, 1, 50)
        result = net.recall(start, steps=6)
        assert np.all(np.diff(result.energies) <= 1e-9)
        np.testing.assert_allclose(result.energies, net.energy(result._trajectory))


def test_modern_one_step_retrieves_among_1000_patterns_in_64_neurons():
    many = hh.random_patterns(1000, 64, seed=4)
    check = hh.one_step_retrievals(hh.ModernHopfieldNetwork(many, beta=1.0), noise=0.1, seed=4)
    assert check["probes"] == 1000
    assert check["sign_right"] == 1000
    assert check["exact"] >= 950
    assert check["flipped"].mean() == pytest.approx(6.4, abs=0.5)


def test_modern_small_beta_is_the_hebbian_blend_large_beta_the_pattern(thin_digits):
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
    with pytest.raises(ValueError, match="must have 10 values"):
        net.recall(np.ones(7))
    with pytest.raises(ValueError, match="one state"):
        net.recall(np.ones((2, 10)))


# -- the lesson's helpers -----------------------------------------------------------------


def _memories(x):
    return {"Hebb": hh.HopfieldNetwork(x), "pinv": hh.HopfieldNetwork(x, rule="pseudoinverse"),
            "dense": hh.DenseAssociativeMemory(x, n=6), "modern": hh.ModernHopfieldNetwork(x, 0.1)}


def test_recall_with_every_kind_of_memory(bold_digits):
    cue = hh.add_noise(bold_digits[1], 0.15, seed=1)
    for name, memory in _memories(bold_digits).items():
        result = hh.recall_with(memory, cue, sweeps=2, seed=3)
        assert isinstance(result, hh.RecallResult)
        assert result.state.shape == (28, 28)
        expected = 1 if name == "modern" else 2 * 784
        assert result.steps == expected
    with pytest.raises(TypeError, match="memory must be"):
        hh.recall_with("Hebb", cue)
    with pytest.raises(ValueError, match="sweeps must be >= 1"):
        hh.recall_with(hh.HopfieldNetwork(bold_digits), cue, sweeps=0)
    with pytest.raises(ValueError, match="cue must contain only"):
        hh.recall_with(hh.ModernHopfieldNetwork(bold_digits), np.zeros((28, 28)))


def test_classify_and_describe_states(bold_digits):
    names = ["4", "7", "9"]
    blend = hh.mixture_state(bold_digits)
    assert hh.classify_state(bold_digits, bold_digits[2]) == ("stored", (2,), 1.0)
    assert hh.describe_state(bold_digits, -bold_digits[1], names) == "reversed 7"
    assert hh.describe_state(bold_digits, blend, names) == "blend 4+7+9"
    assert hh.describe_state(bold_digits, -blend, names) == "blend 4+7+9"
    mixed = hh.mixture_state(bold_digits, signs=[1, -1, 1])
    assert hh.classify_state(bold_digits, mixed)[0] == "blend"
    near = bold_digits[0].copy()
    near[0, :3] *= -1
    kind, members, q = hh.classify_state(bold_digits, near)
    assert (kind, members) == ("other", (0,)) and q == pytest.approx(1 - 6 / 784)
    assert hh.describe_state(bold_digits, near, names) == "other (near 4)"
    # Real values count by their sign; an exact 0 matches nothing.
    assert hh.describe_state(bold_digits, 0.3 * bold_digits[0], names) == "4"
    assert hh.classify_state(bold_digits, np.zeros((28, 28)))[0] == "other"
    with pytest.raises(ValueError, match="labels must name each"):
        hh.describe_state(bold_digits, blend, ["4", "7"])
    with pytest.raises(ValueError, match="state has 10 values"):
        hh.classify_state(bold_digits, np.ones(10))


def test_recall_rows_uses_the_same_cues_and_seeds(bold_digits):
    cues = np.stack([hh.add_noise(d, 0.15, seed=4 + k) for k, d in enumerate(bold_digits)])
    memories = _memories(bold_digits)
    rows = hh.recall_rows(memories, cues, sweeps=5, seed=4)
    assert list(rows) == list(memories) and all(len(r) == 3 for r in rows.values())
    again = memories["Hebb"].recall(cues[2], 5 * 784, seed=6)
    assert np.array_equal(rows["Hebb"][2].state, again.state)
    for name in ("pinv", "dense", "modern"):
        assert [hh.classify_state(bold_digits, r.state)[1] for r in rows[name]] == [(0,), (1,), (2,)]
    fig = hh.plot_recall_rows(rows, cues, bold_digits, ["4", "7", "9"], blocks=2,
                              cue_titles=["a", "b", "c"], suptitle="test")
    assert len(fig.axes) == (2 + 1) * (3 + 1 + 3)  # (2 rows + cue row) x (3 + gap + 3)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles.count("blend 4+7+9") == 3 and "a" in titles
    with pytest.raises(ValueError, match="one title per cue"):
        hh.plot_recall_rows(rows, cues, bold_digits, ["4", "7", "9"], cue_titles=["a"])
    with pytest.raises(ValueError, match="must hold 3 RecallResults"):
        hh.plot_recall_rows({"x": rows["Hebb"][:2]}, cues, bold_digits, ["4", "7", "9"])
    with pytest.raises(TypeError, match="memories"):
        hh.recall_rows({}, cues)


def test_retrieval_tally_counts_every_cue(bold_digits):
    tally = hh.retrieval_tally(_memories(bold_digits), bold_digits, noise=0.15, seeds=range(3))
    assert all(sum(counts.values()) == 9 for counts in tally.values())
    assert tally["Hebb"]["blend"] == 9
    assert tally["pinv"]["right"] == tally["dense"]["right"] == tally["modern"]["right"] == 9
    table = hh.tally_table(tally)
    assert table.splitlines()[0].split() == ["right", "wrong", "blend", "other"]
    assert len(table.splitlines()) == 5
    with pytest.raises(ValueError, match="seeds is empty"):
        hh.retrieval_tally(_memories(bold_digits), bold_digits, seeds=[])
    with pytest.raises(ValueError, match="neurons"):
        hh.retrieval_tally({"small": hh.HopfieldNetwork(hh.random_patterns(2, 9, seed=0))},
                           bold_digits)


def test_capacity_by_rule_is_fair_and_plots():
    builders = {"Hebb": hh.HopfieldNetwork,
                "pinv": lambda x: hh.HopfieldNetwork(x, rule="pseudoinverse"),
                "modern": lambda x: hh.ModernHopfieldNetwork(x, beta=0.5)}
    table = hh.capacity_by_rule(builders, 60, [0.05, 0.5], trials=4, noise=0.0, seed=1)
    assert len(table["rule"]) == 3 * 2 * 4
    assert set(table) == {"rule", "P", "load", "trial", "noise", "overlap", "recalled", "exact"}
    assert sorted(set(table["P"].tolist())) == [3, 30]
    pinv = table["rule"] == "pinv"
    assert table["exact"][pinv].all()  # every stored pattern is a fixed point for P < N
    hebb_heavy = (table["rule"] == "Hebb") & (table["P"] == 30)
    assert table["recalled"][hebb_heavy].mean() < 0.5
    assert hh.held_load(table) == {"Hebb": 0.05, "pinv": 0.5, "modern": 0.5}
    again = hh.capacity_by_rule(builders, 60, [0.05, 0.5], trials=4, noise=0.0, seed=1)
    assert np.array_equal(again["overlap"], table["overlap"])
    ax = hh.plot_capacity_by_rule(table, title="t")
    assert ax.get_title() == "t" and len(ax.get_lines()) == 3 + 2
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Hebb theory: 0.138" in labels
    with pytest.raises(ValueError, match="loads must be positive"):
        hh.capacity_by_rule(builders, 60, [0.0])
    with pytest.raises(ValueError, match="noise must be between 0 and 1"):
        hh.capacity_by_rule(builders, 60, [0.1], noise=[0.0, 2.0])
    with pytest.raises(TypeError, match="callable"):
        hh.capacity_by_rule({"x": 3}, 60, [0.1])
    with pytest.raises(TypeError, match=r"builders\['bad'\]\(patterns\)"):
        hh.capacity_by_rule({"bad": lambda x: x}, 60, [0.1], trials=1)
    with pytest.raises(ValueError, match="column must be"):
        hh.plot_capacity_by_rule(dict(table, bogus=table["exact"]), column="bogus")


def test_capacity_by_rule_with_several_noise_levels_reuses_the_networks():
    builders = {"Hebb": hh.HopfieldNetwork,
                "Storkey": lambda x: hh.HopfieldNetwork(x, rule="storkey")}
    table = hh.capacity_by_rule(builders, 50, [0.1, 0.6], trials=3, noise=[0.0, 0.2], seed=2)
    assert len(table["rule"]) == 2 * 2 * 3 * 2
    assert sorted(set(table["noise"].tolist())) == [0.0, 0.2]
    # With no noise the cue is the pattern itself: a few flips at most at low load.
    low = (table["load"] == 0.1) & (table["noise"] == 0.0)
    assert table["recalled"][low].all()
    with pytest.raises(ValueError, match="several noise levels"):
        hh.plot_capacity_by_rule(table)
    with pytest.raises(ValueError, match="not in the table"):
        hh.held_load(table, noise=0.5)
    held = hh.held_load(table, noise=0.0)
    assert set(held) == {"Hebb", "Storkey"} and held["Storkey"] >= held["Hebb"]
    ax = hh.plot_capacity_by_rule(table, noise=0.2, legend=False)
    assert ax.get_legend() is None


def test_annealing_schedule_and_plot():
    schedule = hh.annealing_schedule(0.6, 5)
    np.testing.assert_allclose(schedule, [0.6, 0.45, 0.3, 0.15, 0.0])
    with pytest.raises(ValueError, match="start must be"):
        hh.annealing_schedule(-1, 5)
    with pytest.raises(ValueError, match="steps must be >= 1"):
        hh.annealing_schedule(1, 0)
    x = hh.random_patterns(3, (8, 8), seed=0)
    net = hh.HopfieldNetwork(x)
    sched = hh.annealing_schedule(0.5, 640)
    result = net.recall(hh.mixture_state(x), 640, seed=1, temperature=sched)
    fig = hh.plot_annealing(result, sched, labels=["a", "b", "c"], title="t")
    assert len(fig.axes) == 4
    with pytest.raises(ValueError, match="one temperature per step"):
        hh.plot_annealing(result, sched[:-1])


def test_glauber_probability_plot():
    ax = hh.plot_glauber_probability((0, 0.5))
    lines = ax.get_lines()
    assert len(lines) == 2
    h, p = lines[1].get_data()
    np.testing.assert_allclose(p, 0.5 * (1 + np.tanh(h / 0.5)))
    assert set(np.unique(lines[0].get_ydata())) == {0.0, 0.5, 1.0}
    with pytest.raises(ValueError, match="temperatures"):
        hh.plot_glauber_probability((-1,))


def test_temperature_explorer():
    x = np.stack([hh.load_picture(n, size=(48, 48)) for n in ("cat", "hi_text", "star")])
    net = hh.HopfieldNetwork(x)
    blend = hh.mixture_state(x)
    explorer = hh.temperature_explorer(net, blend, sweeps=5, seed=4,
                                       labels=["cat", "hi_text", "star"])
    assert np.array_equal(explorer.explore(temperature=0.0), blend)
    assert explorer.verdict == "blend cat+hi_text+star"
    assert net.overlaps(explorer.explore(temperature=0.3))[2] > 0.95
    assert np.abs(net.overlaps(explorer.explore(temperature=1.5))).max() < 0.2
    assert explorer.image.value[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="temperature must be between"):
        explorer.explore(temperature=2.0)
    with pytest.raises(TypeError, match="HopfieldNetwork"):
        hh.temperature_explorer(hh.DenseAssociativeMemory(x), blend)


def test_dense_explorer(thin_digits):
    cues = np.stack([hh.add_noise(d, 0.15, seed=4 + k) for k, d in enumerate(thin_digits)])
    explorer = hh.dense_explorer(thin_digits, cues, ["1", "4", "7"], n=3, n_max=6, seed=4)
    assert explorer.verdicts == ["blend 1+4+7"] * 3
    assert np.array_equal(explorer.explore(n=6), thin_digits)
    assert explorer.verdicts == ["1", "4", "7"]
    with pytest.raises(ValueError, match="n must be between 2 and 6"):
        explorer.explore(n=7)
    with pytest.raises(ValueError, match="labels"):
        hh.dense_explorer(thin_digits, cues, ["1"])


def test_beta_explorer(thin_digits):
    cue = hh.add_noise(thin_digits[0], 0.15, seed=4)
    explorer = hh.beta_explorer(thin_digits, cue, ["1", "4", "7"], beta=1e-3)
    low = explorer.explore(beta=1e-4)
    assert np.ptp(explorer.weights) < 0.01
    assert np.array_equal(np.sign(low), hh.mixture_state(thin_digits))
    assert np.array_equal(explorer.explore(beta=1.0), thin_digits[0])
    explorer.explore(beta=100.0)  # clipped to the slider's end, like a slider
    assert explorer.beta.value == pytest.approx(1.0)
    with pytest.raises(ValueError, match="beta must lie in beta_range"):
        hh.beta_explorer(thin_digits, cue, ["1", "4", "7"], beta=5.0)
    with pytest.raises(ValueError, match="beta_range"):
        hh.beta_explorer(thin_digits, cue, ["1", "4", "7"], beta_range=(1.0, 0.1))


def test_memory_bytes_and_recall_seconds(thin_digits):
    hebb = hh.HopfieldNetwork(thin_digits)
    storkey = hh.HopfieldNetwork(thin_digits, rule="storkey")
    modern = hh.ModernHopfieldNetwork(thin_digits)
    assert hh.memory_bytes(storkey) >= 8 * 784**2
    assert hh.memory_bytes(hebb) < 8 * 784**2 / 50
    # Patterns (int8) and one float copy, each counted once.
    assert hh.memory_bytes(modern) == 3 * 784 + 2 * 8 * 3 * 784
    assert hh.recall_seconds(modern, thin_digits[0], repeats=2) >= 0
    with pytest.raises(ValueError, match="repeats must be >= 1"):
        hh.recall_seconds(modern, thin_digits[0], repeats=0)
    with pytest.raises(TypeError, match="memory must be"):
        hh.memory_bytes(np.zeros(3))


def test_one_step_retrievals_validation():
    net = hh.ModernHopfieldNetwork(hh.random_patterns(5, 20, seed=0), beta=5.0)
    assert hh.one_step_retrievals(net, noise=0.0)["exact"] == 5
    soft = hh.one_step_retrievals(hh.ModernHopfieldNetwork(net.patterns, beta=0.01), noise=0.0)
    assert soft["exact"] == 0 and soft["max_error"] > 0.5  # a soft softmax blends
    with pytest.raises(TypeError, match="ModernHopfieldNetwork"):
        hh.one_step_retrievals(hh.HopfieldNetwork(net.patterns))
    with pytest.raises(ValueError, match="tolerance"):
        hh.one_step_retrievals(net, tolerance=0)


def test_import_stays_light():
    code = "import hopfield_helpers, sys; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


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
