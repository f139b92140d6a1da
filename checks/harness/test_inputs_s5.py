"""§5 reference implementations reject bad input with a clear ValueError and never hang.

The error messages are part of the promise, so every table states them in full
(``raises_exactly``); each call site that names an argument is reached by one case.
"""
from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import implementations as I
from claimledger.raises import raises_exactly, text_refused

pytestmark = pytest.mark.harness

X2, Y2 = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1.0, 2.0, 3.0]


# --- ridge and lasso -------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    pytest.param(([1.0, 2.0], [1.0, 2.0], 1.0),
                 "X must be 2-D (samples x features), got shape (2,)", id="X-not-2d"),
    pytest.param((np.zeros((0, 2)), [], 1.0), "X is empty (shape (0, 2))", id="empty-X"),
    pytest.param(([[np.nan, 1.0]], [1.0], 1.0), "X contains NaN or infinite entries",
                 id="nan-in-X"),
    pytest.param(("abc", Y2, 1.0),
                 text_refused("X"),
                 id="X-not-numeric"),
    # X2 is 3 x 2, so a y of length 2 matches the feature count but not the sample count
    pytest.param((X2, [1.0, 2.0], 1.0), "y has length 2, expected 3", id="y-length"),
    pytest.param((X2, [[1.0], [2.0], [3.0]], 1.0), "y must be 1-D, got shape (3, 1)",
                 id="y-column"),
    pytest.param((X2, [1.0, np.inf, 3.0], 1.0), "y contains NaN or infinite entries",
                 id="inf-in-y"),
    pytest.param((X2, ["a", "b", "c"], 1.0),
                 text_refused("y"),
                 id="y-not-numeric"),
    pytest.param((X2, Y2, 0.0), "lam must be a finite number > 0, got 0.0", id="lam-zero"),
    pytest.param((X2, Y2, -1.0), "lam must be a finite number > 0, got -1.0",
                 id="lam-negative"),
    pytest.param((X2, Y2, float("nan")), "lam must be a finite number > 0, got nan",
                 id="lam-nan"),
    pytest.param((X2, Y2, True), "lam must be a finite number > 0, got True", id="lam-bool"),
])
@pytest.mark.parametrize("solver", ["ridge", "lasso"])
def test_penalised_regression_rejects_bad_input(solver, args, message):
    with raises_exactly(message):
        getattr(I, solver)(*args)


@pytest.mark.parametrize("kwargs, message", [
    pytest.param(dict(max_iter=0), "max_iter must be an integer >= 1, got 0", id="no-sweeps"),
    pytest.param(dict(max_iter=2.5), "max_iter must be an integer >= 1, got 2.5",
                 id="fractional-sweeps"),
    pytest.param(dict(tol=0.0), "tol must be a finite number > 0, got 0.0", id="tol-zero"),
    pytest.param(dict(tol=-1e-3), "tol must be a finite number > 0, got -0.001",
                 id="tol-negative"),
])
def test_lasso_rejects_bad_stopping_rule(kwargs, message):
    with raises_exactly(message):
        I.lasso(X2, Y2, 0.5, **kwargs)


def test_lasso_stops_at_max_iter():
    # a tolerance no float computation reaches: the sweep cap must end the loop
    w = I.lasso(X2, Y2, 0.1, max_iter=3, tol=1e-300)
    assert w.shape == (2,) and np.all(np.isfinite(w))


def test_lasso_defaults_converge_on_correlated_columns():
    # correlated columns make coordinate descent creep: a loose default tolerance or a
    # small default sweep cap would stop it visibly short of the optimum
    X = np.array([[1.0, 0.8], [0.8, 1.0], [1.0, 1.0], [0.2, -0.3]])
    y = np.array([2.0, 1.5, 2.5, 0.1])
    lam = 0.3
    # both coordinates positive: the optimum solves X^T (y - X w) = lam (1, 1)
    w_star = np.linalg.solve(X.T @ X, X.T @ y - lam)
    assert np.all(w_star > 0)  # so the sign pattern guessed above is the true one
    w = I.lasso(X, y, lam)
    assert_allclose(w, w_star, rtol=0, atol=1e-6,
                    err_msg="lasso with its default stopping rule must reach the KKT point")
    assert_allclose(w, I.lasso(X, y, lam, max_iter=10_000, tol=1e-10), rtol=0, atol=0,
                    err_msg="the documented defaults are max_iter=10_000, tol=1e-10")


