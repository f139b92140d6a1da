"""The activation zoo of article §2.4, with derivatives, stable for every finite float64.

Every function maps a numpy array (or scalar) ``z`` elementwise to a float64 array of the
same shape; every ``*_grad`` is the derivative in ``z`` with the same parameters.

=============  =====================================  =====================================
name           sigma(z)                               sigma'(z)
=============  =====================================  =====================================
sigmoid        1 / (1 + e^-z)                         sigmoid(z) sigmoid(-z)
tanh           tanh z                                 1 / cosh^2 z
relu           max(0, z)                              1 if z >= 0 else 0   (see below)
leaky_relu     z if z >= 0 else alpha z  (0<alpha<1)  1 if z >= 0 else alpha
prelu          max(0, z) + alpha min(0, z)            1 if z >= 0 else alpha
elu            z if z > 0 else alpha (e^z - 1)        1 if z > 0 else alpha e^z
gelu           z Phi(z)   (Phi: standard normal cdf)  Phi(z) + z phi(z)
gelu_tanh      z sigmoid(2u), u = c (z + 0.044715 z^3), c = sqrt(2/pi)
silu           z sigmoid(z)   (Swish with beta = 1)   sigmoid(z) (1 + z sigmoid(-z))
=============  =====================================  =====================================

Conventions at kinks (the derivative does not exist there; one value is chosen):

* ``relu_grad(0) = 1``: the article's table gives ReLU'(0) = 1 "by convention" (the right
  derivative). PyTorch and JAX return 0 there; the one-sided derivatives are 0 and 1.
* ``leaky_relu_grad(0) = prelu_grad(0) = 1``, the same right-derivative convention.
* ``elu_grad(0) = alpha``: the article puts z = 0 in the exponential branch, whose
  derivative at 0 is alpha; for alpha = 1 ELU is differentiable at 0 and this is exact.

``gelu_tanh`` uses ``0.5 z (1 + tanh u) = z sigmoid(2u)``: the right-hand side does not
cancel catastrophically for z << 0. ``prelu_alpha_grad`` is the derivative in the
learnable ``alpha`` (``min(0, z)``), which is what makes PReLU's slope learnable.

Stability: no overflow, division by zero or invalid operation for any finite input (each
exponential sees a non-positive argument, each polynomial a clipped one); results are
finite, and the saturating ones keep relative accuracy in their tails. The one exception
is inherent: ``prelu`` with |alpha| > 1 overflows exactly when the true value
|alpha z| exceeds the float64 range; it then raises a ValueError naming z and alpha.
"""
from __future__ import annotations

import math
import numpy as np

from ._validate import float_array, real_scalar, refuse_overflow
from scipy import special

__protocol__ = ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "gelu", "gelu_tanh",
                "silu", "sigmoid_grad", "tanh_grad", "relu_grad", "leaky_relu_grad",
                "prelu_grad", "elu_grad", "gelu_grad", "gelu_tanh_grad", "silu_grad",
                "prelu_alpha_grad"]

#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    **{n: [dict(z=np.array([0.5, -1.5, 0.0]))] for n in ("sigmoid", "tanh", "relu", "gelu", "gelu_tanh", "silu",
                                   "sigmoid_grad", "tanh_grad", "relu_grad", "gelu_grad",
                                   "gelu_tanh_grad", "silu_grad")},
    **{n: [dict(z=np.array([0.5, -1.5, 0.0]), alpha=0.1)] for n in ("leaky_relu", "leaky_relu_grad", "elu",
                                              "elu_grad")},
    **{n: [dict(z=np.array([0.5, -1.5, 0.0]), alpha=0.25), dict(z=np.array([[0.5, -1.5]]), alpha=np.array([0.1, 0.2]))]
       for n in ("prelu", "prelu_grad", "prelu_alpha_grad")},
}

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_TANH_CUBIC = 0.044715
# |z| beyond which a term like z^3 or z^2 would overflow; far past saturation of every
# function that uses the clip (their exponential factors are exactly 0 or 1 there)
_CLIP = 1.0e3


