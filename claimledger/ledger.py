"""The claim ledger: a pytest plugin that turns check outcomes into verdicts.

Checks link to claims with ``@pytest.mark.claim("id", ..., kind=..., scope=...,
target=...)`` (see :mod:`claimledger.links`). For every claim of :mod:`theorems`, the
run's outcome is

* ``failed`` when any linked check failed or errored;
* ``unverified`` when a linked check was skipped, or when a check that names the claim in
  the source of ``checks/`` was deselected or its module not collected (a static index,
  so a partial run never reports a claim on part of its evidence);
* otherwise the claim's declared verdict - provided the passing checks *earn* it: a
  claim declared proved needs a whole-scope symbolic or exact check, certified a
  whole-scope interval check, supported any non-figure check; a refuted, qualified or
  imprecise claim needs a check that re-checks its counterexample. A claim declared above
  what its checks earn is reported ``failed`` and fails the run as a usage error, naming
  the claim, the declared and the earned rung.

The earned rung is recorded for every claim, and for a finding also the rung its
corrected statement earns. Collecting a check that names an unknown claim, or links
without ``kind=``, is a usage error; so is a claim without any check, a claim whose
origin its package does not declare, a statement of a package's source text without a
``paragraph=`` locator (or with one that does not resolve), and a refuted or qualified
statement of the source without ``misled=``. The controller checks these from the source
of the check modules before any xdist worker starts, so ``-n 2`` gives the same clear
usage error (exit 4) as a serial run. Under pytest-xdist the workers send each item's
links and evidence in ``report.user_properties``; the controller alone builds the ledger,
so ``-n 2`` gives the same ledger as a serial run.

The claims covered are those of the claims packages in the run's configuration
(:mod:`claimledger.config`); ``--collect-only`` writes no ledger.
"""
from __future__ import annotations

import datetime as _dt
import json
import pathlib
import platform
import time
from dataclasses import dataclass, field

import pytest

from . import claims as C
from . import links as L
from .claims import FINDINGS, Claim
from .cache import ledger_counts
from .config import Config, Package


def claims_of(item: pytest.Item) -> list[str]:
    """The claim ids a check names (validated: see :func:`links.links_of`)."""
    out: list[str] = []
    for link in L.links_of(item):
        if link.claim not in out:
            out.append(link.claim)
    return out


@dataclass
class CheckRecord:
    nodeid: str
    outcome: str = "passed"  # passed | failed | skipped
    skip_reason: str | None = None
    duration_s: float = 0.0
    evidence: list[str] = field(default_factory=list)
    counterexamples: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    failure: str | None = None  # the assertion message of a failed check (trimmed)
    reproduce: str | None = None  # the command that re-runs a failed check
    kind: str | None = None  # evidence kind of this link (links.KINDS)
    scope: str = "whole"
    target: str = "statement"
    controls: list[tuple[str, bool]] = field(default_factory=list)  # negative controls
    cache: dict | None = None  # ran now or replayed from the cache (claimledger.cache)
    impl_findings: list[str] = field(default_factory=list)  # about the impl under test
    impl_names: list[str] = field(default_factory=list)  # protocol names the check used


def _worse(a: str, b: str) -> str:
    order = {"passed": 0, "skipped": 1, "failed": 2}
    return a if order[a] >= order[b] else b


