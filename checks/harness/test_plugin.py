"""claimledger as a plugin: a claims package of its own, in a throw-away directory.

Each test writes a small project (pyproject.toml with a ``[tool.claimledger]`` table, a
claims module, checks) into pytester's directory and runs pytest there, as a user of the
installed plugin would: nothing of the article is involved, and the ledger must hold only
that package's claims. Also the fixed usage bugs: an unknown claim id under ``-n 2``, a
``--collect-only`` run, a hypothesis test failing on several examples, ``--claim``.
"""
from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import settings

pytestmark = pytest.mark.harness


def _project(pytester, name: str, *, source: str | None = None, extra_toml: str = "",
             claims: str | None = None, checks: str | None = None) -> str:
    """Write a small claims package; returns its claims module's name (unique per test,
    because the claim registry lives as long as the outer process)."""
    mod = f"claims_{name}"
    src = "" if source is None else textwrap.dedent(f"""
        [tool.claimledger.source]
        name = "the note"
        text = "{source}"
        """)
    pytester.makefile(".toml", pyproject=textwrap.dedent(f"""
        [tool.claimledger]
        name = "own"
        claims = ["{mod}"]
        checks = ["tests"]
        {extra_toml}

        [tool.claimledger.sections]
        "softmax" = "Softmax"
        "adam" = "Adam"

        [tool.claimledger.origins]
        ours = {{label = "a statement of ours", findings = true}}
        corollary = {{label = "our own corollary"}}
        """) + src)
    pytester.makepyfile(**{mod: claims or textwrap.dedent(f"""
        from claimledger import claim

        claim("{name}-shift-invariant", "softmax", "softmax is shift invariant",
              statement="softmax(z + c) = softmax(z)", verdict="proved")
        claim("{name}-wrong-sum", "adam", "a false statement",
              statement="1 + 1 = 3", verdict="refuted", corrected_statement="1 + 1 = 2",
              misled="a reader adds wrongly")
        """)})
    tests = pytester.mkdir("tests")
    (tests / "test_own.py").write_text(checks or textwrap.dedent(f"""
        import pytest
        from fractions import Fraction

        @pytest.mark.claim("{name}-shift-invariant", kind="exact")
        def test_shift(control):
            def derive(c):
                assert Fraction(2) + c - c == 2
                assert c == 0, "the shift must cancel"
            control(derive, 0, 1)

        @pytest.mark.claim("{name}-wrong-sum", kind="exact", target="counterexample")
        def test_counterexample(evidence):
            assert 1 + 1 != 3
            evidence.counterexample("1 + 1 = 2, not 3")
        """))
    return mod


def _run(pytester, *args):
    outer = settings.get_current_profile_name()
    try:
        return pytester.runpytest_inprocess("-p", "no:cacheprovider", *args)
    finally:
        settings.load_profile(outer)


def _ledger(pytester):
    path = pytester.path / "reports" / "ledger.json"
    return json.loads(path.read_text()) if path.exists() else None


def test_plugin_stays_out_of_a_project_without_the_table(pytester):
    pytester.makepyfile(test_plain="def test_ok(): assert True\n")
    result = _run(pytester)
    assert result.ret == 0
    assert "claim ledger" not in result.stdout.str()
    assert not (pytester.path / "reports").exists()


def test_own_package_gets_its_verdicts_and_only_its_claims(pytester):
    _project(pytester, "own1")
    result = _run(pytester)
    assert result.ret == 0, result.stdout.str()[-2000:]
    data = _ledger(pytester)
    assert {c["id"]: c["verdict"] for c in data["claims"]} == {
        "own1-shift-invariant": "proved", "own1-wrong-sum": "refuted"}
    assert [p["name"] for p in data["packages"]] == ["own"]
    out = result.stdout.str()
    assert "Where the note is wrong" not in out  # no source text declared: "the source"
    assert "Where the source is wrong (1 material findings" in out
    assert "§softmax Softmax" in out and "§adam Adam" in out


