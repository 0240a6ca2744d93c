"""The Python side of DrawingCanvas: the grid in and out, shapes, bad input, readouts.

What the page does (strokes, buttons) is tested in a real browser by browser_test.py.
Here a stroke is what the kernel receives from the page: a state update through
``widget.set_state``, the way ipywidgets applies a message from the browser.
"""

import base64
import io
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from IPython.core.formatters import DisplayFormatter
from PIL import Image

import hopfield_helpers as hh
from lessons import stroke_from_page
DrawingCanvas = hh.DrawingCanvas

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def random_pattern(shape, seed=0):
    return np.random.default_rng(seed).choice(np.array([-1, 1], dtype=np.int8), size=shape)




# -- a light module -------------------------------------------------------------------------


def test_importing_does_not_import_the_widget_libraries():
    code = ("import sys, hopfield_helpers; "
            "print(sorted(m for m in ('anywidget', 'ipywidgets', 'traitlets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the grid in and out --------------------------------------------------------------------


def test_a_new_canvas_is_all_background():
    canvas = DrawingCanvas((5, 7))
    assert canvas.shape == (5, 7)
    assert canvas.pattern.dtype == np.int8 and canvas.pattern.shape == (5, 7)
    assert (canvas.pattern == -1).all()
    assert canvas.readout_text == "" and canvas.readout is None


@pytest.mark.parametrize("shape", [(5, 5), (5, 7), (16, 16), (28, 28), (64, 128), (128, 128)])
def test_a_pattern_set_is_the_pattern_read(shape):
    x = random_pattern(shape)
    canvas = DrawingCanvas(shape, start=x)
    assert np.array_equal(canvas.pattern, x) and canvas.pattern.dtype == np.int8
    y = random_pattern(shape, seed=1)
    canvas.pattern = y
    assert np.array_equal(canvas.pattern, y)
    # One byte per pixel travels to the page, not a JSON list.
    assert isinstance(canvas.widget.grid, bytes) and len(canvas.widget.grid) == x.size


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(rows=st.integers(5, 128), cols=st.integers(5, 128), seed=st.integers(0, 2**16))
def test_any_shape_from_5_to_128_round_trips(rows, cols, seed):
    x = random_pattern((rows, cols), seed)
    canvas = DrawingCanvas((rows, cols), start=x)
    assert np.array_equal(canvas.pattern, x)
    stroke_from_page(canvas, -x)
    assert np.array_equal(canvas.pattern, -x)


def test_a_stroke_from_the_page_changes_the_pattern_where_it_went():
    canvas = DrawingCanvas((16, 16))
    drawn = canvas.pattern
    drawn[8, 2:12] = 1  # a horizontal stroke
    stroke_from_page(canvas, drawn)
    ink = np.argwhere(canvas.pattern == 1)
    assert set(map(tuple, ink)) == {(8, c) for c in range(2, 12)}


def test_a_flat_pattern_of_the_right_size_is_accepted():
    x = random_pattern((6, 9))
    canvas = DrawingCanvas((6, 9), start=x.reshape(-1))
    assert np.array_equal(canvas.pattern, x)
    canvas.pattern = (-x).reshape(-1).tolist()
    assert np.array_equal(canvas.pattern, -x)


def test_floats_and_lists_of_plus_minus_one_are_accepted():
    canvas = DrawingCanvas((5, 5), start=hh.letter_pattern("X").astype(float))
    assert np.array_equal(canvas.pattern, hh.letter_pattern("X"))
    canvas.pattern = hh.letter_pattern("O").tolist()
    assert np.array_equal(canvas.pattern, hh.letter_pattern("O"))


def test_inputs_are_never_modified_and_reads_are_copies():
    x = hh.letter_pattern("X")
    keep = x.copy()
    canvas = DrawingCanvas((5, 5), start=x, readout=lambda p: str(p.sum()))
    canvas.pattern = x
    canvas.invert()
    assert np.array_equal(x, keep)
    read = canvas.pattern
    read[:] = 1  # changing what was read does not change the canvas
    assert np.array_equal(canvas.pattern, -keep)


def test_clear_and_invert():
    canvas = DrawingCanvas((5, 5), start=hh.letter_pattern("X"))
    assert np.array_equal(canvas.invert(), -hh.letter_pattern("X"))
    assert np.array_equal(canvas.pattern, -hh.letter_pattern("X"))
    assert (canvas.clear() == -1).all() and (canvas.pattern == -1).all()


def test_brush_mode_and_pixel_size_defaults_and_settings():
    assert DrawingCanvas((5, 5)).brush == 1
    assert DrawingCanvas((128, 128)).brush == 4
    canvas = DrawingCanvas((128, 128), brush=3)
    assert canvas.brush == 3
    canvas.brush = 1000  # huge: the page clips it to the grid
    assert canvas.brush == canvas.widget.brush == 1000
    assert canvas.widget.mode == "paint"
    # The page's paint/erase buttons set the mode.
    canvas.widget.set_state({"mode": "erase"})
    assert canvas.widget.mode == "erase"
    # Letters get big pixels, pictures fit about 400 screen pixels.
    assert DrawingCanvas((5, 5)).widget.pixel_size == 64
    assert DrawingCanvas((128, 128)).widget.pixel_size * 128 == 384
    assert DrawingCanvas((10, 10), pixel_size=20).widget.pixel_size == 20


# -- readouts -------------------------------------------------------------------------------


class Recorder:
    """A readout that remembers every pattern it was handed."""

    def __init__(self):
        self.seen = []

    def __call__(self, pattern):
        self.seen.append(pattern.copy())
        return f"{int((pattern == 1).sum())} ink pixels"


def test_the_readout_follows_strokes_and_python_changes():
    read = Recorder()
    canvas = DrawingCanvas((5, 5), start=hh.letter_pattern("X"), readout=read)
    assert canvas.readout_text == "9 ink pixels" and len(read.seen) == 1
    assert np.array_equal(read.seen[0], hh.letter_pattern("X"))
    stroke_from_page(canvas, hh.letter_pattern("O"))  # one stroke: one call
    assert len(read.seen) == 2 and canvas.readout_text == f"{(hh.letter_pattern('O') == 1).sum()} ink pixels"
    canvas.pattern = -np.ones((5, 5))
    assert len(read.seen) == 3 and canvas.readout_text == "0 ink pixels"
    canvas.clear()  # Python set the same pattern again: still one call
    assert len(read.seen) == 4
    assert canvas.widget.readout_text == canvas.readout_text  # what the page shows


def test_the_readout_gets_a_copy_it_may_change():
    def scribbler(pattern):
        pattern[:] = 1
        return "scribbled on my copy"

    canvas = DrawingCanvas((5, 5), readout=scribbler)
    stroke_from_page(canvas, hh.letter_pattern("X"))
    assert np.array_equal(canvas.pattern, hh.letter_pattern("X"))


def test_setting_the_readout_shows_its_text_at_once_and_none_clears_it():
    canvas = DrawingCanvas((5, 5), start=hh.letter_pattern("X"))
    canvas.readout = lambda p: f"overlap with X: {hh.overlap(p, hh.letter_pattern('X')):.2f}"
    assert canvas.readout_text == "overlap with X: 1.00"
    canvas.readout = None
    assert canvas.readout_text == "" and canvas.readout is None


def test_a_readout_that_is_not_a_function_or_returns_no_text_is_named():
    with pytest.raises(TypeError, match="readout"):
        DrawingCanvas((5, 5), readout="energy")
    with pytest.raises(TypeError, match="readout must return a str, got float"):
        DrawingCanvas((5, 5), readout=lambda p: 1.5)


def test_a_failing_readout_raises_in_code_and_is_shown_after_a_stroke():
    def fragile(pattern):
        if (pattern == 1).sum() > 10:
            raise ValueError("too much ink")
        return "fine"

    canvas = DrawingCanvas((5, 5), readout=fragile)
    with pytest.raises(ValueError, match="too much ink"):
        canvas.pattern = np.ones((5, 5))
    canvas.clear()
    stroke_from_page(canvas, np.ones((5, 5)))  # no traceback can reach the page
    assert canvas.readout_text == "readout failed: ValueError: too much ink"
    assert (canvas.pattern == 1).all()  # the stroke itself is kept


def test_a_failing_new_readout_is_not_kept():
    canvas = DrawingCanvas((5, 5), readout=lambda p: "first")
    with pytest.raises(ZeroDivisionError):
        canvas.readout = lambda p: str(1 / 0)
    canvas.invert()
    assert canvas.readout_text == "first"


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(4, 5), (5, 4), (129, 5), (5, 200), (5,), (5, 5, 5), 25])
def test_a_shape_out_of_range_is_named(shape):
    with pytest.raises(ValueError, match=r"shape must be \(rows, cols\), each from 5 to 128"):
        DrawingCanvas(shape)


