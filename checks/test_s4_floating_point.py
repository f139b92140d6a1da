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


def _binary_max(precision: int, emax: int) -> Fraction:
    """The largest finite number of an IEEE 754 binary format with ``precision`` significand
    bits: all significand bits set, exponent emax: (2 - 2^(1-p)) 2^emax."""
    return sum((Fraction(1, 2**k) for k in range(precision)), Fraction(0)) * Fraction(2)**emax


@claim("float32-max-is-about-3-4e38", kind="exact")
def test_float32_max_exactly(evidence, control):
    """float32 max from the format (24 significand bits, emax 127), from its bit pattern
    0x7f7fffff, and from numpy, all exactly; then "about 3.4e38" to 3 digits. Negative
    controls: the same comparison must reject 3.4e37 (exponent off by one), 1.7e38 (2^127,
    the largest power of two) and the float16 and float64 maxima."""
    import struct

    from_format = _binary_max(24, 127)
    from_bits = Fraction(struct.unpack(">f", bytes.fromhex("7f7fffff"))[0])
    assert from_format == from_bits == Fraction(float(np.finfo(np.float32).max)) == F32_MAX
    assert from_format == 340282346638528859811704183484516925440
    assert _binary_max(11, 15) == Fraction(float(np.finfo(np.float16).max))
    assert _binary_max(53, 1023) == Fraction(float(np.finfo(np.float64).max))

    def about(claimed: Fraction):
        assert abs(from_format / claimed - 1) < Fraction(1, 1000), \
            f"float32 max {float(from_format):.6e} is not about {float(claimed):.3g}"

    control(about, Fraction(34, 10) * 10**38, Fraction(34, 10) * 10**37,
            Fraction(17, 10) * 10**38, _binary_max(11, 15), _binary_max(53, 1023),
            labels=("3.4e37 (exponent off by one)", "1.7e38 (~2^127, the largest power of two)", "65504 (float16 max)",
                    "1.797e308 (float64 max)"))
    evidence.note(f"exact: float32 max = (2 - 2^-23) 2^127 = {int(F32_MAX)} = "
                  f"{float(F32_MAX):.7e} (format, bit pattern 0x7f7fffff and numpy agree); "
                  f"float16 max = {float(np.finfo(np.float16).max)}, float64 max = "
                  f"{float(np.finfo(np.float64).max):.6e}")


def _f32_rounds_to_inf(exact: Fraction) -> bool:
    return abs(exact) >= F32_OVERFLOW


@claim("float32-overflows-to-inf-above-max", kind="exact", scope="instance")
def test_values_just_above_float32_max_round_back_to_max(evidence, control):
    """Exact values just above the float32 max, rounded by numpy's float32 addition and by
    the float64 -> float32 cast, against a rule "the exact value v becomes inf iff ...":
    the exact rule (|v| >= max + ulp/2, ties to even) must match every witness, and the
    same assertions must reject inf for every v > max (no rounding margin), a strict tie
    (v > max + ulp/2) and overflow from the next power of two (v >= 2^128)."""
    fmax = np.float32(np.finfo(np.float32).max)
    with np.errstate(over="ignore"):
        witnesses = [  # (exact value, float32 result)
            (F32_MAX + 2**102, fmax + np.float32(2.0**102)),   # max + ulp/4
            (F32_MAX + 2**103, fmax + np.float32(2.0**103)),   # max + ulp/2: the tie
            (F32_OVERFLOW - 2**80, np.float32(float(F32_OVERFLOW) - 2.0**80)),  # a cast
            (F32_OVERFLOW, np.float32(float(F32_OVERFLOW))),
            (Fraction(2**128), np.float32(2.0**128)),
            (F32_MAX, fmax),
        ]
    assert Fraction(float(witnesses[0][1])) == F32_MAX, "max + 2^102 rounds to max, not inf"

    def rule_matches(becomes_inf):
        for exact, got in witnesses:
            assert bool(np.isposinf(got)) == becomes_inf(exact), \
                f"exact {float(exact):.10e}: float32 gives {float(got)!r}"

    control(rule_matches, _f32_rounds_to_inf, lambda v: v > F32_MAX,
            lambda v: v > F32_OVERFLOW, lambda v: v >= 2**128,
            labels=("inf once v > max (no rounding margin)",
                    "inf only beyond the tie (v > max + ulp/2)",
                    "inf from 2^128 on"))
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


_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
        "/": lambda a, b: a / b}
# the article's three indeterminate forms with every sign
INDETERMINATE = [("inf", "-", "inf"), ("-inf", "+", "inf"), ("-inf", "-", "-inf"),
                 ("0", "*", "inf"), ("-0", "*", "-inf"), ("inf", "*", "0"),
                 ("inf", "/", "inf"), ("-inf", "/", "inf"), ("inf", "/", "-inf")]


