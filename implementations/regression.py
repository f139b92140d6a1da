"""Linear regression with and without penalties (article §5.1-5.2).

Conventions (the checks and any adapter rely on them):

* ``ridge(X, y, lam)`` minimises ``||y - X w||^2 + lam ||w||^2``, i.e. returns
  ``(X^T X + lam I)^{-1} X^T y`` (lam > 0). Under y = X w + N(0, s^2) noise and a
  N(0, t^2 I) prior this is the MAP estimate for lam = s^2 / t^2.
* ``lasso(X, y, lam, *, max_iter, tol)`` minimises ``1/2 ||y - X w||^2 + lam ||w||_1`` by
  cyclic coordinate descent; each coordinate update is a soft-threshold, so coordinates
  come out *exactly* zero. It stops when the duality gap is at most
  ``tol * 1/2 ||y||^2`` and one more sweep leaves the zero pattern unchanged, or after
  ``max_iter`` sweeps. Under N(0, s^2) noise and a
  Laplace(0, b) prior this is the MAP estimate for lam = s^2 / b.
* ``soft_threshold(z, t) = sign(z) max(|z| - t, 0)``, the minimiser of
  ``1/2 (w - z)^2 + t |w|``.
* ``min_norm_least_squares(X, y)`` returns ``X^+ y`` (Moore-Penrose): the least-squares
  solution of smallest Euclidean norm (the interpolant of smallest norm when one exists).
* ``least_squares_gd(X, y, *, eta, steps, w0=None)`` runs ``steps`` full-batch gradient
  steps ``w <- w - eta X^T (X w - y)`` on ``1/2 ||X w - y||^2`` from ``w0`` (default 0).
* ``random_relu_features(X, W, b)`` returns ``max(0, X W^T + b) / sqrt(p)`` for ``p``
  random directions ``W`` (p, d) and offsets ``b`` (p,): a random-features model whose
  width is ``p``.
"""
from __future__ import annotations

import math

import numpy as np

from ._validate import (MAX_PY_STEPS, MAX_WORK, check_cap, float_array, positive,
                        positive_int, real_matrix, real_vector, refuse_overflow)

MAX_STEPS = 1_000_000  # least_squares_gd's step cap (each step is a Python iteration)

__protocol__ = ["ridge", "lasso", "soft_threshold", "min_norm_least_squares",
                "least_squares_gd", "random_relu_features"]

_X = np.array([[1.0, 0.5], [0.0, 1.0], [1.0, -1.0]])
_Y = np.array([1.0, 0.0, 2.0])
#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    "ridge": [dict(X=_X, y=_Y, lam=0.5)],
    "lasso": [dict(X=_X, y=_Y, lam=0.1, max_iter=100, tol=1e-8)],
    "soft_threshold": [dict(z=np.array([0.5, -1.5, 0.0]), t=0.25),
                       dict(z=np.array([0.5, -1.5, 0.0]), t=np.array([0.1, 0.2, 0.3]))],
    "min_norm_least_squares": [dict(X=_X, y=_Y)],
    "least_squares_gd": [dict(X=_X, y=_Y, eta=0.05, steps=10, w0=np.array([0.5, 0.0]))],
    "random_relu_features": [dict(X=_X, W=np.array([[1.0, 0.0], [0.5, -1.0], [2.0, 1.0]]),
                                  b=np.array([0.0, 0.5, -1.0]))],
}


def _design(X, y):
    X = real_matrix(X)
    y = real_vector(y, "y", length=X.shape[0])
    return X, y


def ridge(X, y, lam: float) -> np.ndarray:
    """argmin_w ||y - X w||^2 + lam ||w||^2 = (X^T X + lam I)^{-1} X^T y, for lam > 0."""
    X, y = _design(X, y)
    lam = positive(lam, "lam")
    d = X.shape[1]
    return np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)


def soft_threshold(z, t) -> np.ndarray:
    """sign(z) max(|z| - t, 0), elementwise: the minimiser of 1/2 (w - z)^2 + t |w|."""
    z = float_array(z, "z")
    t = float_array(t, "t")
    if not (np.all(np.isfinite(z)) and np.all(np.isfinite(t))):
        raise ValueError("soft_threshold: z and t must be finite (no NaN or inf)")
    if np.any(t < 0):
        raise ValueError("soft_threshold: the threshold t must be >= 0")
    try:
        shape = np.broadcast_shapes(t.shape, z.shape)
    except ValueError:
        shape = None
    if shape != z.shape:  # t may not enlarge the result: the map is elementwise in z
        raise ValueError(f"soft_threshold: t of shape {t.shape} must be a scalar or broadcast "
                         f"to the shape {z.shape} of z")
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def _lasso_gap(X, y, w, lam) -> float:
    """Duality gap P(w) - D(theta), theta = the residual scaled into the dual feasible set."""
    r = y - X @ w
    c = np.max(np.abs(X.T @ r)) if X.shape[1] else 0.0
    s = 1.0 if c <= lam else lam / c
    primal = 0.5 * r @ r + lam * np.abs(w).sum()
    theta = s * r
    dual = 0.5 * y @ y - 0.5 * (y - theta) @ (y - theta)
    return primal - dual


