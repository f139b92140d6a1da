"""The result cache (claimledger.cache): a check is replayed only when its key is unchanged.

Each test builds a small project in pytester's directory (check modules, a helper module,
an implementation package) whose checks link to real claims, and runs it in-process with
an explicit ``--cache-dir`` (a nested session uses no cache otherwise). What ran now and
what was replayed is read from the ledger (every check records ``cache.status``).
"""
from __future__ import annotations

import json

import pytest
from hypothesis import settings

from checks.harness.test_teeth import ROOT
from claimledger import seeds

pytestmark = pytest.mark.harness

HELPER_A = "def value():\n    return 1\n"
HELPER_B = "def value():\n    return 2\n"
CHECK_A = """
import pytest
from helper_a import value
@pytest.mark.claim("mlp-output-is-layer-recursion", kind="sampled")
def test_a(): assert value() == 1
"""
CHECK_B = """
import pytest
from helper_b import value
@pytest.mark.claim("zoo-implementations-finite-for-every-float", kind="sampled")
@pytest.mark.parametrize("k", [1, 2])
def test_b(k): assert value() * k in (2, 4)
"""
# an implementation package: relu and sigmoid live in different files
IMPL = {
    "myimpl/__init__.py": "from .act_relu import relu\nfrom .act_sigmoid import sigmoid\n",
    "myimpl/act_relu.py": "def relu(z):\n    return max(z, 0.0)\n",
    "myimpl/act_sigmoid.py": "import math\ndef sigmoid(z):\n    return 1 / (1 + math.exp(-z))\n",
}
CHECK_IMPL = """
import pytest
@pytest.mark.claim("mlp-output-is-layer-recursion", kind="sampled")
def test_relu(impl): assert impl.relu(-1.0) == 0.0
@pytest.mark.claim("zoo-implementations-finite-for-every-float", kind="sampled")
def test_sigmoid(impl): assert impl.sigmoid(0.0) == 0.5
@pytest.mark.claim("updates-only-on-mistakes", kind="sampled")
def test_no_impl(): assert True
"""


