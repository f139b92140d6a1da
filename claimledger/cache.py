"""A content-addressed cache of check results: re-derive only what changed.

Every check of a claims package is deterministic given its inputs (its seeds come from
``--root-seed``, hypothesis is seeded per test from it), so a check whose inputs are
unchanged would produce the same result again. As Bazel's test cache and Lean's mathlib
cache do, a run replays the recorded result of such a check instead of re-running it. The
ledger says, for every check, whether it ran now or was replayed (with the key and the
date it was derived); pytest's closing line counts ``passed`` and ``cached`` apart.

The key of a check
------------------
``global``   Python (``sys.version``, implementation, ``sys.flags``: ``-O`` strips
             asserts), the platform and the CPU's model and flags (numpy dispatches on
             them), every installed distribution with its version, the run's options
             that can change a result (``--root-seed``, the hypothesis profile, its
             verbosity and explain options, ``--no-shrink``, ``--timeout``, ``-W``,
             ``-o``, ``-p``, ``--runxfail``, ``--import-mode``), the environment
             variables matched by ``[tool.claimledger.cache] env`` (default ``VERIFY_*``,
             ``HYPOTHESIS_*``, ``CLAIMLEDGER_*``, the BLAS thread counts,
             ``PYTHONHASHSEED``, ``PYTHONPATH``, ``MPLBACKEND``, mutmut's
             ``MUTANT_UNDER_TEST``), the ``.pth`` files of site-packages, the content
             of the configuration file (pyproject.toml, and the inifile if another), of
             every package's source text, of the files globbed by
             ``[tool.claimledger.cache] inputs``, and of the plugin itself with
             everything it imports from the project;
``module``   the check module's content and everything it imports from the project,
             transitively (a static import graph, below), with the ``conftest.py`` files
             above it and their imports;
``item``     the check's node id, and - for a check that uses the ``impl`` fixture - the
             implementation under test (``--impl``, resolved);
``impl``     verified when a result is looked up, because it is only known once the check
             has run: the protocol names the check (and every module- or session-scoped
             fixture of its module) read from the implementation (recorded by
             :mod:`claimledger.impl`), the module each name is defined in, and the content
             of those modules and of what they import, plus the implementation's and the
             reference's own ``__init__``/module file. A name read through
             ``impl.module``, or an object without a defining project module, makes the
             whole implementation (every file of its package) the dependency. Editing one
             implementation file re-runs the checks that use a name defined in it or in a
             module importing it - not every check that takes ``impl``.

The static import graph covers the project's own modules (files under the rootdir and the
project's ``sys.path`` entries below it): every ``import``/``from ... import`` anywhere in
a file (function bodies included), ``importlib.import_module("literal")`` and
``pytest_plugins``. Importing ``a.b.c`` depends on ``a/__init__``, ``a/b/__init__`` and
``c``; importing a *package* as the target (``import pkg``, ``from a import subpkg``)
depends on every module of that package, since a package may walk its own directory
(``pkgutil``), as ``implementations/__init__.py`` does.

What is not in the key: which checks are selected (``-k``, ``--claim``) or how they are
distributed (``-n``); the report directory; files a check reads other than by import
(none of the article's checks does; list such files in ``inputs``); the claims modules
(``theorems/``: the ledger re-reads them every run and checks the links of replayed
checks like those of checks that ran).

Rules
-----
* Only a check that passed (setup, call and teardown) or was skipped is stored; a
  failure, an error, an xfail or an xpass is never stored, so a failing result can never
  be replayed, let alone as a pass. A skip is replayed as the skip it was (its claim stays
  unverified, with the reason): "torch not installed" is a function of the key, which
  holds every installed distribution, ``$PYTHONPATH`` and the ``.pth`` files; "does not
  provide X" is a function of the implementation's names, which the key records as
  missing.
* A figure the check wrote (``save_figure``) is stored by content and written into the
  run's report directory when the check is replayed.
* Harness self-tests (``@pytest.mark.harness``) are never cached: they run the tooling,
  spawn processes and read files outside any key.
* ``--fresh`` re-derives every check (and stores the new results); ``--no-cache`` neither
  reads nor writes. ``CI`` or ``CLAIMLEDGER_CACHE_FRESH`` set in the environment implies
  ``--fresh`` (``.ci/run`` sets the latter, for the runs make does not start either); any
  variable of ``[tool.claimledger.cache] fresh-env`` (default ``VERIFY_STATS_LOG``: a
  replayed check would not append its outcome to the statistics log) implies
  ``--no-cache``.
* A session nested in another one (pytester's in-process or subprocess runs of the
  harness's own tests) uses no cache unless it is given ``--cache-dir`` explicitly. Once
  a session has run nested in a process, the outer session stores nothing more: the
  nested one sets the process's root seed and hypothesis profile and, with
  ``--no-shrink``, replaces the hypothesis settings of the very test functions the outer
  session runs (they are shared module objects), so what runs after it may not run as
  the outer key says (``make test`` stores only what ran before its first nested run;
  its results are reported as usual).
* A result is stored only when the files in its key are byte-identical at the end of the
  run to what they were when the key was computed - when pytest collected the module,
  before importing it, and before the first check took the implementation (an edit during
  a run stores nothing).
* Under pytest-xdist the workers replay and store; the controller only plans. When the
  checks left to run would take less than ``serial-below`` seconds (default 8, from the
  recorded durations) the run stays in one process instead of starting workers; with
  workers, the checks are handed out longest first.

The cache lives in ``.claimledger-cache/`` beside the configuration (``--cache-dir``,
``$CLAIMLEDGER_CACHE_DIR`` or ``[tool.claimledger.cache] dir``); deleting it is always
safe. ``python -m claimledger.cache [DIR]`` prints its size; ``python -m claimledger.cache
diff [DIR]`` says which global input changed when a run re-derived everything;
``python -m claimledger.cache prune DAYS [DIR]`` drops entries older than DAYS.
"""
from __future__ import annotations

import ast
import datetime as _dt
import fnmatch
import hashlib
import json
import os
import pathlib
import platform
import sys
import time

import pytest

FORMAT = 1
ENV_SESSION = "CLAIMLEDGER_CACHE_SESSION"
DEFAULT_ENV = ("VERIFY_*", "HYPOTHESIS_*", "CLAIMLEDGER_*", "OPENBLAS_*", "OMP_*", "MKL_*",
               "PYTHONHASHSEED", "PYTHONPATH", "MPLBACKEND", "MUTANT_UNDER_TEST")
DEFAULT_FRESH_ENV = ("VERIFY_STATS_LOG",)
SERIAL_BELOW_S = 8.0
#: options whose value can change a check's result (dest names; absent ones are skipped)
KEY_OPTIONS = ("root_seed", "hypothesis_profile", "hypothesis_verbosity",
               "hypothesis_explain", "no_shrink", "timeout", "pythonwarnings",
               "override_ini", "plugins", "runxfail", "importmode", "source_text",
               "claims_config", "assertmode")
