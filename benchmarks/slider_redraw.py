"""How quickly every slider and drawing grid of every lesson redraws, measured in this process.

Each lesson's code runs once (as tests/lessons.py runs it for the tests); then every
slider of every explorer it shows is moved to five positions in turn, and the time from
setting the value to the new pictures being ready is printed per slider: the kernel's
share of a redraw. Every drawing grid (DrawingCanvas) gets five strokes, each a line of
ink across it as the page sends it, timed until its readout (and the explorer it drives,
if any) is ready. The browser suite (tests/browser) measures the whole way, from the key
press to the new picture on the page, and prints its own table.

    python benchmarks/slider_redraw.py [01 02 ...]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import hopfield_helpers as hh  # noqa: E402
import lessons  # noqa: E402  (tests/lessons.py: runs a lesson's code cells)


def slider_times(explorer, name, moves=5):
    control = explorer.controls[name]
    start = control.value
    positions = [control.min + (control.max - control.min) * k / (moves - 1) for k in range(moves)]
    if isinstance(control.value, int):
        positions = [int(round(p)) for p in positions]
    times = []
    for value in positions[::-1] if positions[-1] == start else positions:
        if value == control.value:
            continue
        begin = time.perf_counter()
        control.value = value
        times.append(time.perf_counter() - begin)
    control.value = start
    return times


def stroke_times(canvas, strokes=5):
    start, rows = canvas.pattern, canvas.shape[0]
    times = []
    for k in range(strokes):
        drawn = start.copy()
        drawn[(k + 1) * rows // (strokes + 1), :] = 1  # a stroke of ink across one row
        begin = time.perf_counter()
        lessons.stroke_from_page(canvas, drawn)
        times.append(time.perf_counter() - begin)
    canvas.pattern = start
    return times


def main(numbers):
    print(f"{'lesson':6s} {'explorer':24s} {'slider':14s} {'median ms':>9s} {'worst ms':>8s}")
    for number in numbers:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            namespace = lessons.run_lesson(number)
        for name, explorer in lessons.explorers(namespace).items():
            for control_name, control in explorer.controls.items():
                if not hasattr(control, "min"):
                    continue
                times = slider_times(explorer, control_name)
                if times:
                    print(f"{number:6s} {name:24s} {control_name:14s} "
                          f"{1000 * statistics.median(times):9.0f} {1000 * max(times):8.0f}")
        for name, canvas in namespace.items():
            if isinstance(canvas, hh.DrawingCanvas):
                times = stroke_times(canvas)
                print(f"{number:6s} {name:24s} {'stroke':14s} "
                      f"{1000 * statistics.median(times):9.0f} {1000 * max(times):8.0f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["01", "02", "03", "04", "05"])
