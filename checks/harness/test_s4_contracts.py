"""Documented behaviour of the §4 reference code on small hand-checked examples.

The statistical and exact-oracle checks in ``checks/test_s4_*.py`` run on generated inputs;
these cases pin the corners those leave open: the documented default of ``gain``, the
``momentum`` end points, a nonzero shift ``beta``, integer inputs, and the gradient lists
whose global norm is a special case (no entries at all, NaN beside inf). Each expected value
is worked out by hand in the comment or taken from the ``statistics`` module, not from the
code under test.
"""
from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

import implementations as I

pytestmark = pytest.mark.harness

TIGHT = dict(rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------- initialisers

@pytest.mark.parametrize("name", ["xavier_normal", "xavier_uniform"])
def test_xavier_default_gain_is_one(name):
    init = getattr(I, name)
    default = init(30, 20, rng=np.random.default_rng(5))
    explicit = init(30, 20, rng=np.random.default_rng(5), gain=1.0)
    np.testing.assert_array_equal(default, explicit,
                                  err_msg=f"{name}: omitting gain must mean gain = 1")


@pytest.mark.parametrize("name", ["xavier_normal", "xavier_uniform"])
def test_xavier_gain_scales_every_entry(name):
    # the same draws, only stretched: W(gain) = gain * W(1) for a generator in the same state
    init = getattr(I, name)
    base = init(4, 3, rng=np.random.default_rng(2), gain=1.0)
    tripled = init(4, 3, rng=np.random.default_rng(2), gain=3.0)
    np.testing.assert_allclose(tripled, 3.0 * base, **TIGHT,
                               err_msg=f"{name}: gain multiplies the standard deviation")


def test_xavier_uniform_with_default_gain_fills_its_interval():
    # a = sqrt(6 / (30 + 20)) = sqrt(0.12); 600 draws all below 0.95 a has chance 0.95^600
    a = math.sqrt(6.0 / 50.0)
    W = I.xavier_uniform(30, 20, rng=np.random.default_rng(7))
    assert np.max(np.abs(W)) <= a, "entries lie in [-a, a]"
    assert np.max(np.abs(W)) >= 0.95 * a, "the draws reach the ends of [-a, a]"


@pytest.mark.parametrize("name, sigma", [
    # fan_in = fan_out = 50: Glorot sigma^2 = 2 / 100, He sigma^2 = 2 / 50
    pytest.param("xavier_normal", math.sqrt(0.02), id="xavier-normal"),
    pytest.param("xavier_uniform", math.sqrt(0.02), id="xavier-uniform"),
    pytest.param("he_normal", 0.2, id="he-normal"),
    pytest.param("he_uniform", 0.2, id="he-uniform"),
])
def test_initialisers_have_mean_zero_and_the_documented_spread(name, sigma):
    # 2500 draws: the sample mean's standard error is sigma / 50 and the sample sd's is under
    # 1.5 % of sigma, so these 10 % bands are at least five standard errors wide
    W = getattr(I, name)(50, 50, rng=np.random.default_rng(11))
    assert abs(np.mean(W)) < 0.1 * sigma, f"{name}: mean {np.mean(W):.4f}, expected 0"
    assert abs(np.std(W) / sigma - 1) < 0.1, f"{name}: sd {np.std(W):.4f} vs {sigma:.4f}"


# --------------------------------------------------------------------------------- BatchNorm

X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 7.0]])


def _column_stats():
    """Batch mean and unbiased variance of X's columns, from the statistics module."""
    cols = [X[:, j].tolist() for j in range(X.shape[1])]
    return (np.array([statistics.mean(c) for c in cols]),
            np.array([statistics.variance(c) for c in cols]))


def test_batchnorm_momentum_one_replaces_running_stats_with_the_batch():
    # momentum = 1 is inside the documented range [0, 1]: the EMA keeps only the new batch
    mu, unbiased = _column_stats()  # [2, 11/3] and [4, 28/3]
    _, rm, rv = I.batchnorm_train(X, np.ones(2), np.zeros(2), [9.0, -9.0], [5.0, 5.0],
                                  momentum=1.0, eps=1e-5)
    np.testing.assert_allclose(rm, mu, **TIGHT, err_msg="running mean = batch mean")
    np.testing.assert_allclose(rv, unbiased, **TIGHT,
                               err_msg="running var = unbiased batch variance")


