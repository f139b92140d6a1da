"""Engine whose broadcast VJP keeps the first sample instead of summing over the batch."""
from implementations import *  # noqa: F401,F403

import implementations.autodiff as _reference

from ._patching import patched_copy


def _patched_engine(*edits):
    return patched_copy(_reference, __name__ + "_engine", *edits)


REJECTED_BY = ["mlp-gradients-match-sympy-and-finite-differences"]

_engine = _patched_engine(("        g = np.asarray(g.sum(axis=0))\n",
                           "        g = np.asarray(g[0])\n"))
Tensor = _engine.Tensor
mlp_gradients = _engine.mlp_gradients
mlp_flop_counts = _engine.mlp_flop_counts
