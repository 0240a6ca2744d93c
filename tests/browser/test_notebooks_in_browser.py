"""Every lesson in a real browser, in each front end a class uses: JupyterLab, Jupyter
Notebook 7 and Voila (presentation mode, code hidden).

nbval proves that the cells run; these tests prove what a person sees. For every front end
and lesson: the lesson runs (Run All; Voila runs it on load) with no error output, no stray
repr (``VBox(children=...``, ``<Figure size ...>``) and no error in the browser console;
then the first slider of every explorer (any widget output holding a ``.widget-hslider``) is
moved the way a person moves it there, and something in that explorer must change: a
picture (an ``img`` src) or a text beside the slider.

- JupyterLab: five key presses on the focused handle (the redraw latency is timed on
  these, see the summary); the explorer's other sliders get up to three presses each. One
  notch may leave every picture as it was, so a slider passes when any press changes one.
- Notebook 7: a drag along the track (Notebook 7 keeps the arrow keys for itself).
- Voila: a drag; and the page must show no code and no test output.

In lessons 02 and 03, in JupyterLab and Voila, a stroke is painted with the mouse across
every drawing grid that has a recall button: the picture and the readout (which the kernel
works out from its copy of the drawing) must change, and recall must bring both back.

The tests find explorers by ipywidgets' CSS classes, not by cell index or slider label, so
rewritten lessons are covered as they are. A screenshot of the page is saved in
tests/browser/screenshots/ when a test fails.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter

import pytest

from frontends import console_errors

pytestmark = pytest.mark.browser

# Reprs that must never reach a rendered lesson: a widget or a figure shown as text.
STRAY_REPR = re.compile(
    r"\b(V|H|Grid)?Box\(children=|\b(Output|Image|Int\w*Slider|Float\w*Slider|Dropdown|"
    r"ToggleButtons?|Button|HTML|Label)\((value=|children=|description=|layout=|\))|"
    r"<Figure size|<matplotlib\.|<IPython\.core\.display\.|\bLine2D\(|\bAxesImage\(|"
    r"\bText\(0|\binteractive\(|Error displaying widget|Failed to (load|create) (model|view)"
)
# Output that means a cell failed (Voila's own message when tracebacks are hidden too).
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|There was an error when executing")
# Test output that a class must not see in presentation mode.
TEST_OUTPUT = re.compile(
    r"\b(passed|checked|checks|assert\w*|ms per redraw|tests? (ok|failed))\b", re.I
)
PAINTED_LESSONS = ("02_", "03_")  # lessons with a drawing grid to paint on and recall
MAX_EXPLORERS = 8            # per lesson: enough for every explorer of today's lessons
MAX_EXTRA_SLIDERS = 3        # JupyterLab: the other sliders of an explorer, one press each
TIMED_PRESSES = 5            # JupyterLab: key presses timed on each explorer's first slider
PRESS_TIMEOUT_MS = 20_000    # the longest wait for one key press's redraw
DRAG_TIMEOUT_MS = 20_000
NO_CHANGE_MS = 1_000         # after this, an idle kernel means the move drew nothing new
EXTRA_PRESSES = 3            # an extra slider gets up to this many presses to change a picture
QUIET_MS = 200               # a redraw is over when the explorer has not changed for this long
DRAG_QUIET_MS = 700          # a drag of a live slider queues several redraws


# ---------------------------------------------------------------------------------------
# What the page shows
# ---------------------------------------------------------------------------------------


ERROR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def output_texts(page) -> tuple[list[str], list[str]]:
    """The text of every top-level output (not of markdown or code): (errors, the rest).
    An error is a stderr output (warnings and tracebacks are drawn as one) or a text
    saying a cell failed."""
    texts = page.evaluate(
        """(error) => [...document.querySelectorAll('.jp-OutputArea-output')]
               .filter((o) => !o.parentElement.closest('.jp-OutputArea-output'))
               .map((o) => [o.matches(error), o.innerText])""",
        ERROR_OUTPUT,
    )
    errors = [text for is_error, text in texts if is_error or ERROR_TEXT.search(text)]
    return errors, [text for is_error, text in texts if text not in errors]


def code_lines(lesson) -> list[str]:
    """One telling line of each code cell (its longest), to spot code shown in Voila."""
    nb = json.loads(lesson.read_text())
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"]).splitlines()
            longest = max((line.strip() for line in source), key=len, default="")
            if len(longest) >= 20:
                lines.append(longest)
    return lines


# ---------------------------------------------------------------------------------------
# Explorers and their sliders
# ---------------------------------------------------------------------------------------


def find_explorers(page) -> list[dict]:
    """Mark every top-level widget output that holds a usable slider (an explorer: a box
    of controls and pictures) and return its sliders' labels and number of pictures."""
    return page.evaluate(
        """(limit) => {
            const tops = [...document.querySelectorAll('.jp-OutputArea-output')]
                .filter((o) => !o.parentElement.closest('.jp-OutputArea-output'));
            const found = [];
            for (const box of tops) {
                const sliders = [...box.querySelectorAll('.widget-hslider')].filter((s) =>
                    s.offsetParent !== null && s.querySelector('.noUi-handle') !== null &&
                    !s.querySelector('.noUi-target[disabled]'));
                if (sliders.length === 0 || found.length >= limit) continue;
                box.setAttribute('data-hopfield-box', String(found.length));
                sliders.forEach((s, j) => s.setAttribute('data-hopfield-slider', String(j)));
                found.push({
                    sliders: sliders.map((s, j) =>
                        ((s.querySelector('.widget-label') || {}).textContent || '').trim()
                        || `slider ${j + 1}`),
                    pictures: box.querySelectorAll('img').length,
                });
            }
            return found;
        }""",
        MAX_EXPLORERS,
    )


