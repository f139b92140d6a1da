"""PyTorch's own building blocks behind the verifier's protocol (``pytest --impl torch``).

Every name below is computed by a PyTorch operation (``torch.nn.functional``,
``torch.nn.init``, ``torch.autograd``, ``torch.nn.utils``, ``torch.optim``); numpy arrays
go in and come out, as the protocol (``implementations/__init__.py``) requires. Our code
here only converts arrays, validates arguments and converts *conventions* where the
protocol and PyTorch name the same quantity differently - each conversion is spelled out
at the function that does it. Nothing falls back to the reference implementations: a
protocol name PyTorch has no block for is simply not defined, so its checks skip as
"not provided" (the list is ``NOT_PROVIDED`` at the end of this module).

Precision: every block computes in ``torch.float64``. The protocol is float64 (the checks'
tolerances are stated for float64 and many compare with exact or interval-certified
values); PyTorch implements each of these operations for float64 with the same kernels
as for float32, so running them in float64 tests PyTorch's *algorithms* at the protocol's
precision rather than the rounding of a narrower format. PyTorch's float32 *default*
(``torch.get_default_dtype()``) is a convention difference of its own, checked by the
frameworks claims in ``theorems/s7_frameworks.py``. Randomness comes only from the
numpy ``rng`` the protocol passes: a ``torch.Generator`` is seeded from it (for dropout,
which takes no generator, the global torch RNG is forked, seeded and restored).

Convention conversions (protocol <- PyTorch):

* ``kl_divergence(p, q)`` = ``F.kl_div(input=log q, target=p, reduction="none").sum(-1)``:
  PyTorch's ``kl_div(input, target)`` takes the *log*-probabilities of the approximating
  distribution first and returns KL(target || exp(input)); its default
  ``reduction="mean"`` divides by the number of *elements*, not of samples.
* ``cross_entropy(p, q)`` and soft-label ``categorical_cross_entropy``: PyTorch's losses
  take logits (``F.cross_entropy``) or log-probabilities with class indices
  (``F.nll_loss``); on probabilities the adapter uses ``nll_loss(log p)`` for one-hot rows
  and ``-torch.special.xlogy(p, q).sum(-1)`` otherwise (see each function).
* ``dropout_train``/``dropout_eval``: PyTorch's dropout is *inverted* (training output
  m h / (1 - p), inference output h). ``inverted=True`` returns PyTorch's outputs as they
  are; the article's convention (``inverted=False``) is obtained by the explicit rescaling
  training output * (1 - p) and inference output (1 - p) h.
* ``batchnorm_train``: PyTorch's ``momentum`` is the weight of the *new* batch statistic,
  ``running <- (1 - momentum) running + momentum * batch_stat`` - the protocol's
  convention, so it is passed unchanged (Keras' momentum is 1 - this one).
* ``he_normal``/``he_uniform`` = ``kaiming_*_(mode="fan_in", nonlinearity="relu")``;
  PyTorch weights have shape (fan_out, fan_in), as the protocol's.
"""
from __future__ import annotations

import math
from numbers import Real

import numpy as np
import torch
import torch.nn.functional as F

# the dtype every block computes in (see the module docstring for why float64)
DTYPE = torch.float64

# The protocol's arrays are tiny: PyTorch's intra-op thread pool then costs 30-150x the
# arithmetic per call (measured on a shared 2-CPU machine: 4-19 ms vs 0.13 ms for a
# BatchNorm of 2 samples), and single-threaded kernels reduce in one fixed order, so
# results do not depend on the machine's thread count. This sets the process's torch
# threading once, when the adapter is selected with --impl.
torch.set_num_threads(1)

_ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")
_LOSSES = ("mse", "mae", "bce", "bce_with_logits", "cross_entropy_with_logits", "hinge")
_SIMPLEX_TOL = 1e-9  # the protocol's tolerance on the sum of a distribution
MAX_STEPS = 1_000_000  # cap on gradient_descent steps: a call never runs unbounded
MAX_LAYERS = 10_000  # cap on MLP depth


# -- conversion and validation ---------------------------------------------------------------
def _array(x, name: str, *, min_ndim: int = 0) -> np.ndarray:
    try:
        a = np.array(x, dtype=np.float64)  # a copy: torch never aliases the caller's array
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array: {exc}") from None
    if a.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return a


def _t(x, name: str = "z", *, min_ndim: int = 0) -> torch.Tensor:
    return torch.from_numpy(_array(x, name, min_ndim=min_ndim))


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().astype(np.float64, copy=False)


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


