"""SiLU derivative without the product-rule term: sigmoid(z) instead of
sigmoid(z) (1 + z sigmoid(-z))."""
from implementations import *  # noqa: F401,F403
from implementations import sigmoid as _sigmoid

REJECTED_BY = ["zoo-derivatives-match-symbolic-and-finite-differences",
               "swish-dips-below-zero-near-minus-1-3"]


def silu_grad(z):
    return _sigmoid(z)
