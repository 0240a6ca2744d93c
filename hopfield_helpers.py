"""Helpers for the Hopfield network notebooks, in the order the lessons meet them.

Every notebook in ``notebooks/`` imports this one module. The notebooks write each rule
once in plain numpy for you to read; this module does the same thing fast, so that the
pictures can change as quickly as you move a slider.

Read it from the top:

1. **Validation**: every function checks its arguments here, and says what it expected.
2. **Patterns**: :func:`letter_pattern`, :func:`random_patterns`, :func:`add_noise`,
   :func:`overlap`, :func:`hamming_distance`, :func:`cover`.
3. **The network and its one update engine**: :class:`HopfieldNetwork` stores patterns
   (rules ``"hebb"``, ``"storkey"``, ``"pseudoinverse"``), computes fields and energies,
   and :meth:`~HopfieldNetwork.recall` runs every kind of update there is in the series:
   async sweeps or random picks, sync, Glauber noise, one cue or a whole stack at once.
   It returns a :class:`RecallResult`, which replays any step exactly.
4. **The other memories**: :class:`DenseAssociativeMemory` (Krotov and Hopfield) and
   :class:`ModernHopfieldNetwork` (Ramsauer et al.).
5. **Pictures**: :func:`load_image_pattern`, :func:`load_picture`, :func:`load_digits`.
6. **Measuring**: :func:`overlap_matrix`, :func:`mixture_state`, and :func:`which_memory`,
   the one verdict on what a state is.
7. **Plots**: :func:`plot_patterns`, :func:`plot_energy`, :func:`plot_overlaps`,
   :func:`plot_weights`, :func:`plot_recall`, :func:`save_recall_gif`.
8. **Widgets**: :class:`Explorer`, the one explorer: controls plus a drawing function;
   :class:`DrawingCanvas`, a grid to paint patterns on (its page side: hopfield_canvas.js).
9. **One section per lesson, 01 to 05**: what only that lesson uses, each piece saying where.

Conventions used everywhere
---------------------------
* A neuron's state is ``+1`` or ``-1``. A pattern is an array of such values in any
  shape (a 5x5 letter, a 128x128 picture); the network works on it flattened and hands
  results back in the shape it was given.
* Hebbian weights are ``W = (1/N) sum_mu x_mu x_mu^T`` with a zero diagonal, so a stored
  pattern has an energy of about ``-1/2`` per neuron.
* The energy is ``E(s) = -1/2 s^T W s - b^T s`` where ``b`` is an optional bias.
* A neuron whose input field is exactly 0 keeps its state.

Computing never needs the ``N x N`` weight matrix for Hebbian networks: the field is
``h = X^T (X s) / N - (P/N) s``, and one flip updates the overlaps ``X s`` in ``O(P)``.
Plotting and widget libraries are imported only inside the functions that draw, so
``import hopfield_helpers`` stays light for computing.
"""

from __future__ import annotations

import copy
import functools
import numbers
from dataclasses import dataclass, field as dataclass_field
from typing import Sequence

import numpy as np

__all__ = [  # section by section, as the module docstring lists them
    "available_letters", "letter_pattern", "random_patterns", "add_noise",  # 2.
    "overlap", "hamming_distance", "cover",
    "RecallResult", "HopfieldNetwork", "DenseAssociativeMemory", "ModernHopfieldNetwork",  # 3-4.
    "DATA_DIR", "load_grey_image", "load_image_pattern", "picture_names", "load_picture",  # 5.
    "load_digits",
    "overlap_matrix", "mixture_state", "MemoryVerdict", "which_memory",  # 6.
    "PALETTE", "plot_patterns", "plot_energy", "plot_overlaps", "plot_weights",  # 7.
    "plot_recall", "save_recall_gif",
    "Explorer", "DrawingCanvas",  # 8.
    "plot_four_states", "plot_two_neuron_landscape",  # 9. lesson 01
    "plot_votes",  # lesson 02
    "plot_grey_levels", "PictureUploader",  # lesson 03
    "plot_capacity", "plot_capacity_choice", "plot_memory_landscape",  # 04
    "picture_grid",  # lesson 05
]

#: Above this many neurons, ``HopfieldNetwork.weights`` refuses to build the dense matrix.
MAX_DENSE_NEURONS = 8192


# ======================================================================================
# 1. Validation at the boundary
# ======================================================================================

def _check_real(array, name: str, values: str = "numbers") -> np.ndarray:
    """Return ``array`` as a non-empty numeric array of finite ``values``, or raise."""
    if isinstance(array, (str, bytes)) or array is None:
        raise TypeError(f"{name} must be an array of {values}, got {type(array).__name__}")
    try:
        arr = np.asarray(array)
    except (ValueError, TypeError) as exc:  # ragged nested lists, for example
        raise ValueError(f"{name} must be a rectangular array of {values} ({exc})") from None
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(
            f"{name} must be a numeric array of {values}, got dtype {arr.dtype}"
            + (" (booleans are ambiguous: use np.where(b, 1, -1))" if arr.dtype == bool else ""))
    if arr.size == 0:
        raise ValueError(f"{name} is empty: expected at least one of its {values}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite {values} (no NaN or infinity)")
    return arr


def _check_pm1(array, name: str, allow_zeros: bool = False) -> np.ndarray:
    """Return ``array`` as a new int8 array, or raise if any value is not +1/-1 (nor 0, an
    undecided pixel, with ``allow_zeros``)."""
    arr = _check_real(array, name, "+1/-1/0 values" if allow_zeros else "+1/-1 values")
    bad = (arr != 1) & (arr != -1) & ((arr != 0) | (not allow_zeros))
    if bad.any():
        examples = np.unique(arr[bad])[:5].tolist()
        raise ValueError(
            f"{name} must contain only +1 and -1{' (or 0)' if allow_zeros else ''}, but it has "
            f"{int(bad.sum())} other value(s), e.g. {examples}"
        )
    return arr.astype(np.int8)


def _as_stack(s: np.ndarray, pattern_shape: tuple, name: str):
    """``s`` as (flat (K, N), leading shape () or (K,)): one state of N values in any
    shape, or a stack (K, *pattern_shape) or (K, N), even of one state."""
    n = int(np.prod(pattern_shape))
    if s.shape == pattern_shape or s.shape == (n,):
        return s.reshape(1, -1), ()
    if s.ndim > 1 and (s.shape[1:] == pattern_shape or s.shape[1:] == (n,)):
        return s.reshape(s.shape[0], -1), (s.shape[0],)
    if s.size == n:  # one state in another shape, e.g. a flat picture
        return s.reshape(1, -1), ()
    raise ValueError(f"{name} must be one state of {n} values (shape {pattern_shape}) or a "
                     f"stack (K, {', '.join(map(str, pattern_shape))}), got shape {s.shape}")


def _check_level(level, name: str = "level", above_zero: bool = False) -> float:
    """Return ``level`` as a float in [0, 1] (or (0, 1] if ``above_zero``), or raise."""
    if isinstance(level, bool) or not isinstance(level, numbers.Real):
        raise TypeError(f"{name} must be a number between 0 and 1, got {type(level).__name__}")
    level = float(level)
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1 (a fraction of pixels), got {level}")
    if above_zero and level == 0:
        raise ValueError(f"{name} must be above 0")
    return level


def _check_grey_level(level, name: str = "threshold", above_zero: bool = False):
    """Return ``level``, a number from 0 (or above 0, if ``above_zero``) to 255, or raise."""
    span = "in (0, 255]" if above_zero else "from 0 to 255"
    if isinstance(level, bool) or not isinstance(level, numbers.Real):
        raise TypeError(f"{name} must be a number {span}, got {level!r}")
    if not (0 < level if above_zero else 0 <= level) or level > 255:
        raise ValueError(f"{name} must be a number {span}, got {level!r}")
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
    try:
        if isinstance(temperature, bool):
            raise TypeError
        temps = np.asarray(temperature, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"temperature must be a number or an array of numbers, got {temperature!r}") from None
    temps = np.full(steps, float(temps)) if temps.ndim == 0 else temps
    if temps.shape != (steps,):
        raise ValueError(f"temperature must be a number or hold one value per step ({steps}), "
                         f"got shape {temps.shape}")
    if not np.all(np.isfinite(temps)) or np.any(temps < 0):
        raise ValueError(f"temperature must be finite and >= 0, got {temperature!r}")
    return temps if temps.any() else None


def _check_result(result) -> None:
    """Raise unless ``result`` is what a recall returned."""
    if not isinstance(result, RecallResult):
        raise TypeError(f"result must be a RecallResult from recall(), got {type(result).__name__}")


def _check_network(network) -> None:
    """Raise unless ``network`` is a HopfieldNetwork."""
    if not isinstance(network, HopfieldNetwork):
        raise TypeError(f"network must be a HopfieldNetwork, got {type(network).__name__}")


def _check_labels(labels, count: int, default: str = "pattern {}") -> list:
    """``labels`` as a list of ``count`` str, one per pattern (None: ``default`` numbered)."""
    if labels is None:
        return [default.format(k) for k in range(count)]
    if isinstance(labels, str) or len(labels) != count:
        raise ValueError(f"labels must name each of the {count} patterns, got {labels!r}")
    return [str(label) for label in labels]


