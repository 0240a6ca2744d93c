"""The drawing canvas (hopfield_helpers.DrawingCanvas) in a real browser: JupyterLab, Voila
and Notebook 7, painted with the mouse and with fingers in headless Chromium.

Each front end runs canvas_page.ipynb (served beside the lessons, see conftest) and the
tests paint on its three canvases: 5x5 letters with a recall button, a 128x128 picture
with a wide brush and a recall button, and a 16x16 grid with a huge brush. Every readout
on that page also saves the kernel's array to NAME.npy beside the notebook, so a test
reads exactly what Python sees: the +1/-1 array must change where the stroke went, and
the text under the canvas must change with it. No test may leave an error in the page's
console (bar the known harmless ones, see frontends.KNOWN_CONSOLE_NOISE).

Two more tests (JupyterLab) reopen a run copy of the page without its kernel, as a class
finds a lesson: with no saved widget state the page shows the picture of the drawing; with
saved state it shows the canvas with its last drawing, and says it is not connected.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

import frontends
import hopfield_helpers as hh
from frontends import console_errors

pytestmark = pytest.mark.browser

PAGE = "canvas_page.ipynb"  # every server has an outputs-stripped copy in its folder
CANVAS_FRONT_ENDS = ("lab", "voila", "notebook")
LETTERS = "XO+"  # the letters the page's network stores, in its order
X, O = hh.letter_pattern("X"), hh.letter_pattern("O")
BLANK = -np.ones((5, 5), dtype=np.int8)
WAIT_S = 20.0  # the longest wait for the kernel to see a change, on a busy machine


def pytest_generate_tests(metafunc):
    """A test that paints runs in every front end, front end first (``-k voila``); the
    tests that reopen a saved page say their own."""
    if "front_end" in metafunc.fixturenames and not any(
            metafunc.definition.iter_markers("parametrize")):
        metafunc.parametrize("front_end", CANVAS_FRONT_ENDS, scope="module")


# -- the page and its canvases ---------------------------------------------------------------


class App:
    """canvas_page.ipynb open in one front end; the kernel messages the page sends are
    kept (``sent``)."""

    def __init__(self, lesson_page):
        self.lesson_page, self.page = lesson_page, lesson_page.page
        self.kind, self.folder = lesson_page.front_end, lesson_page.server.workdir
        self.sent = []
        # (a lambda, not list.append: Playwright cannot wrap a built-in as a listener)
        self.page.on("websocket", lambda ws: ws.on("framesent", lambda f: self.sent.append(f)))

    def state(self, name) -> np.ndarray:
        """The array the kernel last described on canvas ``name`` (letters, picture, huge)."""
        for _ in range(50):
            try:
                return np.load(self.folder / f"{name}.npy")
            except (OSError, ValueError, EOFError):  # being written at this moment
                self.page.wait_for_timeout(100)
        raise AssertionError(f"{name}.npy cannot be read")

    def wait_state(self, name, expected, timeout=WAIT_S) -> np.ndarray:
        """The kernel's array once it equals ``expected`` (or ``expected(array)`` holds),
        or as it is after ``timeout`` seconds."""
        done = expected if callable(expected) else lambda state: np.array_equal(state, expected)
        deadline = time.monotonic() + timeout
        while True:
            state = self.state(name)
            if done(state) or time.monotonic() > deadline:
                return state
            self.page.wait_for_timeout(100)  # not time.sleep: page events arrive meanwhile

    def canvas(self, k) -> "Canvas":
        return Canvas(self.page, self.page.locator(".hh-canvas").nth(k))


class Canvas:
    """One canvas on the page: where its grid pixels are, its buttons and its readout."""

    def __init__(self, page, box):
        self.page, self.box = page, box
        self.element = box.locator("canvas")
        # The canvas says its size in its aria-label: "drawing grid, R by C pixels: ...".
        label = self.element.get_attribute("aria-label")
        self.rows, self.cols = map(int, re.search(r"(\d+) by (\d+) pixels", label).groups())

    def point(self, r, c):
        """Page coordinates of the centre of grid pixel (r, c) (may lie off the grid)."""
        self.element.scroll_into_view_if_needed()
        box = self.element.bounding_box()
        return (box["x"] + (c + 0.5) * box["width"] / self.cols,
                box["y"] + (r + 0.5) * box["height"] / self.rows)

    def stroke(self, cells, button="left", modifier=None):
        """Press at the first cell, drag through the others, let go."""
        points = [self.point(*cell) for cell in cells]
        mouse, keyboard = self.page.mouse, self.page.keyboard
        if modifier:
            keyboard.down(modifier)
        mouse.move(*points[0])
        mouse.down(button=button)
        for x, y in points[1:]:
            mouse.move(x, y, steps=12)
        mouse.up(button=button)
        if modifier:
            keyboard.up(modifier)

    def button(self, name):
        return self.box.get_by_role("button", name=name, exact=True)

    def readout(self) -> str:
        return self.box.locator(".hh-readout").inner_text()

    def readout_when(self, condition, timeout=WAIT_S) -> str:
        """The readout once ``condition(text)`` holds (it lands just after the kernel's
        array), or as it is after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        text = self.readout()
        while not condition(text) and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            text = self.readout()
        return text

    def shown(self) -> np.ndarray:
        """The grid as the page draws it: +1 where a pixel's centre is dark (ink)."""
        return np.array(self.element.evaluate(
            """(c, [rows, cols]) => {
                const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
                const out = [];
                for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) {
                    const x = Math.floor((k + 0.5) * c.width / cols);
                    const y = Math.floor((r + 0.5) * c.height / rows);
                    out.push(data[4 * (y * c.width + x)] < 128 ? 1 : -1);
                }
                return out;
            }""", [self.rows, self.cols]), dtype=np.int8).reshape(self.rows, self.cols)

    def shows(self, expected, timeout=10.0) -> bool:
        """Whether the page comes to draw ``expected`` within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not np.array_equal(self.shown(), expected):
            if time.monotonic() > deadline:
                return False
            self.page.wait_for_timeout(50)
        return True


def overlaps_line(pattern) -> str:
    """The readout's line of overlaps for a drawing on the letter canvas."""
    return "overlaps: " + "  ".join(
        f"{c} {hh.overlap(pattern, hh.letter_pattern(c)):+.2f}" for c in LETTERS)


