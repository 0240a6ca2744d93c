"""Lesson 03 (pictures): what the lesson computes and shows, its explorers driven through
every control, and the lesson's own helpers (plot_grey_levels, PictureUploader). The
picture-reading helpers it introduces are tested with the core, in test_data.py and
test_validation.py."""

import datetime
import gc
import io
import json
import warnings

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

import hopfield_helpers as hh
from lessons import drive_every_control, explorers, lesson_path, run_lesson, same_picture

PICTURES = hh.DATA_DIR / "pictures"
N = 128 * 128
ORANGE = tuple(int(hh.PALETTE[5][k:k + 2], 16) for k in (1, 3, 5))  # the threshold line


@pytest.fixture(scope="module")
def lesson():
    return run_lesson("03")


def png_bytes(array) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(array, dtype=np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content):
    """A FileUpload value as ipywidgets 8 hands it over."""
    return ({"name": name, "type": "image/png", "size": len(content),
             "last_modified": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
             "content": memoryview(content)},)


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def orange_columns(png: bytes) -> np.ndarray:
    """The x positions of the threshold line in a rendered chart."""
    return np.flatnonzero((decoded(png) == ORANGE).all(axis=2).sum(axis=0) > 20)


def play_button(explorer):
    (play,) = [w for w in explorer.widget.children[0].children if isinstance(w, widgets.Play)]
    return play


# -- the lesson as a whole -------------------------------------------------------------------


def test_the_notebook_shows_no_test_code():
    cells = json.loads(lesson_path("03").read_text())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert "".join(code[0]["source"]).startswith("%matplotlib inline\n")
    for cell in code:
        source = "".join(cell["source"])
        assert "assert" not in source and "NBVAL" not in source and ".value =" not in source
        assert len([line for line in source.splitlines() if line.strip()]) <= 8, source
        assert "execution" not in cell["metadata"]
        for output in cell.get("outputs", []):
            text = json.dumps(output)
            assert "http://" not in text and "https://" not in text
            assert "Sorry" not in text and "ms per redraw" not in text
    tagged = [c for c in code if "nbval-ignore-output" in c["metadata"].get("tags", [])]
    assert ["".join(c["source"]).splitlines()[-1] for c in tagged] == [
        "thresholds", "explorer", "movie", "uploader"]


# -- 1. grey to black and white ------------------------------------------------------------


def test_grey_picture_and_threshold_80(lesson):
    grey = lesson["grey"]
    assert grey.shape == (128, 128) and grey.dtype == np.uint8
    assert grey.min() == 0 and grey.max() == 255
    assert round(np.mean(lesson["ink"] == 1) * 100) == 48  # "threshold 80: 48% ... ink"


def test_otsu_threshold_of_the_cat_is_the_123_in_the_prose(lesson):
    prose = "".join("".join(c["source"]) for c in json.loads(lesson_path("03").read_text())["cells"])
    assert "(123 for the cat, as the legend above says)" in prose
    grey = lesson["grey"]
    assert np.array_equal(lesson["pictures"]["cat"], np.where(grey <= 123, 1, -1))
    assert not np.array_equal(lesson["pictures"]["cat"], np.where(grey <= 122, 1, -1))


def test_the_six_pictures(lesson):
    assert lesson["names"] == ["cat", "hi_text", "house", "smiley", "star", "sunglasses"]
    for name, pattern in lesson["pictures"].items():
        assert np.array_equal(pattern, hh.load_picture(name))


