"""claimledger's pytest plugin (entry point ``pytest11: claimledger``).

Thin on purpose: loading it imports nothing beyond pytest and the standard library. It
registers the options, the ``claim`` marker and the fixtures; when the project declares a
claims package (``[tool.claimledger]``, see :mod:`claimledger.config`) it also registers
the hypothesis profiles, seeds every generator from ``--root-seed`` and installs the
ledger (:mod:`claimledger.ledger`). Without that table nothing else happens, so the plugin
can sit in any environment.

Options
-------
``--root-seed N``      feeds every random generator (numpy and hypothesis); default 0, or
                       ``$VERIFY_SEED``.
``--impl MODULE``      the implementation under test: an alias of the configuration's
                       ``impl-aliases``, a dotted module name or a ``.py`` path (default:
                       the configuration's ``impl``, or ``$VERIFY_IMPL``).
``--report-dir DIR``   where ``ledger.json``, ``ledger.md`` and ``report.html`` go.
``--claim ID``         run only the checks of these claims (repeatable).
``--claims-config F``  the TOML file holding ``[tool.claimledger]`` (default: the project's
                       pyproject.toml).
``--source-text F``    the source text (default: the configuration's ``source.text``).

Hypothesis profiles (``--hypothesis-profile``): ``ci`` (default; derandomized, no
database, no deadline), ``dev`` (same example budget, not derandomized), ``thorough``
(10x the examples; checks may also run their slow branches).
"""
from __future__ import annotations

import os
import pathlib
import shlex
import sys

import pytest

