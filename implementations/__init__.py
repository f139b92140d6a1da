"""Reference implementations, and the protocol any implementation under test follows.

The checks reach implementations only through the ``impl`` fixture, resolved from
``pytest --impl MODULE`` (default: this package). To verify your own building blocks,
write a module that defines the protocol names below (numpy arrays in and out, float64
unless stated) and run ``pytest --impl your.module`` or ``make verify IMPL=your.module``.
A name your module lacks skips the checks that need it: their claims show
``unverified`` with the reason "not provided".

Each submodule lists its protocol names in ``__protocol__``; this package re-exports
exactly those, and :func:`protocol` returns the table (name -> first docstring line)
that the README and report print. Conventions shared by every name:

* inputs are validated: wrong shapes, NaN/inf, out-of-range parameters raise
  ``ValueError`` with a message naming the argument;
* nothing loops forever: iterative procedures take an explicit cap;
* no global random state: random functions take ``rng`` (a ``numpy.random.Generator``).
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil

__all__: list[str] = []
_SOURCES: dict[str, str] = {}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_") or _info.ispkg:
        continue
    _mod = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in getattr(_mod, "__protocol__", ()):
        if _name in _SOURCES:
            raise ImportError(f"protocol name {_name!r} defined by both "
                              f"{_SOURCES[_name]} and {_info.name}")
        globals()[_name] = getattr(_mod, _name)
        _SOURCES[_name] = _info.name
        __all__.append(_name)


def protocol() -> dict[str, tuple[str, str, str]]:
    """name -> (module, signature, first docstring line) of every protocol name."""
    out = {}
    for name in __all__:
        obj = globals()[name]
        try:
            sig = str(inspect.signature(obj))
        except (TypeError, ValueError):
            sig = ""
        doc = (inspect.getdoc(obj) or "").split("\n")[0]
        out[name] = (_SOURCES[name], sig, doc)
    return out


def examples() -> dict[str, list[dict]]:
    """name -> valid example calls (keyword arguments) of every protocol name.

    Each submodule gives them in ``__examples__`` beside ``__protocol__``; the bad-input
    fuzzer (``checks/support/fuzz.py``) varies one argument of an example at a time, so a
    new protocol name is fuzzed as soon as it has an example."""
    out = {}
    for mod in sorted(set(_SOURCES.values())):
        out.update(importlib.import_module(f"{__name__}.{mod}").__dict__.get("__examples__", {}))
    return out


def contract() -> dict:
    """The documented exceptions to the bad-input contract, gathered from the submodules:
    ``nonfinite_args`` - (name, argument) pairs that take NaN/inf on purpose;
    ``infinite_results`` - names for which +inf is a documented value;
    ``exact_args`` - (name, argument) pairs read exactly, where integers of any size are
    valid."""
    out = {"nonfinite_args": set(), "infinite_results": set(), "exact_args": set()}
    for mod in sorted(set(_SOURCES.values())):
        d = importlib.import_module(f"{__name__}.{mod}").__dict__
        for key in out:
            out[key].update(d.get(f"__{key}__", ()))
    return {key: frozenset(v) for key, v in out.items()}
