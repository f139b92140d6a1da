"""Dropout inference that multiplies by p instead of the keep probability 1 - p."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["dropout-inference-scales-by-one-minus-p",
               "dropout-conventions-agree-in-expectation",
               "dropout-expected-logits-equal-scaled-logits",
               "dropout-masks-index-2-to-the-n-subnetworks",
               "weight-scaling-equals-normalised-geometric-mean",
               "dropout-inference-is-ensemble-average"]


def dropout_eval(h, p, *, inverted=False):
    h = np.asarray(h, dtype=float)
    return h.copy() if inverted else p * h
