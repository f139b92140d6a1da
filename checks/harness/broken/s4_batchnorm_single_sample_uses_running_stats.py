"""batchnorm_train that, given a batch of one sample, falls back to the running statistics
(eval-mode normalisation) instead of refusing the batch or returning beta: a one-sample
batch then comes out neither as x - mu = 0 nor as an error."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations import normalization as _ref

REJECTED_BY = ["batchnorm-batch-statistics-noisier-for-small-batches"]


def batchnorm_train(x, gamma, beta, running_mean, running_var, *, momentum, eps):
    X = np.asarray(x, dtype=float)
    if X.ndim == 2 and X.shape[0] == 1:
        y = _ref.batchnorm_eval(X, gamma, beta, running_mean, running_var, eps=eps)
        return y, np.asarray(running_mean, float), np.asarray(running_var, float)
    return _ref.batchnorm_train(x, gamma, beta, running_mean, running_var, momentum=momentum,
                                eps=eps)
