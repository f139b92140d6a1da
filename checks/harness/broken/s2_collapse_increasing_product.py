"""linear_collapse with the article's product read left to right in increasing index:
b~ = sum_l (W_{l+1} ... W_L) b_l."""
import numpy as np

from implementations import *  # noqa: F401,F403
from implementations import linear_collapse as _reference

REJECTED_BY = ["deep-linear-mlp-collapse-formula"]


def linear_collapse(weights, biases):
    W_t, _ = _reference(weights, biases)
    Ws = [np.asarray(W, dtype=float) for W in weights]
    b_t = 0
    for l, b in enumerate(biases):
        P = np.eye(len(b))
        for W in Ws[l + 1:]:
            P = P @ W  # raises for non-square layers: a rejected check as well
        b_t = b_t + P @ np.asarray(b, dtype=float)
    return W_t, b_t
