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
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a number from 0 to 255, got {threshold!r}")
    if not 0 <= threshold <= 255:
        raise ValueError(f"threshold must be from 0 to 255, got {threshold}")
    grey = np.asarray(grey)
    if grey.ndim != 2 or grey.size == 0 or not np.issubdtype(grey.dtype, np.integer) \
            or grey.min() < 0 or grey.max() > 255:
        raise ValueError("grey must be a 2-D array of whole grey levels from 0 to 255, got "
                         f"shape {grey.shape} and dtype {grey.dtype}")
    key = (grey.shape, grey.astype(np.uint8).tobytes())
    if key not in _grey_level_charts:
        _grey_level_charts[key] = _grey_level_chart(grey)
        while len(_grey_level_charts) > 8:
            _grey_level_charts.pop(next(iter(_grey_level_charts)))
    # A level's bar spans [level, level + 1): the line sits right of the last ink level.
    return _grey_level_charts[key].marked(threshold + 1)


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


def _pattern_from_upload(name, content, size):
    """The uploaded file's bytes as a +1/-1 pattern of ``size`` (Otsu's threshold)."""
    import io
    import warnings

    from PIL import Image

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
    return load_image_pattern(image, size=size)


class PictureUploader:
    """Upload a picture: it is stored with other pictures, scrambled and recalled.

    The uploaded file is fitted into the pictures' shape (not stretched), thresholded
    with Otsu's method, stored last in a new network beside ``patterns``, scrambled with
    ``flips_per_row`` flips in every row and recalled. The message says how well it came
    back; a file that is not a picture gets a friendly "Sorry" and changes nothing.

    Used in lesson 03.

    Parameters
    ----------
    patterns : array_like (P, rows, cols) of +1/-1
        The pictures stored beside the upload. Not modified.
    labels : sequence of P str
        Their names.
    flips_per_row : int in [0, cols]
        How many pixels of every row of the upload are flipped before the recall.
    steps : int >= 1, optional
        Async updates of the recall (default: three sweeps of all neurons).
    seed : int >= 0
        For the scramble and the recall.

    Attributes
    ----------
    upload : ipywidgets.FileUpload
    message : ipywidgets.HTML
        What happened, or what was wrong with the file.
    picture : ipywidgets.Image
        The recall of the upload (as :func:`plot_recall` draws it), once there is one.
    widget : ipywidgets.VBox
        What a cell displays.
    network : HopfieldNetwork or None
        The network with the upload stored last.
    pattern : ndarray of int8, shape (rows, cols), or None
        The upload as a pattern.
    result : RecallResult or None
        Its recall from the scrambled cue.
    """

    def __init__(self, patterns, labels, flips_per_row=40, steps=None, seed=0):
        import ipywidgets as widgets

        self.patterns = _stack_patterns(patterns)
        if self.patterns.ndim != 3:
            raise ValueError("patterns must be pictures, shape (P, rows, cols), got shape "
                             f"{self.patterns.shape}")
        if isinstance(labels, str):
            raise TypeError("labels must be a sequence of names, one per picture, not one string")
        self.labels = [str(label) for label in labels]
        if len(self.labels) != len(self.patterns):
            raise ValueError(f"labels must name each of the {len(self.patterns)} patterns, "
                             f"got {len(self.labels)}")
        self.flips_per_row = _check_count(flips_per_row, "flips_per_row")
        if self.flips_per_row > self.patterns.shape[2]:
            raise ValueError(f"flips_per_row must be <= the row length {self.patterns.shape[2]}, "
                             f"got {self.flips_per_row}")
        n = self.patterns[0].size
        self.steps = 3 * n if steps is None else _check_count(steps, "steps", minimum=1)
        self.seed = _check_count(seed, "seed")
        self.upload = widgets.FileUpload(accept="image/*", multiple=False,
                                         description="upload picture")
        self.message = widgets.HTML(value="Choose a picture file: it is stored with "
                                    f"{', '.join(self.labels)} and recalled from a scramble.")
        # Hidden until there is a recall to show (an empty image shows as a broken one).
        self.picture = widgets.Image(format="png", layout=widgets.Layout(display="none"))
        self.network = self.pattern = self.result = None
        self.upload.observe(lambda change: self.handle(change["new"]), names="value")
        self.widget = widgets.VBox([self.upload, self.message, self.picture])

    def handle(self, value) -> str:
        """Store, scramble and recall an uploaded picture; return the message shown.

        Parameters
        ----------
        value : the value of an ``ipywidgets.FileUpload``
            In ipywidgets 8 a tuple of dicts with ``"name"`` and ``"content"`` (the file's
            bytes); one such dict, or the ipywidgets 7 form ``{name: {"content": ...}}``,
            is accepted too.

        Returns
        -------
        str
            What was stored and how many pixels came back wrong, or, starting with
            "Sorry:", what was wrong with the file (then nothing else changes).
        """
        import html

        try:
            name, content = _uploaded_file(value)
            pattern = _pattern_from_upload(name, content, self.patterns.shape[1:])
        except (ValueError, TypeError) as exc:
            text = f"Sorry: {exc}"
            self.message.value = f"<b>{html.escape(text)}</b>"
            return text
        network = HopfieldNetwork(list(self.patterns) + [pattern])
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
        panels = plot_recall(result, labels=self.labels + [name])
        self.picture.value = _side_by_side([_panel_png(panel) for panel in panels])
        self.picture.layout.display = None
        self.message.value = html.escape(text)
        return text

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = "Upload a picture here (in a live notebook)."
        return bundle


__all__ += ["plot_grey_levels", "PictureUploader"]
