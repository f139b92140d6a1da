"""Threshold census that hands back its hyperplanes normalised to unit length (floats):
the verdicts are right, but a rounded certificate proves nothing, so the checker must
refuse it."""
from implementations import *  # noqa: F401,F403
from implementations import threshold_census as _reference

import numpy as np

REJECTED_BY = ["threshold-census-beyond-enumeration"]


def threshold_census(n):
    census = _reference(n)
    for level in census.levels:
        norm = np.linalg.norm(level.weights, axis=1, keepdims=True)
        level.weights = level.weights / np.where(norm == 0, 1, norm)
    return census
