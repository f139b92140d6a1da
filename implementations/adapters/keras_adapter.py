"""Keras 3's own building blocks behind the verifier's protocol (``pytest --impl keras``).

Every name below is computed by Keras itself: ``keras.activations`` and ``keras.ops`` for
the activations and the softmax family, the ``keras.losses`` loss classes (with Keras'
default ``sum_over_batch_size`` reduction, the path ``model.compile(loss=...)`` takes),
``keras.initializers``, the layers ``Dense``, ``PReLU``, ``BatchNormalization``,
``LayerNormalization``, ``RMSNormalization`` and ``Dropout``, and ``keras.optimizers.SGD``
(plain, and with ``global_clipnorm`` for the clip). numpy arrays go in and come out, as
the protocol (``implementations/__init__.py``) requires. Our code here converts arrays,
validates arguments and converts *conventions* where the protocol and Keras name the same
quantity differently - each conversion is spelled out at the function that does it.
Nothing falls back to the reference implementation or to numpy arithmetic: a protocol name
Keras has no block for is not defined (``NOT_PROVIDED`` at the end of this module), so its
checks skip as "not provided".

Backend: torch (``KERAS_BACKEND=torch``, set here before Keras is imported). Of Keras'
three backends, torch reuses the PyTorch 2.13.0 CPU build the project already installs for
its PyTorch pass (``make torch``; a wheel on disk), so the Keras pass adds only Keras and
its five small pure-Python/compiled helpers (``requirements-keras.lock``). The jax backend
would reuse ``requirements-jax.lock`` equally well, but the torch backend is the one the
issue's findings were made on, and it keeps the two framework passes apart (the JAX pass
tests JAX's own blocks). TensorFlow would be a download of several hundred MB for no
finding the others lack. Derivatives are taken the way Keras trains on this backend:
``torch.autograd`` through Keras' own functions and layers (Keras' torch trainer does
exactly that); nothing is differentiated by hand.

Precision: the protocol's inputs are float64 and every layer here is built with
``dtype="float64"``, but Keras computes many blocks in float32 anyway - on every backend
but TensorFlow its type promotion maps float64 to float32
(``keras.backend.result_type("float64", "float64") == "float32"``), which ``ops.matmul``
(Dense), the loss reductions, the clip factor and the normalisation layers go through.
The module therefore declares ``CONVENTIONS["precision"] = "float32"``: its results are
float32-accurate, whatever dtype they come back in. Results are returned as float64
numpy arrays (the protocol's type), so the harness can see the loss of accuracy only by
value; the demotion itself is the §7 finding ``keras-float64-inputs-computed-in-float32``.

Randomness (the protocol's ``rng`` is a ``numpy.random.Generator``): each random call draws
ONE integer ``s = rng.integers(0, 2**31 - 1)`` and passes it as the ``seed`` of the Keras
initializer or Dropout layer, so a run is reproducible from the root seed and torch's
global generator is left alone.

Conventions this adapter declares (``CONVENTIONS``; the checks test the declared value
where the article leaves the choice open, and report the difference as a §7 finding):

* ``running_var = "biased"``: Keras' BatchNormalization averages the *biased* batch
  variance (``ops.moments``) into ``moving_variance``;
* ``batchnorm_momentum``: Keras' ``momentum`` weights the *old* moving value
  (``moving <- momentum moving + (1 - momentum) batch``, default 0.99); the protocol's
  momentum weights the new batch, so this adapter passes ``1 - momentum``;
* ``relu_grad_at_0 = 0``: ``keras.activations.relu`` is ``torch.relu`` on this backend,
  whose autograd derivative at 0 is 0; ``leaky_relu_grad_at_0 = "left"`` and
  ``elu_grad_at_0 = "left"`` likewise (torch's leaky_relu and elu take the z <= 0 branch
  at 0: alpha). ``PReLU`` is written ``relu(z) - alpha relu(-z)`` in Keras, so its
  derivative at 0 is 0 + 0 = 0 - not a one-sided derivative; nothing is declared for it
  and the checks see it (§7 ``keras-prelu-derivative-at-zero-is-zero``).

Layout conversions (protocol <- Keras):

* weights: the protocol's W has shape (fan_out, fan_in); Keras' Dense kernel and its
  initializers' 2-D shapes are (fan_in, fan_out). ``mlp_forward`` and ``mlp_gradients``
  set the kernel to ``W.T`` and return kernel gradients transposed back; the initialisers
  draw shape (fan_in, fan_out) and return the transpose.
* ``prelu``: Keras' PReLU holds one slope per entry of a sample (shape ``input_shape[1:]``);
  the protocol's alpha broadcasts to z's shape, so z is passed as a batch of one sample and
  the slope set to alpha broadcast to z's shape.
* ``kl_divergence(p, q)`` = ``keras.losses.kl_divergence(y_true=p, y_pred=q)``;
  ``cross_entropy(p, q)`` = ``keras.losses.categorical_crossentropy(p, q)``; both clip the
  probabilities to [1e-7, 1] (§7 ``keras-losses-clip-probabilities-at-epsilon``).
* ``dropout_train``/``dropout_eval``: Keras' Dropout is inverted (training output
  m h / (1 - p), inference h); ``inverted=False`` rescales by (1 - p) explicitly.
"""
from __future__ import annotations

