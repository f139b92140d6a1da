"""Evidence for §1.1: the perceptron, its update rule and the bias absorption."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from checks.support import strategies as S
from claimledger.certificates import farkas_certifies_inseparable, hyperplane_separates
from claimledger.symbolic import linear

claim = pytest.mark.claim


def _symbols(n: int = 3):
    x = sp.Matrix(sp.symbols(f"x1:{n + 1}", real=True))
    w = sp.Matrix(sp.symbols(f"w1:{n + 1}", real=True))
    b, eta = sp.symbols("b eta", real=True)
    return x, w, b, eta


# -- symbolic dimension n: vectors are IndexedBase objects summed over i = 1..n ------------
N_DIM = sp.Symbol("n", integer=True, positive=True)
IDX = sp.Symbol("i", integer=True, positive=True)


def dot(a, c, upper=N_DIM):
    """a . c in R^n for a symbolic n: Sum_{i=1}^{n} a_i c_i (a, c are IndexedBase)."""
    return sp.Sum(a[IDX] * c[IDX], (IDX, 1, upper))




def _vectors():
    w, x = sp.IndexedBase("w", real=True), sp.IndexedBase("x", real=True)
    b, eta = sp.symbols("b eta", real=True)
    return w, x, b, eta


@claim("sign-of-zero-is-plus-one", kind="exact")
def test_sign_maps_zero_to_plus_one(impl, evidence):
    # the two zeros of float64 (+0.0, -0.0) are the whole of the tie; the neighbours on
    # either side and the infinities fix the rest of the convention's edges
    z = np.array([0.0, -0.0, 5e-324, -5e-324, np.inf, -np.inf, 1.0, -1.0])
    out = impl.sign_activation(z)
    np.testing.assert_array_equal(out, [1, 1, 1, -1, 1, -1, 1, -1],
                                  err_msg="sign(z) = +1 for z >= 0 (incl. -0.0), -1 for z < 0")
    assert impl.sign_activation(np.zeros((2, 3))).tolist() == [[1.0] * 3] * 2, "shape kept"
    evidence.note("sign(+0.0) = sign(-0.0) = +1 (numpy's sign gives 0), sign of the smallest "
                  "subnormals and of +-inf as the article's cases say")


@claim("sign-of-zero-is-plus-one", kind="sampled")
@given(z=st.floats(allow_nan=False))
def test_sign_matches_the_two_cases(impl, z):
    assert impl.sign_activation(np.array([z]))[0] == (1.0 if z >= 0 else -1.0), z


@claim("update-identity-moves-score-toward-label", kind="symbolic")
def test_update_identity_symbolic(evidence):
    """For every dimension n and label y in {-1, +1}: the new score is the old one plus
    eta y (||x||^2 + 1), and y (new - old) = eta (||x||^2 + 1) > 0 for eta > 0."""
    w, x, b, eta = _vectors()
    y = sp.Symbol("y", real=True)
    w_new = sp.IndexedBase("w_new", real=True)
    old = dot(w, x) + b
    # the updated weights, coordinate by coordinate: w_new_i = w_i + eta y x_i
    new = dot(w_new, x).replace(w_new[IDX], w[IDX] + eta * y * x[IDX]) + (b + eta * y)
    norm2 = dot(x, x)
    assert linear(new - (old + eta * y * (norm2 + 1))) == 0, \
        "w_new.x + b_new != old score + eta y (||x||^2 + 1) for symbolic n"
    pos = sp.Symbol("eta_pos", positive=True)
    for label in (1, -1):
        move = linear(label * (new - old)).subs({y: label, eta: pos})
        assert linear(move - pos * (norm2 + 1)) == 0
        # ||x||^2 = Sum x_i^2 is a sum of squares of reals, hence >= 0; eta > 0
        assert norm2.is_nonnegative and move.is_positive, \
            f"y (new - old) = {move} is not provably positive"
    evidence.note("sympy, symbolic dimension n (Sum over i = 1..n): new - old - eta y "
                  "(||x||^2+1) expands to 0 by linearity; for y = +1 and y = -1, y (new - old) "
                  "= eta (||x||^2 + 1) with ||x||^2 a sum of squares, positive for eta > 0")


@claim("fixed-direction-update-pushes-negatives-wrong", kind="symbolic")
def test_fixed_direction_update_symbolic(evidence):
    w, x, b, eta = _vectors()
    w_new = sp.IndexedBase("w_new", real=True)
    old = dot(w, x) + b
    new = dot(w_new, x).replace(w_new[IDX], w[IDX] + eta * x[IDX]) + (b + eta)
    delta = linear(new - old)
    assert linear(delta - eta * (dot(x, x) + 1)) == 0, "score change != eta (||x||^2 + 1)"
    pos = sp.Symbol("eta_pos", positive=True)
    assert delta.subs(eta, pos).is_positive, "a fixed +eta x update must raise the score"
    # for y = -1 the margin y * score changes by -delta < 0: the point moves further wrong
    assert (-delta.subs(eta, pos)).is_negative
    evidence.note("sympy, symbolic n: with +eta x the score rises by eta (||x||^2 + 1) > 0, so "
                  "for y = -1 the margin y * score falls by that amount")


@claim("worked-two-point-example", kind="exact")
def test_worked_two_point_example_exactly(impl, evidence):
    run = impl.perceptron_train([[2, 1], [-1, 2]], [1, -1], eta=1, bias=True)
    steps = [(i, tuple(int(v) for v in w), int(b)) for i, w, b in run.trajectory]
    assert steps == [(0, (2, 1), 1), (1, (3, -1), 0)], f"trajectory {steps}"
    X = np.array([[2, 1], [-1, 2]])
    assert (X[1] @ np.array([2, 1]) + 1) == 1, "score of x2 after the first update"
    final = X @ np.asarray(run.w) + run.b
    assert final.tolist() == [5, -5], f"recheck scores {final.tolist()}"
    assert run.converged and run.updates == 2 and run.epochs == 2
    evidence.note("exact run: updates at x1 (score 0) -> w=(2,1), b=1; at x2 (score 1) -> "
                  "w=(3,-1), b=0; recheck scores 5, -5; 2 updates, 2 passes")


def _article_loop(X, y, *, eta, bias, epochs, w0=None, b0=0.0):
    """The article's loop, written out independently: the expected update sequence."""
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float).copy()
    b, out = float(b0), []
    for _ in range(epochs):
        before = len(out)
        for i in range(len(X)):
            if y[i] * (w @ X[i] + b) <= 0:
                w = w + eta * y[i] * X[i]
                b = b + (eta * y[i] if bias else 0.0)
                out.append((i, w.copy(), b))
        if len(out) == before:
            break
    return out


