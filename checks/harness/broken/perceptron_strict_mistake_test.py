"""Perceptron that updates only on y (w . x + b) < 0, treating points on the boundary as
correct: from w = 0, b = 0 every score is 0, so it "converges" at once with no update."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.perceptron import PerceptronRun
import numpy as np

REJECTED_BY = ["novikoff-bound-for-bias-perceptron", "novikoff-updates-le-bound-of-separable",
               "worked-two-point-example", "updates-only-on-mistakes"]


def perceptron_train(X, y, *, eta=1.0, bias=True, max_epochs=1000, w0=None, b0=0.0):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float).copy()
    b, traj = float(b0), []
    for epoch in range(1, max_epochs + 1):
        k = len(traj)
        for i in range(len(X)):
            if y[i] * (w @ X[i] + b) < 0:
                w = w + eta * y[i] * X[i]
                b = b + (eta * y[i] if bias else 0.0)
                traj.append((i, w.copy(), b))
        if len(traj) == k:
            return PerceptronRun(w, b, len(traj), epoch, True, traj)
    return PerceptronRun(w, b, len(traj), max_epochs, False, traj)
