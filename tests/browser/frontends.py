"""Opening a lesson in each front end and running it, in two halves: ``start`` (navigate
and press Run All) returns at once, ``finish`` waits until the lesson has run, so the
fixtures can start the next lesson while a test is still busy with the current one.

- JupyterLab: ``/lab/workspaces/NAME/tree/LESSON?reset`` (a fresh workspace per lesson),
  then the menu Run > Run All Cells.
- Notebook 7: ``/notebooks/LESSON``, then the same menu (Notebook 7 has Run > Run All Cells
  too).
- Voila: ``/voila/render/LESSON`` runs the lesson on the server while the page loads.
"""

from __future__ import annotations

import pathlib
import re
import threading
import time

VIEWPORT = {"width": 1400, "height": 1000}
# Screenshots of failed tests, the latency table: ignored by git (top-level .gitignore).
SCREENSHOTS = pathlib.Path(__file__).resolve().parent / "screenshots"
RUN_TIMEOUT_MS = 240_000  # one lesson, on a busy 2-core machine

# Browser console errors known to be harmless, each with the reason it may be ignored.
KNOWN_CONSOLE_NOISE = [
    # Font Awesome (the icon font of widget buttons) is linked from a CDN: by Voila's page
    # (cdn.jsdelivr.net) and by ipywidgets for a widget with an icon such as FileUpload
    # (maxcdn). This machine has no internet, so the stylesheet fails to load and only
    # those icons are blank; nothing else depends on it.
    (re.compile(r"ERR_NAME_NOT_RESOLVED \[https://(cdn\.jsdelivr\.net/npm/@fortawesome/|"
                r"maxcdn\.bootstrapcdn\.com/font-awesome/)"),
     "Font Awesome from a CDN, offline"),
    # Voila 0.5.13 bundles JupyterLab 4.2 and still tries to load Notebook 7's own
    # JupyterLab extension (the "open in Notebook" menu), which needs JupyterLab 4.6; Voila
    # skips it and renders the page and its widgets without it.
    (re.compile(r"RUNTIME-012[\s\S]*@jupyter-notebook/lab-extension"),
     "Notebook 7's lab extension in Voila"),
    # Notebook 7.6.5 throws this on every page load, even for a one-cell notebook without
    # widgets and without our settings: its keyboard-shortcut settings hook reads the
    # schema of a settings plugin that is not loaded yet. Cells and widgets work after it.
    (re.compile(r"reading 'schema'\) \[at \S*/static/notebook/notebook_core\."),
     "Notebook 7's shortcut settings at load"),
    # jupyter_server 2.21 answers 500 to the front end's poll of the kernel list (GET
    # /api/kernels?<time>) when a kernel is starting at that moment: the new kernel has no
    # last_activity yet (KeyError in kernel_model; the same path as
    # jupyter-server/enterprise_gateway#1395). It happens when lessons open together, more
    # on a busy machine; the page polls again a moment later and nothing else is affected.
    (re.compile(r"status of 500 \(Internal Server Error\) "
                r"\[http://127\.0\.0\.1:\d+/api/kernels\?\d+\]$"),
     "kernel list polled while a kernel starts"),
]

# Runs in every lesson's page before the page's own scripts (added by LessonPage).
# 1. Watches one widget box: when a picture's src changes (MutationObserver) and, for a
#    redraw timing, when the key press or the drag's release reached the page (a listener
#    on window in the capture phase, the first code of the page to see it). Both times come
#    from performance.now() in the page, so no round trip to Python is timed.
# 2. In Voila, counts the widget outputs the server sends (each arrives as a
#    <script type="application/vnd.voila.cell-output+json"> that Voila's code turns into
#    an output later), so the test knows how many widgets must appear.
PROBE_JS = """
(() => {
  const probe = {armed: false, t0: null, samples: [], pictures: 0, lastChange: 0,
                 box: null, slider: null, observer: null};
  const stamp = () => { if (probe.armed) { probe.t0 = performance.now(); probe.armed = false; } };
  window.addEventListener('keydown', stamp, true);
  window.addEventListener('pointerup', stamp, true);
  const isPicture = (node) => node.nodeType === 1 &&
      (node.tagName === 'IMG' || node.querySelector('img') !== null);
  probe.watch = (box, slider) => {
    if (probe.observer) probe.observer.disconnect();
    Object.assign(probe, {box, slider, armed: false, t0: null, samples: [], pictures: 0,
                          lastChange: performance.now()});
    probe.observer = new MutationObserver((mutations) => {
      const now = performance.now();
      probe.lastChange = now;
      const picture = mutations.some((m) => m.type === 'attributes'
          ? m.target.tagName === 'IMG' : [...m.addedNodes].some(isPicture));
      if (!picture) return;
      probe.pictures += 1;
      if (probe.t0 !== null) { probe.samples.push(now - probe.t0); probe.t0 = null; }
    });
    probe.observer.observe(box, {subtree: true, childList: true, characterData: true,
                                 attributes: true, attributeFilter: ['src']});
  };
  // What a person sees of the box: the slider's value, every picture, and every text
  // outside the slider (a verdict, another readout).
  probe.snapshot = () => {
    const texts = [];
    const walker = document.createTreeWalker(probe.box, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!probe.slider.contains(n) && n.textContent.trim()) texts.push(n.textContent.trim());
    }
    return {
      value: probe.slider.querySelector('.noUi-handle').getAttribute('aria-valuenow'),
      readout: (probe.slider.querySelector('.widget-readout') || {}).textContent || '',
      pictures: [...probe.box.querySelectorAll('img')].map((img) => img.src),
      text: texts.join('\\n'),
      count: probe.pictures,
    };
  };
  window.__hopfieldProbe = probe;

  if (location.pathname.includes('/voila/render/')) {
    const outputs = [];
    new MutationObserver((mutations) => {
      for (const m of mutations) for (const node of m.addedNodes) {
        if (node.nodeType === 1 && node.tagName === 'SCRIPT' &&
            node.type === 'application/vnd.voila.cell-output+json') outputs.push(node);
      }
    }).observe(document, {childList: true, subtree: true});
    // Read when asked (the text of a script being parsed may still be growing).
    window.__voilaWidgetOutputs = () => outputs.filter(
        (s) => s.textContent.includes('application/vnd.jupyter.widget-view+json')).length;
  }
})();
"""