@pytest.fixture(autouse=True)
def _cache_not_forced_fresh(monkeypatch):
    """These tests replay on purpose: CI's environment (``$CI``,
    ``$CLAIMLEDGER_CACHE_FRESH``, which .ci/run sets) would make every nested run fresh."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CLAIMLEDGER_CACHE_FRESH", raising=False)


def _project(pytester, files: dict[str, str], syspath: bool = False) -> None:
    # its own rootdir and inifile, the same for the in-process and the subprocess runs
    pytester.makeini("[pytest]\n")
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if syspath:  # an implementation package must import before collection (--impl)
        pytester.syspathinsert()


def _run(pytester, tmp_path, *extra, cache=True, xdist=False):
    """One nested run; returns (result, {nodeid: "ran" | "cached"}, {nodeid: outcome}).
    The synthetic checks link to claims the article's checks support (kind "sampled"), so
    a run that passes them is not a usage error (a proof needs a negative control)."""
    out = tmp_path / "report"
    args = ["-p", "no:cacheprovider", "--claims-config",
            str(ROOT / "pyproject.toml"), "--report-dir", str(out), "--no-static-index",
            "--root-seed", str(seeds.root_seed())]
    if not xdist:
        args += ["-p", "no:xdist"]
    if cache:
        args += ["--cache-dir", str(tmp_path / "cache")]
    outer, outer_seed = settings.get_current_profile_name(), seeds.root_seed()
    try:
        result = pytester.runpytest_inprocess(*args, *extra)
    finally:  # the nested run sets its own profile and root seed in this process
        settings.load_profile(outer)
        seeds.set_root_seed(outer_seed)
    ledger = json.loads((out / "ledger.json").read_text())
    status, outcome = {}, {}
    for c in ledger["claims"]:
        for k in c["checks"]:
            status[k["nodeid"]] = (k.get("cache") or {}).get("status", "ran")
            outcome[k["nodeid"]] = k["outcome"]
    return result, status, outcome


def _ran(status) -> set[str]:
    return {n for n, s in status.items() if s == "ran"}


def test_editing_a_dependency_reruns_exactly_its_dependents(pytester, tmp_path):
    _project(pytester, {"helper_a.py": HELPER_A, "helper_b.py": HELPER_B,
                        "test_a.py": CHECK_A, "test_b.py": CHECK_B})
    _, first, _ = _run(pytester, tmp_path)
    every = {"test_a.py::test_a", "test_b.py::test_b[1]", "test_b.py::test_b[2]"}
    assert _ran(first) == every
    result, again, outcome = _run(pytester, tmp_path)
    assert result.ret == 0, result.stdout.str()[-1500:]
    assert _ran(again) == set() and set(again) == every
    assert set(outcome.values()) == {"passed"}
    assert "3 cached" in result.stdout.str()
    assert "checks: 0 ran now, 3 replayed from the cache" in result.stdout.str()
    (pytester.path / "helper_b.py").write_text(HELPER_B + "# edited\n")
    _, edited, _ = _run(pytester, tmp_path)
    assert _ran(edited) == {"test_b.py::test_b[1]", "test_b.py::test_b[2]"}
    (pytester.path / "test_a.py").write_text(CHECK_A + "\n# edited too\n")
    _, edited, _ = _run(pytester, tmp_path)
    assert _ran(edited) == {"test_a.py::test_a"}


def test_editing_one_implementation_file_reruns_only_checks_using_its_names(pytester,
                                                                            tmp_path):
    _project(pytester, {**IMPL, "test_impl.py": CHECK_IMPL}, syspath=True)
    every = {"test_impl.py::test_relu", "test_impl.py::test_sigmoid",
             "test_impl.py::test_no_impl"}
    _, first, _ = _run(pytester, tmp_path, "--impl", "myimpl")
    assert _ran(first) == every
    _, again, _ = _run(pytester, tmp_path, "--impl", "myimpl")
    assert _ran(again) == set()
    (pytester.path / "myimpl/act_sigmoid.py").write_text(IMPL["myimpl/act_sigmoid.py"]
                                                          + "# edited\n")
    _, edited, _ = _run(pytester, tmp_path, "--impl", "myimpl")
    assert _ran(edited) == {"test_impl.py::test_sigmoid"}
    # the package's own __init__ is part of every check that takes `impl`
    (pytester.path / "myimpl/__init__.py").write_text(IMPL["myimpl/__init__.py"] + "#\n")
    _, edited, _ = _run(pytester, tmp_path, "--impl", "myimpl")
    assert _ran(edited) == {"test_impl.py::test_relu", "test_impl.py::test_sigmoid"}
    # another implementation under test: the checks that take `impl` run again
    _, other, outcome = _run(pytester, tmp_path, "--impl", "implementations")
    assert _ran(other) == {"test_impl.py::test_relu", "test_impl.py::test_sigmoid"}
    assert set(outcome.values()) == {"passed"}


@pytest.mark.parametrize("change", [("--root-seed", None), ("--hypothesis-profile", "dev")])
def test_changing_the_seed_or_the_profile_reruns_every_check(pytester, tmp_path, change):
    if change[1] is None:  # another seed than the one _run passes (the outer run's own)
        change = (change[0], str(seeds.root_seed() + 1))
    _project(pytester, {"helper_a.py": HELPER_A, "helper_b.py": HELPER_B,
                        "test_a.py": CHECK_A, "test_b.py": CHECK_B})
    _run(pytester, tmp_path)
    _, again, _ = _run(pytester, tmp_path)
    assert _ran(again) == set()
    _, changed, _ = _run(pytester, tmp_path, *change)
    assert _ran(changed) == set(changed) and len(changed) == 3
    _, back, _ = _run(pytester, tmp_path)  # the original inputs: replayed again
    assert _ran(back) == set()


def test_a_failing_run_never_becomes_a_pass(pytester, tmp_path):
    """A failure is never stored: the same inputs fail again, every time. The check's
    input here is a helper module, edited to break it and restored - within the second
    its bytecode was written and keeping its size ("return 1" -> "return 3"), so Python
    would trust the stale .pyc if the cache did not drop it (cache.drop_racy_pycs): the
    old code would pass and the pass would be stored under the new text's key."""
    _project(pytester, {"helper_a.py": HELPER_A, "test_a.py": CHECK_A})
    _, first, outcome = _run(pytester, tmp_path)
    assert outcome == {"test_a.py::test_a": "passed"}
    (pytester.path / "helper_a.py").write_text(HELPER_A.replace("1", "3"))
    for _ in range(2):
        result, status, outcome = _run(pytester, tmp_path)
        assert outcome == {"test_a.py::test_a": "failed"} and _ran(status) == set(status)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
    (pytester.path / "helper_a.py").write_text(HELPER_A)  # the passing run's inputs again
    _, status, outcome = _run(pytester, tmp_path)
    assert outcome == {"test_a.py::test_a": "passed"} and _ran(status) == set()


