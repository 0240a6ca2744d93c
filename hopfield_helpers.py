"""Helpers for the Hopfield network notebooks.

Every notebook in ``notebooks/`` imports this one module. It holds everything the
lessons compute and draw, so the notebooks can stay short and readable:

* **Patterns** -- :func:`letter_pattern`, :func:`random_patterns`, :func:`add_noise`,
  :func:`noisify`, :func:`overlap`, :func:`hamming_distance`.
* **The network** -- :class:`HopfieldNetwork` (rules "hebb", "storkey", "pseudoinverse")
  stores patterns, computes fields and energies, and runs a recall
  (:meth:`HopfieldNetwork.recall`, async or sync, optionally at a temperature) that
  returns a :class:`RecallResult` with the whole trajectory.
* **Plots** -- :func:`plot_patterns`, :func:`plot_energy`, :func:`plot_overlaps`,
  :func:`plot_weights`, :func:`plot_trajectory`, :func:`plot_recall`, :func:`animate_recall`.
* **Widgets** -- :func:`recall_explorer` builds a noise / step / seed explorer in one line.
* **Pictures** -- :func:`load_image_pattern`, :func:`load_picture`, :func:`load_digits`.
* **Spurious states and capacity** -- :func:`mixture_state`, :func:`overlap_matrix`,
  :func:`which_memory`, :func:`capacity_sweep`.
* **Beyond Hebb** -- :class:`DenseAssociativeMemory`, :class:`ModernHopfieldNetwork`.
* **One section per lesson** (``# ---- Lesson NN``) at the end: what only that lesson
  draws or explores (two-neuron landscapes, the letter drawer, the halfway picture,
  capacity curves, comparisons of rules...).

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
    "PALETTE",
    "LINESTYLES",
    "MAX_DENSE_NEURONS",
    "available_letters",
    "letter_pattern",
    "random_patterns",
    "add_noise",
    "noisify",
    "overlap",
    "hamming_distance",
    "RecallResult",
    "HopfieldNetwork",
    "plot_pattern",
    "plot_patterns",
    "plot_energy",
    "plot_overlaps",
    "plot_weights",
    "plot_trajectory",
    "plot_recall",
    "animate_recall",
    "save_recall_gif",
    "RecallExplorer",
    "recall_explorer",
    "DATA_DIR",
    "MAX_IMAGE_PIXELS",
    "load_grey_image",
    "otsu_threshold",
    "threshold_image",
    "load_image_pattern",
    "pattern_to_image",
    "save_pattern_image",
    "picture_names",
    "load_picture",
    "load_digits",
    "overlap_matrix",
    "mixture_state",
    "MemoryVerdict",
    "which_memory",
    "recalled_fraction",
    "TWO_NEURON_STATES",
    "two_neuron_network",
    "two_neuron_states",
    "two_neuron_energies",
    "two_neuron_moves",
    "two_neuron_stable_states",
    "plot_two_neuron_energies",
    "plot_energy_landscape",
    "plot_energy_surface",
    "plot_update_arrows",
    "plot_two_neuron_recall",
    "TwoNeuronExplorer",
    "two_neuron_explorer",
    "random_picks",
    "visit_order",
    "RandomPickRecall",
    "recall_random_picks",
    "recall_each",
    "halfway_picture",
    "field_with_undecided",
    "HalfwayContest",
    "halfway_contest",
    "network_memory_bytes",
    "redraw_seconds",
    "ThresholdExplorer",
    "threshold_explorer",
    "pattern_from_upload",
    "PictureUploader",
    "picture_uploader",
    "DenseAssociativeMemory",
    "ModernHopfieldNetwork",
    "CRITICAL_LOAD",
    "MEMORY_KIND_COLOURS",
    "settle_many",
    "capacity_sweep",
    "capacity_curves",
    "load_at_fraction",
    "plot_capacity",
    "CapacityExplorer",
    "capacity_explorer",
    "stored_fixed_points",
    "which_memories",
    "memory_energies",
    "random_start_landings",
    "plot_memory_landscape",
    "plot_overlap_matrix",
    "plot_recall_distances",
    "MemoryExplorer",
    "memory_explorer",
    "MixtureExplorer",
    "mixture_explorer",
    "letter_patterns",
    "pattern_from_text",
    "plot_letter_weights",
    "plot_weight_block",
    "plot_changes",
    "SUCCESS_DTYPE",
    "recall_success_rate",
    "plot_success_rate",
    "plot_sync_vs_async",
    "PatternDrawer",
    "pattern_drawer",
    "memory_test",
    "plot_memory_test",
    "LetterLab",
    "letter_lab",
    "LettersExplorer",
    "letters_explorer",
    "recall_with",
    "classify_state",
    "describe_state",
    "recall_rows",
    "plot_recall_rows",
    "retrieval_tally",
    "tally_table",
    "capacity_by_rule",
    "plot_capacity_by_rule",
    "annealing_schedule",
    "plot_annealing",
    "TemperatureExplorer",
    "temperature_explorer",
    "DenseExplorer",
    "dense_explorer",
    "BetaExplorer",
    "beta_explorer",
    "one_step_retrievals",
    "memory_bytes",
    "recall_seconds",
    "held_load",
    "plot_glauber_probability",
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


def _check_result(result) -> None:
    """Raise unless ``result`` is what a recall returned."""
    if not isinstance(result, RecallResult):
        raise TypeError(f"result must be a RecallResult from recall(), got {type(result).__name__}")


def _check_network(network) -> None:
    """Raise unless ``network`` is a HopfieldNetwork."""
    if not isinstance(network, HopfieldNetwork):
        raise TypeError(f"network must be a HopfieldNetwork, got {type(network).__name__}")


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
        # Two line collections: far quicker to draw than a grid line per minor tick.
        ax.hlines(np.arange(-0.5, rows), -0.5, cols - 0.5, color="#999999", linewidth=0.5)
        ax.vlines(np.arange(-0.5, cols), -0.5, rows - 0.5, color="#999999", linewidth=0.5)
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
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
    if energies.size > 4000:
        # A screen shows no more detail than this; 50,000 points make every redraw slow.
        keep = np.round(np.linspace(0, energies.size - 1, 2000)).astype(int)
        steps, energies = steps[keep], energies[keep]
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
    _check_result(result)
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
    _check_result(result)
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
    _check_result(result)
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

    _check_result(result)
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

    # Lay the figure out once, then freeze it: re-doing the layout for every frame is
    # most of an animation's cost.
    fig.canvas.draw()
    fig.set_layout_engine("none")
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


def _figure_png(fig, dpi=90) -> bytes:
    """A figure rendered to PNG bytes, for an ``ipywidgets.Image`` (light compression: fast)."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


class _FigureView:
    """What every explorer shares: one figure, drawn once and then updated in place,
    shown as a PNG in an ``ipywidgets.Image`` (``self.image``).

    A redraw replaces the image's bytes, a widget update, so driving an explorer from a
    cell prints nothing (under nbval too). The layout found by the first draw is kept,
    so a redraw only renders. While ``_suspended`` is set, redraws are skipped (a change
    that moves several controls draws once, at the end).
    """

    _suspended = False
    dpi = 90

    def _new_image(self):
        import ipywidgets as widgets

        self.image = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start"))
        return self.image

    def _show(self):
        if self._suspended:
            return
        self.image.value = _figure_png(self.figure, dpi=self.dpi)
        self.figure.set_layout_engine("none")  # keep the first layout: redraws only render

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


