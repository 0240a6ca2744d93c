# ---- Lesson 05: beyond Hebb (notebooks/05_beyond_hebb.ipynb) ----
# Two pictures the lesson draws: grids of many small captioned pictures (where every memory
# takes the same noisy cues), and the capacity of every learning rule on one chart.

_HEBB_LOAD_05 = 0.138  # Amit, Gutfreund and Sompolinsky (1985): Hebb's capacity P/N at large N


def picture_grid(panels, ncols, column_titles=None, title=None, width=112):
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
    width : int >= 8
        Pictures are scaled up by whole pixels to about this many screen pixels wide.

    Returns
    -------
    picture
        Shows itself as one PNG when it is the last line of a cell; its ``image`` is the
        ``PIL.Image.Image`` (grey levels, mode "L"), about ``ncols * (width + 10)`` pixels
        wide.

    Notes
    -----
    Used in lesson 05.
    """
    from PIL import Image, ImageDraw

    if isinstance(panels, (str, bytes, np.ndarray)) or not hasattr(panels, "__len__"):
        raise TypeError("panels must be a list of patterns or (caption, pattern) pairs")
    if len(panels) == 0:
        raise ValueError("panels is empty: nothing to draw")
    ncols = _check_count(ncols, "ncols", minimum=1)
    width = _check_count(width, "width", minimum=8)
    if column_titles is not None and (isinstance(column_titles, str)
                                      or len(column_titles) != ncols):
        raise ValueError(f"column_titles must have one title per column ({ncols})")
    captions, pictures = [], []
    for k, panel in enumerate(panels):
        is_pair = isinstance(panel, tuple) and len(panel) == 2 and isinstance(panel[0], str)
        caption, pattern = panel if is_pair else (None, panel)
        try:
            values = np.asarray(pattern, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"panels[{k}] must be a pattern or a (caption, pattern) pair") from None
        if values.size and np.all(np.isfinite(values)) and np.abs(values).max() <= 1 + 1e-9:
            values = np.clip(values, -1, 1)  # rounding can leave an average at 1 + 1e-16
        pictures.append(_pattern_image(_display_array(values, f"panels[{k}]"), None, width))
        captions.append(caption or "")
    font, line = _font(), 22  # 18-pixel text, as the explorers' captions
    cell = max(p.width for p in pictures) + 10

    def wrap(text):
        """``text`` split at spaces into lines that fit a cell (a word never splits); two
        lines are balanced ("mixture of" / "1, 4 and 7", not "mixture of 1, 4" / "and 7")."""
        lines = []
        for paragraph in text.split("\n"):
            words, parts = paragraph.split(" "), [[]]
            for word in words:
                if parts[-1] and font.getlength(" ".join(parts[-1] + [word])) > cell - 4:
                    parts.append([])
                parts[-1].append(word)
            if len(parts) == 2:  # break where the longer of the two lines is shortest
                best = min(range(1, len(words)), key=lambda k: max(
                    font.getlength(" ".join(words[:k])), font.getlength(" ".join(words[k:]))))
                parts = [words[:best], words[best:]]
            lines += [" ".join(part) for part in parts]
        return [] if lines == [""] else lines

    grid = [list(range(start, min(start + ncols, len(panels))))
            for start in range(0, len(panels), ncols)]
    heading = [wrap(t) for t in column_titles] if column_titles is not None else []
    heading_height = line * max((len(h) for h in heading), default=0) + (10 if heading else 0)
    caption_lines = [[wrap(captions[k]) for k in row] for row in grid]
    row_heights = [line * max(len(c) for c in lines) + max(pictures[k].height for k in row) + 12
                   for row, lines in zip(grid, caption_lines)]
    top = (line + 8 if title else 0) + heading_height
    sheet = Image.new("L", (cell * min(ncols, len(panels)), top + sum(row_heights)), 255)
    draw = ImageDraw.Draw(sheet)
    if title:
        draw.text((sheet.width // 2, 2), title, fill=0, font=font, anchor="ma")
    for j, lines in enumerate(heading):
        for n, text in enumerate(lines):
            draw.text((j * cell + cell // 2, top - heading_height + n * line), text, fill=0,
                      font=font, anchor="ma")
    if heading:  # a rule between the headings and the pictures' own captions
        draw.line([(4, top - 5), (sheet.width - 4, top - 5)], fill=150, width=1)
    y = top
    for row, lines, height in zip(grid, caption_lines, row_heights):
        text_height = line * max(len(c) for c in lines)
        for j, (k, caption) in enumerate(zip(row, lines)):
            for n, text in enumerate(caption):  # the last line sits just over the picture
                draw.text((j * cell + cell // 2, y + text_height - line * (len(caption) - n)),
                          text, fill=0, font=font, anchor="ma")
            left = j * cell + (cell - pictures[k].width) // 2
            sheet.paste(pictures[k], (left, y + text_height + 2))
        y += height
    return _PictureGrid05(sheet)


class _PictureGrid05:
    """What :func:`picture_grid` returns: a picture that shows itself as a PNG."""

    def __init__(self, image):
        self.image = image

    def _repr_png_(self):
        import io

        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG", compress_level=9)  # saved once: keep it small
        return buffer.getvalue()

    def __repr__(self):
        return f"<picture grid, {self.image.width} x {self.image.height} pixels>"


def plot_capacity_by_rule(loads, recalled, rules, n_neurons, ax=None, title=None, legend=True,
                          nudge=0.012):
    """The fraction of recalls that succeeded against the load P/N, one line per rule.

    Marks Hebb's large-N capacity 0.138 (Amit, Gutfreund and Sompolinsky 1985) and
    Storkey's ``1 / sqrt(2 ln N)`` (Storkey 1997), both as loads P/N.

    Parameters
    ----------
    loads : array_like of float, shape (L,)
        The loads P/N tried, increasing.
    recalled : array_like of float in [0, 1], shape (L, R)
        For each load and rule, the fraction of trials recalled.
    rules : sequence of R str
        The rules' names, for the legend.
    n_neurons : int >= 2
        N, for Storkey's mark and the axis label.
    ax : matplotlib Axes, optional
    title : str, optional
    legend : bool
        Draw the legend (outside the axes, on the right).
    nudge : float >= 0
        Rule r's line is drawn ``nudge * (r - (R - 1) / 2)`` higher, so lines at the same
        height (all at 1.0, say) stay visible side by side.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Used in lesson 05.
    """
    try:
        loads = np.array(loads, dtype=np.float64)
        recalled = np.array(recalled, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("loads and recalled must be arrays of numbers") from None
    if loads.ndim != 1 or loads.size == 0 or not np.all(np.isfinite(loads)) or np.any(loads <= 0):
        raise ValueError(f"loads must be a 1-D array of positive numbers, got shape {loads.shape}")
    if isinstance(rules, str) or recalled.shape != (loads.size, len(rules)):
        raise ValueError(f"recalled must have shape (loads, rules) = ({loads.size}, "
                         f"{0 if isinstance(rules, str) else len(rules)}), got {recalled.shape}")
    if not np.all((recalled >= 0) & (recalled <= 1)):
        raise ValueError("recalled must hold fractions between 0 and 1")
    n_neurons = _check_count(n_neurons, "n_neurons", minimum=2)
    if isinstance(nudge, bool) or not isinstance(nudge, numbers.Real) or nudge < 0:
        raise ValueError(f"nudge must be a number >= 0, got {nudge!r}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(5.5, 3.8), layout="constrained")
    for r, rule in enumerate(rules):
        ax.plot(loads, recalled[:, r] + nudge * (r - (len(rules) - 1) / 2),
                color=PALETTE[r % len(PALETTE)], linestyle=_LINESTYLES[r % len(_LINESTYLES)],
                marker="os^Dv"[r % 5], markersize=5, linewidth=2, label=str(rule))
    storkey = 1 / np.sqrt(2 * np.log(n_neurons))
    ax.axvline(_HEBB_LOAD_05, color="#555555", linestyle="--", linewidth=1.2,
               label=f"Hebb theory: {_HEBB_LOAD_05}")
    ax.axvline(storkey, color="#000000", linestyle=":", linewidth=1.5,
               label=f"Storkey theory:\n1/sqrt(2 ln N) = {storkey:.2f}")
    ax.set_ylim(-0.06, 1.06)
    ax.set_xlim(0, None)
    ax.set_xlabel(f"load P / N  (N = {n_neurons})")
    ax.set_ylabel("fraction recalled")
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if title:
        ax.set_title(title)
    return ax


__all__ += ["picture_grid", "plot_capacity_by_rule"]