def test_findings_are_headed_by_the_source_name(pytester):
    (pytester.path / "note.txt").write_text("1. Softmax\n\nsoftmax is shift invariant.\n")
    _project(pytester, "named", source="note.txt", claims=textwrap.dedent("""
        from claimledger import claim
        claim("named-shift", "1", "shift", statement="s", verdict="supported", paragraph=1)
        claim("named-wrong", "1", "wrong", statement="w", verdict="refuted", paragraph=1,
              corrected_statement="c", misled="a reader adds wrongly")
        """), checks=textwrap.dedent("""
        import pytest
        @pytest.mark.claim("named-shift", kind="sampled")
        def test_a(): pass
        @pytest.mark.claim("named-wrong", kind="sampled", target="counterexample")
        def test_b(): pass
        """))
    result = _run(pytester)
    assert result.ret == 0, result.stdout.str()[-2000:]
    assert "Where the note is wrong (1 material findings" in result.stdout.str()


def test_source_text_makes_paragraph_locators_required(pytester):
    (pytester.path / "note.txt").write_text("1. Softmax\n\nsoftmax is shift invariant.\n")
    _project(pytester, "loc", source="note.txt")
    result = _run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str() + result.stdout.str()
    assert "loc-shift-invariant: package own declares a source text, so its statements " \
           "need paragraph=" in err


def test_undeclared_origin_is_a_usage_error(pytester):
    _project(pytester, "orig", claims=textwrap.dedent("""
        from claimledger import claim
        claim("orig-a", "adam", "a", statement="s", verdict="supported", origin="theirs")
        """), checks=textwrap.dedent("""
        import pytest
        @pytest.mark.claim("orig-a", kind="sampled")
        def test_a(): pass
        """))
    result = _run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "origin 'theirs' is not one of package own's origins" in \
        result.stderr.str() + result.stdout.str()


def test_unknown_claim_id_under_xdist_is_a_clean_usage_error(pytester):
    _project(pytester, "xd", checks=textwrap.dedent("""
        import pytest
        @pytest.mark.claim("xd-shift-invariant", kind="sampled")
        def test_a(): pass
        @pytest.mark.claim("xd-shift-invariamt", kind="sampled")
        def test_typo(): pass
        """))
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", timeout=120)
    text = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, text[-2000:]
    assert "INTERNALERROR" not in text
    assert "'xd-shift-invariamt' named by tests/test_own.py::test_typo (did you mean " \
           "'xd-shift-invariant'?)" in text


def test_unknown_claim_filter_under_xdist_is_a_clean_usage_error(pytester):
    _project(pytester, "xf")
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider",
                                           "--claim", "xf-shift-invariantt", timeout=120)
    text = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, text[-2000:]
    assert "INTERNALERROR" not in text and "--claim: unknown claim(s)" in text


def test_collect_only_writes_no_ledger(pytester):
    _project(pytester, "co")
    result = _run(pytester, "--collect-only", "-q")
    assert result.ret == 0
    assert _ledger(pytester) is None


def test_exception_group_reason_shows_the_first_failed_assertion(pytester):
    _project(pytester, "eg", checks=textwrap.dedent("""
        import pytest
        from hypothesis import given, strategies as st

        @pytest.mark.claim("eg-shift-invariant", kind="sampled")
        @given(st.integers())
        def test_two_failures(x):
            if x > 10:
                assert x < 5, "shift broke the sum"
            if x < -10:
                raise ValueError("another failure")

        @pytest.mark.claim("eg-wrong-sum", kind="exact", target="counterexample")
        def test_counterexample(): assert 1 + 1 != 3
        """))
    _run(pytester)
    c = next(c for c in _ledger(pytester)["claims"] if c["id"] == "eg-shift-invariant")
    failure = c["checks"][0]["failure"]
    assert failure.startswith("2 distinct failures; first: AssertionError: shift broke the "
                              "sum"), failure
    assert "Falsifying example" in failure and "+---" not in failure


