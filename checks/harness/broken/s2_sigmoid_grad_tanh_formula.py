"""Sigmoid derivative written with tanh's formula: 1 - sigmoid(z)^2 (0.75 at 0)."""
from implementations import *  # noqa: F401,F403
from implementations import sigmoid as _sigmoid

REJECTED_BY = ["saturating-chain-product-decays-exponentially",
               "sigmoid-row-grad-quarter-at-zero-vanishing-tails",
               "zoo-derivatives-match-symbolic-and-finite-differences"]


def sigmoid_grad(z):
    return 1.0 - _sigmoid(z) ** 2
