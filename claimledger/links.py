"""Links from checks to claims, the kind of evidence each gives, and the rung it earns.

A check links to claims with ``@pytest.mark.claim(*ids, kind=..., scope=..., target=...)``:

``kind`` (required)
    ``symbolic``    sympy, valid for the claim's whole stated generality (symbolic sizes,
                    or a base case plus an induction step);
    ``exact``       rational/integer arithmetic or a certificate checked exactly;
    ``interval``    rigorous, outward-rounded enclosures over a whole domain;
    ``statistical`` a named test at a stated false-alarm rate;
    ``sampled``     floating-point properties without an error rate;
    ``figure``      draws a figure; never evidence on its own.
``scope`` (default ``"whole"``)
    ``"instance"`` when the check covers one size, one case or one step of the statement.
``target`` (default ``"statement"``)
    for refuted, qualified and imprecise claims: ``"counterexample"`` (re-checks the
    counterexample to the literal statement) or ``"corrected"`` (evidence for the
    corrected statement).

The rung a set of passing links earns:

* **proved**: a ``symbolic`` or ``exact`` link of whole scope whose check carried a
  negative control that was rejected (:mod:`claimledger.controls`); without one it earns
  supported - a derivation that could not have failed proves nothing;
* **certified**: an ``interval`` link of whole scope;
* **supported**: any other link except ``figure`` (statistical, sampled, or a
  symbolic/exact/interval link of instance scope);
* nothing, from figures alone.

:func:`static_index` reads the check modules' source (no import) and maps each check
function to the claims it names, so a run knows which claims had checks that were
deselected or not collected.
"""
from __future__ import annotations

import ast
import pathlib
from dataclasses import dataclass

import pytest

KINDS = ("symbolic", "exact", "interval", "statistical", "sampled", "figure")
SCOPES = ("whole", "instance")
TARGETS = ("statement", "counterexample", "corrected")
RUNGS = ("proved", "certified", "supported")
_RANK = {"proved": 3, "certified": 2, "supported": 1, None: 0}
#: proved needs a rejected negative control (switched on once every proof carries one)
REQUIRE_CONTROLS = False
#: a link whose check fails the kind lint (:mod:`claimledger.kindlint`) earns at most
#: supported (switched on once the article's checks pass the lint)
REQUIRE_KIND_LINT = False


@dataclass(frozen=True)
class Link:
    claim: str
    kind: str
    scope: str = "whole"
    target: str = "statement"

    def as_tuple(self) -> tuple[str, str, str, str]:
        return (self.claim, self.kind, self.scope, self.target)


def links_of(item: pytest.Item) -> list[Link]:
    """The claim links of a collected check, validated (a usage error names the check)."""
    out: list[Link] = []
    for mark in item.iter_markers("claim"):
        if not mark.args:
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.claim needs at least one id")
        unknown = set(mark.kwargs) - {"kind", "scope", "target"}
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: unknown claim-marker keyword(s) "
                                    f"{sorted(unknown)}; use kind=, scope=, target=")
        kind = mark.kwargs.get("kind")
        if kind not in KINDS:
            raise pytest.UsageError(
                f"{item.nodeid}: the link to {', '.join(mark.args)} needs kind= one of "
                f"{KINDS} (got {kind!r}): say what kind of evidence this check gives")
        scope = mark.kwargs.get("scope", "whole")
        if scope not in SCOPES:
            raise pytest.UsageError(f"{item.nodeid}: scope= must be one of {SCOPES}, "
                                    f"got {scope!r}")
        target = mark.kwargs.get("target", "statement")
        if target not in TARGETS:
            raise pytest.UsageError(f"{item.nodeid}: target= must be one of {TARGETS}, "
                                    f"got {target!r}")
        out += [Link(cid, kind, scope, target) for cid in mark.args]
    return out


def rung_of(kind: str, scope: str, controls=None, lint=None) -> str | None:
    """The rung one passing link earns on its own. ``controls``: the check's negative
    controls as (perturbation, rejected) pairs; ``None`` when not recorded (a link whose
    check is not known, e.g. the comparison of a link with another of the same check).
    ``lint``: the kind lint's problems with the check (a failing lint caps the link at
    supported)."""
    if kind == "figure":
        return None
    if REQUIRE_KIND_LINT and lint:
        return "supported"
    if scope == "whole" and kind in ("symbolic", "exact"):
        if REQUIRE_CONTROLS and controls is not None and not controlled(controls):
            return "supported"
        return "proved"
    if scope == "whole" and kind == "interval":
        return "certified"
    return "supported"