def _z(z) -> np.ndarray:
    a = float_array(z, "z")
    if not np.all(np.isfinite(a)):
        raise ValueError("z contains NaN or infinite entries")
    return a


def _scalar(x, name: str, *, lo: float | None = None, hi: float | None = None,
            lo_open: bool = True, hi_open: bool = True) -> float:
    x = real_scalar(x, name, what="a finite real number")
    if lo is not None and (x < lo or (lo_open and x == lo)):
        raise ValueError(f"{name} must be {'>' if lo_open else '>='} {lo}, got {x!r}")
    if hi is not None and (x > hi or (hi_open and x == hi)):
        raise ValueError(f"{name} must be {'<' if hi_open else '<='} {hi}, got {x!r}")
    return x


def _alpha_array(alpha, z: np.ndarray) -> np.ndarray:
    a = float_array(alpha, "alpha")
    if not np.all(np.isfinite(a)):
        raise ValueError("alpha contains NaN or infinite entries")
    try:
        shape = np.broadcast_shapes(a.shape, z.shape)
    except ValueError:
        shape = None
    if shape != z.shape:  # alpha may not enlarge the result: an elementwise map keeps z's shape
        raise ValueError(f"alpha of shape {a.shape} does not broadcast against z of shape "
                         f"{z.shape} (per-channel alpha runs along the last axis)")
    return a


def _sig(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sig_grad(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))  # sigma'(z) = e^-|z| / (1 + e^-|z|)^2, even in z
    return e / (1.0 + e) ** 2


# -- saturating ---------------------------------------------------------------------------
def sigmoid(z) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + e^-z), values in [0, 1] (open interval in exact math)."""
    return _sig(_z(z))


def sigmoid_grad(z) -> np.ndarray:
    """sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)); equals 1/4 at 0."""
    return _sig_grad(_z(z))


def tanh(z) -> np.ndarray:
    """Hyperbolic tangent, values in [-1, 1]."""
    return np.tanh(_z(z))


def tanh_grad(z) -> np.ndarray:
    """tanh'(z) = 1 - tanh^2 z = 4 e^-2|z| / (1 + e^-2|z|)^2 (no cancellation in the tails)."""
    e = np.exp(-2.0 * np.minimum(np.abs(_z(z)), _CLIP))  # 2|z| itself could overflow
    return 4.0 * e / (1.0 + e) ** 2


# -- the ReLU family ----------------------------------------------------------------------
def relu(z) -> np.ndarray:
    """max(0, z)."""
    return np.maximum(_z(z), 0.0)


def relu_grad(z) -> np.ndarray:
    """1 for z >= 0, 0 for z < 0 (the article's convention ReLU'(0) = 1)."""
    return np.where(_z(z) >= 0, 1.0, 0.0)


def leaky_relu(z, alpha: float = 0.01) -> np.ndarray:
    """z for z >= 0, alpha z for z < 0, i.e. max(alpha z, z) for 0 < alpha < 1."""
    a = _scalar(alpha, "alpha", lo=0.0, hi=1.0)
    z = _z(z)
    return np.where(z >= 0, z, a * z)


def leaky_relu_grad(z, alpha: float = 0.01) -> np.ndarray:
    """1 for z >= 0 (convention at 0), alpha for z < 0."""
    a = _scalar(alpha, "alpha", lo=0.0, hi=1.0)
    return np.where(_z(z) >= 0, 1.0, a)


def prelu(z, alpha) -> np.ndarray:
    """max(0, z) + alpha min(0, z); alpha is the learnable slope (scalar, or an array that
    broadcasts against z, e.g. one value per channel along the last axis)."""
    z = _z(z)
    a = _alpha_array(alpha, z)
    return np.maximum(z, 0.0) + a * np.minimum(z, 0.0)


