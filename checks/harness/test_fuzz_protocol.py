"""The bad-input contract, fuzzed over the whole protocol (issue 18).

For every protocol name (``implementations.__all__``) the fuzzer takes the valid example
calls beside its ``__protocol__`` entry and replaces one argument, or one part of one, by a
bad value of every class that applies to the argument's kind (``claimledger/fuzz.py``).
Each call runs under a time limit (SIGALRM) and an address-space limit (RLIMIT_AS), and
must end in one of two outcomes:

* ``refused`` - a ValueError whose message names the argument;
* ``accepted`` - only for edge values (extremes, zeros, odd shapes, numpy scalars), and
  then with a finite result unless +inf is a documented value of that name;

and never: accept a value of a strictly invalid class (complex, text, bool, masked,
objects, huge integers, NaN/inf where not documented, bad flags, global random state...),
raise another exception type, run past the limit, exhaust memory, emit a warning, modify
an input or touch numpy's or Python's global random state.

Two tests per name: a deterministic sweep over every canonical bad value of every class
(the same on every run: 5,701 calls in all), and a hypothesis test that draws the class,
the position of a bad entry in an array and the magnitude of extremes (``max_examples``:
a sixth of the profile's, 10 per name in ``ci``, 100 in ``thorough``). The counts and
times per run are in docs/protocol.md.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import implementations as I
from claimledger import fuzz
from checks.support.strategies import bad_protocol_calls

pytestmark = pytest.mark.harness

EXAMPLES = I.examples()
CONTRACT = I.contract()
NAMES = sorted(I.__all__)


def _report(failures) -> str:
    return "\n".join(f"{res.outcome}: {case.label()}: {res.detail[:300]}"
                     for case, res in failures[:20])


def test_every_protocol_name_has_a_valid_example():
    missing = [n for n in NAMES if n not in EXAMPLES]
    assert not missing, f"protocol names without __examples__ (the fuzzer needs one): {missing}"
    stale = sorted(set(EXAMPLES) - set(NAMES))
    assert not stale, f"__examples__ for names not in the protocol: {stale}"
    for name in NAMES:
        for k, kwargs in enumerate(EXAMPLES[name]):
            case = fuzz.Case(name, k, "-", (), "-", "-", False, 0)
            res = fuzz.execute(getattr(I, name), case, fuzz.copy.deepcopy(kwargs))
            assert res.outcome == "accepted", f"example {k} of {name}: {res.outcome}: {res.detail}"


@pytest.mark.parametrize("name", NAMES)
def test_every_class_of_bad_argument_is_refused_by_name(name):
    counts, failures = fuzz.sweep(I, EXAMPLES, CONTRACT, names=[name])
    assert sum(counts.values()) > 0, f"{name}: no generated calls"
    assert not failures, f"{name}: {len(failures)} contract violations:\n{_report(failures)}"


_FUZZ_EXAMPLES = max(5, settings.default.max_examples // 6)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=_FUZZ_EXAMPLES)
@given(data=st.data())
def test_drawn_bad_arguments_are_refused_by_name(name, data):
    case, value = data.draw(bad_protocol_calls(name=name, examples=EXAMPLES[name],
                                               contract=CONTRACT), label="case")
    res = fuzz.execute(getattr(I, name), case, fuzz.build_kwargs(case, EXAMPLES[name], value),
                       infinite_ok=name in CONTRACT["infinite_results"])
    assert res.outcome in fuzz.OK, f"{res.outcome}: {case.label()} value={value!r}: {res.detail}"


def test_the_fuzzer_rejects_the_classes_of_issue_18():
    """The fuzzer has teeth: each class the issue found is a failure it reports."""
    def parse_strings(z):  # numeric strings parsed, booleans read as 0/1: the old float_array
        return np.asarray(z, dtype=float) * 2.0

    def too_much_memory(n):
        return np.ones((n, 1 << 28))

    def named_wrong(z):
        raise ValueError("x must be finite")

    def loops(steps):
        while True:
            pass

    def mutates(z):
        z[...] = 0.0
        return z

    def global_rng(z):
        return z + np.random.random()

    def overflow_error(z):
        return float(10**400)

    z_case = fuzz.Case("f", 0, "z", (), "array", "text", True, 0)
    for fn, case, kwargs, outcome in [
        (parse_strings, z_case, dict(z=["0.5"]), "accepted-invalid"),
        (parse_strings, z_case, dict(z=[True]), "accepted-invalid"),
        (named_wrong, z_case, dict(z=[1.0]), "unnamed"),
        (overflow_error, z_case, dict(z=[1.0]), "wrong-exception"),
        (mutates, fuzz.Case("f", 0, "z", (), "array", "huge", False, 0),
         dict(z=np.ones(2)), "mutated-input"),
        (global_rng, fuzz.Case("f", 0, "z", (), "array", "huge", False, 0),
         dict(z=np.ones(2)), "global-random-state"),
        (loops, fuzz.Case("f", 0, "steps", (), "int", "huge", False, 0),
         dict(steps=10**9), "timeout"),
        (too_much_memory, fuzz.Case("f", 0, "n", (), "int", "huge", False, 0),
         dict(n=8), "memory"),
    ]:
        if outcome == "memory" and not fuzz.memory_limit_available():
            continue  # without RLIMIT_AS the 16 GiB request could really be attempted
        if outcome == "timeout" and not fuzz.alarm_available():
            continue  # without SIGALRM the endless loop could not be interrupted
        limit = 0.3 if outcome == "timeout" else fuzz.TIME_LIMIT
        res = fuzz.execute(fn, case, kwargs, time_limit=limit)
        assert res.outcome == outcome, f"{fn.__name__}: expected {outcome}, got {res}"


def _converter_before_issue_18(x, name, *, copy=False):
    """float_array as it was: only complex arrays refused, everything else numpy's reading."""
    if isinstance(x, (np.ndarray, np.generic)) and np.iscomplexobj(x):
        raise ValueError(f"{name} is complex")
    try:
        return np.array(x, dtype=float) if copy else np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array: {exc}") from None


def _positive_before_issue_18(x, name):
    """_validate.positive as it was: float() of 10**400 raised OverflowError."""
    from numbers import Real

    if isinstance(x, bool) or not isinstance(x, Real) or not np.isfinite(x) or not x > 0:
        raise ValueError(f"{name} must be a finite number > 0, got {x!r}")
    return float(x)


@pytest.mark.parametrize("module, attr, replacement, name, outcomes", [
    pytest.param("activations", "float_array", _converter_before_issue_18, "sigmoid",
                 {"accepted-invalid", "warning", "wrong-exception"}, id="old-converter"),
    pytest.param("regression", "positive", _positive_before_issue_18, "ridge",
                 {"wrong-exception"}, id="old-scalar-check"),
])
def test_the_sweep_rejects_the_validators_issue_18_replaced(monkeypatch, module, attr,
                                                            replacement, name, outcomes):
    # the fuzzer can fail: put back one validator as it was and the sweep reports exactly
    # the classes of violation the issue found with it
    import importlib

    monkeypatch.setattr(importlib.import_module(f"implementations.{module}"), attr, replacement)
    counts, failures = fuzz.sweep(I, EXAMPLES, CONTRACT, names=[name])
    found = {res.outcome for _, res in failures}
    assert found == outcomes, f"{name} with the old {attr}: violations {dict(counts)}"