def test_threshold_explorer_draws_numpy_thresholds(lesson):
    thresholds = lesson["thresholds"]
    assert thresholds.values == {"picture": "cat", "threshold": 80}
    assert isinstance(thresholds.controls["picture"], widgets.Dropdown)
    shown = drive_every_control(thresholds)
    assert [(name, value) for name, value, _ in shown] == (
        [("picture", name) for name in hh.picture_names()] + [("threshold", t) for t in (0, 128, 255)])
    assert thresholds.values == {"picture": "cat", "threshold": 80}  # back where it started
    for name in hh.picture_names():
        grey = hh.load_grey_image(PICTURES / f"{name}.png")
        for t in (0, 80, 255):
            thresholds.set(picture=name, threshold=t)
            (grey_caption, shown_grey), chart, (caption, ink) = thresholds.panels
            assert grey_caption == "grey picture" and np.allclose(shown_grey, 1 - grey / 127.5)
            assert np.array_equal(ink, np.where(grey <= t, 1, -1))
            assert caption == f"threshold {t}: {np.mean(ink == 1):.0%} ink"
        assert (ink == 1).all()  # at 255 every pixel is ink
    thresholds.set(picture="cat", threshold=0)
    assert np.mean(thresholds.panels[2][1] == 1) < 0.02  # at 0 almost nothing is
    lines = []
    for t in (40, 120, 200):
        thresholds.controls["threshold"].value = t
        lines.append(orange_columns(thresholds.pictures[1].value).mean())
    assert lines[0] < lines[1] < lines[2]  # the solid line moves with the slider
    thresholds.set(picture="cat", threshold=80)


# -- 2. one picture --------------------------------------------------------------------------


def test_network_cue_and_recall(lesson):
    cat, cue, result = lesson["cat"], lesson["cue"], lesson["result"]
    assert lesson["net1"].n_neurons == N and lesson["net1"].n_patterns == 1
    assert hh.hamming_distance(cue, cat) == 5120
    assert ((cue != cat).sum(axis=1) == 40).all()  # exactly 40 in every row
    table = {0: (-1151.5, 5120), 2000: (-1662.5, 4501), 5000: (-2616.3, 3562),
             10000: (-4684.3, 1997), 16384: (-8191.5, 0), 50000: (-8191.5, 0)}
    for t, (energy, wrong) in table.items():
        assert round(result.energies[t], 1) == energy
        assert hh.hamming_distance(result.state_at(t), cat) == wrong
    assert np.all(np.diff(result.energies) <= 1e-9)  # never rises
    assert result.converged and np.array_equal(result.state, cat)
    assert result.flip_steps[-1] <= N  # everything happened in the first sweep


def test_first_sweep_is_the_same_recall_cut_short(lesson):
    first, result = lesson["first_sweep"], lesson["result"]
    assert first.steps == N
    assert np.array_equal(first.state, result.state_at(N))
    assert np.array_equal(first.energies, result.energies[: N + 1])


# -- 3. the recall explorer --------------------------------------------------------------------


def test_recall_explorer_every_control(lesson):
    explorer, cat = lesson["explorer"], lesson["cat"]
    assert explorer.values == {"noise": 0.3, "seed": 3, "step": 50_000}
    assert play_button(explorer).step == explorer.controls["step"].step == 500
    shown = drive_every_control(explorer)
    assert {name for name, _, _ in shown} == {"noise", "seed", "step"}
    assert explorer.values == {"noise": 0.3, "seed": 3, "step": 50_000}

    explorer.set(noise=0.0, step=0)
    assert same_picture(explorer.panels[0][1], cat)  # no noise: the cat itself
    explorer.set(noise=1.0)
    assert explorer.controls["step"].value == 50_000
    assert same_picture(explorer.panels[1][1], -cat)  # all flipped: stays reversed
    explorer.set(noise=0.3, seed=3)
    cue = explorer.panels[0][1]
    assert 0.25 < np.mean(cue != cat) < 0.35  # about 30% flipped ...
    assert same_picture(explorer.panels[1][1], cat)  # ... and recalled
    explorer.controls["step"].value = 0
    assert same_picture(explorer.panels[1][1], cue)  # step 0 shows the cue
    assert explorer.result.steps == explorer.controls["step"].max == 50_000
    explorer.controls["step"].value = 50_000


