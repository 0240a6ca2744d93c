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
from lessons import (drive_every_control, explorers, lesson_path, run_lesson, same_picture,
                     stroke_from_page)

PICTURES = hh.DATA_DIR / "pictures"
PHOTOS = PICTURES / "photos"
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
        "thresholds", "rub_out", "explorer", "uploader"]


def prose() -> str:
    cells = json.loads(lesson_path("03").read_text())["cells"]
    return " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_the_lesson_opens_with_goals_and_ends_with_a_recap_and_the_next_lesson():
    text = prose()
    assert "In about 60 minutes you will be able to" in text
    assert "## Recap" in text and "(04_spurious_states.ipynb)" in text
    # The corrected claims: the original's scramble, and who decides the halfway contest.
    assert "flips 30 pixels per row, drawn with replacement" in text
    assert "exactly 40 pixels" not in text
    assert "under this coin-toss rule for a tie, chance decides" in text
    assert "it wins 143\nof the 200 runs" in text


# -- 1. a photograph to black and white -----------------------------------------------------


def test_grey_photo_and_threshold_128(lesson):
    grey = lesson["grey"]
    assert grey.shape == (128, 128) and grey.dtype == np.uint8
    assert grey.min() == 0 and grey.max() == 255
    assert round(np.mean(lesson["ink"] == 1) * 100) == 35  # "threshold 128: 35% ... ink"
    assert hh.picture_names(photos=True) == ["astronaut", "camera", "chelsea", "coffee", "horse",
                                             "rocket"]


def test_otsu_threshold_of_the_camera_is_the_102_in_the_prose(lesson):
    assert "(102 for the camera photo, as the legend above says)" in prose()
    grey = lesson["grey"]
    assert np.array_equal(lesson["photos"]["camera"], np.where(grey <= 102, 1, -1))
    assert not np.array_equal(lesson["photos"]["camera"], np.where(grey <= 101, 1, -1))


def test_the_four_photos(lesson):
    assert lesson["names"] == ["camera", "astronaut", "chelsea", "coffee"]
    for name, pattern in lesson["photos"].items():
        assert np.array_equal(pattern, hh.load_picture(name))
        assert pattern.shape == (128, 128)


def test_threshold_explorer_draws_numpy_thresholds(lesson):
    thresholds = lesson["thresholds"]
    assert thresholds.values == {"photo": "camera", "threshold": 128}
    assert isinstance(thresholds.controls["photo"], widgets.Dropdown)
    shown = drive_every_control(thresholds)
    names = hh.picture_names(photos=True)
    assert [(name, value) for name, value, _ in shown] == (
        [("photo", name) for name in names] + [("threshold", t) for t in (0, 128, 255)])
    assert thresholds.values == {"photo": "camera", "threshold": 128}  # back where it started
    for name in names:
        grey = hh.load_grey_image(PHOTOS / f"{name}.png")
        for t in (0, 128, 255):
            thresholds.set(photo=name, threshold=t)
            (grey_caption, shown_grey), chart, (caption, ink) = thresholds.panels
            assert grey_caption == "grey photo" and np.allclose(shown_grey, 1 - grey / 127.5)
            assert np.array_equal(ink, np.where(grey <= t, 1, -1))
            assert caption == f"threshold {t}: {np.mean(ink == 1):.0%} ink"
        assert (ink == 1).all()  # at 255 every pixel is ink
    thresholds.set(photo="camera", threshold=0)
    assert np.mean(thresholds.panels[2][1] == 1) < 0.02  # at 0 almost nothing is
    lines = []
    for t in (40, 120, 200):
        thresholds.controls["threshold"].value = t
        lines.append(orange_columns(thresholds.pictures[1].value).mean())
    assert lines[0] < lines[1] < lines[2]  # the solid line moves with the slider
    thresholds.set(photo="camera", threshold=128)


# -- 2. Hebb's rule and the energy -------------------------------------------------------------


