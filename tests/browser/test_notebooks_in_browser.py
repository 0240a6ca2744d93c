"""Every notebook in a real browser, as a class sees it.

nbval proves that the cells run; these tests prove what a person sees. For every
notebook: JupyterLab opens an outputs-stripped copy, Run All runs it, no cell shows an
error and the browser console shows no widget error; then each of the notebook's main
sliders (noise, step, and the like) is moved with the keyboard and by dragging, and its
readout and the plot beside it must change. One notebook is also driven through Voila,
the presentation mode (code hidden), which must show no stray reprs.

A screenshot of the page is saved in tests/browser/screenshots/ when a test fails.
"""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser

# The sliders a class moves in each lesson: moved by keyboard and by drag in every notebook.
MAIN_SLIDERS = re.compile(r"noise|step|weight|bias|beta|threshold|patterns|temperature|power", re.I)
# Widget trouble shows in the console with one of these words.
WIDGET_ERROR = re.compile(r"widget|comm|model|jupyter-widgets", re.I)
# Reprs that must never reach a rendered notebook.
STRAY_REPRS = ("<Figure size", "Line2D", "interactive(", "<matplotlib.", "AxesImage", "Text(0")
IDLE = "Python 3 (ipykernel) | Idle"
MAX_SLIDERS_PER_NOTEBOOK = 4


def run_all(page, server, name):
    # A workspace of its own, reset, so this notebook is the only tab open.
    workspace = name.split(".")[0]
    page.goto(f"{server.url}/lab/workspaces/{workspace}/tree/{name}?reset&token={server.token}")
    page.get_by_text(IDLE).wait_for(timeout=90_000)
    assert page.locator(".jp-NotebookPanel").count() == 1, "other notebooks are open too"
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    # Finished when every code cell shows an execution count and the kernel is idle again.
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=120_000,
    )
    page.get_by_text(IDLE).wait_for(timeout=60_000)


def image_sources(slider):
    """The src of every picture in the output area that holds this slider."""
    area = slider.locator(
        "xpath=ancestor::div[contains(concat(' ', @class, ' '), ' jp-OutputArea-output ') "
        "or contains(concat(' ', @class, ' '), ' jp-OutputArea-child ')][1]"
    )
    return area.locator("img").evaluate_all("imgs => imgs.map(i => i.src)")


def settle(read, before, timeout=20.0):
    """Wait until every part of ``read()`` differs from ``before`` (the readout moves at
    once, the plot only when the kernel has redrawn it), then until it stays put."""
    deadline = time.monotonic() + timeout
    current = read()
    while any(a == b for a, b in zip(current, before)) and time.monotonic() < deadline:
        time.sleep(0.1)
        current = read()
    # A drag can fire several redraws: wait until nothing changes for a moment.
    while time.monotonic() < deadline:
        time.sleep(0.5)
        again = read()
        if again == current:
            break
        current = again
    return current


def move_slider(page, slider, how):
    """Move a slider by keyboard or by drag; return (readout, images) before and after."""
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    before = (readout.inner_text(), image_sources(slider))
    if how == "keyboard":
        value, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        handle.focus()
        key = "ArrowLeft" if value >= top else "ArrowRight"
        for _ in range(3):
            page.keyboard.press(key)
    else:
        track = slider.locator(".noUi-target").first.bounding_box()
        box = handle.bounding_box()
        start_x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        # Drag to whichever end is farther away, so the value surely changes.
        left, right = track["x"] + 0.15 * track["width"], track["x"] + 0.85 * track["width"]
        target = left if abs(start_x - left) > abs(start_x - right) else right
        page.mouse.move(start_x, y)
        page.mouse.down()
        page.mouse.move(target, y, steps=8)
        page.mouse.up()
    after = settle(lambda: (readout.inner_text(), image_sources(slider)), before)
    return before, after


def test_notebook_runs_and_its_sliders_redraw(page, lab_server, notebook):
    run_all(page, lab_server, notebook.name)

    errors = page.locator(
        '[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.jp-mod-error'
    )
    assert errors.count() == 0, f"a cell shows an error: {errors.first.inner_text()[:300]}"
    shown = "\n".join(page.locator(".jp-OutputArea").all_inner_texts())
    strays = [r for r in STRAY_REPRS if r in shown]
    assert not strays, f"stray reprs in the outputs: {strays}"

    sliders = page.locator(".widget-hslider").filter(
        has=page.locator(".widget-label", has_text=MAIN_SLIDERS)
    )
    labels = sliders.locator(".widget-label").all_inner_texts()
    assert labels, "no noise/step (or weight/bias) slider found in the notebook"
    for k in range(min(sliders.count(), MAX_SLIDERS_PER_NOTEBOOK)):
        slider = sliders.nth(k)
        for how in ("keyboard", "drag"):
            (text0, images0), (text1, images1) = move_slider(page, slider, how)
            assert text1 != text0, f"slider {labels[k]!r} ({how}): readout stayed {text0!r}"
            assert images1 != images0, f"slider {labels[k]!r} ({how}): the plot did not change"

    widget_errors = [e for e in page.console_errors if WIDGET_ERROR.search(e)]
    assert not widget_errors, f"widget errors in the browser console: {widget_errors[:3]}"


def test_presentation_mode_in_voila(page, voila_server, notebooks):
    """Voila renders a lesson as an app: code hidden, sliders live, no stray reprs."""
    name = next(nb.name for nb in notebooks if nb.name.startswith("02_"))
    server = voila_server(name)
    page.goto(server.url + "/", timeout=120_000)
    page.locator(".widget-hslider").first.wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=120_000)
    text = page.inner_text("body")
    strays = [r for r in STRAY_REPRS if r in text]
    assert not strays, f"stray reprs in the rendered notebook: {strays}"
    assert "import hopfield_helpers" not in text, "Voila shows the code"

    slider = page.locator(".widget-hslider").filter(
        has=page.locator(".widget-label", has_text=re.compile("noise", re.I))
    ).first
    (text0, images0), (text1, images1) = move_slider(page, slider, "keyboard")
    assert text1 != text0 and images1 != images0
    widget_errors = [e for e in page.console_errors if WIDGET_ERROR.search(e)]
    assert not widget_errors, f"widget errors in the browser console: {widget_errors[:3]}"
