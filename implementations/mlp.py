"""The multilayer perceptron of article §2.1 and its linear collapse (§2.2).

``mlp_forward`` is the article's recursion, with the activation after *every* layer::

    a_0 = x,   a_l = sigma(W_l a_{l-1} + b_l)   (l = 1, ..., L),   y = a_L,

where ``W_l`` has shape (n_l, n_{l-1}) and ``b_l`` shape (n_l,). ``x`` is one input of
shape (n_0,) or a batch of shape (N, n_0) (rows are inputs); the output has shape (n_L,)
or (N, n_L). ``activation`` is a callable acting elementwise on arrays or a name:
``"identity"`` or one of the zoo in :mod:`implementations.activations`.

``linear_collapse`` returns the single affine layer (W~, b~) that an identity-activation
stack equals (article §2.2): W~ = W_L ... W_1 and b~ = sum_l (W_L ... W_{l+1}) b_l, the
products taken with the later layers on the left.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import activations as _act
from ._validate import float_array, refuse_overflow

__protocol__ = ["mlp_forward", "linear_collapse"]

_W = [np.array([[1.0, -0.5], [0.25, 2.0]]), np.array([[0.5, -1.0]])]
_B = [np.array([0.1, -0.2]), np.array([0.3])]
#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    "mlp_forward": [dict(weights=_W, biases=_B, x=np.array([[1.0, 2.0], [0.0, -1.0]]),
                         activation="relu"),
                    dict(weights=_W, biases=_B, x=np.array([1.0, 2.0]),
                         activation=lambda z: np.tanh(z))],
    "linear_collapse": [dict(weights=_W, biases=_B)],
}

MAX_LAYERS = 10_000  # an explicit cap on depth: a malformed argument never runs unbounded


def identity(z):
    """sigma(z) = z (the purely linear network of article §2.2)."""
    return float_array(z, "z")


def _resolve(activation) -> Callable:
    if callable(activation):
        return activation
    if isinstance(activation, str):
        if activation == "identity":
            return identity
        if activation in _act.ZOO:
            return _act.ZOO[activation][0]
    names = ["identity", *sorted(_act.ZOO)]
    raise ValueError(f"activation must be a callable or one of {names}, got {activation!r}")


def _layers(weights, biases) -> tuple[list[np.ndarray], list[np.ndarray]]:
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence):
        raise ValueError("weights must be a list of 2-D arrays, one per layer")
    if isinstance(biases, np.ndarray) or not isinstance(biases, Sequence):
        raise ValueError("biases must be a list of 1-D arrays, one per layer")
    if not 1 <= len(weights) <= MAX_LAYERS:
        raise ValueError(f"weights must hold 1 to {MAX_LAYERS} layers, got {len(weights)}")
    if len(biases) != len(weights):
        raise ValueError(f"{len(weights)} weight matrices but {len(biases)} bias vectors: "
                         "weights and biases need one entry per layer")
    Ws, bs = [], []
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        W = float_array(W, f"layer {l}: weights")
        b = float_array(b, f"layer {l}: biases")
        if W.ndim != 2 or 0 in W.shape:
            raise ValueError(f"layer {l}: weights must be a non-empty 2-D array, "
                             f"got shape {W.shape}")
        if b.shape != (W.shape[0],):
            raise ValueError(f"layer {l}: biases must have shape ({W.shape[0]},), "
                             f"got {b.shape}")
        if not np.all(np.isfinite(W)):
            raise ValueError(f"layer {l}: weights contain NaN or infinite entries")
        if not np.all(np.isfinite(b)):
            raise ValueError(f"layer {l}: biases contain NaN or infinite entries")
        if Ws and W.shape[1] != Ws[-1].shape[0]:
            raise ValueError(f"layer {l}: weights have {W.shape[1]} columns but layer {l - 1} "
                             f"outputs {Ws[-1].shape[0]} values")
        Ws.append(W)
        bs.append(b)
    return Ws, bs


def mlp_forward(weights, biases, x, activation) -> np.ndarray:
    """y = a_L with a_0 = x and a_l = activation(W_l a_{l-1} + b_l) for every layer."""
    Ws, bs = _layers(weights, biases)
    sigma = _resolve(activation)
    a = float_array(x, "x")
    if a.ndim not in (1, 2) or a.shape[-1] != Ws[0].shape[1]:
        raise ValueError(f"x must have shape ({Ws[0].shape[1]},) or (N, {Ws[0].shape[1]}), "
                         f"got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError("x contains NaN or infinite entries")
    for W, b in zip(Ws, bs):
        # rows are inputs, so W a is a @ W.T: one code path for a vector and for a batch
        z = a @ W.T + b
        a = float_array(sigma(z), "the activation's output")
        if a.shape != z.shape:  # an elementwise map keeps the shape; anything else is a bug
            raise ValueError(f"the activation's output has shape {a.shape}, expected "
                             f"{z.shape} (an activation acts elementwise)")
        if not np.all(np.isfinite(a)):
            raise ValueError("the activation's output contains NaN or infinite entries")
    return a


def linear_collapse(weights, biases) -> tuple[np.ndarray, np.ndarray]:
    """(W~, b~) with W~ = W_L ... W_1 and b~ = sum_l (W_L ... W_{l+1}) b_l."""
    Ws, bs = _layers(weights, biases)
    W_t, b_t = Ws[0], bs[0]
    for W, b in zip(Ws[1:], bs[1:]):  # one more layer: W (W~ x + b~) + b
        W_t, b_t = W @ W_t, W @ b_t + b
    return W_t, b_t


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
mlp_forward = refuse_overflow(mlp_forward, "weights", "biases", "x", "activation")
linear_collapse = refuse_overflow(linear_collapse, "weights", "biases")
