"""Input validation shared by the reference implementations (clear ValueErrors)."""
from __future__ import annotations

import dataclasses
import functools
import math
from numbers import Real

import numpy as np


# -- caps on work and memory (every iterative or allocating procedure checks one) ----------
#: entries of one array an implementation allocates for a caller: 2^25 float64 = 256 MiB
#: (filling it takes about a second: well inside the fuzzer's 20 s and 1 GiB per call)
MAX_ELEMENTS = 1 << 25
#: elementary operations (multiply-adds) of one call of an iterative procedure: 10^10 runs
#: in seconds to a minute in numpy on one core; beyond it a call is a mistake, not a job
MAX_WORK = 10**10
#: iterations of a loop written in Python (one per sample or coordinate): 10^7 is seconds
MAX_PY_STEPS = 10**7


def show(x) -> str:
    """repr of a caller's value for a message, with huge integers abbreviated."""
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) >= 10**20:
        return f"an integer of {len(str(abs(x)))} digits"
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def _refuse_complex(x, name: str) -> None:
    if isinstance(x, (np.ndarray, np.generic)) and np.iscomplexobj(x):
        raise ValueError(f"{name} is complex; a real array is required "
                         "(converting would drop the imaginary part)")


def _is_real_number(v) -> bool:
    return isinstance(v, (Real, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _check_objects(a: np.ndarray, name: str) -> None:
    """An object array (Python numbers numpy did not convert): every entry a real number."""
    for v in a.ravel():
        if isinstance(v, (complex, np.complexfloating)):
            _refuse_complex(np.asarray(v), name)
        if isinstance(v, (bool, np.bool_)):
            raise ValueError(_BOOL_MESSAGE.format(name=name))
        if isinstance(v, (str, bytes, np.str_, np.bytes_)):
            raise ValueError(_TEXT_MESSAGE.format(name=name))
        if v is None or isinstance(v, np.ma.core.MaskedConstant):
            raise ValueError(f"{name} must be a numeric array: it holds {v!r}")
        if isinstance(v, int) and abs(v) >= 2**1024:  # beyond the largest float64
            raise ValueError(f"{name} holds {show(v)}, too large for float64")


def _holds_bool(seq) -> bool:
    """Whether nested lists/tuples hold a bool anywhere (numpy would upcast it silently)."""
    stack = [seq]
    while stack:
        for v in stack.pop():
            if isinstance(v, (bool, np.bool_)):
                return True
            if isinstance(v, (list, tuple)):
                stack.append(v)
            elif isinstance(v, np.ndarray) and v.dtype.kind == "b":
                return True
    return False


_BOOL_MESSAGE = ("{name} is boolean; real numbers are required (numpy would read True and "
                 "False as 1 and 0)")
_TEXT_MESSAGE = "{name} holds text; real numbers are required (numeric strings are not parsed)"


def float_array(x, name: str, *, copy: bool = False) -> np.ndarray:
    """x as a float64 array of real numbers, refusing what a conversion would get wrong.

    Accepted: numpy arrays of a real dtype (float, signed or unsigned integer), Python or
    numpy real scalars, and (nested) lists or tuples of those. Refused, each with a
    ValueError naming the argument: complex values (numpy would drop the imaginary part with
    only a ComplexWarning), text and bytes (numpy would parse numeric strings), booleans
    (numpy would read them as 0 and 1), masked arrays (the mask would be dropped and the
    hidden values used), integers too large for float64, None and other objects, ragged
    lists. Finiteness is the caller's check (NaN and inf are real floats). Every entry
    point converts through here, so none can forget a rule. A float64 array is returned as
    it is, without a copy (inputs can be large); ``copy=True`` always returns a new array,
    for callers that write to the result.
    """
    if isinstance(x, np.ma.MaskedArray):
        raise ValueError(f"{name} is a masked array; pass plain values (the mask would be "
                         "dropped and the hidden values used)")
    if isinstance(x, (str, bytes)):
        raise ValueError(_TEXT_MESSAGE.format(name=name))
    if type(x) is np.ndarray:
        a = x
    else:
        if isinstance(x, (list, tuple)) and _holds_bool(x):
            # [True, 2.0] converts to a float array: the dtype no longer shows the bool
            raise ValueError(_BOOL_MESSAGE.format(name=name))
        try:
            a = np.asarray(x)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValueError(f"{name} must be a numeric array: {exc}") from None
    kind = a.dtype.kind
    if kind == "c":
        _refuse_complex(a, name)
    elif kind == "b":
        raise ValueError(_BOOL_MESSAGE.format(name=name))
    elif kind in "US":
        raise ValueError(_TEXT_MESSAGE.format(name=name))
    elif kind == "O":
        _check_objects(a, name)
    elif kind not in "fiu":
        raise ValueError(f"{name} must be a numeric array, got dtype {a.dtype}")
    try:
        return np.array(a, dtype=float) if copy else np.asarray(a, dtype=float)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"{name} must be a numeric array: {exc}") from None


def real_scalar(x, name: str, *, what: str = "a finite number") -> float:
    """x as a finite float: a Python or numpy real number (int, float, Fraction, ...).

    The scalar twin of :func:`float_array`: refuses bool, str, bytes, complex, masked
    values, None, arrays (even 0-d: a scalar parameter that silently broadcasts is a shape
    leak), NaN, inf and integers too large for float64, each as ``"{name} must be {what},
    got ..."``."""
    if not _is_real_number(x):
        raise ValueError(f"{name} must be {what}, got {show(x)}")
    try:
        v = float(x)
    except OverflowError:
        raise ValueError(f"{name} must be {what}, got {show(x)}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be {what}, got {show(x)}")
    return v


def flag(x, name: str) -> bool:
    """A True/False argument: Python or numpy bool only (``'no'`` or 0 is no flag)."""
    if not isinstance(x, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {show(x)}")
    return bool(x)


def axis_index(axis, ndim: int, name: str = "axis") -> int:
    """An axis of an array with ``ndim`` dimensions: an integer in [-ndim, ndim)."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)) \
            or not -ndim <= axis < ndim:
        raise ValueError(f"{name} must be an integer in [{-ndim}, {ndim}) for an array of "
                         f"{ndim} dimension(s), got {show(axis)}")
    return int(axis)


def check_cap(amount: int, cap: int, what: str, reason: str, name: str) -> None:
    """Refuse work or memory beyond a cap, saying which argument asked for it and why."""
    if amount > cap:
        raise ValueError(f"{name}: {what} = {show(amount) if amount >= 10**20 else amount} "
                         f"exceeds the cap {cap:.3g} ({reason})")


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
    af = float_array(y, name)  # labels 1+2j, '1' or True would otherwise be read as +1
    if af.ndim != 1 or af.shape[0] != n_samples:
        raise ValueError(f"{name} must be 1-D with one label per sample ({n_samples}), "
                         f"got shape {af.shape}")
    if not np.all((af == 1.0) | (af == -1.0)):
        bad = af[~((af == 1.0) | (af == -1.0))][:3]
        raise ValueError(f"{name} must hold labels in {{-1, +1}}, found {bad.tolist()}")
    return af


def positive(x, name: str) -> float:
    v = real_scalar(x, name, what="a finite number > 0")
    if not v > 0:
        raise ValueError(f"{name} must be a finite number > 0, got {show(x)}")
    return v


def positive_int(x, name: str, *, cap: int | None = None, reason: str = "") -> int:
    """An integer >= 1 (Python or numpy, not bool), at most ``cap`` when one is given."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)) or x < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {show(x)}")
    if cap is not None and x > cap:
        raise ValueError(f"{name} must be <= {cap} ({reason}), got {show(x)}")
    return int(x)


def _all_finite(value) -> bool:
    """Whether a result (array, float, tuple/list/dict of them, dataclass) is finite."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.all(np.isfinite(value)))
    if isinstance(value, (float, np.floating)):
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(_all_finite(v) for v in value)
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return all(_all_finite(getattr(value, f.name)) for f in dataclasses.fields(value))
    return True


def refuse_overflow(fn, *names: str, infinite_ok: bool = False):
    """``fn`` run with float64 overflow, invalid operations and division by zero as errors,
    reported as a ValueError naming the arguments ``names`` (Python's OverflowError too);
    a NaN or inf in the result is refused the same way (BLAS and LAPACK, behind matmul and
    solve, overflow without raising numpy's floating-point errors). ``infinite_ok`` skips
    the result check for the functions whose +inf values are documented.

    For finite inputs a NaN or inf result is never the right answer silently: either the
    true value lies outside float64 (``mse_loss([1e308], [-1e308])`` is 4e616) or the
    formula lost it. Gradual underflow (subnormals, flushes to 0) stays allowed: the result
    is then within rounding of the true value. Functions whose non-finite results are
    documented (``clip_grad_norm``, ``gradient_descent``'s divergence stop) do not use this.
    Each module applies it by rebinding its functions at the end (``f = refuse_overflow(f,
    "x", ...)``), not as a decorator: mutmut leaves decorated functions unmutated. The
    argument names are spelled out because mutmut's trampolines need not keep signatures.
    """
    listed = ", ".join(names)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            try:
                result = fn(*args, **kwargs)
            except (FloatingPointError, OverflowError) as exc:  # numpy's, and Python's
                # (float(huge Fraction), float ** k)
                raise ValueError(f"{fn.__name__}: the arguments ({listed}) lead outside the "
                                 f"float64 range ({exc}); rescale them") from None
        if not infinite_ok and not _all_finite(result):
            raise ValueError(f"{fn.__name__}: the arguments ({listed}) lead outside the "
                             "float64 range (the result is not finite); rescale them")
        return result
    return wrapper
