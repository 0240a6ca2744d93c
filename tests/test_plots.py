"""Tests of the plot helpers (section 7): plot_patterns, plot_energy, plot_overlaps,
plot_weights, plot_recall and save_recall_gif.

What they return, what they draw (titles, data, grey values), that text is readable on a
projector, that bad input is refused, and that a recall's panels show as one PNG.
"""

import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.formatters import PNGFormatter
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

import hopfield_helpers as hh

LETTERS = ["X", "O", "+"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def letters_net():
    return hh.HopfieldNetwork([hh.letter_pattern(c) for c in LETTERS])


@pytest.fixture
def recall_result(letters_net):
    cue = hh.add_noise(hh.letter_pattern("X"), 0.3, seed=3)
    return letters_net.recall(cue, 60, seed=0)


def as_png(obj) -> bytes:
    """What a notebook shows for ``obj`` as image/png (IPython's own formatter)."""
    return PNGFormatter()(obj)


def open_png(data: bytes) -> np.ndarray:
    assert data[:8] == PNG_MAGIC
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def small_texts(fig):
    """Every visible piece of text smaller than 11 pt (the projector standard)."""
    fig.canvas.draw()
    return [(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t.get_fontsize() < 11]


# -- plot_patterns ---------------------------------------------------------------------------


def test_plot_patterns_draws_one_axes_per_pattern_with_titles():
    fig = hh.plot_patterns([hh.letter_pattern(c) for c in LETTERS], titles=LETTERS)
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == LETTERS
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), hh.letter_pattern("X"))
    assert fig.axes[0].images[0].get_clim() == (-1, 1)
    assert small_texts(fig) == []


def test_plot_patterns_ink_is_black_and_background_white():
    fig = hh.plot_patterns([hh.letter_pattern("X")])
    image = fig.axes[0].images[0]
    np.testing.assert_allclose(image.to_rgba(np.array([1.0]))[0][:3], 0.0, atol=0.01)
    np.testing.assert_allclose(image.to_rgba(np.array([-1.0]))[0][:3], 1.0, atol=0.01)


def test_plot_patterns_accepts_a_stack_a_single_picture_and_a_flat_pattern():
    stack = hh.random_patterns(4, (6, 7), seed=0)
    fig = hh.plot_patterns(stack)
    assert len(fig.axes) == 4
    np.testing.assert_array_equal(fig.axes[3].images[0].get_array(), stack[3])
    single = hh.plot_patterns(stack[0], titles="one picture")
    assert [ax.get_title() for ax in single.axes] == ["one picture"]
    flat = hh.plot_patterns([np.array([1, -1, 1, 1])])
    assert flat.axes[0].images[0].get_array().shape == (1, 4)  # a 1-D pattern is one row


def test_plot_patterns_draws_grey_blends_grey_and_wraps_rows():
    blend = (hh.letter_pattern("X").astype(float) + hh.letter_pattern("O")) / 2
    assert (blend == 0).any()
    fig = hh.plot_patterns([blend] * 5, ncols=2, suptitle="blends")
    assert len(fig.axes) == 6  # 3 rows of 2, the last one empty and hidden
    assert not fig.axes[-1].axison
    image = fig.axes[0].images[0]
    np.testing.assert_array_equal(image.get_array(), blend)
    grey = image.to_rgba(np.array([0.0]))[0][:3]
    assert np.all((grey > 0.3) & (grey < 0.7)), "0 must draw mid-grey"
    assert fig.get_suptitle() == "blends"


def test_plot_patterns_draws_into_given_axes():
    fig, axes = plt.subplots(1, 3)
    out = hh.plot_patterns([hh.letter_pattern(c) for c in LETTERS], axes=axes)
    assert out is fig
    assert all(len(ax.images) == 1 for ax in axes)


def test_plot_patterns_does_not_modify_its_input():
    stack = hh.random_patterns(2, (4, 4), seed=0).astype(float) * 0.5
    before = stack.copy()
    hh.plot_patterns(stack)
    np.testing.assert_array_equal(stack, before)