def no_new_errors(app, before) -> None:
    app.page.evaluate("() => 0")  # a round trip: the page's earlier console messages are in
    new = console_errors(app.lesson_page)[before:]
    assert not new, f"{app.kind}: errors in the page: {new[:3]}"


@pytest.fixture(scope="module")
def canvas_page(front_end, servers, browser):
    """canvas_page.ipynb run in ``front_end``, with every canvas drawn and described."""
    server = servers[front_end].wait_ready()
    lesson_page = frontends.LessonPage(browser, server, front_end, server.workdir / PAGE,
                                       touch=True)
    app = App(lesson_page)
    try:
        lesson_page.start()
        lesson_page.finish()
        if lesson_page.error is not None:
            raise lesson_page.error
        app.page.locator(".hh-readout").nth(2).filter(has_text="ink pixels").wait_for(
            timeout=60_000)
        no_new_errors(app, 0)  # loading it, too, logs no error
        yield app
    finally:
        lesson_page.close().join(timeout=30)


@pytest.fixture
def app(canvas_page, request):
    """The page for one test; it must log no new error (a screenshot if the test fails)."""
    before = len(console_errors(canvas_page.lesson_page))
    yield canvas_page
    frontends.screenshot_if_failed(request.node, canvas_page.page)
    no_new_errors(canvas_page, before)


@pytest.fixture
def letters(app):
    """The 5x5 letter canvas, cleared, with the kernel and the readout caught up."""
    canvas = app.canvas(0)
    canvas.button("clear").click()
    assert np.array_equal(app.wait_state("letters", BLANK), BLANK)
    assert overlaps_line(BLANK) in canvas.readout_when(lambda t: overlaps_line(BLANK) in t)
    assert canvas.box.locator(".hh-note").inner_text() == ""  # connected: nothing to say
    return canvas


def row(pattern, r, value, cols=range(5)):
    out = pattern.copy()
    out[r, list(cols)] = value
    return out