class Explorer:
    """One explorer in the page, with the probe (see frontends.PROBE_JS) watching it.

    ``kernel_idle`` (JupyterLab, Notebook 7: asked of the server) tells a move that drew
    nothing new (a notch that leaves the picture as it was: the same bytes, no new src)
    from a slow redraw, without waiting for the timeout.
    """

    def __init__(self, page, index, labels, kernel_idle=None):
        self.page, self.labels, self.kernel_idle = page, labels, kernel_idle
        self.direction = {}  # slider -> +1 (ArrowRight) or -1 (ArrowLeft)
        self.box = page.locator(f'[data-hopfield-box="{index}"]')

    def slider(self, j):
        return self.box.locator(f'[data-hopfield-slider="{j}"]')

    def watch(self, j):
        slider = self.slider(j)
        slider.scroll_into_view_if_needed()
        self.box.evaluate(
            "(box, slider) => window.__hopfieldProbe.watch(box, slider)", slider.element_handle()
        )
        return slider

    def snapshot(self):
        return self.page.evaluate("() => window.__hopfieldProbe.snapshot()")

    def _redrawn(self, before, timeout_ms) -> bool:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(
                """([count, text, pictures]) => { const probe = window.__hopfieldProbe;
                     return probe.pictures > count ||
                            (pictures === 0 && probe.snapshot().text !== text); }""",
                arg=[before["count"], before["text"], len(before["pictures"])],
                timeout=max(timeout_ms, 1), polling=50,
            )
            return True
        except PlaywrightTimeout:
            return False

    def wait_redraw(self, before, timeout_ms, quiet_ms) -> bool:
        """Wait for a new picture, then for quiet; say whether one came. An explorer
        without pictures may show a new text instead; one with pictures must redraw one:
        its texts (another slider's readout, say) can change before the picture does, and
        a picture that came late would be timed against the next key press."""
        deadline = time.monotonic() + timeout_ms / 1000
        redrawn = self._redrawn(before, NO_CHANGE_MS)
        while not redrawn and time.monotonic() < deadline:
            if self.kernel_idle is not None and self.kernel_idle():
                # Done computing: a picture it sent shows within the quiet time.
                redrawn = self._redrawn(before, quiet_ms)
                break
            redrawn = self._redrawn(before, 250)
        if not redrawn:
            return self.snapshot()["text"] != before["text"]
        self.page.wait_for_function(
            "(ms) => performance.now() - window.__hopfieldProbe.lastChange > ms",
            arg=quiet_ms, timeout=DRAG_TIMEOUT_MS, polling=50,
        )
        return True

    def press(self, j, timed=False) -> tuple[dict, dict, bool]:
        """One ArrowRight (ArrowLeft at the top end) on the focused handle."""
        handle = self.slider(j).locator(".noUi-handle").first
        before = self.snapshot()
        value, low, high = (
            float(handle.get_attribute(f"aria-value{a}")) for a in ("now", "min", "max")
        )
        # Start towards the farther end; turn back at an end (a slider of few values).
        direction = self.direction.get(j, 1 if value <= (low + high) / 2 else -1)
        if value >= high or value <= low:
            direction = -1 if value >= high else 1
        self.direction[j] = direction
        key = "ArrowRight" if direction > 0 else "ArrowLeft"
        handle.focus()
        if timed:  # the page stamps the time when the key reaches it
            self.page.evaluate("() => { window.__hopfieldProbe.armed = true; }")
        self.page.keyboard.press(key)
        redrawn = self.wait_redraw(before, PRESS_TIMEOUT_MS, QUIET_MS)
        self.page.evaluate("() => { window.__hopfieldProbe.armed = false; }")
        return before, self.snapshot(), redrawn

    def drag(self, j) -> tuple[dict, dict, bool]:
        """Drag the handle along the track to whichever side is farther away."""
        slider = self.slider(j)
        handle = slider.locator(".noUi-handle").first
        before = self.snapshot()
        track = slider.locator(".noUi-target").first.bounding_box()
        box = handle.bounding_box()
        start_x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        left, right = track["x"] + 0.2 * track["width"], track["x"] + 0.8 * track["width"]
        target = left if abs(start_x - left) > abs(start_x - right) else right
        self.page.mouse.move(start_x, y)
        self.page.mouse.down()
        self.page.mouse.move(target, y, steps=8)
        self.page.mouse.up()
        redrawn = self.wait_redraw(before, DRAG_TIMEOUT_MS, DRAG_QUIET_MS)
        return before, self.snapshot(), redrawn

    def samples(self) -> list[float]:
        return self.page.evaluate("() => window.__hopfieldProbe.samples")


