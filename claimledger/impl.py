"""The implementation under test, chosen with ``--impl``.

``--impl`` takes an alias (``[tool.claimledger] impl-aliases``), a dotted module name or a
path to a ``.py`` file. The *protocol* is what the configured reference implementation
(``[tool.claimledger] impl``) exports in ``__all__``. A protocol name the module under
test lacks makes the checks that need it *skip* with "not provided", so the claims they
support are reported ``unverified`` - never silently filled in with reference code.

Conventions a text leaves open are declared, not guessed. The reference module lists the
choices in ``CONVENTION_CHOICES = {key: (allowed values, the reference's value)}``; a
module under test declares its own in ``CONVENTIONS = {key: value}``; checks read them
with ``impl.convention(key)``.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import pathlib
import sys
import types

import pytest

#: called with every protocol name a check reads from the implementation under test
#: (``impl.NAME``, ``impl.provides(NAME)``; ``"<all>"`` for ``impl.module``): the result
#: cache (:mod:`claimledger.cache`) keys a check on the modules defining those names
ACCESS_HOOKS: list = []


def _notify_access(name: str) -> None:
    for hook in ACCESS_HOOKS:
        hook(name)


class Implementation:
    """Attribute access to the module under test; missing protocol names skip the check."""

    def __init__(self, module: types.ModuleType, spec: str,
                 reference: types.ModuleType | None = None) -> None:
        self._module = module
        self._reference = reference if reference is not None else module
        self.spec = spec
        self._accessed: set[str] = set()  # protocol names used since the last take

    @property
    def module(self) -> types.ModuleType:
        _notify_access("<all>")
        return self._module

    def provides(self, name: str) -> bool:
        _notify_access(name)
        return hasattr(self._module, name)

    def protocol_names(self) -> frozenset[str]:
        return frozenset(getattr(self._reference, "__all__", ()))

    def convention(self, key: str):
        """The implementation's declared value of a convention the text leaves open (the
        reference's value when undeclared); a value outside the allowed ones is a usage
        error."""
        choices = getattr(self._reference, "CONVENTION_CHOICES", {})
        if key not in choices:
            raise pytest.UsageError(f"convention {key!r} is not declared in the reference's "
                                    f"CONVENTION_CHOICES ({sorted(choices)})")
        allowed, default = choices[key]
        _notify_access("CONVENTIONS")
        value = getattr(self._module, "CONVENTIONS", {}).get(key, default)
        if value not in allowed:
            raise pytest.UsageError(f"{self.spec}: CONVENTIONS[{key!r}] = {value!r}, "
                                    f"not one of {allowed}")
        return value

    def declares(self, key: str) -> bool:
        """Whether the module under test declares ``key`` itself (a declared value is a
        promise the checks may test exactly; an undeclared one leaves a check free to
        accept every value its claim allows)."""
        self.convention(key)  # a usage error for an unknown key or an invalid value
        return key in getattr(self._module, "CONVENTIONS", {})

    def take_accessed(self) -> list[str]:
        """The protocol names looked up since the last call (the plugin records them per
        check, so the comparison can group failures by protocol name)."""
        out, self._accessed = sorted(self._accessed), set()
        return out

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        _notify_access(name)
        if name in self.protocol_names():
            self._accessed.add(name)
        try:
            return getattr(self._module, name)
        except AttributeError:
            if name not in self.protocol_names():  # e.g. introspection by hypothesis
                raise
            pytest.skip(f"implementation {self.spec!r} does not provide {name!r} (not provided)")

    def __repr__(self) -> str:
        return f"Implementation({self.spec!r})"


def resolve(spec: str, aliases: dict[str, str] | None = None) -> str:
    """An alias's target; anything else unchanged."""
    return (aliases or {}).get(spec, spec)


def report_name(spec: str) -> str:
    """A clean directory name for an implementation's reports: the alias as given, a
    file's stem, a dotted name with dots as dashes (``make verify IMPL=...`` uses the
    same names)."""
    base = pathlib.Path(spec).name if is_path(spec) else spec
    return base.removesuffix(".py").replace(".", "-")


def is_path(spec: str) -> bool:
    return spec.endswith(".py") or os.path.isfile(spec)


def module_name_of(spec: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """The name ``spec`` is imported under (a .py path: ``impl_under_test_<stem>``)."""
    if not spec:
        return None
    name = resolve(spec, aliases)
    if is_path(name):
        return "impl_under_test_" + pathlib.Path(name).stem
    return name


def load_module(spec: str, aliases: dict[str, str] | None = None) -> types.ModuleType:
    """Import ``spec``: an alias, a dotted module name or a path to a .py file."""
    spec = resolve(spec, aliases)
    path = pathlib.Path(spec)
    if is_path(spec):
        if not path.is_file():
            raise pytest.UsageError(f"--impl {spec}: no such file")
        name = module_name_of(spec)
        mod_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(mod_spec)
        sys.modules[name] = module
        mod_spec.loader.exec_module(module)
        return module
    try:
        return importlib.import_module(spec)
    except ImportError as exc:
        raise pytest.UsageError(f"--impl {spec}: cannot import it ({exc})") from exc


def load(spec: str, aliases: dict[str, str] | None = None,
         reference: str | None = None) -> Implementation:
    """The implementation ``spec``; ``reference`` (a module name) defines the protocol."""
    module = load_module(spec, aliases)
    ref = load_module(reference, aliases) if reference else module
    return Implementation(module, spec, ref)
