"""Perceptron that forgets to update the bias (b stays at its initial value)."""
from implementations import *  # noqa: F401,F403
from implementations import perceptron_train as _reference

REJECTED_BY = ["worked-two-point-example", "bias-absorption-same-trajectory",
               "updates-only-on-mistakes", "perceptron-no-loss-or-gradient"]


def perceptron_train(X, y, *, eta=1.0, bias=True, max_epochs=1000, w0=None, b0=0.0):
    return _reference(X, y, eta=eta, bias=False, max_epochs=max_epochs, w0=w0, b0=b0)
