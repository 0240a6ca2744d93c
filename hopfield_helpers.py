"""Helpers for the Hopfield network notebooks.

Every notebook in ``notebooks/`` imports this one module. It holds everything the
lessons compute and draw, so the notebooks can stay short and readable:

* **Patterns** -- :func:`letter_pattern`, :func:`random_patterns`, :func:`add_noise`,
  :func:`noisify`, :func:`overlap`, :func:`hamming_distance`.
* **The network** -- :class:`HopfieldNetwork` stores patterns, computes fields and
  energies, and runs a recall (:meth:`HopfieldNetwork.recall`) that returns a
  :class:`RecallResult` with the whole trajectory.
* **Plots** -- :func:`plot_patterns`, :func:`plot_energy`, :func:`plot_overlaps`,
  :func:`plot_weights`, :func:`plot_trajectory`, :func:`animate_recall`.
* **Widgets** -- :func:`recall_explorer` builds a noise / step / seed explorer in one line.

Conventions used everywhere
---------------------------
* A neuron's state is ``+1`` or ``-1``. A pattern is an array of such values in any
  shape (a 5x5 letter, a 128x128 picture); the network works on it flattened and hands
  results back in the shape it was given.
* Hebbian weights are ``W = (1/N) sum_mu x_mu x_mu^T`` with a zero diagonal, so a stored
  pattern has an energy of about ``-1/2`` per neuron.
* The energy is ``E(s) = -1/2 s^T W s - b^T s`` where ``b`` is an optional bias
  (a negative threshold).
* A neuron whose input field is exactly 0 keeps its state.

Computing never needs the ``N x N`` weight matrix for Hebbian networks: the field is
``h = X^T (X s) / N - (P/N) s``, and one flip updates the overlaps ``X s`` in ``O(P)``.
Plotting and widget libraries are imported only inside the functions that draw, so
``import hopfield_helpers`` stays light for computing.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field as dataclass_field
from typing import Sequence

import numpy as np

__all__ = [
    "available_letters",
    "letter_pattern",
    "random_patterns",
    "add_noise",
    "noisify",
    "overlap",
    "hamming_distance",
    "HopfieldNetwork",
    "RecallResult",
    "plot_pattern",
    "plot_patterns",
    "plot_energy",
    "plot_overlaps",
    "plot_weights",
    "plot_trajectory",
    "plot_recall",
    "animate_recall",
    "save_recall_gif",
    "recall_explorer",
    "RecallExplorer",
    "PALETTE",
]

#: Okabe-Ito colours: distinguishable with every common form of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: Line styles cycled with the colours, so curves stay apart even in greyscale.
LINESTYLES = ("-", "--", "-.", ":")

#: Above this many neurons, ``HopfieldNetwork.weights`` refuses to build the dense matrix.
MAX_DENSE_NEURONS = 8192


# --------------------------------------------------------------------------------------
# Validation at the boundary
# --------------------------------------------------------------------------------------


def _check_pm1(array, name: str) -> np.ndarray:
    """Return ``array`` as a new int8 array, or raise if any value is not +1/-1."""
    if isinstance(array, (str, bytes)) or array is None:
        raise TypeError(f"{name} must be an array of +1/-1 values, got {type(array).__name__}")
    try:
        arr = np.asarray(array)
    except (ValueError, TypeError) as exc:  # ragged nested lists, for example
        raise ValueError(f"{name} must be a rectangular array of +1/-1 values ({exc})") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise TypeError(
            f"{name} must be a numeric array of +1/-1 values, got dtype {arr.dtype}"
            + (" (booleans are ambiguous: use np.where(b, 1, -1))" if arr.dtype == bool else "")
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty: expected at least one +1/-1 value")
    bad = (arr != 1) & (arr != -1)
    if bad.any():
        examples = np.unique(arr[bad])[:5].tolist()
        raise ValueError(
            f"{name} must contain only +1 and -1, but it has {int(bad.sum())} other value(s), "
            f"e.g. {examples}"
        )
    return arr.astype(np.int8)


def _check_level(level, name: str = "level") -> float:
    """Return ``level`` as a float in [0, 1], or raise."""
    if isinstance(level, bool) or not isinstance(level, numbers.Real):
        raise TypeError(f"{name} must be a number between 0 and 1, got {type(level).__name__}")
    level = float(level)
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1 (a fraction of pixels), got {level}")
    return level


def _check_count(value, name: str, minimum: int = 0) -> int:
    """Return ``value`` as an int >= ``minimum``, or raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _check_shape(shape, name: str = "shape") -> tuple:
    """Return ``shape`` as a tuple of positive ints (an int means a 1-D shape)."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise TypeError(f"{name} must be an int or a tuple of ints, got {shape!r}") from None
    if not shape:
        raise ValueError(f"{name} must have at least one dimension, got ()")
    for dim in shape:
        if isinstance(dim, bool) or not isinstance(dim, numbers.Integral) or dim < 1:
            raise ValueError(f"{name} must contain positive whole numbers, got {shape!r}")
    return tuple(int(d) for d in shape)


def _check_temperature(temperature, steps: int):
    """None for zero temperature, else an array of ``steps`` temperatures >= 0."""
    if isinstance(temperature, numbers.Real) and not isinstance(temperature, bool):
        if not np.isfinite(temperature) or temperature < 0:
            raise ValueError(f"temperature must be a finite number >= 0, got {temperature}")
        return None if temperature == 0 else np.full(steps, float(temperature))
    try:
        temps = np.asarray(temperature, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"temperature must be a number or an array of numbers, got {temperature!r}") from None
    if temps.shape != (steps,):
        raise ValueError(f"temperature must be a number or hold one value per step ({steps}), "
                         f"got shape {temps.shape}")
    if not np.all(np.isfinite(temps)) or np.any(temps < 0):
        raise ValueError("temperature values must be finite and >= 0")
    return temps if temps.any() else None


def _rng(seed) -> np.random.Generator:
    """A numpy Generator from ``seed`` (None, an int, or a Generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        if seed is not None and seed < 0:
            raise ValueError(f"seed must be a non-negative whole number or None, got {seed}")
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be None, a whole number or a numpy Generator, got {seed!r}")


def _check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )


# --------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------

