"""Evidence for §3.1: steepest descent and the step-size threshold of gradient descent.

On a quadratic f(x) = x^T A x / 2 - b^T x the iteration is linear, x_t - x* =
(I - eta A)^t (x_0 - x*), so every claim reduces to the scalars 1 - eta lambda_i
(sympy), and the implementation's loop can be compared with that closed form step by
step.
"""
from __future__ import annotations

import functools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.support import strategies as S
from checks.support import precision as WP
from claimledger.symbolic import coefficient_on

claim = pytest.mark.claim
U = 2.0 ** -53
SOME = settings(max_examples=max(20, settings.default.max_examples // 3))


# -- steepest descent ---------------------------------------------------------------------
# exact (sympy, symbols for the entries) in one dimension, R^3: an instance of the
# statement; the proof in R^N for a symbolic N is test_steepest_unit_direction_any_dimension
# (checks/test_s3_symbolic_sizes.py)
@claim("negative-gradient-is-steepest-descent-direction", kind="exact", scope="instance")
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
# exact (sympy, symbols for the entries) for one size, a 2 x 2 A: an instance; the proof for
# a symbolic size n is test_gd_on_quadratic_for_symbolic_dimension below
@claim("gd-on-quadratic-converges-iff-eta-below-two-over-lmax", kind="exact", scope="instance")
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
    # 1-D, L = 2, eta = 2/L = 1: the exact iterates are x_t = (1 - eta L)^t x_0 = (-1)^t 3/4
    # (rationals); the implementation's floats must be exactly these (dyadic arithmetic:
    # x - 1 * (2 x) = -x without rounding; float -> Fraction is exact)
    L, eta, x0 = Fraction(2), Fraction(1), Fraction(3, 4)
    it = impl.gradient_descent(lambda x: 2.0 * x, np.array([float(x0)]), eta=float(eta),
                               steps=9)
    exact = [(1 - eta * L) ** t * x0 for t in range(10)]
    assert [Fraction(float(v)) for v in it[:, 0]] == exact, \
        f"at eta = 2/L the iterate must flip sign forever: {it[:, 0]} != {exact}"
    # just below / above (eta = 1 -+ 2^-7, dyadic): factors -1 + 2^-6 and -1 - 2^-6, so
    # after 400 steps the exact iterates are (63/64)^400 < 1/100 and (65/64)^400 > 100
    last = {}
    for side, e in (("below", 1 - Fraction(1, 2**7)), ("above", 1 + Fraction(1, 2**7))):
        x400 = (1 - e * L) ** 400
        assert (abs(x400) < Fraction(1, 100)) if side == "below" else (abs(x400) > 100), x400
        got = impl.gradient_descent(lambda x: 2.0 * x, np.array([1.0]), eta=float(e),
                                    steps=400)
        # each step rounds twice (eta * g, then x - eta g): relative error <= 2u per step,
        # 800 u after 400 steps; 1e-12 is a ~10x margin
        assert abs(Fraction(float(got[-1, 0])) - x400) <= Fraction(1, 10**12) * abs(x400), \
            f"{side} the threshold: x_400 = {got[-1, 0]}, exact {float(x400)}"
        last[side] = abs(float(got[-1, 0]))
    evidence.note(f"L = 2: eta = 1 oscillates exactly (+-0.75); eta = 1 -+ 2^-7 gives "
                  f"|x_400| = {last['below']:.3g} (converging) vs {last['above']:.3g} "
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
@claim("gd-too-large-step-overshoots-too-small-is-slow", kind="symbolic")
def test_rate_and_optimal_step_symbolic(evidence, control):
    # sizeless: the rate rho(eta) = max(|1 - eta mu|, |1 - eta L|) is a function of three
    # positive reals; the dimension enters only through the extreme eigenvalues mu and L
    # (the reduction to them, for a symbolic n, is test_gd_on_quadratic_for_symbolic_dimension)
    eta, mu, L = sp.symbols("eta mu L", positive=True)
    d = sp.symbols("d", positive=True)

    def derive(statement):
        eta_star, rho_star = statement  # the statement: argmin rho(eta) and min rho
        # rho(eta) = max(|1 - eta mu|, |1 - eta L|): the first branch 1 - eta mu falls, the
        # second eta L - 1 rises, so the max is smallest where they cross
        assert sp.diff(1 - eta * mu, eta).is_negative and sp.diff(eta * L - 1, eta).is_positive
        cross = sp.solve(sp.Eq(1 - eta * mu, eta * L - 1), eta)
        assert len(cross) == 1 and sp.cancel(cross[0] - eta_star) == 0, \
            f"the extreme factors balance at eta = {cross}, not at {eta_star}"
        rho = 1 - cross[0] * mu  # = |1 - eta* L| there
        assert sp.cancel(rho - rho_star) == 0, f"rho(eta*) = {sp.cancel(rho)}, not {rho_star}"
        # the top factor at eta* is negative (an overshoot) whenever mu < L (L = mu + d)
        assert sp.cancel((1 - cross[0] * L).subs(L, mu + d)).is_negative

    control(derive, (2 / (mu + L), (L - mu) / (L + mu)), (1 / L, 1 - mu / L),
            (2 / (mu + L), 1 - mu / L), (1 / (mu + L), (L - mu) / (L + mu)),
            labels=("eta* = 1/L with rate 1 - mu/L", "rate 1 - mu/L at eta* = 2/(mu + L)",
                    "eta* = 1/(mu + L)"))
    # no convergence from eta = 2/L on: |1 - x| >= 1 (x = eta L > 0) iff x >= 2
    x = sp.Symbol("x", real=True)
    assert sp.solve_univariate_inequality(sp.Abs(1 - x) >= 1, x, relational=False) \
        == sp.Union(sp.Interval(-sp.oo, 0), sp.Interval(2, sp.oo))  # x > 0: eta >= 2/L
    # small eta: rho = 1 - eta mu -> 1; steps to shrink the error by e^-k ~ k / (eta mu)
    assert sp.limit(1 - eta * mu, eta, 0) == 1
    assert sp.limit(-sp.log(1 - eta * mu) / eta, eta, 0, "+") == mu
    evidence.note("sympy: rho(eta*) = (L - mu)/(L + mu) at eta* = 2/(mu + L), where the falling "
                  "branch 1 - eta mu meets the rising eta L - 1; the top factor 1 - eta* L = "
                  "-(L - mu)/(L + mu) < 0 (overshoot) for mu < L; |1 - eta L| >= 1 iff eta >= "
                  "2/L; as eta -> 0, rho -> 1 and -log(rho)/eta -> mu, so ~k/(eta mu) steps per "
                  "factor e^-k")


@claim("gd-too-large-step-overshoots-too-small-is-slow", kind="exact", scope="instance")
def test_fastest_step_overshoots_yet_converges_exactly(impl, evidence, control):
    # A = diag(1, 3): eta* = 2/(1 + 3) = 1/2; factors 1/2 and -1/2 (dyadic: exact floats)
    A = np.diag([1.0, 3.0])
    it = impl.gradient_descent(lambda x: A @ x, np.array([1.0, 1.0]), eta=0.5, steps=20)
    t = np.arange(21)
    np.testing.assert_array_equal(it, np.stack([0.5**t, (-0.5) ** t], axis=1),
                                  err_msg="iterates must be (2^-t, (-2)^-t)")

    def error_after(eta, steps=12):
        return np.linalg.norm(impl.gradient_descent(lambda x: A @ x, np.array([1.0, 1.0]),
                                                    eta=eta, steps=steps)[-1])

    def derive(eta):  # the counterexample: the fastest step eta overshoots, yet converges
        path = impl.gradient_descent(lambda x: A @ x, np.array([1.0, 1.0]), eta=eta, steps=20)
        assert np.all(path[1:, 1] * path[:-1, 1] < 0), \
            f"eta = {eta}: the top coordinate does not cross the minimum every step"
        factors = [1 - Fraction(eta) * lam for lam in (1, 3)]  # exact, per eigen-direction
        assert all(abs(f) < 1 for f in factors), f"eta = {eta}: factors {factors}, no convergence"
        # the implementation's own error after 12 steps is smallest at eta among steps on
        # both sides of 1/2 (rates 1/2 vs 3/4, 4/5, ~1): checks the code, not the arithmetic
        errs = {e: error_after(e) for e in (eta, 0.5, 0.25, 0.6, 2 / 3 - 2**-10)}
        assert min(errs, key=errs.get) == eta, f"eta = {eta} is not the fastest step: {errs}"

    control(derive, 0.5, 0.25, 2 / 3, 0.6,
            labels=("eta = 1/4 (no overshoot)", "eta = 2/3 = 2/L (overshoots, no convergence)",
                    "eta = 0.6 (overshoots, converges, but slower)"))
    evidence.note("A = diag(1, 3), x0 = (1, 1), eta* = 1/2 (the fastest step, rate "
                            "1/2): the second coordinate goes 1, -1/2, 1/4, -1/8, ... crossing "
                            "the minimum every step (overshoot), yet converges; divergence "
                            "starts only at eta = 2/3 = 2/L")
    slow = impl.gradient_descent(lambda x: A @ x, np.array([1.0, 1.0]), eta=1e-3, steps=2000)
    evidence.note(f"eta = 1e-3: after 2000 steps the slow coordinate is still "
                  f"{slow[-1, 0]:.3f} (= 0.999^2000 ~ e^-2)")
    np.testing.assert_allclose(slow[-1, 0], 0.999**2000, rtol=WP.tol(impl, 1e-10), atol=0,
                               err_msg="slow coordinate != (1 - eta mu)^t")  # 2000 roundings



@claim("gd-on-quadratic-converges-iff-eta-below-two-over-lmax", kind="symbolic")
@claim("gd-too-large-step-overshoots-too-small-is-slow", kind="symbolic")
def test_gd_on_quadratic_for_symbolic_dimension(evidence, control):
    """For f(x) = x^T A x / 2 - b^T x, A symmetric positive definite of symbolic size n:
    (1) the error obeys e_{t+1} = (I - eta A) e_t (one step, with A x* = b), hence
    e_t = (I - eta A)^t e_0 by induction; (2) along an eigenvector v (A v = lambda v) the
    step multiplies by 1 - eta lambda, and |1 - eta lambda| < 1 iff 0 < eta lambda < 2; (3)
    over eigenvalues lambda_i in [mu, L] (L attained) this holds for all i iff
    0 < eta < 2/L, and at eta = 2/L the top component is multiplied by -1 each step."""
    n = sp.symbols("n", integer=True, positive=True)
    A, b = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("b", n, 1)
    x, xs = sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("xs", n, 1)
    v = sp.MatrixSymbol("v", n, 1)
    eta = sp.symbols("eta", positive=True)
    lam, L, mu = sp.symbols("lambda L mu", positive=True)
    grad = A * x - b
    step = x - eta * grad

    u = sp.Symbol("u", real=True)  # u = eta lambda

    @functools.lru_cache(maxsize=None)
    def stable(factor):  # the eta > 0 with |factor| < 1, factor a function of eta lambda
        fu = sp.expand(factor.subs(eta, u / lam))
        assert not fu.has(lam), f"the factor {factor} is not a function of eta lambda"
        region = sp.solve_univariate_inequality(sp.Abs(fu) < 1, u, relational=False)
        assert isinstance(region, sp.Interval) and region.inf == 0, region
        return region.sup / lam  # eta < sup / lambda: it falls with lambda

    def derive(statement):
        factor_matrix, threshold = statement  # e_{t+1} = M e_t; converges iff eta < threshold
        M = factor_matrix(eta, A)
        # e_{t+1} - M e_t, with b replaced by A x* (x* the minimiser)
        gap = sp.expand(((step - xs) - M * (x - xs)).subs(b, A * xs).doit())
        assert gap == 0 or isinstance(gap, sp.ZeroMatrix), \
            f"e_(t+1) - M e_t = {gap}: the error recursion fails"
        # the eigen-equation, derived: M v with A v = lambda v is (factor) v
        factor = coefficient_on(sp.expand(M * v).subs(A * v, lam * v), v)
        bound = stable(factor)
        # the bound falls with lambda, so the largest eigenvalue L binds
        assert sp.diff(bound, lam).is_negative, bound
        binding = bound.subs(lam, L)
        assert sp.simplify(binding - threshold(L, mu)) == 0, \
            f"all components converge iff 0 < eta < {binding}, not {threshold(L, mu)}"
        assert sp.simplify(factor.subs({eta: binding, lam: L}) + 1) == 0, \
            "at the threshold the top factor must be -1 (oscillation of constant size)"

    control(derive, (lambda e, A_: sp.Identity(n) - e * A_, lambda L_, mu_: 2 / L_),
            (lambda e, A_: sp.Identity(n) + e * A_, lambda L_, mu_: 2 / L_),
            (lambda e, A_: sp.Identity(n) - e * A_, lambda L_, mu_: 1 / L_),
            (lambda e, A_: sp.Identity(n) - e * A_, lambda L_, mu_: 2 / mu_),
            labels=("e_(t+1) = (I + eta A) e_t", "threshold 1/L (where overshooting starts)",
                    "threshold 2/mu (the smallest eigenvalue)"))
    evidence.note("sympy, symbolic n: e_{t+1} = (I - eta A) e_t; (I - eta A) v = (1 - eta "
                  "lambda) v for A v = lambda v; |1 - eta lambda| < 1 iff 0 < eta < 2/lambda; "
                  "the top eigenvalue L binds, so convergence from every start iff "
                  "0 < eta < 2/L, and eta = 2/L multiplies the top component by -1")