HARMLESS_PLUGINS = {"xdist", "no:xdist", "cacheprovider", "no:cacheprovider"}
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist",
              ".hypothesis", "reports", ".claimledger-cache", ".tox", ".nox"}
_SESSIONS: list[object] = []  # the cache plugins of the sessions open in this process
_IMPL_HOOKS: list = []


def _h(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _truthy(value: str | None) -> bool:
    return bool(value) and value.strip().lower() not in ("0", "false", "no", "off")


def addoption(group) -> None:
    group.addoption("--fresh", action="store_true",
                    default=_truthy(os.environ.get("CI"))
                    or _truthy(os.environ.get("CLAIMLEDGER_CACHE_FRESH")),
                    help="re-derive every check instead of replaying cached results (the "
                         "new results are stored); implied by $CI and "
                         "$CLAIMLEDGER_CACHE_FRESH")
    group.addoption("--no-cache", action="store_true",
                    help="neither replay nor store check results")
    group.addoption("--cache-dir", default=None,
                    help="the result cache (default: .claimledger-cache beside the "
                         "configuration, or $CLAIMLEDGER_CACHE_DIR)")


# -- the project's files and their static import graph ------------------------------------
ENGINE = pathlib.Path(__file__).resolve().parent  # claimledger itself, wherever installed
_PARSED: dict[str, list] = {}
_PROCESS: dict[str, object] = {}  # what cannot change while a process runs


class Project:
    """Content hashes and the static import graph of the project's own modules, and of
    claimledger's (part of every project: a check imports its helpers, and the plugin
    runs every check; an editable install elsewhere would not change its version)."""

    def __init__(self, root: pathlib.Path, parsed: dict | None = None) -> None:
        self.root = root.resolve()
        self.extra: list[pathlib.Path] = []
        bases = [self.root]
        for p in sys.path:
            try:
                rp = pathlib.Path(p or ".").resolve()
            except OSError:
                continue
            if rp != self.root and self._under(rp) and rp not in bases and \
                    not any(part in _SKIP_DIRS for part in rp.relative_to(self.root).parts):
                bases.append(rp)
        self.bases = bases
        # parsed import lists are keyed by content: shared by the sessions of one process
        # (a harness test's nested runs) besides the cache directory's imports.json
        _PARSED.update(parsed or {})
        self.parsed: dict[str, list] = _PARSED
        self.parsed_new = False
        self._sha: dict[pathlib.Path, str | None] = {}
        self._deps: dict[pathlib.Path, set[pathlib.Path]] = {}
        self._digests: dict[frozenset, str] = {}

    def _under(self, p: pathlib.Path) -> bool:
        return p == self.root or self.root in p.parents or ENGINE in p.parents or \
            any(b in p.parents for b in self.extra)

    def add_test_module(self, path: pathlib.Path) -> None:
        """A test module outside the rootdir: the directory pytest imports it from (the
        first one up without ``__init__.py``) holds project modules too."""
        d = path.resolve().parent
        while (d / "__init__.py").is_file() and d != d.parent:
            d = d.parent
        if d in self.bases or d == self.root or self.root in d.parents:
            return
        self.bases.insert(0, d)
        self.extra.append(d)
        self._deps.clear()
        self._digests.clear()

    def rel(self, p: pathlib.Path) -> str:
        p = p.resolve()
        if p == self.root or self.root in p.parents:
            return p.relative_to(self.root).as_posix()
        if ENGINE in p.parents:
            return "claimledger:" + p.relative_to(ENGINE).as_posix()
        return str(p)

    def sha(self, path: pathlib.Path) -> str | None:
        path = path.resolve()
        if path not in self._sha:
            try:
                self._sha[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._sha[path] = None
        return self._sha[path]

    def module_file(self, name: str) -> pathlib.Path | None:
        if not name or name.startswith("."):
            return None
        parts = name.split(".")
        bases = self.bases
        if parts[0] == ENGINE.name:
            bases = [ENGINE.parent] + [b for b in bases if b != ENGINE.parent]
        for base in bases:
            d = base.joinpath(*parts)
            if (d / "__init__.py").is_file():
                return (d / "__init__.py").resolve()
            f = d.with_suffix(".py")
            if f.is_file():
                return f.resolve()
        return None

    def module_name(self, path: pathlib.Path) -> str | None:
        path = path.resolve()
        if ENGINE in path.parents or path.parent == ENGINE:
            parts = list(path.relative_to(ENGINE.parent).with_suffix("").parts)
            return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for base in self.bases:
            if base in path.parents:
                parts = list(path.relative_to(base).with_suffix("").parts)
                if parts and parts[-1] == "__init__":
                    parts.pop()
                return ".".join(parts)
        return None

    def _imports(self, path: pathlib.Path) -> list:
        """The import statements of one file, as absolute module names: ["parent", name]
        (a package executed on the way to what is imported), ["target", name] (``import
        a.b``: ``a.b``), ["from", base, [names]] (``from base import names``)."""
        sha = self.sha(path)
        mod = self.module_name(path) or ""
        key = f"2:{sha}:{mod}"
        if key in self.parsed:
            return self.parsed[key]
        out: list = []
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError, OSError):
            tree = None
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]

        def target(name: str) -> None:
            parts = name.split(".")
            for i in range(1, len(parts)):
                out.append(["parent", ".".join(parts[:i])])
            out.append(["target", name])

        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Import):
                for a in node.names:
                    target(a.name)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    up = package.split(".") if package else []
                    up = up[:len(up) - (node.level - 1)] if node.level > 1 else up
                    base = ".".join(up + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                if not base:
                    continue
                parts = base.split(".")
                for i in range(1, len(parts)):
                    out.append(["parent", ".".join(parts[:i])])
                out.append(["from", base, [a.name for a in node.names]])
            elif isinstance(node, ast.Call) and node.args and \
                    isinstance(node.args[0], ast.Constant) and \
                    isinstance(node.args[0].value, str) and (
                        (isinstance(node.func, ast.Attribute) and
                         node.func.attr == "import_module") or
                        (isinstance(node.func, ast.Name) and
                         node.func.id in ("import_module", "__import__"))):
                target(node.args[0].value)
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets):
                vals = node.value.elts if isinstance(node.value, (ast.Tuple, ast.List)) \
                    else [node.value]
                for v in vals:
                    if isinstance(v, ast.Constant) and isinstance(v.value, str):
                        target(v.value)
        self.parsed[key] = out
        self.parsed_new = True
        return out

    def package_files(self, init: pathlib.Path) -> set[pathlib.Path]:
        return {p.resolve() for p in init.parent.rglob("*.py")
                if not any(part in _SKIP_DIRS or part.startswith(".")
                           for part in p.relative_to(init.parent).parts[:-1])}

    def _imported(self, f: pathlib.Path) -> set[pathlib.Path]:
        """A module imported as such: a package means every module in it (a package may
        walk its own directory, as implementations/__init__.py does)."""
        return self.package_files(f) if f.name == "__init__.py" else {f}

    def deps(self, path: pathlib.Path) -> tuple[set[pathlib.Path], set[pathlib.Path]]:
        """What one file's imports execute: (modules followed transitively, packages only
        executed on the way to a submodule - their own text counts, not what they import:
        ``from pkg.sub import f`` depends on ``pkg/__init__.py`` and on ``sub``'s closure,
        not on the package's other submodules)."""
        path = path.resolve()
        if path in self._deps:
            return self._deps[path]
        full: set[pathlib.Path] = set()
        shallow: set[pathlib.Path] = set()
        for entry in self._imports(path):
            if entry[0] == "parent":
                f = self.module_file(entry[1])
                if f is not None:
                    shallow.add(f)
            elif entry[0] == "target":
                f = self.module_file(entry[1])
                if f is not None:
                    full |= self._imported(f)
            else:
                base, names = entry[1], entry[2]
                fb = self.module_file(base)
                subs = [self.module_file(f"{base}.{n}") if n != "*" else None for n in names]
                for f in subs:
                    if f is not None:
                        full |= self._imported(f)
                if fb is not None:
                    # names that are attributes of base: base's closure; only submodules:
                    # base is a package executed on the way
                    (shallow if all(subs) else full).add(fb)
        full.discard(path)
        shallow -= full | {path}
        self._deps[path] = (full, shallow)
        return full, shallow

    def closure(self, files) -> frozenset:
        out: set[pathlib.Path] = set()
        seen: set[pathlib.Path] = set()
        todo = [pathlib.Path(f).resolve() for f in files]
        while todo:
            f = todo.pop()
            if f in seen:
                continue
            seen.add(f)
            out.add(f)
            if f.suffix == ".py" and self._under(f):
                full, shallow = self.deps(f)
                todo.extend(full - seen)
                out |= shallow
        return frozenset(out)

    def digest(self, files, shallow=()) -> str:
        """The hash of the files and of everything they import from the project (and of
        the text alone of the ``shallow`` files)."""
        key = (frozenset(pathlib.Path(f).resolve() for f in files),
               frozenset(pathlib.Path(f).resolve() for f in shallow))
        if key not in self._digests:
            every = self.closure(key[0]) | key[1]
            self._digests[key] = _h(sorted((self.rel(f), self.sha(f)) for f in every))
        return self._digests[key]

    def still_same(self, files) -> bool:
        """Are the files (hashed earlier in this process) byte-identical now?"""
        for f in files:
            f = pathlib.Path(f).resolve()
            if f in self._sha:
                try:
                    now = hashlib.sha256(f.read_bytes()).hexdigest()
                except OSError:
                    now = None
                if now != self._sha[f]:
                    return False
        return True