import math
import os
import sys
from numbers import Real

import numpy as np

if "keras" in sys.modules:  # already imported: it must already run on torch
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "torch":
        raise ImportError("keras was imported before the adapter with another backend; "
                          "the Keras adapter runs on KERAS_BACKEND=torch")
os.environ["KERAS_BACKEND"] = "torch"

import torch  # noqa: E402

torch.set_num_threads(1)  # tiny arrays: one thread is faster and reduces in a fixed order

import keras  # noqa: E402
from keras import ops  # noqa: E402
from keras.src.optimizers.base_optimizer import global_norm as _keras_global_norm  # noqa: E402

if keras.backend.backend() != "torch":  # pragma: no cover - guarded above
    raise ImportError(f"Keras runs on {keras.backend.backend()!r}, the adapter needs torch")

DTYPE = "float64"  # what every layer is built with (Keras still demotes: see above)

_ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")
_LOSSES = ("mse", "mae", "bce", "bce_with_logits", "cross_entropy_with_logits", "hinge")
_SIMPLEX_TOL = 1e-9  # the protocol's tolerance on the sum of a distribution
MAX_STEPS = 1_000_000
MAX_LAYERS = 10_000
MAX_ELEMENTS = 2**25  # 256 MiB of float64 per initialiser call

#: conventions the article leaves open, declared for the checks (see the module docstring)
CONVENTIONS = {
    "precision": "float32",  # Keras demotes float64 to float32 on the torch backend
    "running_var": "biased",
    "relu_grad_at_0": 0.0,
    "leaky_relu_grad_at_0": "left",
    "elu_grad_at_0": "left",
}


# -- conversion and validation ---------------------------------------------------------------
def _array(x, name: str, *, min_ndim: int = 0) -> np.ndarray:
    if isinstance(x, (str, bytes)) or np.iscomplexobj(x):
        raise ValueError(f"{name} must be a real numeric array")
    try:
        a = np.array(x, dtype=np.float64)  # a copy: Keras never aliases the caller's array
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array: {exc}") from None
    if a.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return a


def _t(x, name: str = "z", *, min_ndim: int = 0) -> torch.Tensor:
    return torch.from_numpy(_array(x, name, min_ndim=min_ndim))


def _np(t) -> np.ndarray:
    """A Keras result (a torch tensor on this backend) as a float64 numpy array."""
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy().astype(np.float64)
    return np.array(ops.convert_to_numpy(t), dtype=np.float64)


def _scalar(t) -> float:
    return float(_np(t))


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


def _seed(rng) -> int:
    """One draw of the numpy ``rng``: the seed of this call's Keras initializer/layer."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return int(rng.integers(0, 2**31 - 1))


def _derivative(fn, z) -> np.ndarray:
    """d fn / dz elementwise: torch.autograd of sum(fn(z)) through Keras' function."""
    zt = _t(z).requires_grad_(True)
    (g,) = torch.autograd.grad(fn(zt).sum(), zt)
    return _np(g)


# -- activations (keras.activations) ---------------------------------------------------------
def sigmoid(z) -> np.ndarray:
    """keras.activations.sigmoid(z)."""
    return _np(keras.activations.sigmoid(_t(z)))


def tanh(z) -> np.ndarray:
    """keras.activations.tanh(z)."""
    return _np(keras.activations.tanh(_t(z)))


def relu(z) -> np.ndarray:
    """keras.activations.relu(z)."""
    return _np(keras.activations.relu(_t(z)))


def _leaky_alpha(alpha) -> float:
    return _real(alpha, "alpha", lo=0.0, hi=1.0)


def leaky_relu(z, alpha: float = 0.01) -> np.ndarray:
    """keras.activations.leaky_relu(z, negative_slope=alpha)."""
    a = _leaky_alpha(alpha)
    return _np(keras.activations.leaky_relu(_t(z), negative_slope=a))


def _elu_alpha(alpha) -> float:
    return _real(alpha, "alpha", lo=0.0)


def elu(z, alpha: float = 1.0) -> np.ndarray:
    """keras.activations.elu(z, alpha)."""
    a = _elu_alpha(alpha)
    return _np(keras.activations.elu(_t(z), alpha=a))


def gelu(z) -> np.ndarray:
    """keras.activations.gelu(z, approximate=False): z Phi(z)."""
    return _np(keras.activations.gelu(_t(z), approximate=False))


def gelu_tanh(z) -> np.ndarray:
    """keras.activations.gelu(z, approximate=True) (the tanh form; Keras' default)."""
    return _np(keras.activations.gelu(_t(z), approximate=True))


def silu(z) -> np.ndarray:
    """keras.activations.silu(z) = z sigmoid(z)."""
    return _np(keras.activations.silu(_t(z)))


