"""Gradient descent (article §3.1): theta <- theta - eta grad L(theta).

``gradient_descent`` returns every iterate, so checks can compare the whole trajectory
with the closed form (on quadratics) instead of only the end point. A divergent run
stops at the first non-finite iterate rather than filling the array with inf/NaN.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validate import MAX_ELEMENTS, check_cap, show, float_array, positive, positive_int, real_vector

__protocol__ = ["gradient_descent"]

#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {"gradient_descent": [dict(grad=lambda x: 0.5 * x, x0=np.array([1.0, -1.0]),
                                          eta=0.1, steps=5)]}

MAX_STEPS = 1_000_000  # explicit cap: a run never loops (or allocates) without bound


def gradient_descent(grad: Callable[[np.ndarray], np.ndarray], x0, *, eta: float,
                     steps: int) -> np.ndarray:
    """Iterates x_0, x_1, ..., x_T of x_{t+1} = x_t - eta grad(x_t), as rows of an array.

    grad: callable R^n -> R^n; x0: finite vector of length n; eta > 0; 1 <= steps <=
    MAX_STEPS. Returns shape (T + 1, n) with T = steps, or fewer rows if an iterate
    (or a gradient) stops being finite: the run ends there (divergence), and the
    non-finite iterate is not included.
    """
    if not callable(grad):
        raise ValueError("grad must be callable (x -> gradient at x)")
    x = real_vector(x0, "x0").copy()
    eta = positive(eta, "eta")
    steps = positive_int(steps, "steps")
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be <= {MAX_STEPS}, got {show(steps)}")
    check_cap((steps + 1) * x.shape[0], MAX_ELEMENTS, "(steps + 1) * len(x0)", "the cap on "
              "the entries of the returned iterates: 256 MiB of float64", "steps, x0")
    out = np.empty((steps + 1, x.shape[0]))
    out[0] = x
    for t in range(1, steps + 1):
        g = float_array(grad(x.copy()), "grad(x)")
        if g.shape != x.shape:
            raise ValueError(f"grad returned shape {g.shape}, expected {x.shape}")
        if not np.all(np.isfinite(g)):
            return out[:t]
        with np.errstate(over="ignore", invalid="ignore"):  # checked right below
            x = x - eta * g
        if not np.all(np.isfinite(x)):
            return out[:t]
        out[t] = x
    return out
