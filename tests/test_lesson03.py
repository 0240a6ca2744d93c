"""Tests for lesson 03 (pictures): the picture helpers, and the lesson's own helpers.

Covers load_image_pattern / load_grey_image / otsu_threshold / threshold_image, the
pattern <-> image round trip, the project's pictures and digits, and the lesson-03 section
(random picks vs sweeps, the halfway picture, memory report, threshold explorer, uploads).
"""

import datetime
import gc
import io
import warnings

import numpy as np
import pytest
from PIL import Image

import hopfield_helpers as hh

PICTURES = hh.DATA_DIR / "pictures"


def png_bytes(array) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(array, dtype=np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content):
    """A FileUpload value as ipywidgets 8 hands it over."""
    return ({"name": name, "type": "image/png", "size": len(content),
             "last_modified": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
             "content": memoryview(content)},)


class quietly_closed:
    """Ignore ResourceWarnings inside the block, and collect garbage before leaving it.

    ``_open_grey`` leaves a file open when it rejects it after opening (see
    test_rejected_picture_file_is_closed); its warning must not leak into later tests.
    """

    def __enter__(self):
        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", ResourceWarning)

    def __exit__(self, *exc):
        gc.collect()
        self._catch.__exit__(*exc)
        return False


def small_network(n_patterns=2, n=48, seed=0):
    return hh.HopfieldNetwork(hh.random_patterns(n_patterns, n, seed=seed))


# -- load_image_pattern and friends ------------------------------------------------------


def ramp(rows=4):
    """Every grey level 0..255 once per row: shape (rows, 256)."""
    return np.tile(np.arange(256, dtype=np.uint8), (rows, 1))


@pytest.mark.parametrize("threshold", [0, 1, 80, 127, 128, 254, 255])
def test_grey_ramp_threshold_is_inclusive(threshold):
    pattern = hh.load_image_pattern(ramp(), size=None, threshold=threshold)
    assert pattern.dtype == np.int8 and pattern.shape == (4, 256)
    expected = np.where(np.arange(256) <= threshold, 1, -1)
    assert (pattern == expected).all()  # grey <= threshold is ink (+1)
    assert int((pattern[0] == 1).sum()) == threshold + 1


@pytest.mark.parametrize("size", [(128, 128), (32, 64), (5, 3), (1, 1)])
def test_load_image_pattern_shape(size):
    pattern = hh.load_image_pattern(PICTURES / "cat.png", size=size)
    assert pattern.shape == size and pattern.dtype == np.int8
    assert set(np.unique(pattern)) <= {-1, 1}


def test_size_none_keeps_the_picture_size():
    grey = np.full((7, 11), 30, dtype=np.uint8)
    assert hh.load_image_pattern(grey, size=None, threshold=80).shape == (7, 11)
    assert hh.load_grey_image(grey, size=None).shape == (7, 11)


def test_wide_picture_is_fitted_and_padded_with_white_rows():
    wide = np.zeros((40, 80), dtype=np.uint8)  # all black, twice as wide as tall
    pattern = hh.load_image_pattern(wide, size=(128, 128), threshold=128)
    ink_rows = np.flatnonzero((pattern == 1).all(axis=1))
    white_rows = np.flatnonzero((pattern == -1).all(axis=1))
    # Scaled to 64 x 128 (not stretched to 128 x 128), centred: 32 white rows above and below.
    assert ink_rows.tolist() == list(range(32, 96))
    assert white_rows.tolist() == list(range(32)) + list(range(96, 128))


def test_tall_picture_is_padded_with_white_columns():
    tall = np.zeros((80, 40), dtype=np.uint8)
    pattern = hh.load_image_pattern(tall, size=(128, 128), threshold=128)
    assert (pattern[:, :32] == -1).all() and (pattern[:, 96:] == -1).all()
    assert (pattern[:, 32:96] == 1).all()


def test_grey_image_padding_is_white():
    grey = hh.load_grey_image(np.zeros((40, 80), dtype=np.uint8), size=(128, 128))
    assert grey.dtype == np.uint8 and grey.shape == (128, 128)
    assert (grey[:32] == 255).all() and (grey[96:] == 255).all() and (grey[32:96] == 0).all()