def conftests_of(path: pathlib.Path, root: pathlib.Path) -> list[pathlib.Path]:
    """The conftest.py files that apply to a test module, and the ``__init__.py`` of the
    packages it is imported in."""
    out = []
    d = path.resolve().parent
    while (d / "__init__.py").is_file() and d != d.parent:
        out.append(d / "__init__.py")
        d = d.parent
    d = path.resolve().parent
    root = root.resolve()
    while True:
        c = d / "conftest.py"
        if c.is_file():
            out.append(c)
        if d == root or root not in d.parents:
            break
        d = d.parent
    return out


# -- the store ------------------------------------------------------------------------------
class Store:
    def __init__(self, directory: pathlib.Path) -> None:
        self.dir = directory / f"v{FORMAT}"

    def _path(self, kind: str, key: str) -> pathlib.Path:
        return self.dir / kind / key[:2] / key

    def _write(self, path: pathlib.Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def get(self, kind: str, key: str) -> dict | None:
        try:
            return json.loads(self._path(kind, key).read_bytes())
        except (OSError, ValueError):
            return None

    def put(self, kind: str, key: str, value: dict) -> None:
        self._write(self._path(kind, key), json.dumps(value, default=list).encode())

    def put_blob(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        p = self._path("blobs", key)
        if not p.is_file():
            self._write(p, data)
        return key

    def blob(self, key: str) -> bytes | None:
        try:
            return self._path("blobs", key).read_bytes()
        except OSError:
            return None

    def read_json(self, name: str) -> dict:
        try:
            return json.loads((self.dir / name).read_bytes())
        except (OSError, ValueError):
            return {}

    def merge_json(self, name: str, new: dict) -> None:
        if not new:
            return
        data = self.read_json(name)
        data.update(new)
        self._write(self.dir / name, json.dumps(data).encode())


# -- the implementation under test ----------------------------------------------------------
class ImplState:
    """The implementation under test, for keys: where each protocol name is defined."""

    ALL = "<all>"      # read through impl.module: the whole implementation
    MISSING = "<missing>"
    OPAQUE = "<opaque>"  # an object with no defining project module

    def __init__(self, config, project: Project) -> None:
        from .impl import load_module, module_name_of
        from .plugin import impl_spec, settings_of

        cfg = settings_of(config)
        self.project = project
        self.aliases = cfg.impl_aliases if cfg else {}
        self.spec = impl_spec(config)
        self.name = module_name_of(self.spec, self.aliases) if self.spec else None
        self.error = None
        self.module = self.reference = None
        self.files: set[pathlib.Path] = set()
        self.ref_files: set[pathlib.Path] = set()
        if not self.spec:
            self.error = "no implementation configured"
            return
        try:
            self.module = sys.modules.get(self.name) or load_module(self.spec, self.aliases)
            ref = cfg.impl if cfg else None
            if ref:
                rname = module_name_of(ref, self.aliases)
                self.reference = sys.modules.get(rname) or load_module(ref, self.aliases)
        except BaseException as exc:  # noqa: BLE001 - a broken impl: nothing is replayed
            self.error = f"{type(exc).__name__}: {exc}"
            return
        self.files = self._own_files(self.module)
        self.ref_files = self._own_files(self.reference) if self.reference else set()
        for f in self.all_files():  # hashed now: an edit during the run stores nothing
            project.sha(f)

    @property
    def key(self) -> str | None:
        """The implementation as named (an alias resolved; a path resolved)."""
        from .impl import is_path, resolve

        s = resolve(self.spec, self.aliases) if self.spec else None
        return str(pathlib.Path(s).resolve()) if s and is_path(s) else s

    def _own_files(self, module) -> set[pathlib.Path]:
        f = getattr(module, "__file__", None)
        return {pathlib.Path(f).resolve()} if f else set()

    def all_files(self) -> set[pathlib.Path]:
        out = set(self.files) | set(self.ref_files)
        for f in self.files:
            if f.name == "__init__.py":
                out |= self.project.package_files(f)
        return out

    def owner(self, name: str) -> str:
        if name == self.ALL:
            return self.ALL
        obj = getattr(self.module, name, self)
        if obj is self:
            return self.MISSING
        mod = getattr(obj, "__module__", None)
        if isinstance(mod, str):
            m = sys.modules.get(mod)
            f = getattr(m, "__file__", None)
            if f and (self.project._under(pathlib.Path(f).resolve())
                      or pathlib.Path(f).resolve() in self.files):
                return mod
        return self.OPAQUE

    def files_for(self, owners) -> tuple[list[pathlib.Path], list[pathlib.Path]]:
        """(followed, text only): the modules defining the names read, with what they
        import; the implementation's and the reference's own file as text (a package's
        ``__init__`` that imports every submodule would otherwise make every check depend
        on every file)."""
        full: set[pathlib.Path] = set()
        for o in owners:
            if o in (self.ALL, self.OPAQUE):
                full |= self.all_files()
            elif o != self.MISSING:
                f = getattr(sys.modules.get(o), "__file__", None)
                full.add(pathlib.Path(f).resolve()) if f else full.update(self.all_files())
        return sorted(full), sorted((set(self.files) | set(self.ref_files)) - full)

    def part(self, names) -> dict:
        owners = {n: self.owner(n) for n in sorted(names)}
        full, shallow = self.files_for(set(owners.values()))
        return {"spec": self.key, "names": owners,
                "digest": self.project.digest(full, shallow),
                "files": [str(f) for f in self.project.closure(full) | set(shallow)]}

    def verify(self, part: dict) -> bool:
        if self.error or part.get("spec") != self.key:
            return False
        owners = part.get("names") or {}
        if any(self.owner(n) != o for n, o in owners.items()):
            return False
        full, shallow = self.files_for(set(owners.values()))
        return self.project.digest(full, shallow) == part.get("digest")


# -- replayed items (a module whose every check is cached is not imported) ----------------
class CachedModule(pytest.File):
    """A check module whose every check has a replayable result: its items come from the
    manifest written when it was last collected, and it is never imported."""

    def __init__(self, *, manifest: dict | None = None, **kw) -> None:
        super().__init__(**kw)
        self.manifest = manifest or {}

    def collect(self):
        for entry in self.manifest.get("items", []):
            yield CachedItem.from_parent(self, name=entry["name"], entry=entry)


class CachedItem(pytest.Item):
    def __init__(self, *, entry: dict | None = None, **kw) -> None:
        super().__init__(**kw)
        entry = entry or {}
        self.entry = entry
        self.fixturenames = list(entry.get("fixturenames", []))
        for m in entry.get("marks", []):
            mark = getattr(pytest.mark, m["name"])
            self.add_marker(mark(*m.get("args", []), **m.get("kwargs", {}))
                            if m.get("args") or m.get("kwargs") else mark)

    @property
    def location(self):
        loc = self.entry.get("location") or [self.path.name, None, self.name]
        return (loc[0], loc[1], loc[2])

    def reportinfo(self):
        return self.path, self.location[1], self.location[2]

    def runtest(self) -> None:  # pragma: no cover - replayed by the cache, never run
        raise RuntimeError(f"{self.nodeid}: a cached item cannot run; use --fresh")


# -- the plugin -------------------------------------------------------------------------------
class ResultCache:
    def __init__(self, config, cfg, *, read: bool, write: bool, directory: pathlib.Path,
                 why: str = "", global_key: str | None = None, order: dict | None = None):
        self.config = config
        self.cfg = cfg
        self.read = read
        self.write = write
        self.why = why
        self.directory = directory
        self.store = Store(directory)
        self.root = pathlib.Path(str(config.rootpath)).resolve()
        self.project = Project(self.root, self.store.read_json("imports.json"))
        self._global = global_key
        self._impl: ImplState | None = None
        self.module_keys: dict[pathlib.Path, str] = {}
        self.module_files: dict[pathlib.Path, frozenset] = {}
        self.records: dict[str, dict | None] = {}
        self.manifests: dict[str, dict] = {}
        self.item_keys: dict[str, str] = {}
        self.replayed: set[str] = set()
        self.pending: dict[str, dict] = {}  # nodeid -> reports of a check that ran
        self.passed: dict[str, dict] = {}  # nodeid -> record to store at the end
        self.names: dict[tuple, set[str]] = {}  # ("item", nodeid) / ("module", m) / ("global",)
        self.context: tuple | None = None
        self.order = order or {}
        self.modules: frozenset[str] | None = None
        self.durations: dict[str, float] = {}
        self.started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        self.restricted = any("::" in str(a) for a in config.args)
        self.unreplayable: set[str] = set()
        self.controller = False  # set when this process distributes to xdist workers
        self.tainted = False  # a session has run nested in this one, in this process

    # -- keys -----------------------------------------------------------------------
    @property
    def global_key(self) -> str:
        if self._global is None:
            parts = global_parts(self.config, self.cfg, self.project)
            self._global = _h(parts)
            if self.write and self.store.get("globals", self._global) is None:
                # kept to explain a miss: `python -m claimledger.cache diff` compares the
                # two most recent
                self.store.put("globals", self._global, {**parts, "first_seen": self.started})
        return self._global

    @property
    def impl(self) -> ImplState:
        if self._impl is None:
            self._impl = ImplState(self.config, self.project)
        return self._impl

    def module_key(self, path: pathlib.Path) -> str:
        path = pathlib.Path(path).resolve()
        if path not in self.module_keys:
            known = len(self.project.extra)
            self.project.add_test_module(path)
            if len(self.project.extra) > known and (self.read or self.write):
                drop_racy_pycs(self.project.extra[known:])  # a new import base (see there)
            files = [path] + conftests_of(path, self.root)
            self.module_files[path] = self.project.closure(files)
            self.module_keys[path] = _h("module", self.global_key, self.project.rel(path),
                                        self.project.digest(files))
        return self.module_keys[path]

    @property
    def impl_key(self) -> str | None:
        """The implementation under test as named (an alias resolved; a path resolved)."""
        if not hasattr(self, "_impl_key"):
            from .impl import is_path, resolve
            from .plugin import impl_spec

            spec = impl_spec(self.config)
            s = resolve(spec, self.cfg.impl_aliases) if spec else None
            self._impl_key = str(pathlib.Path(s).resolve()) if s and is_path(s) else s
        return self._impl_key

    def item_key(self, module_key: str, nodeid: str, fixturenames) -> str:
        uses_impl = "impl" in (fixturenames or ())
        return _h("item", module_key, nodeid, self.impl_key if uses_impl else None)

    def record_for(self, key: str, nodeid: str) -> dict | None:
        """A stored passing result for ``key`` that is still valid, else None."""
        if key not in self.records:
            rec = self.store.get("records", key) if self.read else None
            if rec is not None and (rec.get("format") != FORMAT or rec.get("nodeid") != nodeid
                                    or rec.get("outcome") not in ("passed", "skipped")
                                    or (rec.get("impl") and not self.impl.verify(rec["impl"]))):
                rec = None
            self.records[key] = rec
        return self.records[key]

    def replayable_module(self, path: pathlib.Path) -> dict | None:
        """The manifest of a module whose every check can be replayed, else None."""
        mkey = self.module_key(path)
        man = self.store.get("manifests", mkey)
        if not man or not man.get("items"):
            return None
        for e in man["items"]:
            key = self.item_key(mkey, e["nodeid"], e.get("fixturenames"))
            if not self.cacheable(e["nodeid"], {m["name"] for m in e.get("marks", [])}) or \
                    self.record_for(key, e["nodeid"]) is None:
                return None
        return man

    def cacheable(self, nodeid: str, marks) -> bool:
        """Checks, and the self-tests inside check modules, are; the tooling's own tests
        (``@pytest.mark.harness`` outside the packages' check modules: they run nested
        sessions, spawn processes, read files outside any key) are not."""
        return "harness" not in marks or nodeid.split("::", 1)[0] in self.check_modules()

    # -- collection -----------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_pycollect_makemodule(self, module_path, parent):
        if self.config.getoption("collectonly") or not (self.read or self.write):
            return None
        # the module's key is computed now, before pytest imports the module: an edit
        # after this point is caught when the result is stored (Project.still_same)
        self.module_key(pathlib.Path(module_path))
        if not self.read:
            return None
        man = self.replayable_module(module_path)
        if man is None:
            return None
        return CachedModule.from_parent(parent, path=pathlib.Path(module_path), manifest=man)

    def pytest_itemcollected(self, item):
        if isinstance(item, CachedItem):
            return
        module = pathlib.Path(str(item.path)).resolve()
        rel = item.nodeid.split("::", 1)[0]
        man = self.manifests.setdefault(str(module), {"module": rel, "items": []})
        marks = []
        for m in item.iter_markers():
            entry = {"name": m.name}
            if m.name != "parametrize":  # its arguments matter only at collection
                entry["args"], entry["kwargs"] = list(m.args), dict(m.kwargs)
                try:
                    if json.loads(json.dumps(entry)) != entry:
                        raise TypeError
                except (TypeError, ValueError):
                    self.unreplayable.add(str(module))  # a mark we cannot rebuild
            if entry not in marks:
                marks.append(entry)
        loc = item.location
        man["items"].append({
            "name": item.nodeid[len(rel) + 2:], "nodeid": item.nodeid, "marks": marks,
            "location": [loc[0], loc[1], loc[2]],
            "fixturenames": sorted(getattr(item, "fixturenames", ()))})

    def pytest_collectreport(self, report):
        if not report.passed and report.nodeid:
            path = str((self.root / report.nodeid.split("::", 1)[0]).resolve())
            self.manifests.pop(path, None)
            self.manifests[path] = {"broken": True}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session, config, items):
        if hasattr(config, "workerinput") and self.modules is not None:
            from .schedule import order_items  # by check module, longest first

            order_items(items, self.order, self.modules)

    def pytest_collection_finish(self, session):
        if not self.write or self.config.getoption("collectonly"):
            return
        if not self.controller_only() and any(
                "impl" in getattr(it, "fixturenames", ()) for it in session.items):
            self.impl  # the implementation's files hashed before any check imports it
        if self.restricted:
            return
        for path, man in self.manifests.items():
            if man.get("broken") or not man.get("items") or path in self.unreplayable:
                continue
            self.store.put("manifests", self.module_key(pathlib.Path(path)), man)

    # -- running ----------------------------------------------------------------------
    def _key_of(self, item) -> str | None:
        if not self.cacheable(item.nodeid, {m.name for m in item.iter_markers()}):
            return None
        if item.nodeid not in self.item_keys:
            mkey = self.module_key(pathlib.Path(str(item.path)))
            self.item_keys[item.nodeid] = self.item_key(
                mkey, item.nodeid, getattr(item, "fixturenames", ()))
        return self.item_keys[item.nodeid]

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        if not self.read or getattr(item, "_link_error", None) or \
                self.config.getoption("setuponly", False) or \
                self.config.getoption("setupplan", False):
            if isinstance(item, CachedItem):  # cannot happen: planned only when replaying
                raise pytest.UsageError(f"{item.nodeid}: cached item in a run that cannot "
                                        "replay it")
            if self.write:
                self._tag_ran(item, self._key_of(item))
            return None
        key = self._key_of(item)
        rec = self.record_for(key, item.nodeid) if key else None
        if rec is None:
            if isinstance(item, CachedItem):
                raise pytest.UsageError(f"{item.nodeid}: its cached result vanished")
            self._tag_ran(item, key)
            return None
        self._replay(item, key, rec, nextitem)
        return True

    def _tag_ran(self, item, key: str | None) -> None:
        """Mark a check that runs now (its reports carry it to the ledger and the store)."""
        if key is not None and not any(p[0] == "cache" for p in item.user_properties):
            item.user_properties.append(
                ("cache", {"status": "ran", "key": key[:16], "date": self.started}))

    def _replay(self, item, key: str, rec: dict, nextitem) -> None:
        out = self._report_dir()
        for path, blob in (rec.get("files") or {}).items():
            data = self.store.blob(blob)
            if data is not None and out is not None:
                dest = out / path
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
        info = {"status": "cached", "key": key[:16], "date": rec.get("date"),
                "ran_s": rec.get("duration_s")}
        ihook = item.ihook
        ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
        for data in rec["reports"]:
            rep = self.config.hook.pytest_report_from_serializable(config=self.config,
                                                                   data=data)
            rep.duration = 0.0
            if isinstance(rep.longrepr, list) and len(rep.longrepr) == 3:
                rep.longrepr = tuple(rep.longrepr)  # a skip's (path, line, reason)
            rep.user_properties = [tuple(p) for p in rep.user_properties
                                   if p[0] != "cache"] + [("cache", info)]
            ihook.pytest_runtest_logreport(report=rep)
        ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
        self.replayed.add(item.nodeid)
        # what runtestprotocol's teardown does: leave set up only what the next item shares
        item.session._setupstate.teardown_exact(nextitem)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        self.context = ("item", item.nodeid)

    def pytest_runtest_teardown(self, item):
        self.context = ("item", item.nodeid)

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logfinish(self, nodeid, location):
        self.context = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        saved = self.context
        if fixturedef.scope in ("session", "package"):
            self.context = ("global",)
        elif fixturedef.scope in ("module", "class"):
            self.context = ("module", request.node.nodeid.split("::", 1)[0])
        try:
            yield
        finally:
            self.context = saved

    def accessed(self, name: str) -> None:
        """Called by :mod:`claimledger.impl` with each protocol name a check reads."""
        ctx = self.context or ("global",)
        self.names.setdefault(ctx, set()).add(name)

    def pytest_runtest_logreport(self, report):
        if _cache_status(report) != "cached":  # set-up + call + teardown, for planning
            self.durations[report.nodeid] = round(
                self.durations.get(report.nodeid, 0.0) + report.duration, 4)
        if self.controller_only() or not self.write:
            return
        if _cache_status(report) == "cached":
            return
        if _cache_status(report) is None:
            return  # harness tests, or not seen at setup
        rec = self.pending.setdefault(report.nodeid, {"reports": [], "outcomes": []})
        rec["outcomes"].append("xfail" if hasattr(report, "wasxfail") else report.outcome)
        from . import seeds

        if seeds.root_seed() != self.config.getoption("root_seed") or self.tainted:
            # a session nested in this process (a harness test) has run: it sets the root
            # seed, hypothesis' profile and (--no-shrink) the settings of the very test
            # functions this session runs, so what runs after it may not run as this run's
            # key says; it is reported as usual, not stored
            rec["foreign"] = True
        rec["reports"].append(self.config.hook.pytest_report_to_serializable(
            config=self.config, report=report))
        if report.when == "teardown":
            self.pending.pop(report.nodeid)
            phases = list(zip([r.get("when") for r in rec["reports"]], rec["outcomes"]))
            if rec.get("foreign"):
                return
            if phases == [("setup", "passed"), ("call", "passed"), ("teardown", "passed")]:
                self._keep(report, rec["reports"], "passed")
            elif phases in ([("setup", "skipped"), ("teardown", "passed")],
                            [("setup", "passed"), ("call", "skipped"),
                             ("teardown", "passed")]):
                self._keep(report, rec["reports"], "skipped")

    def controller_only(self) -> bool:
        return self.controller

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        # under xdist this process only plans and prints; the workers replay and store
        self.controller = self.config.pluginmanager.has_plugin("dsession")
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None and getattr(self, "planned", None):
            tr.write_line(self.planned)

    def _report_dir(self) -> pathlib.Path | None:
        ledger = self.config.pluginmanager.get_plugin("claim-ledger")
        try:
            return ledger.output_dir() if ledger else None
        except Exception:  # noqa: BLE001
            return None

    def _keep(self, report, reports: list, outcome: str) -> None:
        props = dict((p[0], p[1]) for p in report.user_properties)
        files = {}
        out = self._report_dir()
        for fig in props.get("figures") or []:
            path = fig.partition("|")[0]
            try:
                files[path] = self.store.put_blob((out / path).read_bytes())
            except (OSError, TypeError):
                return  # a figure we cannot replay: do not cache the check
        call = next((r for r in reports if r.get("when") == "call"), {})
        try:
            json.dumps(reports)
        except (TypeError, ValueError):
            return  # a report we cannot store faithfully
        self.passed[report.nodeid] = {
            "format": FORMAT, "nodeid": report.nodeid, "outcome": outcome,
            "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "duration_s": round(float(call.get("duration") or 0.0), 4),
            "reports": reports, "files": files,
            "module": report.nodeid.split("::", 1)[0]}

    def pytest_sessionfinish(self, session):
        try:
            self._finish(session)
        finally:
            _uninstall(self)
        self.top_level = not _SESSIONS

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config):
        if getattr(self, "top_level", False):
            # pytest then runs gc.collect() five times to report exceptions raised in the
            # __del__ of objects still alive (unraisableexception.cleanup): over the heap
            # of a verification session (sympy's caches, the claims) that took ~1.3 s of
            # CPU per process, after the last check. The process is about to exit:
            # moving what is alive out of the collector's reach skips that walk (what the
            # session's own collections found during the run was reported as usual).
            import gc

            gc.freeze()

    def _finish(self, session) -> None:
        if self.project.parsed_new:
            self.store.merge_json("imports.json", self.project.parsed)
        if not hasattr(self.config, "workerinput"):
            self.store.merge_json("durations.json", self.durations)
        if not self.write or not self.passed:
            return
        items = {it.nodeid: it for it in session.items}
        stale = False
        for nodeid, rec in self.passed.items():
            item = items.get(nodeid)
            key = self.item_keys.get(nodeid)
            if item is None or key is None:
                continue
            module = pathlib.Path(str(item.path)).resolve()
            if not self.project.still_same(self.module_files.get(module, ())):
                stale = True
                continue
            names = set(self.names.get(("item", nodeid), set()))
            names |= self.names.get(("module", rec["module"]), set())
            names |= self.names.get(("global",), set())
            if names or "impl" in getattr(item, "fixturenames", ()):
                if self.impl.error:
                    continue
                rec["impl"] = self.impl.part(names)
                if not self.project.still_same(rec["impl"]["files"]):
                    stale = True
                    continue
            rec["key"] = key
            self.store.put("records", key, rec)
        if stale:
            tr = self.config.pluginmanager.get_plugin("terminalreporter")
            if tr is not None:
                tr.write_line("claimledger cache: files changed during the run; the results "
                              "of the checks depending on them were not stored")

    # -- reporting ----------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report, config):
        if report.when == "call" and report.passed and _cache_status(report) == "cached":
            return "cached", "c", ("CACHED", {"green": True})
        return None

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node):
        node.workerinput["claimledger_cache"] = {
            "read": self.read, "write": self.write, "dir": str(self.directory),
            "global": self.global_key, "order": self.order, "why": self.why,
            "modules": sorted(self.check_modules())}

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_make_scheduler(self, config, log):
        if config.getvalue("dist") != "load":
            return None
        from .schedule import make_scheduler

        return make_scheduler(config, log, self.check_modules())

    def check_modules(self) -> frozenset[str]:
        """The claims packages' check modules, as node ids (the scheduling units)."""
        if self.modules is None:
            mods = set()
            for pkg in (self.cfg.packages if self.cfg else ()):
                for m in pkg.check_modules():
                    try:
                        mods.add(m.resolve().relative_to(self.root).as_posix())
                    except ValueError:
                        continue
            self.modules = frozenset(mods)
        return self.modules

    def pytest_report_header(self, config):
        if self.read:
            return f"claimledger cache: {self.directory} (replays unchanged passing checks; " \
                   "--fresh re-derives)"
        return f"claimledger cache: {self.why or 'off'}"