def test_a_failure_outside_the_key_is_not_stored_either(pytester, tmp_path):
    """A check failing for a reason outside its key (here a file it reads) is re-run
    until it passes; only then is its result stored."""
    flag = tmp_path / "fail-once"
    flag.write_text("1")
    _project(pytester, {"test_flaky.py": f"""
import pathlib, pytest
@pytest.mark.claim("mlp-output-is-layer-recursion", kind="sampled")
def test_flaky():
    p = pathlib.Path({str(flag)!r})
    failing = p.exists()
    if failing:
        p.unlink()
    assert not failing
"""})
    _, status, outcome = _run(pytester, tmp_path)
    assert outcome == {"test_flaky.py::test_flaky": "failed"}
    _, status, outcome = _run(pytester, tmp_path)
    assert outcome == {"test_flaky.py::test_flaky": "passed"} and _ran(status) == set(status)
    _, status, _ = _run(pytester, tmp_path)
    assert _ran(status) == set()


def test_fresh_reruns_every_check_and_stores_them(pytester, tmp_path):
    _project(pytester, {"helper_a.py": HELPER_A, "helper_b.py": HELPER_B,
                        "test_a.py": CHECK_A, "test_b.py": CHECK_B})
    _run(pytester, tmp_path)
    _, fresh, _ = _run(pytester, tmp_path, "--fresh")
    assert _ran(fresh) == set(fresh) and len(fresh) == 3
    _, again, _ = _run(pytester, tmp_path)
    assert _ran(again) == set()
    _, off, _ = _run(pytester, tmp_path, "--no-cache")
    assert _ran(off) == set(off)


def test_a_nested_session_uses_no_cache_unless_given_one(pytester, tmp_path):
    _project(pytester, {"helper_a.py": HELPER_A, "test_a.py": CHECK_A})
    for _ in range(2):
        result, status, _ = _run(pytester, tmp_path, cache=False)
        assert _ran(status) == set(status)
    assert not (pytester.path / ".claimledger-cache").exists()


def test_replayed_figures_and_skips(pytester, tmp_path):
    """A replayed check writes its figure into a fresh report directory; a skip is
    replayed as a skip (its claim stays unverified, with the reason)."""
    _project(pytester, {"test_fig.py": """
import pytest
@pytest.mark.claim("mlp-output-is-layer-recursion", kind="sampled")
def test_figure(evidence, report_dir):
    (report_dir / "figures").mkdir(exist_ok=True)
    (report_dir / "figures" / "f.png").write_bytes(b"png bytes")
    evidence.figure("figures/f.png", "a figure")
@pytest.mark.claim("zoo-implementations-finite-for-every-float", kind="sampled")
def test_skip(): pytest.skip("frobnicator not installed")
"""})
    _run(pytester, tmp_path)
    import shutil

    shutil.rmtree(tmp_path / "report")
    _, status, outcome = _run(pytester, tmp_path)
    assert _ran(status) == set()
    assert outcome == {"test_fig.py::test_figure": "passed", "test_fig.py::test_skip": "skipped"}
    assert (tmp_path / "report" / "figures" / "f.png").read_bytes() == b"png bytes"
    ledger = json.loads((tmp_path / "report" / "ledger.json").read_text())
    skip = next(c for c in ledger["claims"]
                if c["id"] == "zoo-implementations-finite-for-every-float")
    assert skip["verdict"] == "unverified"
    assert skip["checks"][0]["skip_reason"] == "frobnicator not installed"


def test_xdist_and_serial_runs_share_the_cache(pytester, tmp_path, monkeypatch):
    """Results stored by xdist workers are replayed by a serial run with the same inputs,
    so `-n 2` and `-n 0` agree on keys; and with everything cached, `-n 2` stays in one
    process instead of starting workers."""
    _project(pytester, {"helper_a.py": HELPER_A, "helper_b.py": HELPER_B,
                        "test_a.py": CHECK_A, "test_b.py": CHECK_B})
    args = ["-p", "no:cacheprovider", "--claims-config", str(ROOT / "pyproject.toml"),
            "--no-static-index", "--root-seed", str(seeds.root_seed()),
            "--cache-dir", str(tmp_path / "cache")]
    result = pytester.runpytest_subprocess(*args, "-n", "2", "--report-dir",
                                           str(tmp_path / "x"), timeout=120)
    assert result.ret == 0, result.stdout.str()[-2000:]
    assert "3 passed" in result.stdout.str()
    from claimledger.cache import diff_globals

    # pytester's subprocesses get PYTHONPATH=<its directory>, an input of the key
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    _, status, _ = _run(pytester, tmp_path)
    assert _ran(status) == set() and len(status) == 3, diff_globals(tmp_path / "cache")
    result, status, _ = _run(pytester, tmp_path, "-n", "2", xdist=True)
    out = result.stdout.str()
    assert _ran(status) == set() and "3 cached" in out and "one process" in out, out[-2000:]