def controlled(controls) -> bool:
    """A check's negative controls: at least one, and every one rejected."""
    controls = list(controls or ())
    return bool(controls) and all(rejected for _, rejected in controls)


def control_tag(kind: str, scope: str, controls, lint=None) -> str:
    """Why a proof-kind link earns less than its kind: no rejected negative control, or a
    failed kind lint; '' otherwise."""
    out = ""
    if REQUIRE_KIND_LINT and lint and kind in ("symbolic", "exact", "interval"):
        out += " failing the kind lint (" + "; ".join(lint) + ")"
    if REQUIRE_CONTROLS and scope == "whole" and kind in ("symbolic", "exact") and \
            not controlled(controls):
        out += " without a rejected negative control"
    return out


def best(rungs) -> str | None:
    """The highest of some rungs (None: nothing earned)."""
    out = None
    for r in rungs:
        if _RANK[r] > _RANK[out]:
            out = r
    return out


def weakest(rungs) -> str | None:
    rungs = list(rungs)
    if not rungs:
        return None
    return min(rungs, key=lambda r: _RANK[r])


def above(declared: str, earned: str | None) -> bool:
    """True when ``declared`` (a rung) is higher than what was ``earned``."""
    return _RANK.get(declared, 0) > _RANK[earned]


# -- the static claim -> checks index ------------------------------------------------------
def _is_claim_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    return (isinstance(f, ast.Name) and f.id == "claim") or \
        (isinstance(f, ast.Attribute) and f.attr == "claim")


def unkinded_links(path: pathlib.Path) -> list[str]:
    """``file:line`` of every claim marker in a check module's source without ``kind=``.

    Read before any worker starts, so that under pytest-xdist the run stops on a clear
    message instead of a worker crash."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    consts = _string_constants(tree)
    out = []
    for node in ast.walk(tree):
        if _is_claim_call(node) and _ids_of_call(node, consts) and \
                not any(k.arg == "kind" for k in node.keywords):
            out.append(f"{path.name}:{node.lineno}")
    return out


def _string_constants(tree: ast.Module) -> dict[str, tuple[str, ...]]:
    """Module-level ``NAME = "id"`` / ``NAME = ("id", ...)``: markers may name them."""
    out: dict[str, tuple[str, ...]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name):
            v = node.value
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                out[node.targets[0].id] = (v.value,)
            elif isinstance(v, (ast.Tuple, ast.List)) and v.elts and all(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) for e in v.elts):
                out[node.targets[0].id] = tuple(e.value for e in v.elts)
    return out


def _ids_of_call(node: ast.Call, consts: dict[str, tuple[str, ...]]) -> set[str]:
    ids: set[str] = set()
    for a in node.args:
        if isinstance(a, ast.Constant) and isinstance(a.value, str):
            ids.add(a.value)
        elif isinstance(a, ast.Name) and a.id in consts:
            ids |= set(consts[a.id])
        elif isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and \
                a.value.id in consts:
            ids |= set(consts[a.value.id])
    return ids


def _claim_ids(nodes, consts: dict[str, tuple[str, ...]]) -> set[str]:
    out: set[str] = set()
    for node in nodes:
        for sub in ast.walk(node):
            if _is_claim_call(sub):
                out |= _ids_of_call(sub, consts)
    return out


def module_index(path: pathlib.Path, relname: str) -> dict[str, set[str]]:
    """``{"<relname>::func" or "<relname>::Class::func": claim ids}`` for one module.

    Module-level ``pytestmark`` and class decorators apply to every test below them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    consts = _string_constants(tree)
    module_ids: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets):
            module_ids |= _claim_ids([node.value], consts)
    out: dict[str, set[str]] = {}

    def visit(body, prefix: str, inherited: set[str]) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    node.name.startswith("test"):
                ids = inherited | _claim_ids(node.decorator_list, consts)
                if ids:
                    out[f"{prefix}::{node.name}"] = ids
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                visit(node.body, f"{prefix}::{node.name}",
                      inherited | _claim_ids(node.decorator_list, consts))

    visit(tree.body, relname, module_ids)
    return out


def static_index(modules, rootpath: pathlib.Path) -> dict[str, set[str]]:
    """Every check function of the check ``modules`` (paths) and the claims its markers
    name, keyed like pytest node ids relative to ``rootpath``."""
    out: dict[str, set[str]] = {}
    for path in sorted(modules):
        try:
            rel = path.resolve().relative_to(rootpath.resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()
        out.update(module_index(path, rel))
    return out


def function_of(nodeid: str) -> str:
    """'a.py::test_x[3-4]' -> 'a.py::test_x' (parametrised ids share their function)."""
    return nodeid.split("[", 1)[0]
