"""Leaky ReLU that declares the left derivative (alpha) at its kink but returns the right
one (1): a declared convention is a promise the checks test exactly."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["leaky-relu-has-nonzero-grad-everywhere"]

CONVENTIONS = {"leaky_relu_grad_at_0": "left"}


def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z, dtype=float) >= 0, 1.0, alpha)
