"""Rosenblatt's perceptron (article §1.1), with and without bias.

``perceptron_train`` runs the article's loop: passes over the samples in order; a sample
with ``y_i (w . x_i + b) <= 0`` (misclassified, or exactly on the boundary) triggers
``w <- w + eta y_i x_i`` and, with bias, ``b <- b + eta y_i``; a full pass without an
update ends training. ``max_epochs`` caps the passes, so a non-separable set stops with
``converged=False`` instead of looping forever.

With integer inputs and ``eta = 1`` every quantity stays an integer below 2**53, so the
run is exact in float64: the checks rely on that to test Novikoff's invariants exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import (MAX_PY_STEPS, check_cap, flag, float_array, pm1_labels, positive,
                        positive_int, real_matrix, real_scalar, real_vector, refuse_overflow)

__protocol__ = ["perceptron_train", "sign_activation", "augment_with_one"]

#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    "perceptron_train": [dict(X=np.array([[1.0, 2.0], [-1.0, -1.0], [2.0, 0.5]]),
                              y=np.array([1, -1, 1]), eta=1.0, bias=True, max_epochs=10,
                              w0=np.array([0.0, 0.5]), b0=0.0)],
    "sign_activation": [dict(z=np.array([0.5, -1.5, 0.0]))],
    "augment_with_one": [dict(X=np.array([[1.0, 2.0], [-1.0, 0.0]]))],
}
#: arguments that take NaN/inf on purpose (the sign of inf is defined)
__nonfinite_args__ = (("sign_activation", "z"),)


@dataclass
class PerceptronRun:
    """Result of a perceptron run; ``trajectory`` has one entry per update."""

    w: np.ndarray
    b: float
    updates: int
    epochs: int
    converged: bool
    trajectory: list[tuple[int, np.ndarray, float]] = field(default_factory=list)


def sign_activation(z) -> np.ndarray:
    """The article's sign: +1 for z >= 0 and -1 for z < 0 (so sign(0) = +1)."""
    z = float_array(z, "z")
    if np.any(np.isnan(z)):
        raise ValueError("sign_activation: z contains NaN")
    return np.where(z >= 0, 1.0, -1.0)


def augment_with_one(X) -> np.ndarray:
    """x~ = (x, 1): absorbs the bias into the weights (w~ = (w, b))."""
    X = real_matrix(X)
    return np.hstack([X, np.ones((X.shape[0], 1))])


def perceptron_train(X, y, *, eta: float = 1.0, bias: bool = True, max_epochs: int = 1000,
                     w0=None, b0: float = 0.0) -> PerceptronRun:
    """Train a perceptron with the article's mistake-driven rule; stops after a clean pass.

    X: (N, n) finite, y: (N,) in {-1, +1}, eta > 0, max_epochs >= 1. With
    ``bias=False`` the hyperplane passes through the origin (b stays 0, b0 must be 0).
    """
    X = real_matrix(X)
    N, n = X.shape
    y = pm1_labels(y, N)
    eta = positive(eta, "eta")
    max_epochs = positive_int(max_epochs, "max_epochs")
    check_cap(max_epochs * N, MAX_PY_STEPS, "max_epochs * len(X)", "the cap on sample "
              "visits: it bounds the run time and the stored trajectory", "max_epochs")
    bias = flag(bias, "bias")
    w = np.zeros(n) if w0 is None else real_vector(w0, "w0", length=n).copy()
    b = real_scalar(b0, "b0")
    if not bias and b != 0.0:
        raise ValueError("b0 must be 0 when bias=False")
    trajectory: list[tuple[int, np.ndarray, float]] = []
    for epoch in range(1, max_epochs + 1):
        n_updates = 0
        for i in range(N):
            score = float(w @ X[i]) + b
            if y[i] * score <= 0:
                w = w + eta * y[i] * X[i]
                if bias:
                    b = b + eta * y[i]
                n_updates += 1
                trajectory.append((i, w.copy(), b))
        if n_updates == 0:
            return PerceptronRun(w, b, len(trajectory), epoch, True, trajectory)
    return PerceptronRun(w, b, len(trajectory), max_epochs, False, trajectory)


# Float64 overflow inside these is a ValueError naming their arguments
# (_validate.refuse_overflow). Wrapped here, not decorated: mutmut skips decorated functions.
augment_with_one = refuse_overflow(augment_with_one, "X")
perceptron_train = refuse_overflow(perceptron_train, "X", "y", "eta", "bias", "max_epochs",
                                   "w0", "b0")
