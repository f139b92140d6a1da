"""What a reader sees at the end of a run: the terminal table and summary, the Markdown.

Each behaviour of the rendering has its own test on a small synthetic ledger (no run
needed): columns stay aligned for long ids, evidence is cut at a word boundary, claims
that restate others say so, "deselected" is said only of deselected checks, a failed
claim shows its reason and reproduce command, the summary comes in rung order and lists
only material findings of the article, grouped by section.
"""
from __future__ import annotations

import pytest

from claimledger import report

pytestmark = pytest.mark.harness


def _claim(cid, verdict, section="1.2", **kw):
    base = {"id": cid, "section": section, "title": f"title of {cid}", "statement": "s",
            "assumptions": [], "intended_verdict": kw.pop("intended", verdict),
            "verdict": verdict, "earned": None, "corrected_earned": None, "evidence": [],
            "counterexample": None, "corrected_statement": None, "reason": None,
            "misled": None, "origin": "article", "paragraph": None, "note": None,
            "depends_on": [], "checks": [], "not_run": [], "problem": None,
            "figures": [], "tables": [], "package": "article"}
    base.update(kw)
    base["finding_of_source"] = base["origin"] == "article"
    return base


SECTIONS = {"1": "The perceptron", "2": "MLPs", "3": "Training", "4": "Stability",
            "7": "Frameworks"}
PACKAGE = {"name": "article", "source": "the article", "sections": SECTIONS,
           "origins": {"article": {"label": "a statement of the article", "findings": True},
                       "harness": {"label": "the harness's own corollary"},
                       "framework": {"label": "a finding about a framework"}}}


def _ledger(*claims, **kw):
    data = {"claims": list(claims), "seed": 0, "profile": "ci", "impl": "implementations",
            "duration_s": 1.0, "versions": {"python": "3.11"}, "problems": [],
            "earned_counts": {}, "packages": [PACKAGE],
            "optional": {"torch not installed": "make verify IMPL=torch"}}
    data["counts"] = {}
    for c in claims:
        data["counts"][c["verdict"]] = data["counts"].get(c["verdict"], 0) + 1
    data.update(kw)
    return data


def test_long_ids_keep_the_verdict_column_aligned():
    short = _claim("a-short-id", "proved", earned="proved")
    long_ = _claim("x" * 70, "proved", earned="proved")
    lines = report.terminal_lines(_ledger(short, long_))
    rows = [ln for ln in lines if "PROVED" in ln]
    assert len({ln.index("PROVED") for ln in rows}) == 1, rows


def test_evidence_is_cut_at_a_word_boundary():
    c = _claim("a", "supported", earned="supported",
               evidence=["alpha " * 40], checks=[{"nodeid": "n", "outcome": "passed"}])
    text = report.one_liner(c, 40)
    assert text.endswith(" ...") and len(text) <= 40
    assert all(w in ("alpha", "...") for w in text.split())


def test_claim_restating_others_names_them():
    c = _claim("takeaway", "proved", section="6", depends_on=["x-1", "x-2"])
    assert report.one_liner(c) == "restates x-1, x-2"


@pytest.mark.parametrize("not_run, expected", [
    (["checks/test_a.py::test_b deselected"], "1 check(s) deselected: test_b deselected"),
    (["checks/test_a.py::test_b not collected (checks/test_a.py was not part of the run)"],
     "not collected: checks/test_a.py"),
    ([], "no check of this claim was collected"),
])
def test_unverified_says_deselected_only_when_deselected(not_run, expected):
    c = _claim("a", "unverified", intended="proved", not_run=not_run)
    assert report.one_liner(c, 200) == expected


def test_failed_claim_shows_reason_and_reproduce_command():
    c = _claim("a", "failed", intended="proved", checks=[
        {"nodeid": "checks/test_a.py::test_b", "outcome": "failed",
         "failure": "AssertionError: 2 != 1", "reproduce": "./.venv/bin/python -m pytest x"}])
    lines = report.summary_lines(_ledger(c))
    assert any("a: AssertionError: 2 != 1" in ln for ln in lines), lines
    assert "    reproduce: ./.venv/bin/python -m pytest x" in lines
    md = report.ledger_markdown(_ledger(c))
    assert "**Why it failed.** AssertionError: 2 != 1" in md
    assert "**Reproduce.** `./.venv/bin/python -m pytest x`" in md


def test_summary_counts_come_in_rung_order():
    claims = [_claim("c", "cited"), _claim("q", "qualified"), _claim("p", "proved"),
              _claim("u", "unverified"), _claim("s", "supported"), _claim("i", "imprecise")]
    first = report.summary_lines(_ledger(*claims))[0]
    assert first == ("6 claims: 1 proved, 1 supported, 1 qualified, 1 imprecise, 1 cited, "
                     "1 unverified")


def test_headline_lists_only_material_article_findings_grouped_by_section():
    claims = [_claim("r1", "refuted", section="1.2", misled="readers bound the wrong loop"),
              _claim("q4", "qualified", section="4.1", misled="readers expect explosion"),
              _claim("imp", "imprecise", section="2.3"),
              _claim("fw", "qualified", section="7", origin="framework"),
              _claim("own", "refuted", section="3.1", origin="harness")]
    lines = report.summary_lines(_ledger(*claims))
    text = "\n".join(lines)
    assert "Where the article is wrong (2 material findings" in text
    i1, i4 = lines.index(f"  §1 {SECTIONS['1']}"), lines.index(f"  §4 {SECTIONS['4']}")
    assert i1 < i4
    assert "    r1 (refuted): readers bound the wrong loop" in lines
    assert "fw (" not in text and "own (" not in text
    assert "Imprecise wording, intended meaning right (1): imp" in text


def test_optional_part_that_did_not_run_is_one_line():
    claims = [_claim(f"torch-{i}", "unverified", section="7", intended="supported",
                     checks=[{"nodeid": "n", "outcome": "skipped",
                              "skip_reason": "torch not installed"}]) for i in range(3)]
    lines = report.summary_lines(_ledger(*claims))
    assert "not run: 3 §7 claims (torch not installed); run them with " \
           "`make verify IMPL=torch`" in lines


def test_earned_line_gives_share_proved_or_certified():
    data = _ledger(_claim("p", "proved"),
                   earned_counts={"proved": 3, "certified": 1, "supported": 4})
    assert ("earned by the passing checks of the 8 non-cited claims: 3 proved, 1 certified, "
            "4 supported (50 % proved or certified)") in report.summary_lines(data)


def test_progress_lines_start_on_their_own_line(pytester, tmp_path):
    from checks.harness.test_ledger import _run_file

    result, _ = _run_file(pytester, tmp_path, """
import pytest
@pytest.mark.claim("xor-inequality-sums", kind="symbolic")
def test_a(): pass
@pytest.mark.claim("xor-inequality-sums", kind="symbolic")
def test_b(): pass
""")
    lines = [ln for ln in result.stdout.lines if "[progress]" in ln]
    assert lines and all(ln.startswith("[progress]") for ln in lines), lines


def test_wrapped_summary_never_splits_a_claim_id():
    claims = [_claim(f"a-rather-long-claim-id-number-{i}", "imprecise") for i in range(12)]
    text = "\n".join(report.summary_lines(_ledger(*claims)))
    for c in claims:
        assert c["id"] in text, c["id"]
