"""Tests of the one explorer (section 8): controls around a drawing function.

Built without a browser: the controls are ipywidgets objects whose ``.value`` a test sets
as a student's hand would, and the pictures are ipywidgets Images whose ``.value`` (PNG
bytes) is what travels to the browser. Calls to ``recall`` and ``draw`` are counted, and
so are the pictures' changes, by observing their values.
"""

import base64
import functools
import inspect
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter
from PIL import Image

import hopfield_helpers as hh

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
X = hh.letter_pattern("X")
NET = hh.HopfieldNetwork([hh.letter_pattern(c) for c in "XO+"])


class Counter:
    """Counts calls of the wrapped function."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0
        functools.update_wrapper(self, fn)
        self.__signature__ = inspect.signature(fn)

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.fn(*args, **kwargs)


def count_changes(explorer):
    """A list whose k-th entry counts the changes of picture k's value from now on."""
    counts = [0] * len(explorer.pictures)
    for k, picture in enumerate(explorer.pictures):
        picture.observe(lambda change, k=k: counts.__setitem__(k, counts[k] + 1), names="value")
    return counts


def all_widgets(widget):
    """``widget`` and everything inside it."""
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += all_widgets(child)
    return found


def recall_explorer(steps_control=False, **extra):
    """The series' usual explorer: noise and seed start a recall, step scrubs through it."""

    def run(noise=0.2, seed=0):
        return NET.recall(hh.add_noise(X, noise, seed=seed), 75, seed=seed)

    def run_steps(noise=0.2, seed=0, steps=75):
        return NET.recall(hh.add_noise(X, noise, seed=seed), steps, seed=seed)

    def draw(result, step):
        return hh.plot_recall(result, step, labels=["X", "O", "+"])

    run, draw = Counter(run_steps if steps_control else run), Counter(draw)
    controls = dict(noise=(0.0, 1.0, 0.05), seed=(0, 20), step=(0, 75))
    if steps_control:
        controls["steps"] = (10, 200)
    explorer = hh.Explorer(draw, run, **controls, **extra)
    return explorer, run, draw


# -- controls from abbreviations ---------------------------------------------------------


def test_controls_from_abbreviations():
    given = widgets.IntText(value=3, description="given")

    def draw(count, level, fine, mode, letter, flag, off, given, long_name):
        return X

    explorer = hh.Explorer(
        draw, count=(0, 10), level=(0.0, 1.0), fine=(0, 1, 0.1), mode=["async", "sync"],
        letter=("X", "O", "+", "A", "T"), flag=True, off=False, given=given,
        long_name=(1, 5, 2))
    c = explorer.controls
    assert list(c) == ["count", "level", "fine", "mode", "letter", "flag", "off", "given", "long_name"]
    assert isinstance(c["count"], widgets.IntSlider)
    assert (c["count"].min, c["count"].max, c["count"].step, c["count"].value) == (0, 10, 1, 0)
    assert isinstance(c["level"], widgets.FloatSlider)
    assert (c["level"].min, c["level"].max, c["level"].value) == (0.0, 1.0, 0.0)
    assert c["level"].step == pytest.approx(0.05)
    assert isinstance(c["fine"], widgets.FloatSlider) and c["fine"].step == pytest.approx(0.1)
    assert isinstance(c["mode"], widgets.ToggleButtons)
    assert list(c["mode"].options) == ["async", "sync"] and c["mode"].value == "async"
    assert isinstance(c["letter"], widgets.Dropdown)  # more than four choices
    assert list(c["letter"].options) == ["X", "O", "+", "A", "T"]
    assert isinstance(c["flag"], widgets.Checkbox) and c["flag"].value is True
    assert isinstance(c["off"], widgets.Checkbox) and c["off"].value is False
    assert c["given"] is given and given.value == 3
    assert isinstance(c["long_name"], widgets.IntSlider) and c["long_name"].step == 2
    assert c["long_name"].description == "long name"
    assert explorer.values == {"count": 0, "level": 0.0, "fine": 0.0, "mode": "async", "letter": "X",
                               "flag": True, "off": False, "given": 3, "long_name": 1}
    shown = all_widgets(explorer.widget)
    assert all(control in shown for control in c.values())


