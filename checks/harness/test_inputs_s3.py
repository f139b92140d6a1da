"""§3 reference implementations reject bad input with a clear ValueError and never hang.

Documents the input contract of ``implementations/losses.py``, ``gradient_descent.py``
and ``autodiff.py``.
"""
from __future__ import annotations

import numpy as np
import pytest

import implementations as I
from implementations.gradient_descent import MAX_STEPS

pytestmark = pytest.mark.harness

P2 = np.array([0.5, 0.5])


# -- losses -------------------------------------------------------------------------------
@pytest.mark.parametrize("fn, args, match", [
    pytest.param(I.mse_loss, ([1.0, 2.0], [1.0]), "same shape", id="mse-shapes"),
    pytest.param(I.mse_loss, ([np.nan], [1.0]), "NaN", id="mse-nan"),
    pytest.param(I.mae_loss, ([], []), "empty", id="mae-empty"),
    pytest.param(I.mae_loss, ([np.inf], [1.0]), "NaN or infinite", id="mae-inf"),
    pytest.param(I.binary_cross_entropy, ([1.2], [1.0]), "prob must lie in", id="bce-prob-range"),
    pytest.param(I.binary_cross_entropy, ([0.5], [2.0]), "target must lie in", id="bce-target"),
    pytest.param(I.binary_cross_entropy_with_logits, ([0.5], [-1.0]), "target", id="bcel-target"),
    pytest.param(I.categorical_cross_entropy, ([0.5, 0.5], [1.0, 0.0]), "2-D", id="cce-1d"),
    pytest.param(I.categorical_cross_entropy, ([[0.6, 0.6]], [[1.0, 0.0]]), "sum to 1",
                 id="cce-not-distribution"),
    pytest.param(I.categorical_cross_entropy, ([[0.5, 0.5]], [[1.0, 0.0, 0.0]]), "same shape",
                 id="cce-shapes"),
    pytest.param(I.cross_entropy_with_logits, ([[1.0, 2.0]], [[2.0, -1.0]]), "negative",
                 id="ce-logits-bad-target"),
    pytest.param(I.hinge_loss, ([0.5], [0.0]), "-1, \\+1", id="hinge-label-zero"),
    pytest.param(I.kl_divergence, ([1.5, -0.5], P2), "negative", id="kl-negative"),
    pytest.param(I.kl_divergence, (P2, [0.3, 0.3]), "sum to 1", id="kl-not-distribution"),
    pytest.param(I.kl_divergence, (P2, [1.0, 0.0, 0.0]), "same shape", id="kl-shapes"),
    pytest.param(I.entropy, (0.5,), "at least 1 dimension", id="entropy-scalar"),
    pytest.param(I.softmax, ([-1e308, 1e308],), "spread", id="softmax-spread-overflows"),
    pytest.param(I.log_softmax, ([[np.nan, 0.0]],), "NaN", id="log-softmax-nan"),
    pytest.param(I.log_sigmoid, ("abc",), "numeric", id="log-sigmoid-text"),
])
def test_losses_reject_bad_input(fn, args, match):
    with pytest.raises(ValueError, match=match):
        fn(*args)


@pytest.mark.parametrize("base", [1, 0.5, -2, 0, float("nan"), float("inf"), True, "2"])
def test_information_quantities_need_a_base_above_one(base):
    for fn, args in ((I.entropy, (P2,)), (I.cross_entropy, (P2, P2)), (I.kl_divergence, (P2, P2))):
        with pytest.raises(ValueError, match="base must be"):
            fn(*args, base=base)


def test_losses_keep_documented_edge_values():
    assert I.binary_cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0  # 0 log 0 = 0
    assert I.binary_cross_entropy([0.0], [1.0]) == np.inf         # the exact value
    assert I.kl_divergence(P2, [1.0, 0.0]) == np.inf
    assert I.entropy([[1.0, 0.0], [0.5, 0.5]], base=2).tolist() == [0.0, 1.0]  # no reduction