def test_movie_every_control(lesson):
    movie, cue, cat = lesson["movie"], lesson["cue"], lesson["cat"]
    assert movie.result is lesson["first_sweep"]
    assert play_button(movie).step == movie.controls["step"].step == 512
    assert movie.controls["step"].max == N and movie.values == {"step": N}
    drive_every_control(movie)
    assert len(movie.pictures) == 2  # the state and the energy
    movie.controls["step"].value = 0
    assert same_picture(movie.panels[0][1], cue)
    movie.controls["step"].value = N
    assert same_picture(movie.panels[0][1], cat)


def test_gif_is_written_with_17_frames(lesson):
    gif = lesson["gif"]
    assert gif == hh.DATA_DIR.parent / "notebooks" / "output" / "recall.gif"
    with Image.open(gif) as movie:
        assert movie.n_frames == lesson["frames"] == 17


# -- 4. random picks and sweeps ----------------------------------------------------------------


def test_random_picks_miss_about_five_percent(lesson):
    never = lesson["never"]
    assert never.sum() == 793
    assert abs(never.mean() - (1 - 1 / N) ** 50_000) < 0.005
    assert round((1 - 1 / N) ** 50_000, 4) == 0.0473 and round(50_000 / N, 2) == 3.05
    assert lesson["visits"].sum() == 50_000


def test_random_pick_recall_leaves_exactly_the_never_picked_pixels(lesson):
    picked, cue, cat, never = lesson["picked"], lesson["cue"], lesson["cat"], lesson["never"]
    # The picks the lesson counted are the very ones its recall made.
    assert np.array_equal(lesson["picks"][picked.flip_steps - 1], picked.flip_neurons)
    assert hh.hamming_distance(picked.state, cat) == lesson["missed"].sum() == 248
    assert np.array_equal(picked.state[never], cue[never])  # never picked: never changed
    assert np.array_equal(picked.state[~never], cat[~never])  # picked: fixed
    assert hh.hamming_distance(lesson["result"].state, cat) == 0


def test_sweeps_visit_every_neuron(lesson):
    order, result = lesson["order"], lesson["result"]
    assert np.unique(order[:N]).size == N
    assert lesson["sweep_visits"].min() == 3 and lesson["sweep_visits"].max() == 4
    assert np.array_equal(order[result.flip_steps - 1], result.flip_neurons)


# -- 5. two and three pictures -------------------------------------------------------------


@pytest.mark.parametrize("names, net, results", [("two", "net2", "results2"),
                                                 ("three", "net3", "results3")])
def test_each_picture_comes_back_from_its_own_scramble(lesson, names, net, results):
    names, net, results = lesson[names], lesson[net], lesson[results]
    pictures = np.stack([lesson["pictures"][name] for name in names])
    assert np.array_equal(results.state, pictures)
    assert [v.label(names) for v in hh.which_memory(net, results.state)] == names
    assert ((results.initial_state != pictures).sum(axis=2) == 40).all()
    for k, cue in enumerate(results.initial_state):  # the stack: each as if alone
        alone = net.recall(cue, 50_000, seed=3)
        assert np.array_equal(alone.state, results.state[k])
        assert np.array_equal(alone.energies, results.energies[k])


def test_three_pictures_overlap_little(lesson):
    overlaps = lesson["net3"].overlaps(lesson["results3"].state)
    assert np.allclose(overlaps, hh.overlap_matrix(lesson["net3"].patterns))
    off = np.abs(overlaps[~np.eye(3, dtype=bool)])
    assert off.max() < 0.08
    assert np.round(overlaps, 3).tolist() == [[1.0, -0.078, 0.02], [-0.078, 1.0, 0.059],
                                              [0.02, 0.059, 1.0]]


# -- 6. the halfway picture ----------------------------------------------------------------


def test_halfway_picture_is_an_exact_tie(lesson):
    cat, star, half = lesson["cat"], lesson["star"], lesson["half"]
    assert (half == 0).sum() == 8026
    assert np.array_equal(half[cat == star], cat[cat == star])
    assert np.mean(half * cat) == np.mean(half * star) == 0.5101318359375
    assert np.abs(lesson["undecided_fields"](lesson["net2"], half)).max() == 0.0


