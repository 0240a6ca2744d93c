"""Every bad input is refused at the boundary, with an error that names the argument;
no input is modified; importing the helpers stays light."""

import gc
import subprocess
import sys
import warnings

import numpy as np
import pytest
from PIL import Image

import hopfield_helpers as hh

X = hh.letter_pattern("X")
O = hh.letter_pattern("O")
NET = hh.HopfieldNetwork([X, O])
TWO = hh.HopfieldNetwork.from_weights([[0, 1], [1, 0]])
RESULT = NET.recall(hh.add_noise(X, 0.2, seed=0), steps=30, seed=0)


def with_value(value, dtype=float):
    """X as floats with its first pixel replaced by ``value``."""
    a = X.astype(dtype)
    a[0, 0] = value
    return a


BAD_PM1 = {
    "zero": with_value(0, int),
    "two": with_value(2, int),
    "half": with_value(0.5),
    "nan": with_value(np.nan),
    "inf": with_value(np.inf),
}
BAD_TYPE = {
    "bool": X > 0,
    "str": "X",
    "str_array": np.array([["1", "-1"]]),
    "none": None,
    "objects": [1, None, -1],
}

CASES = []


def case(id, call, exc, match):
    CASES.append(pytest.param(call, exc, match, id=id))


# values other than +1/-1, and non-numeric arrays, in every +1/-1 argument
for name, bad in BAD_PM1.items():
    case(f"patterns-{name}", lambda bad=bad: hh.HopfieldNetwork(bad[None]), ValueError, "patterns")
    case(f"patterns-list-{name}", lambda bad=bad: hh.HopfieldNetwork([X, bad]), ValueError, r"patterns\[1\]")
    case(f"state-{name}", lambda bad=bad: NET.recall(bad, 5), ValueError, "state")
    case(f"field-{name}", lambda bad=bad: NET.field(bad), ValueError, "state")
    case(f"energy-{name}", lambda bad=bad: NET.energy(bad), ValueError, "state")
    case(f"fixed-point-{name}", lambda bad=bad: NET.is_fixed_point(bad), ValueError, "state")
    case(f"overlap-a-{name}", lambda bad=bad: hh.overlap(bad, X), ValueError, r"\ba\b")
    case(f"overlap-b-{name}", lambda bad=bad: hh.overlap(X, bad), ValueError, r"\bb\b")
    case(f"hamming-b-{name}", lambda bad=bad: hh.hamming_distance(X, bad), ValueError, r"\bb\b")
    case(f"add-noise-{name}", lambda bad=bad: hh.add_noise(bad, 0.1), ValueError, "pattern")
for name, bad in BAD_TYPE.items():
    case(f"patterns-{name}", lambda bad=bad: hh.HopfieldNetwork([X, bad]), TypeError, "patterns")
    case(f"state-{name}", lambda bad=bad: NET.recall(bad, 5), TypeError, "state")
    case(f"overlap-a-{name}", lambda bad=bad: hh.overlap(bad, X), TypeError, r"\ba\b")
    case(f"add-noise-{name}", lambda bad=bad: hh.add_noise(bad, 0.1), TypeError, "pattern")
case("patterns-bool-array", lambda: hh.HopfieldNetwork(np.stack([X, O]) > 0), TypeError, "patterns")
case("patterns-str", lambda: hh.HopfieldNetwork("XO"), TypeError, "patterns")
case("patterns-int", lambda: hh.HopfieldNetwork(3), TypeError, "patterns")
case("patterns-none", lambda: hh.HopfieldNetwork(None), TypeError, "patterns")