def test_otsu_splits_a_two_level_picture():
    grey = np.full((20, 20), 200, dtype=np.uint8)
    grey[5:12, 3:15] = 50
    t = hh.otsu_threshold(grey)
    assert 50 <= t < 200
    pattern = hh.load_image_pattern(grey, size=None)  # threshold=None: Otsu
    assert (pattern == np.where(grey == 50, 1, -1)).all()


def test_otsu_single_level_and_bad_input():
    assert hh.otsu_threshold(np.full((3, 3), 77, dtype=np.uint8)) == 77
    with pytest.raises(ValueError):
        hh.otsu_threshold(np.zeros((0,), dtype=np.uint8))
    with pytest.raises(ValueError):
        hh.otsu_threshold(np.array([0.5, 1.5]))
    with pytest.raises(ValueError):
        hh.otsu_threshold(np.array([-1, 300]))


def test_path_pil_and_array_inputs_agree(tmp_path):
    grey = hh.load_grey_image(PICTURES / "star.png", size=None)
    path = tmp_path / "star_copy.png"
    Image.fromarray(grey, mode="L").save(path)
    from_path = hh.load_image_pattern(path, size=(64, 64))
    from_str = hh.load_image_pattern(str(path), size=(64, 64))
    with Image.open(path) as image:
        from_pil = hh.load_image_pattern(image, size=(64, 64))
    from_array = hh.load_image_pattern(grey, size=(64, 64))
    from_floats = hh.load_image_pattern(grey / 255.0, size=(64, 64))
    for other in (from_str, from_pil, from_array, from_floats):
        assert (other == from_path).all()


def test_colour_and_transparency():
    rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    rgb[..., 0] = 255  # pure red: grey level 76 (ITU-R 601 luma)
    assert (hh.load_grey_image(rgb, size=None) == 76).all()
    rgba = np.zeros((4, 4, 4), dtype=np.uint8)  # black but fully transparent
    rgba[:2, :, 3] = 255  # top half opaque black
    pattern = hh.load_image_pattern(rgba, size=None, threshold=128)
    assert (pattern[:2] == 1).all() and (pattern[2:] == -1).all()  # transparent = white


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="no picture file"):
        hh.load_image_pattern(tmp_path / "nope.png")
    with pytest.raises(FileNotFoundError):
        hh.load_grey_image(str(tmp_path / "nope.png"))


def test_text_file_renamed_png_raises_value_error(tmp_path):
    fake = tmp_path / "notes.png"
    fake.write_text("this is not a picture\n")
    with pytest.raises(ValueError, match="not a picture"):
        hh.load_image_pattern(fake)


def test_truncated_png_raises_value_error(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes((PICTURES / "cat.png").read_bytes()[:200])
    with quietly_closed(), pytest.raises(ValueError):
        hh.load_image_pattern(broken)


@pytest.mark.parametrize("empty", [np.zeros((0, 5), dtype=np.uint8), np.zeros((5, 0)),
                                   np.zeros((0, 0, 3), dtype=np.uint8)])
def test_empty_array_raises_value_error(empty):
    with pytest.raises(ValueError, match="empty"):
        hh.load_image_pattern(empty)


def test_zero_size_pil_image_raises_value_error():
    with pytest.raises(ValueError, match="empty"):
        hh.load_image_pattern(Image.new("L", (0, 4)))


def test_decompression_bomb_size_raises_value_error(tmp_path, monkeypatch):
    path = tmp_path / "big.png"
    Image.new("L", (30, 30), color=0).save(path)
    monkeypatch.setattr(hh, "MAX_IMAGE_PIXELS", 500)  # 900 pixels is "too large" now
    with quietly_closed(), pytest.raises(ValueError, match="too large"):
        hh.load_image_pattern(path)
    with pytest.raises(ValueError, match="too large"):
        hh.load_image_pattern(np.zeros((30, 30), dtype=np.uint8))
    with pytest.raises(ValueError, match="too large"):
        hh.load_image_pattern(Image.new("L", (30, 30)))
    assert hh.load_image_pattern(np.zeros((20, 20), dtype=np.uint8), size=None).shape == (20, 20)


def test_rejected_picture_file_is_closed(tmp_path, monkeypatch):
    """A picture refused after opening (here: too large) leaves no file open behind it."""
    path = tmp_path / "big.png"
    Image.new("L", (30, 30), color=0).save(path)
    monkeypatch.setattr(hh, "MAX_IMAGE_PIXELS", 500)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError):
            hh.load_image_pattern(path)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("bad", [42, 3.5, None, [[0, 255], [255, 0]], b"\x89PNG", object()])