def test_starting_values_are_the_parameters_defaults():
    def draw(noise=0.3, count=4, mode="sync", letter="A", flag=False):
        return X

    explorer = hh.Explorer(draw, noise=(0.0, 1.0, 0.05), count=(0, 10), mode=["async", "sync"],
                           letter=list("XO+AT"), flag=True)
    assert explorer.values == {"noise": 0.3, "count": 4, "mode": "sync", "letter": "A", "flag": False}


def test_defaults_of_recall_count_too():
    def run(noise=0.4):
        return noise

    def draw(result):
        return X

    explorer = hh.Explorer(draw, run, noise=(0.0, 1.0, 0.1))
    assert explorer.controls["noise"].value == 0.4
    assert explorer.result == 0.4


def test_a_parameter_with_a_default_needs_no_control():
    """draw(result, step, labels=...) with only a step control draws with the default labels."""

    def run(noise=0.2):
        return NET.recall(hh.add_noise(X, noise, seed=0), 30, seed=0)

    def draw(result, step, labels=("X", "O", "+")):
        return hh.plot_recall(result, step, labels=list(labels))

    explorer = hh.Explorer(draw, run, noise=(0.0, 1.0, 0.05), step=(0, 30))
    assert len(explorer.pictures) == 4


def test_only_recall_uses_the_result_parameter():
    seen = []

    def draw(result, size):
        seen.append((result, size))
        return np.ones((size, size))

    explorer = hh.Explorer(draw, size=(1, 4))  # no recall: result is None
    assert explorer.result is None
    explorer.controls["size"].value = 3
    assert seen == [(None, 1), (None, 3)]


# -- recall runs only when its own controls move ------------------------------------------


def test_recall_is_called_only_when_its_own_controls_move():
    explorer, run, draw = recall_explorer()
    assert (run.calls, draw.calls) == (1, 1)
    first = explorer.result
    assert isinstance(first, hh.RecallResult)
    explorer.controls["step"].value = 10
    assert (run.calls, draw.calls) == (1, 2)
    assert explorer.result is first  # the step scrubs through the kept recall
    explorer.controls["noise"].value = 0.5
    assert (run.calls, draw.calls) == (2, 3)
    assert explorer.result is not first
    np.testing.assert_array_equal(explorer.result.initial_state, hh.add_noise(X, 0.5, seed=0))
    explorer.controls["seed"].value = 3
    assert (run.calls, draw.calls) == (3, 4)
    explorer.controls["seed"].value = 3  # not a move: nothing happens
    assert (run.calls, draw.calls) == (3, 4)


def test_draw_gets_the_kept_result_and_the_step():
    explorer, _, _ = recall_explorer()
    explorer.controls["step"].value = 0
    np.testing.assert_array_equal(explorer.panels[1][1], explorer.result.initial_state)
    explorer.controls["step"].value = 10
    np.testing.assert_array_equal(explorer.panels[1][1], explorer.result.state_at(10))


# -- the step slider follows the kept recall ---------------------------------------------


def test_step_slider_follows_result_steps_and_jumps_to_the_end():
    explorer, run, _ = recall_explorer(steps_control=True)
    step = explorer.controls["step"]
    assert step.max == explorer.result.steps == 75
    assert step.value == 75  # the end of the recall
    assert step.continuous_update  # it follows the hand; the others wait for the release
    assert not explorer.controls["noise"].continuous_update
    step.value = 10
    explorer.controls["steps"].value = 150
    assert explorer.result.steps == 150
    assert (step.max, step.value) == (150, 150)
    step.value = 200  # as a slider would, it stops at its end
    assert step.value == 150
    explorer.controls["steps"].value = 40
    assert (step.max, step.value) == (40, 40)
    np.testing.assert_array_equal(explorer.panels[1][1], explorer.result.state)
    assert run.calls == 3


def test_play_button_beside_the_step_slider_covers_the_same_steps():
    """The Play button is linked to the step slider in the browser (jslink): when the link
    starts, it copies the button's value and maximum onto the slider, so they must agree."""
    explorer, _, _ = recall_explorer(steps_control=True)
    step = explorer.controls["step"]
    plays = [w for w in all_widgets(explorer.widget) if isinstance(w, widgets.Play)]
    assert len(plays) == 1
    play = plays[0]
    assert (play.max, play.value) == (step.max, step.value)
    explorer.controls["steps"].value = 150
    assert (play.max, play.value) == (step.max, step.value)


