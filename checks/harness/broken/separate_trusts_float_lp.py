"""Separability by a float LP with a loose tolerance: calls near-separable sets
separable and returns a hyperplane that is only approximately separating."""
from implementations import *  # noqa: F401,F403
from implementations.separability import Separable
import numpy as np

REJECTED_BY = ["xor-sign-constraints-infeasible", "separable-iff-hulls-disjoint"]


def separate(points, labels):
    X = np.asarray(points, dtype=float)
    y = np.asarray(labels, dtype=float)
    # least squares fit of y ~ w.x + b, rounded: "good enough" on easy data
    A = np.hstack([X, np.ones((len(X), 1))])
    sol, *_ = np.linalg.lstsq(A, y, rcond=None)
    ints = np.round(sol * 1000).astype(int)
    return Separable(w=tuple(int(v) for v in ints[:-1]), b=int(ints[-1]))
