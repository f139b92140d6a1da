"""Training-mode BatchNorm that centres with the (updated) running mean instead of the batch
mean: a bias before the layer no longer cancels and the output mean is not beta."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.normalization import batchnorm_train as _reference

REJECTED_BY = ["bias-before-normalisation-is-redundant",
               "affine-sets-any-output-mean-and-variance"]


def batchnorm_train(x, gamma, beta, running_mean, running_var, *, momentum, eps):
    _, rm, rv = _reference(x, gamma, beta, running_mean, running_var, momentum=momentum, eps=eps)
    X = np.asarray(x, dtype=float)
    y = np.asarray(gamma) * (X - rm) / np.sqrt(X.var(axis=0) + eps) + np.asarray(beta)
    return y, rm, rv
