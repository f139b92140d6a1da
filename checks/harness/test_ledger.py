"""The ledger plugin: outcomes become verdicts; bad links are usage errors; xdist agrees."""
from __future__ import annotations

import json

import pytest
from hypothesis import settings

from checks.harness.test_teeth import ROOT, run_checks_against
from claimledger import seeds

pytestmark = pytest.mark.harness


def _run_file(pytester, tmp_path, source: str, *extra):
    pytester.makepyfile(test_synthetic=source)
    outer = settings.get_current_profile_name()
    try:
        result = pytester.runpytest_inprocess("-p", "conftest", "-p", "no:cacheprovider",
                                              "--claims-config", str(ROOT / "pyproject.toml"),
                                              "--report-dir", str(tmp_path),
                                              "--root-seed", str(seeds.root_seed()),
                                              "--no-static-index", *extra)
    finally:
        settings.load_profile(outer)
    path = tmp_path / "ledger.json"
    ledger = json.loads(path.read_text()) if path.exists() else None
    return result, ledger


def _verdict(ledger, cid):
    return next(c for c in ledger["claims"] if c["id"] == cid)["verdict"]


def test_failing_check_marks_claim_failed(pytester, tmp_path):
    result, ledger = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("worked-two-point-example", kind="exact")
def test_passes(): pass
@pytest.mark.claim("worked-two-point-example", kind="exact")
def test_fails(): assert 1 == 2
""")
    assert _verdict(ledger, "worked-two-point-example") == "failed"
    assert "reproduce" in result.stdout.str() and "--root-seed" in result.stdout.str()


def test_skipped_check_marks_claim_unverified_never_passing(pytester, tmp_path):
    _, ledger = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("xor-inequality-sums", kind="symbolic")
def test_passes(): pass
@pytest.mark.claim("xor-inequality-sums", kind="symbolic")
def test_skips(): pytest.skip("not provided")
""")
    assert _verdict(ledger, "xor-inequality-sums") == "unverified"
    assert _verdict(ledger, "worked-two-point-example") == "unverified"  # deselected
    assert _verdict(ledger, "novikoff-1962-history") == "cited"


def test_all_passing_checks_give_intended_verdict_and_evidence(pytester, tmp_path):
    _, ledger = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("xor-inequality-sums", kind="symbolic")
def test_passes(evidence):
    evidence.note("n=3 cases")
    evidence.worst("ratio", 0.5)
""")
    c = next(c for c in ledger["claims"] if c["id"] == "xor-inequality-sums")
    assert c["verdict"] == "proved" and c["earned"] == "proved"
    assert c["checks"][0]["kind"] == "symbolic" and c["checks"][0]["scope"] == "whole"
    assert c["evidence"] == ["n=3 cases", "max ratio = 0.5"]
    for key in ("id", "section", "title", "statement", "verdict", "evidence",
                "counterexample", "corrected_statement", "checks"):
        assert key in c
    for key in ("seed", "profile", "duration_s", "versions", "impl"):
        assert key in ledger


def test_unknown_claim_is_a_usage_error(pytester, tmp_path):
    result, _ = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("no-such-claim", kind="exact")
def test_x(): pass
""")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "unknown claims" in result.stderr.str() + result.stdout.str()


@pytest.mark.parametrize("kind, scope, earned", [
    ("sampled", "whole", "supported"),
    ("statistical", "whole", "supported"),
    ("symbolic", "instance", "supported"),
    ("exact", "instance", "supported"),
    ("interval", "whole", "certified"),
    ("figure", "whole", "nothing"),
])
def test_claim_declared_above_its_earned_rung_fails_the_run(pytester, tmp_path, kind, scope,
                                                             earned):
    result, ledger = _run_file(pytester, tmp_path, f"""
import pytest
@pytest.mark.claim("xor-inequality-sums", kind="{kind}", scope="{scope}")
def test_passes(): pass
""")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    c = next(c for c in ledger["claims"] if c["id"] == "xor-inequality-sums")
    assert c["verdict"] == "failed"
    assert c["problem"].startswith("claim xor-inequality-sums is declared proved but its "
                                   f"passing checks earn {earned}")
    out = result.stdout.str()
    assert "USAGE ERROR: 1 claim(s) declared above the rung" in out
    assert f"xor-inequality-sums: is declared proved but its passing checks earn {earned}" in out


def test_whole_interval_check_earns_certified_but_not_proved(pytester, tmp_path):
    _, ledger = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("xor-inequality-sums", kind="interval")
@pytest.mark.claim("xor-inequality-sums", kind="sampled")
def test_passes(): pass
""")
    c = next(c for c in ledger["claims"] if c["id"] == "xor-inequality-sums")
    assert c["earned"] == "certified"


def test_link_without_kind_is_a_usage_error(pytester, tmp_path):
    result, _ = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("xor-inequality-sums")
def test_x(): pass
""")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "needs kind=" in result.stderr.str() + result.stdout.str()


def test_finding_needs_a_counterexample_target_and_records_corrected_rung(pytester,
                                                                           tmp_path):
    result, ledger = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("novikoff-bound-for-bias-perceptron", kind="exact", target="corrected")
