"""Evidence for §6: the takeaways that are literally false get their own counterexamples.

The takeaways that restate results of §§1-5 have no checks here: their claims name the
checked claims in ``depends_on`` (``theorems/s6_wrapping_up.py``).
"""
from __future__ import annotations

import itertools

import pytest
import sympy as sp

from claimledger.certificates import farkas_certifies_inseparable

claim = pytest.mark.claim

XOR_POINTS = [(0, 0), (0, 1), (1, 0), (1, 1)]
XOR_LABELS = [-1, 1, 1, -1]  # class 1 -> +1, class 0 -> -1


@claim("perceptron-limit-is-single-layer-not-linearity", kind="symbolic",
       target="counterexample")
def test_stacked_linear_layers_still_cannot_compute_xor(evidence, control):
    x = sp.Matrix(sp.symbols("x1 x2", real=True))
    W1 = sp.Matrix(3, 2, lambda i, j: sp.Symbol(f"a{i}{j}", real=True))
    b1 = sp.Matrix(sp.symbols("c0:3", real=True))
    W2 = sp.Matrix(1, 3, lambda i, j: sp.Symbol(f"v{j}", real=True))
    b2 = sp.Symbol("d", real=True)
    w_eff, b_eff = W2 * W1, (W2 * b1)[0] + b2

    def derive(stmt):  # (the hidden layer's activation, the labels to compute)
        act, labels = stmt
        # any two-layer network (hidden width 3) with this activation is one affine map ...
        out = (W2 * (W1 * x + b1).applyfunc(act))[0] + b2
        assert sp.expand(out - ((w_eff * x)[0] + b_eff)) == 0, "the stack is not affine"
        # ... and no affine map has the labels' sign pattern: a Farkas vector in {0, 1, 2}^4
        lam = next((lam for lam in itertools.product(range(3), repeat=4)
                    if farkas_certifies_inseparable(XOR_POINTS, labels, lam)), None)
        assert lam is not None, f"an affine map computes {labels}"
        return lam

    lam = control(derive, (lambda v: v, XOR_LABELS), (lambda v: v, [-1, -1, -1, 1]),
                  (lambda v: sp.Max(0, v), XOR_LABELS),
                  labels=("AND (a single unit computes it)",
                          "a ReLU between the layers (not affine)"))
    assert lam == (1, 1, 1, 1)
    evidence.counterexample("a stack of linear layers W2 (W1 x + c) + d equals (W2 W1) x + "
                            "(W2 c + d) (sympy), and the Farkas weights (1, 1, 1, 1) certify "
                            "that no affine map separates XOR: adding layers without a "
                            "non-linearity does not lift the limit, so linearity of the whole "
                            "map is a limit in its own right")


# scope instance: the check covers the single-unit part of the corrected statement (the
# reduction of a monotone activation to a half-space is argued in the comment, not checked);
# the depth part rests on deep-linear-mlp-no-more-expressive-than-one-layer (§2.2)
@claim("perceptron-limit-is-single-layer-not-linearity", kind="exact", scope="instance",
       target="corrected")
def test_one_unit_with_any_monotone_activation_cannot_compute_xor(evidence):
    # one unit sigma(w.x + b) read at a threshold tau, sigma non-decreasing: the set where
    # sigma(z) >= tau is an up-set of the reals, [z0, oo) or (z0, oo), so the unit's class-1
    # region is a closed or an open half-space of the input. Both are ruled out for XOR by
    # one exact Motzkin certificate: rows c_k . (w1, w2, b) >= 0 / > 0, weights (1, 1, 1, 1)
    rows = {(0, 0): (0, 0, 1), (0, 1): (0, 1, 1), (1, 0): (1, 0, 1), (1, 1): (1, 1, 1)}
    for closed in (True, False):  # class 1 where score >= 0, or where score > 0
        signed, strict = [], []
        for pt, lab in zip(XOR_POINTS, XOR_LABELS):
            c = rows[pt]
            signed.append(c if lab == 1 else tuple(-v for v in c))
            strict.append((lab == 1) != closed)  # class 1 strict iff open; class 0 iff closed
        total = [sum(r[j] for r in signed) for j in range(3)]
        assert total == [0, 0, 0] and any(strict), (closed, total, strict)
    evidence.note("the four XOR rows sum to 0 with a strict row among them, for both the closed "
                  "and the open half-space: no single unit with a non-decreasing activation, at "
                  "any threshold, computes XOR; depth with a non-linearity does "
                  "(xor-solved-by-mlp-trained-with-backprop-and-gd)")


