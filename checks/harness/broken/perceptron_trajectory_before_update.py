"""Perceptron whose trajectory records the weights *before* each update (off by one), so
the t-th entry is w_(t-1): every reported step lags the invariants by one update."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations import perceptron_train as _reference
from implementations.perceptron import PerceptronRun
import numpy as np

REJECTED_BY = ["novikoff-invariants-after-every-update"]


def perceptron_train(X, y, *, eta=1.0, bias=True, max_epochs=1000, w0=None, b0=0.0):
    run = _reference(X, y, eta=eta, bias=bias, max_epochs=max_epochs, w0=w0, b0=b0)
    n = np.asarray(X).shape[1]
    before = [(i, np.zeros(n) if w0 is None else np.asarray(w0, dtype=float), float(b0))]
    before += [(i, w, b) for (i, _, _), (_, w, b) in zip(run.trajectory[1:], run.trajectory)]
    return PerceptronRun(run.w, run.b, run.updates, run.epochs, run.converged, before)
