"""Threshold census whose candidates are only the pairs with f(0, .) <= f(1, .), as if
every threshold function had w_1 >= 0: it forgets the functions decreasing in x_1."""
from implementations import *  # noqa: F401,F403
import importlib

# the package re-exports the function under the module's name, so ask for the module
_reference = importlib.import_module("implementations.threshold_census")

from ._patching import patched_copy

REJECTED_BY = ["threshold-census-beyond-enumeration"]

_broken = patched_copy(
    _reference, "_broken_census_one_direction",
    ("ok = ((a & (~b & full)) == 0) | ((b & (~a & full)) == 0)",
     "ok = (a & (~b & full)) == 0"))
threshold_census = _broken.threshold_census
