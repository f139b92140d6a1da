"""he_uniform whose variance is 5% too large (a = sqrt(1.05 * 6 / fan_in))."""
import math

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.init import _args

REJECTED_BY = ["he-initialisers-have-variance-two-over-fan-in"]


def he_uniform(fan_in, fan_out, *, rng):
    n, m = _args(fan_in, fan_out, rng)
    a = math.sqrt(1.05 * 6.0 / n)
    return rng.uniform(-a, a, size=(m, n))
