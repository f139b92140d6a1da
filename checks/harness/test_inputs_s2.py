"""§2 reference implementations reject bad input with a clear ValueError and never hang."""
from __future__ import annotations

import time

import numpy as np
import pytest

import implementations as I

pytestmark = pytest.mark.harness

W2 = [np.ones((3, 2)), np.ones((1, 3))]
B2 = [np.zeros(3), np.zeros(1)]


# -- activations -------------------------------------------------------------------------
ONE_ARG = ["sigmoid", "tanh", "relu", "gelu", "gelu_tanh", "silu", "sigmoid_grad", "tanh_grad",
           "relu_grad", "gelu_grad", "gelu_tanh_grad", "silu_grad", "leaky_relu",
           "leaky_relu_grad", "elu", "elu_grad"]


@pytest.mark.parametrize("name", ONE_ARG)
@pytest.mark.parametrize("z, match", [
    pytest.param([1.0, np.nan], "NaN", id="nan"),
    pytest.param([np.inf], "NaN or infinite", id="inf"),
    pytest.param(["a", "b"], "numeric", id="strings"),
])
def test_activations_reject_non_finite_input(name, z, match):
    with pytest.raises(ValueError, match=match):
        getattr(I, name)(z)


@pytest.mark.parametrize("name", ["leaky_relu", "leaky_relu_grad"])
@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1, 1.5, float("nan"), True, "0.1"])
def test_leaky_relu_rejects_slopes_outside_open_unit_interval(name, alpha):
    with pytest.raises(ValueError, match="alpha"):
        getattr(I, name)([1.0, -1.0], alpha)


@pytest.mark.parametrize("name", ["elu", "elu_grad"])
@pytest.mark.parametrize("alpha", [0.0, -1.0, float("inf"), None])
def test_elu_rejects_non_positive_alpha(name, alpha):
    with pytest.raises(ValueError, match="alpha"):
        getattr(I, name)([1.0, -1.0], alpha)


@pytest.mark.parametrize("name", ["prelu", "prelu_grad", "prelu_alpha_grad"])
@pytest.mark.parametrize("alpha, match", [
    pytest.param([0.1, 0.2, 0.3], "broadcast", id="wrong-channels"),
    pytest.param(float("nan"), "NaN", id="nan"),
    pytest.param("x", "numeric", id="string"),
])
def test_prelu_rejects_bad_alpha(name, alpha, match):
    with pytest.raises(ValueError, match=match):
        getattr(I, name)(np.ones((4, 2)), alpha)


def test_relu_grad_convention_at_zero_is_the_articles():
    assert I.relu_grad([0.0])[0] == 1.0, "article §2.4: ReLU'(0) = 1 by convention"
    assert I.elu_grad([0.0], 2.0)[0] == 2.0, "ELU at 0 uses the z <= 0 branch: alpha"


# -- the MLP -----------------------------------------------------------------------------
@pytest.mark.parametrize("weights, biases, x, act, match", [
    pytest.param(np.ones((2, 2)), [np.zeros(2)], [1.0, 1.0], "relu", "list", id="w-array"),
    pytest.param([], [], [1.0], "relu", "1 to", id="no-layers"),
    pytest.param(W2, B2[:1], [1.0, 1.0], "relu", "bias vectors", id="bias-count"),
    pytest.param(W2, [np.zeros(2), np.zeros(1)], [1.0, 1.0], "relu", r"shape \(3,\)",
                 id="bias-shape"),
    pytest.param([np.ones(3), np.ones((1, 3))], B2, [1.0], "relu", "2-D", id="w-1d"),
    pytest.param([np.ones((3, 2)), np.ones((1, 4))], [np.zeros(3), np.zeros(1)], [1.0, 1.0],
                 "relu", "columns", id="chain"),
    pytest.param(W2, B2, [1.0, 1.0, 1.0], "relu", "x must have shape", id="x-shape"),
    pytest.param(W2, B2, [[[1.0, 1.0]]], "relu", "x must have shape", id="x-3d"),
    pytest.param(W2, B2, [np.nan, 1.0], "relu", "NaN", id="x-nan"),
    pytest.param([np.full((3, 2), np.inf), np.ones((1, 3))], B2, [1.0, 1.0], "relu", "NaN",
                 id="w-inf"),
    pytest.param(W2, B2, [1.0, 1.0], "softplus", "activation", id="unknown-activation"),
    pytest.param(W2, B2, [1.0, 1.0], 3, "activation", id="activation-not-callable"),
])
def test_mlp_forward_rejects_bad_input(weights, biases, x, act, match):
    with pytest.raises(ValueError, match=match):
        I.mlp_forward(weights, biases, x, act)


