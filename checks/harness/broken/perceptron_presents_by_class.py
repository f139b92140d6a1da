"""Perceptron that presents the samples grouped by class (all +1 first, then -1) instead of
in the given order: a common "balancing" shortcut that hides order effects."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations import perceptron_train as _reference
import numpy as np

REJECTED_BY = ["novikoff-count-fixed-by-ratio"]


def perceptron_train(X, y, *, eta=1.0, bias=True, max_epochs=1000, w0=None, b0=0.0):
    X, y = np.asarray(X), np.asarray(y)
    order = np.argsort(-y, kind="stable")
    return _reference(X[order], y[order], eta=eta, bias=bias, max_epochs=max_epochs,
                      w0=w0, b0=b0)
