"""The shared validators: what they accept, what they return, and exactly what they say.

Every implementation funnels its arguments through these helpers, so their contract is
stated here once, directly: a float64 result for any real input, the argument's own name
in each message, and the boundary of each accepted range.
"""
from __future__ import annotations

import numpy as np
import pytest

from claimledger.raises import numpy_reason, raises_exactly, text_refused
from implementations import _validate as V

pytestmark = pytest.mark.harness


# -- float_array --------------------------------------------------------------------------
def test_float_array_passes_a_float64_array_through_without_a_copy():
    a = np.arange(6.0).reshape(2, 3)
    assert V.float_array(a, "a") is a, "float_array copied an array that was already float64"


def test_float_array_copies_when_asked():
    a = np.arange(3.0)
    b = V.float_array(a, "a", copy=True)
    assert b is not a and not np.shares_memory(a, b), "copy=True returned the caller's memory"
    np.testing.assert_array_equal(b, a, err_msg="copy=True changed the values")


def test_float_array_converts_integers_and_lists_to_float64():
    for value in ([1, 2], np.array([1, 2], dtype=np.int32), 3):
        got = V.float_array(value, "v")
        assert got.dtype == np.float64, f"{value!r} became {got.dtype}, not float64"
        np.testing.assert_array_equal(got, np.asarray(value, dtype=np.float64),
                                      err_msg="float_array changed the values")


# -- real_matrix --------------------------------------------------------------------------
@pytest.mark.parametrize("args, kwargs, message", [
    pytest.param(([["a"]],), {}, text_refused("X"),
                 id="default-name-not-numeric"),
    pytest.param(([[1.0], [2.0, 3.0]], "W"), {},
                 "W must be a numeric array: " + numpy_reason([[1.0], [2.0, 3.0]]),
                 id="ragged"),
    pytest.param(([1.0, 2.0], "W"), {}, "W must be 2-D (samples x features), got shape (2,)",
                 id="1d"),
    pytest.param((np.zeros((1, 1, 1)), "W"), {},
                 "W must be 2-D (samples x features), got shape (1, 1, 1)", id="3d"),
    pytest.param((np.zeros((0, 3)), "W"), {}, "W is empty (shape (0, 3))", id="no-rows"),
    pytest.param((np.zeros((3, 0)), "W"), {}, "W is empty (shape (3, 0))", id="no-columns"),
    pytest.param((np.zeros((0, 3)), "W"), dict(allow_empty=False), "W is empty (shape (0, 3))",
                 id="no-rows-explicitly-refused"),
    pytest.param(([[0.0, np.nan]], "W"), {}, "W contains NaN or infinite entries", id="nan"),
    pytest.param(([[np.inf]], "W"), {}, "W contains NaN or infinite entries", id="inf"),
    # emptiness may be allowed; non-finite entries never are
    pytest.param(([[-np.inf]], "W"), dict(allow_empty=True),
                 "W contains NaN or infinite entries", id="inf-even-if-empty-allowed"),
])
def test_real_matrix_rejects_with_its_name(args, kwargs, message):
    with raises_exactly(message):
        V.real_matrix(*args, **kwargs)


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0)])
def test_real_matrix_allows_empty_only_when_asked(shape):
    out = V.real_matrix(np.zeros(shape, dtype=np.int64), "W", allow_empty=True)
    assert out.shape == shape and out.dtype == np.float64


@pytest.mark.parametrize("value", [
    pytest.param([[1, -2], [3, 4]], id="int-list"),
    pytest.param(np.array([[1, -2], [3, 4]], dtype=np.int32), id="int32-array"),
    pytest.param([[2 ** 70, 1]], id="int-beyond-int64"),
])
def test_real_matrix_returns_float64_equal_to_the_float_input(value):
    out = V.real_matrix(value)
    assert out.dtype == np.float64
    expected = np.array([[float(v) for v in row] for row in np.asarray(value, dtype=object)])
    np.testing.assert_array_equal(out, expected, err_msg="values must survive the cast")


# -- real_vector --------------------------------------------------------------------------
@pytest.mark.parametrize("args, kwargs, message", [
    pytest.param((["a"], "v"), {}, text_refused("v"),
                 id="not-numeric"),
    pytest.param(([[1.0]], "v"), {}, "v must be 1-D, got shape (1, 1)", id="2d"),
    pytest.param((3.0, "v"), {}, "v must be 1-D, got shape ()", id="scalar"),
    pytest.param(([1.0, 2.0], "v"), dict(length=3), "v has length 2, expected 3",
                 id="too-short"),
    pytest.param(([1.0, 2.0], "v"), dict(length=1), "v has length 2, expected 1",
                 id="too-long"),
    pytest.param(([1.0, np.nan], "v"), {}, "v contains NaN or infinite entries", id="nan"),
    pytest.param(([-np.inf], "v"), dict(length=1), "v contains NaN or infinite entries",
                 id="inf"),
])
def test_real_vector_rejects_with_its_name(args, kwargs, message):
    with raises_exactly(message):
        V.real_vector(*args, **kwargs)


@pytest.mark.parametrize("value, length", [
    pytest.param([1, -2, 3], None, id="int-list-any-length"),
    pytest.param([1, -2, 3], 3, id="int-list-right-length"),
    pytest.param(np.array([7], dtype=np.int8), 1, id="int8-array"),
    pytest.param([2 ** 70], None, id="int-beyond-int64"),
    pytest.param([], 0, id="empty-of-length-zero"),
])
def test_real_vector_returns_float64_equal_to_the_float_input(value, length):
    out = V.real_vector(value, "v", length=length)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [float(v) for v in value],
                                  err_msg="values must survive the cast")