def test_corrected(): pass
""")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    c = next(c for c in ledger["claims"] if c["id"] == "novikoff-bound-for-bias-perceptron")
    assert c["verdict"] == "failed" and "re-checks its counterexample" in c["problem"]
    result, ledger = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("novikoff-bound-for-bias-perceptron", kind="exact", target="corrected")
def test_corrected(): pass
@pytest.mark.claim("novikoff-bound-for-bias-perceptron", kind="exact",
                   target="counterexample")
def test_counterexample(): pass
""")
    assert result.ret == 0
    c = next(c for c in ledger["claims"] if c["id"] == "novikoff-bound-for-bias-perceptron")
    assert c["verdict"] == c["intended_verdict"]
    assert c["corrected_earned"] == "proved" and c["counterexample_kind"] == "proved"


@pytest.mark.parametrize("cid, target", [
    ("novikoff-bound-for-bias-perceptron", "statement"),
    ("xor-inequality-sums", "corrected"),
])
def test_link_target_must_fit_the_claims_verdict(pytester, tmp_path, cid, target):
    result, _ = _run_file(pytester, tmp_path, f"""
import pytest
@pytest.mark.claim("{cid}", kind="exact", target="{target}")
def test_x(): pass
""")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "wrong target" in result.stderr.str() + result.stdout.str()


def test_check_without_claim_is_a_usage_error(pytester, tmp_path):
    result, _ = _run_file(pytester, tmp_path, "def test_x(): pass\n")
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_xdist_gives_same_ledger_as_serial(pytester, tmp_path):
    claims = ["worked-two-point-example", "novikoff-count-fixed-by-ratio",
              "updates-only-on-mistakes"]
    serial, _ = run_checks_against(pytester, tmp_path / "serial", "implementations", claims, "ci")
    args = [str(ROOT / "checks"), "--rootdir", str(ROOT), "--ignore", str(ROOT / "checks/harness"),
            "-n", "2", "-p", "no:cacheprovider", "-q", "--report-dir", str(tmp_path / "xdist"),
            "--root-seed", str(seeds.root_seed())] + [a for c in claims for a in ("--claim", c)]
    result = pytester.runpytest_subprocess(*args, timeout=120)
    assert result.ret == 0, result.stdout.str()[-2000:]
    par = {c["id"]: c for c in json.loads((tmp_path / "xdist" / "ledger.json").read_text())["claims"]}
    for cid in claims:
        assert par[cid]["verdict"] == serial[cid]["verdict"] != "failed"
        assert par[cid]["evidence"] == serial[cid]["evidence"], cid


@pytest.mark.harness
@pytest.mark.parametrize("module, section", [
    ("checks/test_s2_uat.py", "2"),
    ("checks/test_s7_frameworks.py", "7"),
    ("checks/harness/test_s4_contracts.py", "harness"),
    ("checks/harness/test_ledger.py", "harness"),
])
def test_progress_sections_come_from_the_claims_a_check_module_names(module, section):
    """A module's progress line is the section most of its claims come from; the
    tooling's own tests (not in the static index) are 'harness'."""
    import types

    from claimledger import links
    from claimledger.claims import claims_of
    from claimledger.ledger import Ledger

    mods = sorted((ROOT / "checks").glob("test_*.py"))
    fake = types.SimpleNamespace(static=links.static_index(mods, ROOT),
                                 claims=claims_of(["theorems"]), _module_sections={})
    assert Ledger.section_of_module(fake, module) == section


def test_partial_run_never_overwrites_a_complete_report(pytester, tmp_path):
    (tmp_path / "ledger.json").write_text('{"complete": true, "claims": []}')
    _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("xor-inequality-sums", kind="symbolic")
def test_passes(): pass
""")
    assert (tmp_path / "ledger.json").read_text() == '{"complete": true, "claims": []}'
    partial = json.loads((tmp_path / "partial" / "ledger.json").read_text())
    assert partial["complete"] is False


def test_failed_check_records_a_reproduce_command_for_a_fresh_shell(pytester, tmp_path):
    _, ledger = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("worked-two-point-example", kind="exact")
def test_fails(): assert 1 == 2
""")
    c = next(c for c in ledger["claims"] if c["id"] == "worked-two-point-example")
    cmd = c["checks"][0]["reproduce"]
    assert " -m pytest " in cmd and "test_synthetic.py::test_fails --root-seed " in cmd
    assert cmd.endswith("--report-dir reports/reproduce")
    assert c["checks"][0]["failure"].startswith("assert 1 == 2")


def test_partially_run_claim_is_unverified_naming_the_deselected_check(pytester, tmp_path):
    """The claim's symbolic proof is deselected; its one float check passing must not
    report the claim at its declared rung (nor at all)."""
    args = [str(ROOT / "checks/test_s3_gradient_descent.py"), "--rootdir", str(ROOT),
            "-k", "no_unit_direction", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
            "--report-dir", str(tmp_path), "--root-seed", str(seeds.root_seed())]
    outer = settings.get_current_profile_name()
    try:
        result = pytester.runpytest_inprocess(*args)
    finally:
        settings.load_profile(outer)
    assert result.ret == 0, result.stdout.str()[-1500:]
    ledger = json.loads((tmp_path / "ledger.json").read_text())
    c = next(c for c in ledger["claims"]
             if c["id"] == "negative-gradient-is-steepest-descent-direction")
    assert c["verdict"] == "unverified"
    assert any("test_cauchy_schwarz_with_equality_case_symbolic deselected" in n
               for n in c["not_run"]), c["not_run"]
    other = next(c for c in ledger["claims"] if c["id"] == "worked-two-point-example")
    assert other["verdict"] == "unverified"
    assert any("not collected" in n for n in other["not_run"]), other["not_run"]
    assert ledger["complete"] is False
