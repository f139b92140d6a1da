"""The implementation under test, chosen with ``--impl``.

``--impl`` takes a dotted module name (``implementations``, ``mypkg.dl_adapter``) or a
path to a ``.py`` file. The module exposes the names of the protocol documented in
``implementations/__init__.py`` (each listed there with its signature and conventions).
A name the module lacks makes the checks that need it *skip* with "not provided", so the
claims they support are reported ``unverified`` - never silently filled in with our own
reference code.
"""
from __future__ import annotations

import importlib
import importlib.util
import pathlib
import sys
import types

import pytest


class Implementation:
    """Attribute access to the module under test; missing names skip the check."""

    def __init__(self, module: types.ModuleType, spec: str) -> None:
        self._module = module
        self.spec = spec

    def provides(self, name: str) -> bool:
        return hasattr(self._module, name)

    def convention(self, key: str):
        """The implementation's declared value of a convention the article leaves open.

        A module declares ``CONVENTIONS = {key: value}`` (see :data:`CONVENTIONS`); an
        undeclared key takes the reference's value. A check of a claim that does not fix
        the convention tests the declared value exactly; the difference from the
        reference is reported as a frameworks finding (§7), not as a failed claim.
        """
        allowed, default = CONVENTIONS[key]
        value = getattr(self._module, "CONVENTIONS", {}).get(key, default)
        if value not in allowed:
            raise pytest.UsageError(f"{self.spec}: CONVENTIONS[{key!r}] = {value!r}, "
                                    f"not one of {allowed}")
        return value

    def __getattr__(self, name: str):
        try:
            return getattr(self._module, name)
        except AttributeError:
            if name not in protocol_names():  # e.g. introspection by hypothesis or pytest
                raise
            pytest.skip(f"implementation {self.spec!r} does not provide {name!r} (not provided)")

    def __repr__(self) -> str:
        return f"Implementation({self.spec!r})"


#: conventions an implementation may declare in ``CONVENTIONS``: key -> (allowed values,
#: the reference's value). ``subnormals``: "honoured" (subnormal inputs and results are
#: computed as IEEE 754 says) or "flushed" (a backend with flush-to-zero / denormals-are-
#: zero, e.g. XLA on CPU); a flushing implementation is not probed with subnormal inputs
#: by the article's checks, and the flushing itself is reported as a §7 finding.
CONVENTIONS = {
    "running_var": (("unbiased", "biased"), "unbiased"),  # BatchNorm's tracked variance
    "relu_grad_at_0": ((0.0, 1.0), 1.0),  # relu'(0): the article's table uses 1
    "subnormals": (("honoured", "flushed"), "honoured"),
}


def protocol_names() -> frozenset[str]:
    """The protocol: every name the reference package exports."""
    import implementations

    return frozenset(implementations.__all__)


ALIASES = {
    "reference": "implementations",
    "torch": "implementations.adapters.torch_adapter",  # PyTorch's own blocks (optional)
    "jax": "implementations.adapters.jax_adapter",  # JAX/flax/optax blocks (optional)
}


def load_module(spec: str) -> types.ModuleType:
    """Import ``spec``: an alias (``torch``), a dotted module name or a path to a .py file."""
    spec = ALIASES.get(spec, spec)
    path = pathlib.Path(spec)
    if spec.endswith(".py") or path.is_file():
        if not path.is_file():
            raise pytest.UsageError(f"--impl {spec}: no such file")
        name = "impl_under_test_" + path.stem
        mod_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(mod_spec)
        sys.modules[name] = module
        mod_spec.loader.exec_module(module)
        return module
    try:
        return importlib.import_module(spec)
    except ImportError as exc:
        raise pytest.UsageError(f"--impl {spec}: cannot import it ({exc})") from exc


def load(spec: str) -> Implementation:
    return Implementation(load_module(spec), spec)