def prelu_grad(z, alpha) -> np.ndarray:
    """d prelu / dz: 1 for z >= 0 (convention at 0), alpha for z < 0."""
    z = _z(z)
    a = _alpha_array(alpha, z)
    return np.where(z >= 0, 1.0, a * np.ones_like(z))


def prelu_alpha_grad(z, alpha) -> np.ndarray:
    """d prelu / d alpha = min(0, z) (per element; sum over the axes alpha is shared on)."""
    z = _z(z)
    a = _alpha_array(alpha, z)
    return np.minimum(z, 0.0) + 0.0 * a


def elu(z, alpha: float = 1.0) -> np.ndarray:
    """z for z > 0, alpha (e^z - 1) for z <= 0 (alpha > 0); tends to -alpha at -infinity."""
    a = _scalar(alpha, "alpha", lo=0.0)
    z = _z(z)
    return np.where(z > 0, z, a * np.expm1(np.minimum(z, 0.0)))


def elu_grad(z, alpha: float = 1.0) -> np.ndarray:
    """1 for z > 0, alpha e^z for z <= 0 (so alpha at 0: the branch that contains 0)."""
    a = _scalar(alpha, "alpha", lo=0.0)
    z = _z(z)
    return np.where(z > 0, 1.0, a * np.exp(np.minimum(z, 0.0)))


# -- smooth gates -------------------------------------------------------------------------
def gelu(z) -> np.ndarray:
    """Exact GeLU z Phi(z) with Phi the standard normal cdf."""
    z = _z(z)
    return z * special.ndtr(z)


def gelu_grad(z) -> np.ndarray:
    """GeLU'(z) = Phi(z) + z phi(z); equals 1/2 at 0."""
    z = _z(z)
    zc = np.clip(z, -_CLIP, _CLIP)  # z phi(z) is exactly 0 in float64 beyond |z| ~ 40
    return special.ndtr(z) + zc * np.exp(-0.5 * zc * zc) / math.sqrt(2.0 * math.pi)


def _gelu_tanh_u(zc: np.ndarray) -> np.ndarray:
    return _SQRT_2_OVER_PI * (zc + _GELU_TANH_CUBIC * zc ** 3)


def gelu_tanh(z) -> np.ndarray:
    """tanh approximation 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))) of GeLU."""
    z = _z(z)
    u = _gelu_tanh_u(np.clip(z, -_CLIP, _CLIP))  # sigma(2u) is exactly 0 or 1 past the clip
    return z * _sig(2.0 * u)


def gelu_tanh_grad(z) -> np.ndarray:
    """Derivative of gelu_tanh: sigmoid(2u) + 2 z sigmoid'(2u) u'(z)."""
    z = _z(z)
    zc = np.clip(z, -_CLIP, _CLIP)
    u = _gelu_tanh_u(zc)
    du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_CUBIC * zc * zc)
    return _sig(2.0 * u) + 2.0 * zc * _sig_grad(2.0 * u) * du


def silu(z) -> np.ndarray:
    """Swish / SiLU z sigmoid(z)."""
    z = _z(z)
    return z * _sig(z)


def silu_grad(z) -> np.ndarray:
    """SiLU'(z) = sigmoid(z) + z sigmoid(z) sigmoid(-z); negative exactly for z < z* ~ -1.28."""
    z = _z(z)
    return _sig(z) + z * _sig_grad(z)


#: name -> (function, derivative) for the zoo (used by ``mlp_forward`` to resolve names)
ZOO = {
    "sigmoid": (sigmoid, sigmoid_grad), "tanh": (tanh, tanh_grad), "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad), "elu": (elu, elu_grad),
    "gelu": (gelu, gelu_grad), "gelu_tanh": (gelu_tanh, gelu_tanh_grad),
    "silu": (silu, silu_grad),
}


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
prelu = refuse_overflow(prelu, "z", "alpha")
prelu_grad = refuse_overflow(prelu_grad, "z", "alpha")
prelu_alpha_grad = refuse_overflow(prelu_alpha_grad, "z", "alpha")
