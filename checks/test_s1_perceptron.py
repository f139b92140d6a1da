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
def test_sign_maps_zero_to_plus_one(impl, evidence, control):
    # the two zeros of float64 (+0.0, -0.0) are the whole of the tie; the neighbours on
    # either side and the infinities fix the rest of the convention's edges
    z = np.array([0.0, -0.0, 5e-324, -5e-324, np.inf, -np.inf, 1.0, -1.0])
    out = impl.sign_activation(z)
    zeros = impl.sign_activation(np.zeros((2, 3)))

    def derive(at_zero):  # at_zero: (sign(+0.0), sign(-0.0)) as the statement gives them
        pos, neg = at_zero
        np.testing.assert_array_equal(out, [pos, neg, 1, -1, 1, -1, 1, -1],
                                      err_msg=f"sign(+0.0), sign(-0.0) = {at_zero}, +1 for "
                                              "z > 0, -1 for z < 0")
        assert zeros.tolist() == [[float(pos)] * 3] * 2, "shape kept"

    control(derive, (1, 1), (0, 0), (1, -1), (-1, -1),
            labels=("sign(0) = 0 (numpy's sign)", "sign(-0.0) = -1 (the sign bit)",
                    "sign(0) = -1"))
    evidence.note("sign(+0.0) = sign(-0.0) = +1 (numpy's sign gives 0), sign of the smallest "
                  "subnormals and of +-inf as the article's cases say")


@claim("sign-of-zero-is-plus-one", kind="sampled")
@given(z=st.floats(allow_nan=False))
def test_sign_matches_the_two_cases(impl, z):
    assert impl.sign_activation(np.array([z]))[0] == (1.0 if z >= 0 else -1.0), z


@claim("update-identity-moves-score-toward-label", kind="symbolic")
def test_update_identity_symbolic(evidence, control):
    """For every dimension n and label y in {-1, +1}: the new score is the old one plus
    eta y (||x||^2 + 1), and y (new - old) = eta (||x||^2 + 1) > 0 for eta > 0."""
    w, x, b, eta = _vectors()
    y = sp.Symbol("y", real=True)
    w_new = sp.IndexedBase("w_new", real=True)
    old = dot(w, x) + b
    # the updated weights, coordinate by coordinate: w_new_i = w_i + eta y x_i
    new = dot(w_new, x).replace(w_new[IDX], w[IDX] + eta * y * x[IDX]) + (b + eta * y)
    norm2 = dot(x, x)

    def derive(stmt):  # new = old + eta y (c_x ||x||^2 + c_1), for eta with `eta_sign`
        c_x, c_1, eta_sign = stmt
        claimed = eta * y * (c_x * norm2 + c_1)
        assert linear(new - (old + claimed)) == 0, \
            f"w_new.x + b_new != old score + {claimed} for symbolic n"
        step = sp.Symbol("eta_s", **{eta_sign: True})
        for label in (1, -1):
            move = linear(label * (new - old)).subs({y: label, eta: step})
            assert linear(move - label * claimed.subs({y: label, eta: step})) == 0
            # ||x||^2 = Sum x_i^2 is a sum of squares of reals, hence >= 0; eta > 0
            assert norm2.is_nonnegative and move.is_positive, \
                f"y (new - old) = {move} is not provably positive"

    control(derive, (1, 1, "positive"), (1, 0, "positive"), (2, 2, "positive"),
            (1, 1, "real"),
            labels=("old + eta y ||x||^2 (the bias's + eta y forgotten)",
                    "old + 2 eta y (||x||^2 + 1)", "any eta (eta > 0 dropped)"))
    evidence.note("sympy, symbolic dimension n (Sum over i = 1..n): new - old - eta y "
                  "(||x||^2+1) expands to 0 by linearity; for y = +1 and y = -1, y (new - old) "
                  "= eta (||x||^2 + 1) with ||x||^2 a sum of squares, positive for eta > 0")


