"""Benchmark: the image lesson's recall, through the helpers and through a dense weight matrix.

The workload is the image lesson's: three random 128x128 patterns (16,384 neurons) are
stored, the first is scrambled, and 50,000 asynchronous single-neuron updates run with an
energy trace. It runs twice, each time as a whole new Python process (interpreter start and
imports included, as a user pays them):

* ``helpers``: ``hopfield_helpers.HopfieldNetwork``, which never builds the weight matrix;
* ``dense``: the way the lesson writes it, a dense float64 16,384 x 16,384 matrix built from
  outer products (``np.outer(p, p) - np.identity(N)`` per pattern), then one row of it per
  update. This needs about 2 GB for the matrix and several times that while it is built.

A third process checks the large-picture target: 20 random 512x512 patterns (262,144
neurons) recalled for 5 sweeps (1,310,720 updates).

Run it from the repository root (it prints a table; it never fails on a slow machine)::

    python benchmarks/image_recall.py            # all three
    python benchmarks/image_recall.py --skip-dense

Targets (from the project's issue): helpers >= 50x faster end to end and >= 200x less peak
memory than dense; the 512x512 recall under 2 s and 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

SIDE, N_PATTERNS, STEPS, NOISE, SEED = 128, 3, 50_000, 0.3, 0

LARGE_SIDE, LARGE_PATTERNS, LARGE_SWEEPS = 512, 20, 5


def run_helpers() -> dict:
    """The image workload through the helper module (no weight matrix)."""
    import hopfield_helpers as hh

    patterns = hh.random_patterns(N_PATTERNS, (SIDE, SIDE), seed=SEED)
    network = hh.HopfieldNetwork(patterns)
    cue = hh.add_noise(patterns[0], NOISE, seed=SEED + 1)
    result = network.recall(cue, STEPS, seed=SEED + 2)
    return {
        "overlap": hh.overlap(result.state, patterns[0]),
        "energy_trace_length": int(result.energies.size),
    }


def run_dense() -> dict:
    """The image workload as the lesson writes it: a dense matrix, one row per update."""
    import numpy as np

    rng = np.random.default_rng(SEED)
    patterns = np.where(rng.random((N_PATTERNS, SIDE * SIDE)) < 0.5, 1, -1)
    n = patterns.shape[1]
    weights = np.zeros((n, n))
    for p in patterns:
        weights = weights + (np.outer(p, p) - np.identity(n))
    weights /= n
    flip = rng.random(n) < NOISE
    state = np.where(flip, -patterns[0], patterns[0]).astype(np.float64)
    energy = -0.5 * state @ weights @ state
    energies = [energy]
    for _ in range(STEPS):
        i = rng.integers(n)
        field = weights[i] @ state
        new = 1.0 if field > 0 else (-1.0 if field < 0 else state[i])
        if new != state[i]:
            energy -= (new - state[i]) * field  # the energy change of one flip
            state[i] = new
        energies.append(energy)
    return {
        "overlap": float(np.mean(state * patterns[0])),
        "energy_trace_length": len(energies),
    }


def run_large() -> dict:
    """The large-picture target: 512x512, 20 patterns, 5 sweeps, timed inside."""
    import hopfield_helpers as hh

    patterns = hh.random_patterns(LARGE_PATTERNS, (LARGE_SIDE, LARGE_SIDE), seed=SEED)
    network = hh.HopfieldNetwork(patterns)
    cue = hh.add_noise(patterns[0], NOISE, seed=SEED + 1)
    start = time.perf_counter()
    result = network.recall(cue, LARGE_SWEEPS * network.n_neurons, seed=SEED + 2)
    recall_seconds = time.perf_counter() - start
    return {"overlap": hh.overlap(result.state, patterns[0]), "recall_seconds": recall_seconds}


WORKLOADS = {"helpers": run_helpers, "dense": run_dense, "large": run_large}


def measure(name: str) -> dict:
    """Run one workload in a fresh Python process; wall time and that child's peak RSS."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--child", name],
        stdout=subprocess.PIPE,
        text=True,
    )
    out = child.stdout.read()
    # wait4 gives this child's own resource usage (ru_maxrss is in KiB on Linux).
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"the {name} workload failed (exit code {child.returncode})")
    report = json.loads(out)
    report.update(seconds=seconds, peak_mb=usage.ru_maxrss / 1024)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", choices=sorted(WORKLOADS), help=argparse.SUPPRESS)
    parser.add_argument("--skip-dense", action="store_true",
                        help="skip the dense method (it needs about 8 GB of memory)")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(WORKLOADS[args.child]()))
        return

    # Python caches a module's compiled byte-code on its first import, so a user never pays
    # for compiling it twice; this machine may switch that cache off (PYTHONDONTWRITEBYTECODE),
    # so compile it once here, as a first import would.
    import py_compile

    py_compile.compile(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                                    "hopfield_helpers.py"), doraise=True)
    print(f"Image lesson workload: {N_PATTERNS} random {SIDE}x{SIDE} patterns, "
          f"{STEPS:,} async updates with an energy trace, {NOISE:.0%} noise.")
    print("Each run is a fresh Python process: start-up and imports included.\n")
    helpers = measure("helpers")
    print(f"{'method':<10}{'time (s)':>10}{'peak memory (MB)':>18}{'final overlap':>15}")
    print(f"{'helpers':<10}{helpers['seconds']:>10.2f}{helpers['peak_mb']:>18.0f}"
          f"{helpers['overlap']:>15.3f}")
    if not args.skip_dense:
        dense = measure("dense")
        print(f"{'dense':<10}{dense['seconds']:>10.2f}{dense['peak_mb']:>18.0f}"
              f"{dense['overlap']:>15.3f}")
        print(f"\nhelpers are {dense['seconds'] / helpers['seconds']:.0f}x faster "
              f"(target >= 50x) and use {dense['peak_mb'] / helpers['peak_mb']:.0f}x less "
              f"peak memory (target >= 200x).")

    large = measure("large")
    print(f"\nLarge picture: {LARGE_PATTERNS} random {LARGE_SIDE}x{LARGE_SIDE} patterns "
          f"({LARGE_SIDE**2:,} neurons), {LARGE_SWEEPS} sweeps.")
    print(f"recall {large['recall_seconds']:.2f} s (target < 2 s), whole process "
          f"{large['seconds']:.2f} s, peak memory {large['peak_mb']:.0f} MB (target < 300 MB), "
          f"final overlap {large['overlap']:.3f}")


if __name__ == "__main__":
    main()