PROFILES = "ci (default: derandomized, no database), dev, thorough (10x examples)"
BASE_EXAMPLES = 60
CONFIG_KEY = pytest.StashKey["object"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup(
        "claimledger", f"claimledger (hypothesis profiles for --hypothesis-profile: {PROFILES})")
    group.addoption("--root-seed", type=int, default=int(os.environ.get("VERIFY_SEED", "0")),
                    help="root seed for every random generator (default 0 or $VERIFY_SEED)")
    group.addoption("--impl", default=os.environ.get("VERIFY_IMPL"),
                    help="implementation under test: an alias, a dotted module name or a .py "
                         "path (default: [tool.claimledger] impl)")
    group.addoption("--report-dir", default=None,
                    help="where the ledger is written (default: [tool.claimledger] "
                         "report-dir, else reports)")
    group.addoption("--claim", action="append", dest="claim_filter", default=[],
                    help="run only the checks of this claim id (repeatable)")
    group.addoption("--claims-config", default=None,
                    help="TOML file with the [tool.claimledger] table (default: the "
                         "project's pyproject.toml)")
    group.addoption("--source-text", "--article", dest="source_text", default=None,
                    help="the source text the claims cite (default: [tool.claimledger."
                         "source] text or its env variable); the report shows each claim's "
                         "paragraph beside its verdict")
    group.addoption("--report-under-test", default=None,
                    help="report directory whose report.html the browser test renders")
    group.addoption("--no-ledger", action="store_true",
                    help="write no ledger and print no summary (runs of the harness's own "
                         "tests that would otherwise overwrite or bury the real ledger)")
    group.addoption("--no-static-index", action="store_true",
                    help="do not mark claims unverified when checks naming them in the source "
                         "were not collected (synthetic ledger tests)")
    group.addoption("--no-shrink", action="store_true",
                    help="skip hypothesis' shrink phase (broken-implementation runs, where "
                         "failing is the expected outcome)")
    from .cache import addoption as cache_options  # --fresh, --no-cache, --cache-dir

    cache_options(group)


def settings_of(config: pytest.Config):
    """The run's :class:`claimledger.config.Config` (inactive when none is declared)."""
    return config.stash.get(CONFIG_KEY, None)


def _register_profiles() -> None:
    from hypothesis import HealthCheck, settings

    common = dict(deadline=None, database=None, print_blob=True,
                  # the evidence recorder is function-scoped on purpose: it accumulates
                  # the numbers of every example of one hypothesis test
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("ci", max_examples=BASE_EXAMPLES, derandomize=True, **common)
    settings.register_profile("dev", max_examples=BASE_EXAMPLES, **common)
    settings.register_profile("thorough", max_examples=10 * BASE_EXAMPLES, derandomize=True,
                              **common)


@pytest.hookimpl(tryfirst=True)  # before hypothesis' own configure loads --hypothesis-profile
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "claim(*ids, kind, scope='whole', target='statement'): the claims this "
                   "check gives evidence for, and what kind of evidence (claimledger)")
    config.addinivalue_line("markers", "harness: a test of the tooling itself (not evidence "
                                       "for a claim)")
    config.addinivalue_line("markers", "claim_link_error: set by the ledger on a check whose "
                                       "claim marker is malformed")
    from . import config as C

    try:
        cfg = C.find(pathlib.Path(str(config.rootpath)),
                     pathlib.Path(str(config.inipath)) if config.inipath else None,
                     config.getoption("claims_config"))
    except C.ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[CONFIG_KEY] = cfg
    if not cfg.active:
        return
    if config.getoption("hypothesis_seed", None) is not None:
        raise pytest.UsageError(
            "--hypothesis-seed is not used here: every generator, hypothesis included, is "
            "seeded from --root-seed N (each test from N and its name); pass --root-seed")
    _register_profiles()
    from hypothesis import settings

    from . import seeds
    from .impl import module_name_of

    # a session nested in another (pytester) gives the process's seed and profile back
    config.stash[_OUTER_KEY] = (seeds.root_seed(), settings.get_current_profile_name())
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

    seeds.set_root_seed(config.getoption("root_seed"))
    # RuntimeWarnings raised in an implementation's own code are errors: an overflow or
    # invalid operation it hides behind a warning fails its check.
    module = module_name_of(impl_spec(config), cfg.impl_aliases)
    if module:
        config.addinivalue_line("filterwarnings", f"error::RuntimeWarning:{module}")
    from .ledger import Ledger, Progress, XdistProgress

    config.pluginmanager.register(Ledger(config, cfg), "claim-ledger")
    if not hasattr(config, "workerinput"):
        progress = Progress(config, cfg)
        config.pluginmanager.register(progress, "claim-progress")
        config.pluginmanager.register(XdistProgress(progress), "claim-progress-xdist")
    from .cache import install  # the result cache (issue 23): before xdist's configure

    install(config, cfg)


def impl_spec(config: pytest.Config) -> str | None:
    """``--impl`` as given, else the configuration's reference implementation."""
    cfg = settings_of(config)
    return config.getoption("impl") or (cfg.impl if cfg else None)


def _active(config: pytest.Config) -> bool:
    cfg = settings_of(config)
    return bool(cfg and cfg.active)


def pytest_ignore_collect(collection_path, config):
    """A check module of another implementation's own pass (``impl-only``) is not
    collected: see :meth:`claimledger.config.Config.left_out`."""
    cfg = settings_of(config)
    if not (cfg and cfg.active):
        return None
    left = cfg.left_out(config.getoption("impl"))
    if left and pathlib.Path(str(collection_path)).resolve() in left:
        return True
    return None


def pytest_collection_modifyitems(session, config, items):
    if not _active(config):
        return
    from hypothesis import Phase, settings

    from . import seeds

    # Hypothesis draws from a seed derived from the root seed and the test's name, so a
    # run is a pure function of --root-seed (and the profile), on any worker. The test
    # functions are shared with any session that imported the same modules in this
    # process (a harness test's nested run): what is set here is undone when this session
    # ends (pytest_unconfigure), so a nested run never changes the outer run's checks.
    saved = config.stash.setdefault(_SAVED_KEY, {})
    for item in items:
        fn = getattr(item, "obj", None)
        if getattr(fn, "is_hypothesis_test", False):
            if id(fn) not in saved:
                saved[id(fn)] = (fn, {a: fn.__dict__[a] for a in _HYPOTHESIS_ATTRS
                                      if a in fn.__dict__})
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


_HYPOTHESIS_ATTRS = ("_hypothesis_internal_use_seed", "_hypothesis_internal_use_settings")
_SAVED_KEY = pytest.StashKey[dict]()
_OUTER_KEY = pytest.StashKey[tuple]()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Give the hypothesis tests this session seeded (and, with --no-shrink, re-phased)
    their previous attributes back."""
    for fn, attrs in config.stash.get(_SAVED_KEY, {}).values():
        for a in _HYPOTHESIS_ATTRS:
            if a in attrs:
                setattr(fn, a, attrs[a])
            elif a in fn.__dict__:
                delattr(fn, a)
    outer = config.stash.get(_OUTER_KEY, None)
    if outer is not None:
        from hypothesis import settings

        from . import seeds

        seeds.set_root_seed(outer[0])
        try:
            settings.load_profile(outer[1])
        except Exception:  # noqa: BLE001 - a profile registered by the outer run only
            pass


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not _active(item.config):
        return
    from .links import links_of

    report = outcome.get_result()
    links = [] if getattr(item, "_link_error", None) else \
        [link.as_tuple() for link in links_of(item)]
    if links and not any(k == "links" for k, _ in item.user_properties):
        item.user_properties.append(("links", links))
    impl = getattr(item, "funcargs", {}).get("impl") if call.when != "collect" else None
    if impl is not None and hasattr(impl, "take_accessed"):
        if call.when == "setup":
            impl.take_accessed()  # names looked up by an earlier check
        elif call.when == "call":
            names = impl.take_accessed()
            if names:
                item.user_properties.append(("impl_names", names))
    if call.when == "teardown":
        ev = getattr(item, "_evidence", None)
        if ev is not None:
            item.user_properties.append(("evidence", ev.lines()))
            item.user_properties.append(("counterexample", list(ev.counterexamples)))
            item.user_properties.append(("figures", list(ev.figures)))
            item.user_properties.append(("tables", list(ev.tables)))
            item.user_properties.append(("controls", list(ev.controls)))
            item.user_properties.append(("impl_findings", list(ev.impl_findings)))
    report.user_properties = list(item.user_properties)
    if report.failed and call.excinfo is not None and \
            isinstance(call.excinfo.value, BaseExceptionGroup):
        # pytest prints a group as a boxed traceback with no "E" lines; say what failed
        report.user_properties.append(("failure", group_failure_text(call.excinfo.value)))
    if report.failed and call.when == "call":
        cmd = reproduce_command(item)
        report.sections.append(("reproduce", cmd))
        report.user_properties.append(("reproduce", cmd))


def exception_text(exc: BaseException) -> str:
    """One line: the exception's type and message, then its notes (hypothesis puts the
    falsifying example there)."""
    lines = [f"{type(exc).__name__}: {exc}".rstrip(": ")]
    lines += [" ".join(str(n).split()) for n in getattr(exc, "__notes__", ()) or ()]
    return " | ".join(" ".join(ln.split()) for part in lines for ln in part.splitlines()
                      if ln.strip())


def group_failure_text(group: BaseExceptionGroup, limit: int = 800) -> str:
    """An exception group (hypothesis' "N distinct failures") as the first failed
    assertion, or the first failure when none is an assertion, with a count."""
    leaves: list[BaseException] = []

    def walk(e):
        if isinstance(e, BaseExceptionGroup):
            for sub in e.exceptions:
                walk(sub)
        else:
            leaves.append(e)

    walk(group)
    if not leaves:
        return exception_text(group)[:limit]
    first = next((e for e in leaves if isinstance(e, AssertionError)), leaves[0])
    head = f"{len(leaves)} distinct failures; first: " if len(leaves) > 1 else ""
    return (head + exception_text(first))[:limit]


def reproduce_command(item) -> str:
    """A command that re-runs this one check from a fresh shell in the project directory:
    the same interpreter, seed, implementation and profile, and a report directory of its
    own (a one-check run never overwrites the full report)."""
    from hypothesis import settings

    cfg = item.config
    root = pathlib.Path(str(cfg.rootpath)).resolve()
    exe = pathlib.Path(sys.executable)
    try:
        python = "./" + exe.relative_to(root).as_posix()
    except ValueError:
        python = str(exe)
    impl = impl_spec(cfg)
    return (f"{python} -m pytest {shlex.quote(item.nodeid)} "
            f"--root-seed {cfg.getoption('root_seed')}"
            + (f" --impl {shlex.quote(impl)}" if impl else "")
            + f" --hypothesis-profile {settings.get_current_profile_name()} "
            "--report-dir reports/reproduce")


# -- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def impl(request):
    """The implementation under test (``--impl``); a protocol name it lacks skips the
    check as 'not provided' (its claims are then unverified, never filled in)."""
    from .impl import load

    spec = impl_spec(request.config)
    if not spec:
        raise pytest.UsageError("this check takes the `impl` fixture, but no implementation "
                                "is configured: pass --impl MODULE or set impl = ... in "
                                "[tool.claimledger]")
    cfg = settings_of(request.config)
    return load(spec, cfg.impl_aliases if cfg else {}, cfg.impl if cfg else None)


@pytest.fixture
def evidence(request):
    """Recorder of this check's evidence (:class:`claimledger.evidence.Evidence`); its lines
    go to the ledger."""
    from .evidence import Evidence

    ev = Evidence()
    request.node._evidence = ev
    return ev


@pytest.fixture
def control(evidence):
    """``control(check, statement, *perturbed)``: a negative control for a proof (see
    :mod:`claimledger.controls`)."""
    from .controls import Control

    return Control(evidence)


@pytest.fixture
def rng(request):
    """A numpy generator seeded from the root seed and this check's node id."""
    from . import seeds

    return seeds.rng_for(request.node.nodeid)


@pytest.fixture(scope="session")
def report_dir(request) -> pathlib.Path:
    """The run's report directory (``--report-dir``, or its ``partial/`` subdirectory for
    a run of a subset of the checks beside a complete report), created if missing."""
    ledger = request.config.pluginmanager.get_plugin("claim-ledger")
    out = ledger.output_dir() if ledger else pathlib.Path(
        request.config.getoption("report_dir") or "reports")
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
    from hypothesis import settings

    return settings().max_examples


@pytest.fixture(scope="session")
def profile_name() -> str:
    from hypothesis import settings

    return settings.get_current_profile_name()


@pytest.fixture(scope="session")
def thorough(profile_name) -> bool:
    """True under the ``thorough`` profile: checks may then run their slow branches."""
    return profile_name == "thorough"
