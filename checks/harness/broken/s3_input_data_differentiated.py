"""Engine that marks the input batch x as requiring a gradient: the backward pass also
forms dL/dx (an extra 2 N n0 n1 matmul FLOPs)."""
from implementations import *  # noqa: F401,F403

import implementations.autodiff as _reference

from ._patching import patched_copy


def _patched_engine(*edits):
    return patched_copy(_reference, __name__ + "_engine", *edits)


REJECTED_BY = ["backprop-costs-same-as-forward-pass"]

_engine = _patched_engine(("    a = Tensor(x)\n", "    a = Tensor(x, requires_grad=True)\n"))
Tensor = _engine.Tensor
mlp_gradients = _engine.mlp_gradients
mlp_flop_counts = _engine.mlp_flop_counts
