"""LayerNorm that takes the statistics over the batch axis (BatchNorm's axis) instead of each
sample's features."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["layernorm-is-independent-of-the-batch"]


def layernorm(x, gamma, beta, *, eps):
    X = np.asarray(x, dtype=float)
    if X.ndim == 1:
        X = X[None, :]
        single = True
    else:
        single = False
    mu, var = X.mean(axis=0), X.var(axis=0)
    y = np.asarray(gamma) * (X - mu) / np.sqrt(var + eps) + np.asarray(beta)
    return y[0] if single else y