# shapes
case("patterns-ragged", lambda: hh.HopfieldNetwork([[1, -1, 1], [1, -1]]), ValueError, "patterns")
case("patterns-ragged-inner", lambda: hh.HopfieldNetwork([[[1, -1], [1]]]), ValueError, "patterns")
case("patterns-empty-list", lambda: hh.HopfieldNetwork([]), ValueError, "patterns")
case("patterns-empty-array", lambda: hh.HopfieldNetwork(np.zeros((0, 25))), ValueError, "patterns")
case("patterns-empty-patterns", lambda: hh.HopfieldNetwork(np.zeros((2, 0))), ValueError, "patterns")
case("patterns-list-of-empty", lambda: hh.HopfieldNetwork([[], []]), ValueError, "patterns")
case("patterns-different-shapes", lambda: hh.HopfieldNetwork([X, X.ravel()]), ValueError, "patterns")
case("patterns-different-sizes", lambda: hh.HopfieldNetwork([[1, -1], [1, -1, 1]]), ValueError, "patterns")
case("patterns-1d-array", lambda: hh.HopfieldNetwork(np.array([1, -1, 1])), ValueError, "patterns")
case("patterns-scalars", lambda: hh.HopfieldNetwork([1, -1, 1]), ValueError, "patterns")
case("state-ragged", lambda: NET.recall([[1, -1], [1]], 5), ValueError, "state")
case("state-empty", lambda: NET.recall(np.array([]), 5), ValueError, "state")
case("state-too-few", lambda: NET.recall(np.ones(24), 5), ValueError, "state")
case("state-too-many", lambda: NET.recall(np.ones((5, 6)), 5), ValueError, "state")
case("fixed-point-wrong-size", lambda: NET.is_fixed_point(np.ones(26)), ValueError, "state")
case("field-wrong-size", lambda: NET.field(np.ones((2, 24))), ValueError, "state")
case("energy-wrong-size", lambda: NET.energy(np.ones(7)), ValueError, "state")
case("overlaps-wrong-size", lambda: NET.overlaps(np.ones(7)), ValueError, "state")
case("overlap-shapes", lambda: hh.overlap(X, X.ravel()), ValueError, r"\ba\b.*\bb\b")
case("hamming-shapes", lambda: hh.hamming_distance(X, X[:4]), ValueError, r"\ba\b.*\bb\b")
case("overlap-empty", lambda: hh.overlap([], []), ValueError, r"\ba\b")

# noise level
for bad in (-0.1, 1.5, np.nan, np.inf):
    case(f"level-{bad}", lambda bad=bad: hh.add_noise(X, bad), ValueError, "level")
for bad in ("0.1", None, True, [0.1]):
    case(f"level-{bad!r}", lambda bad=bad: hh.add_noise(X, bad), TypeError, "level")

# counts
for bad in (-1, -10):
    case(f"steps-{bad}", lambda bad=bad: NET.recall(X, bad), ValueError, "steps")
for bad in (2.5, "10", True, None, 10.0):
    case(f"steps-{bad!r}", lambda bad=bad: NET.recall(X, bad), TypeError, "steps")
case("snapshot-every-0", lambda: NET.recall(X, 5, snapshot_every=0), ValueError, "snapshot_every")
case("snapshot-every-float", lambda: NET.recall(X, 5, snapshot_every=1.5), TypeError, "snapshot_every")
case("n-zero", lambda: hh.random_patterns(0, 5), ValueError, r"\bn\b")
case("n-float", lambda: hh.random_patterns(1.5, 5), TypeError, r"\bn\b")
case("shape-zero", lambda: hh.random_patterns(1, (5, 0)), ValueError, "shape")
case("shape-negative", lambda: hh.random_patterns(1, -3), ValueError, "shape")
case("shape-empty", lambda: hh.random_patterns(1, ()), ValueError, "shape")
case("shape-float", lambda: hh.random_patterns(1, 2.5), TypeError, "shape")

# options
for bad in ("Async", "parallel", "", None, 1):
    case(f"update-{bad!r}", lambda bad=bad: NET.recall(X, 5, update=bad), ValueError, "update")
for bad in ("oja", "Hebb", "", None, 1):
    case(f"rule-{bad!r}", lambda bad=bad: hh.HopfieldNetwork([X], rule=bad), ValueError, "rule")

# seeds
for call_name, call in [
    ("recall", lambda seed: NET.recall(X, 5, seed=seed)),
    ("random-patterns", lambda seed: hh.random_patterns(1, 5, seed=seed)),
    ("add-noise", lambda seed: hh.add_noise(X, 0.1, seed=seed)),
]:
    case(f"seed-negative-{call_name}", lambda call=call: call(-1), ValueError, "seed")
    for bad in ("abc", 1.5, True, [1, 2]):
        case(f"seed-{bad!r}-{call_name}", lambda call=call, bad=bad: call(bad), TypeError, "seed")

