"""Evidence for §1.1: the perceptron, its update rule and the bias absorption."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from checks.support import strategies as S
from checks.support.certificates import farkas_certifies_inseparable, hyperplane_separates

claim = pytest.mark.claim


def _symbols(n: int = 3):
    x = sp.Matrix(sp.symbols(f"x1:{n + 1}", real=True))
    w = sp.Matrix(sp.symbols(f"w1:{n + 1}", real=True))
    b, eta = sp.symbols("b eta", real=True)
    return x, w, b, eta


@claim("update-identity-moves-score-toward-label", kind="symbolic", scope="instance")
@pytest.mark.parametrize("y", [1, -1])
def test_update_identity_symbolic(y, evidence):
    x, w, b, eta = _symbols()
    old = (w.T * x)[0] + b
    new = ((w + eta * y * x).T * x)[0] + (b + eta * y)
    assert sp.simplify(new - (old + eta * y * ((x.T * x)[0] + 1))) == 0, \
        "w_new.x + b_new != old score + eta y (||x||^2 + 1)"
    # y * (new - old) = eta (||x||^2 + 1) > 0 for eta > 0: the score moves toward y
    pos = sp.symbols("eta_pos", positive=True)
    move = sp.expand(y * (new - old)).subs(eta, pos)
    assert move.is_positive, f"y (new - old) = {move} is not provably positive"
    evidence.note("sympy: new - old - eta y (||x||^2+1) simplifies to 0 in R^3 for y = +-1; "
                  "y (new - old) is positive for eta > 0")


@claim("fixed-direction-update-pushes-negatives-wrong", kind="symbolic", scope="instance")
def test_fixed_direction_update_symbolic(evidence):
    x, w, b, eta = _symbols()
    old = (w.T * x)[0] + b
    new = ((w + eta * x).T * x)[0] + (b + eta)
    delta = sp.expand(new - old)
    assert sp.simplify(delta - eta * ((x.T * x)[0] + 1)) == 0
    pos = sp.symbols("eta_pos", positive=True)
    assert delta.subs(eta, pos).is_positive, "a fixed +eta x update must raise the score"
    evidence.note("sympy: with +eta x the score rises by eta (||x||^2 + 1) > 0, so for y = -1 "
                  "the margin y * score falls by that amount")


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


def _article_loop(X, y, *, eta, bias, epochs):
    """The article's loop, written out independently: the expected update sequence."""
    w, b, out = np.zeros(X.shape[1]), 0.0, []
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
@given(data=S.labelled_point_sets(dim=2, max_size=8), bias=st.booleans())
def test_updates_exactly_on_mistakes(impl, evidence, data, bias):
    X, y = data
    run = impl.perceptron_train(X, y, eta=1, bias=bias, max_epochs=20)
    expected = _article_loop(X.astype(float), y.astype(float), eta=1.0, bias=bias, epochs=20)
    _assert_same_updates(run.trajectory, expected)
    np.testing.assert_array_equal(run.w, expected[-1][1] if expected else np.zeros(2),
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


@claim("bias-absorption-same-trajectory", kind="symbolic", scope="instance")
def test_bias_absorption_inner_product_identity(evidence):
    x, w, b, _ = _symbols()
    xt, wt = x.col_join(sp.Matrix([1])), w.col_join(sp.Matrix([b]))
    assert sp.expand((wt.T * xt)[0] - ((w.T * x)[0] + b)) == 0
    evidence.note("sympy: w~ . x~ = w . x + b for x~ = (x, 1), w~ = (w, b)")


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


@claim("perceptron-no-loss-or-gradient", kind="sampled", target="corrected")
@given(data=S.labelled_point_sets(dim=2, max_size=8))
def test_perceptron_matches_sgd_on_perceptron_criterion(impl, evidence, data):
    X, y = data
    run = impl.perceptron_train(X, y, eta=1, bias=True, max_epochs=10)
    theta, steps = np.zeros(3), []
    Xt = np.hstack([X, np.ones((len(X), 1))]).astype(float)
    for _ in range(run.epochs):
        for i in range(len(X)):
            if y[i] * (theta @ Xt[i]) <= 0:  # sub-gradient -y x~ on the closed region
                theta = theta - 1.0 * (-y[i] * Xt[i])
                steps.append((i, theta.copy()))
    assert [i for i, _ in steps] == [i for i, _, _ in run.trajectory]
    for (_, th), (_, w, b) in zip(steps, run.trajectory):
        np.testing.assert_array_equal(th, np.append(w, b), err_msg="SGD iterate != (w, b)")
    evidence.count("runs where SGD on the perceptron criterion reproduced every update")
