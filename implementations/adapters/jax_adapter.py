"""JAX's own building blocks behind the verifier's protocol (``pytest --impl jax``).

Every name below is computed by JAX itself: ``jax.nn`` activations and ``jax.grad`` for
their derivatives, ``jax.nn.log_softmax``/``softmax``, ``optax`` losses and
``optax.clip_by_global_norm``, ``jax.nn.initializers``, ``flax.linen`` BatchNorm /
LayerNorm / RMSNorm / Dropout / Dense / PReLU, ``jax.scipy.special`` (``xlogy``,
``xlog1py``, ``entr``) for the probability-input losses optax does not have. numpy arrays
go in and come out, as the protocol (``implementations/__init__.py``) requires. Our code
here converts arrays, validates arguments, and converts *conventions* where the protocol
and JAX name the same quantity differently - each conversion is spelled out at the
function that does it. Nothing falls back to the reference implementation or to numpy
arithmetic: a protocol name JAX has no block for is not defined, so its checks skip as
"not provided" (``NOT_PROVIDED`` at the end of this module).

Precision: JAX computes in float32 unless its x64 mode is on; this module turns it on
(``jax.config.update("jax_enable_x64", True)``) when it is imported, so every block runs
in float64 on the CPU backend - the protocol's precision (see the PyTorch adapter for why
float64). The import also pins JAX to the CPU platform, so results do not depend on an
accelerator being present.

Randomness (the protocol's ``rng`` is a ``numpy.random.Generator``): each random call
draws ONE integer ``s = rng.integers(0, 2**63 - 1)`` from it and uses
``jax.random.key(s)`` (JAX's default threefry PRNG) as the key of that call; flax's
Dropout receives it as its ``"dropout"`` rng stream. So a run is reproducible from the
root seed, and two calls with the same numpy generator state draw the same JAX numbers.

Conventions this adapter declares (``CONVENTIONS``; the checks test the declared value
where the article leaves the choice open, and report the difference from the reference
as a frameworks finding):

* ``running_var = "biased"``: flax's BatchNorm averages the *biased* batch variance into
  its running variance (PyTorch and the reference use the unbiased one);
* ``batchnorm_momentum = "new"`` after conversion: flax's ``momentum`` is the weight of
  the *old* running value (``ra <- momentum ra + (1 - momentum) batch``, default 0.99,
  Keras' convention); the protocol's momentum weights the new batch, so this adapter
  passes ``flax momentum = 1 - momentum``;
* ``subnormals = "flushed"``: XLA's CPU backend returns 0 for subnormal results and
  reads subnormal inputs as 0 (checked by §7 ``jax-cpu-flushes-subnormals-to-zero``); the
  article's checks then do not probe subnormal inputs;
* ``relu_grad_at_0 = 0``: ``jax.grad(jax.nn.relu)(0.) = 0`` (JAX defines relu's
  derivative at the kink as 0); leaky_relu and PReLU take the ``z >= 0`` branch at 0
  (derivative 1), as the article does.

Layout conversions (protocol <- JAX):

* ``prelu``: flax's PReLU has one scalar slope; a per-channel alpha raises ValueError.
* weights: the protocol's W has shape (fan_out, fan_in) (PyTorch's layout); flax's Dense
  kernel is (fan_in, fan_out). ``mlp_forward`` and ``mlp_gradients`` pass ``W.T`` as the
  kernel and return kernel gradients transposed back. The initialisers are called with
  ``in_axis=-1, out_axis=-2`` on the shape (fan_out, fan_in), which is JAX's documented
  way to name the axes, so no transposition of samples happens.
* ``kl_divergence(p, q)`` = ``optax.kl_divergence(log q, p)``: optax takes the *log* of the
  approximating distribution first and the reference distribution second.
* ``dropout_train``/``dropout_eval``: flax's Dropout is inverted (training output
  m h / (1 - p), inference h); ``inverted=False`` rescales by (1 - p) explicitly.

Functional framework: JAX has no tensor object that records a graph (``jax.grad``
transforms functions), so the protocol's ``Tensor`` is not provided; JAX's automatic
differentiation is exercised through the derivatives and ``mlp_gradients``.
"""
from __future__ import annotations

import math
from numbers import Real

import numpy as np

import jax

jax.config.update("jax_enable_x64", True)  # float64 everywhere (see the docstring)
jax.config.update("jax_platforms", "cpu")

import flax.linen as nn  # noqa: E402  (after the x64 switch, as JAX requires)
import jax.numpy as jnp  # noqa: E402
import jax.scipy.special as jsp  # noqa: E402
import optax  # noqa: E402

DTYPE = jnp.float64

_ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")
_LOSSES = ("mse", "mae", "bce", "bce_with_logits", "cross_entropy_with_logits", "hinge")
_SIMPLEX_TOL = 1e-9  # the protocol's tolerance on the sum of a distribution
MAX_STEPS = 1_000_000
MAX_LAYERS = 10_000