@pytest.mark.parametrize(
    "bad, kwargs, error, match",
    [
        ([], {}, ValueError, "patterns"),
        ([np.full((3, 3), 2.0)], {}, ValueError, "patterns"),
        ([np.full((3, 3), np.nan)], {}, ValueError, "patterns"),
        ([np.ones((2, 2, 2))], {}, ValueError, "patterns"),
        ([np.zeros((0, 3))], {}, ValueError, "patterns"),
        (["a"], {}, TypeError, "patterns"),
        ([np.ones((2, 2))], {"titles": ["a", "b"]}, ValueError, "titles"),
        ([np.ones((2, 2))] * 3, {"ncols": 0}, ValueError, "ncols"),
        ([np.ones((2, 2))] * 3, {"ncols": 1.5}, TypeError, "ncols"),
    ],
)
def test_plot_patterns_rejects_bad_input(bad, kwargs, error, match):
    with pytest.raises(error, match=match):
        hh.plot_patterns(bad, **kwargs)


def test_plot_patterns_needs_enough_axes():
    _, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="axes"):
        hh.plot_patterns([hh.letter_pattern(c) for c in LETTERS], axes=axes)


# -- plot_energy -----------------------------------------------------------------------------


def test_plot_energy_plots_the_whole_trace(recall_result):
    ax = hh.plot_energy(recall_result)
    assert isinstance(ax, Axes)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), recall_result.energies)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), np.arange(61))
    assert ax.get_xlabel() == "neuron updates"
    assert ax.get_ylabel() == "energy E"
    assert len(ax.lines) == 1  # a step slider's mark is drawn over the rendered chart
    assert small_texts(ax.figure) == []


def test_plot_energy_of_a_sync_recall_counts_steps(letters_net):
    result = letters_net.recall(hh.letter_pattern("O"), 5, update="sync")
    assert hh.plot_energy(result).get_xlabel() == "sync steps"


def test_plot_energy_of_an_array_with_labels_on_shared_axes():
    fig, ax = plt.subplots()
    assert hh.plot_energy([3.0, 2.0, 2.0, 1.0], ax=ax, label="a") is ax
    hh.plot_energy([4.0, 1.0, 0.0, 0.0], ax=ax, label="b", color=hh.PALETTE[1])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    assert ax.get_xlabel() == "step"


def test_plot_energy_thins_a_long_trace_but_keeps_both_ends():
    energies = -np.sqrt(np.arange(50_001.0))
    ax = hh.plot_energy(energies)
    x, y = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()
    assert len(x) <= 4000
    assert x[0] == 0 and x[-1] == 50_000
    assert y[0] == energies[0] and y[-1] == energies[-1]


@pytest.mark.parametrize("bad", [[], np.zeros((2, 3)), np.zeros((0,))])
def test_plot_energy_rejects_what_is_not_one_trace(bad):
    with pytest.raises(ValueError, match="energies"):
        hh.plot_energy(bad)


def test_plot_energy_rejects_a_stack_recall(letters_net):
    stack = letters_net.recall(np.stack([hh.letter_pattern("X")] * 2), 5, seed=0)
    with pytest.raises(ValueError, match="energies"):
        hh.plot_energy(stack)


# -- plot_overlaps ---------------------------------------------------------------------------


def test_plot_overlaps_one_line_per_stored_pattern(recall_result):
    ax = hh.plot_overlaps(recall_result, labels=LETTERS)
    assert isinstance(ax, Axes)
    assert [line.get_label() for line in ax.lines[: len(LETTERS)]] == LETTERS
    for k in range(3):
        np.testing.assert_allclose(ax.lines[k].get_ydata(), recall_result.overlaps[:, k])
        np.testing.assert_array_equal(ax.lines[k].get_xdata(), recall_result.snapshot_steps)
    assert ax.get_ylim() == pytest.approx((-1.08, 1.08))
    assert ax.get_ylabel() == "overlap m"
    assert small_texts(ax.figure) == []


def test_plot_overlaps_default_labels(recall_result):
    ax = hh.plot_overlaps(recall_result)
    assert [line.get_label() for line in ax.lines[:3]] == ["pattern 0", "pattern 1", "pattern 2"]


def test_plot_overlaps_checks_labels_type_and_stacks(recall_result, letters_net):
    with pytest.raises(ValueError, match="labels"):
        hh.plot_overlaps(recall_result, labels=["X"])
    with pytest.raises(TypeError, match="RecallResult"):
        hh.plot_overlaps(np.zeros((3, 3)))
    stack = letters_net.recall(np.stack([hh.letter_pattern("X")] * 2), 5, seed=0)
    with pytest.raises(ValueError, match="one cue"):
        hh.plot_overlaps(stack)


