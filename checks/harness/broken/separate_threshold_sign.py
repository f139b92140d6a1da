"""Separability with the threshold convention mixed up: the solver's hyperplane is
w . x + b > 0, but it reports the threshold theta = -b (of w . x > theta) as ``b``."""
from implementations import *  # noqa: F401,F403 - the rest of the protocol is the reference
from implementations import separate as _reference
from implementations.separability import Separable

REJECTED_BY = ["bias-needed-to-translate", "non-convex-region-defeats-single-layer"]


def separate(points, labels):
    cert = _reference(points, labels)
    return Separable(w=cert.w, b=-cert.b) if isinstance(cert, Separable) else cert
