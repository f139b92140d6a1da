"""'Hard sigmoid' clip(0.5 + z/4, 0, 1) in place of the logistic function."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["output-and-gate-activation-ranges", "zoo-implementations-finite-for-every-float"]


def sigmoid(z):
    return np.clip(0.5 + 0.25 * np.asarray(z, dtype=float), 0.0, 1.0)
