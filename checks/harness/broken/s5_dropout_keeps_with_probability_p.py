"""Dropout training that keeps each unit with probability p (drops with 1 - p): p read
as the keep probability, as in some older code."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["dropout-train-drops-each-unit-independently-with-probability-p",
               "dropout-conventions-agree-in-expectation"]


def dropout_train(h, p, *, rng, inverted=False):
    h = np.asarray(h, dtype=float)
    mask = (rng.random(h.shape) < p).astype(float)
    out = mask * h
    return (out / (1 - p) if inverted else out), mask
