"""Rigorous interval versions of the §2 activations (mpmath.iv), and their self-tests.

The §2 checks certify inequalities (a non-affinity defect, Swish's minimum, the distance
between SiLU and GeLU, the sigmoid-difference bounds) with these enclosures. They never
call the implementation under test. mpmath.iv has ``exp`` but no ``erf``; the normal cdf
Phi is enclosed here from its Taylor series with an alternating-series remainder
(|t| <= 6) or from the Mills-ratio bounds phi(t) (1/t - 1/t^3) <= 1 - Phi(t) <= phi(t)/t
(t > 6). Every function returns an interval containing the exact image of its argument
interval: monotone functions through their endpoints, the others through interval
arithmetic (wider, still rigorous).
"""
from __future__ import annotations

import contextlib

import mpmath
import pytest
from mpmath import iv, mpf

pytestmark = pytest.mark.harness  # the self-tests below check the tool, not the article


@contextlib.contextmanager
def precision(bits: int = 120):
    """Run interval arithmetic at ``bits`` of precision, restoring the global setting."""
    old = iv.prec
    iv.prec = bits
    try:
        yield
    finally:
        iv.prec = old


def lo(x):
    """The lower endpoint as an exact point interval (never rounded to mp's precision)."""
    return x.a


def hi(x):
    """The upper endpoint as an exact point interval."""
    return x.b


def I(a, b=None):
    """The interval [a, b] (a point when b is None); a, b are exact decimal strings or
    floats (floats are exact binary numbers)."""
    return iv.mpf(a) if b is None else iv.mpf([a, b])


def _monotone(f_point, x):
    """f increasing: f([a, b]) = [f(a), f(b)], each endpoint enclosed rigorously."""
    return iv.mpf([lo(f_point(iv.mpf(x.a))), hi(f_point(iv.mpf(x.b)))])


def _sigmoid_point(t):
    return 1 / (1 + iv.exp(-t))


def sigmoid(x):
    return _monotone(_sigmoid_point, x)


def sigmoid_grad(x):
    """sigma'(x) = sigma(x) sigma(-x) by interval arithmetic (rigorous, not tight)."""
    return sigmoid(x) * sigmoid(-x)


def tanh(x):
    return _monotone(lambda t: 1 - 2 / (1 + iv.exp(2 * t)), x)


def relu(x):
    return iv.mpf([max(lo(x), 0), max(hi(x), 0)])


def leaky(x, alpha):
    """z for z >= 0, alpha z below (0 <= alpha): increasing."""
    a = iv.mpf(alpha)
    return _monotone(lambda t: t if lo(t) >= 0 else t * a, x)


def elu(x, alpha=1):
    a = iv.mpf(alpha)
    return _monotone(lambda t: t if lo(t) > 0 else a * (iv.exp(t) - 1), x)


def _phi_point(t):
    """Enclosure of Phi at the point interval t."""
    s = lo(t)
    if abs(s) > 6:  # s is exact, so the comparisons below are decided
        u = iv.mpf(abs(s))
        pdf = iv.exp(-u * u / 2) / iv.sqrt(2 * iv.pi)
        upper_tail = iv.mpf([lo(pdf * (1 / u - 1 / u ** 3)), hi(pdf / u)])  # 1 - Phi(|s|)
        return 1 - upper_tail if s > 0 else upper_tail
    total, n = iv.mpf(0), 0
    term = t  # t^(2n+1) / (2^n n!), the series' n-th term before the 1 / (2n+1)
    while True:
        total += (-1) ** n * term / (2 * n + 1)
        n += 1
        term = term * t * t / (2 * n)
        nxt = max(abs(lo(term)), abs(hi(term))) / (2 * n + 1)  # thin: an exact bound
        # term ratio s^2 (2n+1) / (2 (n+1)(2n+3)) < s^2 / (2 (n+1)) <= 1 once 2n >= s^2:
        # from there the terms shrink, so the alternating remainder is at most the first
        # omitted term
        if 2 * n >= hi(s * s) and hi(nxt) < mpf(2) ** (-iv.prec):
            break
        if n > 400:  # never reached for |s| <= 6; a guard, not a tolerance
            raise RuntimeError("Phi series did not converge")
    total += iv.mpf([-hi(nxt), hi(nxt)])
    return iv.mpf("0.5") + total / iv.sqrt(2 * iv.pi)