#: conventions the article leaves open, declared for the checks (see the module docstring)
CONVENTIONS = {
    "running_var": "biased",
    "relu_grad_at_0": 0.0,
    "subnormals": "flushed",  # XLA's CPU backend: flush-to-zero and denormals-are-zero
}


# -- conversion and validation ---------------------------------------------------------------
def _array(x, name: str, *, min_ndim: int = 0) -> np.ndarray:
    try:
        a = np.array(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array: {exc}") from None
    if a.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return a


def _j(x, name: str = "z", *, min_ndim: int = 0) -> jax.Array:
    return jnp.asarray(_array(x, name, min_ndim=min_ndim), dtype=DTYPE)


def _np(a) -> np.ndarray:
    return np.array(a, dtype=np.float64)


def _real(x, name: str, *, lo=None, hi=None, lo_open=True, hi_open=True) -> float:
    if isinstance(x, bool) or not isinstance(x, (Real, np.floating, np.integer)) \
            or not math.isfinite(float(x)):
        raise ValueError(f"{name} must be a finite real number, got {x!r}")
    v = float(x)
    if lo is not None and (v < lo or (lo_open and v == lo)):
        raise ValueError(f"{name} must be {'>' if lo_open else '>='} {lo}, got {x!r}")
    if hi is not None and (v > hi or (hi_open and v == hi)):
        raise ValueError(f"{name} must be {'<' if hi_open else '<='} {hi}, got {x!r}")
    return v


def _positive_int(x, name: str) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {x!r}")
    return int(x)


def _key(rng) -> jax.Array:
    """jax.random.key(s) with s one draw of the numpy ``rng`` (see the module docstring)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return jax.random.key(int(rng.integers(0, 2**63 - 1)))


def _derivative(fn, z) -> np.ndarray:
    """d fn / dz elementwise, by jax.grad of sum(fn(z)) (fn acts elementwise)."""
    zj = _j(z)
    return _np(jax.grad(lambda t: jnp.sum(fn(t)))(zj))


# -- activations (jax.nn) --------------------------------------------------------------------
def sigmoid(z) -> np.ndarray:
    """jax.nn.sigmoid(z)."""
    return _np(jax.nn.sigmoid(_j(z)))


def tanh(z) -> np.ndarray:
    """jnp.tanh(z) (jax.nn.tanh is the same function)."""
    return _np(jnp.tanh(_j(z)))


def relu(z) -> np.ndarray:
    """jax.nn.relu(z)."""
    return _np(jax.nn.relu(_j(z)))


def _leaky_alpha(alpha) -> float:
    return _real(alpha, "alpha", lo=0.0, hi=1.0)


def leaky_relu(z, alpha: float = 0.01) -> np.ndarray:
    """jax.nn.leaky_relu(z, negative_slope=alpha)."""
    a = _leaky_alpha(alpha)
    return _np(jax.nn.leaky_relu(_j(z), negative_slope=a))


def elu(z, alpha: float = 1.0) -> np.ndarray:
    """jax.nn.elu(z, alpha)."""
    a = _real(alpha, "alpha", lo=0.0)
    return _np(jax.nn.elu(_j(z), alpha=a))


def gelu(z) -> np.ndarray:
    """jax.nn.gelu(z, approximate=False): z Phi(z)."""
    return _np(jax.nn.gelu(_j(z), approximate=False))


def gelu_tanh(z) -> np.ndarray:
    """jax.nn.gelu(z, approximate=True) (the tanh form)."""
    return _np(jax.nn.gelu(_j(z), approximate=True))


def silu(z) -> np.ndarray:
    """jax.nn.silu(z) = z sigmoid(z)."""
    return _np(jax.nn.silu(_j(z)))


def _prelu_alpha(z: jax.Array, alpha) -> jax.Array:
    """alpha as flax's PReLU parameter, which is one scalar slope.

    flax.linen.PReLU declares its slope with shape () and refuses any other shape, so a
    per-channel alpha is refused here too (ValueError) rather than emulated.
    """
    try:
        a = np.array(alpha, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"alpha must be numeric: {exc}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError("alpha contains NaN or infinite entries")
    if a.size == 1 and a.ndim <= 1:
        return jnp.asarray(a.reshape(()), dtype=DTYPE)
    raise ValueError(f"alpha of shape {a.shape}: flax.linen.PReLU has one scalar slope "
                     "(no per-channel slopes)")


_PRELU = nn.PReLU(param_dtype=DTYPE)


def _prelu_apply(z: jax.Array, a: jax.Array) -> jax.Array:
    return _PRELU.apply({"params": {"negative_slope": a}}, z)


def prelu(z, alpha) -> np.ndarray:
    """flax.linen.PReLU with its slope parameter set to alpha."""
    zj = _j(z)
    return _np(_prelu_apply(zj, _prelu_alpha(zj, alpha)))


# -- derivatives by jax.grad -----------------------------------------------------------------
def sigmoid_grad(z) -> np.ndarray:
    """jax.grad of jax.nn.sigmoid."""
    return _derivative(jax.nn.sigmoid, z)


def tanh_grad(z) -> np.ndarray:
    """jax.grad of jnp.tanh."""
    return _derivative(jnp.tanh, z)


def relu_grad(z) -> np.ndarray:
    """jax.grad of jax.nn.relu (JAX: 0 at z = 0)."""
    return _derivative(jax.nn.relu, z)


def leaky_relu_grad(z, alpha: float = 0.01) -> np.ndarray:
    """jax.grad of jax.nn.leaky_relu."""
    a = _leaky_alpha(alpha)
    return _derivative(lambda t: jax.nn.leaky_relu(t, negative_slope=a), z)


def elu_grad(z, alpha: float = 1.0) -> np.ndarray:
    """jax.grad of jax.nn.elu."""
    a = _real(alpha, "alpha", lo=0.0)
    return _derivative(lambda t: jax.nn.elu(t, alpha=a), z)


def gelu_grad(z) -> np.ndarray:
    """jax.grad of jax.nn.gelu(approximate=False)."""
    return _derivative(lambda t: jax.nn.gelu(t, approximate=False), z)


def gelu_tanh_grad(z) -> np.ndarray:
    """jax.grad of jax.nn.gelu(approximate=True)."""
    return _derivative(lambda t: jax.nn.gelu(t, approximate=True), z)


def silu_grad(z) -> np.ndarray:
    """jax.grad of jax.nn.silu."""
    return _derivative(jax.nn.silu, z)


def prelu_grad(z, alpha) -> np.ndarray:
    """jax.grad of flax's PReLU with respect to its input."""
    zj = _j(z)
    a = _prelu_alpha(zj, alpha)
    return _np(jax.grad(lambda t: jnp.sum(_prelu_apply(t, a)))(zj))


def prelu_alpha_grad(z, alpha) -> np.ndarray:
    """d prelu / d alpha per element: jax.grad with respect to flax's slope parameter.

    flax's slope is one scalar shared by every element; the protocol wants the derivative
    per element, so jax.grad of each element's output is taken (jax.vmap over elements).
    """
    zj = _j(z)
    a = _prelu_alpha(zj, alpha)
    per = jax.vmap(jax.grad(lambda s, zi: _prelu_apply(zi, s)), in_axes=(None, 0))
    return _np(per(a, zj.reshape(-1)).reshape(zj.shape))


# -- softmax family and losses (jax.nn, optax, jax.scipy.special) ---------------------------
def _axis(axis, ndim: int) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) \
            or not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis!r} out of range for {ndim} dimension(s)")
    return int(axis)