# -- set(...) ------------------------------------------------------------------------------


def test_set_moves_several_controls_and_draws_once():
    explorer, run, draw = recall_explorer()
    assert explorer.set(noise=0.3, seed=5) is explorer
    assert (run.calls, draw.calls) == (2, 2)
    assert explorer.values["noise"] == 0.3 and explorer.values["seed"] == 5
    explorer.set(step=3)
    assert (run.calls, draw.calls) == (2, 3)


def test_set_with_a_new_recall_and_a_step_draws_once_at_that_step():
    explorer, run, draw = recall_explorer()
    explorer.set(noise=0.4, step=5)
    assert explorer.controls["step"].value == 5
    np.testing.assert_array_equal(explorer.panels[1][1], explorer.result.state_at(5))
    assert (run.calls, draw.calls) == (2, 2)


def test_set_refuses_an_unknown_control():
    explorer, run, draw = recall_explorer()
    with pytest.raises(ValueError, match="nosie"):
        explorer.set(nosie=0.3)
    assert (run.calls, draw.calls) == (1, 1)


# -- only what changed is redrawn ------------------------------------------------------------


def test_unchanged_panels_are_not_sent_again():
    def draw(a, b):
        return [("a", np.full((4, 4), 1 if a else -1)), ("b", np.eye(4) * (2 * b - 1)), X]

    explorer = hh.Explorer(draw, a=True, b=(0, 1))
    assert len(explorer.pictures) == 3
    assert all(p.value[:8] == PNG_MAGIC for p in explorer.pictures)
    changes = count_changes(explorer)
    explorer.controls["a"].value = False
    assert changes == [1, 0, 0]
    explorer.controls["b"].value = 1
    assert changes == [1, 1, 0]
    explorer.set(a=True, b=0)
    assert changes == [2, 2, 0]


def test_an_unchanged_figure_is_not_sent_again():
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1])

    def draw(sign):
        return [fig, sign * X]  # the same figure every time, untouched

    explorer = hh.Explorer(draw, sign=[1, -1])
    changes = count_changes(explorer)
    explorer.controls["sign"].value = -1
    explorer.controls["sign"].value = 1
    assert changes == [0, 2]
    assert plt.get_fignums() == []


def test_a_step_redraws_the_state_and_markers_not_the_cue():
    explorer, _, _ = recall_explorer()
    changes = count_changes(explorer)
    explorer.controls["step"].value = 20
    assert changes == [0, 1, 1, 1]
    explorer.controls["noise"].value = 0.4  # a new cue: everything changes
    assert changes == [1, 2, 2, 2]


def test_pictures_follow_the_number_of_panels():
    def draw(count):
        return [np.full((3, 3), 1 if k % 2 else -1) for k in range(count)]

    explorer = hh.Explorer(draw, count=(1, 5))
    assert len(explorer.pictures) == 1
    explorer.controls["count"].value = 4
    assert len(explorer.pictures) == 4
    assert all(picture in all_widgets(explorer.widget) for picture in explorer.pictures)
    explorer.controls["count"].value = 2
    assert len(explorer.pictures) == 2 and len(explorer.panels) == 2


def test_every_kind_of_panel_shows_as_a_png():
    def draw(kind):
        if kind == "figure":
            fig, ax = plt.subplots(figsize=(2, 2))
            ax.plot([0, 1], [1, 0])
            return fig
        if kind == "pattern":
            return X
        if kind == "pair":
            return ("a caption", X)
        if kind == "flat":
            return np.array([1, -1, 1, -1])
        if kind == "grey":
            return np.linspace(-1, 1, 16).reshape(4, 4)
        return [X, ("two", -X), np.zeros((2, 2))]

    kinds = ["figure", "pattern", "pair", "flat", "grey", "list"]
    explorer = hh.Explorer(draw, kind=kinds)
    for kind in kinds + kinds[::-1]:
        explorer.controls["kind"].value = kind
        assert len(explorer.pictures) == (3 if kind == "list" else 1), kind
        for picture in explorer.pictures:
            assert picture.value[:8] == PNG_MAGIC
            with Image.open(io.BytesIO(picture.value)) as image:
                assert image.width > 20 and image.height > 20
    assert plt.get_fignums() == []  # a figure is shown by the explorer only, never twice