def lasso(X, y, lam: float, *, max_iter: int = 10_000, tol: float = 1e-10) -> np.ndarray:
    """argmin_w 1/2 ||y - X w||^2 + lam ||w||_1 by cyclic coordinate descent.

    Stops once the duality gap is <= tol * 1/2 ||y||^2 and a further sweep leaves the set
    of zero coordinates unchanged, or after max_iter sweeps (the returned w is then the
    last iterate; its duality gap tells how far from optimal it is). Coordinate descent
    never raises the objective, so on the first rule the returned w is within
    tol * 1/2 ||y||^2 of the optimal objective (its own gap may be larger than that).
    """
    X, y = _design(X, y)
    lam = positive(lam, "lam")
    max_iter = positive_int(max_iter, "max_iter")
    check_cap(max_iter * X.size, MAX_WORK, "max_iter * X.size", "the cap on multiply-adds "
              "of the sweeps: it bounds the run time", "max_iter")
    check_cap(max_iter * X.shape[1], MAX_PY_STEPS, "max_iter * X.shape[1]", "the cap on "
              "coordinate updates, a Python loop: it bounds the run time", "max_iter")
    tol = positive(tol, "tol")
    d = X.shape[1]
    col_sq = [float(v) for v in np.einsum("ij,ij->j", X, X)]
    X = np.asfortranarray(X)  # contiguous columns for the coordinate updates
    w = np.zeros(d)
    r = y.copy()
    scale = max(0.5 * float(y @ y), np.finfo(float).tiny)
    polishing = False
    for _ in range(max_iter):
        support_changed = False
        for j in range(d):
            if col_sq[j] == 0.0:  # a zero column never helps the fit; its optimum is 0
                continue
            old = w[j]
            rho = float(X[:, j] @ r) + col_sq[j] * old
            # scalar soft-threshold S(rho, lam) / ||X_j||^2: exactly 0.0 when |rho| <= lam
            new = math.copysign(abs(rho) - lam, rho) / col_sq[j] if abs(rho) > lam else 0.0
            if new != old:
                r -= X[:, j] * (new - old)
                w[j] = new
                support_changed |= (old == 0.0) != (new == 0.0)
        if polishing and not support_changed:
            break
        # once the gap is small, sweep until the zero pattern settles: a coordinate whose
        # optimum is 0 may still hold a geometrically decaying remainder (e.g. 1e-17) that
        # the next update sets to exactly 0.0
        polishing = _lasso_gap(X, y, w, lam) <= tol * scale
    return w


def min_norm_least_squares(X, y) -> np.ndarray:
    """X^+ y: the least-squares solution of minimum Euclidean norm."""
    X, y = _design(X, y)
    return np.linalg.pinv(X) @ y


def least_squares_gd(X, y, *, eta: float, steps: int, w0=None) -> np.ndarray:
    """``steps`` gradient steps w <- w - eta X^T (X w - y) from w0 (default 0).

    Requires 0 < eta < 2 / ||X||_2^2 (otherwise the iteration does not converge).
    """
    X, y = _design(X, y)
    eta = positive(eta, "eta")
    steps = positive_int(steps, "steps")
    steps = positive_int(steps, "steps", cap=MAX_STEPS, reason="a cap on the run time")
    check_cap(steps * X.size, MAX_WORK, "steps * X.size", "the cap on multiply-adds of the "
              "steps: it bounds the run time", "steps")
    w = np.zeros(X.shape[1]) if w0 is None else real_vector(w0, "w0", length=X.shape[1]).copy()
    norm = float(np.linalg.norm(X, 2))
    top = norm * norm  # inf (not OverflowError, as ** would raise) when it overflows
    if eta * top >= 2.0:  # then the iteration diverges (or oscillates) along the top direction
        raise ValueError(f"eta={eta} must be < 2 / ||X||_2^2 = {2.0 / top:.6g} for gradient "
                         "descent on least squares to converge")
    for _ in range(steps):
        w = w - eta * (X.T @ (X @ w - y))
    return w


def random_relu_features(X, W, b) -> np.ndarray:
    """max(0, X W^T + b) / sqrt(p): p random ReLU features of the rows of X."""
    X = real_matrix(X)
    W = real_matrix(W, "W")
    if W.shape[1] != X.shape[1]:
        raise ValueError(f"W has {W.shape[1]} columns but X has {X.shape[1]} features")
    b = real_vector(b, "b", length=W.shape[0])
    return np.maximum(X @ W.T + b, 0.0) / np.sqrt(W.shape[0])


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
ridge = refuse_overflow(ridge, "X", "y", "lam")
soft_threshold = refuse_overflow(soft_threshold, "z", "t")
lasso = refuse_overflow(lasso, "X", "y", "lam", "max_iter", "tol")
min_norm_least_squares = refuse_overflow(min_norm_least_squares, "X", "y")
least_squares_gd = refuse_overflow(least_squares_gd, "X", "y", "eta", "steps", "w0")
random_relu_features = refuse_overflow(random_relu_features, "X", "W", "b")