def test_batchnorm_momentum_zero_keeps_running_stats():
    _, rm, rv = I.batchnorm_train(X, np.ones(2), np.zeros(2), [9.0, -9.0], [5.0, 0.0],
                                  momentum=0.0, eps=1e-5)
    np.testing.assert_allclose(rm, [9.0, -9.0], **TIGHT, err_msg="running mean unchanged")
    np.testing.assert_allclose(rv, [5.0, 0.0], **TIGHT, err_msg="running var unchanged")


def test_batchnorm_train_of_two_samples_is_allowed():
    # B = 2 is the smallest batch: [[0], [2]] has mu 1, biased var 1, unbiased var 2; with
    # eps = 3 the output is (x - 1) / 2 = [-0.5, 0.5], then gamma 4 and beta 1 give [-1, 3]
    y, rm, rv = I.batchnorm_train([[0.0], [2.0]], [4.0], [1.0], [0.0], [0.0],
                                  momentum=0.5, eps=3.0)
    np.testing.assert_allclose(y, [[-1.0], [3.0]], **TIGHT, err_msg="normalised output")
    np.testing.assert_allclose(rm, [0.5], **TIGHT, err_msg="0.5 * 0 + 0.5 * 1")
    np.testing.assert_allclose(rv, [1.0], **TIGHT, err_msg="0.5 * 0 + 0.5 * 2")


def test_batchnorm_eval_uses_the_running_statistics():
    # (x - rm) / sqrt(rv + eps) = [2 / 2, -2 / 3]; times gamma [2, 3] = [2, -2]; plus beta
    y = I.batchnorm_eval([[3.0, -1.0]], [2.0, 3.0], [1.0, -1.0], [1.0, 1.0], [3.0, 8.0],
                         eps=1.0)
    np.testing.assert_allclose(y, [[3.0, -3.0]], **TIGHT, err_msg="hand-computed output")


def test_batchnorm_eval_accepts_zero_running_variance():
    # running_var >= 0 is the contract: a constant feature has variance exactly 0 and eps
    # alone keeps the division finite; (5 - 1) / sqrt(0 + 4) = 2
    y = I.batchnorm_eval([[5.0]], [1.0], [0.0], [1.0], [0.0], eps=4.0)
    np.testing.assert_allclose(y, [[2.0]], **TIGHT, err_msg="eps under the square root")


# ---------------------------------------------------------------------- LayerNorm, RMSNorm

def test_layernorm_shifts_by_beta_after_scaling_by_gamma():
    # [0, 2]: mu 1, biased var 1, eps 3 -> x-hat = [-1, 1] / 2; gamma [2, 4] -> [-1, 2];
    # beta [10, -1] -> [9, 1]
    y = I.layernorm([0.0, 2.0], [2.0, 4.0], [10.0, -1.0], eps=3.0)
    np.testing.assert_allclose(y, [9.0, 1.0], **TIGHT, err_msg="gamma x-hat + beta")
    batch = I.layernorm([[0.0, 2.0], [2.0, 0.0]], [2.0, 4.0], [10.0, -1.0], eps=3.0)
    np.testing.assert_allclose(batch, [[9.0, 1.0], [11.0, -3.0]], **TIGHT,
                               err_msg="each row normalised alone, then the same affine map")


def test_rmsnorm_divides_by_root_mean_square_without_centring():
    # [2, -4]: mean square 10, eps 6 -> divide by 4 -> [0.5, -1]; gamma [2, 3] -> [1, -3]
    y = I.rmsnorm([2.0, -4.0], [2.0, 3.0], eps=6.0)
    np.testing.assert_allclose(y, [1.0, -3.0], **TIGHT, err_msg="gamma x / rms")


