"""clip_grad_norm with the textbook norm sqrt(sum g^2): finite gradients above ~1.3e154
overflow to an infinite norm and are wiped out (scaled by 0) instead of clipped."""
import math

import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

# not clip-grad-norm-cannot-repair-nonfinite-gradients: its corrected statement makes a
# scaled norm a condition, and the zeroed step (norm 0 <= tau) satisfies it (issue 15)
REJECTED_BY = ["clip-grad-norm-scales-norm-down-to-threshold"]


def clip_grad_norm(grads, max_norm):
    arrays = [np.array(g, dtype=float) for g in grads]
    with np.errstate(over="ignore"):
        total = math.sqrt(sum(float(np.sum(a * a)) for a in arrays))
    if total > max_norm:
        with np.errstate(invalid="ignore"):
            arrays = [a * (max_norm / total) for a in arrays]
    return arrays, total
