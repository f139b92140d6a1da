"""Reference implementations reject bad input with a clear ValueError and never hang.

The messages are part of that promise, so every table states them in full: a reader sees
exactly what a user is told, and a garbled, emptied or mis-named message fails here.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import implementations as I
from claimledger.raises import numpy_reason, raises_exactly, text_refused

pytestmark = pytest.mark.harness

BOOL_LABELS = ("labels is boolean; real numbers are required (numpy would read True and "
               "False as 1 and 0)")
GOOD_X, GOOD_Y = [[0.0, 1.0], [1.0, 0.0]], [1, -1]
XOR_X, XOR_Y = [[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1]


# -- perceptron ---------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, message", [
    pytest.param(dict(X=[["a", 1.0]], y=[1]),
                 text_refused("X"), id="X-not-numeric"),
    pytest.param(dict(X=[1.0, 2.0], y=GOOD_Y),
                 "X must be 2-D (samples x features), got shape (2,)", id="X-not-2d"),
    pytest.param(dict(X=np.zeros((0, 2)), y=[]), "X is empty (shape (0, 2))", id="no-samples"),
    pytest.param(dict(X=np.zeros((2, 0)), y=GOOD_Y), "X is empty (shape (2, 0))",
                 id="no-features"),
    pytest.param(dict(X=[[np.nan, 1.0]], y=[1]), "X contains NaN or infinite entries",
                 id="nan-in-X"),
    pytest.param(dict(X=[[-np.inf, 1.0]], y=[1]), "X contains NaN or infinite entries",
                 id="inf-in-X"),
    pytest.param(dict(X=GOOD_X, y=[1, 0]), "y must hold labels in {-1, +1}, found [0.0]",
                 id="label-zero"),
    pytest.param(dict(X=GOOD_X, y=[2, -1]), "y must hold labels in {-1, +1}, found [2.0]",
                 id="label-two"),
    # four bad labels: the message quotes only the first three
    pytest.param(dict(X=[[0.0]] * 5, y=[0, 2, 3, 5, 1]),
                 "y must hold labels in {-1, +1}, found [0.0, 2.0, 3.0]", id="labels-quoted-3"),
    pytest.param(dict(X=GOOD_X, y=["a", "b"]), text_refused("y"),
                 id="labels-not-numbers"),
    pytest.param(dict(X=GOOD_X, y=[1]),
                 "y must be 1-D with one label per sample (2), got shape (1,)", id="label-count"),
    # right count of rows, wrong rank: the rank alone must be enough to refuse
    pytest.param(dict(X=GOOD_X, y=[[1], [-1]]),
                 "y must be 1-D with one label per sample (2), got shape (2, 1)",
                 id="labels-column"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, eta=0), "eta must be a finite number > 0, got 0",
                 id="eta-zero"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, eta=-1.0),
                 "eta must be a finite number > 0, got -1.0", id="eta-negative"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, eta=float("nan")),
                 "eta must be a finite number > 0, got nan", id="eta-nan"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, eta=float("inf")),
                 "eta must be a finite number > 0, got inf", id="eta-inf"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, eta=True),
                 "eta must be a finite number > 0, got True", id="eta-bool"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, eta="1"),
                 "eta must be a finite number > 0, got '1'", id="eta-string"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, max_epochs=0),
                 "max_epochs must be an integer >= 1, got 0", id="no-epochs"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, max_epochs=-3),
                 "max_epochs must be an integer >= 1, got -3", id="negative-epochs"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, max_epochs=2.0),
                 "max_epochs must be an integer >= 1, got 2.0", id="float-epochs"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, max_epochs=True),
                 "max_epochs must be an integer >= 1, got True", id="bool-epochs"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, w0=[1.0]), "w0 has length 1, expected 2",
                 id="w0-length"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, w0=[[1.0, 2.0]]), "w0 must be 1-D, got shape (1, 2)",
                 id="w0-rank"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, w0=[np.nan, 0.0]),
                 "w0 contains NaN or infinite entries", id="w0-nan"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, w0=["a", "b"]),
                 text_refused("w0"), id="w0-not-numeric"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, b0="a"),
                 "b0 must be a finite number, got 'a'", id="b0-not-numeric"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, b0=np.inf), "b0 must be a finite number, got inf",
                 id="b0-inf"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, b0=[1.0, 2.0]), "b0 must be a finite number, got [1.0, 2.0]",
                 id="b0-not-scalar"),
    pytest.param(dict(X=GOOD_X, y=GOOD_Y, bias=False, b0=1.0), "b0 must be 0 when bias=False",
                 id="b0-without-bias"),
])
def test_perceptron_rejects_bad_input(kwargs, message):
    kwargs = dict(kwargs)  # the parameter dict is shared between runs: never mutate it
    X, y = kwargs.pop("X"), kwargs.pop("y")
    with raises_exactly(message):
        I.perceptron_train(X, y, **kwargs)


@pytest.mark.parametrize("kwargs", [
    pytest.param(dict(max_epochs=1), id="one-epoch"),
    pytest.param(dict(max_epochs=np.int64(3)), id="numpy-int-epochs"),
    pytest.param(dict(eta=0.5), id="eta-below-one"),
    pytest.param(dict(eta=np.float64(2.0)), id="numpy-float-eta"),
    pytest.param(dict(bias=False, b0=0.0), id="no-bias-zero-b0"),
    pytest.param(dict(bias=True, b0=-1.5), id="bias-any-b0"),
    pytest.param(dict(w0=[1, -1]), id="integer-w0"),
])
def test_perceptron_accepts_edge_of_valid_input(kwargs):
    run = I.perceptron_train(GOOD_X, GOOD_Y, **kwargs)
    assert run.epochs >= 1 and isinstance(run.b, float)


def test_perceptron_stops_on_non_separable_data():
    run = I.perceptron_train(XOR_X, XOR_Y, max_epochs=50)
    assert run.converged is False and run.epochs == 50  # a bool, as the dataclass declares
    assert run.updates == len(run.trajectory) > 50 and isinstance(run.b, float)


def test_perceptron_defaults_are_the_articles():
    """eta = 1, bias on, w = 0, b = 0 (article §1.1)."""
    run = I.perceptron_train([[2, 1], [-1, 2]], [1, -1])
    assert run.w.tolist() == [3.0, -1.0] and run.b == 0.0 and run.updates == 2


def test_perceptron_defaults_learn_a_bias_by_hand():
    """1-D points 1 (label -1) and 2 (label +1) need a threshold between them.

    Traced by hand with eta = 1 and w = b = 0 at the start: eight passes make 2, 2, 1, 2,
    2, 1, 2, 1 updates and the ninth is clean, ending at w = 2, b = -3 (the cut x = 3/2).
    Through the origin no hyperplane exists, so a bias-free default could never finish.
    """
    run = I.perceptron_train([[1], [2]], [-1, 1])
    explicit = I.perceptron_train([[1], [2]], [-1, 1], eta=1.0, bias=True, max_epochs=1000,
                                  w0=None, b0=0.0)
    for r in (run, explicit):
        assert (r.w.tolist(), r.b, r.updates, r.epochs) == ([2.0], -3.0, 13, 9)
        assert r.converged is True


def test_perceptron_default_epoch_cap_is_1000():
    run = I.perceptron_train(XOR_X, XOR_Y)
    assert run.converged is False and run.epochs == 1000


def test_perceptron_integer_eta_equals_float_eta():
    a = I.perceptron_train([[1], [2]], [-1, 1], eta=3)
    b = I.perceptron_train([[1], [2]], [-1, 1], eta=3.0)
    assert (a.w.tolist(), a.b, a.updates) == (b.w.tolist(), b.b, b.updates)
    assert a.w.dtype == np.float64 and isinstance(a.b, float)


# -- sign activation ----------------------------------------------------------------------
def test_sign_activation_maps_zero_to_plus_one():
    np.testing.assert_array_equal(I.sign_activation([-1.0, 0.0, 2.0]), [-1.0, 1.0, 1.0],
                                  err_msg="sign(0) must be +1 (article §1.1)")


@pytest.mark.parametrize("z", [
    pytest.param([np.nan], id="nan"),
    pytest.param([1.0, np.nan, -1.0], id="nan-among-numbers"),
    pytest.param([[0.0], [np.nan]], id="nan-in-matrix"),
])
def test_sign_activation_rejects_nan(z):
    with raises_exactly("sign_activation: z contains NaN"):
        I.sign_activation(z)


@pytest.mark.parametrize("z, expected", [
    # exact integer scores past int64 (as an exact-arithmetic run may produce)
    pytest.param([-(10 ** 30), 0, 10 ** 30], [-1.0, 1.0, 1.0], id="huge-python-ints"),
    pytest.param([Fraction(-1, 3), Fraction(0), Fraction(1, 7)], [-1.0, 1.0, 1.0],
                 id="fractions"),
    pytest.param(np.array([-3, 0, 5], dtype=np.int64), [-1.0, 1.0, 1.0], id="int64-array"),
    pytest.param(-2, -1.0, id="int-scalar"),
])
def test_sign_activation_takes_any_real_scores_and_returns_float64(z, expected):
    out = I.sign_activation(z)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, expected, err_msg=f"sign of {z!r}")


def test_augment_with_one_appends_a_unit_column_as_float64():
    # three samples of two features: the column has one entry per sample, not per feature
    out = I.augment_with_one([[2, -3], [0, 5], [7, 1]])
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[2.0, -3.0, 1.0], [0.0, 5.0, 1.0], [7.0, 1.0, 1.0]],
                                  err_msg="x~ = (x, 1)")
    with raises_exactly("X must be 2-D (samples x features), got shape (2,)"):
        I.augment_with_one([1.0, 2.0])


# -- exact separability -------------------------------------------------------------------
@pytest.mark.parametrize("points, labels, message", [
    pytest.param([], [], "separate: points is empty (no samples)", id="empty"),
    pytest.param(np.zeros((0, 2)), [], "separate: points is empty (no samples)", id="empty-array"),
    pytest.param([1.0, 2.0], [1, -1], "separate: points must be a 2-D array (samples x features)",
                 id="flat-list"),
    pytest.param(np.array([1.0, 2.0]), [1, -1],
                 "separate: points must be a 2-D array (samples x features)", id="flat-array"),
    pytest.param(np.zeros((2, 1, 1)), [1, -1],
                 "separate: points must be a 2-D array (samples x features)", id="3d-array"),
    pytest.param(7, [1], "separate: points must be a 2-D array (samples x features)",
                 id="scalar"),
    pytest.param([[0, 0], [1]], [1, -1],
                 "separate: points need one positive dimension for all, got {1, 2}",
                 id="ragged"),
    pytest.param([[]], [1], "separate: points need one positive dimension for all, got {0}",
                 id="zero-dimensional-points"),
    pytest.param([[True, 0]], [1], "points must be numbers, not booleans", id="bool-point"),
    pytest.param([[np.True_, 0]], [1], "points must be numbers, not booleans",
                 id="numpy-bool-point"),
    pytest.param([[float("nan"), 0]], [1], "points contain NaN or infinite entries", id="nan"),
    pytest.param([[float("inf"), 0]], [1], "points contain NaN or infinite entries", id="inf"),
    pytest.param([[0, float("-inf")]], [1], "points contain NaN or infinite entries",
                 id="minus-inf"),
    pytest.param([[None, 0]], [1], "points must be real numbers, got None", id="none-point"),
    pytest.param([[0, "a"]], [1], "points must be real numbers, got 'a'", id="string-point"),
    pytest.param([[0, 0]], [1, -1], "separate: 2 labels for 1 points", id="label-count"),
    pytest.param([[0, 0]], [0], "separate: labels must be in {-1, +1}, found 0.0", id="label-zero"),
    pytest.param([[0, 0]], [2.5], "separate: labels must be in {-1, +1}, found 2.5",
                 id="label-fraction"),
    pytest.param([[0, 0]], [True], BOOL_LABELS,
                 id="label-bool"),
    # in an array True would become the number 1; a list keeps it a bool, and it is refused
    pytest.param([[0, 0], [1, 1]], [1, True],
                 BOOL_LABELS, id="bool-among-labels"),
    # numpy booleans are unwrapped to Python ones, so they are refused the same way
    pytest.param([[0, 0]], np.array([True]), BOOL_LABELS,
                 id="label-numpy-bool"),
    pytest.param([[0, 0], [1, 1]], (1, "1"),
                 text_refused("labels"), id="label-string"),
])
def test_separate_rejects_bad_input(points, labels, message):
    with raises_exactly(message):
        I.separate(points, labels)


@pytest.mark.parametrize("points, labels, expected", [
    # one point of each class on a line: the integer certificate is (w, b) = (-2, 1)
    pytest.param([[0], [1]], [1, -1], I.Separable(w=(-2,), b=1), id="two-points"),
    pytest.param(np.array([[0], [1]]), np.array([1, -1]), I.Separable(w=(-2,), b=1),
                 id="two-points-arrays"),
    pytest.param([[0], [1]], [1.0, -1.0], I.Separable(w=(-2,), b=1), id="float-labels"),
    pytest.param(((0,), (1,)), (1, -1), I.Separable(w=(-2,), b=1), id="tuples"),
])
def test_separate_accepts_every_documented_container(points, labels, expected):
    assert I.separate(points, labels) == expected


def test_separate_is_exact_beyond_float_precision():
    """10**20 and 10**20 + 1 are one float; as the integers they are, a cut separates them."""
    big = 10 ** 20
    assert float(big) == float(big + 1)
    cert = I.separate([[big], [big + 1]], [1, -1])
    assert isinstance(cert, I.Separable)
    (w,), b = cert.w, cert.b
    assert w * big + b > 0 and -(w * (big + 1) + b) > 0


def test_separate_takes_fractions_exactly():
    """1/3 and 1/3 + 10**-30 round to the same float: only exact input keeps them apart."""
    lo, hi = Fraction(1, 3), Fraction(1, 3) + Fraction(1, 10 ** 30)
    cert = I.separate([[lo], [hi]], [-1, 1])
    assert isinstance(cert, I.Separable)
    (w,), b = cert.w, cert.b
    assert -(w * lo + b) > 0 and w * hi + b > 0


# -- Boolean census -----------------------------------------------------------------------
@pytest.mark.parametrize("n, message", [
    pytest.param(0, "n must be an integer >= 1, got 0", id="zero"),
    pytest.param(-1, "n must be an integer >= 1, got -1", id="negative"),
    pytest.param(2.0, "n must be an integer >= 1, got 2.0", id="float"),
    pytest.param(True, "n must be an integer >= 1, got True", id="bool"),
    pytest.param(5, "n must be <= 4 (2^(2^5) functions would not fit in memory as a table), got 5", id="too-large"),
])
def test_boolean_census_rejects_out_of_range_n(n, message):
    with raises_exactly(message):
        I.boolean_census(n)


@pytest.mark.parametrize("n, message", [
    pytest.param(0, "n must be an integer >= 1, got 0", id="zero"),
    pytest.param(1.0, "n must be an integer >= 1, got 1.0", id="float"),
])
def test_boolean_points_rejects_bad_n(n, message):
    with raises_exactly(message):
        I.boolean_points(n)


def test_boolean_points_are_lexicographic_int64():
    P = I.boolean_points(np.int64(2))
    assert P.dtype == np.int64
    np.testing.assert_array_equal(P, [[0, 0], [0, 1], [1, 0], [1, 1]],
                                  err_msg="{0,1}^2 in itertools.product order")


@pytest.mark.parametrize("n, orbits, count", [
    # orbit counts from the module docstring; separable counts 4, 14, 104 (OEIS A000609)
    pytest.param(1, 2, 4, id="n1"),
    pytest.param(2, 4, 14, id="n2"),
    pytest.param(3, 14, 104, id="n3"),
])
def test_boolean_census_solves_one_lp_per_orbit_and_keeps_integer_tables(n, orbits, count):
    census = I.boolean_census(n)
    assert (census.n, census.orbits, census.lps_solved, census.count) == (n, orbits, orbits,
                                                                          count)
    F, K = 2 ** 2 ** n, 2 ** n
    assert census.separable.dtype == np.bool_ and census.separable.shape == (F,)
    assert census.weights.dtype == np.int64 and census.weights.shape == (F, n + 1)
    assert census.lam.dtype == np.int64 and census.lam.shape == (F, K)


def _gcd_of_rows(table: np.ndarray) -> set[int]:
    return {int(np.gcd.reduce(np.abs(row))) for row in table}


@pytest.mark.parametrize("points, labels", [
    # the LP's own solution here is (w, b) = (-2, 0): only the reduction makes it (-1, 0)
    pytest.param([[-0.5], [0.5]], [1, -1], id="halves"),
    pytest.param([[Fraction(-1, 3)], [Fraction(1, 3)]], [1, -1], id="thirds"),
    pytest.param([[0, 0], [2, 0], [0, 2]], [-1, 1, 1], id="corner"),
    pytest.param([[0, 0], [1, 1], [0, 1], [1, 0]], [1, 1, -1, -1], id="xor"),
    pytest.param([[0], [2], [4]], [1, -1, 1], id="middle-point"),
])
def test_separate_returns_valid_certificates_in_lowest_integer_terms(points, labels):
    """"Certificates are returned scaled to integers": Python ints with no common factor."""
    cert = I.separate(points, labels)
    X = [[Fraction(v) for v in p] for p in points]
    if isinstance(cert, I.Separable):
        vec = cert.w + (cert.b,)
        assert all(y * (sum(w * x for w, x in zip(cert.w, p)) + cert.b) > 0
                   for p, y in zip(X, labels))
    else:
        vec = cert.lam
        assert min(vec) >= 0 and max(vec) > 0
        assert sum(l * y for l, y in zip(vec, labels)) == 0
        assert all(sum(l * y * p[j] for l, y, p in zip(vec, labels, X)) == 0
                   for j in range(len(X[0])))
    assert all(type(v) is int for v in vec)
    assert _gcd_of_rows(np.array([vec], dtype=np.int64)) == {1}


@pytest.mark.parametrize("n", [2, 3])
def test_boolean_census_certificates_stay_in_lowest_terms(n):
    """Transport keeps separate's lowest terms: the symmetry group acts unimodularly.

    Permuting and negating inputs maps (w, b) by an integer matrix of determinant +-1, and
    negating the output negates (w, b); none can introduce a common factor, so every row of
    either table is as reduced as the LP solution it was moved from.
    """
    census = I.boolean_census(n)
    assert _gcd_of_rows(census.weights[census.separable]) == {1}
    assert _gcd_of_rows(census.lam[~census.separable]) == {1}
