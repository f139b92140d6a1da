"""A framework pass that is fair and stands alone (issue 25, items 5-8).

* the comparison does not blame the module for the harness's own failures: a claim that
  fails in the reference ledger too is reported apart, never UNEXPECTED;
* the pass stands alone: the reference ledger is produced on demand when missing or made
  with another seed/profile; a third party's pass leaves out the harness's own §7
  framework checks (impl-only), except the framework under test's; ``--impl PATH --claim
  X`` (space form) works; a plain ``--impl`` run writes to <report-dir>/<name>/, never
  over the reference ledger;
* declared working precision: tolerances follow it (float64 unchanged), and a float32
  module's demotion is one finding, not one failure per check; an undeclared demotion is
  caught;
* causes, not symptoms: failures grouped by kind of deviation, by protocol name and by
  documented cause, largest group first, with a representative example.
"""
from __future__ import annotations

import json
import pathlib
import sys
import textwrap
import tomllib

import pytest
from hypothesis import settings

from checks.support import precision as WP
from claimledger import compare_ledgers as C
from claimledger import seeds

pytestmark = pytest.mark.harness
ROOT = pathlib.Path(__file__).resolve().parents[2]


# -- helpers -------------------------------------------------------------------------------
def _ledger(path, verdicts: dict[str, str], *, seed=0, profile="ci", failures=None,
            names=None, **extra):
    failures, names = failures or {}, names or {}
    claims = [{"id": k, "section": "1.1", "title": k, "verdict": v,
               "checks": [{"nodeid": f"t::{k}", "outcome": "failed" if v == "failed"
                           else "passed", "failure": failures.get(k),
                           "impl_names": names.get(k, [])}]}
              for k, v in verdicts.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"impl": "m", "seed": seed, "profile": profile,
                                "claims": claims, **extra}))
    return path


def _config(tmp_path, report_dir) -> pathlib.Path:
    """The project's [tool.claimledger] table with absolute paths and another report-dir,
    so an in-process run can use the default report location without touching reports/."""
    table = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["claimledger"]
    lines = ["[tool.claimledger]", f'name = "{table["name"]}"',
             f"claims = {json.dumps(table['claims'])}",
             f"checks = {json.dumps([str(ROOT / c) for c in table['checks']])}",
             f"ignore = {json.dumps([str(ROOT / c) for c in table['ignore']])}",
             f'impl = "{table["impl"]}"', f'report-dir = "{report_dir}"',
             "[tool.claimledger.impl-aliases]"]
    lines += [f'{k} = "{v}"' for k, v in table["impl-aliases"].items()]
    lines.append("[tool.claimledger.impl-only]")
    lines += [f"{k} = {json.dumps([str(ROOT / p) for p in v])}"
              for k, v in table["impl-only"].items()]
    lines.append("[tool.claimledger.origins]")
    for o, spec in table["origins"].items():
        lines.append(f"{o} = {json.dumps(spec) if isinstance(spec, str) else _inline(spec)}")
    if "sections" in table:
        lines.append("[tool.claimledger.sections]")
        lines += [f'"{k}" = {json.dumps(v)}' for k, v in table["sections"].items()]
    path = tmp_path / "claims.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _inline(spec: dict) -> str:
    return "{" + ", ".join(f"{k} = {json.dumps(v) if not isinstance(v, bool) else str(v).lower()}"
                           for k, v in spec.items()) + "}"


def _run(pytester, *args):
    outer = settings.get_current_profile_name()
    try:
        return pytester.runpytest_inprocess(
            "--rootdir", str(ROOT), "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
            "--root-seed", str(seeds.root_seed()), *args)
    finally:
        settings.load_profile(outer)


BROKEN_MSE = '''
    """The reference with an MSE computed in float32 (returned as a float64 number)."""
    import numpy as np
    from implementations import *  # noqa
    from implementations import mse_loss as _mse

    {conventions}

    def mse_loss(pred, target):
        p, t = np.asarray(pred, dtype=np.float32), np.asarray(target, dtype=np.float32)
        _mse(pred, target)  # the reference's argument checks
        return float(np.mean((p - t) ** 2, dtype=np.float32))
'''


def _module(tmp_path, name, conventions=""):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(BROKEN_MSE.format(conventions=conventions)))
    return path


# == item 5: failed / failed is the harness's =================================================
def test_a_claim_failing_in_the_reference_too_is_not_unexpected(tmp_path, capsys):
    ref = _ledger(tmp_path / "ref.json", {"a-b": "failed", "c-d": "proved"})
    other = _ledger(tmp_path / "o" / "ledger.json", {"a-b": "failed", "c-d": "proved"})
    assert C.main([str(ref), str(other)]) == 0
    out = capsys.readouterr().out
    assert "failing in the reference too (harness, not m): a-b" in out
    assert "UNEXPECTED" not in out
    assert "`a-b`" in (other.parent / "side_by_side.md").read_text()
    # a claim failing only under the module is still unexpected
    other = _ledger(tmp_path / "o" / "ledger.json", {"a-b": "failed", "c-d": "failed"})
    assert C.main([str(ref), str(other)]) == 1
    assert "UNEXPECTED failure under m: c-d" in capsys.readouterr().out


