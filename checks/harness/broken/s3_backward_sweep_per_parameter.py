"""Engine that runs one reverse sweep per parameter tensor (keeping only that tensor's
gradient): correct gradients, 2L times the work."""
from implementations import *  # noqa: F401,F403

import implementations.autodiff as _reference

from ._patching import patched_copy


def _patched_engine(*edits):
    return patched_copy(_reference, __name__ + "_engine", *edits)


REJECTED_BY = ["backprop-computes-all-partials-in-one-reverse-sweep"]

_engine = _patched_engine((
    "        value, _, _ = _mlp_loss(Ws, bs, x, y, hidden, output, loss)\n"
    "    with count_ops() as bwd:\n"
    "        value.backward()\n",
    "        value, pW, pb = _mlp_loss(Ws, bs, x, y, hidden, output, loss)\n"
    "    with count_ops() as bwd:\n"
    "        for p in pW + pb:\n"
    "            for q in pW + pb:\n"
    "                q.grad = None\n"
    "            value.backward()\n"))
Tensor = _engine.Tensor
mlp_gradients = _engine.mlp_gradients
mlp_flop_counts = _engine.mlp_flop_counts