def test_wrong_input_type_raises_type_error(bad):
    with pytest.raises(TypeError):
        hh.load_image_pattern(bad)


@pytest.mark.parametrize("bad, error", [
    (np.zeros((4, 4), dtype=bool), TypeError),
    (np.array([["a", "b"], ["c", "d"]]), TypeError),
    (np.zeros((4, 4, 2), dtype=np.uint8), ValueError),
    (np.zeros((2, 2, 2, 2), dtype=np.uint8), ValueError),
    (np.array([[0.0, np.nan]]), ValueError),
    (np.array([[0, 256]]), ValueError),
    (np.array([[-1, 5]]), ValueError),
])
def test_bad_arrays(bad, error):
    with pytest.raises(error):
        hh.load_image_pattern(bad, size=None)


@pytest.mark.parametrize("size, error", [((128,), ValueError), ((0, 5), ValueError),
                                         ((2, 2, 2), ValueError), ("big", ValueError),
                                         (1.5, TypeError)])
def test_bad_size(size, error):
    with pytest.raises(error):
        hh.load_image_pattern(np.zeros((4, 4), dtype=np.uint8), size=size)


@pytest.mark.parametrize("threshold, error", [(-1, ValueError), (256, ValueError),
                                              ("80", TypeError), (True, TypeError)])
def test_bad_threshold(threshold, error):
    with pytest.raises(error):
        hh.load_image_pattern(np.zeros((4, 4), dtype=np.uint8), threshold=threshold)
    with pytest.raises(error):
        hh.threshold_image(np.zeros((4, 4), dtype=np.uint8), threshold)


def test_threshold_image_extremes():
    grey = ramp(2)
    assert (hh.threshold_image(grey, 255) == 1).all()
    at_zero = hh.threshold_image(grey, 0)
    assert (at_zero == 1).sum() == 2 and (at_zero[:, 0] == 1).all()
    with pytest.raises(ValueError):
        hh.threshold_image(np.zeros((0,)), 10)


def test_pattern_image_round_trip(tmp_path):
    pattern = hh.random_patterns(1, (9, 13), seed=4)[0]
    image = hh.pattern_to_image(pattern)
    assert image.mode == "L" and image.size == (13, 9)
    assert set(np.unique(np.asarray(image))) == {0, 255}  # ink black, background white
    path = hh.save_pattern_image(pattern, tmp_path / "p.png")
    assert path.exists()
    assert (hh.load_image_pattern(path, size=None, threshold=128) == pattern).all()
    assert (hh.load_image_pattern(image, size=None, threshold=128) == pattern).all()
    cat = hh.load_picture("cat")
    hh.save_pattern_image(cat, tmp_path / "cat.PNG")
    assert (hh.load_image_pattern(tmp_path / "cat.PNG", threshold=128) == cat).all()


def test_pattern_image_bad_input(tmp_path):
    with pytest.raises(ValueError):
        hh.pattern_to_image(np.ones(5))
    with pytest.raises(ValueError):
        hh.pattern_to_image(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=".png"):
        hh.save_pattern_image(np.ones((2, 2)), tmp_path / "p.jpg")


def test_picture_names_and_load_picture():
    names = hh.picture_names()
    assert names == ["cat", "hi_text", "house", "smiley", "star", "sunglasses"]
    for name in names:
        pattern = hh.load_picture(name)
        assert pattern.shape == (128, 128) and pattern.dtype == np.int8
        assert 0.3 <= np.mean(pattern == 1) <= 0.7
        assert (pattern == hh.load_image_pattern(PICTURES / f"{name}.png")).all()
    assert hh.load_picture("star", size=(32, 32)).shape == (32, 32)
    at_80 = hh.load_picture("cat", threshold=80)
    assert (at_80 == hh.threshold_image(hh.load_grey_image(PICTURES / "cat.png"), 80)).all()