def _cache_status(report) -> str | None:
    for p in report.user_properties or ():
        if p[0] == "cache" and isinstance(p[1], dict):
            return p[1].get("status")
    return None


def global_parts(config, cfg, project: Project) -> dict:
    """Everything outside the check's own module that its result can depend on."""
    import importlib.metadata as md

    if "dists" not in _PROCESS:
        _PROCESS["dists"] = sorted({(d.metadata["Name"] or "").lower(): d.version
                                    for d in md.distributions()}.items())
        _PROCESS["cpu"] = _cpu()
    dists = _PROCESS["dists"]
    opts = {}
    for dest in KEY_OPTIONS:
        try:
            opts[dest] = config.getoption(dest)
        except ValueError:
            continue
    # how checks are distributed or reported does not change what they compute
    opts["plugins"] = [p for p in opts.get("plugins") or [] if p not in HARMLESS_PLUGINS]
    if opts.get("hypothesis_profile") is None:
        opts["hypothesis_profile"] = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    settings = cache_settings(cfg)
    env = {k: v for k, v in sorted(os.environ.items())
           if any(fnmatch.fnmatchcase(k, p) for p in settings["env"])
           and not k.startswith("CLAIMLEDGER_CACHE")}
    files = set()
    if config.inipath:
        files.add(pathlib.Path(str(config.inipath)).resolve())
    if cfg is not None and cfg.path:
        files.add(pathlib.Path(cfg.path).resolve())
    for pkg in (cfg.packages if cfg else ()):
        if pkg.source:
            p = pkg.source.path(pkg.root, config.getoption("source_text"))
            if p is not None:
                files.add(pathlib.Path(p).resolve())
    root = project.root
    for pattern in settings["inputs"]:
        files |= {p.resolve() for p in root.glob(pattern) if p.is_file()}
    import site

    # what is importable besides the distributions (a skip such as "torch not installed"
    # depends on it): the .pth files of site-packages (and $PYTHONPATH, in env)
    pth = []
    for d in list(site.getsitepackages()) + [site.getusersitepackages()]:
        for f in sorted(pathlib.Path(d).glob("*.pth")) if os.path.isdir(d) else []:
            pth.append((f.name, project.sha(f)))
    plugin = pathlib.Path(__file__).with_name("plugin.py").resolve()
    code = project.digest([plugin])
    return {
        "format": FORMAT, "python": sys.version, "implementation": sys.implementation.name,
        "flags": repr(sys.flags), "platform": platform.platform(),
        "machine": platform.machine(), "cpu": _PROCESS["cpu"], "dists": dists,
        "options": opts,
        "env": env, "plugin": code, "pth": sorted(pth),
        "files": sorted((project.rel(f), project.sha(f)) for f in files),
    }


