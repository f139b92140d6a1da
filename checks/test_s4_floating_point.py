"""Evidence for §4.1's floating-point statements: overflow, inf arithmetic and NaN.

Every float is a dyadic rational, so ``fractions.Fraction(x)`` is its exact value; the
IEEE 754 round-to-nearest-even rule is then checked exactly against numpy's float32
arithmetic and casts. The NaN statements are surveyed over every numpy ufunc with a
float64 loop and over Python's operators and ``math`` functions.
"""
from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from checks.support import strategies as S

claim = pytest.mark.claim

F32_MAX = Fraction(2**24 - 1, 2**23) * 2**127  # (2 - 2^-23) 2^127
F32_OVERFLOW = Fraction(2**128 - 2**103)  # max + half an ulp (ulp at max = 2^104)
NAN, INF = float("nan"), float("inf")


@claim("float32-max-is-about-3-4e38", kind="exact")
def test_float32_max_exactly(evidence):
    fmax = np.finfo(np.float32).max
    assert Fraction(float(fmax)) == F32_MAX
    assert F32_MAX == 340282346638528859811704183484516925440
    assert abs(F32_MAX / Fraction(34, 10) / 10**38 - 1) < Fraction(1, 1000), "about 3.4e38"
    evidence.note(f"exact: float32 max = (2 - 2^-23) 2^127 = {int(F32_MAX)} = "
                  f"{float(F32_MAX):.7e}; "
                  f"float16 max = {float(np.finfo(np.float16).max)}, float64 max = "
                  f"{float(np.finfo(np.float64).max):.6e}")


def _f32_rounds_to_inf(exact: Fraction) -> bool:
    return abs(exact) >= F32_OVERFLOW


@claim("float32-overflows-to-inf-above-max", kind="exact", scope="instance")
def test_values_just_above_float32_max_round_back_to_max(evidence):
    fmax = np.float32(np.finfo(np.float32).max)
    with np.errstate(over="ignore"):
        below = fmax + np.float32(2.0**102)   # exact sum is max + ulp/4
        tie = fmax + np.float32(2.0**103)     # exactly max + ulp/2: ties to even = 2^128
        cast_below = np.float32(float(F32_OVERFLOW) - 2.0**80)  # float64 -> float32 cast
        cast_at = np.float32(float(F32_OVERFLOW))
    assert Fraction(float(below)) == F32_MAX, "max + 2^102 rounds to max, not inf"
    assert Fraction(float(fmax)) + Fraction(2**102) > F32_MAX
    assert np.isposinf(tie), "max + 2^103 (the tie) rounds to inf"
    assert Fraction(float(cast_below)) == F32_MAX and np.isposinf(cast_at)
    evidence.note("the exact overflow threshold: float32 max + 2^102 (exact value > max by a "
                  "quarter ulp) == max, finite; the result becomes inf from max + 2^103 = "
                  "2^128 - 2^103 on (round to nearest, ties to even)")
    # how deep until the article's chain products leave the float range
    rows = []
    for name, dt in (("float16", np.float16), ("float32", np.float32), ("float64", np.float64)):
        info = np.finfo(dt)
        top = Fraction(float(info.max))
        ulp_top = Fraction(2) ** (info.maxexp - 1 - info.nmant)
        thresh = top + ulp_top / 2
        tiny = Fraction(float(info.smallest_subnormal))
        L_over = next(L for L in range(1, 5000) if Fraction(6, 5)**L >= thresh)
        L_under = next(L for L in range(1, 5000) if Fraction(1, 4)**L <= tiny / 2)
        with np.errstate(over="ignore", under="ignore"):
            p, q = dt(1), dt(1)
            for _ in range(L_over):
                p = dt(p * dt(1.2))
            for _ in range(L_under):
                q = dt(q * dt(0.25))
        assert float(q) == 0.0, f"{name}: 0.25^{L_under} underflows to 0"
        rows.append([name, L_over, "inf" if np.isinf(p) else f"{float(p):.4g}", L_under])
    evidence.table("depth at which the article's curves leave the float range",
                   ["format", "first L with exact 1.2^L >= overflow threshold",
                    "1.2^L by repeated multiplication", "first L with 0.25^L -> 0"], rows)
    assert rows[1][1] == 487