def test_a_pair_shows_its_caption_above_the_picture():
    explorer = hh.Explorer(lambda caption: (caption, X) if caption else X, caption=["", "caption"])
    bare = explorer.pictures[0].value
    explorer.controls["caption"].value = "caption"
    with Image.open(io.BytesIO(bare)) as a, Image.open(io.BytesIO(explorer.pictures[0].value)) as b:
        assert b.height > a.height


def test_moving_controls_prints_nothing(capsys):
    explorer, _, _ = recall_explorer()
    for value in (0.0, 1.0, 0.5):
        explorer.controls["noise"].value = value
    for step in (0, 75, 30):
        explorer.controls["step"].value = step
    assert capsys.readouterr().out == ""


def test_every_control_at_its_ends_and_options_and_back():
    explorer, _, _ = recall_explorer()
    start = dict(explorer.values)
    for name, control in explorer.controls.items():
        for value in (control.min, control.max, start[name]):
            control.value = value
            assert explorer.values[name] == value
            assert all(p.value[:8] == PNG_MAGIC for p in explorer.pictures)
    assert explorer.values["noise"] == start["noise"]


# -- how it shows in a notebook ------------------------------------------------------------


def test_mimebundle_has_the_live_widget_and_a_static_png():
    explorer, _, _ = recall_explorer()
    data, _ = DisplayFormatter().format(explorer)
    view = data["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == explorer.widget.model_id
    assert "noise" in data["text/plain"] and "step" in data["text/plain"]
    png = base64.b64decode(data["image/png"])
    assert png[:8] == PNG_MAGIC
    with Image.open(io.BytesIO(png)) as sheet:
        widths = [Image.open(io.BytesIO(p.value)).width for p in explorer.pictures]
        assert sheet.width >= max(widths) and sheet.height > 50
    explorer.controls["noise"].value = 0.9
    later, _ = DisplayFormatter().format(explorer)
    assert later["image/png"] != data["image/png"]  # the static picture follows the controls


# -- errors ----------------------------------------------------------------------------------


def test_a_parameter_without_control_or_default_is_named():
    def draw(result, step, noise):
        return X

    with pytest.raises(ValueError, match="noise"):
        hh.Explorer(draw, lambda seed: seed, step=(0, 5), seed=(0, 3))
    with pytest.raises(ValueError, match="seed"):
        hh.Explorer(lambda result: X, lambda seed: seed, step=(0, 5))


@pytest.mark.parametrize(
    "spec, error",
    [
        ("abc", TypeError),
        ({"a": 1}, TypeError),
        ([], TypeError),
        (None, TypeError),
        ((5, 5), ValueError),
        ((1.0, 0.0), ValueError),
    ],
)
def test_a_bad_abbreviation_is_refused_naming_the_control(spec, error):
    with pytest.raises(error, match="level"):
        hh.Explorer(lambda level: X, level=spec)


def test_a_default_that_is_not_an_option_is_refused():
    with pytest.raises(ValueError, match="mode"):
        hh.Explorer(lambda mode="both": X, mode=["async", "sync"])


@pytest.mark.parametrize("draw", [None, "plot_recall", 3, X])
def test_draw_must_be_callable(draw):
    with pytest.raises(TypeError, match="draw"):
        hh.Explorer(draw, step=(0, 5))


def test_recall_must_be_callable_and_controls_are_needed():
    with pytest.raises(TypeError, match="recall"):
        hh.Explorer(lambda step: X, "run", step=(0, 5))
    with pytest.raises(ValueError, match="controls"):
        hh.Explorer(lambda: X)


def test_a_picture_grid_is_shown_whole_so_its_columns_line_up():
    grid = hh.picture_grid([(f"x{k}", hh.letter_pattern("X")) for k in range(6)], ncols=3,
                           column_titles=["a", "b", "c"])
    explorer = hh.Explorer(lambda n=1: grid, n=(1, 3))
    assert explorer.panels == [grid] and len(explorer.pictures) == 1
    assert bytes(explorer.pictures[0].value).startswith(b"\x89PNG\r\n\x1a\n")
