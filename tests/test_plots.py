"""Tests of the shared plot, animation and widget helpers."""

import numpy as np
import pytest
from PIL import Image

import hopfield_helpers as hh

LETTERS = ["X", "O", "+"]


@pytest.fixture
def letters_net():
    return hh.HopfieldNetwork([hh.letter_pattern(c) for c in LETTERS])


@pytest.fixture
def recall_result(letters_net):
    cue = hh.add_noise(hh.letter_pattern("X"), 0.3, seed=3)
    return letters_net.recall(cue, 60, seed=0)


def test_plot_patterns_draws_one_axes_per_pattern_with_titles():
    fig = hh.plot_patterns([hh.letter_pattern(c) for c in LETTERS], titles=LETTERS)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == LETTERS
    image = fig.axes[0].images[0].get_array()
    np.testing.assert_array_equal(image, hh.letter_pattern("X"))


def test_plot_patterns_accepts_grey_blends_and_wraps_rows():
    blend = (hh.letter_pattern("X").astype(float) + hh.letter_pattern("O")) / 2
    fig = hh.plot_patterns([blend] * 5, ncols=2)
    assert len(fig.axes) == 6  # 3 rows of 2, the last one empty and hidden
    assert not fig.axes[-1].axison


@pytest.mark.parametrize(
    "bad, error",
    [([], ValueError), ([np.full((3, 3), 2.0)], ValueError), ([np.ones((2, 2, 2))], ValueError)],
)
def test_plot_patterns_rejects_bad_input(bad, error):
    with pytest.raises(error):
        hh.plot_patterns(bad)


def test_plot_patterns_titles_must_match():
    with pytest.raises(ValueError, match="titles"):
        hh.plot_patterns([hh.letter_pattern("X")], titles=["a", "b"])


def test_plot_energy_plots_the_whole_trace(recall_result):
    ax = hh.plot_energy(recall_result, mark_step=10)
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), recall_result.energies)
    assert ax.get_xlabel() == "neuron updates"
    assert ax.get_ylabel() == "energy E"


def test_plot_energy_rejects_empty():
    with pytest.raises(ValueError, match="energies"):
        hh.plot_energy([])


def test_plot_overlaps_one_line_per_stored_pattern(recall_result):
    ax = hh.plot_overlaps(recall_result, labels=LETTERS)
    assert [line.get_label() for line in ax.lines[: len(LETTERS)]] == LETTERS
    np.testing.assert_allclose(ax.lines[0].get_ydata(), recall_result.overlaps[:, 0])


def test_plot_overlaps_checks_labels_and_type(recall_result):
    with pytest.raises(ValueError, match="labels"):
        hh.plot_overlaps(recall_result, labels=["X"])
    with pytest.raises(TypeError, match="RecallResult"):
        hh.plot_overlaps(np.zeros((3, 3)))


def test_plot_weights_is_symmetric_colour_scale(letters_net):
    ax = hh.plot_weights(letters_net, block=5)
    image = ax.images[0]
    low, high = image.get_clim()
    assert low == -high
    np.testing.assert_allclose(image.get_array(), letters_net.weights)


def test_plot_trajectory_starts_at_cue_and_ends_at_final_state(recall_result):
    fig = hh.plot_trajectory(recall_result, n_frames=4)
    images = [ax.images[0].get_array() for ax in fig.axes]
    np.testing.assert_array_equal(images[0], recall_result.initial_state)
    np.testing.assert_array_equal(images[-1], recall_result.state)
    assert fig.axes[0].get_title() == "start"


def test_plot_recall_has_four_panels(recall_result):
    fig = hh.plot_recall(recall_result, labels=LETTERS, title="X")
    assert len(fig.axes) == 4
    assert "fixed point" in fig.axes[1].get_title()


def test_animation_frames_follow_the_recall(recall_result):
    anim = hh.animate_recall(recall_result, n_frames=5)
    html = anim.to_jshtml()  # renders every frame, as the notebooks show it
    assert html.count("data:image/png;base64") == 5
    image = anim._fig.axes[0].images[0].get_array()  # left at the last frame
    np.testing.assert_array_equal(image, recall_result.state)


def test_save_recall_gif_writes_an_animated_gif(recall_result, tmp_path):
    path = hh.save_recall_gif(recall_result, tmp_path / "recall.gif", n_frames=4)
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == 4


def test_save_recall_gif_wants_a_gif_path(recall_result, tmp_path):
    with pytest.raises(ValueError, match=r"\.gif"):
        hh.save_recall_gif(recall_result, tmp_path / "recall.png")


class TestRecallExplorer:
    def test_step_slider_scrubs_without_recomputing(self, letters_net):
        explorer = hh.recall_explorer(letters_net, hh.letter_pattern("X"), labels=LETTERS)
        result = explorer.result
        state = explorer.explore(step=0)
        assert explorer.result is result  # the same stored recall
        np.testing.assert_array_equal(state, result.initial_state)
        np.testing.assert_array_equal(explorer.explore(step=10), result.state_at(10))

    def test_noise_and_seed_rerun_the_recall(self, letters_net):
        explorer = hh.recall_explorer(letters_net, hh.letter_pattern("X"), seed=1)
        first = explorer.result
        explorer.explore(noise=0.0)
        assert explorer.result is not first
        np.testing.assert_array_equal(explorer.result.initial_state, hh.letter_pattern("X"))
        # Moving noise resets the step slider to the end of the new recall.
        assert explorer.step.value == explorer.step.max

    def test_noise_one_starts_from_the_reversed_letter(self, letters_net):
        explorer = hh.recall_explorer(letters_net, hh.letter_pattern("X"))
        explorer.explore(noise=1.0)
        np.testing.assert_array_equal(explorer.result.initial_state, -hh.letter_pattern("X"))

    def test_update_mode_changes_the_step_range(self, letters_net):
        explorer = hh.recall_explorer(letters_net, hh.letter_pattern("X"))
        assert explorer.step.max == 3 * letters_net.n_neurons
        explorer.explore(update="sync")
        assert explorer.result.update == "sync"
        assert explorer.step.max == 12

    def test_step_is_clipped_like_a_slider(self, letters_net):
        explorer = hh.recall_explorer(letters_net, hh.letter_pattern("X"))
        explorer.explore(step=10**6)
        assert explorer.step.value == explorer.step.max

    @pytest.mark.parametrize(
        "kwargs, error",
        [
            ({"noise": 1.5}, ValueError),
            ({"update": "both"}, ValueError),
            ({"labels": ["X"]}, ValueError),
            ({"steps": 0}, ValueError),
        ],
    )
    def test_bad_arguments(self, letters_net, kwargs, error):
        with pytest.raises(error):
            hh.recall_explorer(letters_net, hh.letter_pattern("X"), **kwargs)

    def test_redraws_into_an_image_and_prints_nothing(self, letters_net, capsys):
        explorer = hh.recall_explorer(letters_net, hh.letter_pattern("X"))
        first = explorer.image.value
        assert first[:8] == b"\x89PNG\r\n\x1a\n"
        assert explorer.image in explorer.widget.children
        explorer.explore(step=5)
        assert explorer.image.value != first
        assert capsys.readouterr().out == ""

    def test_network_must_be_a_network(self):
        with pytest.raises(TypeError, match="network"):
            hh.recall_explorer(np.eye(3), hh.letter_pattern("X"))
