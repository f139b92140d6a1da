"""batchnorm_eval that normalises with the batch's own statistics (training behaviour at
inference)."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["batchnorm-train-depends-on-batch-eval-does-not",
               "affine-undoes-normalisation-exactly"]


def batchnorm_eval(x, gamma, beta, running_mean, running_var, *, eps):
    X = np.asarray(x, dtype=float)
    mu, var = X.mean(axis=0), X.var(axis=0)
    return np.asarray(gamma) * (X - mu) / np.sqrt(var + eps) + np.asarray(beta)