def softmax(z, axis: int = -1) -> np.ndarray:
    """jax.nn.softmax(z, axis)."""
    zj = _j(z, min_ndim=1)
    return _np(jax.nn.softmax(zj, axis=_axis(axis, zj.ndim)))


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """jax.nn.log_softmax(z, axis)."""
    zj = _j(z, min_ndim=1)
    return _np(jax.nn.log_softmax(zj, axis=_axis(axis, zj.ndim)))


def log_sigmoid(z) -> np.ndarray:
    """jax.nn.log_sigmoid(z)."""
    return _np(jax.nn.log_sigmoid(_j(z)))


def _pair(a, b, na: str, nb: str) -> tuple[jax.Array, jax.Array]:
    ta, tb = _array(a, na), _array(b, nb)
    if ta.size == 0:
        raise ValueError(f"{na} is empty")
    if ta.shape != tb.shape:
        raise ValueError(f"{na} and {nb} must have the same shape, got {ta.shape} and "
                         f"{tb.shape}")
    return jnp.asarray(ta), jnp.asarray(tb)


def _unit_interval(t, name: str) -> None:
    if bool(jnp.any(t < 0)) or bool(jnp.any(t > 1)):
        raise ValueError(f"{name} must lie in [0, 1]")


def _distribution(x, name: str) -> jax.Array:
    a = _array(x, name, min_ndim=1)
    if a.size == 0:
        raise ValueError(f"{name} is empty")
    if np.any(a < 0):
        raise ValueError(f"{name} has negative entries (not a probability distribution)")
    if not np.all(np.abs(a.sum(-1) - 1.0) <= _SIMPLEX_TOL):
        raise ValueError(f"{name} must sum to 1 along the last axis (within {_SIMPLEX_TOL})")
    return jnp.asarray(a)


def _rows(t: jax.Array, name: str) -> jax.Array:
    if t.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples x classes), got {tuple(t.shape)}")
    return t


def mse_loss(pred, target) -> float:
    """mean of optax.squared_error(pred, target)."""
    p, t = _pair(pred, target, "pred", "target")
    return float(jnp.mean(optax.squared_error(p, t)))