def Phi(x):
    return _monotone(_phi_point, x)


def phi(x):
    return iv.exp(-x * x / 2) / iv.sqrt(2 * iv.pi)


def gelu(x):
    return x * Phi(x)


def gelu_grad(x):
    return Phi(x) + x * phi(x)


def gelu_tanh(x):
    u = iv.sqrt(2 / iv.pi) * (x + iv.mpf("0.044715") * x ** 3)
    return x * sigmoid(2 * u)  # 0.5 z (1 + tanh u) = z sigma(2u)


def silu(x):
    return x * sigmoid(x)


def silu_grad(x):
    return sigmoid(x) * (1 + x * sigmoid(-x))


ZOO = {  # the witness functions of the collapse check, with the zoo's default parameters
    "sigmoid": sigmoid, "tanh": tanh, "relu": relu,
    "leaky_relu": lambda x: leaky(x, "0.01"), "prelu": lambda x: leaky(x, "0.25"),
    "elu": elu, "gelu": gelu, "gelu_tanh": gelu_tanh, "silu": silu,
}


# -- self-tests: every enclosure contains the 50-digit value ------------------------------
POINTS = ["-40", "-7.5", "-6", "-2.3", "-1", "-0.001", "0", "0.5", "1.7", "5.9", "6.1", "30"]


def _reference(name, s):
    z = mpmath.mpf(s)
    sig = 1 / (1 + mpmath.exp(-z))
    ref = {"sigmoid": sig, "tanh": mpmath.tanh(z), "relu": max(z, 0),
           "leaky_relu": z if z >= 0 else z / 100, "prelu": z if z >= 0 else z / 4,
           "elu": z if z > 0 else mpmath.expm1(z), "gelu": z * mpmath.ncdf(z),
           # 0.5 z (1 + tanh u) = z / (1 + e^-2u): the left side cancels to 0 for z << 0
           "gelu_tanh": z / (1 + mpmath.exp(-2 * mpmath.sqrt(2 / mpmath.pi)
                                           * (z + mpmath.mpf("0.044715") * z ** 3))),
           "silu": z * sig}
    return +ref[name]  # unary plus rounds to the caller's working precision


@pytest.mark.parametrize("name", sorted(ZOO))
def test_interval_zoo_encloses_50_digit_values(name):
    with precision(120), mpmath.workdps(50):
        for s in POINTS:
            enc = ZOO[name](I(s))
            ref = _reference(name, s)
            assert lo(enc) <= ref and ref <= hi(enc), f"{name}({s}) = {ref} not in {enc}"
            # tight where it matters; Phi's Mills-ratio tails (|z| > 6) are only ~1/z^2
            # relative, and they multiply values below 1e-9
            rel = mpf(10) ** -25 if abs(mpf(s)) <= 6 or name not in ("gelu",) else mpf("0.03")
            assert hi(enc) - lo(enc) <= rel * (1 + abs(ref)), f"{name}({s}) loose: {enc}"


def test_interval_phi_encloses_ncdf_on_wide_and_point_intervals():
    with precision(120), mpmath.workdps(50):
        for s in POINTS:
            enc = Phi(I(s))
            ref = mpmath.ncdf(mpmath.mpf(s))
            assert lo(enc) <= ref and ref <= hi(enc), f"Phi({s}) = {ref} not in {enc}"
        wide = Phi(I(-1, 2))
        assert lo(wide) <= mpmath.ncdf(-1) and mpmath.ncdf(2) <= hi(wide)
