"""Ridge that penalises (lam/2) ||w||^2 although it documents lam ||w||^2 (a mix-up
between the 1/2 ||y - X w||^2 + (lam/2) ||w||^2 and ||y - X w||^2 + lam ||w||^2 scales)."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["l2-penalty-is-map-under-gaussian-prior",
               "expected-mse-decomposes-over-d-and-fresh-label",
               "l1-zeroes-coordinates-l2-only-shrinks"]


def ridge(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam / 2 * np.eye(X.shape[1]), X.T @ y)