def mae_loss(pred, target) -> float:
    """jnp.mean(jnp.abs(pred - target)) (optax has no absolute-error loss)."""
    p, t = _pair(pred, target, "pred", "target")
    return float(jnp.mean(jnp.abs(p - t)))


def _bce_terms(p, y):
    # optax's BCE takes logits only; on probabilities JAX's own special functions give
    # -[xlogy(y, p) + xlog1py(1 - y, -p)] (0 log 0 = 0, and log1p keeps 1 - p exact)
    return -(jsp.xlogy(y, p) + jsp.xlog1py(1.0 - y, -p))


def binary_cross_entropy(prob, target) -> float:
    """mean of -[xlogy(y, p) + xlog1py(1 - y, -p)] (jax.scipy.special)."""
    p, y = _pair(prob, target, "prob", "target")
    _unit_interval(p, "prob")
    _unit_interval(y, "target")
    return float(jnp.mean(_bce_terms(p, y)))


def binary_cross_entropy_with_logits(logits, target) -> float:
    """mean of optax.sigmoid_binary_cross_entropy(logits, target)."""
    z, y = _pair(logits, target, "logits", "target")
    _unit_interval(y, "target")
    return float(jnp.mean(optax.sigmoid_binary_cross_entropy(z, y)))


def categorical_cross_entropy(probs, target_onehot) -> float:
    """mean over rows of -sum_k xlogy(y_k, p_k) (jax.scipy.special.xlogy).

    optax's categorical losses take logits; on probabilities xlogy is JAX's 0 log 0 = 0
    form of -y log p.
    """
    p = _rows(_distribution(probs, "probs"), "probs")
    y = _rows(_distribution(target_onehot, "target_onehot"), "target_onehot")
    if p.shape != y.shape:
        raise ValueError(f"probs and target_onehot must have the same shape, got "
                         f"{tuple(p.shape)} and {tuple(y.shape)}")
    return float(jnp.mean(-jnp.sum(jsp.xlogy(y, p), axis=-1)))


def cross_entropy_with_logits(logits, target_onehot) -> float:
    """mean of optax.softmax_cross_entropy(logits, target)."""
    z = _rows(_j(logits, "logits"), "logits")
    y = _rows(_distribution(target_onehot, "target_onehot"), "target_onehot")
    if z.shape != y.shape:
        raise ValueError(f"logits and target_onehot must have the same shape, got "
                         f"{tuple(z.shape)} and {tuple(y.shape)}")
    return float(jnp.mean(optax.softmax_cross_entropy(z, y)))


def hinge_loss(score, target_pm1) -> float:
    """mean of optax.hinge_loss(score, target) = max(0, 1 - y s), y in {-1, +1}."""
    s, y = _pair(score, target_pm1, "score", "target_pm1")
    if not bool(jnp.all(jnp.abs(y) == 1)):
        raise ValueError("target_pm1 must hold labels in {-1, +1}")
    return float(jnp.mean(optax.hinge_loss(s, y)))


def _log_base(base) -> float:
    if isinstance(base, bool) or not isinstance(base, Real) or not math.isfinite(base) \
            or not base > 1:
        raise ValueError(f"base must be a finite number > 1, got {base!r}")
    return math.log(base)


def _info_out(t):
    a = _np(t)
    return float(a) if a.ndim == 0 else a


def _dist_pair(p, q):
    pt, qt = _distribution(p, "p"), _distribution(q, "q")
    if pt.shape != qt.shape:
        raise ValueError(f"p and q must have the same shape, got {tuple(pt.shape)} and "
                         f"{tuple(qt.shape)}")
    return pt, qt


def kl_divergence(p, q, base: float = math.e):
    """D_KL(p || q) = optax.kl_divergence(log q, p) / ln base (argument order converted)."""
    pt, qt = _dist_pair(p, q)
    lb = _log_base(base)
    return _info_out(optax.kl_divergence(jnp.log(qt), pt) / lb)


def entropy(p, base: float = math.e):
    """H(p) = sum_x jax.scipy.special.entr(p(x)) / ln base (entr(0) = 0)."""
    pt = _distribution(p, "p")
    lb = _log_base(base)
    return _info_out(jnp.sum(jsp.entr(pt), axis=-1) / lb)


def cross_entropy(p, q, base: float = math.e):
    """H(p, q) = -sum_x jax.scipy.special.xlogy(p(x), q(x)) / ln base."""
    pt, qt = _dist_pair(p, q)
    lb = _log_base(base)
    return _info_out(-jnp.sum(jsp.xlogy(pt, qt), axis=-1) / lb)


# -- initialisers (jax.nn.initializers, keys from the numpy rng) -----------------------------
def _shape(fan_in, fan_out) -> tuple[int, int]:
    return (_positive_int(fan_out, "fan_out"), _positive_int(fan_in, "fan_in"))


# the protocol's (fan_out, fan_in) layout: JAX names the axes instead of transposing
_AXES = {"in_axis": -1, "out_axis": -2}


