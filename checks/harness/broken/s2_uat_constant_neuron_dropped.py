"""Bump construction without its constant neuron 2 f(x_1) sigmoid(0 x + 0) (the network has
no output bias, so the constant term is lost)."""
from implementations import *  # noqa: F401,F403
from implementations import uat
from implementations.uat import SigmoidNetwork

# the reference, bound once: uat_network_ridges below swaps uat.uat_network_1d for the
# broken one, which must not then call itself
_REFERENCE_1D = uat.uat_network_1d

REJECTED_BY = ["uat-cybenko-hypotheses-as-stated", "uat-construction-meets-eps-on-interval",
               "uat-construction-meets-eps-on-unit-square"]


def uat_network_1d(f, a, b, eps, *, lipschitz=None, modulus=None):
    net = _REFERENCE_1D(f, a, b, eps, lipschitz=lipschitz, modulus=modulus)
    keep = net.weight[:, 0] != 0
    return SigmoidNetwork(coef=net.coef[keep], weight=net.weight[keep], bias=net.bias[keep])


def uat_network_ridges(ridges, lo, hi, eps):
    saved = uat.uat_network_1d
    uat.uat_network_1d = uat_network_1d
    try:
        return uat.uat_network_ridges(ridges, lo, hi, eps)
    finally:
        uat.uat_network_1d = saved
