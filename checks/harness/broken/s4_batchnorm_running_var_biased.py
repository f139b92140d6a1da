"""BatchNorm whose running variance averages the biased sigma_B^2 (the article's literal
'running average of sigma^2'), not PyTorch's unbiased estimate."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.normalization import batchnorm_train as _reference
import numpy as np

REJECTED_BY = ["batchnorm-running-averages-of-batch-statistics"]


def batchnorm_train(x, gamma, beta, running_mean, running_var, *, momentum, eps):
    y, rm, _ = _reference(x, gamma, beta, running_mean, running_var, momentum=momentum, eps=eps)
    X = np.asarray(x, dtype=float)
    rv = (1 - momentum) * np.asarray(running_var, dtype=float) + momentum * X.var(axis=0)
    return y, rm, rv