def _prelu_layer(z: torch.Tensor, alpha) -> keras.layers.PReLU:
    """keras.layers.PReLU for one sample of z's shape, its slope alpha broadcast to it."""
    try:
        a = np.array(alpha, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"alpha must be numeric: {exc}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError("alpha contains NaN or infinite entries")
    try:
        full = np.broadcast_to(a, tuple(z.shape))
    except ValueError:
        raise ValueError(f"alpha of shape {a.shape} does not broadcast to z's shape "
                         f"{tuple(z.shape)}") from None
    if full.shape != tuple(z.shape):
        raise ValueError(f"alpha of shape {a.shape} does not broadcast to z's shape")
    layer = keras.layers.PReLU(dtype=DTYPE)
    layer.build((None, *z.shape))
    layer.alpha.assign(np.array(full))
    return layer


def prelu(z, alpha) -> np.ndarray:
    """keras.layers.PReLU with its slope weight set to alpha (broadcast to z's shape)."""
    zt = _t(z)
    layer = _prelu_layer(zt, alpha)
    return _np(layer(zt[None])[0])


# -- derivatives (torch.autograd through the Keras functions) -------------------------------
def sigmoid_grad(z) -> np.ndarray:
    """autograd of keras.activations.sigmoid."""
    return _derivative(keras.activations.sigmoid, z)


def tanh_grad(z) -> np.ndarray:
    """autograd of keras.activations.tanh."""
    return _derivative(keras.activations.tanh, z)


def relu_grad(z) -> np.ndarray:
    """autograd of keras.activations.relu (0 at z = 0: torch.relu's)."""
    return _derivative(keras.activations.relu, z)


def leaky_relu_grad(z, alpha: float = 0.01) -> np.ndarray:
    """autograd of keras.activations.leaky_relu (alpha at z = 0)."""
    a = _leaky_alpha(alpha)
    return _derivative(lambda t: keras.activations.leaky_relu(t, negative_slope=a), z)


def elu_grad(z, alpha: float = 1.0) -> np.ndarray:
    """autograd of keras.activations.elu."""
    a = _elu_alpha(alpha)
    return _derivative(lambda t: keras.activations.elu(t, alpha=a), z)


def gelu_grad(z) -> np.ndarray:
    """autograd of keras.activations.gelu(approximate=False)."""
    return _derivative(lambda t: keras.activations.gelu(t, approximate=False), z)


def gelu_tanh_grad(z) -> np.ndarray:
    """autograd of keras.activations.gelu(approximate=True)."""
    return _derivative(lambda t: keras.activations.gelu(t, approximate=True), z)


def silu_grad(z) -> np.ndarray:
    """autograd of keras.activations.silu."""
    return _derivative(keras.activations.silu, z)


def prelu_grad(z, alpha) -> np.ndarray:
    """autograd of keras.layers.PReLU with respect to its input (0 at z = 0 in Keras)."""
    zt = _t(z)
    layer = _prelu_layer(zt, alpha)
    x = zt[None].clone().requires_grad_(True)
    (g,) = torch.autograd.grad(layer(x).sum(), x)
    return _np(g[0])


def prelu_alpha_grad(z, alpha) -> np.ndarray:
    """d prelu / d alpha per element: autograd with respect to PReLU's slope weight, which
    holds one slope per element of z (alpha broadcast), so its gradient is per element."""
    zt = _t(z)
    layer = _prelu_layer(zt, alpha)
    (g,) = torch.autograd.grad(layer(zt[None]).sum(), layer.alpha.value)
    return _np(g).reshape(zt.shape)


# -- softmax family (keras.ops) --------------------------------------------------------------
def _axis(axis, ndim: int) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) \
            or not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis!r} out of range for {ndim} dimension(s)")
    return int(axis)


def softmax(z, axis: int = -1) -> np.ndarray:
    """keras.ops.softmax(z, axis)."""
    zt = _t(z, min_ndim=1)
    return _np(ops.softmax(zt, axis=_axis(axis, zt.ndim)))


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """keras.ops.log_softmax(z, axis)."""
    zt = _t(z, min_ndim=1)
    return _np(ops.log_softmax(zt, axis=_axis(axis, zt.ndim)))


def log_sigmoid(z) -> np.ndarray:
    """keras.ops.log_sigmoid(z)."""
    return _np(ops.log_sigmoid(_t(z)))


def soft_threshold(z, t) -> np.ndarray:
    """keras.ops.soft_shrink(z, threshold=t) (one scalar threshold)."""
    zt = _t(z)
    if isinstance(t, np.ndarray) and t.ndim > 0 or isinstance(t, (list, tuple)):
        raise ValueError("t must be a scalar: keras.ops.soft_shrink takes one threshold")
    thr = _real(t, "t", lo=0.0, lo_open=False)
    return _np(ops.soft_shrink(zt, threshold=thr))


# -- losses (keras.losses classes, default reduction) ----------------------------------------
def _pair(a, b, na: str, nb: str) -> tuple[torch.Tensor, torch.Tensor]:
    ta, tb = _array(a, na), _array(b, nb)
    if ta.size == 0:
        raise ValueError(f"{na} is empty")
    if ta.shape != tb.shape:
        raise ValueError(f"{na} and {nb} must have the same shape, got {ta.shape} and "
                         f"{tb.shape}")
    # a 0-d pair is one sample: Keras' losses reduce over the last axis, which needs one
    return torch.from_numpy(np.atleast_1d(ta)), torch.from_numpy(np.atleast_1d(tb))