@claim("float32-overflows-to-inf-above-max", kind="exact", scope="instance")
@given(a=st.floats(width=32, allow_nan=False, allow_infinity=False),
       b=st.floats(width=32, allow_nan=False, allow_infinity=False),
       op=st.sampled_from(["add", "mul"]))
@example(a=3.4028234663852886e38, b=5.070602400912918e30, op="add")
@example(a=1.8446744073709552e19, b=1.8446744073709552e19, op="mul")
def test_float32_result_is_inf_iff_exact_value_reaches_threshold(evidence, a, b, op):
    fa, fb = np.float32(a), np.float32(b)
    exact = Fraction(a) + Fraction(b) if op == "add" else Fraction(a) * Fraction(b)
    with np.errstate(over="ignore"):
        got = fa + fb if op == "add" else fa * fb
    assert bool(np.isinf(got)) == _f32_rounds_to_inf(exact), (a, b, op, float(got))
    if F32_MAX < abs(exact) < F32_OVERFLOW:
        evidence.count("results above max that stayed finite")
    evidence.count("float32 sums/products checked against the exact rule")


@claim("inf-arithmetic-produces-nan", kind="exact")
def test_inf_minus_inf_zero_times_inf_inf_over_inf_are_nan(evidence):
    rows = []
    for name, dt in (("float16", np.float16), ("float32", np.float32), ("float64", np.float64),
                     ("python float", float)):
        inf, zero = dt(INF), dt(0.0)
        cases = {"inf - inf": lambda: inf - inf, "-inf + inf": lambda: -inf + inf,
                 "0 * inf": lambda: zero * inf, "-0 * -inf": lambda: -zero * -inf,
                 "inf * 0": lambda: inf * zero, "inf / inf": lambda: inf / inf,
                 "-inf / inf": lambda: -inf / inf, "inf / -inf": lambda: inf / -inf}
        with np.errstate(invalid="ignore"):
            for label, f in cases.items():
                assert math.isnan(float(f())), f"{name}: {label} is not NaN"
            # not every inf operation gives NaN: the article's list is exactly the
            # indeterminate forms
            assert float(inf + inf) == INF and float(inf * inf) == INF
            assert float(dt(1.0) / inf) == 0.0
        rows.append([name, "NaN", "NaN", "NaN", "inf", "inf"])
    evidence.table("indeterminate forms", ["type", "inf - inf", "0 * inf", "inf / inf",
                                           "inf + inf", "inf * inf"], rows)
    evidence.note("exhaustive over signs in float16, float32, float64 and Python floats: "
                  "inf - inf, 0 * inf and inf / inf are NaN; inf + inf and inf * inf stay inf, "
                  "1 / inf = 0")


# -- the NaN survey ------------------------------------------------------------------------
def _float_ufuncs():
    seen, out = set(), []
    for name in sorted(dir(np)):
        u = getattr(np, name)
        if not isinstance(u, np.ufunc) or id(u) in seen or u.signature is not None:
            continue  # generalised ufuncs (matmul, vecdot, ...) need arrays, not scalars
        if any(t.split("->")[0] == "d" * u.nin for t in u.types):
            seen.add(id(u))
            out.append((u.__name__, u))
    return out


