"""Sigmoid that flattens its input (a 2-D batch comes back 1-D): right on vectors, wrong
on every batch of more than one dimension."""
import numpy as np

from implementations import *  # noqa: F401,F403
from implementations import sigmoid as _sigmoid

REJECTED_BY = ["zoo-implementations-finite-for-every-float"]


def sigmoid(z):
    return _sigmoid(np.ravel(np.asarray(z, dtype=float)))
