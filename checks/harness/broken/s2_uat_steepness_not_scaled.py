"""Bump construction with steepness 8 instead of 8 / h (the cell width forgotten)."""

from implementations import *  # noqa: F401,F403
from implementations import uat
from implementations.uat import SigmoidNetwork

REJECTED_BY = ["uat-construction-meets-eps-on-interval",
               "uat-construction-meets-eps-on-unit-square"]


def _broken(f, plan, name="f"):
    net = _REFERENCE_NETWORK(f, plan, name)
    return SigmoidNetwork(coef=net.coef, weight=net.weight * plan.h, bias=net.bias * plan.h)


_REFERENCE_NETWORK = uat._network


def _patched(build):
    # both entry points build each 1-D network through uat._network
    uat._network = _broken
    try:
        return build()
    finally:
        uat._network = _REFERENCE_NETWORK


def uat_network_1d(f, a, b, eps, *, lipschitz=None, modulus=None):
    return _patched(lambda: uat.uat_network_1d(f, a, b, eps, lipschitz=lipschitz,
                                               modulus=modulus))


def uat_network_ridges(ridges, lo, hi, eps):
    return _patched(lambda: uat.uat_network_ridges(ridges, lo, hi, eps))
