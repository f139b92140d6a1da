"""MLP forward pass with a linear read-out: sigma after the hidden layers only, not after
the last one (the article's form applies it after every layer)."""
import numpy as np

from implementations import *  # noqa: F401,F403
from implementations import mlp_forward as _reference

REJECTED_BY = ["mlp-output-is-layer-recursion", "zoo-activations-break-affinity-of-the-stack",
               "non-identity-activation-escapes-affine-maps", "dead-relu-never-updates-again"]


def mlp_forward(weights, biases, x, activation):
    hidden = _reference(weights[:-1], biases[:-1], x, activation) if len(weights) > 1 \
        else np.asarray(x, dtype=float)
    return _reference(weights[-1:], biases[-1:], hidden, "identity")