def test_load_picture_bad_names():
    with pytest.raises(ValueError, match="available"):
        hh.load_picture("dog")
    with pytest.raises(TypeError):
        hh.load_picture(3)


def test_load_digits():
    patterns, labels, info = hh.load_digits()
    assert patterns.shape == (270, 28, 28) and patterns.dtype == np.int8
    assert set(np.unique(patterns)) == {-1, 1}
    assert labels.shape == (270,) and np.bincount(labels).tolist() == [27] * 10
    assert set(info) == {"font_size", "slant", "stroke"}
    assert all(v.shape == (270,) for v in info.values())
    thin, _, _ = hh.load_digits(threshold=255)
    assert (thin == 1).sum() < (patterns == 1).sum()
    for bad in (0, 300, -5):
        with pytest.raises(ValueError):
            hh.load_digits(threshold=bad)
    with pytest.raises((TypeError, ValueError)):
        hh.load_digits(threshold="128")


# -- random picks and sweeps -------------------------------------------------------------


def test_random_picks():
    picks = hh.random_picks(50, 1000, seed=1)
    assert picks.shape == (1000,) and picks.min() >= 0 and picks.max() < 50
    assert (picks == hh.random_picks(50, 1000, seed=1)).all()
    assert hh.random_picks(5, 0, seed=1).shape == (0,)
    with pytest.raises(ValueError):
        hh.random_picks(0, 10)
    with pytest.raises(TypeError):
        hh.random_picks(10, 2.5)


def test_never_picked_fraction_matches_the_formula():
    n, picks = 16_384, 50_000
    never = np.mean(np.bincount(hh.random_picks(n, picks, seed=0), minlength=n) == 0)
    expected = (1 - 1 / n) ** picks
    assert abs(expected - np.exp(-picks / n)) < 1e-4
    assert abs(never - expected) < 0.005  # about 5 standard deviations


def test_visit_order_is_the_recall_order_in_sweeps():
    net = small_network(n=40, seed=2)
    cue = hh.add_noise(net.patterns[0], 0.3, seed=1)
    steps = 130  # 3 sweeps and a bit
    order = hh.visit_order(net, steps, seed=7)
    assert order.shape == (steps,)
    for k in range(3):
        assert sorted(order[40 * k: 40 * (k + 1)].tolist()) == list(range(40))
    result = net.recall(cue, steps, seed=7)
    assert result.n_flips > 0
    assert (order[result.flip_steps - 1] == result.flip_neurons).all()


def test_visit_order_validation():
    net = small_network()
    with pytest.raises(TypeError):
        hh.visit_order("net", 10)
    with pytest.raises(TypeError):
        hh.visit_order(net, 10, seed=np.random.default_rng(0))
    with pytest.raises(ValueError):
        hh.visit_order(net, -1)


def ref_random_picks(w, b, s0, order):
    """Naive async updates in the given order; a zero field keeps the state."""
    s = np.array(s0, dtype=np.float64).reshape(-1)
    for i in order:
        h = w[i] @ s + b[i]
        if h * s[i] < 0:
            s[i] = -s[i]
    return s.astype(np.int8)


@pytest.mark.parametrize("seed", range(4))
def test_recall_random_picks_matches_a_naive_loop(seed):
    patterns = hh.random_patterns(3, (6, 8), seed=seed)
    net = hh.HopfieldNetwork(patterns)
    cue = hh.add_noise(patterns[0], 0.3, seed=seed + 10)
    before = cue.copy()
    got = hh.recall_random_picks(net, cue, 300, seed=seed)
    x = patterns.reshape(3, -1).astype(np.int64)
    w = x.T @ x - 3 * np.eye(48, dtype=np.int64)  # N W, integers: ties exact
    want = ref_random_picks(w, np.zeros(48), cue, hh.random_picks(48, 300, seed=seed))
    assert (got.state.reshape(-1) == want).all() and got.state.shape == (6, 8)
    assert (cue == before).all()
    assert got.visits.shape == (6, 8) and got.visits.sum() == 300
    assert (got.visits.reshape(-1) == np.bincount(hh.random_picks(48, 300, seed=seed),
                                                  minlength=48)).all()
    assert got.n_flips >= hh.hamming_distance(got.state, cue)  # a neuron may flip twice


