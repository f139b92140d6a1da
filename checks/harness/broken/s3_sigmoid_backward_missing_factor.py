"""Engine whose sigmoid VJP uses 1 - s instead of s (1 - s) (log-sigmoid's derivative)."""
from implementations import *  # noqa: F401,F403

import importlib.util
import pathlib
import sys

import implementations.autodiff as _reference


def _patched_engine(*edits):
    """A private copy of the reference engine with textual edits (old, new) applied."""
    src = pathlib.Path(_reference.__file__).read_text()
    for old, new in edits:
        assert src.count(old) == 1, f"reference engine changed; update {__name__}: {old!r}"
        src = src.replace(old, new)
    name = __name__ + "_engine"
    mod = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader=None))
    sys.modules[name] = mod
    exec(compile(src, _reference.__file__, "exec"), mod.__dict__)
    return mod


REJECTED_BY = ["one-neuron-gradient-by-chain-rule", "layer-jacobians-linear-elementwise-loss",
               "mlp-gradients-match-sympy-and-finite-differences",
               "backprop-on-any-dag-matches-symbolic-derivative",
               "chain-product-form-of-input-gradient"]

_engine = _patched_engine(("lambda out: out.data * (1 - out.data))",
                           "lambda out: 1 - out.data)"))
Tensor = _engine.Tensor
mlp_gradients = _engine.mlp_gradients
mlp_flop_counts = _engine.mlp_flop_counts
