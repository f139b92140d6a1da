"""The kind lint: a check's declared evidence kind must match what its code does.

Read from the source (``ast``; nothing is imported or run). For every check function
linked with ``kind=``, the lint gathers what the function can reach - its own body, the
module-level functions of its module it calls (transitively), and the project modules it
imports names from (their whole source) - and asks:

``symbolic``
    uses sympy (``sympy``/``sp``, or :mod:`claimledger.symbolic`) and constructs a sympy
    symbol (``Symbol``, ``symbols``, ``IndexedBase``, ``MatrixSymbol``, ``Dummy``,
    ``Function``, ``Idx``). When none of its symbols is a size or an index (declared
    ``integer=True``, or a ``MatrixSymbol``), the check must say why the statement has no
    size: a comment ``# sizeless: <why>`` in the function.
``interval``
    uses an interval library: ``mpmath.iv`` (``iv.mpf``, ...), or a project module that
    does.
``exact``
    uses exact arithmetic: ``fractions.Fraction``, sympy (Rationals, Integers, exact
    evaluation), :mod:`claimledger.certificates`, or integer machinery (``math.comb``,
    ``math.factorial``, ``math.gcd``, ``//``, integer or object dtypes, ``itertools``
    enumeration, ``int(...)``).

``statistical``, ``sampled`` and ``figure`` are not linted. :func:`lint_modules` returns
``{"<module>::<function>": [problem, ...]}`` for the checks that fail; the ledger lets a
link whose check fails the lint earn at most ``supported`` and lists the problems.
"""
from __future__ import annotations

import ast
import pathlib
from dataclasses import dataclass, field

SYMBOL_MAKERS = {"Symbol", "symbols", "IndexedBase", "MatrixSymbol", "Dummy", "Function",
                 "Idx", "var"}
EXACT_ATTRS = {"comb", "factorial", "gcd", "isqrt", "perm", "lcm", "product", "combinations",
               "permutations", "combinations_with_replacement"}
EXACT_NAMES = {"Fraction", "Rational", "Integer", "nsimplify", "comb", "factorial", "gcd"}


@dataclass
class Traits:
    """What a piece of code visibly does."""

    sympy: bool = False
    symbols: bool = False
    sized_symbols: bool = False
    interval: bool = False
    exact: bool = False
    sizeless_reason: bool = False
    calls: set[str] = field(default_factory=set)

    def merge(self, other: "Traits") -> None:
        self.sympy |= other.sympy
        self.symbols |= other.symbols
        self.sized_symbols |= other.sized_symbols
        self.interval |= other.interval
        self.exact |= other.exact


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


