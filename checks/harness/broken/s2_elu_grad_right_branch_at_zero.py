"""ELU derivative that puts z = 0 in the linear branch (ELU'(0) = 1), not the article's
z <= 0 branch alpha (e^z - 1), whose slope at 0 is alpha."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["elu-value-and-branch-at-zero"]


def elu_grad(z, alpha: float = 1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))
