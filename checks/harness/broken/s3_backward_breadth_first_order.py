"""Engine whose backward visits nodes breadth-first from the output, not in reverse
topological order: a node shared by two paths passes its gradient on before it is complete."""
from implementations import *  # noqa: F401,F403

import implementations.autodiff as _reference

from ._patching import patched_copy


def _patched_engine(*edits):
    return patched_copy(_reference, __name__ + "_engine", *edits)


REJECTED_BY = ["backprop-on-any-dag-matches-symbolic-derivative"]

_BFS = """    def _breadth_first_order(self):
        order, seen, queue = [], {id(self)}, [self]
        while queue:
            node = queue.pop(0)
            order.append(node)
            for p in node._parents:
                if p.requires_grad and id(p) not in seen:
                    seen.add(id(p))
                    queue.append(p)
        return order[::-1]  # backward() runs the list reversed: output first

"""
_engine = _patched_engine(
    ("        order = self._topological_order()\n",
     "        order = self._breadth_first_order()\n"),
    ("    def _topological_order(self)", _BFS + "    def _topological_order(self)"))
Tensor = _engine.Tensor
mlp_gradients = _engine.mlp_gradients
mlp_flop_counts = _engine.mlp_flop_counts
