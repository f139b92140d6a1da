"""Random features that forget the ReLU: (X W^T + b) / sqrt(p) is affine in x, so the
feature matrix never exceeds rank d + 1 and the model never interpolates."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["double-descent-peak-at-interpolation-threshold",
               "second-descent-below-classical-optimum",
               "classical-picture-holds-up-to-order-n-parameters"]


def random_relu_features(X, W, b):
    X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
    return (X @ W.T + b) / np.sqrt(W.shape[0])
