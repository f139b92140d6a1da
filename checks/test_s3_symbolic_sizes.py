"""Evidence for §3: the size-general identities of §3.1, §3.3 and §3.4 at symbolic sizes.

Complements the symbolic-size proofs inside the other §3 files: steepest descent in R^N
(N symbolic, ``MatrixSymbol``), Gibbs' inequality and the ELBO decomposition over K
outcomes (K symbolic, ``Sum`` over ``IndexedBase``). The older one-size sympy checks of
these claims are scope="instance".
"""
from __future__ import annotations

from fractions import Fraction
from math import comb

import mpmath
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


# -- the hypothesis-testing reading of KL (§3.3, paragraph 24) --------------------------------
def _optimal_type_two_error(n: int, alpha: Fraction) -> Fraction:
    """Exact type-II error of the most powerful level-alpha test of H0: Bern(1/2) against
    H1: Bern(1/4) from n draws (Neyman-Pearson, randomised on the boundary). The likelihood
    ratio P1/P0 = (1/2)^k (3/2)^(n-k) falls with the count k of ones, so H0 is rejected for
    small k."""
    p0 = [Fraction(comb(n, k), 2**n) for k in range(n + 1)]
    p1 = [Fraction(comb(n, k) * 3 ** (n - k), 4**n) for k in range(n + 1)]
    size, c = Fraction(0), 0
    while size + p0[c] <= alpha:  # reject k < c outright
        size += p0[c]
        c += 1
    gamma = (alpha - size) / p0[c]  # reject k = c with probability gamma
    return (1 - gamma) * p1[c] + sum(p1[c + 1:], Fraction(0))


@claim("kl-measures-how-easily-two-hypotheses-are-told-apart", kind="interval", scope="instance")
def test_stein_exponent_of_two_bernoullis_is_the_kl_exact(evidence):
    alpha = Fraction(1, 2)  # the level-alpha exponent's sqrt(n) term vanishes at alpha = 1/2
    D01 = mpmath.iv.log(mpmath.iv.mpf(4) / 3) / 2                     # D(Bern(1/2) || Bern(1/4))
    D10 = (3 * mpmath.iv.log(mpmath.iv.mpf(3)) - 4 * mpmath.iv.log(mpmath.iv.mpf(2))) / 4
    gaps = []
    for n in (250, 500, 1000, 2000):
        beta = _optimal_type_two_error(n, alpha)
        # -log(beta)/n enclosed outward: beta = num/den with exact integers
        e = (mpmath.iv.log(mpmath.iv.mpf(beta.denominator))
             - mpmath.iv.log(mpmath.iv.mpf(beta.numerator))) / n
        gap = max(abs(mpmath.mpf(e.a) - mpmath.mpf(D01.b)), abs(mpmath.mpf(e.b) - mpmath.mpf(D01.a)))
        gaps.append(float(gap))
        evidence.note(f"n = {n}: -log(beta_n)/n in [{float(mpmath.mpf(e.a)):.5f}, "
                      f"{float(mpmath.mpf(e.b)):.5f}]")
    # the exponent approaches D(P0 || P1) = ln(4/3)/2 ~ 0.14384 (Stein): the distance shrinks
    # with n (as log(n)/n), and at n = 2000 it is below half the distance between the two
    # directions of KL, so the exponent is D(H0 || H1), not D(H1 || H0) ~ 0.13081
    assert all(b < a for a, b in zip(gaps, gaps[1:])), gaps
    half = (mpmath.mpf(D01.a) - mpmath.mpf(D10.b)) / 2
    assert half > 0 and gaps[-1] < float(half), (gaps, float(half))
    evidence.note(f"Stein: exact type-II errors of the optimal level-1/2 test of Bern(1/2) vs "
                  f"Bern(1/4) decay at exponent -> D(P0||P1) = ln(4/3)/2 ~ 0.14384 (distance "
                  f"{gaps[-1]:.4f} at n = 2000, shrinking), not D(P1||P0) ~ 0.13081: the "
                  "larger the KL, the faster the hypotheses are told apart")