@claim("gradient-problem-is-spectral-radius-not-depth", kind="symbolic", target="counterexample")
def test_spectral_radius_does_not_control_the_chain_product(evidence, control):
    A = sp.Matrix([[0, 2], [0, 0]])
    B = sp.Matrix([[0, 0], [2, 0]])
    J = sp.Matrix([[1, 1], [0, 1]])  # spectral radius exactly 1

    def rho(M):
        return max(abs(e) for e in M.eigenvals())

    def derive(stmt):  # (the layers, cycled; a layer of spectral radius 1)
        layers, J_ = stmt
        # the spectral radius predicts decay (rho < 1) ...
        assert all(rho(M) < 1 for M in layers), "a layer with spectral radius >= 1"
        norms = []
        for L in (2, 4, 10, 20):
            prod = sp.eye(2)
            for layer in itertools.islice(itertools.cycle(layers), L):
                prod = layer * prod
            norms.append(prod.norm(2))
        # ... yet the product's norm grows with depth
        assert norms[0] > 1 and all(a < b for a, b in zip(norms, norms[1:])), \
            f"product norms {norms} do not grow"
        # rho = 1 predicts neither growth nor decay, yet J^L grows with L
        assert rho(J_) == 1
        powers = [(J_**L).norm(2) for L in (1, 10, 100)]
        assert all(a < b for a, b in zip(powers, powers[1:])), f"||J^L|| = {powers}"
        return norms

    norms = control(derive, ((A, B), J), ((A, A), J), ((A, B), sp.eye(2)),
                    labels=("the same nilpotent layer A repeated (A^2 = 0)",
                            "J = I (rho = 1, no growth)"))
    assert norms == [4 ** (L // 2) for L in (2, 4, 10, 20)], norms
    assert all(rho(M) == 0 for M in (A, B)), "nilpotent layers"
    for L in (1, 10, 100):
        assert J**L == sp.Matrix([[1, L], [0, 1]])
    # the singular values do bound every product: sigma_max(A) = sigma_max(B) = 2, and
    # ||(BA)^k|| = 4^k = 2^(2k) meets prod sigma_max exactly
    assert sorted(A.singular_values()) == [0, 2]
    evidence.counterexample("layers alternating A = [[0, 2], [0, 0]] and B = [[0, 0], [2, 0]] "
                            "have spectral radius 0 (rho-bar = 0), yet the product of L layers "
                            "has norm 4^(L/2) = 2^L: it explodes; J = [[1, 1], [0, 1]] has "
                            "rho = 1 and J^L = [[1, L], [0, 1]] grows with depth L")
    evidence.note("exact (sympy): the product norms equal prod sigma_max = 2^L here, so the "
                  "singular values, not the spectral radii, govern the chain product")


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
def test_dropout_penalty_is_a_design_dependent_gaussian_prior(evidence):
    """The corrected statement's dropout case: for linear regression with inverted input
    dropout (an independent mask per example), the expected loss is the residual sum of
    squares plus p/(1-p) sum_j ||X_j||^2 w_j^2, a quadratic penalty: MAP under the Gaussian
    prior w_j ~ N(0, (1-p)/(2 p ||X_j||^2)), whose variances depend on the design only.
    Checked exactly on a 2 x 2 design over all 16 masks."""
    N, d = 2, 2
    p = sp.Symbol("p", positive=True)
    X = sp.Matrix(N, d, lambda i, j: sp.Symbol(f"x{i}{j}", real=True))
    y = sp.Matrix(sp.symbols(f"y0:{N}", real=True))
    w = sp.Matrix(sp.symbols(f"w0:{d}", real=True))
    # average over all 2^(N d) masks exactly; everything times (1 - p)^2 to stay polynomial
    expected = 0
    for bits in itertools.product((0, 1), repeat=N * d):
        m = sp.Matrix(N, d, bits)
        prob = sp.Mul(*[(1 - p) if b else p for b in bits])
        pred = sp.Matrix([sum(X[i, j] * m[i, j] * w[j] for j in range(d)) for i in range(N)])
        resid = (1 - p) * y - pred  # (1 - p) (y - X (m * w) / (1 - p))
        expected += prob * (resid.T * resid)[0]
    rss = ((y - X * w).T * (y - X * w))[0]
    col2 = [sum(X[i, j] ** 2 for i in range(N)) for j in range(d)]
    penalty = p / (1 - p) * sum(c * w[j] ** 2 for j, c in enumerate(col2))
    assert sp.expand(expected - (1 - p) ** 2 * rss - sp.cancel((1 - p) ** 2 * penalty)) == 0
    # the penalty is -log of a Gaussian density in w up to a constant: variance per weight
    var = [(1 - p) / (2 * p * c) for c in col2]
    gauss = sum(w[j] ** 2 / (2 * v) for j, v in enumerate(var))
    assert sp.simplify(gauss - penalty) == 0
    assert not any(v.has(*y) for v in var), "the prior may depend on the design, not the labels"
    evidence.note("sympy, 2 x 2 design, all 16 masks: E ||y - X (m * w)/(1-p)||^2 = ||y - X w||^2 "
                  "+ p/(1-p) sum_j ||X_j||^2 w_j^2, the MAP penalty of the Gaussian prior "
                  "w_j ~ N(0, (1-p) / (2 p ||X_j||^2)) (design-dependent, label-free)")
