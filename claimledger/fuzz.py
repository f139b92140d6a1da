"""The bad-input fuzzer: every protocol name, every class of bad argument, one verdict each.

The contract (for the article: ``implementations/__init__.py``) promises that a bad argument is refused with
a ``ValueError`` naming it, that nothing loops forever or allocates without bound, that
inputs are never modified and that no global random state is touched. This module checks
that promise mechanically, driven by the protocol table alone:

* every protocol name has valid example calls (the reference's ``examples()``; for the
  article, the ``__examples__`` dict beside each submodule's ``__protocol__``); a new name
  is fuzzed as soon as it has an example, without new code here;
* each argument of an example is classified by its value (a real array, a real scalar, an
  integer, a flag, a choice of names, a callable, a random generator, integer tuples,
  containers of those), and each kind has *classes* of bad values
  (:data:`STRICT` - never valid, must be refused; :data:`EDGE` - extremes and odd
  shapes that may be refused or computed, but never give NaN/inf silently);
* :func:`run_call` runs one call under a time limit (SIGALRM) and a memory limit
  (``RLIMIT_AS`` headroom), and :func:`judge` gives the outcome.

Outcomes: ``refused`` (ValueError naming the argument), ``accepted`` (an edge value
computed to a finite result), and the failures ``accepted-invalid``, ``unnamed``
(ValueError not naming the argument), ``wrong-exception``, ``timeout``, ``memory``,
``nonfinite-result``, ``mutated-input``, ``global-random-state``, ``warning``.
"""
from __future__ import annotations

import copy
import dataclasses
import math
import random
import re
import signal
import time
import warnings
from collections import Counter

import numpy as np

FAILURES = ("accepted-invalid", "unnamed", "wrong-exception", "timeout", "memory",
            "nonfinite-result", "mutated-input", "global-random-state", "warning")
OK = ("refused", "accepted")

TIME_LIMIT = 20.0           # seconds per call: the caps keep every allowed call near 1 s
MEMORY_HEADROOM = 1 << 30   # bytes of address space a call may add (1 GiB)


# -- argument kinds -------------------------------------------------------------------------
def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_))


def kind_of(value) -> str:
    """The kind of an example argument, read from its value."""
    if isinstance(value, (bool, np.bool_)):
        return "flag"
    if isinstance(value, np.random.Generator):
        return "rng"
    if isinstance(value, str):
        return "choice"
    if isinstance(value, np.ndarray):
        return "array"
    if isinstance(value, tuple) and value and all(type(v) is int for v in value):
        return "ints"  # exact integer certificates (Separable, Inseparable)
    if isinstance(value, (list, tuple)):
        flat = np.asarray(value, dtype=object).ravel() if value else []
        if value and all(_is_number(v) for v in flat):
            return "array"
        return "container"
    if isinstance(value, (float, np.floating)):
        return "real"
    if isinstance(value, (int, np.integer)):
        return "int"
    if callable(value):
        return "callable"
    raise TypeError(f"no kind for example value {value!r}")


def leaves(value, path=()):
    """(path, kind) of every leaf and container inside an argument (paths index into it)."""
    k = kind_of(value)
    yield path, k
    if k == "container":
        for i, v in enumerate(value):
            yield from leaves(v, path + (i,))


def get_at(value, path):
    for i in path:
        value = value[i]
    return value


def replace_at(value, path, new):
    """A copy of ``value`` with the element at ``path`` replaced (containers rebuilt)."""
    if not path:
        return new
    items = list(value)
    items[path[0]] = replace_at(value[path[0]], path[1:], new)
    return tuple(items) if isinstance(value, tuple) else items


# -- bad values, by kind and class ------------------------------------------------------------
class Opaque:
    """An object that is no number (numpy reads it as an object scalar)."""

    def __repr__(self) -> str:
        return "Opaque()"


def _arr(v) -> np.ndarray:
    return np.asarray(v, dtype=float)


def _with_entry(v, entry, *, as_list: bool):
    """The example array with its first entry replaced by ``entry`` (as a list or array)."""
    a = _arr(v)
    if a.size == 0:
        a = np.zeros(1)
    lst = a.tolist() if a.ndim else [a.item()]

    def put(x):
        if isinstance(x, list):
            return [put(x[0])] + x[1:]
        return entry
    out = put(lst)
    return out if as_list else np.array(out, dtype=object)


def _callback(fn, transform):
    def bad(*args, **kwargs):
        return transform(np.asarray(fn(*args, **kwargs), dtype=float))
    return bad


