"""Contracts of the §2.3 construction that the sup-error checks do not pin down.

``SigmoidNetwork`` evaluates its neurons in blocks (bounded memory), ``uat_network_ridges``
projects a box onto each direction, and every entry point converts its array arguments to
float64: each is compared here with an independent computation on inputs where a slip
would show (widths past one block, boxes that are neither unit nor symmetric, a 1-D box,
exact rational inputs). The plan's cell count is checked against its definition, the
smallest admissible N, at small widths and at the cap.
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.special import expit

import implementations as I
from claimledger.raises import raises_exactly

pytestmark = pytest.mark.harness

BLOCK = 4096  # the neuron block size of SigmoidNetwork.__call__


def _direct(net, X):
    """sum_i coef_i sigmoid(weight_i . x + bias_i), all neurons at once (scipy's expit)."""
    return expit(X @ net.weight.T + net.bias) @ net.coef


@pytest.mark.parametrize("width", [
    pytest.param(1, id="one-neuron"),
    pytest.param(BLOCK, id="one-full-block"),
    pytest.param(BLOCK + 1, id="one-past-a-block"),
    pytest.param(2 * BLOCK + 3, id="three-blocks"),
])
def test_sigmoid_network_sums_every_neuron_once(width):
    # every coefficient is non-zero and of one sign, so a neuron skipped or counted twice
    # (a block boundary off by one, a block overwriting the sum) moves the value
    rng = np.random.default_rng(20230)
    net = I.uat.SigmoidNetwork(coef=rng.uniform(0.5, 1.5, width),
                               weight=rng.normal(size=(width, 2)),
                               bias=rng.normal(size=width))
    X = rng.uniform(-2.0, 2.0, size=(5, 2))
    np.testing.assert_allclose(net(X), _direct(net, X), rtol=1e-12, atol=1e-12,
                               err_msg=f"g(x) over {width} neurons vs the direct sum")


def test_one_input_network_takes_points_as_a_vector_or_a_column():
    net = I.uat_network_1d(np.sin, -1.0, 2.0, 0.05, lipschitz=1.0)
    t = np.linspace(-1.0, 2.0, 7)
    flat, column = net(t), net(t[:, None])
    assert flat.shape == column.shape == (7,), f"got {flat.shape} and {column.shape}"
    np.testing.assert_allclose(flat, column, rtol=0, atol=0,
                               err_msg="shape (N,) and (N, 1) are the same N points")
    np.testing.assert_allclose(flat, _direct(net, t[:, None]), rtol=1e-12, atol=1e-12,
                               err_msg="g(t) vs the direct sum")


def _sup_error(net, f, lo, hi, m=41):
    axes = [np.linspace(a, b, m) for a, b in zip(lo, hi)]  # includes every corner
    X = np.array(list(itertools.product(*axes)))
    return float(np.max(np.abs(net(X) - f(X))))


@pytest.mark.parametrize("lo, hi", [
    # the extreme projections sit at corners with coordinates far from 0 and +-1, so a
    # projected interval built from anything but min/max of d_k lo_k, d_k hi_k is too short
    pytest.param([0.5, -0.5], [2.5, 3.0], id="shifted-box"),
    pytest.param([-3.0, -2.0], [-1.5, 4.0], id="negative-corner"),
])
def test_ridge_network_meets_eps_on_a_non_unit_box(lo, hi):
    eps = 0.1
    ridges = [(np.array([1.0, -1.0]), np.sin, 1.0),
              (np.array([0.5, 2.0]), np.cos, 1.0)]

    def f(X):
        return np.sin(X[:, 0] - X[:, 1]) + np.cos(0.5 * X[:, 0] + 2.0 * X[:, 1])

    net = I.uat_network_ridges(ridges, lo, hi, eps)
    err = _sup_error(net, f, lo, hi)
    assert err < eps, f"sup |g - f| = {err:.3g} >= eps = {eps} on the box [{lo}, {hi}]"


def test_ridge_network_on_a_one_dimensional_box_matches_the_1d_construction():
    # n = 1 is a legal box; with one ridge d = 2 the profile lives on [2 lo, 2 hi]
    # (a tuple is a sequence of ridges as much as a list is)
    lo, hi, eps = [-1.5], [2.0], 0.05
    net = I.uat_network_ridges(((np.array([2.0]), np.sin, 1.0),), lo, hi, eps)
    ref = I.uat_network_1d(np.sin, -3.0, 4.0, eps, lipschitz=1.0)
    x = np.linspace(-1.5, 2.0, 15)
    np.testing.assert_allclose(net(x), ref(2.0 * x), rtol=1e-12, atol=1e-12,
                               err_msg="the ridge network is the 1-D network of 2 x")
    err = _sup_error(net, lambda X: np.sin(2.0 * X[:, 0]), lo, hi, m=201)
    assert err < eps, f"sup |g - f| = {err:.3g} >= eps = {eps}"


# -- exact rationals (fractions.Fraction is a numbers.Real) are taken at their float value --
THIRD, HALF = Fraction(1, 3), Fraction(1, 2)


def test_sigmoid_network_evaluates_exact_rational_points():
    net = I.uat_network_1d(np.sin, 0.0, 1.0, 0.1, lipschitz=1.0)
    got = net([THIRD, HALF])
    assert got.dtype == np.float64, f"got dtype {got.dtype}"
    np.testing.assert_allclose(got, net(np.array([1 / 3, 0.5])), rtol=0, atol=0,
                               err_msg="Fraction points vs their float values")


def test_sigmoid_bump_accepts_exact_rational_arguments():
    got = I.sigmoid_bump([THIRD, HALF], HALF, THIRD, 6)
    assert got.dtype == np.float64, f"got dtype {got.dtype}"
    z = np.array([1 / 3, 0.5])
    expected = expit(6.0 * (z - 0.5)) - expit(6.0 * (z - 0.5 - 1 / 3))
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-15,
                               err_msg="sigmoid(a (z - c)) - sigmoid(a (z - c - delta))")


