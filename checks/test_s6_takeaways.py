"""Evidence for §6: the takeaways that are literally false get their own counterexamples.

The takeaways that restate results of §§1-5 have no checks here: their claims name the
checked claims in ``depends_on`` (``theorems/s6_wrapping_up.py``).
"""
from __future__ import annotations

import itertools

import pytest
import sympy as sp

from claimledger.certificates import farkas_certifies_inseparable
from claimledger.symbolic import linear

claim = pytest.mark.claim

XOR_POINTS = [(0, 0), (0, 1), (1, 0), (1, 1)]
XOR_LABELS = [-1, 1, 1, -1]  # class 1 -> +1, class 0 -> -1


@claim("perceptron-limit-is-single-layer-not-linearity", kind="symbolic",
       target="counterexample")
def test_stacked_linear_layers_still_cannot_compute_xor(evidence, control):
    """A stack of linear layers of any widths and depth is one affine map of the input, by
    induction on depth: one layer is affine, and an affine map R^2 -> R^h followed by a
    linear layer R^h -> R^m is affine (the step below, for symbolic h, m and output
    coordinate r). No affine map computes XOR (a Farkas certificate)."""
    x1, x2 = sp.symbols("x1 x2", real=True)
    h = sp.Symbol("h", integer=True, positive=True)  # width of the layer below
    j = sp.Symbol("j", integer=True, positive=True)  # its units, 1 <= j <= h
    r = sp.Symbol("r", integer=True, positive=True)  # an output coordinate, 1 <= r <= m
    a, c = sp.IndexedBase("a", real=True), sp.IndexedBase("c", real=True)  # the affine map
    v, d = sp.IndexedBase("v", real=True), sp.IndexedBase("d", real=True)  # the next layer
    pre = a[j, 1] * x1 + a[j, 2] * x2 + c[j]  # unit j of the affine map below
    w_eff = [sp.Sum(v[r, j] * a[j, q], (j, 1, h)) for q in (1, 2)]
    b_eff = sp.Sum(v[r, j] * c[j], (j, 1, h)) + d[r]

    def derive(stmt):  # (the activation between the layers, the labels to compute)
        act, labels = stmt
        # output r of the stack: sum_j v_rj act(unit j) + d_r; with act the identity it is
        # the affine map with weights sum_j v_rj a_jq and bias sum_j v_rj c_j + d_r
        out = sp.Sum(v[r, j] * act(pre), (j, 1, h)) + d[r]
        residual = linear(out - (w_eff[0] * x1 + w_eff[1] * x2 + b_eff))
        assert residual == 0, f"the stack is not affine: residual {residual}"
        # ... and no affine map has the labels' sign pattern: a Farkas vector in {0, 1, 2}^4
        lam = next((lam for lam in itertools.product(range(3), repeat=4)
                    if farkas_certifies_inseparable(XOR_POINTS, labels, lam)), None)
        assert lam is not None, f"an affine map computes {labels}"
        return lam

    lam = control(derive, (lambda u: u, XOR_LABELS), (lambda u: u, [-1, -1, -1, 1]),
                  (lambda u: sp.Max(0, u), XOR_LABELS),
                  labels=("AND (a single unit computes it)",
                          "a ReLU between the layers (not affine)"))
    assert lam == (1, 1, 1, 1)
    evidence.counterexample("a stack of linear layers of any widths and depth is one affine "
                            "map (sympy, symbolic widths: W2 (W1 x + c) + d = (W2 W1) x + "
                            "(W2 c + d), by induction on depth), and the Farkas weights "
                            "(1, 1, 1, 1) certify that no affine map separates XOR: adding "
                            "layers without a non-linearity does not lift the limit, so "
                            "linearity of the whole map is a limit in its own right")


# scope instance: the check covers the single-unit part of the corrected statement (the
# reduction of a monotone activation to a half-space is argued in the comment, not checked);
# the depth part rests on deep-linear-mlp-no-more-expressive-than-one-layer (§2.2)
@claim("perceptron-limit-is-single-layer-not-linearity", kind="exact", scope="instance",
       target="corrected")