def _python_ops():
    binary = {"a + b": operator.add, "a - b": operator.sub, "a * b": operator.mul,
              "a / b": operator.truediv, "a // b": operator.floordiv, "a % b": operator.mod,
              "a ** b": operator.pow, "divmod": divmod, "min": min, "max": max,
              "math.pow": math.pow, "math.hypot": math.hypot, "math.fmod": math.fmod,
              "math.atan2": math.atan2, "math.copysign": math.copysign,
              "math.remainder": math.remainder, "math.nextafter": math.nextafter,
              "math.isclose": math.isclose, "a == b": operator.eq, "a < b": operator.lt}
    unary = {"-a": operator.neg, "+a": operator.pos, "abs": abs, "round": round, "int": int,
             "math.floor": math.floor, "math.ceil": math.ceil, "math.trunc": math.trunc,
             "math.sqrt": math.sqrt, "math.exp": math.exp, "math.log": math.log,
             "math.sin": math.sin, "math.tanh": math.tanh, "math.erf": math.erf,
             "math.gamma": math.gamma, "math.lgamma": math.lgamma, "math.fabs": math.fabs,
             "math.isfinite": math.isfinite, "math.ulp": math.ulp,
             "math.fsum([a])": lambda a: math.fsum([a]), "sum([a, 1])": lambda a: sum([a, 1.0])}
    return binary, unary


def _is_nan_result(r) -> bool:
    parts = r if isinstance(r, tuple) else (r,)
    return all(isinstance(p, (float, np.floating)) and math.isnan(p) for p in parts)


def _describe(r) -> str:
    if isinstance(r, tuple):
        return "(" + ", ".join(_describe(p) for p in r) + ")"
    if isinstance(r, (bool, np.bool_)):
        return f"{bool(r)} (bool)"
    return repr(float(r)) if isinstance(r, (float, np.floating)) else f"{r!r}"


def _survey(operands):
    """(function -> first non-NaN outcome) for NaN in every argument position."""
    found: dict[str, str] = {}
    propagating: list[str] = []
    with np.errstate(all="ignore"):
        for name, u in _float_ufuncs():
            bad = None
            for pos in range(u.nin):
                for x in operands:
                    args = [np.float64(x)] * u.nin
                    args[pos] = np.float64(NAN)
                    try:
                        r = u(*args)
                    except (TypeError, ValueError) as exc:
                        bad = bad or (f"np.{name}{tuple(map(float, args))} raises "
                                      f"{type(exc).__name__}")
                        continue
                    if not _is_nan_result(r):
                        bad = bad or f"np.{name}{tuple(map(float, args))} = {_describe(r)}"
            if bad is None:
                propagating.append(f"np.{name}")
            else:
                found[f"np.{name}"] = bad
        binary, unary = _python_ops()
        for label, f in list(binary.items()) + list(unary.items()):
            nin = 2 if label in binary else 1
            bad = None
            for pos in range(nin):
                for x in operands:
                    args = [float(x)] * nin
                    args[pos] = NAN
                    try:
                        r = f(*args)
                    except (ValueError, OverflowError, ZeroDivisionError) as exc:
                        bad = bad or f"{label}{tuple(args)} raises {type(exc).__name__}"
                        continue
                    if not _is_nan_result(r):
                        bad = bad or f"{label}{tuple(args)} = {_describe(r)}"
            if bad is None:
                propagating.append(label)
            else:
                found[label] = bad
    return found, propagating


SPECIALS = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -3.0, INF, -INF, NAN, 5e-324, 1.7976931348623157e308]