def test_recall_random_picks_with_given_weights_and_bias():
    w = np.array([[0, 1, -2], [1, 0, 1], [-2, 1, 0]], dtype=float)
    net = hh.HopfieldNetwork.from_weights(w, bias=[0.5, 0, -1])
    got = hh.recall_random_picks(net, [1, -1, 1], 40, seed=3)
    want = ref_random_picks(w, np.array([0.5, 0, -1]), [1, -1, 1], hh.random_picks(3, 40, seed=3))
    assert (got.state == want).all()


def test_recall_random_picks_leaves_unvisited_pixels_alone():
    cat = hh.load_picture("cat", size=(32, 32))
    net = hh.HopfieldNetwork([cat])
    cue = hh.noisify(cat, 10, seed=0)
    got = hh.recall_random_picks(net, cue, 2000, seed=1)
    visited = got.visits > 0
    assert (visited == 0).any()
    assert (got.state[visited] == cat[visited]).all()  # one stored picture: visited = fixed
    assert (got.state[~visited] == cue[~visited]).all()


def test_recall_random_picks_validation():
    net = small_network()
    with pytest.raises(TypeError):
        hh.recall_random_picks(None, np.ones(48), 10)
    with pytest.raises(ValueError):
        hh.recall_random_picks(net, np.ones(47), 10)
    with pytest.raises(ValueError):
        hh.recall_random_picks(net, np.ones(48), -1)


def test_recall_each():
    pictures = [hh.load_picture(name, size=(16, 16)) for name in ("cat", "star")]
    net = hh.HopfieldNetwork(pictures)
    results = hh.recall_each(net, 3, 600, seed=5)
    assert len(results) == 2
    for pattern, result in zip(pictures, results):
        assert ((result.initial_state != pattern).sum(axis=1) == 3).all()
        assert result.steps == 600
    again = hh.recall_each(net, 3, 600, seed=5)
    assert all((a.state == b.state).all() for a, b in zip(results, again))
    with pytest.raises(ValueError):
        hh.recall_each(hh.HopfieldNetwork.from_weights(np.zeros((2, 2))), 0, 5)
    with pytest.raises(TypeError):
        hh.recall_each("net", 1, 5)
    with pytest.raises(ValueError):
        hh.recall_each(net, 17, 5)


# -- the halfway picture -----------------------------------------------------------------


def test_halfway_picture():
    a = np.array([[1, 1], [-1, -1]])
    b = np.array([[1, -1], [1, -1]])
    half = hh.halfway_picture(a, b)
    assert half.dtype == np.int8 and half.tolist() == [[1, 0], [0, -1]]
    with pytest.raises(ValueError):
        hh.halfway_picture(a, np.ones((2, 3)))
    with pytest.raises(ValueError):
        hh.halfway_picture(a, np.zeros((2, 2)))


def test_field_with_undecided_matches_field_and_ties_exactly():
    net = small_network(n=40, seed=3)
    state = hh.add_noise(net.patterns[0], 0.2, seed=0)
    assert np.allclose(hh.field_with_undecided(net, state), net.field(state))
    half = hh.halfway_picture(*net.patterns)
    h = hh.field_with_undecided(net, half)
    assert h.shape == half.shape
    assert (h[half == 0] == 0.0).all()  # an exact tie at every undecided pixel
    cat, star = hh.load_picture("cat"), hh.load_picture("star")
    h = hh.field_with_undecided(hh.HopfieldNetwork([cat, star]), hh.halfway_picture(cat, star))
    assert np.abs(h[hh.halfway_picture(cat, star) == 0]).max() == 0.0
    with pytest.raises(ValueError):
        hh.field_with_undecided(net, np.full(40, 2))
    with pytest.raises(ValueError):
        hh.field_with_undecided(net, np.zeros(39))
    with pytest.raises(TypeError):
        hh.field_with_undecided(None, half)


