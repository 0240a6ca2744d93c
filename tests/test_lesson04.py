"""Tests of the spurious-state helpers (lesson 04).

Covers the shared "Spurious states and capacity" section (overlap_matrix, mixture_state,
MemoryVerdict / which_memory, capacity_sweep, recalled_fraction) and the lesson's own
section (settle_many, capacity_sweep, capacity_curves, load_at_fraction,
which_memories, stored_fixed_points, memory_energies, random_start_landings, the plots and
the two explorers).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hopfield_helpers as hh


# -- overlap_matrix -------------------------------------------------------------------


def test_overlap_matrix_matches_pairwise_overlaps():
    x = hh.random_patterns(4, (6, 7), seed=1)
    m = hh.overlap_matrix(x)
    assert m.shape == (4, 4)
    assert np.allclose(m, m.T)
    assert np.allclose(np.diag(m), 1.0)
    for i in range(4):
        for j in range(4):
            assert m[i, j] == pytest.approx(hh.overlap(x[i], x[j]))


def test_overlap_matrix_of_a_pattern_and_its_reverse():
    x = hh.letter_pattern("X")
    assert np.array_equal(hh.overlap_matrix([x, -x]), [[1.0, -1.0], [-1.0, 1.0]])


def test_overlap_matrix_refuses_bad_input():
    with pytest.raises(ValueError, match="patterns"):
        hh.overlap_matrix(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="same shape"):
        hh.overlap_matrix([np.ones(3), np.ones(4)])


# -- mixture_state --------------------------------------------------------------------


def test_mixture_is_the_pixelwise_majority():
    x = hh.random_patterns(3, 500, seed=2)
    mix = hh.mixture_state(x)
    assert mix.dtype == np.int8 and mix.shape == (500,)
    assert np.array_equal(mix, np.where(x.sum(axis=0) > 0, 1, -1))
    # It agrees with a pattern exactly where that pattern is not outvoted.
    outvoted = (x[1] == x[2]) & (x[1] != x[0])
    assert np.array_equal(mix != x[0], outvoted)


def test_mixture_signs_and_shape():
    x = hh.random_patterns(3, (4, 5), seed=3)
    mix = hh.mixture_state(x, signs=[1, -1, 1])
    assert mix.shape == (4, 5)
    assert np.array_equal(mix, np.sign(x[0] - x[1].astype(int) + x[2]))
    # Reversing every sign reverses the mixture.
    assert np.array_equal(hh.mixture_state(x, signs=[-1, 1, -1]), -mix)


def test_mixture_refuses_even_counts_and_bad_signs():
    x = hh.random_patterns(4, 10, seed=4)
    with pytest.raises(ValueError, match="odd"):
        hh.mixture_state(x)
    with pytest.raises(ValueError, match="signs"):
        hh.mixture_state(x[:3], signs=[1, 1])
    with pytest.raises(ValueError, match="signs"):
        hh.mixture_state(x[:3], signs=[1, 0, 1])


# For random patterns, pixel i of sign(a + b + c) equals a_i unless b_i = c_i = -a_i
# (probability 1/4). So a_i * mix_i is +1 with probability 3/4 and -1 with probability
# 1/4: mean 1/2, variance 1 - 1/4 = 3/4. One overlap (a mean of N such pixels) therefore
# has standard deviation sqrt(3 / (4 N)), about 0.027 at N = 1000.
# The mean of the three overlaps is (1/N) sum_i |a_i + b_i + c_i| / 3, where each term is
# 1 (all three agree, probability 1/4) or 1/3 (probability 3/4): mean 1/4 + 1/4 = 1/2,
# variance (1/4 + 3/4 * 1/9) - 1/4 = 1/12, so its standard deviation is sqrt(1 / (12 N)),
# about 0.0091 at N = 1000. We allow 5 standard deviations (a false alarm about once in
# 1.7 million runs; the seeds are fixed anyway).
N_MIX = 1000
SIGMA_ONE = math.sqrt(3 / (4 * N_MIX))
SIGMA_MEAN = math.sqrt(1 / (12 * N_MIX))


@pytest.mark.parametrize("seed", range(10))
def test_three_mixture_mean_overlap_is_one_half(seed):
    x = hh.random_patterns(3, N_MIX, seed=seed)
    overlaps = hh.HopfieldNetwork(x).overlaps(hh.mixture_state(x))
    assert abs(overlaps.mean() - 0.5) < 5 * SIGMA_MEAN
    assert np.all(np.abs(overlaps - 0.5) < 5 * SIGMA_ONE)


def test_three_mixture_overlap_averaged_over_many_networks():
    trials = 40
    means = [hh.HopfieldNetwork(x).overlaps(hh.mixture_state(x)).mean()
             for x in (hh.random_patterns(3, N_MIX, seed=100 + t) for t in range(trials))]
    assert abs(np.mean(means) - 0.5) < 5 * SIGMA_MEAN / math.sqrt(trials)


def test_energies_per_neuron_of_stored_and_mixture_states():
    # E/N = -1/2 sum_mu m_mu^2 + P / (2N): about -1/2 for a stored pattern, -3/8 for the
    # mixture. At N = 20,000 the overlaps wobble by ~0.006, the energies by < 0.01.
    n = 20_000
    x = hh.random_patterns(3, n, seed=7)
    net = hh.HopfieldNetwork(x)
    mix = hh.mixture_state(x)
    assert np.allclose(net.energy(x) / n, -0.5, atol=0.01)
    assert net.energy(mix) / n == pytest.approx(-0.375, abs=0.01)
    m = net.overlaps(mix)
    assert net.energy(mix) / n == pytest.approx(-0.5 * np.sum(m**2) + 3 / (2 * n))
    assert net.is_fixed_point(mix)


@settings(max_examples=30)
@given(st.integers(0, 2**31 - 1), st.integers(1, 5))
def test_reversed_state_has_the_same_energy(seed, p):
    x = hh.random_patterns(p, 40, seed=seed)
    net = hh.HopfieldNetwork(x)
    s = hh.random_patterns(1, 40, seed=seed + 1)[0]
    assert net.energy(-s) == pytest.approx(net.energy(s))
    assert net.is_fixed_point(-x[0]) == net.is_fixed_point(x[0])


# -- MemoryVerdict / which_memory ----------------------------------------------------------

X5 = hh.random_patterns(5, 400, seed=11)
NET5 = hh.HopfieldNetwork(X5)


def test_which_memory_stored_and_reversed():
    v = hh.which_memory(NET5, X5[2])
    assert (v.kind, v.patterns, v.overlap) == ("stored", (2,), 1.0)
    v = hh.which_memory(NET5, -X5[4])
    assert (v.kind, v.patterns, v.overlap) == ("reversed", (4,), 1.0)
    assert str(v) == "reversed 4 (overlap 1.00)"


def test_which_memory_mixtures_with_any_signs():
    for trio, signs in [((0, 1, 2), (1, 1, 1)), ((1, 3, 4), (1, -1, 1)),
                        ((0, 2, 4), (-1, -1, -1))]:
        v = hh.which_memory(NET5, hh.mixture_state(X5[list(trio)], signs=signs))
        assert v.kind == "mixture" and v.patterns == trio and v.overlap == 1.0
    assert str(v).startswith("mixture 0+2+4")


def test_which_memory_other_and_tolerance():
    noise = hh.random_patterns(1, 400, seed=12)[0]
    v = hh.which_memory(NET5, noise)
    assert v.kind == "other" and v.patterns == ()
    assert v.overlap == pytest.approx(np.abs(NET5.overlaps(noise)).max())
    assert str(v).startswith("other")
    near = X5[1].copy()
    near[:8] *= -1  # 8 of 400 pixels wrong: overlap 0.96
    assert hh.which_memory(NET5, near).kind == "other"
    assert hh.which_memory(NET5, near, min_overlap=0.95) == hh.MemoryVerdict("stored", (1,), 0.96)


def test_which_memory_refuses_bad_input():
    with pytest.raises(TypeError, match="network"):
        hh.which_memory(X5, X5[0])
    with pytest.raises(ValueError, match="min_overlap"):
        hh.which_memory(NET5, X5[0], min_overlap=0)
    with pytest.raises(ValueError, match="min_overlap"):
        hh.which_memory(NET5, X5[0], min_overlap=1.5)
    with pytest.raises(ValueError, match="neurons"):
        hh.which_memory(NET5, X5[0][:10])


def test_which_memories_gives_the_same_verdicts():
    starts = hh.random_patterns(150, 400, seed=13)
    finals, _ = hh.settle_many(NET5, starts, sweeps=10, seed=14)
    states = np.concatenate([finals, X5, -X5, [hh.mixture_state(X5[:3])], starts[:5]])
    for min_overlap in (1.0, 0.9, 0.3):
        assert hh.which_memories(NET5, states, min_overlap=min_overlap) == [
            hh.which_memory(NET5, s, min_overlap=min_overlap) for s in states]
    assert hh.which_memories(NET5, X5[0]) == [hh.which_memory(NET5, X5[0])]
    small = hh.HopfieldNetwork(X5[:2])  # no trio: no mixtures to check
    assert hh.which_memories(small, states[:20]) == [hh.which_memory(small, s) for s in states[:20]]
    with pytest.raises(TypeError, match="network"):
        hh.which_memories(None, X5)
    with pytest.raises(ValueError, match="min_overlap"):
        hh.which_memories(NET5, X5, min_overlap=0)


# -- capacity_sweep and recalled_fraction ---------------------------------------------------


def test_capacity_sweep_table_shape_and_consistency():
    table = hh.capacity_sweep([50, 80], [2, 5, 30], trials=3, sweeps=3, seed=1)
    assert set(table) == {"N", "P", "load", "trial", "overlap", "recalled", "exact"}
    assert all(len(col) == 2 * 3 * 3 for col in table.values())
    assert np.allclose(table["load"], table["P"] / table["N"])
    assert np.array_equal(table["recalled"], table["overlap"] >= 0.9)
    assert np.array_equal(table["exact"], table["overlap"] == 1.0)
    assert sorted(set(table["trial"].tolist())) == [0, 1, 2]
    assert np.all((table["overlap"] >= -1) & (table["overlap"] <= 1))
    again = hh.capacity_sweep([50, 80], [2, 5, 30], trials=3, sweeps=3, seed=1)
    assert all(np.array_equal(table[k], again[k]) for k in table)


def test_capacity_sweep_low_load_is_always_recalled():
    table = hh.capacity_sweep(200, 2, trials=5, seed=2)
    assert table["exact"].all()


def test_capacity_falls_past_the_critical_load_at_n500():
    # Loads 0.08, 0.14 and 0.26 at N = 500.
    table = hh.capacity_sweep(500, [40, 70, 130], trials=8, sweeps=5, seed=3)
    frac = hh.recalled_fraction(table)
    assert np.allclose(frac["load"], [0.08, 0.14, 0.26])
    low, mid, high = frac["recalled"]
    assert low == 1.0 and high <= 0.25 and low >= mid >= high


def test_capacity_sweep_refuses_bad_input():
    with pytest.raises(ValueError, match="n_neurons"):
        hh.capacity_sweep(1, 1)
    with pytest.raises(ValueError, match="n_patterns"):
        hh.capacity_sweep(10, 0)
    with pytest.raises(ValueError, match="trials"):
        hh.capacity_sweep(10, 1, trials=0)
    with pytest.raises(ValueError, match="recalled_overlap"):
        hh.capacity_sweep(10, 1, recalled_overlap=2)


def test_recalled_fraction_groups_a_hand_made_table():
    table = {"N": np.array([10, 10, 10, 20]), "P": np.array([1, 1, 2, 2]),
             "load": np.array([0.1, 0.1, 0.2, 0.1]),
             "recalled": np.array([True, False, True, True]),
             "exact": np.array([False, False, True, True])}
    out = hh.recalled_fraction(table)
    assert np.array_equal(out["N"], [10, 10, 20]) and np.array_equal(out["P"], [1, 2, 2])
    assert np.allclose(out["recalled"], [0.5, 1.0, 1.0])
    assert np.allclose(out["exact"], [0.0, 1.0, 1.0])
    by_n = hh.recalled_fraction(table, by=("N",))
    assert np.allclose(by_n["recalled"], [2 / 3, 1.0])
    with pytest.raises(ValueError, match="missing"):
        hh.recalled_fraction({"N": table["N"]})


# -- settle_many ------------------------------------------------------------------------


@pytest.mark.parametrize("bias", [0.0, 0.3])
def test_settle_many_ends_exactly_where_each_recall_ends(bias):
    x = hh.random_patterns(6, 120, seed=21)
    net = hh.HopfieldNetwork(x, bias=bias)
    starts = hh.random_patterns(25, 120, seed=22)
    final, converged = hh.settle_many(net, starts, sweeps=6, seed=23)
    for start, end, ok in zip(starts, final, converged):
        result = net.recall(start, 6 * 120, seed=23)
        assert np.array_equal(result.state, end)
        assert result.converged == ok


def test_settle_many_past_capacity_and_with_pattern_shapes():
    x = hh.random_patterns(30, (10, 12), seed=24)  # load 0.25: states keep moving
    net = hh.HopfieldNetwork(x)
    starts = hh.random_patterns(12, (10, 12), seed=25)
    final, converged = hh.settle_many(net, starts, sweeps=3, seed=26)
    assert final.shape == (12, 10, 12) and final.dtype == np.int8
    for start, end, ok in zip(starts, final, converged):
        result = net.recall(start, 3 * 120, seed=26)
        assert np.array_equal(result.state, end) and result.converged == ok


def test_settle_many_with_whole_number_weights():
    w = hh.HopfieldNetwork(hh.random_patterns(3, 30, seed=27)).weights * 30
    net = hh.HopfieldNetwork.from_weights(np.round(w))
    starts = hh.random_patterns(10, 30, seed=28)
    final, _ = hh.settle_many(net, starts, sweeps=5, seed=29)
    for start, end in zip(starts, final):
        assert np.array_equal(net.recall(start, 150, seed=29).state, end)


def test_settle_many_refuses_bad_input():
    with pytest.raises(TypeError, match="network"):
        hh.settle_many(X5, X5)
    with pytest.raises(ValueError, match="sweeps"):
        hh.settle_many(NET5, X5, sweeps=0)
    with pytest.raises(ValueError, match="states"):
        hh.settle_many(NET5, X5[:, :10])


# -- capacity_sweep, capacity_curves, load_at_fraction ---------------------------------


def test_batched_sweep_trials_match_single_recalls():
    n, p, trials, sweeps, seed = 60, 12, 5, 4, 31
    table = hh.capacity_sweep(n, p, trials=trials, sweeps=sweeps, seed=seed)
    # Rebuild the same networks and neuron orders: patterns first, then one permutation
    # per sweep from the same generator, as HopfieldNetwork.recall draws them.
    rng = np.random.default_rng(seed)
    x = hh.random_patterns(trials * p, n, seed=rng).reshape(trials, p, n)
    state = rng.bit_generator.state
    for t in range(trials):
        rng.bit_generator.state = state
        result = hh.HopfieldNetwork(x[t]).recall(x[t, 0], sweeps * n, seed=rng)
        assert table["overlap"][t] == pytest.approx(hh.overlap(result.state, x[t, 0]))


def test_batched_sweep_falls_past_the_critical_load_at_n500():
    table = hh.capacity_sweep(500, [40, 70, 130], trials=20, sweeps=10, seed=34)
    low, mid, high = hh.recalled_fraction(table)["recalled"]
    assert low == 1.0 and high <= 0.1 and low >= mid >= high


def test_capacity_curves_cache_one_table_per_size():
    curves = hh.capacity_curves((50, 80), loads=[0.05, 0.1, 0.3], trials=4, seed=35)
    assert sorted(curves) == [50, 80]
    assert np.array_equal(np.unique(curves[50]["P"]), [2, 5, 15])
    assert np.array_equal(np.unique(curves[80]["P"]), [4, 8, 24])
    # A size's curve does not depend on the other sizes computed with it.
    alone = hh.capacity_curves((80,), loads=[0.05, 0.1, 0.3], trials=4, seed=35)[80]
    assert all(np.array_equal(alone[k], curves[80][k]) for k in alone)


def test_capacity_curves_refuse_bad_input():
    with pytest.raises(ValueError, match="loads"):
        hh.capacity_curves((50,), loads=[0.1, 0.0])
    with pytest.raises(ValueError, match="loads"):
        hh.capacity_curves((50,), loads=[])
    with pytest.raises(TypeError, match="seed"):
        hh.capacity_curves((50,), seed=True)
    with pytest.raises(ValueError, match="seed"):
        hh.capacity_curves((50,), seed=-1)
    with pytest.raises(ValueError, match="n_neurons"):
        hh.capacity_curves((1,))


def _table(loads, recalled, n=100, exact=None):
    loads = np.asarray(loads, dtype=float)
    return {"N": np.full(loads.size, n), "P": np.round(loads * n).astype(int), "load": loads,
            "recalled": np.asarray(recalled, dtype=float),
            "exact": np.asarray(recalled if exact is None else exact, dtype=float)}


def test_load_at_fraction_interpolates():
    table = _table([0.1, 0.2, 0.3], [1.0, 0.6, 0.2])
    assert hh.load_at_fraction(table) == pytest.approx(0.225)
    assert hh.load_at_fraction(table, fraction=0.9) == pytest.approx(0.125)
    assert hh.load_at_fraction(table, fraction=1.0) == pytest.approx(0.1)  # leaves 1.0 at 0.1
    assert math.isnan(hh.load_at_fraction(table, fraction=0.1))
    assert hh.load_at_fraction(_table([0.1, 0.2], [0.2, 0.0])) == pytest.approx(0.1)
    both = {k: np.concatenate([v, v]) for k, v in table.items()}
    both["N"][3:] = 200
    with pytest.raises(ValueError, match="one network size"):
        hh.load_at_fraction(both)
    with pytest.raises(ValueError, match="column"):
        hh.load_at_fraction(table, column="overlap")
    with pytest.raises(ValueError, match="fraction"):
        hh.load_at_fraction(table, fraction=1.5)


# -- stored_fixed_points --------------------------------------------------------------------


def test_stored_fixed_points_of_the_letters():
    letters = ["X", "O", "+", "A", "C"]
    patterns = [hh.letter_pattern(c) for c in letters]
    fixed = hh.stored_fixed_points(patterns)
    assert fixed.shape == (5, 5) and fixed.dtype == bool
    assert not fixed[np.triu_indices(5, 1)].any()
    assert fixed[2, :3].all()  # X, O and + fit together
    for k in range(5):
        net = hh.HopfieldNetwork(patterns[: k + 1])
        assert fixed[k, : k + 1].tolist() == [net.is_fixed_point(p) for p in patterns[: k + 1]]


# -- memory_energies and random_start_landings ------------------------------------------------


def test_memory_energies_lists_every_memory():
    n = 5000
    net = hh.HopfieldNetwork(hh.random_patterns(4, n, seed=41))
    e = hh.memory_energies(net)
    kinds = e["kind"].tolist()
    assert kinds.count("stored") == kinds.count("reversed") == 4
    assert kinds.count("mixture") == 8 * math.comb(4, 3)
    stored, reversed_ = e["energy"][e["kind"] == "stored"], e["energy"][e["kind"] == "reversed"]
    assert np.allclose(stored, reversed_)
    assert np.allclose(stored, net.energy(net.patterns))
    assert np.allclose(e["energy_per_neuron"], e["energy"] / n)
    mixtures = e["energy_per_neuron"][e["kind"] == "mixture"]
    assert np.allclose(mixtures, -0.375, atol=0.04)
    row = int(np.flatnonzero((e["members"] == "0+2+3") & (e["signs"] == "+-+"))[0])
    expected = net.energy(hh.mixture_state(net.patterns[[0, 2, 3]], signs=[1, -1, 1]))
    assert e["energy"][row] == pytest.approx(expected)


def test_memory_energies_refuses_bad_input():
    with pytest.raises(TypeError, match="network"):
        hh.memory_energies(X5)
    with pytest.raises(ValueError, match="no patterns"):
        hh.memory_energies(hh.HopfieldNetwork.from_weights([[0, 1], [1, 0]]))


def test_random_start_landings():
    net = hh.HopfieldNetwork(hh.random_patterns(4, 300, seed=42))
    landings = hh.random_start_landings(net, n_starts=60, seed=43)
    assert landings["final"].shape == (60, 300)
    assert set(landings["kind"]) <= {"stored", "reversed", "mixture", "other"}
    assert landings["converged"].all()
    assert np.allclose(landings["energy"], net.energy(landings["final"]))
    for state, kind, members in zip(landings["final"], landings["kind"], landings["members"]):
        verdict = hh.which_memory(net, state)
        assert kind == verdict.kind and members == "+".join(map(str, verdict.patterns))
    again = hh.random_start_landings(net, n_starts=60, seed=43)
    assert np.array_equal(again["final"], landings["final"])
    with pytest.raises(ValueError, match="n_starts"):
        hh.random_start_landings(net, n_starts=0)


# -- plots ------------------------------------------------------------------------------------------


def test_plot_capacity_draws_a_curve_per_size():
    curves = hh.capacity_curves((40, 80), loads=[0.05, 0.2], trials=3, seed=51)
    ax = hh.plot_capacity(curves, highlight=80)
    assert sorted(ax.capacity_lines) == [40, 80]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["N = 40", "N = 80"]
    assert ax.capacity_lines[80].get_linewidth() > ax.capacity_lines[40].get_linewidth()
    assert any(np.allclose(line.get_xdata(), hh.CRITICAL_LOAD) for line in ax.get_lines())
    assert ax.get_xlabel() and ax.get_ylabel()
    hh.plot_capacity(curves, column="exact")
    with pytest.raises(ValueError, match="highlight"):
        hh.plot_capacity(curves, highlight=50)
    with pytest.raises(ValueError, match="column"):
        hh.plot_capacity(curves, column="overlap")
    with pytest.raises(TypeError, match="curves"):
        hh.plot_capacity({})


def test_plot_overlap_matrix():
    m = hh.overlap_matrix(hh.random_patterns(3, 50, seed=52))
    ax = hh.plot_overlap_matrix(m, ["a", "b", "c"])
    assert len(ax.texts) == 9 and ax.texts[0].get_text() == "1.00"
    with pytest.raises(ValueError, match="square"):
        hh.plot_overlap_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="between -1 and 1"):
        hh.plot_overlap_matrix(np.full((2, 2), 2.0))
    with pytest.raises(ValueError, match="labels"):
        hh.plot_overlap_matrix(m, ["a"])


def test_plot_recall_distances_draws_hamming_distances():
    x = hh.random_patterns(3, (8, 8), seed=53)
    net = hh.HopfieldNetwork(x)
    result = net.recall(hh.add_noise(x[0], 0.2, seed=1), steps=128, seed=2)
    fig = hh.plot_recall_distances(result, labels=["a", "b", "c"],
                                   reference_energies=net.energy(x), title="t")
    distance_lines = fig.axes[3].get_lines()
    assert np.allclose(distance_lines[0].get_ydata(), 64 * (1 - result.overlaps[:, 0]) / 2)
    final = [hh.hamming_distance(result.state, p) for p in x]
    assert [line.get_ydata()[-1] for line in distance_lines] == pytest.approx(final)
    assert fig.axes[3].get_ylabel() == "pixels that differ"
    with pytest.raises(ValueError, match="reference_energies"):
        hh.plot_recall_distances(result, reference_energies=[1.0])
    with pytest.raises(ValueError, match="labels"):
        hh.plot_recall_distances(result, labels=["a"])
    with pytest.raises(TypeError, match="result"):
        hh.plot_recall_distances(x)


def test_plot_memory_landscape():
    net = hh.HopfieldNetwork(hh.random_patterns(4, 200, seed=54))
    energies = hh.memory_energies(net)
    landings = hh.random_start_landings(net, n_starts=40, seed=55)
    fig = hh.plot_memory_landscape(energies, landings, title="landscape")
    ax_e, ax_n = fig.axes
    heights = [bar.get_height() for bar in ax_n.patches]
    kinds = ("stored", "reversed", "mixture", "other")
    assert heights == [np.count_nonzero(landings["kind"] == k) for k in kinds]
    assert ax_e.get_ylabel() == "energy per neuron E/N"
    assert len(hh.plot_memory_landscape(energies).axes) == 1
    with pytest.raises(ValueError, match="energies"):
        hh.plot_memory_landscape({})
    with pytest.raises(ValueError, match="landings"):
        hh.plot_memory_landscape(energies, {"x": 1})


# -- explorers --------------------------------------------------------------------------------------


def test_capacity_explorer_reads_the_cache():
    curves = hh.capacity_curves((40, 80), loads=[0.05, 0.1, 0.3], trials=4, seed=61)
    explorer = hh.capacity_explorer(curves, n=80, p=9)
    assert explorer.p.value == 8  # snapped to the nearest measured P
    shown = explorer.explore(n=40)  # the load is kept as close as possible
    assert shown["N"] == 40 and shown["P"] == 4 and shown["load"] == 0.1
    assert list(explorer.p.options) == [2, 4, 12]
    shown = explorer.explore(p=100)
    summary = hh.recalled_fraction(curves[40])
    assert shown["P"] == 12 and shown["recalled"] == summary["recalled"][-1]
    assert len(shown["overlaps"]) == 4
    assert explorer._marker.get_xdata()[0] == pytest.approx(0.3)
    with pytest.raises(ValueError, match="sizes"):
        explorer.explore(n=50)
    with pytest.raises(ValueError, match="sizes"):
        hh.capacity_explorer(curves, n=60)


def test_mixture_explorer_tracks_the_number_of_stored_patterns():
    x = hh.random_patterns(5, (12, 12), seed=62)
    explorer = hh.mixture_explorer(x, list("abcde"), noise=0.1, seed=3)
    mix = hh.mixture_state(x[:3])
    assert np.array_equal(explorer.explore(noise=0.0), mix)
    assert explorer.verdict.kind == "mixture" and explorer.verdict.patterns == (0, 1, 2)
    explorer.explore(stored=5)
    assert explorer.network.n_patterns == 5 and explorer.labels == list("abcde")
    assert explorer.verdict == hh.which_memory(explorer.network, explorer.result.state)
    assert np.array_equal(explorer.explore(noise=0.2, step=0), hh.add_noise(mix, 0.2, seed=3))
    with pytest.raises(ValueError, match="n_stored"):
        hh.mixture_explorer(x, list("abcde"), n_stored=6)
    with pytest.raises(ValueError, match="labels"):
        hh.mixture_explorer(x, list("abc"))
    with pytest.raises(ValueError, match="at least 3"):
        hh.mixture_explorer(x[:2], list("ab"))


def test_memory_explorer_names_where_the_recall_ends():
    x = hh.random_patterns(3, (10, 10), seed=63)
    net = hh.HopfieldNetwork(x)
    explorer = hh.memory_explorer(net, x[1], labels=["a", "b", "c"], noise=0.0, seed=1,
                                  title="t")
    assert explorer.verdict == hh.MemoryVerdict("stored", (1,), 1.0)
    assert explorer.figure.get_suptitle() == "t: the recall ends in stored: b"
    png = explorer.image.value
    assert bytes(png[:4]) == b"\x89PNG"
    explorer.explore(noise=1.0)
    assert explorer.verdict.kind == "reversed"
    assert explorer.figure.get_suptitle().endswith("reversed: b")
    assert explorer.image.value != png
    assert np.array_equal(explorer.explore(step=0), -x[1])  # the cue, all pixels flipped
