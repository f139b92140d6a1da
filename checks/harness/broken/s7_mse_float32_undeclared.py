"""MSE computed in float32 (and returned as a float64 number) by a module that declares no
working precision: float64 input silently demoted, as Keras does off TensorFlow."""
import numpy as np

from implementations import *  # noqa: F401,F403
from implementations import mse_loss as _mse

REJECTED_BY = ["implementation-computes-at-its-declared-precision"]


def mse_loss(pred, target):
    _mse(pred, target)  # the reference's argument checks
    p, t = np.asarray(pred, dtype=np.float32), np.asarray(target, dtype=np.float32)
    return float(np.mean((p - t) ** 2, dtype=np.float32))
