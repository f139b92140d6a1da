"""clip_grad_norm that clips every array to max_norm separately (per-parameter clipping):
the global norm can reach sqrt(k) max_norm and the direction changes."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations.clipping import clip_grad_norm as _reference

REJECTED_BY = ["clip-grad-norm-scales-norm-down-to-threshold", "clip-grad-norm-keeps-direction"]


def clip_grad_norm(grads, max_norm):
    total = _reference(list(grads), max_norm)[1]
    return [_reference([g], max_norm)[0][0] for g in grads], total