def _generator(rng) -> torch.Generator:
    """A torch.Generator seeded from the numpy ``rng`` (reproducible from the root seed)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    g = torch.Generator()
    g.manual_seed(int(rng.integers(0, 2**63 - 1)))
    return g


def _derivative(fn, z) -> np.ndarray:
    """d fn / dz elementwise, by torch.autograd (the gradient of sum(fn(z)))."""
    zt = _t(z).requires_grad_(True)
    (g,) = torch.autograd.grad(fn(zt).sum(), zt)
    return _np(g)


# -- activations (torch.nn.functional / torch) -----------------------------------------------
# float64: the zoo's checks compare with 50-digit references at 1e-12 and probe the whole
# float64 range (subnormals, +-1e308); float32 would fail them on format, not on formula.
def sigmoid(z) -> np.ndarray:
    """torch.sigmoid(z)."""
    return _np(torch.sigmoid(_t(z)))


def tanh(z) -> np.ndarray:
    """torch.tanh(z)."""
    return _np(torch.tanh(_t(z)))


def relu(z) -> np.ndarray:
    """F.relu(z)."""
    return _np(F.relu(_t(z)))


def _leaky_alpha(alpha) -> float:
    # the protocol's leaky ReLU has 0 < alpha < 1 (F.leaky_relu accepts any slope)
    return _real(alpha, "alpha", lo=0.0, hi=1.0)


def leaky_relu(z, alpha: float = 0.01) -> np.ndarray:
    """F.leaky_relu(z, negative_slope=alpha)."""
    a = _leaky_alpha(alpha)
    return _np(F.leaky_relu(_t(z), negative_slope=a))


def elu(z, alpha: float = 1.0) -> np.ndarray:
    """F.elu(z, alpha)."""
    a = _real(alpha, "alpha", lo=0.0)
    return _np(F.elu(_t(z), alpha=a))


def gelu(z) -> np.ndarray:
    """F.gelu(z, approximate="none"): z Phi(z)."""
    return _np(F.gelu(_t(z), approximate="none"))


def gelu_tanh(z) -> np.ndarray:
    """F.gelu(z, approximate="tanh")."""
    return _np(F.gelu(_t(z), approximate="tanh"))


def silu(z) -> np.ndarray:
    """F.silu(z) = z sigmoid(z)."""
    return _np(F.silu(_t(z)))


def _prelu_call(zt: torch.Tensor, alpha) -> tuple[torch.Tensor, torch.Tensor]:
    """F.prelu with the protocol's channel axis (the last) moved to PyTorch's (dim 1).

    PyTorch's weight is one slope or one per channel, the channel being dim 1 of a
    (N, C, ...) input; the protocol's per-channel alpha runs along the *last* axis.
    """
    try:
        a = np.array(alpha, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"alpha must be numeric: {exc}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError("alpha contains NaN or infinite entries")
    if a.size == 1 and a.ndim <= 1:
        w = torch.from_numpy(a.reshape(1))
        return F.prelu(zt, w), w
    if a.ndim != 1 or zt.ndim == 0 or a.shape[0] != zt.shape[-1]:
        raise ValueError(f"alpha of shape {a.shape}: PyTorch's prelu takes one slope or one "
                         f"per channel (the last axis of z, shape {tuple(zt.shape)})")
    w = torch.from_numpy(a)
    moved = zt.reshape(1, -1) if zt.ndim == 1 else zt.movedim(-1, 1)
    out = F.prelu(moved, w)
    return (out.reshape(zt.shape) if zt.ndim == 1 else out.movedim(1, -1)), w


def prelu(z, alpha) -> np.ndarray:
    """F.prelu(z, weight=alpha); alpha one slope or one per channel (last axis of z)."""
    y, _ = _prelu_call(_t(z), alpha)
    return _np(y)


# -- derivatives by torch.autograd -----------------------------------------------------------
# float64 for the same reason; autograd's backward formulas are what is under test (their
# float32 thresholds are stated in the §7 claims).
def sigmoid_grad(z) -> np.ndarray:
    """d/dz torch.sigmoid by autograd."""
    return _derivative(torch.sigmoid, z)


def tanh_grad(z) -> np.ndarray:
    """d/dz torch.tanh by autograd."""
    return _derivative(torch.tanh, z)


def relu_grad(z) -> np.ndarray:
    """d/dz F.relu by autograd (PyTorch: 0 at z = 0)."""
    return _derivative(F.relu, z)


def leaky_relu_grad(z, alpha: float = 0.01) -> np.ndarray:
    """d/dz F.leaky_relu by autograd (PyTorch: alpha at z = 0)."""
    a = _leaky_alpha(alpha)
    return _derivative(lambda t: F.leaky_relu(t, negative_slope=a), z)


def elu_grad(z, alpha: float = 1.0) -> np.ndarray:
    """d/dz F.elu by autograd."""
    a = _real(alpha, "alpha", lo=0.0)
    return _derivative(lambda t: F.elu(t, alpha=a), z)


def gelu_grad(z) -> np.ndarray:
    """d/dz F.gelu(approximate="none") by autograd."""
    return _derivative(lambda t: F.gelu(t, approximate="none"), z)


def gelu_tanh_grad(z) -> np.ndarray:
    """d/dz F.gelu(approximate="tanh") by autograd."""
    return _derivative(lambda t: F.gelu(t, approximate="tanh"), z)


def silu_grad(z) -> np.ndarray:
    """d/dz F.silu by autograd."""
    return _derivative(F.silu, z)


def prelu_grad(z, alpha) -> np.ndarray:
    """d/dz F.prelu by autograd (PyTorch: alpha at z = 0)."""
    zt = _t(z).requires_grad_(True)
    y, _ = _prelu_call(zt, alpha)
    (g,) = torch.autograd.grad(y.sum(), zt)
    return _np(g)


def prelu_alpha_grad(z, alpha) -> np.ndarray:
    """d prelu / d alpha per element, by autograd through F.prelu's weight.

    PyTorch accumulates the weight's gradient over every element sharing a slope; the
    protocol wants it per element, so each element of z is given its own channel (a
    (1, z.size) input with alpha broadcast to z's shape as the weight).
    """
    zt = _t(z)
    _prelu_call(zt, alpha)  # validates alpha against z as prelu itself would
    a = np.broadcast_to(np.array(alpha, dtype=np.float64), zt.shape).reshape(-1).copy()
    w = torch.from_numpy(a).requires_grad_(True)
    y = F.prelu(zt.reshape(1, -1), w)
    (g,) = torch.autograd.grad(y.sum(), w)
    return _np(g).reshape(zt.shape)


def soft_threshold(z, t) -> np.ndarray:
    """F.softshrink(z, lambd=t): z - t above t, z + t below -t, 0 between (t a scalar >= 0).

    PyTorch's softshrink is exactly the soft-thresholding operator; it takes one scalar
    threshold, so an array ``t`` is refused rather than emulated.
    """
    zt = _t(z, "z")
    if np.ndim(t) != 0:
        raise ValueError("t must be a scalar: F.softshrink takes one threshold")
    lam = _real(t, "t", lo=0.0, lo_open=False)
    return _np(F.softshrink(zt, lambd=lam))


# -- softmax family and losses ---------------------------------------------------------------
# float64: the loss checks want a few ulps of 50-digit values for logits up to 1e300, a range
# float32 (max 3.4e38) cannot even represent.
def _axis(axis, ndim: int) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) \
            or not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis!r} out of range for {ndim} dimension(s)")
    return int(axis)


def softmax(z, axis: int = -1) -> np.ndarray:
    """F.softmax(z, dim=axis)."""
    zt = _t(z, min_ndim=1)
    return _np(F.softmax(zt, dim=_axis(axis, zt.ndim)))


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """F.log_softmax(z, dim=axis)."""
    zt = _t(z, min_ndim=1)
    return _np(F.log_softmax(zt, dim=_axis(axis, zt.ndim)))


def log_sigmoid(z) -> np.ndarray:
    """F.logsigmoid(z)."""
    return _np(F.logsigmoid(_t(z)))


def _pair(a, b, na: str, nb: str) -> tuple[torch.Tensor, torch.Tensor]:
    ta, tb = _t(a, na), _t(b, nb)
    if ta.numel() == 0:
        raise ValueError(f"{na} is empty")
    if ta.shape != tb.shape:
        raise ValueError(f"{na} and {nb} must have the same shape, got {tuple(ta.shape)} and "
                         f"{tuple(tb.shape)}")
    return ta, tb


def _unit_interval(t: torch.Tensor, name: str) -> None:
    if bool((t < 0).any()) or bool((t > 1).any()):
        raise ValueError(f"{name} must lie in [0, 1]")


def _distribution(x, name: str) -> torch.Tensor:
    t = _t(x, name, min_ndim=1)
    if t.numel() == 0:
        raise ValueError(f"{name} is empty")
    if bool((t < 0).any()):
        raise ValueError(f"{name} has negative entries (not a probability distribution)")
    if not bool(((t.sum(-1) - 1.0).abs() <= _SIMPLEX_TOL).all()):
        raise ValueError(f"{name} must sum to 1 along the last axis (within {_SIMPLEX_TOL})")
    return t


def _rows(t: torch.Tensor, name: str) -> torch.Tensor:
    if t.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples x classes), got {tuple(t.shape)}")
    return t


def mse_loss(pred, target) -> float:
    """F.mse_loss(pred, target) (reduction "mean": over every entry)."""
    p, t = _pair(pred, target, "pred", "target")
    return float(F.mse_loss(p, t))


def mae_loss(pred, target) -> float:
    """F.l1_loss(pred, target) (reduction "mean")."""
    p, t = _pair(pred, target, "pred", "target")
    return float(F.l1_loss(p, t))


def binary_cross_entropy(prob, target) -> float:
    """F.binary_cross_entropy(prob, target) (PyTorch clamps each log at -100)."""
    p, y = _pair(prob, target, "prob", "target")
    _unit_interval(p, "prob")
    _unit_interval(y, "target")
    return float(F.binary_cross_entropy(p, y))


def binary_cross_entropy_with_logits(logits, target) -> float:
    """F.binary_cross_entropy_with_logits(logits, target)."""
    z, y = _pair(logits, target, "logits", "target")
    _unit_interval(y, "target")
    return float(F.binary_cross_entropy_with_logits(z, y))


def categorical_cross_entropy(probs, target_onehot) -> float:
    """F.nll_loss(log probs, labels) for one-hot rows; -sum_k xlogy(y_k, p_k) for soft rows.

    PyTorch has no loss taking probabilities: its recipe is F.nll_loss on their logarithm
    (one-hot targets as class indices). Soft-label rows, which nll_loss cannot take, use
    torch.special.xlogy (0 log 0 = 0), the term F.kl_div uses for its target. Feeding
    log p to F.cross_entropy instead would re-normalise through log_softmax and add an
    absolute error ~1e-16 that swamps losses below ~1e-8.
    """
    p = _rows(_distribution(probs, "probs"), "probs")
    y = _rows(_distribution(target_onehot, "target_onehot"), "target_onehot")
    if p.shape != y.shape:
        raise ValueError(f"probs and target_onehot must have the same shape, got "
                         f"{tuple(p.shape)} and {tuple(y.shape)}")
    if bool(((y == 0) | (y == 1)).all()):
        return float(F.nll_loss(torch.log(p), y.argmax(dim=1)))
    return float(-torch.special.xlogy(y, p).sum(-1).mean())


def cross_entropy_with_logits(logits, target_onehot) -> float:
    """F.cross_entropy(logits, target) with probability targets (mean over samples)."""
    z = _rows(_t(logits, "logits"), "logits")
    y = _rows(_distribution(target_onehot, "target_onehot"), "target_onehot")
    if z.shape != y.shape:
        raise ValueError(f"logits and target_onehot must have the same shape, got "
                         f"{tuple(z.shape)} and {tuple(y.shape)}")
    return float(F.cross_entropy(z, y))


def _log_base(base) -> float:
    if isinstance(base, bool) or not isinstance(base, Real) or not math.isfinite(base) \
            or not base > 1:
        raise ValueError(f"base must be a finite number > 1, got {base!r}")
    return math.log(base)


def _info_out(t: torch.Tensor):
    a = _np(t)
    return float(a) if a.ndim == 0 else a


def _dist_pair(p, q) -> tuple[torch.Tensor, torch.Tensor]:
    pt, qt = _distribution(p, "p"), _distribution(q, "q")
    if pt.shape != qt.shape:
        raise ValueError(f"p and q must have the same shape, got {tuple(pt.shape)} and "
                         f"{tuple(qt.shape)}")
    return pt, qt


def kl_divergence(p, q, base: float = math.e):
    """D_KL(p || q) = F.kl_div(input=log q, target=p, reduction="none").sum(-1) / ln base.

    Argument order converted: PyTorch's first argument is the log of the approximating
    distribution q, its second the reference p; the per-element terms are summed over the
    last axis (PyTorch's reduction "mean" would divide by the number of elements).
    """
    pt, qt = _dist_pair(p, q)
    lb = _log_base(base)
    terms = F.kl_div(torch.log(qt), pt, reduction="none", log_target=False)
    return _info_out(terms.sum(-1) / lb)


def entropy(p, base: float = math.e):
    """H(p) = torch.distributions.Categorical(probs=p).entropy() / ln base.

    Categorical clamps the probabilities to [eps, 1 - eps] before taking logs, so a point
    mass has entropy ~2.2e-16 nats rather than exactly 0 (a rounding-level difference).
    """
    pt = _distribution(p, "p")
    lb = _log_base(base)
    h = torch.distributions.Categorical(probs=pt, validate_args=False).entropy()
    return _info_out(h / lb)


def cross_entropy(p, q, base: float = math.e):
    """H(p, q) = -sum_x torch.special.xlogy(p(x), q(x)) / ln base along the last axis.

    p weights, q is inside the log; xlogy gives 0 log 0 = 0 and +inf for q(x) = 0 < p(x).
    (F.cross_entropy takes logits: on log q its log_softmax re-normalises q and adds an
    absolute error ~1e-16, which would swamp cross-entropies near 0.)
    """
    pt, qt = _dist_pair(p, q)
    lb = _log_base(base)
    return _info_out(-torch.special.xlogy(pt, qt).sum(-1) / lb)


# -- initialisers (torch.nn.init with a generator from the numpy rng) --------------------------
# float64: the variance checks use exact chi-square (normal) and Hoeffding (uniform) tests;
# float32 samples would add a quantisation they do not model (torch samples each dtype natively).
def _weights(fan_in, fan_out) -> torch.Tensor:
    n = _positive_int(fan_in, "fan_in")
    m = _positive_int(fan_out, "fan_out")
    return torch.empty((m, n), dtype=DTYPE)  # PyTorch's Linear weight layout (out, in)


def xavier_normal(fan_in, fan_out, *, rng, gain: float = 1.0) -> np.ndarray:
    """torch.nn.init.xavier_normal_(W, gain), W of shape (fan_out, fan_in)."""
    W = _weights(fan_in, fan_out)
    g = _real(gain, "gain", lo=0.0)
    return _np(torch.nn.init.xavier_normal_(W, gain=g, generator=_generator(rng)))


def xavier_uniform(fan_in, fan_out, *, rng, gain: float = 1.0) -> np.ndarray:
    """torch.nn.init.xavier_uniform_(W, gain), W of shape (fan_out, fan_in)."""
    W = _weights(fan_in, fan_out)
    g = _real(gain, "gain", lo=0.0)
    return _np(torch.nn.init.xavier_uniform_(W, gain=g, generator=_generator(rng)))


def he_normal(fan_in, fan_out, *, rng) -> np.ndarray:
    """torch.nn.init.kaiming_normal_(W, mode="fan_in", nonlinearity="relu")."""
    W = _weights(fan_in, fan_out)
    return _np(torch.nn.init.kaiming_normal_(W, a=0.0, mode="fan_in", nonlinearity="relu",
                                             generator=_generator(rng)))


def he_uniform(fan_in, fan_out, *, rng) -> np.ndarray:
    """torch.nn.init.kaiming_uniform_(W, mode="fan_in", nonlinearity="relu")."""
    W = _weights(fan_in, fan_out)
    return _np(torch.nn.init.kaiming_uniform_(W, a=0.0, mode="fan_in", nonlinearity="relu",
                                              generator=_generator(rng)))


# -- normalisation layers --------------------------------------------------------------------
# float64: batches with a feature varying by 1e-4 around 1e3 are checked to 1e-7; centring
# costs 7 digits, which float64 has to spare and float32 (7 digits in all) does not.
def _matrix(x, name: str = "x") -> torch.Tensor:
    t = _t(x, name)
    if t.ndim != 2 or 0 in t.shape:
        raise ValueError(f"{name} must be a non-empty 2-D array (samples x features), "
                         f"got shape {tuple(t.shape)}")
    return t


def _vector(v, name: str, F_: int) -> torch.Tensor:
    t = _t(v, name)
    if t.ndim != 1 or t.shape[0] != F_:
        raise ValueError(f"{name} must be 1-D of length {F_}, got shape {tuple(t.shape)}")
    return t


def _running_var(v, F_: int) -> torch.Tensor:
    t = _vector(v, "running_var", F_)
    if bool((t < 0).any()):
        raise ValueError("running_var must be >= 0")
    return t


def batchnorm_train(x, gamma, beta, running_mean, running_var, *, momentum: float,
                    eps: float):
    """F.batch_norm(training=True): (y, new running_mean, new running_var).

    PyTorch normalises with the biased batch variance and updates running_var with the
    unbiased one; its momentum weights the new statistic, as the protocol's does.
    """
    X = _matrix(x)
    B, F_ = X.shape
    if B < 2:
        raise ValueError(f"batchnorm_train needs a batch of at least 2 samples, got {B}")
    g, b = _vector(gamma, "gamma", F_), _vector(beta, "beta", F_)
    rm, rv = _vector(running_mean, "running_mean", F_), _running_var(running_var, F_)
    mom = _real(momentum, "momentum", lo=0.0, hi=1.0, lo_open=False, hi_open=False)
    e = _real(eps, "eps", lo=0.0)
    # F.batch_norm updates rm and rv in place: they are fresh tensors (see _array)
    y = F.batch_norm(X, rm, rv, weight=g, bias=b, training=True, momentum=mom, eps=e)
    return _np(y), _np(rm), _np(rv)


def batchnorm_eval(x, gamma, beta, running_mean, running_var, *, eps: float) -> np.ndarray:
    """F.batch_norm(training=False): gamma (x - running_mean)/sqrt(running_var + eps) + beta."""
    X = _matrix(x)
    F_ = X.shape[1]
    g, b = _vector(gamma, "gamma", F_), _vector(beta, "beta", F_)
    rm, rv = _vector(running_mean, "running_mean", F_), _running_var(running_var, F_)
    e = _real(eps, "eps", lo=0.0)
    return _np(F.batch_norm(X, rm, rv, weight=g, bias=b, training=False, eps=e))


def _samples(x) -> torch.Tensor:
    t = _t(x, "x")
    if t.ndim not in (1, 2) or 0 in t.shape:
        raise ValueError(f"x must be one sample (F,) or a batch (B, F), got {tuple(t.shape)}")
    return t


def layernorm(x, gamma, beta, *, eps: float) -> np.ndarray:
    """F.layer_norm over the last axis, weight gamma and bias beta."""
    X = _samples(x)
    F_ = X.shape[-1]
    g, b = _vector(gamma, "gamma", F_), _vector(beta, "beta", F_)
    e = _real(eps, "eps", lo=0.0)
    return _np(F.layer_norm(X, (F_,), weight=g, bias=b, eps=e))


def rmsnorm(x, gamma, *, eps: float) -> np.ndarray:
    """F.rms_norm over the last axis, weight gamma: gamma x / sqrt(mean(x^2) + eps)."""
    X = _samples(x)
    F_ = X.shape[-1]
    g = _vector(gamma, "gamma", F_)
    e = _real(eps, "eps", lo=0.0)
    return _np(F.rms_norm(X, (F_,), weight=g, eps=e))


# -- dropout ---------------------------------------------------------------------------------
# float64: the mask does not depend on the dtype; outputs are compared with m h to 4 ulps.
# F.dropout is what nn.Dropout's forward calls.
def _dropout_args(h, p) -> tuple[torch.Tensor, float]:
    t = _t(h, "h")
    if t.ndim == 0 or t.numel() == 0:
        raise ValueError(f"h must be a non-empty array of activations, got {tuple(t.shape)}")
    rate = _real(p, "p (the drop probability)", lo=0.0, hi=1.0, lo_open=False, hi_open=True)
    return t, rate


def dropout_train(h, p, *, rng, inverted: bool = False):
    """Training-mode F.dropout (nn.Dropout): (output, mask), the mask PyTorch drew.

    PyTorch's output is m h / (1 - p) (inverted dropout). ``inverted=True`` returns it as
    is; the article's convention (default) is that output times (1 - p): an explicit
    rescaling, equal to m h up to two roundings. F.dropout takes no generator, so the
    global torch RNG is forked (restored on exit) and seeded from ``rng``; the mask is read
    off by replaying the same draw on a tensor of ones.
    """
    t, rate = _dropout_args(h, p)
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator (no global random state)")
    seed = int(rng.integers(0, 2**63 - 1))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        out = F.dropout(t, p=rate, training=True)
        torch.manual_seed(seed)
        kept = F.dropout(torch.ones_like(t), p=rate, training=True)
    mask = (kept != 0).to(DTYPE)
    if bool((out[mask == 0] != 0).any()):  # the replay must reproduce PyTorch's own draw
        raise RuntimeError("replayed dropout mask disagrees with F.dropout's output")
    if not inverted:
        out = out * (1.0 - rate)
    return _np(out), _np(mask)


def dropout_eval(h, p, *, inverted: bool = False) -> np.ndarray:
    """Inference-mode F.dropout (the identity); the article's (1 - p) h by explicit rescaling."""
    t, rate = _dropout_args(h, p)
    out = F.dropout(t, p=rate, training=False)
    return _np(out if inverted else (1.0 - rate) * out)


# -- gradient clipping -----------------------------------------------------------------------
# float64: the checks use gradients up to 1e300; PyTorch's unscaled norm then overflows from
# 2^512 (float64) - in float32 already from 2^64 (§7 claim on clip_grad_norm_ overflow).
def clip_grad_norm(grads, max_norm: float):
    """torch.nn.utils.clip_grad_norm_ on parameters whose .grad are ``grads``.

    Returns (clipped gradients, total norm before clipping). PyTorch scales by
    min(1, max_norm / (total_norm + 1e-6)) and computes the norm without rescaling.
    """
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise ValueError("grads must be a list or tuple of arrays (one per parameter)")
    if len(grads) == 0:
        raise ValueError("grads is empty")
    params = []
    for k, g in enumerate(grads):
        try:
            a = np.array(g, dtype=np.float64)  # non-finite entries are allowed here
        except (TypeError, ValueError) as exc:
            raise ValueError(f"grads[{k}] must be a numeric array: {exc}") from None
        prm = torch.zeros(a.shape, dtype=DTYPE, requires_grad=True)
        prm.grad = torch.from_numpy(a)
        params.append(prm)
    tau = _real(max_norm, "max_norm", lo=0.0)
    total = torch.nn.utils.clip_grad_norm_(params, tau, norm_type=2.0,
                                           error_if_nonfinite=False)
    return [_np(prm.grad) for prm in params], float(total)


# -- networks, autograd, optimiser -----------------------------------------------------------
# float64: gradients are compared with sympy at 30 digits and with finite differences.
_TORCH_ACT = {"identity": lambda t: t, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
              "relu": F.relu, "leaky_relu": F.leaky_relu, "elu": F.elu,
              "gelu": lambda t: F.gelu(t, approximate="none"),
              "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"), "silu": F.silu}


def _layers(weights, biases) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
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
        Wt, bt = _t(W, f"weights[{l - 1}]"), _t(b, f"biases[{l - 1}]")
        if Wt.ndim != 2 or 0 in Wt.shape:
            raise ValueError(f"layer {l}: weights must be a non-empty 2-D array, "
                             f"got shape {tuple(Wt.shape)}")
        if tuple(bt.shape) != (Wt.shape[0],):
            raise ValueError(f"layer {l}: bias must have shape ({Wt.shape[0]},), "
                             f"got {tuple(bt.shape)}")
        if Ws and Wt.shape[1] != Ws[-1].shape[0]:
            raise ValueError(f"layer {l}: weights have {Wt.shape[1]} columns but layer "
                             f"{l - 1} outputs {Ws[-1].shape[0]} values")
        Ws.append(Wt)
        bs.append(bt)
    return Ws, bs


def mlp_forward(weights, biases, x, activation) -> np.ndarray:
    """a_l = activation(F.linear(a_{l-1}, W_l, b_l)) for every layer (nn.Linear's layout).

    ``activation`` is a name (applied with PyTorch's function) or a numpy callable (the
    caller's own function, applied to the pre-activations of PyTorch's linear layers).
    """
    Ws, bs = _layers(weights, biases)
    if isinstance(activation, str):
        if activation not in _TORCH_ACT:
            raise ValueError(f"activation must be a callable or one of {sorted(_TORCH_ACT)}, "
                             f"got {activation!r}")
        sigma = _TORCH_ACT[activation]
    elif callable(activation):
        def sigma(t, f=activation):
            return torch.from_numpy(np.array(f(_np(t)), dtype=np.float64))
    else:
        raise ValueError(f"activation must be a callable or a name, got {activation!r}")
    a = _t(x, "x")
    if a.ndim not in (1, 2) or a.shape[-1] != Ws[0].shape[1]:
        raise ValueError(f"x must have shape ({Ws[0].shape[1]},) or (N, {Ws[0].shape[1]}), "
                         f"got {tuple(a.shape)}")
    for W, b in zip(Ws, bs):
        a = sigma(F.linear(a, W, b))
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
    """(L, [dL/dW_l], [dL/db_l]) by torch.autograd through F.linear and PyTorch's losses.

    Losses: "mse" F.mse_loss, "mae" F.l1_loss, "bce" F.binary_cross_entropy,
    "bce_with_logits" F.binary_cross_entropy_with_logits, "cross_entropy_with_logits"
    F.cross_entropy (probability targets), "hinge" mean(F.relu(1 - y a)) (PyTorch has no
    two-class hinge loss; its hinge_embedding_loss is a different function).
    """
    if loss not in _LOSSES:
        raise ValueError(f"loss {loss!r} not in {_LOSSES}")
    hidden, output = _mlp_names(activation)
    Ws, bs = _layers(weights, biases)
    xt, yt = _t(x, "x"), _t(y, "y")
    if xt.ndim != 2 or xt.shape[1] != Ws[0].shape[1] or xt.shape[0] == 0:
        raise ValueError(f"x must have shape (N, {Ws[0].shape[1]}) with N >= 1, "
                         f"got {tuple(xt.shape)}")
    if tuple(yt.shape) != (xt.shape[0], Ws[-1].shape[0]):
        raise ValueError(f"y must have shape {(xt.shape[0], Ws[-1].shape[0])}, "
                         f"got {tuple(yt.shape)}")
    if loss in ("bce", "bce_with_logits"):
        _unit_interval(yt, "y")
    if loss == "hinge" and not bool((yt.abs() == 1).all()):
        raise ValueError("loss 'hinge' needs targets y in {-1, +1}")
    if loss == "cross_entropy_with_logits" and (
            bool((yt < 0).any()) or not bool(((yt.sum(1) - 1).abs() <= _SIMPLEX_TOL).all())):
        raise ValueError("loss 'cross_entropy_with_logits' needs target rows that are "
                         "distributions (one-hot)")
    pW = [W.clone().requires_grad_(True) for W in Ws]
    pb = [b.clone().requires_grad_(True) for b in bs]
    a = xt
    for l, (W, b) in enumerate(zip(pW, pb), start=1):
        a = _TORCH_ACT[output if l == len(pW) else hidden](F.linear(a, W, b))
    if loss == "mse":
        value = F.mse_loss(a, yt)
    elif loss == "mae":
        value = F.l1_loss(a, yt)
    elif loss == "bce":
        if bool((a <= 0).any()) or bool((a >= 1).any()):
            raise ValueError("loss 'bce' needs network outputs strictly inside (0, 1): use a "
                             "sigmoid output activation (or 'bce_with_logits')")
        value = F.binary_cross_entropy(a, yt)
    elif loss == "bce_with_logits":
        value = F.binary_cross_entropy_with_logits(a, yt)
    elif loss == "cross_entropy_with_logits":
        value = F.cross_entropy(a, yt)
    else:
        value = F.relu(1.0 - yt * a).mean()
    gW = torch.autograd.grad(value, pW + pb)
    return (float(value.detach()), [_np(g) for g in gW[:len(pW)]],
            [_np(g) for g in gW[len(pW):]])


def gradient_descent(grad, x0, *, eta: float, steps: int) -> np.ndarray:
    """Iterates of torch.optim.SGD(lr=eta) (no momentum, no weight decay) from x0.

    ``grad`` (a numpy callable) supplies each step's gradient as the parameter's .grad;
    SGD's step is x <- x - lr * grad. As in the protocol, the run stops at the first
    non-finite gradient or iterate (which is not returned).
    """
    if not callable(grad):
        raise ValueError("grad must be callable (x -> gradient at x)")
    x = _t(x0, "x0")
    if x.ndim != 1 or x.shape[0] == 0:
        raise ValueError(f"x0 must be a non-empty 1-D vector, got shape {tuple(x.shape)}")
    lr = _real(eta, "eta", lo=0.0)
    steps = _positive_int(steps, "steps")
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be <= {MAX_STEPS}, got {steps}")
    param = torch.nn.Parameter(x.clone())
    opt = torch.optim.SGD([param], lr=lr, momentum=0.0, weight_decay=0.0)
    out = np.empty((steps + 1, x.shape[0]))
    out[0] = _np(param)
    for t in range(1, steps + 1):
        g = np.asarray(grad(_np(param).copy()), dtype=np.float64)
        if g.shape != tuple(x.shape):
            raise ValueError(f"grad returned shape {g.shape}, expected {tuple(x.shape)}")
        if not np.all(np.isfinite(g)):
            return out[:t]
        param.grad = torch.from_numpy(g.copy())
        opt.step()
        if not bool(torch.isfinite(param).all()):
            return out[:t]
        out[t] = _np(param)
    return out


#: protocol names PyTorch has no building block for: deliberately not defined here, so
#: their checks skip as "not provided" (never filled in with the reference code)
NOT_PROVIDED = {
    "Tensor": "torch.Tensor has a different API (dim=, no log_sigmoid method, torch inputs); "
              "PyTorch's autograd is exercised through mlp_gradients instead",
    "mlp_flop_counts": "the protocol's FLOP model counts every elementwise op; PyTorch's "
                       "FlopCounterMode counts matmuls only",
    "linear_collapse": "no PyTorch block multiplies out a linear stack",
    "hinge_loss": "PyTorch has no two-class hinge loss max(0, 1 - y s)",
    "sign_activation": "torch.sign(0) = 0, not the perceptron's +1; PyTorch has no perceptron",
    "perceptron_train": "PyTorch has no perceptron learning rule",
    "augment_with_one": "part of the perceptron, which PyTorch lacks",
    "separate": "PyTorch has no linear-separability decision procedure",
    "Separable": "PyTorch has no linear-separability decision procedure",
    "Inseparable": "PyTorch has no linear-separability decision procedure",
    "boolean_census": "PyTorch has no Boolean-function census",
    "boolean_points": "PyTorch has no Boolean-function census",
    "threshold_census": "PyTorch has no Boolean-function census",
    "threshold_census_by_classes": "PyTorch has no Boolean-function census",
    "sigmoid_bump": "the UAT construction is not a PyTorch block",
    "uat_plan_1d": "the UAT construction is not a PyTorch block",
    "uat_network_1d": "the UAT construction is not a PyTorch block",
    "uat_network_ridges": "the UAT construction is not a PyTorch block",
    "ridge": "PyTorch has no ridge-regression solver",
    "lasso": "PyTorch has no lasso solver",
    "min_norm_least_squares": "regression solver, not a PyTorch training block",
    "least_squares_gd": "regression helper, not a PyTorch training block",
    "random_relu_features": "regression helper, not a PyTorch training block",
}