# 5x5 letters and symbols, drawn by hand: '#' is ink (+1), '.' is background (-1).
# X, O and + are exactly the classic lesson's: both diagonals; a ring with the corners
# off; the middle row and column.
_LETTERS = {
    "X": ("#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", ".###."),
    "+": ("..#..", "..#..", "#####", "..#..", "..#.."),
    "A": (".###.", "#...#", "#####", "#...#", "#...#"),
    "C": (".####", "#....", "#....", "#....", ".####"),
    "E": ("#####", "#....", "####.", "#....", "#####"),
    "H": ("#...#", "#...#", "#####", "#...#", "#...#"),
    "I": ("#####", "..#..", "..#..", "..#..", "#####"),
    "J": ("#####", "...#.", "...#.", "#..#.", ".##.."),
    "L": ("#....", "#....", "#....", "#....", "#####"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#...#", "##..#", "#.#.#", "#..##", "#...#"),
    "S": (".####", "#....", ".###.", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "Z": ("#####", "...#.", "..#..", ".#...", "#####"),
    "-": (".....", ".....", "#####", ".....", "....."),
    "|": ("..#..", "..#..", "..#..", "..#..", "..#.."),
    "/": ("....#", "...#.", "..#..", ".#...", "#...."),
    "#": (".#.#.", "#####", ".#.#.", "#####", ".#.#."),
    "[]": ("#####", "#...#", "#...#", "#...#", "#####"),
}


def available_letters() -> list[str]:
    """The names accepted by :func:`letter_pattern`, in a stable order.

    Returns
    -------
    list of str
    """
    return list(_LETTERS)


def letter_pattern(letter: str) -> np.ndarray:
    """A hand-drawn 5x5 letter or symbol as a +1/-1 pattern.

    Parameters
    ----------
    letter : str
        One of :func:`available_letters` (case-insensitive for letters), e.g. ``"X"``,
        ``"O"``, ``"+"``.

    Returns
    -------
    pattern : ndarray of int8, shape (5, 5)
        ``+1`` where the letter has ink, ``-1`` elsewhere. A new array every call.

    Raises
    ------
    TypeError
        If ``letter`` is not a string.
    ValueError
        If the letter is unknown; the message lists the ones that exist.

    Examples
    --------
    >>> letter_pattern("+")[2]
    array([1, 1, 1, 1, 1], dtype=int8)
    """
    if not isinstance(letter, str):
        raise TypeError(f"letter must be a string such as 'X', got {type(letter).__name__}")
    key = letter if letter in _LETTERS else letter.upper()
    if key not in _LETTERS:
        raise ValueError(
            f"letter {letter!r} is not drawn; available: {' '.join(available_letters())}"
        )
    rows = _LETTERS[key]
    return np.array([[1 if c == "#" else -1 for c in row] for row in rows], dtype=np.int8)


def random_patterns(n: int, shape, seed=None) -> np.ndarray:
    """``n`` random +1/-1 patterns, each pixel +1 or -1 with probability 1/2.

    Parameters
    ----------
    n : int
        Number of patterns (>= 1).
    shape : int or tuple of int
        Shape of one pattern, e.g. ``100`` or ``(5, 5)``.
    seed : int, numpy.random.Generator or None
        Makes the result reproducible.

    Returns
    -------
    patterns : ndarray of int8, shape (n, *shape)
    """
    n = _check_count(n, "n", minimum=1)
    shape = _check_shape(shape)
    rng = _rng(seed)
    return np.where(rng.random((n,) + shape) < 0.5, 1, -1).astype(np.int8)


def add_noise(pattern, level: float, seed=None) -> np.ndarray:
    """A copy of ``pattern`` with each pixel flipped independently with probability ``level``.

    Parameters
    ----------
    pattern : array_like of +1/-1, any shape
    level : float in [0, 1]
        Flip probability: 0 returns an exact copy, 1 the reversed pattern, 0.5 pure noise.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    noisy : ndarray of int8, same shape as ``pattern``
    """
    pattern = _check_pm1(pattern, "pattern")
    level = _check_level(level, "level")
    rng = _rng(seed)
    flip = rng.random(pattern.shape) < level
    return np.where(flip, -pattern, pattern).astype(np.int8)


def noisify(pattern, flips_per_row: int, seed=None) -> np.ndarray:
    """A copy of ``pattern`` with exactly ``flips_per_row`` pixels flipped in every row.

    This is the image lesson's way of scrambling a picture: the damage is spread evenly
    over the rows, and the number of flipped pixels is exact rather than random.

    Parameters
    ----------
    pattern : array_like of +1/-1, shape (rows, cols) or (cols,)
        A 1-D pattern counts as a single row.
    flips_per_row : int
        How many distinct pixels to flip in each row, between 0 and ``cols``.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    noisy : ndarray of int8, same shape as ``pattern``
    """
    pattern = _check_pm1(pattern, "pattern")
    if pattern.ndim not in (1, 2):
        raise ValueError(f"pattern must be 1-D or 2-D (rows, cols), got shape {pattern.shape}")
    flips_per_row = _check_count(flips_per_row, "flips_per_row")
    rows = pattern.reshape(-1, pattern.shape[-1])
    n_rows, n_cols = rows.shape
    if flips_per_row > n_cols:
        raise ValueError(f"flips_per_row must be <= the row length {n_cols}, got {flips_per_row}")
    rng = _rng(seed)
    # The first `flips_per_row` entries of a random ranking pick distinct pixels per row.
    ranks = np.argsort(rng.random((n_rows, n_cols)), axis=1)[:, :flips_per_row]
    noisy = rows.copy()
    np.put_along_axis(noisy, ranks, -np.take_along_axis(rows, ranks, axis=1), axis=1)
    return noisy.reshape(pattern.shape)


def overlap(a, b) -> float:
    """The overlap ``mean(a * b)`` of two +1/-1 patterns of the same shape.

    1 means identical, -1 means one is the other reversed, about 0 means unrelated.

    Parameters
    ----------
    a, b : array_like of +1/-1, same shape

    Returns
    -------
    float in [-1, 1]
    """
    a = _check_pm1(a, "a")
    b = _check_pm1(b, "b")
    _check_same_shape(a, b, "a", "b")
    return float(np.mean(a.astype(np.int64) * b))


def hamming_distance(a, b) -> int:
    """How many pixels differ between two +1/-1 patterns of the same shape.

    Parameters
    ----------
    a, b : array_like of +1/-1, same shape

    Returns
    -------
    int in [0, a.size]
    """
    a = _check_pm1(a, "a")
    b = _check_pm1(b, "b")
    _check_same_shape(a, b, "a", "b")
    return int(np.count_nonzero(a != b))


def _stack_patterns(patterns, name: str = "patterns") -> np.ndarray:
    """Validate ``patterns`` (an array (P, ...) or a sequence of same-shape arrays)."""
    if isinstance(patterns, np.ndarray):
        if patterns.ndim < 2:
            raise ValueError(
                f"{name} must be an array of shape (P, ...) holding P patterns, got shape "
                f"{patterns.shape}; to store one pattern p, pass [p]"
            )
        return _check_pm1(patterns, name)
    if isinstance(patterns, (str, bytes)) or not isinstance(patterns, Sequence):
        raise TypeError(
            f"{name} must be an array (P, ...) or a list of same-shape +1/-1 arrays, "
            f"got {type(patterns).__name__}"
        )
    if len(patterns) == 0:
        raise ValueError(f"{name} is empty: store at least one pattern")
    arrays = [_check_pm1(p, f"{name}[{i}]") for i, p in enumerate(patterns)]
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        raise ValueError(f"all {name} must have the same shape, got shapes {sorted(shapes)}")
    if arrays[0].ndim == 0:
        raise ValueError(f"each of {name} must be an array, got single numbers")
    return np.stack(arrays)


# --------------------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------------------


def _storkey_weights(x: np.ndarray) -> np.ndarray:
    """Storkey's rule (1997) for patterns ``x`` (P, N): the dense (N, N) weights.

    ``W_ij += (x_i x_j - x_i h_ji - h_ij x_j) / N`` for each pattern in turn, where
    ``h_ij = sum_{k != i, j} W_ik x_k`` is the local field of the earlier patterns.
    """
    n = x.shape[1]
    if n > MAX_DENSE_NEURONS:
        raise ValueError(
            f"the storkey rule needs the dense N x N matrix; patterns of {n} neurons are over "
            f"the limit of {MAX_DENSE_NEURONS} (use rule='pseudoinverse' or 'hebb')"
        )
    w = np.zeros((n, n))
    for xi in x:
        h = w @ xi
        # h_ij: the field on i from every neuron but i and j.
        local = h[:, None] - (np.diag(w) * xi)[:, None] - w * xi[None, :]
        w += (np.outer(xi, xi) - xi[:, None] * local.T - local * xi[None, :]) / n
    np.fill_diagonal(w, 0.0)
    return (w + w.T) / 2  # symmetric by construction; this removes rounding asymmetry


@dataclass
class RecallResult:
    """Everything a recall did, so a plot or a slider can replay it without recomputing.

    Attributes
    ----------
    state : ndarray of int8, shape of the input state
        The final state.
    energies : ndarray of float, shape (steps + 1,)
        ``energies[0]`` is the start's energy, ``energies[t]`` the energy after step ``t``.
    converged : bool
        True only if ``state`` is a fixed point (no neuron would change). A synchronous
        2-cycle is not converged.
    update : {"async", "sync"}
        How neurons were updated: one per step, or all at once.
    steps : int
        Number of steps run.
    initial_state : ndarray of int8, shape of the input state
    snapshot_steps : ndarray of int, shape (K,)
        Steps at which snapshots were taken, from 0 to ``steps`` inclusive.
    snapshots : ndarray of int8, shape (K, *input shape)
        The state after each step in ``snapshot_steps`` (made when first asked for).
    overlaps : ndarray of float, shape (K, P)
        Overlap of each snapshot with each stored pattern.
    flip_steps, flip_neurons, flip_values : ndarray, shape (F,)
        Every change made, in order: at step ``flip_steps[k]`` neuron ``flip_neurons[k]``
        (a flat index) took the value ``flip_values[k]``. With these, :meth:`state_at`
        rebuilds the state at any step.
    """

    state: np.ndarray
    energies: np.ndarray
    converged: bool
    update: str
    steps: int
    initial_state: np.ndarray
    snapshot_steps: np.ndarray
    overlaps: np.ndarray
    flip_steps: np.ndarray
    flip_neurons: np.ndarray
    flip_values: np.ndarray
    _stored: np.ndarray = dataclass_field(repr=False, default=None)
    _snapshots: np.ndarray = dataclass_field(repr=False, default=None)
    # Every step's state, for networks whose states are real numbers (no flip log).
    _trajectory: np.ndarray = dataclass_field(repr=False, default=None)

    @property
    def snapshots(self) -> np.ndarray:
        """States after each step in ``snapshot_steps``, shape (K, *input shape).

        Rebuilt from the flip log the first time it is asked for, then kept: a recall of a
        big picture does not pay for K copies of it unless they are wanted.
        """
        if self._snapshots is None:
            self._snapshots = np.stack([self.state_at(int(t)) for t in self.snapshot_steps])
        return self._snapshots

    @property
    def n_flips(self) -> int:
        """Total number of neuron flips during the recall."""
        return int(self.flip_steps.size)

    @property
    def last_change_step(self) -> int:
        """The step of the last flip (0 if nothing ever changed)."""
        return int(self.flip_steps[-1]) if self.flip_steps.size else 0

    def _check_step(self, step) -> int:
        step = _check_count(step, "step")
        if step > self.steps:
            raise ValueError(f"step must be between 0 and {self.steps}, got {step}")
        return step

    def state_at(self, step: int) -> np.ndarray:
        """The exact state after ``step`` steps (0 = the start), rebuilt from the flip log.

        Parameters
        ----------
        step : int in [0, steps]

        Returns
        -------
        ndarray of int8, shape of the input state
        """
        step = self._check_step(step)
        if self._trajectory is not None:
            return self._trajectory[step].copy()
        flat = self.initial_state.reshape(-1).copy()
        n = np.searchsorted(self.flip_steps, step, side="right")
        _apply_changes(flat, self.flip_neurons[:n], self.flip_values[:n])
        return flat.reshape(self.initial_state.shape)

    def energy_at(self, step: int) -> float:
        """The energy after ``step`` steps."""
        return float(self.energies[self._check_step(step)])

    def overlaps_at(self, step: int) -> np.ndarray:
        """Overlaps of the state after ``step`` steps with each stored pattern, shape (P,)."""
        state = self.state_at(step).reshape(-1).astype(np.float64)
        return self._stored @ state / state.size if self._stored.size else np.zeros(0)


def _snapshot_steps(steps: int, snapshot_every) -> np.ndarray:
    """Steps 0, k, 2k, ... and always the last; by default every step up to 100 steps,
    else about 100 snapshots."""
    if snapshot_every is None:
        snapshot_every = max(1, -(-steps // 100))
    else:
        snapshot_every = _check_count(snapshot_every, "snapshot_every", minimum=1)
    snap_steps = np.arange(0, steps + 1, snapshot_every)
    if snap_steps[-1] != steps:
        snap_steps = np.append(snap_steps, steps)
    return snap_steps


def _make_result(memory, state, s0, final, flips, energies, converged, update, steps,
                 snap_steps) -> RecallResult:
    """A RecallResult for a +1/-1 recall described by its change log ``flips``."""
    flip_steps, flip_neurons, flip_values = flips
    overlaps = memory._overlap_trace(s0, flip_steps, flip_neurons, flip_values, snap_steps)
    in_shape = np.shape(state)
    return RecallResult(
        state=final.reshape(in_shape),
        energies=energies,
        converged=converged,
        update=update,
        steps=steps,
        initial_state=s0.reshape(in_shape).copy(),
        snapshot_steps=snap_steps,
        overlaps=overlaps,
        flip_steps=flip_steps,
        flip_neurons=flip_neurons,
        flip_values=flip_values,
        _stored=memory.patterns.reshape(memory.n_patterns, memory.n_neurons).astype(np.float64),
    )


class _PatternMemory:
    """What every network of stored +1/-1 patterns shares: the patterns, their shape,
    checking states against them, overlaps, and the random sweeps of async updates."""

    def _store_patterns(self, patterns) -> np.ndarray:
        """Validate and keep ``patterns``; return them flat as floats, shape (P, N)."""
        stacked = _stack_patterns(patterns)
        self.patterns = stacked
        self.pattern_shape = stacked.shape[1:]
        self.n_patterns = stacked.shape[0]
        self.n_neurons = int(np.prod(self.pattern_shape))
        x = stacked.reshape(self.n_patterns, self.n_neurons).astype(np.float64)
        self._stored_t = np.ascontiguousarray(x.T)  # (N, P), for overlaps
        return x

    def _flat_state(self, state, name: str = "state") -> np.ndarray:
        s = _check_pm1(state, name)
        if s.size != self.n_neurons:
            raise ValueError(
                f"{name} has {s.size} values but the network has {self.n_neurons} neurons "
                f"(pattern shape {self.pattern_shape})"
            )
        return s.reshape(-1)

    def _flat_states(self, states, name: str = "state"):
        """Return (flat (K, N) int8 array, output shape) for one state or a stack."""
        s = _check_pm1(states, name)
        if s.shape == self.pattern_shape or s.shape == (self.n_neurons,):
            return s.reshape(1, -1), ()
        # A stack (K, *pattern_shape) or (K, N), even of one state.
        if s.ndim > 1 and (s.shape[1:] == self.pattern_shape or s.shape[1:] == (self.n_neurons,)):
            return s.reshape(s.shape[0], -1), (s.shape[0],)
        if s.size == self.n_neurons:  # one state in another shape, e.g. a flat picture
            return s.reshape(1, -1), ()
        raise ValueError(
            f"{name} must be one state of {self.n_neurons} values (shape {self.pattern_shape}) "
            f"or a stack (K, {', '.join(map(str, self.pattern_shape))}), got shape {s.shape}"
        )

    def overlaps(self, state) -> np.ndarray:
        """Overlap of ``state`` with each stored pattern.

        Parameters
        ----------
        state : array_like of +1/-1, one state or a stack (K, ...)

        Returns
        -------
        ndarray of float, shape (P,) or (K, P)
        """
        flat, lead = self._flat_states(state)
        m = flat.astype(np.float64) @ self._stored_t / self.n_neurons
        return m[0] if lead == () else m

    def _overlap_trace(self, s0, flip_steps, flip_neurons, flip_values, at_steps):
        """Overlaps (K, P) with the stored patterns after each step in ``at_steps``
        (sorted), replaying the change log from ``s0`` in O(P) per change."""
        overlaps = np.empty((len(at_steps), self.n_patterns))
        stored = self.patterns.reshape(self.n_patterns, self.n_neurons)
        s = s0.copy()
        m = stored @ s.astype(np.float64) / self.n_neurons
        done = 0
        for row, t in enumerate(at_steps):
            stop = np.searchsorted(flip_steps, t, side="right")
            if stop > done:
                before = s.copy()
                _apply_changes(s, flip_neurons[done:stop], flip_values[done:stop])
                changed = np.flatnonzero(s != before)
                delta = s[changed].astype(np.float64) - before[changed]
                m += stored[:, changed] @ delta / self.n_neurons
                done = stop
            overlaps[row] = m
        return overlaps

    def _sweep_order(self, steps: int, rng: np.random.Generator) -> np.ndarray:
        n = self.n_neurons
        n_sweeps = -(-steps // n)
        dtype = np.int32 if n < 2**31 else np.int64
        order = np.empty(n_sweeps * n, dtype=dtype)
        for k in range(n_sweeps):
            order[k * n : (k + 1) * n] = rng.permutation(n)
        return order[:steps]


class HopfieldNetwork(_PatternMemory):
    """A Hopfield network that stores +1/-1 patterns and recalls them from noisy cues.

    Parameters
    ----------
    patterns : array_like, shape (P, ...), or sequence of P same-shape arrays
        The patterns to store, each of +1/-1 values. The shape of one pattern (for
        example (5, 5) or (128, 128)) is kept: recall hands results back in that shape.
    rule : {"hebb", "storkey", "pseudoinverse"}
        The learning rule; every rule gives a symmetric W with a zero diagonal.

        * ``"hebb"``: ``W = (1/N) sum_mu x_mu x_mu^T``. Capacity about 0.138 N random
          patterns; correlated patterns blend.
        * ``"storkey"`` (Storkey 1997): each new pattern is learned against the local
          fields of the ones before it; capacity about ``N / sqrt(2 ln N)``. Needs the
          dense N x N matrix, so up to ``MAX_DENSE_NEURONS`` neurons.
        * ``"pseudoinverse"`` (projection rule, Personnaz et al. 1985, Kanter and
          Sompolinsky 1987): ``W = (1/N) X^T C^-1 X`` with ``C = X X^T / N``; stores up to
          N linearly independent patterns, correlated ones included. Kept low-rank: W is
          never built.
    bias : float or array_like of shape (N,) or the pattern shape, default 0
        An external field added to every neuron's input (a negative threshold).

    Attributes
    ----------
    patterns : ndarray of int8, shape (P, *pattern_shape)
        A copy of the stored patterns.
    pattern_shape : tuple
    n_neurons : int
        ``N``, the number of pixels in one pattern.
    n_patterns : int
        ``P``.
    rule : str

    Notes
    -----
    The weight matrix is never built unless you ask for :attr:`weights`: the network
    keeps the patterns and computes each field from them. A 128x128 picture network
    stores 3 x 16,384 numbers instead of 16,384^2.

    Examples
    --------
    >>> net = HopfieldNetwork([letter_pattern("X"), letter_pattern("O")])
    >>> noisy = add_noise(letter_pattern("X"), 0.1, seed=1)
    >>> result = net.recall(noisy, steps=100, seed=0)
    >>> overlap(result.state, letter_pattern("X"))
    1.0
    """

    RULES = ("hebb", "storkey", "pseudoinverse")

    def __init__(self, patterns, rule: str = "hebb", bias=0.0):
        if not isinstance(rule, str) or rule not in self.RULES:
            raise ValueError(f"rule must be one of {list(self.RULES)}, got {rule!r}")
        self.rule = rule
        x = self._store_patterns(patterns)
        # Low-rank weights W = scale * (left right^T - diag(self_coupling)), never built:
        # a field needs only m = right^T s (P numbers), kept up to date flip by flip.
        self._right = np.ascontiguousarray(x.T)  # (N, P)
        self._scale = 1.0 / self.n_neurons
        self._dense = None
        if rule == "hebb":
            # left = right = X^T and the diagonal holds P. Fields from integers stay
            # exact, so a tie is exactly 0.
            self._left = self._right
            self._self_coupling = np.full(self.n_neurons, float(self.n_patterns))
        elif rule == "pseudoinverse":
            # pinv also copes with linearly dependent patterns (it projects onto their span).
            c_inv = np.linalg.pinv(x @ x.T / self.n_neurons)
            self._left = np.ascontiguousarray(self._right @ c_inv)
            self._self_coupling = np.einsum("np,np->n", self._left, self._right)
        else:  # storkey
            self._dense = _storkey_weights(x)
            self._scale = 1.0
            self._left = self._right = np.zeros((self.n_neurons, 0))
            self._self_coupling = np.zeros(self.n_neurons)
        self.bias = bias

    @classmethod
    def from_weights(cls, weights, bias=0.0, shape=None) -> "HopfieldNetwork":
        """A network with weights you choose, rather than learned from patterns.

        Used to explore tiny networks by hand (two neurons and one weight).

        Parameters
        ----------
        weights : array_like, shape (N, N)
            Symmetric, with a zero diagonal (what guarantees the energy never rises).
        bias : float or array_like of shape (N,), default 0
        shape : tuple, optional
            The shape of one state; defaults to ``(N,)``.

        Returns
        -------
        HopfieldNetwork
            With no stored patterns (``n_patterns == 0``).
        """
        try:
            w = np.array(weights, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError("weights must be a square numeric array (N, N)") from None
        if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] == 0:
            raise ValueError(f"weights must be a square array (N, N), got shape {w.shape}")
        if not np.all(np.isfinite(w)):
            raise ValueError("weights must be finite numbers (no NaN or infinity)")
        if not np.allclose(w, w.T):
            raise ValueError("weights must be symmetric (w[i, j] == w[j, i])")
        if np.any(np.diag(w) != 0):
            raise ValueError("weights must have a zero diagonal (no neuron feeds itself)")
        n = w.shape[0]
        shape = (n,) if shape is None else _check_shape(shape)
        if int(np.prod(shape)) != n:
            raise ValueError(f"shape {shape} does not hold {n} neurons")
        net = cls.__new__(cls)
        net.rule = "given"
        net.patterns = np.zeros((0,) + shape, dtype=np.int8)
        net.pattern_shape = shape
        net.n_patterns = 0
        net.n_neurons = n
        net._right = np.zeros((n, 0))
        net._left = net._right
        net._stored_t = net._right
        net._self_coupling = np.zeros(n)
        net._scale = 1.0
        net._dense = w
        net.bias = bias
        return net

    def __repr__(self) -> str:
        return (
            f"HopfieldNetwork(rule={self.rule!r}, patterns={self.n_patterns}, "
            f"neurons={self.n_neurons}, pattern_shape={self.pattern_shape})"
        )

    @property
    def bias(self) -> np.ndarray:
        """The external field on each neuron, shape (N,); set it with a number or an array."""
        return self._bias.copy()

    @bias.setter
    def bias(self, value):
        self._bias = self._check_bias(value)
        # The same field in the weights' own units (x N for Hebb), where ties are exact.
        # Multiplying by the whole number 1/scale keeps e.g. (3/22) * 22 == 3 exactly.
        self._bias_units = self._bias * round(1 / self._scale)

    # -- validation -------------------------------------------------------------------

    def _check_bias(self, bias) -> np.ndarray:
        try:
            b = np.asarray(bias, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"bias must be a number or an array of numbers, got {bias!r}") from None
        if b.ndim == 0:
            b = np.full(self.n_neurons, float(b))
        elif b.size != self.n_neurons:
            raise ValueError(
                f"bias must be a number or have one value per neuron ({self.n_neurons}), "
                f"got shape {b.shape}"
            )
        if not np.all(np.isfinite(b)):
            raise ValueError("bias must be finite")
        return b.reshape(-1).copy()

    # -- what the network computes ------------------------------------------------------

    @property
    def weights(self) -> np.ndarray:
        """The N x N weight matrix (symmetric, zero diagonal), built on request.

        Raises
        ------
        ValueError
            Above ``MAX_DENSE_NEURONS`` neurons, where the matrix would not fit comfortably
            in memory (the network never needs it).
        """
        if self._dense is not None:
            return self._dense.copy()
        if self.n_neurons > MAX_DENSE_NEURONS:
            gib = self.n_neurons**2 * 8 / 2**30
            raise ValueError(
                f"the weight matrix of {self.n_neurons} neurons would take {gib:.1f} GiB; "
                f"it is only built up to {MAX_DENSE_NEURONS} neurons (recall never needs it)"
            )
        w = self._scale * (self._left @ self._right.T)
        if self.rule != "hebb":  # exact for Hebb; remove rounding asymmetry otherwise
            w = (w + w.T) / 2
        np.fill_diagonal(w, 0.0)  # every rule has a zero diagonal: no neuron feeds itself
        return w

    def _field_units(self, s: np.ndarray) -> np.ndarray:
        """Fields (K, N) for flat states ``s`` (K, N), bias included, in units of the
        weights' scale (1/N for Hebb): integers there, so a tie is exactly 0. Every
        update rule and stability check decides from these same numbers."""
        sf = s.astype(np.float64)
        if self._dense is not None:
            return sf @ self._dense + self._bias_units
        m = sf @ self._right  # (K, P)
        return m @ self._left.T - sf * self._self_coupling + self._bias_units

    def field(self, state) -> np.ndarray:
        """Each neuron's input ``h = W s + b``.

        Parameters
        ----------
        state : array_like of +1/-1, one state (N values) or a stack (K, ...)

        Returns
        -------
        ndarray of float, same shape as ``state``
        """
        flat, lead = self._flat_states(state)
        h = self._scale * self._field_units(flat)
        return h.reshape(np.shape(state))

    def energy(self, state):
        """The energy ``E = -1/2 s^T W s - b^T s``.

        Parameters
        ----------
        state : array_like of +1/-1, one state (N values) or a stack (K, ...)

        Returns
        -------
        float, or ndarray of shape (K,) for a stack
        """
        flat, lead = self._flat_states(state)
        e = self._energy_flat(flat)
        return float(e[0]) if lead == () else e

    def _energy_flat(self, s: np.ndarray) -> np.ndarray:
        sf = s.astype(np.float64)
        if self._dense is not None:
            quad = np.einsum("ki,ki->k", sf @ self._dense, sf)
        else:
            m = sf @ self._right
            # s_i^2 is 1 for +1/-1 but 0 for an undecided pixel: keep it in the sum.
            quad = self._scale * (
                np.einsum("kp,kp->k", m, sf @ self._left) - (sf * sf) @ self._self_coupling
            )
        return -0.5 * quad - sf @ self._bias

    def is_fixed_point(self, state) -> bool:
        """True if no neuron of ``state`` would change under an update."""
        s = self._flat_state(state)[None, :]
        return bool(self._stable_mask(s).all())

    def _stable_mask(self, s: np.ndarray) -> np.ndarray:
        h = self._field_units(s)
        return (h == 0) | (np.sign(h) == s)

    # -- recall -------------------------------------------------------------------------

    def recall(self, state, steps: int, update: str = "async", seed=None, snapshot_every=None,
               allow_zeros: bool = False, temperature=0.0):
        """Let the network update ``state`` for ``steps`` steps.

        Parameters
        ----------
        state : array_like of +1/-1
            The cue, with the network's number of neurons (any shape; the result keeps it).
            It is not modified.
        steps : int >= 0
            ``"async"``: one neuron update per step (16,384 steps visit each pixel of a
            128x128 picture once). ``"sync"``: every neuron at once per step.
        update : {"async", "sync"}
        seed : int, numpy.random.Generator or None
            Async visits neurons in random sweeps (a fresh random order of all neurons,
            one after another), so no neuron is left out; the seed fixes those orders.
        snapshot_every : int, optional
            Take a snapshot every this many steps. Default: every step up to 100 steps,
            else about 100 snapshots in all. The last step is always included.
        allow_zeros : bool, default False
            Accept 0 ("undecided") pixels in the cue, e.g. the average of two patterns
            where they disagree. An undecided neuron takes the sign of its field when it
            is updated; if that field is exactly 0 too, it tosses a (seeded) coin. So after
            one async sweep, or one sync step, every pixel is +1 or -1.
        temperature : float >= 0 or array_like of shape (steps,), default 0
            Noise in the updates (Glauber dynamics): at temperature ``T > 0`` a neuron
            becomes +1 with probability ``(1 + tanh(h / T)) / 2``, so it sometimes goes
            against its field and the energy can rise, which can shake a state out of a
            shallow valley. An array gives one temperature per step: a falling schedule
            anneals. At 0 (the default) the rule is the deterministic one.

        Returns
        -------
        RecallResult

        Notes
        -----
        A neuron with field exactly 0 keeps its state. Async updates never raise the
        energy (with a symmetric, zero-diagonal W); sync updates can fall into a 2-cycle.
        """
        if allow_zeros:
            # Check the non-zero pixels as usual, then put the undecided zeros back.
            undecided = np.asarray(state) == 0
            s0 = self._flat_state(np.where(undecided, 1, state)).copy()
            s0[undecided.reshape(-1)] = 0
        else:
            s0 = self._flat_state(state)
        steps = _check_count(steps, "steps")
        if update not in ("async", "sync"):
            raise ValueError(f"update must be 'async' or 'sync', got {update!r}")
        snap_steps = _snapshot_steps(steps, snapshot_every)
        rng = _rng(seed)
        temps = _check_temperature(temperature, steps)

        if update == "async":
            final, flips, energies = self._run_async(s0, steps, rng, temps)
        else:
            final, flips, energies = self._run_sync(s0, steps, rng, temps)
        converged = bool(self._stable_mask(final[None, :]).all())
        return _make_result(self, state, s0, final, flips, energies, converged, update, steps,
                            snap_steps)

    def _glauber(self, h_units, cur, temps, draws, coins, neurons):
        """New values for neurons with fields ``h_units``: Glauber's rule where the
        temperature is above 0, the deterministic rule (ties keep) where it is 0."""
        h = self._scale * h_units
        hot = temps > 0
        p_up = 0.5 * (1.0 + np.tanh(h / np.where(hot, temps, 1.0)))
        tie = cur if coins is None or neurons is None else np.where(cur == 0, coins[neurons], cur)
        cold = np.where(h > 0, 1.0, np.where(h < 0, -1.0, tie))
        return np.where(hot, np.where(draws < p_up, 1.0, -1.0), cold)

    def _run_async(self, s0: np.ndarray, steps: int, rng: np.random.Generator, temps=None):
        """Sequential updates in random sweeps, computed a block of neurons at a time.

        This gives exactly the result of updating one neuron after another, without a
        Python loop over neurons. The fields of the next block of neurons in the order
        are computed together; while none of them wants to flip, nothing changes and the
        block is skipped (and the next block is bigger). From the first neuron that
        flips, the block's own couplings (a small B x B slice of W, made from the
        patterns) correct the fields of the neurons after it, flip by flip.

        With ``temps`` (a temperature per step), a neuron is set to +1 with Glauber's
        probability ``(1 + tanh(h / T)) / 2``, from a random number drawn for its step in
        advance; the blocks work the same way.
        """
        n = self.n_neurons
        s = s0.astype(np.float64)
        order = self._sweep_order(steps, rng)
        dense, left, right = self._dense, self._left, self._right
        m = None if dense is not None else s @ right  # overlaps X s, kept up to date
        diag, scale = self._self_coupling, self._scale
        # Fields are computed in units of `scale`, so Hebbian fields are exact integers
        # and a tie (field exactly 0) is recognised exactly.
        bias_units = self._bias_units
        energy0 = float(self._energy_flat(s0[None, :])[0])
        flip_steps, flip_neurons, flip_values, drops = [], [], [], []
        pos, block, max_local = 0, 32, 128
        any_zeros = bool((s0 == 0).any())  # undecided pixels (recall's allow_zeros)
        # One coin per neuron, for an undecided neuron whose field is exactly 0.
        coins = rng.choice([-1.0, 1.0], size=n) if any_zeros else None
        if temps is not None:
            draws = rng.random(steps)  # one random number per step, for Glauber's rule

            def wants_change(h_units, cur, first_step):
                """Which of these neurons (visited from ``first_step`` on) change."""
                at = slice(first_step, first_step + h_units.size)
                return self._glauber(h_units, cur, temps[at], draws[at], coins, order[at]) != cur

        while pos < steps:
            # A block never crosses a sweep boundary, so no neuron appears twice in it.
            end = min(pos + block, (pos // n + 1) * n, steps)
            idx = order[pos:end]
            cur = s[idx]
            if dense is not None:
                h = dense[idx] @ s + bias_units[idx]
            else:
                h = left[idx] @ m - diag[idx] * cur + bias_units[idx]
            if temps is not None:
                unstable = wants_change(h, cur, pos)
            else:
                # Unstable: the field opposes the state, or the neuron is still undecided.
                unstable = cur * h < 0
                if any_zeros:
                    unstable |= cur == 0
            j0 = int(unstable.argmax())
            if not unstable[j0]:
                pos = end
                block = min(block * 2, 8192)
                continue
            sub = idx[j0 : j0 + max_local]
            h, cur = h[j0 : j0 + max_local].copy(), cur[j0 : j0 + max_local].copy()
            # couplings[k, j] = W[sub[j], sub[k]] / scale: how a flip of sub[k] moves the
            # field of sub[j].
            if dense is not None:
                couplings = dense[np.ix_(sub, sub)].T
            else:
                couplings = right[sub] @ left[sub].T
            start = cur.copy()
            has_zeros = any_zeros and bool((cur == 0).any())
            k, flipped = 0, []
            while True:
                if temps is not None:
                    new = -cur[k] if cur[k] != 0 else self._glauber(
                        h[k : k + 1], cur[k : k + 1], temps[pos + j0 + k : pos + j0 + k + 1],
                        draws[pos + j0 + k : pos + j0 + k + 1], coins, sub[k : k + 1])[0]
                else:
                    new = 1.0 if h[k] > 0 else (-1.0 if h[k] < 0 else coins[sub[k]])
                delta = new - cur[k]
                cur[k] = new
                flipped.append(k)
                flip_steps.append(pos + j0 + k + 1)
                # With a zero diagonal, changing s_i changes E by -(new - old) h_i, which
                # is < 0 at zero temperature.
                drops.append(-delta * h[k] * scale)
                if k + 1 == h.size:
                    break
                h_rest = h[k + 1 :]  # a view: updated in place
                h_rest += delta * couplings[k, k + 1 :]
                c_rest = cur[k + 1 :]
                if temps is not None:
                    wants = wants_change(h_rest, c_rest, pos + j0 + k + 1)
                else:
                    wants = c_rest * h_rest < 0
                    if has_zeros:
                        wants |= c_rest == 0
                later = int(wants.argmax())
                if not wants[later]:
                    break
                k += 1 + later
            changed = sub[flipped]
            flip_neurons.extend(changed.tolist())
            flip_values.extend(cur[flipped].tolist())
            s[changed] = cur[flipped]
            if m is not None:
                m += (cur[flipped] - start[flipped]) @ right[changed]
            pos += j0 + sub.size
            block = 32
        flip_steps = np.array(flip_steps, dtype=np.int64)
        delta = np.zeros(steps + 1)
        delta[flip_steps] = drops
        energies = energy0 + np.cumsum(delta)
        flips = (flip_steps, np.array(flip_neurons, dtype=np.int64),
                 np.array(flip_values, dtype=np.int8))
        return s.astype(np.int8), flips, energies

    def _run_sync(self, s0: np.ndarray, steps: int, rng: np.random.Generator, temps=None):
        """All neurons updated at once from the same old state, ``steps`` times."""
        s = s0.copy()
        energies = np.empty(steps + 1)
        energies[0] = self._energy_flat(s[None, :])[0]
        flip_steps, flip_neurons, flip_values = [], [], []
        # One coin per neuron, for an undecided neuron whose field is exactly 0.
        coins = rng.choice(np.array([-1, 1], dtype=np.int8), size=s.size) if (s == 0).any() else s
        for t in range(1, steps + 1):
            h = self._field_units(s[None, :])[0]
            if temps is not None and temps[t - 1] > 0:
                new = self._glauber(h, s, np.full(s.size, temps[t - 1]), rng.random(s.size),
                                    None, None).astype(np.int8)
            else:
                tie = np.where(s == 0, coins, s)
                new = np.where(h > 0, 1, np.where(h < 0, -1, tie)).astype(np.int8)
            changed = np.flatnonzero(new != s)
            if changed.size:
                flip_steps.append(np.full(changed.size, t, dtype=np.int64))
                flip_neurons.append(changed.astype(np.int64))
                flip_values.append(new[changed])
                s = new
                energies[t] = self._energy_flat(s[None, :])[0]
            elif temps is None or not temps[t - 1 :].any():
                energies[t:] = energies[t - 1]
                # A fixed point with no more noise to come: nothing will ever change.
                break
            else:
                energies[t] = energies[t - 1]
        def joined(parts, dtype):
            return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

        flips = (joined(flip_steps, np.int64), joined(flip_neurons, np.int64),
                 joined(flip_values, np.int8))
        return s, flips, energies


def _apply_changes(flat: np.ndarray, neurons: np.ndarray, values: np.ndarray) -> None:
    """Set ``flat[neurons[k]] = values[k]`` in log order: the last change of a neuron wins."""
    if neurons.size == 0:
        return
    order = np.argsort(neurons, kind="stable")  # a neuron's changes stay in log order
    ordered = neurons[order]
    last = np.flatnonzero(np.append(ordered[1:] != ordered[:-1], True))
    flat[ordered[last]] = values[order[last]]


# --------------------------------------------------------------------------------------
# Plots (matplotlib is imported only when something is drawn)
# --------------------------------------------------------------------------------------


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def _display_array(pattern, name: str = "pattern") -> np.ndarray:
    """A pattern as a 2-D float image for drawing; values must lie in [-1, 1].

    Grey values are allowed (an average of patterns has 0 pixels), so this is looser
    than the +1/-1 check. A 1-D pattern is drawn as a single row.
    """
    try:
        arr = np.asarray(pattern, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a numeric array with values in [-1, 1]") from None
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D to be drawn, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or arr.min() < -1 or arr.max() > 1:
        raise ValueError(f"{name} must have values between -1 and 1 to be drawn")
    return arr


def _draw_pattern(ax, image: np.ndarray, title=None):
    """Ink (+1) black, background (-1) white, 0 mid-grey; thin pixel grid when small."""
    artist = ax.imshow(image, cmap="gray_r", vmin=-1, vmax=1, interpolation="nearest")
    rows, cols = image.shape
    if max(rows, cols) <= 32:
        ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
        ax.grid(which="minor", color="#999999", linewidth=0.5)
        ax.tick_params(which="minor", length=0)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=10)
    return artist


def plot_pattern(pattern, title=None, ax=None):
    """Draw one pattern: ink (+1) black, background (-1) white.

    Parameters
    ----------
    pattern : array_like, 1-D or 2-D, values in [-1, 1]
    title : str, optional
    ax : matplotlib Axes, optional
        Drawn on a new small figure if not given.

    Returns
    -------
    matplotlib.axes.Axes
    """
    image = _display_array(pattern)
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(2, 2), layout="constrained")
    _draw_pattern(ax, image, title)
    return ax


def plot_patterns(patterns, titles=None, ncols=None, size=1.6, suptitle=None):
    """Draw several patterns side by side, ink (+1) black and background (-1) white.

    Parameters
    ----------
    patterns : array_like (K, ...) or sequence of K arrays
        Each 1-D or 2-D, values in [-1, 1] (grey is allowed for blends).
    titles : sequence of K str, optional
    ncols : int, optional
        Patterns per row (default: all in one row, up to 8).
    size : float
        Width of one pattern in inches.
    suptitle : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    images = [_display_array(p, f"patterns[{i}]") for i, p in enumerate(patterns)]
    if not images:
        raise ValueError("patterns is empty: nothing to draw")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles must have one entry per pattern ({len(images)}), got {len(titles)}")
    ncols = min(len(images), 8) if ncols is None else _check_count(ncols, "ncols", minimum=1)
    nrows = -(-len(images) // ncols)
    aspect = images[0].shape[0] / images[0].shape[1]
    plt = _pyplot()
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, size * aspect * nrows + (0.5 if suptitle else 0.3)),
        squeeze=False, layout="constrained",
    )
    for k, ax in enumerate(axes.flat):
        if k < len(images):
            _draw_pattern(ax, images[k], None if titles is None else titles[k])
        else:
            ax.axis("off")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def plot_energy(energies, ax=None, label=None, color=None, mark_step=None, xlabel=None):
    """Draw an energy trace against the step number.

    Parameters
    ----------
    energies : RecallResult or array_like of float, shape (steps + 1,)
    ax : matplotlib Axes, optional
    label : str, optional
        Legend label (for comparing several traces on one axes).
    color : colour, optional
    mark_step : int, optional
        Draw a vertical line at this step (where a slider is).
    xlabel : str, optional
        Defaults to "neuron updates" for async recalls and "step" otherwise.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if isinstance(energies, RecallResult):
        default_xlabel = "neuron updates" if energies.update == "async" else "step (all neurons)"
        energies = energies.energies
    else:
        default_xlabel = "step"
    energies = np.asarray(energies, dtype=np.float64)
    if energies.ndim != 1 or energies.size == 0:
        raise ValueError(f"energies must be a non-empty 1-D array, got shape {energies.shape}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(4, 2.6), layout="constrained")
    steps = np.arange(energies.size)
    drawstyle = "steps-post" if energies.size <= 60 else "default"
    ax.plot(steps, energies, color=color or PALETTE[0], label=label, drawstyle=drawstyle,
            marker="o" if energies.size <= 30 else None, markersize=3)
    if mark_step is not None:
        ax.axvline(mark_step, color="#555555", linestyle=":", linewidth=1)
    ax.set_xlabel(xlabel or default_xlabel)
    ax.set_ylabel("energy E")
    ax.grid(alpha=0.3)
    if label is not None:
        ax.legend(fontsize=8)
    return ax


def plot_overlaps(result, labels=None, ax=None, mark_step=None):
    """Draw the overlap of the recalled state with every stored pattern over time.

    Parameters
    ----------
    result : RecallResult
    labels : sequence of str, optional
        One name per stored pattern (default "pattern 0", "pattern 1", ...).
    ax : matplotlib Axes, optional
    mark_step : int, optional
        Draw a vertical line at this step.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(result, RecallResult):
        raise TypeError(f"result must be a RecallResult from recall(), got {type(result).__name__}")
    n_stored = result.overlaps.shape[1]
    if labels is None:
        labels = [f"pattern {k}" for k in range(n_stored)]
    elif len(labels) != n_stored:
        raise ValueError(f"labels must name each of the {n_stored} stored patterns, got {len(labels)}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(4, 2.6), layout="constrained")
    for k in range(n_stored):
        ax.plot(result.snapshot_steps, result.overlaps[:, k], label=str(labels[k]),
                color=PALETTE[k % len(PALETTE)], linestyle=LINESTYLES[k % len(LINESTYLES)],
                linewidth=2)
    if mark_step is not None:
        ax.axvline(mark_step, color="#555555", linestyle=":", linewidth=1)
    ax.set_ylim(-1.08, 1.08)
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set_xlabel("neuron updates" if result.update == "async" else "step (all neurons)")
    ax.set_ylabel("overlap")
    ax.grid(alpha=0.3)
    if n_stored:
        ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return ax


def plot_weights(weights, ax=None, title="weights", block=None):
    """Draw a weight matrix: orange = positive (agree), purple = negative (disagree).

    Parameters
    ----------
    weights : HopfieldNetwork or array_like (N, N)
    ax : matplotlib Axes, optional
    title : str
    block : int, optional
        Draw guide lines every ``block`` neurons (e.g. 5 for rows of a 5x5 letter).

    Returns
    -------
    matplotlib.axes.Axes
    """
    w = weights.weights if isinstance(weights, HopfieldNetwork) else np.asarray(weights, float)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError(f"weights must be a square matrix, got shape {w.shape}")
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 3.6), layout="constrained")
    vmax = float(np.abs(w).max()) or 1.0
    image = ax.imshow(w, cmap="PuOr_r", vmin=-vmax, vmax=vmax, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, shrink=0.85, label="weight")
    if block:
        for edge in np.arange(block, w.shape[0], block) - 0.5:
            ax.axhline(edge, color="#777777", linewidth=0.5)
            ax.axvline(edge, color="#777777", linewidth=0.5)
    ax.set_xlabel("neuron j")
    ax.set_ylabel("neuron i")
    ax.set_title(title)
    return ax


def _frame_steps(result: RecallResult, n_frames: int) -> np.ndarray:
    """``n_frames`` steps spread evenly over the recall (always the first and last)."""
    n_frames = _check_count(n_frames, "n_frames", minimum=2)
    if result.steps + 1 <= n_frames:
        return np.arange(result.steps + 1)
    return np.unique(np.round(np.linspace(0, result.steps, n_frames)).astype(int))


def plot_trajectory(result, n_frames=6, size=1.6, pattern_shape=None):
    """A row of states along a recall, from the cue to the final state.

    Parameters
    ----------
    result : RecallResult
    n_frames : int
        How many states to show (the first and the last included).
    size : float
        Width of one frame in inches.
    pattern_shape : tuple, optional
        Shape to draw each state in, if the result holds flat states.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(result, RecallResult):
        raise TypeError(f"result must be a RecallResult from recall(), got {type(result).__name__}")
    steps = _frame_steps(result, n_frames)
    shape = pattern_shape or result.state.shape
    states = [result.state_at(t).reshape(shape) for t in steps]
    unit = "update" if result.update == "async" else "step"
    titles = [f"start" if t == 0 else f"{unit} {t:,}" for t in steps]
    return plot_patterns(states, titles=titles, size=size)


def plot_recall(result, labels=None, pattern_shape=None, title=None):
    """One figure that tells a whole recall: cue, final state, energy and overlaps.

    Parameters
    ----------
    result : RecallResult
    labels : sequence of str, optional
        Names of the stored patterns, for the overlap panel.
    pattern_shape : tuple, optional
        Shape to draw the states in, if the result holds flat states.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(result, RecallResult):
        raise TypeError(f"result must be a RecallResult from recall(), got {type(result).__name__}")
    shape = pattern_shape or result.state.shape
    plt = _pyplot()
    fig, axes = plt.subplots(1, 4, figsize=(11.5, 2.7), layout="constrained",
                             gridspec_kw={"width_ratios": [1, 1, 1.6, 1.6]})
    _draw_pattern(axes[0], _display_array(result.initial_state.reshape(shape)), "start (cue)")
    verdict = "fixed point" if result.converged else "not settled"
    _draw_pattern(axes[1], _display_array(result.state.reshape(shape)), f"end: {verdict}")
    plot_energy(result, ax=axes[2])
    plot_overlaps(result, labels=labels, ax=axes[3])
    if title:
        fig.suptitle(title)
    return fig


def animate_recall(result, n_frames=40, interval=120, labels=None, pattern_shape=None,
                   title=None):
    """An animation of a recall: the state changing beside its falling energy.

    Parameters
    ----------
    result : RecallResult
    n_frames : int
        Frames spread evenly over the recall.
    interval : int
        Milliseconds per frame.
    labels : sequence of str, optional
        Unused names are fine; shown in the title as the best-matching stored pattern.
    pattern_shape : tuple, optional
    title : str, optional

    Returns
    -------
    matplotlib.animation.FuncAnimation
        Show it inline with ``IPython.display.HTML(anim.to_jshtml())``; save it with
        :func:`save_recall_gif`. Its figure is closed, so it is not drawn twice.
    """
    from matplotlib.animation import FuncAnimation

    if not isinstance(result, RecallResult):
        raise TypeError(f"result must be a RecallResult from recall(), got {type(result).__name__}")
    steps = _frame_steps(result, n_frames)
    shape = pattern_shape or result.state.shape
    plt = _pyplot()
    fig, (ax_state, ax_energy) = plt.subplots(
        1, 2, figsize=(7, 3), layout="constrained", gridspec_kw={"width_ratios": [1, 1.4]}
    )
    image = _draw_pattern(ax_state, _display_array(result.initial_state.reshape(shape)), "start")
    plot_energy(result, ax=ax_energy)
    (dot,) = ax_energy.plot([0], [result.energies[0]], "o", color=PALETTE[5], markersize=8)
    if title:
        fig.suptitle(title)
    unit = "update" if result.update == "async" else "step"

    def draw(frame):
        t = int(steps[frame])
        image.set_data(result.state_at(t).reshape(shape))
        dot.set_data([t], [result.energies[t]])
        name = ""
        if labels is not None and result.overlaps.shape[1]:
            best = int(np.argmax(np.abs(result.overlaps_at(t))))
            name = f"  (closest: {labels[best]})"
        ax_state.set_title(f"{unit} {t:,}{name}", fontsize=10)
        return image, dot

    anim = FuncAnimation(fig, draw, frames=len(steps), interval=interval, blit=False)
    plt.close(fig)
    return anim


def save_recall_gif(result, path, n_frames=40, fps=8, **kwargs):
    """Save an animation of a recall as a GIF (written by Pillow).

    Parameters
    ----------
    result : RecallResult
    path : str or pathlib.Path
        Where to write the ``.gif``.
    n_frames : int
    fps : int
        Frames per second.
    **kwargs
        Passed on to :func:`animate_recall` (``labels``, ``title``, ...).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    import pathlib

    from matplotlib.animation import PillowWriter

    path = pathlib.Path(path)
    if path.suffix.lower() != ".gif":
        raise ValueError(f"path must end in .gif, got {str(path)!r}")
    fps = _check_count(fps, "fps", minimum=1)
    anim = animate_recall(result, n_frames=n_frames, interval=1000 // fps, **kwargs)
    anim.save(path, writer=PillowWriter(fps=fps), dpi=80)
    return path


# --------------------------------------------------------------------------------------
# Widgets (ipywidgets is imported only when an explorer is built)
# --------------------------------------------------------------------------------------


class RecallExplorer:
    """Sliders for noise level, step and seed around one network and one clean pattern.

    Moving the noise level, the seed or the update mode runs one new recall; moving the
    step slider only scrubs through that stored recall (nothing is recomputed), so it
    redraws at once. Build it with :func:`recall_explorer`.

    Attributes
    ----------
    noise, step, seed, update : ipywidgets
        The controls; set ``.value`` in code to drive them (the notebooks' checks do).
    result : RecallResult
        The recall currently shown.
    figure : matplotlib.figure.Figure
        Drawn once and updated in place.
    widget : ipywidgets.VBox
        What is displayed.
    """

    def __init__(self, network, pattern, noise=0.2, steps=None, seed=0, update="async",
                 labels=None, title=None):
        import ipywidgets as widgets

        if not isinstance(network, HopfieldNetwork):
            raise TypeError(f"network must be a HopfieldNetwork, got {type(network).__name__}")
        self.network = network
        self.pattern = network._flat_state(pattern, "pattern").reshape(network.pattern_shape)
        noise = _check_level(noise, "noise")
        if update not in ("async", "sync"):
            raise ValueError(f"update must be 'async' or 'sync', got {update!r}")
        n = network.n_neurons
        self._steps = {"async": 3 * n, "sync": 12}
        if steps is not None:
            self._steps[update] = _check_count(steps, "steps", minimum=1)
        if labels is not None and len(labels) != network.n_patterns:
            raise ValueError(f"labels must name each of the {network.n_patterns} stored patterns")
        self.labels = labels
        seed = _check_count(seed, "seed")

        slider_layout = widgets.Layout(width="420px")
        style = {"description_width": "90px"}
        self.noise = widgets.FloatSlider(
            value=noise, min=0.0, max=1.0, step=0.01, description="noise level",
            continuous_update=False, readout_format=".2f", layout=slider_layout, style=style)
        self.step = widgets.IntSlider(
            value=self._steps[update], min=0, max=self._steps[update], description="step",
            continuous_update=True, layout=slider_layout, style=style)
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="seed",
                                           layout=widgets.Layout(width="180px"), style=style)
        self.update = widgets.ToggleButtons(options=["async", "sync"], value=update,
                                            description="update", style=style)
        self.output = widgets.Output()
        self._build_figure(title)
        self.result = None
        self._recompute()
        for control in (self.noise, self.seed, self.update):
            control.observe(self._on_recall_change, names="value")
        self.step.observe(self._on_step_change, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.noise, self.seed]),
            widgets.HBox([self.step, self.update]),
            self.output,
        ])

    def _build_figure(self, title):
        plt = _pyplot()
        fig, axes = plt.subplots(1, 4, figsize=(11.5, 2.7), layout="constrained",
                                 gridspec_kw={"width_ratios": [1, 1, 1.5, 1.5]})
        blank = np.zeros(self.network.pattern_shape if len(self.network.pattern_shape) == 2
                         else (1, self.network.n_neurons))
        self._cue_image = _draw_pattern(axes[0], blank, "noisy cue")
        self._state_image = _draw_pattern(axes[1], blank, "")
        self._axes = axes
        if title:
            fig.suptitle(title)
        plt.close(fig)  # shown through the Output widget only, never twice
        self.figure = fig

    def _recompute(self):
        cue = add_noise(self.pattern, self.noise.value, seed=self.seed.value)
        mode = self.update.value
        self.result = self.network.recall(cue, self._steps[mode], update=mode,
                                          seed=self.seed.value)
        # The step slider's range follows the recall; keep it at the end after a change.
        with self.step.hold_trait_notifications():
            self.step.max = self._steps[mode]
            self.step.value = self._steps[mode]
        shape = self._cue_image.get_array().shape
        self._cue_image.set_data(cue.reshape(shape))
        for ax in self._axes[2:]:
            ax.clear()
        plot_energy(self.result, ax=self._axes[2])
        self._energy_line = self._axes[2].axvline(0, color=PALETTE[5], linewidth=1.5)
        plot_overlaps(self.result, labels=self.labels, ax=self._axes[3])
        self._overlap_line = self._axes[3].axvline(0, color=PALETTE[5], linewidth=1.5)
        self._cue_image.axes.set_title(f"noisy cue ({self.noise.value:.0%} flipped)", fontsize=10)
        self._draw_step(self.step.value)

    def _draw_step(self, step):
        state = self.result.state_at(step)
        shape = self._state_image.get_array().shape
        self._state_image.set_data(state.reshape(shape))
        self._energy_line.set_xdata([step, step])
        self._overlap_line.set_xdata([step, step])
        unit = "update" if self.result.update == "async" else "step"
        self._state_image.axes.set_title(
            f"after {step:,} {unit}{'' if step == 1 else 's'}  E = {self.result.energies[step]:.2f}",
            fontsize=10)
        self._show()
        return state

    def _show(self):
        from IPython.display import clear_output, display

        with self.output:
            clear_output(wait=True)
            display(self.figure)

    def _on_recall_change(self, change):
        self._recompute()

    def _on_step_change(self, change):
        self._draw_step(change["new"])

    @property
    def current_state(self) -> np.ndarray:
        """The state shown now: the recall's state after ``step.value`` steps."""
        return self.result.state_at(self.step.value)

    def explore(self, noise=None, step=None, seed=None, update=None) -> np.ndarray:
        """Set any of the controls as a student would, and return the state shown.

        Parameters
        ----------
        noise : float in [0, 1], optional
        step : int, optional
            Clipped to the recall's length, as a slider would be.
        seed : int, optional
        update : {"async", "sync"}, optional

        Returns
        -------
        ndarray of int8, the pattern's shape
        """
        if noise is not None:
            self.noise.value = _check_level(noise, "noise")
        if seed is not None:
            self.seed.value = _check_count(seed, "seed")
        if update is not None:
            if update not in ("async", "sync"):
                raise ValueError(f"update must be 'async' or 'sync', got {update!r}")
            self.update.value = update
        if step is not None:
            self.step.value = min(_check_count(step, "step"), self.step.max)
        return self.current_state

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def recall_explorer(network, pattern, noise=0.2, steps=None, seed=0, update="async",
                    labels=None, title=None) -> RecallExplorer:
    """A ready recall explorer: noise-level, step and seed controls for any network.

    Parameters
    ----------
    network : HopfieldNetwork
    pattern : array_like of +1/-1
        The clean pattern the noisy cue is made from.
    noise : float in [0, 1]
        Starting noise level.
    steps : int, optional
        Length of each recall (default: 3 sweeps of all neurons for async, 12 for sync).
    seed : int
        Starting seed for the noise and the update order.
    update : {"async", "sync"}
    labels : sequence of str, optional
        Names of the stored patterns, for the overlap panel.
    title : str, optional

    Returns
    -------
    RecallExplorer
        Display it by leaving it as the last line of a cell.

    Examples
    --------
    >>> explorer = recall_explorer(net, letter_pattern("X"), labels=["X", "O", "+"])  # doctest: +SKIP
    >>> explorer  # doctest: +SKIP
    """
    return RecallExplorer(network, pattern, noise=noise, steps=steps, seed=seed, update=update,
                          labels=labels, title=title)


# --------------------------------------------------------------------------------------
# Pictures (Pillow is imported only when a picture is read or written)
# --------------------------------------------------------------------------------------

#: The project's own pictures and digits (made by data/make_data.py).
DATA_DIR = __import__("pathlib").Path(__file__).resolve().parent / "data"
#: Pictures larger than this are refused before they are decoded (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000


def _check_size(size, name: str = "size"):
    if size is None:
        return None
    size = _check_shape(size, name)
    if len(size) != 2:
        raise ValueError(f"{name} must be (rows, cols), got {size!r}")
    return size


def _open_grey(path_or_image, name: str = "path_or_image"):
    """Any accepted picture input as a PIL greyscale ("L") image; transparent = white."""
    import pathlib
    import warnings

    from PIL import Image

    if isinstance(path_or_image, Image.Image):
        image = path_or_image
    elif isinstance(path_or_image, (str, pathlib.Path)):
        path = pathlib.Path(path_or_image)
        if not path.is_file():
            raise FileNotFoundError(f"{name}: no picture file at {str(path)!r}")
        try:
            with warnings.catch_warnings():
                # Pillow only warns between its two size limits: make that an error too.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(path)
                _check_pixels(image.size, name)
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValueError(f"{name}: {str(path)!r} is too large to be a picture here "
                             f"(over {MAX_IMAGE_PIXELS:,} pixels)") from None
        except Image.UnidentifiedImageError:
            raise ValueError(f"{name}: {str(path)!r} is not a picture Pillow can read "
                             "(expected PNG, JPEG, GIF, BMP ...)") from None
        except OSError as exc:
            raise ValueError(f"{name}: {str(path)!r} could not be read as a picture ({exc})") from None
    elif isinstance(path_or_image, np.ndarray):
        image = _array_to_image(path_or_image, name)
    else:
        raise TypeError(f"{name} must be a file path, a PIL image or a numpy array, "
                        f"got {type(path_or_image).__name__}")
    _check_pixels(image.size, name)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("L")


def _check_pixels(size, name):
    width, height = size
    if width == 0 or height == 0:
        raise ValueError(f"{name} is an empty picture ({width}x{height} pixels)")
    if width * height > MAX_IMAGE_PIXELS:
        raise ValueError(f"{name} is too large to be a picture here ({width}x{height} pixels, "
                         f"more than {MAX_IMAGE_PIXELS:,})")


def _array_to_image(array: np.ndarray, name: str):
    from PIL import Image

    if array.size == 0:
        raise ValueError(f"{name} is an empty array, shape {array.shape}")
    if array.ndim == 3 and array.shape[2] in (3, 4):
        mode = "RGB" if array.shape[2] == 3 else "RGBA"
    elif array.ndim == 2:
        mode = "L"
    else:
        raise ValueError(f"{name} as an array must be (rows, cols) grey or (rows, cols, 3|4) "
                         f"colour, got shape {array.shape}")
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer)
                                   or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{name} must hold numbers (0-255, or 0-1 floats), got dtype {array.dtype}")
    values = array.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} contains NaN or infinity")
    if np.issubdtype(array.dtype, np.floating) and values.min() >= 0 and values.max() <= 1:
        values = values * 255  # floats in [0, 1], as matplotlib reads PNGs
    if values.min() < 0 or values.max() > 255:
        raise ValueError(f"{name} values must lie in 0-255 (or 0-1 for floats)")
    _check_pixels((array.shape[1], array.shape[0]), name)
    return Image.fromarray(np.round(values).astype(np.uint8), mode=mode)


def load_grey_image(path_or_image, size=(128, 128)) -> np.ndarray:
    """Read a picture as greyscale values 0 (black) to 255 (white), fitted into ``size``.

    Parameters
    ----------
    path_or_image : str, pathlib.Path, PIL.Image.Image or ndarray
        A picture file, an image, or an array (rows, cols) of 0-255 (or 0-1 floats), or
        (rows, cols, 3 or 4) colour. Transparent parts count as white.
    size : (rows, cols) or None
        The result's shape. The picture is scaled to fit, keeping its aspect ratio, and
        padded with white (never stretched). None keeps the picture's own size.

    Returns
    -------
    ndarray of uint8, shape ``size``

    Raises
    ------
    FileNotFoundError
        If a path names no file.
    ValueError
        If the file is not a readable picture, is empty, or is implausibly large (over
        ``MAX_IMAGE_PIXELS``, e.g. a decompression bomb).
    TypeError
        If the input is none of the accepted kinds.
    """
    from PIL import Image, ImageOps

    size = _check_size(size)
    image = _open_grey(path_or_image)
    if size is not None and image.size != (size[1], size[0]):
        image = ImageOps.pad(image, (size[1], size[0]), method=Image.Resampling.LANCZOS,
                             color=255)
    return np.asarray(image, dtype=np.uint8).copy()


def otsu_threshold(grey) -> int:
    """The grey level that best splits a picture into dark ink and light background.

    Otsu's method: the threshold ``t`` that maximises the between-class variance of the
    two groups ``grey <= t`` and ``grey > t``.

    Parameters
    ----------
    grey : array_like of int in 0-255

    Returns
    -------
    int in 0-255
        For a picture of one single grey level, that level.
    """
    grey = np.asarray(grey)
    if grey.size == 0:
        raise ValueError("grey is empty")
    if not np.issubdtype(grey.dtype, np.integer) or grey.min() < 0 or grey.max() > 255:
        raise ValueError("grey must hold whole numbers from 0 to 255")
    counts = np.bincount(grey.reshape(-1).astype(np.int64), minlength=256).astype(np.float64)
    levels = np.arange(256)
    weight_dark = np.cumsum(counts)  # pixels <= t
    weight_light = weight_dark[-1] - weight_dark
    sum_dark = np.cumsum(counts * levels)
    mean_dark = sum_dark / np.maximum(weight_dark, 1)
    mean_light = (sum_dark[-1] - sum_dark) / np.maximum(weight_light, 1)
    between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    if not between.any():
        return int(grey.reshape(-1)[0])
    # Several levels can tie (empty bins between the classes): take the middle one.
    best = np.flatnonzero(between == between.max())
    return int(best[len(best) // 2])


def threshold_image(grey, threshold) -> np.ndarray:
    """Turn greyscale into a +1/-1 pattern: dark ink (``grey <= threshold``) is +1.

    Parameters
    ----------
    grey : array_like of int in 0-255
    threshold : int or float in 0-255

    Returns
    -------
    ndarray of int8, same shape as ``grey``
    """
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a number from 0 to 255, got {threshold!r}")
    if not 0 <= threshold <= 255:
        raise ValueError(f"threshold must be from 0 to 255, got {threshold}")
    grey = np.asarray(grey)
    if grey.size == 0 or not np.issubdtype(grey.dtype, np.number):
        raise ValueError("grey must be a non-empty array of grey levels 0-255")
    return np.where(grey <= threshold, 1, -1).astype(np.int8)


def load_image_pattern(path_or_image, size=(128, 128), threshold=None) -> np.ndarray:
    """Read a picture as a +1/-1 pattern: dark ink is +1, light background is -1.

    Parameters
    ----------
    path_or_image : str, pathlib.Path, PIL.Image.Image or ndarray
        See :func:`load_grey_image`.
    size : (rows, cols) or None
        Fit the picture into this shape, keeping its aspect ratio and padding with white.
    threshold : int in 0-255, optional
        Grey levels at or below it count as ink. None picks one with Otsu's method
        (:func:`otsu_threshold`).

    Returns
    -------
    ndarray of int8, shape ``size``

    Examples
    --------
    >>> smiley = load_image_pattern(DATA_DIR / "pictures" / "smiley.png")  # doctest: +SKIP
    """
    grey = load_grey_image(path_or_image, size=size)
    if threshold is None:
        threshold = otsu_threshold(grey)
    return threshold_image(grey, threshold)


def pattern_to_image(pattern):
    """A +1/-1 pattern as a black-and-white PIL image (ink black), the inverse of loading.

    Parameters
    ----------
    pattern : array_like of +1/-1, shape (rows, cols)

    Returns
    -------
    PIL.Image.Image in mode "L"
    """
    from PIL import Image

    pattern = _check_pm1(pattern, "pattern")
    if pattern.ndim != 2:
        raise ValueError(f"pattern must be 2-D (rows, cols) to be a picture, got {pattern.shape}")
    return Image.fromarray(np.where(pattern == 1, 0, 255).astype(np.uint8), mode="L")


def save_pattern_image(pattern, path):
    """Save a +1/-1 pattern as a black-and-white PNG (ink black).

    Parameters
    ----------
    pattern : array_like of +1/-1, shape (rows, cols)
    path : str or pathlib.Path
        Ends in ``.png``.

    Returns
    -------
    pathlib.Path
    """
    import pathlib

    path = pathlib.Path(path)
    if path.suffix.lower() != ".png":
        raise ValueError(f"path must end in .png, got {str(path)!r}")
    pattern_to_image(pattern).save(path)
    return path


def picture_names() -> list[str]:
    """Names of the project's pictures in ``data/pictures`` (for :func:`load_picture`)."""
    return sorted(p.stem for p in (DATA_DIR / "pictures").glob("*.png"))


def load_picture(name: str, size=(128, 128), threshold=None) -> np.ndarray:
    """One of the project's own pictures as a +1/-1 pattern.

    Parameters
    ----------
    name : str
        One of :func:`picture_names`, e.g. ``"smiley"``.
    size, threshold
        As in :func:`load_image_pattern`.

    Returns
    -------
    ndarray of int8, shape ``size``
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a picture name such as 'smiley', got {name!r}")
    names = picture_names()
    if name not in names:
        raise ValueError(f"no picture called {name!r}; available: {', '.join(names)}")
    return load_image_pattern(DATA_DIR / "pictures" / f"{name}.png", size=size,
                              threshold=threshold)


def load_digits(threshold=128):
    """The project's rendered digits (28x28) as +1/-1 patterns, with their labels.

    Parameters
    ----------
    threshold : int in 0-255
        Ink levels (255 = full ink) at or above it count as +1.

    Returns
    -------
    patterns : ndarray of int8, shape (K, 28, 28)
    labels : ndarray of int, shape (K,)
        The digit each pattern shows.
    info : dict of str -> ndarray, each shape (K,)
        The rendering parameters stored with them (font size, slant, stroke).
    """
    threshold_value = threshold
    if isinstance(threshold_value, bool) or not isinstance(threshold_value, numbers.Real) \
            or not 0 < threshold_value <= 255:
        raise ValueError(f"threshold must be a number in (0, 255], got {threshold!r}")
    with np.load(DATA_DIR / "digits.npz", allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    images = arrays.pop("images")
    labels = arrays.pop("labels")
    patterns = np.where(images >= threshold_value, 1, -1).astype(np.int8)
    return patterns, labels, arrays


# --------------------------------------------------------------------------------------
# Spurious states and capacity
# --------------------------------------------------------------------------------------


def overlap_matrix(patterns) -> np.ndarray:
    """Overlaps of every pattern with every other: ``M[i, j] = mean(x_i * x_j)``.

    Parameters
    ----------
    patterns : array_like (P, ...) or sequence of P same-shape +1/-1 arrays

    Returns
    -------
    ndarray of float, shape (P, P)
        Symmetric, with ones on the diagonal.
    """
    x = _stack_patterns(patterns)
    flat = x.reshape(x.shape[0], -1).astype(np.float64)
    return flat @ flat.T / flat.shape[1]


def mixture_state(patterns, signs=None) -> np.ndarray:
    """The mixture ``sign(+-x_1 +- x_2 +- ... )`` of an odd number of patterns.

    Such a blend was never stored, yet for three patterns it is a stable state of a
    Hebbian network: a spurious memory.

    Parameters
    ----------
    patterns : array_like (k, ...) or sequence of k same-shape +1/-1 arrays, k odd
    signs : sequence of k values +1/-1, optional
        The sign each pattern enters with (default all +1).

    Returns
    -------
    ndarray of int8, the shape of one pattern
    """
    x = _stack_patterns(patterns)
    k = x.shape[0]
    if k % 2 == 0:
        raise ValueError(f"patterns must hold an odd number of patterns (so no pixel ties), got {k}")
    signs = np.ones(k, dtype=np.int8) if signs is None else _check_pm1(signs, "signs")
    if signs.shape != (k,):
        raise ValueError(f"signs must have one +1/-1 per pattern ({k}), got shape {signs.shape}")
    total = np.tensordot(signs.astype(np.int64), x.astype(np.int64), axes=1)
    return np.sign(total).astype(np.int8)


@dataclass(frozen=True)
class MemoryVerdict:
    """Which memory a state is: see :func:`which_memory`.

    Attributes
    ----------
    kind : {"stored", "reversed", "mixture", "other"}
    patterns : tuple of int
        The stored patterns involved (one for stored/reversed, three for a mixture).
    overlap : float
        Overlap of the state with that memory (1.0 = exactly it).
    """

    kind: str
    patterns: tuple
    overlap: float

    def __str__(self) -> str:
        if self.kind == "other":
            return "other (no stored, reversed or 3-mixture state)"
        names = "+".join(str(p) for p in self.patterns)
        return f"{self.kind} {names} (overlap {self.overlap:.2f})"


def which_memory(network, state, min_overlap: float = 1.0) -> MemoryVerdict:
    """Say which memory a state is: a stored pattern, a reversed one, a 3-mixture, or other.

    Parameters
    ----------
    network : HopfieldNetwork
    state : array_like of +1/-1, the network's size
    min_overlap : float in (0, 1]
        How close the state must be to count (1.0: exactly equal).

    Returns
    -------
    MemoryVerdict
        Stored and reversed patterns are checked first, then every 3-mixture
        ``sign(+-x_a +- x_b +- x_c)`` (all sign choices), so keep P small (<= 12 or so).
    """
    from itertools import combinations

    if not isinstance(network, HopfieldNetwork):
        raise TypeError(f"network must be a HopfieldNetwork, got {type(network).__name__}")
    min_overlap = _check_level(min_overlap, "min_overlap")
    if min_overlap == 0:
        raise ValueError("min_overlap must be above 0")
    s = network._flat_state(state).astype(np.float64)
    if network.n_patterns == 0:
        return MemoryVerdict("other", (), 0.0)
    stored = network.patterns.reshape(network.n_patterns, -1)
    m = stored.astype(np.float64) @ s / s.size
    best = int(np.argmax(np.abs(m)))
    if abs(m[best]) >= min_overlap - 1e-12:
        kind = "stored" if m[best] > 0 else "reversed"
        return MemoryVerdict(kind, (best,), float(abs(m[best])))
    best_mix = (0.0, ())
    for trio in combinations(range(network.n_patterns), 3):
        for signs in ((1, 1, 1), (1, 1, -1), (1, -1, 1), (-1, 1, 1)):
            mix = np.sign(np.tensordot(np.array(signs), stored[list(trio)].astype(np.int64), 1))
            q = abs(float(mix @ s) / s.size)  # a mixture's reverse is a mixture too
            if q > best_mix[0]:
                best_mix = (q, trio)
    if best_mix[0] >= min_overlap - 1e-12:
        return MemoryVerdict("mixture", best_mix[1], best_mix[0])
    return MemoryVerdict("other", (), float(abs(m[best])))


def capacity_sweep(n_neurons, n_patterns, trials=10, sweeps=5, recalled_overlap=0.9,
                   seed=None) -> dict:
    """How many random patterns a Hebbian network keeps: recall from each stored pattern.

    For each ``N`` in ``n_neurons``, each ``P`` in ``n_patterns`` and each trial, ``P``
    fresh random patterns are stored; the network starts exactly at the first one and runs
    ``sweeps`` async sweeps. If the memory is stable it stays (overlap 1); past capacity
    it drifts away.

    Parameters
    ----------
    n_neurons : int or sequence of int
    n_patterns : int or sequence of int
        Numbers of stored patterns to try (each >= 1).
    trials : int
        Independent networks per (N, P).
    sweeps : int
        Async sweeps of all neurons per recall.
    recalled_overlap : float in (0, 1]
        A final overlap at or above this counts as recalled.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    dict of str -> ndarray, a tidy table with one row per (N, P, trial):
        ``"N"``, ``"P"``, ``"load"`` (P/N), ``"trial"``, ``"overlap"`` (final overlap
        with the pattern it started from), ``"recalled"`` (overlap >= recalled_overlap),
        ``"exact"`` (overlap == 1).
    """
    ns = [_check_count(n, "n_neurons", minimum=2) for n in np.atleast_1d(n_neurons).tolist()]
    ps = [_check_count(p, "n_patterns", minimum=1) for p in np.atleast_1d(n_patterns).tolist()]
    trials = _check_count(trials, "trials", minimum=1)
    sweeps = _check_count(sweeps, "sweeps", minimum=1)
    recalled_overlap = _check_level(recalled_overlap, "recalled_overlap")
    rng = _rng(seed)
    rows = []
    for n in ns:
        for p in ps:
            for trial in range(trials):
                patterns = random_patterns(p, n, seed=rng)
                network = HopfieldNetwork(patterns)
                result = network.recall(patterns[0], sweeps * n, seed=rng,
                                        snapshot_every=sweeps * n)
                q = float(result.overlaps[-1, 0])
                rows.append((n, p, p / n, trial, q))
    table = {key: np.array(col) for key, col in
             zip(("N", "P", "load", "trial", "overlap"), zip(*rows))}
    table["recalled"] = table["overlap"] >= recalled_overlap - 1e-12
    table["exact"] = table["overlap"] == 1.0
    return table


def recalled_fraction(table, by=("N", "P")) -> dict:
    """Summarise a :func:`capacity_sweep` table: the recalled fraction per (N, P).

    Parameters
    ----------
    table : dict from :func:`capacity_sweep`
    by : tuple of column names
        Group by these columns.

    Returns
    -------
    dict of str -> ndarray
        The ``by`` columns, ``"load"``, ``"recalled"`` (fraction) and ``"exact"``
        (fraction), one row per group, sorted.
    """
    missing = [c for c in (*by, "load", "recalled", "exact") if c not in table]
    if missing:
        raise ValueError(f"table is missing column(s) {missing}; pass a capacity_sweep() table")
    keys = np.stack([np.asarray(table[c], dtype=np.float64) for c in by], axis=1)
    groups, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    counts = np.bincount(inverse)
    out = {c: groups[:, i].astype(np.asarray(table[c]).dtype) for i, c in enumerate(by)}
    out["load"] = np.bincount(inverse, weights=table["load"]) / counts
    out["recalled"] = np.bincount(inverse, weights=table["recalled"]) / counts
    out["exact"] = np.bincount(inverse, weights=table["exact"]) / counts
    return out


# ---- Lesson 01: two neurons ----
# Two neurons s1, s2 (each +1 or -1), one symmetric weight w and an optional bias.
# Pictures put neuron 1 on the horizontal axis and neuron 2 on the vertical axis, so a
# state is a corner of the square [-1, 1] x [-1, 1] in every panel.

#: The four states of two neurons, in the order every lesson-01 helper uses.
TWO_NEURON_STATES = ((1, 1), (1, -1), (-1, 1), (-1, -1))
#: How the arrows of each kind of move are drawn: (colour, line style, label).
_TWO_NEURON_MOVE_STYLE = {
    (0,): (PALETTE[0], "-", "neuron 1"),
    (1,): (PALETTE[2], "--", "neuron 2"),
    (0, 1): ("#000000", "-.", "both at once"),
}


def _two_neuron_number(w, name: str = "w") -> float:
    """Return ``w`` as a finite float, or raise."""
    if isinstance(w, bool) or not isinstance(w, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(w).__name__}")
    w = float(w)
    if not np.isfinite(w):
        raise ValueError(f"{name} must be a finite number, got {w}")
    return w


def two_neuron_network(w, bias=0.0) -> "HopfieldNetwork":
    """The two-neuron network with weight ``w`` between the neurons.

    Parameters
    ----------
    w : float
        The weight: positive rewards agreeing neurons, negative rewards disagreeing ones.
    bias : float or array_like of shape (2,), default 0
        A push toward +1 (toward -1 if negative) on both neurons, or one per neuron.

    Returns
    -------
    HopfieldNetwork
        ``HopfieldNetwork.from_weights([[0, w], [w, 0]], bias=bias)``.
    """
    w = _two_neuron_number(w)
    return HopfieldNetwork.from_weights([[0.0, w], [w, 0.0]], bias=bias)


def two_neuron_states() -> np.ndarray:
    """The four states of two neurons: (+1, +1), (+1, -1), (-1, +1), (-1, -1).

    Returns
    -------
    states : ndarray of int8, shape (4, 2)
        Row ``k`` is one state ``(s1, s2)``; always in this order. A new array every call.
    """
    return np.array(TWO_NEURON_STATES, dtype=np.int8)


def two_neuron_energies(w, bias=0.0) -> np.ndarray:
    """The energy ``E = -1/2 s^T W s - b.s = -w s1 s2 - b1 s1 - b2 s2`` of the four states.

    Parameters
    ----------
    w : float
    bias : float or array_like of shape (2,)

    Returns
    -------
    energies : ndarray of float, shape (4,)
        In the order of :func:`two_neuron_states`.
    """
    energies = two_neuron_network(w, bias).energy(two_neuron_states())
    return energies + 0.0  # no "-0" in printouts


def two_neuron_moves(w, bias=0.0) -> np.ndarray:
    """Where one update of one neuron sends each of the four states.

    The updated neuron takes the sign of its input ``h_i = w s_other + b_i``
    (and keeps its state when ``h_i`` is exactly 0); the other neuron does not move.

    Parameters
    ----------
    w : float
    bias : float or array_like of shape (2,)

    Returns
    -------
    moves : ndarray of int8, shape (4, 2, 2)
        ``moves[k, i]`` is the state reached from ``two_neuron_states()[k]`` when neuron
        ``i`` (0 = neuron 1, 1 = neuron 2) updates.
    """
    states = two_neuron_states()
    h = two_neuron_network(w, bias).field(states)
    new = np.where(h > 0, 1, np.where(h < 0, -1, states)).astype(np.int8)
    moves = np.repeat(states[:, None, :], 2, axis=1)
    for i in range(2):
        moves[:, i, i] = new[:, i]
    return moves


def two_neuron_stable_states(w, bias=0.0) -> list:
    """The states that no update changes (the valleys the network can rest in).

    Parameters
    ----------
    w : float
    bias : float or array_like of shape (2,)

    Returns
    -------
    list of tuple (s1, s2)
        In the order of :func:`two_neuron_states`, e.g. ``[(1, 1), (-1, -1)]`` for w = 1.
    """
    moves = two_neuron_moves(w, bias)
    states = two_neuron_states()
    stable = (moves == states[:, None, :]).all(axis=(1, 2))
    return [tuple(int(v) for v in s) for s in states[stable]]


def _two_neuron_vmax(energies, vmax) -> float:
    """The colour range +-vmax: the largest |E| (1 if everything is 0) unless given."""
    if vmax is None:
        return float(np.max(np.abs(energies))) or 1.0
    vmax = _two_neuron_number(vmax, "vmax")
    if vmax <= 0:
        raise ValueError(f"vmax must be positive, got {vmax}")
    return vmax


def _two_neuron_colour(energy, vmax):
    """The colour of an energy: purple for low, white for 0, orange for high (the darkest
    ends of PuOr are left out so black outlines and text stay readable)."""
    level = 0.5 + 0.4 * float(np.clip(energy / vmax, -1, 1))
    return _pyplot().get_cmap("PuOr_r")(level), abs(level - 0.5) > 0.3


def _two_neuron_title(w, bias) -> str:
    b = np.asarray(bias, dtype=np.float64)
    b_text = f"{float(b):g}" if b.ndim == 0 else ", ".join(f"{v:g}" for v in b)
    return f"w = {w:g}, bias = {b_text}"


def _two_neuron_axes(ax, pad=0.0):
    """Neuron 1 across, neuron 2 up, ticks at -1 and +1, square aspect."""
    ax.set_xlim(-1 - pad, 1 + pad)
    ax.set_ylim(-1 - pad, 1 + pad)
    ax.set_aspect("equal")
    ax.set_xticks([-1, 1], ["-1", "+1"])
    ax.set_yticks([-1, 1], ["-1", "+1"])
    ax.set_xlabel("neuron 1  (s1)")
    ax.set_ylabel("neuron 2  (s2)")


def plot_two_neuron_energies(w, bias=0.0, ax=None, vmax=None, title=None):
    """The four states as four separate squares, coloured and labelled by their energy.

    Only the four corners exist, so nothing is drawn between them. Stable states are
    written "stable" under their energy.

    Parameters
    ----------
    w : float
    bias : float or array_like of shape (2,)
    ax : matplotlib Axes, optional
    vmax : float, optional
        Colours run from purple (E = -vmax, low) to orange (E = +vmax, high). Default:
        the largest |E| of the four.
    title : str, optional
        Default: the weight and bias.

    Returns
    -------
    matplotlib.axes.Axes
    """
    w = _two_neuron_number(w)
    energies = two_neuron_energies(w, bias)
    stable = set(two_neuron_stable_states(w, bias))
    vmax = _two_neuron_vmax(energies, vmax)
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(3.4, 3.4), layout="constrained")
    for (s1, s2), energy in zip(TWO_NEURON_STATES, energies):
        colour, dark = _two_neuron_colour(energy, vmax)
        ax.add_patch(plt.Rectangle((s1 - 0.92, s2 - 0.92), 1.84, 1.84, facecolor=colour,
                                   edgecolor="#555555", linewidth=1))
        ink = "white" if dark else "black"
        label = f"E = {energy:g}" + ("\nstable" if (s1, s2) in stable else "")
        ax.text(s1, s2, label, ha="center", va="center", color=ink, fontsize=11,
                fontweight="bold" if (s1, s2) in stable else "normal")
    _two_neuron_axes(ax, pad=1.0)
    ax.set_xticks([-1, 1], ["s1 = -1", "s1 = +1"])
    ax.set_yticks([-1, 1], ["s2 = -1", "s2 = +1"])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title if title is not None else _two_neuron_title(w, bias), fontsize=11)
    return ax


def plot_energy_landscape(w, bias=0.0, ax=None, vmax=None, colorbar=True, title=None):
    """Contours of the same energy formula between the corners, corners marked.

    ``E(s1, s2) = -w s1 s2 - b1 s1 - b2 s2`` is evaluated on a grid over [-1, 1]^2 so
    valleys can be seen; the network itself only ever sits on the four corners. Stable
    corners are drawn as filled black stars, the others as open circles.

    Parameters
    ----------
    w : float
    bias : float or array_like of shape (2,)
    ax : matplotlib Axes, optional
    vmax : float, optional
        Colour range +-vmax (default: the largest |E|, always at a corner).
    colorbar : bool
        Add a colour bar labelled "energy E".
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    w = _two_neuron_number(w)
    b = two_neuron_network(w, bias).bias
    vmax = _two_neuron_vmax(two_neuron_energies(w, bias), vmax)
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 3.5), layout="constrained")
    grid = np.linspace(-1, 1, 81)
    s1, s2 = np.meshgrid(grid, grid)
    energy = -w * s1 * s2 - b[0] * s1 - b[1] * s2
    # An odd number of bands puts E = 0 in the middle of the white one.
    levels = np.linspace(-vmax, vmax, 16)
    filled = ax.contourf(s1, s2, np.clip(energy, -vmax, vmax), levels=levels, cmap="PuOr_r",
                         vmin=-1.25 * vmax, vmax=1.25 * vmax)
    if np.ptp(energy) > 1e-12:  # a flat landscape has no contour lines to draw
        ax.contour(s1, s2, energy, levels=levels, colors="#444444", linewidths=0.5,
                   linestyles="solid")
    stable = set(two_neuron_stable_states(w, bias))
    for s in TWO_NEURON_STATES:
        is_stable = s in stable
        ax.plot(*s, marker="*" if is_stable else "o", markersize=18 if is_stable else 10,
                markerfacecolor="black" if is_stable else "white", markeredgecolor="black",
                markeredgewidth=1.2, linestyle="none", clip_on=False, zorder=5)
    ax.plot([], [], "*", color="black", markersize=12, label="stable corner")
    ax.plot([], [], "o", markerfacecolor="white", markeredgecolor="black", label="not stable")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9,
              frameon=False, handletextpad=0.3, columnspacing=1.0)
    _two_neuron_axes(ax, pad=0.12)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, shrink=0.85, label="energy E", ticks=[-vmax, 0, vmax])
    ax.set_title(title if title is not None else _two_neuron_title(w, bias), fontsize=11, pad=12)
    return ax


