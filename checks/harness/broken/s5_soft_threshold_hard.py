"""Hard thresholding in place of soft: z 1[|z| > t] (keeps the survivors unshrunk)."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["scalar-l1-solution-is-soft-threshold"]


def soft_threshold(z, t):
    z = np.asarray(z, dtype=float)
    return np.where(np.abs(z) > t, z, 0.0)