# -- painting ---------------------------------------------------------------------------------


def test_a_stroke_paints_where_it_went_and_the_readout_follows(app, letters):
    letters.stroke([(1, 0), (1, 4)])
    expected = row(BLANK, 1, 1)
    assert np.array_equal(app.wait_state("letters", expected), expected)
    assert letters.shows(expected)
    text = letters.readout_when(lambda t: overlaps_line(expected) in t)
    assert overlaps_line(expected) in text and "energy E =" in text, text


def test_a_long_stroke_reaches_the_kernel_as_one_message(app, letters):
    sent = len(app.sent)
    letters.stroke([(0, 0), (4, 4), (0, 4), (4, 0)])  # 36 mouse moves over 13 pixels
    state = app.wait_state("letters", lambda state: (state == 1).sum() >= 9)
    assert (state == 1).sum() >= 9
    app.page.evaluate("() => 0")  # a round trip: every frame the stroke sent is counted
    grid_messages = [frame for frame in app.sent[sent:]
                     if b'"grid"' in (frame if isinstance(frame, bytes) else frame.encode())]
    assert len(grid_messages) == 1, f"{len(grid_messages)} messages for one stroke"


def test_shift_right_button_and_erase_mode_erase(app, letters):
    letters.stroke([(1, 0), (1, 4)])
    letters.stroke([(3, 0), (3, 4)])
    expected = row(row(BLANK, 1, 1), 3, 1)
    assert np.array_equal(app.wait_state("letters", expected), expected)
    letters.stroke([(0, 2), (4, 2)], modifier="Shift")  # Shift erases
    expected[:, 2] = -1
    assert np.array_equal(app.wait_state("letters", expected), expected)
    letters.stroke([(1, 0), (1, 1)], button="right")  # so does the right button
    expected = row(expected, 1, -1, cols=(0, 1))
    assert np.array_equal(app.wait_state("letters", expected), expected)
    letters.button("erase").click()
    assert letters.button("erase").get_attribute("aria-pressed") == "true"
    letters.stroke([(3, 0), (3, 4)])  # in erase mode a plain stroke erases
    expected = row(expected, 3, -1)
    assert np.array_equal(app.wait_state("letters", expected), expected)
    letters.stroke([(4, 0), (4, 4)], modifier="Alt")  # and Alt paints
    expected = row(expected, 4, 1)
    assert np.array_equal(app.wait_state("letters", expected), expected)
    letters.button("paint").click()
    assert letters.button("paint").get_attribute("aria-pressed") == "true"


def test_undo_takes_back_whole_strokes_and_button_presses(app, letters):
    letters.stroke([(0, 0), (0, 4)])
    letters.stroke([(4, 0), (4, 4)])
    both = row(row(BLANK, 0, 1), 4, 1)
    assert np.array_equal(app.wait_state("letters", both), both)
    letters.button("invert").click()
    assert np.array_equal(app.wait_state("letters", -both), -both)
    letters.button("undo").click()
    assert np.array_equal(app.wait_state("letters", both), both)
    letters.button("undo").click()
    assert np.array_equal(app.wait_state("letters", row(BLANK, 0, 1)), row(BLANK, 0, 1))


def test_every_button_works_from_the_keyboard(app, letters):
    letters.stroke([(2, 0), (2, 4)])
    drawn = row(BLANK, 2, 1)
    assert np.array_equal(app.wait_state("letters", drawn), drawn)
    letters.button("paint").focus()
    order = []
    for _ in range(6):
        order.append(app.page.evaluate("document.activeElement.textContent"))
        app.page.keyboard.press("Tab")
    assert order == ["paint", "erase", "undo", "invert", "clear", "recall"]
    letters.button("invert").focus()
    app.page.keyboard.press("Enter")
    assert np.array_equal(app.wait_state("letters", -drawn), -drawn)
    letters.button("undo").focus()
    app.page.keyboard.press("Space")
    assert np.array_equal(app.wait_state("letters", drawn), drawn)
    letters.button("clear").focus()
    app.page.keyboard.press("Enter")
    assert np.array_equal(app.wait_state("letters", BLANK), BLANK)
    letters.button("erase").focus()
    app.page.keyboard.press("Space")
    assert letters.button("erase").get_attribute("aria-pressed") == "true"
    letters.button("paint").focus()
    app.page.keyboard.press("Space")
    assert letters.button("paint").get_attribute("aria-pressed") == "true"
    app.page.get_by_role("button", name="show X").click()
    assert np.array_equal(app.wait_state("letters", X), X)
    letters.stroke([(2, 0), (2, 1)])  # scribble on the X; then recall it from the keyboard
    scribbled = row(X, 2, 1, cols=(0, 1))
    assert np.array_equal(app.wait_state("letters", scribbled), scribbled)
    letters.button("recall").focus()
    app.page.keyboard.press("Enter")
    assert np.array_equal(app.wait_state("letters", X), X)