# Each entry: class -> list of functions example_value -> bad value. STRICT values are never
# valid for an argument of that kind; EDGE values may be valid (then the result must be
# finite) or refused by name.
STRICT = {
    "array": {
        "complex": [lambda v: _arr(v) + 2j, lambda v: _with_entry(v, np.complex128(1 + 2j),
                                                                  as_list=True),
                    lambda v: _with_entry(v, 1 + 2j, as_list=True)],
        "text": [lambda v: _arr(v).astype(str), lambda v: _arr(v).astype(str).tolist(),
                 lambda v: "0.5", lambda v: b"0.5", lambda v: _arr(v).astype(bytes)],
        "bool": [lambda v: _arr(v) > 0, lambda v: (_arr(v) > 0).tolist()],
        "masked": [lambda v: np.ma.masked_array(_arr(v), mask=np.ones(_arr(v).shape, bool))],
        "object": [lambda v: _with_entry(v, None, as_list=True),
                   lambda v: _with_entry(v, Opaque(), as_list=False),
                   lambda v: None, lambda v: Opaque(), lambda v: {"a": 1}],
        "huge-int": [lambda v: _with_entry(v, 10**400, as_list=True)],
        "nonfinite": [lambda v: _with_entry(v, math.nan, as_list=True),
                      lambda v: _with_entry(v, -math.inf, as_list=False).astype(float)],
        "ragged": [lambda v: [[1.0], [1.0, 2.0]]],
    },
    "real": {
        "complex": [lambda v: complex(v, 1.0), lambda v: np.complex128(v)],
        "text": [lambda v: str(v), lambda v: str(v).encode()],
        "bool": [lambda v: True, lambda v: np.bool_(False)],
        "masked": [lambda v: np.ma.masked],
        "object": [lambda v: None, lambda v: Opaque(), lambda v: [v, v]],
        "huge-int": [lambda v: 10**400, lambda v: -(10**400)],
        "nonfinite": [lambda v: math.nan, lambda v: math.inf, lambda v: -math.inf],
    },
    "int": {
        "complex": [lambda v: complex(v, 1)],
        "text": [lambda v: str(v)],
        "bool": [lambda v: True],
        "float": [lambda v: float(v), lambda v: v + 0.5, lambda v: np.float64(v)],
        "object": [lambda v: None, lambda v: Opaque(), lambda v: [v]],
        "nonfinite": [lambda v: math.nan, lambda v: math.inf],
    },
    "ints": {
        "float": [lambda v: (0.5,) + v[1:]],
        "bool": [lambda v: (True,) + v[1:]],
        "text": [lambda v: ("1",) + v[1:]],
        "object": [lambda v: None, lambda v: (None,) + v[1:], lambda v: 3],
    },
    "flag": {
        "text": [lambda v: "no", lambda v: "True"],
        "int": [lambda v: 0, lambda v: 1, lambda v: np.int64(1)],
        "object": [lambda v: None, lambda v: Opaque()],
    },
    "choice": {
        "unknown": [lambda v: v + "_nope", lambda v: v.upper(), lambda v: ""],
        "object": [lambda v: None, lambda v: 1, lambda v: v.encode()],
    },
    "rng": {
        "global": [lambda v: None, lambda v: 0, lambda v: np.random,
                   lambda v: np.random.RandomState(0)],
    },
    "callable": {
        "not-callable": [lambda v: None, lambda v: 1.0, lambda v: "not_a_function"],
        "returns-complex": [lambda v: _callback(v, lambda y: y + 1j)],
        "returns-text": [lambda v: _callback(v, lambda y: y.astype(str))],
        "returns-bool": [lambda v: _callback(v, lambda y: y > 0)],
        "returns-masked": [lambda v: _callback(v, lambda y: np.ma.masked_array(
            y, mask=np.ones(y.shape, bool)))],
        "returns-object": [lambda v: _callback(v, lambda y: None),
                           lambda v: _callback(v, lambda y: Opaque())],
        "returns-wrong-shape": [lambda v: _callback(v, lambda y: np.append(y.ravel(), [1.0, 2.0]))],
    },
    "container": {
        "object": [lambda v: None, lambda v: Opaque(), lambda v: 1.0],
        "empty": [lambda v: type(v)()],
    },
}