def _cpu() -> str:
    """Model and instruction-set flags (numpy and the BLAS dispatch on them)."""
    try:
        text = pathlib.Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor()
    keep = {}
    for line in text.splitlines():
        k, _, v = line.partition(":")
        k = k.strip()
        if k in ("model name", "flags", "Features", "CPU implementer", "CPU part") \
                and k not in keep:
            keep[k] = " ".join(sorted(v.split())) if k in ("flags", "Features") else v.strip()
    return json.dumps(keep, sort_keys=True)


def cache_settings(cfg) -> dict:
    """``[tool.claimledger.cache]``: dir, env, fresh-env, inputs, serial-below."""
    table = dict(getattr(cfg, "cache", None) or {})
    return {"dir": table.get("dir"), "env": tuple(table.get("env", DEFAULT_ENV)),
            "fresh_env": tuple(table.get("fresh-env", DEFAULT_FRESH_ENV)),
            "inputs": tuple(table.get("inputs", ())),
            "serial_below": float(table.get("serial-below", SERIAL_BELOW_S))}


def _directory(config, cfg, settings) -> tuple[pathlib.Path, bool]:
    given = config.getoption("cache_dir")
    if given:
        return pathlib.Path(given).resolve(), True
    env = os.environ.get("CLAIMLEDGER_CACHE_DIR")
    if env:
        return pathlib.Path(env).resolve(), False
    base = pathlib.Path(cfg.path).parent if cfg is not None and cfg.path else \
        pathlib.Path(str(config.rootpath))
    return (base / (settings["dir"] or ".claimledger-cache")).resolve(), False