class Progress:
    """Prints one line per section as soon as all its checks have reported.

    A check module belongs to the top-level section most of its claims come from (read
    from the static index); modules that name no claim are the tooling's own tests."""

    def __init__(self, config: pytest.Config, cfg: Config) -> None:
        self.config = config
        self.expected: dict[str, set[str]] = {}
        self.done: dict[str, dict[str, str]] = {}
        self.started = time.perf_counter()
        self.printed: set[str] = set()

    def section_of(self, nodeid: str) -> str:
        ledger = self.config.pluginmanager.get_plugin("claim-ledger")
        return ledger.section_of_module(nodeid.split("::")[0]) if ledger else "harness"

    def expect(self, nodeids) -> None:
        for nid in nodeids:
            self.expected.setdefault(self.section_of(nid), set()).add(nid)

    def pytest_collection_finish(self, session):
        if not hasattr(self.config, "workerinput"):
            self.expect(it.nodeid for it in session.items)

    def pytest_runtest_logreport(self, report):
        sec = self.section_of(report.nodeid)
        outcomes = self.done.setdefault(sec, {})
        prev = outcomes.get(report.nodeid, "passed")
        if report.failed or (report.skipped and prev != "failed"):
            outcomes[report.nodeid] = "failed" if report.failed else "skipped"
        else:
            outcomes.setdefault(report.nodeid, "passed")
        if report.when == "teardown":
            exp = self.expected.get(sec)
            if exp and exp <= set(outcomes) and sec not in self.printed:
                self.printed.add(sec)
                vals = [outcomes[n] for n in exp]
                label = "harness self-tests" if sec == "harness" else f"§{sec}"
                tr = self.config.pluginmanager.get_plugin("terminalreporter")
                if tr is not None:
                    tr.ensure_newline()  # never glued to the progress dots
                    tr.write_line(
                        f"[progress] {label}: {len(vals)} checks done - "
                        f"{vals.count('passed')} passed, {vals.count('failed')} failed, "
                        f"{vals.count('skipped')} skipped ({time.perf_counter() - self.started:.1f}s)")


class XdistProgress:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.seen = False

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        if not self.seen:  # every worker collects the same items
            self.seen = True
            self.progress.expect(ids)


def load_claims(cfg: Config) -> tuple[dict[str, Claim], dict[str, Package]]:
    """The claims of the configured packages (id -> claim) and each claim's package; a
    claim without ``origin=`` takes its package's default origin."""
    import sys

    claims: dict[str, Claim] = {}
    package_of: dict[str, Package] = {}
    for pkg in cfg.packages:
        # claims modules are named relative to the project (the configuration's directory),
        # as pytest's `pythonpath` would make them importable
        if str(pkg.root) not in sys.path:
            sys.path.insert(0, str(pkg.root))
        try:
            found = C.claims_of(pkg.claims)
        except ImportError as exc:
            raise pytest.UsageError(f"package {pkg.name}: cannot import its claims modules "
                                    f"{list(pkg.claims)} ({exc})") from exc
        for cid, c in found.items():
            if cid in claims:
                raise pytest.UsageError(f"claim {cid} belongs to two packages "
                                        f"({package_of[cid].name} and {pkg.name})")
            if c.origin is None:
                c = Claim(**{**c.__dict__, "origin": pkg.default_origin})
            claims[cid] = c
            package_of[cid] = pkg
    return claims, package_of


