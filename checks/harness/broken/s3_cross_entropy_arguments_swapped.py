"""cross_entropy(p, q) computes H(q, p): the weighting and the log's argument exchanged."""
from implementations import *  # noqa: F401,F403
from implementations import cross_entropy as _cross_entropy

REJECTED_BY = ["cross-entropy-asymmetric", "kl-equals-cross-entropy-minus-entropy",
               "entropy-is-average-bits-of-optimal-code",
               "classification-loss-is-cross-entropy-of-labels",
               "minimising-cross-entropy-equals-minimising-kl-iff-reference-fixed"]


def cross_entropy(p, q, base=2.718281828459045):
    return _cross_entropy(q, p, base=base)
