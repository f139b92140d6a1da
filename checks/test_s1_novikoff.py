"""Evidence for §1.2: Novikoff's convergence theorem, its proof, and how it is read.

Data are integer points strictly separated by an integer w* (not unit); the theorem's
quantities are then exact rationals: gamma^2 = m^2 / ||w*||^2 with m = min y_i (w* . x_i),
so the bound R^2 / gamma^2 = R^2 ||w*||^2 / m^2 and both invariants are integer
inequalities. Perceptron runs on integers with eta = 1 are exact in float64.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Callable

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, target
from hypothesis import strategies as st

from checks.support import strategies as S
from claimledger.symbolic import linear as _linear

claim = pytest.mark.claim


def _bound(X, y, w_star) -> Fraction:
    """R^2 / gamma^2 exactly, for the (not necessarily unit) separator w_star."""
    R2 = int(max(int(x @ x) for x in X))
    m = int(min(y * (X @ w_star)))
    assert m > 0, "w_star must separate strictly"
    return Fraction(R2 * int(w_star @ w_star), m * m)


# -- the proof, for a symbolic dimension n, with every hypothesis encoded --------------
N_DIM = sp.Symbol("n", integer=True, positive=True)
IDX = sp.Symbol("i", integer=True, positive=True)


def _dot(a, c):
    """a . c in R^n for symbolic n (a, c IndexedBase or index expressions in IDX)."""
    return sp.Sum(sp.sympify(a) * sp.sympify(c), (IDX, 1, N_DIM))




def _is_nonnegative_combination(expr, slacks):
    """True when expr is a polynomial in the slack symbols (all >= 0) and the other
    symbols declared nonnegative, with only nonnegative coefficients: then expr >= 0.
    False when it is not a polynomial in the slacks (e.g. a square root of them)."""
    try:
        poly = sp.Poly(sp.expand(expr), *slacks)
    except sp.PolynomialError:
        return False
    return all(c.is_nonnegative is True for c in poly.coeffs())


@dataclass(frozen=True)
class NovikoffStatement:
    """The theorem as an input of its proof: after t updates w_t . w* >= lower(t, gamma, R)
    and ||w_t||^2 <= upper(t, gamma, R), so t <= bound(gamma, R); ``mistake`` and
    ``margin`` say whether the proof may use the hypotheses "updates only where
    y (w . x) <= 0" and "y_i (w* . x_i) >= gamma"."""

    lower: Callable = lambda t, gamma, R: t * gamma
    upper: Callable = lambda t, gamma, R: t * R**2
    bound: Callable = lambda gamma, R: R**2 / gamma**2
    mistake: bool = True
    margin: bool = True


