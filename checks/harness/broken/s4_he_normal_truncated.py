"""he_normal drawn from a normal truncated at 2 standard deviations and rescaled to the
right variance 2 / fan_in (the convention of Keras' ``HeNormal``): every variance test
passes, but the law is not the normal the claim names (sup CDF distance 0.0167)."""
import math

import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.init import _args

REJECTED_BY = ["he-initialisers-have-variance-two-over-fan-in"]

# sd of N(0, 1) truncated to [-2, 2]; dividing by it restores unit variance
_TRUNCATED_SD = 0.87962566103423978


def he_normal(fan_in, fan_out, *, rng):
    n, m = _args(fan_in, fan_out, rng)
    size = m * n
    out = []
    while size > 0:  # rejection sampling: ~95% of N(0, 1) draws land in [-2, 2]
        z = rng.standard_normal(size + size // 10 + 16)
        z = z[np.abs(z) <= 2.0][:size]
        out.append(z)
        size -= z.size
    z = np.concatenate(out)
    return (z * math.sqrt(2.0 / n) / _TRUNCATED_SD).reshape(m, n)