def changed(before, after, redrawn) -> bool:
    return redrawn and (after["pictures"] != before["pictures"] or after["text"] != before["text"])


def explain(label, how, before, after) -> str:
    """What went wrong when a slider's moves (from ``before`` to ``after``) changed nothing."""
    # (aria-valuenow is rounded to one decimal: a 0.01 step shows in the readout only)
    if (after["value"], after["readout"]) == (before["value"], before["readout"]):
        return f"slider {label!r} ({how}): did not move (readout {before['readout']!r})"
    return (f"slider {label!r} ({how}): moved {before['readout']!r} -> {after['readout']!r} "
            f"but no picture or text in its explorer changed")


def drive_explorers(page, front_end, latency, kernel_idle=None) -> list[str]:
    """Move the sliders of every explorer as a person does in this front end: something in
    the explorer must change. (One notch may legitimately leave every picture as it was,
    so a slider passes when any of its key presses changes something.)"""
    explorers = find_explorers(page)
    if not explorers:
        return ["no explorer (no widget output with a slider) in the lesson"]
    problems = []
    for index, found in enumerate(explorers):
        explorer = Explorer(page, index, found["sliders"], kernel_idle)
        first = found["sliders"][0]
        explorer.watch(0)
        if front_end == "lab":
            misses, moves = 0, []
            for _ in range(TIMED_PRESSES):
                moves.append(explorer.press(0, timed=True))
                misses += moves[-1][1]["count"] == moves[-1][0]["count"]
            latency(first, explorer.samples(), misses)
            if not any(changed(*move) for move in moves):
                problems.append(explain(first, f"{TIMED_PRESSES} key presses",
                                        moves[0][0], moves[-1][1]))
        else:
            before, after, redrawn = explorer.drag(0)
            if not changed(before, after, redrawn):
                problems.append(explain(first, "drag", before, after))
        if front_end == "lab":
            for j, label in list(enumerate(found["sliders"]))[1:1 + MAX_EXTRA_SLIDERS]:
                explorer.watch(j)
                moves = []
                while len(moves) < EXTRA_PRESSES and not any(changed(*m) for m in moves):
                    moves.append(explorer.press(j))
                if not any(changed(*move) for move in moves):
                    problems.append(explain(label, f"{len(moves)} key presses",
                                            moves[0][0], moves[-1][1]))
    return problems


# ---------------------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------------------
# Painting on a drawing grid (DrawingCanvas)
# ---------------------------------------------------------------------------------------


def canvas_picture(box) -> str:
    """What the page draws on a grid, as a data URL (equal pictures, equal strings)."""
    return box.locator("canvas").evaluate("(c) => c.toDataURL()")


def wait_for(condition, timeout_s=30.0, poll_ms=100, page=None) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(poll_ms)
    return True


