"""The checks have teeth: each plausibly broken implementation is rejected.

For every module in ``checks/harness/broken`` the checks of the claims it lists in
``REJECTED_BY`` run in-process with ``--impl`` pointed at it; the ledger must mark each
of those claims ``failed``.
"""
from __future__ import annotations

import importlib
import json
import pathlib
import pkgutil

import pytest
from hypothesis import settings

from checks.harness import broken
from claimledger import seeds
from claimledger.report_extras import record_teeth

ROOT = pathlib.Path(__file__).resolve().parents[2]
BROKEN = sorted(m.name for m in pkgutil.iter_modules(broken.__path__)
                if not m.name.startswith("_"))


def modules_checking(claims: list[str]) -> list[str]:
    """The check modules whose source names one of ``claims`` (collecting only those keeps
    each nested run short; the ledger still sees every check of those claims)."""
    out = []
    for path in sorted((ROOT / "checks").glob("test_*.py")):
        text = path.read_text()
        if any(f'"{c}"' in text or f"'{c}'" in text for c in claims):
            out.append(str(path))
    return out


def run_checks_against(pytester, tmp_path, impl: str, claims: list[str],
                       profile: str = "ci") -> dict:
    targets = modules_checking(claims) or [str(ROOT / "checks")]
    args = [*targets, "--rootdir", str(ROOT), "--ignore", str(ROOT / "checks/harness"),
            "-p", "no:xdist", "-p", "no:cacheprovider", "-q", "--no-shrink", "--impl", impl,
            "--report-dir", str(tmp_path), "--root-seed", str(seeds.root_seed()),
            "--hypothesis-profile", profile]
    for c in claims:
        args += ["--claim", c]
    outer_profile = settings.get_current_profile_name()
    try:
        result = pytester.runpytest_inprocess(*args)
    finally:  # the nested run loads its own profile and seed; restore the outer run's
        settings.load_profile(outer_profile)
    ledger = json.loads((tmp_path / "ledger.json").read_text())
    return {c["id"]: c for c in ledger["claims"]}, result


@pytest.mark.harness
@pytest.mark.parametrize("name", BROKEN)
def test_checks_reject_broken_implementation(name, pytester, tmp_path, request):
    module = importlib.import_module(f"{broken.__name__}.{name}")
    targets = list(module.REJECTED_BY)
    assert targets, f"{name} must list the claims that reject it"
    record_teeth(request, name, module.__doc__ or "", targets)
    claims, result = run_checks_against(pytester, tmp_path, f"{broken.__name__}.{name}",
                                        targets)
    verdicts = {c: claims[c]["verdict"] for c in targets}
    survived = [c for c, v in verdicts.items() if v != "failed"]
    assert not survived, (f"broken implementation {name!r} ({module.__doc__.strip()}) "
                          f"was not rejected by: {survived}; verdicts {verdicts}")


class _ClaimsUsingImpl:
    """Collection-time plugin: for each claim, whether any of its checks takes ``impl``."""

    def __init__(self):
        self.uses_impl: dict[str, bool] = {}

    def pytest_collection_modifyitems(self, items):
        for item in items:
            marker = item.get_closest_marker("claim")
            for cid in (marker.args if marker else ()):
                facing = "impl" in getattr(item, "fixturenames", ())
                self.uses_impl[cid] = self.uses_impl.get(cid, False) or facing


@pytest.mark.harness
def test_every_implementation_facing_claim_has_a_broken_implementation(pytester, tmp_path):
    """A claim whose checks exercise the implementation under test (they take the ``impl``
    fixture) must be named in the REJECTED_BY list of some module in ``broken/``: the
    parametrized test above then shows that its checks can fail."""
    plugin = _ClaimsUsingImpl()
    outer_profile = settings.get_current_profile_name()
    try:
        pytester.runpytest_inprocess(
            str(ROOT / "checks"), "--rootdir", str(ROOT), "--ignore", str(ROOT / "checks/harness"),
            "-p", "no:xdist", "-p", "no:cacheprovider", "--collect-only", "-q",
            "--report-dir", str(tmp_path), plugins=[plugin])
    finally:
        settings.load_profile(outer_profile)
    facing = {c for c, uses in plugin.uses_impl.items() if uses}
    assert len(facing) > 50, f"collection found only {len(facing)} implementation-facing claims"
    rejected = set()
    for name in BROKEN:
        rejected |= set(importlib.import_module(f"{broken.__name__}.{name}").REJECTED_BY)
    missing = sorted(facing - rejected)
    assert not missing, ("implementation-facing claims that no broken implementation in "
                         f"checks/harness/broken is shown to fail: {missing}")
