"""entropy(p, base) ignores the base: always nats."""
from implementations import *  # noqa: F401,F403
from implementations import entropy as _entropy

REJECTED_BY = ["log-base-changes-unit-not-minimiser", "entropy-is-average-bits-of-optimal-code",
               "kl-equals-cross-entropy-minus-entropy"]


def entropy(p, base=2.718281828459045):
    return _entropy(p)
