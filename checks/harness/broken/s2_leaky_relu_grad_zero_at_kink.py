"""Leaky ReLU derivative that is 0 at the kink z = 0 (a dead point): neither one-sided
derivative (alpha, 1), so it breaks "every input has a non-zero gradient" whatever the
kink convention."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["leaky-relu-has-nonzero-grad-everywhere",
               "zoo-implementations-finite-for-every-float"]


def leaky_relu_grad(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, np.where(z < 0, alpha, 0.0))
