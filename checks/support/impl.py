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

    def __getattr__(self, name: str):
        try:
            return getattr(self._module, name)
        except AttributeError:
            if name not in protocol_names():  # e.g. introspection by hypothesis or pytest
                raise
            pytest.skip(f"implementation {self.spec!r} does not provide {name!r} (not provided)")

    def __repr__(self) -> str:
        return f"Implementation({self.spec!r})"


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
