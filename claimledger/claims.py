"""Claims: one registered record per statement of a text, with the verdict its checks
are meant to establish.

========== ===================================================================
proved     symbolic (sympy) or an exact certificate checked in rational arithmetic
certified  a numerical bound checked rigorously over a whole domain (interval
           arithmetic, rigorous Lipschitz grids)
supported  property-based or statistical evidence (named test, stated alpha)
refuted    the statement, read literally, is false; a concrete counterexample is
           re-checked on every run
qualified  the charitable reading is true only with a correction a reader needs (a
           missing hypothesis, a wrong constant, a wrong direction); the corrected
           statement is checked beside it
imprecise  a slip of wording, notation, rounding or scope whose intended meaning is
           right; recorded with its counterexample and correction, never a headline
cited      historical or empirical remark that cannot be checked here (reason given)
========== ===================================================================

Materiality rubric (refuted / qualified / imprecise)
----------------------------------------------------
Read the statement as a competent reader would in its context (the charitable reading),
then ask who is misled and into what:

* ``refuted``: the charitable reading is false.
* ``qualified``: the charitable reading is true only with a correction the reader needs;
  without it the reader believes something false or builds a wrong implementation.
* ``imprecise``: only a literal, uncharitable reading is false; the intended meaning is
  right.

A refuted or qualified claim states in ``misled`` (one line) what a reader would wrongly
believe or build from the text.

Origins
-------
``origin`` says whose statement a claim is. A claims package declares its origins in its
configuration (``[tool.claimledger.origins]``); the one marked ``findings = true`` (by
default the package's first origin) holds the statements of the package's source, and
only its refuted and qualified claims are listed under "where <source> is wrong". A claim
registered without ``origin=`` takes the package's default origin.

A claim that only restates results checked elsewhere may instead name them in
``depends_on``: with no check of its own, its outcome is its verdict when every dependency
reached its own verdict, ``failed`` if any failed, and ``unverified`` otherwise.

Adding a claim is one call::

    from claimledger import claim

    claim("xor-not-linearly-separable", "1.3", "XOR is not linearly separable",
          statement="No (w1, w2, b) satisfies the four sign constraints of XOR.",
          verdict="proved")

and one check marked ``@pytest.mark.claim("xor-not-linearly-separable", kind="symbolic")``.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field

VERDICTS = ("proved", "certified", "supported", "refuted", "qualified", "imprecise", "cited")
FINDINGS = ("refuted", "qualified", "imprecise")
OUTCOMES = VERDICTS + ("failed", "unverified")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SECTION = re.compile(r"^[A-Za-z0-9]+([.-][A-Za-z0-9]+)*$")
_ORIGIN = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class Claim:
    """One statement and the verdict its evidence is meant to reach."""

    id: str
    section: str
    title: str
    statement: str
    verdict: str
    assumptions: tuple[str, ...] = ()
    corrected_statement: str | None = None
    reason: str | None = None  # why a claim is cited (or other context for the reader)
    depends_on: tuple[str, ...] = ()  # claims whose verdicts this one restates
    misled: str | None = None  # refuted/qualified: what a reader wrongly believes or builds
    origin: str | None = None  # one of the package's origins (None: the package's default)
    paragraph: int | None = None  # 1-based non-empty line of the source's section
    note: str | None = None  # context for the reader, apart from the precise statements
    module: str = field(default="", compare=False)
    order: int = field(default=0, compare=False)  # registration order within the registry

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"claim id {self.id!r} is not kebab-case")
        if not isinstance(self.section, str) or not _SECTION.match(self.section):
            raise ValueError(f"claim {self.id}: section {self.section!r} is not a section "
                             "name like '1.2', '3' or 'adam' (letters, digits, '.' or '-')")
        if self.verdict not in VERDICTS:
            raise ValueError(f"claim {self.id}: verdict {self.verdict!r} not in {VERDICTS}")
        if self.origin is not None and (not isinstance(self.origin, str)
                                        or not _ORIGIN.match(self.origin)):
            raise ValueError(f"claim {self.id}: origin {self.origin!r} is not a name")
        if self.paragraph is not None and (not isinstance(self.paragraph, int)
                                           or self.paragraph < 1):
            raise ValueError(f"claim {self.id}: paragraph must be a positive int")
        if self.verdict in FINDINGS and not self.corrected_statement:
            raise ValueError(f"claim {self.id}: a {self.verdict} claim needs corrected_statement")
        if self.verdict == "cited" and not self.reason:
            raise ValueError(f"claim {self.id}: a cited claim needs the reason it is not checked")


REGISTRY: dict[str, Claim] = {}


def claim(id: str, section: str, title: str, *, statement: str, verdict: str,
          assumptions: tuple[str, ...] | list[str] = (), corrected_statement: str | None = None,
          reason: str | None = None, depends_on: tuple[str, ...] | list[str] = (),
          misled: str | None = None, origin: str | None = None, paragraph: int | None = None,
          note: str | None = None) -> Claim:
    """Register a claim; the id must be new. Returns the claim (a module may keep it)."""
    import inspect

    caller = inspect.stack()[1].frame.f_globals.get("__name__", "")
    c = Claim(id=id, section=str(section), title=title, statement=statement.strip(),
              verdict=verdict, assumptions=tuple(assumptions),
              corrected_statement=corrected_statement, reason=reason,
              depends_on=tuple(depends_on), misled=misled, origin=origin,
              paragraph=paragraph, note=note, module=caller, order=len(REGISTRY))
    old = REGISTRY.get(id)
    if old is not None:
        c = Claim(**{**c.__dict__, "order": old.order})
    if old is not None and old != c:
        raise ValueError(f"claim id {id!r} registered twice ({old.module} and {caller})")
    REGISTRY[id] = c
    return c


def load(modules) -> dict[str, Claim]:
    """Import each named module (a package: every submodule not starting with ``_``) and
    return the registry. Importing registers the claims."""
    for name in modules:
        mod = importlib.import_module(name)
        for info in pkgutil.iter_modules(getattr(mod, "__path__", []) or []):
            if not info.name.startswith("_"):
                importlib.import_module(f"{name}.{info.name}")
    return REGISTRY


def claims_of(modules) -> dict[str, Claim]:
    """The registered claims whose module is one of ``modules`` or inside one of them."""
    load(modules)
    prefixes = tuple(modules)
    return {cid: c for cid, c in REGISTRY.items()
            if c.module in prefixes or c.module.startswith(tuple(p + "." for p in prefixes))}


def section_key(section: str) -> tuple:
    """Natural order of section names: '2' < '2.4' < '10'; names sort after numbers."""
    out = []
    for part in re.split(r"[.-]", section):
        out.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return tuple(out)


def reading_key(c: Claim) -> tuple:
    """Reading order: section, then paragraph (unlocated claims last), then registration."""
    return (section_key(c.section), c.paragraph if c.paragraph is not None else 10**6, c.order)