# bias
case("bias-wrong-size", lambda: hh.HopfieldNetwork([X], bias=np.zeros(24)), ValueError, "bias")
case("bias-wrong-size-given", lambda: hh.HopfieldNetwork.from_weights(np.zeros((2, 2)), bias=[1, 2, 3]), ValueError, "bias")
case("bias-nan", lambda: hh.HopfieldNetwork([X], bias=np.nan), ValueError, "bias")
case("bias-nan-vector", lambda: hh.HopfieldNetwork([X], bias=with_value(np.nan)), ValueError, "bias")
case("bias-inf", lambda: hh.HopfieldNetwork([X], bias=np.inf), ValueError, "bias")
case("bias-str", lambda: hh.HopfieldNetwork([X], bias="a"), TypeError, "bias")

# from_weights
case("weights-non-square", lambda: hh.HopfieldNetwork.from_weights(np.zeros((2, 3))), ValueError, "weights")
case("weights-1d", lambda: hh.HopfieldNetwork.from_weights(np.zeros(4)), ValueError, "weights")
case("weights-empty", lambda: hh.HopfieldNetwork.from_weights(np.zeros((0, 0))), ValueError, "weights")
case("weights-asymmetric", lambda: hh.HopfieldNetwork.from_weights([[0, 1], [2, 0]]), ValueError, "weights")
case("weights-diagonal", lambda: hh.HopfieldNetwork.from_weights([[1, 0], [0, 0]]), ValueError, "weights")
case("weights-nan", lambda: hh.HopfieldNetwork.from_weights([[0, np.nan], [np.nan, 0]]), ValueError, "weights")
case("weights-inf", lambda: hh.HopfieldNetwork.from_weights([[0, np.inf], [np.inf, 0]]), ValueError, "weights")
case("weights-str", lambda: hh.HopfieldNetwork.from_weights([["a", "b"], ["c", "d"]]), TypeError, "weights")
case("weights-shape-mismatch", lambda: hh.HopfieldNetwork.from_weights(np.zeros((4, 4)), shape=(3, 2)), ValueError, "shape")

# RecallResult steps
for method in ("state_at",):
    case(f"{method}-negative", lambda m=method: getattr(RESULT, m)(-1), ValueError, "step")
    case(f"{method}-too-large", lambda m=method: getattr(RESULT, m)(31), ValueError, "step")
    case(f"{method}-float", lambda m=method: getattr(RESULT, m)(2.5), TypeError, "step")

# letters
case("letter-unknown", lambda: hh.letter_pattern("?"), ValueError, "letter")
case("letter-empty", lambda: hh.letter_pattern(""), ValueError, "letter")
case("letter-int", lambda: hh.letter_pattern(1), TypeError, "letter")
case("letter-none", lambda: hh.letter_pattern(None), TypeError, "letter")



# recall's options: the order of visits, temperature, undecided pixels
for bad in ("Sweeps", "sequential", None, 1):
    case(f"order-{bad!r}", lambda bad=bad: NET.recall(X, 5, order=bad), ValueError, "order")
    case(f"visit-order-order-{bad!r}", lambda bad=bad: NET.visit_order(5, order=bad), ValueError, "order")
case("visit-order-steps-negative", lambda: NET.visit_order(-1), ValueError, "steps")
case("visit-order-steps-float", lambda: NET.visit_order(2.5), TypeError, "steps")
case("visit-order-generator", lambda: NET.visit_order(5, seed=np.random.default_rng(0)), TypeError, "seed")
case("visit-order-seed-negative", lambda: NET.visit_order(5, seed=-1), ValueError, "seed")
for bad, exc in [(-0.1, ValueError), (np.inf, ValueError), (np.nan, ValueError), (np.ones(4), ValueError),
                 (np.full(5, -1.0), ValueError), ([0.1, np.nan, 0, 0, 0], ValueError), ("hot", TypeError),
                 (None, ValueError), (np.ones((5, 1)), ValueError)]:
    case(f"temperature-{bad!r}", lambda bad=bad: NET.recall(X, 5, temperature=bad), exc, "temperature")
    case(f"temperature-sync-{bad!r}", lambda bad=bad: NET.recall(X, 5, update="sync", temperature=bad),
         exc, "temperature")
for name, bad in BAD_PM1.items():
    if name != "zero":
        case(f"allow-zeros-{name}", lambda bad=bad: NET.recall(bad, 5, allow_zeros=True), ValueError, "state")