def test_halfway_contest_is_a_coin_toss_decided_by_the_first_pixel():
    patterns = hh.random_patterns(2, 64, seed=8)
    net = hh.HopfieldNetwork(patterns)
    contest = hh.halfway_contest(net, hh.halfway_picture(*patterns), seeds=60)
    assert contest.seeds.tolist() == list(range(60))
    assert set(contest.winners.tolist()) == {0, 1}  # no other ending
    assert contest.counts.sum() == 60 and min(contest.counts) >= 15
    assert contest.first_side_decides == 1.0
    again = hh.halfway_contest(net, hh.halfway_picture(*patterns), seeds=[5, 6, 7], steps=128)
    assert (again.winners == contest.winners[5:8]).all()


def test_halfway_contest_validation():
    net = small_network()
    half = hh.halfway_picture(*net.patterns)
    with pytest.raises(ValueError):
        hh.halfway_contest(net, half, seeds=[])
    with pytest.raises(ValueError):
        hh.halfway_contest(net, half, seeds=0)
    with pytest.raises(ValueError):
        hh.halfway_contest(net, half, seeds=[-1])
    with pytest.raises(ValueError):
        hh.halfway_contest(hh.HopfieldNetwork.from_weights(np.zeros((48, 48))), half, seeds=2)
    with pytest.raises(TypeError):
        hh.halfway_contest("net", half, seeds=2)


# -- memory and timing ---------------------------------------------------------------------


def test_network_memory_bytes():
    pictures = [hh.load_picture(name) for name in ("cat", "hi_text", "star")]
    net = hh.HopfieldNetwork(pictures)
    report = hh.network_memory_bytes(net)
    n = 128 * 128
    assert report["patterns"] == 3 * n
    assert report["float patterns"] == 3 * n * 8
    assert report["weights"] == 0
    assert report["dense matrix (not built)"] == 8 * n * n == 2_147_483_648
    parts = [v for k, v in report.items() if k not in ("total", "dense matrix (not built)")]
    assert report["total"] == sum(parts) < 2_000_000
    result = net.recall(hh.noisify(pictures[0], 10, seed=0), 100, seed=0)
    with_result = hh.network_memory_bytes(net, result)
    assert with_result["recall result"] >= result.energies.nbytes + result.flip_neurons.nbytes
    dense = hh.network_memory_bytes(hh.HopfieldNetwork.from_weights(np.zeros((4, 4))))
    assert dense["weights"] == 128 and dense["dense matrix (not built)"] == 128
    with pytest.raises(TypeError):
        hh.network_memory_bytes("net")
    with pytest.raises(TypeError):
        hh.network_memory_bytes(net, result="r")


def test_redraw_seconds():
    seen = []
    seconds = hh.redraw_seconds(seen.append, [1, 2, 3])
    assert seen == [1, 2, 3] and 0 <= seconds < 1
    with pytest.raises(ValueError):
        hh.redraw_seconds(seen.append, [])
    with pytest.raises(TypeError):
        hh.redraw_seconds("move", [1])


# -- the threshold explorer ----------------------------------------------------------------


def test_threshold_explorer():
    explorer = hh.threshold_explorer("cat", threshold=80, size=(64, 64))
    grey = hh.load_grey_image(PICTURES / "cat.png", size=(64, 64))
    assert explorer.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert (explorer.pattern == hh.threshold_image(grey, 80)).all()
    assert explorer.otsu == hh.otsu_threshold(grey)
    for t in (0, 80, explorer.otsu, 255):
        shown = explorer.explore(threshold=t)
        assert (shown == hh.threshold_image(grey, t)).all()
        assert explorer.threshold.value == t
    assert (explorer.explore(threshold=255) == 1).all()
    before = explorer.image.value
    star = explorer.explore(picture="star", threshold=128)
    assert explorer.image.value != before
    assert (star == hh.load_picture("star", size=(64, 64), threshold=128)).all()
    assert explorer.otsu == hh.otsu_threshold(explorer.grey)
    assert explorer.explore().shape == (64, 64)


def test_threshold_explorer_validation():
    with pytest.raises(ValueError):
        hh.threshold_explorer("dog")
    with pytest.raises(ValueError):
        hh.threshold_explorer("cat", threshold=300)
    with pytest.raises(TypeError):
        hh.threshold_explorer("cat", threshold=8.5)
    explorer = hh.threshold_explorer("cat")
    with pytest.raises(ValueError):
        explorer.explore(threshold=-1)
    with pytest.raises(ValueError):
        explorer.explore(picture="dog")


