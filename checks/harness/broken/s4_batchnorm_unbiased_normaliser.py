"""BatchNorm that normalises with the unbiased batch variance B/(B-1) sigma^2 (the estimator
meant for the running average), not the article's biased sigma^2."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.normalization import batchnorm_train as _reference

REJECTED_BY = ["batchnorm-output-has-zero-mean-unit-variance",
               "affine-sets-any-output-mean-and-variance"]


def batchnorm_train(x, gamma, beta, running_mean, running_var, *, momentum, eps):
    _, rm, rv = _reference(x, gamma, beta, running_mean, running_var, momentum=momentum, eps=eps)
    X = np.asarray(x, dtype=float)
    var = X.var(axis=0, ddof=1)
    y = np.asarray(gamma) * (X - X.mean(axis=0)) / np.sqrt(var + eps) + np.asarray(beta)
    return y, rm, rv
