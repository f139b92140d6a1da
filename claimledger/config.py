"""Where a project's claims and checks live: the ``[tool.claimledger]`` table.

The table sits in the project's ``pyproject.toml`` (the file pytest's rootdir or inifile
names; ``--claims-config PATH`` points elsewhere). Without it the plugin stays out of
the way: it registers its options and marker, and nothing else happens.

One claims package per project::

    [tool.claimledger]
    claims = ["my_claims"]          # modules (or packages) whose import registers claims
    checks = ["tests"]              # directories of check modules (test_*.py), read statically
    ignore = ["tests/harness"]      # inside those: tests of the tooling, not evidence
    impl = "my_blocks"              # default --impl: the reference implementation (optional)
    impl-aliases = {torch = "my_blocks.torch_adapter"}
    report-dir = "reports"

    [tool.claimledger.source]       # the text the claims come from (optional)
    name = "the paper"              # findings are headed "Where the paper is wrong"
    text = "docs/paper.txt"         # when given, its claims must carry paragraph=
    env = "PAPER_TEXT"              # an environment variable that overrides ``text``

    [tool.claimledger.sections]     # section titles, in reading order
    "1" = "Introduction"

    [tool.claimledger.origins]      # whose statements claims are; the first, or the one
    paper = {label = "a statement of the paper", findings = true}   # with findings = true,
    ours = {label = "our own corollary"}                           # is the source's own

Several packages in one project: ``[tool.claimledger.packages.NAME]`` tables with the
package keys (``claims``, ``checks``, ``ignore``, ``source``, ``sections``, ``origins``);
the run-wide keys (``impl``, ``impl-aliases``, ``impl-only``, ``report-dir``,
``optional``) stay at the top. ``optional`` maps a skip reason's telltale (``"torch not
installed"``) to the command that runs those checks; the summary prints one line per
optional part not run. ``impl-only`` maps an implementation (alias) to check modules that
belong to its own pass - checks of the framework itself, not of the implementation under
test: they run with the reference implementation and with that one, and a run of any
other implementation leaves them and the claims only they check out of its ledger
(``left_out``), so a third party's pass is not judged on the tooling's own framework
findings.

Paths are relative to the file that holds the table.
"""
from __future__ import annotations

import glob
import os
import pathlib
import tomllib
from dataclasses import dataclass, field

_PACKAGE_KEYS = {"name", "claims", "checks", "ignore", "source", "sections", "origins"}
_RUN_KEYS = {"impl", "impl-aliases", "impl-only", "report-dir", "optional", "packages",
             "cache"}
DEFAULT_ORIGINS = {"source": {"label": "a statement of the source", "findings": True}}


class ConfigError(ValueError):
    """The ``[tool.claimledger]`` table is malformed (the message says where and how)."""


@dataclass(frozen=True)
class Source:
    name: str = "the source"
    text: str | None = None  # a path or a glob, relative to the config file
    env: str | None = None

    def path(self, root: pathlib.Path, override: str | None = None) -> pathlib.Path | None:
        """The text's file: ``override`` (``--source-text``), the environment variable,
        then ``text`` (a glob: its first match). None when nothing is found."""
        given = override or (os.environ.get(self.env) if self.env else None)
        if given:
            return pathlib.Path(given)
        if not self.text:
            return None
        pattern = self.text if os.path.isabs(self.text) else str(root / self.text)
        matches = sorted(glob.glob(pattern))
        return pathlib.Path(matches[0]) if matches else None


