"""Evidence for §7's working-precision claim: which calls of the implementation under
test keep float64 (issue 25).

Every protocol name with a deterministic example call (``implementations.examples()``;
calls taking ``rng`` are random and skipped) is called on the implementation under test
and on the reference with the same arguments, then with one real-valued argument at a
time nudged by a factor 1 + 2^-30 - a change float64 keeps and float32 loses. A call *demotes* when a result
comes back as a float32 array, when a nudge changes the reference's result but not the
implementation's (the argument was rounded to float32), or when every entry of its result
is a float32 number while the reference's has entries that are not. Values are not
compared with the reference's (conventions differ between frameworks): only whether
float64 survived.
"""
from __future__ import annotations

import numpy as np
import pytest

import implementations as REF
from checks.support import precision as WP

claim = pytest.mark.claim

NUDGE = 1.0 + 2.0**-30
#: arguments holding real values that may be nudged without leaving the contract
NUDGED = {"z", "x", "logits", "pred", "score", "grads", "weights", "biases", "x0", "h",
          "gamma", "beta", "running_mean", "running_var", "X", "y", "target", "eps",
          "max_norm", "eta", "alpha", "momentum"}
SKIP = {"Tensor", "Separable", "Inseparable"}  # classes, not blocks


def _nudge(v):
    if isinstance(v, (list, tuple)) and v and all(isinstance(a, np.ndarray) for a in v):
        return type(v)(_nudge(a) for a in v)
    if isinstance(v, np.ndarray) and v.dtype.kind == "f":
        return v * NUDGE
    if isinstance(v, float) and not isinstance(v, bool):
        return v * NUDGE
    return v


def _floats(out) -> list[np.ndarray]:
    """The floating-point arrays in a result (arrays, scalars, tuples and lists of them)."""
    if isinstance(out, (tuple, list)):
        return [a for o in out for a in _floats(o)]
    if isinstance(out, (float, np.floating)) and not isinstance(out, bool):
        return [np.asarray(out)]
    if isinstance(out, np.ndarray) and out.dtype.kind == "f":
        return [out]
    return []


def _f32_valued(arrays) -> bool:
    vals = [a[np.isfinite(a)] for a in arrays]
    vals = [v for v in vals if v.size]
    return bool(vals) and all(np.all(v.astype(np.float32).astype(np.float64) == v)
                              for v in vals)


def _same(a, b) -> bool:
    return len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y, equal_nan=True)
                                    for x, y in zip(a, b))


def classify(impl_fn, ref_fn, kwargs) -> str | None:
    """"float32" (a result came back float32), "float32 input" (nudging one argument by
    2^-30 changes the reference's result but not the implementation's: the argument was
    rounded to float32), "float32-valued", "float64", or None when the call says nothing
    (refused)."""
    try:
        ref, got = _floats(ref_fn(**kwargs)), _floats(impl_fn(**kwargs))
    except (ValueError, TypeError):
        return None
    if not ref or not got:
        return None
    if any(a.dtype in (np.float32, np.float16) for a in got):
        return "float32"
    for key in sorted(k for k in kwargs if k in NUDGED):
        nudged = dict(kwargs, **{key: _nudge(kwargs[key])})
        try:
            ref_n, got_n = _floats(ref_fn(**nudged)), _floats(impl_fn(**nudged))
        except (ValueError, TypeError):
            continue
        if not _same(ref_n, ref) and _same(got_n, got):
            return "float32 input"
    if _f32_valued(got) and not _f32_valued(ref):
        return "float32-valued"
    return "float64"


def census(impl, ref=REF) -> dict[str, str]:
    """name -> outcome of every provided deterministic protocol name."""
    out = {}
    for name, calls in sorted(ref.examples().items()):
        if name in SKIP or not impl.provides(name):
            continue
        for kwargs in calls:
            if "rng" in kwargs:
                continue
            verdict = classify(getattr(impl.module, name), getattr(ref, name), kwargs)
            if verdict is not None:
                # the worst outcome over the name's examples
                order = ("float64", "float32-valued", "float32 input", "float32")
                if order.index(verdict) >= order.index(out.get(name, "float64")):
                    out[name] = verdict
    return out


def check_declared_precision(declared: str, found: dict[str, str]) -> list[str]:
    """The demoting calls; an implementation held to float64 may have none."""
    demoted = sorted(n for n, v in found.items() if v != "float64")
    assert found, "no protocol call could be probed"
    if declared == "float64":
        assert not demoted, (f"float64 input came back float32 or float32-valued from "
                             f"{demoted} without CONVENTIONS['precision'] = 'float32'")
    return demoted


@claim("implementation-computes-at-its-declared-precision", kind="sampled")
def test_calls_keep_the_declared_precision(impl, evidence):
    declared = WP.declared(impl)
    found = census(impl)
    demoted = check_declared_precision(declared, found)
    evidence.table("working precision of each probed protocol call (float64 input)",
                   ["call", "result"], [[n, v] for n, v in sorted(found.items())])
    evidence.note(f"declared precision {declared}; {len(found)} calls probed, "
                  f"{len(demoted)} demoted")
    if demoted:
        back32 = [n for n in demoted if found[n] == "float32"]
        rounded = [n for n in demoted if found[n] == "float32-valued"]
        accurate = [n for n in demoted if found[n] == "float32 input"]
        text = (f"declared working precision float32: of {len(found)} probed calls, "
                f"{len(demoted)} lost float64 - "
                + "; ".join(x for x in (
                    f"came back float32: {', '.join(back32)}" if back32 else "",
                    f"float64 holding float32-rounded values: {', '.join(rounded)}"
                    if rounded else "",
                    f"float64 input rounded to float32 (a 2^-30 change lost): "
                    f"{', '.join(accurate)}" if accurate else "")
                    if x))
        evidence.impl_finding(text)
        evidence.counterexample(text)
