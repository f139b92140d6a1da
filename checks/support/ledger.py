"""The claim ledger: a pytest plugin that turns check outcomes into verdicts.

Checks link to claims with ``@pytest.mark.claim("id", ...)``. For every claim of
:mod:`theorems`, the run's outcome is

* the claim's intended verdict, when every check linked to it passed;
* ``failed`` when any linked check failed or errored;
* ``unverified`` when a linked check was skipped, or none ran (deselected).

Collecting a check that names an unknown claim is a usage error; so is a claim without
any check when the whole ``checks/`` tree was collected. Under pytest-xdist the workers
send each item's claims and evidence in ``report.user_properties``; the controller alone
builds the ledger, so ``-n 2`` gives the same ledger as a serial run.
"""
from __future__ import annotations

import datetime as _dt
import json
import pathlib
import platform
import time
from dataclasses import dataclass, field

import pytest

import theorems
from theorems import Claim

CHECKS_DIR = pathlib.Path(__file__).resolve().parents[1]
PROJECT_DIR = CHECKS_DIR.parent


def claims_of(item: pytest.Item) -> list[str]:
    ids: list[str] = []
    for mark in item.iter_markers("claim"):
        if not mark.args:
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.claim needs at least one id")
        ids.extend(mark.args)
    return ids


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


def _worse(a: str, b: str) -> str:
    order = {"passed": 0, "skipped": 1, "failed": 2}
    return a if order[a] >= order[b] else b


def section_of_nodeid(nodeid: str) -> str:
    """'checks/test_s2_uat.py::test_x' -> '2'; harness tests -> 'harness'."""
    path = nodeid.split("::")[0]
    name = path.rsplit("/", 1)[-1]
    if "harness/" in path:  # e.g. checks/harness/test_s4_contracts.py tests the harness
        return "harness"
    if name.startswith("test_s") and "_" in name[6:]:
        return name[6:].split("_")[0]
    return "harness"


