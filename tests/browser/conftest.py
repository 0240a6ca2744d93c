"""Fixtures for the real-browser tests: one Jupyter server per front end (JupyterLab,
Jupyter Notebook 7, Voila) on loopback for the whole session, and headless Chromium driven
by Playwright.

Each server serves outputs-stripped copies of every lesson (notebooks/0*.ipynb) and of the
suite's own pages (tests/browser/*.ipynb: canvas_page.ipynb, which the drawing canvas tests
paint on), in a folder of its own; a test may write more files there (a notebook to
reopen). Only the front ends the selected tests use are started.

These tests need Debian's Chromium (``apt-get install chromium``) and the ``playwright``
package. Where either is missing they are skipped with the reason, except under CI (``CI``
set), where a missing browser is a failure: CI must run them. To skip them on purpose (CI
runs them on one Python only), set ``HOPFIELD_BROWSER=skip``.

The JupyterLab tests time each redraw (key press to new picture); the table is printed in
pytest's summary and written to ``tests/browser/screenshots/latency.json`` (ignored by git).

Speed: the machine has 2 cores and a lesson's kernel uses one. So the next lesson is
started (Run All pressed, or Voila's page requested) while a test still checks the current
one, two lessons running at most; and before JupyterLab's redraws are timed every lesson
started ahead must have finished, so the timings are taken on a quiet machine.
"""

from __future__ import annotations

import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import pytest

import frontends

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Every lesson, found by name, so a renamed or new lesson is covered too.
LESSONS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
# The suite's own notebooks: pages for tests of one widget, served beside the lessons.
PAGES = sorted(pathlib.Path(__file__).resolve().parent.glob("*.ipynb"))
# They are pages to drive, not lessons: nbval must not run them (pytest's collection).
collect_ignore_glob = ["*.ipynb"]
# JupyterLab last: its lessons, started ahead while Notebook 7 and Voila are checked, have
# run by the time their redraws are timed (on a quiet machine, see ``LessonPages.settle``).
FRONT_ENDS = ("notebook", "voila", "lab")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = frontends.SCREENSHOTS
LATENCY_JSON = ARTIFACTS / "latency.json"
SKIP_VARIABLE = "HOPFIELD_BROWSER"
# Chromium flags for a closed network and a root user (measured: see the shared notes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where the JupyterLab tests leave their redraw timings for the summary.
LATENCY = pytest.StashKey[dict]()
SKIPPED = pytest.StashKey[bool]()
ORDER = pytest.StashKey[list]()  # (front_end, lesson) of every browser test, in run order
USED = pytest.StashKey[set]()  # the front ends any selected browser test uses


def pytest_generate_tests(metafunc):
    """One test per front end and lesson, front end first (``lab-02_letters_5x5``), so
    ``-k lab``, ``-k voila`` or ``-k 03_`` pick a part of the suite."""
    if {"front_end", "lesson"} <= set(metafunc.fixturenames):
        cases = [(front_end, lesson) for front_end in FRONT_ENDS for lesson in LESSONS]
        metafunc.parametrize(
            ("front_end", "lesson"), cases, ids=[f"{f}-{nb.stem}" for f, nb in cases]
        )


