"""Dropout training that draws one mask per mini-batch and shares it across examples."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["dropout-mask-per-minibatch-trains-one-subnetwork"]


def dropout_train(h, p, *, rng, inverted=False):
    h = np.asarray(h, dtype=float)
    mask = np.broadcast_to((rng.random(h.shape[-1]) >= p).astype(float), h.shape).copy()
    out = mask * h
    return (out / (1 - p) if inverted else out), mask