def test_claim_filter_shows_the_selected_claims_and_counts_the_rest(pytester):
    _project(pytester, "sel")
    result = _run(pytester, "--claim", "sel-wrong-sum")
    out = result.stdout.str()
    assert "sel-wrong-sum" in out
    assert "sel-shift-invariant " not in out
    assert "... and 1 other claims, not selected by --claim (sel-wrong-sum)" in out
    assert "1 selected claim(s): 1 refuted; 1 others not selected (unverified)" in out


def test_negative_control_that_passes_fails_the_check(pytester):
    _project(pytester, "nc", checks=textwrap.dedent("""
        import pytest

        @pytest.mark.claim("nc-shift-invariant", kind="symbolic")
        def test_proof_that_cannot_fail(control):
            def derive(c):
                assert c == c  # compares the statement with itself
            control(derive, 0, 1, labels=["shift by 1"])

        @pytest.mark.claim("nc-wrong-sum", kind="exact", target="counterexample")
        def test_counterexample(): assert 1 + 1 != 3
        """))
    _run(pytester)
    c = next(c for c in _ledger(pytester)["claims"] if c["id"] == "nc-shift-invariant")
    assert c["verdict"] == "failed"
    assert "negative control not rejected" in c["checks"][0]["failure"]
    assert c["checks"][0]["controls"] == [["shift by 1", False]]


def test_loading_the_plugin_imports_nothing_heavy():
    """The entry point is loaded in every pytest run of the environment: it must cost
    nothing (numpy, scipy, sympy and hypothesis are imported only in an active project)."""
    import subprocess
    import sys

    code = ("import sys, claimledger, claimledger.plugin; print(sorted(m for m in "
            "('numpy', 'scipy', 'sympy', 'hypothesis', 'mpmath') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_proof_without_a_negative_control_earns_only_supported(pytester):
    _project(pytester, "nocontrol", checks=textwrap.dedent("""
        import pytest
        import sympy as sp

        @pytest.mark.claim("nocontrol-shift-invariant", kind="symbolic")
        def test_proof_without_control():
            # sizeless: a toy identity
            x = sp.Symbol("x")
            assert sp.expand((x + 1) ** 2 - x**2 - 2 * x - 1) == 0

        @pytest.mark.claim("nocontrol-wrong-sum", kind="exact", target="counterexample")
        def test_counterexample(): assert 1 + 1 != 3
        """))
    result = _run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    c = next(c for c in _ledger(pytester)["claims"] if c["id"] == "nocontrol-shift-invariant")
    assert c["verdict"] == "failed" and c["earned"] == "supported"
    assert "without a rejected negative control" in c["problem"]


def test_nested_no_shrink_run_leaves_the_outer_tests_settings_alone(pytester):
    """A harness test's nested run (here with --no-shrink, as every broken-implementation
    run) seeds and re-phases the hypothesis tests it collects; the function objects are
    shared with the outer session, so the nested session must give them back unchanged,
    with the process's root seed and profile."""
    import importlib
    import pathlib

    from claimledger import seeds

    root = pathlib.Path(__file__).resolve().parents[2]
    mod = importlib.import_module("checks.test_s1_perceptron")
    fn = mod.test_sign_matches_the_two_cases
    before = {a: fn.__dict__.get(a) for a in ("_hypothesis_internal_use_seed",
                                              "_hypothesis_internal_use_settings")}
    seed_before, profile_before = seeds.root_seed(), settings.get_current_profile_name()
    result = pytester.runpytest_inprocess(
        str(root / "checks" / "test_s1_perceptron.py"), "--rootdir", str(root), "-p",
        "no:xdist", "-p", "no:cacheprovider", "-q", "--no-shrink", "--no-ledger",
        "--root-seed", str(seed_before + 17), "--hypothesis-profile", "thorough",
        "-k", "sign_matches")
    assert result.ret == 0, result.stdout.str()[-1500:]
    after = {a: fn.__dict__.get(a) for a in before}
    assert after == before, "the nested run changed the outer session's hypothesis test"
    assert seeds.root_seed() == seed_before
    assert settings.get_current_profile_name() == profile_before