# -- recall -----------------------------------------------------------------------------------


def test_recall_heals_a_scribbled_letter(app, letters):
    app.page.get_by_role("button", name="show X").click()
    assert np.array_equal(app.wait_state("letters", X), X)
    x_text = letters.readout_when(lambda t: overlaps_line(X) in t)
    assert x_text.endswith("a recall from here reaches: X"), x_text
    letters.stroke([(2, 0), (2, 1)])  # scribble on the X
    scribbled = row(X, 2, 1, cols=(0, 1))
    assert np.array_equal(app.wait_state("letters", scribbled), scribbled)
    text = letters.readout_when(lambda t: overlaps_line(scribbled) in t)
    assert text.endswith("reaches: X"), text
    letters.button("recall").click()
    assert np.array_equal(app.wait_state("letters", X), X)  # the kernel's array healed
    assert letters.shows(X), "the page does not show the healed X"
    assert letters.readout_when(lambda t: t == x_text) == x_text  # and so did the readout


def test_a_stroke_during_a_recall_playing_survives(app):
    picture = app.canvas(1)
    picture.stroke([(60, 20), (60, 100)], modifier="Shift")  # rub out a band of the smiley
    cue = app.wait_state("picture", lambda state: (state[60, 22:99] == -1).all())
    assert (cue[60, 22:99] == -1).all()
    cue_text = picture.readout_when(lambda t: t.startswith(f"ink pixels: {(cue == 1).sum()},"))
    assert cue_text.startswith(f"ink pixels: {(cue == 1).sum()},"), cue_text
    shown = picture.shown()
    picture.button("recall").click()  # the kernel plays some 30 frames, 0.1 s apart
    deadline = time.monotonic() + WAIT_S
    while np.array_equal(picture.shown(), shown) and time.monotonic() < deadline:
        app.page.wait_for_timeout(20)
    assert not np.array_equal(picture.shown(), shown), "recall played no frame"
    picture.stroke([(122, 20), (122, 100)])  # below the smiley, where it is background
    assert picture.readout() == cue_text, "the recall ended before the stroke did"
    band = (slice(121, 125), slice(22, 99))  # brush 4: rows 121 to 124
    final = app.wait_state("picture", lambda state: (state[band] == 1).all())
    assert (final[band] == 1).all(), "the stroke made during the recall was lost"
    assert picture.shows(final), "the page and the kernel disagree after the recall"
    text = picture.readout_when(lambda t: t.startswith(f"ink pixels: {(final == 1).sum()},"))
    assert text.startswith(f"ink pixels: {(final == 1).sum()},"), text


# -- what people do to it ---------------------------------------------------------------------


def test_painting_off_the_grid_is_clipped(app, letters):
    x, y = letters.point(2, 2)
    page = app.page
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 900, y, steps=20)  # far past the right edge
    page.mouse.move(x + 900, y + 2000, steps=20)  # and below the page
    page.mouse.up()
    expected = row(BLANK, 2, 1, cols=(2, 3, 4))
    assert np.array_equal(app.wait_state("letters", expected), expected)


