"""he_normal that passes the variance 2 / fan_in as the standard deviation."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.init import _args

REJECTED_BY = ["he-initialisers-have-variance-two-over-fan-in",
               "singular-values-concentrate-at-sigma-sqrt-fan-in",
               "deep-stack-activation-scale-by-scheme"]


def he_normal(fan_in, fan_out, *, rng):
    n, m = _args(fan_in, fan_out, rng)
    return rng.normal(0.0, 2.0 / n, size=(m, n))