def xavier_normal(fan_in, fan_out, *, rng, gain: float = 1.0) -> np.ndarray:
    """jax.nn.initializers.variance_scaling(gain^2, "fan_avg", "truncated_normal").

    That is jax.nn.initializers.glorot_normal for gain = 1 (JAX's "normal" Glorot is a
    normal truncated at 2 standard deviations, rescaled to the stated variance).
    """
    shape = _shape(fan_in, fan_out)
    g = _real(gain, "gain", lo=0.0)
    init = (jax.nn.initializers.glorot_normal(**_AXES) if g == 1.0 else
            jax.nn.initializers.variance_scaling(g * g, "fan_avg", "truncated_normal",
                                                 **_AXES))
    return _np(init(_key(rng), shape, DTYPE))


def xavier_uniform(fan_in, fan_out, *, rng, gain: float = 1.0) -> np.ndarray:
    """jax.nn.initializers.glorot_uniform (variance_scaling(gain^2, "fan_avg", "uniform"))."""
    shape = _shape(fan_in, fan_out)
    g = _real(gain, "gain", lo=0.0)
    init = (jax.nn.initializers.glorot_uniform(**_AXES) if g == 1.0 else
            jax.nn.initializers.variance_scaling(g * g, "fan_avg", "uniform", **_AXES))
    return _np(init(_key(rng), shape, DTYPE))


def he_normal(fan_in, fan_out, *, rng) -> np.ndarray:
    """jax.nn.initializers.he_normal (a truncated normal of variance 2 / fan_in)."""
    shape = _shape(fan_in, fan_out)
    return _np(jax.nn.initializers.he_normal(**_AXES)(_key(rng), shape, DTYPE))


def he_uniform(fan_in, fan_out, *, rng) -> np.ndarray:
    """jax.nn.initializers.he_uniform (U(-a, a), a = sqrt(6 / fan_in))."""
    shape = _shape(fan_in, fan_out)
    return _np(jax.nn.initializers.he_uniform(**_AXES)(_key(rng), shape, DTYPE))


# -- normalisation layers (flax.linen) -------------------------------------------------------
def _matrix(x, name: str = "x") -> jax.Array:
    a = _array(x, name)
    if a.ndim != 2 or 0 in a.shape:
        raise ValueError(f"{name} must be a non-empty 2-D array (samples x features), "
                         f"got shape {a.shape}")
    return jnp.asarray(a)


def _vector(v, name: str, F_: int) -> jax.Array:
    a = _array(v, name)
    if a.ndim != 1 or a.shape[0] != F_:
        raise ValueError(f"{name} must be 1-D of length {F_}, got shape {a.shape}")
    return jnp.asarray(a)


def _running_var(v, F_: int) -> jax.Array:
    t = _vector(v, "running_var", F_)
    if bool(jnp.any(t < 0)):
        raise ValueError("running_var must be >= 0")
    return t


def batchnorm_train(x, gamma, beta, running_mean, running_var, *, momentum: float,
                    eps: float):
    """flax.linen.BatchNorm(use_running_average=False): (y, new running mean, new running var).

    flax's momentum weights the OLD running value: it is given 1 - momentum. flax
    normalises with the batch variance computed as E[x^2] - E[x]^2 (its default
    ``use_fast_variance=True``) and averages that same biased variance into running_var.
    """
    X = _matrix(x)
    B, F_ = X.shape
    if B < 2:
        raise ValueError(f"batchnorm_train needs a batch of at least 2 samples, got {B}")
    g, b = _vector(gamma, "gamma", F_), _vector(beta, "beta", F_)
    rm, rv = _vector(running_mean, "running_mean", F_), _running_var(running_var, F_)
    mom = _real(momentum, "momentum", lo=0.0, hi=1.0, lo_open=False, hi_open=False)
    e = _real(eps, "eps", lo=0.0)
    bn = nn.BatchNorm(use_running_average=False, momentum=1.0 - mom, epsilon=e,
                      param_dtype=DTYPE)
    y, upd = bn.apply({"params": {"scale": g, "bias": b},
                       "batch_stats": {"mean": rm, "var": rv}}, X, mutable=["batch_stats"])
    return _np(y), _np(upd["batch_stats"]["mean"]), _np(upd["batch_stats"]["var"])


def batchnorm_eval(x, gamma, beta, running_mean, running_var, *, eps: float) -> np.ndarray:
    """flax.linen.BatchNorm(use_running_average=True)."""
    X = _matrix(x)
    F_ = X.shape[1]
    g, b = _vector(gamma, "gamma", F_), _vector(beta, "beta", F_)
    rm, rv = _vector(running_mean, "running_mean", F_), _running_var(running_var, F_)
    e = _real(eps, "eps", lo=0.0)
    bn = nn.BatchNorm(use_running_average=True, epsilon=e, param_dtype=DTYPE)
    return _np(bn.apply({"params": {"scale": g, "bias": b},
                         "batch_stats": {"mean": rm, "var": rv}}, X))


