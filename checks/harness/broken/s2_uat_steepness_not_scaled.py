"""Bump construction with steepness 8 instead of 8 / h (the cell width forgotten)."""

from implementations import *  # noqa: F401,F403
from implementations import uat
from implementations.uat import SigmoidNetwork

# the reference, bound once: uat_network_ridges below swaps uat.uat_network_1d for the
# broken one, which must not then call itself
_REFERENCE_1D = uat.uat_network_1d

REJECTED_BY = ["uat-construction-meets-eps-on-interval",
               "uat-construction-meets-eps-on-unit-square"]


def uat_network_1d(f, a, b, eps, *, lipschitz=None, modulus=None):
    net = _REFERENCE_1D(f, a, b, eps, lipschitz=lipschitz, modulus=modulus)
    h = (b - a) / net.width
    return SigmoidNetwork(coef=net.coef, weight=net.weight * h, bias=net.bias * h)


def uat_network_ridges(ridges, lo, hi, eps):
    saved = uat.uat_network_1d
    uat.uat_network_1d = uat_network_1d
    try:
        return uat.uat_network_ridges(ridges, lo, hi, eps)
    finally:
        uat.uat_network_1d = saved
