"""Engine that marks the input batch x as requiring a gradient: the backward pass also
forms dL/dx (an extra 2 N n0 n1 matmul FLOPs)."""
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


REJECTED_BY = ["backprop-costs-same-as-forward-pass"]

_engine = _patched_engine(("    a = Tensor(x)\n", "    a = Tensor(x, requires_grad=True)\n"))
Tensor = _engine.Tensor
mlp_gradients = _engine.mlp_gradients
mlp_flop_counts = _engine.mlp_flop_counts