def test_energy_by_hand_is_the_networks_and_minus_n_minus_1_over_2(lesson):
    camera, net1, energy, x1 = lesson["camera"], lesson["net1"], lesson["energy"], lesson["x1"]
    assert energy(x1, camera) == net1.energy(camera) == -(N - 1) / 2 == -8191.5
    assert net1.energy(-camera) == -8191.5
    assert round(net1.energy(lesson["noise"]), 1) == -1.7
    x4 = lesson["net4"].patterns.reshape(4, N).astype(np.int64)  # the formula in general
    for s in hh.random_patterns(3, (128, 128), seed=2):
        assert np.isclose(energy(x1, s), net1.energy(s))
        assert np.isclose(energy(x4, s), lesson["net4"].energy(s))


# -- 3. scramble and recall, by hand and fast -------------------------------------------------


def test_cue_recall_and_the_energy_table(lesson):
    camera, cue, result = lesson["camera"], lesson["cue"], lesson["result"]
    assert hh.hamming_distance(cue, camera) == 4939
    table = {0: (-1291.2, 4939), 2000: (-1809.8, 4341), 5000: (-2743.3, 3451),
             10000: (-4774.0, 1938), 16384: (-8191.5, 0), 50000: (-8191.5, 0)}
    for t, (energy, wrong) in table.items():
        assert round(result.energies[t], 1) == energy
        assert hh.hamming_distance(result.state_at(t), camera) == wrong
    assert np.all(np.diff(result.energies) <= 1e-9)  # never rises
    assert result.converged and np.array_equal(result.state, camera)
    assert result.flip_steps[-1] <= N  # everything happened in the first sweep


def test_the_rule_by_hand_is_the_recall(lesson):
    assert np.array_equal(lesson["by_hand"], lesson["result"].state.reshape(-1))
    recall_by_hand = lesson["recall_by_hand"]
    net = hh.HopfieldNetwork(hh.random_patterns(4, 60, seed=7))
    x = net.patterns.astype(np.int64)
    for seed in range(5):
        start = hh.random_patterns(1, 60, seed=10 + seed)[0]
        order = net.visit_order(180, seed=seed)
        assert np.array_equal(recall_by_hand(x, start, order), net.recall(start, 180, seed=seed).state)
        before = start.copy()
        recall_by_hand(x, start, order, tie=-1)
        assert np.array_equal(start, before)  # the start is not modified
    # tie=-1: a field of exactly 0 gives -1 (the original's "> theta" rule)
    tie = np.array([[1, 1, -1, -1], [1, -1, 1, -1]])
    assert recall_by_hand(tie, np.array([0, 0, 0, 0]), [0], tie=-1).tolist() == [-1, 0, 0, 0]
    assert recall_by_hand(tie, np.array([0, 0, 0, 0]), [0]).tolist() == [0, 0, 0, 0]


# -- 4. the matrix we never build --------------------------------------------------------------


def test_fields_from_patterns_equal_fields_from_the_matrix(lesson):
    small, s = lesson["small"], lesson["s"]
    assert np.abs(small.weights @ s - lesson["from_patterns"]).max() == 0
    assert np.allclose(lesson["from_patterns"], small.field(s))
    with pytest.raises(ValueError, match="GiB"):
        lesson["net4"].weights  # too big: never built


# -- 5. random picks and sweeps ----------------------------------------------------------------


def test_random_picks_miss_about_five_percent_and_leave_exactly_those_pixels(lesson):
    never, picked, cue, camera = lesson["never"], lesson["picked"], lesson["cue"], lesson["camera"]
    assert never.sum() == 793
    assert round((1 - 1 / N) ** 50_000, 4) == 0.0473 and round(50_000 / N, 2) == 3.05
    assert np.array_equal(lesson["picks"][picked.flip_steps - 1], picked.flip_neurons)
    assert hh.hamming_distance(picked.state, camera) == np.sum(never & (cue != camera)) == 234
    assert np.array_equal(picked.state[never], cue[never])  # never picked: never changed
    assert np.array_equal(picked.state[~never], camera[~never])  # picked: fixed


def test_sweeps_visit_every_neuron(lesson):
    order, result = lesson["order"], lesson["result"]
    assert np.unique(order[:N]).size == N
    assert lesson["visits"].min() == 3 and lesson["visits"].max() == 4
    assert np.array_equal(order[result.flip_steps - 1], result.flip_neurons)


# -- 6. four photographs -----------------------------------------------------------------------


