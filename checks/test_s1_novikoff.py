"""Evidence for §1.2: Novikoff's convergence theorem, its proof, and how it is read.

Data are integer points strictly separated by an integer w* (not unit); the theorem's
quantities are then exact rationals: gamma^2 = m^2 / ||w*||^2 with m = min y_i (w* . x_i),
so the bound R^2 / gamma^2 = R^2 ||w*||^2 / m^2 and both invariants are integer
inequalities. Perceptron runs on integers with eta = 1 are exact in float64.
"""
from __future__ import annotations

from fractions import Fraction

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
    symbols declared nonnegative, with only nonnegative coefficients: then expr >= 0."""
    poly = sp.Poly(sp.expand(expr), *slacks)
    return all(c.is_nonnegative for c in poly.coeffs())


@claim("novikoff-proof-steps-valid", "novikoff-invariants-after-every-update",
       "novikoff-updates-le-bound-of-separable", kind="symbolic")
# the corrected statements these proofs also cover: the bound holds for every order and
# every N (no step of the proof uses either), and for the bias loop on (x, 1) together
# with the absorption proof (test_s1_perceptron.py::test_bias_absorption_induction_symbolic)
@claim("novikoff-count-fixed-by-ratio", kind="symbolic", target="corrected")
@claim("novikoff-bound-for-bias-perceptron", kind="symbolic", target="corrected")
def test_novikoff_proof_induction_symbolic(evidence):
    """The whole proof in sympy, for any dimension n, any update count t and any data.

    Hypotheses become equalities with nonnegative slack symbols s_k >= 0:
      margin          y (x . w*) = gamma + s3           (y_i (w* . x_i) >= gamma)
      mistake         y (w_{t-1} . x) = -s4              (update only when y w.x <= 0)
      radius          ||x||^2 = R^2 - s5                 (||x_i|| <= R)
      labels          y^2 = 1
    Induction hypotheses at t - 1:
      w_{t-1} . w* = (t - 1) gamma + s1,   ||w_{t-1}||^2 = (t - 1) R^2 - s2.
    The induction step shows that after w_t = w_{t-1} + y x both gaps are polynomials in
    the slacks with nonnegative coefficients; the base case w_0 = 0 has both gaps 0; the
    squeeze uses Cauchy-Schwarz (proved here from ||w - (w.u) u||^2 >= 0 with ||u|| = 1).
    """
    w, x, ws = (sp.IndexedBase(name, real=True) for name in ("w", "x", "wstar"))
    y = sp.Symbol("y", real=True)
    t = sp.Symbol("t", integer=True, positive=True)
    gamma, R = sp.symbols("gamma R", positive=True)
    s1, s2, s3, s4, s5, s6 = slacks = sp.symbols("s1:7", nonnegative=True)
    i = IDX
    w_t = w[i] + y * x[i]  # coordinate i of w_t = w_{t-1} + y x (eta = 1)
    hyp = {_dot(w[i], ws[i]): (t - 1) * gamma + s1,   # induction hypothesis (lower)
           _dot(w[i], w[i]): (t - 1) * R**2 - s2,      # induction hypothesis (upper)
           _dot(x[i], ws[i]): y * (gamma + s3),        # margin, using y^2 = 1
           _dot(w[i], x[i]): -y * s4,                  # mistake, using y^2 = 1
           _dot(x[i], x[i]): R**2 - s5}                # radius

    def under_hypotheses(expr):
        return sp.expand(_linear(expr).subs(hyp)).subs(y**2, 1).subs(y**4, 1).subs(y**3, y)

    # (i) and (ii): the proof's two expansions, exact identities in symbolic n
    assert _linear(_dot(w_t, ws[i]) - (_dot(w[i], ws[i]) + y * _dot(x[i], ws[i]))) == 0
    norm_step = _linear(_dot(w_t, w_t) - (_dot(w[i], w[i]) + 2 * y * _dot(w[i], x[i])
                                          + y**2 * _dot(x[i], x[i])))
    assert norm_step == 0, "||w + y x||^2 expansion"
    # base case t = 0: w_0 = 0 gives w_0 . w* - 0 gamma = 0 and 0 R^2 - ||w_0||^2 = 0
    zero = sp.IndexedBase("zero")
    base = _dot(zero[i], ws[i]).replace(zero[i], 0), _dot(zero[i], zero[i]).replace(zero[i], 0)
    assert [sp.simplify(v.doit()) for v in base] == [0, 0], "base case"
    # (iv) induction step: both gaps after the t-th update are nonnegative combinations
    lower_gap = under_hypotheses(_dot(w_t, ws[i]) - t * gamma)
    upper_gap = under_hypotheses(t * R**2 - _dot(w_t, w_t))
    assert sp.expand(lower_gap - (s1 + s3)) == 0, f"w_t . w* - t gamma = {lower_gap}"
    assert sp.expand(upper_gap - (s2 + 2 * s4 + s5)) == 0, f"t R^2 - ||w_t||^2 = {upper_gap}"
    assert _is_nonnegative_combination(lower_gap, slacks)
    assert _is_nonnegative_combination(upper_gap, slacks)
    # Cauchy-Schwarz for a unit u: ||w - c u||^2 with c = w . u equals ||w||^2 - c^2
    u, c = sp.IndexedBase("u", real=True), sp.Symbol("c", real=True)
    cs = _linear(_dot(w[i] - c * u[i], w[i] - c * u[i])).subs(
        {_dot(u[i], u[i]): 1, _dot(w[i], u[i]): c})
    assert sp.expand(cs - (_dot(w[i], w[i]) - c**2)) == 0, "Cauchy-Schwarz identity"
    assert _dot(w[i] - c * u[i], w[i] - c * u[i]).is_nonnegative  # a sum of squares
    # (iii) squeeze at step t: P = w_t . w* = t gamma + s1 (lower invariant),
    # t R^2 = ||w_t||^2 + s2 (upper invariant), ||w_t||^2 = P^2 + s6 (Cauchy-Schwarz with
    # the unit w*, s6 >= 0). Then t R^2 - t^2 gamma^2 is a nonnegative combination.
    P = t * gamma + s1
    squeeze = sp.expand((P**2 + s6) + s2 - t**2 * gamma**2)
    assert sp.expand(squeeze - (s2 + s6 + 2 * t * gamma * s1 + s1**2)) == 0
    assert _is_nonnegative_combination(squeeze, slacks)
    # dividing t (R^2 - t gamma^2) >= 0 by t gamma^2 > 0
    assert sp.simplify((R**2 / gamma**2 - t) - (t * R**2 - t**2 * gamma**2) / (t * gamma**2)) == 0
    # the hypotheses carry the proof: on a correctly classified point (y w.x = +s4, no
    # mistake) the upper gap is s2 - 2 s4 + s5, which is not a nonnegative combination
    no_mistake = sp.expand(_linear(t * R**2 - _dot(w_t, w_t)).subs(
        {**hyp, _dot(w[i], x[i]): y * s4})).subs(y**2, 1)
    assert not _is_nonnegative_combination(no_mistake, slacks), no_mistake
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
def test_bias_loop_exceeds_bound_minimal_counterexample(impl, evidence):
    X, y, w_star = np.array([[1], [-1]]), np.array([1, -1]), np.array([1])
    bound = _bound(X, y, w_star)  # R = 1, gamma = 1 (w* = 1 is optimal in 1-D)
    run = impl.perceptron_train(X, y, eta=1, bias=True)
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


@claim("novikoff-count-fixed-by-ratio", kind="exact", target="counterexample")
def test_same_ratio_different_counts(impl, evidence):
    # one data set, two presentation orders: same R, gamma and bound, different counts
    X = np.array([[-3, -3], [-3, -2], [-2, 3]])
    y = np.array([-1, -1, 1])
    w_star = np.array([1, 1])
    counts = {}
    for name, perm in (("as given", [0, 1, 2]), ("reversed", [2, 1, 0])):
        run = impl.perceptron_train(X[perm], y[perm], eta=1, bias=False)
        counts[name] = run.updates
        assert Fraction(run.updates) <= _bound(X, y, w_star)
    assert len(set(counts.values())) > 1, f"counts {counts} should differ"
    evidence.counterexample(f"X = {X.tolist()}, y = {y.tolist()}: same R and gamma, "
                            f"update counts {counts} depend on the order")
