"""Claims: what the article states, one registered record per result.

A claim is a statement of the article (cited by section number), written in our own
words, with the verdict its checks are meant to establish:

========== ===================================================================
proved     symbolic (sympy) or an exact certificate checked in rational arithmetic
certified  a numerical bound checked rigorously over a whole domain (interval
           arithmetic, rigorous Lipschitz grids)
supported  property-based or statistical evidence (named test, stated alpha)
refuted    the statement, read literally, is false; a concrete counterexample is
           re-checked on every run
qualified  false or ambiguous as literally stated; a corrected statement is proved or
           supported and shown beside it
cited      historical or empirical remark that cannot be checked here (reason given)
========== ===================================================================

A run turns the intended verdict into an outcome: the verdict when every check linked to
the claim passed, ``failed`` when any failed, ``unverified`` when its checks were skipped
or deselected. Adding a claim is one call in the section's module::

    claim("xor-not-linearly-separable", "1.3", "XOR is not linearly separable",
          statement="No (w1, w2, b) satisfies the four sign constraints of XOR.",
          verdict="proved")

and one check in ``checks/`` marked ``@pytest.mark.claim("xor-not-linearly-separable")``.

A claim that only restates results checked elsewhere (the closing section's takeaways)
may instead name them in ``depends_on``: with no check of its own, its outcome is its
verdict when every dependency reached its own verdict, ``failed`` if any failed, and
``unverified`` otherwise.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field

VERDICTS = ("proved", "certified", "supported", "refuted", "qualified", "cited")
OUTCOMES = VERDICTS + ("failed", "unverified")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SECTION = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True)
class Claim:
    """One result of the article and the verdict its evidence is meant to reach."""

    id: str
    section: str
    title: str
    statement: str
    verdict: str
    assumptions: tuple[str, ...] = ()
    corrected_statement: str | None = None
    reason: str | None = None  # why a claim is cited (or other context for the reader)
    depends_on: tuple[str, ...] = ()  # claims whose verdicts this one restates (e.g. §6)
    module: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"claim id {self.id!r} is not kebab-case")
        if not _SECTION.match(self.section):
            raise ValueError(f"claim {self.id}: section {self.section!r} is not like '1.2'")
        if self.verdict not in VERDICTS:
            raise ValueError(f"claim {self.id}: verdict {self.verdict!r} not in {VERDICTS}")
        if self.verdict in ("refuted", "qualified") and not self.corrected_statement:
            raise ValueError(f"claim {self.id}: a {self.verdict} claim needs corrected_statement")
        if self.verdict == "cited" and not self.reason:
            raise ValueError(f"claim {self.id}: a cited claim needs the reason it is not checked")


REGISTRY: dict[str, Claim] = {}


def claim(id: str, section: str, title: str, *, statement: str, verdict: str,
          assumptions: tuple[str, ...] | list[str] = (), corrected_statement: str | None = None,
          reason: str | None = None, depends_on: tuple[str, ...] | list[str] = ()) -> Claim:
    """Register a claim; the id must be new. Returns the claim (a module may keep it)."""
    import inspect

    caller = inspect.stack()[1].frame.f_globals.get("__name__", "")
    c = Claim(id=id, section=section, title=title, statement=statement.strip(), verdict=verdict,
              assumptions=tuple(assumptions), corrected_statement=corrected_statement,
              reason=reason, depends_on=tuple(depends_on), module=caller)
    old = REGISTRY.get(id)
    if old is not None and old != c:
        raise ValueError(f"claim id {id!r} registered twice ({old.module} and {caller})")
    REGISTRY[id] = c
    return c


def load_all() -> dict[str, Claim]:
    """Import every section module of this package and return the registry."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def section_key(section: str) -> tuple[int, ...]:
    return tuple(int(p) for p in section.split("."))