# -- pm1_labels ---------------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    pytest.param(([1, -1], 3), "y must be 1-D with one label per sample (3), got shape (2,)",
                 id="default-name-count"),
    pytest.param(([[1, -1]], 2, "t"), "t must be 1-D with one label per sample (2), got shape "
                 "(1, 2)", id="row"),
    pytest.param(([[1], [-1]], 2, "t"), "t must be 1-D with one label per sample (2), got "
                 "shape (2, 1)", id="column-with-right-count"),
    pytest.param((1, 1, "t"), "t must be 1-D with one label per sample (1), got shape ()",
                 id="scalar"),
    pytest.param((["a", "b"], 2, "t"), text_refused("t"), id="strings"),
    pytest.param(([1, 0], 2, "t"), "t must hold labels in {-1, +1}, found [0.0]", id="zero"),
    pytest.param(([1, 0.5, -1], 3, "t"), "t must hold labels in {-1, +1}, found [0.5]",
                 id="half"),
    pytest.param(([-2, -1, 2, 1], 4, "t"), "t must hold labels in {-1, +1}, found [-2.0, 2.0]",
                 id="two-bad"),
    # at most three offenders are quoted, in order
    pytest.param(([0, 1, 3, -3, 9], 5, "t"),
                 "t must hold labels in {-1, +1}, found [0.0, 3.0, -3.0]", id="four-bad"),
    pytest.param(([np.nan, 1], 2, "t"), "t must hold labels in {-1, +1}, found [nan]",
                 id="nan"),
])
def test_pm1_labels_rejects_with_its_name(args, message):
    with raises_exactly(message):
        V.pm1_labels(*args)


@pytest.mark.parametrize("y", [
    pytest.param([1, -1, -1], id="ints"),
    pytest.param(np.array([1, -1, -1], dtype=np.int8), id="int8"),
    pytest.param([1.0, -1.0, -1.0], id="floats"),
    pytest.param(np.array([1, -1, -1], dtype=object), id="objects"),
])
def test_pm1_labels_returns_float_labels(y):
    out = V.pm1_labels(y, 3)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [1.0, -1.0, -1.0], err_msg="labels must be kept")


@pytest.mark.parametrize("y", [
    pytest.param([1, 1], id="all-plus"),
    pytest.param([-1, -1], id="all-minus"),
])
def test_pm1_labels_accepts_a_single_class(y):
    np.testing.assert_array_equal(V.pm1_labels(y, 2), np.array(y, dtype=float),
                                  err_msg="either label alone is valid")


# -- positive -----------------------------------------------------------------------------
@pytest.mark.parametrize("x, message", [
    pytest.param(0, "lr must be a finite number > 0, got 0", id="zero"),
    pytest.param(0.0, "lr must be a finite number > 0, got 0.0", id="zero-float"),
    pytest.param(-0.5, "lr must be a finite number > 0, got -0.5", id="negative"),
    pytest.param(float("nan"), "lr must be a finite number > 0, got nan", id="nan"),
    pytest.param(float("inf"), "lr must be a finite number > 0, got inf", id="inf"),
    pytest.param(True, "lr must be a finite number > 0, got True", id="bool"),
    pytest.param("2", "lr must be a finite number > 0, got '2'", id="string"),
    pytest.param(None, "lr must be a finite number > 0, got None", id="none"),
    pytest.param(1j, "lr must be a finite number > 0, got 1j", id="complex"),
])
def test_positive_rejects_with_its_name(x, message):
    with raises_exactly(message):
        V.positive(x, "lr")


@pytest.mark.parametrize("x, expected", [
    pytest.param(1e-300, 1e-300, id="tiny"),
    pytest.param(0.5, 0.5, id="below-one"),
    pytest.param(1, 1.0, id="int-one"),
    pytest.param(3, 3.0, id="int"),
    pytest.param(np.float32(0.25), 0.25, id="numpy-float32"),
    pytest.param(np.int64(2), 2.0, id="numpy-int"),
])
def test_positive_returns_a_python_float(x, expected):
    out = V.positive(x, "lr")
    assert type(out) is float and out == expected


# -- positive_int -------------------------------------------------------------------------
@pytest.mark.parametrize("x, message", [
    pytest.param(0, "k must be an integer >= 1, got 0", id="zero"),
    pytest.param(-1, "k must be an integer >= 1, got -1", id="negative"),
    pytest.param(1.0, "k must be an integer >= 1, got 1.0", id="float"),
    pytest.param(True, "k must be an integer >= 1, got True", id="bool"),
    pytest.param("3", "k must be an integer >= 1, got '3'", id="string"),
    pytest.param(None, "k must be an integer >= 1, got None", id="none"),
])
def test_positive_int_rejects_with_its_name(x, message):
    with raises_exactly(message):
        V.positive_int(x, "k")


@pytest.mark.parametrize("x", [1, 2, 10 ** 20, np.int64(1), np.int8(7), np.uint16(3)])
def test_positive_int_returns_a_python_int(x):
    out = V.positive_int(x, "k")
    assert type(out) is int and out == int(x)


def test_positive_int_refuses_a_numpy_zero():
    # numpy's repr of its scalars changed across versions, so the message quotes numpy's own
    with raises_exactly(f"k must be an integer >= 1, got {np.int64(0)!r}"):
        V.positive_int(np.int64(0), "k")
