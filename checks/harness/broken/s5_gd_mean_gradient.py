"""Least-squares gradient descent that averages the gradient over the N samples
(w <- w - eta X^T (X w - y) / N): the documented step is eta X^T (X w - y), so it
converges N times more slowly than the step size promises."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["gd-from-zero-converges-to-min-norm-interpolant"]


def least_squares_gd(X, y, *, eta, steps, w0=None):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float).copy()
    for _ in range(steps):
        w = w - eta * (X.T @ (X @ w - y)) / X.shape[0]
    return w