@pytest.mark.parametrize("field", ["lo", "hi", "direction"])
def test_ridge_network_accepts_exact_rational_box_and_direction(field):
    floats = dict(lo=[-0.5, 1 / 3], hi=[1.5, 2.5], direction=[0.5, -1 / 3])
    exact = dict(lo=[-HALF, THIRD], hi=[Fraction(3, 2), Fraction(5, 2)],
                 direction=[HALF, -THIRD])
    args = {**floats, field: exact[field]}  # a fresh dict: the tables stay untouched
    net = I.uat_network_ridges([(args["direction"], np.sin, 1.0)], args["lo"], args["hi"], 0.1)
    ref = I.uat_network_ridges([(floats["direction"], np.sin, 1.0)], floats["lo"],
                               floats["hi"], 0.1)
    X = np.array([[-0.5, 1 / 3], [0.0, 1.0], [1.5, 2.5]])
    np.testing.assert_allclose(net(X), ref(X), rtol=0, atol=0,
                               err_msg=f"Fraction {field} vs its float value")


# -- the cell count: the smallest N with omega(SPREAD h / 2) <= eps / 2, h = (b - a) / N --
SPREAD, MAX_WIDTH = I.uat.SPREAD, I.uat.MAX_WIDTH


def _step_modulus(n_star, length):
    """0 up to a threshold between the half-spreads of n_star and n_star - 1 cells, else 1.

    Non-decreasing and 0 near 0, so a valid (if crude) modulus; with eps = 0.1 the smallest
    admissible N is n_star by construction, far from any rounding question (the two
    half-spreads differ by a factor n_star / (n_star - 1))."""
    t_n = SPREAD * length / n_star / 2
    t_prev = SPREAD * length / (n_star - 1) / 2 if n_star > 1 else 2 * t_n
    tau = 0.5 * (t_n + t_prev)
    return lambda t: 0.0 if t <= tau else 1.0


@pytest.mark.parametrize("a, b, eps, modulus, width", [
    # omega = sqrt: sqrt(SPREAD (b - a) / (2N)) <= eps / 2  <=>  N >= 2 SPREAD (b - a) / eps^2
    pytest.param(0.0, 1.0, 1.5, math.sqrt, 1, id="sqrt-one-cell"),           # 2.1 / 2.25 = 0.93
    pytest.param(0.0, 1.0, 1.2, math.sqrt, 2, id="sqrt-two-cells"),          # 2.1 / 1.44 = 1.46
    pytest.param(0.0, 1.0, 1.0, math.sqrt, 3, id="sqrt-three-cells"),        # 2.1
    pytest.param(-1.0, 1.0, 0.8, math.sqrt, 7, id="sqrt-seven-cells"),       # 4.2 / 0.64 = 6.56
    pytest.param(-1.0, 2.0, 0.37, math.sqrt, 47, id="sqrt-47-cells"),        # 6.3 / 0.1369 = 46.02
    # a target of oscillation eps / 2 needs one cell: omega(t) = eps / 2 is admissible
    pytest.param(0.0, 1.0, 0.1, lambda t: min(t, 0.05), 1, id="omega-equal-to-eps-half"),
    pytest.param(0.0, 1.0, 0.1, lambda t: 0.0, 1, id="constant-target"),
    pytest.param(0.0, 3.0, 0.1, _step_modulus(5, 3.0), 5, id="step-5"),
    pytest.param(0.0, 3.0, 0.1, _step_modulus(1000, 3.0), 1000, id="step-1000"),
    pytest.param(0.0, 2.0, 0.1, _step_modulus(1_500_000, 2.0), 1_500_000, id="step-1.5M"),
    pytest.param(0.0, 2.0, 0.1, _step_modulus(MAX_WIDTH, 2.0), MAX_WIDTH, id="step-at-the-cap"),
])
def test_plan_width_from_a_modulus_is_the_smallest_admissible(a, b, eps, modulus, width):
    plan = I.uat_plan_1d(a, b, eps, modulus=modulus)
    assert plan.width == width, f"N = {plan.width}, expected {width}"
    h = (b - a) / width
    assert modulus(SPREAD * h / 2) <= eps / 2, "N cells must be admissible"
    if width > 1:
        assert modulus(SPREAD * (b - a) / (width - 1) / 2) > eps / 2, "N - 1 cells must not be"


