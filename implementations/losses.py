"""The loss catalogue of article §3.2 and the information quantities of §3.3.

Conventions (shared by every function here):

* inputs are array-likes of float64; NaN or infinite entries raise ``ValueError``;
* **losses** take per-sample rows and reduce by the **mean**: over every entry for the
  element-wise losses (``mse_loss``, ``mae_loss``, ``binary_cross_entropy*``,
  ``hinge_loss``; PyTorch's ``reduction="mean"``), over samples (rows, the last axis
  being the classes) for the categorical ones. For scalar targets this is the article's
  (1/N) sum_i;
* **information quantities** (``entropy``, ``cross_entropy``, ``kl_divergence``) act on
  distributions along the last axis and do **not** reduce over leading axes (a 1-D input
  gives a float); ``0 log 0 = 0``, and ``p(x) > 0 = q(x)`` gives ``+inf``;
* logits may be any finite floats whose spread ``max - min`` along the reduced axis is a
  finite float: every log-probability is computed by the log-sum-exp shift, never as
  ``log(exp(...))`` or ``log(0)``.

Logarithms are natural (nats) unless ``base`` is given (article §3.3: frameworks use ln).
"""
from __future__ import annotations

import math

import numpy as np

from ._validate import axis_index, float_array, real_scalar, refuse_overflow, show

__protocol__ = ["mse_loss", "mae_loss", "binary_cross_entropy",
                "binary_cross_entropy_with_logits", "categorical_cross_entropy",
                "cross_entropy_with_logits", "hinge_loss", "kl_divergence", "entropy",
                "cross_entropy", "softmax", "log_softmax", "log_sigmoid"]

_P, _Q = np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.5, 0.25])
_ONEHOT = np.array([[0.0, 1.0], [1.0, 0.0]])
#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    "mse_loss": [dict(pred=np.array([0.5, 1.0]), target=np.array([1.0, 0.0]))],
    "mae_loss": [dict(pred=np.array([0.5, 1.0]), target=np.array([1.0, 0.0]))],
    "binary_cross_entropy": [dict(prob=np.array([0.2, 0.9]), target=np.array([0.0, 1.0]))],
    "binary_cross_entropy_with_logits": [dict(logits=np.array([-1.0, 2.0]),
                                              target=np.array([0.0, 1.0]))],
    "categorical_cross_entropy": [dict(probs=np.array([[0.2, 0.8], [0.5, 0.5]]),
                                       target_onehot=_ONEHOT)],
    "cross_entropy_with_logits": [dict(logits=np.array([[1.0, -1.0], [0.0, 2.0]]),
                                       target_onehot=_ONEHOT)],
    "hinge_loss": [dict(score=np.array([0.5, -2.0]), target_pm1=np.array([1.0, -1.0]))],
    "kl_divergence": [dict(p=_P, q=_Q, base=2.0)],
    "entropy": [dict(p=_P, base=2.0)],
    "cross_entropy": [dict(p=_P, q=_Q, base=2.0)],
    "softmax": [dict(z=np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]]), axis=-1)],
    "log_softmax": [dict(z=np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]]), axis=0)],
    "log_sigmoid": [dict(z=np.array([0.5, -1.5, 0.0]))],
}
#: +inf is a documented value of these (a label given probability 0, q(x) = 0 < p(x))
__infinite_results__ = ("binary_cross_entropy", "categorical_cross_entropy", "kl_divergence",
                        "cross_entropy")

_SIMPLEX_TOL = 1e-9  # rows of a distribution must sum to 1 within this (float input)


# -- validation -------------------------------------------------------------------------
def _finite(x, name: str, *, min_ndim: int = 0) -> np.ndarray:
    a = float_array(x, name)
    if a.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name} is empty (shape {a.shape})")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return a


