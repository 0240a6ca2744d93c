# ---- Lesson 02: letters on a 5x5 grid (notebooks/02_letters_5x5.ipynb) ----
# The Hebbian weights of a few letters read as votes, letters drawn with the pixels that
# changed outlined, and a grid of buttons to draw a letter of your own. The recalls, the
# counting and the Hebbian rule itself are written in the notebook.


def _annotate_cells(ax, values, vmax, fmt):
    """Write each value in its cell, white on dark colours and black on light ones."""
    mask = np.ma.getmaskarray(values)
    for (r, c), v in np.ndenumerate(np.ma.filled(values, 0)):
        if not mask[r, c]:
            ax.text(c, r, fmt(v), ha="center", va="center", fontsize=11,
                    color="white" if abs(v) > 0.55 * vmax else "black")


def _pixel_ticks(ax, row_values, col_values):
    """Tick labels that draw a letter row's pixels: a filled square for ink, an open one
    for background, so a reader sees why two pixels vote the way they do."""
    marks = {1: "\u25a0", -1: "\u25a1"}
    ax.set_xticks(np.arange(len(col_values)), [marks[int(v)] for v in col_values], fontsize=12)
    ax.set_yticks(np.arange(len(row_values)), [marks[int(v)] for v in row_values], fontsize=12)
    ax.tick_params(length=0, pad=1)


def _minus(text: str) -> str:
    return text.replace("-", "\u2212")  # a real minus sign reads better than a hyphen


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
    if labels is None:
        labels = [f"pattern {k}" for k in range(network.n_patterns)]
    elif isinstance(labels, str) or len(labels) != network.n_patterns:
        raise ValueError(f"labels must name each of the {network.n_patterns} stored patterns")

    x = network.patterns.astype(np.int64)
    n = network.n_neurons
    plt = _pyplot()
    n_panels = network.n_patterns + 2
    fig, axes = plt.subplots(1, n_panels, figsize=(2.75 + 1.75 * (n_panels - 1), 2.9),
                             layout="constrained",
                             gridspec_kw={"width_ratios": [1.6] + [1] * (n_panels - 1)})
    plot_weights(network, ax=axes[0], title=f"all {n} x {n} weights")
    for edge in np.arange(width, n, width) - 0.5:  # between the pattern's rows
        axes[0].axhline(edge, color="black", linewidth=1)
        axes[0].axvline(edge, color="black", linewidth=1)
    axes[0].add_patch(Rectangle((cols * width - 0.5, rows * width - 0.5), width, width,
                                fill=False, edgecolor=PALETTE[5], linewidth=3.5, zorder=3))
    axes[0].set_xlabel("")
    axes[0].set_ylabel("")
    cmap = plt.get_cmap("PuOr_r").with_extremes(bad="#dddddd")
    no_weight = np.eye(width, dtype=bool) if rows == cols else np.zeros((width, width), bool)
    for k in range(network.n_patterns):
        ax = axes[k + 1]
        votes = np.ma.masked_array(np.outer(x[k, rows], x[k, cols]), mask=no_weight)
        ax.imshow(votes, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
        _annotate_cells(ax, votes, 1, lambda v: _minus(f"{v:+d}"))
        _pixel_ticks(ax, x[k, rows], x[k, cols])
        ax.set_title(f"{labels[k]} votes")
    total = np.ma.masked_array(np.einsum("pi,pj->ij", x[:, rows], x[:, cols]), mask=no_weight)
    ax = axes[-1]
    vmax = network.n_patterns
    ax.imshow(total, cmap=cmap, vmin=-vmax, vmax=vmax, interpolation="nearest")
    _annotate_cells(ax, total, vmax, lambda v: _minus(f"{v:+d}") if v else "0")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"sum = {n} \u00d7 W")
    return fig