def test_four_photos_come_back_from_30_percent_noise(lesson):
    net4, results4, names = lesson["net4"], lesson["results4"], lesson["names"]
    stored = np.stack([lesson["photos"][name] for name in names])
    assert np.array_equal(results4.state, stored)
    assert lesson["verdicts"] == names
    flipped = (results4.initial_state != stored).mean(axis=(1, 2))
    assert np.all(np.abs(flipped - 0.3) < 0.01)  # the titles say "30% flipped"
    overlaps = net4.overlaps(results4.state)
    assert np.round(overlaps, 3).tolist() == [[1.0, 0.038, 0.12, -0.051], [0.038, 1.0, 0.036, 0.072],
                                              [0.12, 0.036, 1.0, -0.087], [-0.051, 0.072, -0.087, 1.0]]
    assert round(np.abs(overlaps[~np.eye(4, dtype=bool)]).max(), 3) == 0.120  # the largest


# -- 7. pattern completion ---------------------------------------------------------------------


def test_the_astronaut_comes_back_from_its_bottom_half(lesson):
    astronaut = lesson["photos"]["astronaut"]
    piece = lesson["piece"]
    assert (piece[:64] == -1).all() and np.array_equal(piece[64:], astronaut[64:])
    assert np.array_equal(lesson["completed"].state, astronaut)


