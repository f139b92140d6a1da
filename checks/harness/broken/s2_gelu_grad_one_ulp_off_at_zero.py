"""GeLU derivative whose value at 0 is one ulp above the table's 1/2 (as a Phi computed
through a rounded intermediate would give): a tolerance-based check accepts it, the
article's exact table value rejects it."""
import numpy as np

from implementations import *  # noqa: F401,F403
from implementations import gelu_grad as _gelu_grad

REJECTED_BY = ["gelu-row-grad-half-at-zero-smooth"]


def gelu_grad(z):
    g = np.array(_gelu_grad(z), dtype=float)
    return np.where(np.asarray(z, dtype=float) == 0, np.nextafter(0.5, 1.0), g)
