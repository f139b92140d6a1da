"""ELU that ignores alpha on the negative side: e^z - 1 whatever alpha is."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["elu-tends-to-minus-alpha-bounded-below", "elu-differentiable-everywhere"]


def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))
