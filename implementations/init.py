"""Xavier (Glorot) and He (Kaiming) weight initialisers (article §4.2).

Every initialiser returns a float64 array of shape ``(fan_out, fan_in)``: the article's
``W in R^{m x n}`` maps an n-dimensional input to an m-dimensional output, so the fan-in
n is the number of columns and the fan-out m the number of rows. Entries are i.i.d. with
mean 0 and variance

==================  ===========================  ====================================
scheme              variance sigma_w^2           distribution
==================  ===========================  ====================================
``xavier_normal``   gain^2 * 2 / (n + m)          N(0, sigma_w^2)
``xavier_uniform``  gain^2 * 2 / (n + m)          U(-a, a), a = sqrt(3 sigma_w^2)
``he_normal``       2 / n                         N(0, sigma_w^2)
``he_uniform``      2 / n                         U(-a, a), a = sqrt(3 sigma_w^2)
==================  ===========================  ====================================

(``U(-a, a)`` has variance a^2 / 3, hence a = sqrt(6 / (n + m)) for Xavier and
sqrt(6 / n) for He.) These match ``torch.nn.init.xavier_*_`` and ``kaiming_*_`` with
their defaults (mode ``fan_in``, gain sqrt(2) for ReLU). Randomness comes only from the
``rng`` argument (a ``numpy.random.Generator``).
"""
from __future__ import annotations

import math

import numpy as np

from ._validate import MAX_ELEMENTS, check_cap, positive, positive_int, refuse_overflow

__protocol__ = ["xavier_normal", "xavier_uniform", "he_normal", "he_uniform"]

#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    **{n: [dict(fan_in=3, fan_out=2, rng=np.random.default_rng(0), gain=1.5)]
       for n in ("xavier_normal", "xavier_uniform")},
    **{n: [dict(fan_in=3, fan_out=2, rng=np.random.default_rng(0))]
       for n in ("he_normal", "he_uniform")},
}


def _args(fan_in, fan_out, rng) -> tuple[int, int]:
    n = positive_int(fan_in, "fan_in")
    m = positive_int(fan_out, "fan_out")
    check_cap(n * m, MAX_ELEMENTS, "fan_in * fan_out", "the cap on the entries of the "
              "returned matrix: 256 MiB of float64", "fan_in, fan_out")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return n, m


def _gain(gain) -> float:
    g = positive(gain, "gain")
    if not g <= _MAX_GAIN:
        raise ValueError(f"gain must be <= {_MAX_GAIN:g} (beyond it the range of a uniform "
                         f"draw or a normal sample overflows float64), got {g!r}")
    return g


_MAX_GAIN = 1e150


def xavier_normal(fan_in, fan_out, *, rng, gain: float = 1.0) -> np.ndarray:
    """W ~ N(0, gain^2 * 2 / (fan_in + fan_out)), shape (fan_out, fan_in)."""
    n, m = _args(fan_in, fan_out, rng)
    std = _gain(gain) * math.sqrt(2.0 / (n + m))
    return rng.normal(0.0, std, size=(m, n))


def xavier_uniform(fan_in, fan_out, *, rng, gain: float = 1.0) -> np.ndarray:
    """W ~ U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)), shape (fan_out, fan_in)."""
    n, m = _args(fan_in, fan_out, rng)
    a = _gain(gain) * math.sqrt(6.0 / (n + m))
    return rng.uniform(-a, a, size=(m, n))


def he_normal(fan_in, fan_out, *, rng) -> np.ndarray:
    """W ~ N(0, 2 / fan_in), shape (fan_out, fan_in)."""
    n, m = _args(fan_in, fan_out, rng)
    return rng.normal(0.0, math.sqrt(2.0 / n), size=(m, n))


def he_uniform(fan_in, fan_out, *, rng) -> np.ndarray:
    """W ~ U(-a, a) with a = sqrt(6 / fan_in), shape (fan_out, fan_in)."""
    n, m = _args(fan_in, fan_out, rng)
    a = math.sqrt(6.0 / n)
    return rng.uniform(-a, a, size=(m, n))


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
xavier_normal = refuse_overflow(xavier_normal, "fan_in", "fan_out", "rng", "gain")
xavier_uniform = refuse_overflow(xavier_uniform, "fan_in", "fan_out", "rng", "gain")
he_normal = refuse_overflow(he_normal, "fan_in", "fan_out", "rng")
he_uniform = refuse_overflow(he_uniform, "fan_in", "fan_out", "rng")
