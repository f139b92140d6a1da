"""gradient_descent steps by eta/2 (the 1/2 of x^T A x / 2 applied twice)."""
from implementations import *  # noqa: F401,F403
from implementations import gradient_descent as _gd

REJECTED_BY = ["gd-on-quadratic-converges-iff-eta-below-two-over-lmax",
               "gd-too-large-step-overshoots-too-small-is-slow"]


def gradient_descent(grad, x0, *, eta, steps):
    return _gd(grad, x0, eta=eta / 2, steps=steps)