@claim("fixed-direction-update-pushes-negatives-wrong", kind="symbolic")
def test_fixed_direction_update_symbolic(evidence, control):
    w, x, b, eta = _vectors()
    w_new = sp.IndexedBase("w_new", real=True)
    y = -1  # the claim is about the negatives
    old = dot(w, x) + b
    pos = sp.Symbol("eta_pos", positive=True)

    def derive(rule):  # rule(label) = (the step added to every w_i / x_i, the step on b)
        step_w, step_b = rule(y)
        new = dot(w_new, x).replace(w_new[IDX], w[IDX] + step_w * x[IDX]) + (b + step_b)
        delta = linear(new - old).subs(eta, pos)
        assert delta.is_positive, f"the update must raise the score: it changes it by {delta}"
        # for y = -1 the margin y * score changes by -delta < 0: the point moves further wrong
        assert (y * delta).is_negative, f"the margin of a negative changes by {y * delta}"
        return delta

    delta = control(derive, lambda label: (eta, eta), lambda label: (eta * label, eta * label),
                    lambda label: (eta, 0),
                    labels=("the perceptron's w + eta y x, b + eta y",
                            "+eta x without the bias step (x = 0 does not move)"))
    assert linear(delta - pos * (dot(x, x) + 1)) == 0, "score change != eta (||x||^2 + 1)"
    evidence.note("sympy, symbolic n: with +eta x the score rises by eta (||x||^2 + 1) > 0, so "
                  "for y = -1 the margin y * score falls by that amount")


WORKED_EXAMPLE = {"trajectory": [(0, (2, 1), 1), (1, (3, -1), 0)], "score_x2_after_first": 1,
                  "final_scores": [5, -5], "updates": 2, "passes": 2}