def test_lasso_handles_zero_columns():
    w = I.lasso([[0.0, 1.0], [0.0, 2.0]], [1.0, 2.0], 0.5)
    assert w[0] == 0.0 and w[1] > 0


# --- soft_threshold --------------------------------------------------------------------

@pytest.mark.parametrize("z, t, message", [
    pytest.param([1.0], -0.5, "soft_threshold: the threshold t must be >= 0",
                 id="negative-threshold"),
    pytest.param([1.0], [0.5, -0.5], "soft_threshold: the threshold t must be >= 0",
                 id="one-negative-threshold-in-a-vector"),
    pytest.param([np.nan], 0.5, "soft_threshold: z and t must be finite (no NaN or inf)",
                 id="nan-z"),
    pytest.param([1.0], np.inf, "soft_threshold: z and t must be finite (no NaN or inf)",
                 id="inf-threshold"),
])
def test_soft_threshold_rejects_bad_input(z, t, message):
    with raises_exactly(message):
        I.soft_threshold(z, t)


def test_soft_threshold_gives_float64_for_integer_input():
    out = I.soft_threshold([-3, 0, 1, 5], 2)
    assert out.dtype == np.float64
    assert_allclose(out, [-1.0, 0.0, 0.0, 3.0], rtol=0, atol=0,
                    err_msg="sign(z) max(|z| - t, 0) on integers, computed in floats")


def test_soft_threshold_does_not_overflow_narrow_integer_input():
    # |-128| does not fit in int8: the magnitude must be taken after converting to float
    out = I.soft_threshold(np.array([-128, 127, -5], dtype=np.int8), 0)
    assert out.dtype == np.float64
    assert_allclose(out, [-128.0, 127.0, -5.0], rtol=0, atol=0,
                    err_msg="a zero threshold must return z unchanged, even at int8's minimum")


@pytest.mark.parametrize("z, t, expected", [
    pytest.param([10**30, -(10**30)], 1, [1e30, -1e30], id="huge-z"),
    pytest.param([3.0, -7.0], 10**30, [0.0, 0.0], id="huge-threshold"),
])
def test_soft_threshold_accepts_python_integers_beyond_int64(z, t, expected):
    # such ints are real numbers like any other; numpy would hold them as objects
    out = I.soft_threshold(z, t)
    assert out.dtype == np.float64
    assert_allclose(out, expected, rtol=1e-15, atol=0,
                    err_msg="soft_threshold must treat arbitrary-size ints as floats")


# --- min_norm_least_squares, least_squares_gd, random_relu_features --------------------

@pytest.mark.parametrize("X, y, message", [
    pytest.param([[1.0, 2.0]], [1.0, 2.0], "y has length 2, expected 1", id="y-length"),
    pytest.param([[np.nan, 2.0]], [1.0], "X contains NaN or infinite entries", id="nan"),
    pytest.param([1.0, 2.0], [1.0], "X must be 2-D (samples x features), got shape (2,)",
                 id="X-not-2d"),
])
def test_min_norm_rejects_bad_input(X, y, message):
    with raises_exactly(message):
        I.min_norm_least_squares(X, y)


