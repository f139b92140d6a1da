"""he_normal scaled by the fan-out (variance 2 / fan_out): right for square layers only."""
import math

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.init import _args

REJECTED_BY = ["he-initialisers-have-variance-two-over-fan-in",
               "initialised-layer-propagates-variance-as-derived"]


def he_normal(fan_in, fan_out, *, rng):
    n, m = _args(fan_in, fan_out, rng)
    return rng.normal(0.0, math.sqrt(2.0 / m), size=(m, n))
