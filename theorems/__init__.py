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
believe or build from the text. Claims the harness adds that are not statements of the
article (``origin="harness"``: its own corollaries; ``origin="framework"``: findings about
a framework's conventions) never appear among "where the article is wrong".

Locating a claim in the article
-------------------------------
``paragraph`` is the 1-based index of the non-empty line of the article's section
``section`` where the statement sits (``python -m theorems._article 3.3`` prints a
section's numbered paragraphs). The report shows that paragraph beside the verdict,
read from the article at run time; the article's text is never copied here.

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

VERDICTS = ("proved", "certified", "supported", "refuted", "qualified", "imprecise", "cited")
FINDINGS = ("refuted", "qualified", "imprecise")
ORIGINS = ("article", "harness", "framework")
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
    misled: str | None = None  # refuted/qualified: what a reader wrongly believes or builds
    origin: str = "article"  # article | harness (our corollary) | framework (§7 findings)
    paragraph: int | None = None  # 1-based non-empty line of the article's section
    note: str | None = None  # context for the reader, apart from the precise statements
    module: str = field(default="", compare=False)
    order: int = field(default=0, compare=False)  # registration order within the registry

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"claim id {self.id!r} is not kebab-case")
        if not _SECTION.match(self.section):
            raise ValueError(f"claim {self.id}: section {self.section!r} is not like '1.2'")
        if self.verdict not in VERDICTS:
            raise ValueError(f"claim {self.id}: verdict {self.verdict!r} not in {VERDICTS}")
        if self.origin not in ORIGINS:
            raise ValueError(f"claim {self.id}: origin {self.origin!r} not in {ORIGINS}")
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
          misled: str | None = None, origin: str = "article", paragraph: int | None = None,
          note: str | None = None) -> Claim:
    """Register a claim; the id must be new. Returns the claim (a module may keep it)."""
    import inspect

    caller = inspect.stack()[1].frame.f_globals.get("__name__", "")
    c = Claim(id=id, section=section, title=title, statement=statement.strip(), verdict=verdict,
              assumptions=tuple(assumptions), corrected_statement=corrected_statement,
              reason=reason, depends_on=tuple(depends_on), misled=misled, origin=origin,
              paragraph=paragraph, note=note, module=caller, order=len(REGISTRY))
    old = REGISTRY.get(id)
    if old is not None:
        c = Claim(**{**c.__dict__, "order": old.order})
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


def reading_key(c: Claim) -> tuple:
    """Article order: section, then paragraph (unlocated claims last), then registration."""
    return (section_key(c.section), c.paragraph if c.paragraph is not None else 10**6, c.order)
