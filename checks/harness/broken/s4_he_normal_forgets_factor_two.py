"""he_normal without He's factor 2 (variance 1 / fan_in, LeCun's value): ReLU stacks halve."""
import math

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.init import _args

REJECTED_BY = ["he-initialisers-have-variance-two-over-fan-in",
               "initialised-layer-propagates-variance-as-derived",
               "deep-stack-activation-scale-by-scheme"]


def he_normal(fan_in, fan_out, *, rng):
    n, m = _args(fan_in, fan_out, rng)
    return rng.normal(0.0, math.sqrt(1.0 / n), size=(m, n))
