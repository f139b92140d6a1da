"""clip_grad_norm with PyTorch's factor min(1, tau / (||g|| + 1e-6)), applied on every call:
a gradient whose norm equals tau (or lies within 1e-6 of it) is shrunk although the rule
'clip when ||g|| > tau' leaves it alone."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.clipping import _global_norm

REJECTED_BY = ["clip-grad-norm-is-identity-below-threshold"]


def clip_grad_norm(grads, max_norm):
    arrays = [np.array(g, dtype=float) for g in grads]
    total = _global_norm(arrays)
    factor = min(1.0, max_norm / (total + 1e-6))
    with np.errstate(invalid="ignore"):
        arrays = [a * factor for a in arrays]
    return arrays, total