def _unit_interval(t: torch.Tensor, name: str) -> None:
    if bool(torch.any(t < 0)) or bool(torch.any(t > 1)):
        raise ValueError(f"{name} must lie in [0, 1]")


def _distribution(x, name: str) -> torch.Tensor:
    a = _array(x, name, min_ndim=1)
    if a.size == 0:
        raise ValueError(f"{name} is empty")
    if np.any(a < 0):
        raise ValueError(f"{name} has negative entries (not a probability distribution)")
    if not np.all(np.abs(a.sum(-1) - 1.0) <= _SIMPLEX_TOL):
        raise ValueError(f"{name} must sum to 1 along the last axis (within {_SIMPLEX_TOL})")
    return torch.from_numpy(a)


def _rows(t: torch.Tensor, name: str) -> torch.Tensor:
    if t.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples x classes), got {tuple(t.shape)}")
    return t


def _loss(cls, y_true, y_pred, **kw) -> float:
    """Keras' loss class with its default reduction (the mean over the batch)."""
    return _scalar(cls(dtype=DTYPE, **kw)(y_true, y_pred))


def _flat(t: torch.Tensor) -> torch.Tensor:
    # Keras' elementwise losses average over the last axis, then over the batch: for the
    # protocol's mean over every entry the entries are laid out as one batch of rows of 1
    return t.reshape(-1, 1)


def mse_loss(pred, target) -> float:
    """keras.losses.MeanSquaredError()(target, pred)."""
    p, t = _pair(pred, target, "pred", "target")
    return _loss(keras.losses.MeanSquaredError, _flat(t), _flat(p))


def mae_loss(pred, target) -> float:
    """keras.losses.MeanAbsoluteError()(target, pred)."""
    p, t = _pair(pred, target, "pred", "target")
    return _loss(keras.losses.MeanAbsoluteError, _flat(t), _flat(p))


def binary_cross_entropy(prob, target) -> float:
    """keras.losses.BinaryCrossentropy()(target, prob) (probabilities clipped to [1e-7,
    1 - 1e-7] by Keras)."""
    p, y = _pair(prob, target, "prob", "target")
    _unit_interval(p, "prob")
    _unit_interval(y, "target")
    return _loss(keras.losses.BinaryCrossentropy, _flat(y), _flat(p))


def binary_cross_entropy_with_logits(logits, target) -> float:
    """keras.losses.BinaryCrossentropy(from_logits=True)(target, logits)."""
    z, y = _pair(logits, target, "logits", "target")
    _unit_interval(y, "target")
    return _loss(keras.losses.BinaryCrossentropy, _flat(y), _flat(z), from_logits=True)


def categorical_cross_entropy(probs, target_onehot) -> float:
    """keras.losses.CategoricalCrossentropy()(target, probs)."""
    p = _rows(_distribution(probs, "probs"), "probs")
    y = _rows(_distribution(target_onehot, "target_onehot"), "target_onehot")
    if p.shape != y.shape:
        raise ValueError(f"probs and target_onehot must have the same shape, got "
                         f"{tuple(p.shape)} and {tuple(y.shape)}")
    return _loss(keras.losses.CategoricalCrossentropy, y, p)


def cross_entropy_with_logits(logits, target_onehot) -> float:
    """keras.losses.CategoricalCrossentropy(from_logits=True)(target, logits)."""
    z = _rows(_t(logits, "logits"), "logits")
    y = _rows(_distribution(target_onehot, "target_onehot"), "target_onehot")
    if z.shape != y.shape:
        raise ValueError(f"logits and target_onehot must have the same shape, got "
                         f"{tuple(z.shape)} and {tuple(y.shape)}")
    return _loss(keras.losses.CategoricalCrossentropy, y, z, from_logits=True)


def hinge_loss(score, target_pm1) -> float:
    """keras.losses.Hinge()(target, score) = mean max(0, 1 - y s), y in {-1, +1}."""
    s, y = _pair(score, target_pm1, "score", "target_pm1")
    if not bool(torch.all(torch.abs(y) == 1)):
        raise ValueError("target_pm1 must hold labels in {-1, +1}")
    return _loss(keras.losses.Hinge, _flat(y), _flat(s))


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
    """keras.losses.kl_divergence(y_true=p, y_pred=q) / ln base (Keras clips p and q to
    [1e-7, 1] first)."""
    pt, qt = _dist_pair(p, q)
    lb = _log_base(base)
    return _info_out(keras.losses.kl_divergence(pt, qt) / lb)


def entropy(p, base: float = math.e):
    """H(p) = keras.losses.categorical_crossentropy(p, p) / ln base.

    Keras has no entropy function; its cross-entropy of p with itself is H(p, p) = H(p)
    (with Keras' clipping of the second argument to [1e-7, 1 - 1e-7])."""
    pt = _distribution(p, "p")
    lb = _log_base(base)
    return _info_out(keras.losses.categorical_crossentropy(pt, pt) / lb)


