"""Contracts of ``lasso`` and ``random_relu_features`` that the §5 checks rely on.

The claim checks use these solvers as building blocks: a lasso that stops at another point
than its docstring states, or a feature map with another offset or width scaling, would
still give plausible pictures. These tests hold each one to its documented formula or rule,
checked against an oracle written here (loops, a KKT certificate, an independent duality gap).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import implementations as I

pytestmark = pytest.mark.harness


# --- random_relu_features ----------------------------------------------------------------

def test_random_relu_features_follow_the_documented_formula_with_more_directions_than_inputs():
    # p = 4 directions in d = 2 dimensions, so sqrt(p) = 2 and sqrt(d) differ; the offsets
    # take both signs and the pre-activations fall below 0, inside (0, 1) and above 1
    X = [[1.0, 2.0], [-1.0, 0.5], [0.0, 0.0]]
    W = [[1.0, 0.0], [0.0, 1.0], [1.0, -1.0], [-2.0, 1.0]]
    b = [0.5, -1.0, 0.0, 2.0]
    # pre-activations X W^T + b:  [1.5, 1, -1, 2], [-0.5, -0.5, -1.5, 4.5], [0.5, -1, 0, 2]
    expected = np.array([[0.75, 0.5, 0.0, 1.0],
                         [0.0, 0.0, 0.0, 2.25],
                         [0.25, 0.0, 0.0, 1.0]])
    phi = I.random_relu_features(X, W, b)
    assert phi.shape == (3, 4) and phi.dtype == np.float64
    assert_allclose(phi, expected, rtol=0, atol=1e-15,
                    err_msg="max(0, X W^T + b) / sqrt(p) with p = 4 rows of W")


@pytest.mark.parametrize("N, p, d", [
    pytest.param(5, 3, 7, id="fewer-directions-than-inputs"),
    pytest.param(2, 9, 4, id="more-directions-than-inputs"),
])
def test_random_relu_features_match_a_loop_over_samples_and_directions(N, p, d):
    rng = np.random.default_rng(20 + p)
    X, W, b = rng.standard_normal((N, d)), rng.standard_normal((p, d)), rng.standard_normal(p)
    assert b.min() < 0 < b.max()  # both signs of offset are exercised
    expected = np.array([[max(0.0, sum(X[i, j] * W[k, j] for j in range(d)) + b[k]) / math.sqrt(p)
                          for k in range(p)] for i in range(N)])
    assert 0 < np.count_nonzero(expected) < N * p  # some units are off, some are on
    phi = I.random_relu_features(X, W, b)
    assert phi.shape == (N, p)
    assert_allclose(phi, expected, rtol=1e-12, atol=1e-14,
                    err_msg="random ReLU features differ from max(0, <x_i, w_k> + b_k) / sqrt(p)")


# --- lasso: an independent duality gap and optimality certificate -------------------------

def _problem(seed, n, d, y_scale, lam_frac):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, d))
    # a shared component correlates the columns, so coordinate descent needs several sweeps
    X = Z + 0.5 * Z[:, :1]
    y = y_scale * rng.standard_normal(n)
    lam = lam_frac * float(np.max(np.abs(X.T @ y)))
    return X, y, lam


def _primal(X, y, w, lam):
    r = y - X @ w
    return 0.5 * float(r @ r) + lam * float(np.sum(np.abs(w)))


def _duality_gap(X, y, w, lam):
    """P(w) - D(theta) for theta = s r, r = y - X w, s = min(1, lam / ||X^T r||_inf)."""
    r = y - X @ w
    c = float(np.max(np.abs(X.T @ r)))
    s = 1.0 if c <= lam else lam / c
    theta = s * r
    dual = 0.5 * float(y @ y) - 0.5 * float((y - theta) @ (y - theta))
    return _primal(X, y, w, lam) - dual


def _kkt_optimum(X, y, lam, support, signs):
    """The lasso optimum with the given support and signs, certified by its KKT conditions.

    On the support the optimality condition X_S^T (y - X_S w_S) = lam sign(w_S) is linear;
    the solution is the optimum iff its signs are the guessed ones and every column off
    the support has |X_j^T r| <= lam. Returns (w, |X^T r|).
    """
    w = np.zeros(X.shape[1])
    XS = X[:, support]
    w[support] = np.linalg.solve(XS.T @ XS, XS.T @ y - lam * signs)
    correlation = np.abs(X.T @ (y - X @ w))
    assert np.array_equal(np.sign(w[support]), signs), "the guessed sign pattern is not optimal"
    assert np.all(correlation[~support] < lam), "a column off the guessed support violates KKT"
    return w, correlation


# --- lasso: the documented stopping rule --------------------------------------------------

# Each problem is one on which stopping a sweep early or late returns a different vector.
# A loose tol is a valid argument: it makes the rule fire while the zero pattern still moves.
STOPPING_CASES = [
    pytest.param(114, 5, 6, 0.1, 0.1, 0.5, id="wide-small-y-loose-tol"),
    pytest.param(162, 6, 4, 10.0, 0.1, 0.5, id="tall-large-y-loose-tol"),
    pytest.param(42, 5, 6, 10.0, 0.3, 0.1, id="wide-large-y-heavier-penalty"),
    pytest.param(52, 5, 6, 10.0, 0.1, 1e-4, id="wide-large-y-many-sweeps"),
]


@pytest.mark.parametrize("seed, n, d, y_scale, lam_frac, tol", STOPPING_CASES)
def test_lasso_stops_at_the_first_sweep_its_documented_rule_allows(seed, n, d, y_scale,
                                                                   lam_frac, tol):
    X, y, lam = _problem(seed, n, d, y_scale, lam_frac)
    bound = tol * 0.5 * float(y @ y)

    def sweep(k):
        # the iterates do not depend on tol; with a tolerance no float gap reaches, the
        # sweep cap alone ends the run, so this is the k-th iterate
        return I.lasso(X, y, lam, max_iter=k, tol=1e-300)

    # the rule: after sweep k the run ends if the gap of the previous iterate was within the
    # bound and sweep k left the set of zero coordinates as it was
    previous = sweep(1)
    for k in range(2, 100):
        current = sweep(k)
        gap = _duality_gap(X, y, previous, lam)
        # far from the bound, so rounding in the two gap computations cannot disagree
        assert abs(gap - bound) > 1e-3 * bound
        if gap <= bound and np.array_equal(previous == 0.0, current == 0.0):
            break
        previous = current
    else:
        pytest.fail("the documented stopping rule never fired within 100 sweeps")
    assert not np.array_equal(current, previous)  # stopping a sweep earlier is visible
    assert not np.array_equal(current, sweep(k + 1))  # and so is stopping a sweep later
    w = I.lasso(X, y, lam, tol=tol)
    assert np.array_equal(w, current), (
        f"lasso(tol={tol}) should return the iterate of sweep {k}, the first at which the "
        f"duality gap of the previous sweep is <= tol * 1/2 ||y||^2 = {bound:.3g} and the zero "
        f"pattern did not change; it returned {w} instead of {current}")


# Problems with ||y|| small (1/2 ||y||^2 < 1) and large (> 1): the bound scales with ||y||^2.
OPTIMUM_CASES = [
    pytest.param(1, 0.05, 0.2, id="small-y"),
    pytest.param(2, 0.05, 0.2, id="small-y-other-seed"),
    pytest.param(7, 1.0, 0.2, id="unit-y"),
    pytest.param(8, 30.0, 0.2, id="large-y"),
]


@pytest.mark.parametrize("tol", [1e-4, 1e-6])
@pytest.mark.parametrize("seed, y_scale, lam_frac", OPTIMUM_CASES)
def test_lasso_objective_is_within_tol_half_y_squared_of_the_optimum(seed, y_scale, lam_frac,
                                                                     tol):
    X, y, lam = _problem(seed, 7, 5, y_scale, lam_frac)
    w = I.lasso(X, y, lam, tol=tol)
    # the rule checks the gap one sweep before the return, so the returned w's own gap may
    # exceed the bound; but coordinate descent never raises the objective, so w is at most
    # that earlier gap, hence at most the bound, above the optimum
    support = w != 0.0
    w_star, _ = _kkt_optimum(X, y, lam, support, np.sign(w[support]))
    bound = tol * 0.5 * float(y @ y)
    excess = _primal(X, y, w, lam) - _primal(X, y, w_star, lam)
    assert excess <= bound, (
        f"P(w) - P(w*) = {excess:.3g} exceeds tol * 1/2 ||y||^2 = {bound:.3g}")


@pytest.mark.parametrize("seed, y_scale, lam_frac", OPTIMUM_CASES)
def test_lasso_zeroes_exactly_every_coordinate_whose_kkt_inequality_is_strict(seed, y_scale,
                                                                              lam_frac):
    X, y, lam = _problem(seed, 7, 5, y_scale, lam_frac)
    w = I.lasso(X, y, lam)
    support = w != 0.0
    w_star, correlation = _kkt_optimum(X, y, lam, support, np.sign(w[support]))
    off = correlation < lam * (1 - 1e-6)  # strictly inside: the optimum there is 0
    assert off.any() and support.any()  # the problem is genuinely sparse
    assert np.all(w[off] == 0.0), f"coordinates {np.flatnonzero(off)} must be exactly 0.0: {w}"
    assert_allclose(w, w_star, rtol=1e-7, atol=1e-9 * np.abs(w_star).max(),
                    err_msg="lasso with its default tolerance must reach the KKT point")


def test_lasso_returns_exact_zeros_when_the_penalty_dominates_every_correlation():
    X, y, lam = _problem(11, 6, 4, 1.0, 1.0)  # lam = max |X^T y|: the optimum is w = 0
    assert np.array_equal(I.lasso(X, y, lam * 1.5), np.zeros(4))
    assert np.array_equal(I.lasso(X, y, lam), np.zeros(4))


def test_lasso_default_sweep_cap_is_10_000():
    # nearly collinear columns: coordinate descent contracts by about corr^2 per sweep,
    # so 10_000 sweeps do not reach the default tolerance and the cap ends the run
    delta = 0.02
    X = np.array([[1.0, 1.0], [1.0, 1.0 + delta], [1.0, 1.0 - delta / 2]])
    y = np.array([1.0, 2.0, 0.5])
    lam = 0.01
    w = I.lasso(X, y, lam)
    assert _duality_gap(X, y, w, lam) > 1e-10 * 0.5 * float(y @ y)  # the cap, not tol, ended it
    assert np.array_equal(w, I.lasso(X, y, lam, max_iter=10_000, tol=1e-10)), (
        "the documented default is max_iter=10_000")