def _assert_same_updates(actual, expected):
    for k, ((i, w, b), (j, we, be)) in enumerate(zip(actual, expected)):
        assert i == j, (f"update {k} at point {i}, but the article's loop updates point {j} "
                        "(an update on a correctly classified point, or a missed mistake)")
        np.testing.assert_array_equal(w, we, err_msg=f"weights after update {k}")
        assert b == be, f"bias after update {k}: {b} != {be}"
    assert len(actual) == len(expected), \
        f"{len(actual)} updates, the article's loop makes {len(expected)}"


@claim("updates-only-on-mistakes", kind="sampled")
@given(data=st.one_of(S.labelled_point_sets(dim=2, max_size=8),
                     S.labelled_point_sets(dim=3, max_size=8)),
       bias=st.booleans(), eta=st.sampled_from([1, 2, 0.5, 0.25]),
       start=st.lists(st.integers(-3, 3), min_size=4, max_size=4), from_zero=st.booleans())
def test_updates_exactly_on_mistakes(impl, evidence, data, bias, eta, start, from_zero):
    # dyadic step sizes on integer points keep every score exact in float64, so a score of
    # exactly 0 (the article's tie, counted as a mistake) is reproduced, not rounded away;
    # the rule is the same from any starting (w0, b0), so the start is varied too
    X, y = data
    w0 = None if from_zero else np.array(start[:X.shape[1]], dtype=float)
    b0 = float(start[-1]) if (bias and not from_zero) else 0.0
    run = impl.perceptron_train(X, y, eta=eta, bias=bias, max_epochs=20, w0=w0, b0=b0)
    expected = _article_loop(X.astype(float), y.astype(float), eta=float(eta), bias=bias,
                             epochs=20, w0=w0, b0=b0)
    _assert_same_updates(run.trajectory, expected)
    final = expected[-1][1] if expected else (np.zeros(X.shape[1]) if w0 is None else w0)
    np.testing.assert_array_equal(run.w, final,
                                  err_msg="final weights differ from the article's loop")
    if run.converged:
        assert np.all(y * (X @ run.w + run.b) > 0), "converged but a point has y*score <= 0"
    evidence.count("runs replayed update by update")
    evidence.count("updates checked", run.updates)