class RecallExplorer(_FigureView):
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
    image : ipywidgets.Image
        The figure as shown.
    widget : ipywidgets.VBox
        What is displayed.
    """

    def __init__(self, network, pattern, noise=0.2, steps=None, seed=0, update="async",
                 labels=None, title=None):
        import ipywidgets as widgets

        _check_network(network)
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
        self._new_image()
        self._build_figure(title)
        self.result = None
        self._recompute()
        for control in (self.noise, self.seed, self.update):
            control.observe(self._on_recall_change, names="value")
        self.step.observe(self._on_step_change, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.noise, self.seed]),
            widgets.HBox([self.step, self.update]),
            self.image,
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
        plt.close(fig)  # shown through the image widget only, never twice
        self.figure = fig

    def _recompute(self):
        # Several things change at once (the step slider's range too): draw once, at the end.
        self._suspended = True
        try:
            self._redo_recall()
        finally:
            self._suspended = False
        self._show()

    def _after_recall(self):
        """Hook for subclasses: called after each new recall, before it is drawn."""

    def _redo_recall(self):
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
        self._cue_image.axes.set_title(f"cue: {self.noise.value:.0%} flipped", fontsize=10)
        self._draw_step(self.step.value)
        self._after_recall()

    def _draw_step(self, step):
        state = self.result.state_at(step)
        shape = self._state_image.get_array().shape
        self._state_image.set_data(state.reshape(shape))
        self._energy_line.set_xdata([step, step])
        self._overlap_line.set_xdata([step, step])
        unit = "update" if self.result.update == "async" else "step"
        self._state_image.axes.set_title(
            f"after {step:,} {unit}{'' if step == 1 else 's'}\nE = {self.result.energies[step]:.2f}",
            fontsize=10)
        self._show()
        return state

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
        image = _read_picture_file(path, name)
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


def _read_picture_file(path, name):
    """Open and decode a picture file, turning every way it can fail into a clear error;
    a file that is rejected is closed again."""
    import warnings

    from PIL import Image

    too_large = (f"{name}: {str(path)!r} is too large to be a picture here "
                 f"(over {MAX_IMAGE_PIXELS:,} pixels)")
    image = None
    with warnings.catch_warnings():
        # Pillow only warns between its two size limits: make that an error too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
            _check_pixels(image.size, name)
            image.load()
            return image
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            error = ValueError(too_large)
        except Image.UnidentifiedImageError:
            error = ValueError(f"{name}: {str(path)!r} is not a picture Pillow can read "
                               "(expected PNG, JPEG, GIF, BMP ...)")
        except ValueError as exc:  # from _check_pixels
            error = exc
        except OSError as exc:  # a truncated or damaged file
            error = ValueError(f"{name}: {str(path)!r} could not be read as a picture ({exc})")
    if image is not None:
        image.close()
    raise error


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
    if isinstance(threshold_value, bool) or not isinstance(threshold_value, numbers.Real):
        raise TypeError(f"threshold must be a number in (0, 255], got {threshold!r}")
    if not 0 < threshold_value <= 255:
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
    _check_network(network)
    network._flat_state(state)  # exactly one state of the network's size
    return which_memories(network, state, min_overlap=min_overlap)[0]


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
    _check_result(result)
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
        self.image.value = _figure_png(self.figure, dpi=100)

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


# ---- Lesson 03: pictures ----


def random_picks(n_neurons, picks, seed=None) -> np.ndarray:
    """Neurons picked uniformly at random WITH replacement, as the classic image demo does.

    Parameters
    ----------
    n_neurons : int >= 1
    picks : int >= 0
        How many picks (e.g. 50,000).
    seed : int, numpy.random.Generator or None

    Returns
    -------
    ndarray of int64, shape (picks,)
        Flat neuron indices in 0 .. n_neurons - 1; some appear several times, some never.
        About a fraction ``(1 - 1/n_neurons) ** picks`` of the neurons is never picked.
    """
    n_neurons = _check_count(n_neurons, "n_neurons", minimum=1)
    picks = _check_count(picks, "picks")
    return _rng(seed).integers(n_neurons, size=picks, dtype=np.int64)


def visit_order(network, steps, seed=None) -> np.ndarray:
    """The neurons an async ``network.recall(..., steps, seed=seed)`` updates, in order.

    The recall visits neurons in sweeps: a fresh random order of all N neurons, then
    another, so every neuron is visited once per sweep.

    Parameters
    ----------
    network : HopfieldNetwork
    steps : int >= 0
    seed : int or None
        The same seed as given to ``recall`` (a Generator would be consumed).

    Returns
    -------
    ndarray of int, shape (steps,)
        Flat neuron indices: ``order[t - 1]`` is the neuron updated at step ``t``.
    """
    _check_network(network)
    steps = _check_count(steps, "steps")
    if isinstance(seed, np.random.Generator):
        raise TypeError("seed must be a whole number or None here (a Generator would be used up)")
    return network._sweep_order(steps, _rng(seed)).astype(np.int64)


@dataclass
class RandomPickRecall:
    """What :func:`recall_random_picks` did.

    Attributes
    ----------
    state : ndarray of int8, shape of the input state
        The final state.
    visits : ndarray of int, shape of the input state
        How often each neuron was picked (0 = never looked at).
    n_flips : int
        How many neurons changed.
    """

    state: np.ndarray
    visits: np.ndarray
    n_flips: int


def recall_random_picks(network, state, picks, seed=None) -> RandomPickRecall:
    """Async recall the classic way: each step updates a neuron picked at random.

    Unlike :meth:`HopfieldNetwork.recall`, which goes through the neurons in sweeps, the
    picks here are independent (with replacement), so some neurons are picked several
    times and some never. Each picked neuron takes the sign of its field (a field of
    exactly 0 keeps the state), exactly as in ``recall``.

    Parameters
    ----------
    network : HopfieldNetwork
    state : array_like of +1/-1
        The cue, with the network's number of neurons. It is not modified.
    picks : int >= 0
    seed : int, numpy.random.Generator or None
        Fixes the picks (they are :func:`random_picks` with the same seed).

    Returns
    -------
    RandomPickRecall
    """
    _check_network(network)
    s = network._flat_state(state).astype(np.float64)
    picks = _check_count(picks, "picks")
    order = random_picks(network.n_neurons, picks, seed)
    dense, left, right = network._dense, network._left, network._right
    diag, bias_units = network._self_coupling, network._bias_units
    m = None if dense is not None else s @ right
    pos, block, n_flips = 0, 64, 0
    while pos < picks:
        # Fields of the next block of picks; valid until the first flip among them.
        idx = order[pos : pos + block]
        if dense is not None:
            h = dense[idx] @ s + bias_units[idx]
        else:
            h = left[idx] @ m - diag[idx] * s[idx] + bias_units[idx]
        unstable = s[idx] * h < 0
        j = int(unstable.argmax())
        if not unstable[j]:
            pos += idx.size
            block = min(2 * block, 8192)
            continue
        i = idx[j]
        s[i] = -s[i]
        if m is not None:
            m += 2 * s[i] * right[i]
        n_flips += 1
        pos += j + 1
        block = 64
    shape = np.shape(state)
    visits = np.bincount(order, minlength=network.n_neurons)
    return RandomPickRecall(state=s.astype(np.int8).reshape(shape), visits=visits.reshape(shape),
                            n_flips=n_flips)


def recall_each(network, flips_per_row, steps, seed=None) -> list:
    """Scramble every stored picture and recall it: one async recall per stored pattern.

    Parameters
    ----------
    network : HopfieldNetwork
        With 2-D (rows, cols) or 1-D patterns stored.
    flips_per_row : int
        Exactly this many pixels are flipped in every row of each cue (:func:`noisify`).
    steps : int >= 0
        Async steps per recall.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    list of RecallResult, one per stored pattern, in storing order
        ``results[k].initial_state`` is the scrambled cue of pattern ``k``.
    """
    _check_network(network)
    if network.n_patterns == 0:
        raise ValueError("network stores no patterns to recall")
    steps = _check_count(steps, "steps")
    rng = _rng(seed)
    results = []
    for pattern in network.patterns:
        cue = noisify(pattern, flips_per_row, seed=rng)
        results.append(network.recall(cue, steps, seed=rng))
    return results


def _check_undecided(network, state, name: str = "state") -> np.ndarray:
    """A flat float copy of ``state`` whose values are +1, -1 or 0 (undecided)."""
    _check_network(network)
    arr = np.asarray(state)
    undecided = arr == 0
    flat = network._flat_state(np.where(undecided, 1, arr), name).astype(np.float64)
    flat[undecided.reshape(-1)] = 0.0
    return flat


def halfway_picture(a, b) -> np.ndarray:
    """The average of two +1/-1 pictures: +1 or -1 where they agree, 0 where they differ.

    Parameters
    ----------
    a, b : array_like of +1/-1, same shape

    Returns
    -------
    ndarray of int8, same shape, values in {-1, 0, 1}
        Feed it to ``recall(..., allow_zeros=True)``.
    """
    a = _check_pm1(a, "a")
    b = _check_pm1(b, "b")
    _check_same_shape(a, b, "a", "b")
    return ((a.astype(np.int16) + b) // 2).astype(np.int8)


def field_with_undecided(network, state) -> np.ndarray:
    """Each neuron's field ``h = W s + b`` for a state that may hold 0 (undecided) pixels.

    Parameters
    ----------
    network : HopfieldNetwork
    state : array_like of +1, -1 and 0, the network's number of neurons

    Returns
    -------
    ndarray of float, same shape as ``state``
        Hebbian fields are computed from whole numbers, so an exact tie is exactly 0.0.
    """
    flat = _check_undecided(network, state)
    return (network._scale * network._field_units(flat[None, :])[0]).reshape(np.shape(state))


@dataclass
class HalfwayContest:
    """Who won when one start (with undecided pixels) was recalled with many seeds.

    Attributes
    ----------
    seeds : ndarray of int, shape (R,)
    winners : ndarray of int, shape (R,)
        For each seed, the stored pattern the final state equals (-1: none of them).
    first_sides : ndarray of int, shape (R,)
        For each seed, the stored pattern the first undecided pixel to be decided agreed
        with (and no other did); -1 if it agreed with several or none.
    n_patterns : int
    """

    seeds: np.ndarray
    winners: np.ndarray
    first_sides: np.ndarray
    n_patterns: int

    @property
    def counts(self) -> np.ndarray:
        """How often each stored pattern won, shape (P,) (runs ending elsewhere not counted)."""
        won = self.winners[self.winners >= 0]
        return np.bincount(won, minlength=self.n_patterns)

    @property
    def first_side_decides(self) -> float:
        """The fraction of runs won by the pattern the first decided pixel sided with."""
        return float(np.mean(self.winners == self.first_sides))


def halfway_contest(network, start, seeds, steps=None) -> HalfwayContest:
    """Recall one start that has undecided (0) pixels once per seed, and count who wins.

    Parameters
    ----------
    network : HopfieldNetwork
        With stored patterns.
    start : array_like of +1, -1 and 0
        E.g. :func:`halfway_picture` of two stored patterns.
    seeds : int or sequence of int
        An int ``R`` means the seeds ``0 .. R-1``.
    steps : int, optional
        Async steps per run (default: two sweeps of all neurons).

    Returns
    -------
    HalfwayContest
    """
    _check_undecided(network, start, "start")
    if network.n_patterns == 0:
        raise ValueError("network stores no patterns to compete")
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        seeds = np.arange(_check_count(seeds, "seeds", minimum=1))
    else:
        seeds = np.array([_check_count(s, "seeds[i]") for s in seeds], dtype=np.int64)
        if seeds.size == 0:
            raise ValueError("seeds is empty")
    steps = 2 * network.n_neurons if steps is None else _check_count(steps, "steps")
    stored = network.patterns.reshape(network.n_patterns, -1)
    undecided = (np.asarray(start) == 0).reshape(-1)
    winners = np.full(seeds.size, -1)
    firsts = np.full(seeds.size, -1)
    for r, seed in enumerate(seeds):
        result = network.recall(start, steps, seed=int(seed), snapshot_every=max(steps, 1),
                                allow_zeros=True)
        final = result.state.reshape(-1)
        same = np.flatnonzero((stored == final).all(axis=1))
        if same.size:
            winners[r] = same[0]
        decided = np.flatnonzero(undecided[result.flip_neurons])
        if decided.size:
            k = decided[0]
            sides = np.flatnonzero(stored[:, result.flip_neurons[k]] == result.flip_values[k])
            if sides.size == 1:
                firsts[r] = sides[0]
    return HalfwayContest(seeds=seeds, winners=winners, first_sides=firsts,
                          n_patterns=network.n_patterns)


def network_memory_bytes(network, result=None) -> dict:
    """What a network (and optionally a recall) holds in memory, against the dense matrix.

    Parameters
    ----------
    network : HopfieldNetwork
    result : RecallResult, optional
        Also count what this recall keeps (its energy trace, change log and states).

    Returns
    -------
    dict of str -> int, bytes
        ``"patterns"`` (the stored int8 patterns), ``"float patterns"`` (the float64 copy
        fields are computed from), ``"per-neuron arrays"`` (bias and self-coupling),
        ``"weights"`` (a dense matrix actually held: 0 for Hebbian networks),
        ``"recall result"`` (if given), ``"total"``, and ``"dense matrix (not built)"``:
        the N x N float64 weight matrix, ``8 N^2`` bytes.
    """
    _check_network(network)
    report = {
        "patterns": int(network.patterns.nbytes),
        "float patterns": int(network._right.nbytes)
        + (0 if network._left is network._right else int(network._left.nbytes)),
        "per-neuron arrays": int(network._bias.nbytes + network._bias_units.nbytes
                                 + network._self_coupling.nbytes),
        "weights": 0 if network._dense is None else int(network._dense.nbytes),
    }
    if result is not None:
        if not isinstance(result, RecallResult):
            raise TypeError(f"result must be a RecallResult, got {type(result).__name__}")
        arrays = [result.state, result.energies, result.initial_state, result.snapshot_steps,
                  result.overlaps, result.flip_steps, result.flip_neurons, result.flip_values,
                  result._stored, result._snapshots]
        report["recall result"] = int(sum(a.nbytes for a in arrays if a is not None))
    report["total"] = int(sum(report.values()))
    report["dense matrix (not built)"] = 8 * network.n_neurons**2
    return report


def redraw_seconds(move, values) -> float:
    """The median time ``move(value)`` takes over ``values``: how fast a slider redraws.

    Parameters
    ----------
    move : callable
        Called once with each value, e.g. ``lambda v: explorer.explore(step=v)``.
    values : sequence
        At least one value; vary them, since setting a slider to its current value does
        nothing.

    Returns
    -------
    float, seconds
    """
    import time

    if not callable(move):
        raise TypeError(f"move must be callable, got {type(move).__name__}")
    values = list(values)
    if not values:
        raise ValueError("values is empty: give at least one value to move to")
    times = []
    for value in values:
        start = time.perf_counter()
        move(value)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


class ThresholdExplorer:
    """A picture's grey levels, their histogram and the black/white pattern a threshold
    makes, with a picture menu and a threshold slider. Build it with
    :func:`threshold_explorer`.

    The figure is drawn once; a slider move only updates the threshold line and the
    pattern, and shows the figure as a PNG in an ``ipywidgets.Image`` (so driving it from
    code prints nothing into the notebook).

    Attributes
    ----------
    picture : ipywidgets.Dropdown
    threshold : ipywidgets.IntSlider
    image : ipywidgets.Image
    widget : ipywidgets.VBox
        What is displayed.
    grey : ndarray of uint8, shape ``size``
        The chosen picture's grey levels.
    pattern : ndarray of int8, shape ``size``
        The pattern shown: ``grey <= threshold`` is ink (+1).
    otsu : int
        Otsu's threshold for the chosen picture.
    """

    def __init__(self, picture="cat", threshold=80, size=(128, 128)):
        import ipywidgets as widgets

        names = picture_names()
        if not isinstance(picture, str) or picture not in names:
            raise ValueError(f"picture must be one of {names}, got {picture!r}")
        threshold = self._check_threshold(threshold)
        self._size = _check_size(size)
        self._greys = {}
        self.picture = widgets.Dropdown(options=names, value=picture, description="picture")
        self.threshold = widgets.IntSlider(value=threshold, min=0, max=255, step=1,
                                           description="threshold", continuous_update=True,
                                           layout=widgets.Layout(width="420px"))
        self.image = widgets.Image(format="png")
        self._build_figure()
        self._load_picture(picture)
        self.picture.observe(lambda change: self._load_picture(change["new"]), names="value")
        self.threshold.observe(lambda change: self._draw(change["new"]), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.picture, self.threshold]), self.image])

    @staticmethod
    def _check_threshold(threshold) -> int:
        threshold = _check_count(threshold, "threshold")
        if threshold > 255:
            raise ValueError(f"threshold must be from 0 to 255, got {threshold}")
        return threshold

    def _build_figure(self):
        plt = _pyplot()
        fig, axes = plt.subplots(1, 3, figsize=(9.5, 2.9), layout="constrained",
                                 gridspec_kw={"width_ratios": [1, 1.5, 1]})
        blank = np.zeros(self._size)
        self._grey_image = axes[0].imshow(blank, cmap="gray", vmin=0, vmax=255,
                                          interpolation="nearest")
        axes[0].set_xticks([])
        axes[0].set_yticks([])
        axes[0].set_title("grey picture", fontsize=10)
        levels = np.arange(257)
        self._hist = axes[1].stairs(np.zeros(256), levels, fill=True, color="#999999")
        self._threshold_line = axes[1].axvline(0, color=PALETTE[5], linewidth=2,
                                               label="threshold")
        self._otsu_line = axes[1].axvline(0, color=PALETTE[0], linewidth=1.5, linestyle="--",
                                          label="Otsu's choice")
        axes[1].set_xlim(0, 256)
        axes[1].set_xlabel("grey level (0 = black, 255 = white)")
        axes[1].set_ylabel("pixels")
        axes[1].set_title("ink = the grey levels left of the solid line", fontsize=10)
        self._pattern_image = _draw_pattern(axes[2], blank, "")
        self._axes = axes
        plt.close(fig)  # shown as a PNG in the Image widget only
        self.figure = fig

    def _load_picture(self, name):
        if name not in self._greys:
            self._greys[name] = load_grey_image(DATA_DIR / "pictures" / f"{name}.png",
                                                size=self._size)
        self.grey = self._greys[name]
        self.otsu = otsu_threshold(self.grey)
        self._grey_image.set_data(self.grey)
        counts = np.bincount(self.grey.reshape(-1), minlength=256)
        self._hist.set_data(values=counts)
        # A lone spike (one grey level everywhere) may go off the top: the shape matters.
        self._axes[1].set_ylim(0, np.sort(counts)[-3] * 1.15)
        self._otsu_line.set_xdata([self.otsu + 1] * 2)
        self._axes[1].legend(fontsize=8, loc="upper left",
                             labels=["threshold", f"Otsu's choice ({self.otsu})"],
                             handles=[self._threshold_line, self._otsu_line])
        self.figure.set_layout_engine("constrained")
        self._draw(self.threshold.value)  # lays the figure out for this picture's labels ...
        self.figure.set_layout_engine("none")  # ... and keeps that layout while the slider moves

    def _draw(self, threshold):
        self.pattern = threshold_image(self.grey, threshold)
        self._pattern_image.set_data(self.pattern)
        self._threshold_line.set_xdata([threshold + 1] * 2)
        ink = float(np.mean(self.pattern == 1))
        self._axes[2].set_title(f"threshold {threshold}: {ink:.0%} ink", fontsize=10)
        self.image.value = _figure_png(self.figure)
        return self.pattern

    def explore(self, threshold=None, picture=None) -> np.ndarray:
        """Set the controls as a student would, and return the pattern shown.

        Parameters
        ----------
        threshold : int in 0-255, optional
        picture : str, optional
            One of :func:`picture_names`.

        Returns
        -------
        ndarray of int8, shape ``size``
        """
        if picture is not None:
            if picture not in self.picture.options:
                raise ValueError(f"picture must be one of {list(self.picture.options)}, "
                                 f"got {picture!r}")
            self.picture.value = picture
        if threshold is not None:
            self.threshold.value = self._check_threshold(threshold)
        return self.pattern

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def threshold_explorer(picture="cat", threshold=80, size=(128, 128)) -> ThresholdExplorer:
    """A ready grey -> black/white explorer: picture menu and threshold slider.

    Parameters
    ----------
    picture : str
        One of :func:`picture_names`.
    threshold : int in 0-255
        Starting threshold (grey levels at or below it become ink, +1).
    size : (rows, cols)

    Returns
    -------
    ThresholdExplorer
        Display it by leaving it as the last line of a cell.
    """
    return ThresholdExplorer(picture=picture, threshold=threshold, size=size)


_PICTURE_KINDS = "a PNG, JPEG, GIF or BMP picture"


def _uploaded_file(value):
    """(name, bytes) of the one file in a FileUpload ``value``."""
    if isinstance(value, dict) and "content" not in value:
        # ipywidgets 7: {filename: {"content": ..., ...}}
        value = tuple(dict(item, name=key) for key, item in value.items())
    elif isinstance(value, dict):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise TypeError("value must be a FileUpload widget's value (a tuple of dicts with "
                        f"'name' and 'content'), got {type(value).__name__}")
    if len(value) == 0:
        raise ValueError(f"No file uploaded yet: press the upload button and choose "
                         f"{_PICTURE_KINDS}.")
    if len(value) > 1:
        raise ValueError(f"{len(value)} files were uploaded: please upload one picture at a time.")
    item = value[0]
    if not isinstance(item, dict) or "content" not in item:
        raise TypeError("each uploaded file must be a dict with 'name' and 'content'")
    name = str(item.get("name", "the uploaded file"))
    content = item["content"]
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise TypeError(f"the content of {name!r} must be bytes, got {type(content).__name__}")
    content = bytes(content)
    if not content:
        raise ValueError(f"{name!r} is empty (0 bytes): choose {_PICTURE_KINDS}.")
    return name, content


def pattern_from_upload(value, size=(128, 128), threshold=None) -> np.ndarray:
    """Turn a FileUpload widget's value (one uploaded picture) into a +1/-1 pattern.

    Parameters
    ----------
    value : tuple of dict
        ``ipywidgets.FileUpload().value``: in ipywidgets 8 a tuple of dicts with
        ``"name"`` and ``"content"`` (a memoryview of the file's bytes). A single such dict,
        or the ipywidgets 7 form ``{name: {"content": ...}}``, is accepted too.
    size : (rows, cols)
        The picture is fitted into this shape, keeping its aspect ratio (white padding).
    threshold : int in 0-255, optional
        Grey levels at or below it are ink; None picks Otsu's threshold.

    Returns
    -------
    ndarray of int8, shape ``size``

    Raises
    ------
    ValueError
        With a message meant for the student: nothing uploaded, several files, an empty
        file, a file that is not a picture, or an implausibly large picture.
    TypeError
        If ``value`` is not a FileUpload value at all.
    """
    import io
    import warnings

    from PIL import Image

    size = _check_size(size)
    name, content = _uploaded_file(value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            _check_pixels(image.size, repr(name))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError(f"{name!r} is too large to use here (over {MAX_IMAGE_PIXELS:,} "
                         "pixels): choose a smaller picture.") from None
    except Image.UnidentifiedImageError:
        raise ValueError(f"{name!r} is not a picture I can read: choose {_PICTURE_KINDS}.") from None
    except OSError as exc:
        raise ValueError(f"{name!r} could not be read as a picture ({exc}): "
                         f"choose {_PICTURE_KINDS}.") from None
    return load_image_pattern(image, size=size, threshold=threshold)


class PictureUploader:
    """Upload a picture, store it with other patterns and recall it from a scrambled cue.

    Build it with :func:`picture_uploader`. Uploading calls :meth:`handle`, which you
    can also call in code with a FileUpload-style value.

    Attributes
    ----------
    upload : ipywidgets.FileUpload
    message : ipywidgets.HTML
        What happened, or what was wrong with the file.
    image : ipywidgets.Image
        The recall of the uploaded picture, as a PNG.
    widget : ipywidgets.VBox
    network : HopfieldNetwork or None
        The network with the uploaded picture stored last.
    pattern : ndarray or None
        The uploaded picture as a pattern.
    result : RecallResult or None
        The recall of the uploaded picture from its scrambled cue.
    """

    def __init__(self, patterns, labels, flips_per_row=40, steps=None, seed=0):
        import ipywidgets as widgets

        self.patterns = _stack_patterns(patterns)
        if self.patterns.ndim != 3:
            raise ValueError("patterns must be pictures, shape (P, rows, cols), got shape "
                             f"{self.patterns.shape}")
        self.labels = [str(label) for label in labels]
        if len(self.labels) != len(self.patterns):
            raise ValueError(f"labels must name each of the {len(self.patterns)} patterns")
        self.flips_per_row = _check_count(flips_per_row, "flips_per_row")
        if self.flips_per_row > self.patterns.shape[2]:
            raise ValueError(f"flips_per_row must be <= the row length {self.patterns.shape[2]}")
        n = self.patterns[0].size
        self.steps = 3 * n if steps is None else _check_count(steps, "steps", minimum=1)
        self.seed = _check_count(seed, "seed")
        self.upload = widgets.FileUpload(accept="image/*", multiple=False,
                                         description="upload picture")
        self.message = widgets.HTML(value="Choose a picture file: it is stored with "
                                    f"{', '.join(self.labels)} and recalled from a scramble.")
        self.image = widgets.Image(format="png")
        self.network = self.pattern = self.result = None
        self.upload.observe(lambda change: self.handle(change["new"]), names="value")
        self.widget = widgets.VBox([self.upload, self.message, self.image])

    def handle(self, value) -> str:
        """Turn an upload into a pattern, store it, recall it; return the message shown.

        Parameters
        ----------
        value : FileUpload value (see :func:`pattern_from_upload`)

        Returns
        -------
        str
            A friendly message: what was stored and how well it came back, or what was
            wrong with the file (nothing else changes then).
        """
        import html

        try:
            name, _ = _uploaded_file(value)
            pattern = pattern_from_upload(value, size=self.patterns.shape[1:])
        except (ValueError, TypeError) as exc:
            text = f"Sorry: {exc}"
            self.message.value = f"<b>{html.escape(text)}</b>"
            return text
        network = HopfieldNetwork(list(self.patterns) + [pattern])
        labels = self.labels + [name]
        cue = noisify(pattern, self.flips_per_row, seed=self.seed)
        result = network.recall(cue, self.steps, seed=self.seed)
        self.network, self.pattern, self.result = network, pattern, result
        wrong = hamming_distance(result.state, pattern)
        text = (f"Stored {name!r} ({np.mean(pattern == 1):.0%} ink) with "
                f"{', '.join(self.labels)}. Scrambled ({self.flips_per_row} flips per row) and "
                f"recalled: {wrong:,} pixel{'' if wrong == 1 else 's'} wrong.")
        overlaps = np.abs(network.overlaps(pattern)[:-1])
        if overlaps.size and overlaps.max() > 0.5:
            text += (f" It looks a lot like {self.labels[int(overlaps.argmax())]} (overlap "
                     f"{overlaps.max():.2f}), so the two may get mixed up.")
        fig = plot_recall(result, labels=labels, title=f"your picture: {name}")
        self.image.value = _figure_png(fig, dpi=80)
        _pyplot().close(fig)
        self.message.value = html.escape(text)
        return text

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def picture_uploader(patterns, labels, flips_per_row=40, steps=None, seed=0) -> PictureUploader:
    """A FileUpload widget that stores an uploaded picture with ``patterns`` and recalls it.

    Parameters
    ----------
    patterns : array_like (P, rows, cols) of +1/-1
        Pictures stored alongside the upload (the upload is fitted to their shape).
    labels : sequence of P str
    flips_per_row : int
        How much the uploaded picture is scrambled before recalling it.
    steps : int, optional
        Async steps of the recall (default: 3 sweeps).
    seed : int

    Returns
    -------
    PictureUploader
        Display it by leaving it as the last line of a cell.
    """
    return PictureUploader(patterns, labels, flips_per_row=flips_per_row, steps=steps, seed=seed)


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
        converged = self._is_stable(agreement, s)
        return _make_result(self, state, s0, final, flips, energies, converged, "async",
                            steps, snap_steps)

    def _is_stable(self, agreement, s) -> bool:
        gain = self._gain(agreement, np.arange(self.n_neurons), s)
        return bool(np.all((gain == 0) | (np.sign(gain) == s)))

    def is_fixed_point(self, state) -> bool:
        """True if no single neuron's change would lower the energy of ``state``."""
        s = self._flat_state(state).astype(self._dtype)
        return self._is_stable(s @ self._x_t_int, s)

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


# ---- Lesson 04: spurious states ----
# Many recalls at once (W-free, in lockstep), the capacity curves and their explorer, the
# energy landscape of stored / reversed / mixture states, and the lesson's plots.

#: The load P/N above which a large Hebbian network loses its memories (Amit, Gutfreund
#: and Sompolinsky, 1985): about 0.138.
CRITICAL_LOAD = 0.138

#: One colour per kind of memory, used by every lesson-04 plot.
MEMORY_KIND_COLOURS = {"stored": PALETTE[0], "reversed": PALETTE[1], "mixture": PALETTE[2],
                       "other": PALETTE[3]}


def _lockstep_async(left, right, diag, bias_units, s, sweeps, rng):
    """Async recall of K states at once, all visiting neurons in the same random order.

    ``left`` and ``right`` have shape (N, T, R) with T = K (one network per state) or
    T = 1 (one shared network); the field of neuron i in state k is, in units of the
    network's scale, ``left[i, k] . (right^T s_k) - diag[i] s_k[i] + bias_units[i]``.
    Each sweep draws ``rng.permutation(N)``, exactly as :meth:`HopfieldNetwork.recall`
    does, so every state ends exactly where its own recall with the same seed would.
    A state that went through a whole sweep unchanged is a fixed point: it is set aside,
    and the loop stops when no state is left.

    Returns (final states (K, N) float, converged (K,) bool).
    """
    n = s.shape[1]
    final = s.astype(np.float64)  # a copy
    shared = right.shape[1] == 1
    if shared:
        m = final @ right[:, 0, :]
        left_vectors = left[:, 0, :]
    else:
        m = np.einsum("nkr,kn->kr", right, final)
    active = np.arange(final.shape[0])
    s = final.copy()
    for _ in range(sweeps):
        order = rng.permutation(n)
        changed = np.zeros(active.size, dtype=bool)
        for i in order:
            cur = s[:, i]
            if shared:
                h = m @ left_vectors[i]
            else:
                h = np.einsum("kr,kr->k", left[i], m)
            h -= diag[i] * cur
            h += bias_units[i]
            flip = np.flatnonzero(cur * h < 0)
            if flip.size:
                new = -cur[flip]
                s[flip, i] = new
                r = right[i] if shared else right[i][flip]
                m[flip] += (2.0 * new)[:, None] * r
                changed[flip] = True
        done = ~changed
        final[active[done]] = s[done]
        if changed.all():
            continue
        active, s, m = active[changed], s[changed], m[changed]
        if not shared:
            same = right is left
            left = left[:, changed]
            right = left if same else right[:, changed]
        if active.size == 0:
            break
    final[active] = s
    converged = np.ones(final.shape[0], dtype=bool)
    converged[active] = False
    return final, converged


def _network_factors(network):
    """(left, right, diag, bias_units) of a network, each with a shared trial axis."""
    if network._dense is not None:
        # h = W s: left = rows of W, right = identity (so "m" is the state itself).
        left = network._dense[:, None, :]
        right = np.eye(network.n_neurons)[:, None, :]
        diag = np.zeros(network.n_neurons)
    else:
        left, right = network._left[:, None, :], network._right[:, None, :]
        diag = network._self_coupling
    return left, right, diag, network.bias / network._scale


def settle_many(network, states, sweeps=10, seed=None):
    """Recall from many starting states at once and return where each one settles.

    All states are updated asynchronously in the same random order of neurons (a fresh
    order every sweep), vectorised over the states and W-free for Hebbian networks. Each
    state ends exactly where ``network.recall(state, sweeps * N, seed=seed)`` would have
    taken it, only much faster when there are many states. (Exactly: Hebbian fields are
    whole numbers in units of 1/N. With float weights from ``from_weights``, a field
    that should be exactly 0 can round differently, and such a tie may go the other way.)

    Parameters
    ----------
    network : HopfieldNetwork
    states : array_like of +1/-1, shape (K, *pattern_shape) or (K, N)
        The starting states.
    sweeps : int >= 1
        At most this many sweeps of all neurons (it stops as soon as a whole sweep changes
        nothing).
    seed : int, numpy.random.Generator or None
        Fixes the orders of the neurons.

    Returns
    -------
    final : ndarray of int8, same shape as ``states``
    converged : ndarray of bool, shape (K,)
        True where the final state is a fixed point.
    """
    _check_network(network)
    flat, lead = network._flat_states(states, "states")
    sweeps = _check_count(sweeps, "sweeps", minimum=1)
    rng = _rng(seed)
    left, right, diag, bias_units = _network_factors(network)
    final, _ = _lockstep_async(left, right, diag, bias_units, flat, sweeps, rng)
    final = final.astype(np.int8)
    converged = network._stable_mask(final).all(axis=1)
    return final.reshape(np.shape(states)), converged


def capacity_sweep(n_neurons, n_patterns, trials=10, sweeps=5, recalled_overlap=0.9,
                   seed=None) -> dict:
    """How many random patterns a Hebbian network keeps: recall from a stored pattern.

    For each ``N`` and ``P``, ``trials`` independent networks of ``P`` fresh random patterns
    are recalled from their first pattern (if the memory is stable it stays, overlap 1;
    past capacity it drifts away), all in lockstep (one shared random order of
    the neurons per sweep, which changes nothing statistically: the patterns are random).
    W-free and vectorised over the trials, so a whole capacity curve takes a fraction of
    a second.

    Parameters
    ----------
    n_neurons : int or sequence of int (each >= 2)
    n_patterns : int or sequence of int (each >= 1)
    trials : int >= 1
    sweeps : int >= 1
        At most this many async sweeps per recall (stops when nothing changes).
    recalled_overlap : float in [0, 1]
        A final overlap at or above this counts as recalled.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    dict of str -> ndarray, one row per (N, P, trial)
        ``"N"``, ``"P"``, ``"load"`` (P/N), ``"trial"``, ``"overlap"`` (final overlap
        with the pattern the recall started from), ``"recalled"``, ``"exact"``; ready for
        :func:`recalled_fraction`.
    """
    ns = [_check_count(n, "n_neurons", minimum=2) for n in np.atleast_1d(n_neurons).tolist()]
    ps = [_check_count(p, "n_patterns", minimum=1) for p in np.atleast_1d(n_patterns).tolist()]
    trials = _check_count(trials, "trials", minimum=1)
    sweeps = _check_count(sweeps, "sweeps", minimum=1)
    recalled_overlap = _check_level(recalled_overlap, "recalled_overlap")
    rng = _rng(seed)
    columns = {key: [] for key in ("N", "P", "load", "trial", "overlap")}
    for n in ns:
        for p in ps:
            # Chunks of trials keep the (N, T, P) pattern array under ~16 MB.
            chunk = max(1, min(trials, 16_000_000 // (n * p)))
            for first in range(0, trials, chunk):
                t = min(chunk, trials - first)
                x = random_patterns(t * p, n, seed=rng).reshape(t, p, n)
                factors = np.ascontiguousarray(x.transpose(2, 0, 1))  # (N, T, P) int8
                final, _ = _lockstep_async(factors, factors, np.full(n, float(p)), np.zeros(n),
                                           x[:, 0, :], sweeps, rng)
                q = np.einsum("kn,kn->k", final, x[:, 0, :].astype(np.float64)) / n
                columns["N"].extend([n] * t)
                columns["P"].extend([p] * t)
                columns["load"].extend([p / n] * t)
                columns["trial"].extend(range(first, first + t))
                columns["overlap"].extend(q.tolist())
    table = {key: np.array(col) for key, col in columns.items()}
    table["recalled"] = table["overlap"] >= recalled_overlap - 1e-12
    table["exact"] = table["overlap"] == 1.0
    return table


def _loads_to_counts(n, loads) -> list:
    """Numbers of patterns P = round(load * N) (at least 1, no repeats) for each load."""
    counts = sorted({max(1, int(round(load * n))) for load in loads})
    return counts


def capacity_curves(n_neurons=(100, 250, 500, 1000), loads=None, trials=40, sweeps=20,
                    recalled_overlap=0.9, seed=None) -> dict:
    """Capacity experiments for several network sizes, one table per size (a cache).

    Parameters
    ----------
    n_neurons : sequence of int
        Network sizes N.
    loads : sequence of float > 0, optional
        Loads P/N to try; each becomes ``P = round(load * N)`` (default: 12 loads from
        0.02 to 0.30).
    trials, sweeps, recalled_overlap
        As in :func:`capacity_sweep`.
    seed : int or None
        With an int, each size gets its own seed derived from it, so a size's curve does
        not depend on which other sizes are computed.

    Returns
    -------
    dict int -> dict
        ``curves[N]`` is the :func:`capacity_sweep` table for that N.
    """
    ns = [_check_count(n, "n_neurons", minimum=2) for n in np.atleast_1d(n_neurons).tolist()]
    if loads is None:
        loads = np.linspace(0.02, 0.30, 12)
    loads = np.atleast_1d(np.asarray(loads, dtype=np.float64))
    if loads.size == 0 or not np.all(np.isfinite(loads)) or np.any(loads <= 0):
        raise ValueError("loads must be a non-empty sequence of numbers above 0")
    if seed is not None and not (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        raise TypeError(f"seed must be a whole number or None, got {seed!r}")
    if seed is not None and seed < 0:
        raise ValueError(f"seed must be a non-negative whole number or None, got {seed}")
    curves = {}
    for n in ns:
        rng = np.random.default_rng(None if seed is None else (seed, n))
        curves[n] = capacity_sweep(n, _loads_to_counts(n, loads), trials=trials,
                                           sweeps=sweeps, recalled_overlap=recalled_overlap,
                                           seed=rng)
    return curves


def load_at_fraction(table, fraction=0.5, column="recalled") -> float:
    """The load P/N at which the recalled fraction first falls below ``fraction``.

    Linear interpolation between the last measured load at or above ``fraction`` and the
    first one below it.

    Parameters
    ----------
    table : dict
        A capacity table for one network size (one entry of :func:`capacity_curves`).
    fraction : float in [0, 1]
    column : {"recalled", "exact"}

    Returns
    -------
    float
        NaN if the fraction never falls below ``fraction`` in the loads measured.
    """
    fraction = _check_level(fraction, "fraction")
    if column not in ("recalled", "exact"):
        raise ValueError(f"column must be 'recalled' or 'exact', got {column!r}")
    if not isinstance(table, dict) or "N" not in table:
        raise ValueError("table must be a capacity table (from capacity_curves or capacity_sweep)")
    if np.unique(table["N"]).size != 1:
        raise ValueError("table must hold one network size N; pick one entry of capacity_curves()")
    summary = recalled_fraction(table)
    loads, values = summary["load"], summary[column]
    below = np.flatnonzero(values < fraction)
    if below.size == 0:
        return float("nan")
    k = int(below[0])
    if k == 0:
        return float(loads[0])
    x0, x1, y0, y1 = loads[k - 1], loads[k], values[k - 1], values[k]
    return float(x0 + (y0 - fraction) * (x1 - x0) / (y0 - y1))


def _check_curves(curves) -> dict:
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict N -> table, from capacity_curves()")
    for n, table in curves.items():
        if not isinstance(table, dict) or "load" not in table:
            raise ValueError(f"curves[{n!r}] is not a capacity table (from capacity_curves())")
    return curves


def plot_capacity(curves, highlight=None, ax=None, column="recalled"):
    """Fraction of recalled patterns against the load P/N, one curve per network size.

    Parameters
    ----------
    curves : dict N -> table, from :func:`capacity_curves`
    highlight : int, optional
        Draw this N's curve bold and fade the others.
    ax : matplotlib Axes, optional
    column : {"recalled", "exact"}
        Recalled (final overlap >= the threshold) or exactly recalled.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.capacity_lines`` maps each N to its line (for widgets that re-highlight).
    """
    curves = _check_curves(curves)
    if column not in ("recalled", "exact"):
        raise ValueError(f"column must be 'recalled' or 'exact', got {column!r}")
    if highlight is not None and highlight not in curves:
        raise ValueError(f"highlight must be one of the sizes {sorted(curves)}, got {highlight!r}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(6, 3.4), layout="constrained")
    lines = {}
    for k, n in enumerate(sorted(curves)):
        summary = recalled_fraction(curves[n])
        (lines[n],) = ax.plot(summary["load"], summary[column], label=f"N = {n}",
                              color=PALETTE[k % len(PALETTE)],
                              linestyle=LINESTYLES[k % len(LINESTYLES)], marker="o",
                              markersize=3)
    ax.capacity_lines = lines
    _highlight_capacity(lines, highlight)
    ax.axvline(CRITICAL_LOAD, color="#555555", linestyle=":", linewidth=1.5)
    ax.annotate(f"{CRITICAL_LOAD}", (CRITICAL_LOAD, 0.5), xytext=(4, 0),
                textcoords="offset points", fontsize=9, color="#333333")
    ax.set_xlim(0, None)
    ax.set_ylim(-0.04, 1.04)
    ax.set_xlabel("load P/N (patterns per neuron)")
    ax.set_ylabel("fraction recalled" if column == "recalled" else "fraction exactly recalled")
    ax.grid(alpha=0.3)
    return ax


def _highlight_capacity(lines, highlight):
    """Bold the chosen size's line, fade the others, and redo the legend to match."""
    for n, line in lines.items():
        on = highlight is None or n == highlight
        line.set_linewidth(2.6 if (highlight is not None and on) else 1.6)
        line.set_alpha(1.0 if on else 0.3)
    if lines:
        next(iter(lines.values())).axes.legend(fontsize=8, loc="upper right")


class CapacityExplorer:
    """Pick a network size N and a number of patterns P; see the cached capacity curves.

    Nothing is recomputed when a control moves: the curves come from
    :func:`capacity_curves` once, and a move only redraws (the curve of the chosen N in
    bold, a marker at the chosen load, and the final overlaps of its trials). The figure
    is shown as a PNG in an ``ipywidgets.Image``, so driving the controls from a notebook
    cell adds no output to that cell.

    Attributes
    ----------
    n, p : ipywidgets
        The controls (network size; number of stored patterns, among those measured).
    figure : matplotlib.figure.Figure
    image : ipywidgets.Image
    widget : ipywidgets.VBox
    """

    def __init__(self, curves, n=None, p=None):
        import ipywidgets as widgets

        self.curves = _check_curves(curves)
        self.sizes = sorted(curves)
        n = self.sizes[len(self.sizes) // 2] if n is None else n
        if n not in curves:
            raise ValueError(f"n must be one of the sizes {self.sizes}, got {n!r}")
        self._summaries = {size: recalled_fraction(curves[size]) for size in self.sizes}
        style = {"description_width": "110px"}
        self.n = widgets.ToggleButtons(options=self.sizes, value=n, description="neurons N",
                                       style=style)
        counts = self._counts(n)
        if p is None:
            p = counts[len(counts) // 2]
        else:  # snapped to the nearest measured number of patterns, as explore() does
            p = _check_count(p, "p", minimum=1)
            p = min(counts, key=lambda c: abs(c - p))
        self.p = widgets.SelectionSlider(options=counts, value=p, description="patterns P",
                                         continuous_update=True, style=style,
                                         layout=widgets.Layout(width="480px"))
        self.image = widgets.Image(format="png")
        self._build_figure()
        self._busy = False
        self.n.observe(self._on_n, names="value")
        self.p.observe(self._on_p, names="value")
        self.widget = widgets.VBox([self.n, self.p, self.image])
        self._draw()

    def _counts(self, n) -> list:
        return [int(v) for v in self._summaries[n]["P"]]

    def _build_figure(self):
        plt = _pyplot()
        fig, (ax_curve, ax_hist) = plt.subplots(1, 2, figsize=(10.5, 3.4), layout="constrained",
                                                gridspec_kw={"width_ratios": [1.5, 1]})
        plot_capacity(self.curves, highlight=self.n.value, ax=ax_curve)
        self._lines = ax_curve.capacity_lines
        (self._marker,) = ax_curve.plot([0], [0], "o", color=PALETTE[5], markersize=11,
                                        markerfacecolor="none", markeredgewidth=2.5)
        self._edges = np.linspace(0, 1, 21)
        centres = (self._edges[:-1] + self._edges[1:]) / 2
        self._bars = ax_hist.bar(centres, np.zeros(centres.size), width=0.048,
                                 color=PALETTE[0], edgecolor="white")
        ax_hist.axvline(0.9, color="#555555", linestyle=":", linewidth=1.5)
        ax_hist.set_xlim(0, 1.02)
        ax_hist.set_xlabel("final overlap with the stored pattern")
        ax_hist.set_ylabel("trials")
        ax_hist.grid(alpha=0.3)
        self._ax_curve, self._ax_hist = ax_curve, ax_hist
        plt.close(fig)  # shown through the Output widget only
        self.figure = fig

    def _on_n(self, change):
        old_load = self.p.value / change["old"]
        counts = self._counts(change["new"])
        nearest = min(counts, key=lambda c: abs(c / change["new"] - old_load))
        self._busy = True
        try:
            self.p.options = counts
            self.p.value = nearest
        finally:
            self._busy = False
        self._draw()

    def _on_p(self, change):
        if not self._busy:
            self._draw()

    def selection(self) -> dict:
        """What is shown now: ``N``, ``P``, ``load``, ``recalled`` and ``exact`` fractions,
        and ``overlaps`` (the final overlap of each trial)."""
        n, p = self.n.value, self.p.value
        summary = self._summaries[n]
        row = int(np.flatnonzero(summary["P"] == p)[0])
        table = self.curves[n]
        return {"N": n, "P": p, "load": p / n, "recalled": float(summary["recalled"][row]),
                "exact": float(summary["exact"][row]),
                "overlaps": table["overlap"][table["P"] == p]}

    def _draw(self):
        sel = self.selection()
        _highlight_capacity(self._lines, sel["N"])
        self._marker.set_data([sel["load"]], [sel["recalled"]])
        counts, _ = np.histogram(np.clip(sel["overlaps"], 0, 1), bins=self._edges)
        for bar, count in zip(self._bars, counts):
            bar.set_height(count)
        self._ax_hist.set_ylim(0, len(sel["overlaps"]) * 1.05)
        self._ax_curve.set_title(f"N = {sel['N']}, P = {sel['P']}: load {sel['load']:.3f}",
                                 fontsize=10)
        self._ax_hist.set_title(f"recalled in {sel['recalled']:.0%} of {len(sel['overlaps'])} "
                                "trials", fontsize=10)
        self._show()
        return sel

    def _show(self):
        self.image.value = _figure_png(self.figure, dpi=100)
        self.figure.set_layout_engine("none")  # keep the first layout: redraws only render

    def explore(self, n=None, p=None) -> dict:
        """Set the controls as a student would and return :meth:`selection`.

        ``p`` is snapped to the nearest measured number of patterns for the size.
        """
        if n is not None:
            if n not in self.sizes:
                raise ValueError(f"n must be one of the sizes {self.sizes}, got {n!r}")
            self.n.value = n
        if p is not None:
            p = _check_count(p, "p", minimum=1)
            self.p.value = min(self._counts(self.n.value), key=lambda c: abs(c - p))
        return self.selection()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def capacity_explorer(curves, n=None, p=None) -> CapacityExplorer:
    """A ready capacity explorer over cached curves (see :class:`CapacityExplorer`).

    Parameters
    ----------
    curves : dict N -> table, from :func:`capacity_curves`
    n : int, optional
        The size shown first (default: a middle one).
    p : int, optional
        The number of patterns shown first (snapped to the nearest one measured for ``n``).

    Returns
    -------
    CapacityExplorer
        Display it by leaving it as the last line of a cell.
    """
    return CapacityExplorer(curves, n=n, p=p)


def stored_fixed_points(patterns) -> np.ndarray:
    """Store patterns one by one and check which of the stored ones stay fixed points.

    Parameters
    ----------
    patterns : array_like (P, ...) or sequence of P same-shape +1/-1 arrays
        In the order they are added.

    Returns
    -------
    ndarray of bool, shape (P, P)
        ``fixed[k, j]`` is True if pattern ``j`` is a fixed point of the network that
        stores the first ``k + 1`` patterns (always False for ``j > k``).
    """
    x = _stack_patterns(patterns)
    p = x.shape[0]
    flat = x.reshape(p, -1)
    fixed = np.zeros((p, p), dtype=bool)
    for k in range(1, p + 1):
        fixed[k - 1, :k] = HopfieldNetwork(x[:k])._stable_mask(flat[:k]).all(axis=1)
    return fixed


_MIXTURE_SIGNS = ((1, 1, 1), (1, 1, -1), (1, -1, 1), (-1, 1, 1))


def _mixture_bank(stored: np.ndarray):
    """Every 3-mixture of the rows of ``stored`` (P, N), in :func:`which_memory`'s order.

    Returns (trios, bank): trios[j] is the trio of mixture j, bank (M, N) float64 holds
    ``sign(+-x_a +- x_b +- x_c)`` for the four sign choices that are not each other's
    reverse.
    """
    from itertools import combinations

    trios, rows = [], []
    x = stored.astype(np.int8)
    for trio in combinations(range(x.shape[0]), 3):
        a, b, c = x[list(trio)]
        for sa, sb, sc in _MIXTURE_SIGNS:
            rows.append(np.sign(sa * a + sb * b + sc * c))
            trios.append(trio)
    bank = np.stack(rows).astype(np.float64) if rows else np.zeros((0, x.shape[1]))
    return trios, bank


def which_memories(network, states, min_overlap: float = 1.0, _bank=None) -> list:
    """:func:`which_memory` for many states at once (vectorised, same verdicts).

    Parameters
    ----------
    network : HopfieldNetwork
    states : array_like of +1/-1, one state or a stack (K, ...) of the network's size
    min_overlap : float in (0, 1]
        How close a state must be to count (1.0: exactly equal).

    Returns
    -------
    list of K MemoryVerdict
        The same verdict :func:`which_memory` gives each state, in order (one state gives
        a list of one).
    """
    _check_network(network)
    min_overlap = _check_level(min_overlap, "min_overlap")
    if min_overlap == 0:
        raise ValueError("min_overlap must be above 0")
    flat, _ = network._flat_states(states, "states")
    s = flat.astype(np.float64)
    n = s.shape[1]
    if network.n_patterns == 0:
        return [MemoryVerdict("other", (), 0.0) for _ in range(s.shape[0])]
    stored = network.patterns.reshape(network.n_patterns, -1)
    m = s @ stored.T.astype(np.float64) / n  # (K, P), exact: sums of +-1
    trios, bank = _mixture_bank(stored) if _bank is None else _bank
    q = np.abs(s @ bank.T / n) if bank.shape[0] else np.zeros((s.shape[0], 0))
    verdicts = []
    for k in range(s.shape[0]):
        best = int(np.argmax(np.abs(m[k])))
        if abs(m[k, best]) >= min_overlap - 1e-12:
            kind = "stored" if m[k, best] > 0 else "reversed"
            verdicts.append(MemoryVerdict(kind, (best,), float(abs(m[k, best]))))
            continue
        if q.shape[1]:
            j = int(np.argmax(q[k]))
            if q[k, j] > 0 and q[k, j] >= min_overlap - 1e-12:
                verdicts.append(MemoryVerdict("mixture", trios[j], float(q[k, j])))
                continue
        verdicts.append(MemoryVerdict("other", (), float(abs(m[k, best]))))
    return verdicts


def memory_energies(network) -> dict:
    """The energies of every stored, reversed and 3-mixture state of a Hebbian network.

    Parameters
    ----------
    network : HopfieldNetwork
        With at least one stored pattern; with P >= 3, all ``8 * C(P, 3)`` mixtures
        ``sign(+-x_a +- x_b +- x_c)`` are included (keep P small, <= 12 or so).

    Returns
    -------
    dict of str -> ndarray, one row per state
        ``"kind"`` ("stored", "reversed" or "mixture"), ``"members"`` (e.g. "0", "0+1+2"),
        ``"signs"`` (e.g. "+", "+-+"), ``"energy"`` and ``"energy_per_neuron"``.
    """
    from itertools import combinations, product

    _check_network(network)
    if network.n_patterns == 0:
        raise ValueError("network stores no patterns: there are no memories to list")
    stored = network.patterns.reshape(network.n_patterns, -1)
    states, kinds, members, signs = [], [], [], []
    for k, x in enumerate(stored):
        for sign, kind in ((1, "stored"), (-1, "reversed")):
            states.append(sign * x)
            kinds.append(kind)
            members.append(str(k))
            signs.append("+" if sign > 0 else "-")
    for trio in combinations(range(network.n_patterns), 3):
        for choice in product((1, -1), repeat=3):
            states.append(mixture_state(stored[list(trio)], signs=choice))
            kinds.append("mixture")
            members.append("+".join(map(str, trio)))
            signs.append("".join("+" if c > 0 else "-" for c in choice))
    energy = network._energy_flat(np.stack(states).astype(np.int8))
    return {"kind": np.array(kinds), "members": np.array(members), "signs": np.array(signs),
            "energy": energy, "energy_per_neuron": energy / network.n_neurons}


def random_start_landings(network, n_starts=200, sweeps=20, seed=None) -> dict:
    """Recall from many random states and say where each one lands (see :func:`which_memory`).

    Parameters
    ----------
    network : HopfieldNetwork
    n_starts : int >= 1
        How many random starting states.
    sweeps : int >= 1
        At most this many async sweeps per recall.
    seed : int, numpy.random.Generator or None
        Fixes the starting states and the update orders.

    Returns
    -------
    dict of str -> ndarray, one row per start
        ``"kind"`` ("stored", "reversed", "mixture" or "other"), ``"members"`` (the stored
        patterns involved, e.g. "2" or "0+1+3"; "" for other), ``"energy"`` and
        ``"energy_per_neuron"`` of the final state, ``"converged"`` (a fixed point);
        plus ``"final"``, the final states, shape (n_starts, *pattern_shape).
    """
    _check_network(network)
    n_starts = _check_count(n_starts, "n_starts", minimum=1)
    rng = _rng(seed)
    starts = random_patterns(n_starts, network.pattern_shape, seed=rng)
    final, converged = settle_many(network, starts, sweeps=sweeps, seed=rng)
    verdicts = which_memories(network, final)
    energy = network.energy(final.reshape(n_starts, -1))
    return {"kind": np.array([v.kind for v in verdicts]),
            "members": np.array(["+".join(map(str, v.patterns)) for v in verdicts]),
            "energy": np.atleast_1d(energy), "energy_per_neuron": np.atleast_1d(energy) / network.n_neurons,
            "converged": converged, "final": final}


def plot_memory_landscape(energies, landings=None, title=None):
    """The energy landscape made visible: memory energies side by side, and where recalls land.

    Parameters
    ----------
    energies : dict from :func:`memory_energies`
    landings : dict from :func:`random_start_landings`, optional
        Adds the energies of the distinct "other" states the recalls found, and a bar
        chart of how many recalls ended in each kind of state.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    for key in ("kind", "energy_per_neuron"):
        if not isinstance(energies, dict) or key not in energies:
            raise ValueError("energies must be the dict returned by memory_energies()")
    if landings is not None and (not isinstance(landings, dict) or "kind" not in landings):
        raise ValueError("landings must be the dict returned by random_start_landings()")
    plt = _pyplot()
    if landings is None:
        fig, ax_e = plt.subplots(figsize=(5.5, 3.4), layout="constrained")
        ax_n = None
    else:
        fig, (ax_e, ax_n) = plt.subplots(1, 2, figsize=(10.5, 3.6), layout="constrained",
                                         gridspec_kw={"width_ratios": [1.3, 1]})
    groups = [(kind, energies["energy_per_neuron"][energies["kind"] == kind])
              for kind in ("stored", "reversed", "mixture")]
    if landings is not None:
        other = np.flatnonzero(landings["kind"] == "other")
        n_final = np.asarray(landings["final"]).reshape(len(landings["kind"]), -1)
        _, first = np.unique(n_final[other], axis=0, return_index=True)
        groups.append(("other", landings["energy_per_neuron"][other[np.sort(first)]]))
    names = {"stored": "stored", "reversed": "reversed", "mixture": "3-mixtures",
             "other": "other valleys\nfound"}
    for x, (kind, values) in enumerate(groups):
        if values.size:
            jitter = np.linspace(-0.25, 0.25, values.size) if values.size > 1 else np.zeros(1)
            ax_e.scatter(x + jitter, values, s=22, color=MEMORY_KIND_COLOURS[kind],
                         edgecolor="black", linewidth=0.4, zorder=3)
    for level, text in ((-0.5, "-1/2"), (-0.375, "-3/8")):
        ax_e.axhline(level, color="#555555", linestyle="--", linewidth=1, zorder=1)
        ax_e.annotate(text, (-0.45, level), xytext=(0, 3), textcoords="offset points",
                      fontsize=9, color="#333333", ha="left", va="bottom")
    ax_e.set_xticks(range(len(groups)), [names[kind] for kind, _ in groups])
    ax_e.set_xlim(-0.5, len(groups) - 0.5)
    ax_e.set_ylabel("energy per neuron E/N")
    ax_e.set_title("energies of the memories", fontsize=10)
    ax_e.grid(alpha=0.3, axis="y")
    if ax_n is not None:
        kinds = ("stored", "reversed", "mixture", "other")
        counts = [int(np.count_nonzero(landings["kind"] == kind)) for kind in kinds]
        bars = ax_n.bar(range(4), counts, color=[MEMORY_KIND_COLOURS[k] for k in kinds],
                        edgecolor="black", linewidth=0.5)
        ax_n.bar_label(bars, fontsize=9)
        ax_n.set_xticks(range(4), [names[k].split("\n")[0] if k != "other" else "other"
                                   for k in kinds])
        ax_n.set_ylabel("recalls from random starts")
        ax_n.set_ylim(0, max(counts) * 1.15 + 1)
        ax_n.set_title(f"where {len(landings['kind'])} random starts end", fontsize=10)
        ax_n.grid(alpha=0.3, axis="y")
    if title:
        fig.suptitle(title)
    return fig


def plot_overlap_matrix(matrix, labels=None, ax=None, title="overlaps"):
    """Draw an overlap matrix (from :func:`overlap_matrix`) with its values written in.

    Parameters
    ----------
    matrix : array_like, shape (P, P), values in [-1, 1]
    labels : sequence of P str, optional
    ax : matplotlib Axes, optional
    title : str

    Returns
    -------
    matplotlib.axes.Axes
    """
    try:
        m = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("matrix must be a square numeric array, from overlap_matrix()") from None
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.size == 0:
        raise ValueError(f"matrix must be square (P, P), got shape {m.shape}")
    if not np.all(np.isfinite(m)) or np.abs(m).max() > 1 + 1e-9:
        raise ValueError("matrix must hold overlaps between -1 and 1")
    p = m.shape[0]
    if labels is None:
        labels = [str(k) for k in range(p)]
    elif len(labels) != p:
        raise ValueError(f"labels must name each of the {p} patterns, got {len(labels)}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(3.2, 2.8), layout="constrained")
    ax.imshow(m, cmap="PuOr_r", vmin=-1, vmax=1)
    if p <= 12:
        for i in range(p):
            for j in range(p):
                ax.text(j, i, f"{m[i, j]:.2f}", ha="center", va="center", fontsize=9,
                        color="white" if abs(m[i, j]) > 0.6 else "black")
    ax.set_xticks(range(p), labels)
    ax.set_yticks(range(p), labels)
    ax.set_title(title, fontsize=10)
    return ax


def plot_recall_distances(result, labels=None, reference_energies=None, pattern_shape=None,
                          title=None):
    """A recall told by its energy and its distance to each stored pattern over time.

    Parameters
    ----------
    result : RecallResult
    labels : sequence of str, optional
        One name per stored pattern.
    reference_energies : sequence of float, optional
        Energies to mark with dashed lines on the energy panel, one per stored pattern
        (e.g. ``network.energy(network.patterns)``).
    pattern_shape : tuple, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Four panels: the cue, the final state, the energy, and the Hamming distance
        (pixels that differ) to each stored pattern.
    """
    _check_result(result)
    n_stored = result.overlaps.shape[1]
    if labels is None:
        labels = [f"pattern {k}" for k in range(n_stored)]
    elif len(labels) != n_stored:
        raise ValueError(f"labels must name each of the {n_stored} stored patterns, got {len(labels)}")
    if reference_energies is not None:
        reference_energies = np.asarray(reference_energies, dtype=np.float64).reshape(-1)
        if reference_energies.size != n_stored:
            raise ValueError(f"reference_energies must have one value per stored pattern "
                             f"({n_stored}), got {reference_energies.size}")
    shape = pattern_shape or result.state.shape
    n = result.initial_state.size
    plt = _pyplot()
    fig, axes = plt.subplots(1, 4, figsize=(11.5, 2.8), layout="constrained",
                             gridspec_kw={"width_ratios": [1, 1, 1.6, 1.6]})
    _draw_pattern(axes[0], _display_array(result.initial_state.reshape(shape)), "start (cue)")
    _draw_pattern(axes[1], _display_array(result.state.reshape(shape)), "end")
    plot_energy(result, ax=axes[2], label="recall")
    if reference_energies is not None:
        for k, energy in enumerate(reference_energies):
            axes[2].axhline(energy, color=PALETTE[(k + 1) % len(PALETTE)],
                            linestyle=LINESTYLES[(k + 1) % len(LINESTYLES)], linewidth=1.3,
                            label=f"E({labels[k]})")
        axes[2].legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    distances = n * (1 - result.overlaps) / 2
    for k in range(n_stored):
        axes[3].plot(result.snapshot_steps, distances[:, k], label=str(labels[k]),
                     color=PALETTE[(k + 1) % len(PALETTE)],
                     linestyle=LINESTYLES[(k + 1) % len(LINESTYLES)], linewidth=2)
    axes[3].set_ylim(0, None)
    axes[3].set_xlabel(axes[2].get_xlabel())
    axes[3].set_ylabel("pixels that differ")
    axes[3].grid(alpha=0.3)
    axes[3].legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if title:
        fig.suptitle(title)
    return fig


class MemoryExplorer(RecallExplorer):
    """A :class:`RecallExplorer` that also says which memory the recall ends in.

    The title names the final state's kind (:func:`which_memory`: stored, reversed,
    mixture or other).

    Attributes
    ----------
    verdict : MemoryVerdict
        Where the current recall ends.
    """

    dpi = 100

    def __init__(self, network, pattern, labels=None, noise=0.2, steps=None, seed=0,
                 update="async", title=None):
        self._bank = None  # the network's 3-mixtures, made when first needed
        self._title = title
        super().__init__(network, pattern, noise=noise, steps=steps, seed=seed, update=update,
                         labels=labels, title=title)

    def _after_recall(self):
        if self._bank is None:
            self._bank = _mixture_bank(self.network.patterns.reshape(self.network.n_patterns, -1))
        self.verdict = which_memories(self.network, self.result.state, _bank=self._bank)[0]
        if self.verdict.kind == "other":
            text = "another state"
        else:
            names = [str(self.labels[k]) if self.labels is not None else str(k)
                     for k in self.verdict.patterns]
            text = f"{self.verdict.kind}: {' + '.join(names)}"
        lead = f"{self._title}: " if self._title else ""
        self.figure.suptitle(f"{lead}the recall ends in {text}", fontsize=11)


def memory_explorer(network, pattern, labels=None, noise=0.2, steps=None, seed=0,
                    update="async", title=None) -> MemoryExplorer:
    """A recall explorer (noise, step, seed, update) whose title says where recall ends.

    Parameters are those of :func:`recall_explorer`.

    Returns
    -------
    MemoryExplorer
        Display it by leaving it as the last line of a cell.
    """
    return MemoryExplorer(network, pattern, labels=labels, noise=noise, steps=steps, seed=seed,
                          update=update, title=title)


class MixtureExplorer(MemoryExplorer):
    """A :class:`MemoryExplorer` with one more control: how many patterns are stored.

    The cue is always made from the same clean state (for the lesson, the mixture of the
    first three pictures); the network stores the first ``stored.value`` patterns.

    Attributes
    ----------
    stored : ipywidgets.IntSlider
        Number of stored patterns.
    """

    def __init__(self, patterns, pattern, labels, n_stored=3, min_stored=3, noise=0.2,
                 steps=None, seed=0):
        import ipywidgets as widgets

        self.all_patterns = _stack_patterns(patterns)
        self.all_labels = list(labels)
        if len(self.all_labels) != self.all_patterns.shape[0]:
            raise ValueError(f"labels must name each of the {self.all_patterns.shape[0]} patterns")
        min_stored = _check_count(min_stored, "min_stored", minimum=1)
        n_stored = _check_count(n_stored, "n_stored", minimum=min_stored)
        if n_stored > self.all_patterns.shape[0]:
            raise ValueError(f"n_stored must be at most {self.all_patterns.shape[0]}, got {n_stored}")
        self.stored = widgets.IntSlider(
            value=n_stored, min=min_stored, max=self.all_patterns.shape[0],
            description="stored", continuous_update=False,
            layout=widgets.Layout(width="420px"), style={"description_width": "90px"})
        super().__init__(HopfieldNetwork(self.all_patterns[:n_stored]), pattern,
                         labels=self.all_labels[:n_stored], noise=noise, steps=steps, seed=seed)
        self.stored.observe(self._on_stored_change, names="value")
        self.widget.children = (self.stored, *self.widget.children)

    def _on_stored_change(self, change):
        k = change["new"]
        self.network = HopfieldNetwork(self.all_patterns[:k])
        self._bank = None  # the new network's mixtures are made when first needed
        self.labels = self.all_labels[:k]
        self._recompute()

    def _after_recall(self):
        self._title = f"{self.network.n_patterns} stored"
        super()._after_recall()

    def explore(self, noise=None, step=None, seed=None, update=None, stored=None):
        """As :meth:`RecallExplorer.explore`, plus ``stored`` (number of stored patterns)."""
        if stored is not None:
            self.stored.value = _check_count(stored, "stored", minimum=self.stored.min)
        return super().explore(noise=noise, step=step, seed=seed, update=update)


def mixture_explorer(patterns, labels, n_stored=3, noise=0.2, steps=None, seed=0):
    """Recall a scrambled 3-mixture of the first three patterns, with sliders.

    Parameters
    ----------
    patterns : array_like (K, ...), K >= 3
        The patterns that can be stored; the first ``n_stored`` are.
    labels : sequence of K str
    n_stored : int
        Patterns stored at first (the slider goes from 3 to K).
    noise : float in [0, 1]
    steps : int, optional
        Length of each recall (default: 3 sweeps of all neurons).
    seed : int

    Returns
    -------
    MixtureExplorer
    """
    x = _stack_patterns(patterns)
    if x.shape[0] < 3:
        raise ValueError(f"patterns must hold at least 3 patterns for a 3-mixture, got {x.shape[0]}")
    return MixtureExplorer(x, mixture_state(x[:3]), labels, n_stored=n_stored, noise=noise,
                           steps=steps, seed=seed)


# ---- Lesson 02: letters ----
# Letters on a 5x5 grid: the Hebbian weights read as votes, a recall shown change by
# change, the success rate against noise, sync against async, a drawing grid, and what
# happens when too many letters are stored.


def letter_patterns(letters) -> np.ndarray:
    """Several letters of :func:`letter_pattern`, stacked.

    Parameters
    ----------
    letters : sequence of str, or str
        Names from :func:`available_letters`, e.g. ``["X", "O", "+"]``. A plain string
        is read one character per letter (``"XO+"``); use a list for ``"[]"``.

    Returns
    -------
    ndarray of int8, shape (P, 5, 5)
    """
    if isinstance(letters, str):
        letters = list(letters)
    if not isinstance(letters, Sequence) or isinstance(letters, bytes):
        raise TypeError(f"letters must be a list of letter names, got {type(letters).__name__}")
    if len(letters) == 0:
        raise ValueError("letters is empty: name at least one letter")
    return np.stack([letter_pattern(name) for name in letters])


def pattern_from_text(rows, ink="#") -> np.ndarray:
    """A pattern typed as text: one string per row, ``ink`` for +1, anything else -1.

    Parameters
    ----------
    rows : sequence of str, all the same length
        E.g. ``["#...#", "#..#.", "###..", "#..#.", "#...#"]`` for a K.
    ink : str
        The one character that means ink.

    Returns
    -------
    ndarray of int8, shape (len(rows), len(rows[0]))
    """
    if isinstance(rows, str) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a list of strings, one per row, got {type(rows).__name__}")
    if len(rows) == 0:
        raise ValueError("rows is empty: give at least one row")
    if not all(isinstance(r, str) for r in rows):
        raise TypeError("rows must contain only strings")
    if not isinstance(ink, str) or len(ink) != 1:
        raise ValueError(f"ink must be a single character, got {ink!r}")
    widths = {len(r) for r in rows}
    if len(widths) != 1 or 0 in widths:
        raise ValueError(f"rows must all have the same, non-zero length, got lengths {sorted(widths)}")
    return np.array([[1 if c == ink else -1 for c in r] for r in rows], dtype=np.int8)


def _pixel_ticks(ax, row_values, col_values):
    """Tick labels that draw a pattern's pixels: a filled square for ink, an open one
    for background, so a reader sees why two pixels vote the way they do."""
    marks = {1: "\u25a0", -1: "\u25a1"}
    ax.set_xticks(np.arange(len(col_values)), [marks[int(v)] for v in col_values], fontsize=11)
    ax.set_yticks(np.arange(len(row_values)), [marks[int(v)] for v in row_values], fontsize=11)
    ax.tick_params(length=0, pad=1)


def _annotate_cells(ax, values, vmax, fmt):
    """Write each value in its cell, white on dark colours and black on light ones."""
    for (r, c), v in np.ndenumerate(np.ma.filled(np.ma.asarray(values), 0)):
        if np.ma.getmaskarray(values)[r, c]:
            continue
        ax.text(c, r, fmt(v), ha="center", va="center", fontsize=10,
                color="white" if abs(v) > 0.55 * vmax else "black")


def plot_letter_weights(network, ax=None, title="weights"):
    """Draw the weight matrix of a network of 2-D patterns, cut into labelled blocks.

    Neurons are numbered row by row of the pattern, so the matrix falls into blocks:
    block (r, c) holds the weights between the pixels of pattern row r and those of
    pattern row c. Orange = positive, purple = negative (as :func:`plot_weights`).

    Parameters
    ----------
    network : HopfieldNetwork
        Storing 2-D patterns, e.g. 5x5 letters (a 25 x 25 matrix).
    ax : matplotlib Axes, optional
    title : str

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_network(network)
    if len(network.pattern_shape) != 2:
        raise ValueError(f"network must store 2-D patterns, got shape {network.pattern_shape}")
    n_rows, width = network.pattern_shape
    ax = plot_weights(network, ax=ax, title=title)
    for edge in np.arange(width, network.n_neurons, width) - 0.5:
        ax.axhline(edge, color="black", linewidth=1.5)
        ax.axvline(edge, color="black", linewidth=1.5)
    centres = np.arange(n_rows) * width + (width - 1) / 2
    ax.set_xticks(centres, [str(r) for r in range(n_rows)])
    ax.set_yticks(centres, [str(r) for r in range(n_rows)])
    ax.tick_params(length=0)
    ax.set_xlabel("pixel j, by letter row")
    ax.set_ylabel("pixel i, by letter row")
    return ax


def plot_weight_block(network, rows=0, cols=0, labels=None, block=5):
    """The weight matrix with one block outlined, and how each stored pattern votes in it.

    In the Hebbian rule every stored pattern casts one vote per pair of pixels: ``+1`` if
    the two pixels are the same in it (both ink or both background), ``-1`` if they
    differ. The weight is the sum of the votes divided by N.

    Parameters
    ----------
    network : HopfieldNetwork
        A Hebbian network of 2-D patterns (e.g. 5x5 letters).
    rows, cols : int
        Which block: the pixels of pattern row ``rows`` (matrix rows) against those of
        pattern row ``cols`` (matrix columns). ``rows=0, cols=0``: the top row with itself.
    labels : sequence of str, optional
        Names of the stored patterns.
    block : int
        Block size; defaults to 5, the width of a letter. Must equal the pattern width.

    Returns
    -------
    matplotlib.figure.Figure
        Panels: the whole matrix, one vote panel per stored pattern (its pixels drawn
        along the axes as filled or open squares), and the sum of the votes (``N x W``).
    """
    from matplotlib.patches import Rectangle

    _check_network(network)
    if network.rule != "hebb":
        raise ValueError(f"network must use the Hebbian rule (votes), got rule {network.rule!r}")
    if len(network.pattern_shape) != 2:
        raise ValueError(f"network must store 2-D patterns, got shape {network.pattern_shape}")
    n_rows, width = network.pattern_shape
    block = _check_count(block, "block", minimum=1)
    if block != width:
        raise ValueError(f"block must equal the pattern width {width}, got {block}")
    rows = _check_count(rows, "rows")
    cols = _check_count(cols, "cols")
    for value, name in ((rows, "rows"), (cols, "cols")):
        if value >= n_rows:
            raise ValueError(f"{name} must be a pattern row between 0 and {n_rows - 1}, got {value}")
    if network.n_patterns > 6:
        raise ValueError(f"network stores {network.n_patterns} patterns; draw the votes of at most 6")
    if labels is None:
        labels = [f"pattern {k}" for k in range(network.n_patterns)]
    elif len(labels) != network.n_patterns:
        raise ValueError(f"labels must name each of the {network.n_patterns} stored patterns")

    x = network.patterns.astype(np.int64)
    n = network.n_neurons
    plt = _pyplot()
    n_panels = network.n_patterns + 2
    fig, axes = plt.subplots(1, n_panels, figsize=(min(11, 2.05 * n_panels + 0.6), 2.7),
                             layout="constrained",
                             gridspec_kw={"width_ratios": [1.35] + [1] * (n_panels - 1)})
    plot_letter_weights(network, ax=axes[0], title=f"W: all {n} x {n} weights")
    axes[0].add_patch(Rectangle((cols * width - 0.5, rows * width - 0.5), width, width,
                                fill=False, edgecolor=PALETTE[5], linewidth=3.5))
    # A pixel has no weight to itself: on the block's diagonal there is no vote (grey).
    cmap = plt.get_cmap("PuOr_r").with_extremes(bad="#dddddd")
    no_weight = np.eye(width, dtype=bool) if rows == cols else np.zeros((width, width), bool)
    for k in range(network.n_patterns):
        ax = axes[k + 1]
        votes = np.ma.masked_array(np.outer(x[k, rows], x[k, cols]), mask=no_weight)
        ax.imshow(votes, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
        _annotate_cells(ax, votes, 1, lambda v: "+1" if v > 0 else "\u22121")
        _pixel_ticks(ax, x[k, rows], x[k, cols])
        ax.set_title(f"{labels[k]} votes", fontsize=10)
        ax.set_xlabel(f"row {cols} of {labels[k]}", fontsize=9)
        if k == 0:
            ax.set_ylabel(f"row {rows} of the letter", fontsize=9)
    total = np.ma.masked_array(np.einsum("pi,pj->ij", x[:, rows], x[:, cols]), mask=no_weight)
    ax = axes[-1]
    vmax = max(1, network.n_patterns)
    ax.imshow(total, cmap=cmap, vmin=-vmax, vmax=vmax, interpolation="nearest")
    _annotate_cells(ax, total, vmax, lambda v: f"{v:+d}".replace("-", "\u2212") if v else "0")
    ax.set_xticks(np.arange(width))
    ax.set_yticks(np.arange(width))
    ax.set_xlabel(f"column (row {cols})", fontsize=9)
    ax.set_ylabel(f"column (row {rows})", fontsize=9)
    ax.set_title(f"sum = {n} \u00d7 W", fontsize=10)
    return fig


def _change_frames(result, max_frames: int) -> np.ndarray:
    """Step 0 and every step where the state changed; if there are too many, the first
    ``max_frames - 1`` of them and the last."""
    steps = np.concatenate([[0], np.unique(result.flip_steps)]).astype(int)
    if steps.size > max_frames:
        steps = np.append(steps[: max_frames - 1], steps[-1])
    return steps


def _outline_pixels(ax, mask, color=None, linewidth=2.5):
    """Outline the pixels where ``mask`` is True (a 2-D bool array)."""
    from matplotlib.patches import Rectangle

    for r, c in zip(*np.nonzero(mask)):
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, linewidth=linewidth,
                               edgecolor=color or PALETTE[5]))


def _frame_title(result, step: int) -> str:
    if step == 0:
        return "start"
    return f"{'update' if result.update == 'async' else 'step'} {step:,}"


def _draw_change_frames(axes, result, steps, shape):
    """Draw the states at ``steps`` on ``axes``, outlining the pixels that changed since
    the previous frame."""
    previous = None
    for ax, t in zip(axes, steps):
        state = result.state_at(int(t)).reshape(shape)
        _draw_pattern(ax, _display_array(state), _frame_title(result, int(t)))
        if previous is not None:
            _outline_pixels(ax, state != previous)
        previous = state


def plot_changes(result, max_frames=10, size=1.05, pattern_shape=None):
    """A recall told change by change: the start, then the state after every change.

    Steps where nothing changed are skipped (the state is the same as in the frame
    before), so these frames are the whole trajectory. Pixels that changed since the
    previous frame are outlined.

    Parameters
    ----------
    result : RecallResult
    max_frames : int >= 2
        At most this many frames; a longer recall shows its first changes and the end.
    size : float
        Width of one frame in inches.
    pattern_shape : tuple, optional
        Shape to draw each state in, if the result holds flat states.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_result(result)
    max_frames = _check_count(max_frames, "max_frames", minimum=2)
    shape = pattern_shape or result.state.shape
    steps = _change_frames(result, max_frames)
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(steps), figsize=(size * len(steps), size + 0.35),
                             squeeze=False, layout="constrained")
    _draw_change_frames(axes[0], result, steps, shape)
    return fig


def _trial_seeds(seed, trials: int) -> np.ndarray:
    """``trials`` distinct whole-number seeds made from ``seed``."""
    seed = _check_count(seed, "seed")
    return np.random.SeedSequence(int(seed)).generate_state(trials).astype(np.int64)


def _batch_final_states(network, cues, orders, steps: int, update: str) -> np.ndarray:
    """Run many recalls at once: states (K, N) int8 -> final states (K, N) int8.

    Exactly what ``network.recall`` does to each row: async updates neuron
    ``orders[k, t]`` of row k at step t (ties keep), sync updates all neurons at once.
    Stops early once every row is a fixed point (nothing can change after that).
    """
    s = cues.astype(np.float64)
    rows = np.arange(s.shape[0])
    n = network.n_neurons
    if update == "sync":
        for _ in range(steps):
            h = network._field_units(s)
            new = np.where(h > 0, 1.0, np.where(h < 0, -1.0, s))
            if np.array_equal(new, s):
                break
            s = new
        return s.astype(np.int8)
    for t in range(steps):
        if t % n == 0:
            h = network._field_units(s)
            if np.all((h == 0) | (np.sign(h) == s)):
                break  # every row is a fixed point
        idx = orders[:, t]
        h_i = network._field_units(s)[rows, idx]
        cur = s[rows, idx]
        s[rows, idx] = np.where(h_i > 0, 1.0, np.where(h_i < 0, -1.0, cur))
    return s.astype(np.int8)


def _recall_outcomes(network, patterns, noise_levels, trials, steps, update, seed):
    """Outcome fractions (Q, L, 5) for Q clean patterns, L noise levels: success,
    reversed, another stored pattern (or its reverse), something else, and (a part of
    "something else") not a fixed point at the end."""
    q_count, n = patterns.shape
    levels = np.asarray(noise_levels, dtype=np.float64)
    seeds = _trial_seeds(seed, trials)
    # Trial k draws its noise and its update order from seed seeds[k], exactly as
    # add_noise(pattern, level, seed) and network.recall(cue, steps, seed=seed) do.
    uniforms = np.stack([np.random.default_rng(int(s)).random(n) for s in seeds])  # (T, N)
    if update == "async" and steps:
        orders = np.stack([network._sweep_order(steps, np.random.default_rng(int(s)))
                           for s in seeds])
    else:
        orders = np.zeros((trials, steps), dtype=np.int64)
    flip = uniforms[None, :, :] < levels[:, None, None]  # (L, T, N)
    cues = np.where(flip[None], -patterns[:, None, None, :], patterns[:, None, None, :])
    finals = _batch_final_states(network, cues.reshape(-1, n),
                                 np.tile(orders, (q_count * len(levels), 1)), steps, update)
    finals = finals.reshape(q_count, len(levels), trials, n)
    stored = network.patterns.reshape(network.n_patterns, n)
    success = np.all(finals == patterns[:, None, None, :], axis=-1)
    reversed_ = np.all(finals == -patterns[:, None, None, :], axis=-1)
    is_memory = np.zeros_like(success)
    for x in stored:
        is_memory |= np.all(finals == x, axis=-1) | np.all(finals == -x, axis=-1)
    other_memory = is_memory & ~success & ~reversed_
    other = ~(success | reversed_ | other_memory)
    not_settled = ~network._stable_mask(finals.reshape(-1, n)).all(axis=1)
    not_settled = not_settled.reshape(success.shape)
    return np.stack([a.mean(axis=-1) for a in
                     (success, reversed_, other_memory, other, not_settled)], -1)


#: The columns of a :func:`recall_success_rate` table.
SUCCESS_DTYPE = np.dtype([("noise", "f8"), ("success", "f8"), ("reversed", "f8"),
                          ("other_memory", "f8"), ("other", "f8"), ("not_settled", "f8"),
                          ("trials", "i8")])


def _check_recall_args(network, trials, steps, update):
    _check_network(network)
    trials = _check_count(trials, "trials", minimum=1)
    if update not in ("async", "sync"):
        raise ValueError(f"update must be 'async' or 'sync', got {update!r}")
    if steps is None:
        steps = 3 * network.n_neurons if update == "async" else 12
    steps = _check_count(steps, "steps")
    return trials, steps


def recall_success_rate(network, pattern, noise_levels, trials=100, steps=None,
                        update="async", seed=0) -> np.ndarray:
    """How often a noisy copy of ``pattern`` is recalled exactly, at each noise level.

    Trial ``k`` at level ``q`` is exactly
    ``network.recall(add_noise(pattern, q, seed=s_k), steps, update, seed=s_k)`` with
    ``s_k`` the k-th seed made from ``seed``; the same seeds serve every level, so a
    higher level flips the same pixels and then some more. All trials run at once.

    Parameters
    ----------
    network : HopfieldNetwork
    pattern : array_like of +1/-1, the network's pattern shape
        The clean pattern (usually one of the stored ones).
    noise_levels : float or sequence of floats in [0, 1]
        Flip probabilities, as in :func:`add_noise`.
    trials : int >= 1
        Seeded trials per noise level.
    steps : int, optional
        Length of each recall: default 3 sweeps (3N updates) for async, 12 for sync.
    update : {"async", "sync"}
    seed : int >= 0

    Returns
    -------
    ndarray, structured, shape (L,), one row per noise level, with fields
        ``noise``; ``success`` (fraction of trials ending exactly at ``pattern``);
        ``reversed`` (ending at ``-pattern``); ``other_memory`` (at another stored
        pattern or its reverse); ``other`` (anywhere else: a blend, or still moving);
        these four add up to 1. ``not_settled`` (the part of ``other`` that is not a fixed
        point at the end, e.g. a sync 2-cycle); ``trials``. Read a column with
        ``rates["success"]``.
    """
    trials, steps = _check_recall_args(network, trials, steps, update)
    clean = network._flat_state(pattern, "pattern")
    levels = np.atleast_1d(np.asarray(noise_levels, dtype=np.float64))
    if levels.ndim != 1 or levels.size == 0:
        raise ValueError(f"noise_levels must be a number or a 1-D list of numbers, got shape {levels.shape}")
    for q in levels:
        _check_level(float(q), "noise_levels")
    fractions = _recall_outcomes(network, clean[None, :], levels, trials, steps, update, seed)[0]
    table = np.zeros(levels.size, dtype=SUCCESS_DTYPE)
    table["noise"] = levels
    for k, name in enumerate(("success", "reversed", "other_memory", "other", "not_settled")):
        table[name] = fractions[:, k]
    table["trials"] = trials
    return table


def plot_success_rate(rates, ax=None, title=None):
    """Draw a :func:`recall_success_rate` table: each outcome's share against noise.

    Parameters
    ----------
    rates : structured ndarray from :func:`recall_success_rate`
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(rates, np.ndarray) or rates.dtype.names is None or \
            not set(SUCCESS_DTYPE.names) <= set(rates.dtype.names):
        raise TypeError("rates must be the table returned by recall_success_rate()")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(6.4, 3.4), layout="constrained")
    curves = [("success", "recalled the letter"), ("reversed", "recalled the reversed letter"),
              ("other_memory", "another letter or its reverse"), ("other", "something else")]
    for k, (name, label) in enumerate(curves):
        ax.plot(rates["noise"], rates[name], label=label, color=PALETTE[k],
                linestyle=LINESTYLES[k], marker="os^D"[k], markersize=4, linewidth=2)
    ax.axvline(0.5, color="#777777", linewidth=1, linestyle=":")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel("noise level (fraction of pixels flipped)")
    ax.set_ylabel(f"fraction of {int(rates['trials'][0])} trials")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if title:
        ax.set_title(title)
    return ax


def plot_sync_vs_async(async_result, sync_result, n_frames=6, size=1.05, pattern_shape=None):
    """The same cue recalled both ways: a row of states and the energy for each.

    Parameters
    ----------
    async_result, sync_result : RecallResult
        Recalls of the same cue with ``update="async"`` and ``update="sync"``.
    n_frames : int >= 2
        States drawn per row: the start and each change (see :func:`plot_changes`).
    size : float
        Width of one frame in inches.
    pattern_shape : tuple, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    for result, name, mode in ((async_result, "async_result", "async"),
                               (sync_result, "sync_result", "sync")):
        if not isinstance(result, RecallResult):
            raise TypeError(f"{name} must be a RecallResult, got {type(result).__name__}")
        if result.update != mode:
            raise ValueError(f"{name} must come from a recall with update={mode!r}")
    if not np.array_equal(async_result.initial_state, sync_result.initial_state):
        raise ValueError("async_result and sync_result must start from the same cue")
    n_frames = _check_count(n_frames, "n_frames", minimum=2)
    shape = pattern_shape or async_result.state.shape
    plt = _pyplot()
    fig = plt.figure(figsize=(size * n_frames + 3.4, 2 * (size + 0.45)), layout="constrained")
    grid = fig.add_gridspec(2, n_frames + 1, width_ratios=[1] * n_frames + [3.0 / size])
    for row, (result, name) in enumerate(((async_result, "async"), (sync_result, "sync"))):
        steps = _change_frames(result, n_frames)
        axes = [fig.add_subplot(grid[row, k]) for k in range(n_frames)]
        _draw_change_frames(axes, result, steps, shape)
        for ax in axes[len(steps):]:
            ax.axis("off")
        verdict = "fixed point" if result.converged else "not settled"
        axes[0].set_ylabel(f"{name}\n({verdict})", fontsize=10)
        plot_energy(result, ax=fig.add_subplot(grid[row, n_frames]))
    return fig


class PatternDrawer:
    """A grid of toggle buttons to draw a small +1/-1 pattern with the mouse.

    A pressed (dark) button is ink (+1), a released one background (-1). Build it with
    :func:`pattern_drawer`.

    Attributes
    ----------
    buttons : list of ipywidgets.ToggleButton
        One per pixel, row by row.
    widget : ipywidgets.VBox
        What is displayed: the grid, and "clear" and "invert" buttons.
    """

    def __init__(self, shape=(5, 5), start=None, pixel_size=38):
        import ipywidgets as widgets

        shape = _check_shape(shape)
        if len(shape) != 2:
            raise ValueError(f"shape must be (rows, columns), got {shape!r}")
        if shape[0] * shape[1] > 400:
            raise ValueError(f"shape {shape} has too many pixels to click (at most 400)")
        pixel_size = _check_count(pixel_size, "pixel_size", minimum=10)
        self.shape = shape
        px = f"{pixel_size}px"
        self.buttons = []
        for r in range(shape[0]):
            for c in range(shape[1]):
                button = widgets.ToggleButton(
                    value=False, tooltip=f"row {r}, column {c}",
                    layout=widgets.Layout(width=px, height=px, padding="0", margin="0"))
                button.add_class("hh-pixel")
                self.buttons.append(button)
        # A pressed pixel is drawn in black ink; without this style it is only darker.
        css = widgets.HTML(
            "<style>.hh-pixel{background-color:#ffffff !important;border:1px solid #999999 "
            "!important;box-shadow:none !important}.hh-pixel.mod-active{background-color:"
            "#000000 !important}</style>")
        grid = widgets.GridBox(self.buttons, layout=widgets.Layout(
            grid_template_columns=f"repeat({shape[1]}, {px})", grid_gap="2px",
            width="max-content"))
        self.clear_button = widgets.Button(description="clear",
                                           layout=widgets.Layout(width="80px"))
        self.invert_button = widgets.Button(description="invert",
                                            layout=widgets.Layout(width="80px"))
        self.clear_button.on_click(lambda _: self.clear())
        self.invert_button.on_click(lambda _: self.invert())
        self.widget = widgets.VBox([css, grid, widgets.HBox([self.clear_button,
                                                             self.invert_button])])
        if start is not None:
            self.pattern = start

    @property
    def pattern(self) -> np.ndarray:
        """The drawing as +1 (ink) / -1 (background), int8 of shape ``shape``.

        Set it to a +1/-1 array of that shape to draw in code.
        """
        values = np.array([1 if b.value else -1 for b in self.buttons], dtype=np.int8)
        return values.reshape(self.shape)

    @pattern.setter
    def pattern(self, value):
        arr = _check_pm1(value, "pattern")
        if arr.shape != self.shape:
            raise ValueError(f"pattern must have shape {self.shape}, got {arr.shape}")
        for button, v in zip(self.buttons, arr.reshape(-1)):
            button.value = bool(v > 0)

    def clear(self) -> np.ndarray:
        """Set every pixel to background; return the pattern."""
        self.pattern = -np.ones(self.shape, dtype=np.int8)
        return self.pattern

    def invert(self) -> np.ndarray:
        """Swap ink and background; return the pattern."""
        self.pattern = -self.pattern
        return self.pattern

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def pattern_drawer(shape=(5, 5), start=None) -> PatternDrawer:
    """A clickable grid to draw a pattern: click a square to switch it between ink and
    background.

    Parameters
    ----------
    shape : tuple (rows, columns)
        At most 400 pixels.
    start : array_like of +1/-1 with that shape, optional
        What is drawn at first (default: all background).

    Returns
    -------
    PatternDrawer
        Display it by leaving it as the last line of a cell; read the drawing with
        ``drawer.pattern``, or set it in code with ``drawer.pattern = ...``.
    """
    return PatternDrawer(shape=shape, start=start)


def _memory_rows(network, names, noise, trials, steps, update, seed, n_stored):
    """One row per stored pattern: fixed point?, success from ``noise``, and the state
    the network settles in when it starts exactly at the pattern."""
    n = network.n_neurons
    stored = network.patterns.reshape(network.n_patterns, n)
    fractions = _recall_outcomes(network, stored, [noise], trials, steps, update, seed)
    table = np.zeros(network.n_patterns, dtype=[
        ("n_stored", "i8"), ("letter", "U12"), ("fixed_point", "?"), ("success", "f8"),
        ("changed", "i8"), ("settled", "i1", network.pattern_shape)])
    # Started exactly at each pattern, with the update order of trial 0.
    first_seed = int(_trial_seeds(seed, 1)[0])
    order = network._sweep_order(steps, np.random.default_rng(first_seed))
    settled = _batch_final_states(network, stored, np.tile(order, (network.n_patterns, 1)),
                                  steps, update)
    table["n_stored"] = n_stored
    table["letter"] = list(names)
    table["fixed_point"] = network._stable_mask(stored).all(axis=1)
    table["success"] = fractions[:, 0, 0]
    table["changed"] = np.count_nonzero(settled != stored, axis=1)
    table["settled"] = settled.reshape((-1,) + network.pattern_shape)
    return table


def memory_test(letters, counts, noise=0.1, trials=50, steps=None, update="async", seed=0):
    """Store the first few letters of ``letters``, then more, and test every one of them.

    For each count ``c`` in ``counts``, a Hebbian network stores ``letters[:c]``; each
    stored letter is checked (is it a fixed point?) and recalled from ``trials`` noisy
    copies (as in :func:`recall_success_rate`).

    Parameters
    ----------
    letters : sequence of str
        Letter names (see :func:`available_letters`), in the order they are added.
    counts : sequence of int
        How many letters to store each time, each between 1 and ``len(letters)``.
    noise : float in [0, 1]
    trials : int >= 1
    steps : int, optional
        Default 3 sweeps (75 updates) for async, 12 for sync.
    update : {"async", "sync"}
    seed : int >= 0

    Returns
    -------
    ndarray, structured, one row per (count, stored letter), with fields
        ``n_stored``; ``letter``; ``fixed_point`` (the clean letter stays as it is);
        ``success`` (fraction recalled exactly from the noisy copies); ``changed``
        (pixels the network changes when it starts exactly at the letter); ``settled``
        (the state it settles in from there, shape (5, 5)).
    """
    patterns = letter_patterns(letters)
    names = list(letters)
    counts = [_check_count(c, "counts", minimum=1) for c in np.atleast_1d(counts).tolist()]
    for c in counts:
        if c > len(names):
            raise ValueError(f"counts must be at most the number of letters ({len(names)}), got {c}")
    noise = _check_level(noise, "noise")
    rows = []
    for c in counts:
        network = HopfieldNetwork(patterns[:c])
        t, s = _check_recall_args(network, trials, steps, update)
        rows.append(_memory_rows(network, names[:c], noise, t, s, update, seed, c))
    return np.concatenate(rows)


def _draw_memory_cell(ax, row, stored):
    """One stored letter: the state the network settles in from it, with the pixels it
    changed outlined, titled with its success rate."""
    _draw_pattern(ax, _display_array(row["settled"]), None)
    _outline_pixels(ax, row["settled"] != stored)
    verdict = f"{row['success']:.0%}" if row["fixed_point"] else "breaks"
    ax.set_title(f"{row['letter']}: {verdict}", fontsize=9)


def plot_memory_test(table, stored=None, size=0.85, ncols=12, title=None):
    """Draw a :func:`memory_test` table: one row of letters per number stored.

    Each letter is drawn as the network leaves it when it starts exactly at that letter;
    pixels it changed are outlined. The title gives the success rate from noisy copies,
    or "breaks" if the letter itself is not a fixed point.

    Parameters
    ----------
    table : structured ndarray from :func:`memory_test` (or a letter lab)
    stored : dict of str -> array, optional
        Patterns for names that :func:`letter_pattern` does not know (a drawn letter).
    size : float
        Width of one letter in inches.
    ncols : int
        Letters per row before wrapping.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(table, np.ndarray) or table.dtype.names is None or \
            "settled" not in table.dtype.names:
        raise TypeError("table must be the table returned by memory_test()")
    ncols = _check_count(ncols, "ncols", minimum=1)
    stored = dict(stored or {})
    counts = list(dict.fromkeys(table["n_stored"].tolist()))
    groups = [table[table["n_stored"] == c] for c in counts]
    lines = []  # (label, rows) per drawn line of letters
    for c, group in zip(counts, groups):
        for start in range(0, len(group), ncols):
            lines.append((f"{c} stored" if start == 0 else "", group[start:start + ncols]))
    width = min(ncols, max(len(rows) for _, rows in lines))
    plt = _pyplot()
    title_height = 0.0 if not title else 0.3 * (1 + title.count("\n"))
    fig, axes = plt.subplots(len(lines), width, figsize=(max(size * width + 0.6, 4.2),
                             (size + 0.3) * len(lines) + title_height),
                             squeeze=False, layout="constrained")
    for (label, rows), ax_row in zip(lines, axes):
        for k, ax in enumerate(ax_row):
            if k >= len(rows):
                ax.axis("off")
                continue
            name = str(rows[k]["letter"])
            clean = stored[name] if name in stored else letter_pattern(name)
            _draw_memory_cell(ax, rows[k], np.asarray(clean))
        ax_row[0].set_ylabel(label, fontsize=10)
    if title:
        fig.suptitle(title)
    return fig


class LetterLab:
    """Store a drawn letter together with other letters and test them all.

    Build it with :func:`letter_lab`. Pressing "store and test" (or calling :meth:`run`)
    stores the drawing, the base letters and any extra letters switched on, then checks
    every stored letter: is it still a fixed point, and how often is it recalled from a
    noisy copy?

    Attributes
    ----------
    drawer : PatternDrawer
    extra : dict of str -> ipywidgets.ToggleButton
        Extra letters to store too; switch some on to store more.
    noise : ipywidgets.FloatSlider
    table : structured ndarray or None
        The last test (see :func:`memory_test` for the fields).
    image : ipywidgets.Image
        The last test's picture (a PNG: a redraw is a widget update, not a new output).
    widget : ipywidgets.VBox
    """

    def __init__(self, drawer=None, letters=("X", "O", "+"), noise=0.1, trials=40,
                 update="async", seed=0, name="yours"):
        import ipywidgets as widgets

        if drawer is None:
            drawer = PatternDrawer()
        if not isinstance(drawer, PatternDrawer):
            raise TypeError(f"drawer must be a PatternDrawer, got {type(drawer).__name__}")
        self.drawer = drawer
        letter_patterns(letters)  # checks every name
        self.letters = list(letters)
        if not isinstance(name, str) or not name:
            raise TypeError(f"name must be a non-empty string, got {name!r}")
        self.name = name
        self.trials = _check_count(trials, "trials", minimum=1)
        if update not in ("async", "sync"):
            raise ValueError(f"update must be 'async' or 'sync', got {update!r}")
        self.update = update
        self.seed = _check_count(seed, "seed")
        self.extra = {
            letter: widgets.ToggleButton(description=letter, value=False,
                                         layout=widgets.Layout(width="40px"))
            for letter in available_letters() if letter not in self.letters
        }
        self.noise = widgets.FloatSlider(
            value=_check_level(noise, "noise"), min=0.0, max=1.0, step=0.01,
            description="noise level", readout_format=".2f", continuous_update=False,
            style={"description_width": "80px"}, layout=widgets.Layout(width="360px"))
        self.button = widgets.Button(description="store and test", button_style="primary",
                                     layout=widgets.Layout(width="140px"))
        self.button.on_click(lambda _: self.run())
        # Moving the noise level re-tests what is stored, so the slider is never a dead end.
        self.noise.observe(lambda _: self.run() if self.table is not None else None,
                           names="value")
        # Natural size (not stretched to the panel's width), shrunk only if too wide.
        self.image = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start"))
        self.table = None
        extra_box = widgets.HBox(list(self.extra.values()),
                                 layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([
            widgets.HTML(f"also store (with {self.name}, {', '.join(self.letters)}):"),
            extra_box,
            widgets.HBox([self.noise, self.button]),
            self.image,
        ])

    def stored_names(self) -> list:
        """The names that :meth:`run` stores: the drawing first, then the letters."""
        return [self.name] + self.letters + [k for k, b in self.extra.items() if b.value]

    def run(self) -> np.ndarray:
        """Store the drawing and the letters, test each one, and draw the verdict.

        Returns
        -------
        structured ndarray, one row per stored pattern (the drawing first)
            Fields as in :func:`memory_test`.
        """
        names = self.stored_names()
        drawing = self.drawer.pattern
        network = HopfieldNetwork(np.concatenate([drawing[None], letter_patterns(names[1:])]))
        trials, steps = _check_recall_args(network, self.trials, None, self.update)
        self.table = _memory_rows(network, names, self.noise.value, trials, steps, self.update,
                                  self.seed, len(names))
        kept = int(self.table["fixed_point"].sum())
        fig = plot_memory_test(
            self.table, stored={self.name: drawing}, size=1.1, ncols=10,
            title=f"{len(names)} stored, {kept} still fixed points\n"
                  f"recalled from {self.noise.value:.0%} noise in {trials} trials")
        _pyplot().close(fig)
        self.image.value = _figure_png(fig)
        return self.table

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def letter_lab(drawer=None, letters=("X", "O", "+"), noise=0.1, trials=40, seed=0):
    """A "store and test" panel for a drawn letter (see :class:`LetterLab`).

    Parameters
    ----------
    drawer : PatternDrawer, optional
        Where the letter is drawn (a new grid if not given).
    letters : sequence of str
        The letters always stored with the drawing.
    noise : float in [0, 1]
        Starting noise level of the test.
    trials : int >= 1
        Noisy copies per stored letter.
    seed : int >= 0

    Returns
    -------
    LetterLab
    """
    return LetterLab(drawer=drawer, letters=letters, noise=noise, trials=trials, seed=seed)


class LettersExplorer:
    """A :class:`RecallExplorer` over stored letters, with a menu for the cue's letter.

    Changing the letter runs one new recall (as the noise, seed and update controls do);
    the step slider only scrubs through the recall already made. Build it with
    :func:`letters_explorer`.

    Attributes
    ----------
    letter : ipywidgets.Dropdown
    explorer : RecallExplorer
        Its ``noise``, ``step``, ``seed`` and ``update`` controls are this explorer's too.
    network : HopfieldNetwork
        Stores all the letters.
    widget : ipywidgets.VBox
    """

    def __init__(self, letters=("X", "O", "+"), letter=None, noise=0.2, seed=0,
                 update="async", steps=None):
        import ipywidgets as widgets

        self.letters = list(letters)
        self.patterns = letter_patterns(self.letters)
        if len(set(self.letters)) != len(self.letters):
            raise ValueError(f"letters must not repeat, got {self.letters}")
        letter = self.letters[0] if letter is None else letter
        if letter not in self.letters:
            raise ValueError(f"letter must be one of {self.letters}, got {letter!r}")
        self.network = HopfieldNetwork(self.patterns)
        self.explorer = RecallExplorer(
            self.network, self.patterns[self.letters.index(letter)], noise=noise, steps=steps,
            seed=seed, update=update, labels=self.letters, title=f"cue made from {letter}")
        self.letter = widgets.Dropdown(options=self.letters, value=letter,
                                       description="letter", style={"description_width": "90px"},
                                       layout=widgets.Layout(width="200px"))
        self.letter.observe(self._on_letter_change, names="value")
        self.widget = widgets.VBox([self.letter, self.explorer.widget])

    def _on_letter_change(self, change):
        explorer = self.explorer
        explorer.pattern = self.patterns[self.letters.index(change["new"])]
        explorer.figure.suptitle(f"cue made from {change['new']}")
        explorer._recompute()

    @property
    def result(self) -> RecallResult:
        """The recall shown now."""
        return self.explorer.result

    def explore(self, letter=None, noise=None, step=None, seed=None, update=None) -> np.ndarray:
        """Set any control as a student would, and return the state shown.

        Parameters
        ----------
        letter : str, optional
            One of the stored letters.
        noise, step, seed, update : optional
            As in :meth:`RecallExplorer.explore`.

        Returns
        -------
        ndarray of int8, shape (5, 5)
        """
        if letter is not None:
            if letter not in self.letters:
                raise ValueError(f"letter must be one of {self.letters}, got {letter!r}")
            self.letter.value = letter
        return self.explorer.explore(noise=noise, step=step, seed=seed, update=update)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def letters_explorer(letters=("X", "O", "+"), letter=None, noise=0.2, seed=0, update="async",
                     steps=None) -> LettersExplorer:
    """Sliders for a recall of noisy letters: letter, noise level, step, seed, update mode.

    Parameters
    ----------
    letters : sequence of str
        The letters the network stores (and the menu offers).
    letter : str, optional
        The letter the first cue is made from (default the first).
    noise : float in [0, 1]
    seed : int >= 0
    update : {"async", "sync"}
    steps : int, optional
        Length of each recall (default 3 sweeps, 75 updates, for async; 12 for sync).

    Returns
    -------
    LettersExplorer
        Display it by leaving it as the last line of a cell; drive it in code with
        ``.explore(letter=..., noise=..., step=..., seed=..., update=...)``.
    """
    return LettersExplorer(letters=letters, letter=letter, noise=noise, seed=seed,
                           update=update, steps=steps)


# ---- Lesson 05: beyond Hebb ----
# One recall call for every kind of memory, side-by-side comparisons, capacity per rule,
# a temperature slider and annealing, the dense-n and modern-beta sliders, and costs.

_HEBB_LOAD_05 = 0.138  # Amit, Gutfreund and Sompolinsky (1985): Hebb's large-N capacity


def _check_memory(memory, name: str = "memory"):
    """Raise unless ``memory`` is one of the module's pattern memories."""
    kinds = (HopfieldNetwork, DenseAssociativeMemory, ModernHopfieldNetwork)
    if not isinstance(memory, kinds):
        raise TypeError(f"{name} must be a HopfieldNetwork, DenseAssociativeMemory or "
                        f"ModernHopfieldNetwork, got {type(memory).__name__}")
    return memory


def _check_memories(memories, name: str = "memories") -> dict:
    if not isinstance(memories, dict) or not memories:
        raise TypeError(f"{name} must be a non-empty dict of name -> memory")
    for key, memory in memories.items():
        _check_memory(memory, f"{name}[{key!r}]")
    return memories


def recall_with(memory, cue, sweeps: int = 5, seed=None) -> RecallResult:
    """Recall ``cue`` with any memory of this module, in the way that suits it.

    Parameters
    ----------
    memory : HopfieldNetwork, DenseAssociativeMemory or ModernHopfieldNetwork
    cue : array_like of +1/-1, the memory's pattern shape (or N values)
    sweeps : int >= 1
        For the classic and the dense networks: asynchronous sweeps, ``sweeps * N``
        neuron updates in all. The modern network always makes a single update (its
        whole recall), whatever ``sweeps`` says.
    seed : int, numpy.random.Generator or None
        The order of the async updates (unused by the modern network).

    Returns
    -------
    RecallResult
        For the modern network its ``state`` holds real numbers in [-1, 1].
    """
    _check_memory(memory)
    sweeps = _check_count(sweeps, "sweeps", minimum=1)
    if isinstance(memory, ModernHopfieldNetwork):
        memory._flat_state(cue, "cue")  # the same +1/-1 check as the others
        return memory.recall(cue, steps=1)
    return memory.recall(cue, sweeps * memory.n_neurons, seed=seed)


def _sign_flat(state, size: int) -> np.ndarray:
    """``sign(state)`` flattened (0 stays 0), checked to hold ``size`` finite numbers."""
    try:
        arr = np.asarray(state, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise TypeError("state must be an array of numbers") from None
    if arr.size != size:
        raise ValueError(f"state has {arr.size} values but the patterns have {size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("state must be finite (no NaN or infinity)")
    return np.sign(arr).astype(np.int8)


def classify_state(patterns, state) -> tuple:
    """What a (possibly real-valued) final state is, judged by its signs.

    Parameters
    ----------
    patterns : array_like (P, ...) of +1/-1
        The stored patterns.
    state : array_like of numbers, the size of one pattern
        Real values (a modern network's output) are judged by their sign; a 0 matches
        nothing.

    Returns
    -------
    (kind, members, overlap) : (str, tuple of int, float)
        ``kind`` is ``"stored"`` (``sign(state)`` equals pattern ``members[0]``),
        ``"reversed"``, ``"blend"`` (equals ``sign(+-a +- b +- c)`` for the three
        patterns ``members``) or ``"other"`` (``members[0]`` is then the most similar
        pattern). ``overlap`` is the overlap of ``sign(state)`` with ``members[0]``.
    """
    x = _stack_patterns(patterns)
    flat = x.reshape(x.shape[0], -1).astype(np.int64)
    s = _sign_flat(state, flat.shape[1])
    m = flat @ s / flat.shape[1]
    best = int(np.argmax(np.abs(m)))
    if abs(m[best]) == 1.0:
        return ("stored" if m[best] > 0 else "reversed", (best,), float(m[best]))
    # The same 3-mixtures (and order) as which_memory; a mixture's reverse counts too.
    trios, bank = _mixture_bank(flat)
    hits = np.flatnonzero(np.abs(bank @ s) == flat.shape[1]) if len(trios) else []
    if len(hits):
        trio = trios[hits[0]]
        return ("blend", trio, float(m[trio[0]]))
    best = int(np.argmax(m))
    return ("other", (best,), float(m[best]))


def describe_state(patterns, state, labels) -> str:
    """A short name for a final state: ``"7"``, ``"reversed 7"``, ``"blend 4+7+9"`` or
    ``"other (near 7)"``; see :func:`classify_state`.

    Parameters
    ----------
    patterns : array_like (P, ...) of +1/-1
    state : array_like of numbers, the size of one pattern
    labels : sequence of P str

    Returns
    -------
    str
    """
    x = _stack_patterns(patterns)
    if labels is None or len(labels) != x.shape[0]:
        raise ValueError(f"labels must name each of the {x.shape[0]} patterns")
    kind, members, _ = classify_state(x, state)
    names = [str(labels[k]) for k in members]
    if kind == "stored":
        return names[0]
    if kind == "reversed":
        return f"reversed {names[0]}"
    if kind == "blend":
        return "blend " + "+".join(names)
    return f"other (near {names[0]})"


def recall_rows(memories, cues, sweeps: int = 5, seed=None) -> dict:
    """Recall every cue with every memory: the same cues, the same update orders.

    Parameters
    ----------
    memories : dict of str -> memory
        E.g. ``{"Hebb": HopfieldNetwork(x), "dense n=3": DenseAssociativeMemory(x, 3)}``.
    cues : array_like (K, ...) or sequence of K +1/-1 arrays
    sweeps : int
        See :func:`recall_with`.
    seed : int or None
        Cue ``k`` is recalled with seed ``seed + k`` by every memory (0 + k if None).

    Returns
    -------
    dict of str -> list of K RecallResult
    """
    _check_memories(memories)
    cues = _stack_patterns(cues, "cues")
    base = 0 if seed is None else _check_count(seed, "seed")
    return {name: [recall_with(memory, cue, sweeps, seed=base + k) for k, cue in enumerate(cues)]
            for name, memory in memories.items()}


def plot_recall_rows(rows, cues, patterns, labels, blocks: int = 1, size: float = 1.15,
                     suptitle=None, cue_titles=None):
    """A grid: the noisy cues on top, then one row of final states per memory.

    Parameters
    ----------
    rows : dict of str -> list of K RecallResult, from :func:`recall_rows`
    cues : array_like (K, ...) of +1/-1
        Drawn in the top row (of each block).
    patterns : array_like (P, ...) of +1/-1
        The stored patterns, to name each final state (:func:`describe_state`).
    labels : sequence of P str
    blocks : int >= 1
        Split the memories into this many blocks side by side (each with its own cue row),
        so a long list fits a wide screen.
    size : float
        Width of one small picture, in inches.
    suptitle : str, optional
    cue_titles : sequence of K str, optional
        Titles over the cues (default "cue 1", "cue 2", ...).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(rows, dict) or not rows:
        raise TypeError("rows must be a non-empty dict name -> list of RecallResult")
    cues = _stack_patterns(cues, "cues")
    x = _stack_patterns(patterns)
    k = cues.shape[0]
    for name, results in rows.items():
        if len(results) != k or not all(isinstance(r, RecallResult) for r in results):
            raise ValueError(f"rows[{name!r}] must hold {k} RecallResults, one per cue")
    blocks = _check_count(blocks, "blocks", minimum=1)
    if cue_titles is None:
        cue_titles = [f"cue {j + 1}" for j in range(k)]
    elif len(cue_titles) != k:
        raise ValueError(f"cue_titles must have one title per cue ({k}), got {len(cue_titles)}")
    names = list(rows)
    per_block = -(-len(names) // blocks)
    shape = x.shape[1:] if x.ndim == 3 else (1, -1)
    plt = _pyplot()
    ncols = blocks * k + (blocks - 1)  # a thin empty column between blocks
    widths = ([1] * k + [0.25]) * (blocks - 1) + [1] * k
    fig, axes = plt.subplots(per_block + 1, ncols, squeeze=False, layout="constrained",
                             figsize=(size * sum(widths) + 0.9 * blocks,
                                      (size + 0.3) * (per_block + 1)),
                             gridspec_kw={"width_ratios": widths})
    for b in range(blocks):
        first = b * (k + 1)
        for j in range(k):
            ax = axes[0, first + j]
            _draw_pattern(ax, _display_array(cues[j].reshape(shape)), str(cue_titles[j]))
            if j == 0:
                ax.set_ylabel("noisy cue", fontsize=10)
        for r in range(per_block):
            index = b * per_block + r
            for j in range(k):
                ax = axes[r + 1, first + j]
                if index >= len(names):
                    ax.axis("off")
                    continue
                state = np.clip(np.asarray(rows[names[index]][j].state, np.float64), -1, 1)
                _draw_pattern(ax, _display_array(state.reshape(shape)),
                              describe_state(x, state, labels))
                if j == 0:
                    ax.set_ylabel(names[index], fontsize=10)
        if b < blocks - 1:
            for r in range(per_block + 1):
                axes[r, first + k].axis("off")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def retrieval_tally(memories, patterns, noise: float = 0.15, seeds=range(10),
                    sweeps: int = 5) -> dict:
    """Count how each memory ends from many noisy cues: a fair, repeated comparison.

    For every seed and every stored pattern ``k`` one cue is made
    (``add_noise(patterns[k], noise, seed=1000 * seed + k)``); every memory recalls the
    very same cues with the same seeds.

    Parameters
    ----------
    memories : dict of str -> memory, all storing ``patterns``
    patterns : array_like (P, ...) of +1/-1
    noise : float in [0, 1]
    seeds : sequence of int
    sweeps : int

    Returns
    -------
    dict of str -> dict of str -> int
        Per memory, how many recalls ended ``"right"`` (the cue's own pattern),
        ``"wrong"`` (another stored pattern), in a ``"blend"`` (a 3-mixture) or
        ``"other"`` (anything else, reversed patterns included).
    """
    _check_memories(memories)
    x = _stack_patterns(patterns)
    noise = _check_level(noise, "noise")
    seeds = [_check_count(s, "seeds") for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed")
    for name, memory in memories.items():
        if memory.n_neurons != x[0].size:
            raise ValueError(f"memories[{name!r}] has {memory.n_neurons} neurons, "
                             f"the patterns {x[0].size}")
    cues = [(k, seed, add_noise(x[k], noise, seed=1000 * seed + k))
            for seed in seeds for k in range(x.shape[0])]
    tally = {}
    for name, memory in memories.items():
        counts = {"right": 0, "wrong": 0, "blend": 0, "other": 0}
        for k, seed, cue in cues:
            kind, members, _ = classify_state(x, recall_with(memory, cue, sweeps, seed).state)
            if kind == "stored":
                counts["right" if members[0] == k else "wrong"] += 1
            else:
                counts["blend" if kind == "blend" else "other"] += 1
        tally[name] = counts
    return tally


def tally_table(tally) -> str:
    """A :func:`retrieval_tally` as a small text table, one row per memory."""
    if not isinstance(tally, dict) or not tally:
        raise TypeError("tally must be a non-empty dict from retrieval_tally()")
    width = max(len(str(name)) for name in tally) + 2
    lines = [f"{'':{width}s}{'right':>7s}{'wrong':>7s}{'blend':>7s}{'other':>7s}"]
    for name, counts in tally.items():
        lines.append(f"{str(name):{width}s}" + "".join(
            f"{counts[key]:7d}" for key in ("right", "wrong", "blend", "other")))
    return "\n".join(lines)


def capacity_by_rule(builders, n_neurons: int, loads, trials: int = 8, noise=0.0,
                     sweeps: int = 5, recalled_overlap: float = 0.9, seed=None) -> dict:
    """Capacity of several learning rules on the same random patterns and cues.

    For each load and trial, ``P = round(load * N)`` random patterns are drawn once and
    given to every builder; one stored pattern (picked at random, since some rules favour
    the patterns learned last) is the target. For each noise level one cue is made from it
    (that fraction of its pixels flipped), and every memory recalls the very same cue with
    the same seed (:func:`recall_with`).

    Parameters
    ----------
    builders : dict of str -> callable
        ``builders[name](patterns)`` makes a memory from patterns of shape (P, N).
    n_neurons : int >= 2
    loads : sequence of float > 0
        P / N values to try.
    trials : int >= 1
    noise : float in [0, 1], or a sequence of them
        0 starts the recall exactly at the stored pattern (is it stable?). Several levels
        reuse the same networks.
    sweeps : int >= 1
    recalled_overlap : float in (0, 1]
    seed : int, numpy.random.Generator or None

    Returns
    -------
    dict of str -> ndarray, a tidy table with one row per (rule, load, trial, noise):
        ``"rule"`` (str), ``"P"``, ``"load"`` (P/N), ``"trial"``, ``"noise"``,
        ``"overlap"`` (of the signs of the final state with the target), ``"recalled"``
        (overlap >= ``recalled_overlap``) and ``"exact"`` (overlap == 1).
    """
    if not isinstance(builders, dict) or not builders:
        raise TypeError("builders must be a non-empty dict of name -> callable(patterns)")
    for name, build in builders.items():
        if not callable(build):
            raise TypeError(f"builders[{name!r}] must be callable, got {type(build).__name__}")
    n = _check_count(n_neurons, "n_neurons", minimum=2)
    loads = np.atleast_1d(np.asarray(loads, dtype=np.float64))
    if loads.size == 0 or not np.all(np.isfinite(loads)) or np.any(loads <= 0):
        raise ValueError("loads must be positive numbers (P / N)")
    trials = _check_count(trials, "trials", minimum=1)
    levels = [noise] if isinstance(noise, numbers.Real) else list(np.atleast_1d(noise))
    if not levels:
        raise ValueError("noise is empty: give at least one noise level")
    levels = [_check_level(float(level) if isinstance(level, np.floating) else level, "noise")
              for level in levels]
    sweeps = _check_count(sweeps, "sweeps", minimum=1)
    recalled_overlap = _check_level(recalled_overlap, "recalled_overlap")
    rng = _rng(seed)
    rows = []
    for load in loads:
        p = max(1, int(round(load * n)))
        for trial in range(trials):
            x = random_patterns(p, n, seed=rng)
            target = int(rng.integers(p))
            cues = [add_noise(x[target], level, seed=rng) for level in levels]
            recall_seed = int(rng.integers(2**31))
            for name, build in builders.items():
                memory = _check_memory(build(x), f"builders[{name!r}](patterns)")
                for level, cue in zip(levels, cues):
                    state = recall_with(memory, cue, sweeps, seed=recall_seed).state
                    q = float(_sign_flat(state, n).astype(np.int64) @ x[target] / n)
                    rows.append((name, p, p / n, trial, level, q))
    table = {"rule": np.array([r[0] for r in rows])}
    for j, key in enumerate(("P", "load", "trial", "noise", "overlap"), start=1):
        table[key] = np.array([r[j] for r in rows])
    table["recalled"] = table["overlap"] >= recalled_overlap - 1e-12
    table["exact"] = table["overlap"] == 1.0
    return table


def _rows_at_noise(table, noise, needed) -> np.ndarray:
    """Validate a capacity_by_rule table; a mask of its rows at noise level ``noise``."""
    if not isinstance(table, dict) or any(key not in table for key in needed):
        raise ValueError(f"table must be a capacity_by_rule() table with columns {needed}")
    levels = np.unique(table["noise"]) if "noise" in table else np.zeros(1)
    if noise is None:
        if levels.size > 1:
            raise ValueError(f"the table has several noise levels {levels.tolist()}: "
                             f"choose one with noise=")
        return np.ones(len(table["rule"]), dtype=bool)
    mask = table["noise"] == noise
    if not mask.any():
        raise ValueError(f"noise {noise!r} is not in the table; it has {levels.tolist()}")
    return mask


def plot_capacity_by_rule(table, n_neurons=None, ax=None, column: str = "recalled",
                          title=None, legend: bool = True, nudge: float = 0.012, noise=None):
    """The fraction recalled against the load, one line per rule, with the theory marks.

    Marks Hebb's large-N capacity ``0.138`` and Storkey's ``1 / sqrt(2 ln N)`` (both as
    loads P/N).

    Parameters
    ----------
    table : dict from :func:`capacity_by_rule`
    n_neurons : int, optional
        N, for Storkey's mark (default: read from the table's P and load).
    ax : matplotlib Axes, optional
    column : {"recalled", "exact"}
    title : str, optional
    legend : bool
        Draw the legend (outside the axes, on the right).
    nudge : float >= 0
        Rule k's line is drawn ``nudge * (k - (R - 1) / 2)`` higher, so lines at the same
        height (all at 1.0, say) stay visible side by side.
    noise : float, optional
        Which noise level to draw, if the table has several.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if column not in ("recalled", "exact"):
        raise ValueError(f"column must be 'recalled' or 'exact', got {column!r}")
    at_noise = _rows_at_noise(table, noise, ("rule", "P", "load", column))
    if n_neurons is None:
        n_neurons = int(round(table["P"][0] / table["load"][0]))
    n_neurons = _check_count(n_neurons, "n_neurons", minimum=2)
    if isinstance(nudge, bool) or not isinstance(nudge, numbers.Real) or nudge < 0:
        raise ValueError(f"nudge must be a number >= 0, got {nudge!r}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(5.5, 3.6), layout="constrained")
    rules = list(dict.fromkeys(table["rule"].tolist()))
    for k, rule in enumerate(rules):
        mine = at_noise & (table["rule"] == rule)
        loads = np.unique(table["load"][mine])
        frac = np.array([table[column][mine & (table["load"] == v)].mean() for v in loads])
        frac = frac + nudge * (k - (len(rules) - 1) / 2)
        ax.plot(loads, frac, color=PALETTE[k % len(PALETTE)],
                linestyle=LINESTYLES[k % len(LINESTYLES)], marker="os^Dv"[k % 5],
                markersize=4, linewidth=2, label=rule)
    storkey = 1 / np.sqrt(2 * np.log(n_neurons))
    ax.axvline(_HEBB_LOAD_05, color="#555555", linestyle="--", linewidth=1.2,
               label="Hebb theory: 0.138")
    ax.axvline(storkey, color="#000000", linestyle=":", linewidth=1.5,
               label=f"Storkey theory:\n1/sqrt(2 ln N) = {storkey:.2f}")
    ax.set_ylim(-0.06, 1.06)
    ax.set_xlim(0, None)
    ax.set_xlabel(f"load P / N  (N = {n_neurons})")
    ax.set_ylabel("fraction recalled" if column == "recalled" else "fraction exact")
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if title:
        ax.set_title(title, fontsize=11)
    return ax


def annealing_schedule(start: float, steps: int, end: float = 0.0) -> np.ndarray:
    """A temperature per step, falling in a straight line from ``start`` to ``end``.

    Pass it as ``temperature=`` to :meth:`HopfieldNetwork.recall`.

    Parameters
    ----------
    start, end : float >= 0
    steps : int >= 1

    Returns
    -------
    ndarray of float, shape (steps,)
    """
    for value, name in ((start, "start"), (end, "end")):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                or not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite temperature >= 0, got {value!r}")
    steps = _check_count(steps, "steps", minimum=1)
    return np.linspace(float(start), float(end), steps)


def plot_annealing(result, schedule, labels=None, title=None):
    """An annealed recall: the start, the overlaps as the temperature falls, the end.

    Parameters
    ----------
    result : RecallResult
        From ``recall(..., temperature=schedule)``.
    schedule : array_like, shape (result.steps,)
    labels : sequence of str, optional
        Names of the stored patterns.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(result, RecallResult):
        raise TypeError(f"result must be a RecallResult, got {type(result).__name__}")
    schedule = np.asarray(schedule, dtype=np.float64)
    if schedule.shape != (result.steps,):
        raise ValueError(f"schedule must hold one temperature per step ({result.steps}), "
                         f"got shape {schedule.shape}")
    plt = _pyplot()
    fig = plt.figure(figsize=(10.5, 3.2), layout="constrained")
    grid = fig.add_gridspec(2, 3, width_ratios=[1, 2.6, 1], height_ratios=[2.2, 1])
    ax_start, ax_end = fig.add_subplot(grid[:, 0]), fig.add_subplot(grid[:, 2])
    ax_overlap = fig.add_subplot(grid[0, 1])
    ax_temp = fig.add_subplot(grid[1, 1], sharex=ax_overlap)
    shape = result.initial_state.shape if result.initial_state.ndim == 2 else (1, -1)
    _draw_pattern(ax_start, _display_array(result.initial_state.reshape(shape)), "start")
    plot_overlaps(result, labels=labels, ax=ax_overlap)
    ax_overlap.legend(fontsize=8, loc="center right")
    ax_overlap.set_xlabel("")
    ax_overlap.tick_params(labelbottom=False)
    ax_overlap.set_title("overlaps while the temperature falls", fontsize=10)
    ax_temp.plot(np.arange(1, result.steps + 1), schedule, color=PALETTE[5], linewidth=2)
    ax_temp.set_ylim(0, max(float(schedule.max()), 1e-9) * 1.1)
    ax_temp.set_ylabel("T")
    ax_temp.set_xlabel("neuron updates")
    ax_temp.grid(alpha=0.3)
    _draw_pattern(ax_end, _display_array(result.state.reshape(shape)), "end")
    if title:
        fig.suptitle(title)
    return fig


class _ImageExplorer(_FigureView):
    """This lesson's explorers: a figure drawn once, shown as a PNG (see _FigureView)."""

    dpi = 80


class TemperatureExplorer(_ImageExplorer):
    """A temperature slider: Glauber recall at a fixed temperature from one start state.

    Build it with :func:`temperature_explorer`.

    Attributes
    ----------
    temperature : ipywidgets.FloatSlider
    result : RecallResult
        The recall shown.
    figure : matplotlib.figure.Figure
    widget : ipywidgets.VBox
    """

    def __init__(self, network, start, sweeps=5, seed=0, labels=None, temperature=0.0,
                 t_max=1.5):
        import ipywidgets as widgets

        _check_network(network)
        self.network = network
        self.start = network._flat_state(start, "start").reshape(network.pattern_shape)
        self.sweeps = _check_count(sweeps, "sweeps", minimum=1)
        self.seed = _check_count(seed, "seed")
        if labels is not None and len(labels) != network.n_patterns:
            raise ValueError(f"labels must name each of the {network.n_patterns} stored patterns")
        self.labels = labels or [f"pattern {k}" for k in range(network.n_patterns)]
        if isinstance(t_max, bool) or not isinstance(t_max, numbers.Real) or not t_max > 0:
            raise ValueError(f"t_max must be a number > 0, got {t_max!r}")
        self.temperature = widgets.FloatSlider(
            value=self._check_t(temperature, t_max), min=0.0, max=float(t_max), step=0.05,
            description="temperature", continuous_update=False, readout_format=".2f",
            layout=widgets.Layout(width="420px"), style={"description_width": "90px"})
        self.image = widgets.Image(format="png")
        self._build_figure()
        self._draw(self.temperature.value)
        self.temperature.observe(lambda change: self._draw(change["new"]), names="value")
        self.widget = widgets.VBox([self.temperature, self.image])

    @staticmethod
    def _check_t(value, t_max):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                or not 0 <= value <= t_max:
            raise ValueError(f"temperature must be between 0 and {t_max}, got {value!r}")
        return float(value)

    def _build_figure(self):
        plt = _pyplot()
        fig, axes = plt.subplots(1, 3, figsize=(9.5, 2.7), layout="constrained",
                                 gridspec_kw={"width_ratios": [1, 1, 2.2]})
        shape = self.start.shape if self.start.ndim == 2 else (1, -1)
        _draw_pattern(axes[0], _display_array(self.start.reshape(shape)), "start")
        self._state_image = _draw_pattern(axes[1], _display_array(self.start.reshape(shape)), "")
        n_snaps = 10 * self.sweeps + 1
        sweeps_axis = np.linspace(0, self.sweeps, n_snaps)
        self._lines = []
        for k, label in enumerate(self.labels):
            (line,) = axes[2].plot(sweeps_axis, np.zeros(n_snaps), label=str(label),
                                   color=PALETTE[k % len(PALETTE)],
                                   linestyle=LINESTYLES[k % len(LINESTYLES)], linewidth=2)
            self._lines.append(line)
        axes[2].set_ylim(-0.25, 1.05)
        axes[2].axhline(0, color="#999999", linewidth=0.8)
        axes[2].set_xlim(0, self.sweeps)
        axes[2].set_xlabel("sweeps (N updates each)")
        axes[2].set_ylabel("overlap")
        axes[2].grid(alpha=0.3)
        axes[2].legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
        self._axes = axes
        plt.close(fig)
        self.figure = fig

    def _draw(self, temperature):
        n = self.network.n_neurons
        self.result = self.network.recall(self.start, self.sweeps * n, seed=self.seed,
                                          temperature=temperature, snapshot_every=n // 10 or 1)
        overlaps = self.result.overlaps
        for k, line in enumerate(self._lines):
            line.set_data(self.result.snapshot_steps / n, overlaps[:, k])
        self._state_image.set_data(self.result.state.reshape(self._state_image.get_array().shape))
        kind, members, q = classify_state(self.network.patterns, self.result.state)
        name = self.labels[members[0]]
        off = round((1 - q) / 2 * self.network.n_neurons)
        self._verdict = {"stored": f"exactly {name}", "reversed": f"reversed {name}",
                         "blend": "blend " + "+".join(str(self.labels[k]) for k in members),
                         }.get(kind, f"closest to {name}, {off} pixels off")
        self._axes[1].set_title(f"after {self.sweeps} sweeps", fontsize=10)
        self._axes[2].set_title(f"T = {temperature:.2f}: {self._verdict}", fontsize=10)
        self._show()
        return self.result.state

    def explore(self, temperature=None) -> np.ndarray:
        """Move the slider as a student would; return the final state shown."""
        if temperature is not None:
            self.temperature.value = self._check_t(temperature, self.temperature.max)
        return self.result.state

    @property
    def verdict(self) -> str:
        """What the state shown is, as in the plot's title: ``"exactly star"``,
        ``"blend cat+hi_text+star"``, ``"closest to star, 12 pixels off"`` (the stored pattern
        it overlaps most) or ``"reversed star"``."""
        return self._verdict


def temperature_explorer(network, start, sweeps=5, seed=0, labels=None, temperature=0.0,
                         t_max=1.5) -> TemperatureExplorer:
    """A temperature slider: recall ``start`` for ``sweeps`` sweeps at a fixed temperature.

    Parameters
    ----------
    network : HopfieldNetwork
    start : array_like of +1/-1
        E.g. a mixture state (:func:`mixture_state`).
    sweeps : int
    seed : int
        The same update order and random draws at every temperature.
    labels : sequence of str, optional
    temperature : float
        Starting slider value.
    t_max : float
        The slider's right end.

    Returns
    -------
    TemperatureExplorer
        Display it by leaving it as the last line of a cell.
    """
    return TemperatureExplorer(network, start, sweeps=sweeps, seed=seed, labels=labels,
                               temperature=temperature, t_max=t_max)


class DenseExplorer(_ImageExplorer):
    """An ``n`` slider for a dense associative memory: each cue's recall for that power.

    Build it with :func:`dense_explorer`.

    Attributes
    ----------
    n : ipywidgets.IntSlider
    states : ndarray of int8, shape (K, *pattern_shape)
        The final states shown.
    """

    def __init__(self, patterns, cues, labels, n=3, n_max=8, sweeps=5, seed=0):
        import ipywidgets as widgets

        self.patterns = _stack_patterns(patterns)
        self.cues = _stack_patterns(cues, "cues")
        if self.cues.shape[1:] != self.patterns.shape[1:]:
            raise ValueError(f"cues must have the patterns' shape {self.patterns.shape[1:]}, "
                             f"got {self.cues.shape[1:]}")
        if labels is None or len(labels) != self.patterns.shape[0]:
            raise ValueError(f"labels must name each of the {self.patterns.shape[0]} patterns")
        self.labels = list(labels)
        n_max = _check_count(n_max, "n_max", minimum=2)
        self.sweeps = _check_count(sweeps, "sweeps", minimum=1)
        self.seed = _check_count(seed, "seed")
        self.n = widgets.IntSlider(value=self._check_n(n, n_max), min=2, max=n_max,
                                   description="power n", continuous_update=False,
                                   layout=widgets.Layout(width="360px"))
        self.image = widgets.Image(format="png")
        self._build_figure()
        self._draw(self.n.value)
        self.n.observe(lambda change: self._draw(change["new"]), names="value")
        self.widget = widgets.VBox([self.n, self.image])

    @staticmethod
    def _check_n(n, n_max):
        n = _check_count(n, "n", minimum=2)
        if n > n_max:
            raise ValueError(f"n must be between 2 and {n_max}, got {n}")
        return n

    def _build_figure(self):
        plt = _pyplot()
        k = self.cues.shape[0]
        fig, axes = plt.subplots(2, k, figsize=(1.7 * k + 0.6, 3.9), squeeze=False,
                                 layout="constrained")
        shape = self.patterns.shape[1:] if self.patterns.ndim == 3 else (1, -1)
        self._images = []
        for j in range(k):
            _draw_pattern(axes[0, j], _display_array(self.cues[j].reshape(shape)), f"cue {j + 1}")
            self._images.append(_draw_pattern(axes[1, j],
                                              _display_array(self.cues[j].reshape(shape)), ""))
        axes[0, 0].set_ylabel("noisy cue")
        axes[1, 0].set_ylabel("recalled")
        self._axes = axes
        plt.close(fig)
        self.figure = fig

    def _draw(self, n):
        memory = DenseAssociativeMemory(self.patterns, n=n)
        results = [memory.recall(cue, self.sweeps * memory.n_neurons, seed=self.seed + j)
                   for j, cue in enumerate(self.cues)]
        self.states = np.stack([r.state for r in results])
        self.verdicts = [describe_state(self.patterns, s, self.labels) for s in self.states]
        for image, state, verdict in zip(self._images, self.states, self.verdicts):
            image.set_data(state.reshape(image.get_array().shape))
            image.axes.set_title(verdict, fontsize=10)
        self.figure.suptitle(f"dense memory, F(x) = x^{n}", fontsize=11)
        self._show()
        return self.states

    def explore(self, n=None) -> np.ndarray:
        """Move the slider as a student would; return the final states, (K, *shape)."""
        if n is not None:
            self.n.value = self._check_n(n, self.n.max)
        return self.states


def dense_explorer(patterns, cues, labels, n=3, n_max=8, sweeps=5, seed=0) -> DenseExplorer:
    """A power-``n`` slider for :class:`DenseAssociativeMemory` on fixed noisy cues.

    Parameters
    ----------
    patterns : array_like (P, ...) of +1/-1
        Stored afresh for every ``n``.
    cues : array_like (K, ...) of +1/-1
        Each recalled with seed ``seed + k`` (the same as :func:`recall_rows`).
    labels : sequence of P str
    n, n_max : int
        Starting power and the slider's right end (from 2).
    sweeps, seed : int

    Returns
    -------
    DenseExplorer
        Display it by leaving it as the last line of a cell.
    """
    return DenseExplorer(patterns, cues, labels, n=n, n_max=n_max, sweeps=sweeps, seed=seed)


class BetaExplorer(_ImageExplorer):
    """A (log-scale) ``beta`` slider for a modern Hopfield network and one cue.

    Build it with :func:`beta_explorer`.

    Attributes
    ----------
    beta : ipywidgets.FloatLogSlider
    output : ndarray of float, the pattern shape
        The state after one update, shown in grey levels.
    weights : ndarray of float, shape (P,)
        The attention weights ``softmax(beta X cue)``.
    """

    def __init__(self, patterns, cue, labels, beta=1e-3, beta_range=(1e-4, 1.0)):
        import ipywidgets as widgets

        self.patterns = _stack_patterns(patterns)
        self.cue = _check_pm1(cue, "cue")
        if self.cue.size != self.patterns[0].size:
            raise ValueError(f"cue has {self.cue.size} values, the patterns {self.patterns[0].size}")
        if labels is None or len(labels) != self.patterns.shape[0]:
            raise ValueError(f"labels must name each of the {self.patterns.shape[0]} patterns")
        self.labels = [str(label) for label in labels]
        try:
            low, high = (_check_beta(b) for b in beta_range)
        except (TypeError, ValueError):
            raise ValueError(f"beta_range must be two numbers > 0, got {beta_range!r}") from None
        if not low < high:
            raise ValueError(f"beta_range must go from low to high, got {beta_range!r}")
        beta = _check_beta(beta)
        if not low <= beta <= high:
            raise ValueError(f"beta must lie in beta_range {beta_range}, got {beta}")
        self.beta = widgets.FloatLogSlider(
            value=beta, base=10, min=np.log10(low), max=np.log10(high), step=0.1,
            description="beta", continuous_update=False, readout_format=".4f",
            layout=widgets.Layout(width="420px"))
        self.image = widgets.Image(format="png")
        self._build_figure()
        self._draw(self.beta.value)
        self.beta.observe(lambda change: self._draw(change["new"]), names="value")
        self.widget = widgets.VBox([self.beta, self.image])

    def _build_figure(self):
        plt = _pyplot()
        fig, axes = plt.subplots(1, 3, figsize=(8.5, 2.7), layout="constrained",
                                 gridspec_kw={"width_ratios": [1, 1, 1.5]})
        shape = self.patterns.shape[1:] if self.patterns.ndim == 3 else (1, -1)
        self._shape = shape
        _draw_pattern(axes[0], _display_array(self.cue.reshape(shape)), "noisy cue")
        self._out_image = _draw_pattern(axes[1], _display_array(self.cue.reshape(shape)), "")
        p = self.patterns.shape[0]
        self._bars = axes[2].bar(np.arange(p), np.zeros(p), color=[PALETTE[k % len(PALETTE)]
                                                                   for k in range(p)])
        axes[2].set_xticks(np.arange(p), self.labels)
        axes[2].set_ylim(0, 1.05)
        axes[2].set_xlabel("stored pattern")
        axes[2].set_ylabel("attention weight")
        axes[2].grid(alpha=0.3, axis="y")
        self._axes = axes
        plt.close(fig)
        self.figure = fig

    def _draw(self, beta):
        network = ModernHopfieldNetwork(self.patterns, beta=beta)
        self.weights = network.attention(self.cue)
        self.output = network.update(self.cue.astype(np.float64))
        self._out_image.set_data(np.clip(self.output, -1, 1).reshape(self._shape))
        for bar, height in zip(self._bars, self.weights):
            bar.set_height(height)
        verdict = describe_state(self.patterns, self.output, self.labels)
        self._axes[1].set_title(f"one update; signs: {verdict}", fontsize=10)
        self._axes[2].set_title(f"beta = {beta:.4g}", fontsize=10)
        self._show()
        return self.output

    def explore(self, beta=None) -> np.ndarray:
        """Move the slider as a student would; return the output shown (real numbers).

        The slider has steps of 0.1 in log10(beta), so ``beta`` is rounded to one.
        """
        if beta is not None:
            beta = _check_beta(beta)
            self.beta.value = float(np.clip(beta, self.beta.base ** self.beta.min,
                                            self.beta.base ** self.beta.max))
        return self.output


def beta_explorer(patterns, cue, labels, beta=1e-3, beta_range=(1e-4, 1.0)) -> BetaExplorer:
    """A log-scale ``beta`` slider: one modern-network update of ``cue``, its attention.

    Parameters
    ----------
    patterns : array_like (P, ...) of +1/-1
    cue : array_like of +1/-1
    labels : sequence of P str
    beta : float
        Starting value, inside ``beta_range``.
    beta_range : (float, float)

    Returns
    -------
    BetaExplorer
        Display it by leaving it as the last line of a cell.
    """
    return BetaExplorer(patterns, cue, labels, beta=beta, beta_range=beta_range)


def one_step_retrievals(network, noise: float = 0.1, tolerance: float = 1e-6,
                        seed=None) -> dict:
    """Probe a modern network once per stored pattern: does one update bring it back?

    Pattern ``k``'s probe is ``add_noise(patterns[k], noise)``; all probes are updated
    together (one matrix product).

    Parameters
    ----------
    network : ModernHopfieldNetwork
    noise : float in [0, 1]
    tolerance : float > 0
        "Exact" means every value within ``tolerance`` of the pattern.
    seed : int, numpy.random.Generator or None

    Returns
    -------
    dict
        ``"probes"`` (P), ``"flipped"`` (ndarray (P,): pixels flipped in each probe),
        ``"sign_right"`` (how many outputs have exactly the pattern's signs),
        ``"exact"`` (how many are within ``tolerance`` everywhere) and ``"max_error"``
        (the largest distance of any output value from its pattern's).
    """
    if not isinstance(network, ModernHopfieldNetwork):
        raise TypeError(f"network must be a ModernHopfieldNetwork, got {type(network).__name__}")
    noise = _check_level(noise, "noise")
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) or not tolerance > 0:
        raise ValueError(f"tolerance must be a number > 0, got {tolerance!r}")
    x = network.patterns.reshape(network.n_patterns, -1)
    probes = add_noise(x, noise, seed=seed)
    out = network.update(probes.astype(np.float64))
    error = np.abs(out - x).max(axis=1)
    return {
        "probes": int(x.shape[0]),
        "flipped": (probes != x).sum(axis=1),
        "sign_right": int(np.all(np.sign(out) == x, axis=1).sum()),
        "exact": int((error <= tolerance).sum()),
        "max_error": float(error.max()),
    }


def memory_bytes(memory) -> int:
    """Bytes of the numpy arrays a memory object holds (each buffer counted once).

    Parameters
    ----------
    memory : HopfieldNetwork, DenseAssociativeMemory or ModernHopfieldNetwork

    Returns
    -------
    int
        Includes a Storkey network's dense N x N matrix; nothing is built on the way.
    """
    _check_memory(memory)
    seen, total = set(), 0
    for value in vars(memory).values():
        if isinstance(value, np.ndarray):
            key = (value.__array_interface__["data"][0], value.nbytes)
            if key not in seen:
                seen.add(key)
                total += value.nbytes
    return int(total)


def recall_seconds(memory, cue, sweeps: int = 5, seed=0, repeats: int = 3) -> float:
    """The median wall-clock time of :func:`recall_with` over ``repeats`` runs.

    Parameters
    ----------
    memory, cue, sweeps, seed
        As in :func:`recall_with`.
    repeats : int >= 1

    Returns
    -------
    float, seconds
    """
    import time

    _check_memory(memory)
    repeats = _check_count(repeats, "repeats", minimum=1)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        recall_with(memory, cue, sweeps, seed=seed)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def held_load(table, fraction: float = 0.5, column: str = "recalled", noise=None) -> dict:
    """Per rule, the largest load up to which at least ``fraction`` of trials were recalled.

    Parameters
    ----------
    table : dict from :func:`capacity_by_rule`
    fraction : float in [0, 1]
    column : {"recalled", "exact"}
    noise : float, optional
        Which noise level to read, if the table has several.

    Returns
    -------
    dict of str -> float
        The last load before the first one that falls below ``fraction`` (0.0 if even
        the smallest load does); the largest load tried if none does.
    """
    if column not in ("recalled", "exact"):
        raise ValueError(f"column must be 'recalled' or 'exact', got {column!r}")
    at_noise = _rows_at_noise(table, noise, ("rule", "load", column))
    fraction = _check_level(fraction, "fraction")
    held = {}
    for rule in dict.fromkeys(table["rule"].tolist()):
        mine = at_noise & (table["rule"] == rule)
        last = 0.0
        for load in np.unique(table["load"][mine]):
            if table[column][mine & (table["load"] == load)].mean() < fraction:
                break
            last = float(load)
        held[rule] = last
    return held


def plot_glauber_probability(temperatures=(0.1, 0.5, 1.0), ax=None, h_max: float = 3.0):
    """Glauber's rule: the chance a neuron becomes +1 against its field h, per temperature.

    ``p(+1) = (1 + tanh(h / T)) / 2``; at ``T = 0`` it is the step of the sign rule.

    Parameters
    ----------
    temperatures : sequence of float >= 0
    ax : matplotlib Axes, optional
    h_max : float > 0
        The field axis runs from ``-h_max`` to ``h_max``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    temps = np.atleast_1d(np.asarray(temperatures, dtype=np.float64))
    if temps.size == 0 or not np.all(np.isfinite(temps)) or np.any(temps < 0):
        raise ValueError("temperatures must be finite numbers >= 0")
    if isinstance(h_max, bool) or not isinstance(h_max, numbers.Real) or not h_max > 0:
        raise ValueError(f"h_max must be a number > 0, got {h_max!r}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(4.6, 3), layout="constrained")
    h = np.linspace(-h_max, h_max, 601)
    for k, t in enumerate(temps):
        p = np.where(h > 0, 1.0, np.where(h < 0, 0.0, 0.5)) if t == 0 else 0.5 * (1 + np.tanh(h / t))
        ax.plot(h, p, color=PALETTE[k % len(PALETTE)], linestyle=LINESTYLES[k % len(LINESTYLES)],
                linewidth=2, label=f"T = {t:g}")
    ax.set_xlabel("field h on the neuron")
    ax.set_ylabel("chance it becomes +1")
    ax.set_ylim(-0.03, 1.03)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return ax
