# ---- Lesson 04: spurious states (notebooks/04_spurious_states.ipynb) ----
# The lesson computes its capacity curves, mixtures and landings itself, in a few lines of
# numpy around HopfieldNetwork.recall; what is here only draws them.

#: The load P/N above which a large Hebbian network loses its memories (Amit, Gutfreund
#: and Sompolinsky 1985, for random patterns as N grows without bound): about 0.138.
_CRITICAL_LOAD = 0.138

# One colour per kind of memory, the same in both panels of the landscape.
_MEMORY_COLOURS = {"stored": PALETTE[0], "reversed": PALETTE[1], "mixture": PALETTE[2],
                   "other": PALETTE[3]}
_MEMORY_KINDS = tuple(_MEMORY_COLOURS)


def _capacity_checked(loads, curves):
    """Validate capacity curves; return (loads as floats (L,), sizes sorted, {N: (L, T)})."""
    try:
        loads = np.array(loads, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("loads must be a sequence of numbers (the loads P/N measured)") from None
    if loads.ndim != 1 or loads.size == 0 or not np.all(np.isfinite(loads)) or np.any(loads <= 0):
        raise ValueError(f"loads must be a non-empty 1-D sequence of numbers above 0, got {loads!r}")
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict: network size N -> final overlaps "
                        "of shape (len(loads), trials)")
    checked = {}
    for n, overlaps in curves.items():
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"curves must be keyed by network sizes (whole numbers), got {n!r}")
        try:
            overlaps = np.array(overlaps, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"curves[{n}] must be an array of final overlaps") from None
        if overlaps.ndim != 2 or overlaps.shape[0] != loads.size or overlaps.shape[1] == 0:
            raise ValueError(f"curves[{n}] must have shape (len(loads), trials) = ({loads.size}, T), "
                             f"got {overlaps.shape}")
        if not np.all(np.isfinite(overlaps)) or np.abs(overlaps).max() > 1 + 1e-9:
            raise ValueError(f"curves[{n}] must hold overlaps between -1 and 1")
        checked[int(n)] = overlaps
    return loads, sorted(checked), checked


def _capacity_threshold(threshold) -> float:
    threshold = _check_level(threshold, "threshold")
    if threshold == 0:
        raise ValueError("threshold must be above 0 (a final overlap that counts as recalled)")
    return threshold


def _capacity_size(n, sizes, name) -> int:
    """``n`` as one of ``sizes``, or a clear error naming the argument."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be one of the sizes {sizes}, got {n!r}")
    if int(n) not in sizes:
        raise ValueError(f"{name} must be one of the sizes {sizes}, got {n!r}")
    return int(n)


def _capacity_fraction(overlaps, threshold):
    """Fraction of trials per load whose final overlap reaches ``threshold``, shape (L,)."""
    return (overlaps >= threshold - 1e-12).mean(axis=1)


def plot_capacity_by_size(loads, curves, threshold=0.9, highlight=None, ax=None):
    """The fraction of recalled patterns against the load P/N, one curve per network size.

    Used in lesson 04.

    Parameters
    ----------
    loads : array_like of float, shape (L,)
        The loads P/N measured.
    curves : dict of int -> array_like, each of shape (L, T)
        For each network size N, the final overlap of every trial's recall with the
        pattern it started from, one row per load.
    threshold : float in (0, 1]
        A final overlap at or above it counts as recalled (1.0: every pixel right).
    highlight : int, optional
        Draw this N's curve bold and fade the others.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        With a dotted line at the large-N limit 0.138.
    """
    loads, sizes, curves = _capacity_checked(loads, curves)
    threshold = _capacity_threshold(threshold)
    if highlight is not None:
        _capacity_size(highlight, sizes, "highlight")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(5.6, 3.6), layout="constrained")
    for k, n in enumerate(sizes):
        on = highlight is None or n == highlight
        ax.plot(loads, _capacity_fraction(curves[n], threshold), label=f"N = {n}",
                color=PALETTE[k % len(PALETTE)], linestyle=_LINESTYLES[k % len(_LINESTYLES)],
                marker="o", markersize=4, alpha=1.0 if on else 0.3,
                linewidth=2.8 if highlight is not None and on else 1.8)
    ax.axvline(_CRITICAL_LOAD, color="#555555", linestyle=":", linewidth=1.5,
               label=f"large N: {_CRITICAL_LOAD}")
    ax.set_xlim(0, loads.max() * 1.03)
    ax.set_ylim(-0.04, 1.04)
    ax.set_xlabel("load P/N (patterns per neuron)")
    ax.set_ylabel("fraction recalled" if threshold < 1 else "fraction recalled exactly")
    ax.grid(alpha=0.3)
    ax.legend(loc="best")  # where it hides the fewest points: it depends on the threshold
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
        As in :func:`plot_capacity_by_size`.
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
        * :func:`plot_capacity_by_size`'s chart with ``n`` in bold,
        * every trial's final overlap at every load, for ``n``.

        Both charts mark the chosen load with a vertical line. The list shows itself as
        one picture when it is the last line of a cell.
    """
    key = (id(loads), id(curves), threshold)
    if key not in _capacity_charts:
        checked = _capacity_checked(loads, curves)
        level = _capacity_threshold(threshold)
        charts = {size: (_capacity_curves_chart(*checked, level, size),
                         _capacity_trials_chart(checked[0], checked[2][size], level, size))
                  for size in checked[1]}
        while len(_capacity_charts) >= 4:
            _capacity_charts.pop(next(iter(_capacity_charts)))
        # loads and curves are kept too, so their id() cannot be reused while cached.
        _capacity_charts[key] = (loads, curves, checked, level, charts)
    _, _, (loads_, sizes, curves_), level, charts = _capacity_charts[key]
    n = _capacity_size(n, sizes, "n")
    if isinstance(load, bool) or not isinstance(load, numbers.Real):
        raise TypeError(f"load must be a number, got {load!r}")
    row = int(np.argmin(np.abs(loads_ - load)))
    overlaps = curves_[n][row]
    recalled = overlaps >= level - 1e-12
    p = int(round(loads_[row] * n))
    caption = (f"N = {n}, P = {p} (load {p / n:.2f})\n"
               f"recalled in {int(recalled.sum())} of {overlaps.size} trials (black)")
    curve_chart, trials_chart = charts[n]
    return _Panels([(caption, _trial_squares(recalled)), curve_chart.marked(loads_[row]),
                    trials_chart.marked(loads_[row])])