def test_completion_table(lesson):
    net4, stored = lesson["net4"], lesson["stored"]
    table = {"top": [4, 4, 4, 4, 1, 1], "bottom": [4, 2, 1, 1, 1, 0],
             "left": [3, 3, 2, 2, 1, 0], "right": [4, 2, 2, 1, 1, 1]}
    assert lesson["SIDES"] == list(table) and lesson["FRACTIONS"] == (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
    for side, counts in table.items():
        pieces = np.stack([hh.cover(p, f, side) for f in lesson["FRACTIONS"] for p in stored])
        ends = net4.recall(pieces, 50_000, seed=3).state.reshape(6, 4, N)
        assert (ends == stored.reshape(4, N)).all(axis=2).sum(axis=1).tolist() == counts
    # "from the bottom, 40% is already too much for two of them": the astronaut and the coffee
    pieces = np.stack([hh.cover(p, 0.4, "bottom") for p in stored])
    ends = net4.recall(pieces, 50_000, seed=3).state
    labels = [v.label(lesson["names"]) for v in hh.which_memory(net4, ends)]
    assert labels[0] == "camera" and labels[2] == "chelsea"
    assert labels[1].startswith("other (near astronaut") and labels[3].startswith("mixture")


def test_cover():
    x = hh.random_patterns(1, (10, 8), seed=0)[0]
    before = x.copy()
    top, bottom = hh.cover(x, 0.3, "top"), hh.cover(x, 0.3, "bottom")
    assert (top[:3] == -1).all() and np.array_equal(top[3:], x[3:])
    assert (bottom[7:] == -1).all() and np.array_equal(bottom[:7], x[:7])
    left, right = hh.cover(x, 0.5, "left"), hh.cover(x, 0.5, "right")
    assert (left[:, :4] == -1).all() and np.array_equal(left[:, 4:], x[:, 4:])
    assert (right[:, 4:] == -1).all() and np.array_equal(right[:, :4], x[:, :4])
    assert np.array_equal(hh.cover(x, 0.0), x) and (hh.cover(x, 1.0, "left") == -1).all()
    assert hh.cover(x, 0.3).dtype == np.int8 and np.array_equal(x, before)  # not modified
    assert hh.cover(x.tolist(), 0.1).shape == (10, 8)


@pytest.mark.parametrize("args, error, match", [
    ((np.ones(5), 0.5), ValueError, "rows, cols"),
    ((np.zeros((3, 3)), 0.5), ValueError, "pattern"),
    ((np.ones((3, 3)), 1.5), ValueError, "fraction"),
    ((np.ones((3, 3)), "half"), TypeError, "fraction"),
    ((np.ones((3, 3)), 0.5, "middle"), ValueError, "side"),
])
def test_cover_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        hh.cover(*args)


# -- 8. dithering --------------------------------------------------------------------------------


def test_the_rub_out_canvas_starts_at_the_cat_and_describes_it(lesson):
    canvas, cat = lesson["rub_out"], lesson["photos"]["chelsea"]
    assert canvas.shape == (128, 128) and canvas.brush == 4 and canvas.widget.can_recall
    assert np.array_equal(canvas.pattern, cat)
    assert canvas.readout_text == ("energy -8,381   overlaps: camera +0.12, astronaut +0.04, "
                                   "chelsea +1.00, coffee -0.09\n"
                                   "one sweep of recall from here ends at: chelsea")


def test_the_cats_energy_among_four_photos_is_the_overlap_formula(lesson):
    """The note under the rub-out grid: -8,381, below one photo's -8191.5."""
    net4, cat = lesson["net4"], lesson["photos"]["chelsea"]
    m = net4.overlaps(cat)
    assert net4.energy(cat) == pytest.approx(-N / 2 * np.sum(m ** 2) + 4 / 2)
    assert round(net4.energy(cat)) == -8381 and net4.energy(cat) < -8191.5
    assert np.round(m, 2).tolist() == [0.12, 0.04, 1.0, -0.09]


def test_rubbing_out_changes_the_readout_and_recall_repairs_it(lesson, monkeypatch):
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # play without waiting
    canvas, cat = lesson["rub_out"], lesson["photos"]["chelsea"]
    rubbed = cat.copy()
    rubbed[30:70, 20:110] = -1  # a block rubbed out across the head
    try:
        stroke_from_page(canvas, rubbed)
        assert canvas.readout_text.startswith("energy -5,984   overlaps: camera +0.09, "
                                              "astronaut +0.07, chelsea +0.84")
        assert canvas.readout_text.endswith("ends at: chelsea")
        canvas.widget._handle_custom_msg({"event": "recall"}, [])  # the page's recall button
        assert np.array_equal(canvas.pattern, cat)
    finally:
        canvas.pattern = cat


def test_the_think_prompts_answers(lesson):
    """Rub out enough and the recall stops at the cat; ink costs this cat more than white."""
    canvas, cat = lesson["rub_out"], lesson["photos"]["chelsea"]
    assert np.mean(cat == -1) > 0.6  # "mostly background"
    try:
        most = cat.copy()
        most[:90] = -1
        stroke_from_page(canvas, most)
        assert canvas.readout_text.endswith("ends at: other (near chelsea)")
        white, ink = cat.copy(), cat.copy()
        white[40:80, 20:110], ink[40:80, 20:110] = -1, 1
        assert hh.overlap(ink, cat) < hh.overlap(white, cat)
    finally:
        canvas.pattern = cat


def test_dithering_is_pillows_and_makes_the_photos_less_alike(lesson):
    assert np.array_equal(lesson["dithered"], hh.load_picture("camera", threshold="dither"))
    assert set(np.unique(lesson["dithered"])) == {-1, 1}
    stats = {}
    for look, threshold in lesson["LOOKS"].items():
        m = hh.overlap_matrix(np.stack([hh.load_picture(n, threshold=threshold)
                                        for n in lesson["all_names"]]))
        off = np.abs(m[~np.eye(6, dtype=bool)])
        stats[look] = (round(off.mean(), 2), round(off.max(), 2))
    assert stats == {"threshold": (0.14, 0.42), "dither": (0.07, 0.22)}


# -- 9. the explorer ------------------------------------------------------------------------------

START = {"picture": "camera", "look": "threshold", "noise": 0.3, "covered": 0.0, "side": "top",
         "seed": 3, "step": 50_000}


def test_recall_explorer_every_control(lesson):
    explorer, photos = lesson["explorer"], lesson["photos"]
    assert explorer.values == START
    assert play_button(explorer).step == explorer.controls["step"].step == 500
    shown = drive_every_control(explorer)
    assert {name for name, _, _ in shown} == set(START)
    assert explorer.values == START

    explorer.set(noise=0.0, step=0)
    assert same_picture(explorer.panels[0][1], photos["camera"])  # no noise: the photo itself
    explorer.set(noise=1.0)
    assert explorer.controls["step"].value == 50_000
    assert same_picture(explorer.panels[1][1], -photos["camera"])  # all flipped: stays reversed
    explorer.set(noise=0.3, seed=3, picture="chelsea", look="dither")
    dithered = hh.load_picture("chelsea", threshold="dither")
    cue = explorer.panels[0][1]
    assert same_picture(cue, hh.add_noise(dithered, 0.3, seed=3))
    assert same_picture(explorer.panels[1][1], dithered)  # recalled, dithered
    explorer.set(noise=0.0, covered=0.5, side="left", look="threshold", picture="astronaut")
    assert same_picture(explorer.panels[0][1], hh.cover(photos["astronaut"], 0.5, "left"))
    explorer.controls["step"].value = 0
    assert same_picture(explorer.panels[1][1], explorer.panels[0][1])  # step 0 shows the cue
    assert explorer.result.steps == explorer.controls["step"].max == 50_000
    explorer.set(**START)


# -- 10. memes -----------------------------------------------------------------------------------


def test_memes_carry_their_captions_and_come_back(lesson):
    memes, photos = lesson["memes"], lesson["photos"]
    assert memes.shape == (4, 128, 128)
    for meme in memes:
        band = meme[101:]  # the white band with the caption, rows 200-255 of 256
        assert 0.1 < np.mean(band == 1) < 0.5  # bold black letters on white
    assert np.array_equal(memes[0][:99], hh.load_image_pattern(PHOTOS / "camera.png", threshold=128)[:99])
    assert round(np.mean(lesson["meme_cue"] != memes[2]), 2) == 0.4
    assert np.array_equal(lesson["meme_recall"].state, memes[2])
    # The panel at update 10,922 (where the prose says the caption reads again) is still
    # noisy: caption and photo alike are about 14% wrong, against 40% in the cue.
    assert lesson["moments"].tolist() == [0, 5461, 10922, 16384]
    state = lesson["meme_recall"].state_at(10_922)
    assert round(np.mean(state[101:] != memes[2][101:]), 2) == 0.14
    assert round(np.mean(state[:99] != memes[2][:99]), 2) == 0.13


# -- 11. the halfway picture ---------------------------------------------------------------------


def test_halfway_picture_is_an_exact_tie(lesson):
    cat, coffee, half = lesson["cat"], lesson["coffee"], lesson["half"]
    assert (half == 0).sum() == 8903
    assert np.array_equal(half[cat == coffee], cat[cat == coffee])
    assert np.mean(half * cat) == np.mean(half * coffee)
    assert round(np.mean(half * cat), 4) == 0.4566
    assert np.abs(lesson["fields"][half.reshape(-1) == 0]).max() == 0
    w = hh.HopfieldNetwork(lesson["small2"]).weights  # the lesson's fields are the network's
    small_half = lesson["small_half"].reshape(-1)
    xs = lesson["small2"].reshape(2, -1).astype(np.int64)
    assert np.allclose((xs.T @ (xs @ small_half))[small_half == 0] / small_half.size,
                       (w @ small_half)[small_half == 0])


def test_two_seeds_two_endings(lesson):
    runs = lesson["runs"]
    assert lesson["endings"] == ["coffee", "chelsea"]
    assert not (runs[1].state_at(N) == 0).any()  # decided within one sweep


def test_halfway_contest_under_both_tie_rules(lesson):
    assert (lesson["small_half"] == 0).sum() == 536
    winners = lesson["winners"]
    assert (winners.count("chelsea"), winners.count("coffee"), len(winners)) == (99, 101, 200)
    assert lesson["agree"] == 1.0
    wins = lesson["wins"]
    assert (wins.count("chelsea"), wins.count("coffee")) == (143, 57)
    assert round(np.mean(lesson["small2"][0][lesson["undecided"]] == -1), 2) == 0.68
    # The same orders as the coin-toss runs: recall(seed=s) visits visit_order(seed=s).
    for s in (0, 1):
        assert np.array_equal(lesson["contest"][s].flip_neurons,
                              lesson["orders"][s][lesson["contest"][s].flip_steps - 1])


# -- exercises -----------------------------------------------------------------------------------


def test_exercise_answers(lesson):
    camera, net1 = lesson["camera"], lesson["net1"]
    assert round(N * np.log(N)) == 158_991 and round(np.log(N), 2) == 9.70
    assert round(N * (1 - 1 / N) ** 159_000, 3) == 0.999
    cue = hh.add_noise(camera, 0.7, seed=3)
    assert round(hh.overlap(cue, camera), 2) == -0.41
    assert hh.overlap(net1.recall(cue, 50_000, seed=3).state, camera) == -1.0
    names = lesson["all_names"]
    for threshold, wrong, sums in [
            (None, [0, 1758, 0, 0, 434, 0], [0.33, 1.01, 0.59, 0.41, 1.08, 0.92]),
            ("dither", [0] * 6, [0.23, 0.27, 0.08, 0.4, 0.67, 0.44])]:
        stored = np.stack([hh.load_picture(n, threshold=threshold) for n in names])
        net = hh.HopfieldNetwork(stored)
        cues = np.stack([hh.add_noise(p, 0.3, seed=3 + k) for k, p in enumerate(stored)])
        ends = net.recall(cues, 50_000, seed=3).state
        assert [hh.hamming_distance(a, b) for a, b in zip(ends, stored)] == wrong
        assert np.round(np.abs(hh.overlap_matrix(stored)).sum(axis=1) - 1, 2).tolist() == sums


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


def test_the_lesson_uploader_starts_clean(lesson):
    uploader = lesson["uploader"]
    assert uploader.grey is None and uploader.explorer is None
    assert uploader.message.value.startswith("Choose a picture file")
    assert uploader.widget.children == (uploader.upload, uploader.message)


def house_png() -> bytes:
    return (PICTURES / "house.png").read_bytes()


def test_the_lesson_uploader_gives_an_upload_the_built_in_controls(lesson):
    uploader = lesson["uploader"]
    try:
        message = uploader.handle(upload("house.png", house_png()))
        house = hh.load_grey_image(PICTURES / "house.png")
        assert message == ("Here is 'house.png' at 128x128 (52% ink when thresholded): move the "
                           "controls below.")
        assert np.array_equal(uploader.grey, house)
        explorer = uploader.explorer
        assert uploader.widget.children[2] is explorer.widget
        assert set(explorer.controls) == set(lesson["explorer"].controls)
        assert explorer.values == {**START, "picture": "house.png"}
        assert explorer.controls["picture"].options == ("house.png", "camera", "astronaut",
                                                         "chelsea", "coffee")
        shown = drive_every_control(explorer)
        assert {name for name, _, _ in shown} == set(START)
        for look, threshold in (("threshold", None), ("dither", "dither")):
            pattern = hh.load_image_pattern(house, size=None, threshold=threshold)
            explorer.set(look=look, noise=0.1, covered=0.3, side="right", seed=4)
            assert same_picture(explorer.panels[0][1],
                                hh.cover(hh.add_noise(pattern, 0.1, seed=4), 0.3, "right"))
            assert same_picture(explorer.panels[1][1], pattern)  # stored beside the photos
    finally:
        uploader.grey = uploader.explorer = None  # leave the lesson as it was
        uploader.widget.children = (uploader.upload, uploader.message)
        uploader.message.value = "Choose a picture file: it gets the same controls as the pictures above."


def small_uploader():
    """An uploader whose explorer just shows the upload (quick to build)."""
    def explore(grey, name):
        return hh.Explorer(lambda threshold=128: [(name, np.where(grey <= threshold, 1, -1))],
                           threshold=(0, 255))
    return hh.PictureUploader(explore, size=(32, 32))


def test_uploader_reacts_to_the_widget():
    uploader = small_uploader()
    uploader.upload.value = upload("star.png", (PICTURES / "star.png").read_bytes())
    assert np.array_equal(uploader.grey, hh.load_grey_image(PICTURES / "star.png", size=(32, 32)))
    assert "star.png" in uploader.message.value
    assert uploader.explorer.panels[0][0] == "star.png"


def jpeg_with_orientation(image, orientation) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95, exif=exif)
    return buffer.getvalue()