def _same_shape(a: np.ndarray, b: np.ndarray, na: str, nb: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{na} and {nb} must have the same shape, got {a.shape} and {b.shape}")


def _in_unit_interval(a: np.ndarray, name: str) -> None:
    if np.any(a < 0) or np.any(a > 1):
        raise ValueError(f"{name} must lie in [0, 1]")


def _distribution(x, name: str) -> np.ndarray:
    """Non-negative entries summing to 1 along the last axis."""
    a = _finite(x, name, min_ndim=1)
    if np.any(a < 0):
        raise ValueError(f"{name} has negative entries (not a probability distribution)")
    if not np.all(np.abs(a.sum(axis=-1) - 1.0) <= _SIMPLEX_TOL):
        raise ValueError(f"{name} must sum to 1 along the last axis (within {_SIMPLEX_TOL})")
    return a


def _log_base(base) -> float:
    # a unit of information needs b > 1: for 0 < b < 1 every entropy changes sign, so
    # minimising in that "unit" would maximise the quantity
    if not real_scalar(base, "base", what="a finite number > 1") > 1:
        raise ValueError(f"base must be a finite number > 1, got {show(base)}")
    return math.log(base)


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x log y with 0 log y = 0 (any y >= 0) and x log 0 = -inf for x > 0."""
    out = np.zeros(np.broadcast(x, y).shape)
    xb, yb = np.broadcast_arrays(x, y)
    pos = xb > 0
    with np.errstate(divide="ignore"):  # log(0) = -inf is the intended value here
        out[pos] = xb[pos] * np.log(yb[pos])
    return out


# -- softmax family -----------------------------------------------------------------------
def _shifted(z: np.ndarray, axis: int, name: str) -> np.ndarray:
    """z - max z along the axis (every exponent <= 0), refusing a spread beyond float64."""
    m = np.max(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):  # reported as a ValueError below
        shifted = z - m
    if not np.all(np.isfinite(shifted)):
        raise ValueError(f"{name}: the spread max({name}) - min({name}) overflows float64")
    return shifted


def _log_softmax(z: np.ndarray, axis: int, name: str) -> np.ndarray:
    shifted = _shifted(z, axis, name)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """log softmax(z)_k = z_k - logsumexp(z), with logsumexp = m + log sum exp(z - m),
    m = max z: every exponent is <= 0, so nothing overflows and the largest term is 1."""
    z = _finite(z, "z", min_ndim=1)
    return _log_softmax(z, axis_index(axis, z.ndim), "z")


def softmax(z, axis: int = -1) -> np.ndarray:
    """softmax(z)_k = exp(z_k - m) / sum_j exp(z_j - m), m = max z (shift-invariant)."""
    z = _finite(z, "z", min_ndim=1)
    axis = axis_index(axis, z.ndim)
    e = np.exp(_shifted(z, axis, "z"))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_sigmoid(z) -> np.ndarray:
    """log sigma(z) = -softplus(-z) = min(z, 0) - log1p(exp(-|z|)) (no overflow)."""
    return _log_sig(_finite(z, "z"))


def _log_sig(z: np.ndarray) -> np.ndarray:
    return np.minimum(z, 0.0) - np.log1p(np.exp(-np.abs(z)))


# -- regression losses ------------------------------------------------------------------
def mse_loss(pred, target) -> float:
    """MSE = mean over entries of (target - pred)^2 (article §3.2: (1/N) sum_i (y_i - y^_i)^2)."""
    p, t = _finite(pred, "pred"), _finite(target, "target")
    _same_shape(p, t, "pred", "target")
    with np.errstate(over="ignore", invalid="ignore"):  # the rescaled retry below
        value = float(np.mean((t - p) ** 2))
    if not math.isfinite(value):
        # halves: t - p itself overflows near the float64 maximum; scaled by the largest
        # |difference| nothing overflows before the last product
        d = t / 2 - p / 2
        m = float(np.max(np.abs(d)))
        value = 4.0 * m * m * float(np.mean((d / m) ** 2))
    if not math.isfinite(value):
        raise ValueError("pred and target: the mean squared error exceeds the float64 range")
    return value


def mae_loss(pred, target) -> float:
    """MAE = mean over entries of |target - pred| (article §3.2: (1/N) sum_i |y_i - y^_i|)."""
    p, t = _finite(pred, "pred"), _finite(target, "target")
    _same_shape(p, t, "pred", "target")
    with np.errstate(over="ignore", invalid="ignore"):  # the rescaled retry below
        value = float(np.mean(np.abs(t - p)))
    if not math.isfinite(value):
        d = np.abs(t / 2 - p / 2)  # halves: t - p overflows near the float64 maximum
        m = float(np.max(d))
        value = 2.0 * m * float(np.mean(d / m))  # scaled: the sum cannot overflow
    if not math.isfinite(value):
        raise ValueError("pred and target: the mean absolute error exceeds the float64 range")
    return value


# -- classification losses --------------------------------------------------------------
def binary_cross_entropy(prob, target) -> float:
    """mean of -[y log p + (1 - y) log(1 - p)] with p = prob in [0, 1], y = target in [0, 1].

    0 log 0 = 0; a label given probability 0 costs +inf (the exact value; PyTorch clamps
    each log at -100 instead)."""
    p, y = _finite(prob, "prob"), _finite(target, "target")
    _same_shape(p, y, "prob", "target")
    _in_unit_interval(p, "prob")
    _in_unit_interval(y, "target")
    return float(-np.mean(_xlogy(y, p) + _xlogy(1.0 - y, 1.0 - p)))


def binary_cross_entropy_with_logits(logits, target) -> float:
    """binary_cross_entropy(sigmoid(z), y) computed from z: mean of
    -[y log sigma(z) + (1 - y) log sigma(-z)] with the stable log_sigmoid."""
    z, y = _finite(logits, "logits"), _finite(target, "target")
    _same_shape(z, y, "logits", "target")
    _in_unit_interval(y, "target")
    return float(-np.mean(y * _log_sig(z) + (1.0 - y) * _log_sig(-z)))


def _rows(a: np.ndarray, name: str) -> np.ndarray:
    if a.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples x classes), got shape {a.shape}")
    return a


def categorical_cross_entropy(probs, target_onehot) -> float:
    """mean over samples of -sum_k y_k log p_k; rows of probs and target are distributions
    (one-hot targets, or soft labels); 0 log 0 = 0."""
    p = _rows(_distribution(probs, "probs"), "probs")
    y = _rows(_distribution(target_onehot, "target_onehot"), "target_onehot")
    _same_shape(p, y, "probs", "target_onehot")
    return float(-np.mean(np.sum(_xlogy(y, p), axis=-1)))


def cross_entropy_with_logits(logits, target_onehot) -> float:
    """categorical_cross_entropy(softmax(z), y) from the logits: mean over samples of
    -sum_k y_k log_softmax(z)_k (the log-sum-exp form)."""
    z = _rows(_finite(logits, "logits"), "logits")
    y = _rows(_distribution(target_onehot, "target_onehot"), "target_onehot")
    _same_shape(z, y, "logits", "target_onehot")
    return float(-np.mean(np.sum(y * _log_softmax(z, -1, "logits"), axis=-1)))


def hinge_loss(score, target_pm1) -> float:
    """mean of max(0, 1 - y s) with labels y in {-1, +1} (article §3.2)."""
    s, y = _finite(score, "score"), _finite(target_pm1, "target_pm1")
    _same_shape(s, y, "score", "target_pm1")
    if not np.all((y == 1.0) | (y == -1.0)):
        raise ValueError("target_pm1 must hold labels in {-1, +1}")
    return float(np.mean(np.maximum(0.0, 1.0 - y * s)))


# -- information quantities ---------------------------------------------------------------
def entropy(p, base: float = math.e):
    """H(p) = -sum_x p(x) log_base p(x) along the last axis (0 log 0 = 0)."""
    p = _distribution(p, "p")
    out = -np.sum(_xlogy(p, p), axis=-1) / _log_base(base)
    return float(out) if out.ndim == 0 else out


def cross_entropy(p, q, base: float = math.e):
    """H(p, q) = -sum_x p(x) log_base q(x) along the last axis: p weights, q inside the log.
    +inf when q(x) = 0 < p(x)."""
    p, q = _distribution(p, "p"), _distribution(q, "q")
    _same_shape(p, q, "p", "q")
    out = -np.sum(_xlogy(p, q), axis=-1) / _log_base(base)
    return float(out) if out.ndim == 0 else out


def kl_divergence(p, q, base: float = math.e):
    """D_KL(p || q) = sum_x p(x) log(p(x) / q(x)) along the last axis; p is the reference
    (weights the sum). Terms with p(x) = 0 vanish; q(x) = 0 < p(x) gives +inf."""
    p, q = _distribution(p, "p"), _distribution(q, "q")
    _same_shape(p, q, "p", "q")
    pos = p > 0
    if np.any(pos & (q == 0)):
        # the divergence is infinite on those rows; finite rows are computed below
        inf_rows = np.any(pos & (q == 0), axis=-1)
    else:
        inf_rows = np.zeros(p.shape[:-1], dtype=bool)
    terms = np.zeros(p.shape)
    ok = pos & (q > 0)
    # log p - log q rather than log(p / q): the ratio can overflow for tiny q
    terms[ok] = p[ok] * (np.log(p[ok]) - np.log(q[ok]))
    out = np.sum(terms, axis=-1) / _log_base(base)
    out = np.where(inf_rows, np.inf, out)
    return float(out) if out.ndim == 0 else out


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
log_softmax = refuse_overflow(log_softmax, "z", "axis")
softmax = refuse_overflow(softmax, "z", "axis")
log_sigmoid = refuse_overflow(log_sigmoid, "z")
mse_loss = refuse_overflow(mse_loss, "pred", "target")
mae_loss = refuse_overflow(mae_loss, "pred", "target")
binary_cross_entropy = refuse_overflow(binary_cross_entropy, "prob", "target", infinite_ok=True)
binary_cross_entropy_with_logits = refuse_overflow(binary_cross_entropy_with_logits,
                                                   "logits", "target")
categorical_cross_entropy = refuse_overflow(categorical_cross_entropy, "probs",
                                            "target_onehot", infinite_ok=True)
cross_entropy_with_logits = refuse_overflow(cross_entropy_with_logits, "logits",
                                            "target_onehot")
hinge_loss = refuse_overflow(hinge_loss, "score", "target_pm1")
entropy = refuse_overflow(entropy, "p", "base")
cross_entropy = refuse_overflow(cross_entropy, "p", "q", "base", infinite_ok=True)
kl_divergence = refuse_overflow(kl_divergence, "p", "q", "base", infinite_ok=True)
