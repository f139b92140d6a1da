"""Bump construction without its constant neuron 2 f(x_1) sigmoid(0 x + 0) (the network has
no output bias, so the constant term is lost)."""
from implementations import *  # noqa: F401,F403
from implementations import uat
from implementations.uat import SigmoidNetwork

REJECTED_BY = ["uat-cybenko-hypotheses-as-stated", "uat-construction-meets-eps-on-interval",
               "uat-construction-meets-eps-on-unit-square"]


def _broken(f, plan, name="f"):
    net = _REFERENCE_NETWORK(f, plan, name)
    keep = net.weight[:, 0] != 0
    return SigmoidNetwork(coef=net.coef[keep], weight=net.weight[keep], bias=net.bias[keep])


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