@claim("nan-absorbs-every-arithmetic-operation", kind="exact", target="counterexample")
def test_nan_is_not_absorbing_for_pow_hypot_fmax_and_comparisons(evidence, rng):
    with np.errstate(all="ignore"):
        witnesses = {
            "np.power(nan, 0) = 1": np.power(NAN, 0.0) == 1.0,
            "np.power(1, nan) = 1": np.power(1.0, NAN) == 1.0,
            "nan ** 0 = 1 (Python)": NAN ** 0 == 1.0,
            "1.0 ** nan = 1 (Python)": 1.0 ** NAN == 1.0,
            "math.pow(nan, 0) = 1": math.pow(NAN, 0.0) == 1.0,
            "np.hypot(inf, nan) = inf": np.hypot(INF, NAN) == INF,
            "np.fmax(nan, 1) = 1": np.fmax(NAN, 1.0) == 1.0,
            "np.fmin(1, nan) = 1": np.fmin(1.0, NAN) == 1.0,
            "max(1.0, nan) = 1 (Python)": max(1.0, NAN) == 1.0,
            "np.where(nan > 0, nan, 0) = 0 (ReLU by comparison)":
                np.where(NAN > 0, NAN, 0.0) == 0.0,
        }
    assert all(witnesses.values()), [k for k, v in witnesses.items() if not v]
    evidence.counterexample("pow(NaN, 0) = 1 and pow(1, NaN) = 1 (numpy, Python ** and "
                            "math.pow); hypot(inf, NaN) = inf; fmax(NaN, 1) = fmin(1, NaN) = 1; "
                            "Python max(1.0, nan) = 1.0; Python nan / 0.0 raises "
                            "ZeroDivisionError; comparisons with NaN are False, so "
                            "np.where(nan > 0, nan, 0) = 0")
    operands = SPECIALS + list(rng.normal(0, 1, 8) * 10.0 ** rng.integers(-300, 300, 8))
    found, propagating = _survey(operands)
    for k in ("np.power", "np.hypot", "np.fmax", "np.fmin", "a ** b", "min", "max",
              "a / b"):  # Python: nan / 0.0 raises ZeroDivisionError instead of giving NaN
        assert k in found, f"the survey must find the exception {k}"
    for k in ("np.add", "np.subtract", "np.multiply", "np.divide", "np.sqrt", "np.exp",
              "a + b", "a - b", "a * b"):
        assert k in propagating, f"{k} should propagate NaN"
    evidence.table("where 'NaN in, NaN out' fails (first witness over specials and random "
                   "floats)", ["function", "witness"], sorted([k, v] for k, v in found.items()))
    evidence.note(f"survey: {len(found) + len(propagating)} functions (numpy ufuncs with a "
                  f"float64 loop, Python operators, math functions) with NaN in each argument "
                  f"and {len(operands)} other operands; {len(propagating)} always return NaN: "
                  + ", ".join(sorted(propagating)))


@claim("nan-absorbs-every-arithmetic-operation", kind="exact", scope="instance", target="corrected")
@given(x=S.ieee_operands(), pos=st.integers(0, 1))
def test_basic_arithmetic_propagates_nan(evidence, x, pos):
    # the corrected statement's positive half: the basic operations return NaN whatever
    # the other operand (including inf, 0 and NaN)
    basic = [np.add, np.subtract, np.multiply, np.divide, np.remainder, np.fmod,
             np.arctan2, np.logaddexp, np.maximum, np.minimum]
    unary = [np.sqrt, np.exp, np.log, np.tanh, np.sin, np.negative, np.absolute, np.square,
             np.cbrt, np.expm1, np.log1p, np.rint, np.floor]
    with np.errstate(all="ignore"):
        for u in basic:
            args = [np.float64(x), np.float64(x)]
            args[pos] = np.float64(NAN)
            assert np.isnan(u(*args)), f"np.{u.__name__}{tuple(map(float, args))} is not NaN"
        py = [float(x), float(x)]
        py[pos] = NAN
        for f in (operator.add, operator.sub, operator.mul):
            assert math.isnan(f(*py)), f"Python {f.__name__}{tuple(py)} is not NaN"
        for u in unary:
            assert np.isnan(u(np.float64(NAN))), f"np.{u.__name__}(nan) is not NaN"
    evidence.count("operands checked with NaN in each position")


# -- a NaN parameter in a dense MLP ----------------------------------------------------
def _forward(params, x, relu_by_where=False):
    acts, zs = [x], []
    for W, b in params:
        z = W @ acts[-1] + b
        zs.append(z)
        acts.append(np.where(z > 0, z, 0.0) if relu_by_where else np.tanh(z))
    return zs, acts


def _backward(params, zs, acts, y, relu_by_where=False):
    g = 2 * (acts[-1] - y)  # d/da_L of ||a_L - y||^2
    grads = []
    for (W, b), z, a_prev in zip(reversed(params), reversed(zs), reversed(acts[:-1])):
        delta = np.where(z > 0, g, 0.0) if relu_by_where else g * (1 - np.tanh(z)**2)
        grads.append((np.outer(delta, a_prev), delta))
        g = W.T @ delta
    return list(reversed(grads))


