"""mse_loss reduces by the sum instead of the mean (PyTorch's reduction='sum')."""
import numpy as np

from implementations import *  # noqa: F401,F403
from implementations import mse_loss as _mse

REJECTED_BY = ["regression-losses-match-catalogue", "gaussian-log-likelihood-closed-form",
               "gaussian-mle-is-mse-minimisation"]


def mse_loss(pred, target):
    return _mse(pred, target) * np.asarray(pred).size