def plot_energy_surface(w, bias=0.0, ax=None, title=None):
    """The same energy as a 3-D surface over [-1, 1]^2, the four corners as dots.

    Parameters
    ----------
    w : float
    bias : float or array_like of shape (2,)
    ax : matplotlib 3-D Axes, optional
        Made with ``projection="3d"`` if not given.
    title : str, optional

    Returns
    -------
    mpl_toolkits.mplot3d.Axes3D
    """
    w = _two_neuron_number(w)
    b = two_neuron_network(w, bias).bias
    energies = two_neuron_energies(w, bias)
    vmax = _two_neuron_vmax(energies, None)
    plt = _pyplot()
    if ax is None:
        fig = plt.figure(figsize=(4.4, 3.8), layout="constrained")
        ax = fig.add_subplot(projection="3d")
    elif getattr(ax, "name", "") != "3d":
        raise ValueError('ax must be a 3-D axes (made with projection="3d")')
    grid = np.linspace(-1, 1, 31)
    s1, s2 = np.meshgrid(grid, grid)
    energy = -w * s1 * s2 - b[0] * s1 - b[1] * s2
    ax.plot_surface(s1, s2, energy, cmap="PuOr_r", vmin=-vmax, vmax=vmax, alpha=0.85,
                    linewidth=0, antialiased=True)
    stable = set(two_neuron_stable_states(w, bias))
    for s, e in zip(TWO_NEURON_STATES, energies):
        is_stable = s in stable
        ax.scatter(*s, e, s=120 if is_stable else 40, marker="*" if is_stable else "o",
                   color="black", depthshade=False, zorder=5)
    ax.set_xticks([-1, 0, 1])
    ax.set_yticks([-1, 0, 1])
    ax.set_xlabel("s1")
    ax.set_ylabel("s2")
    ax.set_zlabel("energy E")
    ax.view_init(elev=28, azim=-60)
    ax.set_title(title if title is not None else _two_neuron_title(w, bias), fontsize=11)
    return ax