def test_undecided_fields_are_the_network_fields(lesson):
    """At a pixel that is 0 the lesson's numpy field is the network's own field."""
    net = hh.HopfieldNetwork(hh.random_patterns(3, 40, seed=5))
    start = hh.random_patterns(1, 40, seed=6)[0].copy()
    start[::4] = 0
    fields = lesson["undecided_fields"](net, start)
    w = net.weights
    assert np.allclose(fields, (w @ start)[start == 0])


def test_two_seeds_two_endings(lesson):
    runs, two = lesson["runs"], lesson["two"]
    endings = [hh.which_memory(lesson["net2"], run.state).label(two) for run in runs.values()]
    assert sorted(endings) == ["cat", "star"] and endings == lesson["verdicts"]
    assert endings[0] == "star"  # the seed-1 run along the way ends as the star
    assert not (runs[1].state_at(N) == 0).any()  # decided within one sweep


def test_halfway_contest_is_a_fair_coin_decided_by_the_first_pixel(lesson):
    assert (lesson["small_half"] == 0).sum() == 481
    assert np.abs(lesson["undecided_fields"](lesson["small_net"], lesson["small_half"])).max() == 0
    winners = lesson["winners"]
    assert (winners.count("cat"), winners.count("star"), len(winners)) == (102, 98, 200)
    assert lesson["agree"] == 1.0


# -- 9. the matrix we never build --------------------------------------------------------------


def test_fields_from_patterns_equal_fields_from_the_matrix(lesson):
    assert np.allclose(lesson["from_patterns"], lesson["from_matrix"])
    small_net, s = lesson["small_net"], lesson["s"]
    assert np.allclose(lesson["from_patterns"], small_net.field(s))
    assert lesson["matrix_mb"] / lesson["pictures_mb"] == N / 3
    with pytest.raises(ValueError, match="GiB"):
        lesson["net3"].weights  # too big: never built


# -- exercises -----------------------------------------------------------------------------------


def test_exercise_answers(lesson):
    import matplotlib.pyplot as plt

    cat, net1 = lesson["cat"], lesson["net1"]
    assert round(N * np.log(N)) == 158_991 and round(np.log(N), 2) == 9.70
    assert round(N * (1 - 1 / N) ** 159_000, 3) == 0.999
    back = net1.recall(hh.noisify(cat, 80, seed=3), 50_000, seed=3)
    assert hh.overlap(back.state, cat) == -1.0
    assert hh.overlap(hh.noisify(cat, 80, seed=3), cat) == -0.25
    assert net1.energy(-cat) == net1.energy(cat) == -8191.5
    names = lesson["names"]
    net6, results6 = lesson["store_and_recall"](names)
    plt.close("all")
    wrong = [hh.hamming_distance(state, lesson["pictures"][name])
             for name, state in zip(names, results6.state)]
    assert wrong == [0, 0, 0, 202, 0, 333]
    assert [round(hh.overlap(s, lesson["pictures"][n]), 3) for n, s in
            zip(names, results6.state)][3::2] == [0.975, 0.959]
    assert results6.converged.all()
    sums = np.round(np.abs(hh.overlap_matrix(net6.patterns)).sum(axis=1) - 1, 2)
    assert sums.tolist() == [0.84, 0.44, 0.95, 1.03, 0.58, 1.02]


# -- plot_grey_levels ----------------------------------------------------------------------------


def chart_png(grey, threshold):
    """plot_grey_levels as an explorer shows it."""
    explorer = hh.Explorer(lambda threshold=threshold: hh.plot_grey_levels(grey, threshold),
                           threshold=(0, 255))
    return explorer.pictures[0].value


def test_plot_grey_levels_marks_the_threshold():
    grey = hh.load_grey_image(PICTURES / "star.png")
    before = grey.copy()
    pngs = {t: chart_png(grey, t) for t in (0, 100, 255)}
    assert all(png[:8] == b"\x89PNG\r\n\x1a\n" for png in pngs.values())
    x = [orange_columns(pngs[t]).mean() for t in (0, 100, 255)]
    assert x[0] < x[1] < x[2]
    assert chart_png(grey, 100) == pngs[100]  # the same picture and threshold: the same chart
    assert np.array_equal(grey, before)  # not modified
    other = hh.load_grey_image(PICTURES / "cat.png")
    assert chart_png(other, 100) != pngs[100]