# == item 6: a pass that stands alone ==========================================================
def test_reference_ledger_is_made_when_missing_or_of_another_seed(tmp_path, capsys):
    ref = tmp_path / "ref.json"
    other = _ledger(tmp_path / "o" / "ledger.json", {"a-b": "proved"}, seed=1)
    log = tmp_path / "ran.txt"
    make = (f"{sys.executable} -c \"import json, pathlib; pathlib.Path(r'{log}').open('a')"
            f".write('ran\\n'); pathlib.Path(r'{ref}').write_text(json.dumps({{'impl': 'r', "
            f"'seed': 1, 'profile': 'ci', 'claims': []}}))\"")
    assert C.main([str(ref), str(other), "--reference-command", make]) == 0
    assert log.read_text() == "ran\n" and "running the reference pass" in capsys.readouterr().out
    assert C.main([str(ref), str(other), "--reference-command", make]) == 0  # reused
    assert log.read_text() == "ran\n"
    _ledger(ref, {"a-b": "proved"}, seed=0)  # another seed: made again
    assert C.main([str(ref), str(other), "--reference-command", make]) == 0
    assert log.read_text() == "ran\nran\n"
    assert "made with seed 0" in capsys.readouterr().out


def test_third_party_pass_leaves_out_framework_checks_and_keeps_the_reference_ledger(
        pytester, tmp_path):
    reports = tmp_path / "reports"
    cfg = _config(tmp_path, reports)
    module = _module(tmp_path, "mymod")
    # space form: --impl PATH --claim X
    result = _run(pytester, str(ROOT / "checks"), "--claims-config", str(cfg),
                  "--impl", str(module), "--claim", "regression-losses-match-catalogue")
    assert result.ret in (0, 1), result.stdout.str()[-2000:]
    assert not (reports / "ledger.json").exists(), "the reference ledger was written over"
    ledger = json.loads((reports / "mymod" / "ledger.json").read_text())
    ids = {c["id"] for c in ledger["claims"]}
    assert "regression-losses-match-catalogue" in ids
    for framework_claim in ("torch-default-dtype-is-float32",
                            "jax-relu-derivative-at-zero-is-zero",
                            "keras-dropout-is-inverted"):
        assert framework_claim in ledger["left_out"] and framework_claim not in ids
    assert {c["verdict"] for c in ledger["claims"]
            if c["id"] == "regression-losses-match-catalogue"} == {"failed"}


def test_a_framework_pass_keeps_its_own_section_7_checks():
    from claimledger.config import read

    cfg = read(ROOT / "pyproject.toml")
    own = {a: set(cfg.impl_only[a]) for a in ("torch", "jax", "keras")}
    for alias in own:
        left = set(cfg.left_out(alias))
        assert not left & own[alias] and left == set().union(*(own[b] for b in own
                                                              if b != alias))
    assert cfg.left_out("implementations") == () and cfg.left_out(None) == ()
    assert set(cfg.left_out("some/module.py")) == set().union(*own.values())
    # the dotted name of an alias is the same implementation
    assert set(cfg.left_out("implementations.adapters.keras_adapter")) == \
        set(cfg.left_out("keras"))


# == item 7: declared working precision ========================================================
def test_tolerances_follow_the_declared_precision():
    class Impl:
        def __init__(self, p):
            self.p = p

        def convention(self, key):
            assert key == "precision"
            return self.p

    f64, f32 = Impl("float64"), Impl("float32")
    assert WP.tol(f64, 1e-12) == 1e-12 and WP.tol(f64, 0.0) == 0.0  # float64 unchanged
    assert WP.tol(f32, 2.0**-53) == 2.0**-24  # the same number of units of roundoff
    assert WP.tol(f32, 1e-9) == WP.CAP  # capped: a tolerance never excuses a real defect
    assert WP.underflow_tol(f64, 1e-300) == 1e-300
    assert WP.underflow_tol(f32, 1e-300) > 1e-38
    assert WP.rounded(f32, 55 / 6) == float(__import__("numpy").float32(55 / 6))
    assert list(WP.representable(f32, [1.0, 1e39, 1e-40, 0.0])) == [True, False, False, True]


