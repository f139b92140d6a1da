"""xavier_normal with variance 1 / (fan_in + fan_out), Glorot's 2 dropped: a square layer
gets half the variance, and tanh stacks fade faster than the mean-field map predicts."""
import math

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.init import _args

REJECTED_BY = ["xavier-initialisers-have-variance-two-over-fan-sum",
               "deep-stack-activation-scale-by-scheme",
               "xavier-keeps-tanh-variance-across-depth"]


def xavier_normal(fan_in, fan_out, *, rng, gain=1.0):
    n, m = _args(fan_in, fan_out, rng)
    return rng.normal(0.0, gain * math.sqrt(1.0 / (n + m)), size=(m, n))
