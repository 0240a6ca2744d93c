"""Re-execute the lesson notebooks the way CI runs them, and save them in the tidy form
that tests/test_notebook_form.py checks.

    python tests/refresh_notebooks.py                                  # every lesson
    python tests/refresh_notebooks.py notebooks/02_letters_5x5.ipynb   # only some

Each notebook runs top to bottom in a fresh kernel of the Python running this script (as
``pytest --nbval-current-env`` does), with notebooks/ as the working directory. Then it is
tidied, so that running this twice in a row changes nothing in git:

- no per-cell ``metadata.execution`` timestamps (nor other per-run cell metadata);
- no saved widget state (``metadata.widgets``): it is large, and its model ids are random;
- consecutive prints to one stream joined into one output (the kernel batches them into
  messages by timing), as JupyterLab itself shows them;
- each widget view's ``model_id`` replaced by an id derived from the cell's id and the
  output's position (no state is saved, so no front end could look the real one up);
- ``language_info.version`` dropped: it is the Python version of whoever ran this last;
- execution counts 1..n in order, cell ids, tags and the kernel/language metadata kept.

A cell that raises, or writes to stderr (a warning, a traceback), fails the run: that
notebook is left as it was, the others are still refreshed, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pathlib
import subprocess
import sys
import time

import ipykernel.kernelspec
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT = 600  # seconds; the slowest lesson cell takes a few seconds here
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Cell metadata that only records a run or a view, never what the lesson says.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "scrolled")
# Notebook metadata written by tools or editors, not by the lesson's author.
VOLATILE_NOTEBOOK_METADATA = ("widgets", "vscode", "papermill", "toc", "varInspector")


class CurrentEnvKernelSpecs(KernelSpecManager):
    """Every Python kernel name starts this environment's own ipykernel (sys.executable),
    as ``--nbval-current-env`` does, whatever kernels are installed for the user."""

    def get_kernel_spec(self, kernel_name):
        return self.kernel_spec_class(
            resource_dir=ipykernel.kernelspec.RESOURCES, **ipykernel.kernelspec.get_kernel_dict()
        )


class NotebookFailed(Exception):
    """A notebook raised, timed out or wrote to stderr; the message says where."""


def stable_id(*parts: object) -> str:
    """A 32-hex-digit id (the shape of a widget model id) that depends only on *parts*."""
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()[:32]


def execute(nb: nbformat.NotebookNode, name: str) -> None:
    """Run every cell of *nb* in place, in a fresh kernel, with cwd = notebooks/."""
    env = dict(os.environ)
    # As under pytest (tests/conftest.py): one BLAS thread per process on these 2-core
    # machines. It changes how busy the cores are, never a result.
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Each lesson selects its inline backend; a shell's MPLBACKEND=Agg must not reach the
    # kernel and blank the saved figures of a lesson that forgot to.
    env.pop("MPLBACKEND", None)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=CurrentEnvKernelSpecs())
    client = NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    try:
        # The kernel's own stderr carries only its start-up chatter (a cell's stderr comes
        # back as an output, checked in tidy); nbval silences it the same way.
        client.execute(env=env, cwd=str(NOTEBOOKS), stderr=subprocess.DEVNULL)
    except CellTimeoutError as err:
        raise NotebookFailed(f"{name}: a cell ran longer than {CELL_TIMEOUT} s\n{err}") from None
    except CellExecutionError as err:
        index = next(
            (i for i, cell in enumerate(nb.cells)
             if any(out.output_type == "error" for out in cell.get("outputs", []))),
            "?",
        )
        raise NotebookFailed(f"{name}: cell {index} raised\n{err}") from None
    except DeadKernelError as err:
        raise NotebookFailed(f"{name}: the kernel died\n{err}") from None
    finally:
        if km.has_kernel:  # nbclient leaves a kernel it was handed running
            km.shutdown_kernel(now=True)


def merge_streams(outputs: list) -> list:
    """Join consecutive prints to the same stream into one output, as JupyterLab shows
    them: how the kernel batched them into messages depends on timing."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def tidy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip, in place, what changes from run to run or from one contributor to another;
    return *nb*. Tidying a tidy notebook changes nothing."""
    for key in VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        cell.outputs = merge_streams(cell.outputs)
        for position, output in enumerate(cell.outputs):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                view["model_id"] = stable_id(cell.id, position)
    return nb


def check_run(nb: nbformat.NotebookNode, name: str) -> None:
    """Fail on what a freshly run lesson must never show: a skipped cell, an error, stderr."""
    expected_count = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        expected_count += 1
        if cell.execution_count != expected_count:
            raise NotebookFailed(
                f"{name}: cell {index} has execution count {cell.execution_count}, "
                f"expected {expected_count} (an empty or skipped code cell?)"
            )
        for output in cell.outputs:
            if output.output_type == "error":
                raise NotebookFailed(f"{name}: cell {index} shows an error ({output.ename})")
            if output.output_type == "stream" and output.name == "stderr":
                raise NotebookFailed(f"{name}: cell {index} wrote to stderr:\n{output.text}")


def read(path: pathlib.Path) -> nbformat.NotebookNode:
    """The notebook at *path* as stored, with a stable id for any cell that has none."""
    # The v4 reader alone, no validation: nbformat.read would give any cell without an id
    # a random one.
    nb = nbformat.v4.reads(path.read_text(encoding="utf-8"))
    if nb.nbformat != 4:
        raise NotebookFailed(f"{path.name}: nbformat {nb.nbformat}, expected 4")
    nb.nbformat_minor = max(nb.nbformat_minor, 5)  # 4.5 is the first with cell ids
    for index, cell in enumerate(nb.cells):
        if not cell.get("id"):
            cell.id = stable_id(path.name, index)[:8]
    return nb


def text(nb: nbformat.NotebookNode) -> str:
    """The file's text: nbformat's layout, which is JupyterLab's own (indent 1, sorted
    keys), so opening and saving a refreshed notebook in the lab changes no byte."""
    nbformat.validate(nb)
    return nbformat.writes(nb).rstrip("\n") + "\n"  # one final newline, as the lab writes


def refresh(path: pathlib.Path) -> None:
    nb = read(path)
    for cell in nb.cells:
        if cell.cell_type == "code":  # start clean: nothing from an earlier run survives
            cell.outputs = []
            cell.execution_count = None
    execute(nb, path.name)
    check_run(nb, path.name)
    path.write_text(text(tidy(nb)), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "notebooks", nargs="*", type=pathlib.Path,
        help="notebooks to refresh (default: every notebooks/*.ipynb)",
    )
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        if not path.is_file() or path.suffix != ".ipynb":
            parser.error(f"not a notebook: {path}")
        if path.parent != NOTEBOOKS:
            parser.error(f"{path} is not in {NOTEBOOKS}: the lessons run from there")

    failed = []
    for path in paths:
        start = time.perf_counter()
        try:
            refresh(path)
        except NotebookFailed as err:
            failed.append(path.name)
            print(f"FAILED {err}\n  (left unchanged)", file=sys.stderr, flush=True)
        else:
            print(f"ok     {path.name} ({time.perf_counter() - start:.0f} s)", flush=True)
    if failed:
        print(f"{len(failed)} of {len(paths)} notebooks failed: {', '.join(failed)}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
