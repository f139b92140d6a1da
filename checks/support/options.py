"""The verifier's command-line options, as an early-loaded pytest plugin.

``pyproject.toml``'s addopts load this module with ``-p`` before pytest parses the command
line, so ``--report-dir DIR`` (space form) is known to take a value: as a conftest option
it was not yet known, and an existing directory after it was taken for a test path (which
moved pytest's rootdir away from the project). ``conftest.py`` names it in
``pytest_plugins`` too, for in-process runs of the harness's own tests.
"""
from __future__ import annotations

import os

import pytest

PROFILES = "ci (default: derandomized, no database), dev, thorough (10x examples)"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup(
        "verifier", f"verifier options (hypothesis profiles for --hypothesis-profile: {PROFILES})")
    group.addoption("--root-seed", type=int, default=int(os.environ.get("VERIFY_SEED", "0")),
                    help="root seed for every random generator (default 0 or $VERIFY_SEED)")
    group.addoption("--impl", default=os.environ.get("VERIFY_IMPL", "implementations"),
                    help="module (dotted name or .py path) implementing the protocol")
    group.addoption("--report-dir", default="reports", help="where the ledger is written")
    group.addoption("--claim", action="append", dest="claim_filter", default=[],
                    help="run only the checks of this claim id (repeatable)")
    group.addoption("--report-under-test", default=None,
                    help="report directory whose report.html the browser test renders")
    group.addoption("--no-ledger", action="store_true",
                    help="write no ledger and print no summary (runs of the harness's own "
                         "tests that would otherwise overwrite or bury the real ledger)")
    group.addoption("--no-static-index", action="store_true",
                    help="do not mark claims unverified when checks naming them in the source "
                         "were not collected (the harness's synthetic ledger tests)")
    group.addoption("--article", default=None,
                    help="the article's text file (default: the one .txt under "
                         "../shared/article/, or $VERIFY_ARTICLE); the report shows the "
                         "paragraph of each claim beside its verdict")
    group.addoption("--no-shrink", action="store_true",
                    help="skip hypothesis' shrink phase (the harness's broken-implementation "
                         "runs, where failing is the expected outcome)")


def pytest_configure(config: pytest.Config) -> None:
    """RuntimeWarnings raised in an external implementation's own code are errors, as
    pyproject.toml makes them for the reference (``implementations.*``): a module given as a
    dotted name or as a .py path (loaded as ``impl_under_test_<stem>``) is held to the same
    rule, so an overflow or invalid operation it hides behind a warning fails its check."""
    spec = config.getoption("impl", default="implementations")
    from checks.support.impl import ALIASES

    name = ALIASES.get(spec, spec)
    if name.endswith(".py") or os.path.isfile(name):
        module = "impl_under_test_" + os.path.splitext(os.path.basename(name))[0]
    else:
        module = name
    if module != "implementations" and not module.startswith("implementations."):
        config.addinivalue_line("filterwarnings", f"error::RuntimeWarning:{module}")