# Finished: every prompt numbered, or a cell failed (Run All stops there and leaves the
# cells after it unnumbered), or a dialog came up (reported by ``finish``).
RUN_DONE_JS = """() => {
    if (document.querySelector('.jp-Dialog')) return true;
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
        .map((p) => p.textContent);
    if (prompts.length > 0 && prompts.every((p) => /\\[\\d+\\]/.test(p))) return true;
    const failed = document.querySelector(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
    return failed !== null && !prompts.some((p) => p.includes('*'));
}"""

# Widget outputs on the page: top-level outputs holding a rendered widget.
# (a drawing grid is an anywidget view: its element carries our class, not ipywidgets')
RENDERED_WIDGETS_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
    .filter((o) => !o.parentElement.closest('.jp-OutputArea-output'))
    .filter((o) => o.querySelector('.jupyter-widgets, .hh-canvas') !== null).length"""


def console_errors(lesson_page) -> list[str]:
    return [
        error for error in lesson_page.console_errors
        if not any(noise.search(error) for noise, _ in KNOWN_CONSOLE_NOISE)
    ]


def screenshot_if_failed(node, page) -> None:
    """If the test ``node`` failed (its report is kept by conftest), save a screenshot of
    ``page`` in SCREENSHOTS, named after the test."""
    report = getattr(node, "rep_call", None)
    if report is None or not report.failed:
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    name = node.name.replace("/", "_").replace("[", "_").replace("]", "")
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    except Exception as exc:  # a crashed page must not hide the test's own failure
        print(f"no screenshot: {exc}")


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} after {timeout} s")
        time.sleep(0.2)


class LessonPage:
    """One lesson (or page of the suite's own) open in one front end, in a browser context
    of its own; its console errors are collected from the start. ``touch``: the browser
    has a touch screen too (for fingers on a drawing grid)."""

    def __init__(self, browser, server, front_end, lesson, touch=False):
        self.server, self.front_end, self.lesson = server, front_end, lesson
        self.context = browser.new_context(viewport=VIEWPORT, has_touch=touch)
        self.context.add_init_script(PROBE_JS)
        self.page = self.context.new_page()
        self.console_errors = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.error = None        # what went wrong while starting or finishing in advance
        self.state = "new"       # -> opening (Lab, Notebook 7) -> running -> ran
        self.started_at = self.finished_at = None

    def _on_console(self, msg):
        if msg.type == "error":
            self.console_errors.append(f"{msg.text} [{msg.location.get('url', '')}]")

    def _on_page_error(self, exc):
        # The first frame of the stack says which bundle threw.
        where = next((line.strip() for line in (exc.stack or "").splitlines()
                      if line.strip().startswith("at ")), "")
        self.console_errors.append(f"page error: {exc.message} [{where}]")

    # -- start, then advance without waiting ----------------------------------------

    def start(self) -> None:
        """Navigate; return as soon as the server answers (the page loads on its own)."""
        self.started_at = time.monotonic()
        name = self.lesson.name
        if self.front_end == "voila":
            path = f"/voila/render/{name}"  # the lesson runs on the server as the page loads
        elif self.front_end == "lab":
            # A workspace of its own, reset, so this lesson is the only tab open.
            path = f"/lab/workspaces/{self.lesson.stem}/tree/{name}?reset&token={self.server.token}"
        else:
            path = f"/notebooks/{name}?token={self.server.token}"
        try:
            self.page.goto(f"{self.server.url}{path}", wait_until="commit", timeout=60_000)
            self.state = "running" if self.front_end == "voila" else "opening"
        except Exception as exc:  # kept for this lesson's own test to report
            self.error = exc

    def _ready_to_run(self) -> bool:
        """The notebook is open and connected to its started, idle kernel. (Run All any
        sooner asks which kernel to start, in Notebook 7; the page's indicator reads
        "idle" for a moment before the kernel exists, so ask the server first.)"""
        try:
            return (
                self.page.locator(".jp-NotebookPanel").count() > 0
                and self.server.kernel_idle(self.lesson.name)
                and self.page.locator(
                    '.jp-Notebook-ExecutionIndicator[data-status="idle"]').count() > 0
            )
        except Exception:  # a page still loading, a server still starting the kernel
            return False

    def advance(self) -> None:
        """Take the next step if the page is ready for it; never waits."""
        if self.error is not None or self.state not in ("opening", "running"):
            return
        try:
            if self.state == "opening":
                if self._ready_to_run():
                    panels = self.page.locator(".jp-NotebookPanel").count()
                    assert panels == 1, f"{panels} notebooks open, not just this lesson"
                    self.page.locator(
                        ".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
                    self.page.locator(
                        ".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")
                    ).first.click()
                    self.state = "running"
                elif time.monotonic() - self.started_at > 120:
                    raise TimeoutError("the notebook did not open with an idle kernel in 120 s")
            elif self.page.evaluate(
                "() => document.readyState === 'complete'" if self.front_end == "voila"
                else RUN_DONE_JS
            ):
                self.state = "ran"
            elif time.monotonic() - self.started_at > RUN_TIMEOUT_MS / 1000:
                raise TimeoutError(f"the lesson had not run after {RUN_TIMEOUT_MS / 1000} s")
        except Exception as exc:
            self.error = exc

    def running(self) -> bool:
        """Opening or running (asked without waiting; takes the next step if it can)."""
        self.advance()
        return self.error is None and self.state in ("opening", "running")

    # -- finish -----------------------------------------------------------------------

    def finish(self) -> None:
        """Wait until the lesson has run and its widgets are drawn."""
        while self.running():
            time.sleep(0.3)
        if self.finished_at is not None or self.error is not None:
            return
        try:
            if self.front_end == "voila":
                self.page.wait_for_load_state("load", timeout=RUN_TIMEOUT_MS)
                self._wait_for_voila_widgets()
            else:
                dialog = self.page.locator(".jp-Dialog")
                assert dialog.count() == 0, (
                    f"a dialog interrupted Run All: {dialog.first.inner_text()[:200]}"
                )
                wait_until(lambda: self.server.kernel_idle(self.lesson.name), 60,
                           "the kernel still busy")
                self._wait_for_widgets_to_settle()
        except Exception as exc:
            self.error = exc
        self.finished_at = time.monotonic()

    def _wait_for_voila_widgets(self, timeout=120.0) -> None:
        expected = self.page.evaluate("() => window.__voilaWidgetOutputs()")
        try:
            self.page.wait_for_function(
                f"(n) => ({RENDERED_WIDGETS_JS})() >= n", arg=expected,
                timeout=timeout * 1000, polling=200,
            )
        except Exception:
            shown = self.page.evaluate(RENDERED_WIDGETS_JS)
            waiting = self.page.evaluate(
                """() => [...document.querySelectorAll('.jp-OutputArea-output')]
                    .filter((o) => !o.parentElement.closest('.jp-OutputArea-output'))
                    .filter((o) => !o.querySelector('.jupyter-widgets'))
                    .map((o) => o.innerText.slice(0, 80)).filter((t) => /Box|Load|idget/.test(t))"""
            )
            raise AssertionError(
                f"Voila drew {shown} of the lesson's {expected} widgets in {timeout:.0f} s "
                f"(outputs left: {waiting[:3]}; console: {self.console_errors[-3:]})"
            )

    def _wait_for_widgets_to_settle(self, still_ms=500, timeout=30.0) -> None:
        """JupyterLab and Notebook 7 draw each widget as its output arrives: wait until
        their number stops growing."""
        deadline = time.monotonic() + timeout
        count = -1
        while time.monotonic() < deadline:
            now = self.page.evaluate(RENDERED_WIDGETS_JS)
            if now == count:
                return
            count = now
            self.page.wait_for_timeout(still_ms)

    def close(self) -> threading.Thread:
        """Close the page, and stop its kernel in the background (the server takes a
        second or two); return that thread."""
        self.context.close()

        def shutdown():
            try:
                self.server.shutdown_kernel(self.lesson.name)
            except OSError:
                pass  # a server that died shows in its log and in the next test

        stopping = threading.Thread(target=shutdown, daemon=True)
        stopping.start()
        return stopping
