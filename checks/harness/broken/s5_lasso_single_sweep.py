"""Lasso that makes one coordinate-descent sweep and returns (max_iter and tol ignored)."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations import lasso as _reference

REJECTED_BY = ["lasso-solver-reaches-kkt-point-with-exact-zeros",
               "l1-penalty-is-map-under-laplace-prior"]


def lasso(X, y, lam, *, max_iter=10_000, tol=1e-10):
    return _reference(X, y, lam, max_iter=1, tol=tol)