def _samples(x) -> jax.Array:
    a = _array(x, "x")
    if a.ndim not in (1, 2) or 0 in a.shape:
        raise ValueError(f"x must be one sample (F,) or a batch (B, F), got {a.shape}")
    return jnp.asarray(a)


def layernorm(x, gamma, beta, *, eps: float) -> np.ndarray:
    """flax.linen.LayerNorm over the last axis, scale gamma and bias beta."""
    X = _samples(x)
    F_ = X.shape[-1]
    g, b = _vector(gamma, "gamma", F_), _vector(beta, "beta", F_)
    e = _real(eps, "eps", lo=0.0)
    ln = nn.LayerNorm(epsilon=e, param_dtype=DTYPE)
    return _np(ln.apply({"params": {"scale": g, "bias": b}}, X))


def rmsnorm(x, gamma, *, eps: float) -> np.ndarray:
    """flax.linen.RMSNorm over the last axis, scale gamma."""
    X = _samples(x)
    F_ = X.shape[-1]
    g = _vector(gamma, "gamma", F_)
    e = _real(eps, "eps", lo=0.0)
    rn = nn.RMSNorm(epsilon=e, param_dtype=DTYPE)
    return _np(rn.apply({"params": {"scale": g}}, X))


# -- dropout (flax.linen.Dropout) ------------------------------------------------------------
def _dropout_args(h, p) -> tuple[jax.Array, float]:
    a = _array(h, "h")
    if a.ndim == 0 or a.size == 0:
        raise ValueError(f"h must be a non-empty array of activations, got {a.shape}")
    rate = _real(p, "p (the drop probability)", lo=0.0, hi=1.0, lo_open=False, hi_open=True)
    return jnp.asarray(a), rate


def dropout_train(h, p, *, rng, inverted: bool = False):
    """flax.linen.Dropout(rate=p, deterministic=False): (output, mask).

    flax's output is m h / (1 - p) (inverted); ``inverted=False`` multiplies it by (1 - p).
    The mask is read off by applying the same module with the same key to ones.
    """
    t, rate = _dropout_args(h, p)
    key = _key(rng)
    drop = nn.Dropout(rate=rate, deterministic=False)
    out = drop.apply({}, t, rngs={"dropout": key})
    kept = drop.apply({}, jnp.ones_like(t), rngs={"dropout": key})
    mask = (kept != 0).astype(DTYPE)
    if bool(jnp.any(out[mask == 0] != 0)):
        raise RuntimeError("replayed dropout mask disagrees with flax's Dropout output")
    if not inverted:
        out = out * (1.0 - rate)
    return _np(out), _np(mask)


def dropout_eval(h, p, *, inverted: bool = False) -> np.ndarray:
    """flax.linen.Dropout(deterministic=True) (the identity); (1 - p) h if not inverted."""
    t, rate = _dropout_args(h, p)
    out = nn.Dropout(rate=rate, deterministic=True).apply({}, t)
    return _np(out if inverted else (1.0 - rate) * out)


# -- gradient clipping (optax) ---------------------------------------------------------------
def clip_grad_norm(grads, max_norm: float):
    """optax.clip_by_global_norm(max_norm) on ``grads``; norm = optax.global_norm(grads).

    optax scales by max_norm / ||g|| when ||g|| > max_norm, its norm being
    sqrt(sum of squares) without rescaling.
    """
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise ValueError("grads must be a list or tuple of arrays (one per parameter)")
    if len(grads) == 0:
        raise ValueError("grads is empty")
    arrs = []
    for k, g in enumerate(grads):
        try:
            arrs.append(jnp.asarray(np.array(g, dtype=np.float64)))  # non-finite allowed
        except (TypeError, ValueError) as exc:
            raise ValueError(f"grads[{k}] must be a numeric array: {exc}") from None
    tau = _real(max_norm, "max_norm", lo=0.0)
    tx = optax.clip_by_global_norm(tau)
    clipped, _ = tx.update(arrs, tx.init(arrs))
    return [_np(c) for c in clipped], float(optax.global_norm(arrs))


# -- networks (flax.linen.Dense), jax.grad, optax.sgd ----------------------------------------
_JAX_ACT = {"identity": lambda t: t, "sigmoid": jax.nn.sigmoid, "tanh": jnp.tanh,
            "relu": jax.nn.relu, "leaky_relu": jax.nn.leaky_relu, "elu": jax.nn.elu,
            "gelu": lambda t: jax.nn.gelu(t, approximate=False),
            "gelu_tanh": lambda t: jax.nn.gelu(t, approximate=True), "silu": jax.nn.silu}


