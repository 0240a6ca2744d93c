"""Run a lesson's code in this process, and drive its explorers as a student would.

The lessons show no test code. Here, each lesson's code cells run top to bottom in one
namespace (IPython magics such as ``%matplotlib inline`` are skipped: the tests draw
off-screen), so a test can check the very objects the lesson built, and move every
control of every explorer it shows.
"""

import functools
import json
import pathlib
import warnings

import numpy as np

import hopfield_helpers as hh

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"


def lesson_path(number: str) -> pathlib.Path:
    """The notebook of lesson ``number`` ("01" ... "05")."""
    (path,) = NOTEBOOKS.glob(f"{number}_*.ipynb")
    return path


def code_cells(number: str) -> list:
    """The source of every code cell of a lesson, in order."""
    cells = json.loads(lesson_path(number).read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@functools.lru_cache(maxsize=None)
def _run(number: str) -> dict:
    import os

    import matplotlib.pyplot as plt

    namespace = {"__name__": f"lesson_{number}"}
    here = os.getcwd()
    os.chdir(NOTEBOOKS)  # as Jupyter runs a notebook: from its own folder
    try:
        with warnings.catch_warnings():
            # plt.show() under the off-screen backend says it cannot show: that is expected.
            warnings.filterwarnings("ignore", "FigureCanvasAgg is non-interactive")
            for source in code_cells(number):
                lines = [line for line in source.splitlines() if not line.lstrip().startswith("%")]
                exec(compile("\n".join(lines), f"<lesson {number}>", "exec"), namespace)
                plt.close("all")
    finally:
        os.chdir(here)
    return namespace


def run_lesson(number: str) -> dict:
    """The namespace left by running every code cell of lesson ``number`` (cached: each
    lesson runs once per test session; tests must not modify what they read from it)."""
    return _run(number)


def explorers(namespace: dict) -> dict:
    """Every :class:`hopfield_helpers.Explorer` a lesson left in its namespace, by name."""
    return {name: value for name, value in namespace.items() if isinstance(value, hh.Explorer)}


def control_positions(control) -> list:
    """Where a student can put a control: both ends of a slider and its middle, every
    option of a choice, both states of a checkbox; a drawing canvas all background, then
    all ink."""
    if hasattr(control, "grid"):  # a DrawingCanvas's widget: one byte per pixel
        return [bytes(len(control.grid)), bytes([1]) * len(control.grid)]
    if hasattr(control, "options"):
        labels = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return list(labels)
    if hasattr(control, "min") and hasattr(control, "max"):
        middle = control.min + (control.max - control.min) / 2
        if isinstance(control.value, int):
            middle = int(round(middle))
        return [control.min, middle, control.max]
    if isinstance(control.value, bool):
        return [True, False]
    return [control.value]


def drive_every_control(explorer) -> list:
    """Move each control to every position in turn, then back to where it started.

    Returns
    -------
    list of (name, value, pngs)
        What was shown after each move (the pictures' PNG bytes).
    """
    shown = []
    for name, control in explorer.controls.items():
        trait = "grid" if hasattr(control, "grid") else "value"  # a canvas: its drawing
        start = getattr(control, trait)
        for value in control_positions(control):
            setattr(control, trait, value)
            shown.append((name, value, [p.value for p in explorer.pictures]))
            assert explorer.pictures and all(p.value for p in explorer.pictures), (name, value)
        setattr(control, trait, start)
    return shown


def same_picture(a, b) -> bool:
    return np.array_equal(np.asarray(a), np.asarray(b))


def stroke_from_page(canvas, pattern) -> None:
    """What the kernel receives when a DrawingCanvas's page sends a finished stroke: the
    whole grid as bytes, one per pixel (1 ink, 0 background)."""
    data = (np.asarray(pattern) > 0).astype(np.uint8).tobytes()
    canvas.widget.set_state({"grid": memoryview(data)})
