"""The committed notebooks are in the tidy form a class and a reviewer need.

`python tests/refresh_notebooks.py` re-executes the notebooks and saves them in this form;
these tests fail, naming the notebook and the cell, when a committed one is not: run it
(or fix the lesson) and commit again. Cells are counted from 0, markdown cells included,
as in the notebook's JSON.
"""

from __future__ import annotations

import ast
import difflib
import json
import pathlib
import re

import pytest
from IPython.core.inputtransformer2 import TransformerManager

import refresh_notebooks

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LESSONS = [path for path in NOTEBOOKS if re.match(r"\d\d_", path.name)]
REFRESH = "python tests/refresh_notebooks.py"

MAX_BYTES = 500_000
MAX_CODE_LINES = 8
# An address outside the machine in an output: an offline classroom sees a blank instead.
# (Quotes may be JSON-escaped; "//host" is as external as "https://host".)
EXTERNAL_LINK = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*|\burl\(\s*)[\\"']*\s*(?:https?:)?//""", re.IGNORECASE
)
# A printed duration: differs on every machine and run, so it belongs in benchmarks/.
PRINTED_DURATION = re.compile(r"\b\d+(?:\.\d+)?\s*(?:ms|µs|μs|us|ns)\b")
CLOCK_CALL = re.compile(
    r"\b(?:perf_counter|process_time|monotonic)(?:_ns)?\s*\(|\btime\.time\s*\(|\btimeit\b"
    r"|^\s*%%?time\b",
    re.MULTILINE,
)
NBVAL_COMMENT = re.compile(r"#\s*NBVAL", re.IGNORECASE)
INLINE_BACKEND = re.compile(r"^\s*%matplotlib\s+inline\b", re.MULTILINE)
# Outputs held as base64 pictures: searched for nothing (any letters can appear in them).
BINARY_MIME = re.compile(r"^image/(?!svg)")


def ids(paths):
    return [path.stem for path in paths]