def test_plot_grey_levels_accepts_any_whole_grey_levels():
    ramp = np.tile(np.arange(256), (4, 1))  # int64, every level once per row
    assert orange_columns(chart_png(ramp, 128)).size
    assert orange_columns(chart_png(np.full((3, 3), 7, dtype=np.uint8), 7.5)).size


GREY = np.zeros((4, 4), dtype=np.uint8)


@pytest.mark.parametrize("grey, threshold, error, match", [
    (GREY, "80", TypeError, "threshold"),
    (GREY, True, TypeError, "threshold"),
    (GREY, None, TypeError, "threshold"),
    (GREY, -1, ValueError, "threshold"),
    (GREY, 256, ValueError, "threshold"),
    (np.zeros((4, 4, 3), dtype=np.uint8), 80, ValueError, "grey"),
    (np.zeros((0, 4), dtype=np.uint8), 80, ValueError, "grey"),
    (np.full((4, 4), 0.5), 80, ValueError, "grey"),
    (np.full((4, 4), 300), 80, ValueError, "grey"),
    (np.full((4, 4), -3), 80, ValueError, "grey"),
])
def test_plot_grey_levels_bad_input(grey, threshold, error, match):
    with pytest.raises(error, match=match):
        hh.plot_grey_levels(grey, threshold)


# -- PictureUploader -----------------------------------------------------------------------------


@pytest.fixture
def cat_and_star():
    return [hh.load_picture("cat"), hh.load_picture("star")]


def test_the_lesson_uploader_starts_clean(lesson):
    uploader = lesson["uploader"]
    assert uploader.network is None and uploader.pattern is None and uploader.result is None
    assert uploader.message.value.startswith("Choose a picture file")
    assert uploader.picture.value == b"" and uploader.picture.layout.display == "none"
    assert uploader.labels == ["cat", "star"] and uploader.flips_per_row == 40


def test_uploader_stores_scrambles_and_recalls(cat_and_star):
    before = [p.copy() for p in cat_and_star]
    uploader = hh.PictureUploader(cat_and_star, ["cat", "star"], flips_per_row=20, seed=1)
    message = uploader.handle(upload("house.png", (PICTURES / "house.png").read_bytes()))
    house = hh.load_picture("house")
    assert message == ("Stored 'house.png' (52% ink) with cat, star. Scrambled (20 flips per "
                       "row) and recalled: 0 pixels wrong.")
    assert uploader.message.value == message.replace("'", "&#x27;")
    assert uploader.network.n_patterns == 3
    assert np.array_equal(uploader.network.patterns[2], house)
    assert np.array_equal(uploader.pattern, house)
    assert ((uploader.result.initial_state != house).sum(axis=1) == 20).all()
    assert np.array_equal(uploader.result.state, house)
    assert uploader.result.steps == 3 * N
    assert uploader.picture.value[:8] == b"\x89PNG\r\n\x1a\n" and uploader.picture.layout.display is None
    assert all(np.array_equal(a, b) for a, b in zip(cat_and_star, before))  # not modified


def test_uploader_bad_file_changes_nothing(cat_and_star):
    uploader = hh.PictureUploader(cat_and_star, ["cat", "star"])
    uploader.handle(upload("house.png", (PICTURES / "house.png").read_bytes()))
    network, picture = uploader.network, uploader.picture.value
    bad = uploader.handle(upload("notes.png", b"not an image"))
    assert bad == ("Sorry: 'notes.png' is not a picture I can read: choose a PNG, JPEG, GIF or "
                   "BMP picture.")
    assert uploader.message.value.startswith("<b>Sorry:")
    assert uploader.network is network and uploader.picture.value == picture
    assert np.array_equal(uploader.pattern, hh.load_picture("house"))


