"""Normalisation layers: BatchNorm (train / eval), LayerNorm, RMSNorm (article §4.3).

Shapes: ``x`` is ``(B, F)`` (B samples, F features); LayerNorm and RMSNorm also take a
single sample ``(F,)``. Per-feature parameters ``gamma``, ``beta``, ``running_mean`` and
``running_var`` have shape ``(F,)``. ``eps > 0`` is added to the variance (or mean square)
inside the square root, as in the article and in PyTorch.

Which variance is used where (a known divergence between frameworks):

* **normalising** - every layer here divides by the *biased* variance
  ``sigma^2 = (1/N) sum (x - mu)^2`` (N = B for BatchNorm over the batch, N = F for
  LayerNorm over the features), exactly the article's formulas;
* **running estimate** - ``batchnorm_train`` updates
  ``running_var <- (1 - momentum) running_var + momentum * B/(B-1) sigma^2``, the EMA of
  the *unbiased* batch variance, as PyTorch does (and Ioffe & Szegedy 2015, Alg. 2);
  ``running_mean <- (1 - momentum) running_mean + momentum * mu``. (Keras has used the
  biased variance in some code paths.) Hence B >= 2 in training mode.

BatchNorm in training mode normalises with the batch's statistics (so a sample's output
depends on the other samples); ``batchnorm_eval`` uses the running statistics (so it acts
on each sample alone). LayerNorm and RMSNorm act on each sample alone in both modes.
RMSNorm does not centre: ``y = gamma * x / sqrt(mean(x^2) + eps)``.
"""
from __future__ import annotations

import numpy as np

from ._validate import positive, real_matrix, real_scalar, real_vector, float_array, refuse_overflow, show

__protocol__ = ["batchnorm_train", "batchnorm_eval", "layernorm", "rmsnorm"]

_X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]])
_F2 = dict(gamma=np.array([1.0, 0.5]), beta=np.array([0.0, 1.0]))
_RUN = dict(running_mean=np.array([0.1, 0.2]), running_var=np.array([1.0, 2.0]))
#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    "batchnorm_train": [dict(x=_X, **_F2, **_RUN, momentum=0.1, eps=1e-5)],
    "batchnorm_eval": [dict(x=_X, **_F2, **_RUN, eps=1e-5)],
    "layernorm": [dict(x=_X, **_F2, eps=1e-5)],
    "rmsnorm": [dict(x=_X, gamma=np.array([1.0, 0.5]), eps=1e-5)],
}


def _momentum(m) -> float:
    v = real_scalar(m, "momentum", what="a number in [0, 1]")
    if not 0 <= v <= 1:
        raise ValueError(f"momentum must be a number in [0, 1], got {show(m)}")
    return v


def _features(v, name: str, F: int) -> np.ndarray:
    a = real_vector(v, name)
    if a.shape[0] != F:
        raise ValueError(f"{name} has length {a.shape[0]}, expected {F} (the features of x)")
    return a


def _running_var(v, F: int) -> np.ndarray:
    rv = _features(v, "running_var", F)
    if np.any(rv < 0):
        raise ValueError("running_var must be >= 0")
    return rv


def _rows(x, name: str = "x") -> tuple[np.ndarray, bool]:
    """x as a 2-D (B, F) array, and whether the input was a single 1-D sample."""
    a = float_array(x, name)
    if a.ndim == 1:
        return real_matrix(a[None, :], name), True
    return real_matrix(a, name), False


def batchnorm_train(x, gamma, beta, running_mean, running_var, *, momentum: float,
                    eps: float):
    """Training-mode BatchNorm: normalise each feature by the batch's mean and biased
    variance; return (y, new_running_mean, new_running_var) (running var: unbiased EMA).
    """
    X = real_matrix(x, "x")
    B, F = X.shape
    if B < 2:
        raise ValueError(f"batchnorm_train needs a batch of at least 2 samples, got {B} "
                         "(the batch variance of one sample is 0 and its unbiased estimate "
                         "is undefined)")
    g, b = _features(gamma, "gamma", F), _features(beta, "beta", F)
    rm, rv = _features(running_mean, "running_mean", F), _running_var(running_var, F)
    mom, eps = _momentum(momentum), positive(eps, "eps")
    mu = X.mean(axis=0)
    centred = X - mu
    var = (centred**2).mean(axis=0)  # biased: the article's sigma_j^2
    y = g * (centred / np.sqrt(var + eps)) + b
    new_rm = (1.0 - mom) * rm + mom * mu
    new_rv = (1.0 - mom) * rv + mom * var * (B / (B - 1))
    return y, new_rm, new_rv


def batchnorm_eval(x, gamma, beta, running_mean, running_var, *, eps: float) -> np.ndarray:
    """Inference-mode BatchNorm: y = gamma (x - running_mean) / sqrt(running_var + eps) + beta."""
    X = real_matrix(x, "x")
    F = X.shape[1]
    g, b = _features(gamma, "gamma", F), _features(beta, "beta", F)
    rm, rv = _features(running_mean, "running_mean", F), _running_var(running_var, F)
    eps = positive(eps, "eps")
    return g * ((X - rm) / np.sqrt(rv + eps)) + b


def layernorm(x, gamma, beta, *, eps: float) -> np.ndarray:
    """LayerNorm over the last axis: y = gamma (x - mu) / sqrt(sigma^2 + eps) + beta, with
    mu and the biased sigma^2 taken over the features of each sample."""
    X, single = _rows(x)
    F = X.shape[1]
    g, b = _features(gamma, "gamma", F), _features(beta, "beta", F)
    eps = positive(eps, "eps")
    mu = X.mean(axis=1, keepdims=True)
    centred = X - mu
    var = (centred**2).mean(axis=1, keepdims=True)
    y = g * (centred / np.sqrt(var + eps)) + b
    return y[0] if single else y


def rmsnorm(x, gamma, *, eps: float) -> np.ndarray:
    """RMSNorm over the last axis: y = gamma x / sqrt(mean(x^2) + eps) (no centring)."""
    X, single = _rows(x)
    F = X.shape[1]
    g = _features(gamma, "gamma", F)
    eps = positive(eps, "eps")
    ms = (X**2).mean(axis=1, keepdims=True)
    y = g * (X / np.sqrt(ms + eps))
    return y[0] if single else y


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
batchnorm_train = refuse_overflow(batchnorm_train, "x", "gamma", "beta", "running_mean",
                                  "running_var", "momentum", "eps")
batchnorm_eval = refuse_overflow(batchnorm_eval, "x", "gamma", "beta", "running_mean",
                                 "running_var", "eps")
layernorm = refuse_overflow(layernorm, "x", "gamma", "beta", "eps")
rmsnorm = refuse_overflow(rmsnorm, "x", "gamma", "eps")