def cross_entropy(p, q, base: float = math.e):
    """H(p, q) = keras.losses.categorical_crossentropy(y_true=p, y_pred=q) / ln base."""
    pt, qt = _dist_pair(p, q)
    lb = _log_base(base)
    return _info_out(keras.losses.categorical_crossentropy(pt, qt) / lb)


# -- initialisers (keras.initializers, seeds from the numpy rng) ----------------------------
def _kernel_shape(fan_in, fan_out) -> tuple[int, int]:
    fi, fo = _positive_int(fan_in, "fan_in"), _positive_int(fan_out, "fan_out")
    if fi * fo > MAX_ELEMENTS:
        raise ValueError(f"fan_in * fan_out = {fi * fo} exceeds {MAX_ELEMENTS} weights "
                         "(256 MiB of float64)")
    return fi, fo  # Keras' kernel layout (fan_in, fan_out)


def _draw(init, shape) -> np.ndarray:
    """Keras draws shape (fan_in, fan_out); the protocol's W is its transpose."""
    return _np(init(shape=shape, dtype=DTYPE)).T.copy()


def _gain(gain) -> float:
    return _real(gain, "gain", lo=0.0, hi=1e150, hi_open=False)


def xavier_normal(fan_in, fan_out, *, rng, gain: float = 1.0) -> np.ndarray:
    """keras.initializers.GlorotNormal (VarianceScaling(gain^2, "fan_avg",
    "truncated_normal") for gain != 1): a normal truncated at 2 sd, rescaled."""
    shape = _kernel_shape(fan_in, fan_out)
    g = _gain(gain)
    s = _seed(rng)
    init = (keras.initializers.GlorotNormal(seed=s) if g == 1.0 else
            keras.initializers.VarianceScaling(g * g, "fan_avg", "truncated_normal", seed=s))
    return _draw(init, shape)


def xavier_uniform(fan_in, fan_out, *, rng, gain: float = 1.0) -> np.ndarray:
    """keras.initializers.GlorotUniform (VarianceScaling(gain^2, "fan_avg", "uniform"))."""
    shape = _kernel_shape(fan_in, fan_out)
    g = _gain(gain)
    s = _seed(rng)
    init = (keras.initializers.GlorotUniform(seed=s) if g == 1.0 else
            keras.initializers.VarianceScaling(g * g, "fan_avg", "uniform", seed=s))
    return _draw(init, shape)


def he_normal(fan_in, fan_out, *, rng) -> np.ndarray:
    """keras.initializers.HeNormal (a truncated normal of variance 2 / fan_in)."""
    shape = _kernel_shape(fan_in, fan_out)
    return _draw(keras.initializers.HeNormal(seed=_seed(rng)), shape)


def he_uniform(fan_in, fan_out, *, rng) -> np.ndarray:
    """keras.initializers.HeUniform (U(-a, a), a = sqrt(6 / fan_in))."""
    shape = _kernel_shape(fan_in, fan_out)
    return _draw(keras.initializers.HeUniform(seed=_seed(rng)), shape)


# -- normalisation layers (keras.layers) -----------------------------------------------------
def _matrix(x, name: str = "x") -> np.ndarray:
    a = _array(x, name)
    if a.ndim != 2 or 0 in a.shape:
        raise ValueError(f"{name} must be a non-empty 2-D array (samples x features), "
                         f"got shape {a.shape}")
    return a


def _vector(v, name: str, F_: int) -> np.ndarray:
    a = _array(v, name)
    if a.ndim != 1 or a.shape[0] != F_:
        raise ValueError(f"{name} must be 1-D of length {F_}, got shape {a.shape}")
    return a


def _running_var(v, F_: int) -> np.ndarray:
    a = _vector(v, "running_var", F_)
    if np.any(a < 0):
        raise ValueError("running_var must be >= 0")
    return a


def _batchnorm(F_: int, gamma, beta, rm, rv, *, momentum: float, eps: float):
    bn = keras.layers.BatchNormalization(axis=-1, momentum=momentum, epsilon=eps,
                                         dtype=DTYPE)
    bn.build((None, F_))
    bn.gamma.assign(gamma)
    bn.beta.assign(beta)
    bn.moving_mean.assign(rm)
    bn.moving_variance.assign(rv)
    return bn


def batchnorm_train(x, gamma, beta, running_mean, running_var, *, momentum: float,
                    eps: float):
    """keras.layers.BatchNormalization()(x, training=True): (y, new moving mean, new moving
    variance).

    Keras' momentum weights the OLD moving value: it is given 1 - momentum. Keras
    normalises with the biased batch variance, computed (``ops.moments`` on torch) as
    E[x^2] - E[x]^2, and averages that same variance into moving_variance.
    """
    X = _matrix(x)
    B, F_ = X.shape
    if B < 2:
        raise ValueError(f"batchnorm_train needs a batch of at least 2 samples, got {B}")
    g, b = _vector(gamma, "gamma", F_), _vector(beta, "beta", F_)
    rm, rv = _vector(running_mean, "running_mean", F_), _running_var(running_var, F_)
    mom = _real(momentum, "momentum", lo=0.0, hi=1.0, lo_open=False, hi_open=False)
    e = _real(eps, "eps", lo=0.0)
    bn = _batchnorm(F_, g, b, rm, rv, momentum=1.0 - mom, eps=e)
    y = bn(torch.from_numpy(X), training=True)
    return _np(y), _np(bn.moving_mean.value), _np(bn.moving_variance.value)


