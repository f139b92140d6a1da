"""'Minimum-norm' least squares that returns a basic solution: least squares on the first
min(N, p) columns, zeros elsewhere (an interpolant, but not the smallest one)."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["gd-from-zero-converges-to-min-norm-interpolant",
               "min-norm-fit-interpolates-from-rank-threshold"]


def min_norm_least_squares(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    k = min(X.shape)
    w = np.zeros(X.shape[1])
    w[:k] = np.linalg.lstsq(X[:, :k], y, rcond=None)[0]
    return w
