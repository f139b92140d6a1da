"""ReLU derivative that leaks 0.01 on the negative half (Leaky ReLU's, copied by mistake)."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["dying-region-is-exact-zero-saturation-is-not",
               "relu-row-grad-one-positive-zero-negative"]


def relu_grad(z):
    return np.where(np.asarray(z, dtype=float) >= 0, 1.0, 0.01)
