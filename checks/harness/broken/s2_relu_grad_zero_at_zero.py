"""ReLU derivative with PyTorch's convention relu'(0) = 0 instead of the article's 1."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["relu-row-grad-one-positive-zero-negative"]


def relu_grad(z):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)
