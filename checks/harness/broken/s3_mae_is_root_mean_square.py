"""mae_loss returns the root-mean-square error (L1 confused with RMSE)."""
import math

from implementations import *  # noqa: F401,F403
from implementations import mse_loss as _mse

REJECTED_BY = ["regression-losses-match-catalogue", "mae-more-robust-to-outliers-than-mse"]


def mae_loss(pred, target):
    return math.sqrt(_mse(pred, target))