case("zeros-without-allow-zeros", lambda: NET.recall(with_value(0, int), 5), ValueError, "state")
for name, bad in BAD_TYPE.items():
    if name != "bool":
        case(f"allow-zeros-{name}", lambda bad=bad: NET.recall(bad, 5, allow_zeros=True), TypeError, "state")
case("allow-zeros-ragged", lambda: NET.recall([[1, -1], [1]], 5, allow_zeros=True), ValueError, "state")
case("allow-zeros-wrong-size", lambda: NET.recall(np.zeros(24), 5, allow_zeros=True), ValueError, "state")
case("stack-wrong-pattern-shape", lambda: NET.recall(np.ones((3, 4, 6)), 5), ValueError, "state")

# measuring
case("overlap-matrix-values", lambda: hh.overlap_matrix(np.zeros((2, 5))), ValueError, "patterns")
case("overlap-matrix-shapes", lambda: hh.overlap_matrix([np.ones(3), np.ones(4)]), ValueError, "same shape")
case("overlap-matrix-1d", lambda: hh.overlap_matrix(np.ones(4)), ValueError, "patterns")
case("mixture-even", lambda: hh.mixture_state(hh.random_patterns(4, 10, seed=4)), ValueError, "odd")
case("mixture-signs-count", lambda: hh.mixture_state(hh.random_patterns(3, 10, seed=4), signs=[1, 1]),
     ValueError, "signs")
case("mixture-signs-zero", lambda: hh.mixture_state(hh.random_patterns(3, 10, seed=4), signs=[1, 0, 1]),
     ValueError, "signs")
case("mixture-signs-str", lambda: hh.mixture_state(hh.random_patterns(3, 10, seed=4), signs="++-"),
     TypeError, "signs")
case("mixture-patterns", lambda: hh.mixture_state([X, O, with_value(2, int)]), ValueError, r"patterns\[2\]")
for bad, exc in [(0, ValueError), (1.5, ValueError), (-0.5, ValueError), ("high", TypeError), (None, TypeError)]:
    case(f"which-memory-min-overlap-{bad!r}", lambda bad=bad: hh.which_memory(NET, X, min_overlap=bad),
         exc, "min_overlap")
case("which-memory-state-size", lambda: hh.which_memory(NET, X.ravel()[:10]), ValueError, "state")
case("which-memory-state-nan", lambda: hh.which_memory(NET, with_value(np.nan)), ValueError, "state")
case("which-memory-state-str", lambda: hh.which_memory(NET, "X"), TypeError, "state")
case("which-memory-state-none", lambda: hh.which_memory(NET, None), TypeError, "state")
case("which-memory-memory-str", lambda: hh.which_memory("XO", X), TypeError, "memory")
case("which-memory-memory-none", lambda: hh.which_memory(None, X), TypeError, "memory")
case("which-memory-memory-values", lambda: hh.which_memory(np.zeros((2, 25)), X), ValueError, "memory")
case("which-memory-no-stored-patterns", lambda: hh.which_memory(TWO, [1, 1]), ValueError, "memory")

# the other memories
case("dense-n-1", lambda: hh.DenseAssociativeMemory([X, O], n=1), ValueError, r"\bn\b")
case("dense-n-float", lambda: hh.DenseAssociativeMemory([X, O], n=2.5), TypeError, r"\bn\b")
case("dense-patterns", lambda: hh.DenseAssociativeMemory([X, with_value(2, int)]), ValueError, r"patterns\[1\]")
case("dense-state-size", lambda: hh.DenseAssociativeMemory([X, O]).recall(np.ones(9, dtype=int), 5),
     ValueError, "state")
case("dense-state-values", lambda: hh.DenseAssociativeMemory([X, O]).energy(with_value(0.5)), ValueError, "state")
case("dense-steps", lambda: hh.DenseAssociativeMemory([X, O]).recall(X, -1), ValueError, "steps")
for bad in (0, -1.0, np.nan, np.inf):
    case(f"modern-beta-{bad!r}", lambda bad=bad: hh.ModernHopfieldNetwork([X, O], beta=bad), ValueError, "beta")
for bad in ("big", None, True):
    case(f"modern-beta-{bad!r}", lambda bad=bad: hh.ModernHopfieldNetwork([X, O], beta=bad), TypeError, "beta")