def install(config, cfg) -> ResultCache | None:
    """Register the cache for this session (called from the plugin's pytest_configure)."""
    winput = getattr(config, "workerinput", None)
    if winput is not None:
        spec = winput.get("claimledger_cache")
        if not spec or not (spec["read"] or spec["write"]):
            return None
        plugin = ResultCache(config, cfg, read=spec["read"], write=spec["write"],
                             directory=pathlib.Path(spec["dir"]), why=spec.get("why", ""),
                             global_key=spec["global"], order=spec.get("order"))
        plugin.modules = frozenset(spec.get("modules") or ())
        return _register(config, plugin)
    settings = cache_settings(cfg)
    directory, explicit = _directory(config, cfg, settings)
    nested = bool(_SESSIONS) or bool(os.environ.get(ENV_SESSION))
    for outer in _SESSIONS:  # see ResultCache.pytest_runtest_logreport
        outer.tainted = True
    fresh_env = [v for v in settings["fresh_env"] if os.environ.get(v)]
    if config.getoption("no_cache"):
        read = write = False
        why = "off (--no-cache)"
    elif fresh_env:
        read = write = False
        why = f"off ({', '.join(fresh_env)} set: a replayed check would not reproduce its " \
              "side effects)"
    elif nested and not explicit:
        read = write = False
        why = "off (a session nested in another; pass --cache-dir to use one)"
    else:
        write = True
        read = not config.getoption("fresh")
        why = "" if read else "fresh: every check re-derived (--fresh or $CI)"
    plugin = ResultCache(config, cfg, read=read, write=write, directory=directory, why=why)
    if read or write:
        plugin.order = plugin.store.read_json("durations.json")
        plugin.global_key  # now, as every process of the session sees it (sys.path grows later)
    if read:
        _plan(config, plugin, settings)
    return _register(config, plugin)


