"""The derivative a check may demand at a piecewise block's kink z = 0 (issue 25).

Every piecewise block of the protocol (``implementations.KINKS``: ReLU, Leaky ReLU, PReLU,
ELU) has a convention for its derivative at the kink, declared as the one-sided derivative
taken there (``CONVENTIONS[key] = "left" | "right"``; ReLU's by value). A check asks at
the kink only what its claim says:

* :func:`convention_value` - the claim fixes the value (the article's ReLU'(0) = 1 "by
  convention", ELU's z <= 0 branch): the declared value, or the reference's;
* :func:`allowed_values` - the claim leaves it open (Leaky ReLU's "every input has a
  non-zero gradient", the zoo's agreement with a 50-digit reference away from any
  ambiguity): the declared value if the implementation declares one (a promise, tested
  exactly), otherwise either one-sided derivative. Nothing else is accepted: a gradient of
  0 at the kink of a Leaky ReLU is neither.
"""
from __future__ import annotations

from implementations import KINKS


def _sides(block: str, alpha) -> tuple[float, float]:
    _, left, right = KINKS[block]
    return float(left(alpha)), float(right(alpha))


def convention_value(impl, block: str, alpha=None) -> float:
    """The kink derivative by the declared (or the reference's) convention."""
    key = KINKS[block][0]
    value = impl.convention(key)
    if block == "relu":
        return float(value)
    left, right = _sides(block, alpha)
    return left if value == "left" else right


def allowed_values(impl, block: str, alpha=None) -> tuple[float, ...]:
    """The values a check of a claim that leaves the kink open accepts at z = 0."""
    key = KINKS[block][0]
    if impl.declares(key):
        return (convention_value(impl, block, alpha),)
    return tuple(sorted(set(_sides(block, alpha))))
