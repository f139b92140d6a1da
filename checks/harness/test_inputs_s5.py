"""§5 reference implementations reject bad input with a clear ValueError and never hang."""
from __future__ import annotations

import numpy as np
import pytest

import implementations as I

pytestmark = pytest.mark.harness

X2, Y2 = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1.0, 2.0, 3.0]
RNG = np.random.default_rng(0)


@pytest.mark.parametrize("args, kwargs, match", [
    pytest.param(([1.0, 2.0], [1.0, 2.0], 1.0), {}, "2-D", id="X-not-2d"),
    pytest.param((np.zeros((0, 2)), [], 1.0), {}, "empty", id="empty-X"),
    pytest.param(([[np.nan, 1.0]], [1.0], 1.0), {}, "NaN", id="nan-in-X"),
    pytest.param((X2, [1.0, 2.0], 1.0), {}, "length", id="y-length"),
    pytest.param((X2, [1.0, np.inf, 3.0], 1.0), {}, "NaN or infinite", id="inf-in-y"),
    pytest.param((X2, Y2, 0.0), {}, "lam", id="lam-zero"),
    pytest.param((X2, Y2, -1.0), {}, "lam", id="lam-negative"),
    pytest.param((X2, Y2, float("nan")), {}, "lam", id="lam-nan"),
])
@pytest.mark.parametrize("solver", ["ridge", "lasso"])
def test_penalised_regression_rejects_bad_input(solver, args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(I, solver)(*args, **kwargs)


@pytest.mark.parametrize("kwargs, match", [
    pytest.param(dict(max_iter=0), "max_iter", id="no-sweeps"),
    pytest.param(dict(max_iter=2.5), "max_iter", id="fractional-sweeps"),
    pytest.param(dict(tol=0.0), "tol", id="tol-zero"),
    pytest.param(dict(tol=-1e-3), "tol", id="tol-negative"),
])
def test_lasso_rejects_bad_stopping_rule(kwargs, match):
    with pytest.raises(ValueError, match=match):
        I.lasso(X2, Y2, 0.5, **kwargs)


def test_lasso_stops_at_max_iter():
    # a tolerance no float computation reaches: the sweep cap must end the loop
    w = I.lasso(X2, Y2, 0.1, max_iter=3, tol=1e-300)
    assert w.shape == (2,) and np.all(np.isfinite(w))


def test_lasso_handles_zero_columns():
    w = I.lasso([[0.0, 1.0], [0.0, 2.0]], [1.0, 2.0], 0.5)
    assert w[0] == 0.0 and w[1] > 0


@pytest.mark.parametrize("z, t, match", [
    pytest.param([1.0], -0.5, ">= 0", id="negative-threshold"),
    pytest.param([np.nan], 0.5, "finite", id="nan-z"),
    pytest.param([1.0], np.inf, "finite", id="inf-threshold"),
])
def test_soft_threshold_rejects_bad_input(z, t, match):
    with pytest.raises(ValueError, match=match):
        I.soft_threshold(z, t)


@pytest.mark.parametrize("X, y, match", [
    pytest.param([[1.0, 2.0]], [1.0, 2.0], "length", id="y-length"),
    pytest.param([[np.nan, 2.0]], [1.0], "NaN", id="nan"),
    pytest.param([1.0, 2.0], [1.0], "2-D", id="X-not-2d"),
])
def test_min_norm_rejects_bad_input(X, y, match):
    with pytest.raises(ValueError, match=match):
        I.min_norm_least_squares(X, y)


@pytest.mark.parametrize("kwargs, match", [
    pytest.param(dict(eta=0.0, steps=10), "eta", id="eta-zero"),
    pytest.param(dict(eta=1.0, steps=10), "eta", id="eta-diverges"),
    pytest.param(dict(eta=0.1, steps=0), "steps", id="no-steps"),
    pytest.param(dict(eta=0.1, steps=10, w0=[1.0]), "w0", id="w0-shape"),
])
def test_least_squares_gd_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        I.least_squares_gd(X2, Y2, **kwargs)


@pytest.mark.parametrize("X, W, b, match", [
    pytest.param([[1.0, 2.0]], [[1.0, 2.0, 3.0]], [0.0], "columns", id="W-width"),
    pytest.param([[1.0, 2.0]], [[1.0, 2.0]], [0.0, 1.0], "length", id="b-length"),
    pytest.param([[1.0, 2.0]], [[np.nan, 2.0]], [0.0], "NaN", id="nan-W"),
])
def test_random_features_reject_bad_input(X, W, b, match):
    with pytest.raises(ValueError, match=match):
        I.random_relu_features(X, W, b)


@pytest.mark.parametrize("h, p, match", [
    pytest.param([1.0], 1.0, r"\[0, 1\)", id="p-one"),
    pytest.param([1.0], -0.1, r"\[0, 1\)", id="p-negative"),
    pytest.param([1.0], float("nan"), r"\[0, 1\)", id="p-nan"),
    pytest.param([1.0], True, r"\[0, 1\)", id="p-bool"),
    pytest.param([np.nan], 0.5, "NaN", id="nan-h"),
    pytest.param([], 0.5, "non-empty", id="empty-h"),
    pytest.param(2.0, 0.5, "non-empty", id="scalar-h"),
])
def test_dropout_rejects_bad_input(h, p, match):
    with pytest.raises(ValueError, match=match):
        I.dropout_train(h, p, rng=RNG)
    with pytest.raises(ValueError, match=match):
        I.dropout_eval(h, p)


def test_dropout_train_requires_a_generator():
    with pytest.raises(ValueError, match="Generator"):
        I.dropout_train([1.0, 2.0], 0.5, rng=0)
