"""Every framework adapter answers for every protocol name, read from its source.

An adapter (``implementations/adapters/*_adapter.py``) either defines a protocol name at
module level or lists it in ``NOT_PROVIDED`` (name -> why the framework has no such
block). The same duty is checked by each adapter's own tests with the framework
imported, but those skip where the framework is not installed; this test reads the
adapters' source with ``ast`` (nothing is imported), so adding a protocol name without
giving every adapter its answer fails ``make test`` on any machine.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

import implementations

pytestmark = pytest.mark.harness

ADAPTERS = sorted((pathlib.Path(implementations.__file__).parent / "adapters")
                  .glob("*_adapter.py"))


def module_names_and_not_provided(path: pathlib.Path) -> tuple[set[str], set[str]]:
    """(names bound at module level, keys of the NOT_PROVIDED dict literal)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    defined: set[str] = set()
    not_provided: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    defined.add(t.id)
                    if t.id == "NOT_PROVIDED" and isinstance(node.value, ast.Dict):
                        not_provided |= {k.value for k in node.value.keys
                                         if isinstance(k, ast.Constant)}
        elif isinstance(node, ast.ImportFrom):
            defined |= {a.asname or a.name for a in node.names}
    return defined, not_provided


def test_there_are_adapters_to_check():
    assert {p.stem for p in ADAPTERS} >= {"torch_adapter", "jax_adapter"}


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: p.stem)
def test_adapter_defines_or_declares_every_protocol_name(path):
    defined, not_provided = module_names_and_not_provided(path)
    proto = set(implementations.__all__)
    undeclared = sorted(proto - defined - not_provided)
    both = sorted(proto & defined & not_provided)
    stale = sorted(not_provided - proto)
    assert not undeclared, (f"{path.name}: protocol names neither defined nor listed in "
                            f"NOT_PROVIDED: {undeclared} (define them with the framework's "
                            "own block, or list them with the reason it has none)")
    assert not both, f"{path.name}: defined and also listed as not provided: {both}"
    assert not stale, f"{path.name}: NOT_PROVIDED lists names outside the protocol: {stale}"


def test_static_reading_rejects_an_adapter_that_forgot_a_name(tmp_path):
    """The check can fail: an adapter missing one protocol name is caught."""
    proto = sorted(implementations.__all__)
    src = "\n".join(f"def {n}(): pass" for n in proto[1:])
    src += "\nNOT_PROVIDED = {}\n"
    path = tmp_path / "fake_adapter.py"
    path.write_text(src)
    defined, not_provided = module_names_and_not_provided(path)
    assert set(proto) - defined - not_provided == {proto[0]}
