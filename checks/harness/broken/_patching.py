"""Helper for broken implementations that are the reference source with a textual edit."""
from __future__ import annotations

import importlib.util
import pathlib
import sys
import types


def patched_copy(reference: types.ModuleType, name: str, *edits: tuple[str, str]):
    """A private copy of ``reference`` with textual edits (old, new) applied; each ``old``
    must occur exactly once, so a change to the reference is noticed, not silently missed."""
    src = pathlib.Path(reference.__file__).read_text()
    for old, new in edits:
        assert src.count(old) == 1, f"reference source changed; update {name}: {old!r}"
        src = src.replace(old, new)
    mod = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader=None))
    mod.__package__ = reference.__package__  # the copy's relative imports read the reference's
    sys.modules[name] = mod
    exec(compile(src, reference.__file__, "exec"), mod.__dict__)
    return mod