@dataclass(frozen=True)
class Package:
    """A claims package: its claim modules, its checks and the text its claims come from."""

    name: str
    root: pathlib.Path
    claims: tuple[str, ...]
    checks: tuple[pathlib.Path, ...] = ()
    ignore: tuple[pathlib.Path, ...] = ()
    source: Source | None = None
    sections: dict[str, str] = field(default_factory=dict)
    origins: dict[str, dict] = field(default_factory=lambda: dict(DEFAULT_ORIGINS))

    @property
    def default_origin(self) -> str:
        return next(iter(self.origins))

    @property
    def findings_origins(self) -> tuple[str, ...]:
        """Origins whose refuted/qualified claims are findings about the source."""
        marked = tuple(o for o, spec in self.origins.items() if spec.get("findings"))
        return marked or (self.default_origin,)

    @property
    def source_name(self) -> str:
        return self.source.name if self.source else "the source"

    def origin_label(self, origin: str) -> str:
        return self.origins.get(origin, {}).get("label", origin)

    def check_modules(self) -> list[pathlib.Path]:
        """Every ``test_*.py`` under the package's check directories, minus ``ignore``."""
        out = []
        for d in self.checks:
            for path in sorted(d.rglob("test_*.py")) if d.is_dir() else []:
                p = path.resolve()
                if any(p == i or i in p.parents for i in self.ignore):
                    continue
                out.append(path)
        return out

    def section_order(self, section: str) -> int:
        """Position of the section's top-level part in the declared titles (undeclared
        sections after the declared ones)."""
        keys = list(self.sections)
        top = section.split(".")[0]
        for key in (section, top):
            if key in keys:
                return keys.index(key)
        return len(keys)


@dataclass(frozen=True)
class Config:
    path: pathlib.Path | None
    packages: tuple[Package, ...] = ()
    impl: str | None = None
    impl_aliases: dict[str, str] = field(default_factory=dict)
    report_dir: str = "reports"
    optional: dict[str, str] = field(default_factory=dict)
    # alias -> check modules that belong to that implementation's pass (and the
    # reference's): a run of any other implementation leaves them, and the claims only
    # they check, out
    impl_only: dict[str, tuple[pathlib.Path, ...]] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # [tool.claimledger.cache]: claimledger.cache

    @property
    def active(self) -> bool:
        return bool(self.packages)

    def left_out(self, spec: str | None) -> tuple[pathlib.Path, ...]:
        """The check modules a run of implementation ``spec`` leaves out: those of
        ``impl-only`` entries naming another implementation (none for the reference)."""
        from .impl import resolve

        if not self.impl_only:
            return ()
        target = resolve(spec or self.impl or "", self.impl_aliases)
        if not spec or target == resolve(self.impl or "", self.impl_aliases):
            return ()
        out = []
        for alias, paths in self.impl_only.items():
            if resolve(alias, self.impl_aliases) != target:
                out.extend(paths)
        return tuple(out)

    def package_named(self, name: str) -> Package:
        return next(p for p in self.packages if p.name == name)