def _novikoff_proof(stmt: NovikoffStatement) -> None:
    """The whole proof in sympy, for any dimension n, any update count t and any data.

    Hypotheses become equalities with nonnegative slack symbols s_k >= 0:
      margin          y (x . w*) = gamma + s3           (y_i (w* . x_i) >= gamma)
      mistake         y (w_{t-1} . x) = -s4              (update only when y w.x <= 0)
      radius          ||x||^2 = R^2 - s5                 (||x_i|| <= R)
      labels          y^2 = 1
    (a dropped hypothesis becomes a free real value instead). Induction hypotheses at t - 1:
      w_{t-1} . w* = lower(t - 1) + s1,   ||w_{t-1}||^2 = upper(t - 1) - s2.
    The induction step shows that after w_t = w_{t-1} + y x both gaps are polynomials in
    the slacks with nonnegative coefficients; the base case w_0 = 0 has both gaps >= 0; the
    squeeze uses Cauchy-Schwarz (proved here from ||w - (w.u) u||^2 >= 0 with ||u|| = 1),
    solves the upper invariant for R and shows bound(gamma, R) - t >= 0.
    """
    w, x, ws = (sp.IndexedBase(name, real=True) for name in ("w", "x", "wstar"))
    y = sp.Symbol("y", real=True)
    t = sp.Symbol("t", integer=True, positive=True)
    gamma, R = sp.symbols("gamma R", positive=True)
    s1, s2, s3, s4, s5, s6 = slacks = sp.symbols("s1:7", nonnegative=True)
    free_margin, free_mistake = sp.symbols("f_margin f_mistake", real=True)
    i = IDX
    lower = lambda k: sp.sympify(stmt.lower(k, gamma, R))  # noqa: E731
    upper = lambda k: sp.sympify(stmt.upper(k, gamma, R))  # noqa: E731
    w_t = w[i] + y * x[i]  # coordinate i of w_t = w_{t-1} + y x (eta = 1)
    hyp = {_dot(w[i], ws[i]): lower(t - 1) + s1,                      # induction (lower)
           _dot(w[i], w[i]): upper(t - 1) - s2,                       # induction (upper)
           _dot(x[i], ws[i]): y * ((gamma + s3) if stmt.margin else free_margin),
           _dot(w[i], x[i]): y * (-s4 if stmt.mistake else free_mistake),
           _dot(x[i], x[i]): R**2 - s5}                               # radius

    def under_hypotheses(expr):
        return sp.expand(_linear(expr).subs(hyp)).subs(y**2, 1).subs(y**4, 1).subs(y**3, y)

    # (i) and (ii): the proof's two expansions, exact identities in symbolic n
    assert _linear(_dot(w_t, ws[i]) - (_dot(w[i], ws[i]) + y * _dot(x[i], ws[i]))) == 0
    norm_step = _linear(_dot(w_t, w_t) - (_dot(w[i], w[i]) + 2 * y * _dot(w[i], x[i])
                                          + y**2 * _dot(x[i], x[i])))
    assert norm_step == 0, "||w + y x||^2 expansion"
    # base case t = 0: w_0 = 0 gives w_0 . w* = 0 >= lower(0) and ||w_0||^2 = 0 <= upper(0)
    zero = sp.IndexedBase("zero")
    base = _dot(zero[i], ws[i]).replace(zero[i], 0), _dot(zero[i], zero[i]).replace(zero[i], 0)
    assert [sp.simplify(v.doit()) for v in base] == [0, 0], "base case"
    assert (-lower(0)).is_nonnegative and upper(0).is_nonnegative, "base case of the invariants"
    # (iv) induction step: both gaps after the t-th update are nonnegative combinations
    lower_gap = under_hypotheses(_dot(w_t, ws[i]) - lower(t))
    upper_gap = under_hypotheses(upper(t) - _dot(w_t, w_t))
    assert _is_nonnegative_combination(lower_gap, slacks), f"w_t . w* - lower(t) = {lower_gap}"
    assert _is_nonnegative_combination(upper_gap, slacks), f"upper(t) - ||w_t||^2 = {upper_gap}"
    # Cauchy-Schwarz for a unit u: ||w - c u||^2 with c = w . u equals ||w||^2 - c^2
    u, c = sp.IndexedBase("u", real=True), sp.Symbol("c", real=True)
    cs = _linear(_dot(w[i] - c * u[i], w[i] - c * u[i])).subs(
        {_dot(u[i], u[i]): 1, _dot(w[i], u[i]): c})
    assert sp.expand(cs - (_dot(w[i], w[i]) - c**2)) == 0, "Cauchy-Schwarz identity"
    assert _dot(w[i] - c * u[i], w[i] - c * u[i]).is_nonnegative  # a sum of squares
    # (iii) squeeze at step t: P = w_t . w* = lower(t) + s1 (lower invariant, P > 0),
    # ||w_t||^2 = upper(t) - s2 (upper invariant), ||w_t||^2 = P^2 + s6 (Cauchy-Schwarz with
    # the unit w*, s6 >= 0). Solve the two for R; then bound(gamma, R) - t >= 0.
    P = lower(t) + s1
    (R_sol,) = sp.solve(sp.Eq(upper(t) - s2, P**2 + s6), R)
    num, den = sp.fraction(sp.together(sp.sympify(stmt.bound(gamma, R_sol)) - t))
    assert den.is_positive, f"denominator {den}"
    assert _is_nonnegative_combination(num, slacks), f"bound - t = ({num}) / ({den})"


@claim("novikoff-proof-steps-valid", "novikoff-invariants-after-every-update",
       "novikoff-updates-le-bound-of-separable", kind="symbolic")
