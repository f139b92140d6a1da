"""gradient_descent scales the gradient by eta and then steps by eta again (eta^2 in all):
exact at eta = 1, so only checks with step sizes other than 1 can see it."""
from implementations import *  # noqa: F401,F403
from implementations import gradient_descent as _gd

REJECTED_BY = ["gd-on-quadratic-converges-iff-eta-below-two-over-lmax",
               "gd-too-large-step-overshoots-too-small-is-slow"]


def gradient_descent(grad, x0, *, eta, steps):
    return _gd(grad, x0, eta=eta * eta, steps=steps)