@claim("nan-in-a-parameter-makes-every-parameter-nan", kind="sampled", target="corrected")
def test_one_nan_weight_spreads_forward_from_its_layer_and_everywhere_after_a_step(evidence, rng):
    width, depth, k = 4, 4, 2  # NaN in layer k (0-based) at W[1, 2]
    params = [(rng.normal(0, 0.5, (width, width)), rng.normal(0, 0.1, width))
              for _ in range(depth)]
    params[k][0][1, 2] = NAN
    x, y = rng.normal(size=width), rng.normal(size=width)
    with np.errstate(invalid="ignore"):
        zs, acts = _forward(params, x)
        for l in range(1, k + 1):
            assert np.all(np.isfinite(acts[l])), f"layer {l} (before the NaN) stays finite"
        assert np.isnan(acts[k + 1]).tolist() == [False, True, False, False], \
            "the NaN layer has NaN only in the affected unit"
        for l in range(k + 2, depth + 1):
            assert np.all(np.isnan(acts[l])), f"layer {l} (after the NaN) is all NaN"
        loss = float(np.sum((acts[-1] - y)**2))
        assert math.isnan(loss)
        grads = _backward(params, zs, acts, y)
        assert all(np.all(np.isnan(gW)) and np.all(np.isnan(gb)) for gW, gb in grads), \
            "every gradient entry is NaN"
        stepped = [(W - 0.1 * gW, b - 0.1 * gb) for (W, b), (gW, gb) in zip(params, grads)]
        assert all(np.all(np.isnan(W)) and np.all(np.isnan(b)) for W, b in stepped), \
            "after one SGD step every parameter is NaN"
        _, acts2 = _forward(stepped, x)
        assert math.isnan(float(np.sum((acts2[-1] - y)**2))), "no recovery: the loss stays NaN"
    evidence.counterexample(f"dense tanh MLP, {depth} layers of width {width}, NaN at layer "
                            f"{k + 1}'s W[1, 2]: the forward pass leaves layers 1..{k} finite "
                            f"and layer {k + 1} NaN in unit 1 only - not 'the entire activation "
                            "map' - while the loss, every gradient and, after one SGD step, "
                            "every parameter are NaN")


@claim("nan-in-a-parameter-makes-every-parameter-nan", kind="exact", target="counterexample")
def test_comparison_based_relu_stops_the_nan_in_the_forward_pass(evidence, rng):
    width, depth, k = 4, 4, 2
    params = [(rng.normal(0, 0.5, (width, width)), rng.normal(0, 0.1, width))
              for _ in range(depth)]
    params[k][0][1, 2] = NAN
    x, y = rng.normal(size=width), rng.normal(size=width)
    with np.errstate(invalid="ignore"):
        zs, acts = _forward(params, x, relu_by_where=True)
        assert math.isnan(zs[k][1]) and acts[k + 1][1] == 0.0, "where(z > 0, z, 0) maps NaN to 0"
        assert np.all(np.isfinite(acts[-1])), "the output stays finite"
        assert math.isfinite(float(np.sum((acts[-1] - y)**2))), "the loss stays finite"
        grads = _backward(params, zs, acts, y, relu_by_where=True)
    for l in range(k, depth):
        assert np.all(np.isfinite(grads[l][0])), f"layer {l + 1}'s weight gradient is finite"
    # below the NaN layer the backward product W_k^T delta meets NaN * 0 = NaN
    nan_rows = [int(np.isnan(gW).any(axis=1).sum()) for gW, _ in grads[:k]]
    evidence.note("ReLU written as np.where(z > 0, z, 0) (forward and backward) maps the NaN "
                  "pre-activation to 0: the output and the loss stay finite and the gradients of "
                  f"layers {k + 1}..{depth} are finite; the backward product through the NaN "
                  "weight (NaN * 0 = NaN) still reaches earlier layers: rows with NaN in the "
                  f"weight gradients of layers 1..{k}: {nan_rows}")