def batchnorm_eval(x, gamma, beta, running_mean, running_var, *, eps: float) -> np.ndarray:
    """keras.layers.BatchNormalization()(x, training=False)."""
    X = _matrix(x)
    F_ = X.shape[1]
    g, b = _vector(gamma, "gamma", F_), _vector(beta, "beta", F_)
    rm, rv = _vector(running_mean, "running_mean", F_), _running_var(running_var, F_)
    e = _real(eps, "eps", lo=0.0)
    bn = _batchnorm(F_, g, b, rm, rv, momentum=0.99, eps=e)
    return _np(bn(torch.from_numpy(X), training=False))


def _samples(x) -> np.ndarray:
    a = _array(x, "x")
    if a.ndim not in (1, 2) or 0 in a.shape:
        raise ValueError(f"x must be one sample (F,) or a batch (B, F), got {a.shape}")
    return a


def layernorm(x, gamma, beta, *, eps: float) -> np.ndarray:
    """keras.layers.LayerNormalization(axis=-1) with gamma and beta set."""
    X = _samples(x)
    F_ = X.shape[-1]
    g, b = _vector(gamma, "gamma", F_), _vector(beta, "beta", F_)
    e = _real(eps, "eps", lo=0.0)
    ln = keras.layers.LayerNormalization(axis=-1, epsilon=e, dtype=DTYPE)
    ln.build((None, F_))
    ln.gamma.assign(g)
    ln.beta.assign(b)
    X2 = X.reshape(-1, F_)
    return _np(ln(torch.from_numpy(X2))).reshape(X.shape)


def rmsnorm(x, gamma, *, eps: float) -> np.ndarray:
    """keras.layers.RMSNormalization(axis=-1) with its scale set to gamma."""
    X = _samples(x)
    F_ = X.shape[-1]
    g = _vector(gamma, "gamma", F_)
    e = _real(eps, "eps", lo=0.0)
    rn = keras.layers.RMSNormalization(axis=-1, epsilon=e, dtype=DTYPE)
    rn.build((None, F_))
    rn.scale.assign(g)
    X2 = X.reshape(-1, F_)
    return _np(rn(torch.from_numpy(X2))).reshape(X.shape)


# -- dropout (keras.layers.Dropout) ----------------------------------------------------------
def _dropout_args(h, p) -> tuple[np.ndarray, float]:
    a = _array(h, "h")
    if a.ndim == 0 or a.size == 0:
        raise ValueError(f"h must be a non-empty array of activations, got {a.shape}")
    rate = _real(p, "p (the drop probability)", lo=0.0, hi=1.0, lo_open=False, hi_open=True)
    return a, rate


def dropout_train(h, p, *, rng, inverted: bool = False):
    """keras.layers.Dropout(rate=p, seed=s)(h, training=True): (output, mask).

    Keras' output is m h / (1 - p) (inverted); ``inverted=False`` multiplies it by
    (1 - p). The mask is read off by a second layer with the same seed applied to ones.
    """
    a, rate = _dropout_args(h, p)
    if not isinstance(inverted, (bool, np.bool_)):
        raise ValueError(f"inverted must be True or False, got {inverted!r}")
    s = _seed(rng)
    out = keras.layers.Dropout(rate, seed=s, dtype=DTYPE)(torch.from_numpy(a), training=True)
    kept = keras.layers.Dropout(rate, seed=s, dtype=DTYPE)(
        torch.ones(a.shape, dtype=torch.float64), training=True)
    mask = (kept != 0).to(torch.float64)
    if bool(torch.any(out[mask == 0] != 0)):
        raise RuntimeError("replayed dropout mask disagrees with Keras' Dropout output")
    if not inverted:
        out = out * (1.0 - rate)
    return _np(out), _np(mask)


def dropout_eval(h, p, *, inverted: bool = False) -> np.ndarray:
    """keras.layers.Dropout(rate=p)(h, training=False) (the identity); (1 - p) h if not
    inverted."""
    a, rate = _dropout_args(h, p)
    if not isinstance(inverted, (bool, np.bool_)):
        raise ValueError(f"inverted must be True or False, got {inverted!r}")
    out = keras.layers.Dropout(rate, dtype=DTYPE)(torch.from_numpy(a), training=False)
    return _np(out if inverted else (1.0 - rate) * out)