@pytest.mark.parametrize("X, y, kwargs, message", [
    pytest.param(X2, Y2, dict(eta=0.0, steps=10), "eta must be a finite number > 0, got 0.0",
                 id="eta-zero"),
    # ||X2||_2^2 = 3 (the top eigenvalue of [[2, 1], [1, 2]])
    pytest.param(X2, Y2, dict(eta=1.0, steps=10),
                 "eta=1.0 must be < 2 / ||X||_2^2 = 0.666667 for gradient descent on least "
                 "squares to converge", id="eta-diverges"),
    # eta ||X||^2 = 2 exactly: the iteration oscillates for ever, so the bound is strict
    pytest.param([[1.0]], [1.0], dict(eta=2.0, steps=10),
                 "eta=2.0 must be < 2 / ||X||_2^2 = 2 for gradient descent on least squares "
                 "to converge", id="eta-at-the-bound"),
    pytest.param([[2.0]], [1.0], dict(eta=0.5, steps=10),
                 "eta=0.5 must be < 2 / ||X||_2^2 = 0.5 for gradient descent on least squares "
                 "to converge", id="eta-at-the-bound-of-a-scaled-X"),
    pytest.param(X2, Y2, dict(eta=0.1, steps=0), "steps must be an integer >= 1, got 0",
                 id="no-steps"),
    pytest.param(X2, Y2, dict(eta=0.1, steps=10, w0=[1.0]), "w0 has length 1, expected 2",
                 id="w0-shape"),
    pytest.param(X2, [1.0, 2.0], dict(eta=0.1, steps=10), "y has length 2, expected 3",
                 id="y-length"),
])
def test_least_squares_gd_rejects_bad_input(X, y, kwargs, message):
    with raises_exactly(message):
        I.least_squares_gd(X, y, **kwargs)


def test_least_squares_gd_accepts_a_step_just_below_the_bound():
    # on X = [[1]] one step maps w to w - eta (w - 1): from 0 that is eta
    w = I.least_squares_gd([[1.0]], [1.0], eta=1.5, steps=1)
    assert_allclose(w, [1.5], rtol=1e-15, atol=0, err_msg="one step of size 1.5 from w0 = 0")


@pytest.mark.parametrize("X, W, b, message", [
    pytest.param([[1.0, 2.0]], [[1.0, 2.0, 3.0]], [0.0], "W has 3 columns but X has 2 features",
                 id="W-width"),
    pytest.param([[1.0, 2.0]], [[1.0, 2.0]], [0.0, 1.0], "b has length 2, expected 1",
                 id="b-length"),
    pytest.param([[1.0, 2.0]], [[np.nan, 2.0]], [0.0], "W contains NaN or infinite entries",
                 id="nan-W"),
    pytest.param([[1.0, 2.0]], [1.0, 2.0], [0.0],
                 "W must be 2-D (samples x features), got shape (2,)", id="W-not-2d"),
    pytest.param([1.0, 2.0], [[1.0, 2.0]], [0.0],
                 "X must be 2-D (samples x features), got shape (2,)", id="X-not-2d"),
])
def test_random_features_reject_bad_input(X, W, b, message):
    with raises_exactly(message):
        I.random_relu_features(X, W, b)


# --- dropout ---------------------------------------------------------------------------

def _p_message(shown):
    return f"p (the drop probability) must be a number in [0, 1), got {shown}"


@pytest.mark.parametrize("h, p, message", [
    pytest.param([1.0], 1.0, _p_message("1.0"), id="p-one"),
    pytest.param([1.0], np.float64(1.0), _p_message("np.float64(1.0)"), id="p-numpy-one"),
    pytest.param([1.0], -0.1, _p_message("-0.1"), id="p-negative"),
    pytest.param([1.0], float("nan"), _p_message("nan"), id="p-nan"),
    pytest.param([1.0], float("inf"), _p_message("inf"), id="p-inf"),
    pytest.param([1.0], True, _p_message("True"), id="p-bool"),
    pytest.param([1.0], "0.5", _p_message("'0.5'"), id="p-string"),
    pytest.param([np.nan], 0.5, "h contains NaN or infinite entries", id="nan-h"),
    pytest.param([], 0.5, "h must be a non-empty array of activations, got shape (0,)",
                 id="empty-h"),
    pytest.param(2.0, 0.5, "h must be a non-empty array of activations, got shape ()",
                 id="scalar-h"),
    pytest.param("abc", 0.5,
                 text_refused("h"),
                 id="string-h"),
    pytest.param({"a": 1.0}, 0.5,
                 "h must be a numeric array: float() argument must be a string or a real "
                 "number, not 'dict'", id="dict-h"),
])
def test_dropout_rejects_bad_input(h, p, message):
    with raises_exactly(message):
        I.dropout_train(h, p, rng=np.random.default_rng(0))
    with raises_exactly(message):
        I.dropout_eval(h, p)