def _draw_two_neuron_corners(ax, w, bias, vmax=None, notes=None):
    """The four states as dots coloured by energy, each labelled beside it with its state
    and E (and ``notes[state]`` on top, if given); stable ones ringed."""
    energies = two_neuron_energies(w, bias)
    stable = set(two_neuron_stable_states(w, bias))
    vmax = _two_neuron_vmax(energies, vmax)
    ax.plot([-1, 1, 1, -1, -1], [-1, -1, 1, 1, -1], color="#cccccc", linewidth=1, zorder=0)
    for (s1, s2), energy in zip(TWO_NEURON_STATES, energies):
        is_stable = (s1, s2) in stable
        ax.plot(s1, s2, "o", markersize=24, markerfacecolor=_two_neuron_colour(energy, vmax)[0],
                markeredgecolor="black", markeredgewidth=3.5 if is_stable else 1.0,
                clip_on=False, zorder=3)
        text = f"({s1:+d}, {s2:+d})\nE = {energy:g}" + ("\nstable" if is_stable else "")
        if notes and (s1, s2) in notes:
            text = f"{notes[(s1, s2)]}\n{text}"
        ax.annotate(text, (s1, s2), xytext=(17 * s1, 0), textcoords="offset points",
                    ha="left" if s1 > 0 else "right", va="center", fontsize=9,
                    fontweight="bold" if is_stable else "normal")
    # Room beside the square for the labels and below it for the legend of the arrows.
    ax.set_xlim(-2.3, 2.3)
    ax.set_ylim(-2.1, 1.4)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("neuron 1  (s1)")
    ax.set_ylabel("neuron 2  (s2)")
    for side in ax.spines.values():
        side.set_visible(False)