@pytest.mark.parametrize("shape, error", [((5.0, 5), ValueError), ((0, 5), ValueError),
                                          (None, TypeError), ((True, 5), ValueError)])
def test_a_shape_that_is_not_whole_numbers_is_named(shape, error):
    with pytest.raises(error, match="shape"):
        DrawingCanvas(shape)


@pytest.mark.parametrize("name", ["start", "pattern"])
@pytest.mark.parametrize("value, error, message", [
    (np.zeros((5, 5)), ValueError, r"only \+1 and -1"),
    (np.full((5, 5), 2), ValueError, r"only \+1 and -1"),
    (np.full((5, 5), np.nan), ValueError, r"NaN|only \+1 and -1"),
    (np.ones((5, 5), dtype=bool), TypeError, "booleans are ambiguous"),
    ("XXXXX", TypeError, "array"),
    (np.ones((5, 6)), ValueError, r"shape \(5, 5\)"),
    (np.ones(24), ValueError, r"shape \(5, 5\) \(or 25 values flat\)"),
    ([[1, -1], [1]], ValueError, "rectangular"),
])
def test_bad_patterns_are_named(name, value, error, message):
    canvas = DrawingCanvas((5, 5), start=hh.letter_pattern("X"))
    with pytest.raises(error, match=rf"^{name} .*(?:{message})"):
        if name == "start":
            DrawingCanvas((5, 5), start=value)
        else:
            canvas.pattern = value
    assert np.array_equal(canvas.pattern, hh.letter_pattern("X"))  # unchanged


