"""The documented conventions of ``implementations/losses.py`` beyond bad input.

The module docstring promises float64 arithmetic, means over entries or samples, a
distribution axis that is the last one (``axis=-1`` by default) with no reduction over
leading axes, natural logarithms by default, and a 1e-9 tolerance on "sums to 1". Each
test pins one of those promises on a tiny input whose answer is known independently.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import implementations as I
from claimledger.raises import raises_exactly

pytestmark = pytest.mark.harness

LN2 = math.log(2.0)


def _rows_of_distributions(rng, shape):
    w = rng.uniform(0.1, 1.0, size=shape)
    return w / w.sum(axis=-1, keepdims=True)


# -- float64 arithmetic ---------------------------------------------------------------------
# Integer inputs are converted to float64 before any arithmetic; each case below overflows
# (wraps around) if it were done in int64, so only the float computation gives the answer.
@pytest.mark.parametrize("fn, args, expected", [
    pytest.param(I.mse_loss, ([0], [2**32]), 2.0**64, id="mse-square-beyond-int64"),
    pytest.param(I.mae_loss, ([-2**62], [2**62]), 2.0**63, id="mae-difference-beyond-int64"),
    pytest.param(I.hinge_loss, ([-2**63], [-1]), 0.0, id="hinge-product-beyond-int64"),
    pytest.param(I.binary_cross_entropy_with_logits, ([2**62], [0]), 2.0**62,
                 id="bce-logits-large-integer-logit"),
])
def test_integer_inputs_are_computed_in_float64(fn, args, expected):
    assert fn(*args) == expected


@pytest.mark.parametrize("fn", [
    pytest.param(I.softmax, id="softmax"), pytest.param(I.log_softmax, id="log-softmax"),
])
def test_softmax_family_shifts_integer_logits_in_float64(fn):
    # z - max z would be -10^19, below the int64 range; in float64 the first class simply
    # gets probability 0 (log-probability -10^19)
    z = [-5 * 10**18, 5 * 10**18]
    got = fn(z)
    expected = [0.0, 1.0] if fn is I.softmax else [-1e19, 0.0]
    assert got.dtype == np.float64
    assert_allclose(got, expected, rtol=1e-15, atol=0, err_msg=f"{fn.__name__} of {z}")


def test_integer_and_float_inputs_give_identical_float64_results():
    zi, zf = np.array([[0, 1, 3], [2, 2, -1]]), np.array([[0.0, 1.0, 3.0], [2.0, 2.0, -1.0]])
    for fn in (I.softmax, I.log_softmax, I.log_sigmoid):
        got = fn(zi)
        assert got.dtype == np.float64, f"{fn.__name__} returned {got.dtype}"
        assert np.array_equal(got, fn(zf)), f"{fn.__name__} differs on integer input"


# -- defaults: last axis, natural logarithm ------------------------------------------------
def test_softmax_default_axis_is_the_last_one():
    # shape (2, 2, 3): axis 1 and axis 0 differ from the last axis, so any other default shows
    z = np.log(np.arange(1.0, 13.0)).reshape(2, 2, 3)
    got = I.softmax(z)
    assert np.array_equal(got, I.softmax(z, axis=-1))
    # exp(log k) = k, so each row is its entries divided by their sum
    k = np.arange(1.0, 13.0).reshape(2, 2, 3)
    assert_allclose(got, k / k.sum(axis=-1, keepdims=True), rtol=1e-15, atol=0,
                    err_msg="softmax(log k) != k / sum k along the last axis")


def test_log_softmax_default_axis_is_the_last_one():
    z = np.log(np.arange(1.0, 13.0)).reshape(2, 2, 3)
    got = I.log_softmax(z)
    assert np.array_equal(got, I.log_softmax(z, axis=-1))
    k = np.arange(1.0, 13.0).reshape(2, 2, 3)
    assert_allclose(got, np.log(k / k.sum(axis=-1, keepdims=True)), rtol=1e-14, atol=1e-15,
                    err_msg="log_softmax(log k) != log(k / sum k) along the last axis")


@pytest.mark.parametrize("axis", [pytest.param(0, id="axis-0"), pytest.param(1, id="axis-1")])
def test_softmax_family_normalises_along_the_requested_axis(axis):
    z = np.array([[0.0, math.log(3.0), 1.0], [math.log(3.0), 0.0, -2.0]])  # non-square
    want = np.exp(z) / np.exp(z).sum(axis=axis, keepdims=True)
    assert_allclose(I.softmax(z, axis=axis), want, rtol=1e-14, atol=0,
                    err_msg=f"softmax along axis {axis}")
    assert_allclose(I.log_softmax(z, axis=axis), np.log(want), rtol=1e-14, atol=1e-15,
                    err_msg=f"log_softmax along axis {axis}")


def test_information_quantities_default_to_nats():
    p, q = [0.5, 0.5], [0.25, 0.75]
    assert I.entropy(p) == I.entropy(p, base=math.e)
    assert_allclose(I.entropy(p), LN2, rtol=1e-15, atol=0, err_msg="H(uniform on 2) = ln 2")
    assert_allclose(I.cross_entropy(p, q), -0.5 * math.log(0.25) - 0.5 * math.log(0.75),
                    rtol=1e-15, atol=0, err_msg="H(p, q) in nats")
    assert I.cross_entropy(p, q) == I.cross_entropy(p, q, base=math.e)
    assert_allclose(I.kl_divergence(p, q), 0.5 * math.log(2.0) + 0.5 * math.log(2.0 / 3.0),
                    rtol=1e-14, atol=0, err_msg="D_KL(p || q) in nats")
    assert I.kl_divergence(p, q) == I.kl_divergence(p, q, base=math.e)


def test_base_two_gives_bits():
    p, q = [0.5, 0.25, 0.25], [0.25, 0.25, 0.5]
    assert_allclose(I.entropy(p, base=2), 1.5, rtol=1e-15, atol=0, err_msg="H in bits")
    assert_allclose(I.cross_entropy(p, q, base=2), 1.75, rtol=1e-15, atol=0,
                    err_msg="H(p, q) in bits")
    assert_allclose(I.kl_divergence(p, q, base=2), 0.25, rtol=1e-14, atol=0,
                    err_msg="D_KL in bits")


# -- no reduction over leading axes; a 1-D input gives a float -------------------------------
@pytest.mark.parametrize("fn, nargs", [
    pytest.param(I.entropy, 1, id="entropy"),
    pytest.param(I.cross_entropy, 2, id="cross-entropy"),
    pytest.param(I.kl_divergence, 2, id="kl"),
])
def test_information_quantities_act_row_by_row_along_the_last_axis(fn, nargs):
    rng = np.random.default_rng(3)
    # leading axes (2, 3) of different sizes, so a reduction along a wrong axis cannot fit
    args = [_rows_of_distributions(rng, (2, 3, 4)) for _ in range(nargs)]
    got = fn(*args)
    assert isinstance(got, np.ndarray) and got.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            one = fn(*(a[i, j] for a in args))
            assert type(one) is float, f"1-D input must give a float, got {type(one)}"
            assert_allclose(got[i, j], one, rtol=1e-15, atol=0,
                            err_msg=f"{fn.__name__} row {(i, j)} differs from the 1-D call")


def test_information_quantities_match_their_formulas_on_a_batch():
    rng = np.random.default_rng(11)
    p, q = _rows_of_distributions(rng, (3, 5)), _rows_of_distributions(rng, (3, 5))
    h = [-sum(x * math.log(x, 2) for x in row) for row in p]
    hpq = [-sum(x * math.log(y, 2) for x, y in zip(a, b)) for a, b in zip(p, q)]
    kl = [sum(x * math.log(x / y, 2) for x, y in zip(a, b)) for a, b in zip(p, q)]
    for fn, args, want in ((I.entropy, (p,), h), (I.cross_entropy, (p, q), hpq),
                           (I.kl_divergence, (p, q), kl)):
        assert_allclose(fn(*args, base=2), want, rtol=1e-13, atol=1e-15,
                        err_msg=f"{fn.__name__} in bits, row by row")


def test_kl_is_infinite_exactly_on_the_rows_where_q_misses_mass_of_p():
    third = 1.0 / 3.0
    p = np.array([[[third, third, 1 - 2 * third], [0.5, 0.5, 0.0]],
                  [[0.5, 0.5, 0.0], [0.25, 0.25, 0.5]]])
    q = np.array([[[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]],     # misses p's third class; 0 vs 0
                  [[0.25, 0.25, 0.5], [0.5, 0.25, 0.25]]])
    got = I.kl_divergence(p, q)
    assert got.shape == (2, 2)
    assert got[0, 0] == np.inf, "q(x) = 0 < p(x) makes the divergence infinite"
    assert got[0, 1] == 0.0, "terms with p(x) = 0 vanish even where q(x) = 0"
    assert_allclose(got[1, 0], math.log(2.0), rtol=1e-15, atol=0, err_msg="finite row (1, 0)")
    assert_allclose(got[1, 1], 0.25 * math.log(0.5) + 0.5 * math.log(2.0), rtol=1e-14, atol=0,
                    err_msg="finite row (1, 1)")
    assert I.kl_divergence(p[0, 0], q[0, 0]) == np.inf


# -- "sums to 1" within 1e-9 ----------------------------------------------------------------
@pytest.mark.parametrize("excess", [pytest.param(1e-10, id="inside"),
                                    pytest.param(-1e-10, id="inside-below")])
def test_distributions_summing_to_one_within_the_tolerance_are_accepted(excess):
    p = [0.5 + excess, 0.5]
    assert_allclose(I.entropy(p), -(0.5 + excess) * math.log(0.5 + excess) - 0.5 * math.log(0.5),
                    rtol=1e-15, atol=0, err_msg="entropy of a nearly normalised row")


@pytest.mark.parametrize("excess", [pytest.param(1e-8, id="above"),
                                    pytest.param(-1e-8, id="below")])
def test_distributions_off_by_more_than_the_tolerance_are_rejected(excess):
    with raises_exactly("p must sum to 1 along the last axis (within 1e-09)"):
        I.entropy([0.5 + excess, 0.5])


# -- element-wise losses: scalars allowed, mean over every entry ---------------------------
@pytest.mark.parametrize("fn, args, expected", [
    pytest.param(I.mse_loss, (1.0, 3.0), 4.0, id="mse"),
    pytest.param(I.mae_loss, (1.0, -3.0), 4.0, id="mae"),
    pytest.param(I.binary_cross_entropy, (0.5, 1.0), LN2, id="bce"),
    pytest.param(I.binary_cross_entropy_with_logits, (0.0, 0.0), LN2, id="bce-logits"),
    pytest.param(I.hinge_loss, (-0.5, 1.0), 1.5, id="hinge"),
])
def test_elementwise_losses_accept_scalars(fn, args, expected):
    got = fn(*args)
    assert type(got) is float
    assert_allclose(got, expected, rtol=1e-15, atol=0, err_msg=f"{fn.__name__}{args}")


def test_log_sigmoid_is_minus_softplus_of_minus_z():
    z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    want = [-math.log1p(math.exp(-v)) for v in z]
    assert_allclose(I.log_sigmoid(z), want, rtol=1e-15, atol=1e-16,
                    err_msg="log sigma(z) = -log(1 + e^-z)")
    assert I.log_sigmoid(0.0) == -LN2


def test_binary_losses_accept_probabilities_and_targets_at_zero_and_one():
    p, y = [0.0, 1.0, 0.25, 0.5], [0.0, 1.0, 0.0, 1.0]
    want = (0.0 + 0.0 - math.log(0.75) - math.log(0.5)) / 4
    assert_allclose(I.binary_cross_entropy(p, y), want, rtol=1e-15, atol=0,
                    err_msg="BCE with p and y on the ends of [0, 1]")
    z = [-2.0, 1.0]
    want_z = (-math.log(1 - 1 / (1 + math.exp(2.0))) - math.log(1 / (1 + math.exp(-1.0)))) / 2
    assert_allclose(I.binary_cross_entropy_with_logits(z, [0.0, 1.0]), want_z, rtol=1e-14,
                    atol=0, err_msg="BCE from logits with targets 0 and 1")


def test_hinge_loss_takes_both_labels():
    # max(0, 1 - y s): 0.5, 3, 3 and 0
    got = I.hinge_loss([0.5, -2.0, 2.0, 4.0], [1.0, 1.0, -1.0, 1.0])
    assert_allclose(got, 6.5 / 4, rtol=1e-15, atol=0, err_msg="mean hinge over four points")


def test_categorical_losses_average_over_samples():
    probs = np.array([[0.5, 0.25, 0.25], [0.125, 0.125, 0.75]])
    y = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]])  # a one-hot and a soft label
    want = (-math.log(0.25) - 0.5 * math.log(0.125) - 0.5 * math.log(0.75)) / 2
    assert_allclose(I.categorical_cross_entropy(probs, y), want, rtol=1e-15, atol=0,
                    err_msg="CCE = mean over rows of -sum_k y_k log p_k")
    assert_allclose(I.cross_entropy_with_logits(np.log(probs) + 7.0, y), want, rtol=1e-14,
                    atol=0, err_msg="CE from logits (shifted log-probabilities)")
