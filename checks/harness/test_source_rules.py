"""Rules about the implementations' source text that no behavioural test can state.

These read the files, so mutmut (which rewrites every function into trampolines) cannot
run them; ``pyproject.toml`` leaves this file out of its test command.
"""
from __future__ import annotations

import pathlib
import re

import pytest

import implementations as I

pytestmark = pytest.mark.harness


# Conversions of values computed inside an implementation (never a caller's value) that may
# bypass float_array, each with the reason.
_INTERNAL_CONVERSIONS = {
    ("autodiff.py",
     "data = np.asarray(data, dtype=object) if symbolic else np.asarray(data, dtype=float)"):
        "Tensor._node: the result of an op on Tensors whose data float_array already accepted",
    ("autodiff.py", "return (a > 0).astype(float)"):
        "relu's slope mask: a boolean array made here, never complex",
    ("threshold_census.py",
     "res = linprog(np.zeros(n + 1), A_ub=-A.astype(float), b_ub=-np.ones(K),"):
        "the float LP that only proposes a certificate: integer points made here",
    ("threshold_census.py",
     "eq = np.vstack([A.T, np.ones((1, K), dtype=np.int64)]).astype(float)"):
        "the Farkas LP's equality matrix: integer points made here",
    ("dropout.py",
     "mask = (rng.random(a.shape) >= p).astype(float)  # P(keep) = P(U >= p) = 1 - p"):
        "the keep mask: a boolean array made here, never complex",
}


def test_every_float_conversion_of_caller_values_goes_through_float_array():
    # the complex and TypeError rules live in one converter; a new np.asarray(..., dtype=float)
    # or .astype(float) on a caller's value would silently reopen both holes, so each one
    # must be listed above
    root = pathlib.Path(I.__file__).parent
    found = set()
    for path in sorted(root.glob("*.py")):
        if path.name == "_validate.py":
            continue
        for line in path.read_text().splitlines():
            if (("dtype=float" in line and re.search(r"np\.(as)?array\(", line))
                    or ".astype(float" in line):
                found.add((path.name, line.strip()))
    unlisted = found - set(_INTERNAL_CONVERSIONS)
    assert not unlisted, f"float conversions that bypass _validate.float_array: {sorted(unlisted)}"
    stale = set(_INTERNAL_CONVERSIONS) - found
    assert not stale, f"allow-list entries no longer in the source: {sorted(stale)}"


def test_the_overflow_guard_is_applied_by_rebinding_not_as_a_decorator():
    # mutmut (make mutation) leaves decorated functions unmutated, so `@refuse_overflow`
    # would silently drop every mutant of the function it guards; each module rebinds
    # instead (`f = refuse_overflow(f, "x", ...)`), which keeps mutmut's trampolines
    root = pathlib.Path(I.__file__).parent
    decorated = [p.name for p in sorted(root.glob("*.py"))
                 if re.search(r"^\s*@refuse_overflow", p.read_text(), re.M)]
    assert not decorated, f"@refuse_overflow used as a decorator in {decorated}"
    rebound = [p.name for p in sorted(root.glob("*.py"))
               if re.search(r"^\w+ = refuse_overflow\(", p.read_text(), re.M)]
    assert len(rebound) >= 10, f"the guard is rebound in only {rebound}"