def load(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def code_cells(nb: dict):
    """(index among all cells, cell) for every code cell."""
    return [(index, cell) for index, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"]


def output_texts(output: dict):
    """(what, text) for each text an output shows: its stream text, or each mime type."""
    if output["output_type"] == "stream":
        yield output["name"], source({"source": output.get("text", "")})
    for mime, value in output.get("data", {}).items():
        if BINARY_MIME.match(mime):
            continue
        if isinstance(value, (dict, list)) and not (
            isinstance(value, list) and all(isinstance(line, str) for line in value)
        ):
            yield mime, json.dumps(value)
        else:
            yield mime, source({"source": value})


def report(path: pathlib.Path, problems: list[str], advice: str = "") -> str:
    lines = [f"{path.name}:"] + [f"  {problem}" for problem in problems]
    return "\n".join(lines + ([advice] if advice else []))


pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks/*.ipynb found")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_saved_as_the_refresh_command_saves_it(path):
    """Byte for byte what the refresh command writes: no volatile metadata, widget views
    with stable ids, consecutive prints joined, nbformat's layout."""
    stored = path.read_text(encoding="utf-8")
    tidy = refresh_notebooks.text(refresh_notebooks.tidy(refresh_notebooks.read(path)))
    diff = list(
        difflib.unified_diff(
            stored.splitlines(), tidy.splitlines(), "committed", "tidied", n=1, lineterm=""
        )
    )
    if stored != tidy and not diff:
        diff = ["(only the end of the file differs: one final newline expected)"]
    assert not diff, report(
        path,
        ["is not in the form the refresh command saves; what it would change:"]
        + diff[:25] + (["..."] if len(diff) > 25 else []),
        f"Run `{REFRESH} notebooks/{path.name}` and commit the result.",
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_code_cell_executed_in_order(path):
    problems = []
    for expected, (index, cell) in enumerate(code_cells(load(path)), start=1):
        if cell.get("execution_count") != expected:
            problems.append(
                f"cell {index}: execution count {cell.get('execution_count')}, expected {expected}"
            )
    assert not problems, report(
        path, problems, f"Run it top to bottom in a fresh kernel: `{REFRESH}`."
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_execution_timestamps(path):
    stamped = [
        str(index)
        for index, cell in enumerate(load(path)["cells"])
        if "execution" in cell.get("metadata", {})
    ]
    assert not stamped, report(
        path,
        [f"cells {', '.join(stamped)}: metadata.execution (the timestamps of a run)"],
        f"`{REFRESH}` strips them.",
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_saved_widget_state(path):
    widgets = load(path)["metadata"].get("widgets")
    assert widgets is None, report(
        path,
        [f"metadata.widgets holds {len(json.dumps(widgets)):,} bytes of saved widget state"],
        f"`{REFRESH}` strips it: the widgets come alive when the lesson runs.",
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_error_or_stderr_output(path):
    problems = []
    for index, cell in code_cells(load(path)):
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                problems.append(f"cell {index}: an error output ({output.get('ename')})")
            elif output["output_type"] == "stream" and output["name"] == "stderr":
                first = source({"source": output.get("text", "")}).strip().splitlines()[:1]
                problems.append(f"cell {index}: stderr output {first}")
    assert not problems, report(path, problems, "A class must never see a traceback or warning.")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_file_is_small(path):
    size = path.stat().st_size
    assert size <= MAX_BYTES, report(
        path, [f"{size:,} bytes, more than {MAX_BYTES:,}"] + largest_outputs(path)
    )


def largest_outputs(path: pathlib.Path, count: int = 3) -> list[str]:
    """The biggest outputs, to say where the bytes are."""
    sizes = [
        (len(json.dumps(output)), index, output["output_type"])
        for index, cell in code_cells(load(path))
        for output in cell.get("outputs", [])
    ]
    return [
        f"cell {index}: {kind} output, {size:,} bytes"
        for size, index, kind in sorted(sizes, reverse=True)[:count]
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_internet_links_in_outputs(path):
    problems = []
    for index, cell in code_cells(load(path)):
        for output in cell.get("outputs", []):
            for what, text in output_texts(output):
                for match in EXTERNAL_LINK.finditer(text):
                    link = text[match.start() : match.end() + 60].split()[0]
                    problems.append(f"cell {index}: {what} output links outside: {link}...")
    assert not problems, report(path, problems, "An offline classroom would see a blank.")


def has_assert(code: str) -> bool:
    """Whether *code* (IPython syntax: magics allowed) contains an assert statement."""
    try:
        tree = ast.parse(TransformerManager().transform_cell(code))
    except SyntaxError:  # a cell that does not parse: look at the lines themselves
        return bool(re.search(r"^\s*assert\b", code, re.MULTILINE))
    return any(isinstance(node, ast.Assert) for node in ast.walk(tree))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_test_code_in_cells(path):
    problems = []
    for index, cell in code_cells(load(path)):
        code = source(cell)
        if has_assert(code):
            problems.append(f"cell {index}: an assert statement")
        if NBVAL_COMMENT.search(code):
            problems.append(f"cell {index}: an NBVAL comment (use the cell tag instead)")
    assert not problems, report(
        path,
        problems,
        "Checks live in tests/; nbval markers are cell tags (e.g. nbval-ignore-output).",
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_code_cells_are_short(path):
    problems = []
    for index, cell in code_cells(load(path)):
        lines = [line for line in source(cell).splitlines() if line.strip()]
        if len(lines) > MAX_CODE_LINES:
            problems.append(f"cell {index}: {len(lines)} non-blank lines ({lines[0].strip()!r})")
    assert not problems, report(
        path, problems, f"At most {MAX_CODE_LINES} lines per code cell, to read on a projector."
    )


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_lesson_selects_the_inline_backend(path):
    cells = code_cells(load(path))
    assert cells, report(path, ["has no code cell"])
    index, first = cells[0]
    assert INLINE_BACKEND.search(source(first)), report(
        path,
        [f"cell {index}, the first code cell, has no `%matplotlib inline`"],
        "Without it an MPLBACKEND=Agg in the environment blanks every plot.",
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_timing_printouts(path):
    """Durations differ on every machine: they belong in benchmarks/, not a lesson. Caught
    by a printed duration in ms/us/ns, or a clock read in a cell."""
    problems = []
    for index, cell in code_cells(load(path)):
        if CLOCK_CALL.search(source(cell)):
            problems.append(f"cell {index}: reads a clock ({CLOCK_CALL.search(source(cell))[0]!r})")
        for output in cell.get("outputs", []):
            for what, text in output_texts(output):
                match = PRINTED_DURATION.search(text)
                if match:
                    line = text[: match.end()].splitlines()[-1].strip()
                    problems.append(f"cell {index}: {what} output prints a duration: {line!r}")
    assert not problems, report(path, problems, "Measure speed in benchmarks/ instead.")
