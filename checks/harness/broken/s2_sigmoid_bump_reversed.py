"""Sigmoid difference taken the wrong way round: sigma(a(z-c-delta)) - sigma(a(z-c))."""
from implementations import *  # noqa: F401,F403
from implementations import sigmoid_bump as _reference

REJECTED_BY = ["sigmoid-difference-three-region-table",
               "bump-sum-is-one-hidden-layer-sigmoid-network"]


def sigmoid_bump(z, c, delta, steepness):
    return -_reference(z, c, delta, steepness)