def _draw_two_neuron_move(ax, start, end, rad=0.0, label=None):
    """One arrow from state ``start`` to state ``end``, styled by which neurons changed,
    with an optional label beside its middle."""
    changed = tuple(int(i) for i in np.flatnonzero(np.asarray(start) != np.asarray(end)))
    colour, style, _ = _TWO_NEURON_MOVE_STYLE[changed]
    if label is not None:
        (x1, y1), (x2, y2) = start, end
        dx, dy = x2 - x1, y2 - y1
        # arc3 bends toward (dy, -dx); its middle is half the control point's offset.
        bend = rad if rad else 0.12
        x, y = (x1 + x2) / 2 + 0.75 * bend * dy, (y1 + y2) / 2 - 0.75 * bend * dx
        ax.text(x, y, label, ha="center", va="center", fontsize=8, color=colour,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"))
    ax.annotate("", xy=tuple(end), xytext=tuple(start), zorder=2,
                arrowprops=dict(arrowstyle="-|>,head_width=0.35,head_length=0.7",
                                color=colour, linestyle=style, linewidth=2.2,
                                shrinkA=15, shrinkB=15, connectionstyle=f"arc3,rad={rad}"))


def _two_neuron_legend(ax, kinds):
    for kind in kinds:
        colour, style, label = _TWO_NEURON_MOVE_STYLE[kind]
        ax.plot([], [], color=colour, linestyle=style, linewidth=2, label=label)
    ax.legend(loc="lower center", ncol=len(kinds), fontsize=8, title="who updates",
              title_fontsize=8, frameon=False, handlelength=2.5, columnspacing=1.0,
              borderaxespad=0.0)


def plot_update_arrows(w, bias=0.0, ax=None, vmax=None, title=None):
    """"Roll downhill": an arrow for every move one update of one neuron makes.

    Updating neuron 1 can only move a state sideways (solid arrows), updating neuron 2
    only up or down (dashed arrows). A state with no arrow leaving it is stable (thick
    ring). Each dot is coloured and labelled by its energy.

    Parameters
    ----------
    w : float
    bias : float or array_like of shape (2,)
    ax : matplotlib Axes, optional
    vmax : float, optional
        Colour range +-vmax for the dots (default: the largest |E|).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    w = _two_neuron_number(w)
    moves = two_neuron_moves(w, bias)
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(4.6, 3.6), layout="constrained")
    _draw_two_neuron_corners(ax, w, bias, vmax)
    for start, ends in zip(TWO_NEURON_STATES, moves):
        for end in ends:
            if tuple(end) != start:
                _draw_two_neuron_move(ax, start, end)
    _two_neuron_legend(ax, [(0,), (1,)])
    ax.set_title(title if title is not None else _two_neuron_title(w, bias), fontsize=11)
    return ax


def plot_two_neuron_recall(result, w, bias=0.0, ax=None, title=None):
    """The path a two-neuron recall takes through the four states, one arrow per change.

    Parameters
    ----------
    result : RecallResult
        A recall of the two-neuron network with this ``w`` and ``bias``.
    w : float
    bias : float or array_like of shape (2,)
    ax : matplotlib Axes, optional
    title : str, optional
        Default: the update mode, the number of steps and whether it settled.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(result, RecallResult):
        raise TypeError(f"result must be a RecallResult from recall(), got {type(result).__name__}")
    if result.initial_state.size != 2:
        raise ValueError(f"result must be a recall of two neurons, got {result.initial_state.size}")
    w = _two_neuron_number(w)
    path = [tuple(int(v) for v in result.state_at(t).reshape(-1)) for t in range(result.steps + 1)]
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(4.6, 3.6), layout="constrained")
    _draw_two_neuron_corners(ax, w, bias, notes={path[0]: "start"})
    unit = "update" if result.update == "async" else "step"
    moves = {}  # (before, after) -> the steps that made this move
    for t, (before, after) in enumerate(zip(path[:-1], path[1:]), start=1):
        if before != after:
            moves.setdefault((before, after), []).append(t)
    kinds = []
    for (before, after), steps in moves.items():
        kind = tuple(int(i) for i in np.flatnonzero(np.array(before) != np.array(after)))
        kinds.append(kind)
        label = f"{unit}{'s' if len(steps) > 1 else ''} " + ", ".join(map(str, steps))
        _draw_two_neuron_move(ax, before, after, rad=0.3 if kind == (0, 1) else 0.0, label=label)
    if kinds:
        _two_neuron_legend(ax, sorted(set(kinds), key=len))
    if title is None:
        mode = "one at a time" if result.update == "async" else "both at once"
        verdict = "settled" if result.converged else "still flipping"
        title = f"{mode}: {result.steps} {unit}s, {verdict}"
    ax.set_title(title, fontsize=11)
    return ax