def test_plan_width_from_a_modulus_stops_one_past_the_cap():
    with raises_exactly("modulus stays above eps/2 = 0.05 on [a, b] up to 2000000 cells"):
        I.uat_plan_1d(0.0, 2.0, 0.1, modulus=_step_modulus(MAX_WIDTH + 1, 2.0))


def test_plan_width_agrees_for_a_lipschitz_constant_and_its_linear_modulus():
    # omega(t) = t is the modulus of a 1-Lipschitz target: both routes ask for the same N,
    # here 1.5 million cells, below the cap
    eps = SPREAD / 1.5e6 * (1 + 1e-7)
    by_constant = I.uat_plan_1d(0.0, 1.0, eps, lipschitz=1.0)
    by_modulus = I.uat_plan_1d(0.0, 1.0, eps, modulus=lambda t: t)
    assert by_constant.width == by_modulus.width == 1_500_000, \
        f"{by_constant.width} cells from L = 1, {by_modulus.width} from omega(t) = t"


def test_plan_width_from_a_lipschitz_constant_may_reach_the_cap_but_not_pass_it():
    # SPREAD * (1 / SPREAD) * 2 / 1e-6 is exactly 2e6 in float64
    L = 1.0 / SPREAD
    assert SPREAD * L * 2.0 / 1e-6 == MAX_WIDTH, "the boundary case must be exact"
    assert I.uat_plan_1d(-1.0, 1.0, 1e-6, lipschitz=L).width == MAX_WIDTH
    eps = float(np.nextafter(1e-6, 0.0))  # one ulp less: 2e6 and a hair, over the cap
    with raises_exactly(f"eps={eps} with lipschitz={L} on [a, b] of length 2 needs 2e+06 "
                        "neurons (cap 2000000: it bounds memory and time)"):
        I.uat_plan_1d(-1.0, 1.0, eps, lipschitz=L)


def test_plan_is_the_documented_grid_on_a_small_interval():
    # L = 1, eps = 0.9 on [-1, 2]: ceil(1.05 * 3 / 0.9) = ceil(3.5) = 4 cells of width 3/4
    plan = I.uat_plan_1d(-1.0, 2.0, 0.9, lipschitz=1)
    assert (plan.a, plan.b, plan.eps, plan.h, plan.width) == (-1.0, 2.0, 0.9, 0.75, 4), plan
    np.testing.assert_allclose(plan.steepness, 8.0 / 0.75, rtol=1e-15, atol=0,
                               err_msg="alpha = STEEPNESS / h")
    np.testing.assert_allclose(plan.edges, [-1.0, -0.25, 0.5, 1.25, 2.0], rtol=0, atol=1e-15,
                               err_msg="edges c_k = a + k h")
    np.testing.assert_allclose(plan.nodes, [-0.625, 0.125, 0.875, 1.625], rtol=0, atol=1e-15,
                               err_msg="nodes x_k = a + (k - 1/2) h, the cell centres")


def test_plan_rejects_an_empty_interval():
    with raises_exactly("need a < b with b - a a finite float >= 1e-300 on [a, b], got a=1.0, b=1.0"):
        I.uat_plan_1d(1.0, 1.0, 0.1, lipschitz=1.0)


def test_network_takes_exact_rational_target_values_at_their_float_value():
    # the target may return any reals; f(x) = x^2 given exactly and in float64 must give
    # the same neurons (both round x^2 correctly)
    exact = I.uat_network_1d(lambda t: [Fraction(float(v)) ** 2 for v in t], -1.0, 2.0, 0.2,
                             lipschitz=4.0)
    ref = I.uat_network_1d(np.square, -1.0, 2.0, 0.2, lipschitz=4.0)
    assert exact.coef.dtype == np.float64, f"got dtype {exact.coef.dtype}"
    np.testing.assert_allclose(exact.coef, ref.coef, rtol=0, atol=0,
                               err_msg="coefficients 2 f(x_1), f(x_(k+1)) - f(x_k)")