def test_none_is_no_pattern():
    canvas = DrawingCanvas((5, 5), start=None)  # start=None: all background
    with pytest.raises(TypeError, match="^pattern must be an array"):
        canvas.pattern = None


@pytest.mark.parametrize("value, error", [(0, ValueError), (-3, ValueError), (1.5, TypeError),
                                          (True, TypeError), ("3", TypeError)])
def test_a_bad_brush_is_named(value, error):
    with pytest.raises(error, match="brush"):
        DrawingCanvas((16, 16), brush=value)
    canvas = DrawingCanvas((16, 16))
    with pytest.raises(error, match="brush"):
        canvas.brush = value
    assert canvas.brush == 1


@pytest.mark.parametrize("value, error", [(1, ValueError), (101, ValueError), (8.0, TypeError)])
def test_a_bad_pixel_size_is_named(value, error):
    with pytest.raises(error, match="pixel_size"):
        DrawingCanvas((16, 16), pixel_size=value)


def test_a_grid_of_the_wrong_size_or_values_from_the_page_is_refused():
    import traitlets

    canvas = DrawingCanvas((5, 5), start=hh.letter_pattern("X"))
    for data in (bytes(24), bytes([2] * 25)):
        with pytest.raises(traitlets.TraitError, match="grid must be 25 bytes of 0 or 1"):
            canvas.widget.set_state({"grid": memoryview(data)})
    assert np.array_equal(canvas.pattern, hh.letter_pattern("X"))
    with pytest.raises(traitlets.TraitError):
        canvas.widget.set_state({"mode": "rub"})
    assert canvas.widget.mode == "paint"


# -- how it shows in a notebook -------------------------------------------------------------


def shown(canvas):
    data, _ = DisplayFormatter().format(canvas)
    return data


def test_mimebundle_has_the_live_canvas_and_a_picture_of_the_drawing():
    canvas = DrawingCanvas((5, 5), start=hh.letter_pattern("X"), readout=lambda p: "energy -12.0")
    data = shown(canvas)
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == canvas.widget.model_id
    assert data["text/plain"] == "DrawingCanvas(shape=(5, 5), brush=1)"
    png = base64.b64decode(data["image/png"])
    assert png[:8] == PNG_MAGIC
    with Image.open(io.BytesIO(png)) as picture:
        grey = np.asarray(picture.convert("L"))
    assert picture.width >= 200 and grey.min() == 0 and grey.max() >= 250  # ink and paper (32 colours)
    stroke_from_page(canvas, hh.letter_pattern("O"))
    assert shown(canvas)["image/png"] != data["image/png"]  # the picture follows the drawing


# -- recall from the drawing, and the canvas as an explorer's control -----------------------


LETTERS = np.stack([hh.letter_pattern(c) for c in "XO+"])