def test_linear_collapse_validates_like_the_forward_pass():
    with pytest.raises(ValueError, match="columns"):
        I.linear_collapse([np.ones((3, 2)), np.ones((1, 4))], [np.zeros(3), np.zeros(1)])


def test_mlp_forward_accepts_vector_and_batch():
    assert I.mlp_forward(W2, B2, [1.0, 2.0], "identity").shape == (1,)
    assert I.mlp_forward(W2, B2, np.ones((5, 2)), "tanh").shape == (5, 1)


# -- the universal approximation construction ---------------------------------------------
@pytest.mark.parametrize("args, kwargs, match", [
    pytest.param((1.0, 0.0, 0.1), dict(lipschitz=1.0), "a < b", id="reversed"),
    pytest.param((0.0, np.inf, 0.1), dict(lipschitz=1.0), "a < b", id="infinite"),
    pytest.param((0.0, 1.0, 0.0), dict(lipschitz=1.0), "eps", id="eps-zero"),
    pytest.param((0.0, 1.0, -1.0), dict(lipschitz=1.0), "eps", id="eps-negative"),
    pytest.param((0.0, 1.0, 0.1), {}, "exactly one", id="no-modulus"),
    pytest.param((0.0, 1.0, 0.1), dict(lipschitz=1.0, modulus=np.sqrt), "exactly one",
                 id="both"),
    pytest.param((0.0, 1.0, 0.1), dict(lipschitz=-1.0), "lipschitz", id="negative-L"),
    pytest.param((0.0, 1.0, 0.1), dict(lipschitz=float("nan")), "lipschitz", id="nan-L"),
    pytest.param((0.0, 1.0, 1e-9), dict(lipschitz=10.0), "cap", id="too-wide"),
    pytest.param((0.0, 1.0, 0.1), dict(modulus=3.0), "callable", id="modulus-number"),
    pytest.param((0.0, 1.0, 0.1), dict(modulus=lambda t: -1.0), "modulus", id="modulus-neg"),
])
def test_uat_plan_rejects_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        I.uat_plan_1d(*args, **kwargs)


def test_uat_plan_with_modulus_not_tending_to_zero_stops():
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="modulus stays above"):
        I.uat_plan_1d(0.0, 1.0, 0.1, modulus=lambda t: 1.0)
    assert time.perf_counter() - t0 < 5.0, "the width search must be capped"


@pytest.mark.parametrize("f, match", [
    pytest.param(3.0, "callable", id="not-callable"),
    pytest.param(lambda t: np.ones(3), "same shape", id="wrong-shape"),
    pytest.param(lambda t: t * np.nan, "NaN", id="nan-values"),
])
def test_uat_network_rejects_bad_target(f, match):
    with pytest.raises(ValueError, match=match):
        I.uat_network_1d(f, 0.0, 1.0, 0.1, lipschitz=1.0)


@pytest.mark.parametrize("c, delta, steepness, match", [
    (0.0, 0.0, 1.0, "delta"), (0.0, -1.0, 1.0, "delta"), (0.0, 1.0, 0.0, "steepness"),
    (float("nan"), 1.0, 1.0, "c must be"),
])
def test_sigmoid_bump_rejects_bad_parameters(c, delta, steepness, match):
    with pytest.raises(ValueError, match=match):
        I.sigmoid_bump([0.0], c, delta, steepness)


def _ridge(d):
    return (np.array(d, float), np.sin, 1.0)


@pytest.mark.parametrize("ridges, lo, hi, match", [
    pytest.param([], [0, 0], [1, 1], "non-empty", id="no-ridges"),
    pytest.param([_ridge([0, 0])], [0, 0], [1, 1], "non-zero", id="zero-direction"),
    pytest.param([_ridge([1, 0, 0])], [0, 0], [1, 1], "length 2", id="direction-length"),
    pytest.param([_ridge([1, 0])], [0, 1], [1, 1], "lo < hi", id="flat-box"),
    pytest.param([(np.ones(2), np.sin)], [0, 0], [1, 1], "triple", id="not-a-triple"),
    pytest.param([_ridge([1, 0])], [0, 0], [1], "equal length", id="box-shapes"),
])
def test_uat_ridges_rejects_bad_input(ridges, lo, hi, match):
    with pytest.raises(ValueError, match=match):
        I.uat_network_ridges(ridges, lo, hi, 0.1)


def test_sigmoid_network_rejects_wrong_input_shape():
    net = I.uat_network_1d(np.sin, 0.0, 1.0, 0.1, lipschitz=1.0)
    with pytest.raises(ValueError, match="shape"):
        net(np.ones((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        net(np.array([np.nan]))