def _trial_squares(recalled):
    """One square per trial, up to 10 in a row, the recalled ones first: +1 (black)
    recalled, -1 not, 0 (grey) filling the last row."""
    cols = min(recalled.size, 10)
    squares = np.zeros(-(-recalled.size // cols) * cols)
    squares[: recalled.size] = -1
    squares[: int(np.count_nonzero(recalled))] = 1
    return squares.reshape(-1, cols)


def _capacity_curves_chart(loads, sizes, curves, threshold, n):
    fig = _offscreen_figure(4.4, 3.2)
    plot_capacity_by_size(loads, curves, threshold=threshold, highlight=n, ax=fig.axes[0])
    fig.axes[0].set_title(f"fraction recalled, N = {n} in bold")
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


def plot_overlap_matrix(matrix, labels=None, ax=None, title="overlaps"):
    """Draw an overlap matrix (from :func:`overlap_matrix`) with its values written in.

    Used in lesson 04.

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
        m = np.array(matrix, dtype=np.float64)
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
        _, ax = _pyplot().subplots(figsize=(3.4, 3.0), layout="constrained")
    ax.imshow(m, cmap="PuOr_r", vmin=-1, vmax=1)
    if p <= 12:  # more numbers than that would not be readable
        for i in range(p):
            for j in range(p):
                ax.text(j, i, f"{m[i, j]:.2f}", ha="center", va="center",
                        color="white" if abs(m[i, j]) > 0.6 else "black")
    ax.set_xticks(range(p), labels)
    ax.set_yticks(range(p), labels)
    ax.set_title(title)
    return ax


def plot_memory_landscape(energies, counts=None):
    """The energy landscape made visible: the memories' energies, and where recalls end.

    Used in lesson 04.

    Parameters
    ----------
    energies : dict of str -> array_like of float
        Energies per neuron E/N of the states of each kind, by kind: "stored",
        "reversed", "mixture" and "other" (any of them; each array of shape (K,)).
    counts : dict of str -> int, optional
        How many recalls ended in each kind of state; adds a bar chart beside.

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
        try:
            values = np.array(values, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise TypeError(f"energies[{kind!r}] must be numbers") from None
        if not np.all(np.isfinite(values)):
            raise ValueError(f"energies[{kind!r}] must be finite numbers")
        groups.append((kind, values))
    if counts is not None:
        if not isinstance(counts, dict) or set(counts) - set(_MEMORY_KINDS):
            raise ValueError(f"counts must be a dict kind -> number of recalls, kinds among "
                             f"{list(_MEMORY_KINDS)}, got {counts!r}")
        counts = {kind: _check_count(value, f"counts[{kind!r}]") for kind, value in counts.items()}
    plt = _pyplot()
    if counts is None:
        fig, ax_e = plt.subplots(figsize=(5.6, 3.6), layout="constrained")
    else:
        fig, (ax_e, ax_n) = plt.subplots(1, 2, figsize=(10.5, 3.8), layout="constrained",
                                         gridspec_kw={"width_ratios": [1.3, 1]})
    names = {"stored": "stored", "reversed": "reversed", "mixture": "3-mixtures", "other": "other"}
    for x, (kind, values) in enumerate(groups):
        if values.size:
            jitter = np.linspace(-0.25, 0.25, values.size) if values.size > 1 else np.zeros(1)
            ax_e.scatter(x + jitter, values, s=30, color=_MEMORY_COLOURS[kind],
                         edgecolor="black", linewidth=0.4, zorder=3)
    for level, text in ((-0.5, "\u22121/2"), (-0.375, "\u22123/8")):
        ax_e.axhline(level, color="#555555", linestyle="--", linewidth=1, zorder=1)
        ax_e.annotate(text, (-0.45, level), xytext=(0, 3), textcoords="offset points",
                      color="#333333", ha="left", va="bottom")
    ax_e.set_xticks(range(len(groups)), [names[kind] for kind, _ in groups])
    ax_e.set_xlim(-0.5, len(groups) - 0.5)
    ax_e.set_ylabel("energy per neuron E/N")
    ax_e.set_title("energies of the memories")
    ax_e.grid(alpha=0.3, axis="y")
    if counts is not None:
        kinds = [kind for kind in _MEMORY_KINDS if kind in counts]
        bars = ax_n.bar(range(len(kinds)), [counts[k] for k in kinds],
                        color=[_MEMORY_COLOURS[k] for k in kinds], edgecolor="black", linewidth=0.5)
        ax_n.bar_label(bars)
        ax_n.set_xticks(range(len(kinds)), [names[k] for k in kinds])
        ax_n.set_ylabel("recalls")
        ax_n.set_ylim(0, max(counts.values(), default=0) * 1.18 + 1)
        ax_n.set_title(f"where {sum(counts.values())} random starts end")
        ax_n.grid(alpha=0.3, axis="y")
    return fig


__all__ += ["plot_capacity_by_size", "plot_capacity_choice", "plot_overlap_matrix",
            "plot_memory_landscape"]
