"""Negative controls: a proof must reject a perturbed statement.

A symbolic or exact check proves a statement only if it *could have failed*. A derivation
that compares an expression with itself, or types the key step in by hand, passes for any
statement. Mutation testing for proofs catches it: write the derivation as a function of
the statement, run it on the statement (it must pass) and on perturbed statements - a
wrong constant, a dropped hypothesis, a swapped argument - which the *same assertions*
must reject::

    @pytest.mark.claim("xavier-variance", kind="symbolic")
    def test_xavier_variance(control):
        def derive(c):                      # c: the constant the statement names
            ...
            assert sp.simplify(var - c * n * s2) == 0, "Var(z) = c n s_w^2 s_x^2"
        control(derive, 1, 2, sp.Rational(1, 2), labels=("n s^2", "2 n s^2", "n s^2 / 2"))

:class:`Control` runs ``derive(statement)``, then ``derive(p)`` for each perturbation
``p``: each must raise ``AssertionError`` (any other exception is an error of the check,
not a rejection). A perturbation that passes fails the check with a message naming it.
The outcome is recorded in the check's evidence and sent to the ledger, which lets a
whole-scope ``symbolic`` or ``exact`` link earn ``proved`` only when its check carried a
negative control that was rejected (:func:`claimledger.links.rung_of`).
"""
from __future__ import annotations

from typing import Any, Callable


class ControlNotRejected(AssertionError):
    """A perturbed statement passed the check: the check cannot tell it from the truth."""


class Control:
    """Runs a derivation on its statement and on perturbed statements (see module doc)."""

    def __init__(self, evidence) -> None:
        self.evidence = evidence

    def __call__(self, derive: Callable[[Any], Any], statement: Any, *perturbed: Any,
                 labels: tuple[str, ...] | list[str] | None = None) -> Any:
        if not perturbed:
            raise ValueError("control(derive, statement, *perturbed): give at least one "
                             "perturbed statement")
        if labels is not None and len(labels) != len(perturbed):
            raise ValueError(f"control: {len(labels)} labels for {len(perturbed)} "
                             "perturbed statements")
        names = list(labels) if labels is not None else [_label(p) for p in perturbed]
        result = derive(statement)
        passed = []
        for p, name in zip(perturbed, names):
            try:
                derive(p)
            except AssertionError:
                self.evidence.control(name, rejected=True)
                continue
            self.evidence.control(name, rejected=False)
            passed.append(name)
        if passed:
            raise ControlNotRejected(
                "negative control not rejected: the check also passes for the perturbed "
                f"statement(s) {passed}, so it cannot tell the statement from a false one")
        return result


def _label(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:57] + "..."
