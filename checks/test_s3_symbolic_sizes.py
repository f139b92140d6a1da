"""Evidence for §3: the size-general identities of §3.1, §3.3 and §3.4 at symbolic sizes.

Complements the symbolic-size proofs inside the other §3 files: steepest descent in R^N
(N symbolic, ``MatrixSymbol``), Gibbs' inequality and the ELBO decomposition over K
outcomes (K symbolic, ``Sum`` over ``IndexedBase``). The older one-size sympy checks of
these claims are scope="instance".
"""
from __future__ import annotations

import pytest
import sympy as sp

claim = pytest.mark.claim

i, j, k, a = sp.symbols("i j k a", integer=True, positive=True)
K, n = sp.symbols("K n", integer=True, positive=True)


@claim("negative-gradient-is-steepest-descent-direction", kind="symbolic")
def test_steepest_unit_direction_any_dimension(evidence):
    N = sp.Symbol("N", integer=True, positive=True)
    u, g = sp.MatrixSymbol("u", N, 1), sp.MatrixSymbol("g", N, 1)
    G = sp.Symbol("G", positive=True)          # ||g|| > 0
    t = sp.Symbol("t", real=True)              # g.u = u.g (a real inner product is symmetric)
    sq = sp.expand((u + g / G).T * (u + g / G))
    # bilinearity of the inner product in R^N, N symbolic: ||u + g/G||^2 expands to
    # u.u + 2 g.u / G + g.g / G^2
    table = {u.T * u: sp.Integer(1), g.T * g: G**2, g.T * u: t, u.T * g: t}
    scal = 0
    for term in sq.args:  # each term is (scalar coefficient) * (1x1 inner product)
        coeff, prod = term.as_coeff_mmul()
        scal += coeff * table[sp.MatMul(*prod.args) if isinstance(prod, sp.MatMul) else prod]
    assert len(sq.args) == 4
    assert sp.simplify(scal - (2 + 2 * t / G)) == 0
    # ||.||^2 >= 0 gives t >= -G (= g.u >= -||g|| for every unit u); equality iff
    # u + g/G = 0, i.e. u = -g/||g||: the unique minimiser of the directional derivative
    assert sp.solve(sp.Eq(2 + 2 * t / G, 0), t) == [-G]
    evidence.note("sympy, R^N with N symbolic: ||u + g/||g|| ||^2 = 2 + 2 g.u/||g|| >= 0 for "
                  "unit u, so g.u >= -||g|| with equality iff u = -g/||g||")


@claim("gibbs-inequality-kl-nonnegative-zero-iff-equal", kind="symbolic")
def test_gibbs_any_k_termwise(evidence):
    x = sp.symbols("x", positive=True)
    g = x - 1 - sp.log(x)  # ln x <= x - 1 with equality iff x = 1
    assert g.subs(x, 1) == 0 and sp.solve(sp.diff(g, x), x) == [1]
    assert sp.diff(g, x, 2).is_positive
    p, q = sp.IndexedBase("p", positive=True), sp.IndexedBase("q", positive=True)
    # over the support of p (K' terms, K' symbolic): p_i log(q_i/p_i) <= p_i (q_i/p_i - 1)
    term_bound = sp.simplify(p[i] * (q[i] / p[i] - 1))
    assert sp.simplify(term_bound - (q[i] - p[i])) == 0
    total = sp.Sum(q[i], (i, 1, K)) - sp.Sum(p[i], (i, 1, K))
    assert sp.simplify(sp.Sum(term_bound, (i, 1, K)) - total) == 0
    # sum_{supp p} p_i = 1 and sum_{supp p} q_i <= 1, so -D(p||q) <= (mass of q on supp p) - 1
    # <= 0; equality needs q_i/p_i = 1 on supp p (strict convexity) and q-mass 1 there: q = p
    evidence.note("sympy, K symbolic: ln x <= x - 1 (equality iff x = 1) termwise with "
                  "x = q_i/p_i gives -D(p||q) <= sum_{supp p} q_i - 1 <= 0, equality iff q = p")


@claim("vae-kl-is-encoder-from-prior", kind="symbolic")
def test_elbo_decomposition_any_number_of_latent_states(evidence):
    # K latent states (K symbolic): prior pi_z, likelihood l_z = p(x|z), encoder q_z
    pi, l, q = (sp.IndexedBase(c, positive=True) for c in ("pi", "l", "q"))
    px = sp.Sum(pi[i] * l[i], (i, 1, K))
    post = pi[i] * l[i] / px
    # log p(x) - [E_q log p(x|z) - D(q || prior)] - D(q || posterior), summand by summand,
    # with log p(x) = sum_z q_z log p(x) (the q_z sum to 1)
    summand = q[i] * sp.log(px) - (q[i] * sp.log(l[i]) - q[i] * sp.log(q[i] / pi[i])) \
        - q[i] * sp.log(q[i] / post)
    assert sp.simplify(sp.expand_log(summand, force=True)) == 0
    evidence.note("sympy, K latent states (K symbolic): log p(x) = E_q log p(x|z) - "
                  "D(q(z|x) || p(z)) + D(q(z|x) || p(z|x)) termwise: the ELBO's KL has the "
                  "encoder first")
