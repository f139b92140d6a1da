"""pytest wiring of the verifier: options, hypothesis profiles, seeds, fixtures, ledger.

Options
-------
``--root-seed N``    feeds every random generator (numpy and hypothesis); default 0,
                     or the ``VERIFY_SEED`` environment variable.
``--impl MODULE``    the implementation under test (dotted name or .py path); default
                     ``implementations``. Protocol: ``implementations/__init__.py``.
``--report-dir DIR`` where ``ledger.json`` and ``ledger.md`` are written (``reports``).
``--claim ID``       run only the checks of these claims (repeatable).

Hypothesis profiles (``--hypothesis-profile``): ``ci`` (default; derandomized, no
database, no deadline), ``dev`` (same example budget, prints statistics-friendly output),
``thorough`` (10x the examples; also turns on the slow branches of some checks).
"""
from __future__ import annotations

import os

# One BLAS thread per process: the suite runs 2 pytest-xdist workers on 2 cores, and idle
# OpenBLAS threads spinning against each other made small SVDs 3-10x slower (measured).
# Must be set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import pathlib
import shlex

import pytest
from hypothesis import HealthCheck, Phase, settings

from checks.support import seeds
from checks.support.evidence import Evidence
from checks.support.impl import load as load_impl
from checks.support.ledger import Ledger, Progress, XdistProgress
from checks.support.links import links_of

pytest_plugins = ("pytester",  # the harness's own tests run the checks in-process
                  "checks.support.options")  # also loaded early by addopts' -p (see there)

os.environ.setdefault("MPLBACKEND", "Agg")  # figures render without a display

BASE_EXAMPLES = 60
_common = dict(deadline=None, database=None, print_blob=True,
               # the evidence recorder is function-scoped on purpose: it accumulates
               # the numbers of every example of one hypothesis test
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", max_examples=BASE_EXAMPLES, derandomize=True, **_common)
settings.register_profile("dev", max_examples=BASE_EXAMPLES, **_common)
settings.register_profile("thorough", max_examples=10 * BASE_EXAMPLES, derandomize=True,
                          **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("hypothesis_seed", None) is not None:
        raise pytest.UsageError(
            "--hypothesis-seed is not used here: every generator, hypothesis included, is "
            "seeded from --root-seed N (each test from N and its name); pass --root-seed")
    seeds.set_root_seed(config.getoption("root_seed"))
    ledger = Ledger(config)
    config.pluginmanager.register(ledger, "claim-ledger")
    if not hasattr(config, "workerinput"):
        progress = Progress(config)
        config.pluginmanager.register(progress, "claim-progress")
        config.pluginmanager.register(XdistProgress(progress), "claim-progress-xdist")


def pytest_collection_modifyitems(session, config, items):
    # Hypothesis draws from a seed derived from the root seed and the test's name, so a
    # run is a pure function of --root-seed (and the profile), on any worker.
    for item in items:
        fn = getattr(item, "obj", None)
        if getattr(fn, "is_hypothesis_test", False):
            inner = getattr(fn, "hypothesis", None)
            target = getattr(inner, "inner_test", fn) if inner else fn
            label = f"{target.__module__}.{target.__qualname__}"
            fn._hypothesis_internal_use_seed = seeds.derive_seed(label, bits=64)
            if config.getoption("no_shrink"):
                # settings are bound when the module is imported, so a nested run cannot
                # rely on the profile: derive from the test's own settings instead
                fn._hypothesis_internal_use_settings = settings(
                    fn._hypothesis_internal_use_settings,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    links = [] if getattr(item, "_link_error", None) else \
        [link.as_tuple() for link in links_of(item)]
    if links and not any(k == "links" for k, _ in item.user_properties):
        item.user_properties.append(("links", links))
    if call.when == "teardown":
        ev = getattr(item, "_evidence", None)
        if ev is not None:
            item.user_properties.append(("evidence", ev.lines()))
            item.user_properties.append(("counterexample", list(ev.counterexamples)))
            item.user_properties.append(("figures", list(ev.figures)))
            item.user_properties.append(("tables", list(ev.tables)))
    report.user_properties = list(item.user_properties)
    if report.failed and call.when == "call":
        cmd = reproduce_command(item)
        report.sections.append(("reproduce", cmd))
        report.user_properties.append(("reproduce", cmd))


def reproduce_command(item) -> str:
    """A command that re-runs this one check from a fresh shell in the project directory:
    the venv's interpreter, the same seed, implementation and profile, and a report
    directory of its own (a one-check run never overwrites the full report)."""
    import sys

    cfg = item.config
    root = pathlib.Path(str(cfg.rootpath)).resolve()
    exe = pathlib.Path(sys.executable)
    try:
        python = "./" + exe.relative_to(root).as_posix()
    except ValueError:
        python = str(exe)
    return (f"{python} -m pytest {shlex.quote(item.nodeid)} "
            f"--root-seed {cfg.getoption('root_seed')} --impl {shlex.quote(cfg.getoption('impl'))} "
            f"--hypothesis-profile {_profile_name()} --report-dir reports/reproduce")


def _profile_name() -> str:
    return settings.get_current_profile_name()


@pytest.fixture(scope="session")
def impl(request):
    """The implementation under test (``--impl``); missing names skip as 'not provided'."""
    return load_impl(request.config.getoption("impl"))


@pytest.fixture
def evidence(request) -> Evidence:
    """Recorder of this check's evidence; its lines go to the ledger."""
    ev = Evidence()
    request.node._evidence = ev
    return ev


@pytest.fixture
def rng(request):
    """A numpy generator seeded from the root seed and this check's node id."""
    return seeds.rng_for(request.node.nodeid)


@pytest.fixture(scope="session")
def report_dir(request) -> pathlib.Path:
    """The run's report directory (``--report-dir``, or its ``partial/`` subdirectory for
    a run of a subset of the checks beside a complete report), created if missing."""
    out = request.config.pluginmanager.get_plugin("claim-ledger").output_dir()
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture
def save_figure(report_dir, evidence):
    """``save_figure(fig, name, caption)``: write a matplotlib figure to
    ``<report-dir>/figures/<name>.png`` and attach it to this check's claims."""

    def save(fig, name: str, caption: str) -> pathlib.Path:
        import matplotlib.pyplot as plt

        path = report_dir / "figures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110, bbox_inches="tight")
        plt.close(fig)
        evidence.figure(f"figures/{name}.png", caption)
        return path

    return save


@pytest.fixture(scope="session")
def hypothesis_examples() -> int:
    """max_examples of the active hypothesis profile (for Bonferroni budgets)."""
    return settings().max_examples


@pytest.fixture(scope="session")
def profile_name() -> str:
    return _profile_name()


@pytest.fixture(scope="session")
def thorough(profile_name) -> bool:
    """True under the ``thorough`` profile: checks may then run their slow branches."""
    return profile_name == "thorough"