def recall_from(pattern):
    return hh.HopfieldNetwork(LETTERS).recall(pattern, steps=75, seed=0)


def test_without_a_recall_function_the_page_has_no_recall_button():
    assert DrawingCanvas((5, 5)).widget.can_recall is False
    assert DrawingCanvas((5, 5), recall=recall_from).widget.can_recall is True
    with pytest.raises(TypeError, match="recall must be a function"):
        DrawingCanvas((5, 5), recall="yes")


def test_the_recall_button_heals_a_scribbled_letter_frame_by_frame(monkeypatch):
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # play without waiting
    x = hh.letter_pattern("X")
    scribbled = x.copy()
    scribbled[0, 1:4] = 1  # a stroke across the top
    canvas = DrawingCanvas((5, 5), start=x, readout=Recorder(), recall=recall_from)
    stroke_from_page(canvas, scribbled)
    grids = []
    canvas.widget.observe(lambda change: grids.append(change["new"]), names="grid")
    canvas.widget._handle_custom_msg({"event": "recall"}, [])  # what the page's button sends
    assert np.array_equal(canvas.pattern, x)
    assert canvas.readout_text == "9 ink pixels"  # the readout follows the healed letter
    frames = [np.frombuffer(g, dtype=np.uint8).reshape(5, 5).astype(int) * 2 - 1 for g in grids]
    assert len(frames) >= 2  # the changes, one by one, not only the end
    changes = [int((a != b).sum()) for a, b in zip([scribbled] + frames, frames)]
    assert sum(changes) == 3 and max(changes) == 1  # each flip shown on its own


def test_other_messages_from_the_page_are_ignored():
    canvas = DrawingCanvas((5, 5), start=hh.letter_pattern("X"))  # no recall function
    canvas.widget._handle_custom_msg({"event": "recall"}, [])
    canvas.widget._handle_custom_msg({"event": "dance"}, [])
    assert np.array_equal(canvas.pattern, hh.letter_pattern("X"))


def test_play_shows_at_most_the_frames_asked_for_and_ends_at_the_result(monkeypatch):
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    pictures = hh.random_patterns(2, (32, 32), seed=1)
    net = hh.HopfieldNetwork(pictures)
    result = net.recall(hh.add_noise(pictures[0], 0.3, seed=2), steps=3 * 1024, seed=2)
    canvas = DrawingCanvas((32, 32))
    grids = []
    canvas.widget.observe(lambda change: grids.append(change["new"]), names="grid")
    canvas.play(result, frames=5, seconds=0)
    assert 2 <= len(grids) <= 7  # the cue, at most 5 changes, and the end (if new)
    assert np.array_equal(canvas.pattern, pictures[0])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"result": "a recall"}, TypeError, "result must be a RecallResult"),
    ({"frames": 0}, ValueError, "frames"),
    ({"seconds": -1}, ValueError, "seconds must be a number >= 0, got -1"),
    ({"seconds": "fast"}, TypeError, "seconds must be a number >= 0, got str"),
])
def test_bad_play_arguments_are_named(kwargs, error, message):
    canvas = DrawingCanvas((5, 5))
    arguments = {"result": recall_from(hh.letter_pattern("X")), **kwargs}
    with pytest.raises(error, match=message):
        canvas.play(**arguments)


def test_a_recall_of_another_shape_is_refused():
    canvas = DrawingCanvas((6, 6))
    with pytest.raises(ValueError, match=r"result must be a recall of one \(6, 6\) pattern"):
        canvas.play(recall_from(hh.letter_pattern("X")), seconds=0)


def test_an_explorer_reruns_after_each_stroke_with_the_drawing():
    canvas = DrawingCanvas((5, 5), start=hh.letter_pattern("X"))
    seen = []

    def draw(drawing, noise=0.1):
        seen.append(drawing)
        return [("drawing", drawing)]

    explorer = hh.Explorer(draw, drawing=canvas, noise=(0.0, 0.5, 0.05))
    assert explorer.controls["drawing"] is canvas.widget
    assert np.array_equal(seen[-1], hh.letter_pattern("X"))
    stroke_from_page(canvas, hh.letter_pattern("O"))
    assert np.array_equal(seen[-1], hh.letter_pattern("O")) and len(seen) == 2
    explorer.set(drawing=hh.letter_pattern("+"), noise=0.2)
    assert np.array_equal(explorer.values["drawing"], hh.letter_pattern("+")) and len(seen) == 3
