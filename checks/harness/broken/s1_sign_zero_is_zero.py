"""The perceptron's sign taken from numpy: np.sign(0) = 0, so a point on the hyperplane
gets no class at all instead of the article's +1."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
import numpy as np

REJECTED_BY = ["sign-of-zero-is-plus-one"]


def sign_activation(z):
    return np.sign(np.asarray(z, dtype=float))