class Ledger:
    def __init__(self, config: pytest.Config, cfg: Config) -> None:
        self.config = config
        self.cfg = cfg
        self.claims, self.package_of = load_claims(cfg)
        self.checks: dict[str, dict[str, CheckRecord]] = {cid: {} for cid in self.claims}
        self.started = time.perf_counter()
        self.duration_s = 0.0
        self.use_static = not config.getoption("no_static_index", False)
        rootpath = pathlib.Path(str(config.rootpath))
        # check function -> claims it names, read from the source of the packages' checks
        self.check_modules = [m for pkg in cfg.packages for m in pkg.check_modules()]
        # another implementation's own checks (impl-only) and the claims only they check
        # are left out of this run's ledger altogether
        left = set(cfg.left_out(config.getoption("impl")))
        self.left_out: list[str] = []
        if left:
            everything = L.static_index(self.check_modules, rootpath)
            self.check_modules = [m for m in self.check_modules if m.resolve() not in left]
            kept = set().union(*L.static_index(self.check_modules, rootpath).values())
            named = set().union(*everything.values()) if everything else set()
            self.left_out = sorted(c for c in named - kept if c in self.claims)
            for cid in self.left_out:
                del self.claims[cid]
                self.checks.pop(cid, None)
        self.static: dict[str, set[str]] = L.static_index(self.check_modules, rootpath)
        self._lint: dict[str, list[str]] | None = None
        self.collected: set[str] | None = None  # check functions collected (post-selection)
        self.problems: list[str] = []  # declared above earned, findings without counterexample
        # broken implementation -> (outcome of its rejection run, defect, claims rejecting it)
        self.teeth: dict[str, dict] = {}
        self._module_sections: dict[str, str] = {}

    # -- the packages' sources ----------------------------------------------------------
    def source_texts(self) -> dict[str, dict[str, list[str]] | None]:
        """package name -> its source text's numbered sections (None: no text found)."""
        from . import source

        out = {}
        for pkg in self.cfg.packages:
            path = pkg.source.path(pkg.root, self.config.getoption("source_text")) \
                if pkg.source else None
            out[pkg.name] = source.load(path) if path else None
        return out

    def _record_problems(self) -> list[str]:
        """Claims whose records break their package's rules (module docstring)."""
        out = []
        texts = None
        for cid, c in self.claims.items():
            pkg = self.package_of[cid]
            if c.origin not in pkg.origins:
                out.append(f"claim {cid}: origin {c.origin!r} is not one of package "
                           f"{pkg.name}'s origins {sorted(pkg.origins)}")
                continue
            own = c.origin in pkg.findings_origins
            if own and c.verdict in ("refuted", "qualified") and not (c.misled or "").strip():
                out.append(f"claim {cid}: a {c.verdict} statement of {pkg.source_name} needs "
                           "misled= (who is misled into what)")
            if pkg.source is None or not pkg.source.text or not own or c.depends_on:
                continue
            if c.paragraph is None:
                out.append(f"claim {cid}: package {pkg.name} declares a source text, so its "
                           "statements need paragraph= (python -m claimledger.source "
                           f"{c.section} lists the paragraphs)")
                continue
            texts = self.source_texts() if texts is None else texts
            secs = texts.get(pkg.name)
            if secs is not None:
                from . import source

                if source.paragraph(secs, c.section, c.paragraph) is None:
                    out.append(f"claim {cid}: §{c.section} of {pkg.source_name} has "
                               f"{len(secs.get(c.section, []))} paragraphs, not "
                               f"{c.paragraph}")
        return out

    # -- the static index ---------------------------------------------------------------
    def section_of_module(self, module: str) -> str:
        """The top-level section most claims of check module ``module`` (a node id's path)
        come from; "harness" for a module that names no claim."""
        if module not in self._module_sections:
            votes: dict[str, int] = {}
            for func, ids in self.static.items():
                if func.split("::", 1)[0] == module:
                    for cid in ids:
                        c = self.claims.get(cid)
                        if c is not None:
                            top = c.section.split(".")[0]
                            votes[top] = votes.get(top, 0) + 1
            self._module_sections[module] = max(votes, key=lambda k: (votes[k], k)) \
                if votes else "harness"
        return self._module_sections[module]

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        if hasattr(self.config, "workerinput"):
            return
        named = self._modules_named_by_args()
        missing = [where for path in named for where in L.unkinded_links(path)]
        if missing:
            raise pytest.UsageError(
                "claim links without kind= (say what kind of evidence each check gives: "
                f"{', '.join(L.KINDS)}): " + ", ".join(missing[:12])
                + (f" and {len(missing) - 12} more" if len(missing) > 12 else ""))
        # unknown ids, read from the source before any worker starts (a worker that
        # raised a usage error while collecting used to crash the run with INTERNALERROR)
        unknown: dict[str, str] = {}
        rootpath = pathlib.Path(str(self.config.rootpath))
        for func, ids in sorted(L.static_index(named, rootpath).items()):
            for cid in sorted(ids - set(self.claims)):
                unknown.setdefault(cid, func)
        if unknown:
            raise pytest.UsageError("checks name unknown claims:\n" + "\n".join(
                f"  {cid!r} named by {func}" + _did_you_mean(cid, self.claims)
                for cid, func in sorted(unknown.items())))
        wanted = self.config.getoption("claim_filter")
        missing_ids = [w for w in wanted if w not in self.claims]
        if missing_ids:
            raise pytest.UsageError("--claim: unknown claim(s) " + ", ".join(
                f"{w!r}{_did_you_mean(w, self.claims)}" for w in missing_ids))
        problems = self._record_problems()
        if problems:
            raise pytest.UsageError("claim records break their package's rules:\n"
                                    + "\n".join("  " + p for p in problems))

    def _modules_named_by_args(self) -> list[pathlib.Path]:
        """The check modules this run's arguments name (files, or directories above them)."""
        out = []
        args = [pathlib.Path(str(a).split("::", 1)[0]) for a in self.config.args] or \
            [pathlib.Path(str(self.config.rootpath))]
        args = [(a if a.is_absolute() else pathlib.Path(str(self.config.invocation_params.dir)) / a)
                .resolve() for a in args]
        for path in self.check_modules:
            p = path.resolve()
            if any(p == a or a in p.parents for a in args):
                out.append(path)
        return out

    def _collected_ids(self, nodeids) -> None:
        if self.collected is None:
            self.collected = {L.function_of(n) for n in nodeids}

    def pytest_collection_finish(self, session):
        self._collected_ids(it.nodeid for it in session.items)

    def complete(self) -> bool:
        """Did this run collect every check of the packages' check modules?"""
        return self.collected is not None and set(self.static) <= self.collected

    def output_dir(self) -> pathlib.Path:
        """``--report-dir``; a partial run (a subset of the checks) writes to its
        ``partial/`` subdirectory instead when the directory holds a complete run's
        ledger, so a reproduce command or ``--claim`` never overwrites the full report."""
        if getattr(self, "_out", None) is not None:
            return self._out
        given = self.config.getoption("report_dir")
        out = pathlib.Path(given or self.cfg.report_dir)
        if not out.is_absolute():
            out = pathlib.Path(self.config.rootpath) / out
        spec = self.config.getoption("impl")
        if not given and spec and not _is_reference(spec, self.cfg):
            # another implementation's run never writes over the reference's ledger: by
            # default its reports go to <report-dir>/<its name>/
            from .impl import report_name

            out = out / report_name(spec)
        if not self.complete() and (out / "ledger.json").is_file():
            try:
                previous = json.loads((out / "ledger.json").read_text())
            except (OSError, ValueError):
                previous = {}
            if previous.get("complete"):
                out = out / "partial"
        self._out = out
        return out

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self._collected_ids(ids)  # every worker collects the same items

    def not_run(self, cid: str) -> list[str]:
        """Why some checks that name ``cid`` in the source did not run (empty: all ran)."""
        if not self.use_static or self.collected is None:
            return []
        modules = {f.split("::", 1)[0] for f in self.collected}
        out = []
        for func, ids in sorted(self.static.items()):
            if cid in ids and func not in self.collected:
                module = func.split("::", 1)[0]
                out.append(f"{func} deselected" if module in modules
                           else f"{func} not collected ({module} was not part of the run)")
        return out

    # -- collection: validate links, apply --claim selection -------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        unknown: dict[str, list[str]] = {}
        linked: set[str] = set()
        modules: set[pathlib.Path] = set()
        bad_targets: list[str] = []
        worker = hasattr(config, "workerinput")
        for item in items:
            modules.add(pathlib.Path(str(item.path)).resolve())
            try:
                item_links = L.links_of(item)
            except pytest.UsageError as exc:
                if not worker:
                    raise
                # an xdist worker that raises here crashes the whole run with an
                # INTERNALERROR; the check fails at set-up with the message instead
                item._link_error = str(exc)
                item.add_marker(pytest.mark.claim_link_error)
                continue
            if not item_links and item.get_closest_marker("harness") is None:
                msg = (f"{item.nodeid}: a check must name its claim (@pytest.mark.claim) or "
                       "be marked @pytest.mark.harness")
                if not worker:
                    raise pytest.UsageError(msg)
                item._link_error = msg
                continue
            for link in item_links:
                cid = link.claim
                if cid not in self.claims:
                    unknown.setdefault(cid, []).append(item.nodeid)
                    continue
                linked.add(cid)
                finding = self.claims[cid].verdict in FINDINGS
                if finding and link.target == "statement":
                    bad_targets.append(f"  {item.nodeid} -> {cid}: a {self.claims[cid].verdict} "
                                       "claim's check needs target='counterexample' or "
                                       "target='corrected'")
                elif not finding and link.target != "statement":
                    bad_targets.append(f"  {item.nodeid} -> {cid}: target={link.target!r} "
                                       "is only for refuted/qualified/imprecise claims")
        for c in self.claims.values():
            for d in c.depends_on:
                if d not in self.claims:
                    unknown.setdefault(d, []).append(f"depends_on of claim {c.id}")
        problems = []
        if unknown:
            problems.append("checks name unknown claims:\n" + "\n".join(
                f"  {cid!r} named by {nodes[0]}" + _did_you_mean(cid, self.claims)
                for cid, nodes in sorted(unknown.items())))
        if bad_targets:
            problems.append("claim links with the wrong target:\n" + "\n".join(bad_targets))
        statically_linked = set().union(*self.static.values()) if self.static else set()
        all_modules = {p.resolve() for p in self.check_modules}
        if self.use_static or (all_modules and all_modules <= modules):
            orphans = sorted(cid for cid, c in self.claims.items()
                             if cid not in linked and cid not in statically_linked
                             and c.verdict != "cited" and not c.depends_on)
            if orphans:
                problems.append("claims without any check: " + ", ".join(orphans))
        if problems:
            if not worker:
                raise pytest.UsageError("\n".join(problems))
            for item in items:  # the controller has said it already; never crash a worker
                item._link_error = "\n".join(problems)
        wanted = config.getoption("claim_filter")
        if wanted:
            keep = [it for it in items if set(claims_of_quiet(it)) & set(wanted)]
            drop = [it for it in items if it not in keep]
            if drop:
                config.hook.pytest_deselected(items=drop)
            items[:] = keep

    def pytest_runtest_setup(self, item):
        if getattr(item, "_link_error", None):
            raise pytest.UsageError(item._link_error)

    # -- results ----------------------------------------------------------------------
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties) if report.user_properties else {}
        if props.get("teeth") and report.when == "call":
            name, defect, rejected_by = props["teeth"]
            self.teeth[name] = {"outcome": report.outcome, "defect": defect,
                                "rejected_by": list(rejected_by)}
        for cid, kind, scope, target in props.get("links") or []:
            if cid not in self.checks:
                continue
            key = f"{report.nodeid}#{target}"  # one check may re-check a counterexample
            rec = self.checks[cid].get(key)   # and support the corrected statement
            if rec is None:
                rec = self.checks[cid][key] = CheckRecord(report.nodeid, kind=kind,
                                                          scope=scope, target=target)
            elif L.above(L.rung_of(kind, scope) or "none", L.rung_of(rec.kind, rec.scope)):
                rec.kind, rec.scope = kind, scope  # the same claim linked twice: the best
            if report.failed:
                rec.outcome = "failed"
                if rec.failure is None:
                    rec.failure = props.get("failure") or _failure_text(report)
                if rec.reproduce is None and props.get("reproduce"):
                    rec.reproduce = props["reproduce"]
            elif report.skipped:
                rec.outcome = _worse(rec.outcome, "skipped")
                if rec.skip_reason is None and isinstance(report.longrepr, tuple):
                    rec.skip_reason = str(report.longrepr[2]).removeprefix("Skipped: ")
            if report.when == "call":
                rec.duration_s = report.duration
                rec.impl_names = sorted(set(rec.impl_names) | set(props.get("impl_names")
                                                                    or []))
            if report.when == "teardown":
                rec.evidence = list(props.get("evidence") or [])
                rec.counterexamples = list(props.get("counterexample") or [])
                rec.figures = list(props.get("figures") or [])
                rec.tables = list(props.get("tables") or [])
                rec.controls = [tuple(x) for x in props.get("controls") or []]
                rec.cache = props.get("cache")
                rec.impl_findings = list(props.get("impl_findings") or [])

    # -- the ledger -------------------------------------------------------------------
    @property
    def lint(self) -> dict[str, list[str]]:
        """Check function -> the kind lint's problems (its declared kind vs what its code
        does); read from the source once, by the process that assesses the claims."""
        if self._lint is None:
            from .kindlint import lint_modules

            root = pathlib.Path(str(self.config.rootpath))
            self._lint = lint_modules(self.check_modules, root,
                                      self.cfg.path.parent if self.cfg.path else root)
        return self._lint

    def lint_of(self, r: CheckRecord) -> list[str]:
        return self.lint.get(L.function_of(r.nodeid), [])

    def earned(self, r: CheckRecord) -> str | None:
        return L.rung_of(r.kind, r.scope, controls=r.controls, lint=self.lint_of(r))

    def assess(self, cid: str, _seen: frozenset = frozenset()) -> dict:
        """Outcome, earned rung(s) and any problem of one claim (see the module doc)."""
        c = self.claims[cid]
        recs = list(self.checks[cid].values())
        out = {"outcome": None, "earned": None, "corrected_earned": None,
               "counterexample_kind": None, "not_run": [], "problem": None}
        if not recs and c.depends_on:
            if cid in _seen:
                raise pytest.UsageError(f"claim {cid}: circular depends_on")
            deps = [self.assess(d, _seen | {cid}) for d in c.depends_on]
            outs = [d["outcome"] for d in deps]
            out["earned"] = L.weakest(
                d["corrected_earned"] if self.claims[n].verdict in FINDINGS else d["earned"]
                for d, n in zip(deps, c.depends_on))
            if "failed" in outs:
                out["outcome"] = "failed"
            elif any(o != self.claims[d].verdict for o, d in zip(outs, c.depends_on)):
                out["outcome"] = "unverified"
            else:
                out["outcome"] = c.verdict
                if c.verdict in L.RUNGS and L.above(c.verdict, out["earned"]):
                    out["problem"] = (f"claim {cid} is declared {c.verdict} but the claims it "
                                      f"restates earn {out['earned'] or 'nothing'}")
            return out
        out["not_run"] = self.not_run(cid)
        if not recs and not out["not_run"]:
            # a cited claim is a remark we do not check; it needs no check to be reported
            out["outcome"] = "cited" if c.verdict == "cited" else "unverified"
            return out
        passing = [r for r in recs if r.outcome == "passed"]
        stmt = [self.earned(r) for r in passing if r.target == "statement"]
        corr = [self.earned(r) for r in passing if r.target == "corrected"]
        cex = [r for r in passing if r.target == "counterexample"]
        out["earned"] = L.best(stmt)
        out["corrected_earned"] = L.best(corr)
        out["counterexample_kind"] = L.best(self.earned(r) for r in cex)
        if any(r.outcome == "failed" for r in recs):
            out["outcome"] = "failed"
        elif any(r.outcome == "skipped" for r in recs) or out["not_run"] or not recs:
            out["outcome"] = "unverified"
        else:
            out["outcome"] = c.verdict
            if c.verdict in L.RUNGS and L.above(c.verdict, out["earned"]):
                kinds = ", ".join(sorted({f"{r.kind}/{r.scope}" + L.control_tag(
                    r.kind, r.scope, r.controls, self.lint_of(r)) for r in passing}))
                out["problem"] = (f"claim {cid} is declared {c.verdict} but its passing checks "
                                  f"earn {out['earned'] or 'nothing'} (kinds: {kinds})")
            elif c.verdict in FINDINGS and not cex:
                out["problem"] = (f"claim {cid} is {c.verdict} but no check re-checks its "
                                  "counterexample (target='counterexample')")
            if out["problem"]:
                out["outcome"] = "failed"
        return out

    def outcome_of(self, cid: str) -> str:
        return self.assess(cid)["outcome"]

    def reading_key(self, c: Claim) -> tuple:
        """Package order, then the package's section order, then the claim's place."""
        pkg = self.package_of[c.id]
        return (self.cfg.packages.index(pkg), pkg.section_order(c.section)) + C.reading_key(c)

    def packages_json(self) -> list[dict]:
        return [{"name": p.name, "source": p.source_name,
                 "source_text": bool(p.source and p.source.text),
                 "sections": dict(p.sections), "origins": dict(p.origins),
                 "findings_origins": list(p.findings_origins)} for p in self.cfg.packages]

    def as_json(self) -> dict:
        from . import seeds
        from .plugin import impl_spec

        try:
            from hypothesis import settings as hsettings
            profile = hsettings.get_current_profile_name()
        except Exception:  # pragma: no cover - hypothesis is a hard dependency
            profile = None
        claims = []
        self.problems = []
        for c in sorted(self.claims.values(), key=self.reading_key):
            cid = c.id
            a = self.assess(cid)
            if a["problem"]:
                self.problems.append(a["problem"])
            recs = sorted(self.checks[cid].values(), key=lambda r: r.nodeid)
            evidence: list[str] = []
            cexs: list[str] = []
            figures: list[dict] = []
            tables: list[dict] = []
            for r in recs:
                evidence += [e for e in r.evidence if e not in evidence]
                cexs += [x for x in r.counterexamples if x not in cexs]
                for f in r.figures:
                    path, _, caption = f.partition("|")
                    if path not in [g["path"] for g in figures]:
                        figures.append({"path": path, "caption": caption})
                tables += [t for t in r.tables if t not in tables]
            claims.append({
                "id": cid, "package": self.package_of[cid].name, "section": c.section,
                "title": c.title, "statement": c.statement,
                "assumptions": list(c.assumptions), "intended_verdict": c.verdict,
                "verdict": a["outcome"], "earned": a["earned"],
                "corrected_earned": a["corrected_earned"],
                "counterexample_kind": a["counterexample_kind"], "problem": a["problem"],
                "not_run": a["not_run"], "evidence": evidence,
                "counterexample": "; ".join(cexs) if cexs else None,
                "corrected_statement": c.corrected_statement, "reason": c.reason,
                "misled": c.misled, "origin": c.origin,
                "finding_of_source": c.origin in self.package_of[cid].findings_origins,
                "paragraph": c.paragraph,
                "note": c.note, "module": c.module, "figures": figures, "tables": tables,
                "depends_on": list(c.depends_on),
                "checks": [{"nodeid": r.nodeid, "outcome": r.outcome, "kind": r.kind,
                            "scope": r.scope, "target": r.target,
                            "controls": [list(x) for x in r.controls],
                            "lint": self.lint_of(r),
                            "skip_reason": r.skip_reason, "failure": r.failure,
                            "reproduce": r.reproduce, "cache": r.cache,
                            "impl_names": list(r.impl_names),
                            "duration_s": round(r.duration_s, 4)} for r in recs],
            })
        impl = impl_spec(self.config)
        findings = [{"claim": c["id"], "text": t} for c in claims
                    for r in self.checks.get(c["id"], {}).values()
                    for t in r.impl_findings]
        seen = set()
        findings = [f for f in findings if not (f["text"] in seen or seen.add(f["text"]))]
        return {
            "seed": seeds.root_seed(), "profile": profile, "impl": impl,
            "impl_conventions": _impl_conventions(impl, self.cfg.impl_aliases) if impl else {},
            # claims of other implementations' own passes, not part of this one (impl-only)
            "left_out": list(self.left_out),
            "impl_findings": findings,
            "duration_s": round(self.duration_s, 3),
            "generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "versions": _versions(),
            "impl_versions": _impl_versions(impl, self.cfg.impl_aliases) if impl else {},
            "packages": self.packages_json(),
            "optional": dict(self.cfg.optional),
            "claim_filter": list(self.config.getoption("claim_filter") or []),
            "claims": claims,
            "counts": _counts(c["verdict"] for c in claims),
            # a finding's rung is its corrected statement's: the evidence the harness gives
            "earned_counts": _counts(
                (c["corrected_earned"] if c["intended_verdict"] in FINDINGS else c["earned"])
                or "none" for c in claims if c["intended_verdict"] != "cited"),
            "problems": list(self.problems),
            "kind_lint": {f: p for f, p in sorted(self.lint.items())
                          if f in (self.collected or ())},
            "complete": self.complete(),
            "cache_counts": ledger_counts(r for recs in self.checks.values()
                                          for r in recs.values()),
        }

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if hasattr(self.config, "workerinput") or self.config.getoption("no_ledger", False):
            return  # an xdist worker: the controller writes the ledger
        if self.config.getoption("collectonly", False):
            return  # nothing ran: a ledger of unverified claims would only mislead
        self.duration_s = time.perf_counter() - self.started
        data = self.as_json()
        out = self.output_dir()
        out.mkdir(parents=True, exist_ok=True)
        (out / "ledger.json").write_text(json.dumps(data, indent=2) + "\n")
        from .report import ledger_markdown

        (out / "ledger.md").write_text(ledger_markdown(data))
        from .html_report import render_html
        from .report_extras import extra_sections

        (out / "report.html").write_text(
            render_html(data, out, extra_sections(self, self.teeth), self.source_texts()))
        self.report_dir = out
        self.data = data
        if self.problems and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    @pytest.hookimpl(trylast=True)  # after --durations: the run ends on the summary
    def pytest_terminal_summary(self, terminalreporter, exitstatus, config):
        data = getattr(self, "data", None)
        if data is None:
            return
        from .report import terminal_lines

        tr = terminalreporter
        tr.section("claim ledger")
        for line in terminal_lines(data):
            tr.write_line(line)
        tr.write_line(f"ledger written to {self.report_dir}/ledger.json and ledger.md")
        tr.write_line(f"report: {self.report_dir / 'report.html'}")