EDGE = {
    "array": {
        "huge": [lambda v: np.full(_arr(v).shape, 1e308),
                 lambda v: np.where(np.arange(_arr(v).size).reshape(_arr(v).shape) % 2,
                                    -1e308, 1e308)],
        "subnormal": [lambda v: np.full(_arr(v).shape, 5e-324), lambda v: _arr(v) * 1e-310],
        "zeros": [lambda v: np.zeros(_arr(v).shape)],
        "shape": [lambda v: _arr(v)[None], lambda v: _arr(v).ravel()[:1],
                  lambda v: np.zeros((0,) + _arr(v).shape[1:]), lambda v: float(_arr(v).ravel()[0]),
                  lambda v: np.concatenate([_arr(v).ravel()] * 2)],
        "integers": [lambda v: np.round(_arr(v)).astype(np.int64)],
    },
    "real": {
        "huge": [lambda v: 1e308, lambda v: -1e308, lambda v: 10**300],
        "subnormal": [lambda v: 5e-324, lambda v: -5e-324],
        "zero": [lambda v: 0.0, lambda v: -0.0, lambda v: 0],
        "shape": [lambda v: np.float64(v), lambda v: np.array(v)],
        "negative": [lambda v: -v - 1.0],
    },
    "int": {
        "huge": [lambda v: 10**9, lambda v: 2**62, lambda v: 10**400],
        "zero": [lambda v: 0],
        "negative": [lambda v: -1, lambda v: -(10**9)],
        "numpy": [lambda v: np.int64(v), lambda v: np.int32(v)],
    },
    "ints": {
        "huge": [lambda v: (10**400,) + v[1:]],
        "negative": [lambda v: tuple(-x for x in v)],
        "empty": [lambda v: ()],
        "zeros": [lambda v: (0,) * len(v)],
    },
    "flag": {"numpy": [lambda v: np.bool_(v)]},
    "choice": {},
    "rng": {},
    "callable": {
        "returns-nonfinite": [lambda v: _callback(v, lambda y: y * math.nan)],
        "returns-huge": [lambda v: _callback(v, lambda y: np.full(y.shape, 1e308))],
        "returns-list": [lambda v: _callback(v, lambda y: y.tolist())],
    },
    "container": {
        "long": [lambda v: [v[0]] * 20_000 if len(v) else v],
        "tuple": [lambda v: tuple(v)],
        "ndarray": [lambda v: np.asarray(v, dtype=float) if kind_of(v[0]) == "array"
                    and len({np.shape(x) for x in v}) == 1 else v],
    },
}


@dataclasses.dataclass(frozen=True)
class Case:
    """One generated call: the example with one argument (or part of one) replaced."""

    name: str
    example: int
    arg: str
    path: tuple
    kind: str
    cls: str
    strict: bool
    variant: int

    def label(self) -> str:
        where = self.arg + "".join(f"[{i}]" for i in self.path)
        return f"{self.name}#{self.example}({where}) {self.kind}/{self.cls}#{self.variant}"


def cases_for(name: str, examples: list[dict], contract: dict) -> list[Case]:
    """Every (argument part, class, canonical bad value) for one protocol name.

    NaN and infinite entries are edge values, not strict ones, for the arguments the
    contract documents as accepting them (``contract()["nonfinite_args"]``), and so are
    huge integers for arguments read exactly (``contract()["exact_args"]``)."""
    out = []
    for e, kwargs in enumerate(examples):
        for arg, value in kwargs.items():
            for path, kind in leaves(value):
                for strict, table in ((True, STRICT), (False, EDGE)):
                    for cls, makers in table[kind].items():
                        s = strict and not (
                            (cls == "nonfinite" and (name, arg) in contract["nonfinite_args"])
                            or (cls == "huge-int" and (name, arg) in contract["exact_args"]))
                        for v in range(len(makers)):
                            out.append(Case(name, e, arg, path, kind, cls, s, v))
    return out


CANONICAL = object()  # build_kwargs: use the case's own canonical bad value


def build_kwargs(case: Case, examples: list[dict], bad_value=CANONICAL) -> dict:
    """The example's arguments (fresh copies) with the case's bad value in place."""
    kwargs = copy.deepcopy(examples[case.example])
    if bad_value is CANONICAL:
        original = get_at(kwargs[case.arg], case.path)
        table = STRICT if case.cls in STRICT[case.kind] else EDGE
        bad_value = table[case.kind][case.cls][case.variant](original)
    kwargs[case.arg] = replace_at(kwargs[case.arg], case.path, bad_value)
    return kwargs