def _strings(value, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a string or a list of strings, got {value!r}")
    return tuple(value)


def _table(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table, got {value!r}")
    return value


def _package(name: str, table: dict, root: pathlib.Path, where: str) -> Package:
    unknown = set(table) - _PACKAGE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; a package takes "
                          f"{sorted(_PACKAGE_KEYS)}")
    if "claims" not in table:
        raise ConfigError(f"{where} needs claims = [modules whose import registers claims]")
    source = None
    if "source" in table:
        s = _table(table["source"], f"{where}.source")
        bad = set(s) - {"name", "text", "env"}
        if bad:
            raise ConfigError(f"{where}.source: unknown key(s) {sorted(bad)}")
        source = Source(name=str(s.get("name", "the source")), text=s.get("text"),
                        env=s.get("env"))
    sections = {str(k): str(v) for k, v in _table(table.get("sections", {}),
                                                   f"{where}.sections").items()}
    origins: dict[str, dict] = {}
    for o, spec in _table(table.get("origins", DEFAULT_ORIGINS), f"{where}.origins").items():
        if isinstance(spec, str):
            spec = {"label": spec}
        spec = _table(spec, f"{where}.origins.{o}")
        bad = set(spec) - {"label", "findings"}
        if bad:
            raise ConfigError(f"{where}.origins.{o}: unknown key(s) {sorted(bad)}")
        origins[str(o)] = {"label": str(spec.get("label", o)),
                           "findings": bool(spec.get("findings", False))}
    if not origins:
        raise ConfigError(f"{where}.origins declares no origin")
    checks = tuple(root / p for p in _strings(table.get("checks", []), f"{where}.checks"))
    ignore = tuple((root / p).resolve() for p in _strings(table.get("ignore", []),
                                                         f"{where}.ignore"))
    return Package(name=str(table.get("name", name)), root=root,
                   claims=_strings(table["claims"], f"{where}.claims"), checks=checks,
                   ignore=ignore, source=source, sections=sections, origins=origins)


def parse(data: dict, path: pathlib.Path | None) -> Config:
    """The :class:`Config` of a ``[tool.claimledger]`` table (``data``) read from ``path``."""
    root = path.parent if path else pathlib.Path.cwd()
    where = "[tool.claimledger]"
    data = _table(data, where)
    if "packages" in data:
        unknown = set(data) - _RUN_KEYS
        if unknown:
            raise ConfigError(f"{where}: with packages = ..., the package keys "
                              f"{sorted(unknown)} belong inside each package's table")
        packages = tuple(_package(n, _table(t, f"{where}.packages.{n}"), root,
                                  f"{where}.packages.{n}")
                         for n, t in _table(data["packages"], f"{where}.packages").items())
    elif "claims" in data:
        pkg = {k: v for k, v in data.items() if k not in _RUN_KEYS}
        packages = (_package(str(data.get("name", root.name)), pkg, root, where),)
    else:
        raise ConfigError(f"{where} needs claims = [...] (or packages.NAME tables)")
    names = [p.name for p in packages]
    if len(set(names)) != len(names):
        raise ConfigError(f"{where}: package names repeat: {names}")
    aliases = {str(k): str(v) for k, v in _table(data.get("impl-aliases", {}),
                                                  f"{where}.impl-aliases").items()}
    optional = {str(k): str(v) for k, v in _table(data.get("optional", {}),
                                                   f"{where}.optional").items()}
    impl_only = {str(k): tuple((root / p).resolve() for p in _strings(v, f"{where}.impl-only.{k}"))
                 for k, v in _table(data.get("impl-only", {}), f"{where}.impl-only").items()}
    impl = data.get("impl")
    if impl is not None and not isinstance(impl, str):
        raise ConfigError(f"{where}.impl must be a module name or a path, got {impl!r}")
    cache = _table(data.get("cache", {}), f"{where}.cache")
    return Config(path=path, packages=packages, impl=impl, impl_aliases=aliases,
                  report_dir=str(data.get("report-dir", "reports")), optional=optional,
                  impl_only=impl_only, cache=cache)


def read(path: pathlib.Path) -> Config:
    """The configuration in ``path`` (a pyproject.toml or any TOML file with the table);
    an inactive Config when the file has no ``[tool.claimledger]`` table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from exc
    table = data.get("tool", {}).get("claimledger")
    if table is None:
        return Config(path=path)
    return parse(table, path.resolve())


def find(rootpath: pathlib.Path, inipath: pathlib.Path | None,
         explicit: str | None = None) -> Config:
    """The run's configuration: ``--claims-config`` if given, else the inifile when it is
    a TOML file, else ``rootdir/pyproject.toml``; inactive when none holds the table."""
    if explicit:
        p = pathlib.Path(explicit)
        if not p.is_file():
            raise ConfigError(f"--claims-config {explicit}: no such file")
        cfg = read(p)
        if not cfg.active:
            raise ConfigError(f"--claims-config {explicit}: no [tool.claimledger] table")
        return cfg
    candidates = []
    if inipath is not None and inipath.suffix == ".toml":
        candidates.append(inipath)
    candidates.append(rootpath / "pyproject.toml")
    for p in candidates:
        if p.is_file():
            cfg = read(p)
            if cfg.active:
                return cfg
    return Config(path=None)
