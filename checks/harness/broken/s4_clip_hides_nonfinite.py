"""clip_grad_norm that silently replaces inf/NaN entries (np.nan_to_num) before clipping:
the overflowed step is hidden instead of reported."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.clipping import clip_grad_norm as _reference

REJECTED_BY = ["clip-grad-norm-cannot-repair-nonfinite-gradients"]


def clip_grad_norm(grads, max_norm):
    return _reference([np.nan_to_num(np.array(g, dtype=float), nan=0.0, posinf=1e300,
                                     neginf=-1e300) for g in grads], max_norm)