@claim("inf-arithmetic-produces-nan", kind="exact")
def test_inf_minus_inf_zero_times_inf_inf_over_inf_are_nan(evidence, control):
    """Each listed form (operands with their signs) evaluated in float16, float32, float64
    and Python floats must be NaN. Negative controls: the same evaluation must reject the
    forms that are not indeterminate - inf + inf, inf * inf, inf - (-inf), 1 / inf, inf / 0
    (float16-64; Python raises for / 0, so numpy types only there)."""
    types = (("float16", np.float16), ("float32", np.float32), ("float64", np.float64),
             ("python float", float))

    def all_nan(forms):
        for name, dt in types:
            val = {"inf": dt(INF), "-inf": dt(-INF), "0": dt(0.0), "-0": dt(-0.0),
                   "1": dt(1.0)}
            for a, op, b in forms:
                if dt is float and op == "/" and b in ("0", "-0"):
                    continue  # Python raises ZeroDivisionError: not a float result
                with np.errstate(invalid="ignore", divide="ignore"):
                    r = float(_OPS[op](val[a], val[b]))
                assert math.isnan(r), f"{name}: {a} {op} {b} = {r!r}, not NaN"

    control(all_nan, INDETERMINATE, [("inf", "+", "inf")], [("inf", "*", "inf")],
            [("inf", "-", "-inf")], [("1", "/", "inf")], [("inf", "/", "0")],
            labels=("inf + inf is NaN", "inf * inf is NaN", "inf - (-inf) is NaN",
                    "1 / inf is NaN", "inf / 0 is NaN"))
    rows = [[name, "NaN", "NaN", "NaN", "inf", "inf"] for name, _ in types]
    evidence.table("indeterminate forms", ["type", "inf - inf", "0 * inf", "inf / inf",
                                           "inf + inf", "inf * inf"], rows)
    evidence.note("exhaustive over signs in float16, float32, float64 and Python floats: "
                  "inf - inf, 0 * inf and inf / inf are NaN; inf + inf and inf * inf stay inf, "
                  "1 / inf = 0 (rejected as NaN forms by the same evaluation)")


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


# (function, arguments, claimed exact result) for NaN operands that do not give NaN
NAN_WITNESSES = [
    ("np.power", np.power, (NAN, 0.0), 1.0), ("np.power", np.power, (1.0, NAN), 1.0),
    ("Python **", operator.pow, (NAN, 0), 1.0), ("Python **", operator.pow, (1.0, NAN), 1.0),
    ("math.pow", math.pow, (NAN, 0.0), 1.0), ("np.hypot", np.hypot, (INF, NAN), INF),
    ("np.fmax", np.fmax, (NAN, 1.0), 1.0), ("np.fmin", np.fmin, (1.0, NAN), 1.0),
    ("Python max", max, (1.0, NAN), 1.0),
    ("np.where(nan > 0, nan, 0) (ReLU by comparison)",
     lambda a, b: np.where(a > 0, a, b), (NAN, 0.0), 0.0),
]


