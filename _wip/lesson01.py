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


def _two_neuron_title(w, b) -> str:
    bias = f"{b[0]:g}" if b[0] == b[1] else f"({b[0]:g}, {b[1]:g})"
    return f"w = {w:g}, bias = {bias}".replace("-", "\u2212")


def _two_neuron_colour(energy, vmax):
    """Purple for low, white for 0, orange for high; the darkest ends of PuOr are left
    out, so outlines stay visible. Also says whether text on it should be white."""
    level = 0.5 + 0.4 * float(np.clip(energy / vmax, -1, 1))
    return _pyplot().get_cmap("PuOr_r")(level), abs(level - 0.5) > 0.3


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
        colour, dark = _two_neuron_colour(energy, vmax)
        ax.add_patch(plt.Rectangle((s1 - 0.92, s2 - 0.92), 1.84, 1.84, facecolor=colour,
                                   edgecolor="#555555", linewidth=1))
        text = f"E = {energy:g}".replace("-", "\u2212") + ("\nstable" if is_stable else "")
        ax.text(s1, s2, text, ha="center", va="center", color="white" if dark else "black",
                fontsize=_TWO_NEURON_PT, fontweight="bold" if is_stable else "normal")
    ax.set_xlim(-2, 2)
    ax.set_ylim(-2, 2)
    ax.set_aspect("equal")
    ax.set_xticks([-1, 1], ["s1 = \u22121", "s1 = +1"], fontsize=_TWO_NEURON_PT - 1)
    ax.set_yticks([-1, 1], ["s2 = \u22121", "s2 = +1"], fontsize=_TWO_NEURON_PT - 1)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(_two_neuron_title(w, b) if title is None else title,
                 fontsize=_TWO_NEURON_PT)
    return ax


def _two_neuron_moves(network) -> np.ndarray:
    """moves[k, i]: where state k goes when neuron i updates, shape (4, 2, 2). The
    neuron takes the sign of its field, and keeps its state when the field is 0."""
    h = network.field(_TWO_NEURON_STATES)
    new = np.where(h > 0, 1, np.where(h < 0, -1, _TWO_NEURON_STATES))
    moves = np.repeat(_TWO_NEURON_STATES[:, None, :], 2, axis=1)
    for i in range(2):
        moves[:, i, i] = new[:, i]
    return moves


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
        offset = bend if bend else 0.2
        x, y = (x1 + x2) / 2 + 0.6 * offset * (y2 - y1), (y1 + y2) / 2 - 0.6 * offset * (x2 - x1)
        ax.text(x, y, label, ha="center", va="center", fontsize=_TWO_NEURON_PT - 1,
                color=colour, zorder=6, bbox=dict(boxstyle="round,pad=0.2", facecolor="white",
                                                  edgecolor="none", alpha=0.9))


def plot_two_neuron_landscape(network, ax=None, arrows=True, path=None, title=None):
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
        settled.

    Returns
    -------
    matplotlib.axes.Axes
    """
    w, b, energies, stable = _two_neuron_facts(network)
    if path is not None:
        _check_result(path)
        if path.initial_state.shape != (2,):
            raise ValueError(f"path must be a recall of one two-neuron state, got a cue of "
                             f"shape {path.initial_state.shape}")
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
        ax.annotate(text.replace("-", "\u2212"), (x, y), xytext=(18 * x, 0),
                    textcoords="offset points", ha="left" if x > 0 else "right", va="center",
                    fontsize=_TWO_NEURON_PT, fontweight="bold" if is_stable else "normal")
    kinds = _two_neuron_path_arrows(ax, path) if path is not None else (
        _two_neuron_move_arrows(ax, network) if arrows else [])
    if kinds:
        for kind in kinds:
            colour, style, label = _TWO_NEURON_MOVE_STYLE[kind]
            ax.plot([], [], color=colour, linestyle=style, linewidth=2.4, label=label)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(kinds),
                  fontsize=_TWO_NEURON_PT - 1, title="who updates",
                  title_fontsize=_TWO_NEURON_PT - 1, frameon=False, handlelength=2.4,
                  columnspacing=1.2)
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(-1.3, 1.4)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    if title is None and path is not None:
        unit = "update" if path.update == "async" else "step"
        how = "one at a time" if path.update == "async" else "both at once"
        title = (f"{how}: {path.steps} {unit}{'' if path.steps == 1 else 's'}, "
                 f"{'settled' if path.converged else 'still flipping'}")
    ax.set_title(_two_neuron_title(w, b) if title is None else title,
                 fontsize=_TWO_NEURON_PT)
    return ax


def _two_neuron_move_arrows(ax, network) -> list:
    """An arrow for every move one update makes; returns the kinds of move drawn."""
    kinds = set()
    for start, ends in zip(_TWO_NEURON_STATES, _two_neuron_moves(network)):
        for i, end in enumerate(ends):
            if not np.array_equal(start, end):
                _two_neuron_arrow(ax, start, end)
                kinds.add((i,))
    return sorted(kinds)


def _two_neuron_path_arrows(ax, result) -> list:
    """One labelled arrow per move the recall made; returns the kinds of move drawn."""
    states = [tuple(int(v) for v in result.state_at(t)) for t in range(result.steps + 1)]
    unit = "update" if result.update == "async" else "step"
    made = {}  # (before, after) -> the steps that made this move
    for t, (before, after) in enumerate(zip(states[:-1], states[1:]), start=1):
        if before != after:
            made.setdefault((before, after), []).append(t)
    kinds = []
    for (before, after), steps in made.items():
        kind = tuple(int(i) for i in np.flatnonzero(np.array(before) != np.array(after)))
        kinds.append(kind)
        label = f"{unit}{'s' if len(steps) > 1 else ''} " + ", ".join(map(str, steps))
        _two_neuron_arrow(ax, before, after, bend=0.3 if len(kind) == 2 else 0.0, label=label)
    return sorted(set(kinds), key=len)


__all__ += ["plot_four_states", "plot_two_neuron_landscape"]
