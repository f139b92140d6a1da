"""clip_grad_norm that rescales every gradient to norm max_norm, also small ones
(normalisation instead of clipping)."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.clipping import _global_norm

REJECTED_BY = ["clip-grad-norm-is-identity-below-threshold"]


def clip_grad_norm(grads, max_norm):
    arrays = [np.array(g, dtype=float) for g in grads]
    total = _global_norm(arrays)
    if total > 0:
        with np.errstate(invalid="ignore"):
            arrays = [a * (max_norm / total) for a in arrays]
    return arrays, total
