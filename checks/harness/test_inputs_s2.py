"""§2 reference implementations reject bad input with a clear ValueError and never hang.

The message is part of the contract (see ``claimledger/raises.py``), so every case
states it in full; together the tables reach every ``raise ValueError`` and every named
validator call in ``activations.py``, ``mlp.py`` and ``uat.py``.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pytest

import implementations as I
from claimledger.raises import raises_exactly, text_refused
from implementations.mlp import MAX_LAYERS

pytestmark = pytest.mark.harness

W2 = [np.ones((3, 2)), np.ones((1, 3))]
B2 = [np.zeros(3), np.zeros(1)]
NON_FINITE = "z contains NaN or infinite entries"
NOT_NUMERIC = "could not convert string to float: 'a'"  # Python's own float() wording


# -- activations -------------------------------------------------------------------------
ONE_ARG = ["sigmoid", "tanh", "relu", "gelu", "gelu_tanh", "silu", "sigmoid_grad", "tanh_grad",
           "relu_grad", "gelu_grad", "gelu_tanh_grad", "silu_grad", "leaky_relu",
           "leaky_relu_grad", "elu", "elu_grad", "prelu", "prelu_grad", "prelu_alpha_grad"]


def _call(name, z):
    # the prelu family has no default slope; 0.25 is PReLU's usual initial value
    return getattr(I, name)(z, 0.25) if name.startswith("prelu") else getattr(I, name)(z)


@pytest.mark.parametrize("name", ONE_ARG)
@pytest.mark.parametrize("z, message", [
    pytest.param([1.0, np.nan], NON_FINITE, id="nan"),
    pytest.param([np.inf], NON_FINITE, id="inf"),
    pytest.param([-np.inf, 0.0], NON_FINITE, id="minus-inf"),
    pytest.param(["a", "b"], text_refused("z"), id="strings"),
])
def test_activations_reject_non_finite_input(name, z, message):
    with raises_exactly(message):
        _call(name, z)


@pytest.mark.parametrize("name", ["leaky_relu", "leaky_relu_grad"])
@pytest.mark.parametrize("alpha, message", [
    pytest.param(0.0, "alpha must be > 0.0, got 0.0", id="zero"),
    pytest.param(np.int64(0), "alpha must be > 0.0, got 0.0", id="numpy-int-zero"),
    pytest.param(1.0, "alpha must be < 1.0, got 1.0", id="one"),
    pytest.param(-0.1, "alpha must be > 0.0, got -0.1", id="negative"),
    pytest.param(1.5, "alpha must be < 1.0, got 1.5", id="above-one"),
    pytest.param(float("nan"), "alpha must be a finite real number, got nan", id="nan"),
    pytest.param(True, "alpha must be a finite real number, got True", id="bool"),
    pytest.param("0.1", "alpha must be a finite real number, got '0.1'", id="string"),
])
def test_leaky_relu_rejects_slopes_outside_open_unit_interval(name, alpha, message):
    with raises_exactly(message):
        getattr(I, name)([1.0, -1.0], alpha)


@pytest.mark.parametrize("name", ["elu", "elu_grad"])
@pytest.mark.parametrize("alpha, message", [
    pytest.param(0.0, "alpha must be > 0.0, got 0.0", id="zero"),
    pytest.param(-1.0, "alpha must be > 0.0, got -1.0", id="negative"),
    pytest.param(float("inf"), "alpha must be a finite real number, got inf", id="inf"),
    pytest.param(None, "alpha must be a finite real number, got None", id="none"),
])
def test_elu_rejects_non_positive_alpha(name, alpha, message):
    with raises_exactly(message):
        getattr(I, name)([1.0, -1.0], alpha)


@pytest.mark.parametrize("name", ["prelu", "prelu_grad", "prelu_alpha_grad"])
@pytest.mark.parametrize("alpha, message", [
    pytest.param([0.1, 0.2, 0.3], "alpha of shape (3,) does not broadcast against z of shape "
                 "(4, 2) (per-channel alpha runs along the last axis)", id="wrong-channels"),
    pytest.param(float("nan"), "alpha contains NaN or infinite entries", id="nan"),
    pytest.param("x", text_refused("alpha"),
                 id="string"),
])
def test_prelu_rejects_bad_alpha(name, alpha, message):
    with raises_exactly(message):
        getattr(I, name)(np.ones((4, 2)), alpha)


def test_relu_grad_convention_at_zero_is_the_articles():
    assert I.relu_grad([0.0])[0] == 1.0, "article §2.4: ReLU'(0) = 1 by convention"
    assert I.elu_grad([0.0], 2.0)[0] == 2.0, "ELU at 0 uses the z <= 0 branch: alpha"


@pytest.mark.parametrize("name, z, explicit, expected", [
    pytest.param("leaky_relu", [-2.0, 0.0, 3.0], 0.01, [-0.02, 0.0, 3.0], id="leaky-relu"),
    pytest.param("leaky_relu_grad", [-2.0, 0.0, 3.0], 0.01, [0.01, 1.0, 1.0],
                 id="leaky-relu-grad"),
    pytest.param("elu", [-1.0, 0.0, 2.0], 1.0, [math.expm1(-1.0), 0.0, 2.0], id="elu"),
    pytest.param("elu_grad", [-1.0, 0.0, 2.0], 1.0, [math.exp(-1.0), 1.0, 1.0], id="elu-grad"),
])
def test_activation_default_slopes_are_the_documented_ones(name, z, explicit, expected):
    # leaky ReLU's slope defaults to 0.01 and ELU's alpha to 1 (so ELU'(0) = 1)
    by_default, spelled_out = getattr(I, name)(z), getattr(I, name)(z, explicit)
    np.testing.assert_allclose(by_default, spelled_out, rtol=0, atol=0,
                               err_msg=f"{name} with the default vs alpha={explicit}")
    np.testing.assert_allclose(by_default, expected, rtol=1e-15, atol=1e-17,
                               err_msg=f"{name} on a hand-computed example")


@pytest.mark.parametrize("alpha, expected", [
    pytest.param(0.25, [[0.25, 1.0, 1.0], [0.25, 0.25, 1.0]], id="scalar-slope"),
    pytest.param([0.5, -2.0, 3.0], [[0.5, 1.0, 1.0], [0.5, -2.0, 1.0]], id="per-channel"),
])
def test_prelu_grad_is_a_float_array_of_ones_and_slopes(alpha, expected):
    # the module promises float64 arrays of z's shape; the slope branch must not turn the
    # result into an object array or drop the shape of z
    z = np.array([[-3.0, 0.0, 2.0], [-1.0, -0.5, 4.0]])
    g = I.prelu_grad(z, alpha)
    assert g.dtype == np.float64 and g.shape == z.shape, f"got {g.dtype} {g.shape}"
    np.testing.assert_allclose(g, expected, rtol=0, atol=0,
                               err_msg="prelu'(z) = 1 for z >= 0 and alpha for z < 0")


# -- the MLP -----------------------------------------------------------------------------
ZOO_NAMES = "['identity', 'elu', 'gelu', 'gelu_tanh', 'leaky_relu', 'relu', 'sigmoid', " \
            "'silu', 'tanh']"


@pytest.mark.parametrize("weights, biases, x, act, message", [
    pytest.param(np.ones((2, 2)), [np.zeros(2)], [1.0, 1.0], "relu",
                 "weights must be a list of 2-D arrays, one per layer", id="w-array"),
    pytest.param((np.ones((2, 2)) for _ in range(1)), [np.zeros(2)], [1.0, 1.0], "relu",
                 "weights must be a list of 2-D arrays, one per layer", id="w-generator"),
    pytest.param(None, [np.zeros(2)], [1.0, 1.0], "relu",
                 "weights must be a list of 2-D arrays, one per layer", id="w-none"),
    pytest.param([np.ones((2, 2))], np.zeros((1, 2)), [1.0, 1.0], "relu",
                 "biases must be a list of 1-D arrays, one per layer", id="b-array"),
    pytest.param([np.ones((2, 2))], None, [1.0, 1.0], "relu",
                 "biases must be a list of 1-D arrays, one per layer", id="b-none"),
    pytest.param([], [], [1.0], "relu", f"weights must hold 1 to {MAX_LAYERS} layers, got 0",
                 id="no-layers"),
    pytest.param([np.ones((1, 1))] * (MAX_LAYERS + 1), [np.zeros(1)] * (MAX_LAYERS + 1), [1.0],
                 "relu", f"weights must hold 1 to {MAX_LAYERS} layers, got {MAX_LAYERS + 1}",
                 id="too-deep"),
    pytest.param(W2, B2[:1], [1.0, 1.0], "relu", "2 weight matrices but 1 bias vectors: weights and biases need one entry per layer",
                 id="bias-count"),
    pytest.param(W2, [np.zeros(2), np.zeros(1)], [1.0, 1.0], "relu",
                 "layer 1: biases must have shape (3,), got (2,)", id="bias-shape"),
    pytest.param([np.ones(3), np.ones((1, 3))], B2, [1.0], "relu",
                 "layer 1: weights must be a non-empty 2-D array, got shape (3,)", id="w-1d"),
    pytest.param([np.ones((0, 2))], [np.zeros(0)], [1.0, 1.0], "relu",
                 "layer 1: weights must be a non-empty 2-D array, got shape (0, 2)",
                 id="w-empty"),
    pytest.param([[["a"]]], [np.zeros(1)], [1.0], "relu",
                 text_refused("layer 1: weights"), id="w-text"),
    pytest.param([np.ones((1, 1))], [["a"]], [1.0], "relu",
                 text_refused("layer 1: biases"), id="b-text"),
    pytest.param([np.ones((3, 2)), np.ones((1, 4))], [np.zeros(3), np.zeros(1)], [1.0, 1.0],
                 "relu", "layer 2: weights have 4 columns but layer 1 outputs 3 values",
                 id="chain"),
    pytest.param(W2, B2, [1.0, 1.0, 1.0], "relu", "x must have shape (2,) or (N, 2), got (3,)",
                 id="x-shape"),
    pytest.param(W2, B2, [[[1.0, 1.0]]], "relu",
                 "x must have shape (2,) or (N, 2), got (1, 1, 2)", id="x-3d"),
    pytest.param(W2, B2, [np.nan, 1.0], "relu", "x contains NaN or infinite entries",
                 id="x-nan"),
    pytest.param(W2, B2, ["a", "b"], "relu", text_refused("x"),
                 id="x-text"),
    pytest.param([np.full((3, 2), np.inf), np.ones((1, 3))], B2, [1.0, 1.0], "relu",
                 "layer 1: weights contain NaN or infinite entries", id="w-inf"),
    pytest.param(W2, [np.zeros(3), np.array([np.nan])], [1.0, 1.0], "relu",
                 "layer 2: biases contain NaN or infinite entries", id="b-nan"),
    pytest.param(W2, B2, [1.0, 1.0], "softplus",
                 f"activation must be a callable or one of {ZOO_NAMES}, got 'softplus'",
                 id="unknown-activation"),
    pytest.param(W2, B2, [1.0, 1.0], 3,
                 f"activation must be a callable or one of {ZOO_NAMES}, got 3",
                 id="activation-not-callable"),
])
def test_mlp_forward_rejects_bad_input(weights, biases, x, act, message):
    with raises_exactly(message):
        I.mlp_forward(weights, biases, x, act)


def test_linear_collapse_validates_like_the_forward_pass():
    with raises_exactly("layer 2: weights have 4 columns but layer 1 outputs 3 values"):
        I.linear_collapse([np.ones((3, 2)), np.ones((1, 4))], [np.zeros(3), np.zeros(1)])


@pytest.mark.parametrize("z", [pytest.param([1, -2, 3], id="int-list"),
                               pytest.param(np.array([1, -2, 3], dtype=np.int8), id="int8"),
                               pytest.param([1.0, -2.0, 3.0], id="floats")])
def test_identity_activation_returns_float64_like_the_zoo(z):
    # the zoo maps everything to float64; the linear activation of §2.2 follows suit
    out = I.mlp.identity(z)
    assert out.dtype == np.float64, f"got dtype {out.dtype}"
    np.testing.assert_allclose(out, [1.0, -2.0, 3.0], rtol=0, atol=0, err_msg="sigma(z) = z")


def test_mlp_forward_with_a_step_activation_returns_float_zeros_and_ones():
    # a Heaviside step written as a bare comparison returns booleans, which the contract
    # refuses (numpy would read them as 0/1 silently); written as floats it is a valid
    # activation and the layer outputs are the float64 activations a_l of the recursion
    W = [np.array([[1.0, -1.0], [2.0, 1.0]]), np.array([[1.0, 1.0]])]
    b = [np.zeros(2), np.array([-1.5])]
    with raises_exactly("the activation's output is boolean; real numbers are required "
                        "(numpy would read True and False as 1 and 0)"):
        I.mlp_forward(W, b, [[1.0, 0.5], [-1.0, 0.2]], lambda z: z > 0)
    y = I.mlp_forward(W, b, [[1.0, 0.5], [-1.0, 0.2]], lambda z: np.where(z > 0, 1.0, 0.0))
    assert y.dtype == np.float64, f"got dtype {y.dtype}"
    # (1, 0.5) -> (0.5, 2.5) -> (1, 1) -> 0.5 -> 1;  (-1, 0.2) -> (-1.2, -1.8) -> 0 -> -1.5 -> 0
    np.testing.assert_allclose(y, [[1.0], [0.0]], rtol=0, atol=0, err_msg="step network")


def test_mlp_forward_accepts_vector_and_batch():
    assert I.mlp_forward(W2, B2, [1.0, 2.0], "identity").shape == (1,)
    assert I.mlp_forward(W2, B2, np.ones((5, 2)), "tanh").shape == (5, 1)


@pytest.mark.parametrize("depth", [pytest.param(1, id="one-layer"),
                                   pytest.param(MAX_LAYERS, id="at-the-cap")])
def test_mlp_forward_accepts_every_depth_up_to_the_cap(depth):
    # identity layers x -> x + 1/depth: the output after `depth` layers is exactly x + 1
    y = I.mlp_forward([np.eye(1)] * depth, [np.full(1, 1.0 / depth)] * depth, [0.5],
                      "identity")
    np.testing.assert_allclose(y, [1.5], rtol=1e-12, atol=1e-12,
                               err_msg=f"{depth} layers of x + 1/{depth}")


# -- the universal approximation construction ---------------------------------------------
EXACTLY_ONE = "give exactly one of lipschitz (a number) or modulus (a callable)"


@pytest.mark.parametrize("args, kwargs, message", [
    pytest.param((1.0, 0.0, 0.1), dict(lipschitz=1.0), "need a < b with b - a a finite float >= 1e-300 on [a, b], got a=1.0, b=0.0",
                 id="reversed"),
    pytest.param((0.0, np.inf, 0.1), dict(lipschitz=1.0), "b must be a finite number, got inf",
                 id="infinite"),
    pytest.param(("x", 1.0, 0.1), dict(lipschitz=1.0), "a must be a finite number, got 'x'",
                 id="text-end"),
    pytest.param((0.0, 1.0, 0.0), dict(lipschitz=1.0), "eps must be a finite number > 0, got 0.0",
                 id="eps-zero"),
    pytest.param((0.0, 1.0, -1.0), dict(lipschitz=1.0),
                 "eps must be a finite number > 0, got -1.0", id="eps-negative"),
    pytest.param((0.0, 1.0, 0.1), {}, EXACTLY_ONE, id="no-modulus"),
    pytest.param((0.0, 1.0, 0.1), dict(lipschitz=1.0, modulus=np.sqrt), EXACTLY_ONE, id="both"),
    pytest.param((0.0, 1.0, 0.1), dict(lipschitz=-1.0),
                 "lipschitz must be a finite number >= 0, got -1.0", id="negative-L"),
    pytest.param((0.0, 1.0, 0.1), dict(lipschitz=float("nan")),
                 "lipschitz must be a finite number >= 0, got nan", id="nan-L"),
    pytest.param((0.0, 1.0, 0.1), dict(lipschitz=True),
                 "lipschitz must be a finite number >= 0, got True", id="bool-L"),
    pytest.param((0.0, 1.0, 1e-9), dict(lipschitz=10.0),
                 "eps=1e-09 with lipschitz=10.0 on [a, b] of length 1 needs 1.05e+10 neurons "
                 "(cap 2000000: it bounds memory and time)", id="too-wide"),
    pytest.param((0.0, 1.0, 0.1), dict(modulus=3.0), "modulus must be a callable t -> omega(t)",
                 id="modulus-number"),
    pytest.param((0.0, 1.0, 0.1), dict(modulus=lambda t: -1.0),
                 "modulus returned -1.0 for a cell of [a, b]; it must be finite and >= 0", id="modulus-neg"),
    pytest.param((0.0, 1.0, 0.1), dict(modulus=lambda t: float("nan")),
                 "modulus returned nan for a cell of [a, b]; it must be finite and >= 0", id="modulus-nan"),
])
def test_uat_plan_rejects_bad_input(args, kwargs, message):
    with raises_exactly(message):
        I.uat_plan_1d(*args, **kwargs)


def test_uat_plan_with_modulus_not_tending_to_zero_stops():
    t0 = time.perf_counter()
    with raises_exactly("modulus stays above eps/2 = 0.05 on [a, b] up to 2000000 cells"):
        I.uat_plan_1d(0.0, 1.0, 0.1, modulus=lambda t: 1.0)
    assert time.perf_counter() - t0 < 5.0, "the width search must be capped"


@pytest.mark.parametrize("f, message", [
    pytest.param(3.0, "f must be a callable on numpy arrays", id="not-callable"),
    pytest.param(lambda t: np.ones(3),
                 "f must map an array of shape (11,) to the same shape, got (3,)",
                 id="wrong-shape"),
    pytest.param(lambda t: t * np.nan, "f returned NaN or infinite values on [a, b]",
                 id="nan-values"),
])
def test_uat_network_rejects_bad_target(f, message):
    # lipschitz 1, eps 0.1 on [0, 1]: ceil(1.05 / 0.1) = 11 cells, hence shape (11,)
    with raises_exactly(message):
        I.uat_network_1d(f, 0.0, 1.0, 0.1, lipschitz=1.0)


@pytest.mark.parametrize("z, c, delta, steepness, message", [
    pytest.param([0.0], 0.0, 0.0, 1.0, "delta must be a finite number > 0, got 0.0",
                 id="delta-zero"),
    pytest.param([0.0], 0.0, -1.0, 1.0, "delta must be a finite number > 0, got -1.0",
                 id="delta-negative"),
    pytest.param([0.0], 0.0, 1.0, 0.0, "steepness must be a finite number > 0, got 0.0",
                 id="steepness-zero"),
    pytest.param([0.0], 0.0, 1.0, float("inf"), "steepness must be a finite number > 0, got inf",
                 id="steepness-inf"),
    pytest.param([0.0], float("nan"), 1.0, 1.0, "c must be a finite number, got nan",
                 id="c-nan"),
    pytest.param([0.0], float("-inf"), 1.0, 1.0, "c must be a finite number, got -inf",
                 id="c-inf"),
    pytest.param([0.0, np.nan], 0.0, 1.0, 1.0, NON_FINITE, id="z-nan"),
    pytest.param([np.inf], 0.0, 1.0, 1.0, NON_FINITE, id="z-inf"),
])
def test_sigmoid_bump_rejects_bad_parameters(z, c, delta, steepness, message):
    with raises_exactly(message):
        I.sigmoid_bump(z, c, delta, steepness)


def _ridge(d):
    return (np.array(d, float), np.sin, 1.0)


NOT_RIDGES = "ridges must be a non-empty sequence of (direction, profile, L)"
BAD_BOX = "the box needs finite lo < hi in every coordinate"
BAD_DIRECTION = "ridges[1]: direction must be a finite non-zero vector of length 2"


@pytest.mark.parametrize("ridges, lo, hi, eps, message", [
    pytest.param([], [0, 0], [1, 1], 0.1, NOT_RIDGES, id="no-ridges"),
    pytest.param(np.array([_ridge([1, 0])], dtype=object), [0, 0], [1, 1], 0.1, NOT_RIDGES,
                 id="ndarray-of-ridges"),
    pytest.param((r for r in [_ridge([1, 0])]), [0, 0], [1, 1], 0.1, NOT_RIDGES,
                 id="generator-of-ridges"),
    pytest.param({"first": _ridge([1, 0])}, [0, 0], [1, 1], 0.1, NOT_RIDGES,
                 id="mapping-of-ridges"),
    # the good first ridge pins the index in the message: ridges count from 0
    pytest.param([_ridge([1, 0]), _ridge([0, 0])], [0, 0], [1, 1], 0.1, BAD_DIRECTION,
                 id="zero-direction"),
    pytest.param([_ridge([1, 0]), _ridge([1, 0, 0])], [0, 0], [1, 1], 0.1, BAD_DIRECTION,
                 id="direction-length"),
    pytest.param([_ridge([1, 0]), _ridge([1, np.nan])], [0, 0], [1, 1], 0.1, BAD_DIRECTION,
                 id="direction-nan"),
    pytest.param([_ridge([1, 0]), (np.ones(2), np.sin)], [0, 0], [1, 1], 0.1,
                 "ridges[1] must be a triple (direction, profile, L)", id="not-a-triple"),
    pytest.param([5], [0, 0], [1, 1], 0.1, "ridges[0] must be a triple (direction, profile, L)",
                 id="not-iterable"),
    pytest.param([_ridge([1, 0])], [0, 1], [1, 1], 0.1, BAD_BOX, id="flat-box"),
    pytest.param([_ridge([1, 0])], [0, np.nan], [1, 1], 0.1, BAD_BOX, id="nan-box"),
    pytest.param([_ridge([1, 0])], [0, 0], [1, np.inf], 0.1, BAD_BOX, id="unbounded-box"),
    pytest.param([_ridge([1, 0])], [0, 0], [1], 0.1,
                 "lo and hi must be 1-D of equal length, got (2,), (1,)", id="box-shapes"),
    pytest.param([_ridge([1, 0])], [[0, 0]], [[1, 1]], 0.1,
                 "lo and hi must be 1-D of equal length, got (1, 2), (1, 2)", id="box-2d"),
    pytest.param([_ridge([1, 0])], [], [], 0.1,
                 "lo and hi must be 1-D of equal length, got (0,), (0,)", id="box-empty"),
    pytest.param([_ridge([1, 0])], [0, 0], [1, 1], 0.0,
                 "eps must be a finite number > 0, got 0.0", id="eps-zero"),
    pytest.param([_ridge([1, 0])], [0, 0], [1, 1], -0.5,
                 "eps must be a finite number > 0, got -0.5", id="eps-negative"),
])
def test_uat_ridges_rejects_bad_input(ridges, lo, hi, eps, message):
    with raises_exactly(message):
        I.uat_network_ridges(ridges, lo, hi, eps)


@pytest.mark.parametrize("x, message", [
    pytest.param(np.ones((3, 2)), "x must have shape (N, 1), got (3, 2)", id="two-columns"),
    pytest.param(np.ones((3, 1, 1)), "x must have shape (N, 1), got (3, 1, 1)", id="3d"),
    pytest.param(np.array([np.nan]), "x contains NaN or infinite entries", id="nan"),
    pytest.param(np.array([[0.5], [-np.inf]]), "x contains NaN or infinite entries", id="inf"),
])
def test_sigmoid_network_rejects_bad_points(x, message):
    net = I.uat_network_1d(np.sin, 0.0, 1.0, 0.1, lipschitz=1.0)
    with raises_exactly(message):
        net(x)


def test_sigmoid_network_takes_a_flat_vector_only_for_one_input():
    # a flat vector means "N points" only when n = 1; for n = 2 it is not silently reshaped
    net = I.uat_network_ridges([_ridge([1, 0])], [0, 0], [1, 1], 0.1)
    with raises_exactly("x must have shape (N, 2), got (2,)"):
        net(np.array([0.5, 0.5]))
