"""Argument checks the framework adapters share (each adapter converts arrays its own way).

Each raises ValueError naming the argument, like the reference implementations.
"""
from __future__ import annotations

import math
from numbers import Real

import numpy as np

# the protocol's MLP activation and loss names (``mlp_forward``, ``mlp_gradients``)
_ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")
_LOSSES = ("mse", "mae", "bce", "bce_with_logits", "cross_entropy_with_logits", "hinge")


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


def _axis(axis, ndim: int) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) \
            or not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis!r} out of range for {ndim} dimension(s)")
    return int(axis)


def _log_base(base) -> float:
    if isinstance(base, bool) or not isinstance(base, Real) or not math.isfinite(base) \
            or not base > 1:
        raise ValueError(f"base must be a finite number > 1, got {base!r}")
    return math.log(base)


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
