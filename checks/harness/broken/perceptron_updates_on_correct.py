"""Perceptron that also updates on correctly classified points with small margin
(tests y * score <= 1 instead of <= 0, a common confusion with the hinge loss)."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.perceptron import PerceptronRun
import numpy as np

REJECTED_BY = ["updates-only-on-mistakes", "perceptron-no-loss-or-gradient",
               "novikoff-updates-le-bound-of-separable"]


def perceptron_train(X, y, *, eta=1.0, bias=True, max_epochs=1000, w0=None, b0=0.0):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, b, traj = np.zeros(X.shape[1]), 0.0, []
    for epoch in range(1, max_epochs + 1):
        k = len(traj)
        for i in range(len(X)):
            if y[i] * (w @ X[i] + b) <= 1:
                w = w + eta * y[i] * X[i]
                b = b + (eta * y[i] if bias else 0.0)
                traj.append((i, w.copy(), b))
        if len(traj) == k:
            return PerceptronRun(w, b, len(traj), epoch, True, traj)
    return PerceptronRun(w, b, len(traj), max_epochs, False, traj)
