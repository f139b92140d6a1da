"""xavier_normal whose variance is 5% too small."""
import math

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.init import _args

REJECTED_BY = ["xavier-initialisers-have-variance-two-over-fan-sum"]


def xavier_normal(fan_in, fan_out, *, rng, gain=1.0):
    n, m = _args(fan_in, fan_out, rng)
    return rng.normal(0.0, gain * math.sqrt(0.95 * 2.0 / (n + m)), size=(m, n))
