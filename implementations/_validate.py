"""Input validation shared by the reference implementations (clear ValueErrors)."""
from __future__ import annotations

import math
from numbers import Real

import numpy as np


def _refuse_complex(x, name: str) -> None:
    if isinstance(x, (np.ndarray, np.generic)) and np.iscomplexobj(x):
        raise ValueError(f"{name} is complex; a real array is required "
                         "(converting would drop the imaginary part)")


def float_array(x, name: str, *, copy: bool = False) -> np.ndarray:
    """x as a float64 array, refusing what a float conversion would silently get wrong.

    A complex array is refused: numpy would drop the imaginary part with nothing but a
    ComplexWarning. Anything numpy cannot convert (text, ragged lists, arbitrary objects)
    is a ValueError naming the argument, never numpy's TypeError. Every entry point
    converts through here, so none can forget either rule. A float64 array is returned as
    it is, without a copy (inputs can be large); ``copy=True`` always returns a new array,
    for callers that write to the result.
    """
    _refuse_complex(x, name)
    try:
        return np.array(x, dtype=float) if copy else np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array: {exc}") from None


def real_matrix(X, name: str = "X", *, allow_empty: bool = False) -> np.ndarray:
    """A finite float64 matrix of shape (N, n)."""
    A = float_array(X, name)
    if A.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples x features), got shape {A.shape}")
    if not allow_empty and (A.shape[0] == 0 or A.shape[1] == 0):
        raise ValueError(f"{name} is empty (shape {A.shape})")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return A


def real_vector(v, name: str, *, length: int | None = None) -> np.ndarray:
    a = float_array(v, name)
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
    if length is not None and a.shape[0] != length:
        raise ValueError(f"{name} has length {a.shape[0]}, expected {length}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return a


def pm1_labels(y, n_samples: int, name: str = "y") -> np.ndarray:
    """Labels in {-1, +1}, one per sample."""
    a = np.asarray(y)
    _refuse_complex(a, name)  # labels 1+2j would otherwise be read as +1
    if a.ndim != 1 or a.shape[0] != n_samples:
        raise ValueError(f"{name} must be 1-D with one label per sample ({n_samples}), "
                         f"got shape {a.shape}")
    try:
        af = a.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers -1 and +1") from None
    if not np.all((af == 1.0) | (af == -1.0)):
        bad = af[~((af == 1.0) | (af == -1.0))][:3]
        raise ValueError(f"{name} must hold labels in {{-1, +1}}, found {bad.tolist()}")
    return af


def positive(x, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x) or not x > 0:
        raise ValueError(f"{name} must be a finite number > 0, got {x!r}")
    return float(x)


def positive_int(x, name: str) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {x!r}")
    return int(x)
