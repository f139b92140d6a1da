"""Engine whose sigmoid VJP uses 1 - s instead of s (1 - s) (log-sigmoid's derivative)."""
from implementations import *  # noqa: F401,F403

import implementations.autodiff as _reference

from ._patching import patched_copy


def _patched_engine(*edits):
    return patched_copy(_reference, __name__ + "_engine", *edits)


REJECTED_BY = ["one-neuron-gradient-by-chain-rule", "layer-jacobians-linear-elementwise-loss",
               "mlp-gradients-match-sympy-and-finite-differences",
               "chain-product-form-of-input-gradient",
               # through the fixed every-op DAG (an explicit example): random DAGs alone
               # need not contain a sigmoid (flake audit, root seed 30 had none)
               "backprop-on-any-dag-matches-symbolic-derivative"]

_engine = _patched_engine(("lambda out: out.data * (1 - out.data))",
                           "lambda out: 1 - out.data)"))
Tensor = _engine.Tensor
mlp_gradients = _engine.mlp_gradients
mlp_flop_counts = _engine.mlp_flop_counts