@pytest.mark.parametrize("rng", [
    pytest.param(0, id="int-seed"),
    pytest.param(np.random.RandomState(0), id="legacy-RandomState"),
])
def test_dropout_train_requires_a_generator(rng):
    with raises_exactly("rng must be a numpy.random.Generator (no global random state)"):
        I.dropout_train([1.0, 2.0], 0.5, rng=rng)


H8 = [2.0, -4.0, 6.0, 1.0, -3.0, 5.0, 7.0, -8.0]


def test_dropout_train_defaults_to_the_article_convention():
    default_out, default_mask = I.dropout_train(H8, 0.5, rng=np.random.default_rng(3))
    article_out, article_mask = I.dropout_train(H8, 0.5, rng=np.random.default_rng(3),
                                                inverted=False)
    assert 0 < default_mask.sum() < len(H8)  # the seed keeps some units and drops others
    assert_allclose(default_mask, article_mask, rtol=0, atol=0,
                    err_msg="the same generator state must give the same mask")
    assert_allclose(default_out, article_out, rtol=0, atol=0,
                    err_msg="dropout_train's default must be inverted=False")
    # article convention: kept units pass through unscaled (no division by 1 - p)
    assert_allclose(default_out, default_mask * np.array(H8), rtol=0, atol=0,
                    err_msg="the article's training output is m * h")


def test_dropout_eval_defaults_to_the_article_convention():
    out = I.dropout_eval([2.0, -4.0, 6.0], 0.25)
    assert_allclose(out, I.dropout_eval([2.0, -4.0, 6.0], 0.25, inverted=False),
                    rtol=0, atol=0, err_msg="dropout_eval's default must be inverted=False")
    assert_allclose(out, [1.5, -3.0, 4.5], rtol=1e-15, atol=0,
                    err_msg="the article's inference output is (1 - p) h")


def _generator_whose_next_uniform_is_zero():
    """A PCG64 Generator whose next 64-bit output is 0, so ``random()`` returns 0.0.

    PCG64 first advances s <- s * M + inc (mod 2^128) and then outputs the xor of the
    two halves of s rotated; a state with equal halves therefore outputs 0, and the
    state before it is (s - inc) M^{-1}.
    """
    mult = (2549297995355413924 << 64) + 4865540595714422341
    modulus = 1 << 128
    bit_gen = np.random.PCG64(0)
    state = bit_gen.state
    inc = state["state"]["inc"]
    target = (12345 << 64) | 12345
    state["state"]["state"] = (target - inc) * pow(mult, -1, modulus) % modulus
    state["has_uint32"], state["uinteger"] = 0, 0
    bit_gen.state = state
    return np.random.Generator(bit_gen)


def test_the_crafted_generator_draws_exactly_zero():
    assert _generator_whose_next_uniform_is_zero().random() == 0.0


@pytest.mark.parametrize("inverted", [False, True])
def test_dropout_with_p_zero_keeps_a_unit_even_on_a_zero_draw(inverted):
    # p = 0 drops with probability 0: not even the (probability 2^-53) draw U = 0.0 may
    # drop a unit; with uniforms on the 2^-53 grid, keeping iff U >= p is exactly
    # Bernoulli(1 - p) for every grid p
    out, mask = I.dropout_train([2.5], 0.0, rng=_generator_whose_next_uniform_is_zero(),
                                inverted=inverted)
    assert_allclose(mask, [1.0], rtol=0, atol=0, err_msg="p = 0 must keep every unit")
    assert_allclose(out, [2.5], rtol=0, atol=0, err_msg="p = 0 must leave h unchanged")


def test_dropout_accepts_p_zero_in_both_modes():
    h = [1.0, -2.0]
    out, mask = I.dropout_train(h, 0.0, rng=np.random.default_rng(1))
    assert_allclose(mask, [1.0, 1.0], rtol=0, atol=0, err_msg="p = 0 keeps every unit")
    assert_allclose(out, h, rtol=0, atol=0, err_msg="p = 0 training output is h")
    assert_allclose(I.dropout_eval(h, 0.0), h, rtol=0, atol=0,
                    err_msg="p = 0 inference output is h")
