"""Perceptron that ignores the starting point it is given (w0, b0) and always starts from
zero: right for the article's default start, wrong for every other."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations import perceptron_train as _reference

REJECTED_BY = ["updates-only-on-mistakes"]


def perceptron_train(X, y, *, eta=1.0, bias=True, max_epochs=1000, w0=None, b0=0.0):
    return _reference(X, y, eta=eta, bias=bias, max_epochs=max_epochs)
