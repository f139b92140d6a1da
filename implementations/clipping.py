"""Gradient clipping by global norm (article §4.1).

``clip_grad_norm(grads, max_norm)`` treats the list of gradient arrays as one vector g,
computes ``||g||_2`` and, when ``||g|| > max_norm``, multiplies every array by
``max_norm / ||g||`` (so the clipped vector has norm max_norm, up to rounding, and the same
direction); otherwise it returns the arrays unchanged. It returns fresh arrays and
``||g||`` (before clipping), like ``torch.nn.utils.clip_grad_norm_`` (which, unlike this
reference, adds 1e-6 to the norm in the denominator).

The norm is computed as ``M sqrt(sum (g / M)^2)`` with ``M = max |g_i|``, so finite
gradients whose squares overflow (|g_i| > ~1.3e154 in float64) still get a finite norm.

Non-finite gradients are accepted on purpose - they are the failure mode being studied -
and follow IEEE 754: an inf entry makes ``||g|| = inf``, the factor ``max_norm / inf = 0``
turns finite entries into 0 and the inf entries into ``0 * inf = NaN``; a NaN entry makes
``||g|| = NaN``, the test ``NaN > max_norm`` is false and the arrays come back unchanged.
Either way the returned norm is not finite: clipping does not repair an overflowed step.
"""
from __future__ import annotations

import math

import numpy as np

from ._validate import positive, float_array

__protocol__ = ["clip_grad_norm"]

#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {"clip_grad_norm": [dict(grads=[np.array([3.0, 4.0]), np.array([[1.0]])],
                                        max_norm=1.0)]}
#: arguments that take NaN/inf on purpose (the failure mode being studied)
__nonfinite_args__ = (("clip_grad_norm", "grads"),)
__infinite_results__ = ("clip_grad_norm",)


def _global_norm(arrays: list[np.ndarray]) -> float:
    flat = np.concatenate([a.ravel() for a in arrays]) if arrays else np.zeros(0)
    if np.any(np.isnan(flat)):
        return math.nan
    if np.any(np.isinf(flat)):
        return math.inf
    m = float(np.max(np.abs(flat))) if flat.size else 0.0
    if m == 0.0:
        return 0.0
    return m * math.sqrt(float(np.sum((flat / m) ** 2)))


def clip_grad_norm(grads, max_norm: float):
    """Rescale the list ``grads`` so its global 2-norm is at most ``max_norm``; return
    (clipped arrays, norm before clipping)."""
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise ValueError("grads must be a list or tuple of arrays (one per parameter)")
    if len(grads) == 0:
        raise ValueError("grads is empty")
    arrays = []
    for k, g in enumerate(grads):
        # a copy: the caller's arrays are never modified
        arrays.append(float_array(g, f"grads[{k}]", copy=True))
    tau = positive(max_norm, "max_norm")
    total = _global_norm(arrays)
    if total > tau:
        scale = tau / total
        with np.errstate(invalid="ignore"):  # 0 * inf = NaN is the documented outcome
            arrays = [a * scale for a in arrays]
    return arrays, total