# -- plot_weights ----------------------------------------------------------------------------


def test_plot_weights_is_symmetric_colour_scale(letters_net):
    ax = hh.plot_weights(letters_net, block=5, title="letters")
    assert isinstance(ax, Axes)
    image = ax.images[0]
    low, high = image.get_clim()
    assert low == -high
    np.testing.assert_allclose(image.get_array(), letters_net.weights)
    assert ax.get_title() == "letters"
    assert len(ax.figure.axes) == 2  # and a colour bar
    assert small_texts(ax.figure) == []


def test_plot_weights_of_an_array():
    w = np.array([[0.0, 2.0], [2.0, 0.0]])
    ax = hh.plot_weights(w)
    np.testing.assert_array_equal(ax.images[0].get_array(), w)
    assert ax.images[0].get_clim() == (-2.0, 2.0)
    zero = hh.plot_weights(np.zeros((3, 3)))  # all zero: still a valid colour scale
    assert zero.images[0].get_clim() == (-1.0, 1.0)


@pytest.mark.parametrize("bad", [np.zeros((2, 3)), np.zeros(4), np.zeros((2, 2, 2))])
def test_plot_weights_wants_a_square_matrix(bad):
    with pytest.raises(ValueError, match="weights"):
        hh.plot_weights(bad)


# -- plot_recall -----------------------------------------------------------------------------


def test_plot_recall_panels_cue_state_and_charts(recall_result):
    panels = hh.plot_recall(recall_result, step=10, labels=LETTERS)
    assert isinstance(panels, list) and len(panels) == 4
    caption, cue = panels[0]
    assert caption == "cue"
    np.testing.assert_array_equal(cue, recall_result.initial_state)
    caption, state = panels[1]
    changed = hh.hamming_distance(recall_result.initial_state, recall_result.state_at(10))
    assert caption == f"after 10 updates\n{changed} pixels changed"
    np.testing.assert_array_equal(state, recall_result.state_at(10))
    last = hh.plot_recall(recall_result, charts=False)
    assert len(last) == 2
    assert last[1][0].startswith("after 60 updates")
    np.testing.assert_array_equal(last[1][1], recall_result.state)
    assert hh.plot_recall(recall_result, step=1, charts=False)[1][0].startswith("after 1 update\n")


def test_plot_recall_shows_as_one_png(recall_result):
    png = as_png(hh.plot_recall(recall_result, step=10, labels=LETTERS))
    assert isinstance(png, bytes)
    sheet = open_png(png)
    assert sheet.shape[1] > sheet.shape[0] > 100  # a row of panels
    pictures_only = open_png(as_png(hh.plot_recall(recall_result, step=10, charts=False)))
    assert pictures_only.shape[1] < sheet.shape[1]
    assert len(np.unique(pictures_only.reshape(-1, 3), axis=0)) >= 2


def test_plot_recall_of_a_sync_recall_and_of_a_flat_network():
    x = hh.random_patterns(3, 40, seed=1)
    net = hh.HopfieldNetwork(x)
    result = net.recall(hh.add_noise(x[0], 0.2, seed=2), 4, update="sync")
    panels = hh.plot_recall(result, step=2)
    assert panels[1][0].startswith("after 2 steps")
    assert panels[0][1].shape == (1, 40)  # a 1-D state is drawn as one row
    assert as_png(panels)[:8] == PNG_MAGIC


def test_plot_recall_draws_a_modern_networks_grey_states():
    x = hh.random_patterns(3, (8, 8), seed=1)
    result = hh.ModernHopfieldNetwork(x, beta=0.02).recall(hh.add_noise(x[0], 0.3, seed=2), 2)
    panels = hh.plot_recall(result, charts=False)
    assert panels[1][0] == "after 2 steps"  # real numbers: no count of changed pixels
    state = panels[1][1]
    assert state.min() >= -1 and state.max() <= 1
    assert not np.isin(state, [-1, 1]).all()
    greys = np.unique(open_png(as_png(panels)))
    assert len(greys) > 8  # the real-valued state draws in many shades of grey