def paint_and_recall(page) -> list[str]:
    """On every grid with a recall button (each starts at a stored pattern): a stroke with
    the mouse must change the picture and, through the kernel, the readout under it; then
    recall must bring back the stored pattern, picture and readout as they were."""
    problems = []
    grids = page.locator(".hh-canvas").filter(
        has=page.get_by_role("button", name="recall", exact=True))
    if grids.count() == 0:
        return ["no drawing grid with a recall button in the lesson"]
    for k in range(grids.count()):
        box = grids.nth(k)
        box.scroll_into_view_if_needed()
        readout = box.locator(".hh-readout")
        stored_text, stored_picture = readout.inner_text(), canvas_picture(box)
        area = box.locator("canvas").bounding_box()
        y = area["y"] + area["height"] * 0.3  # row 1 of 5 (or a band at 30% of a picture)
        page.mouse.move(area["x"] + area["width"] * 0.1, y)
        page.mouse.down()
        page.mouse.move(area["x"] + area["width"] * 0.9, y, steps=15)
        page.mouse.up()
        if canvas_picture(box) == stored_picture:
            problems.append(f"grid {k}: a stroke across it painted nothing")
            continue
        if not wait_for(lambda: readout.inner_text() != stored_text, page=page):
            problems.append(f"grid {k}: the readout did not follow the stroke "
                            f"({stored_text!r})")
            continue
        box.get_by_role("button", name="recall", exact=True).click()
        healed = wait_for(lambda: readout.inner_text() == stored_text
                          and canvas_picture(box) == stored_picture, timeout_s=60, page=page)
        if not healed:
            problems.append(f"grid {k}: recall did not heal the stroke: readout "
                            f"{readout.inner_text()!r}, was {stored_text!r}")
    return problems


def test_lesson_in_browser(front_end, lesson, lesson_page, lesson_pages, latency):
    lesson_pages.finish(lesson_page)  # started by the fixture, perhaps during an earlier test
    if lesson_page.error is not None:
        raise lesson_page.error
    page = lesson_page.page
    errors, texts = output_texts(page)
    problems = [f"error output: {text.strip()[:400]}" for text in errors[:3]]
    strays = sorted({m.group(0) for text in texts for m in STRAY_REPR.finditer(text)})
    problems += [f"stray repr in the outputs: {strays}"] if strays else []

    if front_end == "voila":
        code = page.locator(
            ".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor, .CodeMirror"
        ).evaluate_all("els => els.filter((e) => e.innerText.trim()).length")
        # All the page's text but the lesson's prose (which may quote a line of code) and
        # the errors (a traceback quotes its line; the error is reported above).
        page_text = page.evaluate(
            """(error) => {
                const skip = `.jp-MarkdownCell, .jp-RenderedMarkdown, script, style, ${error}`;
                const texts = [];
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                    if (n.parentElement && !n.parentElement.closest(skip)) {
                        texts.push(n.textContent);
                    }
                }
                return texts.join('');
            }""",
            ERROR_OUTPUT,
        )
        shown = [line for line in code_lines(lesson) if line in page_text]
        if code or shown:
            problems.append(f"Voila shows code: {code} code areas, lines {shown[:3]}")
        test_output = [
            " ".join(text.split())[:160] for text in texts if TEST_OUTPUT.search(text)
        ]
        problems += [f"Voila shows test output: {text!r}" for text in test_output]

    # (after an error too: the explorers that ran still say whether they work)
    if front_end == "lab":
        lesson_pages.settle()  # time the redraws on a quiet machine
    shown_errors = page.locator(ERROR_OUTPUT).all_inner_texts()  # nested ones too
    server, name = lesson_page.server, lesson.name
    kernel_idle = (lambda: server.kernel_idle(name)) if front_end != "voila" else None
    problems += drive_explorers(page, front_end, latency, kernel_idle)
    if front_end in ("lab", "voila") and lesson.stem.startswith(PAINTED_LESSONS):
        problems += paint_and_recall(page)
    new_errors = list((Counter(page.locator(ERROR_OUTPUT).all_inner_texts())
                       - Counter(shown_errors)).elements())
    problems += [f"error output after moving the sliders: {text.strip()[:400]}"
                 for text in new_errors[:3]]

    noise = console_errors(lesson_page)
    problems += [f"browser console error: {error[:300]}" for error in noise[:3]]
    assert not problems, f"{front_end}, {lesson.name}:\n  " + "\n  ".join(problems)