def test_a_finger_paints_and_a_second_finger_is_ignored(app, letters):
    cdp = app.page.context.new_cdp_session(app.page)

    def touch(kind, *points):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
            {"x": x, "y": y, "id": k} for k, (x, y) in points]})

    first, second = letters.point(3, 0), letters.point(0, 4)
    touch("touchStart", (0, first))
    touch("touchStart", (0, first), (1, second))  # a second finger lands
    for step in range(1, 9):
        t = step / 8
        one = (first[0] + t * (letters.point(3, 4)[0] - first[0]), first[1])
        two = (second[0] - t * (second[0] - letters.point(0, 0)[0]), second[1])
        touch("touchMove", (0, one), (1, two))
    touch("touchEnd")
    expected = row(BLANK, 3, 1)  # only the first finger's stroke
    assert np.array_equal(app.wait_state("letters", expected), expected)
    cdp.detach()


def test_a_python_change_during_a_stroke_keeps_the_stroke(app, letters):
    page = app.page
    page.mouse.move(*letters.point(4, 0))
    page.mouse.down()
    page.mouse.move(*letters.point(4, 2), steps=8)
    # Python shows an O while the mouse is still down (a click that is not the mouse's).
    page.get_by_role("button", name="show O").dispatch_event("click")
    assert np.array_equal(app.wait_state("letters", O), O)
    so_far = row(O, 4, 1, cols=(0, 1, 2))  # the O, with the stroke so far over it
    assert letters.shows(so_far), "the stroke so far was lost when Python changed the grid"
    page.mouse.move(*letters.point(4, 4), steps=8)
    page.mouse.up()
    expected = row(O, 4, 1)  # the O, with the whole stroke over its bottom row
    assert np.array_equal(app.wait_state("letters", expected), expected)
    letters.button("undo").click()  # undo goes back to what Python showed
    assert np.array_equal(app.wait_state("letters", O), O)


def test_clear_in_the_middle_of_a_stroke_ends_it_cleanly(app, letters):
    letters.stroke([(0, 0), (0, 4)])
    top = row(BLANK, 0, 1)
    assert np.array_equal(app.wait_state("letters", top), top)
    page = app.page
    page.mouse.move(*letters.point(2, 0))
    page.mouse.down()
    page.mouse.move(*letters.point(2, 2), steps=8)
    letters.button("clear").focus()
    page.keyboard.press("Enter")  # clear, with the mouse still down
    page.mouse.move(*letters.point(2, 4), steps=8)  # paints nothing: that stroke is over
    page.mouse.up()
    assert np.array_equal(app.wait_state("letters", BLANK), BLANK)
    assert letters.shows(BLANK)
    letters.button("undo").click()  # the stroke up to the clear was kept as a step
    part = row(top, 2, 1, cols=(0, 1, 2))
    assert np.array_equal(app.wait_state("letters", part), part)
    letters.button("undo").click()
    assert np.array_equal(app.wait_state("letters", top), top)


def test_a_wide_brush_paints_and_erases_bands_on_a_128x128_picture(app):
    picture = app.canvas(1)
    for r, value, modifier in [(64, -1, "Shift"), (6, 1, None)]:  # rub out, then paint
        before_text, before = picture.readout(), app.state("picture")
        picture.stroke([(r, 20), (r, 100)], modifier=modifier)  # brush 4: rows r-1 to r+2
        after = app.wait_state("picture", lambda state: (state[r, 22:99] == value).all())
        assert after.shape == (128, 128) and after.dtype == np.int8
        assert (after[r - 1:r + 3, 22:99] == value).all(), f"the band at row {r} is not all {value}"
        changed = np.argwhere(after != before)
        assert len(changed) and changed[:, 0].min() >= r - 2 and changed[:, 0].max() <= r + 3
        assert changed[:, 1].min() >= 17 and changed[:, 1].max() <= 103
        assert picture.readout_when(lambda t: t != before_text) != before_text


def test_a_huge_brush_is_clipped_to_the_grid(app):
    huge = app.canvas(2)
    huge.stroke([(8, 8)])
    full = np.ones((16, 16), dtype=np.int8)
    assert np.array_equal(app.wait_state("huge", full), full)
    huge.stroke([(15, 15)], modifier="Shift")  # from a corner, a disc of radius 16
    state = app.wait_state("huge", lambda state: state[15, 15] == -1)
    assert state[15, 15] == -1 and state[0, 0] == 1
    # The readout is text: markup in it is shown, never run.
    text = huge.readout_when(lambda t: t.startswith(f"ink pixels: {(state == 1).sum()} "))
    assert text == f"ink pixels: {(state == 1).sum()} <i>shown as text, not HTML</i>"
    assert huge.box.locator(".hh-readout i").count() == 0