@pytest.mark.parametrize("layer", [
    pytest.param(lambda x: I.layernorm(x, [1.0, 2.0, 3.0], [0.0, 1.0, 0.0], eps=1e-5),
                 id="layernorm"),
    pytest.param(lambda x: I.rmsnorm(x, [1.0, 2.0, 3.0], eps=1e-5), id="rmsnorm"),
    pytest.param(lambda x: I.batchnorm_eval(np.atleast_2d(x), [1.0, 2.0, 3.0], [0.0, 1.0, 0.0],
                                            [1.0, 0.0, 2.0], [1.0, 4.0, 9.0], eps=1e-5),
                 id="batchnorm-eval"),
])
@pytest.mark.parametrize("ints", [
    pytest.param([3, -1, 4], id="sample"),
    pytest.param([[3, -1, 4], [1, 5, 9]], id="batch"),
])
def test_normalisation_of_integer_input_is_float(layer, ints):
    out = layer(np.array(ints, dtype=np.int64))
    assert out.dtype == np.float64, f"float64 output, got {out.dtype}"
    np.testing.assert_allclose(out, layer(np.array(ints, dtype=float)), **TIGHT,
                               err_msg="integer input means the same numbers as floats")


# ---------------------------------------------------------------------------------- clipping

def test_clip_grad_norm_scales_a_tuple_onto_the_threshold():
    # ||(3, 4)|| = 5 > 1: factor 1/5
    out, total = I.clip_grad_norm(([3.0], np.array([[4.0]])), 1.0)
    assert total == 5.0, f"norm before clipping, got {total}"
    np.testing.assert_allclose(out[0], [0.6], **TIGHT, err_msg="3 / 5")
    np.testing.assert_allclose(out[1], [[0.8]], **TIGHT, err_msg="4 / 5, shape kept")


def test_clip_grad_norm_of_zero_gradients_is_zero_and_leaves_them():
    out, total = I.clip_grad_norm([np.zeros(3), np.zeros((2, 2))], 1.0)
    assert total == 0.0, f"||0|| = 0, got {total}"
    assert [o.shape for o in out] == [(3,), (2, 2)] and not any(o.any() for o in out)


@pytest.mark.parametrize("grads, norm, clipped", [
    # a parameter with no entries (a zero-width layer) contributes nothing to the norm
    pytest.param([np.zeros(0)], 0.0, [np.zeros(0)], id="only-empty"),
    pytest.param([np.zeros((2, 0)), np.zeros(0)], 0.0, [np.zeros((2, 0)), np.zeros(0)],
                 id="all-empty"),
    pytest.param([np.zeros(0), np.array([6.0, 8.0])], 10.0,
                 [np.zeros(0), np.array([1.2, 1.6])], id="empty-beside-full"),
])
def test_clip_grad_norm_accepts_parameters_without_entries(grads, norm, clipped):
    out, total = I.clip_grad_norm(grads, 2.0)
    assert total == norm, f"global norm {norm}, got {total}"
    assert len(out) == len(clipped)
    for o, c in zip(out, clipped):
        assert o.shape == c.shape, f"shape {c.shape} kept, got {o.shape}"
        np.testing.assert_allclose(o, c, **TIGHT, err_msg="clipped by 2 / norm when above 2")


def test_clip_grad_norm_reports_nan_even_beside_inf():
    # NaN wins: the norm of (NaN, inf, 1) is NaN, NaN > tau is false, nothing is rescaled
    g = np.array([np.nan, np.inf, 1.0])
    out, total = I.clip_grad_norm([g, [2.0]], 1.0)
    assert math.isnan(total), f"norm NaN, got {total}"
    np.testing.assert_array_equal(out[0], g, err_msg="returned unchanged")
    np.testing.assert_array_equal(out[1], [2.0], err_msg="returned unchanged")


def test_clip_grad_norm_returns_fresh_arrays_when_not_clipping():
    g = np.array([0.1, 0.2])
    out, total = I.clip_grad_norm([g], 1.0)
    np.testing.assert_allclose(total, math.sqrt(0.05), **TIGHT, err_msg="||(0.1, 0.2)||")
    out[0][0] = 99.0
    assert g[0] == 0.1, "the caller's gradient is never modified"


def test_clip_grad_norm_of_integer_gradients_is_float():
    # (2, 3, 6) has norm 7; clipping to 1.4 multiplies by 0.2, which integer storage would
    # truncate to (0, 0, 1)
    out, total = I.clip_grad_norm([np.array([2, 3, 6])], 1.4)
    assert total == 7.0 and out[0].dtype == np.float64
    np.testing.assert_allclose(out[0], [0.4, 0.6, 1.2], **TIGHT, err_msg="scaled by 1.4 / 7")