def test_one_unit_with_any_monotone_activation_cannot_compute_xor(evidence):
    # one unit sigma(w.x + b) read at a threshold tau, sigma non-decreasing: the set where
    # sigma(z) >= tau is an up-set of the reals, [z0, oo) or (z0, oo), so the unit's class-1
    # region is a closed or an open half-space of the input. Both are ruled out for XOR by
    # one exact Motzkin certificate: rows y_k (x_k, 1) . (w1, w2, b) >= 0 / > 0, weights
    # (1, 1, 1, 1) summing them to 0 (checked in Fractions by the certificate checker)
    lam = (1, 1, 1, 1)
    assert farkas_certifies_inseparable(XOR_POINTS, XOR_LABELS, lam), \
        "sum_k lam_k y_k (x_k, 1) != 0"
    for closed in (True, False):  # class 1 where score >= 0, or where score > 0
        # class 1's rows are strict iff the half-space is open, class 0's iff it is closed;
        # a weighted sum of rows equal to 0 with a strict row of positive weight is 0 > 0
        strict = [(lab == 1) != closed for lab in XOR_LABELS]
        assert any(s_ and l_ > 0 for s_, l_ in zip(strict, lam)), (closed, strict)
    evidence.note("the four XOR rows sum to 0 with a strict row among them, for both the closed "
                  "and the open half-space: no single unit with a non-decreasing activation, at "
                  "any threshold, computes XOR; depth with a non-linearity does "
                  "(xor-solved-by-mlp-trained-with-backprop-and-gd)")


