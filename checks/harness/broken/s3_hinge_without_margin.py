"""hinge_loss without the margin: max(0, -y s) (the perceptron criterion)."""
import numpy as np

from implementations import *  # noqa: F401,F403

REJECTED_BY = ["classification-losses-match-catalogue"]


def hinge_loss(score, target_pm1):
    s, y = np.asarray(score, dtype=float), np.asarray(target_pm1, dtype=float)
    return float(np.mean(np.maximum(0.0, -y * s)))