def test_plot_recall_refuses_bad_input(recall_result, letters_net):
    with pytest.raises(TypeError, match="RecallResult"):
        hh.plot_recall(np.zeros((5, 5)))
    stack = letters_net.recall(np.stack([hh.letter_pattern("X")] * 2), 5, seed=0)
    with pytest.raises(ValueError, match="one cue"):
        hh.plot_recall(stack)
    for bad, error in [(61, ValueError), (-1, ValueError), (2.5, TypeError)]:
        with pytest.raises(error, match="step"):
            hh.plot_recall(recall_result, step=bad)
    with pytest.raises(ValueError, match="labels"):
        hh.plot_recall(recall_result, labels=["X"])


def test_plot_recall_of_a_network_without_stored_patterns():
    """A network given by its weights (lesson 01's two neurons) stores no pattern: its
    recall still draws, with an empty overlap chart."""
    net = hh.HopfieldNetwork.from_weights([[0, 1], [1, 0]])
    result = net.recall([1, -1], 4, update="sync")
    panels = hh.plot_recall(result)
    assert len(panels) == 4
    assert as_png(panels)[:8] == PNG_MAGIC


def changed_columns(before: bytes, after: bytes) -> np.ndarray:
    a, b = open_png(before), open_png(after)
    assert a.shape == b.shape, "a step must not change a chart's size"
    return np.flatnonzero((a != b).any(axis=(0, 2)))


def runs(columns):
    """Split sorted column numbers into runs of neighbours."""
    return np.split(columns, np.flatnonzero(np.diff(columns) > 1) + 1) if columns.size else []


def test_a_step_moves_only_the_marker(letters_net):
    """Between two steps the cue stays, the state changes, and each chart differs only in
    two thin vertical bands: where the marker was and where it is now."""
    cue = hh.add_noise(hh.letter_pattern("X"), 0.3, seed=3)

    def run():
        return letters_net.recall(cue, 60, seed=0)

    explorer = hh.Explorer(lambda result, step: hh.plot_recall(result, step, labels=LETTERS),
                           run, step=(0, 60))
    explorer.set(step=5)
    before = [picture.value for picture in explorer.pictures]
    explorer.set(step=45)
    after = [picture.value for picture in explorer.pictures]
    assert len(before) == 4
    assert after[0] == before[0]  # the cue
    assert after[1] != before[1]  # the state after 45 updates
    for k in (2, 3):  # the energy and overlap charts
        bands = runs(changed_columns(before[k], after[k]))
        assert len(bands) == 2, f"chart {k}: changes in {len(bands)} places"
        assert all(band.size <= 8 for band in bands), f"chart {k}: a band wider than a marker"


# -- save_recall_gif -------------------------------------------------------------------------


def test_save_recall_gif_writes_an_animated_gif(recall_result, tmp_path):
    path = hh.save_recall_gif(recall_result, tmp_path / "recall.gif", frames=4, fps=5)
    assert path == tmp_path / "recall.gif"
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == 4
        assert gif.info["duration"] == 200
        sizes = set()
        for k in range(gif.n_frames):
            gif.seek(k)
            sizes.add(gif.size)
        assert len(sizes) == 1


def test_save_recall_gif_of_a_short_recall_has_no_repeated_frames(letters_net, tmp_path):
    result = letters_net.recall(hh.letter_pattern("X"), 2, update="sync")
    path = hh.save_recall_gif(result, str(tmp_path / "short.GIF"), frames=40)
    with Image.open(path) as gif:
        assert gif.n_frames == 3  # steps 0, 1 and 2


def test_save_recall_gif_refuses_bad_input(recall_result, tmp_path):
    with pytest.raises(ValueError, match=r"\.gif"):
        hh.save_recall_gif(recall_result, tmp_path / "recall.png")
    with pytest.raises(ValueError, match="frames"):
        hh.save_recall_gif(recall_result, tmp_path / "r.gif", frames=1)
    with pytest.raises(ValueError, match="fps"):
        hh.save_recall_gif(recall_result, tmp_path / "r.gif", fps=0)
    with pytest.raises(TypeError, match="RecallResult"):
        hh.save_recall_gif(np.zeros((5, 5)), tmp_path / "r.gif")
    assert not (tmp_path / "r.gif").exists()


# -- the palette -----------------------------------------------------------------------------


def test_palette_is_eight_distinct_colours():
    assert len(hh.PALETTE) == len(set(hh.PALETTE)) == 8
    assert all(matplotlib.colors.is_color_like(c) for c in hh.PALETTE)