def _two_neuron_range(pair, name: str) -> tuple:
    """Return ``pair`` as (low, high) floats with low < high, or raise."""
    if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {pair!r}")
    low, high = (_two_neuron_number(v, name) for v in pair)
    if not low < high:
        raise ValueError(f"{name} must be (low, high) with low < high, got {pair!r}")
    return low, high


class TwoNeuronExplorer:
    """Weight and bias sliders redrawing the two-neuron energies, landscape and arrows.

    Build it with :func:`two_neuron_explorer`.

    Attributes
    ----------
    weight, bias : ipywidgets.FloatSlider
        The controls; :meth:`explore` sets them in code.
    figure : matplotlib.figure.Figure
        Three panels, redrawn on every slider move.
    image : ipywidgets.Image
        The figure as a PNG, replaced on every slider move.
    widget : ipywidgets.VBox
        What is displayed.
    """

    def __init__(self, w=1.0, bias=0.0, w_range=(-2.0, 2.0), bias_range=(-2.0, 2.0),
                 step=0.1):
        import ipywidgets as widgets

        w, bias = _two_neuron_number(w), _two_neuron_number(bias, "bias")
        lo_w, hi_w = _two_neuron_range(w_range, "w_range")
        lo_b, hi_b = _two_neuron_range(bias_range, "bias_range")
        step = _two_neuron_number(step, "step")
        if not lo_w <= w <= hi_w:
            raise ValueError(f"w must start inside w_range {(lo_w, hi_w)}, got {w}")
        if not lo_b <= bias <= hi_b:
            raise ValueError(f"bias must start inside bias_range {(lo_b, hi_b)}, got {bias}")
        if step <= 0:
            raise ValueError(f"step must be positive, got {step}")
        layout = widgets.Layout(width="380px")
        style = {"description_width": "60px"}
        self.weight = widgets.FloatSlider(value=w, min=lo_w, max=hi_w, step=step,
                                          description="weight w", readout_format="+.1f",
                                          continuous_update=False, layout=layout, style=style)
        self.bias = widgets.FloatSlider(value=bias, min=lo_b, max=hi_b, step=step,
                                        description="bias", readout_format="+.1f",
                                        continuous_update=False, layout=layout, style=style)
        self.image = widgets.Image(format="png")
        plt = _pyplot()
        self.figure, self._axes = plt.subplots(1, 3, figsize=(10.5, 3.7), dpi=100,
                                               layout="constrained")
        plt.close(self.figure)  # shown through the image widget only, never twice
        self._quiet = False
        self._draw()
        # The panels keep their places, so the layout is worked out once: without a layout
        # engine, a redraw renders the figure once instead of twice.
        import matplotlib

        with matplotlib.rc_context({"figure.autolayout": False,
                                    "figure.constrained_layout.use": False}):
            self.figure.set_layout_engine(None)
        for control in (self.weight, self.bias):
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.weight, self.bias]), self.image])

    def _values(self):
        # Rounded to the slider's grid, so w = 0.3 and bias = 0.3 really are equal.
        return round(self.weight.value, 9), round(self.bias.value, 9)

    def _draw(self):
        w, b = self._values()
        for ax in self._axes:
            ax.clear()
        plot_two_neuron_energies(w, b, ax=self._axes[0], title="the four states")
        plot_energy_landscape(w, b, ax=self._axes[1], colorbar=False,
                              title="the formula between them")
        plot_update_arrows(w, b, ax=self._axes[2], title="one update: roll downhill")
        self.figure.suptitle(_two_neuron_title(w, b))
        self._show()
        return self.state()

    def _show(self):
        import io

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        self.image.value = buffer.getvalue()

    def state(self) -> dict:
        """What the panels show now.

        Returns
        -------
        dict
            ``"energies"``: ndarray (4,) in the order of :func:`two_neuron_states`;
            ``"stable"``: list of the stable states as (s1, s2) tuples.
        """
        w, b = self._values()
        return {"energies": two_neuron_energies(w, b), "stable": two_neuron_stable_states(w, b)}

    def _on_change(self, change):
        if not self._quiet:
            self._draw()

    def explore(self, w=None, bias=None) -> dict:
        """Move the sliders as a student would (values are clipped to the slider range)
        and return what the panels show (see :meth:`state`).

        Parameters
        ----------
        w, bias : float, optional
        """
        self._quiet = True  # one redraw for both sliders, not one each
        try:
            if w is not None:
                self.weight.value = _two_neuron_number(w)
            if bias is not None:
                self.bias.value = _two_neuron_number(bias, "bias")
        finally:
            self._quiet = False
        return self._draw()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def two_neuron_explorer(w=1.0, bias=0.0, w_range=(-2.0, 2.0), bias_range=(-2.0, 2.0),
                        step=0.1) -> TwoNeuronExplorer:
    """Sliders for the weight and the bias of the two-neuron network.

    Three panels follow the sliders: the four states' energies, the energy formula
    between the corners, and the one-update arrows.

    Parameters
    ----------
    w, bias : float
        Starting values.
    w_range, bias_range : (float, float)
        Slider ranges.
    step : float
        Slider step.

    Returns
    -------
    TwoNeuronExplorer
        Display it by leaving it as the last line of a cell; drive it with ``.explore``.
    """
    return TwoNeuronExplorer(w=w, bias=bias, w_range=w_range, bias_range=bias_range, step=step)