# -- uploads -------------------------------------------------------------------------------


def test_pattern_from_upload_reads_our_png():
    content = (PICTURES / "house.png").read_bytes()
    expected = hh.load_picture("house")
    assert (hh.pattern_from_upload(upload("house.png", content)) == expected).all()
    assert (hh.pattern_from_upload(upload("house.png", content)[0]) == expected).all()
    v7 = {"house.png": {"content": content, "metadata": {}}}
    assert (hh.pattern_from_upload(v7) == expected).all()
    small = hh.pattern_from_upload(upload("house.png", content), size=(32, 32), threshold=80)
    assert (small == hh.load_picture("house", size=(32, 32), threshold=80)).all()
    jpeg = io.BytesIO()
    Image.fromarray(np.zeros((10, 20), dtype=np.uint8)).save(jpeg, format="JPEG")
    assert hh.pattern_from_upload(upload("x.jpg", jpeg.getvalue())).shape == (128, 128)


@pytest.mark.parametrize("value, match", [
    ((), "No file uploaded"),
    (upload("a.png", b"x") + upload("b.png", b"y"), "one picture at a time"),
    (upload("empty.png", b""), "empty"),
    (upload("notes.png", b"not an image"), "not a picture I can read"),
    (upload("cut.png", (PICTURES / "cat.png").read_bytes()[:300]), "could not be read"),
    (upload("zero.png", b"\x00"), "not a picture"),
])
def test_pattern_from_upload_friendly_errors(value, match):
    with pytest.raises(ValueError, match=match):
        hh.pattern_from_upload(value)


def test_pattern_from_upload_too_large(monkeypatch):
    monkeypatch.setattr(hh, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(ValueError, match="too large"):
        hh.pattern_from_upload(upload("big.png", png_bytes(np.zeros((20, 20)))))


@pytest.mark.parametrize("value", ["cat.png", 3, [1], ({"name": "x"},),
                                   ({"name": "x", "content": "text"},)])
def test_pattern_from_upload_wrong_types(value):
    with pytest.raises(TypeError):
        hh.pattern_from_upload(value)


def test_picture_uploader_handles_good_and_bad_files():
    cat, star = hh.load_picture("cat"), hh.load_picture("star")
    uploader = hh.picture_uploader([cat, star], ["cat", "star"], flips_per_row=20, seed=1)
    message = uploader.handle(upload("house.png", (PICTURES / "house.png").read_bytes()))
    assert "Stored 'house.png'" in message and "0 pixels wrong" in message
    assert uploader.network.n_patterns == 3
    assert (uploader.pattern == hh.load_picture("house")).all()
    assert (uploader.result.state == uploader.pattern).all()
    assert uploader.image.value[:4] == b"\x89PNG"
    assert "house.png" in uploader.message.value

    bad = uploader.handle(upload("notes.png", b"not an image"))
    assert bad.startswith("Sorry:") and "not a picture" in bad
    assert "Sorry" in uploader.message.value
    assert (uploader.pattern == hh.load_picture("house")).all()  # nothing else changed

    twin = uploader.handle(upload("cat2.png", (PICTURES / "cat.png").read_bytes()))
    assert "looks a lot like cat" in twin


def test_picture_uploader_widget_event():
    cat = hh.load_picture("cat", size=(32, 32))
    uploader = hh.picture_uploader([cat], ["cat"], flips_per_row=4)
    uploader.upload.value = upload("star.png", (PICTURES / "star.png").read_bytes())
    assert uploader.network is not None and uploader.pattern.shape == (32, 32)
    assert "star.png" in uploader.message.value


def test_picture_uploader_validation():
    cat = hh.load_picture("cat", size=(16, 16))
    with pytest.raises(ValueError):
        hh.picture_uploader([cat], ["cat", "dog"])
    with pytest.raises(ValueError):
        hh.picture_uploader([np.ones(16)], ["line"])
    with pytest.raises(ValueError):
        hh.picture_uploader([cat], ["cat"], flips_per_row=17)
