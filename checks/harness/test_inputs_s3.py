"""§3 reference implementations reject bad input with a clear ValueError and never hang.

Documents the input contract of ``implementations/losses.py``, ``gradient_descent.py``
and ``autodiff.py``. The messages are part of that contract, so the loss and
gradient-descent tables state each one in full; between them they reach every
validation call site (and so every argument name a message embeds).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import implementations as I
from claimledger.raises import numpy_reason, raises_exactly, text_refused

pytestmark = pytest.mark.harness

P2 = np.array([0.5, 0.5])
NAN, INF = float("nan"), float("inf")
ROW = [[0.5, 0.5]]           # a valid 1 x 2 batch of distributions
ONEHOT = [[1.0, 0.0]]


def _shape_msg(na, nb, sa, sb):
    return f"{na} and {nb} must have the same shape, got {sa} and {sb}"


def _nonfinite(name):
    return f"{name} contains NaN or infinite entries"


def _negative(name):
    return f"{name} has negative entries (not a probability distribution)"


def _not_2d(name, shape):
    return f"{name} must be 2-D (samples x classes), got shape {shape}"


SUM_TO_ONE = "must sum to 1 along the last axis (within 1e-09)"
SPREAD = "z: the spread max(z) - min(z) overflows float64"


# -- losses -------------------------------------------------------------------------------
@pytest.mark.parametrize("fn, args, message", [
    # softmax family: finite, at least 1-D, and a representable spread
    pytest.param(I.log_softmax, ([[NAN, 0.0]],), _nonfinite("z"), id="log-softmax-nan"),
    pytest.param(I.log_softmax, (0.5,), "z must have at least 1 dimension(s), got shape ()",
                 id="log-softmax-scalar"),
    pytest.param(I.log_softmax, ([-1e308, 1e308],), SPREAD, id="log-softmax-spread-overflows"),
    pytest.param(I.softmax, ([NAN],), _nonfinite("z"), id="softmax-nan"),
    pytest.param(I.softmax, (0.5,), "z must have at least 1 dimension(s), got shape ()",
                 id="softmax-scalar"),
    pytest.param(I.softmax, ([-1e308, 1e308],), SPREAD, id="softmax-spread-overflows"),
    pytest.param(I.softmax, ([],), "z is empty (shape (0,))", id="softmax-empty"),
    pytest.param(I.log_sigmoid, ([INF],), _nonfinite("z"), id="log-sigmoid-inf"),
    pytest.param(I.log_sigmoid, ("abc",),
                 text_refused("z"),
                 id="log-sigmoid-text"),
    # regression losses
    pytest.param(I.mse_loss, ([NAN], [1.0]), _nonfinite("pred"), id="mse-pred-nan"),
    pytest.param(I.mse_loss, ([1.0], [NAN]), _nonfinite("target"), id="mse-target-nan"),
    pytest.param(I.mse_loss, ([1.0, 2.0], [1.0]), _shape_msg("pred", "target", (2,), (1,)),
                 id="mse-shapes"),
    pytest.param(I.mae_loss, ([], []), "pred is empty (shape (0,))", id="mae-empty"),
    pytest.param(I.mae_loss, ([INF], [1.0]), _nonfinite("pred"), id="mae-pred-inf"),
    pytest.param(I.mae_loss, ([1.0], [INF]), _nonfinite("target"), id="mae-target-inf"),
    pytest.param(I.mae_loss, ([1.0], [[1.0]]), _shape_msg("pred", "target", (1,), (1, 1)),
                 id="mae-shapes"),
    # binary cross-entropy, on probabilities and on logits
    pytest.param(I.binary_cross_entropy, ([1.2], [1.0]), "prob must lie in [0, 1]",
                 id="bce-prob-above-one"),
    pytest.param(I.binary_cross_entropy, ([-0.1], [1.0]), "prob must lie in [0, 1]",
                 id="bce-prob-below-zero"),
    pytest.param(I.binary_cross_entropy, ([0.5], [2.0]), "target must lie in [0, 1]",
                 id="bce-target-above-one"),
    pytest.param(I.binary_cross_entropy, ([NAN], [1.0]), _nonfinite("prob"), id="bce-prob-nan"),
    pytest.param(I.binary_cross_entropy, ([0.5], [NAN]), _nonfinite("target"),
                 id="bce-target-nan"),
    pytest.param(I.binary_cross_entropy, ([0.5], [1.0, 0.0]),
                 _shape_msg("prob", "target", (1,), (2,)), id="bce-shapes"),
    pytest.param(I.binary_cross_entropy_with_logits, ([0.5], [-1.0]),
                 "target must lie in [0, 1]", id="bcel-target-below-zero"),
    pytest.param(I.binary_cross_entropy_with_logits, ([NAN], [1.0]), _nonfinite("logits"),
                 id="bcel-logits-nan"),
    pytest.param(I.binary_cross_entropy_with_logits, ([0.5], [NAN]), _nonfinite("target"),
                 id="bcel-target-nan"),
    pytest.param(I.binary_cross_entropy_with_logits, ([0.5, 1.0], [1.0]),
                 _shape_msg("logits", "target", (2,), (1,)), id="bcel-shapes"),
    # categorical cross-entropy: both arguments are batches of distributions
    pytest.param(I.categorical_cross_entropy, ([[1.5, -0.5]], ONEHOT), _negative("probs"),
                 id="cce-probs-negative"),
    pytest.param(I.categorical_cross_entropy, ([[0.6, 0.6]], ONEHOT), "probs " + SUM_TO_ONE,
                 id="cce-probs-not-distribution"),
    pytest.param(I.categorical_cross_entropy, (P2, [1.0, 0.0]), _not_2d("probs", (2,)),
                 id="cce-probs-1d"),
    pytest.param(I.categorical_cross_entropy, (ROW, [[1.5, -0.5]]), _negative("target_onehot"),
                 id="cce-target-negative"),
    pytest.param(I.categorical_cross_entropy, (ROW, [1.0, 0.0]), _not_2d("target_onehot", (2,)),
                 id="cce-target-1d"),
    pytest.param(I.categorical_cross_entropy, (ROW, [[1.0, 0.0, 0.0]]),
                 _shape_msg("probs", "target_onehot", (1, 2), (1, 3)), id="cce-shapes"),
    pytest.param(I.cross_entropy_with_logits, ([[NAN, 2.0]], ONEHOT), _nonfinite("logits"),
                 id="ce-logits-nan"),
    pytest.param(I.cross_entropy_with_logits, ([1.0, 2.0], ONEHOT), _not_2d("logits", (2,)),
                 id="ce-logits-1d"),
    pytest.param(I.cross_entropy_with_logits, ([[1.0, 2.0]], [[2.0, -1.0]]),
                 _negative("target_onehot"), id="ce-logits-target-negative"),
    pytest.param(I.cross_entropy_with_logits, ([[1.0, 2.0]], [1.0, 0.0]),
                 _not_2d("target_onehot", (2,)), id="ce-logits-target-1d"),
    pytest.param(I.cross_entropy_with_logits, ([[1.0, 2.0]], [[1.0, 0.0, 0.0]]),
                 _shape_msg("logits", "target_onehot", (1, 2), (1, 3)), id="ce-logits-shapes"),
    # hinge
    pytest.param(I.hinge_loss, ([0.5], [0.0]), "target_pm1 must hold labels in {-1, +1}",
                 id="hinge-label-zero"),
    pytest.param(I.hinge_loss, ([NAN], [1.0]), _nonfinite("score"), id="hinge-score-nan"),
    pytest.param(I.hinge_loss, ([0.5], [NAN]), _nonfinite("target_pm1"), id="hinge-target-nan"),
    pytest.param(I.hinge_loss, ([0.5, 1.0], [1.0]),
                 _shape_msg("score", "target_pm1", (2,), (1,)), id="hinge-shapes"),
    # information quantities
    pytest.param(I.entropy, (0.5,), "p must have at least 1 dimension(s), got shape ()",
                 id="entropy-scalar"),
    pytest.param(I.entropy, ([1.5, -0.5],), _negative("p"), id="entropy-negative"),
    pytest.param(I.cross_entropy, ([1.5, -0.5], P2), _negative("p"), id="ce-p-negative"),
    pytest.param(I.cross_entropy, (P2, [0.3, 0.3]), "q " + SUM_TO_ONE, id="ce-q-not-distribution"),
    pytest.param(I.cross_entropy, (P2, [1.0, 0.0, 0.0]), _shape_msg("p", "q", (2,), (3,)),
                 id="ce-shapes"),
    pytest.param(I.kl_divergence, ([1.5, -0.5], P2), _negative("p"), id="kl-p-negative"),
    pytest.param(I.kl_divergence, (P2, [0.3, 0.3]), "q " + SUM_TO_ONE, id="kl-q-not-distribution"),
    pytest.param(I.kl_divergence, (P2, [1.0, 0.0, 0.0]), _shape_msg("p", "q", (2,), (3,)),
                 id="kl-shapes"),
])
def test_losses_reject_bad_input_with_the_documented_message(fn, args, message):
    with raises_exactly(message):
        fn(*args)


@pytest.mark.parametrize("base", [
    pytest.param(1, id="one"), pytest.param(0.5, id="below-one"), pytest.param(-2, id="negative"),
    pytest.param(0, id="zero"), pytest.param(NAN, id="nan"), pytest.param(INF, id="inf"),
    pytest.param(True, id="bool"), pytest.param("2", id="text"),
])
@pytest.mark.parametrize("fn, args", [
    pytest.param(I.entropy, (P2,), id="entropy"),
    pytest.param(I.cross_entropy, (P2, P2), id="cross-entropy"),
    pytest.param(I.kl_divergence, (P2, P2), id="kl"),
])
def test_information_quantities_need_a_base_above_one(fn, args, base):
    with raises_exactly(f"base must be a finite number > 1, got {base!r}"):
        fn(*args, base=base)


def test_losses_keep_documented_edge_values():
    assert I.binary_cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0  # 0 log 0 = 0
    assert I.binary_cross_entropy([0.0], [1.0]) == np.inf         # the exact value
    assert I.kl_divergence(P2, [1.0, 0.0]) == np.inf
    assert I.entropy([[1.0, 0.0], [0.5, 0.5]], base=2).tolist() == [0.0, 1.0]  # no reduction


# -- gradient descent ---------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, message", [
    pytest.param(dict(eta=0.0), "eta must be a finite number > 0, got 0.0", id="eta-zero"),
    pytest.param(dict(eta=-0.1), "eta must be a finite number > 0, got -0.1", id="eta-negative"),
    pytest.param(dict(eta=NAN), "eta must be a finite number > 0, got nan", id="eta-nan"),
    pytest.param(dict(eta="0.1"), "eta must be a finite number > 0, got '0.1'", id="eta-text"),
    pytest.param(dict(steps=0), "steps must be an integer >= 1, got 0", id="no-steps"),
    pytest.param(dict(steps=2.5), "steps must be an integer >= 1, got 2.5", id="steps-float"),
    # the documented cap is one million steps, written out so a changed cap shows
    pytest.param(dict(steps=1_000_001), "steps must be <= 1000000, got 1000001",
                 id="steps-over-cap"),
    pytest.param(dict(x0=[[1.0]]), "x0 must be 1-D, got shape (1, 1)", id="x0-2d"),
    pytest.param(dict(x0=[NAN]), "x0 contains NaN or infinite entries", id="x0-nan"),
    pytest.param(dict(grad=3.0), "grad must be callable (x -> gradient at x)",
                 id="grad-not-callable"),
    pytest.param(dict(grad=lambda x: np.zeros(2)), "grad returned shape (2,), expected (1,)",
                 id="grad-shape"),
    pytest.param(dict(grad=lambda x: 1.0), "grad returned shape (), expected (1,)",
                 id="grad-scalar"),
])
def test_gradient_descent_rejects_bad_input(kwargs, message):
    args = dict(grad=lambda x: x, x0=[1.0], eta=0.1, steps=5) | kwargs
    with raises_exactly(message):
        I.gradient_descent(args.pop("grad"), args.pop("x0"), **args)


def test_gradient_descent_stops_at_divergence():
    it = I.gradient_descent(lambda x: 1e200 * x, [1.0], eta=1e200, steps=1000)
    assert it.shape[0] < 1000 and np.all(np.isfinite(it))


def test_gradient_descent_accepts_exactly_the_step_cap():
    # an infinite first gradient ends the run at once, so the cap is probed without
    # iterating a million times
    it = I.gradient_descent(lambda x: np.full_like(x, INF), [1.0], eta=0.1, steps=1_000_000)
    assert it.tolist() == [[1.0]]


@pytest.mark.parametrize("steps", [pytest.param(1, id="one-step"), pytest.param(3, id="three")])
def test_gradient_descent_returns_x0_and_every_iterate(steps):
    # f(x) = |x|^2 has gradient 2x; eta = 1/4 halves x each step: x_t = x0 / 2^t exactly
    x0 = np.array([1.0, -2.0])
    it = I.gradient_descent(lambda x: 2.0 * x, x0, eta=0.25, steps=steps)
    assert it.shape == (steps + 1, 2)
    assert it.tolist() == [(x0 / 2.0**t).tolist() for t in range(steps + 1)]


def test_gradient_descent_takes_integer_x0_as_float():
    it = I.gradient_descent(lambda x: 2.0 * x, [1, -2], eta=0.25, steps=2)
    assert it.dtype == np.float64
    assert it.tolist() == [[1.0, -2.0], [0.5, -1.0], [0.25, -0.5]]


def test_gradient_descent_ends_before_the_first_non_finite_gradient():
    calls = []

    def grad(x):
        calls.append(1)
        return np.array([INF]) if len(calls) == 3 else np.array([1.0])

    # the third gradient (at x_2) is infinite: x_0, x_1, x_2 are kept, nothing after
    it = I.gradient_descent(grad, [0.0], eta=0.5, steps=10)
    assert it.tolist() == [[0.0], [-0.5], [-1.0]]


def test_gradient_descent_ends_before_the_first_non_finite_iterate():
    # x_1 = 1e308 is finite; x_2 = 2e308 overflows, so the run keeps exactly two rows
    it = I.gradient_descent(lambda x: np.array([-1e300]), [0.0], eta=1e8, steps=10)
    assert it.tolist() == [[0.0], [1e308]]


def test_gradient_descent_is_immune_to_a_gradient_that_writes_to_its_argument():
    def scribbling_grad(x):
        g = 2.0 * x
        x[:] = 1e6  # a careless user gradient; the iterates must not see it
        return g

    it = I.gradient_descent(scribbling_grad, [1.0, -2.0], eta=0.25, steps=2)
    assert it.tolist() == [[1.0, -2.0], [0.5, -1.0], [0.25, -0.5]]


def test_gradient_descent_converts_an_exact_gradient_to_float():
    # a gradient computed in exact arithmetic (here Fractions) is still a gradient
    it = I.gradient_descent(lambda x: [Fraction(1, 2)], [1.0], eta=0.5, steps=2)
    assert it.dtype == np.float64
    assert it.tolist() == [[1.0], [0.75], [0.5]]


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