def drop_racy_pycs(roots) -> int:
    """Delete the bytecode files that may be stale although Python would trust them.

    Python (and pytest, for the test modules it rewrites) trusts a ``.pyc`` whose recorded
    source mtime - in whole seconds - and size match the source. A pyc written in the same
    second as the source was last modified cannot tell a later edit in that second that
    keeps the size ("return 1" -> "return 3"): the old code would run while the key hashes
    the new text, and a result derived from one would be stored under the other. As git
    does with its racily clean index entries, such pycs are deleted (Python rewrites them);
    a pyc written in a later second than its source is safe. Returns how many were."""
    n = 0
    for root in roots:
        for d, dirs, _files in os.walk(root):
            dirs[:] = [x for x in dirs if x == "__pycache__" or
                       (x not in _SKIP_DIRS and not x.startswith("."))]
            if os.path.basename(d) != "__pycache__":
                continue
            for name in os.listdir(d):
                if not name.endswith(".pyc"):
                    continue
                pyc = os.path.join(d, name)
                source = os.path.join(os.path.dirname(d), name.split(".", 1)[0] + ".py")
                try:
                    if int(os.stat(pyc).st_mtime) <= int(os.stat(source).st_mtime):
                        os.unlink(pyc)
                        n += 1
                except OSError:
                    continue
    return n


def _register(config, plugin: ResultCache) -> ResultCache:
    config.pluginmanager.register(plugin, "claim-cache")
    _SESSIONS.append(plugin)
    plugin._env_before = os.environ.get(ENV_SESSION)
    if not hasattr(config, "workerinput"):
        os.environ[ENV_SESSION] = str(os.getpid())
    if plugin.read or plugin.write:
        from . import impl

        impl.ACCESS_HOOKS.append(plugin.accessed)
        if not hasattr(config, "workerinput"):  # before the checks' modules are imported
            drop_racy_pycs([plugin.root])
    config.add_cleanup(lambda: _uninstall(plugin))
    return plugin