# -- running and judging one call ----------------------------------------------------------------
class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` in code swallows it."""


def alarm_available() -> bool:
    """Whether :func:`run_call` can interrupt a call here (SIGALRM, in the main thread)."""
    import threading

    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def memory_limit_available() -> bool:
    """Whether :func:`run_call` can cap a call's memory here (Linux: /proc and RLIMIT_AS)."""
    try:
        import resource  # noqa: F401
    except ImportError:  # pragma: no cover
        return False
    return _vm_bytes() is not None


def _vm_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            import os

            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


@dataclasses.dataclass
class Result:
    outcome: str
    detail: str
    seconds: float


def _snapshot(v):
    if isinstance(v, np.random.Generator) or callable(v) and not isinstance(v, np.ndarray):
        return ("<opaque>", id(v))
    if isinstance(v, np.ma.MaskedArray):
        return ("masked", v.data.copy(), np.ma.getmaskarray(v).copy())
    if isinstance(v, np.ndarray):
        return ("array", v.dtype.str, v.copy())
    if isinstance(v, (list, tuple)):
        if len(v) > 1 and all(x is v[0] for x in v):  # one object repeated (a "long" list)
            return (type(v).__name__, "repeat", len(v), id(v[0]), _snapshot(v[0]))
        return (type(v).__name__, [_snapshot(x) for x in v])
    if isinstance(v, dict):
        return ("dict", {k: _snapshot(x) for k, x in v.items()})
    return ("value", repr(v))


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.kind in "fc":
            return bool(np.array_equal(a, b, equal_nan=True))
        return bool(np.all(a == b)) if a.dtype != object else all(
            x is y or x == y for x, y in zip(a.ravel(), b.ravel()))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _nonfinite(result) -> bool:
    """Whether a returned value holds NaN or an infinity anywhere (arrays, dataclasses...)."""
    if isinstance(result, np.ndarray):
        if result.dtype.kind in "fc":
            return not bool(np.all(np.isfinite(result)))
        if result.dtype == object:
            return any(_nonfinite(x) for x in result.ravel())
        return False
    if isinstance(result, (float, np.floating)):
        return not math.isfinite(result)
    if isinstance(result, (list, tuple)):
        return any(_nonfinite(x) for x in result)
    if isinstance(result, dict):
        return any(_nonfinite(x) for x in result.values())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return any(_nonfinite(getattr(result, f.name)) for f in dataclasses.fields(result))
    if hasattr(result, "data") and hasattr(result, "requires_grad"):  # a Tensor
        return _nonfinite(result.data)
    return False


def names_argument(message: str, arg: str) -> bool:
    """Whether ``message`` names the argument ``arg`` (as a word, not inside another)."""
    if arg == "a":  # also an English article: require it in an argument position
        return re.search(r"(^|[\s(,[])a( must|=| <| and |,|\)|:)", message) is not None
    return re.search(rf"(?<![\w.]){re.escape(arg)}(?!\w)", message) is not None


def run_call(fn, kwargs: dict, *, time_limit: float = TIME_LIMIT,
             memory_headroom: int | None = MEMORY_HEADROOM):
    """Call ``fn(**kwargs)`` under the limits: (returned value, exception, seconds, warnings).

    Where SIGALRM or /proc and RLIMIT_AS are missing (not Linux), the time is measured
    after the call instead and no memory limit applies."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        resource = None
    use_alarm = hasattr(signal, "setitimer")
    try:
        old_handler = signal.signal(signal.SIGALRM, _raise_timeout) if use_alarm else None
    except ValueError:  # not the main thread: measure instead of interrupting
        use_alarm = False
    old_limit = None
    vm = _vm_bytes() if memory_headroom and resource is not None else None
    if vm is not None:
        old_limit = resource.getrlimit(resource.RLIMIT_AS)
        cap = vm + memory_headroom
        if old_limit[1] == resource.RLIM_INFINITY or cap < old_limit[1]:
            resource.setrlimit(resource.RLIMIT_AS, (cap, old_limit[1]))
        else:
            old_limit = None
    value = exc = None
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if use_alarm:  # pytest-timeout's own alarm, if armed, is re-armed afterwards
                outer = signal.setitimer(signal.ITIMER_REAL, time_limit)
            try:
                value = fn(**kwargs)
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except _Timeout as e:
            exc = e
        except Exception as e:  # noqa: BLE001 - every type is judged
            exc = e
        finally:
            if old_limit is not None:
                resource.setrlimit(resource.RLIMIT_AS, old_limit)
            if use_alarm:
                signal.signal(signal.SIGALRM, old_handler)
                if outer[0] > 0:
                    left = outer[0] - (time.perf_counter() - t0)
                    signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), outer[1])
    seconds = time.perf_counter() - t0
    if exc is None and seconds > time_limit:
        exc = _Timeout()
    return value, exc, seconds, list(caught)


def _raise_timeout(signum, frame):
    raise _Timeout()


def judge(case: Case, value, exc, seconds, caught, *, infinite_ok: bool) -> Result:
    """The outcome of one call (before the input and random-state checks)."""
    if isinstance(exc, _Timeout):
        return Result("timeout", f"still running after {seconds:.1f} s", seconds)
    if isinstance(exc, MemoryError):
        return Result("memory", f"MemoryError: {exc}", seconds)
    ours = [w for w in caught if "implementations" in (w.filename or "")
            or issubclass(w.category, np.exceptions.ComplexWarning)]
    if exc is not None and not isinstance(exc, ValueError):
        return Result("wrong-exception", f"{type(exc).__name__}: {exc}", seconds)
    if ours:
        w = ours[0]
        return Result("warning", f"{w.category.__name__}: {w.message}", seconds)
    if exc is not None:
        if names_argument(str(exc), case.arg):
            return Result("refused", str(exc), seconds)
        return Result("unnamed", f"ValueError not naming {case.arg!r}: {exc}", seconds)
    if case.strict:
        return Result("accepted-invalid", f"returned {_short(value)}", seconds)
    if not infinite_ok and _nonfinite(value):
        return Result("nonfinite-result", f"returned {_short(value)}", seconds)
    return Result("accepted", "", seconds)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + "..."


def _global_random_state():
    st = np.random.get_state()
    return (st[0], st[1].tobytes(), st[2:], random.getstate())


def none_is_default(fn, arg: str) -> bool:
    """Whether ``arg`` of ``fn`` defaults to None (then None is a valid value, not a bad one)."""
    import inspect

    try:
        p = inspect.signature(fn).parameters.get(arg)
    except (TypeError, ValueError):
        return False
    return p is not None and p.default is None


def execute(fn, case: Case, kwargs: dict, *, infinite_ok: bool = False,
            time_limit: float = TIME_LIMIT) -> Result:
    """Run one case and judge it, including the input-mutation and random-state rules."""
    if case.strict and kwargs[case.arg] is None and none_is_default(fn, case.arg):
        case = dataclasses.replace(case, strict=False)
    before = _snapshot(kwargs)
    state = _global_random_state()
    value, exc, seconds, caught = run_call(fn, kwargs, time_limit=time_limit)
    res = judge(case, value, exc, seconds, caught, infinite_ok=infinite_ok)
    if res.outcome in ("timeout", "memory"):
        return res
    if not _same(before, _snapshot(kwargs)):
        return Result("mutated-input", "an argument changed during the call", seconds)
    if _global_random_state() != state:
        return Result("global-random-state", "numpy's or Python's global state moved",
                      seconds)
    return res


# -- the whole sweep (also a command: python -m claimledger.fuzz) ---------------------------
def sweep(module, examples: dict, contract: dict, *, names=None):
    """Run every canonical case of every name; return (Counter of outcomes, failures)."""
    counts: Counter = Counter()
    failures = []
    for name in sorted(names or examples):
        fn = getattr(module, name, None)
        if fn is None:
            continue
        for case in cases_for(name, examples[name], contract):
            res = execute(fn, case, build_kwargs(case, examples[name]),
                          infinite_ok=name in contract["infinite_results"])
            counts[res.outcome] += 1
            if res.outcome not in OK:
                failures.append((case, res))
    return counts, failures


def main(argv=None) -> int:
    """``python -m claimledger.fuzz [--impl MODULE]``: sweep the module under test with the
    bad-input cases of the project's reference implementation (``[tool.claimledger] impl``,
    whose ``examples()`` and ``contract()`` drive the sweep)."""
    import argparse
    import pathlib

    from .config import read
    from .impl import load_module

    cfg = read(pathlib.Path("pyproject.toml"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--impl", default=cfg.impl)
    ap.add_argument("--show", type=int, default=0, help="print this many failures per class")
    args = ap.parse_args(argv)
    if not cfg.impl or not args.impl:
        ap.error("no reference implementation: set impl = ... in [tool.claimledger]")
    reference = load_module(cfg.impl, cfg.impl_aliases)
    module = load_module(args.impl, cfg.impl_aliases)
    t0 = time.perf_counter()
    counts, failures = sweep(module, reference.examples(), reference.contract())
    print(f"{sum(counts.values())} calls in {time.perf_counter() - t0:.1f} s")
    for outcome in OK + FAILURES:
        print(f"  {outcome:20s} {counts.get(outcome, 0)}")
    shown: Counter = Counter()
    for case, res in failures:
        key = (res.outcome, case.kind, case.cls)
        if shown[key] < args.show:
            shown[key] += 1
            print(f"{res.outcome}: {case.label()}: {res.detail[:200]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