def test_a_phone_photo_comes_out_upright():
    # A phone held sideways stores the picture on its side and says so in EXIF (6: turn it
    # 90 degrees clockwise to view). Upright, this picture is tall and dark at the top.
    upright = np.full((40, 20), 255, dtype=np.uint8)
    upright[:10] = 0
    sideways = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)  # 20 tall, 40 wide
    uploader = hh.PictureUploader(lambda grey, name: hh.Explorer(lambda t=1: [("x", np.ones((2, 2)))],
                                                                  t=(0, 2)), size=(40, 20))
    assert uploader.handle(upload("phone.jpg", jpeg_with_orientation(sideways, 6))).startswith("Here is")
    grey = uploader.grey
    assert grey.shape == (40, 20)
    assert grey[:8].mean() < 40 and grey[12:].mean() > 215  # dark at the top: upright
    path_grey = hh.load_grey_image(Image.open(io.BytesIO(jpeg_with_orientation(sideways, 1))),
                                   size=None)
    assert path_grey.shape == (20, 40)  # without the tag, it stays as stored


@pytest.mark.parametrize("picture, why", [
    (np.full((50, 60), 128, dtype=np.uint8), "every pixel has the same grey level (128)."),
    (np.full((128, 128), 0, dtype=np.uint8), "every pixel has the same grey level (0)."),
    (np.tile([0, 255], (3, 2500)).astype(np.uint8),
     "fitted into 128x128 (not stretched) it is too thin to leave a mark."),
    (np.tile([[0], [255]], (2500, 3)).astype(np.uint8),
     "fitted into 128x128 (not stretched) it is too thin to leave a mark."),
], ids=["one-grey-level", "all-black", "wide-strip", "tall-strip"])
def test_a_picture_with_nothing_to_store_gets_a_clear_message(picture, why):
    built = []
    uploader = hh.PictureUploader(lambda grey, name: built.append(name))
    message = uploader.handle(upload("blank.png", png_bytes(picture)))
    assert message == f"Sorry: 'blank.png' has nothing to store: {why}"
    assert uploader.message.value.startswith("<b>Sorry:")
    assert uploader.grey is None and uploader.explorer is None and not built