def _layers(weights, biases):
    if isinstance(weights, np.ndarray) or not isinstance(weights, (list, tuple)):
        raise ValueError("weights must be a list of 2-D arrays, one per layer")
    if isinstance(biases, np.ndarray) or not isinstance(biases, (list, tuple)):
        raise ValueError("biases must be a list of 1-D arrays, one per layer")
    if not 1 <= len(weights) <= MAX_LAYERS:
        raise ValueError(f"weights must hold 1 to {MAX_LAYERS} layers, got {len(weights)}")
    if len(biases) != len(weights):
        raise ValueError(f"{len(weights)} weight matrices but {len(biases)} bias vectors")
    Ws, bs = [], []
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        Wa, ba = _array(W, f"weights[{l - 1}]"), _array(b, f"biases[{l - 1}]")
        if Wa.ndim != 2 or 0 in Wa.shape:
            raise ValueError(f"layer {l}: weights must be a non-empty 2-D array, "
                             f"got shape {Wa.shape}")
        if ba.shape != (Wa.shape[0],):
            raise ValueError(f"layer {l}: bias must have shape ({Wa.shape[0]},), "
                             f"got {ba.shape}")
        if Ws and Wa.shape[1] != Ws[-1].shape[0]:
            raise ValueError(f"layer {l}: weights have {Wa.shape[1]} columns but layer "
                             f"{l - 1} outputs {Ws[-1].shape[0]} values")
        Ws.append(jnp.asarray(Wa))
        bs.append(jnp.asarray(ba))
    return Ws, bs


def _dense(W: jax.Array, b: jax.Array, a: jax.Array) -> jax.Array:
    """flax.linen.Dense with kernel W^T (flax's (fan_in, fan_out) layout) and bias b."""
    return nn.Dense(W.shape[0], param_dtype=DTYPE).apply(
        {"params": {"kernel": W.T, "bias": b}}, a)


def mlp_forward(weights, biases, x, activation) -> np.ndarray:
    """a_l = activation(Dense_l(a_{l-1})) (flax.linen.Dense; activation from jax.nn or a
    numpy callable applied to the pre-activations)."""
    Ws, bs = _layers(weights, biases)
    if isinstance(activation, str):
        if activation not in _JAX_ACT:
            raise ValueError(f"activation must be a callable or one of {sorted(_JAX_ACT)}, "
                             f"got {activation!r}")
        sigma = _JAX_ACT[activation]
    elif callable(activation):
        def sigma(t, f=activation):
            return jnp.asarray(np.array(f(_np(t)), dtype=np.float64))
    else:
        raise ValueError(f"activation must be a callable or a name, got {activation!r}")
    a = _j(x, "x")
    if a.ndim not in (1, 2) or a.shape[-1] != Ws[0].shape[1]:
        raise ValueError(f"x must have shape ({Ws[0].shape[1]},) or (N, {Ws[0].shape[1]}), "
                         f"got {tuple(a.shape)}")
    for W, b in zip(Ws, bs):
        a = sigma(_dense(W, b, a))
    return _np(a)


def _mlp_names(activation) -> tuple[str, str]:
    if isinstance(activation, str):
        hidden = output = activation
    elif isinstance(activation, (tuple, list)) and len(activation) == 2:
        hidden, output = activation
    else:
        raise ValueError("activation must be a name or a (hidden, output) pair of names")
    for a in (hidden, output):
        if a not in _ACTIVATIONS:
            raise ValueError(f"activation {a!r} not in {_ACTIVATIONS}")
    return hidden, output


def mlp_gradients(weights, biases, x, y, activation, loss):
    """(L, [dL/dW_l], [dL/db_l]) by jax.grad through flax Dense layers and optax losses.

    Losses: "mse" optax.squared_error, "mae" |a - y|, "bce" -[xlogy + xlog1py],
    "bce_with_logits" optax.sigmoid_binary_cross_entropy, "cross_entropy_with_logits"
    optax.softmax_cross_entropy, "hinge" optax.hinge_loss; each averaged as the protocol's.
    """
    if loss not in _LOSSES:
        raise ValueError(f"loss {loss!r} not in {_LOSSES}")
    hidden, output = _mlp_names(activation)
    Ws, bs = _layers(weights, biases)
    xt, yt = _j(x, "x"), _j(y, "y")
    if xt.ndim != 2 or xt.shape[1] != Ws[0].shape[1] or xt.shape[0] == 0:
        raise ValueError(f"x must have shape (N, {Ws[0].shape[1]}) with N >= 1, "
                         f"got {tuple(xt.shape)}")
    if tuple(yt.shape) != (xt.shape[0], Ws[-1].shape[0]):
        raise ValueError(f"y must have shape {(xt.shape[0], Ws[-1].shape[0])}, "
                         f"got {tuple(yt.shape)}")
    if loss in ("bce", "bce_with_logits"):
        _unit_interval(yt, "y")
    if loss == "hinge" and not bool(jnp.all(jnp.abs(yt) == 1)):
        raise ValueError("loss 'hinge' needs targets y in {-1, +1}")
    if loss == "cross_entropy_with_logits" and (
            bool(jnp.any(yt < 0)) or not bool(jnp.all(jnp.abs(yt.sum(1) - 1) <= _SIMPLEX_TOL))):
        raise ValueError("loss 'cross_entropy_with_logits' needs target rows that are "
                         "distributions (one-hot)")

    def forward(params):
        a = xt
        L = len(params[0])
        for l, (W, b) in enumerate(zip(*params), start=1):
            a = _JAX_ACT[output if l == L else hidden](_dense(W, b, a))
        return a

    def objective(params):
        a = forward(params)
        if loss == "mse":
            return jnp.mean(optax.squared_error(a, yt))
        if loss == "mae":
            return jnp.mean(jnp.abs(a - yt))
        if loss == "bce":
            return jnp.mean(_bce_terms(a, yt))
        if loss == "bce_with_logits":
            return jnp.mean(optax.sigmoid_binary_cross_entropy(a, yt))
        if loss == "cross_entropy_with_logits":
            return jnp.mean(optax.softmax_cross_entropy(a, yt))
        return jnp.mean(optax.hinge_loss(a, yt))

    params = (list(Ws), list(bs))
    if loss == "bce":
        a = forward(params)
        if bool(jnp.any(a <= 0)) or bool(jnp.any(a >= 1)):
            raise ValueError("loss 'bce' needs network outputs strictly inside (0, 1): use a "
                             "sigmoid output activation (or 'bce_with_logits')")
    value, (gW, gb) = jax.value_and_grad(objective)(params)
    return float(value), [_np(g) for g in gW], [_np(g) for g in gb]


