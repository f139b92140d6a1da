"""Evidence for §6: the takeaways that are literally false get their own counterexamples.

The takeaways that restate results of §§1-5 have no checks here: their claims name the
checked claims in ``depends_on`` (``theorems/s6_wrapping_up.py``).
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp

from checks.support.certificates import farkas_certifies_inseparable, hyperplane_separates

claim = pytest.mark.claim

XOR_POINTS = [(0, 0), (0, 1), (1, 0), (1, 1)]
XOR_LABELS = [-1, 1, 1, -1]  # class 1 -> +1, class 0 -> -1


@claim("perceptron-limit-is-single-layer-not-linearity", kind="symbolic", target="counterexample")
def test_single_unit_on_product_feature_computes_xor(evidence):
    lifted = [(a, b, a * b) for a, b in XOR_POINTS]
    w, b = (1, 1, -2), sp.Rational(-1, 2)
    assert hyperplane_separates(lifted, XOR_LABELS, w, b), "x1 + x2 - 2 x1 x2 - 1/2"
    evidence.counterexample("one threshold unit on the features (x1, x2, x1 x2): "
                            "sign(x1 + x2 - 2 x1 x2 - 1/2) gives -, +, +, - on (0,0), (0,1), "
                            "(1,0), (1,1) - XOR, with a single layer (exact rational check)")


@claim("perceptron-limit-is-single-layer-not-linearity", kind="symbolic", target="corrected")
def test_stacked_linear_layers_still_cannot_compute_xor(evidence):
    # any two-layer linear network (hidden width 3) is one affine map ...
    x = sp.Matrix(sp.symbols("x1 x2", real=True))
    W1 = sp.Matrix(3, 2, lambda i, j: sp.Symbol(f"a{i}{j}", real=True))
    b1 = sp.Matrix(sp.symbols("c0:3", real=True))
    W2 = sp.Matrix(1, 3, lambda i, j: sp.Symbol(f"v{j}", real=True))
    b2 = sp.Symbol("d", real=True)
    out = (W2 * (W1 * x + b1))[0] + b2
    w_eff, b_eff = W2 * W1, (W2 * b1)[0] + b2
    assert sp.expand(out - ((w_eff * x)[0] + b_eff)) == 0
    # ... and no affine map has sign pattern XOR: Farkas weights (1, 1, 1, 1) certify it
    assert farkas_certifies_inseparable(XOR_POINTS, XOR_LABELS, [1, 1, 1, 1])
    evidence.counterexample("a stack of linear layers W2 (W1 x + c) + d equals (W2 W1) x + "
                            "(W2 c + d) (sympy), and the Farkas weights (1, 1, 1, 1) certify "
                            "that no affine map separates XOR: adding layers without a "
                            "non-linearity does not lift the limit")


@claim("gradient-problem-is-spectral-radius-not-depth", kind="symbolic", target="counterexample")
def test_spectral_radius_does_not_control_the_chain_product(evidence):
    A = sp.Matrix([[0, 2], [0, 0]])
    B = sp.Matrix([[0, 0], [2, 0]])
    assert all(max(abs(e) for e in M.eigenvals()) == 0 for M in (A, B)), "nilpotent layers"
    for L in (2, 4, 10, 20):
        prod = sp.eye(2)
        for layer in itertools.islice(itertools.cycle([A, B]), L):
            prod = layer * prod
        assert prod.norm(2) == 4 ** (L // 2), (L, prod)
    J = sp.Matrix([[1, 1], [0, 1]])  # spectral radius exactly 1
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


@claim("all-regularisation-is-a-bayesian-prior", kind="symbolic", target="counterexample")
def test_dropout_penalty_depends_on_training_inputs(evidence):
    N, d = 2, 2
    p = sp.Symbol("p", positive=True)
    X = sp.Matrix(N, d, lambda i, j: sp.Symbol(f"x{i}{j}", real=True))
    y = sp.Matrix(sp.symbols(f"y0:{N}", real=True))
    w = sp.Matrix(sp.symbols(f"w0:{d}", real=True))
    # inverted dropout on the inputs, an independent mask per example: average over all
    # 2^(N d) masks exactly; everything is multiplied by (1 - p)^2 to stay polynomial
    expected = 0
    for bits in itertools.product((0, 1), repeat=N * d):
        m = sp.Matrix(N, d, bits)
        prob = sp.Mul(*[(1 - p) if b else p for b in bits])
        pred = sp.Matrix([sum(X[i, j] * m[i, j] * w[j] for j in range(d)) for i in range(N)])
        resid = (1 - p) * y - pred  # (1 - p) (y - X (m * w) / (1 - p))
        expected += prob * (resid.T * resid)[0]
    rss = ((y - X * w).T * (y - X * w))[0]
    penalty = p / (1 - p) * sum(sum(X[i, j] ** 2 for i in range(N)) * w[j] ** 2
                                for j in range(d))
    assert sp.expand(expected - (1 - p) ** 2 * rss - sp.cancel((1 - p) ** 2 * penalty)) == 0
    # a prior is fixed before the data: here doubling the first input column quadruples
    # the first coefficient's penalty
    pen2 = penalty.subs({X[0, 0]: 2 * X[0, 0], X[1, 0]: 2 * X[1, 0]})
    assert sp.simplify(sp.diff(pen2, w[0], 2) / sp.diff(penalty, w[0], 2)) == 4
    # a log penalty whose exp(-R) is not normalisable: no prior has that density
    # for theta >= 1, 1 + theta^2 <= 2 theta^2, so (1 + theta^2)^(-1/2) >= 1 / (sqrt 2 theta),
    # whose integral over [1, T] is log(T) / sqrt 2 -> oo
    t, T = sp.symbols("theta T", positive=True)
    assert sp.factor(2 * t**2 - (1 + t**2)) == (t - 1) * (t + 1)
    tail = sp.integrate(1 / (sp.sqrt(2) * t), (t, 1, T))
    assert sp.limit(tail, T, sp.oo) == sp.oo
    evidence.counterexample("dropout on the inputs of linear regression (per-example masks, "
                            "inverted scaling): E_m ||y - X (m * w)/(1-p)||^2 = ||y - X w||^2 + "
                            "p/(1-p) sum_j ||X_j||^2 w_j^2 exactly (sympy, all 16 masks of a 2x2 "
                            "design); the penalty is set by the training inputs (doubling a "
                            "column quadruples it), which no prior over the parameters is")
    evidence.counterexample("the penalty R(theta) = (1/2) log(1 + theta^2) shrinks towards 0 but "
                            "exp(-R) = (1 + theta^2)^(-1/2) has infinite integral: it is the "
                            "MAP penalty of no (proper) prior")