MODERN = hh.ModernHopfieldNetwork([X, O])
case("modern-state-nan", lambda: MODERN.recall(with_value(np.nan)), ValueError, "state")
case("modern-state-size", lambda: MODERN.recall(np.ones(7)), ValueError, "state")
case("modern-state-stack", lambda: MODERN.recall(np.ones((2, 25))), ValueError, "one state")
case("modern-state-str", lambda: MODERN.energy("X"), TypeError, "state")
case("modern-steps", lambda: MODERN.recall(X, -1), ValueError, "steps")

# pictures
TINY = np.zeros((4, 4), dtype=np.uint8)
for bad in (42, 3.5, None, [[0, 255], [255, 0]], b"\x89PNG", object()):
    case(f"picture-type-{type(bad).__name__}", lambda bad=bad: hh.load_image_pattern(bad), TypeError,
         "path_or_image")
for id_, bad, exc in [
    ("bool", np.zeros((4, 4), dtype=bool), TypeError),
    ("str", np.array([["a", "b"], ["c", "d"]]), TypeError),
    ("two-channels", np.zeros((4, 4, 2), dtype=np.uint8), ValueError),
    ("4d", np.zeros((2, 2, 2, 2), dtype=np.uint8), ValueError),
    ("nan", np.array([[0.0, np.nan]]), ValueError),
    ("over-255", np.array([[0, 256]]), ValueError),
    ("negative", np.array([[-1, 5]]), ValueError),
    ("empty-rows", np.zeros((0, 5), dtype=np.uint8), ValueError),
    ("empty-cols", np.zeros((5, 0)), ValueError),
    ("empty-colour", np.zeros((0, 0, 3), dtype=np.uint8), ValueError),
]:
    case(f"picture-array-{id_}", lambda bad=bad: hh.load_image_pattern(bad, size=None), exc, "path_or_image")
for size, exc in [((128,), ValueError), ((0, 5), ValueError), ((2, 2, 2), ValueError), ("big", ValueError),
                  (1.5, TypeError), ((4.5, 4), ValueError)]:
    case(f"picture-size-{size!r}", lambda size=size: hh.load_image_pattern(TINY, size=size), exc, "size")
    case(f"grey-size-{size!r}", lambda size=size: hh.load_grey_image(TINY, size=size), exc, "size")
for threshold, exc in [(-1, ValueError), (256, ValueError), ("80", TypeError), (True, TypeError)]:
    case(f"picture-threshold-{threshold!r}",
         lambda t=threshold: hh.load_image_pattern(TINY, threshold=t), exc, "threshold")
case("picture-name-unknown", lambda: hh.load_picture("dog"), ValueError, "available")
case("picture-name-int", lambda: hh.load_picture(3), TypeError, "name")
for bad in (0, 300, -5):
    case(f"digits-threshold-{bad}", lambda bad=bad: hh.load_digits(threshold=bad), ValueError, "threshold")
for bad in ("128", None, True):
    case(f"digits-threshold-{bad!r}", lambda bad=bad: hh.load_digits(threshold=bad), TypeError, "threshold")