@claim("bias-absorption-same-trajectory", kind="exact", scope="instance")
@given(data=S.labelled_point_sets(dim=3, max_size=8), eta=st.sampled_from([1, 2, 0.5]))
def test_bias_absorption_gives_same_trajectory(impl, evidence, data, eta):
    X, y = data
    with_b = impl.perceptron_train(X, y, eta=eta, bias=True, max_epochs=15)
    tilde = impl.perceptron_train(impl.augment_with_one(X), y, eta=eta, bias=False,
                                  max_epochs=15)
    assert with_b.updates == tilde.updates, "different number of updates"
    for (i, w, b), (j, wt, _) in zip(with_b.trajectory, tilde.trajectory):
        assert i == j, "updates at different points"
        np.testing.assert_array_equal(np.append(w, b), wt,
                                      err_msg="(w, b) != w~ after the same update")
    evidence.count("data sets (dyadic eta keeps floats exact)")
    evidence.count("updates compared", with_b.updates)


@claim("bias-absorption-same-trajectory", kind="symbolic")
@claim("novikoff-bound-for-bias-perceptron", kind="symbolic", target="corrected")
def test_bias_absorption_induction_symbolic(evidence):
    """Induction over updates, for symbolic n. Invariant: w~_t = (w_t, b_t), i.e. the first
    n coordinates of w~_t are w_t and coordinate n+1 is b_t. Base: w~_0 = 0 = (0, 0).
    Step: if the invariant holds, (a) both loops take the same mistake test, because
    w~ . x~ = w . x + b, and (b) both updates give the same new state, coordinate by
    coordinate; so the two runs update the same points in the same order."""
    w, x, b, eta = _vectors()
    y = sp.Symbol("y", real=True)
    wt, xt = sp.IndexedBase("wt", real=True), sp.IndexedBase("xt", real=True)
    n = N_DIM

    def embed(expr):  # w~_i = w_i, x~_i = x_i for i <= n; w~_{n+1} = b, x~_{n+1} = 1
        return expr.subs({wt[n + 1]: b, xt[n + 1]: 1}).replace(wt[IDX], w[IDX]) \
                   .replace(xt[IDX], x[IDX])

    # (a) the score: Sum_{i=1}^{n+1} = Sum_{i=1}^{n} + the (n+1)-th term (definition of Sum)
    # (sympy's difference_delta of Sum_{i=1}^{n} in n is the (n+1)-th summand)
    last = sp.difference_delta(dot(wt, xt), n)
    assert sp.expand(last - wt[n + 1] * xt[n + 1]) == 0, "peeling the last term of the sum"
    peeled = dot(wt, xt) + last  # = Sum_{i=1}^{n+1} wt_i xt_i
    assert linear(embed(peeled) - (dot(w, x) + b)) == 0, "w~ . x~ != w . x + b"
    # (b) the update, coordinate i <= n and coordinate n + 1
    upd = lambda v, u: v + eta * y * u  # noqa: E731 - the rule v <- v + eta y u
    assert sp.expand(embed(upd(wt[IDX], xt[IDX])) - upd(w[IDX], x[IDX])) == 0
    assert sp.expand(embed(upd(wt[n + 1], xt[n + 1])) - (b + eta * y)) == 0
    # base case: both start at zero, and (0, ..., 0, 0) embeds w = 0, b = 0
    assert embed(sp.Integer(0)) == 0
    evidence.note("sympy, symbolic n, induction over updates: w~ . x~ = w . x + b (same "
                  "mistake test), w~_i + eta y x~_i = w_i + eta y x_i for i <= n and "
                  "w~_{n+1} + eta y * 1 = b + eta y (same update); base w~_0 = 0 = (w_0, b_0)")


@claim("bias-needed-to-translate", kind="exact")
def test_bias_needed_witness(impl, evidence):
    X, y = [[1], [2]], [1, -1]  # 1-D: both points on the same side of the origin
    with_bias = impl.separate(X, y)
    assert hasattr(with_bias, "w") and hyperplane_separates(X, y, with_bias.w, with_bias.b)
    # through the origin: separate the augmented set without the bias coordinate is the
    # same as asking for b = 0; certificate: lambda with sum lam_i y_i x_i = 0, lam >= 0
    # through the origin: lambda >= 0 with sum lam_i y_i x_i = 0 rules out every w
    lam = [2, 1]
    assert farkas_certifies_inseparable(X, y, lam, homogeneous=True), \
        "(2, 1) should certify that no hyperplane through the origin separates the set"
    assert not farkas_certifies_inseparable(X, y, lam), "with a bias the set is separable"
    evidence.note(f"x=1 -> +1, x=2 -> -1: separated with bias by w={with_bias.w}, "
                  f"b={with_bias.b}; without bias 2*(1*w) - 1*(2*w) = 0 with positive "
                  "weights (2, 1), so w*1 > 0 > w*2 is impossible")