def gradient_descent(grad, x0, *, eta: float, steps: int) -> np.ndarray:
    """Iterates of optax.sgd(learning_rate=eta) (no momentum) from x0.

    ``grad`` (a numpy callable) supplies each step's gradient; optax's update is
    -eta * grad, applied with optax.apply_updates. The run stops at the first non-finite
    gradient or iterate (which is not returned), as the protocol's.
    """
    if not callable(grad):
        raise ValueError("grad must be callable (x -> gradient at x)")
    x = _j(x0, "x0")
    if x.ndim != 1 or x.shape[0] == 0:
        raise ValueError(f"x0 must be a non-empty 1-D vector, got shape {tuple(x.shape)}")
    lr = _real(eta, "eta", lo=0.0)
    steps = _positive_int(steps, "steps")
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be <= {MAX_STEPS}, got {steps}")
    tx = optax.sgd(learning_rate=lr)
    state = tx.init(x)
    out = np.empty((steps + 1, x.shape[0]))
    out[0] = _np(x)
    for t in range(1, steps + 1):
        g = np.asarray(grad(_np(x)), dtype=np.float64)
        if g.shape != tuple(x.shape):
            raise ValueError(f"grad returned shape {g.shape}, expected {tuple(x.shape)}")
        if not np.all(np.isfinite(g)):
            return out[:t]
        updates, state = tx.update(jnp.asarray(g), state, x)
        x = optax.apply_updates(x, updates)
        if not bool(jnp.all(jnp.isfinite(x))):
            return out[:t]
        out[t] = _np(x)
    return out


#: protocol names JAX has no building block for: not defined here, so their checks skip
#: as "not provided" (never filled in with the reference code or with numpy)
NOT_PROVIDED = {
    "Tensor": "JAX is functional: jax.grad transforms functions and there is no tensor "
              "object recording a graph; autodiff is exercised through the *_grad names "
              "and mlp_gradients",
    "mlp_flop_counts": "the protocol counts every elementwise op; XLA's cost analysis "
                       "counts fused HLO ops",
    "linear_collapse": "no JAX block multiplies out a linear stack",
    "soft_threshold": "neither jax.nn nor optax has the soft-thresholding operator",
    "sign_activation": "jnp.sign(0) = 0, not the perceptron's +1; JAX has no perceptron",
    "perceptron_train": "JAX has no perceptron learning rule",
    "augment_with_one": "part of the perceptron, which JAX lacks",
    "separate": "JAX has no linear-separability decision procedure",
    "Separable": "JAX has no linear-separability decision procedure",
    "Inseparable": "JAX has no linear-separability decision procedure",
    "boolean_census": "JAX has no Boolean-function census",
    "boolean_points": "JAX has no Boolean-function census",
    "threshold_census": "JAX has no Boolean-function census",
    "threshold_census_by_classes": "JAX has no Boolean-function census",
    "sigmoid_bump": "the UAT construction is not a JAX block",
    "uat_plan_1d": "the UAT construction is not a JAX block",
    "uat_network_1d": "the UAT construction is not a JAX block",
    "uat_network_ridges": "the UAT construction is not a JAX block",
    "ridge": "JAX has no ridge-regression solver",
    "lasso": "JAX has no lasso solver",
    "min_norm_least_squares": "regression solver, not a JAX training block",
    "least_squares_gd": "regression helper, not a JAX training block",
    "random_relu_features": "regression helper, not a JAX training block",
}