def missing_tools() -> list[str]:
    missing = []
    if not os.path.exists(CHROMIUM):
        missing.append(f"Chromium ({CHROMIUM}; apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    return missing


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests, with the reason, when asked to or where there is no Chromium
    (never silently on CI: there a missing browser fails the tests)."""
    asked = os.environ.get(SKIP_VARIABLE, "").strip().lower()
    if asked not in ("", "skip", "run"):
        raise pytest.UsageError(f"{SKIP_VARIABLE}={asked!r}: use 'skip' (or 'run', the default)")
    if asked == "skip":
        reason = f"{SKIP_VARIABLE}=skip: the real-browser tests are skipped on purpose"
    else:
        missing = missing_tools()
        if not missing or os.environ.get("CI") or asked == "run":
            return  # on CI (or when asked to run) a missing browser fails the tests loudly
        reason = "real-browser tests need " + " and ".join(missing)
    config.stash[SKIPPED] = True
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_collection_finish(session):
    """The browser tests that will run (after -k and the like), in order: the servers to
    start and the lessons to start ahead."""
    order, used = [], set()
    if not session.config.stash.get(SKIPPED, False):
        for item in session.items:
            params = getattr(getattr(item, "callspec", None), "params", {})
            if "browser" in item.keywords and "front_end" in params:
                used.add(params["front_end"])
                if "lesson" in params:
                    order.append((params["front_end"], params["lesson"]))
    session.config.stash[ORDER] = order
    session.config.stash[USED] = used


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def strip_outputs(source: pathlib.Path, target: pathlib.Path) -> None:
    """Copy a notebook with every output and execution count removed, so a front end can
    tell when Run All has finished (every prompt numbered) and shows only fresh output."""
    nb = json.loads(source.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    nb.get("metadata", {}).pop("widgets", None)
    target.write_text(json.dumps(nb))


def server_env() -> dict:
    env = dict(os.environ)
    # An Agg backend reaching the kernel would blank every inline plot.
    env.pop("MPLBACKEND", None)
    # The kernels import the hopfield_helpers next to these tests (a worktree or a
    # checkout), whatever copy is installed in the environment.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    # One BLAS thread per kernel: the 2 cores are shared with the browser and the server.
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    return env


class Server:
    """A Jupyter (or Voila) server process on 127.0.0.1, always stopped by its PID."""

    def __init__(self, front_end, argv, port, token, workdir, log_path):
        self.front_end, self.port, self.token, self.workdir = front_end, port, token, workdir
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.env = server_env()  # its kernels' too: run a notebook the way they do
        self.notary_dir = None  # JupyterLab, Notebook 7: its own database of trusted notebooks
        self.process = subprocess.Popen(
            argv, cwd=workdir, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its kernels join its process group: stopped with it
        )
        self.ready = False

    def api(self, path: str, method: str = "GET"):
        query = f"?token={self.token}" if self.token else ""
        request = urllib.request.Request(f"{self.url}{path}{query}", method=method)
        with urllib.request.urlopen(request, timeout=10) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def wait_ready(self, timeout: float = 90) -> "Server":
        """Wait until the server answers 200 (Voila's directory listing starts no kernel)."""
        probe = "/api/status" if self.token else "/"
        deadline = time.monotonic() + timeout
        while not self.ready:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.front_end} server exited with code {self.process.returncode}: "
                    f"see {self.log_path}"
                )
            try:
                query = f"?token={self.token}" if self.token else ""
                with urllib.request.urlopen(f"{self.url}{probe}{query}", timeout=2) as reply:
                    self.ready = reply.status == 200
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.front_end} server not ready after {timeout} s")
                time.sleep(0.3)
        return self

    def kernel_idle(self, path: str) -> bool:
        """Whether the notebook at ``path`` has a kernel, started and idle."""
        return any(
            session["path"] == path and session["kernel"]["execution_state"] == "idle"
            for session in self.api("/api/sessions")
        )

    def shutdown_kernel(self, path: str) -> None:
        """Stop the kernel of the notebook at ``path`` (Voila stops a page's own kernel
        when the page goes)."""
        if not self.token:
            return
        for session in self.api("/api/sessions"):
            if session["path"] == path:
                self.api(f"/api/sessions/{session['id']}", method="DELETE")

    def terminate(self) -> None:
        """Ask the server to stop; it stops its kernels first (they run in sessions of
        their own, so only the server can)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def wait_stopped(self) -> None:
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self.log.close()


def lab_settings(folder: pathlib.Path) -> pathlib.Path:
    """Settings shared by JupyterLab and Notebook 7 (both read ``overrides.json``)."""
    folder.mkdir()
    (folder / "overrides.json").write_text(
        json.dumps({
            # The news pop-up would cover the page.
            "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"},
            # Lay out every cell, on screen or not, so all of them can be checked.
            "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
        })
    )
    return folder


def start_server(front_end: str, base: pathlib.Path) -> Server:
    """Start one front end's server on outputs-stripped copies of every lesson and page,
    in a folder of its own (an autosave by one front end must not reach another)."""
    workdir = base / front_end
    workdir.mkdir()
    (base / f"{front_end}-workspaces").mkdir()
    notary = base / f"{front_end}-notary"
    notary.mkdir()
    for notebook in (*LESSONS, *PAGES):
        strip_outputs(notebook, workdir / notebook.name)
    port = free_port()
    token = None if front_end == "voila" else secrets.token_hex(16)
    if front_end == "voila":
        # Directory mode: one server renders every lesson at /voila/render/NAME.
        argv = [
            sys.executable, "-m", "voila", str(workdir), "--no-browser", f"--port={port}",
            "--Voila.ip=127.0.0.1",
            # Show an error's traceback instead of a generic message, so the test can say.
            "--VoilaConfiguration.show_tracebacks=True",
        ]
    else:
        module = {"lab": "jupyterlab", "notebook": "notebook"}[front_end]
        argv = [
            sys.executable, "-m", module, "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", "--allow-root",
            "--ServerApp.open_browser=False", f"--ServerApp.root_dir={workdir}",
            f"--LabServerApp.app_settings_dir={lab_settings(base / (front_end + '-settings'))}",
            # Its own workspaces, so no tab left open by an earlier session is restored.
            f"--LabServerApp.workspaces_dir={base / (front_end + '-workspaces')}",
            # Its own trusted notebooks: a test may sign one; the user's list is not touched.
            f"--NotebookNotary.data_dir={notary}",
        ]
        if front_end == "lab":
            argv.append("--LabApp.news_url=None")
    server = Server(front_end, argv, port, token, workdir, base / f"{front_end}.log")
    server.notary_dir = None if front_end == "voila" else notary
    return server


@pytest.fixture(scope="session")
def servers(request, tmp_path_factory):
    """Every front end the selected tests use, started together (they boot in parallel)
    and reused by every lesson: ``servers[front_end]``."""
    base = tmp_path_factory.mktemp("front-ends")
    started = {}

    def stop_servers_and_die(signum, frame):
        # A run killed from outside (a CI time limit sends SIGTERM) skips the teardown;
        # the servers run in sessions of their own and would outlive it with their kernels.
        for server in started.values():
            server.terminate()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    previous = signal.signal(signal.SIGTERM, stop_servers_and_die)
    try:
        for front_end in FRONT_ENDS:
            if front_end in request.config.stash.get(USED, set()):
                started[front_end] = start_server(front_end, base)
        yield started
    finally:
        signal.signal(signal.SIGTERM, previous)
        for server in started.values():  # all at once: each takes seconds to stop
            server.terminate()
        for server in started.values():
            server.wait_stopped()


@pytest.fixture(scope="session")
def browser():
    missing = missing_tools()
    if missing:
        pytest.fail(f"the real-browser tests need {' and '.join(missing)} (they are not "
                    f"skipped under CI); set {SKIP_VARIABLE}=skip to skip them on purpose")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


class LessonPages:
    """Hands each test its lesson's page, started (perhaps finished) ahead of time.

    When a test takes its page, the lessons after it in the run order are started, so that
    two lessons run at once (one per core) and at most ``AHEAD`` wait. A lesson started
    ahead keeps its own errors (``LessonPage.error``) for its own test to report.
    """

    RUNNING_AT_ONCE = 2
    AHEAD = 5  # finished lessons wait with their page and kernel: some 400 MB each

    def __init__(self, browser, servers, order):
        self.browser, self.servers, self.order = browser, servers, order
        self.pages = {}      # (front_end, lesson name) -> LessonPage, until its test ends
        self.taken = set()
        self.current = None
        self.stopping = []   # threads stopping the kernels of tested lessons

    def _start(self, front_end, lesson):
        server = self.servers[front_end]
        page = frontends.LessonPage(self.browser, server, front_end, lesson)
        self.pages[(front_end, lesson.name)] = page
        try:
            server.wait_ready()
        except (OSError, RuntimeError) as exc:  # for this lesson's own test to report
            page.error = exc
            return page
        page.start()
        return page

    def take(self, front_end, lesson):
        key = (front_end, lesson.name)
        page = self.pages.get(key) or self._start(front_end, lesson)
        self.taken.add(key)
        self.current = key
        self.start_ahead()
        return page

    def start_ahead(self) -> None:
        """Start the next lessons in the run order while fewer than RUNNING_AT_ONCE run
        and fewer than AHEAD wait for their test."""
        keys = [(front_end, lesson.name) for front_end, lesson in self.order]
        later = keys.index(self.current) + 1 if self.current in keys else len(keys)
        for (front_end, lesson), key in zip(self.order[later:], keys[later:]):
            if key in self.pages:
                continue
            running = sum(page.running() for page in self.pages.values())
            waiting = sum(k not in self.taken for k in self.pages)
            if running >= self.RUNNING_AT_ONCE or waiting >= self.AHEAD:
                return
            self._start(front_end, lesson)

    def finish(self, page) -> None:
        """Wait until ``page`` has run, starting the next lessons as cores come free."""
        while page.running():
            self.start_ahead()
            time.sleep(0.3)
        page.finish()
        self.start_ahead()

    def settle(self) -> None:
        """Run the lessons left (two at a time, up to AHEAD of them) and wait until they
        have all run, so that the machine is quiet while redraws are timed."""
        while True:
            self.start_ahead()
            waiting = [page for key, page in self.pages.items() if key not in self.taken]
            if not any(page.running() for page in waiting):
                break
            time.sleep(0.3)
        for page in waiting:
            page.finish()

    def release(self, front_end, lesson) -> None:
        """Close a tested lesson's page; its kernel stops in the background."""
        self.stopping.append(self.pages.pop((front_end, lesson.name)).close())

    def close(self) -> None:
        for page in self.pages.values():
            try:
                page.context.close()
            except Exception:
                pass
        for thread in self.stopping:
            thread.join(timeout=30)