@claim("perceptron-no-loss-or-gradient", kind="symbolic", target="counterexample")
def test_update_is_sgd_step_on_perceptron_criterion_symbolic(evidence):
    x, w, b, eta = _symbols()
    y = sp.symbols("y", real=True)
    theta = w.col_join(sp.Matrix([b]))
    inner = -y * ((w.T * x)[0] + b)  # the criterion max(0, inner) equals inner where inner >= 0
    grad = sp.Matrix([sp.diff(inner, t) for t in theta])
    sgd = theta - eta * grad
    rule = (w + eta * y * x).col_join(sp.Matrix([b + eta * y]))
    assert sp.simplify(sgd - rule) == sp.zeros(4, 1), "SGD step != perceptron update"
    evidence.note("sympy: on {y (w.x+b) <= 0} the criterion max(0, -y(w.x+b)) has gradient "
                  "(sub-gradient at 0) -y (x, 1); theta - eta * that = the perceptron update")
    evidence.counterexample("the §1.1 update w <- w + eta y x, b <- b + eta y is literally the "
                            "SGD step theta - eta grad of l = max(0, -y (w.x + b)) at every "
                            "misclassified point (e.g. x=(2,1), y=+1, w=0, b=0: grad = -(2,1,1))")


@claim("perceptron-no-loss-or-gradient", kind="symbolic", target="corrected")
def test_update_is_sgd_step_symbolic_n(evidence):
    """For symbolic n: on {y (w.x + b) < 0} the criterion max(0, -y (w.x + b)) equals
    -y (w.x + b), whose partial derivatives are -y x_k (k = 1..n) and -y; on
    {y (w.x + b) > 0} it is 0 (gradient 0, no step, as the rule); at the tie, -y (x, 1) is
    a subgradient (the subdifferential of a max of two affine maps is the segment between
    their gradients 0 and -y (x, 1)). theta - eta * that is the perceptron update."""
    w, x, b, eta = _vectors()
    y = sp.Symbol("y", real=True)
    k = sp.Symbol("k", integer=True, positive=True)  # a coordinate, 1 <= k <= n
    inner = -y * (dot(w, x) + b)
    g_k = sp.diff(inner, w[k]).doit()
    assert g_k == -y * sp.Piecewise((x[k], k <= N_DIM), (0, True)), g_k
    g_k = g_k.subs(sp.Piecewise((x[k], k <= N_DIM), (0, True)), x[k])  # k <= n
    g_b = sp.diff(inner, b)
    assert sp.expand((w[k] - eta * g_k) - (w[k] + eta * y * x[k])) == 0
    assert sp.expand((b - eta * g_b) - (b + eta * y)) == 0
    evidence.note("sympy, symbolic n: d/dw_k of -y (sum_i w_i x_i + b) is -y x_k (k <= n), "
                  "d/db is -y; theta - eta grad is w_k + eta y x_k, b + eta y: the update")


@claim("perceptron-no-loss-or-gradient", kind="sampled", target="corrected")
@given(data=st.one_of(S.labelled_point_sets(dim=2, max_size=8),
                     S.labelled_point_sets(dim=3, max_size=8)),
       eta=st.sampled_from([1, 2, 0.5, 0.25]))
def test_perceptron_matches_sgd_on_perceptron_criterion(impl, evidence, data, eta):
    X, y = data
    run = impl.perceptron_train(X, y, eta=eta, bias=True, max_epochs=10)
    theta, steps, epochs, converged = np.zeros(X.shape[1] + 1), [], 0, False
    Xt = np.hstack([X, np.ones((len(X), 1))]).astype(float)
    # SGD on the criterion, run on its own: passes until one makes no step (cap 10, as
    # the call above); the pass count is computed here, never read from ``run``
    while epochs < 10 and not converged:
        epochs += 1
        before = len(steps)
        for i in range(len(X)):
            if y[i] * (theta @ Xt[i]) <= 0:  # sub-gradient -y x~ on the closed region
                theta = theta - eta * (-y[i] * Xt[i])
                steps.append((i, theta.copy()))
        converged = len(steps) == before
    assert (run.epochs, run.converged) == (epochs, converged), \
        f"run: {run.epochs} passes, converged={run.converged}; SGD: {epochs}, {converged}"
    assert [i for i, _ in steps] == [i for i, _, _ in run.trajectory]
    for (_, th), (_, w, b) in zip(steps, run.trajectory):
        np.testing.assert_array_equal(th, np.append(w, b), err_msg="SGD iterate != (w, b)")
    evidence.count("runs where SGD on the perceptron criterion reproduced every update")