# -- gradient clipping (keras.optimizers.SGD(global_clipnorm=...)) ---------------------------
def clip_grad_norm(grads, max_norm: float):
    """The gradients keras.optimizers.SGD(global_clipnorm=max_norm) applies, and Keras'
    global norm of ``grads`` (the function its optimizer clips with).

    The optimizer is given learning rate 1 and variables at 0, so the variables after one
    step are exactly minus the clipped gradients. Keras' scale is
    max_norm * min(1/||g||, 1/max_norm) + (||g|| - ||g||), its norm sqrt(sum of squares).
    """
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise ValueError("grads must be a list or tuple of arrays (one per parameter)")
    if len(grads) == 0:
        raise ValueError("grads is empty")
    arrs = []
    for k, g in enumerate(grads):
        if isinstance(g, (str, bytes)) or np.iscomplexobj(g):
            raise ValueError(f"grads[{k}] must be a real numeric array")
        try:
            arrs.append(np.array(g, dtype=np.float64))  # NaN/inf allowed (documented)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"grads[{k}] must be a numeric array: {exc}") from None
    tau = _real(max_norm, "max_norm", lo=0.0)
    tensors = [torch.from_numpy(a) for a in arrs]
    norm = _scalar(_keras_global_norm(tensors))
    variables = [keras.Variable(np.zeros(a.shape), dtype=DTYPE) for a in arrs]
    opt = keras.optimizers.SGD(learning_rate=1.0, global_clipnorm=tau)
    opt.apply_gradients(zip(tensors, variables))
    return [-_np(v.value) for v in variables], norm


# -- networks (keras.layers.Dense), autograd, keras.optimizers.SGD --------------------------
_KERAS_ACT = {"identity": keras.activations.linear, "sigmoid": keras.activations.sigmoid,
              "tanh": keras.activations.tanh, "relu": keras.activations.relu,
              "leaky_relu": keras.activations.leaky_relu, "elu": keras.activations.elu,
              "gelu": lambda t: keras.activations.gelu(t, approximate=False),
              "gelu_tanh": lambda t: keras.activations.gelu(t, approximate=True),
              "silu": keras.activations.silu}


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
        Ws.append(Wa)
        bs.append(ba)
    return Ws, bs


def _dense_layers(Ws, bs) -> list:
    """keras.layers.Dense per layer, kernel W^T (Keras' (fan_in, fan_out) layout), bias b."""
    out = []
    for W, b in zip(Ws, bs):
        d = keras.layers.Dense(W.shape[0], dtype=DTYPE)
        d.build((None, W.shape[1]))
        d.kernel.assign(W.T)
        d.bias.assign(b)
        out.append(d)
    return out


def mlp_forward(weights, biases, x, activation) -> np.ndarray:
    """a_l = activation(Dense_l(a_{l-1})) (keras.layers.Dense; activation from
    keras.activations or a numpy callable applied to the pre-activations)."""
    Ws, bs = _layers(weights, biases)
    if isinstance(activation, str):
        if activation not in _KERAS_ACT:
            raise ValueError(f"activation must be a callable or one of {sorted(_KERAS_ACT)}, "
                             f"got {activation!r}")
        sigma = _KERAS_ACT[activation]
    elif callable(activation):
        def sigma(t, f=activation):
            return torch.from_numpy(np.array(f(_np(t)), dtype=np.float64))
    else:
        raise ValueError(f"activation must be a callable or a name, got {activation!r}")
    a = _array(x, "x")
    if a.ndim not in (1, 2) or a.shape[-1] != Ws[0].shape[1]:
        raise ValueError(f"x must have shape ({Ws[0].shape[1]},) or (N, {Ws[0].shape[1]}), "
                         f"got {a.shape}")
    single = a.ndim == 1
    h = torch.from_numpy(a[None] if single else a)
    for d in _dense_layers(Ws, bs):
        h = sigma(d(h))
    out = _np(h)
    return out[0] if single else out


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


_LOSS_CLASSES = {
    "mse": (keras.losses.MeanSquaredError, {}),
    "mae": (keras.losses.MeanAbsoluteError, {}),
    "bce": (keras.losses.BinaryCrossentropy, {}),
    "bce_with_logits": (keras.losses.BinaryCrossentropy, {"from_logits": True}),
    "cross_entropy_with_logits": (keras.losses.CategoricalCrossentropy, {"from_logits": True}),
    "hinge": (keras.losses.Hinge, {}),
}