@claim("worked-two-point-example", kind="exact")
def test_worked_two_point_example_exactly(impl, evidence, control):
    run = impl.perceptron_train([[2, 1], [-1, 2]], [1, -1], eta=1, bias=True)
    steps = [(i, tuple(int(v) for v in w), int(b)) for i, w, b in run.trajectory]
    X = np.array([[2, 1], [-1, 2]])
    w1, b1 = np.array(steps[0][1]), steps[0][2]  # the state after the first update

    def derive(ex):  # ex: the article's numbers
        assert steps == ex["trajectory"], f"trajectory {steps}"
        assert (X[1] @ w1 + b1) == ex["score_x2_after_first"], "score of x2 after the first update"
        final = X @ np.asarray(run.w) + run.b
        assert final.tolist() == ex["final_scores"], f"recheck scores {final.tolist()}"
        assert run.converged and run.updates == ex["updates"] and run.epochs == ex["passes"]

    control(derive, WORKED_EXAMPLE, {**WORKED_EXAMPLE, "passes": 1},
            {**WORKED_EXAMPLE, "score_x2_after_first": 0,
             "trajectory": [(0, (2, 1), 0), (1, (3, -1), -1)]},
            labels=("one pass (the confirming pass not counted)",
                    "the bias left out of the first update (score of x2 = 0)"))
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
def test_bias_absorption_induction_symbolic(evidence, control):
    """Induction over updates, for symbolic n. Invariant: w~_t = (w_t, b_t), i.e. the first
    n coordinates of w~_t are w_t and coordinate n+1 is b_t. Base: w~_0 = 0 = (0, 0).
    Step: if the invariant holds, (a) both loops take the same mistake test, because
    w~ . x~ = w . x + b, and (b) both updates give the same new state, coordinate by
    coordinate; so the two runs update the same points in the same order."""
    w, x, b, eta = _vectors()
    y = sp.Symbol("y", real=True)
    wt, xt = sp.IndexedBase("wt", real=True), sp.IndexedBase("xt", real=True)
    n = N_DIM
    # (a) the score: Sum_{i=1}^{n+1} = Sum_{i=1}^{n} + the (n+1)-th term (definition of Sum)
    # (sympy's difference_delta of Sum_{i=1}^{n} in n is the (n+1)-th summand)
    last = sp.difference_delta(dot(wt, xt), n)
    assert sp.expand(last - wt[n + 1] * xt[n + 1]) == 0, "peeling the last term of the sum"
    peeled = dot(wt, xt) + last  # = Sum_{i=1}^{n+1} wt_i xt_i
    upd = lambda v, u: v + eta * y * u  # noqa: E731 - the rule v <- v + eta y u

    def derive(absorption):
        # absorption: (x~_{n+1}, the map b -> w~_{n+1}); the statement is x~ = (x, 1),
        # w~ = (w, b). The invariant w~_t = (w_t, slot(b_t)) must survive one update.
        const, slot = absorption

        def embed(expr):  # w~_i = w_i, x~_i = x_i for i <= n; w~_{n+1} = slot(b), x~_{n+1}
            return expr.subs({wt[n + 1]: slot(b), xt[n + 1]: const}).replace(
                wt[IDX], w[IDX]).replace(xt[IDX], x[IDX])

        assert linear(embed(peeled) - (dot(w, x) + b)) == 0, "w~ . x~ != w . x + b"
        # (b) the update, coordinate i <= n and coordinate n + 1
        assert sp.expand(embed(upd(wt[IDX], xt[IDX])) - upd(w[IDX], x[IDX])) == 0
        assert sp.expand(embed(upd(wt[n + 1], xt[n + 1])) - slot(b + eta * y)) == 0, \
            "w~_{n+1} after the update != the bias after the update"
        # base case: both start at zero, and (0, ..., 0, 0) embeds w = 0, b = 0
        assert embed(sp.Integer(0)) == 0 and slot(sp.Integer(0)) == 0

    control(derive, (1, lambda v: v), (0, lambda v: v), (2, lambda v: v), (1, lambda v: -v),
            labels=("x~ = (x, 0)", "x~ = (x, 2)", "w~ = (w, -b)"))
    evidence.note("sympy, symbolic n, induction over updates: w~ . x~ = w . x + b (same "
                  "mistake test), w~_i + eta y x~_i = w_i + eta y x_i for i <= n and "
                  "w~_{n+1} + eta y * 1 = b + eta y (same update); base w~_0 = 0 = (w_0, b_0)")


@claim("bias-needed-to-translate", kind="exact")
def test_bias_needed_witness(impl, evidence, control):
    def derive(witness):
        # a 1-D two-point set that a hyperplane with bias separates and none through the
        # origin does
        X, y = witness
        with_bias = impl.separate(X, y)
        assert hasattr(with_bias, "w") and hyperplane_separates(X, y, with_bias.w, with_bias.b), \
            f"not separable even with a bias: {with_bias}"
        # through the origin: lambda >= 0 with sum lam_i y_i x_i = 0 rules out every w; for
        # two points lam = (|y_2 x_2|, |y_1 x_1|) is the only candidate up to scale
        lam = [abs(y[1] * X[1][0]), abs(y[0] * X[0][0])]
        assert farkas_certifies_inseparable(X, y, lam, homogeneous=True), \
            f"{lam} does not certify that no hyperplane through the origin separates the set"
        assert not farkas_certifies_inseparable(X, y, lam), "with a bias the set is separable"
        return with_bias, lam

    # 1-D: both points on the same side of the origin
    with_bias, lam = control(derive, ([[1], [2]], [1, -1]), ([[1], [-2]], [1, -1]),
                             ([[1], [1]], [1, -1]),
                             labels=("x = 1 -> +1, x = -2 -> -1 (opposite sides: no bias needed)",
                                     "x = 1 -> +1, x = 1 -> -1 (inseparable even with a bias)"))
    assert lam == [2, 1]
    evidence.note(f"x=1 -> +1, x=2 -> -1: separated with bias by w={with_bias.w}, "
                  f"b={with_bias.b}; without bias 2*(1*w) - 1*(2*w) = 0 with positive "
                  "weights (2, 1), so w*1 > 0 > w*2 is impossible")