def claims_of_quiet(item: pytest.Item) -> list[str]:
    """:func:`claims_of`, or no claims for a check whose marker is malformed."""
    try:
        return claims_of(item)
    except pytest.UsageError:
        return []


def _did_you_mean(cid: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(cid, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _failure_text(report, limit: int = 800) -> str:
    """The most informative lines of a failure: the E-lines of the assertion."""
    text = getattr(report, "longreprtext", "") or str(report.longrepr)
    lines = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("E ")]
    if lines:
        return " | ".join(ln for ln in lines if ln)[:limit]
    # no E-lines: the last line that says something (not a frame of box-drawing dashes)
    said = [ln.strip(" |+") for ln in text.splitlines() if ln.strip(" |+-")]
    return (said[-1] if said else "check failed")[:limit]


def _counts(verdicts) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in verdicts:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def _is_reference(spec: str, cfg) -> bool:
    from .impl import resolve

    return bool(cfg.impl) and resolve(spec, cfg.impl_aliases) == resolve(cfg.impl,
                                                                          cfg.impl_aliases)


def _impl_conventions(spec, aliases=None) -> dict:
    """The conventions the implementation under test declares (``CONVENTIONS``), as JSON
    values; {} when it declares none. Never raises."""
    import sys

    try:
        from .impl import load_module, module_name_of

        mod = sys.modules.get(module_name_of(spec, aliases)) or load_module(spec, aliases)
        conv = getattr(mod, "CONVENTIONS", {}) or {}
        return {str(k): (v if isinstance(v, (str, int, float, bool)) else str(v))
                for k, v in conv.items()}
    except Exception:  # noqa: BLE001 - the record must not break the run
        return {}


def _impl_versions(spec, aliases=None) -> dict[str, str]:
    """Versions of the distributions the implementation under test imports: those of the
    modules its namespace refers to (``import jax``, ``from optax import ...``), plus
    their direct requirements that are loaded (jax -> jaxlib). Never raises."""
    import importlib.metadata as md
    import re
    import sys
    import types

    try:
        from .impl import load_module, module_name_of

        cached = sys.modules.get(module_name_of(spec, aliases))
        mod = cached or load_module(spec, aliases)
        tops = set()
        for v in vars(mod).values():
            owner = v.__name__ if isinstance(v, types.ModuleType) else \
                getattr(v, "__module__", None)
            if isinstance(owner, str) and owner:
                tops.add(owner.split(".")[0])
        pd = md.packages_distributions()
        dists = {d for t in tops for d in pd.get(t, [])}
        for d in list(dists):
            for req in md.requires(d) or []:
                if "extra ==" in req:
                    continue
                dep = re.split(r"[ ;<>=!\[~(]", req, maxsplit=1)[0]
                try:
                    files = md.distribution(dep).read_text("top_level.txt") or dep
                except md.PackageNotFoundError:
                    continue
                if any(t.strip() in sys.modules for t in files.split()):
                    dists.add(dep)
        out = {}
        for d in sorted(dists, key=str.lower):
            try:
                out[d] = md.version(d)
            except md.PackageNotFoundError:
                pass
        return out
    except Exception as exc:  # noqa: BLE001 - the ledger must still be written
        return {"error": f"{type(exc).__name__}: {exc}"}


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for pkg in ("claimledger", "numpy", "scipy", "sympy", "mpmath", "hypothesis", "pytest",
                "pytest-xdist"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out