def _rng(seed) -> np.random.Generator:
    """A numpy Generator from ``seed`` (None, an int, or a Generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        if seed is not None and seed < 0:
            raise ValueError(f"seed must be a non-negative whole number or None, got {seed}")
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be None, a whole number or a numpy Generator, got {seed!r}")


def _check_order(order) -> str:
    if order not in ("sweeps", "random"):
        raise ValueError(f"order must be 'sweeps' or 'random', got {order!r}")
    return order


def _check_pair(a, b) -> tuple:
    """Two +1/-1 patterns ``a`` and ``b`` of the same shape, as int8 arrays, or raise."""
    a, b = _check_pm1(a, "a"), _check_pm1(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return a, b


# ======================================================================================
# 2. Patterns
# ======================================================================================

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
    a, b = _check_pair(a, b)
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
    a, b = _check_pair(a, b)
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


def cover(pattern, fraction: float, side: str = "bottom") -> np.ndarray:
    """A copy of ``pattern`` with a strip along one side erased to background (-1).

    What is left is a partial piece of the picture: a network that completes it from
    there does pattern completion.

    Parameters
    ----------
    pattern : array_like of +1/-1, shape (rows, cols)
    fraction : float in [0, 1]
        How much of the picture to erase: that share of its rows (``"top"``,
        ``"bottom"``) or columns (``"left"``, ``"right"``), rounded to whole ones.
    side : {"top", "bottom", "left", "right"}

    Returns
    -------
    covered : ndarray of int8, shape (rows, cols)
    """
    pattern = _check_pm1(pattern, "pattern")
    if pattern.ndim != 2:
        raise ValueError(f"pattern must be a picture (rows, cols), got shape {pattern.shape}")
    fraction = _check_level(fraction, "fraction")
    sides = ("top", "bottom", "left", "right")
    if side not in sides:
        raise ValueError(f"side must be one of {', '.join(sides)}; got {side!r}")
    covered = pattern.astype(np.int8)  # a copy
    lines = covered if side in ("top", "bottom") else covered.T  # a view: rows or columns
    k = int(round(fraction * lines.shape[0]))
    if side in ("top", "left"):
        lines[:k] = -1
    else:
        lines[lines.shape[0] - k:] = -1
    return covered


# ======================================================================================
# 3. The network and its one update engine
# ======================================================================================

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

    One cue gives one recall; a stack of K cues gives K recalls run side by side (each one
    exactly what a recall of that cue alone, with the same seed, gives), and every array
    below then has a leading axis of length K.

    Attributes
    ----------
    state : ndarray, shape of the cue
        The final state (int8 +1/-1; real numbers for a modern network).
    energies : ndarray of float, shape (steps + 1,) or (K, steps + 1)
        ``energies[0]`` is the cue's energy, ``energies[t]`` the energy after step ``t``.
    converged : bool, or ndarray of bool of shape (K,)
        True only if the final state is a fixed point (no neuron would change). A
        synchronous 2-cycle is not converged.
    update : {"async", "sync"}
        One neuron per step, or all of them at once.
    steps : int
        Number of steps run.
    initial_state : ndarray, shape of the cue
    flip_steps, flip_neurons, flip_values : ndarray, shape (F,)
        Every change made, in order of step: at step ``flip_steps[k]`` neuron
        ``flip_neurons[k]`` (a flat index into the cue, stack included) took the value
        ``flip_values[k]``. With these, :meth:`state_at` rebuilds any step exactly.
    stored : ndarray of float, shape (P, N)
        The network's stored patterns, flat, for the overlaps.
    snapshot_every : int, optional
        Spacing of :attr:`snapshot_steps` (default: every step up to 100 steps, else
        about 100 snapshots).
    trajectory : ndarray, shape (steps + 1, *cue shape), optional
        Every step's state, for networks whose states are real numbers (no flip log).
    """

    state: np.ndarray
    energies: np.ndarray
    converged: object
    update: str
    steps: int
    initial_state: np.ndarray
    flip_steps: np.ndarray
    flip_neurons: np.ndarray
    flip_values: np.ndarray
    stored: np.ndarray = dataclass_field(repr=False)
    snapshot_every: int = None
    trajectory: np.ndarray = dataclass_field(repr=False, default=None)

    @property
    def n_states(self) -> int:
        """How many recalls this holds: 1 for one cue, K for a stack of K cues."""
        return int(np.size(self.converged))

    @property
    def snapshot_steps(self) -> np.ndarray:
        """Steps 0, k, 2k, ... and always the last, shape (S,)."""
        every = self.snapshot_every
        if every is None:
            every = max(1, -(-self.steps // 100))
        steps = np.arange(0, self.steps + 1, every)
        return steps if steps[-1] == self.steps else np.append(steps, self.steps)

    @functools.cached_property
    def snapshots(self) -> np.ndarray:
        """States after each step in ``snapshot_steps``, shape (S, *cue shape).

        Rebuilt from the flip log the first time it is asked for, then kept: a recall of a
        big picture does not pay for S copies of it unless they are wanted.
        """
        return np.stack([self.state_at(int(t)) for t in self.snapshot_steps])

    @functools.cached_property
    def overlaps(self) -> np.ndarray:
        """Overlap with each stored pattern after each snapshot step.

        Shape (S, P), or (K, S, P) for a stack. Replayed from the flip log in O(P) per
        change, the first time it is asked for.
        """
        at_steps, n = self.snapshot_steps, self.stored.shape[1]
        if self.trajectory is not None or not self.stored.size:  # nothing to replay
            states = self.snapshots.reshape(len(at_steps), -1, n)  # (S, K, N)
            overlaps = np.swapaxes(states @ self.stored.T / n, 0, 1)
        else:
            s = self.initial_state.reshape(-1, n).astype(np.float64)
            m = s @ self.stored.T / n  # (K, P)
            overlaps = np.empty((s.shape[0], len(at_steps), self.stored.shape[0]))
            done = 0
            for row, t in enumerate(at_steps):
                stop = np.searchsorted(self.flip_steps, t, side="right")
                if stop > done:
                    flat = s.reshape(-1)
                    before = flat.copy()
                    _apply_changes(flat, self.flip_neurons[done:stop], self.flip_values[done:stop])
                    changed = np.flatnonzero(flat != before)
                    delta = flat[changed] - before[changed]
                    np.add.at(m, changed // n, delta[:, None] * self.stored[:, changed % n].T / n)
                    done = stop
                overlaps[:, row] = m
        return overlaps[0] if np.ndim(self.converged) == 0 else overlaps

    @property
    def n_flips(self) -> int:
        """Total number of neuron changes during the recall."""
        return int(self.flip_steps.size)

    def state_at(self, step: int) -> np.ndarray:
        """The exact state after ``step`` steps (0 = the cue), rebuilt from the flip log.

        Parameters
        ----------
        step : int in [0, steps]

        Returns
        -------
        ndarray, shape of the cue
        """
        step = _check_count(step, "step")
        if step > self.steps:
            raise ValueError(f"step must be between 0 and {self.steps}, got {step}")
        if self.trajectory is not None:
            return self.trajectory[step].copy()
        flat = self.initial_state.reshape(-1).copy()
        n = np.searchsorted(self.flip_steps, step, side="right")
        _apply_changes(flat, self.flip_neurons[:n], self.flip_values[:n])
        return flat.reshape(self.initial_state.shape)


def _apply_changes(flat: np.ndarray, neurons: np.ndarray, values: np.ndarray) -> None:
    """Set ``flat[neurons[k]] = values[k]`` in log order: the last change of a neuron wins."""
    if neurons.size == 0:
        return
    order = np.argsort(neurons, kind="stable")  # a neuron's changes stay in log order
    ordered = neurons[order]
    last = np.flatnonzero(np.append(ordered[1:] != ordered[:-1], True))
    flat[ordered[last]] = values[order[last]]


class _PatternMemory:
    """What every network of stored +1/-1 patterns shares: the patterns and their shape,
    checking states against them, overlaps, and :meth:`recall`, the one entry point to
    every network's update engine (a subclass supplies ``_run_async``/``_run_sync``)."""

    _undecided_ok = False  # whether recall(..., allow_zeros=True) makes sense
    _setting = "rule"  # the attribute that tells one such memory from another

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self._setting}={getattr(self, self._setting)!r}, "
                f"patterns={self.n_patterns}, neurons={self.n_neurons}, "
                f"pattern_shape={self.pattern_shape})")

    def _store_patterns(self, patterns) -> np.ndarray:
        """Validate and keep ``patterns``; return them flat as floats, shape (P, N)."""
        stacked = _stack_patterns(patterns)
        self.patterns = stacked
        self.pattern_shape = stacked.shape[1:]
        self.n_patterns = stacked.shape[0]
        self.n_neurons = int(np.prod(self.pattern_shape))
        x = stacked.reshape(self.n_patterns, self.n_neurons).astype(np.float64)
        self._stored = x
        return x

    def _flat_states(self, states, name: str = "state", allow_zeros: bool = False):
        """Return (flat (K, N) int8 array, leading shape: () or (K,)) for one state or a
        stack. With ``allow_zeros``, 0 ("undecided") values pass the +1/-1 check."""
        return _as_stack(_check_pm1(states, name, allow_zeros), self.pattern_shape, name)

    def overlaps(self, state) -> np.ndarray:
        """Overlap ``m_mu = x_mu . s / N`` of ``state`` with each stored pattern.

        Parameters
        ----------
        state : array_like of +1/-1, one state or a stack (K, ...)

        Returns
        -------
        ndarray of float, shape (P,) or (K, P)
        """
        flat, lead = self._flat_states(state)
        m = flat.astype(np.float64) @ self._stored.T / self.n_neurons
        return m[0] if lead == () else m

    def energy(self, state):
        """The energy of ``state``: ``E = -1/2 s^T W s - b^T s`` for a HopfieldNetwork, and
        each other memory's own energy (see its class).

        Parameters
        ----------
        state : array_like, one state (N values) or a stack (K, ...)

        Returns
        -------
        float, or ndarray of shape (K,) for a stack
        """
        flat, lead = self._flat_states(state)
        e = self._energy_flat(flat)
        return float(e[0]) if lead == () else e

    def is_fixed_point(self, state):
        """True if no neuron of ``state`` would change under an update (for a dense memory:
        no single change would lower the energy; for a modern one: the update moves no
        value by 1e-9 or more).

        Parameters
        ----------
        state : array_like, one state (N values) or a stack (K, ...)

        Returns
        -------
        bool, or ndarray of bool of shape (K,) for a stack
        """
        flat, lead = self._flat_states(state)
        stable = self._stable_mask(flat).all(axis=1)
        return bool(stable[0]) if lead == () else stable

    def visit_order(self, steps: int, seed=None, order: str = "sweeps") -> np.ndarray:
        """The neurons an async ``recall(..., steps, seed=seed, order=order)`` updates.

        Parameters
        ----------
        steps : int >= 0
        seed : int or None
            The seed given to ``recall`` (a Generator would be used up, so it is refused).
        order : {"sweeps", "random"}
            ``"sweeps"``: a fresh random order of all N neurons, then another, so every
            neuron is visited once per sweep. ``"random"``: each step picks a neuron at
            random, with replacement (the classic demo), so some are never visited.

        Returns
        -------
        ndarray of int64, shape (steps,)
            ``visit_order(...)[t - 1]`` is the flat index of the neuron updated at step t.
        """
        steps = _check_count(steps, "steps")
        if isinstance(seed, np.random.Generator):
            raise TypeError("seed must be a whole number or None here (a Generator would be used up)")
        return self._visit_order(steps, _rng(seed), _check_order(order)).astype(np.int64)

    def _visit_order(self, steps: int, rng: np.random.Generator, order: str) -> np.ndarray:
        n = self.n_neurons
        dtype = np.int32 if n < 2**31 else np.int64
        if order == "random":
            return rng.integers(n, size=steps, dtype=dtype)
        n_sweeps = -(-steps // n)
        visits = np.empty(n_sweeps * n, dtype=dtype)
        for k in range(n_sweeps):
            visits[k * n : (k + 1) * n] = rng.permutation(n)
        return visits[:steps]

    def recall(self, state, steps: int, update: str = "async", seed=None, order: str = "sweeps",
               temperature=0.0, allow_zeros: bool = False, snapshot_every=None) -> "RecallResult":
        """Let the network update ``state`` for ``steps`` steps: the one update engine.

        Parameters
        ----------
        state : array_like of +1/-1, shape (N,) or the pattern shape, or a stack (K, ...)
            The cue (any shape with N values; the result keeps it). It is not modified. A
            stack of K cues is recalled side by side, each exactly as it would be alone
            with the same ``seed`` (so all of them visit the neurons in the same order).
        steps : int >= 0
            ``"async"``: one neuron update per step (N steps visit every neuron of a
            sweep once). ``"sync"``: every neuron at once per step.
        update : {"async", "sync"}
        seed : int, numpy.random.Generator or None
            Fixes the order of the async visits (and any coin toss or thermal noise).
        order : {"sweeps", "random"}
            Which neuron each async step visits: random sweeps (every neuron once per
            sweep, none left out) or independent random picks with replacement.
        temperature : float >= 0 or array_like of shape (steps,), default 0
            Noise in the updates (Glauber dynamics, Hopfield networks only): at ``T > 0``
            a neuron becomes +1 with probability ``(1 + tanh(h / T)) / 2``, so it
            sometimes goes against its field. One value per step anneals.
        allow_zeros : bool, default False
            Accept 0 ("undecided") pixels in the cue. An undecided neuron takes the sign
            of its field when visited; if the field is exactly 0 too, a seeded coin decides.
        snapshot_every : int, optional
            Spacing of the result's snapshots (default: every step up to 100 steps, else
            about 100 snapshots). The last step is always included.

        Returns
        -------
        RecallResult

        Notes
        -----
        A neuron whose field is exactly 0 keeps its state. Async updates never raise the
        energy (with symmetric weights and a zero diagonal); sync updates can fall into a
        2-cycle.
        """
        if allow_zeros and not self._undecided_ok:
            raise ValueError(f"allow_zeros=True needs a HopfieldNetwork; a "
                             f"{type(self).__name__} only takes +1/-1 states")
        flat, lead = self._flat_states(state, allow_zeros=allow_zeros)
        steps = _check_count(steps, "steps")
        if update not in ("async", "sync"):
            raise ValueError(f"update must be 'async' or 'sync', got {update!r}")
        order = _check_order(order)
        if snapshot_every is not None:
            snapshot_every = _check_count(snapshot_every, "snapshot_every", minimum=1)
        temps = _check_temperature(temperature, steps)
        rng = _rng(seed)
        if lead != ():
            # Every cue of a stack starts from the same seed: same visits, same coins.
            rngs = [copy.deepcopy(rng) for _ in range(flat.shape[0])]
        else:
            rngs = [rng]
        runs = [self._run(s0, steps, r, update, order, temps) for s0, r in zip(flat, rngs)]
        final = np.stack([run[0] for run in runs])
        converged = self._stable_mask(final).all(axis=1)
        n = self.n_neurons
        flip_steps = np.concatenate([run[1][0] for run in runs])
        neurons = np.concatenate([run[1][1] + k * n for k, run in enumerate(runs)])
        values = np.concatenate([run[1][2] for run in runs])
        by_step = np.argsort(flip_steps, kind="stable")  # a neuron's changes keep their order
        energies = np.stack([run[2] for run in runs])
        if lead == ():
            energies, converged = energies[0], bool(converged[0])
        in_shape = np.shape(state)
        return RecallResult(
            state=final.reshape(in_shape), energies=energies, converged=converged,
            update=update, steps=steps, initial_state=flat.reshape(in_shape).copy(),
            flip_steps=flip_steps[by_step], flip_neurons=neurons[by_step],
            flip_values=values[by_step].astype(np.int8), stored=self._stored,
            snapshot_every=snapshot_every)

    def _run(self, s0, steps, rng, update, order, temps):
        if update == "sync":
            return self._run_sync(s0, steps, rng, temps)
        return self._run_async(s0, steps, rng, temps, order)


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
    _undecided_ok = True

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
        else:
            self._use_dense(_storkey_weights(x))
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
        w = _check_real(weights, "weights").astype(np.float64)  # a new array
        if w.ndim != 2 or w.shape[0] != w.shape[1]:
            raise ValueError(f"weights must be a square array (N, N), got shape {w.shape}")
        if not np.allclose(w, w.T):
            raise ValueError("weights must be symmetric (w[i, j] == w[j, i])")
        if np.any(np.diag(w) != 0):
            raise ValueError("weights must have a zero diagonal (no neuron feeds itself)")
        n = w.shape[0]
        shape = (n,) if shape is None else _check_shape(shape)
        if int(np.prod(shape)) != n:
            raise ValueError(f"shape {shape} does not hold {n} neurons")
        net = cls.__new__(cls)
        net.rule, net.n_patterns, net.n_neurons, net.pattern_shape = "given", 0, n, shape
        net.patterns, net._stored = np.zeros((0,) + shape, dtype=np.int8), np.zeros((0, n))
        net._use_dense(w)
        net.bias = bias
        return net

    def _use_dense(self, w: np.ndarray) -> None:
        """Keep the weights as the dense (N, N) matrix ``w`` itself, with no low-rank part."""
        self._dense, self._scale = w, 1.0
        self._left = self._right = np.zeros((self.n_neurons, 0))
        self._self_coupling = np.zeros(self.n_neurons)

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

    def _check_bias(self, bias) -> np.ndarray:
        b = _check_real(bias, "bias").astype(np.float64)  # a new array
        if b.ndim == 0:
            return np.full(self.n_neurons, float(b))
        if b.size != self.n_neurons:
            raise ValueError(f"bias must be a number or have one value per neuron "
                             f"({self.n_neurons}), got shape {b.shape}")
        return b.reshape(-1)

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
        flat, _ = self._flat_states(state)
        h = self._scale * self._field_units(flat)
        return h.reshape(np.shape(state))

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

    def _stable_mask(self, s: np.ndarray) -> np.ndarray:
        # An undecided (0) neuron is never stable: it takes a sign when it is visited.
        h = self._field_units(s)
        return (s != 0) & ((h == 0) | (np.sign(h) == s))

    # -- recall -------------------------------------------------------------------------

    def _glauber(self, h_units, cur, temps, draws, coins, neurons):
        """New values for neurons with fields ``h_units``: Glauber's rule where the
        temperature is above 0, the deterministic rule (ties keep) where it is 0."""
        h = self._scale * h_units
        hot = temps > 0
        p_up = 0.5 * (1.0 + np.tanh(h / np.where(hot, temps, 1.0)))
        tie = cur if coins is None or neurons is None else np.where(cur == 0, coins[neurons], cur)
        cold = np.where(h > 0, 1.0, np.where(h < 0, -1.0, tie))
        return np.where(hot, np.where(draws < p_up, 1.0, -1.0), cold)

    def _run_async(self, s0: np.ndarray, steps: int, rng: np.random.Generator, temps=None,
                   order: str = "sweeps"):
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
        visits = self._visit_order(steps, rng, order)
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
        picks = order == "random"
        # One coin per neuron, for an undecided neuron whose field is exactly 0.
        coins = rng.choice([-1.0, 1.0], size=n) if any_zeros else None
        draws = None if temps is None else rng.random(steps)  # one per step, for Glauber

        def wants_change(h_units, cur, first_step):
            """Which of these neurons (visited from ``first_step`` on) change: at zero
            temperature those whose field opposes them, and those still undecided."""
            if temps is None:
                return (cur * h_units < 0) | (cur == 0) if any_zeros else cur * h_units < 0
            at = slice(first_step, first_step + h_units.size)
            return self._glauber(h_units, cur, temps[at], draws[at], coins, visits[at]) != cur

        while pos < steps:
            # A block never crosses a sweep boundary, so no neuron appears twice in it.
            # Random picks can repeat a neuron anywhere: there a block only finds the
            # first neuron that changes, and the search starts again after it.
            end = min(pos + block, steps if picks else (pos // n + 1) * n, steps)
            idx = visits[pos:end]
            cur = s[idx]
            if dense is not None:
                h = dense[idx] @ s + bias_units[idx]
            else:
                h = left[idx] @ m - diag[idx] * cur + bias_units[idx]
            unstable = wants_change(h, cur, pos)
            j0 = int(unstable.argmax())
            if not unstable[j0]:
                pos = end
                block = min(block * 2, 8192)
                continue
            local = 1 if picks else max_local
            sub = idx[j0 : j0 + local]
            h, cur = h[j0 : j0 + local].copy(), cur[j0 : j0 + local].copy()
            # couplings[k, j] = W[sub[j], sub[k]] / scale: how a flip of sub[k] moves the
            # field of sub[j].
            if dense is not None:
                couplings = dense[np.ix_(sub, sub)].T
            else:
                couplings = right[sub] @ left[sub].T
            start = cur.copy()
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
                wants = wants_change(h_rest, cur[k + 1 :], pos + j0 + k + 1)
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

# ======================================================================================
# 4. The other memories: dense (Krotov and Hopfield) and modern (Ramsauer et al.)
# ======================================================================================

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

    _setting = "n"

    def __init__(self, patterns, n: int = 3):
        self.n = _check_count(n, "n", minimum=2)
        x = self._store_patterns(patterns)
        # Integer arithmetic is exact while the largest possible sum fits in int64.
        biggest = self.n_patterns * float(self.n_neurons + 1) ** self.n
        self._dtype = np.int64 if biggest < 2**62 else np.float64
        self._x_t_int = x.T.astype(self._dtype)

    def _energy_flat(self, s: np.ndarray) -> np.ndarray:
        """The energy ``-N sum_mu (x_mu . s / N)^n`` of flat states (K, N), shape (K,)."""
        agreement = s.astype(np.float64) @ self._stored.T  # x_mu . s, shape (K, P)
        return -(agreement**self.n).sum(axis=1) / float(self.n_neurons) ** (self.n - 1)

    def _gain(self, agreement, idx, cur):
        """For neurons ``idx`` in states ``cur``: F-sum with s_i = +1 minus with s_i = -1."""
        x_i = self._x_t_int[idx]  # (B, P)
        rest = agreement[None, :] - x_i * cur.astype(self._dtype)[:, None]
        return ((rest + x_i) ** self.n - (rest - x_i) ** self.n).sum(axis=1)

    def _run(self, s0, steps, rng, update, order, temps):
        if update != "async" or temps is not None:
            raise ValueError("a DenseAssociativeMemory recalls with update='async' at "
                             "temperature 0 only")
        return self._run_async(s0, steps, rng, order)

    def _run_async(self, s0, steps, rng, order):
        """Each visited neuron takes whichever value gives the lower energy (a tie keeps
        it). The energy is not linear in s, so after a change the next block's gains
        are computed again; between changes a whole block is checked at once."""
        visits = self._visit_order(steps, rng, order)
        s = s0.astype(self._dtype)
        agreement = s @ self._x_t_int  # exact x_mu . s
        flip_steps, flip_neurons, flip_values = [], [], []
        pos, block, n = 0, 32, self.n_neurons
        while pos < steps:
            end = min(pos + block, steps if order == "random" else (pos // n + 1) * n, steps)
            idx = visits[pos:end]
            cur = s[idx]
            gain = self._gain(agreement, idx, cur)
            wants = (np.sign(gain) != 0) & (np.sign(gain) != cur)
            j = int(wants.argmax())
            if not wants[j]:
                pos, block = end, min(block * 2, 4096)
                continue
            i, new = int(idx[j]), -cur[j]
            s[i] = new
            agreement += 2 * new * self._x_t_int[i]
            flip_steps.append(pos + j + 1)
            flip_neurons.append(i)
            flip_values.append(int(new))
            pos, block = pos + j + 1, 32
        # The energy after every step: it changes only at a flip.
        energies, e, last, state = np.empty(steps + 1), self.energy(s0), 0, s0.copy()
        for t, i, v in zip(flip_steps, flip_neurons, flip_values):
            energies[last:t] = e
            state[i] = v
            e, last = self.energy(state), t
        energies[last:] = e
        flips = (np.array(flip_steps, dtype=np.int64), np.array(flip_neurons, dtype=np.int64),
                 np.array(flip_values, dtype=np.int8))
        return s.astype(np.int8), flips, energies

    def _stable_mask(self, s: np.ndarray) -> np.ndarray:
        s = s.astype(self._dtype)
        agreement = s @ self._x_t_int  # (K, P)
        rows = [self._gain(a, np.arange(self.n_neurons), row) for a, row in zip(agreement, s)]
        gain = np.stack(rows)
        return (gain == 0) | (np.sign(gain) == s)


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

    _setting = "beta"

    def __init__(self, patterns, beta: float = 1.0):
        self._x = self._store_patterns(patterns)  # (P, N)
        if isinstance(beta, bool) or not isinstance(beta, numbers.Real):
            raise TypeError(f"beta must be a positive number, got {beta!r}")
        if not np.isfinite(beta) or beta <= 0:
            raise ValueError(f"beta must be a finite number > 0, got {beta}")
        self.beta = float(beta)
        self._max_norm_sq = float((self._x**2).sum(axis=1).max())

    def _flat_states(self, states, name: str = "state", allow_zeros: bool = False):
        """Like every memory's, but a state here is any finite real numbers."""
        return _as_stack(_check_real(states, name).astype(np.float64), self.pattern_shape, name)

    def attention(self, state) -> np.ndarray:
        """The weights ``softmax(beta X xi)`` the update gives each stored pattern, (P,)."""
        flat, lead = self._flat_states(state)
        z = self.beta * flat @ self._x.T
        z -= z.max(axis=1, keepdims=True)  # softmax is unchanged; exp cannot overflow
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return p[0] if lead == () else p

    def update(self, state) -> np.ndarray:
        """One update ``X^T softmax(beta X xi)``, in the shape of ``state``."""
        p = self.attention(state)
        return (p @ self._x).reshape(np.shape(state))

    def _energy_flat(self, flat: np.ndarray) -> np.ndarray:
        z = self.beta * flat @ self._x.T
        top = z.max(axis=1)
        lse = (top + np.log(np.exp(z - top[:, None]).sum(axis=1))) / self.beta
        return (-lse + 0.5 * (flat**2).sum(axis=1) + np.log(self.n_patterns) / self.beta
                + 0.5 * self._max_norm_sq)

    def _stable_mask(self, flat: np.ndarray) -> np.ndarray:
        return np.abs(self.attention(flat) @ self._x - flat) < 1e-9

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
        flat, lead = self._flat_states(state)
        if lead != ():
            raise ValueError("recall takes one state, not a stack")
        steps = _check_count(steps, "steps")
        trajectory = np.empty((steps + 1, self.n_neurons))
        trajectory[0] = flat[0]
        for t in range(1, steps + 1):
            trajectory[t] = self.update(trajectory[t - 1])
        in_shape = np.shape(state)
        empty = np.zeros(0, dtype=np.int64)
        return RecallResult(
            state=trajectory[-1].reshape(in_shape).copy(), energies=self._energy_flat(trajectory),
            converged=bool(self._stable_mask(trajectory[-1:]).all()), update="sync", steps=steps,
            initial_state=trajectory[0].reshape(in_shape).copy(), flip_steps=empty,
            flip_neurons=empty, flip_values=empty.astype(np.int8), stored=self._x,
            snapshot_every=1, trajectory=trajectory.reshape((steps + 1,) + in_shape))


# ======================================================================================
# 5. Pictures (Pillow is imported only when a picture is read)
# ======================================================================================

DATA_DIR = __import__("pathlib").Path(__file__).resolve().parent / "data"
#: Pictures larger than this are refused before they are decoded (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000


def _open_grey(path_or_image, name: str = "path_or_image"):
    """Any accepted picture input as a PIL greyscale ("L") image; transparent = white."""
    import pathlib

    from PIL import Image

    if isinstance(path_or_image, Image.Image):
        image = path_or_image
    elif isinstance(path_or_image, (str, pathlib.Path)):
        path = pathlib.Path(path_or_image)
        if not path.is_file():
            raise FileNotFoundError(f"{name}: no picture file at {str(path)!r}")
        image = _read_picture_file(path, f"{name}: {str(path)!r}")
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


_PICTURE_KINDS = "a PNG, JPEG, GIF or BMP picture"


def _read_picture_file(file, described: str):
    """Open and decode a picture file (a path or a file object), turning every way it can
    fail into a clear error that starts with ``described``; a rejected file is closed.
    A photo's EXIF orientation is applied, so a phone photo comes out upright."""
    import warnings

    from PIL import Image, ImageOps

    image = None
    with warnings.catch_warnings():
        # Pillow only warns between its two size limits: make that an error too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file)
            _check_pixels(image.size, described)
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            return image
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            error = ValueError(f"{described} is too large to be a picture here (over "
                               f"{MAX_IMAGE_PIXELS:,} pixels)")
        except Image.UnidentifiedImageError:
            error = ValueError(f"{described} is not a picture I can read: choose {_PICTURE_KINDS}.")
        except ValueError as exc:  # from _check_pixels
            error = exc
        except OSError as exc:  # a truncated or damaged file
            error = ValueError(f"{described} could not be read as a picture ({exc})")
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

    values = _check_real(array, name, "grey levels 0-255 (or 0-1 floats)").astype(np.float64)
    if array.ndim == 3 and array.shape[2] in (3, 4):
        mode = "RGB" if array.shape[2] == 3 else "RGBA"
    elif array.ndim == 2:
        mode = "L"
    else:
        raise ValueError(f"{name} as an array must be (rows, cols) grey or (rows, cols, 3|4) "
                         f"colour, got shape {array.shape}")
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
        padded with white (never stretched); one too thin to keep a single row or column
        gives all white. None keeps the picture's own size.

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

    size = None if size is None else _check_shape(size, "size")
    if size is not None and len(size) != 2:
        raise ValueError(f"size must be (rows, cols), got {size!r}")
    image = _open_grey(path_or_image)
    if size is not None and image.size != (size[1], size[0]):
        (w, h), (width, height) = image.size, (size[1], size[0])
        fitted = (width, round(h / w * width)) if w * height > h * width else (
            round(w / h * height), height)  # rounded as Pillow's ImageOps.contain does
        if min(fitted) == 0:  # a long thin strip: nothing of it survives, on any Pillow
            return np.full(size, 255, dtype=np.uint8)
        image = ImageOps.pad(image, (width, height), method=Image.Resampling.LANCZOS, color=255)
    return np.asarray(image, dtype=np.uint8).copy()


def _otsu_threshold(grey) -> int:
    """The grey level that best splits a picture into dark ink and light background.

    Otsu's method: the threshold ``t`` that maximises the between-class variance of the
    two groups ``grey <= t`` and ``grey > t``.

    Parameters
    ----------
    grey : ndarray of int in 0-255 (checked by the caller)

    Returns
    -------
    int in 0-255
        For a picture of one single grey level, that level.
    """
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


def load_image_pattern(path_or_image, size=(128, 128), threshold=None) -> np.ndarray:
    """Read a picture as a +1/-1 pattern: dark ink is +1, light background is -1.

    Thresholding makes big black and white areas; dithering (``threshold="dither"``)
    spreads ink the way a newspaper prints grey, so grey levels survive as ink density.

    Parameters
    ----------
    path_or_image : str, pathlib.Path, PIL.Image.Image or ndarray
        See :func:`load_grey_image`.
    size : (rows, cols) or None
        Fit the picture into this shape, keeping its aspect ratio and padding with white.
    threshold : int in 0-255, "dither" or None
        Grey levels at or below it count as ink. None picks one with Otsu's method
        (``_otsu_threshold``). "dither" uses Floyd-Steinberg dithering (Pillow's
        ``Image.convert("1")``): each pixel's rounding error is passed on to its
        neighbours.

    Returns
    -------
    ndarray of int8, shape ``size``

    Examples
    --------
    >>> smiley = load_image_pattern(DATA_DIR / "pictures" / "smiley.png")  # doctest: +SKIP
    """
    grey = load_grey_image(path_or_image, size=size)
    if isinstance(threshold, str) and threshold == "dither":
        from PIL import Image

        return np.where(np.asarray(Image.fromarray(grey).convert("1")), -1, 1).astype(np.int8)
    if threshold is None:
        threshold = _otsu_threshold(grey)
    return np.where(grey <= _check_grey_level(threshold), 1, -1).astype(np.int8)


def picture_names(photos: bool = False) -> list[str]:
    """Names of the project's drawn pictures in ``data/pictures`` or, with ``photos=True``,
    of its photographs in ``data/pictures/photos`` (for :func:`load_picture`)."""
    folder = DATA_DIR / "pictures" / ("photos" if photos else "")
    return sorted(p.stem for p in folder.glob("*.png"))


def load_picture(name: str, size=(128, 128), threshold=None) -> np.ndarray:
    """One of the project's own pictures as a +1/-1 pattern.

    Parameters
    ----------
    name : str
        One of :func:`picture_names`, e.g. ``"smiley"``, or of its photos, e.g. ``"camera"``.
    size, threshold
        As in :func:`load_image_pattern`.

    Returns
    -------
    ndarray of int8, shape ``size``
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a picture name such as 'smiley', got {name!r}")
    names, photos = picture_names(), picture_names(photos=True)
    if name not in names + photos:
        raise ValueError(f"no picture called {name!r}; available: {', '.join(names + photos)}")
    folder = DATA_DIR / "pictures" / ("photos" if name in photos else "")
    return load_image_pattern(folder / f"{name}.png", size=size, threshold=threshold)


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
    threshold = _check_grey_level(threshold, above_zero=True)
    with np.load(DATA_DIR / "digits.npz", allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    images = arrays.pop("images")
    labels = arrays.pop("labels")
    patterns = np.where(images >= threshold, 1, -1).astype(np.int8)
    return patterns, labels, arrays


# ======================================================================================
# 6. Measuring: overlaps, mixtures and the one verdict
# ======================================================================================

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
    Hebbian network at low load: a spurious memory (Amit, Gutfreund and Sompolinsky 1985).

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
    """Which memory a state is; see :func:`which_memory`.

    Attributes
    ----------
    kind : {"stored", "reversed", "mixture", "other"}
    patterns : tuple of int
        The stored patterns involved: one for stored and reversed, three for a mixture,
        and for "other" the nearest stored pattern.
    overlap : float
        Overlap of the state with that memory (1.0 = exactly it; for "other", the largest
        overlap with a stored pattern, in absolute value).
    signs : tuple of int
        For a mixture, the sign each of its patterns enters with in ``sign(+-a +- b +- c)``.
    """

    kind: str
    patterns: tuple
    overlap: float
    signs: tuple = ()

    def label(self, names=None) -> str:
        """A short description for a title: ``"X"``, ``"reversed X"``, ``"mixture of 4, 7
        and 9"`` (a pattern entering with a minus sign is written ``\u22127``), ``"reversed
        mixture of 4, 7 and 9"`` or ``"other (near 7)"``.

        Parameters
        ----------
        names : sequence of str, optional
            One name per stored pattern (default: their numbers).
        """
        name = [str(k) if names is None else str(names[k]) for k in self.patterns]
        if self.kind == "stored":
            return name[0]
        if self.kind == "reversed":
            return f"reversed {name[0]}"
        if self.kind == "mixture":
            reversed_ = all(s < 0 for s in self.signs)
            terms = [("\u2212" if s < 0 and not reversed_ else "") + n
                     for s, n in zip(self.signs, name)]
            return (("reversed " if reversed_ else "") + "mixture of "
                    + ", ".join(terms[:-1]) + " and " + terms[-1])
        return f"other (near {name[0]})" if name else "other"


def which_memory(memory, state, min_overlap: float = 1.0):
    """Say which memory a state is: a stored pattern, a reversed one, a 3-mixture, or other.

    Parameters
    ----------
    memory : HopfieldNetwork, DenseAssociativeMemory, ModernHopfieldNetwork, or array_like (P, ...)
        The network (its stored patterns are used) or the stored patterns themselves.
    state : array_like of numbers, one state or a stack (K, ...)
        Judged by its signs, so a modern network's real-valued state works too (a 0
        matches nothing).
    min_overlap : float in (0, 1]
        How close a state must be to count (1.0: exactly equal).

    Returns
    -------
    MemoryVerdict, or a list of K of them for a stack
        Stored and reversed patterns are checked first, then every 3-mixture
        ``sign(+-x_a +- x_b +- x_c)`` and its reverse, so keep P small (up to 12 or so).
    """
    stored = memory.patterns if isinstance(memory, _PatternMemory) else _stack_patterns(memory, "memory")
    if stored.shape[0] == 0:
        raise ValueError("memory has no stored patterns, so no state can be one of them")
    min_overlap = _check_level(min_overlap, "min_overlap", above_zero=True)
    s, lead = _as_stack(np.sign(_check_real(state, "state").astype(np.float64)),
                        stored.shape[1:], "state")
    stored = stored.reshape(stored.shape[0], -1)
    n = stored.shape[1]
    m = s @ stored.T.astype(np.float64) / n  # (K, P), exact: sums of +-1
    trios, signs, bank = _mixture_bank(stored)
    q = s @ bank.T / n if len(trios) else np.zeros((s.shape[0], 0))
    verdicts = []
    for k in range(s.shape[0]):
        best = int(np.argmax(np.abs(m[k])))
        if abs(m[k, best]) >= min_overlap - 1e-12:
            kind = "stored" if m[k, best] > 0 else "reversed"
            verdicts.append(MemoryVerdict(kind, (best,), float(abs(m[k, best]))))
            continue
        if q.shape[1]:
            j = int(np.argmax(np.abs(q[k])))
            if abs(q[k, j]) >= min_overlap - 1e-12:
                flip = 1 if q[k, j] > 0 else -1
                verdicts.append(MemoryVerdict("mixture", trios[j], float(abs(q[k, j])),
                                              tuple(flip * x for x in signs[j])))
                continue
        verdicts.append(MemoryVerdict("other", (best,), float(abs(m[k, best]))))
    return verdicts[0] if lead == () else verdicts


def _mixture_bank(stored: np.ndarray):
    """Every 3-mixture of the rows of ``stored`` (P, N): (trios, signs, bank (M, N) float),
    for the four sign choices that are not each other's reverse."""
    from itertools import combinations

    trios, signs, rows = [], [], []
    x = stored.astype(np.int64)
    for trio in combinations(range(x.shape[0]), 3):
        a, b, c = x[list(trio)]
        for sa, sb, sc in ((1, 1, 1), (1, 1, -1), (1, -1, 1), (-1, 1, 1)):
            rows.append(np.sign(sa * a + sb * b + sc * c))
            trios.append(trio)
            signs.append((sa, sb, sc))
    bank = np.stack(rows).astype(np.float64) if rows else np.zeros((0, x.shape[1]))
    return trios, signs, bank

# ======================================================================================
# 7. Plots (matplotlib is imported only when something is drawn)
# ======================================================================================

#: Okabe-Ito colours: distinguishable with every common form of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_LINESTYLES = ("-", "--", "-.", ":")
# Sizes for a projector: text of 11 pt or more, as the figures are shown.
_STYLE = {"figure.dpi": 100, "font.size": 12, "axes.titlesize": 12, "axes.labelsize": 12, "xtick.labelsize": 11,
          "ytick.labelsize": 11, "legend.fontsize": 11, "figure.titlesize": 13}


def _pyplot():
    """matplotlib.pyplot with the projector sizes set (once, on the first drawing)."""
    import matplotlib.pyplot as plt

    if not getattr(_pyplot, "styled", False):
        plt.rcParams.update(_STYLE)
        _pyplot.styled = True
    return plt


def _display_array(pattern, name: str = "pattern") -> np.ndarray:
    """A pattern as a 2-D float image for drawing; values must lie in [-1, 1].

    Grey values are allowed (an average of patterns has 0 pixels), so this is looser
    than the +1/-1 check. A 1-D pattern is drawn as a single row.
    """
    arr = _check_real(pattern, name, "values in [-1, 1]").astype(np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D to be drawn, got shape {arr.shape}")
    if arr.min() < -1 or arr.max() > 1:
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
        ax.set_title(title)
    return artist


def plot_patterns(patterns, titles=None, ncols=None, size=1.8, suptitle=None, axes=None,
                  before=None):
    """Draw one pattern or several side by side: ink (+1) black, background (-1) white.

    Parameters
    ----------
    patterns : array_like (rows, cols), or (K, ...) or a sequence of K arrays
        A 2-D array is one picture; a stack draws each of its K patterns (1-D or 2-D).
        Values in [-1, 1]: grey is allowed, for blends.
    titles : str or sequence of K str, optional
    ncols : int, optional
        Patterns per row (default: all in one row, up to 8).
    size : float
        Width of one pattern in inches.
    suptitle : str, optional
    axes : sequence of K matplotlib Axes, optional
        Draw there instead of on a new figure.
    before : array_like (K, rows, cols), or "previous", optional
        Outline the pixels where pattern k differs from ``before[k]``, or, with
        "previous", from the pattern before it (a recall told change by change: the first
        is not outlined). The patterns must then share one shape. Used in lesson 02.

    Returns
    -------
    matplotlib.figure.Figure
        Neither ``patterns`` nor ``before`` is modified.
    """
    if isinstance(patterns, np.ndarray) and patterns.ndim <= 2:
        patterns, titles = [patterns], None if titles is None else [titles]
    images = [_display_array(p, f"patterns[{i}]") for i, p in enumerate(patterns)]
    if not images:
        raise ValueError("patterns is empty: nothing to draw")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles must have one entry per pattern ({len(images)}), got {len(titles)}")
    if axes is None:
        ncols = min(len(images), 8) if ncols is None else _check_count(ncols, "ncols", minimum=1)
        nrows = -(-len(images) // ncols)
        aspect = images[0].shape[0] / images[0].shape[1]
        _, axes = _pyplot().subplots(
            nrows, ncols, squeeze=False, layout="constrained",
            figsize=(size * ncols, size * aspect * nrows + (0.7 if suptitle else 0.45)))
    axes = list(np.ravel(axes))
    if len(axes) < len(images):
        raise ValueError(f"axes must hold at least {len(images)} Axes, got {len(axes)}")
    for k, ax in enumerate(axes):
        if k < len(images):
            _draw_pattern(ax, images[k], None if titles is None else titles[k])
        else:
            ax.axis("off")
    if suptitle:
        axes[0].figure.suptitle(suptitle)
    if before is not None:
        now = np.stack(images)
        if isinstance(before, str) and before != "previous":
            raise ValueError(f"before must be 'previous' or an array of patterns, got {before!r}")
        old = np.concatenate([now[:1], now[:-1]]) if isinstance(before, str) else _check_real(
            before, "before", "values in [-1, 1]")
        if old.shape != now.shape:
            raise ValueError(f"before must have the patterns' shape {now.shape}, got {old.shape}")
        for ax, image, was in zip(axes, now, old):
            _outline_pixels(ax, image != was)
    return axes[0].figure


def _outline_pixels(ax, mask):
    """Outline the pixels where ``mask`` (2-D bool) is True, in one collection."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    boxes = [Rectangle((c - 0.5, r - 0.5), 1, 1) for r, c in zip(*np.nonzero(mask))]
    if boxes:
        ax.add_collection(PatchCollection(boxes, facecolor="none", linewidth=3,
                                          edgecolor=PALETTE[5]))


def _step_unit(result) -> str:
    return "neuron updates" if result.update == "async" else "sync steps"


def _step_axes(ax, xlabel, ylabel):
    """Label axes whose x axis counts steps (whole numbers). A step slider's mark is drawn
    over the rendered chart instead (see :class:`_Chart`), which is far quicker."""
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)


def _updates(result, count: int) -> str:
    """How ``count`` steps of a recall are said: "1 update", "5 updates", "2 steps"."""
    word = "update" if result.update == "async" else "step"
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _minus(text: str) -> str:
    return text.replace("-", "\u2212")  # a real minus sign reads better than a hyphen


def _thinned(values):
    """(steps, values) of a trace, thinned to 2,000 points if it has over 4,000: a screen
    shows no more detail, and 50,000 points make every redraw slow."""
    steps = np.arange(len(values))
    if len(values) <= 4000:
        return steps, values
    keep = np.round(np.linspace(0, len(values) - 1, 2000)).astype(int)
    return steps[keep], values[keep]


def _remembered(cache: dict, key, make, keep: int):
    """``cache[key]``, made by ``make()`` the first time; only the ``keep`` newest stay."""
    if key not in cache:
        cache[key] = make()
        while len(cache) > keep:
            cache.pop(next(iter(cache)))
    return cache[key]


def plot_energy(energies, ax=None, label=None, color=None):
    """Draw an energy trace against the step number.

    Parameters
    ----------
    energies : RecallResult or array_like of float, shape (steps + 1,)
    ax : matplotlib Axes, optional
    label : str, optional
        Legend label (for comparing several traces on one axes).
    color : colour, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    xlabel = "step"
    if isinstance(energies, RecallResult):
        xlabel = _step_unit(energies)
        energies = energies.energies
    energies = np.asarray(energies, dtype=np.float64)
    if energies.ndim != 1 or energies.size == 0:
        raise ValueError(f"energies must be a non-empty 1-D array, got shape {energies.shape}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(4.4, 3), layout="constrained")
    ax.plot(*_thinned(energies), color=color or PALETTE[0], label=label,
            drawstyle="steps-post" if energies.size <= 60 else "default",
            marker="o" if energies.size <= 30 else None, markersize=4)
    _step_axes(ax, xlabel, "energy E")
    if label is not None:
        ax.legend()
    return ax


def plot_overlaps(result, labels=None, ax=None):
    """Draw the overlap of the recalled state with every stored pattern over time.

    Parameters
    ----------
    result : RecallResult
        Of one cue.
    labels : sequence of str, optional
        One name per stored pattern (default "pattern 0", "pattern 1", ...).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_result(result)
    overlaps = result.overlaps
    if overlaps.ndim != 2:
        raise ValueError("result must be the recall of one cue, not of a stack")
    n_stored = overlaps.shape[1]
    labels = _check_labels(labels, n_stored)
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(4.4, 3), layout="constrained")
    for k in range(n_stored):
        ax.plot(result.snapshot_steps, overlaps[:, k], label=str(labels[k]),
                color=PALETTE[k % len(PALETTE)], linestyle=_LINESTYLES[k % len(_LINESTYLES)],
                linewidth=2)
    ax.set_ylim(-1.08, 1.08)
    ax.axhline(0, color="#999999", linewidth=0.8)
    _step_axes(ax, _step_unit(result), "overlap m")
    if n_stored:
        ax.legend(loc="best", framealpha=0.8)
    return ax


def _draw_matrix(ax, values, vmax, fmt=None):
    """``values`` (R, C) from purple (-vmax) through white to orange (+vmax), masked cells
    grey; with ``fmt``, each value written in its cell, white on the dark colours."""
    cmap = _pyplot().get_cmap("PuOr_r").with_extremes(bad="#dddddd")
    image = ax.imshow(values, cmap=cmap, vmin=-vmax, vmax=vmax, interpolation="nearest")
    mask = np.ma.getmaskarray(values)
    for (r, c), v in np.ndenumerate(np.ma.filled(values, 0) if fmt else []):
        if not mask[r, c]:
            ax.text(c, r, fmt(v), ha="center", va="center", fontsize=11,
                    color="white" if abs(v) > 0.55 * vmax else "black")
    return image


def plot_weights(weights, ax=None, title="weights", block=None):
    """Draw a weight matrix: orange = positive (agree), purple = negative (disagree).

    Parameters
    ----------
    weights : HopfieldNetwork or array_like (N, N)
    ax : matplotlib Axes, optional
    title : str
    block : int, optional
        Draw black lines every ``block`` neurons (e.g. 5 between the rows of a 5x5 letter).

    Returns
    -------
    matplotlib.axes.Axes
    """
    w = weights.weights if isinstance(weights, HopfieldNetwork) else np.asarray(weights, float)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError(f"weights must be a square matrix, got shape {w.shape}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(5, 4.2), layout="constrained")
    image = _draw_matrix(ax, w, float(np.abs(w).max()) or 1.0)
    ax.figure.colorbar(image, ax=ax, shrink=0.85, label="weight")
    if block:
        for edge in np.arange(block, w.shape[0], block) - 0.5:
            ax.axhline(edge, color="black", linewidth=1.2)
            ax.axvline(edge, color="black", linewidth=1.2)
    ax.set_xlabel("neuron j")
    ax.set_ylabel("neuron i")
    ax.set_title(title)
    return ax


# -- pictures as PNG, straight from the numbers: what keeps the sliders quick ----------------

_PANEL_PIXELS = 240  # a picture panel is about this many screen pixels wide


def _pattern_image(pattern, caption=None, width=_PANEL_PIXELS):
    """A pattern as a PIL image, ink black, scaled up by whole pixels (a grid between
    pixels when there are few), with an optional caption strip above it."""
    from PIL import Image

    image = _display_array(pattern)
    rows, cols = image.shape
    scale = max(1, round(width / max(rows, cols)))
    grey = np.round((1 - image) * 127.5).astype(np.uint8)  # +1 -> 0 (black), -1 -> 255
    big = np.repeat(np.repeat(grey, scale, axis=0), scale, axis=1)
    if max(rows, cols) <= 32 and scale >= 4:
        big[::scale, :] = big[:, ::scale] = 160  # the pixel grid, as in plot_patterns
    big = np.pad(big, 1, constant_values=128)  # a frame, so white pixels have an edge
    picture = Image.fromarray(big, mode="L")
    return picture if caption is None else _with_caption(picture, _caption_lines(caption))


def _font(size=18):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _caption_lines(text, width=None) -> list:
    """``text`` split into lines at "\\n" and, given a ``width`` in pixels, at spaces too,
    so that each line fits it (a word splits only after a hyphen, if it is too wide; two
    lines are balanced: "mixture of" / "1, 4 and 7", not "mixture of 1, 4" / "and 7")."""
    font, lines = _font(), []
    for paragraph in str(text).split("\n"):
        words, parts = [], [[]]
        for word in paragraph.split(" "):
            wide = width and font.getlength(word) > width
            words += word.replace("-", "- ").split() if wide else [word]
        for word in words:
            if width and parts[-1] and font.getlength(" ".join(parts[-1] + [word])) > width:
                parts.append([])
            parts[-1].append(word)
        if len(parts) == 2:  # break where the longer of the two lines is shortest
            best = min(range(1, len(words)), key=lambda k: max(
                font.getlength(" ".join(words[:k])), font.getlength(" ".join(words[k:]))))
            parts = [words[:best], words[best:]]
        lines += [" ".join(part) for part in parts]
    return [] if lines == [""] else lines


def _with_caption(picture, lines):
    """``picture`` under a white strip holding the caption ``lines``, each centred."""
    from PIL import Image, ImageDraw

    if not lines:
        return picture
    font, line_height = _font(), 22
    width = max([picture.width] + [int(font.getlength(line)) + 8 for line in lines])
    framed = Image.new("L", (width, picture.height + line_height * len(lines) + 4), 255)
    draw = ImageDraw.Draw(framed)
    for k, line in enumerate(lines):
        draw.text((width // 2, 2 + k * line_height), line, fill=0, font=font, anchor="ma")
    framed.paste(picture, ((width - picture.width) // 2, line_height * len(lines) + 4))
    return framed


def _small_png(image) -> bytes:
    """A picture to keep in a notebook file: 32 colours (ink, paper, greys and the charts'
    few colours are all there is) and full compression keep the file small."""
    from PIL import Image

    return _png(image.convert("RGB").quantize(32, method=Image.Quantize.FASTOCTREE), compress=9)


def _png(image, compress=1) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=compress)  # 1: light, and quick
    return buffer.getvalue()


def _decoded(png: bytes):
    import io

    from PIL import Image

    return Image.open(io.BytesIO(png))


def _panel_png(panel) -> bytes:
    """PNG bytes of one panel: a pattern, a figure, a chart, or a (caption, pattern) pair."""
    caption, content = panel if isinstance(panel, tuple) else (None, panel)
    if isinstance(content, _Chart):
        return content.png()
    if isinstance(content, _Panels):  # a grid of pictures (picture_grid), as one PNG
        return _png(content.image)
    if hasattr(content, "savefig"):
        import io

        buffer = io.BytesIO()
        content.savefig(buffer, format="png", dpi=100, pil_kwargs={"compress_level": 1})
        return buffer.getvalue()
    return _png(_pattern_image(content, caption))


def _sheet(images, ncols=None):
    """Images in rows 12 pixels apart, tops aligned: rows that wrap past 1,000 pixels (any
    wider, and JupyterLab shrinks the picture and its text), or ``ncols`` columns of one
    width with each image centred in its column. One PIL image, in grey levels if every
    image is."""
    from PIL import Image

    if ncols:
        stride = max(image.width for image in images) + 10
        rows = [images[k : k + ncols] for k in range(0, len(images), ncols)]
        lefts = [[j * stride + (stride - i.width) // 2 for j, i in enumerate(row)] for row in rows]
        width = stride * min(ncols, len(images))
    else:
        rows, lefts, x = [[]], [[]], 0
        for image in images:
            if rows[-1] and x + image.width > 1000:
                rows, lefts, x = rows + [[]], lefts + [[]], 0
            rows[-1].append(image)
            lefts[-1].append(x)
            x += image.width + 12
        width = max(xs[-1] + row[-1].width + 12 for xs, row in zip(lefts, rows))
    mode = "L" if all(image.mode == "L" for image in images) else "RGB"
    heights = [max(image.height for image in row) + 12 for row in rows]
    sheet = Image.new(mode, (width, sum(heights)), "white")
    for row, xs, y in zip(rows, lefts, np.cumsum([0] + heights)):
        for image, x in zip(row, xs):
            sheet.paste(image.convert(mode), (x, int(y)))
    return sheet


def _aligned(pictures, captions) -> list:
    """Each picture under its caption lines, shorter captions padded above so that the
    pictures of a row line up."""
    most = max(len(lines) for lines in captions)
    return [_with_caption(p, [""] * (most - len(c)) + c) for p, c in zip(pictures, captions)]


_GRID_PIXELS = 112  # a picture in a grid of many is about this many screen pixels wide


class _Panels(list):
    """Panels (patterns, ``(caption, pattern)`` pairs and charts) that show themselves as
    one PNG when they are the last line of a cell: in a row that wraps or, with ``ncols``,
    in a grid of small captioned pictures under column titles and a title. An
    :class:`Explorer` draws them panel by panel."""

    def __init__(self, panels=(), ncols=None, column_titles=None, title=None):
        super().__init__(panels)
        self.ncols, self.column_titles, self.title = ncols, column_titles, title

    @property
    def image(self):
        """The panels as one PIL image (grey levels, mode "L", if all are pictures)."""
        if self.ncols is None:
            return _sheet([_decoded(_panel_png(panel)) for panel in self])
        from PIL import Image, ImageDraw

        pictures = [_pattern_image(pattern, None, _GRID_PIXELS) for _, pattern in self]
        fit = max(picture.width for picture in pictures) - 8
        captions = [_caption_lines(caption, fit) for caption, _ in self]
        cells = []
        for k in range(0, len(self), self.ncols):  # row by row, the captions aligned
            cells += _aligned(pictures[k : k + self.ncols], captions[k : k + self.ncols])
        if self.column_titles is not None:
            blank = Image.new("L", (1, 1), 255)
            cells = _aligned([blank] * self.ncols,
                             [_caption_lines(text, fit) for text in self.column_titles]) + cells
        sheet = _sheet(cells, self.ncols)
        if self.column_titles is not None:  # a rule between the titles and the captions
            y = max(cell.height for cell in cells[: self.ncols]) + 5
            ImageDraw.Draw(sheet).line([(4, y), (sheet.width - 4, y)], fill=150, width=1)
        return _with_caption(sheet, _caption_lines(self.title)) if self.title else sheet

    def _repr_png_(self):
        return _small_png(self.image)  # kept in the notebook file

    def __repr__(self):
        return f"<{len(self)} panels>"


class _Chart:
    """A chart panel drawn once, with a vertical marker drawn over its picture.

    Moving the marker (a step slider) draws one line with Pillow on the rendered chart,
    instead of rendering the whole figure again: that is what keeps a step slider quick.
    """

    def __init__(self, png: bytes, box, x_to_pixel, mark=None):
        self.base, self.box, self.x_to_pixel, self.mark = png, box, x_to_pixel, mark

    def marked(self, x) -> "_Chart":
        return _Chart(self.base, self.box, self.x_to_pixel, x)

    def png(self) -> bytes:
        if self.mark is None:
            return self.base
        from PIL import ImageDraw

        image = _decoded(self.base).convert("RGB")
        left, top, right, bottom = self.box
        x = min(max(self.x_to_pixel(self.mark), left), right)
        ImageDraw.Draw(image).line([(x, top), (x, bottom)], fill=PALETTE[5], width=3)
        return _png(image)


def _offscreen_figure(width, height=2.6):
    """A figure with one axes that only this module draws (pyplot never shows it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _pyplot()  # the projector sizes
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    fig.add_subplot()
    return fig


def _chart(fig, drawn=False) -> "_Chart":
    """Render ``fig`` once (unless it is ``drawn`` already) and keep what is needed to
    mark a step on its first axes."""
    from PIL import Image

    ax = fig.axes[0]
    if not drawn:
        fig.canvas.draw()  # one draw, straight to pixels (savefig would draw twice)
    png = _png(Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).convert("RGB"))
    height = fig.bbox.height
    x0, y0, x1, y1 = ax.bbox.extents  # pixels from the bottom left
    (low, high), (p_low, p_high) = ax.get_xlim(), ax.bbox.intervalx
    return _Chart(png, (x0, height - y1, x1, height - y0),
                  lambda x: p_low + (x - low) * (p_high - p_low) / (high - low))


# The charts of the last few recalls shown (so a step slider only moves a marker), and one
# pair of figures per kind of recall, whose lines a new recall reuses: a chart is then
# rendered again, but neither built nor laid out again.
_chart_cache: dict = {}
_chart_figures: dict = {}


def _recall_charts(result, labels):
    labels = None if labels is None else tuple(str(label) for label in labels)
    # The result is kept too, so its id() cannot be reused while it is cached.
    return _remembered(_chart_cache, (id(result), labels),
                       lambda: (result, *_draw_recall_charts(result, labels)), 6)[1:]


def _draw_recall_charts(result, labels):
    kind = (labels, result.update, result.steps, result.overlaps.shape[1])
    if kind not in _chart_figures:
        energy_fig, overlap_fig = _offscreen_figure(2.9), _offscreen_figure(3.7)
        plot_energy(result, ax=energy_fig.axes[0])
        plot_overlaps(result, labels=labels, ax=overlap_fig.axes[0])
        legend = overlap_fig.axes[0].get_legend()
        if legend is not None:  # beside the chart: it never hides a line, and is quick
            legend.set_loc("center left")
            legend.set_bbox_to_anchor((1.0, 0.5))
        for fig in (energy_fig, overlap_fig):
            fig.canvas.draw()
            fig.set_layout_engine("none")  # keep this layout: later renders only draw
        # The overlap chart's axes never change for this kind of recall (the same steps,
        # overlaps from -1 to 1): keep it drawn without its curves, and later draw only
        # the curves over it.
        curves = overlap_fig.axes[0].lines[: result.overlaps.shape[1]]
        for line in curves:
            line.set_visible(False)
        overlap_fig.canvas.draw()
        background = overlap_fig.canvas.copy_from_bbox(overlap_fig.bbox)
        for line in curves:
            line.set_visible(True)
        _remembered(_chart_figures, kind, lambda: (energy_fig, overlap_fig, background), 8)
        return _chart(energy_fig), _chart(overlap_fig)
    energy_fig, overlap_fig, background = _chart_figures[kind]
    energy_ax, overlap_ax = energy_fig.axes[0], overlap_fig.axes[0]
    energy_ax.lines[0].set_data(*_thinned(result.energies))
    energy_ax.relim()
    energy_ax.autoscale_view()
    overlap_fig.canvas.restore_region(background)
    for line, values in zip(overlap_ax.lines, result.overlaps.T):
        line.set_data(result.snapshot_steps, values)
        overlap_ax.draw_artist(line)
    return _chart(energy_fig), _chart(overlap_fig, drawn=True)


def plot_recall(result, step=None, labels=None, charts=True):
    """A recall as a row of panels: the cue, the state at ``step``, the energy and the
    overlaps (with ``step`` marked).

    Shown as one picture when it is the last line of a cell; an :class:`Explorer`'s draw
    function can return it as it is, and then a step slider only redraws what changed.

    Parameters
    ----------
    result : RecallResult
        Of one cue.
    step : int, optional
        Which step to show (default: the last).
    labels : sequence of str, optional
        Names of the stored patterns, for the overlap chart and the verdict.
    charts : bool
        False leaves out the energy and overlap charts (only the two pictures).

    Returns
    -------
    list of panels
    """
    _check_result(result)
    if np.ndim(result.converged):
        raise ValueError("result must be the recall of one cue, not of a stack")
    step = result.steps if step is None else step
    state = result.state_at(step)  # checks the step
    shape = state.shape if state.ndim == 2 else (1, state.size)
    title = f"after {_updates(result, step)}"
    if result.trajectory is None:  # +1/-1 states: say how much the recall has repaired
        changed = int(np.count_nonzero(result.initial_state != state))
        title += f"\n{changed:,} pixel{'' if changed == 1 else 's'} changed"
    panels = _Panels([("cue", result.initial_state.reshape(shape)),
                      (title, np.clip(state, -1, 1).reshape(shape))])
    if charts:
        energy, overlaps = _recall_charts(result, labels)
        panels += [energy.marked(step), overlaps.marked(step)]
    return panels


def save_recall_gif(result, path, frames=40, fps=8):
    """Save a recall as an animated GIF: the state, step by step (written by Pillow).

    Parameters
    ----------
    result : RecallResult
        Of one cue.
    path : str or pathlib.Path
        Where to write the ``.gif``.
    frames : int >= 2
        Frames spread evenly over the recall (the first and the last included).
    fps : int >= 1
        Frames per second.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    import pathlib

    _check_result(result)
    path = pathlib.Path(path)
    if path.suffix.lower() != ".gif":
        raise ValueError(f"path must end in .gif, got {str(path)!r}")
    frames = _check_count(frames, "frames", minimum=2)
    fps = _check_count(fps, "fps", minimum=1)
    unit = "update" if result.update == "async" else "step"
    steps = np.unique(np.round(np.linspace(0, result.steps, frames)).astype(int))
    images = [_pattern_image(np.clip(result.state_at(int(t)), -1, 1),
                             "cue" if t == 0 else f"{unit} {t:,}") for t in steps]
    from PIL import ImageOps

    size = (max(i.width for i in images), max(i.height for i in images))
    images = [ImageOps.pad(i, size, color=255) for i in images]  # every frame the same size
    images[0].save(path, save_all=True, append_images=images[1:], duration=1000 // fps, loop=0)
    return path

# ======================================================================================
# 8. Widgets (ipywidgets is imported only when an explorer is built)
# ======================================================================================

class Explorer:
    """Controls around a drawing function: move a control, and the picture changes.

    As with ``ipywidgets.interact``, an explorer is a plot function plus controls. The
    drawing function returns *panels*: a matplotlib Figure, a pattern (drawn as a
    picture), a ``(caption, pattern)`` pair, or a list of these, such as
    :func:`plot_recall` returns. Each panel is shown as its own picture and redrawn only
    when it changed, so a slider that moves one picture redraws only that one. A grid
    from :func:`picture_grid` is shown whole, as one picture, so its columns line up.

    Parameters
    ----------
    draw : callable
        Called with the current value of each control its parameters name, and with
        ``result=`` the value ``recall`` returned, if it has a ``result`` parameter.
    recall : callable, optional
        The slow part: called with the controls its parameters name, and only when one of
        them moves. Its value is kept and handed to ``draw``, so a control that only
        ``draw`` uses (a step slider scrubbing through the kept recall) redraws at once.
        A control called ``step`` follows the kept result: its maximum becomes
        ``result.steps`` and it jumps to the end after every new recall, with a Play
        button beside it.
    **controls
        ``name=abbreviation``: ``(min, max)`` or ``(min, max, step)`` gives a slider (of
        whole numbers if all three are ints), a list of values gives buttons (or a
        drop-down for more than four), ``True``/``False`` a checkbox; an ipywidgets
        control is used as it is, and a :class:`DrawingCanvas` gives its pattern (each
        stroke is a move). Starting values are the defaults of the functions' parameters,
        as with ``interact``; an underscore in a name shows as a space.

    Attributes
    ----------
    controls : dict of str -> ipywidgets control
        Set ``.value`` to move one, or use :meth:`set` to move several at once.
    result : object
        What ``recall`` last returned (None without ``recall``).
    panels : list
        What ``draw`` last returned, as a list.
    pictures : list of ipywidgets.Image
        The panels as shown.
    widget : ipywidgets.VBox
        The controls above the pictures: what a cell displays.

    Examples
    --------
    >>> def run(noise=0.2, seed=0):
    ...     return net.recall(add_noise(x, noise, seed=seed), steps=75, seed=seed)
    >>> def draw(result, step):
    ...     return plot_recall(result, step)
    >>> Explorer(draw, run, noise=(0.0, 1.0, 0.05), seed=(0, 20), step=(0, 75))  # doctest: +SKIP
    """

    def __init__(self, draw, recall=None, **controls):
        import inspect

        import ipywidgets as widgets

        if not callable(draw):
            raise TypeError(f"draw must be a function that returns panels, got {draw!r}")
        if recall is not None and not callable(recall):
            raise TypeError(f"recall must be a function or None, got {recall!r}")
        if not controls:
            raise ValueError("controls are missing: name at least one, e.g. noise=(0.0, 1.0)")
        self._draw_fn, self._recall_fn = draw, recall
        draw_params = inspect.signature(draw).parameters
        recall_params = inspect.signature(recall).parameters if recall else {}
        self._draw_names, self._recall_names = set(draw_params) - {"result"}, set(recall_params)
        self._draw_takes_result = "result" in draw_params
        empty = inspect.Parameter.empty
        defaults = {name: param.default for params in (draw_params, recall_params)  # recall's win
                    for name, param in params.items() if param.default is not empty}
        for name in (self._draw_names | self._recall_names) - set(controls) - set(defaults):
            raise ValueError(f"{name!r} is a parameter of draw or recall but has no control "
                             "and no default value")
        # A drawing canvas is a control whose value is its pattern, changed by each stroke.
        self._canvases = {n: c for n, c in controls.items() if isinstance(c, DrawingCanvas)}
        self.controls = {name: spec.widget if name in self._canvases else
                         _control(name, spec, defaults.get(name))
                         for name, spec in controls.items()}
        self.result, self.panels, self.pictures = None, [], []
        self._pngs, self._holding = [], False
        rows = [widgets.HBox(list(self.controls.values()),
                             layout=widgets.Layout(flex_flow="row wrap"))]
        self._picture_row = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap",
                                                               align_items="flex-start"))
        self.widget = widgets.VBox(rows + [self._picture_row])
        for name, control in self.controls.items():
            control.observe(self._on_change, names="grid" if name in self._canvases else "value")
        self._refresh(new_result=recall is not None)
        step = self.controls.get("step")
        if recall is not None and isinstance(step, widgets.IntSlider):
            # Play moves one notch of the slider per frame (a recall of 50,000 updates
            # played one update at a time would take hours). The slider leads the links,
            # so the Play button starts where the slider is, in the kernel and the page.
            play = widgets.Play(interval=150, min=step.min, max=step.max, value=step.value,
                                step=step.step, description="play")
            widgets.jslink((step, "value"), (play, "value"))  # smooth in the page
            widgets.dlink((step, "value"), (play, "value"))  # and the same in the kernel
            widgets.dlink((step, "max"), (play, "max"))
            rows[0].children = (play,) + rows[0].children

    @property
    def values(self) -> dict:
        """The current value of every control, by name.

        A float slider's value is snapped to its step: a browser can report 0.1 + 0.2 as
        0.30000000000000004, and an exact tie (a field of exactly 0) must stay exact.
        """
        import ipywidgets as widgets

        values = {}
        for name, control in self.controls.items():
            value = self._canvases[name].pattern if name in self._canvases else control.value
            if isinstance(control, widgets.FloatSlider) and control.step:
                value = round(control.min + round((value - control.min) / control.step)
                              * control.step, 10)
            values[name] = value
        return values

    def set(self, **values):
        """Move several controls as a student would, then redraw once.

        Returns
        -------
        Explorer
            Itself, so a test can read ``.result`` or ``.panels`` straight after.
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"no control called {sorted(unknown)}; the controls are "
                             f"{sorted(self.controls)}")
        new_result = self._recall_fn is not None and bool(self._recall_names & set(values))
        self._holding = True
        try:
            for name, value in values.items():
                if name in self._canvases:
                    self._canvases[name].pattern = value
                else:
                    self.controls[name].value = value
        finally:
            self._holding = False
        self._refresh(new_result=new_result, step=values.get("step"))
        return self

    def _on_change(self, change):
        if self._holding:
            return
        name = next(n for n, c in self.controls.items() if c is change["owner"])
        self._refresh(new_result=name in self._recall_names)

    def _refresh(self, new_result: bool, step=None):
        """Recall again if asked, then draw. ``step``: where to put the step slider
        after a new recall (default: the recall's last step)."""
        values = self.values
        if new_result:
            self.result = self._recall_fn(**{n: values[n] for n in self._recall_names
                                             if n in values})
            slider = self.controls.get("step")
            if slider is not None and hasattr(self.result, "steps"):
                # The step slider scrubs through this recall: its end is the last step.
                self._holding = True
                try:
                    slider.max = self.result.steps
                    slider.value = self.result.steps if step is None else min(step, slider.max)
                finally:
                    self._holding = False
                values = self.values
        kwargs = {n: values[n] for n in self._draw_names if n in values}
        if self._draw_takes_result:
            kwargs["result"] = self.result
        panels = self._draw_fn(**kwargs)
        if isinstance(panels, _Panels) and panels.ncols:  # a grid under column titles
            panels = [panels]  # stays one picture, its columns lined up
        self.panels = list(panels) if isinstance(panels, (list, tuple)) and not (
            len(panels) == 2 and isinstance(panels[0], str)) else [panels]
        self._show()

    def _show(self):
        import ipywidgets as widgets

        plt = _pyplot()
        pngs = []
        for panel in self.panels:
            pngs.append(_panel_png(panel))
            content = panel[1] if isinstance(panel, tuple) else panel
            if hasattr(content, "savefig"):
                plt.close(content)  # shown here only, never a second time by the notebook
        if len(pngs) != len(self.pictures):
            self.pictures = [widgets.Image(format="png") for _ in pngs]
            self._picture_row.children = self.pictures
        for picture, png in zip(self.pictures, pngs):
            if picture.value != png:  # only what changed travels to the browser
                picture.value = png
        self._pngs = pngs

    def _repr_mimebundle_(self, **kwargs):
        # The live widget, and its first picture for a viewer without a kernel.
        import base64

        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"Explorer({', '.join(self.controls)})"
        sheet = _sheet([_decoded(png) for png in self._pngs])
        bundle["image/png"] = base64.b64encode(_small_png(sheet)).decode("ascii")
        return bundle


def _control(name, spec, default):
    """An ipywidgets control from an ``interact``-style abbreviation (see Explorer)."""
    import ipywidgets as widgets

    label = name.replace("_", " ")
    style = {"description_width": "initial"}
    if isinstance(spec, widgets.ValueWidget):
        return spec
    if isinstance(spec, bool):
        return widgets.Checkbox(value=spec if default is None else bool(default),
                                description=label, style=style)
    if isinstance(spec, tuple) and 2 <= len(spec) <= 3 and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in spec):
        low, high = spec[0], spec[1]
        if not low < high:
            raise ValueError(f"{name}: a slider needs (min, max) with min < max, got {spec}")
        whole = all(isinstance(v, numbers.Integral) for v in spec)
        step = spec[2] if len(spec) == 3 else (1 if whole else (high - low) / 20)
        value = low if default is None else default
        # Sliders that start a new recall wait for the mouse to let go; the step slider
        # (cheap: it only replays a kept recall) follows the mouse.
        follow = name == "step"
        common = dict(min=low, max=high, step=step, value=value, description=label,
                      continuous_update=follow, style=style,
                      layout=widgets.Layout(width="360px"))
        if whole:
            return widgets.IntSlider(**common)
        decimals = max(0, -int(np.floor(np.log10(step)))) if step < 1 else 0
        return widgets.FloatSlider(readout_format=f".{decimals}f", **common)
    if isinstance(spec, (list, tuple)) and spec:
        options = list(spec)
        value = options[0] if default is None else default
        if value not in options:
            raise ValueError(f"{name}: the starting value {value!r} is not one of {options}")
        if len(options) <= 4:
            return widgets.ToggleButtons(options=options, value=value, description=label,
                                         style={**style, "button_width": "auto"})
        return widgets.Dropdown(options=options, value=value, description=label, style=style)
    raise TypeError(f"{name}: a control must be (min, max), (min, max, step), a list of "
                    f"choices, True/False or an ipywidgets control, got {spec!r}")


@functools.cache
def _canvas_widget_class():
    """The anywidget class behind :class:`DrawingCanvas`. Made on first use and kept, so
    that importing this module imports neither anywidget nor ipywidgets."""
    import pathlib

    import anywidget
    import traitlets

    def bytes_from_json(value, widget):
        return None if value is None else bytes(value)  # the page sends a memoryview

    class CanvasWidget(anywidget.AnyWidget):
        """The synced state of one canvas; the painting is done by hopfield_canvas.js."""

        _esm = pathlib.Path(__file__).with_name("hopfield_canvas.js")
        # One byte per pixel, row by row, 1 ink and 0 background: one small binary buffer
        # per stroke, rather than a JSON list of +1/-1 to parse.
        grid = traitlets.Bytes(b"").tag(sync=True, from_json=bytes_from_json)
        rows = traitlets.Int(5).tag(sync=True)
        cols = traitlets.Int(5).tag(sync=True)
        brush = traitlets.Int(1).tag(sync=True)
        pixel_size = traitlets.Int(32).tag(sync=True)
        mode = traitlets.Enum(("paint", "erase"), "paint").tag(sync=True)
        readout_text = traitlets.Unicode("").tag(sync=True)
        can_recall = traitlets.Bool(False).tag(sync=True)  # shows the page's recall button

        @traitlets.validate("grid")
        def _check_grid(self, proposal):
            # Whatever arrives, from Python or the page, must fit the grid, so that a
            # canvas's pattern is never the wrong shape or holds other values.
            value = proposal["value"]
            if len(value) != self.rows * self.cols or value.translate(None, b"\0\1"):
                raise traitlets.TraitError(f"grid must be {self.rows * self.cols} bytes of "
                                           f"0 or 1, got {len(value)} bytes")
            return value

    return CanvasWidget


class DrawingCanvas:
    """A grid to paint a +1/-1 pattern on, with the mouse, a pen or a finger.

    A stroke paints ink (+1), or erases to background (-1) in erase mode; Shift, Alt or
    the right button does the other one for that stroke. Buttons under the grid: paint,
    erase, undo (the last stroke or button press), invert, clear, and recall if a
    ``recall`` function is given; Tab reaches each one. The drawing reaches Python when a
    stroke ends (not once per pixel), and ``readout`` describes it in a line or two under
    the grid. Pass a canvas to an :class:`Explorer` as a control, and the explorer reruns
    after every stroke with the drawing as that control's value.

    Parameters
    ----------
    shape : (rows, cols)
        Each side from 5 to 128 grid pixels: (5, 5) for a letter, (128, 128) for a picture.
    start : array_like of +1/-1, shape ``shape`` (or flat), optional
        What is drawn at first (default: all background). It is not modified.
    brush : int >= 1, optional
        The width of the brush, in grid pixels; the page clips a huge one to the grid.
        Default 1 up to 48 pixels a side, then about ``max(shape) / 32`` (4 at 128x128).
    readout : callable, optional
        ``readout(pattern) -> str``, called with a copy of the pattern (int8, shape
        ``shape``) at the start, after each stroke or button press, and each time Python
        sets the pattern. Its text is shown under the grid, as plain text.
    recall : callable, optional
        ``recall(pattern) -> RecallResult``. The page then has a recall button: pressing
        it calls ``recall`` with the drawing and :meth:`play`\\ s the result on the grid.
    pixel_size : int from 2 to 100, optional
        Screen pixels per grid pixel (default: the grid about 320-480 pixels wide).

    Attributes
    ----------
    shape : tuple of int
    pattern : ndarray of int8, shape ``shape``
        The drawing, +1 ink and -1 background: a new array at each read. Set it to show a
        stored pattern or a noisy cue; the page redraws.
    brush : int
        Settable, as above.
    readout_text : str
        The text shown under the grid.
    widget : anywidget.AnyWidget
        What a cell displays. Showing the canvas itself does the same, plus a picture of
        the drawing for a notebook opened without its kernel.

    Notes
    -----
    Undo lives in the page and takes back strokes and button presses, not the patterns
    Python set. A pattern Python sets during a stroke (a recall playing) is shown at
    once with the stroke so far painted over it, and the stroke goes on.

    Examples
    --------
    >>> canvas = DrawingCanvas((5, 5), start=letter_pattern("X"),
    ...                        readout=lambda p: f"{(p == 1).sum()} ink pixels")
    >>> canvas.readout_text
    '9 ink pixels'
    >>> canvas.pattern = letter_pattern("O")  # the page redraws
    """

    def __init__(self, shape=(5, 5), start=None, brush=None, readout=None, recall=None,
                 pixel_size=None):
        shape = _check_shape(shape)
        if len(shape) != 2 or not all(5 <= side <= 128 for side in shape):
            raise ValueError(f"shape must be (rows, cols), each from 5 to 128, got {shape!r}")
        if recall is not None and not callable(recall):
            raise TypeError(f"recall must be a function pattern -> RecallResult, got {recall!r}")
        self.shape, self._recall_fn = shape, recall
        pixel_size = max(3, min(64, 480 // max(shape))) if pixel_size is None else pixel_size
        pixel_size = _check_count(pixel_size, "pixel_size", minimum=2)
        if pixel_size > 100:
            raise ValueError(f"pixel_size must be from 2 to 100 screen pixels, got {pixel_size}")
        start = -np.ones(shape, np.int8) if start is None else self._checked(start, "start")
        self.widget = _canvas_widget_class()(
            rows=shape[0], cols=shape[1], pixel_size=pixel_size, grid=self._to_bytes(start),
            can_recall=recall is not None)
        self.brush = (1 if max(shape) <= 48 else round(max(shape) / 32)) if brush is None else brush
        self._readout_fn, self._setting = None, False  # _setting: Python is setting the grid
        self.readout = readout
        self.widget.observe(self._on_grid, names="grid")
        self.widget.on_msg(self._on_message)

    def _checked(self, value, name) -> np.ndarray:
        arr = _check_pm1(value, name)  # a new int8 array: the caller's is never touched
        if arr.shape != self.shape and arr.shape != (self.shape[0] * self.shape[1],):
            flat = self.shape[0] * self.shape[1]
            raise ValueError(f"{name} must have shape {self.shape} (or {flat} values flat), "
                             f"got shape {arr.shape}")
        return arr.reshape(self.shape)

    @staticmethod
    def _to_bytes(pattern: np.ndarray) -> bytes:
        return (pattern > 0).astype(np.uint8).tobytes()

    @property
    def pattern(self) -> np.ndarray:
        """The drawing as +1 (ink) / -1 (background), a new int8 array of shape ``shape``."""
        ink = np.frombuffer(self.widget.grid, dtype=np.uint8).reshape(self.shape)
        return ink.astype(np.int8) * 2 - 1

    @pattern.setter
    def pattern(self, value):
        self._show(self._checked(value, "pattern"))
        # Set in code, a failing readout raises here, where its author sees it.
        self.widget.readout_text = self._text(self._readout_fn)

    def _show(self, pattern):
        """Put ``pattern`` on the grid without a readout (a frame of a recall playing)."""
        self._setting = True
        try:
            self.widget.grid = self._to_bytes(pattern)
        finally:
            self._setting = False

    @property
    def brush(self) -> int:
        """The width of the brush, in grid pixels."""
        return self.widget.brush

    @brush.setter
    def brush(self, value):
        self.widget.brush = _check_count(value, "brush", minimum=1)

    @property
    def readout(self):
        """``readout(pattern) -> str``, or None for no text under the grid."""
        return self._readout_fn

    @readout.setter
    def readout(self, fn):
        if fn is not None and not callable(fn):
            raise TypeError(f"readout must be a function pattern -> str, or None, got {fn!r}")
        text = self._text(fn)  # first, so that a failing function is not kept
        self._readout_fn = fn
        self.widget.readout_text = text

    @property
    def readout_text(self) -> str:
        """The text shown under the grid."""
        return self.widget.readout_text

    def _text(self, fn, in_page=False) -> str:
        if fn is None:
            return ""
        try:
            text = fn(self.pattern)
            if not isinstance(text, str):
                raise TypeError(f"readout must return a str, got {type(text).__name__}")
        except Exception as exc:
            if not in_page:
                raise
            # After a stroke a traceback would reach only the server's log: say it here.
            text = f"readout failed: {type(exc).__name__}: {exc}"
        return text

    def _on_grid(self, change):
        if not self._setting:  # a stroke or a button press in the page
            self.widget.readout_text = self._text(self._readout_fn, in_page=True)

    def _on_message(self, widget, content, buffers):
        if content == {"event": "recall"} and self._recall_fn is not None:
            self.play(self._recall_fn(self.pattern))

    def play(self, result, frames=30, seconds=0.1):
        """Show a recall on the grid, frame by frame, ending at its final state.

        Parameters
        ----------
        result : RecallResult
            A recall of one pattern of this canvas's shape.
        frames : int >= 1
            At most this many frames after the cue: the steps where something changed,
            evenly thinned if there are more.
        seconds : float >= 0
            The pause between frames (the kernel waits; the page stays live).
        """
        import time

        _check_result(result)
        frames = _check_count(frames, "frames", minimum=1)
        if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
            raise TypeError(f"seconds must be a number >= 0, got {type(seconds).__name__}")
        if seconds < 0:
            raise ValueError(f"seconds must be a number >= 0, got {seconds!r}")
        if np.size(result.state) != self.shape[0] * self.shape[1]:
            raise ValueError(f"result must be a recall of one {self.shape} pattern, got a "
                             f"state of shape {np.shape(result.state)}")
        changed = np.unique(result.flip_steps) if result.trajectory is None else np.arange(
            1, result.steps + 1)
        shown = changed[np.unique(np.linspace(0, len(changed) - 1, frames).round().astype(int))
                        ] if len(changed) else changed
        for step in [0, *shown]:
            self._show(self._checked(result.state_at(int(step)), "result"))
            time.sleep(seconds)
        self.pattern = result.state  # the last frame, with its readout

    def clear(self) -> np.ndarray:
        """Set every pixel to background; return the pattern."""
        self.pattern = -np.ones(self.shape, dtype=np.int8)
        return self.pattern

    def invert(self) -> np.ndarray:
        """Swap ink and background; return the pattern."""
        self.pattern = -self.pattern
        return self.pattern

    def __repr__(self) -> str:
        return f"DrawingCanvas(shape={self.shape}, brush={self.brush})"

    def _repr_mimebundle_(self, **kwargs):
        # The live canvas, and a picture of the drawing (with its readout) for a viewer
        # without the kernel: a static viewer, or an untrusted notebook.
        import base64

        data, metadata = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        picture = _pattern_image(self.pattern, caption=self.readout_text or None)
        data["image/png"] = base64.b64encode(_small_png(picture)).decode("ascii")
        return data, metadata


# ======================================================================================
# 9. One section per lesson, 01 to 05: what only that lesson uses
# ======================================================================================


# ---- Lesson 01: two neurons and one weight (notebooks/01_two_neurons_energy.ipynb) ----
# Two pictures of a two-neuron network. Neuron 1 runs across and neuron 2 up, so each of
# the four states is a corner of the square [-1, 1] x [-1, 1]. Every number drawn (energy,
# field, stable or not) comes from the network's own public methods.

#: The four states of two neurons, in the order the lesson lists them.
_TWO_NEURON_STATES = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]], dtype=np.int8)
#: How a move is drawn, by which neurons changed: (colour, line style, legend label).
_TWO_NEURON_MOVE_STYLE = {
    (0,): (PALETTE[0], "-", "neuron 1"),
    (1,): (PALETTE[2], "--", "neuron 2"),
    (0, 1): ("#000000", "-.", "both at once"),
}
_TWO_NEURON_PT = 12  # text size in points: 11 pt and up reads on a projector


def _two_neuron_facts(network):
    """(w, b (2,), energies (4,), stable (4,) bool) of a two-neuron network, in the
    order of ``_TWO_NEURON_STATES``."""
    _check_network(network)
    if network.n_neurons != 2:
        raise ValueError(f"network must have two neurons, got {network.n_neurons}")
    w = float(network.weights[0, 1])
    energies = network.energy(_TWO_NEURON_STATES) + 0.0  # + 0.0: no "-0" in labels
    return w, network.bias, energies, network.is_fixed_point(_TWO_NEURON_STATES)


def _two_neuron_finish(ax, title, w, b, xlim, ylim):
    """Both pictures' square frame with no spines, titled (default: the weight and bias)."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    for side in ax.spines.values():
        side.set_visible(False)
    bias = f"{b[0]:g}" if b[0] == b[1] else f"({b[0]:g}, {b[1]:g})"
    ax.set_title(_minus(f"w = {w:g}, bias = {bias}") if title is None else title,
                 fontsize=_TWO_NEURON_PT)
    return ax


def _two_neuron_axes(ax, figsize, rect):
    """``ax``, or one on a new figure at a fixed place: these panels always hold the same
    things in the same places, so no layout engine is needed (a slider redraws faster)."""
    if ax is None:
        ax = _pyplot().figure(figsize=figsize).add_axes(rect)
    return ax


def plot_four_states(network, ax=None, title=None):
    """The four states of a two-neuron network as four separate squares, each coloured
    and labelled by its energy; the stable ones say so.

    Only the four corners exist (a neuron cannot be half on), so nothing is drawn
    between them. Used in lesson 01.

    Parameters
    ----------
    network : HopfieldNetwork
        Of two neurons, e.g. ``HopfieldNetwork.from_weights([[0, w], [w, 0]], bias=b)``.
    ax : matplotlib Axes, optional
    title : str, optional
        Default: the weight and the bias.

    Returns
    -------
    matplotlib.axes.Axes
    """
    w, b, energies, stable = _two_neuron_facts(network)
    vmax = float(np.abs(energies).max()) or 1.0
    ax = _two_neuron_axes(ax, (3.9, 3.9), (0.2, 0.09, 0.78, 0.82))
    plt = _pyplot()
    for (s1, s2), energy, is_stable in zip(_TWO_NEURON_STATES, energies, stable):
        # Purple for low, white for 0, orange for high; the darkest ends of PuOr are left
        # out, so outlines stay visible, and text on the darker colours is white.
        level = 0.5 + 0.4 * float(np.clip(energy / vmax, -1, 1))
        colour, dark = plt.get_cmap("PuOr_r")(level), abs(level - 0.5) > 0.3
        ax.add_patch(plt.Rectangle((s1 - 0.92, s2 - 0.92), 1.84, 1.84, facecolor=colour,
                                   edgecolor="#555555", linewidth=1))
        text = _minus(f"E = {energy:g}") + ("\nstable" if is_stable else "")
        ax.text(s1, s2, text, ha="center", va="center", color="white" if dark else "black",
                fontsize=_TWO_NEURON_PT, fontweight="bold" if is_stable else "normal")
    ax.set_xticks([-1, 1], ["s1 = \u22121", "s1 = +1"], fontsize=_TWO_NEURON_PT - 1)
    ax.set_yticks([-1, 1], ["s2 = \u22121", "s2 = +1"], fontsize=_TWO_NEURON_PT - 1)
    ax.tick_params(length=0)
    return _two_neuron_finish(ax, title, w, b, (-2, 2), (-2, 2))


def _two_neuron_arrow(ax, start, end, bend=0.0, label=None):
    """An arrow from state ``start`` to state ``end``, styled by which neurons changed,
    with a white edge so it stands out on any colour of the landscape."""
    from matplotlib import patheffects

    changed = tuple(int(i) for i in np.flatnonzero(np.asarray(start) != np.asarray(end)))
    colour, style, _ = _TWO_NEURON_MOVE_STYLE[changed]
    halo = [patheffects.withStroke(linewidth=5, foreground="white")]
    arrow = ax.annotate("", xy=tuple(end), xytext=tuple(start), zorder=4,
                        arrowprops=dict(arrowstyle="-|>,head_width=0.4,head_length=0.8",
                                        color=colour, linestyle=style, linewidth=2.4,
                                        shrinkA=16, shrinkB=16,
                                        connectionstyle=f"arc3,rad={bend}"))
    arrow.arrow_patch.set_path_effects(halo)
    if label is not None:
        (x1, y1), (x2, y2) = start, end
        # arc3 bends toward (dy, -dx); the middle of the arc is half the control offset.
        # One neuron's move: a fifth of the way on toward the head, apart from its reverse's.
        offset, on = (bend if bend else 0.2), (0.2 if x1 == x2 or y1 == y2 else 0.0)
        x = (x1 + x2) / 2 + 0.6 * offset * (y2 - y1) + on * (x2 - x1)
        y = (y1 + y2) / 2 - 0.6 * offset * (x2 - x1) + on * (y2 - y1)
        ax.text(x, y, label, ha="center", va="center", fontsize=_TWO_NEURON_PT - 1,
                color=colour, zorder=6, bbox=dict(boxstyle="round,pad=0.2", facecolor="white",
                                                  edgecolor="none", alpha=0.9))


def plot_two_neuron_landscape(network, ax=None, arrows=True, path=None, title=None, step=None):
    """The energy formula between the four corners, the corners themselves, and the
    moves between them: every move one update can make, or the moves of one recall.

    ``E(s1, s2) = -w s1 s2 - b1 s1 - b2 s2`` is coloured over the whole square so that
    valleys can be seen, but the network only ever sits on a corner. Each corner is
    labelled with its state and energy; stable corners are black stars. Solid arrows
    are updates of neuron 1 (they move across), dashed ones updates of neuron 2 (up or
    down). Used in lesson 01.

    Parameters
    ----------
    network : HopfieldNetwork
        Of two neurons, e.g. ``HopfieldNetwork.from_weights([[0, w], [w, 0]], bias=b)``.
    ax : matplotlib Axes, optional
    arrows : bool, default True
        Draw an arrow for every move that one update of one neuron makes (a state with
        no arrow leaving it is stable). Ignored when ``path`` is given.
    path : RecallResult, optional
        A recall of ``network`` from one state: its moves are drawn instead, each
        labelled with the steps that made it, and its start is marked.
    title : str, optional
        Default: the weight and bias, or for a path how it updated and whether it
        settled (with ``step``: how far it got, and the energy there).
    step : int, optional
        Draw the path's moves only up to this step (0 = the start), and put a ball on
        the state the recall is in after it: a step slider scrubs through a recall.

    Returns
    -------
    matplotlib.axes.Axes
    """
    w, b, energies, stable = _two_neuron_facts(network)
    if step is not None and path is None:
        raise ValueError("step needs a path: the recall to show up to that step")
    if path is not None:
        _check_result(path)
        if path.initial_state.shape != (2,):
            raise ValueError(f"path must be a recall of one two-neuron state, got a cue of "
                             f"shape {path.initial_state.shape}")
        ball = path.state_at(path.steps if step is None else step)  # checks the step, too
    vmax = float(np.abs(energies).max()) or 1.0
    ax = _two_neuron_axes(ax, (5.4, 3.8), (0.0, 0.14, 1.0, 0.78))
    grid = np.linspace(-1, 1, 61)
    s1, s2 = np.meshgrid(grid, grid)
    between = -w * s1 * s2 - b[0] * s1 - b[1] * s2  # the energy formula, between corners
    # Bands of equal energy (an odd number, so E = 0 is the middle of the white one).
    levels = np.linspace(-vmax, vmax, 12)
    ax.contourf(s1, s2, np.clip(between, -vmax, vmax), levels=levels, cmap="PuOr_r",
                vmin=-1.25 * vmax, vmax=1.25 * vmax, zorder=0)
    if np.ptp(between) > 1e-12:  # a flat landscape has no contour lines
        ax.contour(s1, s2, between, levels=levels, colors="#555555", linewidths=0.6,
                   linestyles="solid", zorder=1)
    start = None if path is None else tuple(int(v) for v in path.initial_state)
    for (x, y), energy, is_stable in zip(_TWO_NEURON_STATES, energies, stable):
        ax.plot(x, y, marker="*" if is_stable else "o", markersize=24 if is_stable else 13,
                markerfacecolor="black" if is_stable else "white", markeredgecolor="black",
                markeredgewidth=1.5, linestyle="none", clip_on=False, zorder=5)
        text = f"({x:+d}, {y:+d})\nE = {energy:g}" + ("\nstable" if is_stable else "")
        if (x, y) == start:
            text = "start\n" + text
        ax.annotate(_minus(text), (x, y), xytext=(18 * x, 0),
                    textcoords="offset points", ha="left" if x > 0 else "right", va="center",
                    fontsize=_TWO_NEURON_PT, fontweight="bold" if is_stable else "normal")
    kinds = _two_neuron_path_arrows(ax, path, step) if path is not None else (
        _two_neuron_move_arrows(ax, network) if arrows else [])
    if step is not None:  # the ball: under the corner's marker, so a star still shows
        ax.plot(*ball, marker="o", markersize=40, color=PALETTE[5], alpha=0.8,
                linestyle="none", clip_on=False, zorder=4.5, label="the state now")
    if kinds or step is not None:
        for kind in kinds:
            colour, style, label = _TWO_NEURON_MOVE_STYLE[kind]
            if step is not None:  # a noisy sync step can flip one neuron: say who flipped
                label = "both flip" if len(kind) == 2 else f"{label} flips"
            ax.plot([], [], color=colour, linestyle=style, linewidth=2.4, label=label)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4, markerscale=0.4,
                  fontsize=_TWO_NEURON_PT - 1, title=None if step is not None else "who updates",
                  title_fontsize=_TWO_NEURON_PT - 1, frameon=False, handlelength=2.4,
                  columnspacing=1.2)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is None and path is not None:
        how = "one at a time" if path.update == "async" else "both at once"
        title = f"{how}: {_updates(path, path.steps)}, " + (
            "settled" if path.converged else "still flipping") if step is None else _minus(
            f"{how}, after {_updates(path, step)}: E = {path.energies[step] + 0.0:g}")
    return _two_neuron_finish(ax, title, w, b, (-2.6, 2.6), (-1.3, 1.4))


def _two_neuron_move_arrows(ax, network) -> list:
    """An arrow for every move one update makes (a neuron flips when its field opposes
    it; a field of 0 keeps it); returns the kinds of move drawn."""
    flips = _TWO_NEURON_STATES * network.field(_TWO_NEURON_STATES) < 0  # (4 states, 2)
    for k, i in zip(*np.nonzero(flips)):
        _two_neuron_arrow(ax, _TWO_NEURON_STATES[k], _TWO_NEURON_STATES[k] * np.where(
            np.arange(2) == i, -1, 1))
    return sorted({(int(i),) for i in np.nonzero(flips)[1]})


def _two_neuron_path_arrows(ax, result, upto=None) -> list:
    """One labelled arrow per move the recall made (up to step ``upto``, default: all);
    returns the kinds of move drawn."""
    last = result.steps if upto is None else upto
    states = [tuple(int(v) for v in result.state_at(t)) for t in range(last + 1)]
    unit = "update" if result.update == "async" else "step"
    made = {}  # (before, after) -> the steps that made this move
    for t, (before, after) in enumerate(zip(states[:-1], states[1:]), start=1):
        if before != after:
            made.setdefault((before, after), []).append(t)
    kinds = []
    for (before, after), steps in made.items():
        kind = tuple(int(i) for i in np.flatnonzero(np.array(before) != np.array(after)))
        kinds.append(kind)
        # A noisy or cycling recall makes one move many times: name the first two and the last.
        shown = ", ".join(map(str, steps)) if len(steps) <= 3 else (
            f"{steps[0]}, {steps[1]}, \u2026, {steps[-1]} ({len(steps)}\u00d7)")
        label = f"{unit}{'s' if len(steps) > 1 else ''} {shown}"
        bend = 0.3 if len(kind) == 2 else (0.15 if (after, before) in made else 0.0)
        _two_neuron_arrow(ax, before, after, bend=bend, label=label)
    return sorted(set(kinds), key=len)


# ---- Lesson 02: letters on a 5x5 grid (notebooks/02_letters_5x5.ipynb) ----
# The Hebbian weights of a few letters read as votes. The recalls, the counting, the
# Hebbian rule itself and the letters with their changed pixels outlined (plot_patterns)
# are written in the notebook; its drawing grids are DrawingCanvas (section 8).


def plot_votes(network, rows=0, cols=0, labels=None):
    """One block of the weight matrix, and the vote each stored pattern casts in it.

    In Hebb's rule every stored pattern votes on every pair of pixels: ``+1`` if the two
    pixels are the same in it (both ink or both background), ``-1`` if they differ. The
    weight is the sum of the votes divided by N. Used in lesson 02.

    Parameters
    ----------
    network : HopfieldNetwork
        A Hebbian network of P <= 6 patterns of shape (rows, width), e.g. 5x5 letters
        (N = 25 neurons, numbered row by row).
    rows, cols : int
        Which block: the pixels of pattern row ``rows`` (matrix rows) against those of
        pattern row ``cols`` (matrix columns). ``rows=0, cols=0``: the top row with itself.
    labels : sequence of P str, optional
        Names of the stored patterns (default "pattern 0", "pattern 1", ...).

    Returns
    -------
    matplotlib.figure.Figure
        P + 2 panels: the whole (N, N) matrix with the block outlined, one (width, width)
        vote panel per stored pattern (its pixels drawn along the axes as filled or open
        squares), and the sum of the votes, ``N x W`` on the block. A pixel has no weight
        to itself: on the diagonal of a block of a row with itself there is no vote (grey).
    """
    from matplotlib.patches import Rectangle

    _check_network(network)
    if network.rule != "hebb":
        raise ValueError(f"network must use the Hebbian rule (votes), got rule {network.rule!r}")
    if len(network.pattern_shape) != 2:
        raise ValueError(f"network must store 2-D patterns, got shape {network.pattern_shape}")
    if not 1 <= network.n_patterns <= 6:
        raise ValueError(f"network must store 1 to 6 patterns to draw their votes, "
                         f"got {network.n_patterns}")
    n_rows, width = network.pattern_shape
    rows, cols = _check_count(rows, "rows"), _check_count(cols, "cols")
    for value, name in ((rows, "rows"), (cols, "cols")):
        if value >= n_rows:
            raise ValueError(f"{name} must be a pattern row from 0 to {n_rows - 1}, got {value}")
    labels = _check_labels(labels, network.n_patterns)

    x = network.patterns.astype(np.int64)
    n = network.n_neurons
    plt = _pyplot()
    n_panels = network.n_patterns + 2
    fig, axes = plt.subplots(1, n_panels, figsize=(2.75 + 1.75 * (n_panels - 1), 2.9),
                             layout="constrained",
                             gridspec_kw={"width_ratios": [1.6] + [1] * (n_panels - 1)})
    plot_weights(network, ax=axes[0], title=f"all {n} x {n} weights", block=width)
    axes[0].add_patch(Rectangle((cols * width - 0.5, rows * width - 0.5), width, width,
                                fill=False, edgecolor=PALETTE[5], linewidth=3.5, zorder=3))
    axes[0].set_xlabel("")
    axes[0].set_ylabel("")
    no_weight = np.eye(width, dtype=bool) if rows == cols else np.zeros((width, width), bool)
    marks = {1: "\u25a0", -1: "\u25a1"}
    for k in range(network.n_patterns):
        ax = axes[k + 1]
        votes = np.ma.masked_array(np.outer(x[k, rows], x[k, cols]), mask=no_weight)
        _draw_matrix(ax, votes, 1, lambda v: _minus(f"{v:+d}"))
        # Tick labels draw the letter rows' pixels (filled square: ink, open: background),
        # so a reader sees why two pixels vote the way they do.
        ax.set_xticks(range(width), [marks[v] for v in x[k, cols]], fontsize=12)
        ax.set_yticks(range(width), [marks[v] for v in x[k, rows]], fontsize=12)
        ax.tick_params(length=0, pad=1)
        ax.set_title(f"{labels[k]} votes")
    total = np.ma.masked_array(np.einsum("pi,pj->ij", x[:, rows], x[:, cols]), mask=no_weight)
    ax = axes[-1]
    _draw_matrix(ax, total, network.n_patterns, lambda v: _minus(f"{v:+d}") if v else "0")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"sum = {n} \u00d7 W")
    return fig


# ---- Lesson 03: pictures (notebooks/03_image_memory.ipynb) ----
# The lesson thresholds grey pictures with numpy and recalls them with the core; it needs
# only a quick histogram for its threshold slider, and a widget to bring your own picture.

# The histograms of the last few pictures shown, so that the threshold slider only draws
# its line again.
_grey_level_charts: dict = {}


def plot_grey_levels(grey, threshold):
    """How many pixels have each grey level, with a threshold and Otsu's choice marked.

    The grey levels left of the solid line (``grey <= threshold``) are the ones that
    become ink (+1); the dashed line is the threshold Otsu's method picks, the one
    :func:`load_picture` uses. A picture's chart is drawn once and kept (for the last
    few pictures), so moving the threshold only draws the solid line again: quick enough
    for a slider.

    Used in lesson 03.

    Parameters
    ----------
    grey : array_like of int in 0-255, shape (rows, cols)
        A greyscale picture, e.g. from :func:`load_grey_image`. Not modified.
    threshold : int or float in 0-255

    Returns
    -------
    chart panel
        What an :class:`Explorer`'s draw function returns among its panels.
    """
    threshold = _check_grey_level(threshold)
    grey = np.asarray(grey)
    if grey.ndim != 2 or grey.size == 0 or not np.issubdtype(grey.dtype, np.integer) \
            or grey.min() < 0 or grey.max() > 255:
        raise ValueError("grey must be a 2-D array of whole grey levels from 0 to 255, got "
                         f"shape {grey.shape} and dtype {grey.dtype}")
    chart = _remembered(_grey_level_charts, (grey.shape, grey.astype(np.uint8).tobytes()),
                        lambda: _grey_level_chart(grey), 8)
    # A level's bar spans [level, level + 1): the line sits right of the last ink level.
    return chart.marked(threshold + 1)


def _grey_level_chart(grey):
    """The histogram of ``grey`` with Otsu's line, rendered once, as a chart panel."""
    from matplotlib.lines import Line2D

    counts = np.bincount(grey.reshape(-1).astype(np.int64), minlength=256)
    otsu = _otsu_threshold(grey)
    fig = _offscreen_figure(5.2, 2.9)
    # Fixed margins that fit the labels: a layout engine would take most of the time.
    fig.set_layout_engine("none")
    ax = fig.axes[0]
    ax.set_position([0.15, 0.2, 0.82, 0.76])  # left, bottom, width, height
    ax.stairs(counts, np.arange(257), fill=True, color="#999999")
    ax.axvline(otsu + 1, color=PALETTE[0], linewidth=2, linestyle="--")
    ax.set_xlim(0, 256)
    # A lone spike (the white background) may go off the top: the shape matters.
    ax.set_ylim(0, max(1, np.sort(counts)[-3]) * 1.15)
    ax.set_xlabel("grey level (0 = black, 255 = white)")
    ax.set_ylabel("pixels")
    # The threshold line itself is drawn on the rendered chart (see _chart).
    ax.legend([Line2D([], [], color=PALETTE[5], linewidth=3),
               Line2D([], [], color=PALETTE[0], linewidth=2, linestyle="--")],
              ["threshold", f"Otsu's choice ({otsu})"], loc="upper left")
    return _chart(fig)


def _uploaded_file(value):
    """(name, bytes) of the one file in a FileUpload ``value``."""
    if isinstance(value, dict):
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


class PictureUploader:
    """Upload a picture and explore it with the same controls as the built-in pictures.

    The uploaded file is read (a phone photo turned upright), fitted into ``size`` (not
    stretched) as grey levels and handed to ``explore``, which builds an
    :class:`Explorer` for it; that explorer is shown below the upload button. A file that
    is not a picture, or a picture with nothing to store, gets a friendly "Sorry" and
    changes nothing.

    Used in lesson 03.

    Parameters
    ----------
    explore : callable
        ``explore(grey, name)`` with ``grey`` an ndarray of uint8, shape ``size``, and
        ``name`` the file's name; returns the :class:`Explorer` to show.
    size : (rows, cols)
        The shape the upload is fitted into.

    Attributes
    ----------
    upload : ipywidgets.FileUpload
    message : ipywidgets.HTML
        What happened, or what was wrong with the file.
    widget : ipywidgets.VBox
        What a cell displays: the button, the message and the explorer, once there is one.
    grey : ndarray of uint8, shape ``size``, or None
        The upload as grey levels.
    explorer : Explorer or None
        What ``explore`` built for it.
    """

    def __init__(self, explore, size=(128, 128)):
        import ipywidgets as widgets

        if not callable(explore):
            raise TypeError(f"explore must be a function (grey, name) -> Explorer, got {explore!r}")
        self.explore = explore
        self.size = _check_shape(size, "size")
        if len(self.size) != 2:
            raise ValueError(f"size must be (rows, cols), got {size!r}")
        self.upload = widgets.FileUpload(accept="image/*", multiple=False,
                                         description="upload picture")
        self.message = widgets.HTML(value="Choose a picture file: it gets the same controls "
                                    "as the pictures above.")
        self.grey = self.explorer = None
        self.upload.observe(lambda change: self.handle(change["new"]), names="value")
        self.widget = widgets.VBox([self.upload, self.message])

    def handle(self, value) -> str:
        """Read an uploaded picture and build its explorer; return the message shown.

        Parameters
        ----------
        value : the value of an ``ipywidgets.FileUpload``
            A tuple of dicts with ``"name"`` and ``"content"`` (the file's bytes), as
            ipywidgets 8 gives it; one such dict is accepted too.

        Returns
        -------
        str
            What the picture became or, starting with "Sorry:", what was wrong with the
            file (then nothing else changes).
        """
        import html
        import io

        rows, cols = self.size
        try:
            name, content = _uploaded_file(value)
            picture = _read_picture_file(io.BytesIO(content), repr(name))
            low, high = _open_grey(picture).getextrema()
            if low == high:
                raise ValueError(f"{name!r} has nothing to store: every pixel has the same grey "
                                 f"level ({low}).")
            grey = load_grey_image(picture, self.size)
            if grey.min() == grey.max():  # a long thin strip shrinks to nothing
                raise ValueError(f"{name!r} has nothing to store: fitted into {rows}x{cols} "
                                 "(not stretched) it is too thin to leave a mark.")
        except (ValueError, TypeError) as exc:
            text = f"Sorry: {exc}"
            self.message.value = f"<b>{html.escape(text)}</b>"
            return text
        self.grey, self.explorer = grey, self.explore(grey, name)
        ink = np.mean(load_image_pattern(grey, size=None) == 1)
        text = (f"Here is {name!r} at {rows}x{cols} ({ink:.0%} ink when thresholded): move the "
                "controls below.")
        self.message.value = html.escape(text)
        self.widget.children = (self.upload, self.message, self.explorer.widget)
        return text

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = "Upload a picture here (in a live notebook)."
        return bundle


# ---- Lesson 04: spurious states (notebooks/04_spurious_states.ipynb) ----
# The lesson computes its capacity curves, mixtures and landings itself, in a few lines of
# numpy around HopfieldNetwork.recall; what is here only draws them.

#: The load P/N above which a large Hebbian network loses its memories (Amit, Gutfreund
#: and Sompolinsky 1985, for random patterns as N grows without bound): about 0.138.
_CRITICAL_LOAD = 0.138

# One colour per kind of memory, the same in both panels of the landscape.
_MEMORY_COLOURS = {"stored": PALETTE[0], "reversed": PALETTE[1], "mixture": PALETTE[2],
                   "4-mixture": PALETTE[4], "other": PALETTE[3]}
_MEMORY_KINDS = tuple(_MEMORY_COLOURS)


def _check_loads(loads) -> np.ndarray:
    loads = _check_real(loads, "loads").astype(np.float64)
    if loads.ndim != 1 or np.any(loads <= 0):
        raise ValueError(f"loads must be a 1-D sequence of numbers above 0 (the loads P/N), "
                         f"got {loads!r}")
    return loads


def _capacity_checked(loads, curves):
    """Validate capacity curves; return (loads as floats (L,), sizes sorted, {N: (L, T)})."""
    loads = _check_loads(loads)
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict: network size N -> final overlaps "
                        "of shape (len(loads), trials)")
    checked = {}
    for n, overlaps in curves.items():
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"curves must be keyed by network sizes (whole numbers), got {n!r}")
        overlaps = _check_real(overlaps, f"curves[{n}]", "final overlaps").astype(np.float64)
        if overlaps.ndim != 2 or overlaps.shape[0] != loads.size:
            raise ValueError(f"curves[{n}] must have shape (len(loads), trials) = ({loads.size}, T), "
                             f"got {overlaps.shape}")
        if np.abs(overlaps).max() > 1 + 1e-9:
            raise ValueError(f"curves[{n}] must hold overlaps between -1 and 1")
        checked[int(n)] = overlaps
    return loads, sorted(checked), checked


def plot_capacity(loads, recalled, labels, trials=None, marks=None, highlight=None, ax=None,
                  title=None, legend=True):
    """The fraction of recalls that succeeded against the load P/N, one line per network.

    Used in lessons 04 and 05: one line per network size in lesson 04, one per learning
    rule in lesson 05. Dashed vertical lines mark theoretical capacities as loads P/N; by
    default Hebb's large-N capacity 0.138 (Amit, Gutfreund and Sompolinsky 1985, random
    patterns, a few wrong pixels allowed). A mark belongs on the chart only when it counts
    success the way the points do.

    Parameters
    ----------
    loads : array_like of float, shape (L,)
        The loads P/N measured, each above 0.
    recalled : array_like of float in [0, 1], shape (L, R)
        For each load, the fraction of trials that each of the R networks recalled.
    labels : sequence of R str
        The networks' names, for the legend.
    trials : int or array_like of int, shape (L,) or (L, R), optional
        How many recalls each fraction counts: draws error bars of two standard errors,
        ``2 sqrt(f (1 - f) / trials)``, clipped to [0, 1] (each recall taken as independent).
    marks : dict of str -> float, optional
        Legend label -> load of a vertical mark; ``{}`` draws none.
    highlight : str, optional
        One of ``labels``: that line is drawn bold and the others faded.
    ax : matplotlib Axes, optional
    title : str, optional
    legend : bool or str
        True: the legend outside the axes, on the right; a matplotlib location such as
        ``"best"``: inside the axes; False: no legend.

    Returns
    -------
    matplotlib.axes.Axes
    """
    loads = _check_loads(loads)
    recalled = _check_real(recalled, "recalled", "fractions").astype(np.float64)
    if isinstance(labels, str) or recalled.shape != (loads.size, len(labels)):
        raise ValueError(f"recalled must have shape (loads, labels) = ({loads.size}, "
                         f"{0 if isinstance(labels, str) else len(labels)}), got {recalled.shape}")
    if recalled.min() < 0 or recalled.max() > 1:
        raise ValueError("recalled must hold fractions between 0 and 1")
    if highlight is not None and highlight not in labels:
        raise ValueError(f"highlight must be one of the labels {list(labels)}, got {highlight!r}")
    if trials is not None:
        counts = _check_real(trials, "trials", "counts of recalls")
        if np.any(counts < 1) or np.any(counts != np.round(counts)):
            raise ValueError("trials must be whole numbers of recalls, at least 1")
        counts = np.broadcast_to(counts.reshape(-1, 1) if counts.ndim == 1 else counts,
                                 recalled.shape)
        half = 2 * np.sqrt(recalled * (1 - recalled) / counts)
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(5.5, 3.8), layout="constrained")
    for r, label in enumerate(labels):
        on, style = highlight in (None, label), {}
        if trials is not None:
            f = recalled[:, r]
            style = {"yerr": [f - np.clip(f - half[:, r], 0, 1), np.clip(f + half[:, r], 0, 1) - f],
                     "capsize": 3}
        ax.errorbar(loads, recalled[:, r], label=str(label), color=PALETTE[r % len(PALETTE)],
                    linestyle=_LINESTYLES[r % len(_LINESTYLES)], marker="os^Dv"[r % 5],
                    markersize=5, alpha=1.0 if on else 0.3,
                    linewidth=3 if highlight is not None and on else 2, **style)
    marks = {f"Hebb, large N: {_CRITICAL_LOAD}": _CRITICAL_LOAD} if marks is None else marks
    for k, (text, load) in enumerate(marks.items()):
        ax.axvline(load, color=("#555555", "#000000")[k % 2], linestyle=("--", ":")[k % 2],
                   linewidth=1.5, label=text)
    ax.set_xlim(0, loads.max() * 1.03)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel("load P/N (patterns per neuron)")
    ax.set_ylabel("fraction recalled")
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(**{"loc": legend} if isinstance(legend, str) else
                  {"loc": "center left", "bbox_to_anchor": (1.01, 0.5), "frameon": False})
    if title:
        ax.set_title(title)
    return ax


# The charts of the last few capacity explorers, each rendered once: a move of a control
# then only draws a marker on them, which keeps the sliders quick.
_capacity_charts: dict = {}


def plot_capacity_choice(loads, curves, n, load, threshold=0.9):
    """One point of the capacity curves: N's trials at one load, marked on every load.

    Nothing is recomputed: this only reads ``curves``. Each size's two charts are drawn
    once (the first call draws them for every size), and a new choice only marks the load
    on them, so an explorer built on this keeps up with its sliders.

    Used in lesson 04 (the capacity explorer).

    Parameters
    ----------
    loads : array_like of float, shape (L,)
    curves : dict of int -> array_like, each of shape (L, T)
        For each network size N, the final overlap of every trial's recall with the
        pattern it started from, one row per load.
    n : int
        One of the sizes in ``curves``.
    load : float
        Snapped to the nearest load in ``loads``; P is ``round(load * n)``.
    threshold : float in (0, 1]
        A final overlap at or above it counts as recalled.

    Returns
    -------
    list of 3 panels
        * ``(caption, squares)``: the trials at this load, one square each in an array of
          shape (ceil(T / 10), min(T, 10)), black (+1) for each trial that recalled its
          pattern (those first), white (-1) for the others, grey (0) filling the last row;
          the caption gives N, P and the count.
        * :func:`plot_capacity`'s chart of every size, with ``n`` in bold,
        * every trial's final overlap at every load, for ``n``.

        Both charts mark the chosen load with a vertical line. The list shows itself as
        one picture when it is the last line of a cell.
    """
    def draw():
        checked = _capacity_checked(loads, curves)
        level = _check_level(threshold, "threshold", above_zero=True)
        charts = {size: (_capacity_curves_chart(*checked, level, size),
                         _capacity_trials_chart(checked[0], checked[2][size], level, size))
                  for size in checked[1]}
        # loads and curves are kept too, so their id() cannot be reused while cached.
        return loads, curves, checked, level, charts

    _, _, (loads_, sizes, curves_), level, charts = _remembered(
        _capacity_charts, (id(loads), id(curves), threshold), draw, 4)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be one of the sizes {sizes}, got {n!r}")
    if n not in sizes:
        raise ValueError(f"n must be one of the sizes {sizes}, got {n!r}")
    if isinstance(load, bool) or not isinstance(load, numbers.Real):
        raise TypeError(f"load must be a number, got {load!r}")
    row = int(np.argmin(np.abs(loads_ - load)))
    overlaps = curves_[n][row]
    recalled = overlaps >= level - 1e-12
    p = int(round(loads_[row] * n))
    caption = (f"N = {n}, P = {p} (load {p / n:.2f})\n"
               f"recalled in {int(recalled.sum())} of {overlaps.size} trials (black)")
    # One square per trial, up to 10 in a row, the recalled ones first: +1 (black)
    # recalled, -1 not, 0 (grey) filling the last row.
    cols = min(recalled.size, 10)
    squares = np.zeros(-(-recalled.size // cols) * cols)
    squares[: recalled.size] = -1
    squares[: int(np.count_nonzero(recalled))] = 1
    curve_chart, trials_chart = charts[n]
    return _Panels([(caption, squares.reshape(-1, cols)), curve_chart.marked(loads_[row]),
                    trials_chart.marked(loads_[row])])


def _capacity_curves_chart(loads, sizes, curves, threshold, n):
    fig = _offscreen_figure(4.4, 3.2)
    recalled = np.stack([(curves[size] >= threshold - 1e-12).mean(axis=1) for size in sizes], 1)
    plot_capacity(loads, recalled, [f"N = {size}" for size in sizes], highlight=f"N = {n}",
                  ax=fig.axes[0], title=f"fraction recalled, N = {n} in bold", legend="best")
    return _chart(fig)


def _capacity_trials_chart(loads, overlaps, threshold, n):
    fig = _offscreen_figure(4.4, 3.2)
    ax = fig.axes[0]
    trials = overlaps.shape[1]
    # Spread each load's trials a little sideways, so that equal overlaps do not hide.
    spread = 0.5 * np.min(np.diff(loads), initial=0.02)
    jitter = (np.arange(trials) / max(trials - 1, 1) - 0.5) * spread
    ax.scatter((loads[:, None] + jitter).ravel(), overlaps.ravel(), s=9, color=PALETTE[0],
               alpha=0.5, linewidths=0)
    ax.axhline(threshold, color="#555555", linestyle=":", linewidth=1.5,
               label="recalled from here up")
    ax.set_xlim(0, loads.max() * 1.03)
    ax.set_ylim(min(0.0, overlaps.min()) - 0.04, 1.04)
    ax.set_xlabel("load P/N (patterns per neuron)")
    ax.set_ylabel("final overlap")
    ax.set_title(f"each trial's end, N = {n}")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    return _chart(fig)


def plot_memory_landscape(energies, counts=None):
    """The energy landscape made visible: the memories' energies, and where recalls end.

    Used in lesson 04.

    Parameters
    ----------
    energies : dict of str -> array_like of float
        Energies per neuron E/N of the valleys of each kind, by kind: "stored",
        "reversed", "mixture" (3-mixtures), "4-mixture" and "other" (any of them; each
        array of shape (K,), one energy per valley).
    counts : dict of str -> int, optional
        How many recalls ended in each kind of state; adds a bar chart beside, each bar
        labelled with its count and, for a kind in ``energies``, the count per valley.

    Returns
    -------
    matplotlib.figure.Figure
        Each kind has the same colour in both panels; dashed lines mark -1/2 (a stored
        pattern of random patterns) and -3/8 (their 3-mixtures).
    """
    if not isinstance(energies, dict) or not energies:
        raise TypeError("energies must be a non-empty dict: kind -> energies per neuron")
    groups = []
    for kind, values in energies.items():
        if kind not in _MEMORY_COLOURS:
            raise ValueError(f"energies has an unknown kind {kind!r}; kinds are {list(_MEMORY_KINDS)}")
        groups.append((kind, _check_real(values, f"energies[{kind!r}]").astype(float).ravel()))
    if counts is not None:
        if not isinstance(counts, dict) or set(counts) - set(_MEMORY_KINDS):
            raise ValueError(f"counts must be a dict kind -> number of recalls, kinds among "
                             f"{list(_MEMORY_KINDS)}, got {counts!r}")
        counts = {kind: _check_count(value, f"counts[{kind!r}]") for kind, value in counts.items()}
    plt = _pyplot()
    if counts is None:
        fig, ax_e = plt.subplots(figsize=(5.6, 3.6), layout="constrained")
    else:
        fig, (ax_e, ax_n) = plt.subplots(1, 2, figsize=(9.6, 4.0), layout="constrained",
                                         gridspec_kw={"width_ratios": [1.3, 1]})
    names = {**{kind: kind for kind in _MEMORY_KINDS}, "mixture": "3-mix", "4-mixture": "4-mix"}
    for x, (kind, values) in enumerate(groups):
        if values.size:
            jitter = np.linspace(-0.25, 0.25, values.size) if values.size > 1 else np.zeros(1)
            ax_e.scatter(x + jitter, values, s=30, color=_MEMORY_COLOURS[kind],
                         edgecolor="black", linewidth=0.4, zorder=3)
    for level, text in ((-0.5, "\u22121/2"), (-0.375, "\u22123/8")):
        ax_e.axhline(level, color="#555555", linestyle="--", linewidth=1, zorder=1)
        ax_e.annotate(text, (-0.45, level), xytext=(0, 3), textcoords="offset points",
                      color="#333333", ha="left", va="bottom")
    ax_e.set_xticks(range(len(groups)), [f"{names[kind]}\n{values.size}" for kind, values in groups])
    ax_e.set_xlim(-0.5, len(groups) - 0.5)
    ax_e.set_ylabel("energy per neuron E/N")
    ax_e.set_title("energies of the valleys (how many)")
    ax_e.grid(alpha=0.3, axis="y")
    if counts is not None:
        kinds = [kind for kind in _MEMORY_KINDS if kind in counts]
        bars = ax_n.bar(range(len(kinds)), [counts[k] for k in kinds],
                        color=[_MEMORY_COLOURS[k] for k in kinds], edgecolor="black", linewidth=0.5)
        sizes = {kind: values.size for kind, values in groups}
        ax_n.bar_label(bars, [f"{counts[k]}" + (f"\n({counts[k] / sizes[k]:.1f})" if sizes.get(k)
                                                 else "") for k in kinds])
        ax_n.set_xticks(range(len(kinds)), [names[k] for k in kinds])
        ax_n.set_ylabel("recalls")
        ax_n.set_ylim(0, max(counts.values(), default=0) * 1.3 + 1)
        ax_n.set_title(f"where {sum(counts.values())} random starts end\n(per valley)")
        ax_n.grid(alpha=0.3, axis="y")
    return fig


# ---- Lesson 05: beyond Hebb (notebooks/05_beyond_hebb.ipynb) ----
# Grids of many small captioned pictures, where every memory takes the same noisy cues.
# (The capacity of every learning rule is drawn by lesson 04's plot_capacity.)

def picture_grid(panels, ncols, column_titles=None, title=None):
    """Pictures in a grid, each under its caption, drawn straight to a PNG (no matplotlib).

    Many small pictures with captions make a large, slow matplotlib figure; this draws
    them as the explorers do (ink black, a pixel grid on small patterns), in grey levels.

    Parameters
    ----------
    panels : sequence of K panels
        Filled in row by row. Each is a pattern (array_like of shape (rows, cols) or (n,),
        values in [-1, 1]: grey levels show a real-valued state) or a ``(caption, pattern)``
        pair. A caption too wide for its picture is wrapped at spaces; "\\n" breaks a line.
    ncols : int >= 1
        Pictures per row.
    column_titles : sequence of ncols str, optional
        A heading over each column.
    title : str, optional
        A line over the whole grid.

    Returns
    -------
    list of K ``(caption, pattern)`` panels
        Shows itself as one PNG when it is the last line of a cell; its ``image`` is the
        ``PIL.Image.Image`` (grey levels, mode "L"). Pictures are scaled up by whole
        pixels to about 112 screen pixels wide, so the grid is about ``ncols * 124``
        pixels wide.

    Notes
    -----
    Used in lesson 05.
    """
    if isinstance(panels, (str, bytes, np.ndarray)) or not hasattr(panels, "__len__"):
        raise TypeError("panels must be a list of patterns or (caption, pattern) pairs")
    if len(panels) == 0:
        raise ValueError("panels is empty: nothing to draw")
    ncols = _check_count(ncols, "ncols", minimum=1)
    if column_titles is not None and (isinstance(column_titles, str)
                                      or len(column_titles) != ncols):
        raise ValueError(f"column_titles must have one title per column ({ncols})")
    checked = []
    for k, panel in enumerate(panels):
        is_pair = isinstance(panel, tuple) and len(panel) == 2 and isinstance(panel[0], str)
        caption, pattern = panel if is_pair else ("", panel)
        values = _check_real(pattern, f"panels[{k}]", "values in [-1, 1]").astype(np.float64)
        if np.abs(values).max() <= 1 + 1e-9:
            values = np.clip(values, -1, 1)  # rounding can leave an average at 1 + 1e-16
        checked.append((caption, _display_array(values, f"panels[{k}]")))
    return _Panels(checked, ncols=ncols, column_titles=column_titles, title=title)