# -- gradient descent ---------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    pytest.param(dict(eta=0.0), "eta", id="eta-zero"),
    pytest.param(dict(eta=-0.1), "eta", id="eta-negative"),
    pytest.param(dict(eta=float("nan")), "eta", id="eta-nan"),
    pytest.param(dict(steps=0), "steps", id="no-steps"),
    pytest.param(dict(steps=2.5), "steps", id="steps-float"),
    pytest.param(dict(steps=MAX_STEPS + 1), "steps must be <=", id="steps-over-cap"),
    pytest.param(dict(x0=[[1.0]]), "1-D", id="x0-2d"),
    pytest.param(dict(x0=[np.nan]), "NaN", id="x0-nan"),
    pytest.param(dict(grad=3.0), "callable", id="grad-not-callable"),
    pytest.param(dict(grad=lambda x: np.zeros(2)), "grad returned shape", id="grad-shape"),
])
def test_gradient_descent_rejects_bad_input(kwargs, match):
    args = dict(grad=lambda x: x, x0=[1.0], eta=0.1, steps=5) | kwargs
    with pytest.raises(ValueError, match=match):
        I.gradient_descent(args.pop("grad"), args.pop("x0"), **args)


def test_gradient_descent_stops_at_divergence():
    it = I.gradient_descent(lambda x: 1e200 * x, [1.0], eta=1e200, steps=1000)
    assert it.shape[0] < 1000 and np.all(np.isfinite(it))


# -- autodiff ------------------------------------------------------------------------------
def test_tensor_rejects_bad_input():
    with pytest.raises(ValueError, match="NaN"):
        I.Tensor([np.nan])
    with pytest.raises(ValueError, match="numeric"):
        I.Tensor("abc")
    t = I.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="grad must be given"):
        (t * 2).backward()
    with pytest.raises(ValueError, match="grad shape"):
        (t * 2).backward(np.ones(3))
    with pytest.raises(ValueError, match="does not depend"):
        I.Tensor([1.0]).sum().backward()
    with pytest.raises(ValueError, match="do not align"):
        I.Tensor(np.ones((2, 3))) @ I.Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match="non-positive"):
        I.Tensor([0.0]).log()
    with pytest.raises(ValueError, match="scalar exponent"):
        t ** t


W1, B1 = [np.ones((2, 2)), np.ones((1, 2))], [np.zeros(2), np.zeros(1)]
X1, Y1 = np.zeros((3, 2)), np.zeros((3, 1))


@pytest.mark.parametrize("args, match", [
    pytest.param((W1, B1, X1, Y1, "softplus", "mse"), "activation", id="unknown-activation"),
    pytest.param((W1, B1, X1, Y1, ("tanh",), "mse"), "pair", id="activation-tuple-size"),
    pytest.param((W1, B1, X1, Y1, "tanh", "l3"), "loss", id="unknown-loss"),
    pytest.param(([], [], X1, Y1, "tanh", "mse"), "at least one layer", id="no-layers"),
    pytest.param((W1, B1[:1], X1, Y1, "tanh", "mse"), "one bias per weight", id="bias-count"),
    pytest.param(([np.ones((2, 2)), np.ones((1, 3))], B1, X1, Y1, "tanh", "mse"), "takes 3 inputs",
                 id="layer-shapes"),
    pytest.param((W1, [np.zeros(3), np.zeros(1)], X1, Y1, "tanh", "mse"), "biases\\[0\\]",
                 id="bias-shape"),
    pytest.param((W1, B1, np.zeros((3, 4)), Y1, "tanh", "mse"), "x must have shape", id="x-shape"),
    pytest.param((W1, B1, X1, np.zeros((2, 1)), "tanh", "mse"), "y must have shape", id="y-shape"),
    pytest.param((W1, B1, X1, Y1 + 2, "sigmoid", "bce"), "targets y in \\[0, 1\\]", id="bce-y"),
    pytest.param((W1, B1, X1, Y1, "tanh", "hinge"), "-1, \\+1", id="hinge-y"),
    pytest.param((W1, B1, X1, Y1 + 0.5, "identity", "cross_entropy_with_logits"),
                 "distributions", id="ce-y"),
    pytest.param((W1, B1, X1, Y1, "identity", "bce"), "strictly inside", id="bce-output-range"),
    pytest.param((W1, B1, X1 + np.nan, Y1, "tanh", "mse"), "NaN", id="x-nan"),
])
def test_mlp_gradients_rejects_bad_input(args, match):
    for fn in (I.mlp_gradients, I.mlp_flop_counts):
        with pytest.raises(ValueError, match=match):
            fn(*args)


def test_leaf_gradients_accumulate_and_intermediates_do_not():
    w = I.Tensor([2.0], requires_grad=True)
    y = (w * w).sum()
    y.backward()
    y.backward()
    assert w.grad.tolist() == [8.0], "leaves accumulate across backward() calls (like PyTorch)"
