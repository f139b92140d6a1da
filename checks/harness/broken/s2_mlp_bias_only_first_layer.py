"""MLP forward pass that adds the bias in the first layer only."""
import numpy as np

from implementations import *  # noqa: F401,F403
from implementations import mlp_forward as _reference

REJECTED_BY = ["mlp-output-is-layer-recursion", "two-layer-linear-mlp-is-one-affine-layer",
               "deep-linear-mlp-collapse-formula",
               "deep-linear-mlp-no-more-expressive-than-one-layer"]


def mlp_forward(weights, biases, x, activation):
    zero = [np.zeros_like(np.asarray(b, dtype=float)) for b in biases[1:]]
    return _reference(weights, [biases[0], *zero], x, activation)
