"""Textbook sigmoid 1 / (1 + exp(-z)): exp overflows for z < -709."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["zoo-implementations-finite-for-every-float"]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
