"""xavier_uniform whose bound gives 5% too little variance (a = sqrt(0.95 * 6 / (n + m))):
stays inside the correct bound, so only the Hoeffding variance test can see it."""
import math

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.init import _args

REJECTED_BY = ["xavier-initialisers-have-variance-two-over-fan-sum"]


def xavier_uniform(fan_in, fan_out, *, rng, gain=1.0):
    n, m = _args(fan_in, fan_out, rng)
    a = gain * math.sqrt(0.95 * 6.0 / (n + m))
    return rng.uniform(-a, a, size=(m, n))
