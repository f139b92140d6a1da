"""PReLU's derivative in alpha taken as max(0, z) instead of min(0, z)."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["prelu-is-leaky-relu-with-learnable-slope"]


def prelu_alpha_grad(z, alpha):
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + 0.0 * np.asarray(alpha, dtype=float)
