"""tanh derivative with the square forgotten: 1 - tanh(z)."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["tanh-row-grad-one-at-zero-vanishing-tails",
               "zoo-derivatives-match-symbolic-and-finite-differences"]


def tanh_grad(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float))