# -- a notebook reopened without its kernel ---------------------------------------------------


@pytest.fixture(scope="module")
def run_page(servers, tmp_path_factory) -> dict:
    """canvas_page.ipynb run by nbconvert (in the lab server's environment, in a folder of
    its own), with the widget state nbconvert saves."""
    server = servers["lab"]
    folder = tmp_path_factory.mktemp("run-page")
    shutil.copy(server.workdir / PAGE, folder / PAGE)  # outputs already stripped
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook",
                    "--execute", "--inplace", PAGE], cwd=folder, env=server.env,
                   check=True, capture_output=True)
    return json.loads((folder / PAGE).read_text())


@pytest.fixture
def reopen(browser, servers, request):
    """``reopen(name, nb)``: write ``nb`` beside the lab server's pages as ``name`` and
    open it in JupyterLab (which starts a new kernel, knowing nothing of the old one)."""
    opened = []

    def open_page(name, nb):
        server = servers["lab"].wait_ready()
        (server.workdir / name).write_text(json.dumps(nb))
        lesson_page = frontends.LessonPage(browser, server, "lab", server.workdir / name)
        opened.append(lesson_page)
        lesson_page.start()
        frontends.wait_until(lambda: server.kernel_idle(name), 90, "no idle kernel")
        return lesson_page

    yield open_page
    for lesson_page in opened:
        frontends.screenshot_if_failed(request.node, lesson_page.page)
        lesson_page.close().join(timeout=30)


@pytest.mark.parametrize("front_end", ["lab"])
def test_reopened_without_widget_state_shows_the_last_picture(front_end, run_page, reopen):
    nb = dict(run_page, metadata={k: v for k, v in run_page["metadata"].items()
                                  if k != "widgets"})  # as the project commits notebooks
    lesson_page = reopen("canvas_plain.ipynb", nb)
    page = lesson_page.page
    cell = page.locator(".jp-CodeCell").nth(2)  # the letter canvas
    picture = cell.locator(".jp-OutputArea-output img")
    picture.wait_for(timeout=30_000)
    assert picture.evaluate("img => img.naturalWidth") > 200
    assert "Error" not in cell.locator(".jp-OutputArea").inner_text()
    assert page.locator(".hh-canvas").count() == 0
    page.evaluate("() => 0")  # a round trip: the page's earlier console messages are in
    assert not console_errors(lesson_page), console_errors(lesson_page)[:3]


@pytest.mark.parametrize("front_end", ["lab"])
def test_reopened_with_saved_state_shows_the_canvas_and_says_it_is_not_connected(
        front_end, run_page, reopen, servers):
    import nbformat
    from nbformat.sign import NotebookNotary

    # Trusted, as a teacher's own saved notebook is (in the server's own trust database).
    nb = nbformat.from_dict(run_page)
    notary = NotebookNotary(data_dir=str(servers["lab"].notary_dir))
    try:
        notary.sign(nb)
    finally:
        notary.close()  # its sqlite database: Python 3.13 warns of one left open
    lesson_page = reopen("canvas_saved.ipynb", json.loads(nbformat.writes(nb)))
    page = lesson_page.page
    box = page.locator(".hh-canvas").first
    box.wait_for(timeout=30_000)
    box.locator(".hh-note").filter(has_text="Not connected to Python").wait_for(timeout=10_000)
    canvas = Canvas(page, box)
    assert np.array_equal(canvas.shown(), X)  # the X it last showed
    assert "a recall from here reaches: X" in canvas.readout()
    canvas.stroke([(0, 1), (0, 3)])
    assert canvas.shows(row(X, 0, 1)), "it no longer paints"  # and has said why nothing else
    page.evaluate("() => 0")  # a round trip: the page's earlier console messages are in
    assert not console_errors(lesson_page), console_errors(lesson_page)[:3]