@pytest.fixture(scope="session")
def lesson_pages(browser, servers, request):
    pages = LessonPages(browser, servers, request.config.stash.get(ORDER, []))
    yield pages
    pages.close()


@pytest.fixture
def lesson_page(lesson_pages, front_end, lesson, request):
    """This test's lesson, started in its front end (perhaps already run); a screenshot is
    saved if the test fails; then the page and its kernel are closed."""
    page = lesson_pages.take(front_end, lesson)
    yield page
    frontends.screenshot_if_failed(request.node, page.page)
    lesson_pages.release(front_end, lesson)


@pytest.fixture
def latency(request, lesson):
    """Record redraw timings: ``latency(slider_label, samples_ms, misses)``."""
    table = request.config.stash.setdefault(LATENCY, {})

    def record(label: str, samples: list[float], misses: int) -> None:
        table.setdefault(lesson.stem, []).append({
            "slider": label, "samples_ms": [round(s, 1) for s in samples], "misses": misses,
            # Other work on the machine slows redraws: say how busy it was.
            "load_average": round(os.getloadavg()[0], 2),
        })

    return record


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def latency_rows(table: dict) -> list[dict]:
    """One row per timed slider, and one per lesson over all its sliders."""
    rows = []
    for lesson in sorted(table):
        entries = table[lesson]
        for entry in entries:
            rows.append({"lesson": lesson, **entry})
        if len(entries) > 1:
            rows.append({
                "lesson": lesson, "slider": "(all sliders)",
                "samples_ms": [ms for entry in entries for ms in entry["samples_ms"]],
                "misses": sum(entry["misses"] for entry in entries),
                "load_average": max(entry["load_average"] for entry in entries),
            })
    for row in rows:
        samples = row["samples_ms"]
        row["n"] = len(samples)
        row["median_ms"] = round(statistics.median(samples), 1) if samples else None
        row["worst_ms"] = max(samples) if samples else None
    return rows


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The JupyterLab redraw timings, in every run's summary and in latency.json."""
    table = config.stash.get(LATENCY, {})
    if not table:
        return
    rows = latency_rows(table)
    write = terminalreporter.write_line
    terminalreporter.section("JupyterLab redraw latency: key press -> new picture (ms)")
    write(f"{'lesson':24s} {'slider':16s} {'n':>3s} {'median':>7s} {'worst':>7s} "
          f"{'no pic':>6s} {'load':>5s}")
    for row in rows:
        median, worst = (float("nan") if v is None else v for v in (row["median_ms"],
                                                                    row["worst_ms"]))
        write(f"{row['lesson'][:24]:24s} {row['slider'][:16]:16s} {row['n']:3d} {median:7.0f} "
              f"{worst:7.0f} {row['misses']:6d} {row['load_average']:5.1f}")
    ARTIFACTS.mkdir(exist_ok=True)
    LATENCY_JSON.write_text(json.dumps(rows, indent=1) + "\n")
    write("n: timed key presses (first slider of each explorer); no pic: presses that drew no "
          "new picture; load: the machine's 1-minute load average when timed, which still "
          "counts this suite's own lessons of the minute before (about 2): well above that, "
          f"other work slowed the redraws. Also in {LATENCY_JSON.relative_to(ROOT)}")