# the bound holds for every order and every N (no step of the proof uses either), which is
# the statement of novikoff-count-fixed-by-ratio; and the corrected statement for the bias
# loop on (x, 1) together with the absorption proof
# (test_s1_perceptron.py::test_bias_absorption_induction_symbolic)
@claim("novikoff-count-fixed-by-ratio", kind="symbolic")
@claim("novikoff-bound-for-bias-perceptron", kind="symbolic", target="corrected")
def test_novikoff_proof_induction_symbolic(evidence, control):
    """The proof (:func:`_novikoff_proof`) on the theorem, and on four false variants the
    same assertions must reject."""
    stmt = NovikoffStatement()
    control(_novikoff_proof, stmt,
            replace(stmt, bound=lambda gamma, R: R**2 / (2 * gamma**2)),
            replace(stmt, bound=lambda gamma, R: R / gamma),
            replace(stmt, mistake=False), replace(stmt, margin=False),
            labels=("t <= R^2 / (2 gamma^2) (wrong constant)", "t <= R / gamma (wrong exponent)",
                    "updates on every point (mistake hypothesis dropped)",
                    "margin hypothesis y (w* . x) >= gamma dropped"))
    evidence.note("sympy, symbolic dimension n and update count t: the two expansions of the "
                  "proof; base case w_0 = 0; induction step with the hypotheses as slacks "
                  "s >= 0: w_t.w* - t gamma = s1 + s3, t R^2 - ||w_t||^2 = s2 + 2 s4 + s5; "
                  "Cauchy-Schwarz from ||w - (w.u) u||^2 >= 0; squeeze t R^2 - t^2 gamma^2 = "
                  "s2 + s6 + 2 t gamma s1 + s1^2 >= 0, so t <= R^2 / gamma^2")


def _homogeneous_run(impl, X, y):
    return impl.perceptron_train(X, y, eta=1, bias=False, max_epochs=10_000)


@claim("novikoff-invariants-after-every-update", "novikoff-updates-le-bound-of-separable", kind="exact", scope="instance")
@given(data=S.separable_integer_data(dim=2, max_size=12, max_coord=6),
       order_seed=st.integers(0, 2**32 - 1))
def test_novikoff_bound_and_invariants_on_separable_data(impl, evidence, data, order_seed):
    X, y, w_star, _ = data
    perm = np.random.default_rng(order_seed).permutation(len(X))  # any presentation order
    X, y = X[perm], y[perm]
    bound = _bound(X, y, w_star)
    run = _homogeneous_run(impl, X, y)
    assert run.converged, "the perceptron must converge on separable data"
    assert np.all(y * (X @ np.asarray(run.w)) > 0), "the final w must separate the data"
    R2 = int(max(int(x @ x) for x in X))
    m = int(min(y * (X @ w_star)))
    for t, (_, w_t, _) in enumerate(run.trajectory, start=1):
        w_t = np.asarray(w_t)
        assert np.all(w_t == np.round(w_t)), "integer data must give integer weights"
        w_t = w_t.astype(np.int64)
        # w_t . w*/||w*|| >= t gamma = t m/||w*||  <=>  w_t . w* >= t m
        assert int(w_t @ w_star) >= t * m, f"inner-product invariant fails at t={t}"
        assert int(w_t @ w_t) <= t * R2, f"norm invariant fails at t={t}"
    ratio = Fraction(run.updates) / bound
    assert ratio <= 1, f"{run.updates} updates > R^2/gamma^2 = {bound}"
    target(float(ratio), label="updates / bound")
    evidence.count("separable data sets (random order)")
    evidence.count("updates with both invariants checked exactly", run.updates)
    evidence.worst("updates / (R^2/gamma^2)", float(ratio),
                   at=f"{run.updates} updates, bound {bound}")


@claim("novikoff-updates-le-bound-of-separable", kind="exact", scope="instance")
def test_novikoff_exhaustive_small_grid_near_worst(impl, evidence):
    """Every 2- and 3-point labelled set on the grid {-2..2}^2 that some integer w* in
    {-3..3}^2 separates through the origin: the count stays within the tightest of those
    bounds; the worst ratio found is the near-worst case of this grid."""
    import itertools

    grid = np.array([p for p in itertools.product(range(-2, 3), repeat=2) if any(p)])
    cands = np.array([c for c in itertools.product(range(-3, 4), repeat=2) if any(c)])
    cand_norm2 = (cands**2).sum(axis=1)
    worst, cases = Fraction(0), 0
    for size in (2, 3):
        for pts in itertools.combinations(range(len(grid)), size):
            X = grid[list(pts)]
            R2 = int((X**2).sum(axis=1).max())
            for labels in itertools.product((1, -1), repeat=size):
                y = np.array(labels)
                m = (y[:, None] * (X @ cands.T)).min(axis=0)  # margin of each candidate
                ok = m > 0
                if not ok.any():
                    continue
                bound = min(Fraction(R2 * int(n2), int(mm) ** 2)
                            for n2, mm in zip(cand_norm2[ok], m[ok]))
                run = _homogeneous_run(impl, X, y)
                ratio = Fraction(run.updates) / bound
                assert run.converged and ratio <= 1, (X.tolist(), labels, run.updates)
                cases += 1
                worst = max(worst, ratio)
    assert cases > 1000
    evidence.note(f"exhaustive grid: {cases} separable 2-/3-point sets on {{-2..2}}^2")
    evidence.worst("updates / tightest certified bound (grid)", float(worst))


