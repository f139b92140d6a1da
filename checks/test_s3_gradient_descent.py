"""Evidence for §3.1: steepest descent and the step-size threshold of gradient descent.

On a quadratic f(x) = x^T A x / 2 - b^T x the iteration is linear, x_t - x* =
(I - eta A)^t (x_0 - x*), so every claim reduces to the scalars 1 - eta lambda_i
(sympy), and the implementation's loop can be compared with that closed form step by
step.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.support import strategies as S
from checks.support import precision as WP

claim = pytest.mark.claim
U = 2.0 ** -53
SOME = settings(max_examples=max(20, settings.default.max_examples // 3))


# -- steepest descent ---------------------------------------------------------------------
@claim("negative-gradient-is-steepest-descent-direction", kind="symbolic", scope="instance")
def test_cauchy_schwarz_with_equality_case_symbolic(evidence):
    g = sp.symbols("g1:4", real=True)
    u = sp.symbols("u1:4", real=True)
    gg, uu, gu = (sum(a * a for a in g), sum(a * a for a in u), sum(a * b for a, b in zip(g, u)))
    lagrange = sum((g[i] * u[j] - g[j] * u[i]) ** 2 for i in range(3) for j in range(i + 1, 3))
    # Lagrange's identity: ||g||^2 ||u||^2 - (g.u)^2 = sum_{i<j} (g_i u_j - g_j u_i)^2 >= 0,
    # zero iff u is parallel to g; so for ||u|| = 1, g.u >= -||g|| with equality iff
    # u = -g/||g|| (the parallel unit vector with g.u < 0)
    assert sp.expand(gg * uu - gu**2 - lagrange) == 0
    c = sp.symbols("c", real=True)
    assert sp.expand(lagrange.subs({u[k]: c * g[k] for k in range(3)})) == 0
    # first-order decrease along -g: f(x - eta g) = f(x) - eta ||g||^2 + O(eta^2) for a
    # quadratic f (exactly: - eta ||g||^2 + eta^2 g^T A g / 2)
    eta = sp.symbols("eta", positive=True)
    A = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"a{min(i, j)}{max(i, j)}", real=True))
    x = sp.Matrix(sp.symbols("x1:4", real=True))
    bvec = sp.Matrix(sp.symbols("b1:4", real=True))
    f = lambda v: ((v.T * A * v) / 2 - bvec.T * v)[0]  # noqa: E731
    grad = A * x - bvec
    step = sp.expand(f(x - eta * grad) - f(x))
    assert sp.expand(step - (-eta * (grad.T * grad)[0] + eta**2 * (grad.T * A * grad)[0] / 2)) == 0
    evidence.note("sympy (R^3): Lagrange's identity gives g.u >= -||g|| ||u|| with equality iff "
                  "u parallel to g, so -g/||g|| is the unique steepest unit direction; on a "
                  "quadratic f(x - eta g) - f(x) = -eta ||g||^2 + eta^2 g^T A g / 2 < 0 for "
                  "small eta > 0")


@claim("negative-gradient-is-steepest-descent-direction", kind="sampled")
@SOME
@given(g=st.lists(st.floats(-10, 10), min_size=2, max_size=5).filter(
    lambda v: np.linalg.norm(v) > 1e-3), seed=st.integers(0, 2**32 - 1))
def test_no_unit_direction_beats_the_normalised_negative_gradient(evidence, g, seed):
    g = np.array(g)
    steepest = -g / np.linalg.norm(g)
    rng = np.random.default_rng(seed)
    dirs = rng.normal(size=(200, len(g)))
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    # directional derivatives g.u; rounding of a dot product of unit-size vectors is
    # below 8 n u ||g||
    slack = 8 * len(g) * U * np.linalg.norm(g)
    assert np.all(dirs @ g >= steepest @ g - slack), "a unit direction descends faster than -g/|g|"
    # the l1 unit ball is different: its steepest direction is a signed coordinate vector
    i = np.argmax(np.abs(g))
    e = np.zeros_like(g)
    e[i] = -np.sign(g[i])
    assert e @ g <= (-g / np.abs(g).sum()) @ g + slack
    evidence.count("gradients checked against 200 random unit directions")
    evidence.note("under the l1 norm the steepest unit direction is -sign(g_i) e_i with i = "
                  "argmax |g_i| (e.g. g = (2, 1): -e_1 gives -2 < -5/3 from -g/||g||_1): the "
                  "claim is about the Euclidean norm")


# -- the step-size threshold on quadratics ---------------------------------------------------
@claim("gd-on-quadratic-converges-iff-eta-below-two-over-lmax", kind="symbolic", scope="instance")
def test_error_recursion_and_threshold_symbolic(evidence):
    A = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"a{min(i, j)}{max(i, j)}", real=True))
    x = sp.Matrix(sp.symbols("x1:3", real=True))
    xs = sp.Matrix(sp.symbols("s1:3", real=True))
    eta = sp.symbols("eta", positive=True)
    b = A * xs  # x* solves A x* = b
    new = x - eta * (A * x - b)
    assert sp.expand(new - xs - (sp.eye(2) - eta * A) * (x - xs)) == sp.zeros(2, 1)
    lam = sp.symbols("lambda", positive=True)
    region = sp.solve_univariate_inequality(sp.Abs(1 - eta * lam) < 1, eta, relational=False)
    assert region == sp.Interval.open(0, 2 / lam)
    # at eta = 2/lambda the factor is exactly -1 (oscillation): the open end of the interval
    assert sp.simplify((1 - eta * lam).subs(eta, region.sup)) == -1
    evidence.note("sympy: x_{t+1} - x* = (I - eta A)(x_t - x*); along an eigenvector the factor "
                  "is 1 - eta lambda and |1 - eta lambda| < 1 iff 0 < eta < 2/lambda; at "
                  "eta = 2/lambda it is -1. All eigen-components converge iff eta < 2/L.")


@claim("gd-on-quadratic-converges-iff-eta-below-two-over-lmax", kind="exact", scope="instance")
def test_implementation_oscillates_exactly_at_the_threshold(impl, evidence):
    # 1-D, L = 2, eta = 2/L = 1: x_t = (-1)^t x_0 exactly (dyadic arithmetic)
    it = impl.gradient_descent(lambda x: 2.0 * x, np.array([0.75]), eta=1.0, steps=9)
    np.testing.assert_array_equal(it[:, 0], 0.75 * (-1.0) ** np.arange(10),
                                  err_msg="at eta = 2/L the iterate must flip sign forever")
    # just below / above: factors -1 + 2^-6 and -1 - 2^-6
    below = impl.gradient_descent(lambda x: 2.0 * x, np.array([1.0]), eta=1 - 2**-7, steps=400)
    above = impl.gradient_descent(lambda x: 2.0 * x, np.array([1.0]), eta=1 + 2**-7, steps=400)
    assert abs(below[-1, 0]) < 0.01 and abs(above[-1, 0]) > 100
    evidence.note(f"L = 2: eta = 1 oscillates exactly (+-0.75); eta = 1 -+ 2^-7 gives "
                  f"|x_400| = {abs(below[-1, 0]):.3g} (converging) vs {abs(above[-1, 0]):.3g} "
                  "(diverging)")


@claim("gd-on-quadratic-converges-iff-eta-below-two-over-lmax", kind="exact", scope="instance")
@SOME
@given(lams=S.quadratic_spectra(max_dim=4), seed=st.integers(0, 2**32 - 1),
       side=st.sampled_from([-1, 1]), rel=st.sampled_from([0.02, 0.1, 0.5]))
def test_implementation_follows_closed_form_on_both_sides_of_threshold(impl, evidence, lams,
                                                                      seed, side, rel):
    rng = np.random.default_rng(seed)
    n = len(lams)
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    lam = np.array(lams)
    A = (Q * lam) @ Q.T
    A = (A + A.T) / 2
    xstar = rng.normal(size=n)
    b = A @ xstar
    x0 = xstar + rng.normal(size=n)
    L = lam.max()
    eta = (2 / L) * (1 + side * rel)
    T = 60
    it = impl.gradient_descent(lambda x: A @ x - b, x0, eta=eta, steps=T)
    assert it.shape == (T + 1, n), f"expected {T + 1} iterates, got {it.shape[0]}"
    # closed form through the eigen-decomposition: c_t = (1 - eta lambda)^t c_0
    c0 = Q.T @ (x0 - xstar)
    factors = 1 - eta * lam
    closed = xstar + (Q @ (c0[:, None] * factors[:, None] ** np.arange(T + 1))).T
    # each step rounds at the level u |x_t| (plus the rounding of A from Q diag Q^T, ~n u L):
    # errors are propagated by factors of modulus <= max|1 - eta lambda|, so after t
    # steps they stay below ~t (n + 4) u max_s |x_s| (growth included); 1e-9 is a ~100x margin
    scale = np.abs(closed).max()
    np.testing.assert_allclose(it, closed, rtol=WP.tol(impl, 1e-9),
                               atol=WP.tol(impl, 1e-9) * (1 + scale),
                               err_msg="iterates != x* + (I - eta A)^t (x_0 - x*)")
    # the verdict is decided by the exact factors (fractions of the floats used)
    exact = [1 - Fraction(eta) * Fraction(float(v)) for v in lam]
    converges = all(abs(f) < 1 for f in exact)
    assert converges == (side < 0), "eta < 2/L must give |1 - eta lambda| < 1 for every lambda"
    top = abs(c0[-1]) if abs(c0[-1]) > 1e-6 else None
    if side > 0 and top is not None:
        grown = np.abs((Q.T @ (it[-1] - xstar))[-1])
        assert grown >= 0.5 * abs(factors[-1]) ** T * top, "the top component must grow"
    evidence.count(f"quadratics run below/above 2/L (closed form followed, T = {T})")


# -- overshooting and slowness -----------------------------------------------------------------
@claim("gd-too-large-step-overshoots-too-small-is-slow", kind="symbolic", target="corrected")
def test_rate_and_optimal_step_symbolic(evidence):
    eta, mu, L = sp.symbols("eta mu L", positive=True)
    # at eta* = 2/(mu + L) the two extreme factors have equal modulus (L - mu)/(L + mu)
    es = 2 / (mu + L)
    assert sp.simplify((1 - es * mu) - (L - mu) / (L + mu)) == 0
    assert sp.simplify((1 - es * L) + (L - mu) / (L + mu)) == 0
    # and the top factor is negative (overshoot) whenever mu < L
    d = sp.symbols("d", positive=True)
    assert sp.simplify((1 - es * L).subs(L, mu + d)).is_negative
    # small eta: rho = 1 - eta mu -> 1; steps to shrink the error by e^-k ~ k / (eta mu)
    assert sp.limit(1 - eta * mu, eta, 0) == 1
    assert sp.limit(-sp.log(1 - eta * mu) / eta, eta, 0, "+") == mu
    evidence.note("sympy: rho(eta*) = (L - mu)/(L + mu) at eta* = 2/(mu + L), where the top "
                  "factor 1 - eta* L = -(L - mu)/(L + mu) < 0 (overshoot) for mu < L; as "
                  "eta -> 0, rho -> 1 and -log(rho)/eta -> mu, so ~k/(eta mu) steps per "
                  "factor e^-k")


@claim("gd-too-large-step-overshoots-too-small-is-slow", kind="exact", target="counterexample")
def test_fastest_step_overshoots_yet_converges_exactly(impl, evidence):
    # A = diag(1, 3): eta* = 2/(1 + 3) = 1/2; factors 1/2 and -1/2 (dyadic: exact floats)
    A = np.diag([1.0, 3.0])
    it = impl.gradient_descent(lambda x: A @ x, np.array([1.0, 1.0]), eta=0.5, steps=20)
    t = np.arange(21)
    np.testing.assert_array_equal(it, np.stack([0.5**t, (-0.5) ** t], axis=1),
                                  err_msg="iterates must be (2^-t, (-2)^-t)")
    # the implementation's own error after 12 steps is smallest at eta* = 1/2 among steps
    # on both sides of it (rates 1/2 vs 3/4, 4/5, ~1): checks the code, not the arithmetic
    errs = {eta: np.linalg.norm(impl.gradient_descent(lambda x: A @ x, np.array([1.0, 1.0]),
                                                      eta=eta, steps=12)[-1])
            for eta in (0.5, 0.25, 0.6, 2 / 3 - 2**-10)}
    assert min(errs, key=errs.get) == 0.5, f"eta* = 1/2 must converge fastest here: {errs}"
    evidence.counterexample("A = diag(1, 3), x0 = (1, 1), eta* = 1/2 (the fastest step, rate "
                            "1/2): the second coordinate goes 1, -1/2, 1/4, -1/8, ... crossing "
                            "the minimum every step (overshoot), yet converges; divergence "
                            "starts only at eta = 2/3 = 2/L")
    slow = impl.gradient_descent(lambda x: A @ x, np.array([1.0, 1.0]), eta=1e-3, steps=2000)
    evidence.note(f"eta = 1e-3: after 2000 steps the slow coordinate is still "
                  f"{slow[-1, 0]:.3f} (= 0.999^2000 ~ e^-2)")
    np.testing.assert_allclose(slow[-1, 0], 0.999**2000, rtol=WP.tol(impl, 1e-10), atol=0,
                               err_msg="slow coordinate != (1 - eta mu)^t")  # 2000 roundings


@claim("gd-on-quadratic-converges-iff-eta-below-two-over-lmax", kind="symbolic")
def test_gd_on_quadratic_for_symbolic_dimension(evidence):
    """For f(x) = x^T A x / 2 - b^T x, A symmetric positive definite of symbolic size n:
    (1) the error obeys e_{t+1} = (I - eta A) e_t (one step, with A x* = b), hence
    e_t = (I - eta A)^t e_0 by induction; (2) in A's eigenbasis each component is multiplied
    by 1 - eta lambda_i per step, and |1 - eta lambda| < 1 iff 0 < eta lambda < 2; (3) over
    eigenvalues lambda_i in (0, L] (L attained) this holds for all i iff 0 < eta < 2/L, and
    at eta = 2/L the top component is multiplied by -1 each step (oscillates)."""
    n = sp.symbols("n", integer=True, positive=True)
    A, b = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("b", n, 1)
    x, xs = sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("xs", n, 1)
    eta = sp.symbols("eta", positive=True)
    grad = A * x - b
    step = x - eta * grad
    # e_{t+1} - (I - eta A) e_t, with b replaced by A x* (x* the minimiser)
    gap = (step - xs) - (sp.Identity(n) - eta * A) * (x - xs)
    gap = sp.expand(gap.subs(b, A * xs).doit())
    assert sp.simplify(gap) == sp.ZeroMatrix(n, 1) or gap == 0, f"error recursion fails: {gap}"
    lam, L = sp.symbols("lambda L", positive=True)
    region = sp.solve_univariate_inequality(sp.Abs(1 - eta * lam) < 1, eta, relational=False)
    assert region == sp.Interval.open(0, 2 / lam), f"|1 - eta lambda| < 1 iff eta in {region}"
    # 2/lambda is decreasing in lambda, so the largest eigenvalue L binds: for all lambda in
    # (0, L], eta < 2/lambda iff eta < 2/L
    assert sp.diff(2 / lam, lam).is_negative
    assert sp.simplify((1 - (2 / L) * L) + 1) == 0, "at eta = 2/L the top factor is -1"
    evidence.note("sympy, symbolic n: e_{t+1} = (I - eta A) e_t; |1 - eta lambda| < 1 iff "
                  "0 < eta < 2/lambda; the top eigenvalue L binds, so convergence from every "
                  "start iff 0 < eta < 2/L, and eta = 2/L multiplies the top component by -1")