class _Imports:
    """Local names bound by imports: name -> (module, imported attribute or None)."""

    def __init__(self, tree: ast.Module) -> None:
        self.names: dict[str, tuple[str, str | None]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    self.names[a.asname or a.name.split(".")[0]] = (
                        a.name if a.asname else a.name.split(".")[0], None)
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    self.names[a.asname or a.name] = (node.module, a.name)

    def module_of(self, name: str) -> str | None:
        entry = self.names.get(name)
        if entry is None:
            return None
        module, attr = entry
        return module if attr is None else f"{module}.{attr}"


def _traits_of(node: ast.AST, imports: _Imports, source) -> Traits:
    """``source``: the module's lines (a list) or text."""
    t = Traits()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            full = imports.module_of(sub.id) or ""
            if full.startswith("sympy") or full.startswith("claimledger.symbolic"):
                t.sympy = True
            if full.startswith("mpmath.iv") or full == "mpmath.iv":
                t.interval = True
            if full.startswith("fractions") or full.startswith("claimledger.certificates") \
                    or full.startswith("itertools"):
                t.exact = True
            if sub.id in EXACT_NAMES:
                t.exact = True
        elif isinstance(sub, ast.Attribute):
            dotted = _dotted(sub)
            head = dotted.split(".")[0]
            full = (imports.module_of(head) or head) + dotted[len(head):]
            if full.startswith("sympy."):
                t.sympy = True
            if full.startswith("mpmath.iv.") or ".iv." in f".{full}.":
                t.interval = True
            if sub.attr in EXACT_NAMES or (sub.attr in EXACT_ATTRS and head in (
                    "math", "itertools")) or full.startswith("fractions."):
                t.exact = True
            if sub.attr in ("int64", "int32", "uint8", "int8", "int16", "uint64", "object_"):
                t.exact = True
        elif isinstance(sub, ast.BinOp) and isinstance(sub.op, (ast.FloorDiv, ast.Mod)):
            t.exact = True
        elif isinstance(sub, ast.keyword) and sub.arg == "dtype" and (
                (isinstance(sub.value, ast.Name) and sub.value.id in ("int", "object"))
                or (isinstance(sub.value, ast.Constant) and sub.value.value in ("int",
                                                                                  "object"))):
            t.exact = True
        if isinstance(sub, ast.Call):
            fname = _dotted(sub.func)
            last = fname.split(".")[-1]
            if fname:
                t.calls.add(fname)
            if last in SYMBOL_MAKERS and (t.sympy or fname.startswith(("sp.", "sympy."))
                                          or imports.module_of(fname.split(".")[0]) in (
                                              "sympy", f"sympy.{last}")):
                t.symbols = True
                t.sympy = True
                if last in ("MatrixSymbol", "Idx") or any(
                        k.arg == "integer" and isinstance(k.value, ast.Constant) and k.value.value
                        for k in sub.keywords):
                    t.sized_symbols = True
            if fname == "int":
                t.exact = True
    lines = source.splitlines() if isinstance(source, str) else source
    start, end = getattr(node, "lineno", 1), getattr(node, "end_lineno", len(lines))
    t.sizeless_reason = any("# sizeless:" in ln for ln in lines[start - 1:end])
    return t


class ModuleLint:
    """The traits of every function of one module, following calls within the module and
    names imported from the project's own modules."""

    def __init__(self, path: pathlib.Path, project_modules: dict[str, pathlib.Path],
                 cache: dict[str, Traits] | None = None) -> None:
        self.path = path
        text = path.read_text(encoding="utf-8")
        self.tree = ast.parse(text)
        self.source = text.splitlines()
        self._memo: dict[int, Traits] = {}
        self.imports = _Imports(self.tree)
        self.project = project_modules
        self.cache = {} if cache is None else cache  # module name -> whole-module traits
        self.functions = {n.name: n for n in self.tree.body
                          if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        # module-level assignments by name (a function may read a constant built with sympy)
        self.assigned: dict[str, list[ast.AST]] = {}
        for n in self.tree.body:
            if isinstance(n, (ast.Assign, ast.AnnAssign)):
                targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                for t in targets:
                    for sub in ast.walk(t):
                        if isinstance(sub, ast.Name):
                            self.assigned.setdefault(sub.id, []).append(n)

    def _project_module_traits(self, module: str) -> Traits | None:
        path = self.project.get(module)
        if path is None:
            return None
        if module not in self.cache:
            self.cache[module] = Traits()  # cycles
            src = path.read_text(encoding="utf-8")
            tree = ast.parse(src)
            self.cache[module] = _traits_of(tree, _Imports(tree), src.splitlines())
        return self.cache[module]

    @staticmethod
    def _names_read(node: ast.AST) -> set[str]:
        return {sub.id for sub in ast.walk(node)
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)}

    def _of(self, node: ast.AST) -> Traits:
        if id(node) not in self._memo:
            self._memo[id(node)] = _traits_of(node, self.imports, self.source)
        return self._memo[id(node)]

    def traits(self, func: ast.AST) -> Traits:
        first = self._of(func)
        out = Traits(sizeless_reason=first.sizeless_reason)
        out.merge(first)
        seen: set[str] = set()
        todo = list(first.calls) + list(self._names_read(func))
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            head = name.split(".")[0]
            if name in self.functions:
                t = self._of(self.functions[name])
                out.merge(t)
                todo += list(t.calls) + list(self._names_read(self.functions[name]))
                continue
            if name in self.assigned:
                for node in self.assigned[name]:
                    t = self._of(node)
                    out.merge(t)
                    todo += list(t.calls) + list(self._names_read(node))
                continue
            module = self.imports.module_of(head)
            if module is None:
                continue
            for candidate in (module, module.rsplit(".", 1)[0]):
                mt = self._project_module_traits(candidate)
                if mt is not None:
                    out.merge(mt)
                    break
        # module-level names the function reads (e.g. a module constant built with sympy)
        return out


def problems_of(kind: str, t: Traits) -> list[str]:
    if kind == "symbolic":
        if not t.sympy:
            return ["kind='symbolic' but the check uses no sympy"]
        if not t.symbols:
            return ["kind='symbolic' but the check constructs no sympy symbol"]
        if not t.sized_symbols and not t.sizeless_reason:
            return ["kind='symbolic' but no symbol is a size or an index (integer=True or a "
                    "MatrixSymbol); say why the statement has none with a '# sizeless: ...' "
                    "comment"]
    elif kind == "interval":
        if not t.interval:
            return ["kind='interval' but the check uses no interval library (mpmath.iv)"]
    elif kind == "exact":
        if not (t.exact or t.sympy):
            return ["kind='exact' but the check uses no integers, Fractions or sympy "
                    "Rationals"]
    return []


def _marker_kinds(func: ast.AST, consts) -> list[str]:
    kinds = []
    for dec in getattr(func, "decorator_list", []):
        for sub in ast.walk(dec):
            if isinstance(sub, ast.Call):
                f = sub.func
                is_claim = (isinstance(f, ast.Name) and f.id == "claim") or \
                    (isinstance(f, ast.Attribute) and f.attr == "claim")
                if is_claim:
                    for k in sub.keywords:
                        if k.arg == "kind" and isinstance(k.value, ast.Constant):
                            kinds.append(k.value.value)
    return kinds


def project_modules(roots) -> dict[str, pathlib.Path]:
    """Dotted module name -> file for the project's own modules: the top-level ``.py``
    files of each root and the packages (directories with ``__init__.py``) under it;
    hidden, build and virtual-environment directories are never entered."""
    import os

    out: dict[str, pathlib.Path] = {}
    for root in roots:
        root = pathlib.Path(root)
        for dirpath, dirnames, filenames in os.walk(root):
            here = pathlib.Path(dirpath)
            rel = here.relative_to(root).parts
            if rel and not (here / "__init__.py").is_file():
                dirnames[:] = []
                continue
            dirnames[:] = [d for d in dirnames if not d.startswith((".", "_"))
                           and d not in ("build", "dist", "venv", "node_modules")]
            for name in filenames:
                if not name.endswith(".py"):
                    continue
                parts = list(rel) + ([] if name == "__init__.py" else [name[:-3]])
                if parts:
                    out[".".join(parts)] = here / name
    return out


def lint_modules(paths, rootpath: pathlib.Path, project_root: pathlib.Path | None = None
                 ) -> dict[str, list[str]]:
    """``{"<relpath>::<function>": problems}`` for the checks of ``paths`` that fail."""
    project = project_modules([project_root or rootpath])
    cache: dict[str, Traits] = {}
    out: dict[str, list[str]] = {}
    for path in sorted(paths):
        path = pathlib.Path(path)
        ml = ModuleLint(path, project, cache)
        try:
            rel = path.resolve().relative_to(rootpath.resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()

        def visit(body, prefix):
            for node in body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                        node.name.startswith("test"):
                    kinds = _marker_kinds(node, None)
                    if not kinds:
                        continue
                    traits = ml.traits(node)
                    probs = sorted({p for k in kinds for p in problems_of(k, traits)})
                    if probs:
                        out[f"{prefix}::{node.name}"] = probs
                elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                    visit(node.body, f"{prefix}::{node.name}")

        visit(ml.tree.body, rel)
    return out
