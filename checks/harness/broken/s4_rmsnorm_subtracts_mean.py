"""RMSNorm that centres the sample first (LayerNorm without beta under RMSNorm's name)."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["rmsnorm-does-not-centre"]


def rmsnorm(x, gamma, *, eps):
    X = np.asarray(x, dtype=float)
    c = X - X.mean(axis=-1, keepdims=True)
    return np.asarray(gamma) * c / np.sqrt((c**2).mean(axis=-1, keepdims=True) + eps)