def _uninstall(plugin: ResultCache) -> None:
    if plugin in _SESSIONS:
        _SESSIONS.remove(plugin)
        if not hasattr(plugin.config, "workerinput"):
            if plugin._env_before is None:
                os.environ.pop(ENV_SESSION, None)
            else:
                os.environ[ENV_SESSION] = plugin._env_before
        from . import impl

        if plugin.accessed in impl.ACCESS_HOOKS:
            impl.ACCESS_HOOKS.remove(plugin.accessed)


def _test_files(config) -> list[pathlib.Path] | None:
    """The test files this run's arguments name (None when that cannot be told
    statically, e.g. a node id argument)."""
    patterns = config.getini("python_files")
    ignore = [pathlib.Path(p).resolve() for p in (config.getoption("ignore") or [])]
    ignore_glob = list(config.getoption("ignore_glob") or [])
    norecurse = config.getini("norecursedirs")
    out = []
    for a in config.args:
        if "::" in str(a):
            return None
        p = pathlib.Path(str(a))
        p = (p if p.is_absolute() else pathlib.Path(str(config.invocation_params.dir)) / p)
        p = p.resolve()
        cands = [p] if p.is_file() else sorted(p.rglob("*.py")) if p.is_dir() else []
        for f in cands:
            rel_parts = f.relative_to(p).parts[:-1] if p.is_dir() else ()
            if any(part.startswith(".") or part in _SKIP_DIRS or
                   any(fnmatch.fnmatch(part, n) for n in norecurse) for part in rel_parts):
                continue
            if not any(fnmatch.fnmatch(f.name, pat) for pat in patterns):
                continue
            if any(f == i or i in f.parents for i in ignore) or \
                    any(fnmatch.fnmatch(str(f), g) for g in ignore_glob):
                continue
            out.append(f)
    return out


def _plan(config, plugin: ResultCache, settings) -> None:
    """With xdist requested: stay in this process when what is left to run is short."""
    if getattr(config.option, "dist", "no") == "no" or not getattr(config.option, "tx", None):
        return
    if config.getoption("collectonly"):
        return
    files = _test_files(config)
    if files is None:
        return
    t0 = time.perf_counter()
    left = 0.0
    n_left = n_cached = 0
    for f in files:
        man = plugin.replayable_module(f)
        if man is not None:
            n_cached += len(man["items"])
            continue
        man = plugin.store.get("manifests", plugin.module_key(f))
        if not man:
            left += settings["serial_below"]  # never collected under this key: unknown
            continue
        mkey = plugin.module_key(f)
        for e in man["items"]:
            key = plugin.item_key(mkey, e["nodeid"], e.get("fixturenames"))
            if plugin.record_for(key, e["nodeid"]) is None:
                left += float(plugin.order.get(e["nodeid"], 1.0))
                n_left += 1
            else:
                n_cached += 1
    if left < settings["serial_below"]:
        config.option.dist = "no"
        config.option.tx = []
        config.option.numprocesses = 0
        plugin.planned = (f"claimledger cache: {n_cached} checks to replay, about {left:.1f} s "
                          f"of checks to run: one process instead of xdist workers "
                          f"(planned in {time.perf_counter() - t0:.2f} s)")


# -- the ledger's view ----------------------------------------------------------------------
def ledger_counts(records) -> dict:
    """{"ran": n, "cached": m} over check records (one per node id)."""
    seen: dict[str, str] = {}
    for r in records:
        status = (getattr(r, "cache", None) or {}).get("status", "ran")
        seen[r.nodeid] = status if seen.get(r.nodeid, status) == status else "ran"
    out = {"ran": 0, "cached": 0}
    for s in seen.values():
        out["cached" if s == "cached" else "ran"] += 1
    return out


def summary_line(data: dict) -> str | None:
    counts = data.get("cache_counts")
    if not counts:
        return None
    return (f"checks: {counts.get('ran', 0)} ran now, {counts.get('cached', 0)} replayed "
            "from the cache (inputs unchanged; --fresh re-derives them)")


def diff_globals(directory: pathlib.Path) -> list[str]:
    """What differs between the two most recent sets of global inputs in a cache: why
    a run re-derived every check."""
    gdir = Store(directory).dir / "globals"
    files = sorted((f for f in gdir.rglob("*") if f.is_file() and not f.name.startswith(".")),
                   key=lambda f: f.stat().st_mtime) if gdir.is_dir() else []
    if len(files) < 2:
        return [f"{len(files)} set(s) of global inputs recorded: nothing to compare"]
    a, b = (json.loads(f.read_text()) for f in files[-2:])
    out = [f"global inputs first seen {a.get('first_seen')} -> {b.get('first_seen')}:"]
    for k in sorted(set(a) | set(b)):
        if k == "first_seen" or a.get(k) == b.get(k):
            continue
        va, vb = a.get(k), b.get(k)
        if isinstance(va, dict) and isinstance(vb, dict):
            for kk in sorted(set(va) | set(vb)):
                if va.get(kk) != vb.get(kk):
                    out.append(f"  {k}.{kk}: {va.get(kk)!r} -> {vb.get(kk)!r}")
        elif isinstance(va, list) and isinstance(vb, list):
            sa, sb = {json.dumps(x) for x in va}, {json.dumps(x) for x in vb}
            out += [f"  {k}: - {x}" for x in sorted(sa - sb)]
            out += [f"  {k}: + {x}" for x in sorted(sb - sa)]
        else:
            out.append(f"  {k}: {va!r} -> {vb!r}")
    return out


def prune(directory: pathlib.Path, days: float) -> int:
    """Delete the entries written more than ``days`` ago (a later run re-derives whatever
    it needs again); returns how many files were removed."""
    limit = time.time() - days * 86400
    n = 0
    for f in Store(directory).dir.rglob("*"):
        if f.is_file() and f.stat().st_mtime < limit:
            f.unlink()
            n += 1
    return n


def main(argv: list[str]) -> int:
    """``python -m claimledger.cache [size|diff|prune DAYS] [DIR]``: the cache's size, what
    changed between the two most recent sets of global inputs, or drop old entries."""
    args = argv[1:]
    cmd = args.pop(0) if args and args[0] in ("size", "diff", "prune") else "size"
    days = float(args.pop(0)) if cmd == "prune" and args else 30.0
    d = pathlib.Path(args[0]) if args else pathlib.Path(".claimledger-cache")
    if cmd == "diff":
        print("\n".join(diff_globals(d)))
        return 0
    if cmd == "prune":
        print(f"removed {prune(d, days)} files written more than {days:g} days ago")
        return 0
    store = Store(d)
    for kind in ("records", "manifests", "blobs", "globals"):
        files = list((store.dir / kind).rglob("*")) if (store.dir / kind).is_dir() else []
        files = [f for f in files if f.is_file()]
        print(f"{kind}: {len(files)} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