@claim("nan-absorbs-every-arithmetic-operation", kind="exact", target="counterexample")
def test_nan_is_not_absorbing_for_pow_hypot_fmax_and_comparisons(evidence, rng, control):
    """Each witness (function, NaN operands, claimed result) is evaluated and compared
    exactly; the survey's verdicts (which functions return NaN for NaN in every position,
    which have an exception) are then compared with the claimed lists. Negative controls:
    the same evaluation must reject witnesses that do propagate NaN - np.maximum(NaN, 1)
    (unlike fmax), hypot(1, NaN), pow(NaN, 2), nan + 0 - and the survey must reject the
    claims "np.maximum has an exception" and "np.fmax always returns NaN"."""
    def witnesses_hold(ws):
        with np.errstate(all="ignore"):
            for name, f, args, claimed in ws:
                r = float(f(*args))
                assert r == claimed, f"{name}{args} = {r!r}, not {claimed!r}"

    control(witnesses_hold, NAN_WITNESSES,
            [("np.maximum", np.maximum, (NAN, 1.0), 1.0)],
            [("np.hypot", np.hypot, (1.0, NAN), 1.0)],
            [("np.power", np.power, (NAN, 2.0), 1.0)],
            [("Python +", operator.add, (NAN, 0.0), 0.0)],
            labels=("np.maximum(nan, 1) = 1", "np.hypot(1, nan) = 1", "np.power(nan, 2) = 1",
                    "nan + 0 = 0"))
    evidence.counterexample("pow(NaN, 0) = 1 and pow(1, NaN) = 1 (numpy, Python ** and "
                            "math.pow); hypot(inf, NaN) = inf; fmax(NaN, 1) = fmin(1, NaN) = 1; "
                            "Python max(1.0, nan) = 1.0; Python nan / 0.0 raises "
                            "ZeroDivisionError; comparisons with NaN are False, so "
                            "np.where(nan > 0, nan, 0) = 0")
    operands = SPECIALS + list(rng.normal(0, 1, 8) * 10.0 ** rng.integers(-300, 300, 8))
    found, propagating = _survey(operands)

    def survey_agrees(lists):
        exceptions, propagate = lists
        for k in exceptions:
            assert k in found, f"the survey must find the exception {k}"
        for k in propagate:
            assert k in propagating, f"{k} should propagate NaN"

    control(survey_agrees,
            (("np.power", "np.hypot", "np.fmax", "np.fmin", "a ** b", "min", "max",
              "a / b"),  # Python: nan / 0.0 raises ZeroDivisionError instead of giving NaN
             ("np.add", "np.subtract", "np.multiply", "np.divide", "np.sqrt", "np.exp",
              "np.maximum", "a + b", "a - b", "a * b")),
            (("np.maximum",), ()), ((), ("np.fmax",)),
            labels=("np.maximum has a non-NaN result", "np.fmax always returns NaN"))
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
# activations: tanh, ReLU by comparison (np.where) and ReLU by np.maximum (which, unlike
# a comparison, propagates NaN)
_ACTS = {"tanh": np.tanh, "relu_where": lambda z: np.where(z > 0, z, 0.0),
         "relu_maximum": lambda z: np.maximum(z, 0.0)}


def _forward(params, x, act="tanh"):
    acts, zs = [x], []
    for W, b in params:
        z = W @ acts[-1] + b
        zs.append(z)
        acts.append(_ACTS[act](z))
    return zs, acts


def _backward(params, zs, acts, y, act="tanh"):
    g = 2 * (acts[-1] - y)  # d/da_L of ||a_L - y||^2
    grads = []
    for (W, b), z, a_prev in zip(reversed(params), reversed(zs), reversed(acts[:-1])):
        delta = g * (1 - np.tanh(z)**2) if act == "tanh" else np.where(z > 0, g, 0.0)
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
def test_comparison_based_relu_stops_the_nan_in_the_forward_pass(evidence, rng, control):
    """The counterexample: with ReLU written by comparison, np.where(z > 0, z, 0), a NaN
    weight's pre-activation is mapped to 0 and the output, the loss and the gradients of
    the layers from the NaN on stay finite. Negative controls: the same assertions must
    reject the statement for a tanh network and for ReLU written as np.maximum(z, 0)
    (which propagates NaN): there the NaN does reach the loss."""
    width, depth, k = 4, 4, 2
    params = [(rng.normal(0, 0.5, (width, width)), rng.normal(0, 0.1, width))
              for _ in range(depth)]
    params[k][0][1, 2] = NAN
    x, y = rng.normal(size=width), rng.normal(size=width)

    def stops_the_nan(act):
        with np.errstate(invalid="ignore"):
            zs, acts = _forward(params, x, act)
            assert math.isfinite(float(np.sum((acts[-1] - y)**2))), f"{act}: the loss is NaN"
            assert np.all(np.isfinite(acts[-1])), "the output stays finite"
            assert math.isnan(zs[k][1]) and acts[k + 1][1] == 0.0, \
                f"{act}: the NaN pre-activation is not mapped to 0"
            grads = _backward(params, zs, acts, y, act)
        for l in range(k, depth):
            assert np.all(np.isfinite(grads[l][0])), f"layer {l + 1}'s weight gradient is finite"
        return grads

    grads = control(stops_the_nan, "relu_where", "tanh", "relu_maximum",
                    labels=("a tanh network", "ReLU written as np.maximum(z, 0)"))
    # below the NaN layer the backward product W_k^T delta meets NaN * 0 = NaN
    nan_rows = [int(np.isnan(gW).any(axis=1).sum()) for gW, _ in grads[:k]]
    evidence.note("ReLU written as np.where(z > 0, z, 0) (forward and backward) maps the NaN "
                  "pre-activation to 0: the output and the loss stay finite and the gradients of "
                  f"layers {k + 1}..{depth} are finite; the backward product through the NaN "
                  "weight (NaN * 0 = NaN) still reaches earlier layers: rows with NaN in the "
                  f"weight gradients of layers 1..{k}: {nan_rows}. A tanh network and "
                  "np.maximum(z, 0) do not stop it (negative controls)")
