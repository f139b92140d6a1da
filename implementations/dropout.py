"""Dropout in its two conventions (article §5.3).

Each unit of ``h`` is kept independently with probability ``1 - p`` (dropped with
probability ``p``); a batch ``h`` of shape (B, n) gets an independent mask per example
and per unit, as frameworks do.

=================  ============================  ==========================
convention         training output               inference output
=================  ============================  ==========================
article (default)  m * h                         (1 - p) h
inverted           m * h / (1 - p)               h
=================  ============================  ==========================

In both conventions the expected training output equals the inference output; the
inverted outputs are the article's divided by ``1 - p``.
"""
from __future__ import annotations

import numpy as np

from ._validate import flag, float_array, real_scalar, refuse_overflow, show

__protocol__ = ["dropout_train", "dropout_eval"]

_H = np.array([[1.0, 2.0], [3.0, -1.0]])
#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {"dropout_train": [dict(h=_H, p=0.5, rng=np.random.default_rng(0), inverted=False)],
                "dropout_eval": [dict(h=_H, p=0.25, inverted=True)]}


def _activations(h) -> np.ndarray:
    a = float_array(h, "h")
    if a.ndim == 0 or a.size == 0:
        raise ValueError(f"h must be a non-empty array of activations, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError("h contains NaN or infinite entries")
    return a


def _rate(p) -> float:
    what = "a number in [0, 1)"
    v = real_scalar(p, "p (the drop probability)", what=what)
    if not 0.0 <= v < 1.0:
        raise ValueError(f"p (the drop probability) must be {what}, got {show(p)}")
    return v


def dropout_train(h, p, *, rng, inverted: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Training-mode dropout: (output, mask), mask_i ~ Bernoulli(1 - p) independently.

    Output m * h (article convention) or m * h / (1 - p) (``inverted``).
    """
    a = _activations(h)
    p = _rate(p)
    inverted = flag(inverted, "inverted")
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator (no global random state)")
    mask = (rng.random(a.shape) >= p).astype(float)  # P(keep) = P(U >= p) = 1 - p
    out = mask * a
    if inverted:
        out = out / (1.0 - p)
    return out, mask


def dropout_eval(h, p, *, inverted: bool = False) -> np.ndarray:
    """Inference-mode dropout: (1 - p) h (article convention) or h (``inverted``)."""
    a = _activations(h)
    p = _rate(p)
    inverted = flag(inverted, "inverted")
    return a.copy() if inverted else (1.0 - p) * a


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
dropout_train = refuse_overflow(dropout_train, "h", "p", "rng", "inverted")
dropout_eval = refuse_overflow(dropout_eval, "h", "p", "inverted")