class Progress:
    """Prints one line per article section as soon as all its checks have reported."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.expected: dict[str, set[str]] = {}
        self.done: dict[str, dict[str, str]] = {}
        self.started = time.perf_counter()

    def expect(self, nodeids) -> None:
        for nid in nodeids:
            self.expected.setdefault(section_of_nodeid(nid), set()).add(nid)

    def pytest_collection_finish(self, session):
        if not hasattr(self.config, "workerinput"):
            self.expect(it.nodeid for it in session.items)

    def pytest_runtest_logreport(self, report):
        sec = section_of_nodeid(report.nodeid)
        outcomes = self.done.setdefault(sec, {})
        prev = outcomes.get(report.nodeid, "passed")
        if report.failed or (report.skipped and prev != "failed"):
            outcomes[report.nodeid] = "failed" if report.failed else "skipped"
        else:
            outcomes.setdefault(report.nodeid, "passed")
        if report.when == "teardown":
            exp = self.expected.get(sec)
            if exp and exp <= set(outcomes) and not getattr(self, f"_printed_{sec}", False):
                setattr(self, f"_printed_{sec}", True)
                vals = [outcomes[n] for n in exp]
                label = "harness self-tests" if sec == "harness" else f"§{sec}"
                tr = self.config.pluginmanager.get_plugin("terminalreporter")
                if tr is not None:
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


class Ledger:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.claims: dict[str, Claim] = theorems.load_all()
        self.checks: dict[str, dict[str, CheckRecord]] = {cid: {} for cid in self.claims}
        self.started = time.perf_counter()
        self.duration_s = 0.0

    # -- collection: validate links, apply --claim selection -------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        unknown: dict[str, list[str]] = {}
        linked: set[str] = set()
        modules: set[pathlib.Path] = set()
        for item in items:
            modules.add(pathlib.Path(str(item.path)).resolve())
            ids = claims_of(item)
            if not ids and item.get_closest_marker("harness") is None:
                raise pytest.UsageError(
                    f"{item.nodeid}: a check must name its claim (@pytest.mark.claim) or be "
                    "marked @pytest.mark.harness")
            for cid in ids:
                if cid not in self.claims:
                    unknown.setdefault(cid, []).append(item.nodeid)
                linked.add(cid)
        for c in self.claims.values():
            for d in c.depends_on:
                if d not in self.claims:
                    unknown.setdefault(d, []).append(f"depends_on of claim {c.id}")
        if unknown:
            lines = [f"  {cid!r} named by {nodes[0]}" for cid, nodes in sorted(unknown.items())]
            raise pytest.UsageError("checks name unknown claims:\n" + "\n".join(lines))
        all_modules = {p.resolve() for p in CHECKS_DIR.glob("test_*.py")}
        if all_modules and all_modules <= modules:
            orphans = sorted(cid for cid, c in self.claims.items()
                             if cid not in linked and c.verdict != "cited" and not c.depends_on)
            if orphans:
                raise pytest.UsageError("claims without any check: " + ", ".join(orphans))
        wanted = config.getoption("claim_filter")
        if wanted:
            missing = [w for w in wanted if w not in self.claims]
            if missing:
                raise pytest.UsageError(f"--claim: unknown claim(s) {missing}")
            keep = [it for it in items if set(claims_of(it)) & set(wanted)]
            drop = [it for it in items if it not in keep]
            if drop:
                config.hook.pytest_deselected(items=drop)
            items[:] = keep

    # -- results ----------------------------------------------------------------------
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties) if report.user_properties else {}
        ids = props.get("claims") or []
        for cid in ids:
            if cid not in self.checks:
                continue
            rec = self.checks[cid].setdefault(report.nodeid, CheckRecord(report.nodeid))
            if report.failed:
                rec.outcome = "failed"
                if rec.failure is None:
                    rec.failure = _failure_text(report)
            elif report.skipped:
                rec.outcome = _worse(rec.outcome, "skipped")
                if rec.skip_reason is None and isinstance(report.longrepr, tuple):
                    rec.skip_reason = str(report.longrepr[2]).removeprefix("Skipped: ")
            if report.when == "call":
                rec.duration_s = report.duration
            if report.when == "teardown":
                rec.evidence = list(props.get("evidence") or [])
                rec.counterexamples = list(props.get("counterexample") or [])
                rec.figures = list(props.get("figures") or [])
                rec.tables = list(props.get("tables") or [])

    # -- the ledger -------------------------------------------------------------------
    def outcome_of(self, cid: str, _seen: frozenset = frozenset()) -> str:
        recs = self.checks[cid].values()
        deps = self.claims[cid].depends_on
        if not recs and deps:
            if cid in _seen:
                raise pytest.UsageError(f"claim {cid}: circular depends_on")
            outs = [self.outcome_of(d, _seen | {cid}) for d in deps]
            if "failed" in outs:
                return "failed"
            if any(o != self.claims[d].verdict for o, d in zip(outs, deps)):
                return "unverified"
            return self.claims[cid].verdict
        if not recs:
            # a cited claim is a remark we do not check; it needs no check to be reported
            return "cited" if self.claims[cid].verdict == "cited" else "unverified"
        if any(r.outcome == "failed" for r in recs):
            return "failed"
        if any(r.outcome == "skipped" for r in recs):
            return "unverified"
        return self.claims[cid].verdict

    def as_json(self) -> dict:
        from . import seeds

        try:
            from hypothesis import settings as hsettings
            profile = hsettings.get_current_profile_name()
        except Exception:  # pragma: no cover - hypothesis is a hard dependency
            profile = None
        claims = []
        for cid, c in sorted(self.claims.items(),
                             key=lambda kv: (theorems.section_key(kv[1].section), kv[0])):
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
                "id": cid, "section": c.section, "title": c.title, "statement": c.statement,
                "assumptions": list(c.assumptions), "intended_verdict": c.verdict,
                "verdict": self.outcome_of(cid), "evidence": evidence,
                "counterexample": "; ".join(cexs) if cexs else None,
                "corrected_statement": c.corrected_statement, "reason": c.reason,
                "module": c.module, "figures": figures, "tables": tables,
                "depends_on": list(c.depends_on),
                "checks": [{"nodeid": r.nodeid, "outcome": r.outcome,
                            "skip_reason": r.skip_reason, "failure": r.failure,
                            "duration_s": round(r.duration_s, 4)} for r in recs],
            })
        return {
            "seed": seeds.root_seed(), "profile": profile,
            "impl": self.config.getoption("impl"),
            "duration_s": round(self.duration_s, 3),
            "generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "versions": _versions(), "claims": claims,
            "counts": _counts(c["verdict"] for c in claims),
        }

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if hasattr(self.config, "workerinput"):
            return  # an xdist worker: the controller writes the ledger
        self.duration_s = time.perf_counter() - self.started
        data = self.as_json()
        out = pathlib.Path(self.config.getoption("report_dir"))
        if not out.is_absolute():
            out = pathlib.Path(self.config.rootpath) / out
        out.mkdir(parents=True, exist_ok=True)
        (out / "ledger.json").write_text(json.dumps(data, indent=2) + "\n")
        from .report import ledger_markdown

        (out / "ledger.md").write_text(ledger_markdown(data))
        from .html_report import render_html
        from .report_extras import extra_sections

        (out / "report.html").write_text(render_html(data, out, extra_sections()))
        self.report_dir = out
        self.data = data

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


def _failure_text(report, limit: int = 800) -> str:
    """The most informative lines of a failure: the E-lines of the assertion."""
    text = getattr(report, "longreprtext", "") or str(report.longrepr)
    lines = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("E ")]
    out = " | ".join(ln for ln in lines if ln) or text.strip().splitlines()[-1:][0:1] and \
        text.strip().splitlines()[-1]
    return out[:limit]


def _counts(verdicts) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in verdicts:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for pkg in ("numpy", "scipy", "sympy", "mpmath", "hypothesis", "pytest", "pytest-xdist"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out
