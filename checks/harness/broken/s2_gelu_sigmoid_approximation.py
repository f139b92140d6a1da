"""GeLU replaced by its sigmoid approximation z sigmoid(1.702 z) (and its derivative)."""
from implementations import *  # noqa: F401,F403
from implementations import sigmoid as _sigmoid
from implementations import sigmoid_grad as _sigmoid_grad

REJECTED_BY = ["gelu-row-grad-half-at-zero-smooth",
               "zoo-derivatives-match-symbolic-and-finite-differences",
               "swish-and-gelu-nearly-interchangeable", "named-models-use-gelu"]


def gelu(z):
    return z * _sigmoid(1.702 * z)


def gelu_grad(z):
    return _sigmoid(1.702 * z) + 1.702 * z * _sigmoid_grad(1.702 * z)
