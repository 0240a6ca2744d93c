"""Every bad input is refused at the boundary, with an error that names the argument."""

import subprocess
import sys

import numpy as np
import pytest

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
    case(f"noisify-{name}", lambda bad=bad: hh.noisify(bad, 1), ValueError, "pattern")
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
case("noisify-3d", lambda: hh.noisify(np.ones((2, 2, 2)), 1), ValueError, "pattern")

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
case("flips-per-row-too-large", lambda: hh.noisify(X, 6), ValueError, "flips_per_row")
case("flips-per-row-negative", lambda: hh.noisify(X, -1), ValueError, "flips_per_row")
case("flips-per-row-float", lambda: hh.noisify(X, 1.5), TypeError, "flips_per_row")
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
    ("noisify", lambda seed: hh.noisify(X, 1, seed=seed)),
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
for method in ("state_at", "energy_at", "overlaps_at"):
    case(f"{method}-negative", lambda m=method: getattr(RESULT, m)(-1), ValueError, "step")
    case(f"{method}-too-large", lambda m=method: getattr(RESULT, m)(31), ValueError, "step")
    case(f"{method}-float", lambda m=method: getattr(RESULT, m)(2.5), TypeError, "step")

# letters
case("letter-unknown", lambda: hh.letter_pattern("?"), ValueError, "letter")
case("letter-empty", lambda: hh.letter_pattern(""), ValueError, "letter")
case("letter-int", lambda: hh.letter_pattern(1), TypeError, "letter")
case("letter-none", lambda: hh.letter_pattern(None), TypeError, "letter")


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


def test_state_at_accepts_both_ends():
    np.testing.assert_array_equal(RESULT.state_at(0), RESULT.initial_state)
    np.testing.assert_array_equal(RESULT.state_at(30), RESULT.state)
    np.testing.assert_array_equal(RESULT.state_at(np.int64(30)), RESULT.state)


def test_numpy_integers_are_accepted_as_counts():
    r = NET.recall(X, np.int64(5), seed=np.int32(1), snapshot_every=np.uint8(2))
    assert r.steps == 5
    assert hh.noisify(X, np.int64(2), seed=0).shape == (5, 5)


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


def test_bad_input_is_not_modified_by_a_failed_call():
    bad = with_value(2, int)
    before = bad.copy()
    with pytest.raises(ValueError):
        NET.recall(bad, 5)
    np.testing.assert_array_equal(bad, before)


def test_import_does_not_load_plotting_or_widgets():
    code = (
        "import sys, hopfield_helpers; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
