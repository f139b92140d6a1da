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

from claimledger import symbolic as Sy

claim = pytest.mark.claim

i, j, k, a = sp.symbols("i j k a", integer=True, positive=True)
K, n = sp.symbols("K n", integer=True, positive=True)


@claim("negative-gradient-is-steepest-descent-direction", kind="symbolic")
def test_steepest_unit_direction_any_dimension(evidence, control):
    """In R^N (N symbolic), g = grad f(theta) != 0, ||g|| = G: for every unit u,
    g.u - (-G) = (G/2) ||u + g/G||^2 >= 0 and G - g.u = (G/2) ||u - g/G||^2 >= 0, so g.u is
    minimised exactly at -g/G (value -G) and maximised exactly at g/G (value G); the
    directional derivative along -g is -G^2 < 0, so a small enough step along -g lowers f."""
    N = sp.Symbol("N", integer=True, positive=True)
    u, g = sp.MatrixSymbol("u", N, 1), sp.MatrixSymbol("g", N, 1)
    G = sp.Symbol("G", positive=True)          # ||g|| > 0
    t = sp.Symbol("t", real=True)              # g.u = u.g (a real inner product is symmetric)
    # the inner products of u (a unit vector) and g: everything else follows by bilinearity
    table = {u.T * u: sp.Integer(1), g.T * g: G**2, g.T * u: t, u.T * g: t}

    def inner(a, b):  # a . b for combinations of u and g, expanded by bilinearity
        total = sp.Integer(0)
        for term in sp.MatAdd.make_args(sp.expand(a.T * b)):
            coeff, prod = term.as_coeff_mmul()
            total += coeff * table[sp.MatMul(*prod.args) if isinstance(prod, sp.MatMul) else prod]
        return sp.expand(total)

    def derive(statement):
        argmin, least, argmax, most, step = statement
        for d, value, sense, what in ((argmin, least, 1, "minimum"), (argmax, most, -1, "maximum")):
            assert inner(d, d) == 1, f"the claimed {what} direction {d} is not a unit vector"
            assert sp.expand(inner(g, d) - value) == 0, f"g . {d} = {inner(g, d)}, not {value}"
            # sense (g.u - value) = c ||u - d||^2 for every unit u, with c > 0 free of u:
            # the inequality for every unit u, with equality exactly at u = d
            c = sp.cancel(sense * (t - value) / inner(u - d, u - d))
            assert not c.has(t) and c.is_positive, \
                f"g.u - ({value}) is not a positive multiple of ||u - d||^2 (ratio {c}): " \
                f"{d} is not the {what} of g.u over unit u"
        # f(theta + eta d) = f(theta) + eta g.d + o(eta) (f differentiable): a descent
        # direction needs g.d < 0
        assert inner(g, step).is_negative, f"g . {step} = {inner(g, step)}: no decrease"

    control(derive, (-g / G, -G, g / G, G, -g), (g / G, G, -g / G, -G, -g),
            (-g, -G**2, g, G**2, -g), (-g / G, -G**2, g / G, G, -g),
            (-g / G, -G, g / G, G, g),
            labels=("argmin +g/||g||, argmax -g/||g|| (ascent and descent swapped)",
                    "argmin -g, value -||g||^2 (not normalised)",
                    "minimum value -||g||^2", "a step along +g"))
    evidence.note("sympy, R^N with N symbolic: for unit u, g.u + ||g|| = (||g||/2) ||u + "
                  "g/||g|| ||^2 >= 0 and ||g|| - g.u = (||g||/2) ||u - g/||g|| ||^2 >= 0, so g.u is "
                  "minimised exactly at -g/||g|| (value -||g||) and maximised exactly at "
                  "g/||g||; the directional derivative along -g is -||g||^2 < 0")