@claim("perceptron-no-loss-or-gradient", kind="symbolic", target="counterexample")
def test_update_is_sgd_step_on_perceptron_criterion_symbolic(evidence, control):
    x, w, b, eta = _symbols()
    y = sp.symbols("y", real=True)
    theta = w.col_join(sp.Matrix([b]))
    score = (w.T * x)[0] + b
    rule = (w + eta * y * x).col_join(sp.Matrix([b + eta * y]))

    def derive(loss):  # the loss on the region where the rule updates, as a function of score
        grad = sp.Matrix([sp.diff(loss(score, y), t) for t in theta])
        sgd = theta - eta * grad
        assert sp.expand(sgd - rule) == sp.zeros(4, 1), "SGD step != perceptron update"

    # the criterion max(0, -y score) equals -y score where -y score >= 0
    control(derive, lambda s_, y_: -y_ * s_, lambda s_, y_: y_ * s_,
            lambda s_, y_: (y_ - s_) ** 2 / 2,
            labels=("max(0, y score) (sign flipped)", "squared error (y - score)^2 / 2"))
    evidence.note("sympy: on {y (w.x+b) <= 0} the criterion max(0, -y(w.x+b)) has gradient "
                  "(sub-gradient at 0) -y (x, 1); theta - eta * that = the perceptron update")
    evidence.counterexample("the §1.1 update w <- w + eta y x, b <- b + eta y is literally the "
                            "SGD step theta - eta grad of l = max(0, -y (w.x + b)) at every "
                            "misclassified point (e.g. x=(2,1), y=+1, w=0, b=0: grad = -(2,1,1))")


@claim("perceptron-no-loss-or-gradient", kind="symbolic", target="corrected")
def test_update_is_sgd_step_symbolic_n(evidence, control):
    """For symbolic n: on {y (w.x + b) < 0} the criterion max(0, -y (w.x + b)) equals
    -y (w.x + b), whose partial derivatives are -y x_k (k = 1..n) and -y; on
    {y (w.x + b) > 0} it is 0 (gradient 0, no step, as the rule); at the tie, -y (x, 1) is
    a subgradient (the subdifferential of a max of two affine maps is the segment between
    their gradients 0 and -y (x, 1)). theta - eta * that is the perceptron update."""
    w, x, b, eta = _vectors()
    y = sp.Symbol("y", real=True)
    k = sp.Symbol("k", integer=True, positive=True)  # a coordinate, 1 <= k <= n

    def derive(loss):  # the loss where the rule updates, as a function of (w . x, b, y)
        inner = loss(dot(w, x), b, y)
        # d/dw_k of a sum over i = 1..n: sympy's Kronecker delta leaves Piecewise(k <= n)
        g_k = sp.diff(inner, w[k]).doit().replace(
            lambda e: isinstance(e, sp.Piecewise) and e.args[0].cond == (k <= N_DIM),
            lambda e: e.args[0].expr)  # 1 <= k <= n: a coordinate
        g_b = sp.diff(inner, b)
        assert sp.expand((w[k] - eta * g_k) - (w[k] + eta * y * x[k])) == 0, \
            f"w_k - eta dl/dw_k = {w[k] - eta * g_k}"
        assert sp.expand((b - eta * g_b) - (b + eta * y)) == 0, f"b - eta dl/db = {b - eta * g_b}"

    control(derive, lambda wx, b_, y_: -y_ * (wx + b_), lambda wx, b_, y_: y_ * (wx + b_),
            lambda wx, b_, y_: -y_ * wx,
            labels=("max(0, y (w.x + b)) (sign flipped)", "max(0, -y w.x) (bias left out)"))
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