def test_uploader_bad_file_changes_nothing():
    uploader = small_uploader()
    uploader.handle(upload("house.png", house_png()))
    grey, explorer, children = uploader.grey, uploader.explorer, uploader.widget.children
    bad = uploader.handle(upload("notes.png", b"not an image"))
    assert bad == ("Sorry: 'notes.png' is not a picture I can read: choose a PNG, JPEG, GIF or "
                   "BMP picture.")
    assert uploader.message.value.startswith("<b>Sorry:")
    assert uploader.grey is grey and uploader.explorer is explorer
    assert uploader.widget.children == children


def test_uploader_reads_other_upload_forms_and_formats():
    uploader = small_uploader()
    house = hh.load_grey_image(PICTURES / "house.png", size=(32, 32))
    assert uploader.handle(upload("house.png", house_png())[0]).startswith(
        "Here is 'house.png' at 32x32")  # one dict, not in a tuple
    assert np.array_equal(uploader.grey, house)
    jpeg = io.BytesIO()
    Image.fromarray(np.tile(np.arange(0, 200, 10, dtype=np.uint8), (10, 1))).save(jpeg, format="JPEG")
    assert uploader.handle(upload("x.jpg", jpeg.getvalue())).startswith("Here is 'x.jpg'")


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
    uploader = small_uploader()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        message = uploader.handle(value)
        gc.collect()
    assert message.startswith("Sorry: ") and match in message
    assert uploader.explorer is None


def test_uploader_refuses_a_huge_picture(monkeypatch):
    uploader = small_uploader()
    monkeypatch.setattr(hh, "MAX_IMAGE_PIXELS", 100)
    assert "too large" in uploader.handle(upload("big.png", png_bytes(np.zeros((20, 20)))))


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(explore=None), TypeError, "explore"),
    (dict(explore="explore"), TypeError, "explore"),
    (dict(size=(128,)), ValueError, "size"),
    (dict(size=(0, 4)), ValueError, "size"),
    (dict(size="big"), ValueError, "size"),
])
def test_uploader_validation(kwargs, error, match):
    args = dict(explore=lambda grey, name: None)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        hh.PictureUploader(**args)


def test_the_meme_gif_is_the_first_sweep_with_17_frames(lesson):
    first, full = lesson["first_sweep"], lesson["meme_recall"]
    assert first.steps == N and np.array_equal(first.state, full.state_at(N))
    assert lesson["gif"] == hh.DATA_DIR.parent / "notebooks" / "output" / "meme.gif"
    with Image.open(lesson["gif"]) as movie:
        assert movie.n_frames == lesson["frames"] == 17
