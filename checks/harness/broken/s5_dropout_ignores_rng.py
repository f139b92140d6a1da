"""Dropout training that ignores the caller's generator and draws from a fixed seed.

Within one call its mask is i.i.d. Bernoulli(1 - p), so single-call tests pass; but every
call returns the same mask, so successive mini-batches train the same sub-networks."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["dropout-train-drops-each-unit-independently-with-probability-p"]


def dropout_train(h, p, *, rng, inverted=False):
    h = np.asarray(h, dtype=float)
    mask = (np.random.default_rng(0).random(h.shape) >= p).astype(float)
    out = mask * h
    return (out / (1 - p) if inverted else out), mask