@pytest.mark.parametrize("declared", [False, True], ids=["undeclared", "declared-float32"])
def test_demotion_is_one_finding_when_declared_and_caught_when_not(pytester, tmp_path,
                                                                   declared):
    conv = 'CONVENTIONS = {"precision": "float32"}' if declared else ""
    module = _module(tmp_path, "mse32", conv)
    reports = tmp_path / "out"
    claims = ["implementation-computes-at-its-declared-precision",
              "regression-losses-match-catalogue"]
    args = [str(ROOT / "checks/test_s7_precision.py"), str(ROOT / "checks/test_s3_losses.py"),
            "--impl", str(module), "--report-dir", str(reports), "--no-shrink"]
    for c in claims:
        args += ["--claim", c]
    _run(pytester, *args)
    ledger = json.loads((reports / "ledger.json").read_text())
    verdicts = {c["id"]: c["verdict"] for c in ledger["claims"] if c["id"] in claims}
    if declared:
        # float32 tolerances: the MSE passes; the demotion is listed once, as a finding
        assert verdicts[claims[0]] == "supported" and verdicts[claims[1]] != "failed", verdicts
        assert len(ledger["impl_findings"]) == 1
        assert "mse_loss" in ledger["impl_findings"][0]["text"]
        assert ledger["impl_conventions"] == {"precision": "float32"}
    else:
        assert verdicts == {claims[0]: "failed", claims[1]: "failed"}, verdicts
        assert ledger["impl_findings"] == []


def test_reference_keeps_float64_everywhere():
    import implementations
    from checks.test_s7_precision import census, check_declared_precision
    from claimledger.impl import Implementation

    found = census(Implementation(implementations, "implementations", implementations))
    assert len(found) > 30 and check_declared_precision("float64", found) == []


# == item 8: causes, not symptoms ==============================================================
MESSAGES = {
    "nan-a": "Not equal | nan location mismatch: | ACTUAL: array(nan)",
    "nan-b": "assert all finite | ACTUAL: array([nan, 0.])",
    "nan-c": "x | nan location mismatch",
    "inf-a": "inf location mismatch: | ACTUAL: array(inf) | DESIRED: array(1.4e+200)",
    "eps-a": "assert 7.365900639076166 == inf",  # finite where inf is due: a cap
    "zero-a": "gelu(-36.0) = -0.0, 50-digit value -1.505744663687022e-282",
    "eps-b": "Max absolute difference among violations: 1.00000008e-07 | ACTUAL: array(1.e-07)",
    "shape-a": "rejected by Kolmogorov-Smirnov fit to N(0, 1)",
    "prec-a": "Not equal to tolerance rtol=1e-12 | Max relative difference among violations: "
              "2.2351742e-08",
    "conv-a": "Arrays are not equal | [0]: 0.0 (ACTUAL), 1.0 (DESIRED) | Max relative "
              "difference among violations: 1.",
}


def test_kinds_of_deviation_are_read_off_failure_messages():
    want = {"nan-a": "NaN", "nan-b": "NaN", "nan-c": "NaN", "inf-a": "overflow",
            "eps-a": "epsilon clipping", "eps-b": "epsilon clipping",
            "zero-a": "underflow to zero",
            "shape-a": "shape of a distribution", "prec-a": "dtype/precision",
            "conv-a": "convention"}
    assert {k: C.kind_of(v) for k, v in MESSAGES.items()} == want


def test_failures_are_grouped_largest_first_with_a_representative(tmp_path, capsys):
    names = {"nan-a": ["batchnorm_train"], "nan-b": ["batchnorm_train"],
             "nan-c": ["clip_grad_norm"], "inf-a": ["clip_grad_norm"],
             "eps-b": ["binary_cross_entropy"], "prec-a": ["mse_loss"]}
    verdicts = {k: "failed" for k in names}
    ref = _ledger(tmp_path / "ref.json", {k: "proved" for k in names})
    other = _ledger(tmp_path / "o" / "ledger.json", verdicts, failures=MESSAGES, names=names)
    known = tmp_path / "known.py"
    known.write_text("KNOWN_DIFFERENCES = {"
                     + ", ".join(f'"{k}": "[cause-{k[:3]}] text"' for k in names) + "}\n")
    assert C.main([str(ref), str(other), "--known", str(known)]) == 0
    out = capsys.readouterr().out
    groups = C.group_causes(json.loads(other.read_text()), list(names),
                            {k: f"[cause-{k[:3]}] text" for k in names})
    assert [g[0] for g in groups["kind"]][:2] == ["NaN", "dtype/precision"] or \
        groups["kind"][0][0] == "NaN"
    assert groups["kind"][0] == ("NaN", ["nan-a", "nan-b", "nan-c"],
                                 ("nan-a", MESSAGES["nan-a"]))
    assert [g[0] for g in groups["name"]][:2] == ["batchnorm_train", "clip_grad_norm"]
    assert groups["documented"][0][0] == "cause-nan" and len(groups["documented"][0][1]) == 3
    sizes = [len(g[1]) for g in groups["kind"]]
    assert sizes == sorted(sizes, reverse=True)
    for title in ("by documented cause", "by kind of deviation", "by protocol name"):
        assert title in out
    assert "NaN: 3 claim(s), e.g. nan-a" in out