@claim("novikoff-bound-for-bias-perceptron", kind="exact", target="counterexample")
def test_bias_loop_exceeds_bound_minimal_counterexample(impl, evidence, control):
    X, y, w_star = np.array([[1], [-1]]), np.array([1, -1]), np.array([1])
    bound = _bound(X, y, w_star)  # R = 1, gamma = 1 (w* = 1 is optimal in 1-D)
    run = impl.perceptron_train(X, y, eta=1, bias=True)
    R2 = Fraction(int(max(int(x @ x) for x in X)))
    gamma2 = Fraction(int(min(y * (X @ w_star))) ** 2, int(w_star @ w_star))

    def exceeded(stated_bound):
        # the statement "the bias loop makes at most stated_bound(R^2, gamma^2) updates" is
        # refuted by this run when its update count is larger
        assert run.updates > stated_bound(R2, gamma2), \
            f"{run.updates} updates <= {stated_bound(R2, gamma2)}: no counterexample"

    control(exceeded, lambda R2, g2: R2 / g2, lambda R2, g2: (R2 + 1) / g2,
            labels=("the corrected bound (R^2 + 1) / gamma^2",))
    assert bound == 1 and run.updates == 2, (bound, run.updates)
    # the corrected bound: the same data augmented, w~* = (1, 0): (R^2 + 1) / gamma^2 = 2
    Xt = np.hstack([X, np.ones((2, 1), dtype=np.int64)])
    corrected = _bound(Xt, y, np.array([1, 0]))
    assert corrected == 2 and run.updates <= corrected
    evidence.counterexample("x1 = 1 (y=+1), x2 = -1 (y=-1): R = 1, gamma = 1 so R^2/gamma^2 = 1, "
                            "but the §1.1 loop with bias makes 2 updates (score 0 at x1 -> w=1, "
                            "b=1; score 0 at x2 -> w=2, b=0)")
    evidence.note("corrected bound (R^2+1)/gamma^2 = 2 is met with equality on this example")


@claim("novikoff-bound-for-bias-perceptron", kind="exact", scope="instance", target="corrected")
@given(data=S.separable_integer_data(dim=2, max_size=10, max_coord=5, through_origin=False))
def test_bias_loop_meets_augmented_bound(impl, evidence, data):
    X, y, w_star, b_star = data
    Xt = np.hstack([X, np.ones((len(X), 1), dtype=np.int64)])
    bound = _bound(Xt, y, np.append(w_star, b_star))
    run = impl.perceptron_train(X, y, eta=1, bias=True, max_epochs=100_000)
    assert run.converged and Fraction(run.updates) <= bound, (run.updates, bound)
    assert np.all(y * (X @ np.asarray(run.w) + run.b) > 0), "final (w, b) must separate"
    evidence.count("data sets where the bias loop met (R~^2)/gamma~^2 on augmented points")
    evidence.worst("bias-loop updates / augmented bound", float(Fraction(run.updates) / bound))


@claim("novikoff-count-fixed-by-ratio", kind="exact", scope="instance")
def test_same_ratio_different_counts(impl, evidence):
    # one data set, two presentation orders: same R, gamma and bound, both counts under it,
    # and different counts: the ratio fixes the bound, not the count (and the implementation
    # must present the samples in the order given)
    X = np.array([[-3, -3], [-3, -2], [-2, 3]])
    y = np.array([-1, -1, 1])
    w_star = np.array([1, 1])
    counts = {}
    for name, perm in (("as given", [0, 1, 2]), ("reversed", [2, 1, 0])):
        run = impl.perceptron_train(X[perm], y[perm], eta=1, bias=False)
        counts[name] = run.updates
        assert Fraction(run.updates) <= _bound(X, y, w_star)
    assert len(set(counts.values())) > 1, f"counts {counts} should differ"
    evidence.note(f"X = {X.tolist()}, y = {y.tolist()}: same R and gamma, bound "
                  f"{float(_bound(X, y, w_star)):.3f}; update counts {counts} (both under the "
                  "bound; the count itself depends on the order)")
