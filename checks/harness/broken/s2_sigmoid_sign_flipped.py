"""Sigmoid with the sign of the exponent flipped: 1 / (1 + exp(z)), a decreasing curve."""
import numpy as np

from implementations import *  # noqa: F401,F403
from implementations import sigmoid as _reference

REJECTED_BY = ["steep-sigmoid-tends-to-step-at-c", "saturation-limits-of-sigmoid-and-tanh",
               "zoo-implementations-finite-for-every-float"]


def sigmoid(z):
    return _reference(-np.asarray(z, dtype=float))