@pytest.mark.parametrize("call, exc, match", CASES)
def test_bad_input_is_refused_with_a_named_error(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_unknown_letter_message_lists_the_available_ones():
    with pytest.raises(ValueError) as info:
        hh.letter_pattern("?")
    message = str(info.value)
    for name in hh.available_letters():
        assert name in message


def test_unknown_picture_message_lists_the_available_ones():
    with pytest.raises(ValueError) as info:
        hh.load_picture("dog")
    for name in hh.picture_names():
        assert name in str(info.value)


def test_state_at_accepts_both_ends():
    np.testing.assert_array_equal(RESULT.state_at(0), RESULT.initial_state)
    np.testing.assert_array_equal(RESULT.state_at(30), RESULT.state)
    np.testing.assert_array_equal(RESULT.state_at(np.int64(30)), RESULT.state)


def test_numpy_integers_are_accepted_as_counts():
    r = NET.recall(X, np.int64(5), seed=np.int32(1), snapshot_every=np.uint8(2))
    assert r.steps == 5
    assert hh.random_patterns(np.int16(2), (np.int64(3), 4), seed=np.uint32(0)).shape == (2, 3, 4)
    assert NET.visit_order(np.int64(4), seed=np.int8(1)).shape == (4,)
    assert hh.DenseAssociativeMemory([X, O], n=np.int64(3)).n == 3


def test_weights_refused_above_max_dense_neurons():
    n = hh.MAX_DENSE_NEURONS + 1
    x = hh.random_patterns(2, n, seed=0)
    net = hh.HopfieldNetwork(x)
    with pytest.raises(ValueError, match=str(hh.MAX_DENSE_NEURONS)):
        net.weights
    r = net.recall(x[0], 10, seed=0)  # recall still works without the matrix
    np.testing.assert_array_equal(r.state, x[0])


def test_weights_built_up_to_max_dense_neurons(monkeypatch):
    """Exactly MAX_DENSE_NEURONS is still allowed (checked on a tiny limit to stay fast)."""
    net = hh.HopfieldNetwork(hh.random_patterns(1, 8, seed=0))
    monkeypatch.setattr(hh, "MAX_DENSE_NEURONS", 8)
    assert net.weights.shape == (8, 8)
    monkeypatch.setattr(hh, "MAX_DENSE_NEURONS", 7)
    with pytest.raises(ValueError, match="7"):
        net.weights


def test_storkey_refuses_big_networks_with_a_clear_message():
    with pytest.raises(ValueError, match="dense N x N matrix.*pseudoinverse"):
        hh.HopfieldNetwork(np.ones((1, hh.MAX_DENSE_NEURONS + 1), dtype=np.int8), rule="storkey")


def test_bad_input_is_not_modified_by_a_failed_call():
    bad = with_value(2, int)
    before = bad.copy()
    with pytest.raises(ValueError):
        NET.recall(bad, 5)
    with pytest.raises(ValueError):
        NET.recall(bad, 5, allow_zeros=True)
    with pytest.raises(ValueError):
        hh.add_noise(bad, 0.1)
    np.testing.assert_array_equal(bad, before)


# -- pictures that cannot be read ------------------------------------------------------------


class quietly_closed:
    """Ignore ResourceWarnings inside the block, and collect garbage before leaving it,
    so that a file a failed load left open cannot warn in a later test."""

    def __enter__(self):
        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", ResourceWarning)

    def __exit__(self, *exc):
        gc.collect()
        self._catch.__exit__(*exc)
        return False


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="no picture file"):
        hh.load_image_pattern(tmp_path / "nope.png")
    with pytest.raises(FileNotFoundError):
        hh.load_grey_image(str(tmp_path / "nope.png"))
    with pytest.raises(FileNotFoundError):
        hh.load_image_pattern(tmp_path)  # a folder is not a picture file


def test_text_file_renamed_png_raises_value_error(tmp_path):
    fake = tmp_path / "notes.png"
    fake.write_text("this is not a picture\n")
    with quietly_closed(), pytest.raises(ValueError, match="not a picture"):
        hh.load_image_pattern(fake)


def test_truncated_png_raises_value_error(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes((hh.DATA_DIR / "pictures" / "cat.png").read_bytes()[:200])
    with quietly_closed(), pytest.raises(ValueError, match="broken.png"):
        hh.load_image_pattern(broken)


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
    """A picture refused after opening (too large, or not a picture) leaves no file open."""
    big = tmp_path / "big.png"
    Image.new("L", (30, 30), color=0).save(big)
    fake = tmp_path / "fake.png"
    fake.write_text("not a picture")
    monkeypatch.setattr(hh, "MAX_IMAGE_PIXELS", 500)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for path in (big, fake):
            with pytest.raises(ValueError):
                hh.load_image_pattern(path)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_picture_array_is_not_modified():
    grey = np.linspace(0, 1, 64).reshape(8, 8)
    before = grey.copy()
    hh.load_image_pattern(grey, size=(16, 16))
    np.testing.assert_array_equal(grey, before)


# -- importing stays light -------------------------------------------------------------------


def test_import_does_not_load_plotting_widgets_or_pillow():
    code = (
        "import sys, hopfield_helpers; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'PIL', 'IPython') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=hh.DATA_DIR.parent)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_public_names_are_the_documented_ones():
    assert len(hh.__all__) == len(set(hh.__all__))
    for name in hh.__all__:
        assert not name.startswith("_") and hasattr(hh, name), name