@claim("gibbs-inequality-kl-nonnegative-zero-iff-equal", kind="symbolic")
def test_gibbs_any_k_termwise(evidence, control):
    x = sp.symbols("x", positive=True)
    g = x - 1 - sp.log(x)  # ln x <= x - 1 with equality iff x = 1
    assert g.subs(x, 1) == 0 and sp.solve(sp.diff(g, x), x) == [1]
    assert sp.diff(g, x, 2).is_positive
    assert sp.solve(g, x) == [1], "ln x = x - 1 only at x = 1"
    p, q = sp.IndexedBase("p", positive=True), sp.IndexedBase("q", positive=True)
    Q = sp.Symbol("Q", nonnegative=True)  # the mass of q on the support of p

    def derive(statement):
        # the statement: for a distribution p and q >= 0 of total mass q_mass (1: a
        # distribution), D(p || q) >= bound, with equality iff q = p
        q_mass, bound = statement
        # over the support of p (K terms, K symbolic), x = q_i / p_i:
        # p_i log(q_i / p_i) <= p_i (q_i / p_i - 1) = q_i - p_i, so -D(p || q) <= Q - sum p
        term_bound = sp.simplify(p[i] * (q[i] / p[i] - 1))
        upper = Sy.linear(sp.Sum(term_bound, (i, 1, K)))  # bounds -D(p || q)
        upper = upper.subs({sp.Sum(p[i], (i, 1, K)): 1, sp.Sum(q[i], (i, 1, K)): Q})
        # Q <= q_mass (q >= 0 off the support), so D >= -upper >= -(q_mass - 1)
        least = -upper.subs(Q, q_mass)
        assert (least - bound).is_nonnegative, \
            f"the termwise bound gives D >= {least}, not D >= {bound}"
        # equality needs every step tight: q_i = p_i on supp p (ln x = x - 1 only at x = 1)
        # and Q = q_mass = 1, i.e. q = p; the bound is attained only if least = bound
        assert sp.simplify(least - bound) == 0, \
            f"D >= {least} > {bound}: the bound {bound} is never attained"

    control(derive, (1, 0), (2, 0), (1, sp.Rational(1, 10)), (sp.Rational(1, 2), 0),
            labels=("q of total mass 2 (the hypothesis that q sums to 1 dropped)",
                    "D >= 1/10", "q of mass 1/2: 'equality iff p = q' (never attained)"))
    t = sp.Symbol("t", positive=True)  # D = +oo when q(x) = 0 < p(x)
    assert sp.limit(t * sp.log(t / x), x, 0, "+") == sp.oo
    evidence.note("sympy, K symbolic: ln x <= x - 1 (equality iff x = 1) termwise with "
                  "x = q_i/p_i gives -D(p||q) <= sum_{supp p} q_i - 1 <= 0, equality iff q = p; "
                  "a term p log(p/q) -> +oo as q -> 0+")


@claim("vae-kl-is-encoder-from-prior", kind="symbolic")
def test_elbo_decomposition_any_number_of_latent_states(evidence, control):
    # K latent states (K symbolic): prior pi_z, likelihood l_z = p(x|z), encoder q_z
    pi, l, q = (sp.IndexedBase(c, positive=True) for c in ("pi", "l", "q"))
    px = sp.Sum(pi[i] * l[i], (i, 1, K))
    post = pi[i] * l[i] / px

    def kl_term(a, b):  # the i-th term of D(a || b)
        return a * sp.log(a / b)

    def derive(statement):
        # the statement: log p(x) = E_q log p(x|z) - D(first || second) + D(q || posterior),
        # checked summand by summand with log p(x) = sum_z q_z log p(x) (the q_z sum to 1)
        first, second = statement
        summand = q[i] * sp.log(px) - (q[i] * sp.log(l[i]) - kl_term(first, second)) \
            - kl_term(q[i], post)
        rest = sp.simplify(sp.expand_log(summand, force=True))
        assert rest == 0, f"log p(x) - ELBO - D(q || posterior), summand i: {rest}"

    control(derive, (q[i], pi[i]), (pi[i], q[i]), (q[i], post),
            labels=("D(p(z) || q(z|x)) (prior first)", "D(q(z|x) || p(z|x)) (the posterior "
                                                         "in the ELBO's KL)"))
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