def _outline_pixels(ax, mask, color=None, linewidth=3):
    """Outline the pixels where ``mask`` (2-D bool) is True, in one collection."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    boxes = [Rectangle((c - 0.5, r - 0.5), 1, 1) for r, c in zip(*np.nonzero(mask))]
    if boxes:
        ax.add_collection(PatchCollection(boxes, facecolor="none", linewidth=linewidth,
                                          edgecolor=color or PALETTE[5]))


def _stack_2d(states, name):
    """``states`` (K, rows, cols) or a sequence of K 2-D arrays, as a new float array,
    values checked to lie in [-1, 1]."""
    if isinstance(states, (str, bytes)) or not hasattr(states, "__len__"):
        raise TypeError(f"{name} must be an array (K, rows, cols) or a list of 2-D arrays, "
                        f"got {type(states).__name__}")
    if len(states) == 0:
        raise ValueError(f"{name} is empty: nothing to draw")
    for k, state in enumerate(states):
        if np.ndim(state) != 2:
            raise ValueError(f"{name}[{k}] must be 2-D (rows, cols), got shape {np.shape(state)}")
    images = [_display_array(state, f"{name}[{k}]") for k, state in enumerate(states)]
    if len({image.shape for image in images}) > 1:
        raise ValueError(f"all {name} must have the same shape, got "
                         f"{sorted({image.shape for image in images})}")
    return np.stack(images)


def plot_changes(states, before=None, titles=None, ncols=None, size=1.3, suptitle=None):
    """Draw 2-D states side by side, each with the pixels that differ from ``before``
    outlined. Used in lesson 02.

    Parameters
    ----------
    states : array_like (K, rows, cols), or a sequence of K same-shape 2-D arrays
        Values in [-1, 1] (ink +1 black, background -1 white).
    before : array_like (K, rows, cols), optional
        What each state is compared with: a pixel where ``states[k]`` differs from
        ``before[k]`` is outlined. By default each state is compared with the one before
        it in the row (a recall told change by change), and the first is not outlined.
    titles : sequence of K str, optional
    ncols : int, optional
        States per row (default all in one row, up to 8).
    size : float
        Width of one state in inches.
    suptitle : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Neither ``states`` nor ``before`` is modified.
    """
    images = _stack_2d(states, "states")
    if before is None:
        compare = np.concatenate([images[:1], images[:-1]])
    else:
        compare = _stack_2d(before, "before")
        if compare.shape != images.shape:
            raise ValueError(f"before must have the shape of states {images.shape}, "
                             f"got {compare.shape}")
    fig = plot_patterns(list(images), titles=titles, ncols=ncols, size=size, suptitle=suptitle)
    for ax, image, old in zip(fig.axes, images, compare):
        _outline_pixels(ax, image != old)
    return fig


def _drawing_box():
    """The class of a drawing grid's widget: a VBox that is also a ValueWidget, so an
    :class:`Explorer` takes it as a control. Made on first use (and kept), so importing
    the module does not import ipywidgets."""
    if not hasattr(_drawing_box, "cls"):
        import ipywidgets as widgets

        class DrawingBox(widgets.VBox, widgets.ValueWidget):
            """The grid and its buttons; ``value``: the drawing, a tuple of rows of +1/-1."""

        _drawing_box.cls = DrawingBox
    return _drawing_box.cls


class PatternDrawer:
    """A grid of toggle buttons to draw a small +1/-1 pattern with the mouse.

    A pressed (black) button is ink (+1), a released (white) one background (-1). Used in
    lesson 02. Show it by leaving it as the last line of a cell, or pass its ``widget`` to
    an :class:`Explorer` as a control: the explorer then reruns on every click.

    Parameters
    ----------
    shape : (rows, cols)
        At most 400 pixels.
    start : array_like of +1/-1 with that shape, optional
        What is drawn at first (default all background). It is not modified.
    pixel_size : int >= 10
        Side of one square, in screen pixels.

    Attributes
    ----------
    pattern : ndarray of int8, shape ``shape``
        The drawing; set it to draw in code.
    buttons : list of ipywidgets.ToggleButton
        One per pixel, row by row.
    clear_button, invert_button : ipywidgets.Button
        Set every pixel to background; swap ink and background.
    widget : ipywidgets.VBox (an ipywidgets ValueWidget)
        The grid and the two buttons. Its ``value`` is the drawing as a tuple of rows of
        +1/-1 values, updated on every click.
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
                button.observe(self._on_click, names="value")
                self.buttons.append(button)
        # A pressed pixel is drawn in black ink; without this style it is only darker.
        css = widgets.HTML(
            "<style>.hh-pixel{background-color:#ffffff !important;border:1px solid #999999 "
            "!important;box-shadow:none !important}.hh-pixel.mod-active{background-color:"
            "#000000 !important}</style>")
        grid = widgets.GridBox(self.buttons, layout=widgets.Layout(
            grid_template_columns=f"repeat({shape[1]}, {px})", grid_gap="2px",
            width="max-content"))
        self.clear_button = widgets.Button(description="clear", layout=widgets.Layout(width="80px"))
        self.invert_button = widgets.Button(description="invert",
                                            layout=widgets.Layout(width="80px"))
        self.clear_button.on_click(lambda _: self.clear())
        self.invert_button.on_click(lambda _: self.invert())
        self._drawing_in_code = False
        self.widget = _drawing_box()(
            [css, grid, widgets.HBox([self.clear_button, self.invert_button])],
            value=self._read_buttons())
        if start is not None:
            self.pattern = start

    def _read_buttons(self) -> tuple:
        values = [1 if b.value else -1 for b in self.buttons]
        cols = self.shape[1]
        return tuple(tuple(values[r * cols:(r + 1) * cols]) for r in range(self.shape[0]))

    def _on_click(self, change):
        # A drawing set in code changes many buttons: the value changes once, at the end.
        if not self._drawing_in_code:
            self.widget.value = self._read_buttons()

    @property
    def pattern(self) -> np.ndarray:
        """The drawing as +1 (ink) / -1 (background), int8 of shape ``shape``."""
        return np.array(self.widget.value, dtype=np.int8)

    @pattern.setter
    def pattern(self, value):
        arr = _check_pm1(value, "pattern")
        if arr.shape != self.shape:
            raise ValueError(f"pattern must have shape {self.shape}, got {arr.shape}")
        self._drawing_in_code = True
        try:
            for button, v in zip(self.buttons, arr.reshape(-1)):
                button.value = bool(v > 0)
        finally:
            self._drawing_in_code = False
        self.widget.value = self._read_buttons()

    def clear(self) -> np.ndarray:
        """Set every pixel to background; return the pattern."""
        self.pattern = -np.ones(self.shape, dtype=np.int8)
        return self.pattern

    def invert(self) -> np.ndarray:
        """Swap ink and background; return the pattern."""
        self.pattern = -self.pattern
        return self.pattern

    def __repr__(self) -> str:
        return f"PatternDrawer(shape={self.shape})"

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle


__all__ += ["plot_votes", "plot_changes", "PatternDrawer"]
