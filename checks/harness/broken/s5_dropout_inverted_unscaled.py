"""Inverted dropout that forgets the 1 / (1 - p) rescaling in training (identity at
inference, so train and inference disagree in expectation)."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["dropout-train-drops-each-unit-independently-with-probability-p",
               "dropout-conventions-agree-in-expectation"]


def dropout_train(h, p, *, rng, inverted=False):
    h = np.asarray(h, dtype=float)
    mask = (rng.random(h.shape) >= p).astype(float)
    return mask * h, mask
