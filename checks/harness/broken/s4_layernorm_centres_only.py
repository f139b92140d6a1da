"""layernorm that subtracts each sample's mean but does not divide by its standard
deviation (a mean-only normaliser): the scale of the pre-activations is left to the
weights, so a deep sigmoid stack with large weights saturates."""
import numpy as np

from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference

REJECTED_BY = ["normalised-preactivations-keep-mean-sigmoid-derivative-near-peak",
               "layernorm-is-independent-of-the-batch"]


def layernorm(x, gamma, beta, *, eps):
    X = np.asarray(x, dtype=float)
    return np.asarray(gamma) * (X - X.mean(axis=-1, keepdims=True)) + np.asarray(beta)