@claim("gradient-problem-is-spectral-radius-not-depth", kind="symbolic", target="counterexample")
def test_spectral_radius_does_not_control_the_chain_product(evidence, control):
    A = sp.Matrix([[0, 2], [0, 0]])
    B = sp.Matrix([[0, 0], [2, 0]])
    J = sp.Matrix([[1, 1], [0, 1]])  # spectral radius exactly 1
    k = sp.Symbol("k", integer=True, positive=True)  # depth L = 2k or 2k + 1 (L >= 2)
    L = sp.Symbol("L", integer=True, nonnegative=True)  # depth

    def rho(M):
        return max(abs(e) for e in M.eigenvals())

    def products(layers):  # the chain products of the cycled layers, at every depth
        first, second = layers
        even = (second * first) ** k  # L = 2k layers: ... second first second first
        return even, first * even     # L = 2k + 1: one more `first` layer

    def derive(stmt):  # (the layers, cycled; a layer of spectral radius 1)
        layers, J_ = stmt
        # the spectral radius predicts decay (rho < 1) ...
        assert all(rho(M) < 1 for M in layers), "a layer with spectral radius >= 1"
        # ... yet the product's norm grows with every layer added, at every depth:
        # ||P_{2k}|| < ||P_{2k+1}|| < ||P_{2k+2}|| for symbolic k
        even, odd = products(layers)
        n_even, n_odd = even.norm(2), odd.norm(2)
        rises = (sp.simplify(n_odd - n_even), sp.simplify(n_even.subs(k, k + 1) - n_odd))
        assert all(r.is_positive for r in rises), \
            f"||P_2k|| = {n_even}, ||P_2k+1|| = {n_odd}: they do not grow with depth"
        # rho = 1 predicts neither growth nor decay, yet J^L grows with L: its (1, 2) entry,
        # a lower bound on ||J^L||, rises with every power
        assert rho(J_) == 1
        t = (J_ ** L)[0, 1]
        assert sp.simplify(sp.Abs(t.subs(L, L + 1)) - sp.Abs(t)).is_positive, \
            f"(J^L)_12 = {t} does not grow with L"
        return n_even, n_odd

    n_even, n_odd = control(derive, ((A, B), J), ((A, A), J), ((A, B), sp.eye(2)),
                            labels=("the same nilpotent layer A repeated (A^2 = 0)",
                                    "J = I (rho = 1, no growth)"))
    # the norm of L layers is exactly 2^L at every depth, and J^L = [[1, L], [0, 1]]
    assert sp.simplify(n_even - 2 ** (2 * k)) == 0 and sp.simplify(n_odd - 2 ** (2 * k + 1)) == 0
    assert J ** L == sp.Matrix([[1, L], [0, 1]])
    # the closed forms agree with the products multiplied out, layer by layer
    # (and L = 0, 1, not covered by k >= 1: the identity, norm 1, and A, norm 2)
    for depth in (0, 1, 2, 3, 4, 10, 21):
        prod = sp.eye(2)
        for layer in itertools.islice(itertools.cycle((A, B)), depth):
            prod = layer * prod
        if depth >= 2:
            assert prod == products((A, B))[depth % 2].subs(k, depth // 2)
        assert prod.norm(2) == 2 ** depth
    assert all(rho(M) == 0 for M in (A, B)), "nilpotent layers"
    # the singular values do bound every product: sigma_max(A) = sigma_max(B) = 2, and
    # ||P_L|| = 2^L meets prod sigma_max exactly
    assert sorted(A.singular_values()) == [0, 2] and sorted(B.singular_values()) == [0, 2]
    evidence.counterexample("layers alternating A = [[0, 2], [0, 0]] and B = [[0, 0], [2, 0]] "
                            "have spectral radius 0 (rho-bar = 0), yet the product of L layers "
                            "has norm 2^L at every depth L (sympy, symbolic L): it explodes; "
                            "J = [[1, 1], [0, 1]] has rho = 1 and J^L = [[1, L], [0, 1]] grows "
                            "with depth L")
    evidence.note("sympy, symbolic depth: (BA)^k = diag(0, 4^k), so the products of 2k and "
                  "2k + 1 layers have norms 4^k and 2 4^k; they equal prod sigma_max = 2^L, so "
                  "the singular values, not the spectral radii, govern the chain product")


@claim("all-regularisation-is-a-bayesian-prior", kind="exact", target="counterexample")
def test_mixup_estimate_is_no_map_under_any_prior(evidence, control):
    """Mixup is not MAP under any prior over the parameters. Linear regression y = theta x
    + N(0, 1) noise on the design x = (1, 2, 3). Two label vectors with the same x . y give
    log-likelihoods that differ by a constant in theta, so for every prior p(theta | x)
    (proper or improper, allowed to depend on the design) the two log posteriors differ by
    a constant and have the same maximisers. Mixup (the originals plus the midpoints of all
    pairs, lambda = 1/2) gives two different estimates, so it is MAP under no such prior."""
    th = sp.Symbol("theta", real=True)
    x = [1, 2, 3]
    y_a, y_b = [0, 0, 0], [1, 1, -1]  # x . y = 0 for both

    def loglik(y):
        return -sp.Rational(1, 2) * sum((yi - th * xi) ** 2 for xi, yi in zip(x, y))

    gap = sp.expand(loglik(y_b) - loglik(y_a))
    assert not gap.has(th), f"the likelihoods differ by {gap}, which depends on theta"

    def minimiser(loss):
        assert sp.diff(loss, th, 2) > 0  # strictly convex: the minimiser is unique
        (sol,) = sp.solve(sp.diff(loss, th), th)
        return sol

    def mixup_estimate(y):
        pts = list(zip(x, y)) + [((x[i] + x[j]) / sp.Integer(2), (y[i] + y[j]) / sp.Integer(2))
                                 for i, j in itertools.combinations(range(3), 2)]
        return minimiser(sum((yi - th * xi) ** 2 for xi, yi in pts))

    def ridge_estimate(y):  # weight decay: the MAP of the Gaussian prior theta ~ N(0, 1)
        return minimiser(sum((yi - th * xi) ** 2 for xi, yi in zip(x, y)) + th**2)

    def derive(estimator):  # a regulariser that is MAP under no prior gives two estimates
        est = estimator(y_a), estimator(y_b)
        assert est[0] != est[1], f"the same estimate {est[0]} for both label vectors"
        return est

    est = control(derive, mixup_estimate, ridge_estimate,
                  labels=("weight decay (MAP of a Gaussian prior)",))
    assert est == (0, sp.Rational(3, 53)), est
    evidence.counterexample("x = (1, 2, 3): labels (0, 0, 0) and (1, 1, -1) have the same "
                            "likelihood up to a constant (x . y = 0 for both), so every prior "
                            "p(theta | x) gives them the same MAP; mixup with lambda = 1/2 (originals "
                            "plus pair midpoints) estimates theta = 0 and theta = 3/53: it puts "
                            "its structure in the data, not in a prior over parameters")


@claim("all-regularisation-is-a-bayesian-prior", kind="symbolic", scope="instance",
       target="corrected")
def test_dropout_penalty_is_a_design_dependent_gaussian_prior(evidence, control):
    """The corrected statement's dropout case (scope instance: one case of the corrected
    statement), for symbolic sizes: N examples, d features. For linear regression with
    inverted input dropout (an independent keep-mask m_ij ~ Bernoulli(1 - p) per example
    and feature), the expected loss is the residual sum of squares plus
    p/(1-p) sum_j ||X_j||^2 w_j^2, a quadratic penalty: MAP under the Gaussian prior
    w_j ~ N(0, (1-p)/(2 p ||X_j||^2)), whose variances depend on the design only.

    One example, by induction on the number of features d: S_d = sum_{j<=d} m_j t_j
    (t_j = X_ij w_j) has E S_d = (1-p) A_d and E S_d^2 = (1-p)^2 A_d^2 + p (1-p) Q_d, with
    A_d = sum_{j<=d} t_j and Q_d = sum_{j<=d} t_j^2 (base d = 0: S_0 = 0; step: S_{d+1} =
    S_d + m t_{d+1} with m independent of S_d, so E g(S_d, m) = p E g(S_d, 0) + (1-p)
    E g(S_d, 1), and E is linear in S_d, S_d^2). Then sum over the N examples."""
    p = sp.Symbol("p", positive=True)  # the drop probability, 0 < p < 1
    d = sp.Symbol("d", integer=True, nonnegative=True)  # features
    N = sp.Symbol("N", integer=True, positive=True)  # examples
    i = sp.Symbol("i", integer=True, positive=True)
    j = sp.Symbol("j", integer=True, positive=True)
    t = sp.IndexedBase("t", real=True)
    X, y, w = (sp.IndexedBase(n, real=True) for n in ("X", "y", "w"))
    A, Q = sp.Sum(t[j], (j, 1, d)), sp.Sum(t[j] ** 2, (j, 1, d))
    S, mu, s2 = sp.symbols("S mu s2", real=True)  # S_d, E S_d, E S_d^2

    def moments(A_, Q_):  # (E S, E S^2) as the induction claims them
        return (1 - p) * A_, (1 - p) ** 2 * A_ ** 2 + p * (1 - p) * Q_

    def expect(g):  # E g(S_d, m), g polynomial in S_d of degree <= 2, m independent
        avg = sp.Poly(sp.expand(p * g(S, 0) + (1 - p) * g(S, 1)), S)
        return sum(cf * (1, mu, s2)[deg] for (deg,), cf in avg.terms())

    # the induction on d (it does not depend on the statement below)
    assert A.subs(d, 0).doit() == 0 and Q.subs(d, 0).doit() == 0 and \
        moments(0, 0) == (0, 0), "base case: S_0 = 0"
    step_t = t[d + 1]
    assert sp.difference_delta(A, d) == step_t and sp.difference_delta(Q, d) == step_t ** 2, \
        "A_{d+1} = A_d + t_{d+1}, Q_{d+1} = Q_d + t_{d+1}^2"
    Ad, Qd = sp.symbols("A_d Q_d", real=True)
    hyp = dict(zip((mu, s2), moments(Ad, Qd)))
    powers = (lambda S_, m_: S_ + m_ * step_t, lambda S_, m_: (S_ + m_ * step_t) ** 2)
    for k, g in enumerate(powers):
        got = expect(g).subs(hyp)
        want = moments(Ad + step_t, Qd + step_t ** 2)[k]
        assert sp.expand(got - want) == 0, f"E S_(d+1)^{k + 1} = {sp.factor(got)}, not {want}"

    def derive(kappa):  # kappa(p): the stated penalty coefficient
        # example i: t_j = X_ij w_j; its expected squared error of the rescaled prediction
        # S / (1 - p), from the moments above
        A_i = sp.Sum(X[i, j] * w[j], (j, 1, d))
        Q_i = sp.Sum(X[i, j] ** 2 * w[j] ** 2, (j, 1, d))
        m1, m2 = moments(A_i, Q_i)
        loss_i = y[i] ** 2 - 2 * y[i] * m1 / (1 - p) + m2 / (1 - p) ** 2
        # sum over the N examples (linearity), against RSS + kappa sum_i sum_j X_ij^2 w_j^2
        rss = sp.Sum((y[i] - A_i) ** 2, (i, 1, N))
        pen = sp.Sum(X[i, j] ** 2 * w[j] ** 2, (j, 1, d), (i, 1, N))
        gap = linear(sp.Sum(loss_i, (i, 1, N)) - rss - kappa(p) * pen)
        assert sp.simplify(gap) == 0, f"E loss - RSS - {kappa(p)} penalty = {sp.simplify(gap)}"
        # the penalty per weight: exchange the finite sums, then ||X_j||^2 = sum_i X_ij^2
        inner = sp.Sum(X[i, j] ** 2 * w[j] ** 2, (i, 1, N))  # sum_i of the column j terms
        assert pen.reorder((0, 1)) == sp.Sum(inner, (j, 1, d)), "sum_i sum_j = sum_j sum_i"
        assert linear(inner) == w[j] ** 2 * sp.Sum(X[i, j] ** 2, (i, 1, N)), \
            "w_j^2 out of the sum over i: w_j^2 ||X_j||^2"
        # -log of the Gaussian density N(0, var_j) in w_j is w_j^2 / (2 var_j) + const:
        # kappa ||X_j||^2 w_j^2 is that with var_j = (1 - p) / (2 p ||X_j||^2)
        c2 = sp.Symbol("c2", positive=True)  # ||X_j||^2
        var = (1 - p) / (2 * p * c2)
        assert sp.simplify(1 / (2 * var) - kappa(p) * c2) == 0, \
            f"variance {var}: -log density {1 / (2 * var)} w^2, penalty {kappa(p) * c2} w^2"
        assert not var.has(y), "the prior may depend on the design, not the labels"

    control(derive, lambda p_: p_ / (1 - p_), lambda p_: p_, lambda p_: p_ / (1 - p_) ** 2,
            lambda p_: 1 / (1 - p_),
            labels=("p (the rescaling 1/(1-p) forgotten)", "p/(1-p)^2",
                    "1/(1-p) (keep, not drop, probability)"))

    # cross-check without the induction: a 2 x 2 design, averaged over all 16 masks
    n_, d_ = 2, 2
    Xm = sp.Matrix(n_, d_, lambda a_, b_: sp.Symbol(f"x{a_}{b_}", real=True))
    ym = sp.Matrix(sp.symbols(f"y0:{n_}", real=True))
    wm = sp.Matrix(sp.symbols(f"w0:{d_}", real=True))
    # everything times (1 - p)^2 to stay polynomial
    expected = 0
    for bits in itertools.product((0, 1), repeat=n_ * d_):
        mk = sp.Matrix(n_, d_, bits)
        prob = sp.Mul(*[(1 - p) if b_ else p for b_ in bits])
        pred = sp.Matrix([sum(Xm[a_, b_] * mk[a_, b_] * wm[b_] for b_ in range(d_))
                          for a_ in range(n_)])
        resid = (1 - p) * ym - pred  # (1 - p) (y - X (m * w) / (1 - p))
        expected += prob * (resid.T * resid)[0]
    rss_m = ((ym - Xm * wm).T * (ym - Xm * wm))[0]
    col2 = [sum(Xm[a_, b_] ** 2 for a_ in range(n_)) for b_ in range(d_)]
    penalty = p / (1 - p) * sum(c * wm[b_] ** 2 for b_, c in enumerate(col2))
    assert sp.expand(expected - (1 - p) ** 2 * rss_m - sp.cancel((1 - p) ** 2 * penalty)) == 0
    evidence.note("sympy, symbolic N examples and d features (induction on d for one "
                  "example's moments, then linearity over the examples): E ||y - X (m * w)/"
                  "(1-p)||^2 = ||y - X w||^2 + p/(1-p) sum_j ||X_j||^2 w_j^2, the MAP penalty "
                  "of the Gaussian prior w_j ~ N(0, (1-p) / (2 p ||X_j||^2)) (design-dependent, "
                  "label-free); cross-checked on a 2 x 2 design over all 16 masks")