def test_uploader_warns_of_a_look_alike(cat_and_star):
    uploader = hh.PictureUploader(cat_and_star, ["cat", "star"], flips_per_row=10)
    twin = uploader.handle(upload("cat2.png", (PICTURES / "cat.png").read_bytes()))
    assert "It looks a lot like cat (overlap 1.00), so the two may get mixed up." in twin


def test_uploader_reacts_to_the_widget():
    cat = hh.load_picture("cat", size=(32, 32))
    uploader = hh.PictureUploader([cat], ["cat"], flips_per_row=4)
    uploader.upload.value = upload("star.png", (PICTURES / "star.png").read_bytes())
    assert np.array_equal(uploader.pattern, hh.load_picture("star", size=(32, 32)))
    assert "star.png" in uploader.message.value and uploader.result.steps == 3 * 32 * 32


def test_uploader_reads_other_upload_forms_and_formats():
    cat = hh.load_picture("cat", size=(32, 32))
    uploader = hh.PictureUploader([cat], ["cat"], flips_per_row=2)
    content = (PICTURES / "house.png").read_bytes()
    house = hh.load_picture("house", size=(32, 32))
    for value in (upload("house.png", content)[0], {"house.png": {"content": content}}):
        assert uploader.handle(value).startswith("Stored 'house.png'")
        assert np.array_equal(uploader.pattern, house)
    jpeg = io.BytesIO()
    Image.fromarray(np.zeros((10, 20), dtype=np.uint8)).save(jpeg, format="JPEG")
    assert uploader.handle(upload("x.jpg", jpeg.getvalue())).startswith("Stored 'x.jpg'")


@pytest.mark.parametrize("value, match", [
    ((), "No file uploaded"),
    (upload("a.png", b"x") + upload("b.png", b"y"), "one picture at a time"),
    (upload("empty.png", b""), "empty"),
    (upload("notes.png", b"not an image"), "not a picture I can read"),
    (upload("cut.png", (PICTURES / "cat.png").read_bytes()[:300]), "could not be read"),
    (upload("zero.png", b"\x00"), "not a picture"),
    ("cat.png", "FileUpload widget's value"),
    (3, "FileUpload widget's value"),
    ([1], "a dict with 'name' and 'content'"),
    (({"name": "x"},), "a dict with 'name' and 'content'"),
    (({"name": "x", "content": "text"},), "must be bytes"),
])
def test_uploader_friendly_messages(value, match):
    uploader = hh.PictureUploader([hh.load_picture("cat", size=(16, 16))], ["cat"], flips_per_row=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        message = uploader.handle(value)
        gc.collect()
    assert message.startswith("Sorry: ") and match in message
    assert uploader.network is None


def test_uploader_refuses_a_huge_picture(monkeypatch):
    uploader = hh.PictureUploader([hh.load_picture("cat", size=(8, 8))], ["cat"], flips_per_row=1)
    monkeypatch.setattr(hh, "MAX_IMAGE_PIXELS", 100)
    assert "too large" in uploader.handle(upload("big.png", png_bytes(np.zeros((20, 20)))))


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(patterns=[np.ones(16)], labels=["line"]), ValueError, "patterns must be pictures"),
    (dict(labels=["cat", "dog"]), ValueError, "labels must name each"),
    (dict(labels="cat"), ValueError, "labels"),
    (dict(flips_per_row=17), ValueError, "flips_per_row"),
    (dict(flips_per_row=2.5), TypeError, "flips_per_row"),
    (dict(steps=0), ValueError, "steps"),
    (dict(seed=-1), ValueError, "seed"),
    (dict(patterns=[np.zeros((16, 16))], labels=["blank"]), ValueError, r"\+1"),
])
def test_uploader_validation(kwargs, error, match):
    args = dict(patterns=[hh.load_picture("cat", size=(16, 16))], labels=["cat"], flips_per_row=2)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        hh.PictureUploader(**args)
