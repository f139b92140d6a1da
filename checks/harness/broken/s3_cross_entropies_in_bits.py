"""binary and categorical cross-entropy losses computed with log2 (bits) instead of ln."""
import math

from implementations import *  # noqa: F401,F403
from implementations import binary_cross_entropy as _bce
from implementations import categorical_cross_entropy as _cce

REJECTED_BY = ["classification-losses-match-catalogue", "bernoulli-negative-log-likelihood-is-bce",
               "categorical-negative-log-likelihood-is-cce",
               "classification-loss-is-cross-entropy-of-labels"]


def binary_cross_entropy(prob, target):
    return _bce(prob, target) / math.log(2)


def categorical_cross_entropy(probs, target_onehot):
    return _cce(probs, target_onehot) / math.log(2)
