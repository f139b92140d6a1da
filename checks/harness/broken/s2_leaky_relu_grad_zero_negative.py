"""Leaky ReLU derivative that returns ReLU's 0 on the negative half."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["leaky-relu-has-nonzero-grad-everywhere"]


def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z, dtype=float) >= 0, 1.0, 0.0)