def mlp_gradients(weights, biases, x, y, activation, loss):
    """(L, [dL/dW_l], [dL/db_l]) by torch.autograd through Keras Dense layers and a Keras
    loss class (default reduction). The elementwise losses (mse, mae, bce, hinge) are
    averaged over every entry, as the protocol's: the outputs are laid out as rows of 1."""
    if loss not in _LOSSES:
        raise ValueError(f"loss {loss!r} not in {_LOSSES}")
    hidden, output = _mlp_names(activation)
    Ws, bs = _layers(weights, biases)
    xa, ya = _array(x, "x"), _array(y, "y")
    if xa.ndim != 2 or xa.shape[1] != Ws[0].shape[1] or xa.shape[0] == 0:
        raise ValueError(f"x must have shape (N, {Ws[0].shape[1]}) with N >= 1, "
                         f"got {xa.shape}")
    if ya.shape != (xa.shape[0], Ws[-1].shape[0]):
        raise ValueError(f"y must have shape {(xa.shape[0], Ws[-1].shape[0])}, "
                         f"got {ya.shape}")
    if loss in ("bce", "bce_with_logits") and (np.any(ya < 0) or np.any(ya > 1)):
        raise ValueError("y must lie in [0, 1]")
    if loss == "hinge" and not np.all(np.abs(ya) == 1):
        raise ValueError("loss 'hinge' needs targets y in {-1, +1}")
    if loss == "cross_entropy_with_logits" and (
            np.any(ya < 0) or not np.all(np.abs(ya.sum(1) - 1) <= _SIMPLEX_TOL)):
        raise ValueError("loss 'cross_entropy_with_logits' needs target rows that are "
                         "distributions (one-hot)")
    layers = _dense_layers(Ws, bs)
    h = torch.from_numpy(xa)
    for l, d in enumerate(layers, start=1):
        h = _KERAS_ACT[output if l == len(layers) else hidden](d(h))
    yt = torch.from_numpy(ya)
    if loss == "bce" and (bool(torch.any(h <= 0)) or bool(torch.any(h >= 1))):
        raise ValueError("loss 'bce' needs network outputs strictly inside (0, 1): use a "
                         "sigmoid output activation (or 'bce_with_logits')")
    cls, kw = _LOSS_CLASSES[loss]
    fn = cls(dtype=DTYPE, **kw)
    value = fn(yt, h) if loss == "cross_entropy_with_logits" else \
        fn(yt.reshape(-1, 1), h.reshape(-1, 1))
    params = [d.kernel.value for d in layers] + [d.bias.value for d in layers]
    grads = torch.autograd.grad(value, params)
    L = len(layers)
    return (_scalar(value), [_np(g).T.copy() for g in grads[:L]],
            [_np(g) for g in grads[L:]])


def gradient_descent(grad, x0, *, eta: float, steps: int) -> np.ndarray:
    """Iterates of keras.optimizers.SGD(learning_rate=eta) (no momentum) from x0.

    ``grad`` (a numpy callable) supplies each step's gradient; Keras' update is
    x <- x - eta * grad. The run stops at the first non-finite gradient or iterate (which
    is not returned), as the protocol's.
    """
    if not callable(grad):
        raise ValueError("grad must be callable (x -> gradient at x)")
    x = _array(x0, "x0")
    if x.ndim != 1 or x.shape[0] == 0:
        raise ValueError(f"x0 must be a non-empty 1-D vector, got shape {x.shape}")
    lr = _real(eta, "eta", lo=0.0)
    steps = _positive_int(steps, "steps")
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be <= {MAX_STEPS}, got {steps}")
    var = keras.Variable(x, dtype=DTYPE)
    opt = keras.optimizers.SGD(learning_rate=lr)
    out = np.empty((steps + 1, x.shape[0]))
    out[0] = x
    for t in range(1, steps + 1):
        cur = _np(var.value)
        try:
            g = np.array(grad(cur), dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"grad(x) must return a numeric array: {exc}") from None
        if g.shape != x.shape:
            raise ValueError(f"grad(x) returned shape {g.shape}, expected {x.shape}")
        if not np.all(np.isfinite(g)):
            return out[:t]
        opt.apply_gradients([(torch.from_numpy(g), var)])
        nxt = _np(var.value)
        if not np.all(np.isfinite(nxt)):
            return out[:t]
        out[t] = nxt
    return out


#: protocol names Keras has no building block for: not defined here, so their checks skip
#: as "not provided" (never filled in with the reference code or with numpy)
NOT_PROVIDED = {
    "Tensor": "Keras has no tensor object of its own that records a graph (on the torch "
              "backend its tensors are torch's); autodiff is exercised through the *_grad "
              "names and mlp_gradients",
    "mlp_flop_counts": "Keras counts no FLOPs per elementwise op",
    "linear_collapse": "no Keras block multiplies out a linear stack",
    "sign_activation": "keras.ops.sign(0) = 0, not the perceptron's +1; Keras has no "
                       "perceptron",
    "perceptron_train": "Keras has no perceptron learning rule",
    "augment_with_one": "part of the perceptron, which Keras lacks",
    "separate": "Keras has no linear-separability decision procedure",
    "Separable": "Keras has no linear-separability decision procedure",
    "Inseparable": "Keras has no linear-separability decision procedure",
    "boolean_census": "Keras has no Boolean-function census",
    "boolean_points": "Keras has no Boolean-function census",
    "threshold_census": "Keras has no Boolean-function census",
    "threshold_census_by_classes": "Keras has no Boolean-function census",
    "sigmoid_bump": "the UAT construction is not a Keras block",
    "uat_plan_1d": "the UAT construction is not a Keras block",
    "uat_network_1d": "the UAT construction is not a Keras block",
    "uat_network_ridges": "the UAT construction is not a Keras block",
    "ridge": "Keras has no ridge-regression solver",
    "lasso": "Keras has no lasso solver",
    "min_norm_least_squares": "regression solver, not a Keras training block",
    "least_squares_gd": "regression helper, not a Keras training block",
    "random_relu_features": "regression helper, not a Keras training block",
}
