"""Tolerances and probes at the implementation's declared working precision (issue 25).

The checks state their tolerances for float64 (the protocol's precision): ``rtol=1e-12``
is about 4500 units of float64's roundoff u64 = 2^-53. An implementation that declares
``CONVENTIONS["precision"] = "float32"`` (a framework that computes float64 input in
float32, e.g. Keras off TensorFlow) is held to the same number of units of float32's
roundoff u32 = 2^-24: every tolerance is multiplied by u32 / u64 = 2^29 (at most 1e-3,
:data:`CAP`), and probes that only float64 can represent (inputs or results beyond
float32's range) are left out. The
reference, PyTorch's and JAX's adapters declare nothing or float64 and are unaffected:
:func:`rtol` returns its argument unchanged for them.

The demotion itself is reported once, by the harness claim
``implementation-computes-at-its-declared-precision`` (``checks/test_s7_precision.py``).
"""
from __future__ import annotations

import numpy as np

U64 = 2.0**-53
U32 = 2.0**-24
SCALE = {"float64": 1.0, "float32": U32 / U64}


def declared(impl) -> str:
    """The implementation's declared working precision (float64 unless declared)."""
    return impl.convention("precision")


def scale(impl) -> float:
    return SCALE[declared(impl)]


#: the largest tolerance scaling may produce: above it a tolerance no longer measures
#: rounding but would excuse the defects the checks look for (a variance off by B/(B-1),
#: a mean left in): a probe that float32 cannot resolve to 1e-3 fails, and its failure is
#: the framework's precision, documented as such
CAP = 1e-3


def tol(impl, value: float) -> float:
    """A tolerance stated for float64, at the implementation's precision: unchanged for
    float64; for float32 the same number of units of float32's roundoff (x 2^29), at most
    :data:`CAP`."""
    v = float(value)
    return v if declared(impl) == "float64" else min(v * scale(impl), max(v, CAP))


def underflow_tol(impl, value: float) -> float:
    """An absolute tolerance that only excuses results below the normal range (stated for
    float64, e.g. 1e-300): float32's smallest normal number, 1.2e-38, for float32."""
    return float(value) if declared(impl) == "float64" else \
        max(float(value), 2 * float(np.finfo(np.float32).tiny))


def rounded(impl, x: float) -> float:
    """``x`` rounded once to the declared precision (an exact result's image)."""
    return float(np.float32(x)) if declared(impl) == "float32" else float(x)


def finfo(impl) -> np.finfo:
    return np.finfo(np.float32 if declared(impl) == "float32" else np.float64)


def representable(impl, x) -> np.ndarray:
    """Which entries of ``x`` the declared precision holds as finite numbers that are not
    flushed to 0 (a probe beyond float32's range is not asked of a float32 implementation;
    float64 keeps every finite entry)."""
    a = np.asarray(x, dtype=np.float64)
    if declared(impl) == "float64":
        return np.isfinite(a)
    f = np.finfo(np.float32)
    return (np.abs(a) <= f.max) & ((a == 0) | (np.abs(a) >= f.tiny))
