"""Census that labels functions by a heuristic (at most one 'unbalanced' level) without
a certificate: right for n <= 2, wrong beyond."""
from implementations import *  # noqa: F401,F403
from implementations import boolean_census as _reference

REJECTED_BY = ["separable-boolean-census"]


def boolean_census(n):
    c = _reference(n)
    if n >= 3:
        c.separable[7] = ~c.separable[7]  # flip one verdict, keep the stale certificate
    return c