# --------------------------------------------------------------------------------------
# Beyond Hebb: dense associative memories and modern Hopfield networks
# --------------------------------------------------------------------------------------


class DenseAssociativeMemory(_PatternMemory):
    """A dense associative memory (Krotov and Hopfield 2016) with a polynomial energy.

    ``E(s) = -N sum_mu m_mu(s)^n`` with ``m_mu = x_mu . s / N`` the overlaps, i.e.
    ``F(z) = z^n`` applied to each stored pattern's agreement. ``n = 2`` is the Hebbian
    network (up to a constant); a higher ``n`` makes each memory's valley steeper and
    narrower, so many more patterns fit and blends stop being stable.

    Parameters
    ----------
    patterns : array_like (P, ...) or sequence of P same-shape +1/-1 arrays
    n : int >= 2
        The power in the energy.

    Notes
    -----
    No weight matrix exists here: a neuron is set to whichever value gives the lower
    energy, computed from the P overlaps, so asynchronous updates never raise the energy.
    """

    def __init__(self, patterns, n: int = 3):
        self.n = _check_count(n, "n", minimum=2)
        x = self._store_patterns(patterns)
        self._x_t = self._stored_t  # (N, P)
        # Integer arithmetic is exact while the largest possible sum fits in int64.
        biggest = self.n_patterns * float(self.n_neurons + 1) ** self.n
        self._dtype = np.int64 if biggest < 2**62 else np.float64
        self._x_t_int = x.T.astype(self._dtype)

    def __repr__(self) -> str:
        return (f"DenseAssociativeMemory(n={self.n}, patterns={self.n_patterns}, "
                f"neurons={self.n_neurons}, pattern_shape={self.pattern_shape})")

    def energy(self, state):
        """The energy ``-N sum_mu (x_mu . s / N)^n``: one state -> float, a stack -> (K,)."""
        flat, lead = self._flat_states(state)
        agreement = flat.astype(np.float64) @ self._x_t  # x_mu . s, shape (K, P)
        e = -(agreement**self.n).sum(axis=1) / float(self.n_neurons) ** (self.n - 1)
        return float(e[0]) if lead == () else e

    def _gain(self, agreement, idx, cur):
        """For neurons ``idx`` in states ``cur``: F-sum with s_i = +1 minus with s_i = -1."""
        x_i = self._x_t_int[idx]  # (B, P)
        rest = agreement[None, :] - x_i * cur.astype(self._dtype)[:, None]
        return ((rest + x_i) ** self.n - (rest - x_i) ** self.n).sum(axis=1)

    def recall(self, state, steps: int, seed=None, snapshot_every=None):
        """Asynchronous recall in random sweeps: each step sets one neuron to whichever
        value lowers the energy (a tie keeps it).

        Parameters
        ----------
        state : array_like of +1/-1, the network's size (any shape; kept)
        steps : int >= 0
            Neuron updates (``N`` of them visit every neuron once).
        seed : int, numpy.random.Generator or None
        snapshot_every : int, optional
            As in :meth:`HopfieldNetwork.recall`.

        Returns
        -------
        RecallResult
        """
        s0 = self._flat_state(state)
        steps = _check_count(steps, "steps")
        snap_steps = _snapshot_steps(steps, snapshot_every)
        rng = _rng(seed)
        order = self._sweep_order(steps, rng)
        s = s0.astype(self._dtype)
        agreement = s @ self._x_t_int  # exact x_mu . s
        flip_steps, flip_neurons, flip_values = [], [], []
        pos, block, n = 0, 32, self.n_neurons
        while pos < steps:
            end = min(pos + block, (pos // n + 1) * n, steps)
            idx = order[pos:end]
            cur = s[idx]
            gain = self._gain(agreement, idx, cur)
            wants = (np.sign(gain) != 0) & (np.sign(gain) != cur)
            j = int(wants.argmax())
            if not wants[j]:
                pos, block = end, min(block * 2, 4096)
                continue
            # The energy is not linear in s, so after a flip the next fields are recomputed.
            i, new = int(idx[j]), -cur[j]
            s[i] = new
            agreement += 2 * new * self._x_t_int[i]
            flip_steps.append(pos + j + 1)
            flip_neurons.append(i)
            flip_values.append(int(new))
            pos, block = pos + j + 1, 32
        flips = (np.array(flip_steps, dtype=np.int64), np.array(flip_neurons, dtype=np.int64),
                 np.array(flip_values, dtype=np.int8))
        final = s.astype(np.int8)
        energies = self._energy_trace(s0, flips, steps)
        gain = self._gain(agreement, np.arange(n), s)
        converged = bool(np.all((gain == 0) | (np.sign(gain) == s)))
        return _make_result(self, state, s0, final, flips, energies, converged, "async",
                            steps, snap_steps)

    def _energy_trace(self, s0, flips, steps):
        """Energy after every step, from the energy at each flip."""
        flip_steps, neurons, values = flips
        energies = np.empty(steps + 1)
        s = s0.copy()
        e_prev, last = self.energy(s), 0
        for t, i, v in zip(flip_steps.tolist(), neurons.tolist(), values.tolist()):
            energies[last:t] = e_prev
            s[i] = v
            e_prev, last = self.energy(s), t
        energies[last:] = e_prev
        return energies


class ModernHopfieldNetwork(_PatternMemory):
    """A modern (continuous) Hopfield network, Ramsauer et al. 2020.

    The state ``xi`` is a vector of real numbers; one update is
    ``xi <- X^T softmax(beta X xi)``: the stored patterns, averaged with weights that
    favour the ones most like ``xi``. The same formula is the attention of a Transformer.
    Its energy ``E = -lse(beta, X xi) + xi.xi / 2 + log(P) / beta + M^2 / 2`` (with
    ``lse(beta, z) = log(sum exp(beta z)) / beta`` and ``M`` the largest pattern norm)
    never rises under the update.

    Parameters
    ----------
    patterns : array_like (P, ...) or sequence of P same-shape +1/-1 arrays
    beta : float > 0
        Inverse temperature. Small: the update averages all patterns (a blend). Large:
        it picks out the single nearest pattern, even among exponentially many.
    """

    def __init__(self, patterns, beta: float = 1.0):
        self._x = self._store_patterns(patterns)  # (P, N)
        self.beta = _check_beta(beta)
        self._max_norm_sq = float((self._x**2).sum(axis=1).max())

    def __repr__(self) -> str:
        return (f"ModernHopfieldNetwork(beta={self.beta}, patterns={self.n_patterns}, "
                f"neurons={self.n_neurons}, pattern_shape={self.pattern_shape})")

    def _real_states(self, state, name="state"):
        try:
            arr = np.asarray(state, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be an array of real numbers") from None
        if arr.size == 0:
            raise ValueError(f"{name} is empty")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite (no NaN or infinity)")
        if arr.shape == self.pattern_shape or arr.shape == (self.n_neurons,):
            return arr.reshape(1, -1), ()
        if arr.ndim > 1 and arr.shape[1:] in (self.pattern_shape, (self.n_neurons,)):
            return arr.reshape(arr.shape[0], -1), (arr.shape[0],)
        if arr.size == self.n_neurons:
            return arr.reshape(1, -1), ()
        raise ValueError(f"{name} must have {self.n_neurons} values (shape {self.pattern_shape}) "
                         f"or be a stack of such states, got shape {arr.shape}")

    def attention(self, state) -> np.ndarray:
        """The weights ``softmax(beta X xi)`` the update gives each stored pattern, (P,)."""
        flat, lead = self._real_states(state)
        z = self.beta * flat @ self._x.T
        z -= z.max(axis=1, keepdims=True)  # softmax is unchanged; exp cannot overflow
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return p[0] if lead == () else p

    def update(self, state) -> np.ndarray:
        """One update ``X^T softmax(beta X xi)``, in the shape of ``state``."""
        p = self.attention(state)
        return (p @ self._x).reshape(np.shape(state))

    def energy(self, state):
        """The energy of a state: a float, or an array (K,) for a stack."""
        flat, lead = self._real_states(state)
        z = self.beta * flat @ self._x.T
        top = z.max(axis=1)
        lse = (top + np.log(np.exp(z - top[:, None]).sum(axis=1))) / self.beta
        e = (-lse + 0.5 * (flat**2).sum(axis=1) + np.log(self.n_patterns) / self.beta
             + 0.5 * self._max_norm_sq)
        return float(e[0]) if lead == () else e

    def recall(self, state, steps: int = 1):
        """Apply the update ``steps`` times (one is usually enough).

        Parameters
        ----------
        state : array_like of real numbers, the network's size (any shape; kept)
        steps : int >= 0

        Returns
        -------
        RecallResult
            ``state`` holds real numbers (a blend of patterns, or one pattern almost
            exactly); every step's state is kept, so ``state_at`` works as usual.
            ``converged`` is True when the last update moved the state by less than 1e-9.
        """
        flat, lead = self._real_states(state)
        if lead != ():
            raise ValueError("recall takes one state, not a stack")
        steps = _check_count(steps, "steps")
        trajectory = np.empty((steps + 1, self.n_neurons))
        trajectory[0] = flat[0]
        for t in range(1, steps + 1):
            trajectory[t] = self.update(trajectory[t - 1])
        energies = self.energy(trajectory)
        moved = np.abs(self.update(trajectory[-1]) - trajectory[-1]).max()
        in_shape = np.shape(state)
        empty = np.zeros(0, dtype=np.int64)
        result = RecallResult(
            state=trajectory[-1].reshape(in_shape).copy(),
            energies=np.atleast_1d(energies),
            converged=bool(moved < 1e-9),
            update="sync",
            steps=steps,
            initial_state=trajectory[0].reshape(in_shape).copy(),
            snapshot_steps=np.arange(steps + 1),
            overlaps=trajectory @ self._x.T / self.n_neurons,
            flip_steps=empty,
            flip_neurons=empty,
            flip_values=empty.astype(np.int8),
            _stored=self._x,
        )
        result._trajectory = trajectory.reshape((steps + 1,) + in_shape)
        return result


def _check_beta(beta) -> float:
    if isinstance(beta, bool) or not isinstance(beta, numbers.Real):
        raise TypeError(f"beta must be a positive number, got {beta!r}")
    if not np.isfinite(beta) or beta <= 0:
        raise ValueError(f"beta must be a finite number > 0, got {beta}")
    return float(beta)
