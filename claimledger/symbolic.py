"""Small sympy helpers for proofs over symbolic sizes.

A proof "for any n" writes vectors as ``IndexedBase`` objects and inner products as
``Sum(a[i] c[i], (i, 1, n))`` with a symbolic ``n``. sympy will not manipulate such sums
on its own, so :func:`linear` expands them by *linearity only* - the one property of a
finite sum these proofs use - and an identity that expands to 0 then holds for every n.
"""
from __future__ import annotations

import sympy as sp


def dot(a, c, index: sp.Symbol, upper) -> sp.Sum:
    """a . c in R^upper: ``Sum_{index=1}^{upper} a c`` (a, c indexed expressions)."""
    return sp.Sum(sp.sympify(a) * sp.sympify(c), (index, 1, upper))


def linear(expr):
    """Expand every Sum by linearity only: split the summand into its terms and pull the
    factors free of the summation indices out (Sum(c f + g) = c Sum(f) + Sum(g)).
    Nothing else is assumed about the summands."""
    def split(s):
        idx = [lim[0] for lim in s.limits]
        out = []
        for term in sp.Add.make_args(sp.expand(s.function)):
            const = [f for f in sp.Mul.make_args(term) if not f.has(*idx)]
            var = [f for f in sp.Mul.make_args(term) if f.has(*idx)]
            out.append(sp.Mul(*const) * sp.Sum(sp.Mul(*var), *s.limits))
        return sp.Add(*out)
    return sp.expand(expr.replace(lambda e: isinstance(e, sp.Sum), split))


def expand_log_in_sums(expr):
    """``expand_log(force=True)`` inside every Sum's summand. Valid where the logarithms'
    arguments are positive (densities, probabilities), which the callers' symbols assume."""
    return expr.replace(lambda e: isinstance(e, sp.Sum),
                        lambda s: sp.Sum(sp.expand_log(s.function, force=True), *s.limits))


def constant_sums(expr):
    """Evaluate the Sums whose summand does not depend on their index (Sum(c, (i, 1, N)) =
    N c); the others are left alone."""
    return expr.replace(
        lambda e: isinstance(e, sp.Sum) and not e.function.has(*[lim[0] for lim in e.limits]),
        lambda s: s.doit())


def within_range(expr):
    """Inside ``Sum(f, (k, 1, n))`` a ``Piecewise((a, k <= n), (0, True))`` (what sympy
    leaves after summing a Kronecker delta) is ``a``: the index runs over 1..n. Returns the
    expression with those Piecewise resolved and the constant sums evaluated."""
    def resolve(s):
        k, lo, hi = s.limits[0]
        f = s.function.replace(
            lambda e: isinstance(e, sp.Piecewise) and len(e.args) == 2
            and e.args[0].cond in (sp.Le(k, hi), sp.Ge(hi, k)) and e.args[1].expr == 0,
            lambda e: e.args[0].expr)
        return sp.Sum(f, *s.limits)
    return constant_sums(expr.replace(lambda e: isinstance(e, sp.Sum), resolve))


def coefficient_on(expr, v):
    """The scalar c when the matrix expression ``expr`` expands to ``c v``; an
    AssertionError naming the offending term otherwise (so a derivation that leaves any
    other matrix term fails rather than dropping it)."""
    c = sp.Integer(0)
    for term in sp.MatAdd.make_args(sp.expand(expr)):
        coeff, rest = term.as_coeff_mmul()
        if isinstance(rest, sp.MatMul) and len(rest.args) == 1:
            rest = rest.args[0]
        assert rest == v, f"{expr} is not a multiple of {v} (term {term})"
        c += coeff
    return sp.expand(c)
