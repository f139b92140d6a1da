"""he_normal whose variance is 5% too large (std sqrt(2.1 / fan_in) instead of sqrt(2 / fan_in)):
the smallest error the variance checks must see."""
import math

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.init import _args

REJECTED_BY = ["he-initialisers-have-variance-two-over-fan-in"]


def he_normal(fan_in, fan_out, *, rng):
    n, m = _args(fan_in, fan_out, rng)
    return rng.normal(0.0, math.sqrt(1.05 * 2.0 / n), size=(m, n))
