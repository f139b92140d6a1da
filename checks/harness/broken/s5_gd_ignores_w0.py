"""Least-squares gradient descent that always starts from zero (w0 silently ignored)."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations import least_squares_gd as _reference

REJECTED_BY = ["sgd-prefers-min-norm-interpolant"]


def least_squares_gd(X, y, *, eta, steps, w0=None):
    return _reference(X, y, eta=eta, steps=steps)
